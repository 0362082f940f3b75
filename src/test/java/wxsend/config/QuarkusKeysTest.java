package wxsend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Quarkus only warns about a {@code quarkus.*} key it does not know, and then ignores it:
 * {@code quarkus.dynamodb.apache-client.max-connections} did nothing for months that way (issue
 * 24). Every extension ships the model of its configuration
 * ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}), so each key of
 * application.properties, in every profile, is checked against the models on the classpath.
 */
class QuarkusKeysTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");
    private static List<Pattern> known;

    @BeforeAll
    static void readModels() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> properties = new TreeSet<>();
        for (URL model : Collections.list(QuarkusKeysTest.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"))) {
            try (InputStream in = model.openStream()) {
                collect(json.readTree(in), properties);
            }
        }
        known = properties.stream().map(QuarkusKeysTest::pattern).toList();
    }

    @Test
    void everyQuarkusKeyOfTheApplicationIsOneAnExtensionReads() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String key : quarkusKeys()) {
            if (!recognised(key)) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), unknown, "keys no extension reads: Quarkus would warn and ignore them");
    }

    @Test
    void theCheckRefusesTheKeyThatDidNothingAndKnowsTheOneThatWorks() {
        assertTrue(known.size() > 500, "the extensions' models were found: " + known.size());
        assertFalse(recognised("quarkus.dynamodb.apache-client.max-connections"));
        assertTrue(recognised("quarkus.dynamodb.sync-client.apache.max-connections"));
        assertTrue(recognised("quarkus.log.category.\"wxsend\".level"), "a map key in quotes");
        assertFalse(recognised("quarkus.log.categry.\"wxsend\".level"));
    }

    private static boolean recognised(String key) {
        return known.stream().anyMatch(p -> p.matcher(key).matches());
    }

    private static Set<String> quarkusKeys() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Set<String> keys = new TreeSet<>();
        for (String name : properties.stringPropertyNames()) {
            String key = PROFILE.matcher(name).replaceFirst("");
            if (key.startsWith("quarkus.")) {
                keys.add(key);
            }
        }
        assertFalse(keys.isEmpty(), "read no quarkus keys from " + PROPERTIES);
        return keys;
    }

    /** Every {@code path.property} in the model: names like {@code quarkus.log.category."categories".level}. */
    private static void collect(JsonNode node, Set<String> into) {
        JsonNode property = node.path("path").path("property");
        if (property.isTextual()) {
            into.add(property.asText());
        }
        node.forEach(child -> collect(child, into));
    }

    /** A quoted segment in the model is a map key: one segment, or anything in quotes. */
    private static Pattern pattern(String property) {
        StringBuilder regex = new StringBuilder("^");
        int at = 0;
        while (at < property.length()) {
            int open = property.indexOf('"', at);
            int close = open < 0 ? -1 : property.indexOf('"', open + 1);
            if (close < 0) {
                regex.append(Pattern.quote(property.substring(at)));
                break;
            }
            regex.append(Pattern.quote(property.substring(at, open))).append("(\"[^\"]+\"|[^.\"]+)");
            at = close + 1;
        }
        return Pattern.compile(regex.append('$').toString());
    }
}
