package wxsend.send.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.send.message.Api;
import wxsend.send.outcome.Status;
import wxsend.send.outcome.Verdict;
import wxsend.token.AccessToken;
import wxsend.token.TokenFetcher;
import wxsend.token.TokenProvider;
import wxsend.token.TokenSettings;
import wxsend.token.TokenUnavailableException;
import wxsend.token.memory.InMemoryTokenStore;

/** The delivery loop against a scripted message port, with a real token provider over the memory store. */
@Tag("unit")
class DeliveryTest {

    private static final String APP = "wx0000000000000001";
    private static final Duration PAUSE = Duration.ofMillis(1);

    private final ScriptedGateway wechat = new ScriptedGateway();
    private final List<Boolean> fetches = new ArrayList<>();
    private RuntimeException fetchFailure;
    private final TokenProvider tokens = new TokenProvider(new InMemoryTokenStore(), new TokenFetcher() {
        @Override
        public AccessToken fetch(String appid, boolean force) {
            fetches.add(force);
            if (fetchFailure != null) {
                throw fetchFailure;
            }
            return new AccessToken("TOKEN-" + fetches.size(), Instant.now().plusSeconds(7200));
        }

        @Override
        public boolean routineFetchIsHarmless() {
            return true;
        }
    }, new TokenSettings(Duration.ofMinutes(5), Duration.ofSeconds(10), 20, Duration.ZERO), Clock.systemUTC());

    private Verdict deliver(Api api) {
        return deliver(api, System.currentTimeMillis() + 60_000);
    }

    private Verdict deliver(Api api, long retryUntil) {
        return deliver(api, retryUntil, Gate.OPEN, false);
    }

    private Verdict deliver(Api api, long retryUntil, Gate gate, boolean resumed) {
        return new Delivery(tokens, wechat, APP, api, "{}", 3, gate, resumed).run(PAUSE, PAUSE, retryUntil).await()
                .atMost(Duration.ofSeconds(10));
    }

    /**
     * Issue 24 point 1: template/send whose every try may have arrived ends UNKNOWN, which is kept,
     * so no retry after WeChat's 10 minutes posts it again. On 7edf04b it ended FAILED, released.
     */
    @Test
    void templateSendWhoseTriesMayAllHaveArrivedEndsUnknown() {
        for (int i = 0; i < 3; i++) {
            wechat.then(Reply.transport("timed out waiting for the answer", true));
        }
        Verdict verdict = deliver(Api.TEMPLATE);
        assertEquals(Status.UNKNOWN, verdict.status());
        assertEquals(3, verdict.attempts());
        assertTrue(verdict.settled());
        assertTrue(verdict.reason().contains("timed out waiting"), verdict.reason());
    }

    /** Issue 24 point 1: after an attempt that may have arrived, a day's quota on the repeat says nothing of the first. */
    @Test
    void aRefusalThatIsNoVerdictOnTheMessageAfterAPossibleArrivalIsUnknown() {
        wechat.then(Reply.transport("timed out waiting for the answer", true)).thenErrcode(45009);
        assertEquals(Status.UNKNOWN, deliver(Api.TEMPLATE).status());
    }

    /** WeChat's refusal of the message itself holds for every attempt of the same body. */
    @Test
    void weChatsRefusalOfTheMessageStandsAfterAPossibleArrival() {
        wechat.then(Reply.transport("timed out waiting for the answer", true)).thenErrcode(40037);
        assertEquals(Status.REJECTED, deliver(Api.TEMPLATE).status());
    }

    /** A resumed send (an earlier run may have posted) whose own tries all fail before writing is UNKNOWN, not FAILED. */
    @Test
    void aResumedSendThatReachesNothingIsUnknown() {
        wechat.then(Reply.transport("connection refused", false)).then(Reply.transport("connection refused", false))
                .then(Reply.transport("connection refused", false));
        Verdict verdict = deliver(Api.TEMPLATE, System.currentTimeMillis() + 60_000, Gate.OPEN, true);
        assertEquals(Status.UNKNOWN, verdict.status());
        assertTrue(verdict.reason().contains("earlier run"), verdict.reason());
    }

    /**
     * Issue 24 point 2: a 502 or 504 (an egress proxy's, after it forwarded the request) and an
     * unreadable 200 are retried only where WeChat drops repeats. On 7edf04b each was retried for
     * every API, and the second post could deliver the message twice.
     */
    @Test
    void answersAfterTheRequestWasWrittenAreRetriedOnlyWhereWeChatDropsRepeats() {
        for (Api api : new Api[] { Api.UNIFORM, Api.SUBSCRIBE, Api.BIZSEND, Api.CUSTOM }) {
            for (Reply reply : new Reply[] { Reply.answered(502, null, null, null), Reply.answered(504, null, null, null),
                    Reply.answered(200, null, null, null) }) {
                wechat.posts.clear();
                wechat.then(reply).thenOk();
                Verdict verdict = deliver(api);
                assertEquals(Status.UNKNOWN, verdict.status(), api + " " + reply.describe());
                assertEquals(1, wechat.posts.size(), api + " " + reply.describe());
                wechat.reset();
            }
        }
        wechat.posts.clear();
        wechat.then(Reply.answered(502, null, null, null)).thenOk();
        assertEquals(Status.SENT, deliver(Api.TEMPLATE).status());
        assertEquals(2, wechat.posts.size());
    }

    /**
     * Review of issue 24: a refusal of the call (an egress proxy's 403, WeChat's 40164 for another
     * IP) after a post that may have arrived says nothing of that post: UNKNOWN, not REJECTED.
     */
    @Test
    void aRefusalOfTheCallAfterAPossibleArrivalIsUnknown() {
        wechat.then(Reply.answered(502, null, null, null)).then(Reply.answered(403, null, null, null));
        assertEquals(Status.UNKNOWN, deliver(Api.TEMPLATE).status());
        wechat.then(Reply.answered(502, null, null, null)).thenErrcode(40164);
        assertEquals(Status.UNKNOWN, deliver(Api.TEMPLATE).status());
    }

    /**
     * Review of issue 24: a send that may already have arrived starts no post after its deadline (a
     * resumed template/send's is the end of WeChat's 10 minutes): UNKNOWN, nothing posted. A fresh
     * send's first post still goes, as the budget's own test requires.
     */
    @Test
    void aSendThatMayHaveArrivedStartsNoPostAfterItsDeadline() {
        long past = System.currentTimeMillis() - 1;
        Verdict resumed = deliver(Api.TEMPLATE, past, Gate.OPEN, true);
        assertEquals(Status.UNKNOWN, resumed.status());
        assertTrue(resumed.reason().contains("deadline"), resumed.reason());
        assertEquals(0, wechat.posts.size());
        wechat.thenOk();
        assertEquals(Status.SENT, deliver(Api.TEMPLATE, past, Gate.OPEN, false).status());
    }

    /** 429 and 408 say the request was not acted on: retried for every API. */
    @Test
    void refusalsBeforeTheRequestWasActedOnAreRetriedForEveryApi() {
        wechat.then(Reply.answered(429, null, null, null)).then(Reply.answered(408, null, null, null)).thenOk();
        assertEquals(Status.SENT, deliver(Api.SUBSCRIBE).status());
        assertEquals(3, wechat.posts.size());
    }

    /** A closed gate (the claim could not say the send began) posts nothing and ends FAILED, which a retry may send. */
    @Test
    void aClosedGatePostsNothing() {
        wechat.thenOk();
        Verdict verdict = deliver(Api.SUBSCRIBE, System.currentTimeMillis() + 60_000,
                () -> io.smallrye.mutiny.Uni.createFrom().failure(new Gate.Closed("the idempotency store could not record it")),
                false);
        assertEquals(Status.FAILED, verdict.status());
        assertEquals(0, verdict.attempts());
        assertEquals(0, wechat.posts.size());
        assertTrue(verdict.reason().endsWith("nothing was sent"), verdict.reason());
    }

    @Test
    void anOkIsSentAfterOneCall() {
        wechat.thenOk();
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.SENT, verdict.status());
        assertEquals(1, verdict.attempts());
        assertEquals("uniform_send", verdict.via());
        assertEquals("TOKEN-1", wechat.posts.get(0).accessToken());
    }

    @Test
    void aBusyWeChatIsRetriedUntilItAnswers() {
        wechat.thenErrcode(-1).thenErrcode(45011).thenOk();
        Verdict verdict = deliver(Api.SUBSCRIBE);
        assertEquals(Status.SENT, verdict.status());
        assertEquals(3, verdict.attempts());
    }

    @Test
    void transientFailuresEndFailedAfterTheLastTry() {
        wechat.thenErrcode(-1).thenErrcode(-1).thenErrcode(-1);
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.FAILED, verdict.status());
        assertEquals(3, verdict.attempts());
        assertEquals(-1, verdict.errcode());
        assertTrue(verdict.reason().startsWith("gave up after 3 tries"), verdict.reason());
    }

    @Test
    void aPermanentErrcodeIsRejectedAfterOneCall() {
        wechat.thenErrcode(43101);
        Verdict verdict = deliver(Api.SUBSCRIBE);
        assertEquals(Status.REJECTED, verdict.status());
        assertEquals(1, wechat.posts.size());
        assertTrue(verdict.reason().contains("subscribe again"), verdict.reason());
    }

    @Test
    void anAnswerThatMayHaveArrivedIsNeverPostedAgainWithoutDeDuplication() {
        wechat.then(Reply.transport("timed out waiting for the answer", true));
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.UNKNOWN, verdict.status());
        assertEquals(1, wechat.posts.size());
    }

    @Test
    void templateSendIsRetriedWhenTheAnswerWasLostBecauseWeChatDropsTheRepeat() {
        wechat.then(Reply.transport("timed out waiting for the answer", true)).then(Reply.answered(200, 0, "ok", 77L));
        Verdict verdict = deliver(Api.TEMPLATE);
        assertEquals(Status.SENT, verdict.status());
        assertEquals(2, verdict.attempts());
        assertEquals(77L, verdict.msgid());
    }

    @Test
    void aFailureBeforeTheRequestWasWrittenIsRetried() {
        wechat.then(Reply.transport("connection refused", false)).thenOk();
        assertEquals(Status.SENT, deliver(Api.UNIFORM).status());
    }

    @Test
    void aRefusedTokenIsReplacedOnceWithAForcedFetch() {
        wechat.thenErrcode(40001).thenOk();
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.SENT, verdict.status());
        assertEquals(List.of(false, true), fetches);
        assertEquals("TOKEN-2", wechat.posts.get(1).accessToken());
    }

    @Test
    void aTokenRefusedTwiceIsRejected() {
        wechat.thenErrcode(40001).thenErrcode(40001);
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.REJECTED, verdict.status());
        assertTrue(verdict.reason().startsWith("access_token refused again"), verdict.reason());
    }

    @Test
    void aTokenWeChatWillNotIssueIsRejectedWithoutAPost() {
        fetchFailure = new TokenUnavailableException(false, 40125, "invalid appsecret", "errcode 40125");
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.REJECTED, verdict.status());
        assertEquals(40125, verdict.errcode());
        assertEquals(0, verdict.attempts());
        assertTrue(wechat.posts.isEmpty());
    }

    @Test
    void aSpentBudgetStopsTheRetries() {
        // The first post starts before the deadline; its answer comes after it, so no retry starts.
        wechat.answeringAfter(Duration.ofMillis(200)).thenErrcode(-1);
        Verdict verdict = deliver(Api.UNIFORM, System.currentTimeMillis() + 100);
        assertEquals(Status.FAILED, verdict.status());
        assertEquals(1, wechat.posts.size());
        assertTrue(verdict.reason().startsWith("time budget spent"), verdict.reason());
    }

    @Test
    void aStatusWithoutJsonIsRejectedByTheStatusLine() {
        wechat.then(Reply.answered(404, null, null, null));
        Verdict verdict = deliver(Api.UNIFORM);
        assertEquals(Status.REJECTED, verdict.status());
        assertEquals("WeChat answered HTTP 404", verdict.reason());
        assertNull(verdict.errcode());
    }
}
