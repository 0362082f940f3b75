package wxsend.quota;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * openapi/quota/get for each message API of an app, through a direct invocation and GET /quota,
 * answered and printed as QuotaRemaining, QuotaUsed and QuotaDailyLimit by App and Api.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class QuotaTest {

    static final String QUOTA_PATH = "/cgi-bin/openapi/quota/get";
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String app;
    private String token;

    @TestHTTPResource("/")
    URL server;

    @BeforeEach
    void fresh() {
        StandIns.wechat().resetAll();
        app = TestApps.next();
        token = "ACCESS-quota-" + app;
        wechat.tokenIs(app, token);
        // A mini program: its own APIs have quotas; template/send and bizsend are an official account's (76022).
        quota("/cgi-bin/message/custom/send", okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"quota\":{\"daily_limit\":500000,"
                + "\"used\":1,\"remain\":499999}}"));
        quota("/cgi-bin/message/subscribe/bizsend", okJson(WeChatStubs.errcode(76022, "could not use this cgi_path,no permission")));
        quota("/cgi-bin/message/subscribe/send", okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"quota\":{\"daily_limit\":100000,"
                + "\"used\":91234,\"remain\":8766}}"));
        quota("/cgi-bin/message/wxopen/template/uniform_send", okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"quota\":{\"daily_limit\":"
                + "100000,\"used\":0,\"remain\":100000}}"));
        quota("/cgi-bin/message/template/send", WeChatStubs.textPlain(WeChatStubs.errcode(76022,
                "could not use this cgi_path,no permission")));
    }

    private void quota(String cgiPath, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        StandIns.wechat().stubFor(post(urlPathEqualTo(QUOTA_PATH)).withQueryParam("access_token", equalTo(token))
                .withRequestBody(matchingJsonPath("$.cgi_path", equalTo(cgiPath))).willReturn(answer));
    }

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void aDirectInvocationReportsEachApisQuotaAndPrintsItAsMetrics() {
        int before = logs.metrics().size();
        JsonPath answer = Lambda.invoke("{\"quota\":{\"app\":\"" + app + "\"}}").statusCode(200).extract().jsonPath();

        assertEquals("OK", answer.getString("status"));
        assertEquals(app, answer.getString("app"));
        assertEquals(8766, answer.getInt("apis.find { it.api == 'subscribe/send' }.remain"));
        assertEquals(91234, answer.getInt("apis.find { it.api == 'subscribe/send' }.used"));
        assertEquals(100000, answer.getInt("apis.find { it.api == 'subscribe/send' }.dailyLimit"));
        assertEquals(76022, answer.getInt("apis.find { it.api == 'template/send' }.errcode"));
        assertTrue(answer.getString("apis.find { it.api == 'template/send' }.reason").contains("not an API of this kind"));

        List<JsonNode> quotas = logs.metrics().subList(before, logs.metrics().size()).stream()
                .filter(m -> m.has("QuotaRemaining")).toList();
        assertEquals(3, quotas.size(), "one line per API that answered: " + quotas);
        JsonNode subscribe = quotas.stream().filter(m -> m.get("Api").asText().equals("subscribe/send")).findFirst().orElseThrow();
        assertEquals(8766, subscribe.get("QuotaRemaining").asLong());
        assertEquals(app, subscribe.get("App").asText());
        assertEquals("[[\"App\",\"Api\"]]", subscribe.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals(5, StandIns.wechat().findAll(postRequestedFor(urlPathEqualTo(QUOTA_PATH))).size(), "one per message API");
    }

    @Test
    void theHttpRouteAnswersTheSameAndNamesAnUnconfiguredApp() {
        given().baseUri("http://" + server.getHost()).port(server.getPort()).get("/quota/" + app).then().statusCode(200)
                .body("apis.find { it.api == 'uniform_send' }.remain", org.hamcrest.Matchers.equalTo(100000));
        given().baseUri("http://" + server.getHost()).port(server.getPort()).get("/quota/wx00000000000000ff").then()
                .statusCode(400).body("status", org.hamcrest.Matchers.equalTo("INVALID"), "reason", containsString("not configured"));
        given().baseUri("http://" + server.getHost()).port(server.getPort()).post("/quota/" + app).then().statusCode(405);
    }

    @Test
    void aRefusedTokenIsRejectedWithItsFixAndAnUnreachableWeChatFailsTheInvocationSoItsScheduleRetries() {
        String refused = TestApps.next();
        wechat.tokenAnswers(refused, okJson(WeChatStubs.errcode(40164, "invalid ip 203.0.113.9, not in whitelist")));
        Lambda.invoke("{\"quota\":{\"app\":\"" + refused + "\"}}").statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("REJECTED"), "reason", containsString("WECHAT_API_URLS"));

        String busy = TestApps.next();
        wechat.tokenAnswers(busy, okJson(WeChatStubs.errcode(-1, "system error")));
        Lambda.invoke("{\"quota\":{\"app\":\"" + busy + "\"}}").statusCode(500)
                .body("errorMessage", containsString("UNAVAILABLE quota"));
        Lambda.invoke("{\"quota\":{\"app\":42}}").statusCode(200).body("status", org.hamcrest.Matchers.equalTo("INVALID"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("quota.app"));
    }
}
