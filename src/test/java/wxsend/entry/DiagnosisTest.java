package wxsend.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An unexpected failure reaches the log with its types and frames, and without its messages. */
@Tag("unit")
class DiagnosisTest {

    @Test
    void typesAndFramesStayMessagesGo() {
        IllegalStateException cause = new IllegalStateException("openid oAbCdEfGhIjKlMnOpQrStUvWxYz0");
        RuntimeException failure = new RuntimeException("http://x/?access_token=SECRET", cause);

        Diagnosis diagnosis = Diagnosis.of(failure);
        StringWriter printed = new StringWriter();
        diagnosis.printStackTrace(new PrintWriter(printed));

        assertEquals("java.lang.RuntimeException", diagnosis.getMessage());
        assertArrayEquals(failure.getStackTrace(), diagnosis.getStackTrace());
        assertEquals("java.lang.IllegalStateException", diagnosis.getCause().getMessage());
        assertNull(diagnosis.getCause().getCause());
        assertFalse(printed.toString().contains("SECRET"), printed::toString);
        assertFalse(printed.toString().contains("oAbCdEfGhIjKlMnOpQrStUvWxYz0"), printed::toString);
    }
}
