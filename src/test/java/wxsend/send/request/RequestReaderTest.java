package wxsend.send.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import wxsend.send.message.Api;
import wxsend.send.message.DataItem;
import wxsend.send.message.SubscribeMessage;
import wxsend.send.message.TemplateMessage;
import wxsend.send.message.UniformMessage;
import wxsend.send.outcome.FieldError;

/** The single-request readers, by kind, without a Quarkus boot. */
@Tag("unit")
class RequestReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OPENID = "oAbCdEfGhIjKlMnOpQrStUvWxYz0";

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SendRequest valid(String text) {
        RequestReader.Result result = RequestReader.read(json(text));
        return assertInstanceOf(RequestReader.Valid.class, result, () -> result.toString()).request();
    }

    static List<FieldError> errors(String text) {
        RequestReader.Result result = RequestReader.read(json(text));
        return assertInstanceOf(RequestReader.Invalid.class, result).errors();
    }

    static void refused(String text, String field, String message) {
        List<FieldError> errors = errors(text);
        assertTrue(errors.contains(new FieldError(field, message)), () -> "expected " + field + ": " + message + " in " + errors);
    }

    @Test
    void aUniformRequestReadsIntoItsMessage() {
        SendRequest request = valid("{'touser':'" + OPENID + "','app':'wx0000000000000001','idempotencyKey':'k-1',"
                + "'mp_template_msg':{'appid':'wxaaaaaaaaaaaaaaa1','template_id':'TPL_1','url':'https://example.com/x',"
                + "'miniprogram':{'appid':'wxbbbbbbbbbbbbbbb2','path':'pages/index'},'data':{'first':{'value':'hi','color':'#173177'}}}}");
        UniformMessage message = assertInstanceOf(UniformMessage.class, request.message());
        assertEquals(OPENID, message.touser());
        assertEquals("pages/index", message.mpTemplateMsg().miniprogram().pagepath());
        assertEquals(new DataItem("hi", "#173177"), message.mpTemplateMsg().data().get("first"));
        assertEquals("k-1", request.idempotencyKey().orElseThrow());
        assertEquals("wx0000000000000001", request.app().orElseThrow());
        assertEquals(Api.UNIFORM, message.api());
    }

    @Test
    void aTemplateRequestReadsIntoItsMessage() {
        SendRequest request = valid("{'kind':'template','touser':'" + OPENID + "','template_id':'T','url':'http://a.b/',"
                + "'data':{'keyword1':{'value':'SF1234567890'}}}");
        TemplateMessage message = assertInstanceOf(TemplateMessage.class, request.message());
        assertEquals("http://a.b/", message.url());
        assertEquals(Api.TEMPLATE, message.api());
    }

    @Test
    void aSubscribeRequestReadsIntoItsMessage() {
        SendRequest request = valid("{'kind':'subscribe','touser':'" + OPENID + "','template_id':'S','page':'p',"
                + "'miniprogram_state':'formal','lang':'en_US','data':{'thing1':{'value':'Order shipped'}}}");
        SubscribeMessage message = assertInstanceOf(SubscribeMessage.class, request.message());
        assertEquals("formal", message.miniprogramState());
        assertEquals("en_US", message.lang());
    }

    @Test
    void everyWrongFieldIsNamedAtOnce() {
        List<FieldError> errors = errors("{'touser':5,'app':'nope','dryRun':'yes','mp_template_msg':{'appid':'wx1',"
                + "'data':{'k':{'value':3}}}}");
        assertEquals(List.of("touser", "app", "dryRun", "mp_template_msg.appid", "mp_template_msg.template_id",
                "mp_template_msg.data.k.value"), errors.stream().map(FieldError::field).toList());
    }

    @Test
    void theShapeOfTheRequestItselfIsChecked() {
        assertEquals(List.of(new FieldError("(request)", "is empty; expected a JSON object")), errors("null"));
        assertEquals(List.of(new FieldError("(request)", "must be a JSON object, not an array")), errors("[]"));
        refused("{'touser':'" + OPENID + "','recipients':[],'mp_template_msg':{}}", "recipients",
                "belongs to a batch: send it to POST /messages/batch");
    }

    @Test
    void anUnknownKindStopsReadingThere() {
        assertEquals(List.of(new FieldError("kind", "must be uniform, template, subscribe, bizsend or custom")),
                errors("{'kind':'letter','touser':5}"));
    }

    @Test
    void aWrongMsgtypeIsNotQuotedBack() {
        // An openid in msgtype (and as the field it would name): once named the field and quoted in its message.
        String other = "oRcpt-0000000000000000000042";
        List<FieldError> errors = errors("{'kind':'custom','touser':'" + OPENID + "','msgtype':'" + other + "','"
                + other + "':{},'text':{'content':'hi'}}");
        assertEquals(List.of(new FieldError("oRcp***42 (28 characters)", "unknown field"),
                new FieldError("msgtype", "must be text, image, link, news or miniprogrampage"),
                new FieldError("text", "is not read: msgtype is missing or wrong")), errors);
    }

    @Test
    void eachKindAcceptsOnlyItsOwnFields() {
        refused("{'kind':'subscribe','touser':'" + OPENID + "','template_id':'S','url':'http://a.b',"
                + "'data':{'thing1':{'value':'x'}}}", "url", "unknown field");
        refused("{'kind':'template','touser':'" + OPENID + "','template_id':'T','officialAccountOpenid':'" + OPENID + "',"
                + "'data':{'keyword1':{'value':'x'}}}", "officialAccountOpenid", "unknown field");
    }

    @Test
    void dataValuesAreBoundedByTheKindsRules() {
        String twentyOne = "x".repeat(21);
        refused("{'kind':'template','touser':'" + OPENID + "','template_id':'T','data':{'keyword1':{'value':'" + twentyOne
                + "'}}}", "data.keyword1.value", "longer than 20 characters (WeChat's limit for a template keyword)");
        valid("{'kind':'template','touser':'" + OPENID + "','template_id':'T','data':{'remark':{'value':'" + twentyOne + "'}}}");
        refused("{'kind':'subscribe','touser':'" + OPENID + "','template_id':'S','data':{'phrase3':{'value':'abcdef'}}}",
                "data.phrase3.value", "longer than 5 characters (WeChat's limit for a phrase value)");
        refused("{'kind':'subscribe','touser':'" + OPENID + "','template_id':'S','data':{'name1':{'value':'"
                + "张".repeat(11) + "'}}}", "data.name1.value", "longer than 10 characters (WeChat's limit for a name value)");
        refused("{'kind':'subscribe','touser':'" + OPENID + "','template_id':'S','data':{'thing1':{'value':'x','color':'#000000'}}}",
                "data.thing1.color", "unknown field");
    }

    @Test
    void thePhpPathAliasMustAgreeWithPagepath() {
        refused("{'touser':'" + OPENID + "','mp_template_msg':{'appid':'wxaaaaaaaaaaaaaaa1','template_id':'T',"
                + "'miniprogram':{'appid':'wxbbbbbbbbbbbbbbb2','pagepath':'a','path':'b'},'data':{'first':{'value':'x'}}}}",
                "mp_template_msg.miniprogram.path", "differs from pagepath; send pagepath only");
    }

    @Test
    void urlsMustBeAbsoluteHttp() {
        refused("{'kind':'template','touser':'" + OPENID + "','template_id':'T','url':'ftp://a.b/',"
                + "'data':{'keyword1':{'value':'x'}}}", "url", "must be an absolute http(s) URL");
        refused("{'kind':'template','touser':'" + OPENID + "','template_id':'T','url':'/relative',"
                + "'data':{'keyword1':{'value':'x'}}}", "url", "must be an absolute http(s) URL");
    }

    @Test
    void theRetiredMiniProgramTemplateIsStillRead() {
        SendRequest request = valid("{'touser':'" + OPENID + "','weapp_template_msg':{'template_id':'T','form_id':'F',"
                + "'data':{'keyword1':{'value':'x'}},'emphasis_keyword':'keyword1.DATA'}}");
        assertEquals("keyword1.DATA", ((UniformMessage) request.message()).weappTemplateMsg().emphasisKeyword());
        refused("{'touser':'" + OPENID + "','weapp_template_msg':{'template_id':'T','form_id':'" + "f".repeat(129) + "',"
                + "'data':{'keyword1':{'value':'x'}}}}", "weapp_template_msg.form_id", "longer than 128 characters");
    }

    @Test
    void aUniformRequestNeedsOneOfItsMessages() {
        refused("{'touser':'" + OPENID + "'}", "mp_template_msg", "required (or the retired weapp_template_msg)");
    }
}
