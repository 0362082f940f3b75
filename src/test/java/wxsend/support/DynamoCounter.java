package wxsend.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestWrapper;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Body;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * What a benchmark's DynamoDB calls would be billed: a WireMock proxy in front of DynamoDB Local
 * that asks every call for {@code ReturnConsumedCapacity: TOTAL} and adds up what DynamoDB Local
 * answers, by operation. The application under measurement is pointed at {@link #endpoint()};
 * nothing in it changes. A refused write (a failed condition, a cancelled transaction) answers no
 * capacity but is billed; it is counted apart, as {@code refused}, at one unit each (the size of
 * every item this application writes conditionally). DynamoDB Local signs nothing and checks no
 * signature, so the rewritten body still passes.
 */
public final class DynamoCounter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "X-Amz-Target";
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");

    /** Per operation: calls, capacity units, calls answered other than 200 (refused or failed). */
    public record Tally(long calls, double units, long refused) {
    }

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> units = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final WireMockServer proxy;

    public DynamoCounter(URI dynamo) {
        proxy = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(200).disableRequestJournal()
                .extensions(new AskForCapacity(), new AddUpCapacity()));
        proxy.start();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(dynamo.toString())));
    }

    public URI endpoint() {
        return URI.create(proxy.baseUrl());
    }

    public void reset() {
        calls.clear();
        units.clear();
        refused.clear();
    }

    public Map<String, Tally> byOperation() {
        Map<String, Tally> tallies = new java.util.TreeMap<>();
        calls.forEach((op, n) -> tallies.put(op, new Tally(n.sum(), units.getOrDefault(op, new DoubleAdder()).sum(),
                refused.getOrDefault(op, new LongAdder()).sum())));
        return tallies;
    }

    /** Write request units, refused writes at one unit each. */
    public double writeUnits() {
        return byOperation().entrySet().stream().filter(e -> !READS.contains(e.getKey()))
                .mapToDouble(e -> e.getValue().units() + e.getValue().refused()).sum();
    }

    public double readUnits() {
        return byOperation().entrySet().stream().filter(e -> READS.contains(e.getKey())).mapToDouble(e -> e.getValue().units()).sum();
    }

    public long writeCalls() {
        return byOperation().entrySet().stream().filter(e -> !READS.contains(e.getKey())).mapToLong(e -> e.getValue().calls()).sum();
    }

    public long readCalls() {
        return byOperation().entrySet().stream().filter(e -> READS.contains(e.getKey())).mapToLong(e -> e.getValue().calls()).sum();
    }

    @Override
    public void close() {
        proxy.stop();
    }

    private static String operation(Request request) {
        String target = request.getHeader(TARGET);
        return target == null ? "" : target.substring(target.indexOf('.') + 1);
    }

    private final class AskForCapacity implements StubRequestFilterV2 {
        @Override
        public RequestFilterAction filter(Request request, ServeEvent event) {
            if (operation(request).isEmpty()) {
                return RequestFilterAction.continueWith(request);
            }
            return RequestFilterAction.continueWith(RequestWrapper.create().transformBody(body -> {
                try {
                    ObjectNode json = (ObjectNode) JSON.readTree(body.asBytes());
                    json.put("ReturnConsumedCapacity", "TOTAL");
                    return new Body(JSON.writeValueAsBytes(json));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("not a DynamoDB request body", e);
                }
            }).wrap(request));
        }

        @Override
        public String getName() {
            return "ask-for-capacity";
        }
    }

    private final class AddUpCapacity implements ServeEventListener {
        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            String op = operation(event.getRequest());
            if (op.isEmpty()) {
                return;
            }
            calls.computeIfAbsent(op, k -> new LongAdder()).increment();
            if (event.getResponse().getStatus() != 200) {
                refused.computeIfAbsent(op, k -> new LongAdder()).increment();
                return;
            }
            try {
                JsonNode consumed = JSON.readTree(event.getResponse().getBody()).path("ConsumedCapacity");
                double sum = 0;
                Iterable<JsonNode> tables = consumed.isArray() ? consumed : java.util.List.of(consumed);
                for (JsonNode table : tables) {
                    sum += table.path("CapacityUnits").asDouble(0);
                }
                units.computeIfAbsent(op, k -> new DoubleAdder()).add(sum);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("not a DynamoDB answer", e);
            }
        }

        @Override
        public String getName() {
            return "add-up-capacity";
        }
    }
}
