package wxsend.entry;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * With room for ten tries but a budget that leaves half a second for retries (2.5 s less one
 * call's 1 s connect + 1 s read timeout), the budget, not the count, ends the retries.
 */
@QuarkusTest
@TestProfile(TimeBudgetTest.TightBudget.class)
class TimeBudgetTest {

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());

    @Test
    void noRetryStartsThatCouldOutrunTheBudget() {
        StandIns.wechat().resetAll();
        String appid = TestApps.appid(TestApps.COUNT - 3);
        wechat.tokenIs(appid, "ACCESS-budget");
        wechat.sendWith("ACCESS-budget", WireMock.okJson(WeChatStubs.errcode(-1, "system error")));

        Lambda.event().body(Messages.forApp(appid)).when().post().then()
                .statusCode(500).body("errorMessage", containsString("time budget spent"));

        int calls = wechat.sendsWith("ACCESS-budget").size();
        assertTrue(calls >= 1 && calls <= 4, "backoff from 200 ms within 0.5 s allows a few tries, not ten: " + calls);
    }

    public static class TightBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.send.time-budget", "2500ms", "wxsend.send.max-attempts", "10",
                    "wxsend.send.initial-backoff", "200ms", "wxsend.send.max-backoff", "1s");
        }
    }
}
