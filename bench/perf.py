#!/usr/bin/env python3
"""Where the native executable's CPU goes per warm send, sampled by Linux perf.

Runs the native function as bench/lambda.py does (Runtime API stand-in; WeChat and DynamoDB over
TLS as bench/cost.py serves them; --store dynamodb is as deployed), under `perf record` at
--frequency samples a second of CPU, and prints the share of the warm phase's samples by the
package of the sampled function (self time) and the top functions. perf samples every thread, so
the Lambda runtime poller, the Vert.x event loop and the worker pool all count, as Lambda bills them.

The executable needs its symbols: build it with
  -Dquarkus.native.debug.enabled=true -Dquarkus.native.additional-build-args=-H:-DeleteLocalSymbols
(the release build strips them; the code is the same). Figures are shares, not times: the time per
send comes from bench/cost.py, without perf's own overhead.

usage: python3 bench/perf.py NATIVE_EXECUTABLE [--store memory|dynamodb] [--warm 2000] [--mb 1769] [--depth 3]
"""
import argparse
import collections
import importlib
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
lam = importlib.import_module("lambda")
tls_module = importlib.import_module("tls")
RUN_AS_LAMBDA = os.path.join(lam.ROOT, "..", "shared", "lambda-cpu", "run-as-lambda")
CALL_GRAPH = ["--call-graph", "dwarf,16384"] if os.environ.get("PERF_DWARF") else []


def record(executable, store, warm, mb, data):
    tls = tls_module.Tls()
    try:
        prefix = [RUN_AS_LAMBDA, str(mb), "perf", "record", "-q", "-F", "2999", "-e", "cpu-clock", *CALL_GRAPH, "-o", data, "--"]
        return lam.measure("native", executable, runs=1, warm=warm, store=store, prefix=prefix, tls=tls)[0]
    finally:
        tls.close()


def symbols(data):
    """(symbol) per sample, from perf script; the cold start is not split off, so the warm phase must dominate."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "sym", "--no-demangle"], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        line = line.strip()
        if line:
            yield line


def package(symbol, depth):
    # GraalVM names a method "pkg.Class::method" (or "pkg.Class.method" in older releases).
    name = symbol.split("(")[0].split("::")[0]
    parts = [p for p in re.split(r"[.$]", name) if p]
    lower = [p for p in parts if p[:1].islower()]
    return ".".join(lower[:depth]) or name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("executable")
    parser.add_argument("--store", choices=["memory", "dynamodb"], default="dynamodb")
    parser.add_argument("--warm", type=int, default=2000)
    parser.add_argument("--mb", type=int, default=1769)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--keep", help="keep perf.data here")
    args = parser.parse_args()
    data = args.keep or os.path.join(tempfile.mkdtemp(), "perf.data")
    result = record(os.path.abspath(args.executable), args.store, args.warm, args.mb, data)
    samples = list(symbols(data))
    by_package = collections.Counter(package(s, args.depth) for s in samples)
    by_symbol = collections.Counter(samples)
    total = len(samples)
    print(f"{total} samples; {args.warm} warm sends, {args.store} stores, {args.mb} MB share; "
          f"CPU per warm send under perf {result['warm_cpu_ms']:.2f} ms (perf's own work included)")
    print("| package (self time) | share |\n|---|---|")
    for name, count in by_package.most_common(25):
        print(f"| {name} | {100 * count / total:.1f}% |")
    print("\ntop functions (self):")
    for name, count in by_symbol.most_common(30):
        print(f"  {100 * count / total:5.1f}%  {name[:150]}")


if __name__ == "__main__":
    sys.exit(main())
