package wxsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The house's rules for the sources in src/main/java, read as text: no package holds more than
 * {@value #MAX_FILES} files, no class file runs over {@value #MAX_LINES} lines, {@code send} imports
 * nothing from {@code wechat}, and the stages of {@code send} import only downwards (see
 * {@link #STAGES}). Set {@code wxsend.house.sources} to check another tree (the default is
 * src/main/java).
 */
@Tag("unit")
class HouseRulesTest {

    static final int MAX_FILES = 25;
    static final int MAX_LINES = 300;

    /**
     * The stages of {@code send}, by rank: a stage may use only stages of a lower rank, never its
     * own rank's sibling or anything above it. The services at the top use every stage; reading
     * makes messages (and names its errors as outcomes do); delivery posts messages and says what
     * became of them as outcomes; a message and an outcome know no other stage.
     */
    static final Map<String, Integer> STAGES = Map.of(
            "wxsend.send", 2,
            "wxsend.send.request", 1,
            "wxsend.send.delivery", 1,
            "wxsend.send.message", 0,
            "wxsend.send.outcome", 0);

    /** A use of a class of send or one of its stages: in an import, a wildcard import, or a qualified name. */
    private static final Pattern SEND_USE = Pattern.compile("\\bwxsend\\.send((?:\\.[a-z]\\w*)*)\\.(?:[A-Z]|\\*)");
    private static final Pattern WECHAT_USE = Pattern.compile("\\bwxsend\\.wechat\\b");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    private final Path sources = Path.of(System.getProperty("wxsend.house.sources", "src/main/java"));

    @Test
    void noPackageHoldsMoreThan25Files() {
        List<String> crowded = new ArrayList<>();
        for (Path dir : walk(sources).filter(Files::isDirectory).toList()) {
            try (Stream<Path> files = Files.list(dir)) {
                long count = files.filter(Files::isRegularFile).count();
                if (count > MAX_FILES) {
                    crowded.add(sources.relativize(dir) + " holds " + count + " files");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(List.of(), crowded, "a package holds at most " + MAX_FILES + " files: split it by what its parts do");
    }

    @Test
    void noClassRunsOver300Lines() {
        List<String> tooLong = new ArrayList<>();
        for (Path file : javaFiles()) {
            long lines = read(file).lines().count();
            if (lines > MAX_LINES) {
                tooLong.add(sources.relativize(file) + " has " + lines + " lines");
            }
        }
        assertEquals(List.of(), tooLong, "a class file has at most " + MAX_LINES + " lines");
    }

    @Test
    void sendImportsNothingFromWechat() {
        List<String> found = new ArrayList<>();
        for (Path file : sendFiles()) {
            if (WECHAT_USE.matcher(code(read(file))).find()) {
                found.add(sources.relativize(file).toString());
            }
        }
        assertEquals(List.of(), found, "send declares its ports; wechat implements them, never the other way round");
    }

    @Test
    void eachStageOfSendUsesOnlyTheStagesBelowIt() {
        List<String> upwards = new ArrayList<>();
        List<Path> files = sendFiles();
        assertTrue(!files.isEmpty(), "no sources of wxsend.send under " + sources.toAbsolutePath());
        for (Path file : files) {
            String text = read(file);
            Matcher declared = PACKAGE.matcher(text);
            String own = declared.find() ? declared.group(1) : "(no package)";
            Integer rank = STAGES.get(own);
            if (rank == null) {
                upwards.add(sources.relativize(file) + " is in " + own + ", which has no place in HouseRulesTest.STAGES");
                continue;
            }
            Matcher use = SEND_USE.matcher(code(text));
            while (use.find()) {
                String used = "wxsend.send" + use.group(1);
                if (used.equals(own)) {
                    continue;
                }
                Integer usedRank = STAGES.get(used);
                if (usedRank == null || usedRank >= rank) {
                    upwards.add(sources.relativize(file) + " (" + own + ", rank " + rank + ") uses " + used + " (rank "
                            + usedRank + ")");
                }
            }
        }
        assertEquals(List.of(), upwards, "a stage of send uses only stages of a lower rank: " + STAGES);
    }

    /**
     * The text without comments and without the contents of string and character literals: what
     * the compiler links, not what a comment or a log line names. A comment becomes one space.
     */
    static String code(String text) {
        StringBuilder code = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
                code.append(' ');
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
                code.append(' ');
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                i = end < 0 ? text.length() : end + 3;
                code.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                code.append(c).append(c);
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    @Test
    void codeLeavesOutCommentsAndStrings() {
        assertEquals("import wxsend.send.Sender;\n \n \nString s = \"\" + '' + \"\";",
                code("import wxsend.send.Sender;\n// wxsend.wechat\n/** {@link wxsend.wechat.WeChatClient} */\n"
                        + "String s = \"https://wxsend.send.SendService \\\" wxsend.wechat\" + '\"' + \"\";"));
    }

    private List<Path> sendFiles() {
        Path send = sources.resolve("wxsend/send");
        return Files.isDirectory(send) ? walk(send).filter(HouseRulesTest::isJava).toList() : List.of();
    }

    private List<Path> javaFiles() {
        return walk(sources).filter(HouseRulesTest::isJava).toList();
    }

    private static boolean isJava(Path file) {
        return Files.isRegularFile(file) && file.toString().endsWith(".java");
    }

    private static Stream<Path> walk(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            return all.sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
