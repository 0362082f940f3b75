package wxsend.send.request;

import java.util.Optional;
import java.util.function.Supplier;

import wxsend.send.outcome.FieldError;

/** Picks a request's idempotency key by the rules of {@link KeyHint}, or names the field that is wrong. */
public final class Keys {

    /**
     * @param key null when the request is not de-duplicated at all ({@code "deduplicate": false})
     * @param derived the key was derived from the content, so it is kept only for the auto-key window
     */
    public record Chosen(String key, boolean derived) {
    }

    public sealed interface Choice permits Ok, Wrong {
    }

    public record Ok(Chosen chosen) implements Choice {
    }

    public record Wrong(FieldError error) implements Choice {
    }

    private Keys() {
    }

    /** @param contentHash the hash of the app and content, computed only if a derived key is needed */
    public static Choice choose(KeyHint hint, Optional<String> inBody, boolean deduplicate, Supplier<String> contentHash) {
        KeyHint.KeyChoice choice = hint.choose(inBody);
        if (choice.error() != null) {
            return new Wrong(choice.error());
        }
        if (choice.key().isPresent()) {
            return deduplicate ? new Ok(new Chosen(choice.key().get(), false))
                    : new Wrong(new FieldError("deduplicate", "false cannot go with an idempotency key, which always "
                            + "de-duplicates: drop one of them"));
        }
        if (!deduplicate) {
            return new Ok(new Chosen(null, false));
        }
        // Over HTTP, a key made for this request: its answer names it, so a retry of a 503 or 504 that
        // sends it back is answered from the record rather than sent again.
        return new Ok(hint.contentKey() ? new Chosen("auto-" + contentHash.get(), true) : new Chosen(hint.fresh(), false));
    }
}
