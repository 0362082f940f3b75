package wxsend.send;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same cases against the packaged application: the native executable when built with -Dnative. */
@QuarkusIntegrationTest
class ObservabilityIT extends ObservabilityTest {

    @Override
    @Test
    @Disabled("metric lines go to standard output, which @QuarkusIntegrationTest does not keep (only its log file); "
            + ".ci/run checks the native executable's metric lines with bench/lambda.py --check-emf")
    void metricsCountSendsByStatusAndErrcodeRetriesAndTokenFetches() {
    }
}
