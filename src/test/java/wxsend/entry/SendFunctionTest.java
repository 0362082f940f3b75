package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * The direct-invocation contract, end to end: the Lambda mock event server invokes the function,
 * WireMock plays WeChat, DynamoDB Local holds the tokens.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class SendFunctionTest {

    private static final List<String> TOKENS_SEEN = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String appid;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
    }

    /** What the application logged so far: captured in-process here, read from its log file for the native binary. */
    String appLogs() {
        return logs.text();
    }

    @AfterEach
    void noSecretInLogs() {
        String logged = appLogs();
        for (int n = 0; n <= TestApps.COUNT; n++) {
            String secret = TestApps.secret(n == 0 ? TestApps.DEFAULT_APPID : TestApps.appid(n));
            assertFalse(logged.contains(secret), "an app secret was logged");
        }
        for (String token : TOKENS_SEEN) {
            assertFalse(logged.contains(token), "an access_token was logged: " + token);
        }
        assertFalse(logged.contains(Messages.OPENID), "a full openid was logged");
    }

    private String token(String name) {
        String token = "ACCESS-" + appid + "-" + name;
        TOKENS_SEEN.add(token);
        return token;
    }

    private ValidatableResponse invoke(String body) {
        return Lambda.invoke(body);
    }

    @Test
    void sendsAndStoresTheTokenWithItsAbsoluteExpiry() throws Exception {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        Instant before = Instant.now();

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("SENT"), "errcode", equalTo(0), "errmsg", equalTo("ok"),
                        "attempts", equalTo(1), "app", equalTo(appid), "reason", nullValue());

        assertEquals(1, wechat.tokenFetches(appid).size());
        JsonNode posted = json.readTree(wechat.sendsWith(token).get(0).getBodyAsString());
        assertEquals(json.readTree(Messages.body()), posted, "the posted body is the caller's uniform_send body");
        Map<String, AttributeValue> item = StandIns.dynamo()
                .getItem(r -> r.tableName(StandIns.TABLE).key(Map.of("appid", AttributeValue.fromS(appid)))).item();
        assertEquals(token, item.get("accessToken").s());
        long expiresAt = Long.parseLong(item.get("expiresAt").n());
        assertTrue(expiresAt >= before.plusSeconds(7200).toEpochMilli() - 1000
                && expiresAt <= Instant.now().plusSeconds(7200).toEpochMilli(), "expiry is absolute: fetch time + expires_in");
        assertTrue(Long.parseLong(item.get("ttl").n()) > expiresAt / 1000, "the TTL attribute outlives the token");
        // The capture the secret checks rely on does see the application's lines.
        assertTrue(appLogs().contains("app=" + appid + " to=oAbC***z0 status=SENT via=uniform_send errcode=0 attempts=1"), this::appLogs);
    }

    @Test
    void aWarmInstanceSendsAgainWithoutFetching() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);

        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));
        invoke(Messages.forApp(appid, "second")).statusCode(200).body("status", equalTo("SENT"));

        assertEquals(1, wechat.tokenFetches(appid).size());
        assertEquals(2, wechat.sendsWith(token).size());
    }

    @Test
    void theDefaultAppSendsWhenAppIsOmitted() {
        appid = TestApps.DEFAULT_APPID;
        String token = token("default");
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);

        invoke(Messages.body()).statusCode(200).body("status", equalTo("SENT"), "app", equalTo(appid));
    }

    @Test
    void aRefusedTokenIsReplacedByExactlyOneFetch() {
        String stale = token("stale");
        String fresh = token("fresh");
        wechat.tokensInTurn(appid, stale, fresh);
        wechat.sendOk(stale);
        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));
        wechat.sendWith(stale, okJson(WeChatStubs.errcode(40001, "invalid credential, access_token is invalid or not latest")));
        wechat.sendOk(fresh);

        invoke(Messages.forApp(appid, "second")).statusCode(200)
                .body("status", equalTo("SENT"), "attempts", equalTo(2));

        assertEquals(2, wechat.tokenFetches(appid).size(), "one fetch to start, exactly one after the refusal");
        assertEquals(1, wechat.forcedFetches(appid).size(), "the refused token was the stored one: forced, once");
        assertEquals(fresh, storedToken(appid));
    }

    @ParameterizedTest
    @ValueSource(ints = { 40001, 40014, 42001 })
    void aTokenStillRefusedAfterOneRefreshIsRejectedWithoutFurtherFetches(int errcode) {
        String first = token("first");
        String second = token("second");
        wechat.tokensInTurn(appid, first, second);
        wechat.sendWith(first, okJson(WeChatStubs.errcode(errcode, "token refused")));
        wechat.sendWith(second, okJson(WeChatStubs.errcode(errcode, "token refused")));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(errcode), "attempts", equalTo(2),
                        "reason", containsString("another system"));

        assertEquals(2, wechat.tokenFetches(appid).size());
    }

    @Test
    void aTokenAnotherInstanceAlreadyReplacedIsNotExpiredAndNotFetchedAgain() {
        String mine = token("mine");
        String theirs = token("theirs");
        wechat.tokenIs(appid, mine);
        wechat.sendOk(mine);
        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));
        // Another instance stores a newer token; this instance still holds the old one in memory.
        StandIns.dynamo().putItem(r -> r.tableName(StandIns.TABLE).item(Map.of(
                "appid", AttributeValue.fromS(appid), "accessToken", AttributeValue.fromS(theirs),
                "expiresAt", AttributeValue.fromN(Long.toString(Instant.now().plusSeconds(7000).toEpochMilli())))));
        wechat.sendWith(mine, okJson(WeChatStubs.errcode(40001, "invalid credential")));
        wechat.sendOk(theirs);

        invoke(Messages.forApp(appid, "second")).statusCode(200).body("status", equalTo("SENT"), "attempts", equalTo(2));

        assertEquals(1, wechat.tokenFetches(appid).size(), "the newer stored token was used, nothing fetched");
        assertEquals(theirs, storedToken(appid), "compare-and-expire left the other instance's token alone");
    }

    @Test
    void systemBusyIsRetriedThenSent() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendInTurn(token, okJson(WeChatStubs.errcode(-1, "system error")), okJson(WeChatStubs.errcode(0, "ok")));

        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"), "attempts", equalTo(2));
    }

    @Test
    void minuteQuotaAndRefusalsBeforeTheRequestWasActedOnAreRetriedThenSent() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendInTurn(token, okJson(WeChatStubs.errcode(45011, "api minute-quota reach limit")),
                aResponse().withStatus(429).withBody("<html>slow down</html>"), okJson(WeChatStubs.errcode(0, "ok")));

        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"), "attempts", equalTo(3));
    }

    @Test
    void aResetAfterTheRequestWasWrittenIsUnknownAndNeverSentAgain() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendInTurn(token, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), okJson(WeChatStubs.errcode(0, "ok")));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "attempts", equalTo(1), "reason", containsString("not sent again"));
        // Lambda's retry of the same event is answered from the record.
        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("UNKNOWN"), "replayed", equalTo(true));

        assertEquals(1, wechat.sendsWith(token).size(), "uniform_send cannot de-duplicate: one call, never two");
    }

    @Test
    void aReadTimeoutIsUnknownAndNeverSentAgain() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(3000));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "attempts", equalTo(1), "reason", containsString("timed out"));

        assertEquals(1, wechat.sendsWith(token).size());
    }

    /**
     * Issue 24 point 2: a 500 came after the request was written, and uniform_send cannot drop a
     * repeat: UNKNOWN after one call (7edf04b retried it three times, and FAILED released the key).
     */
    @Test
    void aServerErrorAfterTheRequestWasWrittenIsUnknownAndNeverSentAgain() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, aResponse().withStatus(500));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "attempts", equalTo(1), "reason", containsString("HTTP 500"));

        assertEquals(1, wechat.sendsWith(token).size());
    }

    @Test
    void systemBusyToTheEndReportsWeChatsErrcode() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(-1, "system error")));

        invoke(Messages.forApp(appid)).statusCode(500)
                .body("errorMessage", containsString("errcode -1"));
        assertEquals(3, wechat.sendsWith(token).size());
    }

    @ParameterizedTest
    @ValueSource(ints = { 40003, 40013, 40037, 41028, 41029, 41030, 43004, 45009, 45103, 45109, 47001 })
    void aPermanentErrcodeIsRejectedWithoutRetry(int errcode) {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(errcode, "refused rid: 6540a1b2")));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(errcode), "attempts", equalTo(1),
                        "errmsg", equalTo("refused rid: 6540a1b2"));

        assertEquals(1, wechat.sendsWith(token).size());
    }

    @Test
    void theRetiredApiSaysWhatToUseInstead() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(45109, "uniform_send is withdrawn")));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("REJECTED"), "reason", containsString("subscribe/send"));
    }

    @Test
    void jsonLabelledTextPlainIsReadByItsBody() {
        String token = token("one");
        wechat.tokenAnswers(appid, WeChatStubs.textPlain("{\"access_token\":\"" + token + "\",\"expires_in\":7200}"));
        wechat.sendWith(token, WeChatStubs.textPlain(WeChatStubs.errcode(0, "ok")));

        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"), "errcode", equalTo(0));
    }

    @Test
    void textPlainErrorsAreStillErrors() {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, WeChatStubs.textPlain(WeChatStubs.errcode(40037, "invalid template_id")));

        invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("REJECTED"), "errcode", equalTo(40037));
    }

    @Test
    void aRefusedSecretIsRejectedWithoutAnySend() {
        wechat.tokenAnswers(appid, okJson(WeChatStubs.errcode(40125, "invalid appsecret")));

        invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(40125), "attempts", equalTo(0),
                        "reason", containsString("invalid app secret"));

        assertEquals(0, wechat.sends().size());
        assertEquals(1, wechat.tokenFetches(appid).size(), "a refused secret is not asked again");
    }

    @Test
    void aBusyTokenEndpointIsRetried() {
        String token = token("one");
        wechat.tokenAnswers(appid, okJson(WeChatStubs.errcode(-1, "system error")));
        invoke(Messages.forApp(appid)).statusCode(500).body("errorMessage", containsString("token fetch failed"));
        assertEquals(3, wechat.tokenFetches(appid).size());
        assertEquals(0, wechat.sends().size());
    }

    @Test
    void anAppThatIsNotConfiguredIsInvalid() {
        invoke(Messages.forApp("wx9999999999999999")).statusCode(200)
                .body("status", equalTo("INVALID"), "errors.field", hasItem("app"),
                        "reason", containsString("wx9999999999999999 is not configured"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aDryRunReturnsTheExactBodyAndCallsNothing() throws Exception {
        String request = Messages.forApp(appid).replaceFirst("\\{", "{\"dryRun\":true,");

        String result = invoke(request).statusCode(200)
                .body("status", equalTo("DRY_RUN"), "attempts", equalTo(0), "app", equalTo(appid),
                        "endpoint", equalTo("cgi-bin/message/wxopen/template/uniform_send"))
                .extract().asString();

        assertEquals(json.readTree(Messages.body()), json.readTree(result).get("body"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void thePhpSamplesPathIsPostedAsPagepath() throws Exception {
        String token = token("one");
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);

        invoke(Messages.forApp(appid).replace("\"pagepath\"", "\"path\"")).statusCode(200).body("status", equalTo("SENT"));

        JsonNode posted = json.readTree(wechat.sendsWith(token).get(0).getBodyAsString());
        assertEquals("pages/index/index", posted.at("/mp_template_msg/miniprogram/pagepath").asText());
        assertTrue(posted.at("/mp_template_msg/miniprogram/path").isMissingNode());
    }

    private static String storedToken(String appid) {
        return StandIns.dynamo().getItem(r -> r.tableName(StandIns.TABLE)
                .key(Map.of("appid", AttributeValue.fromS(appid))).consistentRead(true)).item().get("accessToken").s();
    }
}
