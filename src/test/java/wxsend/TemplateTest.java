package wxsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.funqy.Funq;
import wxsend.entry.DeliverFunction;
import wxsend.entry.HttpFunction;
import wxsend.entry.ScheduledFunction;
import wxsend.entry.SendFunction;

/** No cfn-lint or sam CLI can be installed here, so the template's structure is checked by reading it. */
@Tag("unit")
class TemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PUSH_ROUTES = Set.of("GET /wechat/push/{appid}", "POST /wechat/push/{appid}");
    private final JsonNode template = read();
    private final JsonNode resources = template.get("Resources");

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(new File("template.yaml"));
        } catch (Exception e) {
            throw new IllegalStateException("template.yaml does not parse", e);
        }
    }

    private JsonNode resource(String name, String type) {
        JsonNode resource = resources.get(name);
        assertTrue(resource != null, name + " is missing");
        assertEquals(type, resource.get("Type").asText(), name);
        return resource.get("Properties");
    }

    @Test
    void isASamTemplateOfNativeFunctionsSharingOneZip() {
        assertEquals("AWS::Serverless-2016-10-31", template.get("Transform").asText());
        JsonNode function = template.at("/Globals/Function");
        assertEquals("provided.al2023", function.get("Runtime").asText());
        assertEquals("target/function.zip", function.get("CodeUri").asText());
        assertTrue(function.has("Handler") && function.has("Architectures") && function.has("MemorySize"));
        assertTrue(function.get("Timeout").asInt() > 20, "longer than the default SEND_TIME_BUDGET of 20 s");
        JsonNode env = function.at("/Environment/Variables");
        assertEquals("dynamodb", env.get("TOKEN_STORE").asText());
        assertEquals("TokenTable", env.at("/TOKEN_TABLE/Ref").asText());
        assertEquals("false", env.get("QUARKUS_HTTP_HOST_ENABLED").asText());
    }

    /** The queue's worker is CPU-bound: its own size, by parameter; the others keep the Globals' 256 MB. */
    @Test
    void theDeliverFunctionTakesItsMemoryFromItsOwnParameter() {
        assertEquals(256, template.at("/Globals/Function/MemorySize").asInt());
        assertEquals("DeliverMemorySize", resource("DeliverFunction", "AWS::Serverless::Function").at("/MemorySize/Ref").asText());
        assertEquals(1024, template.at("/Parameters/DeliverMemorySize/Default").asInt());
        for (String other : List.of("SendFunction", "HttpFunction", "ScheduledFunction")) {
            assertTrue(resource(other, "AWS::Serverless::Function").path("MemorySize").isMissingNode(), other);
        }
    }

    @Test
    void eachFunctionExportsAFunqyFunctionThatExists() {
        Set<String> funqs = new HashSet<>();
        for (Class<?> type : List.of(SendFunction.class, HttpFunction.class, ScheduledFunction.class, DeliverFunction.class)) {
            for (Method method : type.getMethods()) {
                if (method.isAnnotationPresent(Funq.class)) {
                    funqs.add(method.getAnnotation(Funq.class).value());
                }
            }
        }
        Map<String, String> exports = Map.of("SendFunction", "send", "HttpFunction", "http", "ScheduledFunction", "scheduled",
                "DeliverFunction", "deliver");
        exports.forEach((name, export) -> {
            JsonNode function = resource(name, "AWS::Serverless::Function");
            assertEquals(export, function.at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText(), name);
            assertTrue(funqs.contains(export), "no @Funq(\"" + export + "\") in the code");
        });
    }

    @Test
    void theTokenTableIsKeyedByAppidWithTtlOnDemand() {
        JsonNode table = resource("TokenTable", "AWS::DynamoDB::Table");
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode").asText());
        assertEquals("appid", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals("HASH", table.at("/KeySchema/0/KeyType").asText());
        assertEquals(1, table.get("KeySchema").size());
        assertEquals("ttl", table.at("/TimeToLiveSpecification/AttributeName").asText());
        assertTrue(table.at("/TimeToLiveSpecification/Enabled").asBoolean());
    }

    @Test
    void theIdempotencyTableIsKeyedByIdWithTtlOnDemandAndReachesEveryFunction() {
        JsonNode table = resource("IdempotencyTable", "AWS::DynamoDB::Table");
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode").asText());
        assertEquals("id", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals(1, table.get("KeySchema").size());
        assertEquals("ttl", table.at("/TimeToLiveSpecification/AttributeName").asText());
        assertTrue(table.at("/TimeToLiveSpecification/Enabled").asBoolean());
        JsonNode env = template.at("/Globals/Function/Environment/Variables");
        assertEquals("dynamodb", env.get("IDEMPOTENCY_STORE").asText());
        assertEquals("IdempotencyTable", env.at("/IDEMPOTENCY_TABLE/Ref").asText());
    }

    @Test
    void everyRouteReachesTheHttpFunctionAndOnlyWeChatsPushesAreOpen() {
        JsonNode integration = resource("HttpIntegration", "AWS::ApiGatewayV2::Integration");
        assertEquals("2.0", integration.get("PayloadFormatVersion").asText());
        assertEquals("HttpFunction", integration.at("/IntegrationUri/Fn::GetAtt/0").asText());
        Set<String> routes = new HashSet<>();
        resources.fields().forEachRemaining(entry -> {
            if (entry.getValue().get("Type").asText().equals("AWS::ApiGatewayV2::Route")) {
                JsonNode route = entry.getValue().get("Properties");
                routes.add(route.get("RouteKey").asText());
                JsonNode auth = route.get("AuthorizationType");
                assertEquals("integrations", route.at("/Target/Fn::Join/1/0").asText(), entry.getKey());
                assertEquals("HttpIntegration", route.at("/Target/Fn::Join/1/1/Ref").asText(), entry.getKey());
                if (PUSH_ROUTES.contains(route.get("RouteKey").asText())) {
                    // WeChat signs its pushes itself; wxsend checks that signature (PushVerifier).
                    assertEquals("NONE", auth.asText(), entry.getKey());
                    assertFalse(route.has("AuthorizerId") || route.has("AuthorizationScopes"), entry.getKey());
                } else {
                    assertEquals("[\"UseJwt\",\"JWT\",\"AWS_IAM\"]", auth.get("Fn::If").toString(), entry.getKey());
                }
            }
        });
        assertEquals(Set.of("POST /messages", "POST /messages/batch", "GET /health", "POST /broadcasts",
                "GET /broadcasts/{id}", "POST /broadcasts/{id}/cancel", "GET /quota", "GET /quota/{appid}",
                "GET /wechat/push/{appid}", "POST /wechat/push/{appid}"), routes);
        JsonNode permission = resource("HttpApiInvokesHttpFunction", "AWS::Lambda::Permission");
        assertEquals("apigateway.amazonaws.com", permission.get("Principal").asText());
        assertEquals("JWT", resource("JwtAuthorizer", "AWS::ApiGatewayV2::Authorizer").get("AuthorizerType").asText());
        assertEquals("IAM", template.at("/Parameters/AuthMode/Default").asText());
    }

    /**
     * Under JWT a token needs its route group's scope (so a reader's token cannot send); under IAM the property is
     * absent, since API Gateway refuses scopes on an AWS_IAM route.
     */
    @Test
    void underJwtEachRouteRequiresTheScopeOfItsGroup() {
        Map<String, String> groups = Map.of("POST /messages", "JwtSendScope", "POST /messages/batch", "JwtSendScope",
                "POST /broadcasts", "JwtBroadcastScope", "POST /broadcasts/{id}/cancel", "JwtBroadcastScope",
                "GET /broadcasts/{id}", "JwtReadScope", "GET /quota", "JwtReadScope", "GET /quota/{appid}", "JwtReadScope",
                "GET /health", "JwtReadScope");
        Set<String> seen = new HashSet<>();
        resources.fields().forEachRemaining(entry -> {
            if (entry.getValue().get("Type").asText().equals("AWS::ApiGatewayV2::Route")) {
                JsonNode route = entry.getValue().get("Properties");
                String key = route.get("RouteKey").asText();
                if (PUSH_ROUTES.contains(key)) {
                    return;
                }
                assertTrue(groups.containsKey(key), key + " belongs to no scope group");
                seen.add(key);
                JsonNode scopes = route.at("/AuthorizationScopes/Fn::If");
                assertEquals(3, scopes.size(), entry.getKey() + " has no AuthorizationScopes Fn::If");
                assertEquals("UseJwt", scopes.get(0).asText(), entry.getKey());
                assertEquals(1, scopes.get(1).size(), entry.getKey());
                assertEquals(groups.get(key), scopes.at("/1/0/Ref").asText(), entry.getKey());
                assertEquals("AWS::NoValue", scopes.at("/2/Ref").asText(), entry.getKey());
            }
        });
        assertEquals(groups.keySet(), seen);
        Map<String, String> defaults = Map.of("JwtSendScope", "wxsend/send", "JwtBroadcastScope", "wxsend/broadcast",
                "JwtReadScope", "wxsend/read");
        defaults.forEach((name, scope) -> {
            JsonNode parameter = template.at("/Parameters/" + name);
            assertEquals("String", parameter.get("Type").asText(), name);
            assertEquals(scope, parameter.get("Default").asText(), name);
            java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(parameter.get("AllowedPattern").asText());
            assertTrue(allowed.matcher(scope).matches(), name);
            assertTrue(allowed.matcher("https://api.example.com/send").matches(), name);
            assertFalse(allowed.matcher("").matches(), name);
            assertFalse(allowed.matcher("wxsend/send wxsend/read").matches(), "one scope, no spaces: " + name);
            assertFalse(allowed.matcher("wxsend\\send").matches(), name);
        });
    }

    @Test
    void policiesAreScopedAndHaveNoWildcardActions() {
        JsonNode statements = resource("WxsendAccess", "AWS::IAM::ManagedPolicy").at("/PolicyDocument/Statement");
        List<String> actions = new ArrayList<>();
        for (JsonNode statement : statements) {
            assertEquals("Allow", statement.get("Effect").asText());
            statement.get("Action").forEach(a -> actions.add(a.asText()));
            JsonNode resource = statement.get("Resource");
            assertFalse(resource.isTextual() && resource.asText().equals("*"), "a statement on every resource");
        }
        assertTrue(actions.stream().noneMatch(a -> a.contains("*")), actions::toString);
        List<String> items = List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        List<String> expected = new ArrayList<>(items);
        expected.addAll(items);
        expected.addAll(List.of("ssm:GetParameter", "kms:Decrypt"));
        assertEquals(expected, actions);
        assertEquals("TokenTable", statements.at("/0/Resource/Fn::GetAtt/0").asText());
        assertEquals("IdempotencyTable", statements.at("/1/Resource/Fn::GetAtt/0").asText());
        assertTrue(statements.at("/2/Resource/Fn::Sub").asText().endsWith(":parameter${AppSecretParameterPrefix}/*"));
        assertTrue(statements.at("/3/Condition/StringEquals/kms:ViaService/Fn::Sub").asText().startsWith("ssm."));
        for (String name : List.of("SendFunction", "HttpFunction", "ScheduledFunction", "DeliverFunction")) {
            JsonNode policies = resources.at("/" + name + "/Properties/Policies");
            assertEquals("WxsendAccess", policies.at("/0/Ref").asText(), name);
            // Every entry accepts {"broadcast":…} (Invocations), so each may queue chunks and read recipients.
            assertEquals(name.equals("HttpFunction") ? 3 : 2, policies.size(), name);
            assertEquals("WxsendQueueAccess", policies.at("/1/Ref").asText(), name);
        }
        assertEquals("WxsendPushAccess", resources.at("/HttpFunction/Properties/Policies/2/Ref").asText());
        JsonNode queueing = resource("WxsendQueueAccess", "AWS::IAM::ManagedPolicy").at("/PolicyDocument/Statement");
        assertEquals("[\"sqs:SendMessage\"]", queueing.at("/0/Action").toString());
        assertEquals("DeliveryQueue", queueing.at("/0/Resource/Fn::GetAtt/0").asText());
        assertEquals("[\"dynamodb:GetItem\",\"dynamodb:BatchGetItem\",\"dynamodb:PutItem\",\"dynamodb:UpdateItem\"]",
                queueing.at("/1/Action").toString());
        assertEquals("BroadcastTable", queueing.at("/1/Resource/Fn::GetAtt/0").asText());
        // Recipients' objects: GetObject on the one bucket named by parameter, and nothing when it is empty.
        assertEquals("ReadRecipients", queueing.at("/2/Fn::If/0").asText());
        assertEquals("[\"s3:GetObject\"]", queueing.at("/2/Fn::If/1/Action").toString());
        assertEquals("arn:${AWS::Partition}:s3:::${RecipientsBucket}/*", queueing.at("/2/Fn::If/1/Resource/Fn::Sub").asText());
        assertEquals("AWS::NoValue", queueing.at("/2/Fn::If/2/Ref").asText());
        assertEquals("[\"s3:PutObject\"]", queueing.at("/3/Fn::If/1/Action").toString());
        assertEquals("arn:${AWS::Partition}:s3:::${RecipientsBucket}/wxsend-reports/*",
                queueing.at("/3/Fn::If/1/Resource/Fn::Sub").asText());
        assertEquals("", template.at("/Parameters/RecipientsBucket/Default").asText());
        JsonNode env = template.at("/Globals/Function/Environment/Variables");
        assertEquals("BroadcastTable", env.at("/BROADCAST_TABLE/Ref").asText());
        assertEquals("DeliveryQueue", env.at("/DELIVERY_QUEUE_URL/Ref").asText());
    }

    @Test
    void theDeliveryQueueFeedsDeliverWithPerMessageFailuresAndADeadLetterQueue() {
        JsonNode queue = resource("DeliveryQueue", "AWS::SQS::Queue");
        int timeout = template.at("/Globals/Function/Timeout").asInt();
        assertTrue(queue.get("VisibilityTimeout").asInt() >= 6 * timeout, "visibility at least six function timeouts");
        assertEquals("DeliveryDeadLetterQueue", queue.at("/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0").asText());
        assertEquals("QueueMaxReceiveCount", queue.at("/RedrivePolicy/maxReceiveCount/Ref").asText());
        assertTrue(queue.get("SqsManagedSseEnabled").asBoolean());
        JsonNode dlq = resource("DeliveryDeadLetterQueue", "AWS::SQS::Queue");
        assertTrue(dlq.get("MessageRetentionPeriod").asInt() > queue.get("MessageRetentionPeriod").asInt(),
                "a dead letter outlives the message it was");
        JsonNode event = resources.at("/DeliverFunction/Properties/Events/Queue");
        assertEquals("SQS", event.get("Type").asText());
        assertEquals("DeliveryQueue", event.at("/Properties/Queue/Fn::GetAtt/0").asText());
        assertEquals("[\"ReportBatchItemFailures\"]", event.at("/Properties/FunctionResponseTypes").toString());
        assertEquals("QueueMaximumConcurrency", event.at("/Properties/ScalingConfig/MaximumConcurrency/Ref").asText());
        assertTrue(template.at("/Parameters/QueueMaximumConcurrency/MinValue").asInt() >= 2, "Lambda's own minimum");
    }

    @Test
    void aVpcIsOptionalAndByDefaultTheFunctionsStayOutsideOne() {
        assertEquals("", template.at("/Parameters/VpcSubnetIds/Default").asText());
        assertEquals("CommaDelimitedList", template.at("/Parameters/VpcSubnetIds/Type").asText());
        assertEquals("", template.at("/Parameters/VpcSecurityGroupIds/Default").asText());
        JsonNode vpc = template.at("/Globals/Function/VpcConfig/Fn::If");
        assertEquals("InVpc", vpc.get(0).asText());
        assertEquals("VpcSubnetIds", vpc.at("/1/SubnetIds/Ref").asText());
        assertEquals("VpcSecurityGroupIds", vpc.at("/1/SecurityGroupIds/Ref").asText());
        assertEquals("AWS::NoValue", vpc.at("/2/Ref").asText(), "no VpcConfig at all when no subnets are given");
        JsonNode inVpc = template.at("/Conditions/InVpc/Fn::Not/0/Fn::Equals");
        assertEquals("VpcSubnetIds", inVpc.at("/0/Fn::Join/1/Ref").asText());
        assertEquals("", inVpc.get(1).asText());
    }

    @Test
    void eachAppsOwnWeChatRouteIsAParameterThatReachesEveryFunction() {
        assertEquals("WeChatApiUrls", template.at("/Globals/Function/Environment/Variables/WECHAT_API_URLS/Ref").asText());
        JsonNode parameter = template.at("/Parameters/WeChatApiUrls");
        assertEquals("", parameter.get("Default").asText());
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(parameter.get("AllowedPattern").asText());
        assertTrue(allowed.matcher("").matches());
        assertTrue(allowed.matcher("wx00000000000000a1=https://egress.example.com,wx00000000000000a2=https://10.0.0.5:3128").matches());
        // The token fetch carries the appsecret: no plain http (ConfigCheck would stop every sandbox's start-up anyway).
        assertFalse(allowed.matcher("wx00000000000000a1=https://egress.example.com,wx00000000000000a2=http://10.0.0.5:3128").matches());
        assertFalse(allowed.matcher("wx00000000000000a1").matches());
        assertFalse(allowed.matcher("oa=https://egress.example.com").matches());
    }

    @Test
    void theSecretComesFromSsmNeverFromAPlainParameter() {
        template.get("Parameters").fields().forEachRemaining(p -> assertFalse(
                p.getKey().toLowerCase().contains("secret") && !p.getKey().equals("AppSecretParameterPrefix"), p.getKey()));
        assertFalse(template.at("/Globals/Function/Environment/Variables").has("WECHAT_SECRET"));
        assertEquals("AppSecretParameterPrefix",
                template.at("/Globals/Function/Environment/Variables/APP_SECRET_PARAMETER_PREFIX/Ref").asText());
    }

    @Test
    void theExampleScheduleIsOffAndCarriesASendRequest() throws Exception {
        JsonNode schedule = resources.at("/ScheduledFunction/Properties/Events/DailyReminder");
        assertEquals("ScheduleV2", schedule.get("Type").asText());
        assertTrue(schedule.at("/Properties/ScheduleExpression").asText().startsWith("cron("));
        assertEquals("DISABLED", template.at("/Parameters/ScheduleState/Default").asText());
        assertEquals("ScheduleState", schedule.at("/Properties/State/Ref").asText());
        JsonNode input = JSON.readTree(schedule.at("/Properties/Input").asText());
        assertTrue(input.has("touser") && input.has("mp_template_msg"), input::toString);
        // Each occurrence its own key: a content-derived key would swallow tomorrow's identical message.
        assertTrue(input.get("idempotencyKey").asText().contains("<aws.scheduler.scheduled-time>"), input::toString);
    }

    /** WeChat's pushes: PutEvents on the one bus the parameter chooses, and only from the HTTP function. */
    @Test
    void pushesGoToTheChosenBusWhichOnlyTheHttpFunctionMayPutOn() {
        JsonNode parameter = template.at("/Parameters/PushEventBus");
        assertEquals("own", parameter.get("Default").asText());
        assertEquals("[\"own\",\"default\"]", parameter.get("AllowedValues").toString());
        assertEquals("[{\"Ref\":\"PushEventBus\"},\"own\"]", template.at("/Conditions/OwnEventBus/Fn::Equals").toString());
        assertEquals("OwnEventBus", resources.at("/WeChatEventBus/Condition").asText());
        resource("WeChatEventBus", "AWS::Events::EventBus");
        JsonNode bus = resources.at("/HttpFunction/Properties/Environment/Variables/EVENT_BUS_NAME/Fn::If");
        assertEquals("[\"OwnEventBus\",{\"Ref\":\"WeChatEventBus\"},\"default\"]", bus.toString());
        JsonNode statements = resource("WxsendPushAccess", "AWS::IAM::ManagedPolicy").at("/PolicyDocument/Statement");
        assertEquals(1, statements.size());
        assertEquals("[\"events:PutEvents\"]", statements.at("/0/Action").toString());
        JsonNode target = statements.at("/0/Resource/Fn::If");
        assertEquals("OwnEventBus", target.get(0).asText());
        assertEquals("WeChatEventBus", target.at("/1/Fn::GetAtt/0").asText());
        assertTrue(target.at("/2/Fn::Sub").asText().endsWith(":event-bus/default"), target::toString);
        for (String name : List.of("SendFunction", "ScheduledFunction", "DeliverFunction")) {
            assertFalse(resources.at("/" + name + "/Properties/Policies").toString().contains("WxsendPushAccess"), name);
        }
        // The push Token and key are {prefix}/{appid}/push-token and …/push-aes-key, which the app secrets' grant covers.
        JsonNode ssm = resource("WxsendAccess", "AWS::IAM::ManagedPolicy").at("/PolicyDocument/Statement/2");
        assertEquals("[\"ssm:GetParameter\"]", ssm.get("Action").toString());
        assertTrue(ssm.at("/Resource/Fn::Sub").asText().endsWith("parameter${AppSecretParameterPrefix}/*"));
        assertTrue(template.at("/Outputs/WeChatPushUrl/Value/Fn::Sub").asText().endsWith("/wechat/push/"));
    }

    @Test
    void outputsNameTheApiAndEveryFunction() {
        JsonNode outputs = template.get("Outputs");
        for (String name : List.of("ApiUrl", "SendFunctionArn", "HttpFunctionArn", "ScheduledFunctionArn", "DeliverFunctionArn",
                "DeliveryQueueUrl", "DeliveryDeadLetterQueueUrl")) {
            assertTrue(outputs.has(name), name);
        }
    }
}
