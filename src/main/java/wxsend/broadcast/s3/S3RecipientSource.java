package wxsend.broadcast.s3;

import java.io.InputStream;
import java.io.UncheckedIOException;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import wxsend.broadcast.RecipientSource;
import wxsend.broadcast.RecipientSourceException;

/** Recipients' objects in S3: HeadObject for the size, a ranged GetObject streamed from an offset. */
public class S3RecipientSource implements RecipientSource {

    private final S3Client s3;

    public S3RecipientSource(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public long size(String bucket, String key) {
        try {
            return s3.headObject(r -> r.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new RecipientSourceException(true, "s3://" + bucket + "/" + key + " does not exist", e);
        } catch (S3Exception e) {
            boolean permanent = e.statusCode() == 404 || e.statusCode() == 403;
            throw new RecipientSourceException(permanent, "s3://" + bucket + "/" + key + (e.statusCode() == 403
                    ? " cannot be read: access denied" : e.statusCode() == 404 ? " does not exist" : " could not be read"), e);
        } catch (SdkException | UncheckedIOException e) {
            throw new RecipientSourceException(false, "S3 could not be reached: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public InputStream open(String bucket, String key, long offset) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=" + offset + "-"));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new RecipientSourceException(true, "s3://" + bucket + "/" + key + " does not exist", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 416 && offset > 0) {
                // A step that ended on the object's last line: the next one begins at its end, and reads nothing.
                return InputStream.nullInputStream();
            }
            throw new RecipientSourceException(false, "reading s3://" + bucket + "/" + key + " failed: S3Exception", e);
        } catch (SdkException | UncheckedIOException e) {
            throw new RecipientSourceException(false, "reading s3://" + bucket + "/" + key + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
