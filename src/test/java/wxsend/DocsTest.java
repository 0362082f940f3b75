package wxsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The docs hold together: every relative link in README.md and docs/*.md reaches a file (and its
 * #anchor a heading there, by GitHub's rule), and docs/configuration.md's table and
 * application.properties name the same environment variables, with the same defaults.
 */
@Tag("unit")
class DocsTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Path CONFIGURATION = DOCS.resolve("configuration.md");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");

    /**
     * Variables in the table that application.properties does not read, because something else does:
     * the AWS SDK reads its region, endpoints and credentials itself, and Quarkus maps
     * QUARKUS_HTTP_HOST_ENABLED onto quarkus.http.host-enabled (template.yaml sets it to false).
     */
    private static final Set<String> READ_ELSEWHERE = Set.of(
            "AWS_REGION", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SSM", // the AWS SDK
            "QUARKUS_HTTP_HOST_ENABLED"); // Quarkus itself, from its own key

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");
    private static final Pattern TICKED = Pattern.compile("`([^`]*)`");

    @Test
    void everyRelativeLinkResolves() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (String target : links(page)) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto: and the like: not ours to check here
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent() == null
                        ? Path.of(file).normalize() : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no file " + resolved + ")");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no heading with anchor #" + anchor + " in " + resolved + ")");
                }
            }
        }
        assertTrue(checked > 20, "the pages should link to each other; found " + checked + " relative links");
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void theConfigurationTableAndApplicationPropertiesNameTheSameVariables() {
        Map<String, String> read = readByProperties();
        Map<String, String> table = table();
        Set<String> missing = new TreeSet<>(read.keySet());
        missing.removeAll(table.keySet());
        assertTrue(missing.isEmpty(), "read in application.properties but not in docs/configuration.md's table: " + missing);

        Set<String> unread = new TreeSet<>(table.keySet());
        unread.removeAll(read.keySet());
        unread.removeAll(READ_ELSEWHERE);
        assertTrue(unread.isEmpty(), "in docs/configuration.md's table but read nowhere: " + unread);

        Set<String> stale = new TreeSet<>(READ_ELSEWHERE);
        stale.removeAll(table.keySet());
        assertTrue(stale.isEmpty(), "READ_ELSEWHERE names variables the table no longer has: " + stale);
        Set<String> both = new TreeSet<>(READ_ELSEWHERE);
        both.retainAll(read.keySet());
        assertTrue(both.isEmpty(), "READ_ELSEWHERE names variables application.properties reads after all: " + both);
    }

    @Test
    void theTablesDefaultsAreApplicationPropertiesDefaults() {
        Map<String, String> read = readByProperties();
        Map<String, String> table = table();
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> row : table.entrySet()) {
            if (read.containsKey(row.getKey()) && !read.get(row.getKey()).equals(row.getValue())) {
                differ.add(row.getKey() + ": table says '" + row.getValue() + "', application.properties '" + read.get(row.getKey()) + "'");
            }
        }
        assertTrue(differ.isEmpty(), "defaults that differ:\n" + String.join("\n", differ));
    }

    @Test
    void theReadmeKeepsCisTestCommand() throws IOException {
        String ci = Files.readString(Path.of(".ci/run"));
        assertTrue(ci.lines().anyMatch(l -> l.equals("./mvnw -B verify")), ".ci/run runs ./mvnw -B verify");
        assertTrue(Files.readString(README).lines().anyMatch(l -> l.startsWith("./mvnw -B verify ")),
                "README.md's test command is .ci/run's");
        assertTrue(Files.readAllLines(README).size() <= 250, "README.md stays a front door, at most 250 lines");
    }

    /** README.md and every page under docs/. */
    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(pages.size() < 2, "docs/ holds the pages");
        return pages;
    }

    /** The lines outside fenced code blocks. */
    private static List<String> prose(Path page) {
        List<String> lines = new ArrayList<>();
        boolean fence = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.stripLeading().startsWith("```")) {
                    fence = !fence;
                } else if (!fence) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static List<String> links(Path page) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** GitHub's anchors: lowercase, punctuation dropped (not - or _), spaces to -, repeats numbered. */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = slug(m.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /** Each environment variable application.properties reads, with its default: a line without a profile decides, else the first. */
    private static Map<String, String> readByProperties() {
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> profiled = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(PROPERTIES)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = ENV.matcher(line);
                while (m.find()) {
                    String def = m.group(2) == null ? "" : m.group(2);
                    (line.startsWith("%") ? profiled : plain).putIfAbsent(m.group(1), def);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        profiled.forEach(plain::putIfAbsent);
        assertTrue(plain.size() > 30, "application.properties reads its environment variables: " + plain.keySet());
        return plain;
    }

    /** The configuration table: each variable named in a row's first cell, with its default ("" for —). */
    private static Map<String, String> table() {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : prose(CONFIGURATION)) {
            if (line.startsWith("| variable | default |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            List<String> names = new ArrayList<>();
            Matcher v = VARIABLE.matcher(cells[1]);
            while (v.find()) {
                names.add(v.group(1));
            }
            String defaults = cells[2].replaceAll("\\([^)]*\\)", "").strip();
            List<String> values = new ArrayList<>();
            Matcher t = TICKED.matcher(defaults);
            while (t.find()) {
                values.add(t.group(1));
            }
            for (int i = 0; i < names.size(); i++) {
                String value = defaults.equals("—") ? "" : i < values.size() ? values.get(i) : "?";
                assertEquals(null, rows.put(names.get(i), value), names.get(i) + " has two rows");
            }
        }
        assertTrue(rows.size() > 30, "docs/configuration.md has its table: " + rows.keySet());
        return rows;
    }
}
