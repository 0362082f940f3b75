#!/usr/bin/env python3
"""wxsend's benchmark suite: one command, one table.

Builds what it needs (the JVM package, bench/pom.xml, the test class path for DynamoDB Local,
and the native executable when none is given or found), runs every benchmark on this machine,
and prints one Markdown table: each figure a median over repeated runs, with min and max, next
to its target. Timings are reported, never asserted; a run fails only if something did not
work (a send not made, a token fetched twice, WxJava and wxsend posting different bodies).

    python3 bench/run.py                 # the full run recorded in BENCHMARKS.md
    python3 bench/run.py --quick         # a few iterations: what CI runs so the suite cannot rot
    python3 bench/run.py --write BENCHMARKS.md   # also replaces the generated block in that file

Options: --native PATH (an executable built elsewhere, e.g. ./mvnw package -Dnative), --no-build.
"""
import argparse
import datetime
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
lam = importlib.import_module("lambda")
batch = importlib.import_module("batch")

ROOT = lam.ROOT
NATIVE = os.path.join(ROOT, "target", "wxsend-0.1.0-SNAPSHOT-runner")
KIT = os.path.join(ROOT, "..", "shared", "native-kit", "build-native")
MVNW = os.path.join(ROOT, "mvnw")
SET_ASIDE = os.path.join(ROOT, "target", "bench-native-runner")

FULL = dict(cold_runs=10, warm_runs=3, warm=2000, batch_runs=5, batches=3, token_rounds=5, client_runs=5,
            client_warmup=2000, client_sends=5000)
QUICK = dict(cold_runs=1, warm_runs=1, warm=50, batch_runs=1, batches=1, token_rounds=1, client_runs=1,
             client_warmup=50, client_sends=100)


def sh(*cmd, **kwargs):
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=True, **kwargs)


def build(native):
    if native == NATIVE and not os.path.exists(NATIVE):
        if not os.access(KIT, os.X_OK):
            raise SystemExit(f"no native executable at {NATIVE} and no native kit at {KIT}: "
                             "build one with ./mvnw package -Dnative and pass --native PATH")
        graalvm = subprocess.run([KIT, "--prepare"], check=True, capture_output=True, text=True).stdout.strip()
        sh(MVNW, "-B", "-q", "package", "-Dnative", "-DskipTests", f"-Dquarkus.native.graalvm-home={graalvm}")
    # The JVM package after the native one: the runner jar and target/lib are what the JVM rows
    # run. The executable is set aside first, so that the JVM package cannot replace or remove it.
    shutil.copy2(native, SET_ASIDE)
    sh(MVNW, "-B", "-q", "package", "-DskipTests")
    sh(MVNW, "-B", "-q", "-f", "bench/pom.xml", "package")
    sh(MVNW, "-B", "-q", "dependency:build-classpath", "-Dmdep.includeScope=test",
       "-Dmdep.outputFile=target/test-classpath.txt")


def cold_starts(native, p):
    """Every function with memory stores (each fetches its token), then wxsend with DynamoDB Local."""
    rows = {}
    for name, function, executable in (("native", "native", native), ("JVM", "jvm", None), ("WxJava", "wxjava", None)):
        rows[name] = lam.measure(function, executable, runs=p["cold_runs"])
    for name, function, executable in (("native", "native", native), ("JVM", "jvm", None)):
        rows[name + " dynamodb"] = lam.measure(function, executable, runs=p["cold_runs"], store="dynamodb")
    bodies = {name: normalised(results[0]["first_body"]) for name, results in rows.items()}
    if len({json.dumps(b, sort_keys=True) for b in bodies.values()}) != 1:
        raise SystemExit(f"the functions posted different bodies: {bodies}")
    return rows


def normalised(body):
    """WxJava cannot write the documented "pagepath" key (see WxJavaSender); compare with it aside."""
    message = json.loads(body)
    mini = message.get("mp_template_msg", {}).get("miniprogram", {})
    for key in ("path", "pagePath"):
        if key in mini:
            mini["pagepath"] = mini.pop(key)
    return message


def warm(native, p):
    rows = {}
    for name, function, executable in (("native", "native", native), ("JVM", "jvm", None), ("WxJava", "wxjava", None)):
        rows[name] = lam.measure(function, executable, runs=p["warm_runs"], warm=p["warm"])
    return rows


def token_acquisition(p):
    out = subprocess.run([MVNW, "-B", "test", "-Dtest=TokenAcquisitionBenchmark", f"-Dbench.rounds={p['token_rounds']}",
                          "-Dbench.warm=1000", "-Dsurefire.failIfNoSpecifiedTests=false"],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("TokenAcquisitionBenchmark failed:\n" + out.stdout[-4000:])
    lines = out.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("== token acquisition"))
    rows = []
    for line in lines[start + 2:]:
        m = re.match(r"(\d+ (?:concurrent cold starts|warm sends))\s+(\S+ \(\S+\))\s+(\S+ \(\S+\))\s+(\S+ \(\S+\))\s+(\S+ \(\S+\))", line)
        if not m:
            break
        rows.append(m.groups())
    return rows


def clients(p):
    """WxJava and wxsend's client, each in its own JVM, alternating, against one stand-in."""
    server = lam.QuietServer(("127.0.0.1", 0), lam.Handler)
    server.stand = lam.Stand()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, WECHAT_API_URL=f"http://127.0.0.1:{server.server_address[1]}", WECHAT_APPID=lam.APPID,
               WECHAT_SECRET="bench-secret", TOKEN_STORE="memory", IDEMPOTENCY_STORE="memory",
               QUARKUS_HTTP_HOST_ENABLED="false", QUARKUS_LOG_LEVEL="WARN")
    classpath = {"wxjava": "bench/target/classes:bench/target/lib/*",
                 "wxsend": "target/wxsend-0.1.0-SNAPSHOT-runner.jar:target/lib/*:bench/target/classes"}
    results = {"wxjava": [], "wxsend": []}
    try:
        for _ in range(p["client_runs"]):
            for client in ("wxjava", "wxsend"):
                out = subprocess.run(lam.JAVA + ["-cp", classpath[client], "wxsend.bench.ClientCpu", client,
                                                 json.dumps(lam.REQUEST), str(p["client_warmup"]), str(p["client_sends"])],
                                     cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
                line = next((l for l in out.stdout.splitlines() if l.startswith('{"client"')), None)
                if out.returncode != 0 or line is None:
                    raise SystemExit(f"ClientCpu {client} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
                results[client].append(json.loads(line))
    finally:
        server.shutdown()
        server.server_close()
    return results


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"{os.cpu_count()} × {cpu}, {mem} GiB, {platform.system()} {platform.release()}, {java}, Python {platform.python_version()}"


def micros(figure, scale):
    """ "536079.8 (500000.0-600000.0)" in µs, shown in ms when scale is 1000."""
    return re.sub(r"[\d.]+", lambda m: f"{float(m.group()) / scale:,.1f}", figure).replace("-", "–")


def table(p, cold, warm_rows, batch_rows, tokens, client_rows):
    med = statistics.median
    lines = ["| # | measure | native | JVM | WxJava (JVM) | target |", "|---|---|---|---|---|---|"]
    def cells(rows, value, unit, digits, others=None):
        """One cell per function: the spread of value(run) over its runs; "–" for a function not run."""
        return "".join(f"| {lam.spread([value(r) for r in rows[n]], unit, digits if n == 'native' or others is None else others)} "
                       if n in rows else "| – " for n in ("native", "JVM", "WxJava"))

    cold_ms, cold_rss = (lambda r: r["cold_ms"]), (lambda r: r["cold_rss_mb"])
    lines.append(f"| 1 | cold start, exec to first response; in-memory stores, so each function fetches its token ({p['cold_runs']} runs) "
                 + cells(cold, cold_ms, "ms", 1, 0) + "| native ≤ 50 ms, JVM ≤ 1 s |")
    lines.append("| 1 | peak RSS at first response " + cells(cold, cold_rss, "MB", 1, 0) + "| native ≤ 64 MB |")
    dynamo = {n: cold[n + " dynamodb"] for n in ("native", "JVM")}
    lines.append("| 1 | cold start as deployed: token and idempotency in DynamoDB Local, token already stored "
                 + cells(dynamo, cold_ms, "ms", 1, 0) + "| native ≤ 50 ms, JVM ≤ 1 s |")
    lines.append("| 1 | its peak RSS " + cells(dynamo, cold_rss, "MB", 1, 0) + "| native ≤ 64 MB |")

    lines.append(f"| 2 | warm invocation, function's own time less the WeChat stand-in's, p50 (memory stores, {p['warm']} per run, {p['warm_runs']} runs) "
                 + cells(warm_rows, lambda r: lam.net_percentile(r, 50), "ms", 2) + "| p50 ≤ 1 ms |")
    lines.append("| 2 | the same, p99 " + cells(warm_rows, lambda r: lam.net_percentile(r, 99), "ms", 2) + "| |")
    lines.append("| 2 | process CPU per warm invocation " + cells(warm_rows, lambda r: r["warm_cpu_ms"], "ms", 2)
                 + "| no worse than WxJava |")
    lines.append(f"| 3 | batch of 1,000 at 50 ms, concurrency 20: first batch of a process, wall (JVM over HTTP, memory stores, {p['batch_runs']} runs) "
                 f"| – | {lam.spread(batch_rows['cold'], 'ms', 0)} | – | ≤ 2 s |")
    if batch_rows["warm"]:
        lines.append(f"| 3 | later batches, wall | – | {lam.spread(batch_rows['warm'], 'ms', 0)} | – | ≤ 2 s |")
    lines.append(f"| 3 | peak RSS over the batches | – | {lam.spread(batch_rows['rss'], 'MB', 0)} | – | |")
    for scenario, fetches, reads, p50, p99 in tokens:
        unit = "ms" if "cold" in scenario else "µs"
        scale = 1000 if unit == "ms" else 1
        lines.append(f"| 4 | token acquisition, {scenario}: instances in one JVM sharing DynamoDB Local ({p['token_rounds']} rounds) "
                     f"| – | fetches {fetches}, store reads {reads}, p50 {micros(p50, scale)} {unit}, p99 {micros(p99, scale)} {unit} | – "
                     f"| {'exactly 1 fetch' if scenario.startswith('50') else ''} |")
    x, s = client_rows["wxjava"], client_rows["wxsend"]
    cpu_x, cpu_s = [r["cpuPerSendUs"] for r in x], [r["cpuPerSendUs"] for r in s]
    first_x, first_s = [r["firstSendMs"] for r in x], [r["firstSendMs"] for r in s]
    lines.append(f"| 5 | client in-process, CPU per send after {p['client_warmup']} warm-up sends ({p['client_sends']} sends, {p['client_runs']} JVMs each) "
                 f"| – | wxsend {lam.spread(cpu_s, 'µs', 0)} | {lam.spread(cpu_x, 'µs', 0)} | ratio wxsend/WxJava {med(cpu_s) / med(cpu_x):.2f} (≤ 1) |")
    lines.append(f"| 5 | client in-process, JVM start to first send's answer | – | wxsend {lam.spread(first_s, 'ms', 0)} | {lam.spread(first_x, 'ms', 0)} "
                 f"| ratio {med(first_s) / med(first_x):.2f} |")
    fn_cpu_n = med([r['warm_cpu_ms'] for r in warm_rows['native']])
    fn_cpu_j = med([r['warm_cpu_ms'] for r in warm_rows['JVM']])
    fn_cpu_x = med([r['warm_cpu_ms'] for r in warm_rows['WxJava']])
    lines.append(f"| 5 | function CPU per warm invocation, ratio to WxJava's (row 2) | {fn_cpu_n / fn_cpu_x:.2f} | {fn_cpu_j / fn_cpu_x:.2f} | 1 | ≤ 1 |")
    cold_n = med([r['cold_ms'] for r in cold['native']])  # memory stores: both fetch a token, then send
    cold_j = med([r['cold_ms'] for r in cold['JVM']])
    cold_x = med([r['cold_ms'] for r in cold['WxJava']])
    lines.append(f"| 5 | function start-up to first send, ratio to WxJava's (row 1) | {cold_n / cold_x:.2f} | {cold_j / cold_x:.2f} | 1 | |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--native")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--write")
    args = parser.parse_args()
    p = QUICK if args.quick else FULL
    native = os.path.abspath(args.native) if args.native else NATIVE
    if not args.no_build:
        build(native)
        native = SET_ASIDE
    started = datetime.datetime.now(datetime.timezone.utc)
    print("1/5 cold starts", file=sys.stderr, flush=True)
    cold = cold_starts(native, p)
    print("2/5 warm invocations", file=sys.stderr, flush=True)
    warm_rows = warm(native, p)
    print("3/5 batches", file=sys.stderr, flush=True)
    batch_rows = batch.measure(runs=p["batch_runs"], batches=p["batches"])
    print("4/5 token acquisition", file=sys.stderr, flush=True)
    tokens = token_acquisition(p)
    print("5/5 WxJava and wxsend's client in-process", file=sys.stderr, flush=True)
    client_rows = clients(p)
    minutes = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds() / 60
    command = "python3 bench/run.py" + (" --quick" if args.quick else "")
    report = (f"<!-- bench:begin (generated by {command}; edit around it, not inside) -->\n"
              f"Run {started:%Y-%m-%d %H:%M} UTC, {minutes:.0f} min, `{command}`. Each figure: median (min–max).\n\n"
              f"Machine: {machine()}.\n\n{table(p, cold, warm_rows, batch_rows, tokens, client_rows)}\n<!-- bench:end -->")
    print(report)
    if args.write:
        with open(args.write) as f:
            text = f.read()
        text = re.sub(r"<!-- bench:begin.*?<!-- bench:end -->", lambda _: report, text, flags=re.S)
        with open(args.write, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
