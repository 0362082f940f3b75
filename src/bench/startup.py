#!/usr/bin/env python3
"""Cold start of a wxsend executable, measured from exec to the first handled invocation.

A Lambda Runtime API stand-in (AWS's published paths: /2018-06-01/runtime/invocation/next,
/response, /error) and a WeChat stand-in run in this process on a free loopback port. Each run
starts the executable with AWS_LAMBDA_RUNTIME_API pointing here, hands it one send request,
and stops the clock when the response is posted. The process's peak RSS (VmHWM) is read from
/proc right then. The token store is the in-memory one, so the first invocation fetches a token
from the stand-in and then sends: the whole path of a cold start with no stored token.

With --check-emf it also fails unless standard output carried the invocation's CloudWatch
Embedded Metric Format lines bare (a JSON object with "_aws" per line, not inside a log record):
@QuarkusIntegrationTest keeps only the log file, so .ci/run checks this here.

usage: python3 src/bench/startup.py EXECUTABLE [--runs N] [--http-listener on|off] [--check-emf]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APPID = "wx0000000000000b01"
REQUEST = {
    "touser": "oBenchmarkOpenid0000000000001",
    "mp_template_msg": {"appid": "wxaaaaaaaaaaaaaaa1", "template_id": "TPL_bench",
                        "data": {"first": {"value": "benchmark"}}},
}


class Stand:
    def __init__(self):
        self.lock = threading.Condition()
        self.pending = []
        self.responses = {}
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
    # delayed ACK (40 ms on Linux), and that stall would be measured as wxsend's start-up.
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

    def do_GET(self):
        stand = self.server.stand
        if self.path.startswith("/2018-06-01/runtime/invocation/next"):
            with stand.lock:
                while not stand.pending:
                    stand.lock.wait()
                request_id, event = stand.pending.pop(0)
            deadline = int(time.time() * 1000) + 30000
            self.reply(200, event, {"Lambda-Runtime-Aws-Request-Id": request_id,
                                    "Lambda-Runtime-Deadline-Ms": str(deadline),
                                    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:bench"})
        elif self.path.startswith("/cgi-bin/token"):
            self.reply(200, {"access_token": "ACCESS-bench", "expires_in": 7200})
        else:
            self.reply(404, {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("/")
        if self.path.startswith("/2018-06-01/runtime/invocation/") and parts[-1] in ("response", "error"):
            stand = self.server.stand
            with stand.lock:
                stand.responses[parts[-2]] = (time.monotonic(), parts[-1], body)
                stand.lock.notify_all()
            self.reply(202, {})
        elif self.path.startswith("/cgi-bin/stable_token"):
            self.reply(200, {"access_token": "ACCESS-bench", "expires_in": 7200})
        elif self.path.startswith("/cgi-bin/message/"):
            self.reply(200, {"errcode": 0, "errmsg": "ok"})
        else:
            self.reply(404, {})


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a killed run's open long poll breaks; that is expected


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


def one_run(executable, http_listener, emf=False):
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.stand = stand = Stand()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{port}", QUARKUS_FUNQY_EXPORT="send",
               WECHAT_API_URL=f"http://127.0.0.1:{port}", WECHAT_APPID=APPID, WECHAT_SECRET="bench-secret",
               TOKEN_STORE="memory", IDEMPOTENCY_STORE="memory", QUARKUS_HTTP_HOST_ENABLED="true" if http_listener else "false",
               QUARKUS_HTTP_PORT="0", DISABLE_SIGNAL_HANDLERS="true")
    request_id = stand.invoke(REQUEST)
    started = time.monotonic()
    output = tempfile.TemporaryFile()
    process = subprocess.Popen([executable], env=env, stdout=output, stderr=subprocess.PIPE)
    try:
        answer = stand.wait_response(request_id, timeout=60)
        if answer is None:
            raise SystemExit("no response within 60 s: " + process.stderr.read1().decode(errors="replace"))
        answered, kind, body = answer
        rss = peak_rss_mb(process.pid)
        if kind != "response" or json.loads(body).get("status") != "SENT":
            raise SystemExit(f"the invocation did not send: {kind} {body!r}")
        return (answered - started) * 1000, rss
    finally:
        process.kill()
        process.wait()
        if emf:
            output.seek(0)
            check_emf(output.read())
        output.close()
        server.shutdown()
        server.server_close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("executable")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--http-listener", choices=["on", "off"], default="off")
    parser.add_argument("--check-emf", action="store_true")
    args = parser.parse_args()
    results = [one_run(args.executable, args.http_listener == "on", args.check_emf and run == 0) for run in range(args.runs)]
    starts = [r[0] for r in results]
    rss = [r[1] for r in results]
    print(f"{os.path.basename(args.executable)}, HTTP listener {args.http_listener}, {args.runs} runs")
    print(f"exec to first handled invocation (token fetch + send): median {statistics.median(starts):.1f} ms "
          f"(min {min(starts):.1f}, max {max(starts):.1f})")
    print(f"peak RSS (VmHWM): median {statistics.median(rss):.1f} MB (min {min(rss):.1f}, max {max(rss):.1f})")


if __name__ == "__main__":
    sys.exit(main())
