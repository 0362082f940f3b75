package wxsend.send.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.send.outcome.Errcodes;

/** The errcode taxonomy: what each answer of WeChat makes the send path do. */
@Tag("unit")
class ErrorKindTest {

    @ParameterizedTest(name = "HTTP {0}, errcode {1} → {2}")
    @CsvSource(nullValues = "null", value = {
            "200, 0, OK",
            "200, 40001, TOKEN", "200, 40014, TOKEN", "200, 42001, TOKEN",
            "200, -1, TRANSIENT", "200, 45011, TRANSIENT",
            "200, 45009, PERMANENT", "200, 45109, PERMANENT", "200, 43101, PERMANENT", "200, 40164, PERMANENT",
            // Issue 24 point 2: answers after the request was written that do not say WeChat left it
            // alone are AMBIGUOUS (7edf04b: TRANSIENT, retried for every API); refusals before it was
            // acted on stay TRANSIENT.
            "200, null, AMBIGUOUS",
            "502, null, AMBIGUOUS", "504, null, AMBIGUOUS", "500, null, AMBIGUOUS", "503, 0, AMBIGUOUS",
            "429, null, TRANSIENT", "408, null, TRANSIENT",
            "404, null, PERMANENT", "400, 0, PERMANENT" })
    void answers(int status, Integer errcode, ErrorKind kind) {
        assertEquals(kind, ErrorKind.of(status, errcode, false, false));
    }

    @Test
    void transportFailuresDependOnWhetherTheRequestWasWritten() {
        assertEquals(ErrorKind.AMBIGUOUS, Reply.transport("timed out", true).kind());
        assertEquals(ErrorKind.TRANSIENT, Reply.transport("connection refused", false).kind());
    }

    @Test
    void releasedCodesAreNoVerdictOnTheMessage() {
        assertTrue(Errcodes.released(45009));
        assertTrue(Errcodes.released(45109));
        assertTrue(Errcodes.released(45103));
        assertFalse(Errcodes.released(43101));
        assertFalse(Errcodes.released(null));
        assertTrue(Errcodes.RELEASED.containsAll(Errcodes.RETIRED));
    }

    @Test
    void reasonsNameTheFixAndQuoteWeChatWhereItNamesTheField() {
        assertTrue(Errcodes.reason(43101, "x").contains("subscribe again"));
        assertTrue(Errcodes.reason(40164, "invalid ip 203.0.113.9, not in whitelist").contains("Elastic IP"));
        assertEquals("template data does not meet the template's rules: argument invalid! data.thing1.value",
                Errcodes.reason(47003, "argument invalid! data.thing1.value"));
        assertEquals(null, Errcodes.reason(99999, "?"));
    }

    @Test
    void describeNeverQuotesMoreThanCodeAndMessage() {
        assertEquals("errcode 45011 (busy)", Reply.answered(200, 45011, "busy", null).describe());
        assertEquals("HTTP 502", Reply.answered(502, null, null, null).describe());
        assertEquals("unreadable response body", Reply.answered(200, null, null, null).describe());
        assertEquals("ok", Reply.answered(200, 0, "ok", null).describe());
    }
}
