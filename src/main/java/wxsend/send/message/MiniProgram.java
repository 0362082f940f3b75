package wxsend.send.message;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The mini program an official-account template message opens. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MiniProgram(String appid, String pagepath) {
}
