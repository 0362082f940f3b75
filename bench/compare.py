#!/usr/bin/env python3
"""A/B: CPU per warm send of two or more native executables, runs interleaved so that drift on
the machine falls on each alike. Each run: a cold start then --warm sends back to back, under the
CPU share of --mb (../shared/lambda-cpu/run-as-lambda), WeChat and DynamoDB over TLS as
bench/cost.py serves them, with the heap that size gives (-Xmx, 80%). Prints, per executable, the median (min–max) CPU per warm send over
--runs, and the same per thread for the median run. Reported, never asserted.

usage: python3 bench/compare.py EXE [EXE…] [--store dynamodb|memory] [--mb 1769] [--runs 5] [--warm 1000]
"""
import argparse
import importlib
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
lam = importlib.import_module("lambda")
tls_module = importlib.import_module("tls")
RUN_AS_LAMBDA = os.path.join(lam.ROOT, "..", "shared", "lambda-cpu", "run-as-lambda")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("executables", nargs="+")
    parser.add_argument("--store", choices=["memory", "dynamodb"], default="dynamodb")
    parser.add_argument("--mb", type=int, default=1769)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=1000)
    args = parser.parse_args()
    tls = tls_module.Tls()
    results = {exe: [] for exe in args.executables}
    try:
        for run in range(args.runs):
            for exe in args.executables:
                r = lam.measure("native", os.path.abspath(exe), runs=1, warm=args.warm, store=args.store,
                                prefix=[RUN_AS_LAMBDA, str(args.mb)], tls=tls, args=[f"-Xmx{args.mb * 8 // 10}m"])[0]
                results[exe].append(r)
                print(f"run {run + 1} {exe}: {r['warm_cpu_ms']:.3f} ms", file=sys.stderr, flush=True)
    finally:
        tls.close()
    print(f"{args.runs} runs each, interleaved; {args.warm} warm sends per run; {args.store} stores; "
          f"{args.mb} MB share; WeChat and DynamoDB over TLS. CPU per warm send, median (min–max):")
    for exe, runs in results.items():
        cpu = [r["warm_cpu_ms"] for r in runs]
        print(f"  {exe}: {lam.spread(cpu, 'ms', 3)}; p50 billed {statistics.median(lam.percentile(r['warm_ms'], 50) for r in runs):.2f} ms")
        middle = sorted(runs, key=lambda r: r["warm_cpu_ms"])[len(runs) // 2]
        for name, (user, system) in sorted(middle["warm_threads_ms"].items(), key=lambda t: -sum(t[1])):
            if user + system >= 0.01:
                print(f"      {name:28s} {user:6.3f} user + {system:6.3f} system")


if __name__ == "__main__":
    sys.exit(main())
