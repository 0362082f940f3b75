package wxsend.send.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which key a request runs under, by entry point. {@code runsUnder} must name the same key as
 * {@code choose}: a defect's 500 tells the caller that key to retry with.
 */
@Tag("unit")
class KeysTest {

    private static final Supplier<String> NO_HASH = () -> {
        throw new AssertionError("no content key over HTTP");
    };

    private static Keys.Chosen chosen(KeyHint hint, Optional<String> inBody, boolean deduplicate, Supplier<String> hash) {
        return assertInstanceOf(Keys.Ok.class, Keys.choose(hint, inBody, deduplicate, hash)).chosen();
    }

    @Test
    void anHttpRequestWithoutAKeyRunsUnderOneMadeForIt() {
        KeyHint hint = KeyHint.header(null);
        Keys.Chosen chosen = chosen(hint, Optional.empty(), true, NO_HASH);

        assertTrue(chosen.key().matches("req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), chosen.key());
        assertTrue(Rules.IDEMPOTENCY_KEY.matches(chosen.key()), "a caller can send it back as Idempotency-Key");
        assertFalse(chosen.derived(), "kept for IDEMPOTENCY_TTL, as a caller's key");
        assertEquals(Optional.of(chosen.key()), hint.runsUnder(Optional.empty(), true));
        assertNotEquals(chosen.key(), chosen(KeyHint.header(null), Optional.empty(), true, NO_HASH).key(),
                "each request is a send of its own");
    }

    @Test
    void anHttpRequestThatOptsOutRunsUnderNone() {
        KeyHint hint = KeyHint.header(null);

        assertNull(chosen(hint, Optional.empty(), false, NO_HASH).key());
        assertEquals(Optional.empty(), hint.runsUnder(Optional.empty(), false));
    }

    @Test
    void aCallersKeyIsKept() {
        assertEquals("order-1", chosen(KeyHint.header("order-1"), Optional.empty(), true, NO_HASH).key());
        assertEquals(Optional.of("order-1"), KeyHint.header("order-1").runsUnder(Optional.empty(), true));
        assertEquals("in-body", chosen(KeyHint.header(null), Optional.of("in-body"), true, NO_HASH).key());
        assertEquals(Optional.of("in-body"), KeyHint.header(null).runsUnder(Optional.of("in-body"), true));
    }

    @Test
    void aDirectInvocationWithoutAKeyIsKeyedByItsContent() {
        Keys.Chosen chosen = chosen(KeyHint.none(), Optional.empty(), true, () -> "abc");

        assertEquals("auto-abc", chosen.key());
        assertTrue(chosen.derived());
        assertNull(chosen(KeyHint.none(), Optional.empty(), false, () -> "abc").key());
    }
}
