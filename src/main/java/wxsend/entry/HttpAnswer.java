package wxsend.entry;

import java.util.Map;

/** What both HTTP surfaces answer: a status, a JSON body, and any extra headers. */
record HttpAnswer(int status, String body, Map<String, String> headers) {

    static final String JSON = "application/json";

    HttpAnswer(int status, String body) {
        this(status, body, Map.of());
    }
}
