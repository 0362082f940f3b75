#!/usr/bin/env python3
"""A batch of 1,000 recipients against a WeChat stand-in that answers each send after 50 ms.

Each run starts the packaged JVM application as an HTTP server (the native executable only runs
as a Lambda function, polling the Runtime API, so it cannot serve this), waits for /health, then
posts --batches batches of --recipients to /messages/batch, each under its own idempotency key.
The first batch of a run is the cold one. Wall time is measured around each POST; peak RSS
(VmHWM) is read from /proc at the end of the run. The application logs as in production (a JSON
line and a metric line per send), to /dev/null. Token and idempotency stores are the in-memory
ones: this measures wxsend, not a DynamoDB emulator. The stand-in counts sends per recipient,
and a run fails unless every recipient was reached exactly once per batch.

usage: python3 bench/batch.py [--runs N] [--batches N] [--recipients N] [--latency-ms N]
                              [--concurrency N] [--cmd 'java … -jar target/wxsend-0.1.0-SNAPSHOT-runner.jar']
"""
import argparse
import collections
import importlib
import json
import os
import shlex
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The same /proc readings and free port as the Lambda benchmark.
lam = importlib.import_module("lambda")
peak_rss_mb, cpu_seconds, free_port, spread = lam.peak_rss_mb, lam.cpu_seconds, lam.free_port, lam.spread

ROOT = lam.ROOT
APPID = "wx0000000000000b02"
# AWS's Java runtimes start the JVM with C1 only; MaxRAM sizes the heap as a 256 MB function's would.
JVM = "java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MaxRAM=256m -jar target/wxsend-0.1.0-SNAPSHOT-runner.jar"


class WeChat(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle on, the body waits for the client's
    # delayed ACK of the headers (40 ms on Linux), which would be measured as wxsend's time.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/cgi-bin/stable_token"):
            answer = {"access_token": "ACCESS-bench", "expires_in": 7200}
        else:
            time.sleep(self.server.latency)
            touser = json.loads(body)["touser"]
            with self.server.lock:
                self.server.sends[touser] += 1
            answer = {"errcode": 0, "errmsg": "ok"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def batch(key, recipients):
    return json.dumps({
        "app": APPID, "idempotencyKey": key,
        "mp_template_msg": {"appid": "wxaaaaaaaaaaaaaaa1", "template_id": "TPL_bench",
                            "data": {"first": {"value": "benchmark"}, "keyword1": {"value": "-"}}},
        "recipients": [{"touser": "oBench%023d" % i, "data": {"keyword1": {"value": "prize %d" % i}}}
                       for i in range(recipients)],
    }).encode()


def one_run(args, wechat, run):
    port = free_port()
    env = dict(os.environ, WECHAT_API_URL=f"http://127.0.0.1:{wechat.server_port}", WECHAT_APPID=APPID,
               WECHAT_SECRET="bench-secret", TOKEN_STORE="memory", IDEMPOTENCY_STORE="memory",
               QUARKUS_HTTP_PORT=str(port), BATCH_CONCURRENCY=str(args.concurrency),
               BATCH_MAX_RECIPIENTS=str(max(1000, args.recipients)))
    process = subprocess.Popen(shlex.split(args.cmd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("the application did not start")
                time.sleep(0.05)
        walls, cpus, stand_cpus = [], [], []
        for b in range(args.batches):
            with wechat.lock:
                wechat.sends.clear()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/messages/batch", data=batch(f"bench-{run}-{b}", args.recipients),
                                             headers={"Content-Type": "application/json"})
            cpu, stand = cpu_seconds(process.pid), os.times()
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                result = json.loads(response.read())
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((cpu_seconds(process.pid) - cpu) * 1000)
            after = os.times()
            stand_cpus.append((after.user + after.system - stand.user - stand.system) * 1000)
            reached = wechat.sends
            if result["status"] != "COMPLETE" or len(reached) != args.recipients or set(reached.values()) != {1}:
                raise SystemExit(f"batch {b} of run {run}: {result['status']}, {len(reached)} reached, "
                                 f"counts {collections.Counter(reached.values())}")
        return walls, cpus, stand_cpus, peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(10)


def measure(runs=5, batches=3, recipients=1000, latency_ms=50, concurrency=20, cmd=JVM):
    """Returns the figures of `runs` processes: first-batch and later-batch wall times, CPU, peak RSS."""
    args = argparse.Namespace(runs=runs, batches=batches, recipients=recipients, latency_ms=latency_ms,
                              concurrency=concurrency, cmd=cmd)
    ThreadingHTTPServer.request_queue_size = 128
    wechat = ThreadingHTTPServer(("127.0.0.1", 0), WeChat)
    wechat.daemon_threads = True
    wechat.latency = latency_ms / 1000
    wechat.lock = threading.Lock()
    wechat.sends = collections.Counter()
    threading.Thread(target=wechat.serve_forever, daemon=True).start()
    figures = {"cold": [], "warm": [], "warm_cpu": [], "stand_cpu": [], "rss": []}
    try:
        for run in range(runs):
            walls, cpus, stand_cpus, peak = one_run(args, wechat, run)
            figures["cold"].append(walls[0])
            figures["warm"].extend(walls[1:])
            figures["warm_cpu"].extend(cpus[1:])
            figures["stand_cpu"].extend(stand_cpus[1:])
            figures["rss"].append(peak)
            print(f"run {run + 1}: " + ", ".join(f"{w:.0f} ms" for w in walls) + " wall, "
                  + ", ".join(f"{c:.0f} ms" for c in cpus) + f" CPU; peak RSS {peak:.0f} MB", file=sys.stderr)
    finally:
        wechat.shutdown()
        wechat.server_close()
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--cmd", default=JVM)
    args = parser.parse_args()
    f = measure(args.runs, args.batches, args.recipients, args.latency_ms, args.concurrency, args.cmd)
    cold, warm, warm_cpu, stand_cpu, rss = f["cold"], f["warm"], f["warm_cpu"], f["stand_cpu"], f["rss"]
    floor = args.recipients * args.latency_ms / args.concurrency
    print(f"{args.recipients} recipients, stand-in {args.latency_ms} ms per send, concurrency {args.concurrency} "
          f"(floor {floor:.0f} ms), {args.runs} runs x {args.batches} batches; median (min–max)")
    print("| first batch of a process | later batches | their CPU in wxsend | their CPU in the stand-in | peak RSS of the process |")
    print("|---|---|---|---|---|")
    print(f"| {spread(cold, 'ms', 0)} | {spread(warm, 'ms', 0) if warm else '-'} | {spread(warm_cpu, 'ms', 0) if warm else '-'} "
          f"| {spread(stand_cpu, 'ms', 0) if warm else '-'} | {spread(rss, 'MB', 0)} |")


if __name__ == "__main__":
    main()
