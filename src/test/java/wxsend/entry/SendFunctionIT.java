package wxsend.entry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same cases against the packaged application: the native executable when built with -Dnative. */
@QuarkusIntegrationTest
class SendFunctionIT extends SendFunctionTest {

    /** Quarkus writes the launched application's output here. */
    @Override
    String appLogs() {
        try {
            return Files.readString(Path.of("target", "quarkus.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("the application's log is missing", e);
        }
    }
}
