package wxsend.send.delivery;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import wxsend.config.WxsendConfig;
import wxsend.send.message.Message;
import wxsend.send.outcome.Verdict;
import wxsend.token.TokenProvider;

/** Posts one message with one app's token, through a {@link Delivery} with the configured retries. */
@ApplicationScoped
class Posting {

    private final TokenProvider tokens;
    private final MessageGateway wechat;
    private final ObjectMapper json;
    private final WxsendConfig.Send settings;

    Posting(TokenProvider tokens, MessageGateway wechat, ObjectMapper json, WxsendConfig config) {
        this.tokens = tokens;
        this.wechat = wechat;
        this.json = json;
        this.settings = config.send();
    }

    /** Posts {@code message} with {@code app}'s token; where its API drops repeats, under the job's de-duplication id. */
    Uni<Verdict> post(String app, Message message, Job job) {
        String body;
        try {
            // Only an API that drops repeats takes a de-duplication id; the others need no digest.
            Message posted = message.api().dropsRepeats() ? message.withDedupId(Hashes.clientMsgId(job)) : message;
            body = json.writeValueAsString(posted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a validated message", e);
        }
        return new Delivery(tokens, wechat, app, message.api(), body, settings.maxAttempts(), job.gate(), job.resumed())
                .run(settings.initialBackoff(), settings.maxBackoff(), job.retryUntil());
    }
}
