package wxsend.send.outcome;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One reason a request was refused before any call: the field's JSON path and what is wrong with it. */
@RegisterForReflection
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
