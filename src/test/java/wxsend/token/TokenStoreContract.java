package wxsend.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** What every token store promises, checked against each real store. */
abstract class TokenStoreContract {

    private static final Duration MARGIN = Duration.ofMinutes(5);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final String appid = "wx" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    abstract TokenStore store();

    @Test
    void anUnknownAppHasNoToken() {
        assertTrue(store().read(appid).isEmpty());
    }

    @Test
    void aSavedTokenReadsBackWithItsExpiry() {
        AccessToken token = new AccessToken("T1", now.plusSeconds(7200));
        assertTrue(store().saveIfNewer(appid, token));
        assertEquals(token, store().read(appid).orElseThrow());
    }

    @Test
    void anOlderTokenNeverReplacesANewerOne() {
        AccessToken newer = new AccessToken("NEWER", now.plusSeconds(7200));
        AccessToken older = new AccessToken("OLDER", now.plusSeconds(3600));
        store().saveIfNewer(appid, newer);

        assertFalse(store().saveIfNewer(appid, older));
        assertEquals("NEWER", store().read(appid).orElseThrow().value());
    }

    @Test
    void aNewerTokenReplacesAnOlderOne() {
        store().saveIfNewer(appid, new AccessToken("OLDER", now.plusSeconds(3600)));
        assertTrue(store().saveIfNewer(appid, new AccessToken("NEWER", now.plusSeconds(7200))));
        assertEquals("NEWER", store().read(appid).orElseThrow().value());
    }

    @Test
    void expiringTheCurrentTokenMakesItUnusableAndLetsAnyNewTokenIn() {
        store().saveIfNewer(appid, new AccessToken("T1", now.plusSeconds(7200)));
        store().expireIfCurrent(appid, "T1");

        assertFalse(store().read(appid).orElseThrow().usableAt(now, MARGIN));
        assertTrue(store().saveIfNewer(appid, new AccessToken("T2", now.plusSeconds(60))));
    }

    @Test
    void expiringATokenThatWasAlreadyReplacedChangesNothing() {
        AccessToken current = new AccessToken("CURRENT", now.plusSeconds(7200));
        store().saveIfNewer(appid, current);
        store().expireIfCurrent(appid, "REPLACED");

        assertEquals(current, store().read(appid).orElseThrow());
    }

    @Test
    void expiringForAnUnknownAppChangesNothing() {
        store().expireIfCurrent(appid, "T1");
        assertTrue(store().read(appid).isEmpty() || !store().read(appid).get().usableAt(now, MARGIN));
    }
}
