package wxsend.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
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
 * Broadcasts whose recipients are an S3 object of JSON Lines (in S3Mock), planned in steps of
 * 2,500 lines (BROADCAST_PLAN_LINES_PER_STEP in the test configuration), each step going on in the
 * next plan message from its byte offset.
 */
@QuarkusTest
@TestProfile(ExportDeliver.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BroadcastFromS3Test extends BroadcastCase {

    private static final Set<Integer> BAD_LINES = Set.of(17, 4_242, 9_999);

    @BeforeEach
    void sendsSucceed() {
        wechat.sendOk(token);
    }

    private Response submitFrom(String recipientsFrom, String key) {
        return call("POST", "/broadcasts",
                Messages.batch(appid, 1, key).replaceFirst("\"recipients\":\\[.*\\]", "\"recipientsFrom\":\"" + recipientsFrom + "\""));
    }

    /** Lines 1..n, one recipient each; the bad ones are a number for touser, an openid as an unknown field, and not JSON. */
    private static String lines(int n) {
        StringBuilder lines = new StringBuilder();
        for (int line = 1; line <= n; line++) {
            if (line == 17) {
                lines.append("{\"touser\":17}\n");
            } else if (line == 4_242) {
                // An openid as a field name (a column header gone wrong): INVALID, and logged only masked.
                lines.append("{\"touser\":\"").append(Messages.openid(line)).append("\",\"").append(Messages.openid(line + 1))
                        .append("\":\"x\"}\n");
            } else if (line == 9_999) {
                lines.append("not json at all\n");
            } else {
                lines.append("{\"touser\":\"").append(Messages.openid(line)).append("\",\"data\":{\"keyword1\":{\"value\":\"prize ")
                        .append(line).append("\"}}}\n");
            }
            if (line % 1000 == 0) {
                lines.append('\n'); // blank lines are skipped, not counted
            }
        }
        return lines.toString();
    }

    @Test
    void tenThousandLinesFromS3ReachEveryGoodRecipientOnceAndCountTheBadOnes() throws Exception {
        String key = "lists/" + appid + ".jsonl";
        S3Mock.s3().putObject(r -> r.bucket(S3Mock.BUCKET).key(key), RequestBody.fromString(lines(10_000)));

        Response accepted = submitFrom("s3://" + S3Mock.BUCKET + "/" + key, "from-s3-" + appid);
        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals("PLANNING", accepted.jsonPath().getString("state"));
        String id = accepted.jsonPath().getString("id");

        EventSourceMapping.drain(Duration.ofSeconds(3), Duration.ofMinutes(5));

        Map<String, Integer> reached = reached();
        // Exactly once, and no silent gap: a good recipient either reached WeChat, or (when the stand-in
        // dropped a connection under load, which two busy cores sometimes see) ended UNKNOWN and is in
        // the failures report; none was posted twice.
        String prefix = "wxsend-reports/" + id + "/";
        Set<String> unknown = new java.util.HashSet<>();
        Set<Integer> reported = new java.util.HashSet<>();
        for (String line : report(prefix).split("\n")) {
            JsonNode failure = JSON.readTree(line);
            if (failure.get("status").asText().equals("INVALID")) {
                reported.add(failure.get("line").asInt());
            } else {
                assertEquals("UNKNOWN", failure.get("status").asText(), failure::toString);
                unknown.add(failure.get("touser").asText());
            }
        }
        assertTrue(reached.values().stream().allMatch(n -> n == 1), "none twice");
        for (int n = 1; n <= 10_000; n++) {
            String touser = Messages.openid(n);
            if (BAD_LINES.contains(n)) {
                assertTrue(!reached.containsKey(touser), "bad line " + n + " was sent");
            } else {
                assertTrue(reached.containsKey(touser) || unknown.contains(touser), "recipient on line " + n + " is missing");
            }
        }
        assertTrue(unknown.size() <= 10, "a handful of dropped connections at most: " + unknown.size());
        JsonNode status = status(id);
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(10_000, status.get("total").asInt());
        assertEquals(10_000 - BAD_LINES.size() - unknown.size(), status.at("/counts/SENT").asInt());
        assertEquals(unknown.size(), status.at("/counts/UNKNOWN").asInt(0));
        assertEquals(BAD_LINES.size(), status.at("/counts/INVALID").asInt());
        for (int n : BAD_LINES) {
            // Line numbers are the file's: a blank line follows every thousandth recipient.
            int line = n + (n - 1) / 1000;
            assertTrue(logs.text().contains("line " + line + " is INVALID"), "line " + line + " reported");
        }
        assertEquals(0, EventSourceMapping.deadLetters());

        // The failures report: each bad line, by its number, in the user's bucket.
        assertEquals("s3://" + S3Mock.BUCKET + "/" + prefix, status.get("failures").asText());
        assertEquals(Set.of(17, 4_246, 10_008), reported, "file line numbers, blank lines included");
    }

    private static String report(String prefix) {
        StringBuilder report = new StringBuilder();
        S3Mock.s3().listObjectsV2(r -> r.bucket(S3Mock.BUCKET).prefix(prefix)).contents().forEach(object -> report.append(
                S3Mock.s3().getObjectAsBytes(r -> r.bucket(S3Mock.BUCKET).key(object.key())).asUtf8String()));
        return report.toString();
    }

    @Test
    void aMissingObjectOrABadSourceIsRefusedNamingRecipientsFrom() {
        S3Mock.s3();
        for (String source : new String[] { "s3://" + S3Mock.BUCKET + "/no-such-object.jsonl", "https://example.com/x.jsonl",
                "s3://another-bucket/list.jsonl" }) {
            Response refused = submitFrom(source, "bad-source");
            assertEquals(400, refused.statusCode(), source + ": " + refused.asString());
            assertEquals("recipientsFrom", refused.jsonPath().getString("errors[0].field"), source);
        }
        assertEquals(0, EventSourceMapping.receive().size(), "nothing was queued");
    }
}
