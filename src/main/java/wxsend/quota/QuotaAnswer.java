package wxsend.quota;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The quotas of one app's message APIs. OK when WeChat answered for at least one of them;
 * INVALID for an app that is not configured; REJECTED when WeChat refused the app's token fetch
 * (a wrong secret, an IP allowlist); UNAVAILABLE when a retry may get a token.
 */
// Serialised by Jackson in the native executable too.
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaAnswer(Status status, String app, List<ApiQuota> apis, String reason) {

    public enum Status {
        OK, INVALID, REJECTED, UNAVAILABLE
    }

    static QuotaAnswer refused(Status status, String app, String reason) {
        return new QuotaAnswer(status, app, null, reason);
    }
}
