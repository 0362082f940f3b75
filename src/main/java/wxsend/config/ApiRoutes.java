package wxsend.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
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
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    /** Why plain http is refused; the setting's name goes in front, never the URL. */
    static final String CLEAR_TEXT = " must use https: the token fetch carries the appsecret, so plain http is allowed only"
            + " to localhost, 127.0.0.0/8 or ::1";

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
            String url = entry.substring(equals + 1).trim();
            if (!APPID.matcher(appid).matches() || !httpUrl(url)) {
                problems.add("WECHAT_API_URLS entry " + (i + 1) + " must be appid=https://host[:port][/path], the appid"
                        + " 'wx' followed by 16 letters or digits");
            } else if (clearText(url)) {
                problems.add("WECHAT_API_URLS entry " + (i + 1) + CLEAR_TEXT);
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

    /**
     * Whether {@code url} (already an {@link #httpUrl}) would carry the appsecret unencrypted across a network: plain
     * http to anything but this machine. Tests and dev mode reach WireMock or the stand-in on http://localhost.
     */
    static boolean clearText(String url) {
        URI uri = URI.create(url);
        return "http".equals(uri.getScheme()) && !loopback(uri.getHost());
    }

    /** By the name's text alone: a DNS answer could change after start-up, so a name other than localhost never counts. */
    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost") || LOOPBACK_V4.matcher(host).matches()) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // An IPv6 literal (URI keeps its brackets): parsed, never looked up, so [::1] and [0:0::1] alike.
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
