package wxsend.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The billable requests a benchmark's workers make to SQS or S3: a WireMock proxy in front of the
 * stand-in, counting each request by its operation (the JSON protocol's {@code X-Amz-Target}, else
 * the HTTP method, which for S3's REST protocol is GET for GetObject and PUT for PutObject). SQS
 * bills each 64 KB of a request's payload as one request, so for {@link #sqs} {@link #billed()}
 * counts each call as its larger body, request or answer, in 64 KiB pieces, at least one; S3
 * bills a request as one whatever its size.
 */
public final class RequestCounter implements AutoCloseable {

    private static final int SQS_PIECE = 64 * 1024;
    private final boolean byPiece;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder billed = new LongAdder();
    private final WireMockServer proxy;

    /** SQS, billed by the 64 KiB piece. */
    public static RequestCounter sqs(URI target) {
        return new RequestCounter(target, true);
    }

    /** S3, billed by the request. */
    public static RequestCounter s3(URI target) {
        return new RequestCounter(target, false);
    }

    private RequestCounter(URI target, boolean byPiece) {
        this.byPiece = byPiece;
        proxy = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(100).disableRequestJournal()
                .extensions(new Count()));
        proxy.start();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(target.toString())));
    }

    public URI endpoint() {
        return URI.create(proxy.baseUrl());
    }

    public void reset() {
        calls.clear();
        billed.reset();
    }

    /** The requests SQS bills for one call carrying this many bytes: one per 64 KiB, at least one. */
    public static long sqsRequests(long payloadBytes) {
        return Math.max(1, (payloadBytes + SQS_PIECE - 1) / SQS_PIECE);
    }

    public long billed() {
        return billed.sum();
    }

    public Map<String, Long> byOperation() {
        Map<String, Long> counts = new TreeMap<>();
        calls.forEach((op, n) -> counts.put(op, n.sum()));
        return counts;
    }

    public long total() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public void close() {
        proxy.stop();
    }

    private final class Count implements ServeEventListener {
        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            String target = event.getRequest().getHeader("X-Amz-Target");
            String op = target == null ? event.getRequest().getMethod().getName() : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(op, k -> new LongAdder()).increment();
            byte[] answer = event.getResponse().getBody();
            long larger = Math.max(event.getRequest().getBody().length, answer == null ? 0 : answer.length);
            billed.add(byPiece ? sqsRequests(larger) : 1);
        }

        @Override
        public String getName() {
            return "count-requests";
        }
    }
}
