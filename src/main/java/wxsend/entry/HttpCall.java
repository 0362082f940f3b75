package wxsend.entry;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as both HTTP surfaces hand it over: header names in lower case, the body as
 * bytes, the query parameters decoded (the first value of each; only WeChat's pushes read them).
 */
record HttpCall(String method, String path, Map<String, String> headers, byte[] body, Map<String, String> query) {

    HttpCall(String method, String path, Map<String, String> headers, byte[] body) {
        this(method, path, headers, body, Map.of());
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
