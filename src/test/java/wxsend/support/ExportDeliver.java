package wxsend.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The deliver export, for every suite that plays the queue: one profile, so they share one start. */
public class ExportDeliver implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.funqy.export", "deliver");
    }
}
