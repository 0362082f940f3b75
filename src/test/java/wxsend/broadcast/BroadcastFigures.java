package wxsend.broadcast;

import java.util.Arrays;
import java.util.Map;

import wxsend.support.DynamoCounter;

/**
 * One run of {@link BroadcastBenchmark} and what it would be billed, as table rows. Prices are
 * us-east-1's list prices on the run's day, written here so that every figure can be recomputed.
 */
final class BroadcastFigures {

    /** DynamoDB on demand since November 2024: dollars per million write and read request units. */
    static final double WRU_DOLLARS = 0.625;
    static final double RRU_DOLLARS = 0.125;
    /** SQS standard: dollars per million requests, each 64 KB of payload one request. */
    static final double SQS_DOLLARS = 0.40;
    /** S3 Standard: dollars per million GET and per million PUT requests. */
    static final double S3_GET_DOLLARS = 0.40;
    static final double S3_PUT_DOLLARS = 5.00;
    /** Lambda on x86: dollars per GB-second of billed duration and per million invocations. */
    static final double LAMBDA_GB_SECOND_DOLLARS = 0.0000166667;
    static final double LAMBDA_INVOCATION_DOLLARS = 0.20;

    static final String HEADER = "| recipients | run | wall s | sends/s, all workers | sends/s per worker (min–max) "
            + "| CPU ms per recipient, all workers | peak RSS MB, largest worker | duplicates | missing | UNKNOWN "
            + "| invocations (failed) | DynamoDB writes per recipient | WRU per recipient | RRU per recipient | refused writes |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    static final String COST_HEADER = "| recipients | run | DynamoDB | SQS, functions (billed requests) | SQS, event source mapping "
            + "(billed requests) | S3 (GET, PUT) | Lambda (GB-s) | all |\n|---|---|---|---|---|---|---|---|";

    record Run(int recipients, double wallSeconds, int[] sentPerWorker, double cpuSeconds, double peakRssMb,
            int duplicates, int missing, long unknown, int invocations, int failedInvocations, double invokedSeconds,
            long writes, double wru, long reads, double rru, long refused, Map<String, DynamoCounter.Tally> byOperation,
            long sqsBilled, long mappingBilled, Map<String, Long> s3ByOperation) {
    }

    private BroadcastFigures() {
    }

    static String line(Run r, int run) {
        int min = Arrays.stream(r.sentPerWorker()).min().orElse(0);
        int max = Arrays.stream(r.sentPerWorker()).max().orElse(0);
        double median = Arrays.stream(r.sentPerWorker()).sorted().skip((r.sentPerWorker().length - 1) / 2).findFirst().orElse(0);
        double n = r.recipients();
        return String.format("| %,d | %d | %.1f | %.0f | %.0f (%.0f–%.0f) | %.2f | %.1f | %d | %d | %d | %d (%d) | %.3f | %.3f | %.3f | %d |",
                r.recipients(), run, r.wallSeconds(), n / r.wallSeconds(), median / r.wallSeconds(), min / r.wallSeconds(),
                max / r.wallSeconds(), r.cpuSeconds() * 1000 / n, r.peakRssMb(), r.duplicates(), r.missing(), r.unknown(),
                r.invocations(), r.failedInvocations(), r.writes() / n, r.wru() / n, r.rru() / n, r.refused());
    }

    /** Dollars per million recipients, by service: each the run's billed units over its recipients. */
    static String cost(Run r, int run, int memoryMb) {
        double perMillion = 1_000_000.0 / r.recipients();
        double dynamo = (r.wru() * WRU_DOLLARS + r.rru() * RRU_DOLLARS) / 1e6 * perMillion;
        double sqs = r.sqsBilled() * SQS_DOLLARS / 1e6 * perMillion;
        double mapping = r.mappingBilled() * SQS_DOLLARS / 1e6 * perMillion;
        long gets = r.s3ByOperation().getOrDefault("GET", 0L);
        long puts = r.s3ByOperation().getOrDefault("PUT", 0L);
        double s3 = (gets * S3_GET_DOLLARS + puts * S3_PUT_DOLLARS) / 1e6 * perMillion;
        double gbSeconds = r.invokedSeconds() * memoryMb / 1024.0;
        double lambda = (gbSeconds * LAMBDA_GB_SECOND_DOLLARS + r.invocations() * LAMBDA_INVOCATION_DOLLARS / 1e6) * perMillion;
        return String.format("| %,d | %d | $%.3f | $%.3f (%,d) | $%.3f (%,d) | $%.4f (%d, %d) | $%.3f (%.1f) | $%.3f |",
                r.recipients(), run, dynamo, sqs, r.sqsBilled(), mapping, r.mappingBilled(), s3, gets, puts, lambda, gbSeconds,
                dynamo + sqs + mapping + s3 + lambda);
    }
}
