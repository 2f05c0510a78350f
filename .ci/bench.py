"""What a Lambda user pays, measured on the built function run the way Lambda runs it. Started by .ci/bench.sh,
which builds what is missing, resolves the class paths, starts moto and stops everything it started.

Pieces, all on 127.0.0.1:
- a Runtime API stand-in per function process (GET /next, POST /response), which timestamps each hand-out and answer;
- the Jumio simulator (src/test/java/io/jumiorisk/sim) as its own process, zero added latency, no rate limits, no
  callbacks of its own (the benchmark feeds genuine callbacks itself), counters read from its admin API;
- moto (DynamoDB) behind a counting proxy that tallies operations by name, and the items of each transaction;
- a timing proxy in front of the simulator (JumioTimer) that the functions call, for the time each invocation waits on
  Jumio; and .ci/bench/EchoRuntime, a do-nothing runtime client, for the Runtime API stand-in's own share.

Variants: "product" (the built function) and "naive" (the same function with .ci/bench/naive/AccessTokens ahead of it
on the class path: one OAuth2 token request per Jumio call, the way Jumio asks integrators not to work).
"""
import datetime
import http.client
import http.server
import json
import os
import platform
import queue
import re
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

if sys.argv[1] == "--redraw":  # .ci/bench.py --redraw results.json: table and chart again from saved results
    _saved = json.load(open(sys.argv[2]))
    os.environ.update({"RUNS": str(_saved["settings"]["runs"]), "INVOCATIONS": str(_saved["settings"]["invocations"]),
                       "WARMUP": str(_saved["settings"]["warmup"])})
    CFG = {"work": None, "out": os.path.dirname(os.path.abspath(sys.argv[2]))}
else:
    CFG = json.loads(sys.argv[1])
WORK = CFG["work"]
OUT = CFG["out"]
RUNS = int(os.environ.get("RUNS", "5"))
N = int(os.environ.get("INVOCATIONS", "1000"))
WARMUP = int(os.environ.get("WARMUP", "200"))
TABLE = "bench-checks"
CALLBACK_TOKEN = "bench-callback-token-" + uuid.uuid4().hex
JUMIO_IP = "34.202.241.227"  # one of Jumio's published amer-1 callback sources
FUNCTIONS = ("initiate", "callback", "retrieve")


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1, no Nagle: headers and body go out in separate writes, which Nagle plus delayed ACKs stall by 40 ms."""
    protocol_version = "HTTP/1.1"
    wbufsize = -1

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *a):
        pass


# ------------------------------------------------------------------------------------------- DynamoDB counting proxy
class DdbCounter:
    def __init__(self, target_port):
        self.lock = threading.Lock()
        self.ops = {}
        self.tx_items = 0
        self.busy = 0.0
        self.held = 0.0
        local = threading.local()
        counter = self

        class H(Handler):

            def do_POST(self):
                t_in = time.perf_counter()
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                target = self.headers.get("X-Amz-Target", "")
                op = target.split(".")[-1] if target else "?"
                with counter.lock:
                    counter.ops[op] = counter.ops.get(op, 0) + 1
                    if op == "TransactWriteItems":
                        counter.tx_items += len(json.loads(body).get("TransactItems", []))
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                t0 = time.perf_counter()
                for attempt in (1, 2):
                    conn = getattr(local, "conn", None)
                    if conn is None:
                        conn = local.conn = http.client.HTTPConnection("127.0.0.1", target_port, timeout=30)
                        conn.connect()
                        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    try:
                        conn.request("POST", self.path, body=body, headers=headers)
                        resp = conn.getresponse()
                        data = resp.read()
                        break
                    except (http.client.HTTPException, OSError):
                        conn.close()
                        local.conn = None
                        if attempt == 2:
                            raise
                with counter.lock:
                    counter.busy += time.perf_counter() - t0
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "content-length", "transfer-encoding", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                with counter.lock:
                    counter.held += time.perf_counter() - t_in

        self.srv = Server(("127.0.0.1", 0), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}"
        import boto3
        self.moto = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{target_port}", region_name="us-east-1",
                                 aws_access_key_id="test", aws_secret_access_key="test")

    def purge(self):
        """Deletes every item, straight at moto (not counted): the table holds one check at a time."""
        items = self.moto.scan(TableName=TABLE, ProjectionExpression="pk", ConsistentRead=True)["Items"]
        for item in items:
            self.moto.delete_item(TableName=TABLE, Key={"pk": item["pk"]})

    def busy_now(self):
        with self.lock:
            return self.busy

    def snapshot(self):
        with self.lock:
            return dict(self.ops), self.tx_items, self.busy, self.held

    @staticmethod
    def diff(a, b):
        ops = {k: b[0].get(k, 0) - a[0].get(k, 0) for k in set(a[0]) | set(b[0])}
        return {k: v for k, v in ops.items() if v}, b[1] - a[1], b[2] - a[2], b[3] - a[3]


# ------------------------------------------------------------------------------------------- Jumio timing proxy
class JumioTimer:
    """In front of the simulator: forwards every request and sums the time each one was held here (read the request,
    ask the simulator, answer), the time the invocation waited on Jumio. The simulator builds the account response's
    upload and finalize URLs from its own base URL; the proxy rewrites its base URL to its own in every answer, so those
    calls come through here too (the JWTs are base64, so their issuer is untouched)."""

    def __init__(self, sim_url):
        self.lock = threading.Lock()
        self.calls = 0
        self.held = 0.0
        self.sim_url = sim_url
        host, port = sim_url.split("//", 1)[1].split(":")
        local = threading.local()
        timer = self

        class H(Handler):

            def forward(self):
                t0 = time.perf_counter()
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                for attempt in (1, 2):
                    conn = getattr(local, "conn", None)
                    if conn is None:
                        conn = local.conn = http.client.HTTPConnection(host, int(port), timeout=30)
                        conn.connect()
                        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    try:
                        conn.request(self.command, self.path, body=body, headers=headers)
                        resp = conn.getresponse()
                        data = resp.read()
                        break
                    except (http.client.HTTPException, OSError):
                        conn.close()
                        local.conn = None
                        if attempt == 2:
                            raise
                data = data.replace(timer.sim_url.encode(), timer.url.encode())
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "content-length", "transfer-encoding", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                with timer.lock:
                    timer.calls += 1
                    timer.held += time.perf_counter() - t0

            do_GET = do_POST = do_PUT = do_DELETE = forward

        self.srv = Server(("127.0.0.1", 0), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}"

    def snapshot(self):
        with self.lock:
            return self.calls, self.held


# ------------------------------------------------------------------------------------------- Runtime API stand-in
class RuntimeApi:
    """One function's Runtime API. invoke() queues an event and returns (handed-out→answer seconds, kind, body)."""

    def __init__(self, name):
        self.name = name
        self.events = queue.Queue()
        self.answers = {}
        self.handed = {}
        self.first_answer_at = None
        api = self

        class H(Handler):

            def do_GET(self):
                if not self.path.endswith("/invocation/next"):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                rid, body, box = api.events.get()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 29000))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                 f"arn:aws:lambda:us-east-1:123456789012:function:{api.name}")
                self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                box["handed"] = time.perf_counter()

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                now = time.perf_counter()
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                m = re.search(r"/invocation/([^/]+)/(response|error)$", self.path)
                if m:
                    box = api.answers.get(m.group(1))
                    if box is not None:
                        box["answered"] = now
                        box["kind"] = m.group(2)
                        box["body"] = body
                        box["done"].set()
                elif self.path.endswith("/init/error"):
                    api.init_error = body

        self.init_error = None
        self.srv = Server(("127.0.0.1", 0), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.address = f"127.0.0.1:{self.srv.server_address[1]}"

    def submit(self, event):
        rid = str(uuid.uuid4())
        box = {"done": threading.Event()}
        self.answers[rid] = box
        self.events.put((rid, json.dumps(event).encode(), box))
        return rid, box

    def wait(self, rid, box, timeout=60):
        if not box["done"].wait(timeout):
            raise SystemExit(f"{self.name}: no answer within {timeout} s (init error: {self.init_error!r})")
        del self.answers[rid]
        if self.first_answer_at is None:
            self.first_answer_at = box["answered"]
        return (box["answered"] - box["handed"]), box["kind"], json.loads(box["body"] or b"null")

    def invoke(self, event, timeout=60):
        rid, box = self.submit(event)
        return self.wait(rid, box, timeout)

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


# ------------------------------------------------------------------------------------------- events
def http_event(method, path, route, body=None, query=None, path_params=None, source_ip="203.0.113.10"):
    e = {"version": "2.0", "routeKey": route, "rawPath": path,
         "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
         "headers": {"host": "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "bench"},
         "requestContext": {"accountId": "123456789012", "apiId": "abc123", "requestId": str(uuid.uuid4()),
                            "routeKey": route, "stage": "$default", "timeEpoch": int(time.time() * 1000),
                            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                     "sourceIp": source_ip, "userAgent": "bench"}},
         "isBase64Encoded": False}
    if query:
        e["queryStringParameters"] = query
    if path_params:
        e["pathParameters"] = path_params
    if body is not None:
        e["headers"]["content-type"] = "application/json"
        e["body"] = json.dumps(body)
    return e


def initiate_event(i, tag):
    return http_event("POST", "/checks", "POST /checks", body={
        "customerInternalReference": f"bench-{tag}-{i}", "userReference": f"user-{i}",
        "workflowDefinitionKey": 10066, "preparedData": {"email": "jane@example.com"}})


def callback_event(check):
    body = {"callbackSentAt": datetime.datetime.now(datetime.timezone.utc).isoformat(), "userReference": "u",
            "workflowExecution": {"id": check["workflowExecutionId"], "definitionKey": "10066", "status": "PROCESSED",
                                  "href": "https://retrieval.amer-1.jumio.ai/api/v1/workflow-executions/"
                                          + check["workflowExecutionId"]},
            "account": {"id": check["accountId"],
                        "href": "https://retrieval.amer-1.jumio.ai/api/v1/accounts/" + check["accountId"]}}
    e = http_event("POST", "/callbacks/jumio", "POST /callbacks/jumio", body=body,
                   query={"token": CALLBACK_TOKEN}, source_ip=JUMIO_IP)
    e["headers"]["user-agent"] = "Jumio Callback"
    return e


def retrieve_event(check_id):
    return http_event("GET", "/checks/" + check_id, "GET /checks/{checkId}", path_params={"checkId": check_id})


# ------------------------------------------------------------------------------------------- processes
def sim_call(method, op, body=None):
    req = urllib.request.Request(CFG["sim"] + "/__admin/" + op, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def sim_counts():
    return sim_call("GET", "counts")


def cpu_seconds(pid):
    """User + system CPU of a process, all its threads (JIT compiler and GC included)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) / 1024
    return out


JUMIO = None  # the JumioTimer in front of the simulator, once main() has started it


def jumio_url():
    return JUMIO.url if JUMIO is not None else CFG["sim"]


def launch(kind, function, api, ddb_url, extra_cp=None):
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": api.address, "QUARKUS_LAMBDA_HANDLER": function,
        "AWS_LAMBDA_FUNCTION_NAME": function, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "TZ": ":UTC",
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL_DYNAMODB": ddb_url, "CHECKS_TABLE": TABLE,
        "JUMIO_REGION": "amer-1", "JUMIO_CLIENT_ID": CFG["client_id"], "JUMIO_CLIENT_SECRET": CFG["client_secret"],
        "JUMIO_AUTH_URL": jumio_url() + "/auth", "JUMIO_ACCOUNT_URL": jumio_url() + "/account",
        "JUMIO_RETRIEVAL_URL": jumio_url() + "/retrieval", "JUMIO_API_URL": jumio_url() + "/api",
        # The simulator (and the timer in front of it) is plain http on 127.0.0.1.
        "ALLOW_INSECURE_URLS": "true", "JUMIO_USER_AGENT": "ExampleCo JumioRiskSignals/1.0.0-bench",
        "JUMIO_CALLBACK_URL": "https://api.example.com/callbacks/jumio", "CALLBACK_TOKEN": CALLBACK_TOKEN,
        "_HANDLER": "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"})
    if kind == "native":
        env["_HANDLER"] = "bootstrap"
        cmd = [CFG["native"]]
    else:
        env["AWS_EXECUTION_ENV"] = "AWS_Lambda_java17"
        cp = [CFG["jvm_jar"], os.path.join(os.path.dirname(CFG["jvm_jar"]), "lib", "*"), CFG["ric_cp"]]
        if extra_cp:
            cp.insert(0, extra_cp)
        # The managed java runtime's default flags.
        cmd = [CFG["java"], "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
               "-Xshare:auto",
               "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + CFG["ric_jni"],
               *os.environ.get("BENCH_JVM_OPTS", "").split(), "-cp", ":".join(cp), "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
               "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"]
    logf = open(os.path.join(WORK, f"{kind}-{function}-{uuid.uuid4().hex[:6]}.log"), "w")
    return subprocess.Popen(cmd, env=env, stdout=logf, stderr=subprocess.STDOUT), logf


def stop(p, logf):
    p.terminate()
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    logf.close()


def started_in(logf):
    with open(logf.name) as f:
        m = re.search(r"started in (\d+\.\d+)s", f.read())
    return float(m.group(1)) * 1000 if m else None


# ------------------------------------------------------------------------------------------- measurements
def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def cold_starts(kind, ddb_url):
    """Process start → first answer of retrieve (GET of an unknown check: one GetItem, 404), RUNS times."""
    out = []
    for i in range(RUNS + 1):
        api = RuntimeApi("retrieve")
        rid, box = api.submit(retrieve_event(str(uuid.uuid4())))
        t0 = time.perf_counter()
        p, logf = launch(kind, "retrieve", api, ddb_url)
        try:
            _, what, answer = api.wait(rid, box)
            first = (box["answered"] - t0) * 1000
            if what != "response" or answer.get("statusCode") != 404:
                raise SystemExit(f"{kind} cold start: unexpected answer {what} {answer!r}; log {logf.name}")
        finally:
            stop(p, logf)
            api.close()
        if i > 0:  # the first run only warms the page cache
            out.append({"firstAnswerMs": first, "quarkusStartedMs": started_in(logf)})
    if kind == "native":
        size = os.path.getsize(CFG["native"])
    else:
        lib = os.path.join(os.path.dirname(CFG["jvm_jar"]), "lib")
        size = os.path.getsize(CFG["jvm_jar"]) + sum(os.path.getsize(os.path.join(r, f))
                                                     for r, _, fs in os.walk(lib) for f in fs)
    return {"artifactMb": size / 1e6, "runs": out, "firstAnswerMsMedian": statistics.median(r["firstAnswerMs"] for r in out),
            "firstAnswerMsBest": min(r["firstAnswerMs"] for r in out),
            "quarkusStartedMsMedian": statistics.median(r["quarkusStartedMs"] or 0 for r in out)}


def echo_runtime(hop=False):
    """The Runtime API stand-in's own share: .ci/bench/EchoRuntime (a client that answers each event with itself, no
    work) on the managed runtime's JVM flags, fed initiate's event WARMUP times, then measured N times. hop=True: each
    invocation also makes one GET through the Jumio timing proxy (to the simulator's counters), and the result holds
    that call's round trip as the client saw it, and the part of it the proxy's own timing (the "wait") did not see."""
    api = RuntimeApi("echo")
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=api.address)
    if hop:
        env["ECHO_HOP_URL"] = JUMIO.url + "/__admin/counts"
    hops, unseen = [], []
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench", "EchoRuntime.java")
    logf = open(os.path.join(WORK, "echo.log"), "w")
    p = subprocess.Popen([CFG["java"], "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", src],
                         env=env, stdout=logf, stderr=subprocess.STDOUT)
    lat = []
    try:
        for i in range(WARMUP + 1 + N):
            t_a = JUMIO.snapshot()
            dt, what, ans = api.invoke(initiate_event(i, "echo"))
            t_b = JUMIO.snapshot()
            if what != "response":
                raise SystemExit(f"echo runtime: unexpected {what}; log {logf.name}")
            if i > WARMUP:
                if hop:
                    rtt = ans["hopNanos"] / 1e9
                    hops.append(rtt)
                    unseen.append(rtt - (t_b[1] - t_a[1]))
                    dt -= rtt
                lat.append(dt)
    finally:
        stop(p, logf)
        api.close()
    r = {"p50": pct(lat, 50) * 1000, "p99": pct(lat, 99) * 1000, "mean": statistics.mean(lat) * 1000, "n": len(lat)}
    if hop:
        r["hopRoundTripMs"] = {"p50": pct(hops, 50) * 1000, "p99": pct(hops, 99) * 1000}
        r["hopUnseenMs"] = {"p50": pct(unseen, 50) * 1000, "p99": pct(unseen, 99) * 1000,
                            "mean": statistics.mean(unseen) * 1000}
    return r


class Variant:
    """Three warm containers (initiate, callback, retrieve) of one build: the product, or the naive baseline."""

    def __init__(self, kind, name, ddb, extra_cp=None):
        self.kind, self.name, self.ddb, self.extra_cp = kind, name, ddb, extra_cp
        self.apis = {f: RuntimeApi(f) for f in FUNCTIONS}
        self.procs = {}
        self.first = {}
        self.tag = f"{name}-{kind}-{uuid.uuid4().hex[:8]}"
        self.acc = {f: {"ops": {}, "tx": 0, "busy": 0.0, "jumio": {}} for f in FUNCTIONS}
        self.lat = {f: [] for f in FUNCTIONS}
        self.own = {f: [] for f in FUNCTIONS}
        # per invocation: DynamoDB and Jumio as held by their proxies, and what is left (our code, the runtime client,
        # the Runtime API stand-in, loopback HTTP)
        self.ddb_wait = {f: [] for f in FUNCTIONS}
        self.jumio_wait = {f: [] for f in FUNCTIONS}
        self.rest = {f: [] for f in FUNCTIONS}
        self.tokens_whole_run = 0
        self.checks_whole_run = 0
        self.measuring = False

    def start(self):
        """Starts the three processes and runs the first check: each function's first answer after its start."""
        self.t_start = time.perf_counter()
        for f in FUNCTIONS:
            self.procs[f] = launch(self.kind, f, self.apis[f], self.ddb.url, self.extra_cp)
        self.check(-1)
        for f in FUNCTIONS:
            self.first[f] = (self.apis[f].first_answer_at - self.t_start) * 1000

    def call(self, f, event):
        s_a, j_a, t_a = self.ddb.snapshot(), sim_counts(), JUMIO.snapshot()
        dt, what, ans = self.apis[f].invoke(event)
        s_b, j_b, t_b = self.ddb.snapshot(), sim_counts(), JUMIO.snapshot()
        self.tokens_whole_run += j_b.get("TOKEN", 0) - j_a.get("TOKEN", 0)
        if self.measuring:
            ops, tx_items, busy, ddb_held = DdbCounter.diff(s_a, s_b)
            jumio_held = t_b[1] - t_a[1]
            self.ddb_wait[f].append(ddb_held)
            self.jumio_wait[f].append(jumio_held)
            self.rest[f].append(dt - ddb_held - jumio_held)
            a = self.acc[f]
            for k, v in ops.items():
                a["ops"][k] = a["ops"].get(k, 0) + v
            a["tx"] += tx_items
            a["busy"] += busy
            for k, v in j_b.items():
                if v - j_a.get(k, 0):
                    a["jumio"][k] = a["jumio"].get(k, 0) + v - j_a.get(k, 0)
            self.lat[f].append(dt)
            self.own[f].append(dt - busy)
            if not hasattr(self, "cpu0"):
                self.cpu0 = {g: cpu_seconds(self.procs[g][0].pid) for g in FUNCTIONS}
        return what, ans

    def check(self, i):
        """One check through initiate, its callback and retrieve; then its items are deleted straight at moto."""
        self.checks_whole_run += 1
        what, ans = self.call("initiate", initiate_event(i, self.tag))
        if what != "response" or ans.get("statusCode") != 202:
            raise SystemExit(f"{self.name}: initiate failed: {what} {ans!r}")
        check = json.loads(ans["body"])
        what, ans = self.call("callback", callback_event(check))
        if what != "response" or ans.get("statusCode") != 200 or "RECORDED" not in ans.get("body", ""):
            raise SystemExit(f"{self.name}: callback failed: {what} {ans!r}")
        what, ans = self.call("retrieve", retrieve_event(check["checkId"]))
        body = json.loads(ans.get("body") or "{}") if what == "response" else {}
        if ans.get("statusCode") != 200 or body.get("status") != "PROCESSED":
            raise SystemExit(f"{self.name}: retrieve failed: {what} {ans!r}")
        self.ddb.purge()

    def stop(self):
        for p, logf in self.procs.values():
            stop(p, logf)
        for a in self.apis.values():
            a.close()

    def result(self):
        phases = {f: {"ddbOps": self.acc[f]["ops"], "ddbTransactItems": self.acc[f]["tx"],
                      "jumio": self.acc[f]["jumio"], "ddbMsPerInvocation": self.acc[f]["busy"] * 1000 / N}
                  for f in FUNCTIONS}
        elapsed = time.perf_counter() - self.t_start
        mem = {f: rss(self.procs[f][0].pid) for f in FUNCTIONS}
        cpu = {f: (cpu_seconds(self.procs[f][0].pid) - self.cpu0[f]) * 1000 / N for f in FUNCTIONS}
        r = {"kind": self.kind, "variant": self.name, "checks": N, "warmupChecks": WARMUP + 1,
             "firstAnswerMs": self.first,
             "latencyMs": {f: {"p50": pct(self.lat[f], 50) * 1000, "p99": pct(self.lat[f], 99) * 1000,
                               "mean": statistics.mean(self.lat[f]) * 1000, "max": max(self.lat[f]) * 1000,
                               "n": len(self.lat[f])} for f in FUNCTIONS},
             "ownLatencyMs": {f: {"p50": pct(self.own[f], 50) * 1000, "p99": pct(self.own[f], 99) * 1000,
                                  "mean": statistics.mean(self.own[f]) * 1000} for f in FUNCTIONS},
             "restLatencyMs": {f: {"p50": pct(self.rest[f], 50) * 1000, "p99": pct(self.rest[f], 99) * 1000,
                                   "mean": statistics.mean(self.rest[f]) * 1000} for f in FUNCTIONS},
             "ddbWaitMs": {f: {"p50": pct(self.ddb_wait[f], 50) * 1000, "p99": pct(self.ddb_wait[f], 99) * 1000,
                               "mean": statistics.mean(self.ddb_wait[f]) * 1000} for f in FUNCTIONS},
             "jumioWaitMs": {f: {"p50": pct(self.jumio_wait[f], 50) * 1000, "p99": pct(self.jumio_wait[f], 99) * 1000,
                                 "mean": statistics.mean(self.jumio_wait[f]) * 1000} for f in FUNCTIONS},
             "cpuMsPerInvocation": cpu,
             "phases": phases,
             "rssMb": {f: {"steady": mem[f]["VmRSS"], "peak": mem[f]["VmHWM"]} for f in FUNCTIONS},
             "tokenCallsWholeRun": self.tokens_whole_run, "checksWholeRun": self.checks_whole_run,
             "containerSeconds": elapsed * 3, "wallSeconds": elapsed}
        r["perCheck"] = per_check(phases, N)
        r["tokenCallsPer100Checks"] = 100.0 * phases_sum(phases, "TOKEN") / N
        r["tokenCallsPer100ChecksWholeRun"] = 100.0 * self.tokens_whole_run / self.checks_whole_run
        return r


def lifecycles(variants):
    """All variants side by side: started one after the other, then their checks alternate, so that each meets the
    same machine (a shared machine's load moves during a run)."""
    sim_call("POST", "reset")
    sim_call("POST", "config", {"callbacksEnabled": False, "processingDelayMillis": 0, "tokenRatePerSecond": 1e6,
                                "accountRatePerSecond": 1e6, "accountBurst": 1000000,
                                "retrievalRatePerSecond": 1e6})
    try:
        for v in variants:
            log(f"starting {v.name}/{v.kind}")
            v.start()
        for i in range(WARMUP):
            for v in variants:
                v.check(i)
        log(f"warm-up done ({WARMUP + 1} checks each); measuring {N} checks each, alternating")
        for v in variants:
            v.measuring = True
        for i in range(N):
            for v in variants:
                v.check(WARMUP + i)
        for v in variants:
            v.measuring = False
        return [v.result() for v in variants]
    finally:
        for v in variants:
            v.stop()


def phases_sum(phases, endpoint):
    return sum(p["jumio"].get(endpoint, 0) for p in phases.values())


WRITE_OPS = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")
READ_OPS = ("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems")


def per_check(phases, n):
    out = {}
    for name, p in phases.items():
        ops = p["ddbOps"]
        out[name] = {
            "ddbWrites": sum(ops.get(o, 0) for o in WRITE_OPS) / n,
            "ddbWriteItems": (sum(ops.get(o, 0) for o in WRITE_OPS if o != "TransactWriteItems")
                              + p["ddbTransactItems"]) / n,
            "ddbReads": sum(ops.get(o, 0) for o in READ_OPS) / n,
            "ddbOps": {k: v / n for k, v in sorted(ops.items())},
            "jumioCalls": sum(v for k, v in p["jumio"].items() if k != "TOKEN") / n,
            "tokenCalls": p["jumio"].get("TOKEN", 0) / n,
            "jumio": {k: v / n for k, v in sorted(p["jumio"].items())},
        }
    total = {k: sum(out[p][k] for p in out) for k in ("ddbWrites", "ddbWriteItems", "ddbReads", "jumioCalls",
                                                       "tokenCalls")}
    out["lifecycle"] = total
    return out


# ------------------------------------------------------------------------------------------- output
def table(res):
    lines = []
    m = res["machine"]
    lines.append(f"Machine: {m['cpus']} cores ({m['cpuModel']}), {m['memGb']:.0f} GiB, {m['java']}; {res['date']}; "
                 f"load average {m['loadAverageAtStart']:.1f} at start, {m.get('loadAverageAtEnd', 0):.1f} at end")
    lines.append("")
    lines.append("Cold start, retrieve (process start -> first answer; median of %d, best in brackets):" % RUNS)
    for kind, c in res["coldStart"].items():
        lines.append(f"  {kind:7} {c['firstAnswerMsMedian']:7.0f} ms ({c['firstAnswerMsBest']:.0f})   "
                     f"Quarkus 'started in' {c['quarkusStartedMsMedian']:.0f} ms   artifact {c['artifactMb']:.0f} MB"
                     + ("   target <= 1000 ms" if kind == "jvm" else ""))
    lines.append("")
    rows = res["lifecycle"]
    head = f"  {'':28}" + "".join(f"{r['variant'] + '/' + r['kind']:>16}" for r in rows)
    if len(rows) >= 2:
        head += f"{'naive/product':>15}"
    lines.append(f"Warm, {N} checks per function after {WARMUP + 1} warm-up checks (latency = Runtime API hand-out -> answer):")
    lines.append(head)

    def row(label, get, fmt="{:16.2f}", ratio=True):
        vals = [get(r) for r in rows]
        s = f"  {label:28}" + "".join(fmt.format(v) for v in vals)
        prod = next((get(r) for r in rows if r["variant"] == "product" and r["kind"] == "jvm"), None)
        naive = next((get(r) for r in rows if r["variant"] == "naive"), None)
        if ratio and prod is not None and naive is not None:
            s += f"{(naive / prod) if prod else float('inf'):14.2f}x"
        lines.append(s)

    for f in FUNCTIONS:
        row(f"{f} p50 ms", lambda r, f=f: r["latencyMs"][f]["p50"])
        row(f"{f} p99 ms", lambda r, f=f: r["latencyMs"][f]["p99"])
    row("first answer initiate ms", lambda r: r["firstAnswerMs"]["initiate"], "{:16.0f}")
    row("Jumio calls / initiate", lambda r: r["perCheck"]["initiate"]["jumioCalls"])
    row("Jumio calls / check", lambda r: r["perCheck"]["lifecycle"]["jumioCalls"])
    row("token calls / 100 checks", lambda r: r["tokenCallsPer100ChecksWholeRun"])
    row("token calls, whole run", lambda r: r["tokenCallsWholeRun"], "{:16.0f}")
    lines[-1] += f"   ({rows[0].get('checksWholeRun', N + WARMUP + 1)} checks each, warm-up included)"
    row("DDB writes / lifecycle", lambda r: r["perCheck"]["lifecycle"]["ddbWrites"])
    row("  items written", lambda r: r["perCheck"]["lifecycle"]["ddbWriteItems"])
    row("DDB reads / lifecycle", lambda r: r["perCheck"]["lifecycle"]["ddbReads"])
    for f in FUNCTIONS:
        row(f"RSS {f} steady/peak MB", lambda r, f=f: r["rssMb"][f]["steady"], "{:16.0f}", ratio=False)
        lines[-1] = lines[-1].rstrip() + "   peak " + " / ".join(f"{r['rssMb'][f]['peak']:.0f}" for r in rows)
    for f in FUNCTIONS:
        row(f"{f} p50/p99 ms w/o DDB", lambda r, f=f: r["ownLatencyMs"][f]["p50"], ratio=False)
        lines[-1] = lines[-1].rstrip() + "   p99 " + " / ".join(f"{r['ownLatencyMs'][f]['p99']:.2f}" for r in rows)
    if all("restLatencyMs" in r for r in rows):
        for f in FUNCTIONS:
            row(f"{f} DDB wait p50 ms", lambda r, f=f: r["ddbWaitMs"][f]["p50"], ratio=False)
            lines[-1] = lines[-1].rstrip() + "   p99 " + " / ".join(f"{r['ddbWaitMs'][f]['p99']:.2f}" for r in rows)
        for f in FUNCTIONS:
            row(f"{f} Jumio wait p50 ms", lambda r, f=f: r["jumioWaitMs"][f]["p50"], ratio=False)
            lines[-1] = lines[-1].rstrip() + "   p99 " + " / ".join(f"{r['jumioWaitMs'][f]['p99']:.2f}" for r in rows)
        for f in FUNCTIONS:
            row(f"{f} own p50/p99 ms", lambda r, f=f: r["restLatencyMs"][f]["p50"], ratio=False)
            lines[-1] = lines[-1].rstrip() + "   p99 " + " / ".join(f"{r['restLatencyMs'][f]['p99']:.2f}" for r in rows)
    if all("cpuMsPerInvocation" in r for r in rows):
        for f in FUNCTIONS:
            row(f"{f} CPU ms / invocation", lambda r, f=f: r["cpuMsPerInvocation"][f], ratio=False)
    if "runtimeApiEchoMs" in res:
        e = res["runtimeApiEchoMs"]
        lines.append(f"  {'Runtime API, echo client':28}{e['p50']:16.2f}   p99 {e['p99']:.2f}   (stand-in + loopback, "
                     f"no function: part of every 'own' figure)")
    if "proxyHopMs" in res:
        h = res["proxyHopMs"]
        lines.append(f"  {'proxied call, unseen part':28}{h['hopUnseenMs']['p50']:16.2f}   p99 {h['hopUnseenMs']['p99']:.2f}   "
                     f"mean {h['hopUnseenMs']['mean']:.2f}   (per DDB/Jumio call: client round trip {h['hopRoundTripMs']['p50']:.2f} "
                     f"p50 minus the proxy's wait; in 'own')")
    lines.append("")
    lines.append("DynamoDB requests per check (product):")
    prod = next((r for r in rows if r["variant"] == "product"), rows[0])
    for f in FUNCTIONS:
        lines.append(f"  {f:9} {json.dumps(prod['perCheck'][f]['ddbOps'])}  transaction items "
                     f"{prod['phases'][f]['ddbTransactItems'] / N:.2f}")
    return "\n".join(lines)


def svg(res):
    rows = [r for r in res["lifecycle"]]
    palette = {"product/native": "#6b46c1", "product/jvm": "#2b6cb0", "naive/jvm": "#c05621"}
    colours = {r["variant"]: None for r in rows}  # unused; colour by variant and kind below
    colour = lambda r: palette.get(f'{r["variant"]}/{r["kind"]}', "#777")
    W, H = 860, 380
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<text x="10" y="20" font-size="14" font-weight="bold">Warm overhead per invocation (ms), and calls per '
             f'check: product vs naive (token per Jumio call)</text>',
             f'<text x="10" y="38" fill="#555">{res["machine"]["cpus"]} cores, {res["date"]}, {N} invocations '
             f'per function, simulator at zero latency, DynamoDB = moto</text>']
    # left panel: latency p50/p99 per function
    x0, y0, ph, pw = 50, 70, 250, 420
    vals = [r["latencyMs"][f][p] for r in rows for f in FUNCTIONS for p in ("p50", "p99")]
    vmax = max(vals + [10]) * 1.1
    parts.append(f'<line x1="{x0}" y1="{y0 + ph}" x2="{x0 + pw}" y2="{y0 + ph}" stroke="#333"/>')
    for t in range(0, 6):
        v = vmax * t / 5
        y = y0 + ph - ph * t / 5
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="#eee"/>'
                     f'<text x="{x0 - 5}" y="{y + 4:.1f}" text-anchor="end">{v:.0f}</text>')
    for target, label in ((3, "p50 target 3"), (10, "p99 target 10")):
        y = y0 + ph - ph * target / vmax
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="#2f855a" '
                     f'stroke-dasharray="4 3"/><text x="{x0 + pw - 2}" y="{y - 3:.1f}" text-anchor="end" '
                     f'fill="#2f855a">{label}</text>')
    group = pw / len(FUNCTIONS)
    bw = (group - 20) / (2 * len(rows))
    for gi, f in enumerate(FUNCTIONS):
        gx = x0 + gi * group + 10
        k = 0
        for r in rows:
            for p in ("p50", "p99"):
                v = r["latencyMs"][f][p]
                h = ph * v / vmax
                op = "1" if p == "p50" else "0.55"
                parts.append(f'<rect x="{gx + k * bw:.1f}" y="{y0 + ph - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" '
                             f'fill="{colour(r)}" fill-opacity="{op}"/>'
                             f'<text x="{gx + k * bw + bw / 2 - 1:.1f}" y="{y0 + ph - h - 3:.1f}" text-anchor="middle" '
                             f'font-size="9">{v:.1f}</text>')
                k += 1
        parts.append(f'<text x="{gx + (group - 20) / 2:.1f}" y="{y0 + ph + 16}" text-anchor="middle">{f}</text>')
    parts.append(f'<text x="{x0}" y="{y0 + ph + 34}" fill="#555">solid: p50, pale: p99</text>')
    # right panel: calls per check
    x1, pw2 = 530, 300
    metrics = [("Jumio calls", lambda r: r["perCheck"]["lifecycle"]["jumioCalls"]),
               ("token calls", lambda r: r["perCheck"]["lifecycle"]["tokenCalls"]),
               ("DDB writes", lambda r: r["perCheck"]["lifecycle"]["ddbWrites"]),
               ("DDB reads", lambda r: r["perCheck"]["lifecycle"]["ddbReads"])]
    vmax2 = max([m(r) for _, m in metrics for r in rows] + [1]) * 1.15
    parts.append(f'<text x="{x1}" y="{y0 - 8}" font-weight="bold">per check lifecycle</text>')
    group2 = pw2 / len(metrics)
    bw2 = (group2 - 16) / len(rows)
    parts.append(f'<line x1="{x1}" y1="{y0 + ph}" x2="{x1 + pw2}" y2="{y0 + ph}" stroke="#333"/>')
    for gi, (name, m) in enumerate(metrics):
        gx = x1 + gi * group2 + 8
        for k, r in enumerate(rows):
            v = m(r)
            h = ph * v / vmax2
            parts.append(f'<rect x="{gx + k * bw2:.1f}" y="{y0 + ph - h:.1f}" width="{bw2 - 2:.1f}" height="{h:.1f}" '
                         f'fill="{colour(r)}"/>'
                         f'<text x="{gx + k * bw2 + bw2 / 2 - 1:.1f}" y="{y0 + ph - h - 3:.1f}" text-anchor="middle" '
                         f'font-size="9">{v:.2f}</text>')
        parts.append(f'<text x="{gx + (group2 - 16) / 2:.1f}" y="{y0 + ph + 16}" text-anchor="middle">{name}</text>')
    ly = y0 + ph + 50
    for k, r in enumerate(rows):
        parts.append(f'<rect x="{50 + k * 220}" y="{ly - 10}" width="12" height="12" '
                     f'fill="{colour(r)}"/><text x="{68 + k * 220}" y="{ly}">'
                     f'{r["variant"]} ({r["kind"]})</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    java = subprocess.run([CFG["java"], "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return {"cpus": os.cpu_count(), "cpuModel": model, "memGb": mem, "kernel": platform.release(), "java": java,
            "loadAverageAtStart": os.getloadavg()[0]}


def main():
    global JUMIO
    ddb = DdbCounter(int(CFG["moto_port"]))
    JUMIO = JumioTimer(CFG["sim"])
    import boto3
    boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{CFG['moto_port']}", region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test").create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    res = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "machine": machine(), "settings": {"runs": RUNS, "invocations": N, "warmup": WARMUP},
           "coldStart": {}, "lifecycle": []}
    kinds = (["native"] if CFG.get("native") else []) + ["jvm"]
    for kind in kinds:
        log(f"cold starts: {kind}")
        res["coldStart"][kind] = cold_starts(kind, ddb.url)
        with open(os.path.join(OUT, "results.json"), "w") as f:
            json.dump(res, f, indent=2)
    if os.environ.get("ONLY_COLD"):
        print(json.dumps(res["coldStart"], indent=1))
        return
    os.makedirs(OUT, exist_ok=True)

    def save():  # after every part, so that a failure later keeps what was measured
        with open(os.path.join(OUT, "results.json"), "w") as f:
            json.dump(res, f, indent=2)

    save()
    variants = [Variant(kind, "product", ddb) for kind in kinds]
    if os.environ.get("NAIVE", "1") != "0":
        variants.append(Variant("jvm", "naive", ddb, CFG["naive_classes"]))
    res["lifecycle"] = lifecycles(variants)
    save()
    log("Runtime API stand-in, echo client")
    res["runtimeApiEchoMs"] = echo_runtime()
    log("a call through a timing proxy, echo client")
    res["proxyHopMs"] = echo_runtime(hop=True)
    save()
    prod = next(r for r in res["lifecycle"] if r["variant"] == "product" and r["kind"] == "jvm")
    naive = next((r for r in res["lifecycle"] if r["variant"] == "naive"), prod)  # NAIVE=0: ratios are 1
    res["ratiosNaiveOverProduct"] = {
        "tokenCalls": naive["tokenCallsPer100Checks"] / max(prod["tokenCallsPer100Checks"], 1e-9),
        "jumioCalls": naive["perCheck"]["lifecycle"]["jumioCalls"] / prod["perCheck"]["lifecycle"]["jumioCalls"],
        **{f"{f}P50": naive["latencyMs"][f]["p50"] / prod["latencyMs"][f]["p50"] for f in FUNCTIONS},
        **{f"{f}P99": naive["latencyMs"][f]["p99"] / prod["latencyMs"][f]["p99"] for f in FUNCTIONS}}
    jvm_cold = res["coldStart"]["jvm"]["firstAnswerMsMedian"]
    res["targets"] = {
        "jvmFirstAnswerMs<=1000": jvm_cold <= 1000,
        "warmP50Ms<=3": all(prod["latencyMs"][f]["p50"] <= 3 for f in FUNCTIONS),
        "warmP99Ms<=10": all(prod["latencyMs"][f]["p99"] <= 10 for f in FUNCTIONS),
        # 3 containers; retrieve never needs a token for a final check. Each keeps its token ~55 minutes.
        "tokenCallsPerContainer<=1": prod["tokenCallsWholeRun"] <= 3,
        "jumioCallsToInitiate==3": abs(prod["perCheck"]["initiate"]["jumioCalls"] - 3) < 1e-9,
        "ddbWritesPerLifecycle<=4": prod["perCheck"]["lifecycle"]["ddbWrites"] <= 4,
    }
    res["machine"]["loadAverageAtEnd"] = os.getloadavg()[0]
    os.makedirs(OUT, exist_ok=True)
    text = table(res)
    text += "\n\nTargets: " + ", ".join(f"{k} {'MET' if v else 'MISSED'}" for k, v in res["targets"].items())
    print(text)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=2)
    with open(os.path.join(OUT, "table.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(OUT, "chart.svg"), "w") as f:
        f.write(svg(res))
    log(f"results: {OUT}/results.json, {OUT}/table.txt, {OUT}/chart.svg")


if sys.argv[1] == "--redraw":
    with open(os.path.join(OUT, "chart.svg"), "w") as f:
        f.write(svg(_saved))
    _text = table(_saved) + "\n\nTargets: " + ", ".join(f"{k} {'MET' if v else 'MISSED'}"
                                                        for k, v in _saved["targets"].items())
    with open(os.path.join(OUT, "table.txt"), "w") as f:
        f.write(_text + "\n")
else:
    main()
