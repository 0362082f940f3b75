package wxsend.send.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import wxsend.send.outcome.FieldError;
import wxsend.send.outcome.Masking;

@Tag("unit")
class FieldReaderTest {

    private final FieldReader in = new FieldReader();

    private static ObjectNode node(String name, String value) {
        return JsonNodeFactory.instance.objectNode().put(name, value);
    }

    @Test
    void textMatchingItsRuleIsRead() {
        assertEquals("wx0000000000000001", in.text(node("app", "wx0000000000000001"), "app", Rules.APPID));
        assertFalse(in.hasErrors());
    }

    @Test
    void eachBrokenRuleIsOneErrorAtThePathGiven() {
        ObjectNode parent = node("a", "nope");
        parent.put("n", 5);
        parent.put("blank", "  ");
        in.text(parent, "a", "x.a", Rules.APPID);
        in.text(parent, "n", "x.n", Rules.APPID);
        in.text(parent, "blank", "x.blank", Rules.TEMPLATE_ID);
        in.text(parent, "missing", "x.missing", Rules.TEMPLATE_ID);
        in.text(parent, "optional", "x.optional", Rules.APPID);
        assertEquals(List.of(new FieldError("x.a", "must be an appid: 'wx' and 16 letters or digits"),
                new FieldError("x.n", "must be a string, not a number"), new FieldError("x.blank", "must not be blank"),
                new FieldError("x.missing", "required")), in.errors());
    }

    @Test
    void lengthIsCappedByTheRule() {
        in.text(node("page", "p".repeat(1025)), "page", Rules.PAGE);
        assertEquals(List.of(new FieldError("page", "longer than 1024 characters")), in.errors());
    }

    @Test
    void halfASurrogatePairIsNotText() {
        assertNull(in.text(node("v", "a\ud800b"), "v", Rules.VALUE));
        assertEquals("v", in.errors().get(0).field());
        assertTrue(FieldReader.wellFormed("😀"));
        assertFalse(FieldReader.wellFormed("\udc00"));
    }

    @Test
    void booleansAreStrict() {
        ObjectNode parent = node("dryRun", "true");
        assertFalse(in.bool(parent, "dryRun"));
        assertEquals(List.of(new FieldError("dryRun", "must be true or false, not a string")), in.errors());
        assertFalse(in.bool(parent, "absent"));
    }

    @Test
    void objectsAndUnknownFields() {
        JsonNode array = JsonNodeFactory.instance.arrayNode();
        assertFalse(in.object(array, "m"));
        assertFalse(in.object(null, "n"));
        ObjectNode parent = node("known", "x");
        parent.put("typo\u0001" + "y".repeat(70), "x");
        parent.put("tousr", "x");
        in.unknown(parent, "p.", Set.of("known"));
        assertEquals(List.of(new FieldError("m", "must be an object, not an array"), new FieldError("n", "required"),
                new FieldError("p.typo***yy (75 characters)", "unknown field"), new FieldError("p.tousr", "unknown field")),
                in.errors());
    }

    @Test
    void anOpenidUsedAsAFieldNameIsShownMaskedLikeARecipient() {
        String openid = "oRcpt00000000000000000000042";
        in.unknown(node(openid, "x"), "recipients[0].", Set.of("touser"));
        assertEquals(List.of(new FieldError("recipients[0].oRcp***42 (28 characters)", "unknown field")), in.errors());
        // The longest template key WeChat documents, and a typo of a known field, stay whole.
        in.unknown(node("character_string12", "x"), "data.", Set.of());
        assertEquals("data.character_string12", in.errors().get(1).field());
        assertEquals("10".repeat(12), Masking.name("10".repeat(12)));
    }

    @Test
    void namesAreWholeUpTo24CharactersAndEveryWholeOpenidOrUnionidIsMasked() {
        String openid = "oABCD1234567890abcdefghijklm";
        assertEquals(openid.substring(0, 24), Masking.name(openid.substring(0, 24)), "no whole openid fits in 24");
        assertEquals("oABC***ij (25 characters)", Masking.name(openid.substring(0, 25)));
        assertEquals("oABC***lm (28 characters)", Masking.name(openid));
        assertEquals("o6_b***2M (29 characters)", Masking.name("o6_bmasdasdsad6_2sgVt7hMZOP2M"), "a unionid");
        assertEquals("officialAccountOpenid_x", Masking.name("officialAccountOpenid_x"), "a typo of the longest known name");
    }

    @Test
    void anOpenidUsedAsADataKeyIsNamedMaskedWhetherTheKeyIsValidOrNot() {
        // With '-', not a data key at all; without, a valid key whose value breaks the 20-character keyword rule.
        String invalidKey = "oRcpt-0000000000000000000042";
        String validKey = "oRcpt00000000000000000000043";
        ObjectNode parent = JsonNodeFactory.instance.objectNode();
        parent.putObject("data").put(invalidKey, "x").putObject(validKey).put("value", "v".repeat(21)).put("blue", "#0000ff");
        PartsReader.data(in, parent, "recipients[0].data", DataRule.OFFICIAL_ACCOUNT);
        assertEquals(List.of(
                new FieldError("recipients[0].data.oRcp***42 (28 characters)", "is not a valid data key (letters, digits, '_', at most 32)"),
                new FieldError("recipients[0].data.oRcp***43 (28 characters).blue", "unknown field"),
                new FieldError("recipients[0].data.oRcp***43 (28 characters).value",
                        "longer than 20 characters (WeChat's limit for a template keyword)")), in.errors());
        assertFalse(in.errors().toString().contains(invalidKey) || in.errors().toString().contains(validKey));
    }
}
