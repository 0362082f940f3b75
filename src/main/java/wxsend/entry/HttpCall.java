package wxsend.entry;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An HTTP request as both HTTP surfaces hand it over: header names in lower case, the body as bytes. */
record HttpCall(String method, String path, Map<String, String> headers, byte[] body) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
