package wxsend.token;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.CountingTokenStore;
import wxsend.support.LogCapture;
import wxsend.support.Messages;
import wxsend.support.MutableClock;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;
import wxsend.token.dynamodb.DynamoDbTokenStore;
import wxsend.send.delivery.ErrorKind;
import wxsend.wechat.WeChatClient;

/**
 * The token rules under load and failure. Each TokenProvider built here is an independent
 * instance (its own memory, lease identity and locks), as a separate Lambda cold start would be.
 * They share the real DynamoDB Local table and the application's real stable_token fetcher,
 * and WireMock counts what reaches WeChat.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class TokenAtScaleTest {

    static final TokenSettings DEFAULTS = new TokenSettings(Duration.ofMinutes(5), Duration.ofSeconds(10), 20,
            Duration.ofSeconds(30));

    @Inject
    TokenStore store;
    @Inject
    TokenFetcher fetcher;
    @Inject
    WeChatClient wechatClient;

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private String appid;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
    }

    private TokenProvider coldStart(TokenSettings settings, Clock clock) {
        return new TokenProvider(store, fetcher, settings, clock);
    }

    @Test
    void fiftyConcurrentColdStartsFetchOnceAndAllSend() throws Exception {
        wechat.tokenAnswers(appid, okJson("{\"access_token\":\"ACCESS-burst\",\"expires_in\":7200}").withFixedDelay(200));
        wechat.sendOk("ACCESS-burst");
        int instances = 50;
        CountDownLatch ready = new CountDownLatch(instances);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<ErrorKind>> sends = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            TokenProvider instance = coldStart(DEFAULTS, Clock.systemUTC());
            sends.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                AccessToken token = instance.current(appid).await().atMost(Duration.ofSeconds(30));
                return wechatClient.uniformSend(token.value(), Messages.body()).await().atMost(Duration.ofSeconds(10)).kind();
            }));
        }
        ready.await();
        go.countDown();
        for (Future<ErrorKind> send : sends) {
            assertEquals(ErrorKind.OK, send.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertEquals(1, wechat.tokenFetches(appid).size(), "one fetch for fifty cold starts");
        assertEquals(instances, wechat.sendsWith("ACCESS-burst").size());
    }

    @Test
    void aWarmInstanceReadsTheStoreOnlyWhenItsCopyNearsTheMargin() {
        wechat.tokenIs(appid, "ACCESS-warm");
        MutableClock clock = new MutableClock(Instant.now());
        CountingTokenStore counted = new CountingTokenStore(store);
        TokenProvider instance = new TokenProvider(counted, fetcher, DEFAULTS, clock);
        instance.current(appid).await().indefinitely();
        int readsAfterColdStart = counted.reads();

        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofSeconds(60));
            instance.current(appid).await().indefinitely();
        }
        assertEquals(readsAfterColdStart, counted.reads(), "100 minutes of warm sends read nothing");

        clock.advance(Duration.ofMinutes(17)); // 117 minutes in: inside the 5-minute margin of a 2-hour token
        instance.current(appid).await().indefinitely();
        assertTrue(counted.reads() > readsAfterColdStart, "near the margin the store is read again");
        assertEquals(2, wechat.tokenFetches(appid).size(), "and a refresh is fetched");
    }

    @Test
    void aLeaseWhoseHolderDiedIsTakenOverOnceItLapses() {
        Instant lapses = Instant.now().plusMillis(1500);
        assertTrue(store.tryLease(appid, "an-instance-that-died-mid-refresh", Instant.now(), lapses));
        wechat.tokenIs(appid, "ACCESS-after-takeover");

        AccessToken token = coldStart(new TokenSettings(Duration.ofMinutes(5), Duration.ofSeconds(2), 20,
                Duration.ofSeconds(30)), Clock.systemUTC()).current(appid).await().atMost(Duration.ofSeconds(20));

        assertEquals("ACCESS-after-takeover", token.value());
        assertEquals(1, wechat.tokenFetches(appid).size());
        assertFalse(wechat.tokenFetches(appid).get(0).getLoggedDate().toInstant().isBefore(lapses),
                "nobody fetched while the dead holder's lease was still running");
        assertEquals("ACCESS-after-takeover", store.read(appid).orElseThrow().value());
    }

    @Test
    void aStormOf40001ForcesAtMostTwentyADayThirtySecondsApart() {
        wechat.tokenIs(appid, "ACCESS-storm");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T01:00:00Z")); // 09:00 in Beijing
        TokenProvider instance = coldStart(DEFAULTS, clock);
        TokenProvider another = coldStart(DEFAULTS, clock);

        // Two instances, each told every 10 s that its token was refused.
        storm(instance, another, clock, 30);
        assertEquals(10, wechat.forcedFetches(appid).size(), "300 s at one per 30 s");

        storm(instance, another, clock, 300);
        assertEquals(20, wechat.forcedFetches(appid).size(), "the day's cap");

        clock.advance(Duration.ofDays(1));
        storm(instance, another, clock, 30);
        assertEquals(30, wechat.forcedFetches(appid).size(), "a new day, still one per 30 s");
    }

    private void storm(TokenProvider one, TokenProvider two, MutableClock clock, int rounds) {
        for (int i = 0; i < rounds; i++) {
            TokenProvider instance = i % 2 == 0 ? one : two;
            AccessToken token = instance.current(appid).await().atMost(Duration.ofSeconds(30));
            instance.refused(appid, token).await().atMost(Duration.ofSeconds(30));
            clock.advance(Duration.ofSeconds(10));
        }
    }

    @Test
    void withTheStoreDownSendsStillGoOutAndTheOutageIsLoggedOnce() {
        LogCapture logs = LogCapture.install();
        int before = count(logs, "tokens are kept in this instance's memory");
        DynamoDbTokenStore down = new DynamoDbTokenStore(StandIns.dynamoAt(URI.create("http://127.0.0.1:9")), StandIns.TABLE);
        TokenProvider instance = new TokenProvider(down, fetcher, DEFAULTS, Clock.systemUTC());
        String other = TestApps.next();
        wechat.tokenIs(appid, "ACCESS-no-store-1");
        wechat.tokenIs(other, "ACCESS-no-store-2");
        wechat.sendOk("ACCESS-no-store-1");
        wechat.sendOk("ACCESS-no-store-2");

        for (String app : List.of(appid, other, appid)) {
            AccessToken token = instance.current(app).await().atMost(Duration.ofSeconds(30));
            assertEquals(ErrorKind.OK, wechatClient.uniformSend(token.value(), Messages.body()).await().indefinitely().kind());
        }

        assertEquals(1, wechat.tokenFetches(appid).size(), "the second send came from memory");
        assertEquals(1, wechat.tokenFetches(other).size());
        assertTrue(wechat.forcedFetches(appid).isEmpty(), "only normal-mode fetches, which invalidate nobody");
        assertEquals(1, count(logs, "tokens are kept in this instance's memory") - before, "one warning per instance");
    }

    private static int count(LogCapture logs, String text) {
        return (int) logs.lines().stream().filter(line -> line.contains(text)).count();
    }
}
