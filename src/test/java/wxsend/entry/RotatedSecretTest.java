package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.Messages;
import wxsend.support.MutableClock;
import wxsend.support.SsmParameters;
import wxsend.support.StandIns;
import wxsend.support.WeChatStubs;

/**
 * A secret rotated in SSM while a sandbox holds the old one: WeChat's token endpoint answers 40125,
 * and the fetch reads the parameter again (at most once per APP_SECRET_REREAD_INTERVAL per app) and
 * tries once more. The real SDK client talks SSM's protocol to the stateful parameter stand-in.
 */
@QuarkusTest
@TestProfile(RotatedSecretTest.RotatingSecrets.class)
class RotatedSecretTest {

    static final String ROTATED_APP = "wx5600000000000001";
    static final String INLINE_APP = "wx5600000000000002";
    static final String PREFIX = "/wxsend/rotated";
    static final String INLINE_SECRET = "inline-secret-never-logged";
    /** Moves time for the re-read interval only: AppSecrets is the one bean that injects the clock. */
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    public static class RotatingSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // APP_SECRET_REREAD_INTERVAL stays at its default, 5m.
            return Map.of("wxsend.appids", ROTATED_APP, "wxsend.secret-parameter-prefix", PREFIX,
                    "wxsend.apps." + INLINE_APP + ".secret", INLINE_SECRET);
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableTime.class);
        }
    }

    /** Selected by the profile alone, so no other test meets this clock. */
    @Alternative
    @Singleton
    public static class MovableTime {
        @Produces
        @Alternative
        @Singleton
        Clock clock() {
            return CLOCK;
        }
    }

    private final WireMockServer ssm = StandIns.ssm();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
        ssm.resetAll();
        StandIns.keepParametersUnder(PREFIX);
    }

    @AfterEach
    void noSecretIsLogged() {
        for (String secret : new String[] { "old-secret-", "new-secret-", "newer-secret-", INLINE_SECRET }) {
            assertFalse(logs.text().contains(secret), secret);
        }
    }

    private static String parameter(String appid) {
        return PREFIX + "/" + appid + "/secret";
    }

    private int parameterReads(String appid) {
        return ssm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", WireMock.equalTo("AmazonSSM.GetParameter"))
                .withRequestBody(matchingJsonPath("$.Name", WireMock.equalTo(parameter(appid))))).size();
    }

    private int fetchesWith(String appid, String secret) {
        return StandIns.wechat().findAll(postRequestedFor(urlPathEqualTo(WeChatStubs.TOKEN_PATH))
                .withRequestBody(matchingJsonPath("$.appid", WireMock.equalTo(appid)))
                .withRequestBody(matchingJsonPath("$.secret", WireMock.equalTo(secret)))).size();
    }

    /** A token with no more than TOKEN_REFRESH_MARGIN (5m) to live: used once, so each send fetches again. */
    private void tokenFor(String appid, String secret, String token) {
        wechat.tokenAnswers(appid, secret, okJson("{\"access_token\":\"" + token + "\",\"expires_in\":240}"));
        wechat.sendOk(token);
    }

    private void refused(String appid, String secret) {
        wechat.tokenAnswers(appid, secret, okJson(WeChatStubs.errcode(40125, "invalid appsecret rid: 1")));
    }

    private static void send(String appid, boolean sent) {
        var answer = Lambda.invoke(Messages.forApp(appid, UUID.randomUUID().toString())).statusCode(200);
        if (sent) {
            answer.body("status", equalTo("SENT"));
        } else {
            answer.body("status", equalTo("REJECTED"), "errcode", equalTo(40125));
        }
    }

    @Test
    void aRotatedSecretIsReadAgainOnceAnIntervalAndTheFetchTriedAgainWithIt() {
        String old = "old-secret-" + UUID.randomUUID();
        String fresh = "new-secret-" + UUID.randomUUID();
        String newer = "newer-secret-" + UUID.randomUUID();
        SsmParameters.INSTANCE.put(parameter(ROTATED_APP), old, "SecureString");
        tokenFor(ROTATED_APP, old, "ACCESS-rot-1");
        send(ROTATED_APP, true);
        assertEquals(1, parameterReads(ROTATED_APP));

        // Rotated: WeChat refuses the cached secret, SSM holds the new one.
        SsmParameters.INSTANCE.put(parameter(ROTATED_APP), fresh, "SecureString");
        refused(ROTATED_APP, old);
        tokenFor(ROTATED_APP, fresh, "ACCESS-rot-2");
        send(ROTATED_APP, true);
        assertEquals(2, parameterReads(ROTATED_APP), "exactly one more read");
        assertEquals(2, fetchesWith(ROTATED_APP, old));
        assertEquals(1, fetchesWith(ROTATED_APP, fresh), "tried again once, with the new secret");

        // The new secret is the cached one now.
        send(ROTATED_APP, true);
        assertEquals(2, parameterReads(ROTATED_APP));
        assertEquals(2, fetchesWith(ROTATED_APP, fresh));

        // Rotated again within the interval: refused, and SSM is not read again.
        CLOCK.advance(Duration.ofMinutes(4));
        SsmParameters.INSTANCE.put(parameter(ROTATED_APP), newer, "SecureString");
        refused(ROTATED_APP, fresh);
        tokenFor(ROTATED_APP, newer, "ACCESS-rot-3");
        send(ROTATED_APP, false);
        assertEquals(2, parameterReads(ROTATED_APP), "a second 40125 within the interval reads nothing");
        assertEquals(3, fetchesWith(ROTATED_APP, fresh));
        assertEquals(0, fetchesWith(ROTATED_APP, newer));

        // Once the interval has passed since the last re-read, the next refusal reads it again.
        CLOCK.advance(Duration.ofMinutes(1).plusSeconds(1));
        send(ROTATED_APP, true);
        assertEquals(3, parameterReads(ROTATED_APP));
        assertEquals(4, fetchesWith(ROTATED_APP, fresh));
        assertEquals(1, fetchesWith(ROTATED_APP, newer));
    }

    @Test
    void aSecretFromConfigurationIsNeverReadFromSsmAndTheFetchIsNotRepeated() {
        refused(INLINE_APP, INLINE_SECRET);

        send(INLINE_APP, false);

        assertEquals(0, ssm.getAllServeEvents().size());
        assertEquals(1, fetchesWith(INLINE_APP, INLINE_SECRET));
    }
}
