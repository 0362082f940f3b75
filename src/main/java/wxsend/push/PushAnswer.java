package wxsend.push;

/** What the push endpoint answers: a status, the media type of the body, and the body. */
public record PushAnswer(int status, String contentType, String body) {

    static final String TEXT = "text/plain";
    static final String JSON = "application/json";

    /** WeChat stops retrying only on this exact body (or an empty one). */
    static PushAnswer success() {
        return new PushAnswer(200, TEXT, "success");
    }

    static PushAnswer text(String body) {
        return new PushAnswer(200, TEXT, body);
    }
}
