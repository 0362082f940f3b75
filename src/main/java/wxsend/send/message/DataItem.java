package wxsend.send.message;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One template data item: its value and, where the API takes one, its colour. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataItem(String value, String color) {
}
