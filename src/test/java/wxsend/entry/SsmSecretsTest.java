package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.WeChatStubs;
import wxsend.token.AccessToken;
import wxsend.token.dynamodb.DynamoDbTokenStore;

/**
 * Secrets from SSM SecureString parameters, as deployed: the real AWS SDK client talks SSM's
 * JSON 1.1 protocol (X-Amz-Target: AmazonSSM.GetParameter) to a WireMock stand-in.
 */
@QuarkusTest
@TestProfile(SsmSecretsTest.SecretsInSsm.class)
class SsmSecretsTest {

    static final String FETCHING_APP = "wx5500000000000001";
    static final String STORED_APP = "wx5500000000000002";
    static final String MISSING_APP = "wx5500000000000003";
    static final String DOWN_APP = "wx5500000000000004";
    static final String SECRET = "ssm-held-secret-never-logged";

    public static class SecretsInSsm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.appids", String.join(",", FETCHING_APP, STORED_APP, MISSING_APP, DOWN_APP),
                    "wxsend.secret-parameter-prefix", "/wxsend/apps");
        }
    }

    private final WireMockServer ssm = StandIns.ssm();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
        ssm.resetAll();
    }

    @AfterEach
    void theSecretIsNeverLogged() {
        assertFalse(logs.text().contains(SECRET));
    }

    private static String parameter(String appid) {
        return "/wxsend/apps/" + appid + "/secret";
    }

    private void parameterAnswers(String appid, ResponseDefinitionBuilder answer) {
        ssm.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", WireMock.equalTo("AmazonSSM.GetParameter"))
                .withRequestBody(matchingJsonPath("$.Name", WireMock.equalTo(parameter(appid))))
                .willReturn(answer.withHeader("Content-Type", "application/x-amz-json-1.1")));
    }

    private List<LoggedRequest> parameterReads(String appid) {
        return ssm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", WireMock.equalTo("AmazonSSM.GetParameter"))
                .withRequestBody(matchingJsonPath("$.Name", WireMock.equalTo(parameter(appid)))));
    }

    @Test
    void theSecretIsReadDecryptedOnceAndOnlyToFetchAToken() {
        parameterAnswers(FETCHING_APP, okJson("""
                {"Parameter":{"Name":"%s","Type":"SecureString","Value":"%s","Version":3,"DataType":"text",
                 "ARN":"arn:aws:ssm:us-east-1:111122223333:parameter%s"}}""".formatted(parameter(FETCHING_APP), SECRET,
                parameter(FETCHING_APP))));
        wechat.tokensInTurnFor(FETCHING_APP, SECRET, "ACCESS-ssm-1", "ACCESS-ssm-2");
        wechat.sendInTurn("ACCESS-ssm-1", okJson(WeChatStubs.errcode(0, "ok")),
                okJson(WeChatStubs.errcode(40001, "invalid credential")));
        wechat.sendOk("ACCESS-ssm-2");

        Lambda.invoke(Messages.forApp(FETCHING_APP)).statusCode(200).body("status", equalTo("SENT"));

        List<LoggedRequest> reads = parameterReads(FETCHING_APP);
        assertEquals(1, reads.size());
        LoggedRequest read = reads.get(0);
        assertEquals("application/x-amz-json-1.1", read.getHeader("Content-Type"));
        assertEquals(true, read.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256"), "signed by the real SDK");
        ssm.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(matchingJsonPath("$.WithDecryption", WireMock.equalTo("true"))));

        // A refused token needs a new fetch: the cached secret serves it, SSM is not asked again.
        Lambda.invoke(Messages.forApp(FETCHING_APP, "second")).statusCode(200);
        assertEquals(2, wechat.tokenFetches(FETCHING_APP).size());
        assertEquals(1, parameterReads(FETCHING_APP).size());
    }

    @Test
    void aColdStartWithAStoredTokenReadsNoSecret() {
        new DynamoDbTokenStore(StandIns.dynamo(), StandIns.TABLE)
                .saveIfNewer(STORED_APP, new AccessToken("ACCESS-ssm-stored", Instant.now().plus(Duration.ofHours(1))));
        wechat.sendOk("ACCESS-ssm-stored");

        Lambda.invoke(Messages.forApp(STORED_APP)).statusCode(200).body("status", equalTo("SENT"));

        assertEquals(0, ssm.getAllServeEvents().size());
        assertEquals(0, wechat.tokenFetches(STORED_APP).size());
    }

    @Test
    void aMissingParameterIsRejectedNamingIt() {
        parameterAnswers(MISSING_APP, aResponse().withStatus(400)
                .withBody("{\"__type\":\"ParameterNotFound\",\"message\":\"Parameter not found\"}"));

        Lambda.invoke(Messages.forApp(MISSING_APP)).statusCode(200)
                .body("status", equalTo("REJECTED"), "reason", containsString(parameter(MISSING_APP)), "attempts", equalTo(0));

        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anUnreachableSsmIsTransient() {
        parameterAnswers(DOWN_APP, aResponse().withStatus(500).withBody("{\"__type\":\"InternalServerError\"}"));

        Lambda.invoke(Messages.forApp(DOWN_APP)).statusCode(500)
                .body("errorMessage", containsString("FAILED"), "errorMessage", containsString(parameter(DOWN_APP)));

        assertEquals(0, wechat.allRequests());
        ssm.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", containing("GetParameter")));
    }

    @Test
    void anSsmFailureKeepsItsCauseInTheLog() {
        parameterAnswers(DOWN_APP, aResponse().withStatus(500).withBody("{\"__type\":\"InternalServerError\"}"));

        Lambda.invoke(Messages.forApp(DOWN_APP)).statusCode(500);

        String log = logs.text();
        assertTrue(log.contains("reading the secret parameter " + parameter(DOWN_APP) + " failed"), log);
        assertTrue(log.contains("InternalServerError") || log.contains("SsmException"), "the cause is logged: " + log);
    }
}
