package wxsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * template.yaml's AWS:: resources against AWS's own resource specification: the CloudFormation
 * registry schemas in the npm package @aws-cdk/aws-service-spec (pinned), read by
 * src/test/template/check-template.js under Node. The package is installed into target/ on first
 * use, from the npm registry. SAM's own resources are checked by TemplateTest instead: the
 * package's SAM part predates LoggingConfig, FunctionResponseTypes, ScalingConfig and ScheduleV2.
 */
class TemplateSpecTest {

    private static final String SPEC = "@aws-cdk/aws-service-spec@0.1.216";
    private static final Path PREFIX = Path.of("target", "service-spec");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void installTheSpecification() throws Exception {
        if (Files.isDirectory(PREFIX.resolve("node_modules/@aws-cdk/aws-service-spec"))) {
            return;
        }
        Files.createDirectories(PREFIX);
        Run install = run(List.of("npm", "install", "--prefix", PREFIX.toString(), "--no-audit", "--no-fund", "--no-save", SPEC));
        assertEquals(0, install.exit(), "npm could not install " + SPEC + ":\n" + install.output());
    }

    record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", PREFIX.resolve("node_modules").toAbsolutePath().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        return new Run(process.exitValue(), output);
    }

    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(new File("template.yaml"));
    }

    private static Run check(JsonNode template, String name) throws Exception {
        Path file = Path.of("target", name);
        Files.writeString(file, JSON.writeValueAsString(template));
        return run(List.of("node", "src/test/template/check-template.js", file.toString()));
    }

    private static ObjectNode firstOf(JsonNode template, String type) {
        for (Iterator<JsonNode> it = template.get("Resources").elements(); it.hasNext();) {
            JsonNode resource = it.next();
            if (resource.get("Type").asText().equals(type)) {
                return (ObjectNode) resource.get("Properties");
            }
        }
        throw new AssertionError("no " + type);
    }

    @Test
    void everyAwsResourceInTheTemplateMatchesItsSpecification() throws Exception {
        Run run = check(template(), "template.json");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().matches("(?s).*checked [1-9]\\d* AWS:: resources.*: 0 problem\\(s\\).*"), run.output());
    }

    @Test
    void theCheckCatchesAMisspeltPropertyAMissingRequiredOneANestedOneAndAnUnknownType() throws Exception {
        JsonNode template = template();
        ObjectNode table = firstOf(template, "AWS::DynamoDB::Table");
        table.set("BilingMode", table.remove("BillingMode"));
        firstOf(template, "AWS::ApiGatewayV2::Route").remove("RouteKey");
        ObjectNode dimension = (ObjectNode) firstOf(template, "AWS::CloudWatch::Alarm").get("Dimensions").get(0);
        dimension.set("Nme", dimension.remove("Name"));
        ((ObjectNode) template.get("Resources")).putObject("Typo").put("Type", "AWS::SQS::Queu").putObject("Properties");

        Run run = check(template, "template-broken.json");

        assertEquals(1, run.exit(), run.output());
        List<String> problems = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            if (line.contains(": ") && !line.startsWith("checked")) {
                problems.add(line);
            }
        }
        assertTrue(problems.stream().anyMatch(p -> p.contains("unknown property BilingMode")), run.output());
        assertTrue(problems.stream().anyMatch(p -> p.contains("required property RouteKey is missing")), run.output());
        assertTrue(problems.stream().anyMatch(p -> p.contains("Dimensions[0]: unknown property Nme")), run.output());
        assertTrue(problems.stream().anyMatch(p -> p.contains("Dimensions[0]: required property Name is missing")), run.output());
        assertTrue(problems.stream().anyMatch(p -> p.contains("Typo: unknown resource type AWS::SQS::Queu")), run.output());
        assertEquals(5, problems.size(), run.output());
    }
}
