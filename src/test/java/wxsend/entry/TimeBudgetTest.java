package wxsend.entry;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Room for ten tries, but a budget of 2 s: exactly one call's worst case (1 s connect + 1 s read).
 * No retry can start and still finish inside it, so the budget, not the count, ends the delivery
 * after the first call, whatever the backoff.
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

        assertEquals(1, wechat.sendsWith("ACCESS-budget").size());
    }

    public static class TightBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.send.time-budget", "2s", "wxsend.send.max-attempts", "10");
        }
    }
}
