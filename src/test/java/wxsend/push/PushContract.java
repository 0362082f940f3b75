package wxsend.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wxsend.push.Reply.assertSuccess;
import static wxsend.push.Reply.msgId;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import wxsend.support.EventBridgeEvents;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.SsmParameters;
import wxsend.support.StandIns;
import wxsend.support.TestApps;

/**
 * WeChat's pushes, run once against each HTTP surface. WeChat's side is {@link PushSimulator}; the
 * default app's Token and key come from configuration (WECHAT_PUSH_TOKEN, WECHAT_PUSH_AES_KEY),
 * another app's from SSM SecureStrings; EventBridge is its stand-in, reached by the real SDK client.
 */
abstract class PushContract {

    static final String SSM_TOKEN = "ssmPushTokenDoNotLog";
    static final String SSM_AES_KEY = "SsmHeldPushAesKeyDoNotLog0123456789abcdefgh";
    static final String FROM = Messages.OPENID;

    final EventBridgeEvents events = EventBridgeEvents.INSTANCE;
    final LogCapture logs = LogCapture.install();
    final PushSimulator defaultApp = new PushSimulator(TestApps.DEFAULT_APPID, TestApps.PUSH_TOKEN, TestApps.PUSH_AES_KEY);
    PushSimulator ssmApp;
    /** An app with a push Token and no EncodingAESKey: plaintext mode, the only mode whose pushes it takes. */
    PushSimulator plainApp;

    /** One call through the surface under test. */
    abstract Reply call(String method, String path, Map<String, String> query, String contentType, byte[] body);

    Reply get(PushSimulator app, Map<String, String> query) {
        return call("GET", "/wechat/push/" + app.appid, query, null, null);
    }

    Reply post(PushSimulator app, Map<String, String> query, String body) {
        return call("POST", "/wechat/push/" + app.appid, query, body.startsWith("<") ? "text/xml" : "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void parametersLiveInSsm() {
        StandIns.keepParametersUnder("/wxsend/apps");
    }

    /** Later suites in this JVM meet SSM as they would without this one. */
    @AfterAll
    static void forgetTheStub() {
        StandIns.ssm().resetAll();
    }

    @BeforeEach
    void anAppWithItsCredentialsInSsm() {
        ssmApp = new PushSimulator(TestApps.next(), SSM_TOKEN, SSM_AES_KEY);
        SsmParameters.INSTANCE.put("/wxsend/apps/" + ssmApp.appid + "/push-token", SSM_TOKEN, "SecureString");
        SsmParameters.INSTANCE.put("/wxsend/apps/" + ssmApp.appid + "/push-aes-key", SSM_AES_KEY, "SecureString");
        plainApp = new PushSimulator(TestApps.next(), SSM_TOKEN, SSM_AES_KEY);
        SsmParameters.INSTANCE.put("/wxsend/apps/" + plainApp.appid + "/push-token", SSM_TOKEN, "SecureString");
    }

    @AfterEach
    void noTokenKeyOrOpenidIsLogged() {
        String logged = logs.text();
        LogHygiene.assertClean(logged);
        for (String secret : List.of(TestApps.PUSH_TOKEN, TestApps.PUSH_AES_KEY, SSM_TOKEN, SSM_AES_KEY, FROM)) {
            assertFalse(logged.contains(secret), "logged: " + secret.substring(0, 6) + "…");
        }
    }

    void assertRefused(Reply reply, int status, String field, PushSimulator app) {
        Reply.assertRefused(reply, status, field, events.of(app.appid));
    }

    @Test
    void theConsoleCheckOfTheUrlIsEchoedOnlyUnderAGoodSignature() {
        Reply good = get(defaultApp, defaultApp.signed(PushSimulator.now(), "echo-4711"));
        assertEquals(200, good.status());
        assertEquals("echo-4711", good.body());
        assertTrue(good.contentType().startsWith("text/plain"), good.contentType());

        Map<String, String> forged = defaultApp.signed(PushSimulator.now(), "echo-4712");
        forged.put("signature", PushSimulator.sha1("not-the-token", forged.get("timestamp"), forged.get("nonce")));
        Reply bad = get(defaultApp, forged);
        assertEquals(401, bad.status());
        assertFalse(bad.body().contains("echo-4712"));

        assertEquals("echo-ssm", get(ssmApp, ssmApp.signed(PushSimulator.now(), "echo-ssm")).body(), "an app whose Token is in SSM");
    }

    @Test
    void aPlaintextXmlMessageIsForwardedOnceAsItsMsgType() {
        long id = msgId();
        assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textXml(FROM, id, "hi")));

        List<EventBridgeEvents.Entry> taken = events.of(plainApp.appid).stream()
                .filter(e -> e.detail().path("MsgId").asText().equals(Long.toString(id))).toList();
        assertEquals(1, taken.size());
        EventBridgeEvents.Entry entry = taken.get(0);
        assertEquals("wxsend.wechat", entry.source());
        assertEquals("text", entry.detailType());
        assertEquals("wxsend-test-bus", entry.bus());
        assertEquals("hi", entry.detail().get("Content").asText());
        assertEquals(FROM, entry.detail().get("FromUserName").asText(), "the event carries the whole message");
        assertEquals("AWSEvents.PutEvents", entry.target());
        assertEquals("application/x-amz-json-1.1", entry.contentType());
    }

    @Test
    void aPlaintextJsonMessageIsForwarded() {
        long id = msgId();
        assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textJson(FROM, id, "json hi")));

        List<EventBridgeEvents.Entry> taken = events.of(plainApp.appid);
        assertEquals(1, taken.size());
        assertEquals("text", taken.get(0).detailType());
        assertEquals(id, taken.get(0).detail().get("MsgId").asLong());
    }

    /**
     * Review of issue 25: the URL's signature does not cover a plaintext body, so an app with an
     * EncodingAESKey (the default app's from the environment, ssmApp's from SSM) refuses plaintext
     * mode: whoever saw one signed URL cannot post a body of their own under it.
     */
    @Test
    void aPlaintextPushToAnAppWithAnAesKeyIs401AndNothingIsForwarded() {
        for (PushSimulator encrypted : List.of(defaultApp, ssmApp)) {
            // The default app is shared with other cases of the suite: what it took before this one stays.
            int before = events.of(encrypted.appid).size();
            Reply forged = post(encrypted, encrypted.signed(PushSimulator.now(), null),
                    PushSimulator.templateReceiptXml(FROM, 1700000009, 99));
            assertEquals(401, forged.status(), forged.body());
            assertTrue(forged.body().contains("encrypt_type"), forged.body());
            assertEquals(before, events.of(encrypted.appid).size(), "nothing forwarded");
        }
    }

    /** A safe-mode push without the URL's signature is refused before its body is read. */
    @Test
    void aSafeModePushWithoutTheUrlsSignatureIs400() {
        String encrypt = ssmApp.encrypt(PushSimulator.textXml(FROM, msgId(), "x"));
        Map<String, String> query = ssmApp.sealed(PushSimulator.now(), encrypt);
        query.remove("signature");
        assertRefused(post(ssmApp, query, PushSimulator.xmlEnvelope(encrypt)), 400, "signature", ssmApp);
    }

    @Test
    void aBadlySignedPlaintextPushIs401InBothFormats() {
        for (String body : List.of(PushSimulator.textXml(FROM, msgId(), "x"), PushSimulator.textJson(FROM, msgId(), "x"))) {
            Map<String, String> query = plainApp.signed(PushSimulator.now(), null);
            query.put("signature", PushSimulator.sha1("wrong", query.get("timestamp"), query.get("nonce")));
            assertRefused(post(plainApp, query, body), 401, "signature", plainApp);
            query.remove("signature");
            assertRefused(post(plainApp, query, body), 400, "signature", plainApp);
        }
    }

    @Test
    void safeModeInXmlAndJsonIsOpenedAndForwardedAsItsEvent() {
        long receipt = msgId();
        String xml = PushSimulator.xmlEnvelope(ssmApp.encrypt(PushSimulator.templateReceiptXml(FROM, 1700000001, receipt)));
        String encrypt = xml.replaceAll(".*<Encrypt><!\\[CDATA\\[(.*)]]></Encrypt>.*", "$1");
        assertSuccess(post(ssmApp, ssmApp.sealed(PushSimulator.now(), encrypt), xml));

        long sent = msgId();
        String jsonEncrypt = ssmApp.encrypt(PushSimulator.subscribeSentJson(FROM, 1700000002, sent));
        assertSuccess(post(ssmApp, ssmApp.sealed(PushSimulator.now(), jsonEncrypt), PushSimulator.jsonEnvelope(jsonEncrypt)));

        List<EventBridgeEvents.Entry> taken = events.of(ssmApp.appid);
        assertEquals(List.of("TEMPLATESENDJOBFINISH", "subscribe_msg_sent_event"), taken.stream().map(e -> e.detailType()).toList());
        assertEquals(Long.toString(receipt), taken.get(0).detail().get("MsgID").asText());
        assertEquals("success", taken.get(0).detail().get("Status").asText());
        assertEquals(Long.toString(sent), taken.get(1).detail().at("/SubscribeMsgSentEvent/List/MsgID").asText());
        assertEquals(ssmApp.appid, taken.get(1).detail().get("appid").asText());
    }

    @Test
    void compatibleModeForwardsWhatTheCiphertextSays() {
        long id = msgId();
        String encrypt = defaultApp.encrypt(PushSimulator.textXml(FROM, id, "sealed"));
        // Compatible mode: the plaintext fields beside Encrypt; only the signed ciphertext is believed.
        String body = PushSimulator.textXml(FROM, id, "in the clear").replace("</xml>", "<Encrypt><![CDATA[" + encrypt
                + "]]></Encrypt></xml>");
        assertSuccess(post(defaultApp, defaultApp.sealed(PushSimulator.now(), encrypt), body));

        List<EventBridgeEvents.Entry> taken = events.of(TestApps.DEFAULT_APPID).stream()
                .filter(e -> e.detail().path("MsgId").asText().equals(Long.toString(id))).toList();
        assertEquals(1, taken.size());
        assertEquals("sealed", taken.get(0).detail().get("Content").asText());
    }

    @Test
    void aBadMessageSignatureIs401InBothFormats() {
        String encrypt = ssmApp.encrypt(PushSimulator.textXml(FROM, msgId(), "x"));
        for (String body : List.of(PushSimulator.xmlEnvelope(encrypt), PushSimulator.jsonEnvelope(encrypt))) {
            Map<String, String> query = ssmApp.sealed(PushSimulator.now(), encrypt);
            query.put("msg_signature", PushSimulator.sha1(SSM_TOKEN, query.get("timestamp"), query.get("nonce"), encrypt + "x"));
            assertRefused(post(ssmApp, query, body), 401, "msg_signature", ssmApp);
            Map<String, String> badUrl = ssmApp.sealed(PushSimulator.now(), encrypt);
            badUrl.put("signature", "0".repeat(40));
            assertRefused(post(ssmApp, badUrl, body), 401, "signature", ssmApp);
        }
    }

    @Test
    void aStaleTimestampIs401() {
        String old = Long.toString(System.currentTimeMillis() / 1000 - 6 * 60);
        assertRefused(get(ssmApp, ssmApp.signed(old, "echo")), 401, "timestamp", ssmApp);
        String future = Long.toString(System.currentTimeMillis() / 1000 + 6 * 60);
        assertRefused(post(plainApp, plainApp.signed(future, null), PushSimulator.textXml(FROM, msgId(), "x")), 401, "timestamp", plainApp);
        assertRefused(post(plainApp, plainApp.signed("soon", null), PushSimulator.textXml(FROM, msgId(), "x")), 400, "timestamp", plainApp);
    }

    @Test
    void aCiphertextForAnotherAppidIs401() {
        String encrypt = ssmApp.encrypt(new byte[16], PushSimulator.textXml(FROM, msgId(), "x"), TestApps.DEFAULT_APPID);
        assertRefused(post(ssmApp, ssmApp.sealed(PushSimulator.now(), encrypt), PushSimulator.xmlEnvelope(encrypt)), 401, "Encrypt",
                ssmApp);
    }

    @Test
    void xxeIsRefusedWith400AndNothingForwarded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + PushSimulator.textXml(FROM, msgId(), "&x;").replace("<![CDATA[&x;]]>", "&x;");
        Reply plain = post(plainApp, plainApp.signed(PushSimulator.now(), null), xxe);
        assertRefused(plain, 400, "body", plainApp);
        assertFalse(plain.body().contains("root:"));
        String encrypt = ssmApp.encrypt(xxe);
        assertRefused(post(ssmApp, ssmApp.sealed(PushSimulator.now(), encrypt), PushSimulator.xmlEnvelope(encrypt)), 400, "Encrypt",
                ssmApp);
    }

    @Test
    void anOversizedBodyIs413() {
        String big = PushSimulator.textXml(FROM, msgId(), "x".repeat(70_000));
        assertRefused(post(plainApp, plainApp.signed(PushSimulator.now(), null), big), 413, "body", plainApp);
    }

    @Test
    void aMessageWithoutMsgTypeIs400NamingIt() {
        assertRefused(post(plainApp, plainApp.signed(PushSimulator.now(), null), "<xml><Content>x</Content></xml>"), 400, "MsgType",
                plainApp);
    }

    @Test
    void anUnknownAppIs404() {
        PushSimulator unknown = new PushSimulator("wx9999999999999999", SSM_TOKEN, SSM_AES_KEY);
        assertRefused(post(unknown, unknown.signed(PushSimulator.now(), null), PushSimulator.textXml(FROM, msgId(), "x")), 404,
                "appid", unknown);
    }

    @Test
    void anEventBridgeThatIsDownIs503AndWeChatsRetryForwards() {
        long id = msgId();
        events.down(true);
        try {
            Reply failed = post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textJson(FROM, id, "later"));
            assertEquals(503, failed.status(), failed::body);
            assertEquals("not_forwarded", failed.json().get("error").asText());
        } finally {
            events.down(false);
        }
        assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textJson(FROM, id, "later")));
        assertEquals(1, events.of(plainApp.appid).size());
    }

    @Test
    void aStoredKeyThatIsNoEncodingAesKeyIs503NamedInTheLogOnly() {
        String parameter = "/wxsend/apps/" + ssmApp.appid + "/push-aes-key";
        SsmParameters.INSTANCE.put(parameter, "tooShortAKeyDoNotLog", "SecureString");
        String encrypt = ssmApp.encrypt(PushSimulator.textXml(FROM, msgId(), "x"));
        Reply reply = post(ssmApp, ssmApp.sealed(PushSimulator.now(), encrypt), PushSimulator.xmlEnvelope(encrypt));
        assertEquals(503, reply.status(), reply::body);
        assertEquals("push_misconfigured", reply.json().get("error").asText());
        assertFalse(reply.body().contains(parameter), "the parameter's name is not told to a public caller");
        assertEquals(List.of(), events.of(ssmApp.appid));
        assertTrue(logs.text().contains(parameter + " must be the console's EncodingAESKey"), "the log names it");
        assertFalse(logs.text().contains("tooShortAKeyDoNotLog"));
    }

    @Test
    void weChatsRetriesAreForwardedOnce() {
        long id = msgId();
        String encrypt = ssmApp.encrypt(PushSimulator.textXml(FROM, id, "once"));
        for (int attempt = 0; attempt < 4; attempt++) {
            // Each retry is signed anew (fresh nonce and timestamp) and encrypted anew; the MsgId is the same.
            String again = attempt == 0 ? encrypt : ssmApp.encrypt(PushSimulator.textXml(FROM, id, "once"));
            assertSuccess(post(ssmApp, ssmApp.sealed(PushSimulator.now(), again), PushSimulator.xmlEnvelope(again)));
        }
        // Events have no MsgId: a retry repeats the whole event, which is its key.
        for (int attempt = 0; attempt < 2; attempt++) {
            assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.templateReceiptXml(FROM, 1700000005, 77)));
        }
        assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.templateReceiptXml(FROM, 1700000006, 78)));
        assertEquals(List.of("text"), events.of(ssmApp.appid).stream().map(e -> e.detailType()).toList());
        assertEquals(List.of("TEMPLATESENDJOBFINISH", "TEMPLATESENDJOBFINISH"),
                events.of(plainApp.appid).stream().map(e -> e.detailType()).toList());
    }

    @Test
    void aFailedPutEventsIsNotSuccessAndWeChatsRetryForwardsIt() {
        long id = msgId();
        events.refuseNext(1);
        Reply failed = post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textXml(FROM, id, "retry me"));
        assertEquals(503, failed.status(), failed::body);
        assertNotEquals("success", failed.body());
        assertEquals(List.of(), events.of(plainApp.appid));

        assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textXml(FROM, id, "retry me")));
        assertEquals(1, events.of(plainApp.appid).size());
        assertSuccess(post(plainApp, plainApp.signed(PushSimulator.now(), null), PushSimulator.textXml(FROM, id, "retry me")));
        assertEquals(1, events.of(plainApp.appid).size(), "forwarded once, then replayed");
    }
}
