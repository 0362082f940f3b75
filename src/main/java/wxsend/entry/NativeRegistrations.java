package wxsend.entry;

import io.quarkus.amazon.lambda.runtime.FunctionError;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes the native image must serialise that nothing registers. Quarkus 3.34.2 posts a failed
 * invocation to the Runtime API as a {@link FunctionError} through Jackson; unregistered, the
 * native poll loop fails to report the error and stops (found by SendFunctionIT).
 */
@RegisterForReflection(targets = FunctionError.class)
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
