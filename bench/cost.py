#!/usr/bin/env python3
"""The cost of a send on Lambda: the native function under the CPU share of each memory size.

Each run execs the native executable under ../shared/lambda-cpu/run-as-lambda MEMORY_MB (a CFS
quota: one vCPU at 1,769 MB, 14.5% of one at 256 MB), through bench/lambda.py's Runtime API
stand-in, with WeChat and DynamoDB speaking HTTPS (bench/tls.py: a local CA the function trusts,
a TLS front for DynamoDB Local), with the heap Lambda's memory would give it (-Xmx, 80% of the
size). Two set-ups per size:

- as deployed: token and idempotency in DynamoDB Local, the token already stored (as a cold start
  finds it after the first instance), each send its own idempotency key;
- in-memory stores: what the function itself costs, without the store calls.

Per size and set-up it reports cold start (exec to first response: Lambda bills a custom runtime's
INIT too), the billed time of a warm send (event handed over to response posted, rounded up to the
millisecond as Lambda bills, p50 and p99 over the warm sends of a run), CPU per warm send (the
process's user+system time over the warm phase), peak RSS, and the cost of a million warm sends:
GB-seconds (memory × mean billed time) at the price per GB-second, plus the request price. Each
figure is the median over --runs, with min and max. Timings are reported, never asserted.

Prices: AWS Lambda, US East (N. Virginia), first tier: x86_64 $0.0000166667 per GB-second,
arm64 $0.0000133334, requests $0.20 per million (aws.amazon.com/lambda/pricing; the rates AWS has
published since per-millisecond billing, 2020, and its tiered pricing, 2023; read 2026-11-30).

With --wxjava it also runs bench/src's WxJava function (the same send, no stores) on the JVM as
Lambda's Java runtime starts it, under the same shares.

usage: python3 bench/cost.py NATIVE_EXECUTABLE [--sizes 256,512,1024,1769] [--runs 5] [--warm 300] [--quick] [--wxjava]
"""
import argparse
import importlib
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
lam = importlib.import_module("lambda")
tls_module = importlib.import_module("tls")

RUN_AS_LAMBDA = os.path.join(lam.ROOT, "..", "shared", "lambda-cpu", "run-as-lambda")
PRICE_GB_SECOND = {"x86_64": 0.0000166667, "arm64": 0.0000133334}
PRICE_REQUEST = 0.20 / 1_000_000
LABELS = {"dynamodb": "DynamoDB (as deployed)", "memory": "in memory", "wxjava": "WxJava 4.7.0, JVM (no stores)"}


def heap(mb):
    """The heap a native executable gives itself inside a function of this size: 80% of the memory
    it sees, which on Lambda is the configured size. Here it would see the whole machine."""
    return f"-Xmx{mb * 8 // 10}m"


def billed(ms):
    return math.ceil(ms)


def measure(executable, sizes, runs, warm, wxjava=False):
    tls = tls_module.Tls()
    rows = []
    try:
        for store in ("dynamodb", "memory") + (("wxjava",) if wxjava else ()):
            for mb in sizes:
                print(f"{mb} MB, {store}", file=sys.stderr, flush=True)
                if store == "wxjava":
                    # The same send by WxJava on Lambda's Java runtime (C1, serial GC), trusting the same CA.
                    results = lam.measure("wxjava", runs=runs, warm=warm, java_opts=tls.function_args() + [heap(mb)],
                                          prefix=[RUN_AS_LAMBDA, str(mb)], tls=tls)
                else:
                    results = lam.measure("native", executable, runs=runs, warm=warm, store=store,
                                          prefix=[RUN_AS_LAMBDA, str(mb)], tls=tls, args=[heap(mb)])
                rows.append((mb, store, results))
    finally:
        tls.close()
    return rows


def figures(mb, results):
    p50 = [lam.percentile([billed(w) for w in r["warm_ms"]], 50) for r in results]
    p99 = [lam.percentile([billed(w) for w in r["warm_ms"]], 99) for r in results]
    mean = [statistics.mean(billed(w) for w in r["warm_ms"]) for r in results]
    cost = {arch: [mb / 1024 * m / 1000 * price * 1_000_000 + PRICE_REQUEST * 1_000_000 for m in mean]
            for arch, price in PRICE_GB_SECOND.items()}
    cold_cost = [mb / 1024 * billed(r["cold_ms"]) / 1000 * PRICE_GB_SECOND["x86_64"] * 1_000_000 for r in results]
    return dict(cold=[r["cold_ms"] for r in results], rss=[r["cold_rss_mb"] for r in results], p50=p50, p99=p99,
                cpu=[r["warm_cpu_ms"] for r in results], cost_x86=cost["x86_64"], cost_arm=cost["arm64"], cold_cost=cold_cost)


def table(rows, runs, warm):
    lines = [f"| memory (CPU share) | stores | cold start | peak RSS | warm send billed, p50 | p99 | CPU per warm send "
             f"| $ per million warm sends, x86_64 | arm64 | $ per million cold starts (x86_64, INIT billed) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for mb, store, results in rows:
        f = figures(mb, results)
        share = f"{mb * 100 / 1769:.1f}%"
        lines.append(f"| {mb:,} MB ({share}) | {LABELS[store]} "
                     f"| {lam.spread(f['cold'], 'ms', 0)} | {lam.spread(f['rss'], 'MB', 0)} | {lam.spread(f['p50'], 'ms', 0)} "
                     f"| {lam.spread(f['p99'], 'ms', 0)} | {lam.spread(f['cpu'], 'ms', 2)} | {lam.spread(f['cost_x86'], 'USD', 3)} "
                     f"| {lam.spread(f['cost_arm'], 'USD', 3)} | {lam.spread(f['cold_cost'], 'USD', 2)} |")
    return (f"{runs} runs per row, each a cold start then {warm} warm sends back to back; median (min–max). "
            "WeChat and DynamoDB over TLS.\n\n" + "\n".join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("executable")
    parser.add_argument("--sizes", default="256,512,1024,1769")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="one run of 20 warm sends per row: what CI runs so it cannot rot")
    parser.add_argument("--wxjava", action="store_true", help="also WxJava under the same shares (build it: ./mvnw -f bench/pom.xml -B -q package)")
    args = parser.parse_args()
    runs, warm = (1, 20) if args.quick else (args.runs, args.warm)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = measure(os.path.abspath(args.executable), sizes, runs, warm, args.wxjava)
    print(table(rows, runs, warm))


if __name__ == "__main__":
    sys.exit(main())
