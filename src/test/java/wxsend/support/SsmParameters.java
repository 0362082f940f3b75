package wxsend.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A stateful stand-in for SSM Parameter Store's JSON 1.1 protocol: GetParameter and PutParameter
 * (X-Amz-Target: AmazonSSM.*) keep real parameters, with versions and ParameterNotFound, so the
 * real AWS SDK client can be tested against it. Values are kept as given: decryption is SSM's
 * business and invisible to a client.
 */
public final class SsmParameters implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "ssm-parameters";
    public static final SsmParameters INSTANCE = new SsmParameters();

    public record Parameter(String value, String type, long version) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Parameter> parameters = new ConcurrentHashMap<>();

    private SsmParameters() {
    }

    public Parameter get(String name) {
        return parameters.get(name);
    }

    public void put(String name, String value, String type) {
        parameters.merge(name, new Parameter(value, type, 1), (old, next) -> new Parameter(value, type, old.version() + 1));
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String target = event.getRequest().getHeader("X-Amz-Target");
        try {
            JsonNode request = json.readTree(event.getRequest().getBodyAsString());
            String name = request.path("Name").asText();
            if ("AmazonSSM.GetParameter".equals(target)) {
                Parameter parameter = parameters.get(name);
                if (parameter == null) {
                    return answer(400, json.createObjectNode().put("__type", "ParameterNotFound").put("message", name));
                }
                ObjectNode body = json.createObjectNode();
                body.putObject("Parameter").put("Name", name).put("Type", parameter.type()).put("Value", parameter.value())
                        .put("Version", parameter.version()).put("DataType", "text");
                return answer(200, body);
            }
            if ("AmazonSSM.PutParameter".equals(target)) {
                if (parameters.containsKey(name) && !request.path("Overwrite").asBoolean(false)) {
                    return answer(400, json.createObjectNode().put("__type", "ParameterAlreadyExists").put("message", name));
                }
                put(name, request.path("Value").asText(), request.path("Type").asText("String"));
                return answer(200, json.createObjectNode().put("Version", parameters.get(name).version()).put("Tier", "Standard"));
            }
            return answer(400, json.createObjectNode().put("__type", "InvalidAction").put("message", String.valueOf(target)));
        } catch (Exception e) {
            return answer(500, json.createObjectNode().put("__type", "InternalServerError").put("message", e.toString()));
        }
    }

    private static ResponseDefinition answer(int status, JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body.toString()).build();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }
}
