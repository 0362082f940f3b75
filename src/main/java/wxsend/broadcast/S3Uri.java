package wxsend.broadcast;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code s3://bucket/key}: a bucket name as S3 allows it, and a key of at least one character. */
record S3Uri(String bucket, String key) {

    private static final Pattern FORM = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.{1,1024})");

    static Optional<S3Uri> parse(String text) {
        Matcher matcher = text == null ? null : FORM.matcher(text);
        return matcher != null && matcher.matches() ? Optional.of(new S3Uri(matcher.group(1), matcher.group(2)))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
