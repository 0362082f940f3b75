package wxsend.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.core.sync.RequestBody;
import wxsend.support.EventSourceMapping;
import wxsend.support.ExportDeliver;
import wxsend.support.Messages;
import wxsend.support.S3Mock;
import wxsend.support.StandInsResource;

/**
 * A recipient whose field names are openids (a list exported with its user ids as keys): the
 * answer, the log and the failures report name each such field by its first four and last two
 * characters, never whole. The report still holds a recipient's own touser where it lists one.
 */
@QuarkusTest
@TestProfile(ExportDeliver.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BroadcastFieldNamesTest extends BroadcastCase {

    /** Shaped as LogHygiene looks for, so the check after each test finds them too. */
    private static final String AS_FIELD = Messages.openid(901);
    private static final String AS_DATA_KEY = Messages.openid(902);
    /** With '-', as many openids are: not a valid data key, and not what LogHygiene looks for, so checked here. */
    private static final String DASHED = "oRcpt-0000000000000000000903";

    @Test
    void anInlineRecipientWithAnOpenidAsAFieldNameIsRefusedNamingItMasked() {
        wechat.sendOk(token);
        String batch = Messages.batch(appid, 2, "names-inline");
        String unknown = batch.replace("{\"touser\":\"" + Messages.openid(1) + "\"",
                "{\"touser\":\"" + Messages.openid(1) + "\",\"" + AS_FIELD + "\":\"x\"");
        Response refused = call("POST", "/broadcasts", unknown);
        assertEquals(400, refused.statusCode(), refused.asString());
        assertEquals("recipients[1].oRcp***01 (28 characters)", refused.jsonPath().getString("errors[0].field"));
        assertFalse(refused.asString().contains(AS_FIELD), refused.asString());

        // A valid data key (28 letters and digits) holding a character SQS refuses: named by its field, masked.
        String unsendable = batch.replace("\"keyword1\":{\"value\":\"prize 0\"}", "\"" + AS_DATA_KEY + "\":{\"value\":\"\\uffff\"}");
        refused = call("POST", "/broadcasts", unsendable);
        assertEquals(400, refused.statusCode(), refused.asString());
        assertEquals("recipients[0].data.oRcp***02 (28 characters).value", refused.jsonPath().getString("errors[0].field"));
        assertFalse(refused.asString().contains(AS_DATA_KEY), refused.asString());

        assertEquals(0, EventSourceMapping.receive().size(), "nothing was queued");
        assertNotLogged();
    }

    @Test
    void linesFromS3WithOpenidsAsFieldNamesAreInvalidAndReportedMasked() throws Exception {
        String data = ",\"data\":{\"keyword1\":{\"value\":\"prize\"}}}\n";
        String lines = "{\"touser\":\"" + Messages.openid(1) + "\"" + data
                + "{\"touser\":\"" + Messages.openid(2) + "\",\"" + AS_FIELD + "\":\"x\"}\n"
                + "{\"touser\":\"" + Messages.openid(3) + "\",\"data\":{\"" + DASHED + "\":{\"value\":\"x\"}}}\n"
                + "{\"touser\":\"" + Messages.openid(4) + "\",\"data\":{\"" + AS_DATA_KEY + "\":{\"value\":\"\\uffff\"}}}\n"
                + "{\"touser\":\"" + Messages.openid(5) + "\",\"data\":{\"" + AS_DATA_KEY + "\":{\"value\":\"" + "v".repeat(21) + "\"}}}\n"
                + "{\"touser\":\"" + Messages.openid(6) + "\"" + data;
        String key = "lists/names-" + appid + ".jsonl";
        S3Mock.s3().putObject(r -> r.bucket(S3Mock.BUCKET).key(key), RequestBody.fromString(lines));
        wechat.sendOk(token);
        Response accepted = call("POST", "/broadcasts", Messages.batch(appid, 1, "names-s3-" + appid)
                .replaceFirst("\"recipients\":\\[.*\\]", "\"recipientsFrom\":\"s3://" + S3Mock.BUCKET + "/" + key + "\""));
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("id");

        EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofMinutes(1));

        JsonNode status = status(id);
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(4, status.at("/counts/INVALID").asInt(), status::toString);
        List<String> fields = new ArrayList<>();
        String report = report("wxsend-reports/" + id + "/");
        for (String line : report.split("\n")) {
            JSON.readTree(line).path("errors").forEach(error -> fields.add(error.get("field").asText()));
        }
        assertEquals(List.of("line 2.oRcp***01 (28 characters)", "line 3.data.oRcp***03 (28 characters)",
                "line 4.data.oRcp***02 (28 characters).value", "line 5.data.oRcp***02 (28 characters).value"), fields, report);
        assertFalse(report.contains(AS_FIELD) || report.contains(AS_DATA_KEY) || report.contains(DASHED), report);
        assertTrue(logs.text().contains("line 2 is INVALID and skipped: [line 2.oRcp***01 (28 characters): unknown field]"),
                logs::text);
        assertNotLogged();
    }

    private void assertNotLogged() {
        String logged = logs.text();
        for (String openid : List.of(AS_FIELD, AS_DATA_KEY, DASHED)) {
            assertFalse(logged.contains(openid), "an openid used as a field name was logged whole: " + openid);
        }
    }

    private static String report(String prefix) {
        StringBuilder report = new StringBuilder();
        S3Mock.s3().listObjectsV2(r -> r.bucket(S3Mock.BUCKET).prefix(prefix)).contents().forEach(object -> report.append(
                S3Mock.s3().getObjectAsBytes(r -> r.bucket(S3Mock.BUCKET).key(object.key())).asUtf8String()));
        return report.toString();
    }
}
