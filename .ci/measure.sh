#!/usr/bin/env bash
# Cold start and memory of the retrieve function, native vs JVM, each run as Lambda runs it: a process that polls a
# Runtime API. Here the Runtime API is a small local stand-in (Python, in this script) that serves API Gateway events
# (GET /checks/<unknown id>: one DynamoDB GetItem on moto_server, answered 404) and timestamps every answer.
#
#   .ci/measure.sh [NATIVE_RUNNER] [JVM_TARGET]
#     NATIVE_RUNNER  native executable (default: target/*-runner, from mvn package -Dnative)
#     JVM_TARGET     a JVM Lambda build's target/ dir, holding *-runner.jar and lib/ (what plain mvn package makes;
#                    function.zip is the same files). Default: target/ when it has a *-runner.jar. Left out if absent.
#   RUNS=5 INVOCATIONS=50 JAVA_BIN=java .ci/measure.sh ...
#
# Native: the executable, no flags. JVM: the managed java runtime's way, the AWS Lambda Runtime Interface Client
# (com.amazonaws:aws-lambda-java-runtime-interface-client, resolved from Maven Central) calling
# io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest, with the runtime's default flags
# -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto.
# Figures: "first answer" = from the process's start to the Runtime API receiving the first response (init + first
# invocation); "ready" = Quarkus's own "started in"; RSS = VmRSS / VmHWM after the first answer plus INVOCATIONS more.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
NATIVE="${1:-$(ls target/*-runner 2>/dev/null | head -1 || true)}"
JVM_TARGET="${2:-target}"
RUNS="${RUNS:-5}"
INVOCATIONS="${INVOCATIONS:-50}"
JAVA_BIN="${JAVA_BIN:-java}"
RIC_VERSION=2.10.1

python3 -c 'import moto.server' 2>/dev/null || { echo "measure.sh: python3 with moto[server] is required" >&2; exit 2; }
[ -n "$NATIVE" ] && [ -x "$NATIVE" ] || NATIVE=""
JVM_JAR="$(ls "$JVM_TARGET"/*-runner.jar 2>/dev/null | head -1 || true)"
[ -n "$NATIVE$JVM_JAR" ] || { echo "measure.sh: neither a native runner nor a JVM runner jar found" >&2; exit 2; }

WORK="$(mktemp -d)"
cleanup() { [ -n "${MOTO_PID:-}" ] && kill "$MOTO_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

RIC_CP=""
if [ -n "$JVM_JAR" ]; then
  cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>m</groupId><artifactId>m</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>com.amazonaws</groupId><artifactId>aws-lambda-java-runtime-interface-client</artifactId><version>$RIC_VERSION</version></dependency></dependencies></project>
POM
  mvn -q -B -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/ric.cp" >"$WORK/mvn.log" 2>&1 \
    || { cat "$WORK/mvn.log" >&2; echo "measure.sh: cannot resolve the Runtime Interface Client" >&2; exit 2; }
  RIC_CP="$(cat "$WORK/ric.cp")"
fi

MOTO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 infra/local/moto-server.py -H 127.0.0.1 -p "$MOTO_PORT" > "$WORK/moto.log" 2>&1 &
MOTO_PID=$!

python3 - "$NATIVE" "$JVM_JAR" "$RIC_CP" "$JAVA_BIN" "$MOTO_PORT" "$RUNS" "$INVOCATIONS" "$WORK" <<'PY'
import http.server, json, os, queue, re, socketserver, statistics, subprocess, sys, threading, time, uuid, urllib.request

native, jvm_jar, ric_cp, java_bin, moto_port, runs, invocations, work = sys.argv[1:9]
runs, invocations = int(runs), int(invocations)
moto = f"http://127.0.0.1:{moto_port}"
TABLE = "measure-checks"

def wait_moto():
    for _ in range(300):
        try:
            urllib.request.urlopen(moto + "/moto-api/", timeout=1); return
        except Exception:
            time.sleep(0.1)
    sys.exit("moto_server did not start")

def create_table():
    import boto3
    ddb = boto3.client("dynamodb", endpoint_url=moto, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])

def event():
    check = str(uuid.uuid4())
    return json.dumps({"version": "2.0", "routeKey": "GET /checks/{checkId}", "rawPath": "/checks/" + check,
        "rawQueryString": "", "headers": {"host": "x.execute-api.us-east-1.amazonaws.com"},
        "pathParameters": {"checkId": check},
        "requestContext": {"requestId": str(uuid.uuid4()), "http": {"method": "GET", "path": "/checks/" + check,
                           "sourceIp": "203.0.113.10"}, "stage": "$default"},
        "isBase64Encoded": False}).encode()

class Api(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

def serve():
    state = {"events": queue.Queue(), "answers": queue.Queue()}
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def do_GET(self):
            if self.path.endswith("/invocation/next"):
                rid, body = state["events"].get()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:retrieve")
                self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers(); self.wfile.write(body)
            else:
                self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers()
        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            now = time.monotonic()
            self.send_response(202); self.send_header("Content-Length", "0"); self.end_headers()
            kind = "response" if self.path.endswith("/response") else "error"
            state["answers"].put((now, kind, self.path, body))
    srv = Api(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, state

def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":"); out[k] = int(v.split()[0]) / 1024
    return out

def run_once(kind):
    srv, state = serve()
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{srv.server_address[1]}",
               QUARKUS_LAMBDA_HANDLER="retrieve", CHECKS_TABLE=TABLE, AWS_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_ENDPOINT_URL=moto,
               AWS_LAMBDA_FUNCTION_NAME="retrieve", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
               AWS_LAMBDA_FUNCTION_VERSION="$LATEST", _HANDLER="io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest")
    if kind == "native":
        cmd = [native]
    else:
        cp = ":".join([jvm_jar, os.path.join(os.path.dirname(jvm_jar), "lib", "*"), ric_cp])
        cmd = [java_bin, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
               "-cp", cp, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
               "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"]
    log = open(os.path.join(work, f"{kind}.log"), "w")
    state["events"].put((str(uuid.uuid4()), event()))
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        t, what, path, body = state["answers"].get(timeout=60)
        first_ms = (t - t0) * 1000
        answer = json.loads(body) if what == "response" else {"error": body.decode()}
        if answer.get("statusCode") != 404:
            raise SystemExit(f"{kind}: unexpected first answer {what} {body[:300]!r}; log in {log.name}")
        for _ in range(invocations):
            state["events"].put((str(uuid.uuid4()), event()))
            state["answers"].get(timeout=30)
        time.sleep(0.2)
        mem = rss(p.pid)
    finally:
        p.terminate()
        try: p.wait(10)
        except subprocess.TimeoutExpired: p.kill(); p.wait()
        srv.shutdown(); log.close()
    started = None
    with open(log.name) as f:
        m = re.search(r"started in (\d+\.\d+)s", f.read())
        if m: started = float(m.group(1)) * 1000
    return first_ms, started, mem

wait_moto(); create_table()
rows = []
for kind, present in (("native", native), ("jvm", jvm_jar)):
    if not present:
        continue
    run_once(kind)  # warm the page cache; not counted
    results = [run_once(kind) for _ in range(runs)]
    size = os.path.getsize(native) if kind == "native" else None
    if kind == "jvm":
        d = os.path.dirname(jvm_jar)
        size = os.path.getsize(jvm_jar) + sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.join(d, "lib")) for f in fs)
    med = lambda xs: statistics.median([x for x in xs if x is not None]) if any(x is not None for x in xs) else float("nan")
    rows.append((kind, size / 1e6, med([r[0] for r in results]), min(r[0] for r in results), med([r[1] for r in results]),
                 med([r[2]["VmRSS"] for r in results]), med([r[2]["VmHWM"] for r in results])))

print(f"retrieve function, {runs} cold starts each (median), then {invocations} more invocations")
print(f"{'':8}{'size MB':>10}{'first answer ms':>18}{'(best)':>9}{'ready ms':>10}{'RSS MB':>9}{'peak RSS MB':>13}")
for k, size, first, best, ready, r, hwm in rows:
    print(f"{k:8}{size:>10.1f}{first:>18.0f}{best:>9.0f}{ready:>10.0f}{r:>9.1f}{hwm:>13.1f}")
PY
