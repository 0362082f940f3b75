package wxsend.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The refresh lease, promised by the stores that have a conditional write (not SSM). */
abstract class LeasingTokenStoreContract extends TokenStoreContract {

    @Test
    void oneOwnerHoldsTheLeaseUntilItLapses() {
        assertTrue(store().tryLease(appid, "a", now, now.plusSeconds(10)));
        assertFalse(store().tryLease(appid, "b", now.plusSeconds(5), now.plusSeconds(15)), "held by a");
        assertTrue(store().tryLease(appid, "a", now.plusSeconds(5), now.plusSeconds(15)), "a may renew");
        assertTrue(store().tryLease(appid, "b", now.plusSeconds(16), now.plusSeconds(26)), "a's lease lapsed: b takes over");
    }

    @Test
    void storingATokenOrReleasingEndsTheLease() {
        store().tryLease(appid, "a", now, now.plusSeconds(10));
        store().saveIfNewer(appid, new AccessToken("T1", now.plusSeconds(7200)));
        assertTrue(store().tryLease(appid, "b", now.plusSeconds(1), now.plusSeconds(11)));
        store().releaseLease(appid, "a");
        assertFalse(store().tryLease(appid, "c", now.plusSeconds(2), now.plusSeconds(12)), "a cannot release b's lease");
        store().releaseLease(appid, "b");
        assertTrue(store().tryLease(appid, "c", now.plusSeconds(2), now.plusSeconds(12)));
        assertEquals("T1", store().read(appid).orElseThrow().value(), "a lease leaves the token alone");
    }

}
