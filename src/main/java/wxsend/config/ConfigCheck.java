package wxsend.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** Refuses to start on a missing or malformed setting, naming the environment variable. */
@ApplicationScoped
class ConfigCheck {

    private static final Logger LOG = Logger.getLogger(ConfigCheck.class);

    static final Pattern APPID = Pattern.compile("wx[0-9A-Za-z]{16}");
    static final Pattern PREFIX = Pattern.compile("/[0-9A-Za-z_./-]*[0-9A-Za-z_-]");

    void onStart(@Observes StartupEvent event, WxsendConfig config) {
        List<String> problems = problems(config, LaunchMode.current());
        if (!problems.isEmpty()) {
            String line = "wxsend configuration: " + String.join("; ", problems);
            // Logged as one line of its own, ahead of Quarkus's start-up stack trace.
            LOG.error(line);
            throw new IllegalStateException(line);
        }
    }

    static List<String> problems(WxsendConfig config) {
        return problems(config, LaunchMode.NORMAL);
    }

    static List<String> problems(WxsendConfig config, LaunchMode mode) {
        List<String> problems = new ArrayList<>();
        if (!ApiRoutes.httpUrl(config.wechat().apiUrl())) {
            problems.add("WECHAT_API_URL must be an http(s) URL");
        } else if (ApiRoutes.clearText(config.wechat().apiUrl())) {
            problems.add("WECHAT_API_URL" + ApiRoutes.CLEAR_TEXT);
        }
        ApiRoutes.problems(config.wechat().apiUrls(), problems);
        positive("WECHAT_CONNECT_TIMEOUT", config.wechat().connectTimeout(), problems);
        positive("WECHAT_READ_TIMEOUT", config.wechat().readTimeout(), problems);
        positive("TOKEN_REFRESH_MARGIN", config.token().refreshMargin(), problems);
        positive("APP_SECRET_REREAD_INTERVAL", config.secretRereadInterval(), problems);
        positive("SEND_INITIAL_BACKOFF", config.send().initialBackoff(), problems);
        positive("SEND_MAX_BACKOFF", config.send().maxBackoff(), problems);
        positive("SEND_TIME_BUDGET", config.send().timeBudget(), problems);
        if (config.send().maxAttempts() < 1 || config.send().maxAttempts() > 10) {
            problems.add("SEND_MAX_ATTEMPTS must be between 1 and 10");
        }
        if (config.http().maxBodyBytes() < 1024) {
            problems.add("HTTP_MAX_BODY_BYTES must be at least 1024");
        }
        config.appid().ifPresent(appid -> {
            if (!APPID.matcher(appid).matches()) {
                problems.add("WECHAT_APPID must be 'wx' followed by 16 letters or digits");
            }
            // Dev mode's placeholder app has no secret on purpose: it shows dry runs, and a send says
            // it has no secret. Everywhere else a missing secret is a deployment mistake, caught at start.
            if (config.secret().isEmpty() && config.secretParameterPrefix().isEmpty() && mode != LaunchMode.DEVELOPMENT) {
                problems.add("WECHAT_SECRET or APP_SECRET_PARAMETER_PREFIX is required when WECHAT_APPID is set");
            }
        });
        if (config.appid().isEmpty() && config.secret().isPresent()) {
            problems.add("WECHAT_APPID is required when WECHAT_SECRET is set");
        }
        config.appids().ifPresent(appids -> {
            appids.stream().filter(appid -> !APPID.matcher(appid).matches())
                    .forEach(appid -> problems.add("WECHAT_APPIDS holds '" + appid + "', which is not an appid"));
            if (config.secretParameterPrefix().isEmpty()) {
                problems.add("APP_SECRET_PARAMETER_PREFIX is required when WECHAT_APPIDS is set");
            }
        });
        config.secretParameterPrefix().filter(prefix -> !PREFIX.matcher(prefix).matches()).ifPresent(prefix -> problems
                .add("APP_SECRET_PARAMETER_PREFIX must start with '/' and not end with one, such as /wxsend/apps"));
        config.fallback().offFor().ifPresent(apps -> apps.stream().filter(appid -> !APPID.matcher(appid).matches())
                .forEach(appid -> problems.add("FALLBACK_OFF_FOR_APPS holds '" + appid + "', which is not an appid")));
        config.apps().keySet().stream().filter(appid -> !APPID.matcher(appid).matches())
                .forEach(appid -> problems.add("wxsend.apps key '" + appid + "' is not an appid"));
        if (!config.token().endpoint().equals("stable") && !config.token().endpoint().equals("legacy")) {
            problems.add("TOKEN_ENDPOINT must be stable or legacy, not '" + config.token().endpoint() + "'");
        }
        positive("TOKEN_LEASE_DURATION", config.token().leaseDuration(), problems);
        if (config.token().forceDailyCap() < 0 || config.token().forceDailyCap() > 20) {
            problems.add("TOKEN_FORCE_DAILY_CAP must be between 0 and 20 (WeChat's own cap)");
        }
        if (config.token().forceSpacing().compareTo(Duration.ofSeconds(30)) < 0) {
            problems.add("TOKEN_FORCE_SPACING must be at least 30s (WeChat's own spacing)");
        }
        switch (config.token().store()) {
            case "memory" -> {
            }
            case "ssm" -> config.token().parameterPrefix().filter(prefix -> PREFIX.matcher(prefix).matches())
                    .ifPresentOrElse(prefix -> {
                    }, () -> problems.add("TOKEN_PARAMETER_PREFIX (such as /wxsend/tokens) is required when TOKEN_STORE=ssm"));
            case "dynamodb" -> {
                if (config.token().table().isEmpty()) {
                    problems.add("TOKEN_TABLE is required when TOKEN_STORE=dynamodb");
                }
            }
            default -> problems.add("TOKEN_STORE must be dynamodb, ssm or memory, not '" + config.token().store() + "'");
        }
        switch (config.idempotency().store()) {
            case "memory", "off" -> {
            }
            case "dynamodb" -> {
                if (config.idempotency().table().isEmpty()) {
                    problems.add("IDEMPOTENCY_TABLE is required when IDEMPOTENCY_STORE=dynamodb");
                }
            }
            default -> problems.add("IDEMPOTENCY_STORE must be dynamodb, memory or off, not '"
                    + config.idempotency().store() + "'");
        }
        positive("IDEMPOTENCY_TTL", config.idempotency().ttl(), problems);
        positive("IDEMPOTENCY_AUTO_KEY_WINDOW", config.idempotency().autoKeyWindow(), problems);
        if (config.idempotency().autoKeyWindow().compareTo(config.idempotency().ttl()) > 0) {
            problems.add("IDEMPOTENCY_AUTO_KEY_WINDOW must not exceed IDEMPOTENCY_TTL");
        }
        if (config.idempotency().inProgressExpiry().compareTo(config.send().timeBudget()) <= 0) {
            problems.add("IDEMPOTENCY_IN_PROGRESS_EXPIRY must be longer than SEND_TIME_BUDGET");
        }
        if (config.batch().maxRecipients() < 1 || config.batch().maxRecipients() > 10_000) {
            problems.add("BATCH_MAX_RECIPIENTS must be between 1 and 10000");
        }
        if (config.batch().concurrency() < 1 || config.batch().concurrency() > 200) {
            problems.add("BATCH_CONCURRENCY must be between 1 and 200");
        }
        positive("UNIFORM_RETIREMENT_MEMORY", config.fallback().remember(), problems);
        WxsendConfig.Broadcast broadcast = config.broadcast();
        if (broadcast.table().isPresent() != broadcast.queueUrl().isPresent()) {
            problems.add("BROADCAST_TABLE and DELIVERY_QUEUE_URL go together: set both for broadcasts, or neither");
        }
        if (broadcast.chunkSize() < 1 || broadcast.chunkSize() > config.batch().maxRecipients()) {
            problems.add("BROADCAST_CHUNK_SIZE must be between 1 and BATCH_MAX_RECIPIENTS");
        }
        if (broadcast.quotaDelay().isNegative() || broadcast.quotaDelay().toSeconds() > 900) {
            problems.add("BROADCAST_QUOTA_DELAY must be between 0s and 15m (SQS's longest delay)");
        }
        if (broadcast.pauseRecheck().toSeconds() < 1 || broadcast.pauseRecheck().toSeconds() > 900) {
            problems.add("BROADCAST_PAUSE_RECHECK must be between 1s and 15m (SQS's longest delay)");
        }
        return problems;
    }

    private static void positive(String name, Duration value, List<String> problems) {
        if (value.isNegative() || value.isZero()) {
            problems.add(name + " must be a positive duration");
        }
    }
}
