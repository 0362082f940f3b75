#!/usr/bin/env python3
"""Where a flight recording's CPU samples fall, by component.

Reads the jdk.ExecutionSample events of a JFR file (with the JDK's `jfr` tool) and prints, for
each component, the share of samples whose innermost frame from a listed component is that
component's (JDK frames count for the component that called them; the shares add up to 100%),
then the top frames themselves.

usage: python3 bench/profile.py RECORDING.jfr [--skip-first-seconds S]
Record one with bench/lambda.py --java-opts="-XX:StartFlightRecording=filename=F.jfr,settings=profile,jdk.ExecutionSample#period=1ms"
"""
import collections
import datetime
import json
import shutil
import subprocess
import sys

# First match wins for a frame; a sample counts once per component.
COMPONENTS = [
    ("Lambda runtime interface client", ("com.amazonaws.services.lambda.runtime.api.client",)),
    ("Funqy (event in, result out)", ("io.quarkus.funqy",)),
    ("wxsend: reading and validating the request", ("wxsend.send.request",)),
    ("wxsend: idempotency", ("wxsend.idempotency",)),
    ("wxsend: token", ("wxsend.token",)),
    ("wxsend: logging (SendLog)", ("wxsend.send.outcome.SendLog",)),
    ("wxsend: metrics (EMF)", ("wxsend.metrics",)),
    ("REST client (RESTEasy Reactive, Vert.x, Netty)", ("org.jboss.resteasy.reactive.client", "io.quarkus.rest.client",
                                                        "io.vertx.core.http", "io.netty")),
    ("Jackson", ("com.fasterxml.jackson",)),
    ("JBoss Log Manager and JSON formatting", ("org.jboss.logmanager", "io.quarkus.logging.json")),
    ("WxJava", ("me.chanjar.weixin", "cn.binarywang")),
    ("Apache HttpClient", ("org.apache.http",)),
    ("Gson", ("com.google.gson",)),
]


def jfr_tool():
    for candidate in ("/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr", shutil.which("jfr")):
        if candidate:
            return candidate
    raise SystemExit("no jfr tool on this machine")


def samples(path):
    out = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", "200", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
        yield (datetime.datetime.fromisoformat(event["values"]["startTime"][:26]),
               [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames])


def main():
    path = sys.argv[1]
    events = sorted(samples(path))
    if "--skip-first-seconds" in sys.argv:
        skip = datetime.timedelta(seconds=float(sys.argv[sys.argv.index("--skip-first-seconds") + 1]))
        events = [e for e in events if e[0] >= events[0][0] + skip]
    owner = collections.Counter()
    top = collections.Counter()
    for _, frames in events:
        owner[next((name for frame in frames for name, prefixes in COMPONENTS if frame.startswith(prefixes)),
                   "other (JDK, JIT-free runtime threads)")] += 1
        if frames:
            top[" < ".join(frames[:3])] += 1
    total = len(events)
    print(f"{total} CPU samples in {path}")
    print("| component (innermost on the stack) | share of samples |")
    print("|---|---|")
    for name, count in owner.most_common():
        print(f"| {name} | {100 * count / total:.0f}% |")
    print("\ntop frames:")
    for frame, count in top.most_common(15):
        print(f"  {100 * count / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
