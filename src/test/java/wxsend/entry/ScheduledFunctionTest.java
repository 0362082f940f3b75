package wxsend.entry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.EventSourceMapping;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/** The `scheduled` function: a SAM Schedule's constant Input, or a full EventBridge envelope. */
@QuarkusTest
@TestProfile(ScheduledFunctionTest.ExportScheduled.class)
class ScheduledFunctionTest {

    public static class ExportScheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "scheduled");
        }
    }

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private String appid;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
        token = "ACCESS-scheduled-" + appid;
    }

    private static String envelope(String detail) {
        return """
                {"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"wxsend.send",
                 "source":"com.example.reminders","account":"111122223333","time":"2026-11-24T08:00:00Z",
                 "region":"us-east-1","resources":[]%s}""".formatted(detail == null ? "" : ",\"detail\":" + detail);
    }

    @Test
    void aScheduleInputIsTheRequestItself() {
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);

        Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));
        assertEquals(1, wechat.sendsWith(token).size());
    }

    @Test
    void anEnvelopeCarriesTheRequestInDetail() {
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);

        Lambda.invoke(envelope(Messages.forApp(appid))).statusCode(200).body("status", equalTo("SENT"));
        assertEquals(1, wechat.sendsWith(token).size());
    }

    @Test
    void anEnvelopeWithoutDetailIsInvalidAndSendsNothing() {
        Lambda.invoke(envelope(null)).statusCode(200)
                .body("status", equalTo("INVALID"), "errors.field", hasItem("detail"));
        Lambda.invoke(envelope("{}")).statusCode(200).body("errors.field", hasItem("detail"));
        Lambda.invoke(envelope("\"text\"")).statusCode(200).body("errors.field", hasItem("detail"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aBadRequestInDetailNamesItsField() {
        Lambda.invoke(envelope("{\"touser\":1}")).statusCode(200)
                .body("status", equalTo("INVALID"), "errors.field", hasItem("touser"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aTransientFailureFailsTheInvocationSoEventBridgeRetries() {
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, WireMock.okJson(WeChatStubs.errcode(-1, "system busy")));

        Lambda.invoke(envelope(Messages.forApp(appid))).statusCode(500)
                .body("errorMessage", containsString("SendFailedException: FAILED"));
    }

    @Test
    void aRedeliveredEventIsSentOnceAndANewEventWithTheSameContentAgain() {
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        String first = envelope(Messages.forApp(appid)).replace("6a7e8feb-b491-4cf7-a9f1-bf3703467718", "first-" + appid);

        Lambda.invoke(first).statusCode(200).body("status", equalTo("SENT"), "idempotencyKey", equalTo("first-" + appid));
        Lambda.invoke(first).statusCode(200).body("status", equalTo("SENT"), "replayed", equalTo(true));
        Lambda.invoke(first.replace("first-", "second-")).statusCode(200).body("status", equalTo("SENT"));

        assertEquals(2, wechat.sendsWith(token).size(), "the event id is the key: new event, new send");
    }

    @Test
    void anEnvelopeCarriesABatchUnderItsEventId() {
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        String event = envelope(Messages.batch(appid, 4)).replace("6a7e8feb-b491-4cf7-a9f1-bf3703467718", "batch-" + appid);

        Lambda.invoke(event).statusCode(200).body("status", equalTo("COMPLETE"), "idempotencyKey", equalTo("batch-" + appid));
        Lambda.invoke(event).statusCode(200).body("counts.SENT", equalTo(4), "results[0].replayed", equalTo(true));

        assertEquals(4, wechat.sendsWith(token).size());
    }

    @Test
    void aScheduleStartsABroadcastOnceEvenWhenEventBridgeRetriesIt() {
        EventSourceMapping.purge();
        String input = "{\"broadcast\":" + Messages.batch(appid, 3, "weekly/" + appid) + "}";

        String id = Lambda.invoke(input).statusCode(200).body("status", equalTo("ACCEPTED"), "total", equalTo(3))
                .extract().path("id");
        Lambda.invoke(input).statusCode(200).body("id", equalTo(id));

        List<Message> queued = new ArrayList<>();
        for (List<Message> batch = EventSourceMapping.receive(); !batch.isEmpty(); batch = EventSourceMapping.receive()) {
            queued.addAll(batch);
        }
        assertEquals(1, queued.stream().filter(m -> m.body().contains(id)).count(), "one chunk, queued once: " + queued);
        assertEquals(0, wechat.sendsWith(token).size(), "the deliver function sends, not the schedule");
    }

    /**
     * The template's hourly Input, {@code {"quota":{}}}, is the default app's, which SendFunctionTest
     * also uses. The default app's token item is removed before and after, so that this test neither
     * takes a token another suite stored nor leaves one of its own for another to meet.
     */
    @Test
    void theHourlyQuotaInputReportsTheDefaultAppThroughTheScheduledEntry() {
        String quotaToken = "ACCESS-scheduled-quota";
        forgetDefaultAppsToken();
        wechat.tokenIs(TestApps.DEFAULT_APPID, quotaToken);
        StandIns.wechat().stubFor(WireMock.post(WireMock.urlPathEqualTo("/cgi-bin/openapi/quota/get"))
                .withQueryParam("access_token", WireMock.equalTo(quotaToken))
                .willReturn(WireMock.okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"quota\":{\"daily_limit\":100000,"
                        + "\"used\":5,\"remain\":99995}}")));
        try {
            Lambda.invoke("{\"quota\":{}}").statusCode(200).body("status", equalTo("OK"), "app", equalTo(TestApps.DEFAULT_APPID),
                    "apis.find { it.api == 'template/send' }.remain", equalTo(99995));
        } finally {
            forgetDefaultAppsToken();
        }
    }

    private static void forgetDefaultAppsToken() {
        StandIns.dynamo().deleteItem(r -> r.tableName(StandIns.TABLE)
                .key(Map.of("appid", AttributeValue.fromS(TestApps.DEFAULT_APPID))));
    }
}
