package wxsend.entry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;
import wxsend.token.AccessToken;
import wxsend.token.dynamodb.DynamoDbTokenStore;

/**
 * A cold start meeting the table an earlier instance left: the profile restarts Quarkus, so this
 * instance's memory is empty, and the tokens below were stored before it started.
 */
@QuarkusTest
@TestProfile(SecondColdStartTest.EarlierInstanceLeftTokens.class)
class SecondColdStartTest {

    static final String WARM_APP = TestApps.appid(TestApps.COUNT - 1);
    static final String NEARLY_EXPIRED_APP = TestApps.appid(TestApps.COUNT - 2);
    static final String STORED = "ACCESS-stored-by-an-earlier-instance";
    static final String NEARLY_EXPIRED = "ACCESS-two-minutes-left";

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
    }

    @Test
    void aValidStoredTokenIsUsedWithoutAnyFetch() {
        wechat.tokenIs(WARM_APP, "ACCESS-must-not-be-fetched");
        wechat.sendOk(STORED);

        Lambda.event().body(Messages.forApp(WARM_APP)).when().post().then()
                .statusCode(200).body("status", equalTo("SENT"), "attempts", equalTo(1));

        assertEquals(0, wechat.tokenFetches(WARM_APP).size());
        assertEquals(1, wechat.sendsWith(STORED).size());
    }

    @Test
    void aStoredTokenInsideTheRefreshMarginIsReplaced() {
        wechat.tokenIs(NEARLY_EXPIRED_APP, "ACCESS-replacement");
        wechat.sendOk("ACCESS-replacement");

        Lambda.event().body(Messages.forApp(NEARLY_EXPIRED_APP)).when().post().then()
                .statusCode(200).body("status", equalTo("SENT"));

        assertEquals(1, wechat.tokenFetches(NEARLY_EXPIRED_APP).size());
        assertEquals(0, wechat.sendsWith(NEARLY_EXPIRED).size());
    }

    public static class EarlierInstanceLeftTokens implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Seed.class));
        }

        @Override
        public String getConfigProfile() {
            return "second-instance";
        }
    }

    public static class Seed implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            DynamoDbTokenStore store = new DynamoDbTokenStore(StandIns.dynamo(), StandIns.TABLE);
            store.saveIfNewer(WARM_APP, new AccessToken(STORED, Instant.now().plus(Duration.ofMinutes(90))));
            store.saveIfNewer(NEARLY_EXPIRED_APP, new AccessToken(NEARLY_EXPIRED, Instant.now().plus(Duration.ofMinutes(2))));
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }
}
