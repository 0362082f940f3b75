package wxsend.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Push bodies in both formats, and what the XML reader refuses. */
@Tag("unit")
class PushParserTest {

    private final PushParser parser = new PushParser(new ObjectMapper());

    private ObjectNode read(String body) {
        return parser.read(body.getBytes(StandardCharsets.UTF_8), "body");
    }

    @Test
    void xmlBecomesFieldsWithCdataAndNestingAndRepeats() {
        ObjectNode message = read("""
                <xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1700000000</CreateTime>
                <MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_sent_event]]></Event>
                <SubscribeMsgSentEvent><List><TemplateId><![CDATA[t1]]></TemplateId><MsgID>1</MsgID></List>
                <List><TemplateId><![CDATA[t2]]></TemplateId><MsgID>2</MsgID></List></SubscribeMsgSentEvent></xml>""");
        assertEquals("gh_1", message.get("ToUserName").asText());
        assertEquals("1700000000", message.get("CreateTime").asText());
        assertEquals("subscribe_msg_sent_event", message.get("Event").asText());
        assertEquals(2, message.get("SubscribeMsgSentEvent").get("List").size());
        assertEquals("t2", message.get("SubscribeMsgSentEvent").get("List").get(1).get("TemplateId").asText());
    }

    @Test
    void jsonIsTakenAsItIs() {
        ObjectNode message = read(" {\"MsgType\":\"text\",\"MsgId\":42,\"Content\":\"<b>\"}");
        assertEquals(42, message.get("MsgId").asLong());
        assertEquals("<b>", message.get("Content").asText());
    }

    @Test
    void externalEntitiesAndDtdsAreRefused() {
        for (String body : new String[] {
                "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><Content>&x;</Content></xml>",
                "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><C>&b;</C></xml>",
                "<!DOCTYPE xml SYSTEM \"http://127.0.0.1:1/x.dtd\"><xml/>" }) {
            PushRefused refused = assertThrows(PushRefused.class, () -> read(body));
            assertEquals(400, refused.status());
            assertEquals("body", refused.field());
            assertTrue(refused.getMessage().contains("DTDs and entities are refused"), refused.getMessage());
            assertFalse(refused.getMessage().contains("passwd"), "the input is not quoted back");
        }
    }

    @Test
    void anythingElseIsATypedRefusalNamingTheField() {
        for (String body : new String[] { "", "   ", "<xml><open></xml>", "[1,2]", "{\"a\":1,\"a\":2}", "text", "{} {}" }) {
            PushRefused refused = assertThrows(PushRefused.class, () -> parser.read(body.getBytes(StandardCharsets.UTF_8),
                    "Encrypt"), body);
            assertEquals(400, refused.status(), body);
            assertEquals("Encrypt", refused.field(), body);
        }
    }

    /** Review of issue 25: nesting is bounded, so a deep document is a 400, not a stack overflow and a 500. */
    @Test
    void aDocumentNestedPastSixteenLevelsIsRefused() {
        String deep = "<a>".repeat(10_000) + "x" + "</a>".repeat(10_000);
        PushRefused refused = assertThrows(PushRefused.class, () -> read("<xml>" + deep + "</xml>"));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("nests deeper"), refused.getMessage());
        assertEquals("x", read("<xml><a><b><c>x</c></b></a></xml>").at("/a/b/c").asText());
    }
}
