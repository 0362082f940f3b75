package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.ExportDeliver;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * The queue entry point: SQS events as Lambda's event source mapping delivers them (AWS's
 * documented Records shape), through the mock event server. Each message is a send request or a
 * batch; those that fail are reported as batch item failures, by message id, and only they come back.
 */
@QuarkusTest
@TestProfile(ExportDeliver.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class DeliverFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String appid;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
        token = "ACCESS-queue-" + appid;
        wechat.tokenIs(appid, token);
    }

    @AfterEach
    void nothingSecretLogged() {
        LogHygiene.assertClean(logs.text());
    }

    /** An SQS event as Lambda delivers it, one record per (message id, body). */
    static String sqsEvent(Map<String, String> bodies) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        bodies.forEach((id, body) -> {
            ObjectNode record = records.addObject();
            record.put("messageId", id).put("receiptHandle", "AQEB-" + id).put("body", body)
                    .put("md5OfBody", "x").put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:wxsend-queue").put("awsRegion", "us-east-1");
            record.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp", "1796040000000")
                    .put("SenderId", "AIDAEXAMPLE").put("ApproximateFirstReceiveTimestamp", "1796040000001");
            record.putObject("messageAttributes");
        });
        return event.toString();
    }

    @Test
    void aSendRequestOnTheQueueIsSent() {
        wechat.sendOk(token);

        Lambda.invoke(sqsEvent(Map.of("m-1", Messages.forApp(appid)))).statusCode(200)
                .body("batchItemFailures", empty());

        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aRedeliveredMessageWithoutAKeyIsKeyedByItsMessageIdAndSentOnce() {
        wechat.sendOk(token);

        Lambda.invoke(sqsEvent(Map.of("m-2", Messages.forApp(appid)))).statusCode(200);
        Lambda.invoke(sqsEvent(Map.of("m-2", Messages.forApp(appid)))).statusCode(200).body("batchItemFailures", empty());
        // Another message with the same content is another send: its message id is its key.
        Lambda.invoke(sqsEvent(Map.of("m-3", Messages.forApp(appid)))).statusCode(200);

        assertEquals(2, wechat.sends().size());
    }

    @Test
    void onlyTheMessagesThatFailedComeBack() {
        wechat.sendOk(token);
        String busyToken = "ACCESS-queue-busy";
        String busyApp = TestApps.next();
        wechat.tokenIs(busyApp, busyToken);
        wechat.sendWith(busyToken, okJson(WeChatStubs.errcode(-1, "system busy")));

        Lambda.invoke(sqsEvent(Map.of("ok-1", Messages.forApp(appid, "q-ok"), "busy-1", Messages.forApp(busyApp, "q-busy"))))
                .statusCode(200).body("batchItemFailures", hasSize(1), "batchItemFailures[0].itemIdentifier", equalTo("busy-1"));
    }

    @Test
    void aBatchOnTheQueueThatIsNotCompleteComesBackAndReachesOnlyTheRest() throws Exception {
        wechat.sendOk(token);
        StandIns.wechat().stubFor(post(urlPathEqualTo(WeChatStubs.SEND_PATH)).withRequestBody(containing(Messages.openid(1)))
                .willReturn(okJson(WeChatStubs.errcode(-1, "system busy"))));
        String batch = Messages.batch(appid, 3);

        Lambda.invoke(sqsEvent(Map.of("b-1", batch))).statusCode(200)
                .body("batchItemFailures", hasSize(1), "batchItemFailures[0].itemIdentifier", equalTo("b-1"));

        StandIns.wechat().resetAll();
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        Lambda.invoke(sqsEvent(Map.of("b-1", batch))).statusCode(200).body("batchItemFailures", empty());

        assertEquals(1, wechat.sends().size(), "the redelivery reached only the recipient not yet reached");
        assertEquals(Messages.openid(1), JSON.readTree(wechat.sends().get(0).getBodyAsString()).get("touser").asText());
    }

    @Test
    void anOpenidUsedAsADataKeyIsLoggedOnlyMasked() {
        wechat.sendOk(token);
        // Two openids as data keys (a column of user ids pasted into data): one with '-', so no data key at all, and
        // one that is a valid key whose value breaks the 20-character keyword rule. Each is INVALID, by its name.
        String dashed = "oRcpt-0000000000000000000042";
        String valid = Messages.openid(43);
        String body = Messages.template(appid, "q-openid-keys").replace("\"data\":{",
                "\"data\":{\"" + dashed + "\":{\"value\":\"x\"},\"" + valid + "\":{\"value\":\"" + "v".repeat(21) + "\"},");

        Lambda.invoke(sqsEvent(Map.of("k-1", body))).statusCode(200)
                .body("batchItemFailures", hasSize(1), "batchItemFailures[0].itemIdentifier", equalTo("k-1"));

        assertEquals(0, wechat.sends().size());
        String logged = logs.text();
        assertTrue(logged.contains("queue message k-1 is not a valid send request, so it is left for the dead-letter queue: "
                + "data.oRcp***42 (28 characters): is not a valid data key"), logged);
        assertTrue(logged.contains("data.oRcp***43 (28 characters).value: longer than 20 characters"), logged);
        assertTrue(!logged.contains(dashed) && !logged.contains(valid), "an openid used as a data key was logged whole");
    }

    @Test
    void aPlanOrAChunkNamingAnOpenidAsItsBroadcastIsSetAsideAndLoggedMasked() {
        String openid = Messages.openid(44);
        String chunk = "{\"chunk\":{\"broadcast\":\"" + openid + "\",\"seq\":0,\"recipients\":[{\"touser\":\"o1\"}]}}";
        String plan = "{\"plan\":{\"broadcast\":\"" + openid + "\"}}";
        Lambda.invoke(sqsEvent(Map.of("c-1", chunk, "p-5", plan))).statusCode(200).body("batchItemFailures", hasSize(2));

        String logged = logs.text();
        assertTrue(logged.contains("queue message c-1 is not a valid send request, so it is left for the dead-letter queue: "
                + "no broadcast oRcp***44 (28 characters)"), logged);
        assertTrue(logged.contains("no broadcast oRcp***44 (28 characters) with recipients to plan"), logged);
        assertTrue(!logged.contains(openid), "a queue message's broadcast id was logged whole");
    }

    @Test
    void aMessageThatIsNoRequestIsLeftForTheDeadLetterQueue() {
        wechat.sendOk(token);

        Lambda.invoke(sqsEvent(Map.of("p-1", "not json", "p-2", "[1,2]", "p-3", "{\"app\":\"" + appid + "\",\"touser\":5}",
                "p-4", Messages.forApp(appid, "fine")))).statusCode(200).body("batchItemFailures", hasSize(3));

        assertEquals(1, wechat.sends().size(), "the valid message was sent; none of the others reached WeChat");
        assertTrue(logs.text().contains("queue message p-1 is not a valid send request"), logs.text());
    }
}
