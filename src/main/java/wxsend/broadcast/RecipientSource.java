package wxsend.broadcast;

import java.io.InputStream;

/**
 * Where a broadcast's recipients live when they are not inline: an S3 object of JSON Lines.
 * Failures are {@link RecipientSourceException}.
 */
public interface RecipientSource {

    /** The object's size in bytes; fails with a permanent exception when it does not exist. */
    long size(String bucket, String key);

    /** The object from {@code offset} (bytes) to its end, as a stream the caller closes. */
    InputStream open(String bucket, String key, long offset);
}
