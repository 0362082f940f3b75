package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * uniform_send withdrawn (45109, 45103): the same content goes once through the official
 * account's template/send with that account's own token, to the account's openid for the
 * recipient, and the retirement is remembered so the next send skips uniform_send. Without the
 * account's openid it is refused, not guessed.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class FallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String mini;
    private String account;
    private String miniToken;
    private String accountToken;

    @BeforeEach
    void freshApps() {
        StandIns.wechat().resetAll();
        mini = TestApps.next();
        account = TestApps.next();
        miniToken = "ACCESS-mini-" + mini;
        accountToken = "ACCESS-oa-" + account;
        wechat.tokenIs(mini, miniToken);
        wechat.tokenIs(account, accountToken);
        wechat.sendWith(miniToken, okJson(WeChatStubs.errcode(45109, "uniform_send is offline")));
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, accountToken, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":42}"));
    }

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void a45109FallsBackOnceToTemplateSendAndTheNextSendGoesStraightThere() throws Exception {
        Lambda.invoke(Messages.uniformFor(mini, account, "fb-1", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"), "app", equalTo(account),
                        "msgid", equalTo(42), "attempts", equalTo(2));

        assertEquals(1, wechat.sendsWith(miniToken).size());
        assertEquals(1, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, accountToken).size());
        JsonNode posted = JSON.readTree(wechat.postsTo(WeChatStubs.TEMPLATE_PATH, accountToken).get(0).getBodyAsString());
        JsonNode original = JSON.readTree(Messages.body()).get("mp_template_msg");
        assertEquals(Messages.OA_OPENID, posted.get("touser").asText());
        assertEquals(original.get("template_id"), posted.get("template_id"));
        assertEquals(original.get("url"), posted.get("url"));
        assertEquals(original.get("miniprogram"), posted.get("miniprogram"));
        assertEquals(original.get("data"), posted.get("data"));
        assertTrue(posted.get("client_msg_id").asText().matches("[0-9a-f]{32}"));

        Lambda.invoke(Messages.uniformFor(mini, account, "fb-2", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"), "attempts", equalTo(1));
        assertEquals(1, wechat.sendsWith(miniToken).size(), "the remembered retirement skips uniform_send");
        assertEquals(2, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, accountToken).size());
    }

    @Test
    void a45103FallsBackToo() {
        wechat.sendWith(miniToken, okJson(WeChatStubs.errcode(45103, "This API has been unsupported")));

        Lambda.invoke(Messages.uniformFor(mini, account, "fb-45103", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"));
        assertEquals(1, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, accountToken).size());
    }

    @Test
    void withoutTheAccountsOpenidItIsRefusedNotGuessedAndTheKeyStaysFree() {
        Lambda.invoke(Messages.uniformFor(mini, account, "fb-mismatch", null)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(45109), "via", equalTo("uniform_send"),
                        "reason", containsString("officialAccountOpenid"), "reason", containsString("openids differ per app"));
        assertEquals(0, wechat.postsTo(WeChatStubs.TEMPLATE_PATH).size());

        // The refusal was no verdict on the message, so the same key with the openid added sends.
        Lambda.invoke(Messages.uniformFor(mini, account, "fb-mismatch", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"));
        assertEquals(1, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, accountToken).size());
    }

    @Test
    void anAccountThatIsNotConfiguredCannotBeFallenBackTo() {
        Lambda.invoke(Messages.uniformFor(mini, Messages.MP_APPID, "fb-unconfigured", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(45109),
                        "reason", containsString("configure the official account " + Messages.MP_APPID));
        assertEquals(0, wechat.postsTo(WeChatStubs.TEMPLATE_PATH).size());
    }

    @Test
    void aBatchFallsBackPerRecipientWithEachOnesAccountOpenid() throws Exception {
        String batch = Messages.batch(mini, 2, "fb-batch").replace(Messages.MP_APPID, account)
                .replace("{\"touser\":\"" + Messages.openid(0) + "\"",
                        "{\"touser\":\"" + Messages.openid(0) + "\",\"officialAccountOpenid\":\"" + Messages.OA_OPENID + "\"");

        JsonNode result = JSON.readTree(Lambda.invoke(batch).statusCode(200).extract().asByteArray());

        assertEquals("SENT", result.at("/results/0/status").asText(), result::toString);
        assertEquals("template/send", result.at("/results/0/via").asText());
        assertEquals("REJECTED", result.at("/results/1/status").asText());
        assertTrue(result.at("/results/1/reason").asText().contains("officialAccountOpenid"));
        assertEquals(1, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, accountToken).size());
    }
}
