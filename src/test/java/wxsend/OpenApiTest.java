package wxsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.quarkus.arc.profile.IfBuildProfile;
import wxsend.dev.OpenApiDocument;

/**
 * docs/openapi.yaml is kept by hand, and checked here against what it describes: template.yaml's
 * routes, the examples in src/examples (validated with a JSON Schema 2020-12 validator), and the
 * request readers' own field sets, patterns and limits (read by reflection, since they are
 * package-private in wxsend.send or one of its stage packages).
 */
@Tag("unit")
class OpenApiTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode document = read("docs/openapi.yaml");
    private final JsonNode schemas = document.at("/components/schemas");

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(new File(file));
        } catch (IOException e) {
            throw new IllegalStateException(file + " does not parse", e);
        }
    }

    @Test
    void isAnOpenApi31DocumentWhoseSchemasAreJsonSchema202012() {
        assertTrue(document.path("openapi").asText().startsWith("3.1."), "openapi: 3.1.x");
        assertEquals(DIALECT, document.path("jsonSchemaDialect").asText());
        assertTrue(document.at("/info/description").asText().contains("{\"broadcast\": …}"),
                "the description says what a direct invocation's payload is");
        List<String> broken = new ArrayList<>();
        refs(document, broken);
        assertEquals(List.of(), broken, "every $ref points into the document");
    }

    private void refs(JsonNode node, List<String> broken) {
        if (node.isObject() && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
                broken.add(ref);
            }
        }
        node.forEach(child -> refs(child, broken));
    }

    @Test
    void everyRouteOfTheTemplateIsDocumentedAndEveryDocumentedPathIsARoute() {
        Set<String> routes = new TreeSet<>();
        read("template.yaml").get("Resources").forEach(resource -> {
            if ("AWS::ApiGatewayV2::Route".equals(resource.path("Type").asText())) {
                String[] key = resource.at("/Properties/RouteKey").asText().split(" ", 2);
                routes.add(key[0].toLowerCase(Locale.ROOT) + " " + key[1]);
            }
        });
        assertTrue(routes.size() >= 8, routes::toString);
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                documented.add(method + " " + path.getKey());
            }
        }));
        assertEquals(routes, documented, "template.yaml's routes, and docs/openapi.yaml's operations");
    }

    @Test
    void everyExampleValidatesAgainstItsSchema() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("src", "examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(examples.size() >= 7, examples::toString);
        for (Path example : examples) {
            JsonNode request = JSON.readTree(example.toFile());
            String kind = capitalised(request.path("kind").asText("uniform"));
            boolean broadcast = example.getFileName().toString().startsWith("broadcast");
            List<String> names = broadcast ? List.of("BroadcastRequest", kind + "Broadcast")
                    : request.has("recipients") ? List.of("BatchRequest", kind + "Batch", "DirectPayload")
                    : List.of("SendRequest", kind + "Request", "DirectPayload");
            for (String name : names) {
                assertEquals(List.of(), errors(name, request), example + " against " + name);
            }
            if (broadcast) {
                ObjectNode payload = JSON.createObjectNode();
                payload.set("broadcast", request);
                assertEquals(List.of(), errors("DirectPayload", payload), example + " as {\"broadcast\": …}");
                ObjectNode fromS3 = request.deepCopy();
                fromS3.remove("recipients");
                fromS3.put("recipientsFrom", "s3://bucket/lists/weekly.jsonl");
                assertEquals(List.of(), errors("BroadcastRequest", fromS3), example + " with recipientsFrom");
            }
        }
        assertEquals(List.of(), errors("DirectPayload", JSON.readTree("{\"quota\":{\"app\":\"wxdev0000000000001\"}}")));
    }

    @Test
    void requestsTheReadersRefuseFailValidation() throws IOException {
        ObjectNode template = (ObjectNode) JSON.readTree(new File("src/examples/template-dry-run.json"));
        assertEquals(List.of(), errors("SendRequest", template));

        assertInvalid("SendRequest", without(template, "touser"), "touser");
        assertInvalid("TemplateRequest", without(template, "touser"), "touser");
        assertInvalid("SendRequest", with(template, "kind", "telegram"), "kind");
        assertInvalid("SendRequest", with(template, "colour", "#173177"), "colour");
        assertInvalid("SendRequest", with(template, "touser", "o with spaces"), "touser");
        assertInvalid("SendRequest", with(template, "idempotencyKey", "a key"), "idempotencyKey");
        assertInvalid("SendRequest", with(template, "app", "wx123"), "app");
        ObjectNode keyword = template.deepCopy();
        ((ObjectNode) keyword.at("/data/keyword1")).put("value", "twenty-one characters");
        assertInvalid("SendRequest", keyword, "keyword1");
        ObjectNode first = template.deepCopy();
        ((ObjectNode) first.get("data")).putObject("first").put("value", "more than twenty characters: first is not a keyword");
        assertEquals(List.of(), errors("SendRequest", first), "first and remark are not keywords");

        ObjectNode subscribe = (ObjectNode) JSON.readTree(new File("src/examples/subscribe-dry-run.json"));
        ObjectNode thing = subscribe.deepCopy();
        ((ObjectNode) thing.at("/data/thing1")).put("value", "twenty-one characters");
        assertInvalid("SendRequest", thing, "thing1");
        ObjectNode colour = subscribe.deepCopy();
        ((ObjectNode) colour.at("/data/thing1")).put("color", "#173177");
        assertInvalid("SendRequest", colour, "color");

        ObjectNode custom = (ObjectNode) JSON.readTree(new File("src/examples/custom-dry-run.json"));
        ObjectNode image = custom.deepCopy();
        image.putObject("image").put("media_id", "MEDIA_1");
        assertInvalid("SendRequest", image, "image");
        assertInvalid("SendRequest", with(custom, "msgtype", "video"), "msgtype");

        JsonNode batch = JSON.readTree(new File("src/examples/batch-dry-run.json"));
        assertInvalid("BatchRequest", with((ObjectNode) batch, "touser", "oAbCdEfGhIjKlMnOpQrStUvWxYz0"), "touser");
        assertInvalid("SendRequest", batch, "recipients");
        ObjectNode empty = ((ObjectNode) batch).deepCopy();
        empty.putArray("recipients");
        assertInvalid("BatchRequest", empty, "recipients");
        ObjectNode both = ((ObjectNode) JSON.readTree(new File("src/examples/broadcast-dry-run.json"))).deepCopy();
        both.put("recipientsFrom", "s3://bucket/key.jsonl");
        assertFalse(errors("BroadcastRequest", both).isEmpty(), "recipients or recipientsFrom, not both");
    }

    private void assertInvalid(String name, JsonNode request, String field) {
        List<String> errors = errors(name, request);
        assertFalse(errors.isEmpty(), name + " takes " + request);
        assertTrue(errors.stream().anyMatch(error -> error.contains(field)), field + " is not named: " + errors);
    }

    private static ObjectNode without(ObjectNode node, String field) {
        ObjectNode copy = node.deepCopy();
        copy.remove(field);
        return copy;
    }

    private static ObjectNode with(ObjectNode node, String field, String value) {
        return node.deepCopy().put(field, value);
    }

    /** The validator's errors for {@code request} against components/schemas/{name}, which may $ref the others. */
    private List<String> errors(String name, JsonNode request) {
        assertTrue(schemas.has(name), "no schema " + name);
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", DIALECT).put("$ref", "#/components/schemas/" + name);
        root.putObject("components").set("schemas", schemas);
        try {
            Schema schema = SCHEMAS.getSchema(JSON.writeValueAsString(root), InputFormat.JSON);
            List<Error> errors = schema.validate(JSON.writeValueAsString(request), InputFormat.JSON);
            return errors.stream().map(Error::toString).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachKindsSchemasHoldExactlyTheFieldsItsReaderKnows() throws Exception {
        Class<?> kinds = sendClass("Kind");
        Method fields = kinds.getDeclaredMethod("fields");
        fields.setAccessible(true);
        Object[] constants = kinds.getEnumConstants();
        assertEquals(5, constants.length);
        for (Object kind : constants) {
            String name = capitalised(((Enum<?>) kind).name().toLowerCase(Locale.ROOT));
            @SuppressWarnings("unchecked")
            Set<String> known = (Set<String>) fields.invoke(kind);
            assertTrue(known.containsAll(setOf(staticField("Rules", "SHARED_FIELDS"))));
            Set<String> message = properties(name + "Message");

            Set<String> single = new HashSet<>(known);
            single.remove("recipients");
            assertEquals(new TreeSet<>(single), union(message, properties(name + "Request")), name + "Request");

            Set<String> batch = new HashSet<>(known);
            batch.removeAll(Set.of("touser", "officialAccountOpenid"));
            assertEquals(new TreeSet<>(batch), union(message, properties(name + "Batch")), name + "Batch");

            batch.add("recipientsFrom");
            assertEquals(new TreeSet<>(batch), union(message, properties(name + "Broadcast")), name + "Broadcast");

            assertEquals(((Enum<?>) kind).name().toLowerCase(Locale.ROOT), schemas.at("/" + name + "Message/properties/kind/const").asText());
        }
        assertEquals(new TreeSet<>(setOf(staticField("CustomReader", "MSGTYPES"))),
                values(schemas.at("/CustomMessage/properties/msgtype/enum")), "custom's msgtypes");
        assertEquals(values(schemas.at("/CustomMessage/properties/msgtype/enum")),
                new TreeSet<>(iterable(schemas.at("/CustomMessage/dependentSchemas").fieldNames())), "each msgtype's object");

        Class<?> rules = sendClass("DataRule");
        Method itemFields = rules.getDeclaredMethod("itemFields");
        itemFields.setAccessible(true);
        Object officialAccount = enumConstant(rules, "OFFICIAL_ACCOUNT");
        Object subscribe = enumConstant(rules, "SUBSCRIBE");
        assertEquals(new TreeSet<>(setOf(itemFields.invoke(officialAccount))), properties("DataItem"));
        assertEquals(new TreeSet<>(setOf(itemFields.invoke(officialAccount))), properties("KeywordItem"));
        assertEquals(new TreeSet<>(setOf(itemFields.invoke(subscribe))), properties("SubscribeItem"));
    }

    @Test
    void theSchemasPatternsAndLimitsAreTheRules() throws Exception {
        Map<String, String> patterns = Map.of("APPID", "AppId", "OPENID", "OpenId", "TEMPLATE_ID", "TemplateId", "COLOR", "Color",
                "EMPHASIS", "EmphasisKeyword", "IDEMPOTENCY_KEY", "IdempotencyKey", "DATA_KEY", "DataKey");
        patterns.forEach((rule, schema) -> assertEquals("^" + regex(staticField("Rules", rule)) + "$",
                schemas.at("/" + schema + "/pattern").asText(), schema + " is Rules." + rule));
        assertEquals("^" + regex(staticField("CustomReader", "MEDIA_ID")) + "$", schemas.at("/MediaId/pattern").asText());
        Map<String, String> enums = Map.of("KIND", "Kind", "MINIPROGRAM_STATE", "MiniprogramState", "LANG", "Lang");
        enums.forEach((rule, schema) -> assertEquals(new TreeSet<>(Arrays.asList(regex(staticField("Rules", rule)).split("\\|"))),
                values(schemas.at("/" + schema + "/enum")), schema + " is Rules." + rule));

        assertEquals(staticField("Rules", "MAX_URL"), schemas.at("/Url/maxLength").asInt());
        assertEquals(staticField("Rules", "MAX_PAGE"), schemas.at("/Page/maxLength").asInt());
        int maxItems = (int) staticField("Rules", "MAX_DATA_ITEMS");
        for (String data : List.of("GuardData", "OfficialAccountData", "SubscribeData")) {
            assertEquals(maxItems, schemas.at("/" + data + "/maxProperties").asInt(), data);
            assertEquals(1, schemas.at("/" + data + "/minProperties").asInt(), data);
        }
        int maxValue = (int) staticField("Rules", "MAX_VALUE");
        assertEquals(maxValue, schemas.at("/DataItem/properties/value/maxLength").asInt());
        assertEquals(maxValue, schemas.at("/SubscribeItem/properties/value/maxLength").asInt());
        assertEquals(staticField("Rules", "MAX_KEYWORD_VALUE"), schemas.at("/KeywordItem/properties/value/maxLength").asInt());
        assertEquals(new TreeSet<>(setOf(staticField("Rules", "DROPPED_KEYS"))), properties("OfficialAccountData"),
                "first and remark are not keywords");

        @SuppressWarnings("unchecked")
        Map<String, Integer> limits = (Map<String, Integer>) staticField("Rules", "SUBSCRIBE_LIMITS");
        JsonNode byType = schemas.at("/SubscribeData/patternProperties");
        assertEquals(limits.size(), byType.size(), "one pattern a type");
        limits.forEach((type, limit) -> {
            JsonNode item = byType.path("^" + type + "[0-9]*$");
            assertFalse(item.isMissingNode(), "no pattern for " + type);
            assertEquals(limit, resolve(item).at("/properties/value/maxLength").asInt(), type);
        });
    }

    @Test
    void onlyDevAndTestBuildsServeTheDocumentAndTheBuildCopiesIt() throws IOException {
        IfBuildProfile profiles = OpenApiDocument.class.getAnnotation(IfBuildProfile.class);
        assertNotNull(profiles, "a production build must leave the route out");
        assertEquals(Set.of("dev", "test"), Set.of(profiles.anyOf()));
        assertEquals("", profiles.value());
        Path copied = Path.of("target", "classes", "openapi.yaml");
        assertTrue(Files.exists(copied), "pom.xml's resources copy docs/openapi.yaml to " + copied);
        assertEquals(Files.readString(Path.of("docs", "openapi.yaml")), Files.readString(copied));
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private Set<String> properties(String schema) {
        JsonNode node = schemas.get(schema);
        assertNotNull(node, "no schema " + schema);
        return new TreeSet<>(iterable(node.path("properties").fieldNames()));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Set<String> values(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(value -> values.add(value.asText()));
        assertFalse(values.isEmpty());
        return values;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private static String capitalised(String name) {
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> setOf(Object set) {
        return (Set<String>) set;
    }

    /** The request readers' classes live in wxsend.send, or after issue 27's split, in one of its stage packages. */
    private static Class<?> sendClass(String simpleName) {
        for (String pkg : List.of("wxsend.send", "wxsend.send.request", "wxsend.send.message", "wxsend.send.delivery",
                "wxsend.send.outcome")) {
            try {
                return Class.forName(pkg + "." + simpleName);
            } catch (ClassNotFoundException e) {
                // the next package
            }
        }
        return fail("no class " + simpleName + " in wxsend.send or its stage packages");
    }

    private static Object staticField(String className, String name) {
        try {
            Field field = sendClass(className).getDeclaredField(name);
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(className + "." + name, e);
        }
    }

    private static Object enumConstant(Class<?> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> ((Enum<?>) c).name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(type + "." + name));
    }

    /** A TextRule's regular expression. */
    private static String regex(Object rule) {
        try {
            Method pattern = rule.getClass().getDeclaredMethod("pattern");
            pattern.setAccessible(true);
            return ((Pattern) pattern.invoke(rule)).pattern();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
