package wxsend.token;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.CountingTokenStore;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * Token acquisition: fetches, store reads and latency for concurrent cold starts and for warm
 * sends. A benchmark, not a test: it prints figures and asserts only the counts (one fetch per
 * burst), never a time. Run it with the command in README.md; BENCH_ROUNDS sets the repeats.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class TokenAcquisitionBenchmark {

    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final int WARM_SENDS = Integer.getInteger("bench.warm", 10_000);

    @Inject
    TokenStore store;
    @Inject
    TokenFetcher fetcher;

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());

    record Round(int fetches, int reads, double p50, double p99) {
    }

    @Test
    void report() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-28s %9s %14s %30s %30s", "scenario", "fetches", "store reads", "p50 µs (min-max)", "p99 µs (min-max)"));
        for (int instances : new int[] { 1, 10, 50 }) {
            List<Round> rounds = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                rounds.add(coldStarts(instances));
            }
            lines.add(line(instances + " concurrent cold starts", rounds));
        }
        List<Round> warm = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            warm.add(warmSends());
        }
        lines.add(line(WARM_SENDS + " warm sends", warm));
        System.out.println("\n== token acquisition, " + ROUNDS + " rounds each; medians of the rounds (min-max) ==");
        lines.forEach(System.out::println);
    }

    private Round coldStarts(int instances) throws Exception {
        StandIns.wechat().resetAll();
        String appid = TestApps.next();
        wechat.tokenAnswers(appid, okJson("{\"access_token\":\"ACCESS-bench\",\"expires_in\":7200}"));
        CountingTokenStore counted = new CountingTokenStore(store);
        CountDownLatch ready = new CountDownLatch(instances);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<Long>> took = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            TokenProvider instance = new TokenProvider(counted, fetcher, TokenAtScaleTest.DEFAULTS, Clock.systemUTC());
            took.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                long start = System.nanoTime();
                instance.current(appid).await().atMost(Duration.ofSeconds(30));
                return System.nanoTime() - start;
            }));
        }
        ready.await();
        go.countDown();
        List<Long> nanos = new ArrayList<>();
        for (Future<Long> f : took) {
            nanos.add(f.get());
        }
        pool.shutdown();
        int fetches = wechat.tokenFetches(appid).size();
        assertEquals(1, fetches, "one fetch per burst");
        return new Round(fetches, counted.reads(), percentile(nanos, 50), percentile(nanos, 99));
    }

    private Round warmSends() {
        StandIns.wechat().resetAll();
        String appid = TestApps.next();
        wechat.tokenIs(appid, "ACCESS-warm");
        CountingTokenStore counted = new CountingTokenStore(store);
        TokenProvider instance = new TokenProvider(counted, fetcher, TokenAtScaleTest.DEFAULTS, Clock.systemUTC());
        instance.current(appid).await().indefinitely();
        int readsBefore = counted.reads();
        List<Long> nanos = new ArrayList<>(WARM_SENDS);
        for (int i = 0; i < WARM_SENDS; i++) {
            long start = System.nanoTime();
            instance.current(appid).await().indefinitely();
            nanos.add(System.nanoTime() - start);
        }
        return new Round(wechat.tokenFetches(appid).size() - 1, counted.reads() - readsBefore, percentile(nanos, 50),
                percentile(nanos, 99));
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000.0;
    }

    private static String line(String scenario, List<Round> rounds) {
        return String.format("%-28s %9s %14s %30s %30s", scenario, spread(rounds.stream().map(r -> (double) r.fetches()).toList(), "%.0f"),
                spread(rounds.stream().map(r -> (double) r.reads()).toList(), "%.0f"),
                spread(rounds.stream().map(Round::p50).toList(), "%.1f"), spread(rounds.stream().map(Round::p99).toList(), "%.1f"));
    }

    private static String spread(List<Double> values, String format) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        return String.format(format + " (" + format + "-" + format + ")", median, sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
