package wxsend.entry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.WeChatStubs;

/** Every validation rule: INVALID, naming the field, and not one call to WeChat. */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class InvalidRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("touser", m -> m.remove("touser")),
                bad("touser", m -> m.put("touser", 12345)),
                bad("touser", m -> m.put("touser", "   ")),
                bad("touser", m -> m.put("touser", "o abc")),
                bad("touser", m -> m.put("touser", "o".repeat(65))),
                bad("mp_template_msg", m -> m.remove("mp_template_msg")),
                bad("mp_template_msg", m -> m.put("mp_template_msg", "text")),
                bad("mp_template_msg.appid", m -> mp(m).remove("appid")),
                bad("mp_template_msg.appid", m -> mp(m).put("appid", "wx123")),
                bad("mp_template_msg.template_id", m -> mp(m).remove("template_id")),
                bad("mp_template_msg.template_id", m -> mp(m).put("template_id", "has spaces in it")),
                bad("mp_template_msg.url", m -> mp(m).put("url", "ftp://example.com/file")),
                bad("mp_template_msg.url", m -> mp(m).put("url", "javascript:alert(1)")),
                bad("mp_template_msg.url", m -> mp(m).put("url", "/download")),
                bad("mp_template_msg.url", m -> mp(m).put("url", "https://example.com/" + "a".repeat(1100))),
                bad("mp_template_msg.miniprogram", m -> mp(m).putArray("miniprogram")),
                bad("mp_template_msg.miniprogram.appid", m -> ((ObjectNode) mp(m).get("miniprogram")).remove("appid")),
                bad("mp_template_msg.miniprogram.path", m -> ((ObjectNode) mp(m).get("miniprogram")).put("path", "pages/other")),
                bad("mp_template_msg.data", m -> mp(m).remove("data")),
                bad("mp_template_msg.data", m -> mp(m).putObject("data")),
                bad("mp_template_msg.data", m -> {
                    ObjectNode data = mp(m).putObject("data");
                    for (int i = 0; i <= 50; i++) {
                        data.putObject("keyword" + i).put("value", "v");
                    }
                }),
                bad("mp_template_msg.data.first", m -> data(m).put("first", "just text")),
                bad("mp_template_msg.data.first.value", m -> ((ObjectNode) data(m).get("first")).remove("value")),
                bad("mp_template_msg.data.first.value", m -> ((ObjectNode) data(m).get("first")).put("value", 42)),
                bad("mp_template_msg.data.first.value", m -> ((ObjectNode) data(m).get("first")).put("value", "x".repeat(1025))),
                bad("mp_template_msg.data.first.color", m -> ((ObjectNode) data(m).get("first")).put("color", "#12345")),
                bad("mp_template_msg.data.first.color", m -> ((ObjectNode) data(m).get("first")).put("color", "red")),
                bad("mp_template_msg.data.first.size", m -> ((ObjectNode) data(m).get("first")).put("size", 3)),
                bad("mp_template_msg.data.key-1", m -> data(m).putObject("key-1").put("value", "v")),
                bad("touesr", m -> m.put("touesr", Messages.OPENID)),
                bad("mp_template_msg.template", m -> mp(m).put("template", "x")),
                bad("dryRun", m -> m.put("dryRun", "yes")),
                bad("app", m -> m.put("app", "not-an-appid")),
                bad("app", m -> m.put("app", 7)),
                bad("weapp_template_msg", m -> m.putArray("weapp_template_msg")),
                bad("weapp_template_msg.form_id", m -> weapp(m).remove("form_id")),
                bad("weapp_template_msg.template_id", m -> weapp(m).remove("template_id")),
                bad("weapp_template_msg.emphasis_keyword", m -> weapp(m).put("emphasis_keyword", "keyword1")),
                bad("weapp_template_msg.data", m -> weapp(m).remove("data")));
    }

    @ParameterizedTest(name = "{0}: {index}")
    @MethodSource("badRequests")
    void eachRuleNamesItsFieldAndSendsNothing(String field, String request) {
        Lambda.event().body(request).when().post().then().statusCode(200)
                .body("status", equalTo("INVALID"), "attempts", equalTo(0), "errors.field", hasItem(field),
                        "reason", containsString(field + ":"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void everyBadFieldIsNamedAtOnce() throws Exception {
        ObjectNode request = message();
        request.remove("touser");
        ((ObjectNode) data(request).get("first")).put("color", "#12345");
        mp(request).put("url", "ftp://x");

        Lambda.event().body(JSON.writeValueAsString(request)).when().post().then()
                .statusCode(200).body("status", equalTo("INVALID"), "errors.field",
                        hasItems("touser", "mp_template_msg.data.first.color", "mp_template_msg.url"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void requestsThatAreNotObjectsAreInvalid() {
        for (String body : new String[] { "[]", "\"text\"", "42", "null" }) {
            Lambda.event().body(body).when().post().then().statusCode(200)
                    .body("status", equalTo("INVALID"), "errors.field", hasItem("(request)"));
        }
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anEmptyPayloadIsInvalid() {
        Lambda.event().body("").when().post().then().statusCode(200)
                .body("status", equalTo("INVALID"), "errors.field", hasItem("(request)"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aPayloadThatIsNotJsonFailsTheInvocationWithATypedErrorAndSendsNothing() {
        // The Lambda binding parses the payload before wxsend sees it.
        Lambda.event().body("{\"touser\":").when().post().then().statusCode(500)
                .body("errorType", equalTo("java.lang.IllegalArgumentException"),
                        "errorMessage", containsString("Could not deserialize"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void theLegacyMiniProgramTemplateIsAccepted() throws Exception {
        ObjectNode request = message();
        request.remove("mp_template_msg");
        weapp(request);
        request.put("dryRun", true);

        Lambda.event().body(JSON.writeValueAsString(request)).when().post().then()
                .statusCode(200).body("status", equalTo("DRY_RUN"), "body.weapp_template_msg.form_id", equalTo("FORMID_1"));
    }

    private static Arguments bad(String field, Consumer<ObjectNode> change) {
        ObjectNode request = message();
        change.accept(request);
        try {
            return Arguments.of(field, JSON.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode message() {
        try {
            return (ObjectNode) JSON.readTree(Messages.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode mp(ObjectNode request) {
        return (ObjectNode) request.get("mp_template_msg");
    }

    private static ObjectNode data(ObjectNode request) {
        return (ObjectNode) mp(request).get("data");
    }

    private static ObjectNode weapp(ObjectNode request) {
        ObjectNode weapp = request.putObject("weapp_template_msg");
        weapp.put("template_id", "WEAPP_TPL_1").put("page", "pages/index/index").put("form_id", "FORMID_1")
                .put("emphasis_keyword", "keyword1.DATA");
        weapp.putObject("data").putObject("keyword1").put("value", "339208499");
        return weapp;
    }
}
