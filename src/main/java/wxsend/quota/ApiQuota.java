package wxsend.quota;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One message API's quota for one app: its daily limit, today's use and what remains, or why
 * WeChat did not say (76022: the API is not this kind of account's; a mini program has no
 * template/send).
 */
// Serialised by Jackson in the native executable too.
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiQuota(String api, String cgiPath, Long dailyLimit, Long used, Long remain, Integer errcode, String reason) {
}
