package wxsend.send.request;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.outcome.FieldError;

/**
 * The rules one recipient of a given shared message must meet, as in a batch: for recipients read
 * one at a time (a broadcast's lines), so that a bad line is named and skipped while the rest go on.
 */
public final class RecipientRules {

    private final SendRequest shared;
    private final DataRule rule;
    private final boolean uniform;

    private RecipientRules(SendRequest shared, DataRule rule, boolean uniform) {
        this.shared = shared;
        this.rule = rule;
        this.uniform = uniform;
    }

    /** The rules of this shared message (a batch's fields without recipients), or empty if the message itself is wrong. */
    public static Optional<RecipientRules> of(JsonNode sharedRequest) {
        FieldReader in = new FieldReader();
        Kind kind = Kind.of(in, sharedRequest);
        if (kind == null) {
            return Optional.empty();
        }
        SendRequest shared = RequestReader.shared(in, sharedRequest, null, kind);
        return in.hasErrors() ? Optional.empty()
                : Optional.of(new RecipientRules(shared, DataRule.of(shared.message()), kind == Kind.UNIFORM));
    }

    /** What is wrong with this recipient, each error at its path under {@code path}; empty when it is fine. */
    public List<FieldError> check(JsonNode recipient, String path) {
        FieldReader in = new FieldReader();
        if (!in.object(recipient, path)) {
            return in.errors();
        }
        BatchRequest.Recipient read = BatchReader.recipient(in, recipient, path, rule, uniform);
        if (!in.hasErrors() && shared.message().forRecipient(read.touser(), read.data()).dataSize() > Rules.MAX_DATA_ITEMS) {
            in.error(path + ".data", "brings the message to more than " + Rules.MAX_DATA_ITEMS + " items");
        }
        return in.errors();
    }
}
