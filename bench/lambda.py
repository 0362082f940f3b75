#!/usr/bin/env python3
"""A Lambda function's cold start and warm invocations, through a Runtime API stand-in.

A Lambda Runtime API stand-in (AWS's published paths: /2018-06-01/runtime/invocation/next,
/response, /error) and a WeChat stand-in run in this process on a free loopback port. Each run
execs the function with AWS_LAMBDA_RUNTIME_API pointing here and hands it one uniform send:

- cold start: from exec to the moment the first response is posted; peak RSS (VmHWM) is read
  from /proc right then;
- then --warm further invocations, one after another. A warm invocation's time is the
  function's own time as Lambda bills it: from the event handed over on /next to its response
  posted. The WeChat stand-in answers at once; its own handling time per send is measured and
  reported apart, so "net" is the function less the stand-in. CPU per warm invocation is the
  process's user+system time over the warm phase (/proc/PID/stat), divided by the count.

Functions (--function):
- native EXECUTABLE: the native executable polls the Runtime API itself;
- jvm: the runner jar and target/lib/* run by AWS's runtime interface client
  (com.amazonaws.services.lambda.runtime.api.client.AWSLambda) with the handler
  io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest, as Lambda's Java runtimes do;
- wxjava: bench/src/main/java/wxsend/bench/WxJavaFunction.java, the same message sent by WxJava,
  run by the same client. Build it first: ./mvnw -f bench/pom.xml -B -q package

Stores (--store): memory, or dynamodb (DynamoDB Local started here, from the test class path
that bench/run.py writes to target/test-classpath.txt). With dynamodb every run after the first
finds the token that the first run stored, as a cold start in production does; each invocation
carries its own idempotency key.

With --check-emf it also fails unless standard output carried the first invocation's CloudWatch
Embedded Metric Format lines bare (a JSON object with "_aws" per line, not inside a log record):
@QuarkusIntegrationTest keeps only the log file, so .ci/run checks this here.

usage: python3 bench/lambda.py --function native EXECUTABLE|jvm|wxjava [--runs N] [--warm N]
                               [--store memory|dynamodb] [--java-opts='…'] [--check-emf] [--threads] [--log FILE]
"""
import argparse
import glob
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPID = "wx0000000000000b01"
REQUEST = {
    "touser": "oBenchmarkOpenid0000000000001",
    "mp_template_msg": {"appid": "wxaaaaaaaaaaaaaaa1", "template_id": "TPL_bench",
                        "url": "https://example.com/bench",
                        "miniprogram": {"appid": "wxbbbbbbbbbbbbbbb2", "pagepath": "pages/index/index"},
                        "data": {"first": {"value": "benchmark", "color": "#173177"},
                                 "keyword1": {"value": "prize"}, "remark": {"value": "details"}}},
}
# How Lambda's Java runtimes start the JVM (C1 only, the serial collector).
JAVA = ["java", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
JAR = os.path.join(ROOT, "target", "wxsend-0.1.0-SNAPSHOT-runner.jar")


def ric_jars():
    jars = [j for pattern in ("aws-lambda-java-runtime-interface-client-*.jar", "aws-lambda-java-serialization-*.jar")
            for j in glob.glob(os.path.join(ROOT, "bench", "target", "lib", pattern))]
    if len(jars) != 2:
        raise SystemExit("the runtime interface client is missing: ./mvnw -f bench/pom.xml -B -q package")
    return jars


def command(function, executable=None, java_opts=()):
    if function == "native":
        return [executable]
    if function == "jvm":
        classpath = [JAR, os.path.join(ROOT, "target", "lib", "*")] + ric_jars()
        handler = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest"
    else:
        classpath = [os.path.join(ROOT, "bench", "target", "classes"), os.path.join(ROOT, "bench", "target", "lib", "*")]
        handler = "wxsend.bench.WxJavaFunction::handleRequest"
    return JAVA + list(java_opts) + ["-cp", ":".join(classpath), RIC_MAIN, handler]


class Stand:
    """One run's invocations: what waits on /next, what was answered, and when."""

    def __init__(self):
        self.lock = threading.Condition()
        self.pending = []
        self.handed = {}
        self.responses = {}
        self.wechat_seconds = []
        self.bodies = []
        self.counter = 0

    def invoke(self, event):
        with self.lock:
            self.counter += 1
            request_id = f"req-{self.counter}"
            self.pending.append((request_id, event))
            self.lock.notify_all()
            return request_id

    def wait_response(self, request_id, timeout):
        deadline = time.monotonic() + timeout
        with self.lock:
            while request_id not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.lock.wait(left)
            return self.responses.pop(request_id)


class Handler(BaseHTTPRequestHandler):
    """Serves one run's stand: a killed run's pending long poll must not take the next run's event."""
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle on, the body waits for the client's
    # delayed ACK (40 ms on Linux), and that stall would be measured as the function's time.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def do_GET(self):
        stand = self.server.stand
        if self.path.startswith("/2018-06-01/runtime/invocation/next"):
            with stand.lock:
                while not stand.pending:
                    stand.lock.wait()
                request_id, event = stand.pending.pop(0)
                stand.handed[request_id] = time.monotonic()
            deadline = int(time.time() * 1000) + 30000
            self.reply(200, event, {"Lambda-Runtime-Aws-Request-Id": request_id,
                                    "Lambda-Runtime-Deadline-Ms": str(deadline),
                                    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:bench"})
        elif self.path.startswith("/cgi-bin/token"):
            self.reply(200, {"access_token": "ACCESS-bench", "expires_in": 7200})
        else:
            self.reply(404, {})

    def do_POST(self):
        started = time.monotonic()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("/")
        stand = self.server.stand
        if self.path.startswith("/2018-06-01/runtime/invocation/") and parts[-1] in ("response", "error"):
            with stand.lock:
                stand.responses[parts[-2]] = (started, parts[-1], body)
                stand.lock.notify_all()
            self.reply(202, {})
        elif self.path.startswith("/cgi-bin/stable_token"):
            self.reply(200, {"access_token": "ACCESS-bench", "expires_in": 7200})
        elif self.path.startswith("/cgi-bin/message/"):
            self.reply(200, {"errcode": 0, "errmsg": "ok"})
            with stand.lock:
                stand.wechat_seconds.append(time.monotonic() - started)
                stand.bodies.append(body)
        else:
            self.reply(404, {})


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a killed run's open long poll breaks; that is expected


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu(pid):
    """CPU seconds (user, system) per thread name of a process, digits dropped so pools group."""
    totals = {}
    tick = os.sysconf("SC_CLK_TCK")
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as stat:
                text = stat.read()
        except OSError:
            continue  # the thread ended
        name = "".join(c for c in text[text.index("(") + 1:text.rindex(")")] if not c.isdigit()).strip(" -#")
        fields = text.rsplit(")", 1)[1].split()
        user, system = totals.get(name, (0.0, 0.0))
        totals[name] = (user + int(fields[11]) / tick, system + int(fields[12]) / tick)
    return totals


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DynamoDbLocal:
    """DynamoDB Local as a server on a free port, with wxsend's two tables."""

    def __init__(self):
        classpath_file = os.path.join(ROOT, "target", "test-classpath.txt")
        if not os.path.exists(classpath_file):
            raise SystemExit("target/test-classpath.txt is missing: bench/run.py writes it "
                             "(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt)")
        with open(classpath_file) as f:
            classpath = f.read().strip()
        self.port = free_port()
        self.workdir = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(["java", "-cp", classpath, "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                                         "-inMemory", "-sharedDb", "-port", str(self.port)],
                                        cwd=self.workdir.name, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.call("ListTables", {})
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit("DynamoDB Local did not start")
                time.sleep(0.1)
        for table, key in (("wxsend-tokens", "appid"), ("wxsend-idempotency", "id")):
            self.call("CreateTable", {"TableName": table, "BillingMode": "PAY_PER_REQUEST",
                                      "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
                                      "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]})

    def call(self, action, body):
        # DynamoDB Local checks that a SigV4 header is present, not what it signs.
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/", data=json.dumps(body).encode(), headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{action}",
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
                             "SignedHeaders=host;x-amz-date, Signature=00"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def env(self):
        return {"TOKEN_STORE": "dynamodb", "TOKEN_TABLE": "wxsend-tokens", "IDEMPOTENCY_STORE": "dynamodb",
                "IDEMPOTENCY_TABLE": "wxsend-idempotency", "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{self.port}",
                "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}

    def close(self):
        self.process.kill()
        self.process.wait()
        self.workdir.cleanup()


def check_emf(output):
    metrics = []
    for line in output.decode(errors="replace").splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if "_aws" in record:
                metrics.append(record)
    names = {m["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"] for m in metrics}
    if not any(m.get("Status") == "SENT" and m.get("Sends") == 1 for m in metrics) or "TokenFetches" not in names:
        raise SystemExit(f"no bare metric lines for the send and the token fetch on standard output: {metrics}")


def event():
    return dict(REQUEST, idempotencyKey="bench-" + uuid.uuid4().hex)


def sent(stand, request_id, output, timeout=60):
    """When the invocation's response was posted; fails unless it came in time and says SENT."""
    answer = stand.wait_response(request_id, timeout)
    if answer is None:
        output.seek(0)
        raise SystemExit(f"no response within {timeout} s: " + output.read()[-3000:].decode(errors="replace"))
    answered, kind, body = answer
    if kind != "response" or json.loads(body).get("status") != "SENT":
        raise SystemExit(f"the invocation did not send: {kind} {body!r}")
    return answered


def one_run(cmd, store_env, warm=0, emf=False, http_listener=False, log=None, tls=None):
    """One process: its cold start, then `warm` invocations. Returns a dict of figures.
    With `tls` (bench/tls.py's Tls), WeChat is served over HTTPS on a port of its own."""
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.stand = stand = Stand()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    wechat_url = f"http://127.0.0.1:{port}"
    wechat = None
    if tls:
        wechat = QuietServer(("127.0.0.1", 0), Handler)
        wechat.stand = stand
        wechat.socket = tls.server_context().wrap_socket(wechat.socket, server_side=True)
        threading.Thread(target=wechat.serve_forever, daemon=True).start()
        wechat_url = f"https://localhost:{wechat.server_address[1]}"
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{port}", QUARKUS_FUNQY_EXPORT="send",
               WECHAT_API_URL=wechat_url, WECHAT_APPID=APPID, WECHAT_SECRET="bench-secret",
               QUARKUS_HTTP_HOST_ENABLED="true" if http_listener else "false", QUARKUS_HTTP_PORT="0",
               DISABLE_SIGNAL_HANDLERS="true", **store_env)
    output = tempfile.TemporaryFile()
    first = stand.invoke(event())
    started = time.monotonic()
    process = subprocess.Popen(cmd, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        answered = sent(stand, first, output)
        result = {"cold_ms": (answered - started) * 1000, "cold_rss_mb": peak_rss_mb(process.pid),
                  "first_body": stand.bodies[0]}
        if warm:
            with stand.lock:
                stand.wechat_seconds.clear()
            times = []
            threads_before = thread_cpu(process.pid)
            cpu_before = cpu_seconds(process.pid)
            for _ in range(warm):
                request_id = stand.invoke(event())
                times.append((sent(stand, request_id, output) - stand.handed[request_id]) * 1000)
            result["warm_cpu_ms"] = (cpu_seconds(process.pid) - cpu_before) * 1000 / warm
            threads_after = thread_cpu(process.pid)
            result["warm_threads_ms"] = {name: tuple((a - b) * 1000 / warm for a, b in zip(after, threads_before.get(name, (0, 0))))
                                         for name, after in threads_after.items()}
            result["warm_ms"] = times
            result["wechat_ms"] = [s * 1000 for s in stand.wechat_seconds]
            result["warm_rss_mb"] = peak_rss_mb(process.pid)
        return result
    finally:
        process.terminate()  # lets a JVM write a flight recording on exit
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.seek(0)
        if emf:
            check_emf(output.read())
            output.seek(0)
        if log:
            with open(log, "wb") as f:
                f.write(output.read())
        output.close()
        server.shutdown()
        server.server_close()
        if wechat:
            wechat.shutdown()
            wechat.server_close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def measure(function, executable=None, runs=10, warm=0, store="memory", java_opts=(), emf=False, http_listener=False, log=None,
            prefix=(), tls=None, args=()):
    """Runs the function `runs` times; returns the per-run results. `prefix` goes before the command
    (../shared/lambda-cpu/run-as-lambda MB), `args` after it (a native executable's -Xmx); with
    `tls`, WeChat and DynamoDB speak HTTPS."""
    dynamo = DynamoDbLocal() if store == "dynamodb" else None
    front = None
    try:
        store_env = dynamo.env() if dynamo else {"TOKEN_STORE": "memory", "IDEMPOTENCY_STORE": "memory"}
        if dynamo and tls:
            front = tls.front(dynamo.port)
            store_env["AWS_ENDPOINT_URL_DYNAMODB"] = f"https://localhost:{front.port}"
        cmd = list(prefix) + command(function, executable, java_opts) + (tls.function_args() if tls and function == "native" else []) + list(args)
        if dynamo:
            one_run(cmd, store_env, tls=tls)  # stores the token, as an earlier instance would have; not counted
        return [one_run(cmd, store_env, warm, emf and run == 0, http_listener, log, tls) for run in range(runs)]
    finally:
        if front:
            front.close()
        if dynamo:
            dynamo.close()


def net_percentile(result, p):
    """A run's warm-invocation percentile with the WeChat stand-in's own handling taken out."""
    return percentile([w - s for w, s in zip(result["warm_ms"], result["wechat_ms"])], p)


def spread(values, unit="ms", digits=1):
    """Median (min–max), the form every figure of the suite takes."""
    return f"{statistics.median(values):,.{digits}f} {unit} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--function", nargs="+", required=True, metavar="native EXECUTABLE|jvm|wxjava")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warm", type=int, default=0)
    parser.add_argument("--store", choices=["memory", "dynamodb"], default="memory")
    parser.add_argument("--java-opts", default="")
    parser.add_argument("--http-listener", choices=["on", "off"], default="off")
    parser.add_argument("--check-emf", action="store_true")
    parser.add_argument("--threads", action="store_true", help="also print the warm phase's CPU by thread")
    parser.add_argument("--log", help="keep the last run's standard output and error in this file")
    args = parser.parse_args()
    function, executable = args.function[0], (args.function[1] if len(args.function) > 1 else None)
    results = measure(function, executable, args.runs, args.warm, args.store, shlex.split(args.java_opts),
                      args.check_emf, args.http_listener == "on", args.log)
    print(f"{function}, {args.store} stores, {args.runs} runs; median (min–max)")
    print(f"exec to first response: {spread([r['cold_ms'] for r in results])}")
    print(f"peak RSS at first response: {spread([r['cold_rss_mb'] for r in results], 'MB')}")
    if args.warm:
        p50 = [percentile(r["warm_ms"], 50) for r in results]
        p99 = [percentile(r["warm_ms"], 99) for r in results]
        net50 = [net_percentile(r, 50) for r in results]
        net99 = [net_percentile(r, 99) for r in results]
        print(f"warm invocation ({args.warm} per run), event handed to response posted: "
              f"p50 {spread(p50, 'ms', 2)}, p99 {spread(p99, 'ms', 2)}")
        print(f"  less the WeChat stand-in's own handling: p50 {spread(net50, 'ms', 2)}, p99 {spread(net99, 'ms', 2)}")
        print(f"  CPU per warm invocation: {spread([r['warm_cpu_ms'] for r in results], 'ms', 2)}")
        if args.threads:
            print("  by thread (first run; user + system ms per invocation; threads that ended are not counted):")
            for name, (user, system) in sorted(results[0]["warm_threads_ms"].items(), key=lambda t: -sum(t[1])):
                if user + system >= 0.005:
                    print(f"    {name:32s} {user:6.3f} + {system:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
