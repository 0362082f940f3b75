package wxsend.send.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.send.message.SubscribeMessage;
import wxsend.send.outcome.FieldError;

@Tag("unit")
class BatchReaderTest {

    private static final String A = "oAbCdEfGhIjKlMnOpQrStUvWxYz0";
    private static final String B = "oAbCdEfGhIjKlMnOpQrStUvWxYz1";
    private static final String SUBSCRIBE = "{'kind':'subscribe','template_id':'S','data':{'thing1':{'value':'x'}},'recipients':";

    private static BatchReader.Result read(String text) {
        return BatchReader.read(RequestReaderTest.json(text), 1000);
    }

    private static List<FieldError> errors(String text) {
        return assertInstanceOf(BatchReader.Invalid.class, read(text)).errors();
    }

    @Test
    void eachRecipientGetsTheSharedMessageWithItsOwnData() {
        BatchRequest batch = assertInstanceOf(BatchReader.Valid.class,
                read(SUBSCRIBE + "[{'touser':'" + A + "'},{'touser':'" + B + "','data':{'thing1':{'value':'y'},'number2':{'value':'7'}}}]}"))
                .batch();
        assertEquals(2, batch.recipients().size());
        SubscribeMessage second = (SubscribeMessage) batch.message(1);
        assertEquals(B, second.touser());
        assertEquals("y", second.data().get("thing1").value());
        assertEquals("7", second.data().get("number2").value());
        assertEquals("x", ((SubscribeMessage) batch.message(0)).data().get("thing1").value());
    }

    @Test
    void theSameRecipientWithItsDataInAnotherOrderIsARepeat() {
        List<FieldError> errors = errors(SUBSCRIBE + "[{'touser':'" + A + "','data':{'thing1':{'value':'y'},'number2':{'value':'7'}}},"
                + "{'data':{'number2':{'value':'7'},'thing1':{'value':'y'}},'touser':'" + A + "'}]}");
        assertEquals(List.of(new FieldError("recipients[1]", "repeats recipients[0]: a batch sends each message once")), errors);
    }

    @Test
    void recipientsAreBoundedAndTyped() {
        assertEquals(List.of(new FieldError("recipients", "required")), errors("{'kind':'subscribe','template_id':'S',"
                + "'data':{'thing1':{'value':'x'}}}"));
        assertEquals(List.of(new FieldError("recipients", "must hold 1 to 1000 recipients, not 0")), errors(SUBSCRIBE + "[]}"));
        assertEquals(List.of(new FieldError("recipients", "must be an array, not an object")), errors(SUBSCRIBE + "{}}"));
        assertEquals(List.of(new FieldError("recipients[0].touser", "required")), errors(SUBSCRIBE + "[{}]}"));
    }

    @Test
    void topLevelRecipientFieldsBelongInEachRecipient() {
        List<FieldError> errors = errors("{'touser':'" + A + "','officialAccountOpenid':'" + A + "','mp_template_msg':{'appid':"
                + "'wxaaaaaaaaaaaaaaa1','template_id':'T','data':{'first':{'value':'x'}}},'recipients':[{'touser':'" + A + "'}]}");
        assertEquals("touser", errors.get(0).field());
        assertEquals("officialAccountOpenid", errors.get(1).field());
    }

    @Test
    void onlyUniformRecipientsMayNameAnOfficialAccountOpenid() {
        List<FieldError> errors = errors(SUBSCRIBE + "[{'touser':'" + A + "','officialAccountOpenid':'" + B + "'}]}");
        assertEquals(List.of(new FieldError("recipients[0].officialAccountOpenid", "unknown field")), errors);
    }

    @Test
    void recipientDataFollowsTheSharedMessagesRules() {
        List<FieldError> errors = errors(SUBSCRIBE + "[{'touser':'" + A + "','data':{'thing1':{'value':'" + "x".repeat(21) + "'}}}]}");
        assertTrue(errors.get(0).message().startsWith("longer than 20 characters"), errors.toString());
    }
}
