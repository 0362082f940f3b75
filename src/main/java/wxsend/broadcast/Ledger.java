package wxsend.broadcast;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one chunk of a broadcast has claimed and settled, in an item of its own: one mark per
 * recipient, in the chunk's order, written as the chunk advances, a window of sends at a time.
 * A window's recipients are marked CLAIMED by one delivery (its {@code owner}, until
 * {@code claimUntil}) before any of them is posted, and each gets its final mark in the write
 * that claims the next window. So a delivery killed mid-chunk leaves only its window's sends in
 * flight unsettled, and a chunk delivered twice, or redriven, reaches nobody twice: what is
 * marked final is never sent again.
 *
 * @param fingerprint the chunk's recipients' hash: a ledger answers for one list only
 * @param version moved on by every write, each conditional on the one read: two deliveries of the
 *        chunk never both write from the same state
 * @param counted the chunk's counts were added to the broadcast's totals, in the same transaction
 *        that wrote its last marks: once, by construction
 * @param errcodes WeChat's errcode for recipients marked other than SENT, by index
 */
public record Ledger(String fingerprint, String marks, int version, String owner, Instant claimedAt, Instant claimUntil,
        boolean counted, Map<Integer, Integer> errcodes) {

    /** One recipient's state in the ledger, as one character of {@code marks}. */
    public enum Mark {
        OPEN('.'),
        CLAIMED('~'),
        SENT('S'),
        REJECTED('R'),
        UNKNOWN('U'),
        INVALID('I'),
        CANCELLED('X'),
        /** The same openid came earlier in the list: sent once, there. */
        REPEAT('D');

        private final char code;

        Mark(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }

        boolean settled() {
            return this != OPEN && this != CLAIMED;
        }

        public static Mark of(char code) {
            for (Mark mark : values()) {
                if (mark.code == code) {
                    return mark;
                }
            }
            throw new IllegalArgumentException("no ledger mark '" + code + "'");
        }
    }

    static Ledger fresh(String fingerprint, int recipients) {
        return new Ledger(fingerprint, ".".repeat(recipients), 0, null, null, null, false, Map.of());
    }

    int size() {
        return marks.length();
    }

    Mark mark(int index) {
        return Mark.of(marks.charAt(index));
    }

    List<Integer> indices(Mark wanted) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < marks.length(); i++) {
            if (marks.charAt(i) == wanted.code) {
                found.add(i);
            }
        }
        return found;
    }

    /** Whether another delivery holds a window of this chunk right now. */
    boolean heldAt(Instant now) {
        return marks.indexOf(Mark.CLAIMED.code) >= 0 && claimUntil != null && claimUntil.isAfter(now);
    }

    /** Every recipient has a final mark. */
    boolean complete() {
        return marks.indexOf(Mark.OPEN.code) < 0 && marks.indexOf(Mark.CLAIMED.code) < 0;
    }

    /** Final marks by status name (SENT, REJECTED, …), the chunk's share of the broadcast's counts. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < marks.length(); i++) {
            Mark mark = mark(i);
            if (mark.settled()) {
                counts.merge(mark.name(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * The next state: these marks set (a window's outcomes), these recipients claimed by
     * {@code owner} until {@code until}, every other CLAIMED mark kept only if {@code owner} still
     * holds it, and the version moved on.
     */
    Ledger next(Map<Integer, Mark> settled, Map<Integer, Integer> codes, Collection<Integer> claim, String owner, Instant at,
            Instant until) {
        char[] next = marks.toCharArray();
        settled.forEach((index, mark) -> next[index] = mark.code);
        claim.forEach(index -> next[index] = Mark.CLAIMED.code);
        Map<Integer, Integer> errs = new TreeMap<>(errcodes);
        settled.keySet().forEach(errs::remove);
        errs.putAll(codes);
        boolean claiming = !claim.isEmpty();
        return new Ledger(fingerprint, new String(next), version + 1, claiming ? owner : null, claiming ? at : null,
                claiming ? until : null, false, errs);
    }

    public Ledger countedNow() {
        return new Ledger(fingerprint, marks, version, owner, claimedAt, claimUntil, true, errcodes);
    }
}
