package wxsend.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which base URL each app's WeChat calls take: WECHAT_API_URL, unless WECHAT_API_URLS names one for
 * that app ({@code wxOA=https://wechat-egress.example.com}). An official account's token fetches are
 * checked against its IP allowlist, and a Lambda function's address changes; a proxy with a fixed
 * address, on that app's route only, lets every sandbox fetch. Its sends take the route too, so one
 * allowlisted address covers whatever WeChat checks next.
 */
public final class ApiRoutes {

    private static final Pattern APPID = Pattern.compile("wx[0-9a-zA-Z]{16}");

    private final URI fallback;
    private final Map<String, URI> byApp;

    private ApiRoutes(URI fallback, Map<String, URI> byApp) {
        this.fallback = fallback;
        this.byApp = byApp;
    }

    /** The routes in {@code config}; {@link #problems} has already refused a bad entry at start-up. */
    public static ApiRoutes of(WxsendConfig.WeChat config) {
        Map<String, URI> byApp = new LinkedHashMap<>();
        for (String entry : config.apiUrls().orElse(List.of())) {
            int equals = entry.indexOf('=');
            byApp.put(entry.substring(0, equals).trim(), URI.create(entry.substring(equals + 1).trim()));
        }
        return new ApiRoutes(URI.create(config.apiUrl()), Map.copyOf(byApp));
    }

    /** The base URL for {@code appid}'s calls. */
    public URI baseFor(String appid) {
        return appid == null ? fallback : byApp.getOrDefault(appid, fallback);
    }

    /** Every base URL in use, the default first. */
    public List<URI> all() {
        return Stream.concat(Stream.of(fallback), byApp.values().stream()).distinct().toList();
    }

    /** What is wrong with WECHAT_API_URLS, each entry named by its position (URLs can carry credentials). */
    static void problems(Optional<List<String>> entries, List<String> problems) {
        List<String> list = entries.orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            String entry = list.get(i);
            int equals = entry.indexOf('=');
            String appid = equals < 0 ? "" : entry.substring(0, equals).trim();
            if (!APPID.matcher(appid).matches() || !httpUrl(entry.substring(equals + 1).trim())) {
                problems.add("WECHAT_API_URLS entry " + (i + 1) + " must be appid=http(s)://host[:port][/path], the appid"
                        + " 'wx' followed by 16 letters or digits");
            }
        }
    }

    static boolean httpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
