package wxsend.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Runs a piece of work at most once per key, and keeps its result for duplicates: the once-only
 * bookkeeping that wraps any send, single or batch.
 * <ol>
 * <li>Claim the key. A duplicate gets the stored result back ({@link Replayed}), or learns that the
 * key is busy ({@link Busy}) or was first used for another payload ({@link Conflict}); nothing runs.</li>
 * <li>Run the work once. If an earlier run of the same request claimed the key and never
 * finished (it crashed, or its invocation timed out), the work is told when that run began: it
 * may have reached the outside world, and only the work knows whether running again is safe.</li>
 * <li>Record a settled result, or release the key so that a retry may run the work again.</li>
 * </ol>
 * When the store cannot take a settled result, this instance answers the key from memory
 * ({@link Unrecorded}) until the record would have expired.
 */
public class OnceOnly {

    private static final Logger LOG = Logger.getLogger(OnceOnly.class);

    /** How one run ended. Only {@link Ran} ran the work. */
    public sealed interface Result<R> permits Ran, Replayed, Busy, Conflict, Unavailable {
    }

    public record Ran<R>(R value) implements Result<R> {
    }

    /** A duplicate of a settled request: its stored result, as the caller encoded it. */
    public record Replayed<R>(String stored) implements Result<R> {
    }

    /** Another invocation holds the key right now. */
    public record Busy<R>() implements Result<R> {
    }

    /** The key was first used with a different payload. */
    public record Conflict<R>() implements Result<R> {
    }

    /** The store could not be reached before the work, so it did not run. */
    public record Unavailable<R>(String why) implements Result<R> {
    }

    /** What the work is told of its claim. */
    /**
     * @param unfinishedSince when an unfinished earlier run of the same request may have begun its
     *        attempts; empty if none did
     * @param beforeFirstAttempt completes once the claim records that attempts may begin; the work
     *        must not reach the outside world before. Asked again, it answers as the first time,
     *        without another write. Fails with {@link NotMarked}.
     */
    public record Holding(Optional<Instant> unfinishedSince, Uni<Void> beforeFirstAttempt) {
    }

    /** The claim could not record that attempts begin: the work must not reach the outside world. */
    public static final class NotMarked extends RuntimeException {
        NotMarked(String message) {
            super(message, null, false, false);
        }
    }

    /** How the caller's results are kept. */
    public interface Keeping<R> {

        /** Whether the result stands for good (kept, replayed); if not, the key is released. */
        boolean settled(R result);

        String encode(R result);
    }

    private static final Duration RELEASE_BACKOFF = Duration.ofMillis(100);
    private static final int RELEASE_RETRIES = 3;

    private final Idempotency store;
    private final Unrecorded unrecorded;

    public OnceOnly(Idempotency store, Unrecorded unrecorded) {
        this.store = store;
        this.unrecorded = unrecorded;
    }

    /**
     * Fails only if the work itself fails; the claim then stays until it expires, as its outcome is unknown.
     *
     * @param attemptsAtOnce the work reaches the outside world straight away, with nothing before
     *        that can fail or stall: its claim is written as begun, and {@link Holding#beforeFirstAttempt}
     *        writes nothing. Otherwise that call records it first (one more write), so that a retry
     *        after a failure or crash before it knows nothing went out, and runs the work as new.
     * @param work given its claim: when an unfinished earlier run began, and the gate to its first attempt
     * @param keepFor how long a settled result answers duplicates
     */
    public <R> Uni<Result<R>> run(String id, String payloadHash, boolean attemptsAtOnce, Function<Holding, Uni<R>> work,
            Keeping<R> keeping, Duration keepFor) {
        Result<R> remembered = unrecorded.answer(id, payloadHash);
        if (remembered != null) {
            return Uni.createFrom().item(remembered);
        }
        return store.begin(id, payloadHash, keepFor, attemptsAtOnce)
                .onItem().transformToUni(begin -> begin instanceof Idempotency.Proceed proceed
                        ? work.apply(holding(proceed))
                                .onItem().transformToUni(value -> keep(proceed.ticket(), payloadHash, value, keeping, keepFor))
                        : Uni.createFrom().item(OnceOnly.<R> duplicate(begin)))
                .onFailure(IdempotencyStoreException.class)
                .recoverWithItem(e -> new Unavailable<R>(e.getMessage()));
    }

    private Holding holding(Idempotency.Proceed proceed) {
        Uni<Void> gate = proceed.attempted() ? Uni.createFrom().voidItem()
                : store.markAttempted(proceed.ticket())
                        .onFailure().transform(e -> new NotMarked("the idempotency store could not record that the send "
                                + "begins (" + e.getMessage() + ")"))
                        .onItem().<Void> transform(marked -> {
                            if (!marked) {
                                throw new NotMarked("this run's claim expired and a retry took it over before it began");
                            }
                            return null;
                        })
                        .memoize().indefinitely();
        return new Holding(proceed.unfinishedSince(), gate);
    }

    private static <R> Result<R> duplicate(Idempotency.Begin begin) {
        if (begin instanceof Idempotency.Replay replay) {
            return new Replayed<>(replay.result());
        }
        return begin instanceof Idempotency.InProgress ? new Busy<>() : new Conflict<>();
    }

    private <R> Uni<Result<R>> keep(Idempotency.Ticket ticket, String payloadHash, R value, Keeping<R> keeping,
            Duration keepFor) {
        boolean settled = keeping.settled(value);
        String encoded = settled ? keeping.encode(value) : null;
        // A release that fails leaves a claim a retry cannot tell from a send that went out: try it a
        // few more times (the SDK has already retried each call) before giving up on it.
        Uni<Void> kept = settled ? store.complete(ticket, encoded, keepFor)
                : store.release(ticket).onFailure().retry().withBackOff(RELEASE_BACKOFF, RELEASE_BACKOFF.multipliedBy(4))
                        .atMost(RELEASE_RETRIES);
        return kept.onItem().<Result<R>> transform(ignored -> new Ran<>(value))
                .onFailure().recoverWithItem(e -> {
                    // The work's fate is known; only its record is not. The claim stays IN_PROGRESS in
                    // the store until it expires, and this instance answers the key from memory meanwhile.
                    LOG.warnf("could not record the result of %s: %s", Unrecorded.masked(ticket.id()), e.getMessage());
                    if (settled) {
                        unrecorded.remember(ticket.id(), payloadHash, encoded, keepFor);
                    }
                    return new Ran<>(value);
                });
    }
}
