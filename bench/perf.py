#!/usr/bin/env python3
"""Where the native executable's CPU goes per warm send, sampled by Linux perf.

Runs the native function as bench/lambda.py does (Runtime API stand-in; WeChat and DynamoDB over
TLS as bench/cost.py serves them, the heap that --mb gives; --store dynamodb is as deployed),
under `perf record` (cpu-clock, 2,999 samples a second of CPU), and prints the share of the
samples by the package of the sampled function (self time; the kernel apart) and the top
functions. The cold start is sampled too, so --warm should make the warm phase dominate. perf samples every thread, so
the Lambda runtime poller, the Vert.x event loop and the worker pool all count, as Lambda bills them.
Call graphs are not shown: GraalVM's DWARF did not unwind Java frames under perf here.

The executable needs its symbols: build it with
  -Dquarkus.native.debug.enabled=true '-Dquarkus.native.additional-build-args=-H:-DeleteLocalSymbols,-H:CPUFeatures=AES\\,CLMUL'
(the second flag repeats the pom's x86-crypto profile, which a command-line value replaces)
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


def record(executable, store, warm, mb, data):
    tls = tls_module.Tls()
    try:
        prefix = [RUN_AS_LAMBDA, str(mb), "perf", "record", "-q", "-F", "2999", "-e", "cpu-clock", "-o", data, "--"]
        return lam.measure("native", executable, runs=1, warm=warm, store=store, prefix=prefix, tls=tls,
                           args=[f"-Xmx{mb * 8 // 10}m"])[0]
    finally:
        tls.close()


def shares(data):
    """(share of all samples in %, symbol) per sampled function, from perf report's self time."""
    out = subprocess.run(["perf", "report", "-i", data, "--stdio", "--sort", "sym", "--percent-limit", "0"], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        match = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(.*\S)", line)
        if match:
            kind, symbol = match.group(2), match.group(3)
            yield float(match.group(1)), "[kernel] " + symbol if kind == "k" else symbol


def package(symbol, depth):
    if symbol.startswith("[kernel]"):
        return "kernel"
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
    functions = list(shares(data))
    by_package = collections.Counter()
    for share, symbol in functions:
        by_package[package(symbol, args.depth)] += share
    print(f"{args.warm} warm sends, {args.store} stores, {args.mb} MB share; the cold start is in the samples too, "
          f"so the warm phase must dominate; CPU per warm send under perf {result['warm_cpu_ms']:.2f} ms "
          f"(perf's own process, not the function's: use bench/cost.py for that)")
    print("| package (self time) | share |\n|---|---|")
    for name, share in by_package.most_common(25):
        print(f"| {name} | {share:.1f}% |")
    print("\ntop functions (self):")
    for share, symbol in sorted(functions, reverse=True)[:30]:
        print(f"  {share:5.2f}%  {symbol[:150]}")


if __name__ == "__main__":
    sys.exit(main())
