package wxsend.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything wxsend reads from configuration. application.properties maps the deployment contract
 * (environment variables such as WECHAT_APPID or TOKEN_TABLE) onto these names.
 */
@ConfigMapping(prefix = "wxsend")
public interface WxsendConfig {

    WeChat wechat();

    /** The default app, from WECHAT_APPID and WECHAT_SECRET. */
    Optional<String> appid();

    Optional<String> secret();

    /** Further apps whose secrets are read from SSM (WECHAT_APPIDS, comma-separated). */
    Optional<List<String>> appids();

    /** SSM path under which each app's secret is {prefix}/{appid}/secret (APP_SECRET_PARAMETER_PREFIX). */
    Optional<String> secretParameterPrefix();

    /**
     * At most one re-read of an app's SSM secret per this interval, when WeChat's token endpoint refuses the cached
     * one (40125, 40001) because it was rotated (APP_SECRET_REREAD_INTERVAL).
     */
    @WithDefault("5m")
    Duration secretRereadInterval();

    /** Further apps by appid (wxsend.apps."wx…".secret), for local runs and tests. */
    Map<String, ExtraApp> apps();

    Token token();

    Send send();

    Http http();

    Idempotency idempotency();

    Batch batch();

    Broadcast broadcast();

    Fallback fallback();

    Dev dev();

    interface Dev {
        /**
         * Dev mode's WeChat stand-in at /dev/wechat (WECHAT_STAND_IN): read at build time, so only a
         * dev-mode build that asks for it contains it.
         */
        @WithDefault("false")
        boolean wechatStandIn();
    }

    interface Idempotency {
        /** dynamodb, memory (one instance only) or off. */
        @WithDefault("dynamodb")
        String store();

        Optional<String> table();

        /** How long a completed request's result is replayed to duplicates. */
        @WithDefault("24h")
        Duration ttl();

        /**
         * How long a key derived from the content (a direct or scheduled invocation without a key)
         * holds: long enough for Lambda's retries and redeliveries, short enough that a later,
         * identical message is sent.
         */
        @WithDefault("1h")
        Duration autoKeyWindow();

        /**
         * How long a claim blocks duplicates before it is presumed dead: longer than the
         * function's timeout, so a running send is never taken over.
         */
        @WithDefault("35s")
        Duration inProgressExpiry();
    }

    interface Fallback {
        /** Whether a retired uniform_send (45103, 45109) falls back to the official account's template/send. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Mini programs whose uniform_send never falls back, even with the fallback on: an app
         * whose official account must not send template messages (FALLBACK_OFF_FOR_APPS).
         */
        Optional<Set<String>> offFor();

        /** How long an app's uniform_send is remembered as retired, so sends go straight to template/send. */
        @WithDefault("24h")
        Duration remember();
    }

    interface Broadcast {
        /** The DynamoDB table of broadcast records (BROADCAST_TABLE); without it, broadcasts are off. */
        Optional<String> table();

        /** The delivery queue that chunks go through (DELIVERY_QUEUE_URL); without it, broadcasts are off. */
        Optional<String> queueUrl();

        /** Recipients per chunk message, at most BATCH_MAX_RECIPIENTS. */
        @WithDefault("100")
        int chunkSize();

        /** Recipients a broadcast may carry inline. */
        @WithDefault("10000")
        int maxInline();

        /** How long recipients WeChat answered 45011 (the minute quota) wait before they are tried again. */
        @WithDefault("60s")
        Duration quotaDelay();

        /** How often a paused broadcast's chunks look again, at most SQS's longest delay (15 minutes). */
        @WithDefault("15m")
        Duration pauseRecheck();

        /** The one bucket recipients may be read from (BROADCAST_BUCKET); any bucket the role can read when unset. */
        Optional<String> bucket();

        /** How long one planning step reads before it hands over to the next (BROADCAST_PLAN_STEP_BUDGET). */
        @WithDefault("15s")
        Duration planStepBudget();

        /** At most this many lines in one planning step (BROADCAST_PLAN_LINES_PER_STEP). */
        @WithDefault("200000")
        long planLinesPerStep();

        /**
         * How long a broadcast's record and its chunks' ledgers are kept after they were last
         * written (BROADCAST_KEEP): longer than any copy of a chunk can still arrive, which is the
         * dead-letter queue's 14 days counted from the chunk's enqueue, plus a redrive's stay on the
         * delivery queue (4 days), plus the week a paused chunk may wait before its ledger is kept again.
         */
        @WithDefault("30d")
        Duration keep();
    }

    interface Batch {
        /** Recipients in one batch. */
        @WithDefault("1000")
        int maxRecipients();

        /** Sends in flight at once. */
        @WithDefault("20")
        int concurrency();
    }

    interface WeChat {
        @WithDefault("https://api.weixin.qq.com")
        String apiUrl();

        /**
         * Apps whose calls take another base URL, as {@code appid=url} (WECHAT_API_URLS, comma-separated):
         * a fixed-IP proxy for an official account whose token fetches WeChat checks against its IP
         * allowlist (40164). See {@link ApiRoutes}.
         */
        Optional<List<String>> apiUrls();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("5s")
        Duration readTimeout();

        /**
         * Connections to WeChat one instance may hold (WECHAT_MAX_CONNECTIONS): at least the sends
         * it runs at once, BATCH_CONCURRENCY times the 10 messages a queue batch holds. A send that
         * waits for a connection spends its read timeout before its request is written.
         */
        @WithDefault("200")
        int maxConnections();

        /**
         * How long an idle connection to WeChat is kept (WECHAT_CONNECTION_TTL): shorter than the
         * servers' own idle timeouts (commonly 30 s and more), so that wxsend closes it first. A post
         * written on a connection the server is closing may have arrived, and ends UNKNOWN.
         */
        @WithDefault("20s")
        Duration connectionTtl();
    }

    interface ExtraApp {
        String secret();
    }

    interface Token {
        /** dynamodb, ssm or memory; kept as text so a bad value fails with the variable's name. */
        @WithDefault("dynamodb")
        String store();

        /** stable (cgi-bin/stable_token) or legacy (cgi-bin/token). */
        @WithDefault("stable")
        String endpoint();

        /** SSM path for TOKEN_STORE=ssm: each app's token is {prefix}/{appid}/token. */
        Optional<String> parameterPrefix();

        /** How long one instance may hold the right to refresh an app's token before others take over. */
        @WithDefault("10s")
        Duration leaseDuration();

        /** Forced refreshes per app and day (WeChat allows 20). */
        @WithDefault("20")
        int forceDailyCap();

        /** The least time between two forced refreshes of one app (WeChat asks for 30 s). */
        @WithDefault("30s")
        Duration forceSpacing();

        Optional<String> table();

        @WithDefault("5m")
        Duration refreshMargin();
    }

    interface Http {
        /** Larger bodies get 413 before they are parsed. */
        @WithDefault("1048576")
        long maxBodyBytes();
    }

    interface Send {
        /** Calls to WeChat for one message, the first one included. */
        @WithDefault("3")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("2s")
        Duration maxBackoff();

        /**
         * Funqy does not hand the Lambda Context to functions, so the deadline is this budget,
         * kept below the function's timeout in template.yaml.
         */
        @WithDefault("20s")
        Duration timeBudget();
    }
}
