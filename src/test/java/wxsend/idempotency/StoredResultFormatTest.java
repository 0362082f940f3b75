package wxsend.idempotency;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * The stored result has a format of its own: one written today carries its version, one written
 * before versions existed still replays, and one this version cannot read is answered UNKNOWN,
 * never FAILED (which would fail the invocation until the record expires) and never sent again.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class StoredResultFormatTest {

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String appid;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
        token = "ACCESS-format-" + appid;
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
    }

    @AfterEach
    void nothingSecretLogged() {
        LogHygiene.assertClean(logs.text());
    }

    private Map<String, AttributeValue> key(String key) {
        return Map.of("id", AttributeValue.fromS(appid + "#" + key));
    }

    private String storedResult(String key) {
        return StandIns.dynamo().getItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE).key(key(key)).consistentRead(true))
                .item().get("result").s();
    }

    private void storeResult(String key, String result) {
        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE).key(key(key))
                .updateExpression("SET #r = :r").expressionAttributeNames(Map.of("#r", "result"))
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(result))));
    }

    @Test
    void aResultIsStoredWithItsFormatVersion() {
        Lambda.invoke(Messages.forApp(appid, "format-v1")).statusCode(200).body("status", equalTo("SENT"));
        String stored = storedResult("format-v1");
        assertTrue(stored.startsWith("{\"v\":1,\"status\":\"SENT\""), stored);
    }

    @Test
    void aResultStoredBeforeVersionsExistedIsReplayed() {
        Lambda.invoke(Messages.forApp(appid, "format-v0")).statusCode(200);
        storeResult("format-v0", "{\"status\":\"SENT\",\"app\":\"" + appid + "\",\"via\":\"uniform_send\",\"errcode\":0,"
                + "\"errmsg\":\"ok\",\"attempts\":1}");

        Lambda.invoke(Messages.forApp(appid, "format-v0")).statusCode(200)
                .body("status", equalTo("SENT"), "replayed", equalTo(true), "via", equalTo("uniform_send"));
        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aResultThisVersionCannotReadIsUnknownAndNotSentAgain() {
        Lambda.invoke(Messages.forApp(appid, "format-v9")).statusCode(200);
        storeResult("format-v9", "{\"v\":9,\"outcome\":\"DELIVERED\"}");

        Lambda.invoke(Messages.forApp(appid, "format-v9")).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "replayed", equalTo(true),
                        "reason", containsString("cannot be read by this version"));
        assertEquals(1, wechat.sends().size());
        assertTrue(logs.text().contains("is unreadable by this version"), logs.text());
    }
}
