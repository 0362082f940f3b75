package wxsend.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * WeChat's answers, as WireMock stubs keyed by appid (token) and access_token (send). Tokens
 * come from stable_token (POST, JSON body) unless a test asks for the legacy GET endpoint.
 */
public final class WeChatStubs {

    public static final String TOKEN_PATH = "/cgi-bin/stable_token";
    public static final String LEGACY_TOKEN_PATH = "/cgi-bin/token";
    public static final String SEND_PATH = "/cgi-bin/message/wxopen/template/uniform_send";
    public static final String TEMPLATE_PATH = "/cgi-bin/message/template/send";
    public static final String SUBSCRIBE_PATH = "/cgi-bin/message/subscribe/send";
    public static final String BIZSEND_PATH = "/cgi-bin/message/subscribe/bizsend";
    public static final String CUSTOM_PATH = "/cgi-bin/message/custom/send";

    private final WireMockServer wechat;

    public WeChatStubs(WireMockServer wechat) {
        this.wechat = wechat;
    }

    public static String errcode(int code, String msg) {
        return "{\"errcode\":" + code + ",\"errmsg\":\"" + msg + "\"}";
    }

    public void tokenIs(String appid, String token) {
        tokenAnswers(appid, okJson("{\"access_token\":\"" + token + "\",\"expires_in\":7200}"));
    }

    public void tokenAnswers(String appid, ResponseDefinitionBuilder answer) {
        tokenAnswers(appid, TestApps.secret(appid), answer);
    }

    /** Answers only a fetch that presents this secret. */
    public void tokenAnswers(String appid, String secret, ResponseDefinitionBuilder answer) {
        wechat.stubFor(stableToken(appid, secret).willReturn(answer));
    }

    private static MappingBuilder stableToken(String appid, String secret) {
        return post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(matchingJsonPath("$.appid", equalTo(appid)))
                .withRequestBody(matchingJsonPath("$.secret", equalTo(secret)))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo("client_credential")));
    }

    /** The legacy endpoint: GET with the secret in the query. */
    public void legacyTokensInTurn(String appid, String... tokens) {
        String state = Scenario.STARTED;
        for (int i = 0; i < tokens.length; i++) {
            String next = i + 1 < tokens.length ? "legacy-" + (i + 1) : state;
            wechat.stubFor(get(urlPathEqualTo(LEGACY_TOKEN_PATH)).withQueryParam("appid", equalTo(appid))
                    .withQueryParam("secret", equalTo(TestApps.secret(appid)))
                    .withQueryParam("grant_type", equalTo("client_credential"))
                    .inScenario("legacy-" + appid).whenScenarioStateIs(state)
                    .willReturn(okJson("{\"access_token\":\"" + tokens[i] + "\",\"expires_in\":7200}"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    public List<LoggedRequest> legacyTokenFetches(String appid) {
        return wechat.findAll(getRequestedFor(urlPathEqualTo(LEGACY_TOKEN_PATH)).withQueryParam("appid", equalTo(appid)));
    }

    /** Successive tokens for one app: the first fetch gets the first, and so on. */
    public void tokensInTurn(String appid, String... tokens) {
        tokensInTurnFor(appid, TestApps.secret(appid), tokens);
    }

    public void tokensInTurnFor(String appid, String secret, String... tokens) {
        String state = Scenario.STARTED;
        for (int i = 0; i < tokens.length; i++) {
            String next = i + 1 < tokens.length ? "fetch-" + (i + 1) : state;
            wechat.stubFor(stableToken(appid, secret).inScenario("tokens-" + appid).whenScenarioStateIs(state)
                    .willReturn(okJson("{\"access_token\":\"" + tokens[i] + "\",\"expires_in\":7200}"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    public void sendWith(String token, ResponseDefinitionBuilder answer) {
        wechat.stubFor(post(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token)).willReturn(answer));
    }

    public void sendOk(String token) {
        sendWith(token, okJson(errcode(0, "ok")));
    }

    /** Answers for one token in turn; the last one repeats. */
    public void sendInTurn(String token, ResponseDefinitionBuilder... answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = i + 1 < answers.length ? "send-" + (i + 1) : state;
            wechat.stubFor(post(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token))
                    .inScenario("send-" + token).whenScenarioStateIs(state).willReturn(answers[i]).willSetStateTo(next));
            state = next;
        }
    }

    public static ResponseDefinitionBuilder textPlain(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody(json);
    }

    public List<LoggedRequest> tokenFetches(String appid) {
        return wechat.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(matchingJsonPath("$.appid", equalTo(appid))));
    }

    /** Fetches that asked for force_refresh. */
    public List<LoggedRequest> forcedFetches(String appid) {
        return wechat.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(matchingJsonPath("$.appid", equalTo(appid)))
                .withRequestBody(matchingJsonPath("$.force_refresh", equalTo("true"))));
    }

    /** Answers at path for one token in turn; the last one repeats. */
    public void answerInTurn(String path, String token, ResponseDefinitionBuilder... answers) {
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = i + 1 < answers.length ? path + "-" + (i + 1) : state;
            wechat.stubFor(post(urlPathEqualTo(path)).withQueryParam("access_token", equalTo(token))
                    .inScenario(path + token).whenScenarioStateIs(state).willReturn(answers[i]).willSetStateTo(next));
            state = next;
        }
    }

    public List<LoggedRequest> postsTo(String path, String token) {
        return wechat.findAll(postRequestedFor(urlPathEqualTo(path)).withQueryParam("access_token", equalTo(token)));
    }

    public List<LoggedRequest> postsTo(String path) {
        return wechat.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    public List<LoggedRequest> sends() {
        return wechat.findAll(postRequestedFor(urlPathEqualTo(SEND_PATH)));
    }

    public List<LoggedRequest> sendsWith(String token) {
        return wechat.findAll(postRequestedFor(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token)));
    }

    public int allRequests() {
        return wechat.getAllServeEvents().size();
    }
}
