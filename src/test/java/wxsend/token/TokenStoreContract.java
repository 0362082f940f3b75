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
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final String appid = "wx" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

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
    void forcedRefreshesAreSpacedAndCappedPerDay() {
        Duration spacing = Duration.ofSeconds(30);
        assertTrue(store().tryForce(appid, "2026-11-24", now, 3, spacing));
        assertFalse(store().tryForce(appid, "2026-11-24", now.plusSeconds(29), 3, spacing), "too soon");
        assertTrue(store().tryForce(appid, "2026-11-24", now.plusSeconds(30), 3, spacing));
        assertTrue(store().tryForce(appid, "2026-11-24", now.plusSeconds(60), 3, spacing));
        assertFalse(store().tryForce(appid, "2026-11-24", now.plusSeconds(3600), 3, spacing), "the day's cap is spent");
        assertTrue(store().tryForce(appid, "2026-11-25", now.plusSeconds(86400), 3, spacing), "a new day");
        assertFalse(store().tryForce(appid, "2026-11-26", now.plusSeconds(86410), 3, spacing), "spacing holds across days");
    }

    @Test
    void aZeroCapAllowsNone() {
        assertFalse(store().tryForce(appid, "2026-11-24", now, 0, Duration.ofSeconds(30)));
    }

    @Test
    void expiringForAnUnknownAppChangesNothing() {
        store().expireIfCurrent(appid, "T1");
        assertTrue(store().read(appid).isEmpty() || !store().read(appid).get().usableAt(now, MARGIN));
    }
}
