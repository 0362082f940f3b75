package wxsend.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The deliver export, for every suite that plays the queue: one profile, so they share one start.
 * Five sends in flight per chunk (ten chunks an invocation): fifty at once is what two cores
 * shared with DynamoDB Local and WireMock answer inside the tests' one-second read timeout.
 */
public class ExportDeliver implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.funqy.export", "deliver", "wxsend.batch.concurrency", "5");
    }
}
