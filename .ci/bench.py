"""What a Lambda user pays, measured on the built function run the way Lambda runs it. Started by .ci/bench.sh,
which builds what is missing, unpacks the task roots, resolves the class paths, starts moto and the Jumio simulator
and stops everything it started. docs/performance-method.md says what each figure means and why it is taken this way.

Pieces, all on 127.0.0.1:
- a Runtime API stand-in per function process (GET /next, POST /response), which timestamps the first poll (the end of
  Lambda's init phase), each hand-out and each answer;
- the Jumio simulator (src/test/java/io/jumiorisk/sim) as its own process, zero added latency, no rate limits, no
  callbacks of its own (the benchmark feeds genuine callbacks itself);
- moto (DynamoDB) behind a proxy, and the simulator behind another (JumioProxy), which the functions call: each
  records every call it forwards (when it came in, when it was answered, what it was), so that an invocation's time
  splits into DynamoDB, Jumio and the function's own time, call by call (the timeline of the profile);
- .ci/bench/EchoRuntime, a do-nothing runtime client, for the Runtime API stand-in's own share;
- for the mixed run, a second simulator: each JUMIO_AMBIGUOUS_START mode gets its own, with the same seed;
- for the pacing scenario, the first simulator with Jumio's account limit on, and five initiate processes per kind
  behind one queue of invocations.

The JVM runs as the managed java21 runtime runs it: AWS's Runtime Interface Client on the system class path, the
function loaded from the unpacked function.zip (the task root and lib/*.jar) through the client's own class loader,
with the runtime's JVM flags. The native binary runs as provided.al2023 runs it: ./bootstrap in its task root.
"""
import atexit
import base64
import datetime
import hashlib
import hmac
import http.client
import http.server
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

REDRAW = len(sys.argv) > 1 and sys.argv[1] in ("--redraw", "--merge")
if REDRAW:
    # .ci/bench.py --redraw results.json [before.json]: table and chart again from saved results
    # .ci/bench.py --merge merged.json run1.json run2.json ... [--before before.json]: the headline figures as medians
    #   over several runs (the details of the last run), with their spread; writes merged.json, merged.txt (the
    #   table) and merged.svg (the chart)
    CFG = {"work": None, "out": os.path.dirname(os.path.abspath(sys.argv[2]))}
else:
    CFG = json.loads(sys.argv[1])
WORK = CFG["work"]
OUT = CFG["out"]
RUNS = int(os.environ.get("RUNS", "5"))
N = int(os.environ.get("INVOCATIONS", "1000"))
WARMUP = int(os.environ.get("WARMUP", str(min(200, N))))
PROFILE = os.environ.get("BENCH_PROFILE", "")  # "jfr": JFR in every JVM (and native, if built with it)
# Lambda's trace header for every event. BENCH_TRACE_HEADER="Root=1-...;Parent=...;Sampled=1" with TRACING=Active
# measures traced invocations (docs/observability.md); the default is never sampled.
TRACE_HEADER = os.environ.get("BENCH_TRACE_HEADER", "Root=1-00000000-000000000000000000000000")
TABLE = "bench-checks"
CALLBACK_TOKEN = "bench-callback-token-" + uuid.uuid4().hex  # the callback secret (CALLBACK_TOKEN), per run
# DATA_KEY: the key of the table's keyed hashes and sealed tokens (io.jumiorisk.keys.DataKey: at least 32 characters),
# per run like the callback secret, as LocalStackMain sets it for a local run.
DATA_KEY = "bench-data-key-" + uuid.uuid4().hex
# The erase function's own Jumio client (JUMIO_ERASE_CLIENT_ID/SECRET), as a deployment gives it one: the simulator's
# second client (SimulatorConfig: eraserClientId, eraserClientSecret), which holds "retrieve & delete".
ERASER_CLIENT = ("sim-eraser", "sim-eraser-secret")
JUMIO_IP = "34.202.241.227"  # one of Jumio's published amer-1 callback sources
FUNCTIONS = ("initiate", "callback", "retrieve", "erase")
KINDS_ORDER = ("native", "jvm")
# template.yaml: MemorySize 1024 for the JVM (java21), 256 for native (provided.al2023).
MEMORY_MB = {"jvm": int(os.environ.get("BENCH_JVM_MEMORY_MB", "1024")),
             "native": int(os.environ.get("BENCH_NATIVE_MEMORY_MB", "256"))}
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


LAUNCHED = []  # every process this driver started: none may outlive it, whatever ends it


@atexit.register
def _stop_all():
    for p in LAUNCHED:
        if p.poll() is None:
            p.kill()
            p.wait()


# bench.sh stops this driver with SIGTERM (on its own exit, Ctrl-C or a kill): leave through the finally blocks.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """A process the bench stopped drops its kept-alive connection: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1, no Nagle: headers and body go out in separate writes, which Nagle plus delayed ACKs stall by 40 ms."""
    protocol_version = "HTTP/1.1"
    wbufsize = -1

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *a):
        pass


# ------------------------------------------------------------------------------------------- the calls' timeline
class Timeline:
    """Every call the proxies forwarded: (came in, answered, "ddb" | "jumio", label, items written). Invocations are
    strictly one at a time, so the calls of one are the slice between two marks."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []
        self.in_flight = 0

    def begin(self):
        with self.lock:
            self.in_flight += 1

    def add(self, t_in, t_out, service, label, items=0):
        with self.lock:
            self.calls.append((t_in, t_out, service, label, items))
            self.in_flight -= 1

    def mark(self):
        with self.lock:
            return len(self.calls)

    def since(self, a):
        """The calls recorded since mark a. A proxy records a call just after it has answered it, so the function may
        answer its invocation first: wait (briefly) until no call is in flight."""
        deadline = time.perf_counter() + 2
        while True:
            with self.lock:
                if self.in_flight == 0 or time.perf_counter() > deadline:
                    return sorted(self.calls[a:])
            time.sleep(0.0002)


TIMELINE = Timeline()


class Proxy:
    """Forwards every request to one target over kept-alive connections (one per proxy thread) and records the time it
    held it (read the request, ask the target, answer): the time the invocation waited on that service."""

    def __init__(self, service, host, port, label, rewrite=None):
        local = threading.local()
        proxy = self
        self.rewrite = rewrite

        class H(Handler):

            def forward(self):
                t_in = time.perf_counter()
                TIMELINE.begin()
                try:
                    what, items = self.relay()
                except BaseException:
                    TIMELINE.add(t_in, time.perf_counter(), service, "failed")
                    raise
                TIMELINE.add(t_in, time.perf_counter(), service, what, items)

            def relay(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                for attempt in (1, 2):
                    conn = getattr(local, "conn", None)
                    if conn is None:
                        conn = local.conn = http.client.HTTPConnection(host, port, timeout=30)
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
                if proxy.rewrite:
                    data = proxy.rewrite(data)
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "content-length", "transfer-encoding", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                return label(self.command, self.path, self.headers, body)

            do_GET = do_POST = do_PUT = do_DELETE = forward

        self.srv = Server(("127.0.0.1", 0), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}"


def ddb_label(method, path, headers, body):
    target = headers.get("X-Amz-Target", "")
    op = target.split(".")[-1] if target else "?"
    items = len(json.loads(body).get("TransactItems", [])) if op == "TransactWriteItems" and body else 0
    return op, items


JUMIO_LABELS = [  # (method, path pattern, label), on the simulator's paths
    (None, r"/parts/PREPARED_DATA$", "upload"),
    ("POST", r"^/auth/oauth2/token", "token"),
    ("POST", r"^/account/api/v1/accounts/?$", "account"),
    ("PUT", r"^/account/api/v1/accounts/[^/]+$", "account"),
    ("PUT", r"^/api/api/v1/accounts/[^/]+/workflow-executions/[^/]+$", "finalize"),
    ("GET", r"/status$", "status"),
    ("GET", r"^/retrieval/api/v1/accounts/[^/]+/workflow-executions/[^/]+$", "details"),
    ("DELETE", r".", "delete"),
]


def jumio_label(method, path, headers, body):
    path = path.split("?")[0]
    for m, pattern, name in JUMIO_LABELS:
        if m in (None, method) and re.search(pattern, path):
            return name, 0
    return f"{method} {path}", 0


class Moto:
    def __init__(self, port):
        import boto3
        self.client = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                                   aws_access_key_id="test", aws_secret_access_key="test")
        self.client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])

    def purge(self):
        """Deletes every item, straight at moto (not through the proxy): the table holds one check at a time, since
        moto copies the whole table for every transaction."""
        items = self.client.scan(TableName=TABLE, ProjectionExpression="pk", ConsistentRead=True)["Items"]
        for item in items:
            self.client.delete_item(TableName=TABLE, Key={"pk": item["pk"]})


# ------------------------------------------------------------------------------------------- Runtime API stand-in
class RuntimeApi:
    """One function's Runtime API. invoke() queues an event and returns (handed-out→answer seconds, kind, body)."""

    def __init__(self, name):
        self.name = name
        self.events = queue.Queue()
        self.answers = {}
        self.first_next_at = None
        self.first_next_wall = None
        self.restore_next_at = None
        self.init_error = None
        api = self

        class H(Handler):

            def do_GET(self):
                if self.path.endswith("/runtime/restore/next"):
                    # A SnapStart init (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start): the runtime asks here once its
                    # init is done, where Lambda takes the snapshot, and goes on when the snapshot is restored. Here
                    # the restore is at once: no snapshot is taken.
                    api.restore_next_at = time.perf_counter()
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if not self.path.endswith("/invocation/next"):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if api.first_next_at is None:  # Lambda's init phase ends with the runtime's first /next
                    api.first_next_at = time.perf_counter()
                    api.first_next_wall = time.time()
                rid, body, box = api.events.get()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 29000))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                 f"arn:aws:lambda:us-east-1:123456789012:function:{api.name}")
                self.send_header("Lambda-Runtime-Trace-Id", TRACE_HEADER)
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
                        box["answeredWall"] = time.time()
                        box["kind"] = m.group(2)
                        box["body"] = body
                        box["done"].set()
                elif self.path.endswith(("/init/error", "/restore/error")):
                    api.init_error = body

        self.srv = Server(("127.0.0.1", 0), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.address = f"127.0.0.1:{self.srv.server_address[1]}"

    def submit(self, event):
        rid = str(uuid.uuid4())
        box = {"done": threading.Event()}
        self.answers[rid] = box
        self.events.put((rid, json.dumps(event).encode(), box))
        return rid, box

    def wait(self, rid, box, timeout=90):
        if not box["done"].wait(timeout):
            raise SystemExit(f"{self.name}: no answer within {timeout} s (init error: {self.init_error!r})")
        del self.answers[rid]
        self.last_times = (box["handed"], box["answered"])
        return (box["answered"] - box["handed"]), box["kind"], json.loads(box["body"] or b"null")

    def invoke(self, event, timeout=90):
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


def callback_sig(check_id, key=None):
    """The key a check's callback URL carries (CallbackKeys.sign): hex HMAC-SHA256 under the callback secret of
    "callback/v1", a zero byte, then the check id."""
    return hmac.new((key or CALLBACK_TOKEN).encode(), b"callback/v1\x00" + check_id.encode(), hashlib.sha256).hexdigest()


def callback_event(check, status="PROCESSED", query=None):
    """A genuine callback of Jumio's (its source address, the check's callback key: ?check=<id>&sig=<its HMAC>) for
    check's workflow. query: the callback URL's own query (check and sig), as the product gave it to Jumio."""
    body = {"callbackSentAt": datetime.datetime.now(datetime.timezone.utc).isoformat(), "userReference": "u",
            "workflowExecution": {"id": check["workflowExecutionId"], "definitionKey": "10066", "status": status,
                                  "href": "https://retrieval.amer-1.jumio.ai/api/v1/workflow-executions/"
                                          + check["workflowExecutionId"]},
            "account": {"id": check["accountId"],
                        "href": "https://retrieval.amer-1.jumio.ai/api/v1/accounts/" + check["accountId"]}}
    e = http_event("POST", "/callbacks/jumio", "POST /callbacks/jumio", body=body,
                   query=query or {"check": check["checkId"], "sig": callback_sig(check["checkId"])},
                   source_ip=JUMIO_IP)
    e["headers"]["user-agent"] = "Jumio Callback"
    return e


def retrieve_event(check_id):
    return http_event("GET", "/checks/" + check_id, "GET /checks/{checkId}", path_params={"checkId": check_id})


def erase_event(check_id):
    return http_event("DELETE", "/checks/" + check_id, "DELETE /checks/{checkId}", path_params={"checkId": check_id})


# The Jumio calls of each function's real path: a first invocation that lacks one took a degraded path (for example a
# callback whose decision fetch ran out of time on a cold JVM and was recorded alone, to be finished by retrieve).
# A cold process has no OAuth2 token yet: initiate, callback and erase fetch one (in init or in the first invocation).
# Initiate also writes the check (its DynamoDB writes: "write" stands for any write operation).
REAL_PATH = {"initiate": ("token", "account", "upload", "finalize", "write"), "callback": ("token", "details"),
             "retrieve": (), "erase": ("token", "delete")}


def off_path(function, labels):
    labels = set(labels) | ({"write"} if set(labels) & set(WRITE_OPS) else set())
    return [c for c in REAL_PATH[function] if c not in labels]


def expect(function, what, ans, where):
    """Each function's answer on its real path; anything else stops the run (a figure of a failure is no figure)."""
    status = ans.get("statusCode") if isinstance(ans, dict) else None
    body = {}
    if isinstance(ans, dict) and ans.get("body"):
        try:
            body = json.loads(ans["body"])
        except ValueError:
            body = {}
    ok = what == "response" and {
        "initiate": status == 202 and "checkId" in body,
        "callback": status == 200 and "RECORDED" in ans.get("body", ""),
        "retrieve": status == 200 and body.get("status") == "PROCESSED",
        "erase": status == 200 and body.get("status") == "ERASED",
    }[function]
    if not ok:
        raise SystemExit(f"{where}: {function} answered {what} {ans!r}")
    return body


# ------------------------------------------------------------------------------------------- processes
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


PROXIES = {}


def jvm_flags(memory_mb):
    """The managed java21 runtime's command line (docs/performance-method.md, "How Lambda starts a Java function"),
    less what only exists inside Lambda: its CDS archive of the runtime (-Xshare:on with runtime.jsa; -Xshare:auto
    here uses the JDK's own archive) and its Log4Shell hot-patch agent."""
    return [f"-XX:MaxHeapSize={int(memory_mb * 1024 * 0.85)}k", "-XX:+UseSerialGC", "-Xshare:auto",
            "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-XX:+ErrorFileToStderr",
            "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + CFG["ric_jni"]]


def launch(kind, function, api, task_root=None, tag="", jumio=None, extra_env=None):
    """jumio: the base URL of Jumio's hosts (default: the timing proxy in front of the simulator); extra_env: more of
    the function's environment (template.yaml's parameters, such as JUMIO_AMBIGUOUS_START)."""
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS")}
    task_root = task_root or CFG["task_" + kind]
    jumio = jumio or PROXIES["jumio"].url
    env.update({
        "AWS_LAMBDA_RUNTIME_API": api.address, "QUARKUS_LAMBDA_HANDLER": function, "DISABLE_SIGNAL_HANDLERS": "true",
        "LAMBDA_TASK_ROOT": task_root, "AWS_LAMBDA_FUNCTION_NAME": function,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(MEMORY_MB[kind]), "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "LANG": "en_US.UTF-8", "TZ": ":UTC",
        "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL_DYNAMODB": PROXIES["ddb"].url, "CHECKS_TABLE": TABLE,
        "JUMIO_REGION": "amer-1", "JUMIO_CLIENT_ID": CFG["client_id"], "JUMIO_CLIENT_SECRET": CFG["client_secret"],
        "JUMIO_AUTH_URL": jumio + "/auth", "JUMIO_ACCOUNT_URL": jumio + "/account",
        "JUMIO_RETRIEVAL_URL": jumio + "/retrieval", "JUMIO_API_URL": jumio + "/api",
        # The simulator (and the proxy in front of it) is plain http on 127.0.0.1.
        "ALLOW_INSECURE_URLS": "true", "JUMIO_USER_AGENT": "ExampleCo JumioRiskSignals/1.0.0-bench",
        "JUMIO_CALLBACK_URL": "https://api.example.com/callbacks/jumio", "CALLBACK_TOKEN": CALLBACK_TOKEN,
        "DATA_KEY": DATA_KEY,
        # Pacing of account requests (issue 16) off: the simulator has no limits here, and the figures stay comparable
        # with runs from before pacing. Only the pacing scenario turns it on.
        "JUMIO_ACCOUNT_RATE_PER_SECOND": "0", "JUMIO_ACCOUNT_BURST": "5"})
    if function == "erase":  # only erase holds the client that may delete (template.yaml: its own secret)
        env.update({"JUMIO_ERASE_CLIENT_ID": ERASER_CLIENT[0], "JUMIO_ERASE_CLIENT_SECRET": ERASER_CLIENT[1]})
    env.update(extra_env or {})
    extra = os.environ.get("BENCH_JVM_OPTS" if kind == "jvm" else "BENCH_NATIVE_OPTS", "").split()
    jfr = None
    if PROFILE == "jfr" and (kind == "jvm" or CFG.get("native_jfr")):
        jfr = os.path.join(WORK, f"{kind}-{function}-{tag}-{uuid.uuid4().hex[:6]}.jfr")
        extra.append(f"-XX:StartFlightRecording=filename={jfr},settings={CFG['jfc']}")
    if kind == "native":
        env["_HANDLER"] = "bootstrap"  # template.yaml's Handler for provided.al2023, which never reads it
        cmd = ["./bootstrap", *extra]
    else:
        env["_HANDLER"] = HANDLER
        env["AWS_EXECUTION_ENV"] = "AWS_Lambda_java21"
        cmd = [CFG["java"], *jvm_flags(MEMORY_MB[kind]), *extra, "-classpath", CFG["ric_cp"], RIC_MAIN, HANDLER]
    logf = open(os.path.join(WORK, f"{kind}-{function}-{tag}-{uuid.uuid4().hex[:6]}.log"), "w")
    p = subprocess.Popen(cmd, cwd=task_root, env=env, stdout=logf, stderr=subprocess.STDOUT)
    LAUNCHED.append(p)
    p.jfr = jfr
    return p, logf


def stop(p, logf):
    p.terminate()
    try:
        p.wait(20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    logf.close()


def started_in(logf):
    with open(logf.name) as f:
        m = re.search(r"started in (\d+\.\d+)s", f.read())
    return float(m.group(1)) * 1000 if m else None


def started_at(logf):
    """When Quarkus logged "started in" (its runtime start done), as epoch seconds: whether that falls in init or in the
    first invocation says where Quarkus's start is paid (QuarkusStreamHandler starts Quarkus in its constructor when
    Quarkus's SnapStart support asks for a full warm-up, else on its first call)."""
    with open(logf.name) as f:
        for line in f:
            if "started in" in line:
                m = re.search(r'"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z?"', line)
                if m:
                    t = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc)
                    return t.timestamp() + float("0." + (m.group(2) or "0"))
    return None


# ------------------------------------------------------------------------------------------- measurements
def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def dist(xs):
    return {"p50": pct(xs, 50) * 1000, "p99": pct(xs, 99) * 1000, "mean": statistics.mean(xs) * 1000,
            "max": max(xs) * 1000, "n": len(xs)}


def segments(handed, answered, calls):
    """An invocation as a sequence of steps: the function's own time before each call ("· X": from the previous call's
    answer to this call's arrival at its proxy), each call (as held by its proxy), and the own time after the last."""
    out, prev, seen = [], handed, {}
    for t_in, t_out, service, label, _ in calls:
        if t_in < handed:
            continue
        seen[label] = seen.get(label, 0) + 1
        key = label if seen[label] == 1 else f"{label} #{seen[label]}"
        out.append((f"own → {key}", t_in - prev))
        out.append((f"{service}: {key}", t_out - t_in))
        prev = t_out
    out.append(("own → answer", answered - prev))
    return out


def median_segments(lists):
    """Step-wise medians over invocations that took the same steps (the commonest sequence)."""
    if not lists:
        return []
    shapes = {}
    for s in lists:
        shapes.setdefault(tuple(k for k, _ in s), []).append(s)
    shape, members = max(shapes.items(), key=lambda kv: len(kv[1]))
    return [[k, statistics.median(m[i][1] for m in members) * 1000] for i, k in enumerate(shape)] + \
        ([["(invocations with this sequence)", len(members) / len(lists) * 100]] if len(shapes) > 1 else [])


class Seeder:
    """Warm initiate and callback processes that prepare the state a cold start needs: a started check (callback,
    erase) or a decided one (retrieve)."""

    def __init__(self, kind):
        self.kind = kind
        self.apis = {f: RuntimeApi(f) for f in ("initiate", "callback")}
        self.procs = {f: launch(kind, f, self.apis[f], tag="seed") for f in self.apis}
        self.i = 0

    def started(self):
        self.i += 1
        _, what, ans = self.apis["initiate"].invoke(initiate_event(self.i, "seed-" + uuid.uuid4().hex[:8]))
        return expect("initiate", what, ans, "seeder")

    def decided(self):
        check = self.started()
        _, what, ans = self.apis["callback"].invoke(callback_event(check))
        expect("callback", what, ans, "seeder")
        return check

    def close(self):
        for p, logf in self.procs.values():
            stop(p, logf)
        for a in self.apis.values():
            a.close()


def cold_start(kind, function, seeder, moto, i, extra_env=None):
    """Process start → first answer on the function's real path. init: to the first GET /next (when Lambda's init
    phase ends); first invocation: that event handed out → its answer. extra_env: more of the function's environment
    (the SnapStart init's AWS_LAMBDA_INITIALIZATION_TYPE)."""
    if function == "initiate":
        event = initiate_event(i, f"cold-{kind}-{uuid.uuid4().hex[:8]}")
    elif function == "callback":
        event = callback_event(seeder.started())
    elif function == "retrieve":
        event = retrieve_event(seeder.decided()["checkId"])
    else:
        event = erase_event(seeder.started()["checkId"])
    api = RuntimeApi(function)
    rid, box = api.submit(event)
    m0 = TIMELINE.mark()
    t0, w0 = time.perf_counter(), time.time()
    p, logf = launch(kind, function, api, tag=f"cold{i}", extra_env=extra_env)
    try:
        _, what, ans = api.wait(rid, box)
        mem, cpu = rss(p.pid), cpu_seconds(p.pid)
        calls = TIMELINE.since(m0)
        expect(function, what, ans, f"{kind} cold start (log {logf.name})")
    finally:
        stop(p, logf)
        api.close()
        moto.purge()
    init_calls = [c for c in calls if c[0] < box["handed"]]
    return {"initMs": (api.first_next_at - t0) * 1000, "firstInvocationMs": (box["answered"] - box["handed"]) * 1000,
            "snapshotAtMs": (api.restore_next_at - t0) * 1000 if api.restore_next_at else None,
            "totalMs": (box["answered"] - t0) * 1000, "rssMb": mem["VmRSS"], "peakRssMb": mem["VmHWM"],
            "cpuMs": cpu * 1000, "quarkusStartedMs": started_in(logf),
            "quarkusUpAtMs": ((started_at(logf) or w0) - w0) * 1000,
            "initCalls": [c[3] for c in init_calls],
            "ddbMs": sum(c[1] - c[0] for c in calls if c[2] == "ddb" and c[0] >= box["handed"]) * 1000,
            "jumioMs": sum(c[1] - c[0] for c in calls if c[2] == "jumio" and c[0] >= box["handed"]) * 1000,
            "calls": [c[3] for c in calls if c[0] >= box["handed"]],
            "missing": off_path(function, [c[3] for c in calls]),
            "segments": segments(box["handed"], box["answered"], calls),
            "wall": {"start": w0, "initEnd": api.first_next_wall, "answered": box["answeredWall"]}, "jfr": p.jfr}


# The JVM's initiate once more per round, started as a SnapStart init starts it (AWS_LAMBDA_INITIALIZATION_TYPE=
# snap-start): the product primes its first call then, so that a restored snapshot's first invocation is cheap.
# Its first invocation after init is what a restore pays on top of the restore itself (not modelled here).
SNAPSTART_ENV = {"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"}
SNAPSTART = os.environ.get("SNAPSTART", "1") != "0"


def cold_summary(runs):
    med = lambda k: statistics.median(r[k] for r in runs)
    out = {k: med(k) for k in ("initMs", "firstInvocationMs", "totalMs", "rssMb", "peakRssMb", "cpuMs", "ddbMs",
                               "jumioMs")}
    out["totalMsBest"] = min(r["totalMs"] for r in runs)
    if all(r["snapshotAtMs"] is not None for r in runs):  # where a SnapStart init would be snapshotted
        out["snapshotAtMs"] = med("snapshotAtMs")
    out["quarkusStartedMs"] = statistics.median(r["quarkusStartedMs"] or 0 for r in runs)
    out["quarkusUpAtMs"] = statistics.median(r["quarkusUpAtMs"] for r in runs)
    out["calls"] = runs[-1]["calls"]
    out["initCalls"] = runs[-1]["initCalls"]
    out["offPathRuns"] = sum(1 for r in runs if r["missing"])
    on_path = [r for r in runs if not r["missing"]]
    if on_path:
        out["calls"] = on_path[-1]["calls"]
    out["segments"] = median_segments([r["segments"] for r in runs])
    out["runs"] = [{k: v for k, v in r.items() if k != "segments"} for r in runs]
    return out


def cold_starts(kinds, seed_kind, moto):
    """RUNS cold starts of every function of every kind, after one per function that only warms the page cache. The
    kinds alternate run by run, so that both meet the same load. With the JVM, each round also starts initiate as a
    SnapStart init does (primed); its summary is under "jvm-snapstart"."""
    seeder = Seeder(seed_kind)
    out = {k: {f: [] for f in FUNCTIONS} for k in kinds}
    primed = []
    try:
        seeder.decided()
        for i in range(RUNS + 1):
            for f in FUNCTIONS:
                for kind in kinds:
                    r = cold_start(kind, f, seeder, moto, i)
                    if i > 0:
                        out[kind][f].append(r)
                if f == "initiate" and "jvm" in kinds and SNAPSTART:
                    r = cold_start("jvm", f, seeder, moto, i, extra_env=SNAPSTART_ENV)
                    if i > 0:
                        primed.append(r)
            log(f"cold starts: round {i}/{RUNS} done" + (" (page-cache warm-up)" if i == 0 else ""))
    finally:
        seeder.close()
    res = {kind: {f: cold_summary(out[kind][f]) for f in FUNCTIONS} for kind in kinds}
    if primed:
        res["jvm-snapstart"] = {"initiate": cold_summary(primed)}
    return res


def echo_runtime(hop=False):
    """The Runtime API stand-in's own share: .ci/bench/EchoRuntime (a client that answers each event with itself, no
    work) on the managed runtime's JVM flags, fed initiate's event WARMUP times, then measured N times. hop=True: each
    invocation also makes one GET through the Jumio proxy (to the simulator's counters), and the result holds that
    call's round trip as the client saw it, and the part of it the proxy's own timing did not see."""
    api = RuntimeApi("echo")
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=api.address)
    if hop:
        env["ECHO_HOP_URL"] = PROXIES["jumio"].url + "/__admin/counts"
    hops, unseen = [], []
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench", "EchoRuntime.java")
    logf = open(os.path.join(WORK, "echo.log"), "w")
    p = subprocess.Popen([CFG["java"], "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", src],
                         env=env, stdout=logf, stderr=subprocess.STDOUT)
    LAUNCHED.append(p)
    lat = []
    try:
        for i in range(WARMUP + N):
            m0 = TIMELINE.mark()
            dt, what, ans = api.invoke(initiate_event(i, "echo"))
            held = sum(c[1] - c[0] for c in TIMELINE.since(m0))
            if what != "response":
                raise SystemExit(f"echo runtime: unexpected {what}; log {logf.name}")
            if i >= WARMUP:
                if hop:
                    rtt = ans["hopNanos"] / 1e9
                    hops.append(rtt)
                    unseen.append(rtt - held)
                    dt -= rtt
                lat.append(dt)
    finally:
        stop(p, logf)
        api.close()
    r = dist(lat)
    if hop:
        r["hopRoundTripMs"] = dist(hops)
        r["hopUnseenMs"] = dist(unseen)
    return r


class Variant:
    """Four warm containers (initiate, callback, retrieve, erase) of one build: the product (native or JVM), or the
    naive baseline (JVM)."""

    def __init__(self, kind, name, moto, task_root=None):
        self.kind, self.name, self.moto = kind, name, moto
        self.apis = {f: RuntimeApi(f) for f in FUNCTIONS}
        self.task_root = task_root
        self.procs = {}
        self.tag = f"{name}-{kind}-{uuid.uuid4().hex[:8]}"
        self.lat = {f: [] for f in FUNCTIONS}
        self.ddb_wait = {f: [] for f in FUNCTIONS}
        self.jumio_wait = {f: [] for f in FUNCTIONS}
        self.own = {f: [] for f in FUNCTIONS}
        self.segs = {f: [] for f in FUNCTIONS}
        self.ops = {f: {} for f in FUNCTIONS}
        self.tx_items = {f: 0 for f in FUNCTIONS}
        self.jumio = {f: {} for f in FUNCTIONS}
        self.tokens_whole_run = 0
        self.checks_whole_run = 0
        self.measuring = False
        self.wall = {}
        self.routes = None

    def start(self):
        self.t_start = time.perf_counter()
        for f in FUNCTIONS:
            self.procs[f] = launch(self.kind, f, self.apis[f], self.task_root, tag=self.tag)
        self.check(-1)
        if self.name == "product":
            self.probe_routes()

    def call(self, f, event):
        m0 = TIMELINE.mark()
        dt, what, ans = self.apis[f].invoke(event)
        calls = TIMELINE.since(m0)
        self.tokens_whole_run += sum(1 for c in calls if c[3] == "token")
        if self.measuring:
            ddb = sum(c[1] - c[0] for c in calls if c[2] == "ddb")
            jumio = sum(c[1] - c[0] for c in calls if c[2] == "jumio")
            self.lat[f].append(dt)
            self.ddb_wait[f].append(ddb)
            self.jumio_wait[f].append(jumio)
            self.own[f].append(dt - ddb - jumio)
            for c in calls:
                bucket = self.ops[f] if c[2] == "ddb" else self.jumio[f]
                bucket[c[3]] = bucket.get(c[3], 0) + 1
                self.tx_items[f] += c[4]
            self.segs[f].append(segments(*self.apis[f].last_times, calls))
            if f not in self.wall:
                self.wall[f] = {"start": time.time()}
            if not hasattr(self, "cpu0"):
                self.cpu0 = {g: cpu_seconds(self.procs[g][0].pid) for g in FUNCTIONS}
        return what, ans

    def probe_routes(self):
        """Issue 13's routes, once per variant during its warm-up (not measured): GET /checks/{id}/details and DELETE
        /checks/{id}/account answer 200, the old query forms (?view=full, ?scope=account) 400. The measured checks
        use neither: their real path is GET /checks/{id} and DELETE /checks/{id}."""
        what, ans = self.call("initiate", initiate_event(-2, self.tag))
        check = expect("initiate", what, ans, self.name + " (routes)")
        what, ans = self.call("callback", callback_event(check))
        expect("callback", what, ans, self.name + " (routes)")
        cid = check["checkId"]
        path = {"checkId": cid}
        probes = (
            ("GET /checks/{id}/details", "retrieve",
             http_event("GET", f"/checks/{cid}/details", "GET /checks/{checkId}/details", path_params=path)),
            ("GET /checks/{id}?view=full", "retrieve",
             http_event("GET", f"/checks/{cid}", "GET /checks/{checkId}", query={"view": "full"}, path_params=path)),
            ("DELETE /checks/{id}?scope=account", "erase",
             http_event("DELETE", f"/checks/{cid}", "DELETE /checks/{checkId}", query={"scope": "account"},
                        path_params=path)),
            ("DELETE /checks/{id}/account", "erase",
             http_event("DELETE", f"/checks/{cid}/account", "DELETE /checks/{checkId}/account", path_params=path)))
        self.routes = {}
        for name, f, event in probes:
            what, ans = self.call(f, event)
            self.routes[name] = answer_status(ans) if what == "response" else what
        self.moto.purge()
        expected = {"GET /checks/{id}/details": 200, "GET /checks/{id}?view=full": 400,
                    "DELETE /checks/{id}?scope=account": 400, "DELETE /checks/{id}/account": 200}
        if self.routes != expected:
            log(f"{self.name}/{self.kind}: routes answered {self.routes}, expected {expected}")

    def check(self, i):
        """One check through initiate, its callback, retrieve and erase; then its items are deleted straight at moto."""
        self.checks_whole_run += 1
        what, ans = self.call("initiate", initiate_event(i, self.tag))
        check = expect("initiate", what, ans, self.name)
        what, ans = self.call("callback", callback_event(check))
        expect("callback", what, ans, self.name)
        what, ans = self.call("retrieve", retrieve_event(check["checkId"]))
        expect("retrieve", what, ans, self.name)
        what, ans = self.call("erase", erase_event(check["checkId"]))
        expect("erase", what, ans, self.name)
        self.moto.purge()

    def stop(self):
        for p, logf in self.procs.values():
            stop(p, logf)
        for a in self.apis.values():
            a.close()

    def result(self):
        elapsed = time.perf_counter() - self.t_start
        mem = {f: rss(self.procs[f][0].pid) for f in FUNCTIONS}
        cpu = {f: (cpu_seconds(self.procs[f][0].pid) - self.cpu0[f]) * 1000 / N for f in FUNCTIONS}
        fs = {}
        for f in FUNCTIONS:
            fs[f] = {"latencyMs": dist(self.lat[f]), "ownMs": dist(self.own[f]), "ddbWaitMs": dist(self.ddb_wait[f]),
                     "jumioWaitMs": dist(self.jumio_wait[f]), "cpuMsPerInvocation": cpu[f],
                     "rssMb": {"steady": mem[f]["VmRSS"], "peak": mem[f]["VmHWM"]},
                     "ddbOps": {k: v / N for k, v in sorted(self.ops[f].items())},
                     "ddbWrites": sum(v for k, v in self.ops[f].items() if k in WRITE_OPS) / N,
                     "ddbWriteItems": (sum(v for k, v in self.ops[f].items()
                                           if k in WRITE_OPS and k != "TransactWriteItems") + self.tx_items[f]) / N,
                     "ddbReads": sum(v for k, v in self.ops[f].items() if k in READ_OPS) / N,
                     "jumioCalls": {k: v / N for k, v in sorted(self.jumio[f].items())},
                     "segments": median_segments(self.segs[f])}
        life = {k: sum(fs[f][k] for f in FUNCTIONS) for k in ("ddbWrites", "ddbWriteItems", "ddbReads")}
        life["jumioCalls"] = sum(v for f in FUNCTIONS for k, v in fs[f]["jumioCalls"].items() if k != "token")
        life["tokenCalls"] = sum(fs[f]["jumioCalls"].get("token", 0) for f in FUNCTIONS)
        return {"kind": self.kind, "variant": self.name, "checks": N, "warmupChecks": WARMUP + 1, "functions": fs,
                "lifecycle": life, "tokenCallsWholeRun": self.tokens_whole_run,
                "checksWholeRun": self.checks_whole_run, "wallSeconds": elapsed, "routes": self.routes,
                "jfr": {f: self.procs[f][0].jfr for f in FUNCTIONS}, "wall": self.wall}


WRITE_OPS = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")
READ_OPS = ("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems")


def warm(variants):
    """All variants side by side: started one after the other, then their checks alternate, so that each meets the
    same machine (a shared machine's load moves during a run)."""
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
            if (i + 1) % max(1, N // 5) == 0:
                log(f"  {i + 1}/{N}")
        for v in variants:
            v.measuring = False
        return [v.result() for v in variants]
    finally:
        for v in variants:
            v.stop()


# ------------------------------------------------------------------------------------------- mixed run
# 1,000 checks per mode with a share of Jumio's account answers ambiguous, clients retrying as told, the orphans
# revealed as Jumio reveals them (TOKEN_EXPIRED callbacks, which record them) and deleted by the erase function's sweep:
# workflows per check, orphans found and deleted, live orphans at the end, and what the users waited. docs/performance-method.md, "The mixed run".
MIXED = os.environ.get("MIXED", "1") != "0" and not os.environ.get("ONLY_COLD")
ONLY_MIXED = bool(os.environ.get("ONLY_MIXED"))
MIXED_CHECKS = int(os.environ.get("MIXED_CHECKS", "1000" if N >= 1000 else "200"))
MIXED_WARMUP = int(os.environ.get("MIXED_WARMUP", "50"))
MIXED_FRACTION = float(os.environ.get("MIXED_FRACTION", "0.02"))
MIXED_SEED = int(os.environ.get("MIXED_SEED", "7"))  # the smallest seed whose reduced run meets all four answers
MIXED_MIX = json.loads(os.environ["MIXED_MIX"]) if os.environ.get("MIXED_MIX") else None  # None: the simulator's
MIXED_MODES = [m.strip().upper() for m in os.environ.get("MIXED_MODES", "ANSWER,REPEAT").split(",") if m.strip()]
MIXED_REVEAL_EVERY = int(os.environ.get("MIXED_REVEAL_EVERY", "100"))
MIXED_INCIDENT_SECONDS = float(os.environ.get("MIXED_INCIDENT_SECONDS", "3"))  # 0: no incident
# After the incidents: REPEAT's checks while Jumio answers every account request 502, each leaving
# JUMIO_MAX_START_ATTEMPTS orphans, and one erase sweep over all of them (its cost with many pending). 0: none.
MIXED_SWEEP_LOAD = int(os.environ.get("MIXED_SWEEP_LOAD", "5"))
CLIENT_MAX_TRIES = 10  # a client gives up after this many answers that told it to retry
# The simulator as the benchmark runs it: no callbacks of its own, no processing delay, no rate limits.
SIM_CONFIG = {"callbacksEnabled": False, "processingDelayMillis": 0, "tokenRatePerSecond": 1e6,
              "accountRatePerSecond": 1e6, "accountBurst": 1000000, "retrievalRatePerSecond": 1e6}


def sim_admin(op, body=None, query="", sim=None):
    """The admin API of the simulator (default: the one every phase uses): POST with a body, else GET."""
    import urllib.request
    req = urllib.request.Request((sim or CFG["sim"]) + "/__admin/" + op + query,
                                 method="GET" if body is None else "POST",
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        data = r.read()
    return json.loads(data) if data else None


def answer_status(ans):
    return ans.get("statusCode") if isinstance(ans, dict) else None


def answer_header(ans, name):
    for k, v in ((ans.get("headers") if isinstance(ans, dict) else None) or {}).items():
        if k.lower() == name:
            return v
    return None


def answer_body(ans):
    try:
        return json.loads(ans.get("body") or "{}") if isinstance(ans, dict) else {}
    except ValueError:
        return {}


class MixedMode:
    """One setting of JUMIO_AMBIGUOUS_START: its own initiate, callback and erase processes (the setting is the
    functions' environment) and its own simulator, which they call directly. Not through the timing proxy: it repeats a
    request whose connection failed, which would make a second workflow of a POST /accounts that got no answer, and it
    does not pass a cut body on as cut. Erase has the eraser client, as in the other parts; it runs only the sweep."""

    def __init__(self, kind, mode, sim):
        self.kind, self.mode, self.sim = kind, mode, sim
        self.tag = f"mixed-{mode.lower()}-{uuid.uuid4().hex[:6]}"
        self.apis = {f: RuntimeApi(f) for f in ("initiate", "callback", "erase")}
        self.procs = {f: launch(kind, f, self.apis[f], tag=self.tag, jumio=sim,
                                extra_env={"JUMIO_AMBIGUOUS_START": mode}) for f in self.apis}
        self.checks = []
        self.revealed = set()
        self.stray = 0
        self.callbacks = {}  # the callback function's answers to the TOKEN_EXPIRED callbacks, by outcome
        self.redeliveries = 0
        self.urls = {}  # customerInternalReference -> the callback URLs the product gave Jumio for it
        self.requests_seen = 0
        self.sigs = {"matched": 0, "compared": 0}  # the URLs' sig against the bench's own HMAC of their check id
        self.sweeps = []  # every run of the erase sweep: what it found pending, did, cost

    def owns(self, reference):
        return (reference or "").startswith(f"bench-{self.tag}-")

    def index(self, reference):
        return int(reference.rsplit("-", 1)[1])

    def client(self, i, tag=None):
        """One user's check: POST /checks with an Idempotency-Key; on 503 or 409 wait Retry-After, then the same
        request with the same key; until 202, another answer, or CLIENT_MAX_TRIES answers that said retry. The time
        is the user's: from the first request to the last answer, waits included."""
        tag = tag or self.tag
        t0 = time.perf_counter()
        tries, waits = [], []
        while True:
            event = initiate_event(i, tag)
            event["headers"]["idempotency-key"] = f"key-{tag}-{i}"
            _, what, ans = self.apis["initiate"].invoke(event)
            status = answer_status(ans)
            tries.append(status if what == "response" else what)
            wait = answer_header(ans, "retry-after")
            if what == "response" and status in (503, 409) and wait is not None and len(tries) < CLIENT_MAX_TRIES:
                waits.append(float(wait))
                time.sleep(float(wait))
                continue
            break
        body = answer_body(ans)
        return {"i": i, "seconds": time.perf_counter() - t0, "tries": tries, "waits": waits,
                "accepted": what == "response" and status == 202, "checkId": body.get("checkId"),
                "workflowExecutionId": body.get("workflowExecutionId"), "accountId": body.get("accountId")}

    def callback_query(self, reference):
        """The query (check, sig) of the callback URL that the product put into the account request behind a workflow:
        Jumio calls back a workflow at the callbackUrl of the request that created it. Read from the account requests
        the simulator recorded (every attempt of a check carries the same URL: the check's). Each URL's sig is held
        against the bench's own HMAC of its check id."""
        if reference not in self.urls:
            recorded = (self.admin("requests", query="?endpoint=ACCOUNT_CREATE")
                        + self.admin("requests", query="?endpoint=ACCOUNT_UPDATE"))
            for r in recorded:
                body = json.loads(r.get("body") or "{}") if (r.get("body") or "").startswith("{") else {}
                url, ref = body.get("callbackUrl"), body.get("customerInternalReference")
                if not url or not ref:
                    continue
                q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
                query = {"check": q.get("check", [""])[0], "sig": q.get("sig", [""])[0]}
                if query not in self.urls.setdefault(ref, []):
                    self.urls[ref].append(query)
                    self.sigs["compared"] += 1
                    self.sigs["matched"] += query["sig"] == callback_sig(query["check"])
        urls = self.urls.get(reference) or []
        if len(urls) != 1:
            raise SystemExit(f"mixed run ({self.mode}): {len(urls)} callback URLs for reference {reference}")
        return urls[0]

    def deliver(self, workflow):
        """Jumio's TOKEN_EXPIRED callback for a workflow, at the callback URL of the check whose account request made
        it; delivered again (after Retry-After, at most 5 times) while the function answers other than 200, as Jumio
        would retry a failed delivery."""
        query = self.callback_query(workflow["customerInternalReference"])
        for _ in range(5):
            _, what, ans = self.apis["callback"].invoke(callback_event(workflow, "TOKEN_EXPIRED", query=query))
            if what == "response" and answer_status(ans) == 200:
                outcome = answer_body(ans).get("status", "?")
                self.callbacks[outcome] = self.callbacks.get(outcome, 0) + 1
                return
            self.redeliveries += 1
            time.sleep(float(answer_header(ans, "retry-after") or 1))
        self.callbacks["NOT_DELIVERED"] = self.callbacks.get("NOT_DELIVERED", 0) + 1

    def admin(self, op, body=None, query=""):
        return sim_admin(op, body, query, self.sim)

    def reveal(self):
        """What Jumio does with a workflow that is never finalized: its token lifetime ends and Jumio sends its
        TOKEN_EXPIRED callback. Here the lifetime ends now (the simulator's expire-unfinalized; its own sweep expires
        those whose 5 minutes have passed), and each callback goes to the callback function as an HTTP API event from
        Jumio's address to the callback URL of the check that made the workflow."""
        self.admin("expire-unfinalized", {"status": "TOKEN_EXPIRED"})
        for w in self.admin("workflows"):
            if w["finalized"] or w["status"] != "TOKEN_EXPIRED" or w["workflowExecutionId"] in self.revealed:
                continue
            self.revealed.add(w["workflowExecutionId"])
            if self.owns(w["customerInternalReference"]):
                self.deliver(w)
            else:
                self.stray += 1

    def sweep(self, when, moto):
        """One run of the erase function's schedule (EventBridge Scheduler, every 5 minutes when deployed): a direct
        invocation with {"sweep": true}. Its DynamoDB calls come through the counting proxy (one invocation at a time);
        its Jumio calls (the eraser's token, the DELETEs) go straight to the simulator."""
        listed = moto.client.get_item(TableName=TABLE, Key={"pk": {"S": "SWEEP#orphans"}}, ConsistentRead=True)
        pending = len(listed.get("Item", {}).get("workflowIds", {}).get("SS", []))
        m0 = TIMELINE.mark()
        dt, what, ans = self.apis["erase"].invoke({"sweep": True})
        calls = TIMELINE.since(m0)
        if what != "response" or not isinstance(ans, dict) or "orphansDeleted" not in ans:
            raise SystemExit(f"mixed run ({self.mode}): the erase sweep answered {what} {ans!r}")
        ops, items = {}, 0
        for c in calls:
            if c[2] == "ddb":
                ops[c[3]] = ops.get(c[3], 0) + 1
                items += c[4]
        rec = {"when": when, "pendingBefore": pending, "report": ans, "ms": dt * 1000,
               "ddbMs": sum(c[1] - c[0] for c in calls if c[2] == "ddb") * 1000, "ddbOps": ops,
               "ddbReads": sum(v for k, v in ops.items() if k in READ_OPS),
               "ddbWrites": sum(v for k, v in ops.items() if k in WRITE_OPS),
               "ddbWriteItems": sum(v for k, v in ops.items() if k in WRITE_OPS and k != "TransactWriteItems") + items}
        self.sweeps.append(rec)
        return rec

    def stop(self):
        for p, logf in self.procs.values():
            stop(p, logf)
        for a in self.apis.values():
            a.close()

    def log_lines(self, function, text, since=None, until=None):
        """Lines of the function's log that hold text, logged in [since, until) (epoch seconds) when given."""
        n = 0
        with open(self.procs[function][1].name) as f:
            for line in f:
                if text not in line:
                    continue
                if since is not None or until is not None:
                    m = re.search(r'"timestamp":"([^"]+?)(?:\.(\d+))?Z?"', line)
                    at = datetime.datetime.fromisoformat(m.group(1)).replace(
                        tzinfo=datetime.timezone.utc).timestamp() + float("0." + (m.group(2) or "0"))
                    if (since is not None and at < since) or (until is not None and at >= until):
                        continue
                n += 1
        return n

    def token_clients(self):
        """The simulator's token requests by OAuth2 client (from their Basic authorization): which client each function
        used."""
        out = {}
        for r in self.admin("requests", query="?endpoint=TOKEN"):
            auth = next((v for k, v in (r.get("headers") or {}).items() if k.lower() == "authorization"), None)
            if isinstance(auth, list):
                auth = auth[0] if auth else None
            client = "?"
            if auth and auth.lower().startswith("basic "):
                try:
                    client = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
                except ValueError:
                    pass
            out[client] = out.get(client, 0) + 1
        return out

    def incident(self, seconds, table, moto):
        """A short incident at Jumio: for `seconds`, every account request is processed and answered 502. One check
        starts with it, its client retrying as told; then one more check, after it. Its orphans are revealed as in the
        run, and the erase sweep runs once after them. The other mode's processes are idle meanwhile."""
        given0 = len(self.admin("ambiguous-answers"))
        callbacks0 = dict(self.callbacks)
        since = time.time()
        self.admin("config", {"ambiguousAccountFraction": 1, "ambiguousAccountMix": {"BAD_GATEWAY": 1}})
        timer = threading.Timer(seconds, lambda: self.admin("config", {"ambiguousAccountFraction": 0}))
        timer.start()
        try:
            during = self.client(0, self.tag + "-incident")
            table.settle()
        finally:
            timer.join()
        after = self.client(1, self.tag + "-incident")
        table.settle()
        self.reveal()
        swept = self.sweep("incident", moto)
        table.settle(everything=True)
        given = self.admin("ambiguous-answers")[given0:]
        orphans = {a["workflowExecutionId"] for a in given}
        deletes = self.admin("deletes")
        live = [w["workflowExecutionId"] for w in self.admin("workflows") if self.owns(w["customerInternalReference"])]
        callbacks = {k: v - callbacks0.get(k, 0) for k, v in self.callbacks.items() if v - callbacks0.get(k, 0)}
        return {"seconds": seconds,
                "check": {"accepted": during["accepted"], "answers": during["tries"], "retryAfter": during["waits"],
                          "ms": during["seconds"] * 1000},
                "checkAfter": {"accepted": after["accepted"], "answers": after["tries"], "ms": after["seconds"] * 1000},
                "ambiguousAnswers": len(given), "callbackAnswers": callbacks,
                "orphansFound": callbacks.get("ORPHAN_FOUND", 0),
                "sweep": swept, "orphansDeletedBySweep": swept["report"]["orphansDeleted"],
                "orphanDeletedLogLines": self.log_lines("erase", "orphan workflow deleted:", since=since),
                "orphansDeletedAtJumio": sum(1 for w in orphans if deletes.get(w, 0) > 0),
                "liveOrphansAtEnd": len([w for w in live if w not in table.owned])}

    def sweep_load(self, checks, table, moto):
        """The sweep's cost with many orphans pending: `checks` checks while every account request is answered 502
        (REPEAT spends a check's JUMIO_MAX_START_ATTEMPTS on it at once, each attempt an orphan), their orphans
        revealed, then one sweep."""
        self.admin("config", {"ambiguousAccountFraction": 1, "ambiguousAccountMix": {"BAD_GATEWAY": 1}})
        try:
            made = [self.client(i, self.tag + "-load") for i in range(checks)]
        finally:
            self.admin("config", {"ambiguousAccountFraction": 0})
        table.settle()
        callbacks0 = self.callbacks.get("ORPHAN_FOUND", 0)
        self.reveal()
        found = self.callbacks.get("ORPHAN_FOUND", 0) - callbacks0
        swept = self.sweep("load", moto)
        idle = self.sweep("load, again", moto)
        table.settle(everything=True)
        return {"checks": checks, "answers": [c["tries"] for c in made], "orphansFound": found,
                "sweep": swept, "sweepAfter": idle}


class MixedTable:
    """The table between checks. A check that made no ambiguous attempt has nothing an orphan's callback needs: its
    workflow id (WX#) is noted and its items deleted, straight at moto, as in the warm phase (moto copies the whole
    table for every transaction, and scans it item by item). A check with attempts keeps its items (CHECK#, IDEM#, WX#)
    until its orphans' callbacks have come and the erase sweep has run (settle(everything=True) after each reveal and
    sweep), so that the callbacks find it and the sweep can count its deleted orphans on it. The ORPHAN# items and the
    sweep's list (SWEEP#orphans) stay as long as an orphan on them is not deleted, with the check that left it."""

    def __init__(self, moto):
        self.moto = moto
        self.owned = {}  # workflowExecutionId -> checkId, from the WX# items
        self.attempts = {}  # checkId -> the answers of its ambiguous attempts (startAttempts)
        self.kept_for_pending = 0  # items a settle(everything=True) kept because an orphan was still pending

    def items(self):
        out, kw = [], {}
        while True:
            r = self.moto.client.scan(TableName=TABLE, ConsistentRead=True, **kw)
            out += r["Items"]
            if "LastEvaluatedKey" not in r:
                return out
            kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]

    def settle(self, everything=False):
        items = self.items()
        keep = set()
        pending = set()  # checks with an orphan not deleted yet
        for it in items:
            pk = it["pk"]["S"]
            if pk.startswith("CHECK#") and "startAttempts" in it:
                keep.add(it["checkId"]["S"])
                self.attempts[it["checkId"]["S"]] = [a["M"].get("answer", {}).get("S", "?")
                                                     for a in it["startAttempts"]["L"]]
            if pk.startswith("ORPHAN#") and it.get("state", {}).get("S") in ("PENDING", "DELETING"):
                pending.add(it["checkId"]["S"])
        gone = []
        for it in items:
            pk = it["pk"]["S"]
            owner = it.get("checkId", {}).get("S")
            if pk.startswith("WX#"):
                self.owned[pk[3:]] = owner
            if everything:
                still = (owner in pending and (pk.startswith(("CHECK#", "IDEM#", "WX#"))
                                               or it.get("state", {}).get("S") in ("PENDING", "DELETING"))
                         or pk == "SWEEP#orphans" and pending)
                self.kept_for_pending += bool(still)
                drop = not still
            else:
                drop = pk.startswith(("CHECK#", "IDEM#", "WX#")) and owner not in keep
            if drop:
                gone.append({"DeleteRequest": {"Key": {"pk": {"S": pk}}}})
        for k in range(0, len(gone), 25):
            left = {TABLE: gone[k:k + 25]}
            while left:
                left = self.moto.client.batch_write_item(RequestItems=left).get("UnprocessedItems") or None


def mixed_run(kinds, moto):
    kind = os.environ.get("MIXED_KIND") or ("native" if "native" in kinds else "jvm")
    sims = [u for u in (CFG["sim"], CFG.get("sim2")) if u]
    if len(MIXED_MODES) > len(sims):
        raise SystemExit(f"mixed run: {len(MIXED_MODES)} modes, {len(sims)} simulators (bench.sh starts two)")
    log(f"mixed run ({kind}): {', '.join(MIXED_MODES)}, {MIXED_CHECKS} checks each after {MIXED_WARMUP} warm-up "
        f"checks, {MIXED_FRACTION:.1%} ambiguous account answers (seed {MIXED_SEED})")
    modes = []
    t0 = time.time()
    load0 = os.getloadavg()[0]
    try:
        for mode, sim in zip(MIXED_MODES, sims):
            modes.append(MixedMode(kind, mode, sim))
        # Warm-up without ambiguous answers: each check through initiate and its PROCESSED callback; a few sweeps with
        # nothing pending, so that the measured ones do not pay the erase function's first invocation.
        for m in modes:
            m.admin("reset", {})
            m.admin("config", SIM_CONFIG)
        for i in range(MIXED_WARMUP):
            for m in modes:
                c = m.client(i, m.tag + "-warm")
                if not c["accepted"]:
                    raise SystemExit(f"mixed run, warm-up ({m.mode}): initiate answered {c['tries']}")
                _, what, ans = m.apis["callback"].invoke(callback_event(c))
                expect("callback", what, ans, f"mixed run, warm-up ({m.mode})")
                moto.purge()
        for m in modes:
            for _ in range(3):
                m.sweep("warm-up", moto)
            m.sweeps.clear()
        moto.purge()
        # Measured: fresh simulators (their OAuth tokens survive) with the same seed, so that each mode meets the same
        # ambiguous answers at the same account requests (every attempt of a check is one account request in either
        # mode: the same checks meet them); the modes' checks alternate, so that both meet the same load.
        cfg = dict(SIM_CONFIG, ambiguousAccountFraction=MIXED_FRACTION, ambiguousAccountSeed=MIXED_SEED)
        if MIXED_MIX:
            cfg["ambiguousAccountMix"] = MIXED_MIX
        for m in modes:
            m.admin("reset", {})
            m.admin("config", cfg)
        sim_cfg = modes[0].admin("config")
        moto.purge()
        table = MixedTable(moto)
        t1 = time.time()
        spent = {"settle": 0.0, "reveal": 0.0, "sweep": 0.0}
        for i in range(MIXED_CHECKS):
            for m in modes:
                m.checks.append(m.client(i))
                ts = time.time()
                table.settle()
                spent["settle"] += time.time() - ts
            if (i + 1) % MIXED_REVEAL_EVERY == 0 or i + 1 == MIXED_CHECKS:
                # The orphans' token lifetime ends (every MIXED_REVEAL_EVERY checks: a stand-in for the 5 minutes),
                # their callbacks come, and then the erase function's schedule runs once, as its 5-minute schedule
                # would after them.
                for m in modes:
                    ts = time.time()
                    m.reveal()
                    spent["reveal"] += time.time() - ts
                    ts = time.time()
                    m.sweep(f"after check {i + 1}", moto)
                    spent["sweep"] += time.time() - ts
                ts = time.time()
                table.settle(everything=True)
                spent["settle"] += time.time() - ts
            if (i + 1) % max(1, MIXED_CHECKS // 5) == 0:
                log(f"  mixed run: {i + 1}/{MIXED_CHECKS} ({time.time() - t1:.0f} s)")
        measured_seconds = time.time() - t1
        load1 = os.getloadavg()[0]
        seen = {m.mode: {"given": m.admin("ambiguous-answers"),
                         "requests": m.admin("requests", query="?endpoint=ACCOUNT_CREATE")
                         + m.admin("requests", query="?endpoint=ACCOUNT_UPDATE"),
                         "deletes": m.admin("deletes"), "live": m.admin("workflows"),
                         "tokenClients": m.token_clients(), "sweeps": list(m.sweeps),
                         "callbacks": dict(m.callbacks), "redeliveries": m.redeliveries, "until": time.time()}
                for m in modes}
        incidents = {}
        if MIXED_INCIDENT_SECONDS > 0:
            log(f"  mixed run: an incident of {MIXED_INCIDENT_SECONDS:g} s per mode")
            for m in modes:
                incidents[m.mode] = m.incident(MIXED_INCIDENT_SECONDS, table, moto)
        load = None
        loader = next((m for m in modes if m.mode == "REPEAT"), None)
        if MIXED_SWEEP_LOAD > 0 and loader:
            log(f"  mixed run: one sweep with the orphans of {MIXED_SWEEP_LOAD} checks that met only 502s "
                f"({loader.mode})")
            load = dict(loader.sweep_load(MIXED_SWEEP_LOAD, table, moto), mode=loader.mode)
    finally:
        for m in modes:
            m.stop()
    out = {"kind": kind, "checks": MIXED_CHECKS, "warmupChecks": MIXED_WARMUP, "fraction": MIXED_FRACTION,
           "seed": MIXED_SEED, "mix": sim_cfg["ambiguousAccountMix"], "noAnswerMillis": sim_cfg["noAnswerMillis"],
           "revealEvery": MIXED_REVEAL_EVERY, "sweepSchedule": "once after each reveal",
           "strayExpiredWorkflows": sum(m.stray for m in modes),
           "wallSeconds": time.time() - t0, "measuredSeconds": measured_seconds,
           "loadAverage": {"start": load0, "endOfMeasured": load1, "end": os.getloadavg()[0]},
           "usersSeconds": sum(c["seconds"] for m in modes for c in m.checks), "settleSeconds": spent["settle"],
           "revealSeconds": spent["reveal"], "sweepSeconds": spent["sweep"],
           "itemsKeptForPendingOrphans": table.kept_for_pending, "modes": {}, "incident": incidents,
           "sweepLoad": load}
    for m in modes:
        x = seen[m.mode]
        out["modes"][m.mode] = mixed_figures(m, table, x)
    return out


def sweep_figures(sweeps):
    """The erase sweep's runs, grouped by how many orphans were pending: invocation ms and DynamoDB calls."""
    by = {}
    for s in sweeps:
        by.setdefault(s["pendingBefore"], []).append(s)
    return {str(n): {"runs": len(v), "msMedian": statistics.median(s["ms"] for s in v),
                     "msMax": max(s["ms"] for s in v),
                     "ddbMsMedian": statistics.median(s["ddbMs"] for s in v),
                     "ddbReads": statistics.median(s["ddbReads"] for s in v),
                     "ddbWrites": statistics.median(s["ddbWrites"] for s in v),
                     "ddbWriteItems": statistics.median(s["ddbWriteItems"] for s in v),
                     "ddbOps": v[-1]["ddbOps"], "orphansDeleted": sum(s["report"]["orphansDeleted"] for s in v)}
            for n, v in sorted(by.items())}


def mixed_figures(m, table, seen):
    """One mode's figures from what the simulator, the table, the client and the functions' logs saw up to
    seen["until"] (the end of the measured checks, their orphans' callbacks and the sweep after them)."""
    given, account_requests, deletes, live = seen["given"], seen["requests"], seen["deletes"], seen["live"]
    callbacks, until, sweeps = seen["callbacks"], seen["until"], seen["sweeps"]
    n = len(m.checks)
    accepted = [c for c in m.checks if c["accepted"]]
    mine = [a for a in given if m.owns(a["customerInternalReference"])]
    met, met_all = {}, {}
    for a in mine:  # check index -> the first ambiguous answer it met, and all of them
        met.setdefault(m.index(a["customerInternalReference"]), a["answer"])
        met_all.setdefault(m.index(a["customerInternalReference"]), []).append(a["answer"])
    requests = [r for r in account_requests if m.owns((r.get("body") and json.loads(r["body"]) or {})
                                                     .get("customerInternalReference"))]
    orphans = {a["workflowExecutionId"] for a in mine}
    live_mine = [w for w in live if m.owns(w["customerInternalReference"])]
    live_orphans = [w["workflowExecutionId"] for w in live_mine if w["workflowExecutionId"] not in table.owned]
    check_ids = {c["checkId"] for c in m.checks if c["checkId"]}
    product_attempts = sum(len(v) for k, v in table.attempts.items() if k in check_ids)
    seconds = [c["seconds"] for c in m.checks]
    met_seconds = [m.checks[i]["seconds"] for i in met]
    by_answer = {}
    for i, answer in met.items():
        by_answer.setdefault(answer, []).append(m.checks[i]["seconds"])
    tries = [len(c["tries"]) for c in m.checks]
    told = {}
    for c in m.checks:
        for t in c["tries"][:-1]:
            told[str(t)] = told.get(str(t), 0) + 1
    return {
        "checks": n, "accepted": len(accepted), "failed": n - len(accepted),
        "failedAnswers": [c["tries"][-1] for c in m.checks if not c["accepted"]],
        "accountRequests": len(requests), "workflowsPerCheck": len(requests) / n if n else float("nan"),
        "ambiguousAnswers": len(mine),
        "ambiguousByAnswer": {k: sum(1 for a in mine if a["answer"] == k) for k in sorted({a["answer"] for a in mine})},
        "ambiguousSeenByProduct": product_attempts,
        "ambiguousLogLines": m.log_lines("initiate", "account request answered ambiguously", until=until),
        "checksMetAmbiguous": len(met),
        "initiateInvocationsPerCheck": sum(tries) / n if n else float("nan"),
        "retriesTold": told,
        "callbackAnswers": callbacks, "callbackRedeliveries": seen["redeliveries"],
        "orphansFound": callbacks.get("ORPHAN_FOUND", 0),
        "orphanFoundLogLines": m.log_lines("callback", "orphan workflow found:", until=until),
        "callbackUrlSigs": dict(m.sigs),
        "sweeps": len(sweeps), "orphansDeletedBySweeps": sum(x["report"]["orphansDeleted"] for x in sweeps),
        "pendingOrphansAfterLastSweep": sweeps[-1]["report"]["pendingOrphans"] if sweeps else None,
        "sweepCost": sweep_figures(sweeps), "sweepRuns": sweeps,
        "orphanDeletedLogLines": m.log_lines("erase", "orphan workflow deleted:", until=until),
        "tokenRequestsByClient": seen["tokenClients"],
        "orphansDeletedAtJumio": sum(1 for w in orphans if deletes.get(w, 0) > 0),
        "deleteRequests": sum(deletes.get(w, 0) for w in orphans),
        "liveWorkflowsAtEnd": len(live_mine), "liveOrphansAtEnd": len(live_orphans), "liveOrphanIds": live_orphans,
        "latencyMs": dist(seconds) if seconds else None,
        "metAmbiguousLatencyMs": dist(met_seconds) if met_seconds else None,
        "metAmbiguousLatencyMsByAnswer": {k: dist(v) for k, v in sorted(by_answer.items())},
        "otherChecksLatencyMs": dist([c["seconds"] for c in m.checks if c["i"] not in met]) if n > len(met) else None,
        "checksThatMetOne": [{"i": i, "met": met_all[i], "ms": m.checks[i]["seconds"] * 1000,
                              "answers": m.checks[i]["tries"], "retryAfter": m.checks[i]["waits"]}
                             for i in sorted(met)],
    }


def mixed_table(mx):
    """The mixed run's figures, one column per mode."""
    modes = list(mx["modes"])
    short = {"BAD_GATEWAY": "502", "GATEWAY_TIMEOUT": "504", "CUT_BODY": "cut body", "NO_ANSWER": "no answer",
             "NO_DATA_CREDENTIAL": "no DATA credential"}
    total = sum(mx["mix"].values()) or 1
    mix = ", ".join(f"{short.get(k, k)} {v * 100 / total:.0f}%" for k, v in mx["mix"].items())
    lines = [f"Mixed run ({mx['kind']}; {mx['checks']} checks per mode after {mx['warmupChecks']} warm-up checks, the "
             f"modes' checks alternating): {mx['fraction']:.1%} of processed account requests answered ambiguously "
             f"(seed {mx['seed']}; {mix}; 'no answer' held {mx['noAnswerMillis'] / 1000:.0f} s, the product gives up "
             f"at its 8 s call timeout); clients retry as told (503/409: wait Retry-After, same request, same key); "
             f"orphans revealed by TOKEN_EXPIRED callbacks (which record them) every {mx['revealEvery']} checks and "
             f"at the end, the erase sweep ({{\"sweep\": true}}) run {mx.get('sweepSchedule', '?')}. "
             f"{mx['measuredSeconds']:.0f} s measured, {mx['wallSeconds']:.0f} s in all"
             + (f"; load average {mx['loadAverage']['start']:.1f} at start, {mx['loadAverage']['endOfMeasured']:.1f} "
                f"after the measured checks" if mx.get("loadAverage") else "") + ".",
             f"  {'JUMIO_AMBIGUOUS_START':46}" + "".join(f"{m:>16}" for m in modes)]

    def row(label, fmt, note=""):
        cells = []
        for m in modes:
            try:
                cells.append(f"{fmt(mx['modes'][m]):>16}")
            except (KeyError, TypeError):
                cells.append(f"{'–':>16}")
        lines.append(f"  {label:46}" + "".join(cells) + (f"   {note}" if note else ""))

    def by(x):
        return "/".join(str(x["ambiguousByAnswer"].get(k, 0)) for k in ("BAD_GATEWAY", "GATEWAY_TIMEOUT", "CUT_BODY",
                                                                        "NO_ANSWER"))

    row("checks accepted (202) / failed", lambda x: f"{x['accepted']} / {x['failed']}")
    row("account requests = workflows created", lambda x: x["accountRequests"])
    row("workflows created per check", lambda x: f"{x['workflowsPerCheck']:.3f}")
    row("ambiguous answers (502/504/cut/none)", lambda x: f"{x['ambiguousAnswers']} ({by(x)})")
    row("  recorded by the product (startAttempts)", lambda x: x["ambiguousSeenByProduct"])
    row("  product log lines 'answered ambiguously'", lambda x: x["ambiguousLogLines"])
    row("checks that met one", lambda x: x["checksMetAmbiguous"])
    row("initiate invocations per check", lambda x: f"{x['initiateInvocationsPerCheck']:.3f}")
    row("orphans found (callback: ORPHAN_FOUND)", lambda x: x["orphansFound"])
    row("  callback log lines 'orphan workflow found'", lambda x: x["orphanFoundLogLines"])
    row("  their callback URLs: sig = bench's HMAC", lambda x: f"{x['callbackUrlSigs']['matched']} of "
                                                               f"{x['callbackUrlSigs']['compared']}")
    row("erase sweeps run", lambda x: x["sweeps"])
    row("orphans deleted (sweep reports)", lambda x: x["orphansDeletedBySweeps"])
    row("  erase log lines 'orphan workflow deleted'", lambda x: x["orphanDeletedLogLines"])
    row("  orphans DELETEd at the simulator", lambda x: f"{x['orphansDeletedAtJumio']} ({x['deleteRequests']} req)")
    row("  pending orphans after the last sweep", lambda x: x["pendingOrphansAfterLastSweep"], "target 0")
    row("other callback answers", lambda x: ", ".join(f"{k} {v}" for k, v in x["callbackAnswers"].items()
                                                      if k != "ORPHAN_FOUND") or "none")
    row("live orphans at the end", lambda x: x["liveOrphansAtEnd"], "target 0")
    row("token requests by client", lambda x: ", ".join(f"{k} {v}" for k, v in x["tokenRequestsByClient"].items())
        or "none")
    row("user's time per check p50 / p99 ms", lambda x: f"{x['latencyMs']['p50']:.0f} / {x['latencyMs']['p99']:.0f}")
    row("  mean / max ms", lambda x: f"{x['latencyMs']['mean']:.0f} / {x['latencyMs']['max']:.0f}")
    row("  checks that met no ambiguous answer p50/p99",
        lambda x: f"{x['otherChecksLatencyMs']['p50']:.0f} / {x['otherChecksLatencyMs']['p99']:.0f}")
    row("  checks that met one: p50 / p99 ms",
        lambda x: f"{x['metAmbiguousLatencyMs']['p50']:.0f} / {x['metAmbiguousLatencyMs']['p99']:.0f}")
    for k in ("BAD_GATEWAY", "GATEWAY_TIMEOUT", "CUT_BODY", "NO_ANSWER", "NO_DATA_CREDENTIAL"):
        if any(k in mx["modes"][m]["metAmbiguousLatencyMsByAnswer"] for m in modes):
            row(f"    first met {short[k]}: median ms (n)",
                lambda x, k=k: f"{x['metAmbiguousLatencyMsByAnswer'][k]['p50']:.0f} "
                               f"({x['metAmbiguousLatencyMsByAnswer'][k]['n']})")
    inc = mx.get("incident") or {}
    if inc:
        secs = next(iter(inc.values()))["seconds"]
        lines.append(f"  Incident: for {secs:g} s every account request is processed and answered 502; one check "
                     f"starts with it, its client retrying as told, then one more check after it:")

        def outcome(c):
            return (f"accepted after {c['ms'] / 1000:.1f} s" if c["accepted"] else
                    f"FAILED after {c['ms'] / 1000:.1f} s") + f" (answers {' '.join(str(a) for a in c['answers'])})"

        for m in modes:
            x = inc.get(m)
            if x:
                lines.append(f"    {m}: the check {outcome(x['check'])}; {x['ambiguousAnswers']} ambiguous answers = "
                             f"orphans, {x['orphansFound']} found, {x['orphansDeletedBySweep']} deleted by the sweep "
                             f"({x['orphansDeletedAtJumio']} DELETEd at the simulator), {x['liveOrphansAtEnd']} live "
                             f"at the end; the next check {outcome(x['checkAfter'])}")
    lines.append("  The erase sweep, by orphans pending when it ran (invocation = Runtime API hand-out -> answer; its "
                 "Jumio calls go straight to the simulator):")
    for m in modes:
        for n, c in mx["modes"][m].get("sweepCost", {}).items():
            lines.append(f"    {m}, {n} pending: {c['runs']} runs, median {c['msMedian']:.1f} ms (max {c['msMax']:.1f}, "
                         f"DynamoDB {c['ddbMsMedian']:.1f}); DynamoDB {c['ddbReads']:.0f} reads, {c['ddbWrites']:.0f} "
                         f"writes ({c['ddbWriteItems']:.0f} items) {json.dumps(c['ddbOps'])}")
    for m in modes:
        x = inc.get(m)
        if x and x.get("sweep"):
            w = x["sweep"]
            lines.append(f"    {m} incident sweep, {w['pendingBefore']} pending: {w['ms']:.1f} ms; DynamoDB "
                         f"{w['ddbReads']} reads, {w['ddbWrites']} writes ({w['ddbWriteItems']} items)")
    load = mx.get("sweepLoad")
    if load:
        for label, w in (("one sweep", load["sweep"]), ("the next sweep", load["sweepAfter"])):
            lines.append(f"    load ({load['mode']}, {load['checks']} checks that met only 502s, {load['orphansFound']} "
                         f"orphans found), {label}: {w['pendingBefore']} pending, {w['report']['orphansDeleted']} "
                         f"deleted, {w['report']['pendingOrphans']} left; {w['ms']:.1f} ms (DynamoDB {w['ddbMs']:.1f}); "
                         f"DynamoDB {w['ddbReads']} reads, {w['ddbWrites']} writes ({w['ddbWriteItems']} items) "
                         f"{json.dumps(w['ddbOps'])}")
    if mx.get("itemsKeptForPendingOrphans"):
        lines.append(f"  {mx['itemsKeptForPendingOrphans']} table items were kept past a sweep for orphans still pending")
    if mx.get("strayExpiredWorkflows"):
        lines.append(f"  {mx['strayExpiredWorkflows']} expired workflows carried no mode's reference (not delivered)")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- JFR (BENCH_PROFILE=jfr)
def jfr_summary(path, phases):
    """.ci/bench/JfrPhases.java over one recording: samples per component and the hottest methods, per phase."""
    if not path or not os.path.exists(path):
        return None
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench", "JfrPhases.java")
    args = [f"{name}={int(a * 1000)}:{int(b * 1000)}" for name, (a, b) in phases.items() if a and b]
    r = subprocess.run([CFG["java"], src, path, *args], capture_output=True, text=True)
    if r.returncode != 0:
        log(f"JFR summary of {path} failed: {r.stderr.strip()[:500]}")
        return None
    return json.loads(r.stdout)


def jfr_profiles(res, variants):
    out = {}
    for kind, fs in res["cold"].items():
        for f, c in fs.items():
            run = c["runs"][-1]
            w = run["wall"]
            s = jfr_summary(run["jfr"], {"init": (w["start"], w["initEnd"]), "first invocation": (w["initEnd"], w["answered"])})
            if s:
                out.setdefault(kind, {}).setdefault(f, {}).update(s)
    for v in variants:
        if v["variant"] != "product":
            continue
        for f in FUNCTIONS:
            w = v["wall"].get(f)
            if w:
                s = jfr_summary(v["jfr"][f], {"warm": (w["start"], w["end"])})
                if s:
                    out.setdefault(v["kind"], {}).setdefault(f, {}).update(s)
    return out


# ------------------------------------------------------------------------------------------- pacing scenario
# Issue 16: PACING_CHECKS checks offered at once to PACING_CONTAINERS initiate containers (separate processes) while
# the simulator enforces Jumio's account limit (PACING_RATE/s, burst PACING_BURST: 429 with Retry-After above it).
# Run with the product's pacing off (JUMIO_ACCOUNT_RATE_PER_SECOND=0, "off": the product meets the 429s and retries
# them itself) and on (the same rate and burst, "on": a token bucket shared through DynamoDB). Refusals per check,
# throughput, what the users waited and workflows per check. docs/performance-method.md, "The pacing scenario".
ONLY_PACING = bool(os.environ.get("ONLY_PACING"))
PACING = (os.environ.get("PACING", "1") != "0" or ONLY_PACING) and not os.environ.get("ONLY_COLD") and not ONLY_MIXED
PACING_CHECKS = int(os.environ.get("PACING_CHECKS", "30"))
PACING_CONTAINERS = int(os.environ.get("PACING_CONTAINERS", "5"))
PACING_RATE = float(os.environ.get("PACING_RATE", "1"))
PACING_BURST = int(os.environ.get("PACING_BURST", "5"))
PACING_WARMUP = int(os.environ.get("PACING_WARMUP", "2"))  # checks per container before, the limit off
PACING_SETTINGS = [x.strip() for x in os.environ.get("PACING_SETTINGS", "off,on").split(",") if x.strip()]
# A client waits out the whole queue: with Retry-After 1 s, the last of 30 checks at 1/s is told to wait about 25 times.
PACING_MAX_TRIES = int(os.environ.get("PACING_MAX_TRIES", str(max(PACING_CHECKS, CLIENT_MAX_TRIES))))
PACING_TARGET_REFUSALS = 0.3
PACING_AT_LIMIT = 0.9  # "at the limit": at least this share of the limiter's best throughput for the checks


def pacing_env(setting):
    rate = "0" if setting == "off" else f"{PACING_RATE:g}"
    return {"JUMIO_ACCOUNT_RATE_PER_SECOND": rate, "JUMIO_ACCOUNT_BURST": str(PACING_BURST)}


def limiter_best(n):
    """The most checks per second a limiter of PACING_RATE/s and burst PACING_BURST lets through for n checks offered
    at once: the burst at once, the rest at the rate (the last at (n - burst) / rate seconds)."""
    return n / ((n - PACING_BURST) / PACING_RATE) if n > PACING_BURST else float("inf")


class PacingRun:
    """One kind and setting: PACING_CONTAINERS initiate processes behind one queue of invocations (an event goes to
    whichever container is free, as Lambda routes to a warm one at a reserved concurrency of PACING_CONTAINERS), and
    PACING_CHECKS clients, each a thread: POST /checks with an Idempotency-Key; on 503, 409 or 429 with Retry-After,
    wait as told and send the same request, up to PACING_MAX_TRIES answers. The functions call the simulator
    directly (no timing proxy: nothing here needs the calls' times)."""

    def __init__(self, kind, setting):
        self.kind, self.setting = kind, setting
        self.tag = f"pacing-{kind}-{setting}-{uuid.uuid4().hex[:6]}"
        self.env = pacing_env(setting)
        self.apis = [RuntimeApi("initiate") for _ in range(PACING_CONTAINERS)]
        self.procs = []

    def start(self):
        self.procs = [launch(self.kind, "initiate", a, tag=f"{self.tag}-{k}", jumio=CFG["sim"], extra_env=self.env)
                      for k, a in enumerate(self.apis)]

    def warm_up(self):
        """Each container its own PACING_WARMUP checks, the containers side by side (the simulator has no limit yet)."""
        failed = []

        def one(k, api):
            try:
                for j in range(PACING_WARMUP):
                    _, what, ans = api.invoke(initiate_event(f"{k}-{j}", self.tag + "-warm"))
                    expect("initiate", what, ans, f"pacing warm-up ({self.kind}, {self.setting})")
            except BaseException as e:  # reported in the main thread
                failed.append(e)

        threads = [threading.Thread(target=one, args=(k, a), daemon=True) for k, a in enumerate(self.apis)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failed:
            raise SystemExit(f"pacing warm-up ({self.kind}, {self.setting}): {failed[0]}")

    def offer(self):
        """All checks offered at once; returns each client's record (times from the common first offer)."""
        free = queue.Queue()
        for a in self.apis:
            free.put(a)
        go = threading.Event()
        t0 = [0.0]
        out = [None] * PACING_CHECKS

        def client(i):
            go.wait()
            tries, waits = [], []
            ans, what = None, None
            while True:
                event = initiate_event(i, self.tag)
                event["headers"]["idempotency-key"] = f"key-{self.tag}-{i}"
                api = free.get()
                try:
                    _, what, ans = api.invoke(event)
                except SystemExit as e:
                    what, ans = "timeout", str(e)
                finally:
                    free.put(api)
                status = answer_status(ans)
                tries.append(status if what == "response" else what)
                wait = answer_header(ans, "retry-after")
                if (what == "response" and status in (503, 409, 429) and wait is not None
                        and len(tries) < PACING_MAX_TRIES):
                    waits.append(float(wait))
                    time.sleep(float(wait))
                    continue
                break
            body = answer_body(ans)
            out[i] = {"i": i, "seconds": time.perf_counter() - t0[0], "tries": tries, "waits": waits,
                      "accepted": what == "response" and answer_status(ans) == 202, "checkId": body.get("checkId")}

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(PACING_CHECKS)]
        for t in threads:
            t.start()
        t0[0] = time.perf_counter()
        go.set()
        for t in threads:
            t.join()
        return out

    def run(self, moto):
        sim_admin("reset", {})
        sim_admin("config", SIM_CONFIG)
        self.start()
        try:
            self.warm_up()
            # A clean slate: no items (the product's shared bucket, if it keeps one, starts full), the simulator's
            # records cleared and its account limit on with a full bucket.
            moto.purge()
            sim_admin("reset", {})
            sim_admin("config", dict(SIM_CONFIG, accountRatePerSecond=PACING_RATE, accountBurst=PACING_BURST))
            t = time.time()
            checks = self.offer()
            wall = time.time() - t
            mine = lambda ref: (ref or "").startswith(f"bench-{self.tag}-")
            requests = {}
            for r in (sim_admin("requests", query="?endpoint=ACCOUNT_CREATE")
                      + sim_admin("requests", query="?endpoint=ACCOUNT_UPDATE")):
                body = json.loads(r.get("body") or "{}") if (r.get("body") or "").startswith("{") else {}
                ref = body.get("customerInternalReference")
                if mine(ref):
                    requests[ref] = requests.get(ref, 0) + 1
            workflows = {}
            for w in sim_admin("workflows"):
                if mine(w["customerInternalReference"]):
                    ref = w["customerInternalReference"]
                    workflows[ref] = workflows.get(ref, 0) + 1
        finally:
            for p, logf in self.procs:
                stop(p, logf)
            for a in self.apis:
                a.close()
            sim_admin("reset", {})
            sim_admin("config", SIM_CONFIG)
            moto.purge()
        return self.figures(checks, requests, workflows, wall)

    def figures(self, checks, requests, workflows, wall):
        """Refusals: the account requests the simulator received less the workflows it started (with no ambiguous
        answers, an account request that passed its limit starts exactly one workflow; one refused starts none)."""
        n = len(checks)
        accepted = [c for c in checks if c["accepted"]]
        refs = [f"bench-{self.tag}-{i}" for i in range(n)]
        refusals = [requests.get(r, 0) - workflows.get(r, 0) for r in refs]
        last = max((c["seconds"] for c in accepted), default=float("nan"))
        told, final = {}, {}
        for c in checks:
            for a in c["tries"][:-1]:
                told[str(a)] = told.get(str(a), 0) + 1
            final[str(c["tries"][-1])] = final.get(str(c["tries"][-1]), 0) + 1
        return {"kind": self.kind, "setting": self.setting, "env": self.env, "checks": n, "accepted": len(accepted),
                "containers": PACING_CONTAINERS, "accountRequests": sum(requests.values()),
                "refusals": sum(refusals), "refusalsPerCheck": sum(refusals) / n, "maxRefusalsOneCheck": max(refusals),
                "workflows": sum(workflows.values()), "workflowsPerCheck": sum(workflows.values()) / n,
                "checksWithDuplicates": sum(1 for r in refs if workflows.get(r, 0) > 1),
                "checksPerSecond": len(accepted) / last if accepted else 0.0,
                "atLimitChecksPerSecond": PACING_AT_LIMIT * limiter_best(n),
                "lastAcceptedSeconds": last, "latencyMs": dist([c["seconds"] for c in accepted] or [float("nan")]),
                "initiateAnswersPerCheck": sum(len(c["tries"]) for c in checks) / n, "retriesTold": told,
                "finalAnswers": final,
                "wallSeconds": wall}


def pacing_scenario(kinds, moto):
    out = {"checks": PACING_CHECKS, "containers": PACING_CONTAINERS, "accountRatePerSecond": PACING_RATE,
           "accountBurst": PACING_BURST, "warmupPerContainer": PACING_WARMUP, "clientMaxTries": PACING_MAX_TRIES,
           "limiterBestChecksPerSecond": limiter_best(PACING_CHECKS), "atLimitShare": PACING_AT_LIMIT, "kinds": {}}
    for kind in kinds:
        for setting in PACING_SETTINGS:
            log(f"pacing: {kind}, pacing {setting} ({pacing_env(setting)}): {PACING_CHECKS} checks at once to "
                f"{PACING_CONTAINERS} containers, the simulator at {PACING_RATE:g}/s burst {PACING_BURST}")
            r = PacingRun(kind, setting).run(moto)
            out["kinds"].setdefault(kind, {})[setting] = r
            log(f"  {r['refusalsPerCheck']:.2f} refusals per check, {r['checksPerSecond']:.2f} checks/s, "
                f"p50/p99 {r['latencyMs']['p50']:.0f}/{r['latencyMs']['p99']:.0f} ms, "
                f"{r['workflowsPerCheck']:.3f} workflows per check, {r['accepted']}/{r['checks']} accepted")
    return out


def pacing_table(pc):
    lines = [f"Pacing (issue 16): {pc['checks']} checks offered at once to {pc['containers']} initiate containers per "
             f"kind ({pc['warmupPerContainer']} warm-up checks each before); the simulator allows "
             f"{pc['accountRatePerSecond']:g} account request/s, burst {pc['accountBurst']} (above: 429 with "
             f"Retry-After); clients retry 503/409/429 as Retry-After says, up to {pc['clientMaxTries']} answers. "
             f"Throughput = checks accepted / (first offer -> last 202); the limiter's best is "
             f"{pc['limiterBestChecksPerSecond']:.2f}/s, 'at the limit' >= {pc['atLimitShare']:.0%} of it. "
             f"Refusals = account requests the simulator received - workflows it started.",
             f"  {'kind, pacing':22}{'refusals/check':>15}{'(max)':>6}{'checks/s':>9}{'p50 ms':>8}{'p99 ms':>8}"
             f"{'wf/check':>9}{'dup':>4}{'answers/check':>14}{'accepted':>9}  answers that said retry"]
    for kind in KINDS_ORDER:
        for setting, r in pc["kinds"].get(kind, {}).items():
            env = r["env"]["JUMIO_ACCOUNT_RATE_PER_SECOND"]
            lines.append(f"  {kind + ', ' + setting + ' (' + env + '/s)':22}{r['refusalsPerCheck']:15.2f}"
                         f"{r['maxRefusalsOneCheck']:6d}{r['checksPerSecond']:9.2f}{r['latencyMs']['p50']:8.0f}"
                         f"{r['latencyMs']['p99']:8.0f}{r['workflowsPerCheck']:9.3f}{r['checksWithDuplicates']:4d}"
                         f"{r['initiateAnswersPerCheck']:14.2f}{r['accepted']:>5}/{r['checks']:<3}  "
                         + (", ".join(f"{k} {v}" for k, v in r["retriesTold"].items()) or "none"))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- headline and targets
def headline(res):
    """The issue's figures, per kind: what a user pays, each a number that a later run can be held against."""
    h = {}
    for kind in KINDS_ORDER:
        c = res.get("cold", {}).get(kind)
        w = next((v for v in res.get("warm", []) if v["kind"] == kind and v["variant"] == "product"), None)
        if not c:
            continue
        # The issue's figure: process start to the first answer less the time spent inside moto and the simulator
        # during the first invocation (calls made during init, such as the token fetched ahead, are not taken off).
        ci = c["initiate"]
        h[kind] = {"firstInitiateAnswerMs": ci["totalMs"], "firstInitiateInitMs": ci["initMs"],
                   "firstInitiateOwnMs": ci["totalMs"] - (ci.get("ddbMs") or 0) - (ci.get("jumioMs") or 0),
                   "rssAfterFirstAnswerMb": c["initiate"]["rssMb"],
                   "firstInvocationMs": c["initiate"]["firstInvocationMs"]}
        if w:
            h[kind].update({"warmInitiateOwnP50Ms": w["functions"]["initiate"]["ownMs"]["p50"],
                            "warmInitiateOwnP99Ms": w["functions"]["initiate"]["ownMs"]["p99"],
                            "warmRetrieveOwnP50Ms": w["functions"]["retrieve"]["ownMs"]["p50"]})
    primed = res.get("cold", {}).get("jvm-snapstart", {}).get("initiate")
    if primed and "jvm" in h:
        h["jvm"]["firstInvocationPrimedMs"] = primed["firstInvocationMs"]
    for kind, runs in (res.get("pacing") or {}).get("kinds", {}).items():
        for name, r in runs.items():
            h.setdefault(kind, {}).update({
                f"pacing{name.capitalize()}RefusalsPerCheck": r["refusalsPerCheck"],
                f"pacing{name.capitalize()}ChecksPerSecond": r["checksPerSecond"],
                f"pacing{name.capitalize()}LatencyP50Ms": r["latencyMs"]["p50"],
                f"pacing{name.capitalize()}LatencyP99Ms": r["latencyMs"]["p99"],
                f"pacing{name.capitalize()}WorkflowsPerCheck": r["workflowsPerCheck"],
                f"pacing{name.capitalize()}AtLimitChecksPerSecond": r["atLimitChecksPerSecond"]})
    return h


def pacing_cell(h, setting):
    if f"pacing{setting}RefusalsPerCheck" not in h:
        return "–"
    return f"{h[f'pacing{setting}RefusalsPerCheck']:.2f}, {h[f'pacing{setting}ChecksPerSecond']:.2f}/s"


# (label, cell format over a kind's headline, kinds the target applies to, test, target text, loopback-only)
ROWS = [
    ("process start to first `initiate` answer, less the servers' time (as measured: init + first invocation)",
     lambda h: f"{h['firstInitiateOwnMs']:,.0f} ms ({h['firstInitiateAnswerMs']:,.0f}: "
               f"{h['firstInitiateInitMs']:,.0f} + {h['firstInvocationMs']:,.0f} ms)",
     ("native",), lambda h: h["firstInitiateOwnMs"] <= 80, "native ≤ 80 ms", True),
    ("resident memory after the first answer", lambda h: f"{h['rssAfterFirstAnswerMb']:.0f} MB",
     ("native",), lambda h: h["rssAfterFirstAnswerMb"] <= 64, "native ≤ 64 MB", False),
    ("warm `initiate`, own time p50 / p99",
     lambda h: f"{h['warmInitiateOwnP50Ms']:.1f} / {h['warmInitiateOwnP99Ms']:.1f} ms",
     ("native", "jvm"), lambda h: h["warmInitiateOwnP50Ms"] <= 5 and h["warmInitiateOwnP99Ms"] <= 10,
     "≤ 5 / ≤ 10 ms, both", True),
    ("warm `retrieve`, own time p50", lambda h: f"{h['warmRetrieveOwnP50Ms']:.1f} ms",
     ("native", "jvm"), lambda h: h["warmRetrieveOwnP50Ms"] <= 2, "≤ 2 ms, both", True),
    ("JVM first invocation after init (what a SnapStart restore pays): unprimed / primed",
     lambda h: f"{h['firstInvocationMs']:,.0f} / " + (f"{h['firstInvocationPrimedMs']:,.0f} ms"
                                                      if "firstInvocationPrimedMs" in h else "– ms"),
     ("jvm",), lambda h: h.get("firstInvocationPrimedMs", h["firstInvocationMs"]) <= 250, "≤ 250 ms (primed)", True),
    ("pacing: refusals per check, checks/s; pacing on (off)",
     lambda h: pacing_cell(h, "On") + " (" + pacing_cell(h, "Off") + ")",
     ("native", "jvm"), lambda h: h["pacingOnRefusalsPerCheck"] < 0.3
     and h["pacingOnChecksPerSecond"] >= h["pacingOnAtLimitChecksPerSecond"],
     "< 0.3 at the limit", False),
]


def cell(fmt, h):
    try:
        return fmt(h) if h else "–"
    except KeyError:
        return "–"


def verdicts(h):
    out = []
    for label, fmt, kinds, test, target, loop in ROWS:
        per = {}
        for k in kinds:
            try:
                per[k] = test(h[k]) if k in h else None
            except KeyError:
                per[k] = None
        known = {k: v for k, v in per.items() if v is not None}
        if not known:
            text = "not measured"
        elif len(set(known.values())) == 1:
            text = ("met" if next(iter(known.values())) else "missed")
            if len(kinds) > 1 and len(known) < len(kinds):
                text += " (" + ", ".join(k for k in kinds if k not in known) + " not measured)"
        else:
            text = ", ".join(f"{'JVM' if k == 'jvm' else k} {'met' if v else 'missed'}" for k, v in known.items())
        out.append({"figure": label, "target": target, "verdict": text, "perKind": per, "loopbackOnly": loop})
    return out


def target_table(res, before=None):
    h = res["headline"]
    # Recomputed from the earlier run's data where it has them, so that a figure defined since is shown for it too.
    hb = (headline(before) if before.get("cold") else before.get("headline")) if before else None
    head = ["figure"]
    for k, name in (("native", "native"), ("jvm", "JVM")):
        if hb is not None:
            head.append(f"{name} before")
        head.append(f"{name} now")
    head += ["target", ""]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (label, fmt, kinds, test, target, loop), v in zip(ROWS, verdicts(h)):
        cells = [label + (" ‡" if loop else "")]
        for k in ("native", "jvm"):
            shown = fmt if (k in kinds or label.startswith("process") or label.startswith("resident")) else None
            if hb is not None:
                cells.append(cell(shown, hb.get(k)) if shown else "")
            cells.append(cell(shown, h.get(k)) if shown else "")
        cells += [target, v["verdict"]]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("‡ holds only on this machine's loopback: the figure includes or subtracts calls to moto and the "
                 "simulator over plain HTTP on 127.0.0.1 (no TLS, no network round trip).")
    for name, r in (("before", before), ("now", res)):
        if r is None:
            continue
        runs = r.get("mergedRuns")
        if runs:
            lines.append(f"{name}: medians of {len(runs)} runs (" + "; ".join(
                f"{x['date']}, load {x['load'][0]:.1f}-{x['load'][1]:.1f}" for x in runs) + ")")
            spread = []
            for kind in ("native", "jvm"):
                for key, unit in (("firstInitiateAnswerMs", "ms"), ("warmInitiateOwnP50Ms", "ms")):
                    vals = [x["headline"][kind][key] for x in runs if key in x["headline"].get(kind, {})]
                    if vals:
                        spread.append(f"{'JVM' if kind == 'jvm' else kind} {key} {min(vals):,.1f}-{max(vals):,.1f}")
            lines.append(f"  spread over the runs: {', '.join(spread)}")
        elif name == "before":
            lines.append(f"before: one run of {r.get('date')}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- output
def ordered_union(seqs):
    out = []
    for seq in seqs:
        prev = None
        for k in seq:
            if k not in out:
                out.insert(out.index(prev) + 1 if prev in out else len(out), k)
            prev = k
    return out


def table(res, before=None):
    lines = []
    m = res["machine"]
    s = res["settings"]
    lines.append(f"Machine: {m['cpus']} cores ({m['cpuModel']}), {m['memGb']:.0f} GiB, {m['java']}; {res['date']}; "
                 f"load average {m['loadAverageAtStart']:.1f} at start, {m.get('loadAverageAtEnd', 0):.1f} at end; "
                 + (f"RUNS={s['runs']} INVOCATIONS={s['invocations']} WARMUP={s['warmup']}" if res.get("cold")
                    else "the pacing scenario only (ONLY_PACING=1)" if res.get("pacing") and not res.get("mixed")
                    else "the mixed run only (ONLY_MIXED=1)")
                 + (f"; PROFILED ({s['profile']}): figures distorted by the profiler" if s.get("profile") else ""))
    lines.append("")
    for part, why in (res.get("failed") or {}).items():
        lines.append(f"FAILED, the {part} part: {why}")
        lines.append("")
    if not res.get("cold"):  # ONLY_MIXED=1 or ONLY_PACING=1
        lines.append(target_table(res, None))
        for key, part in (("pacing", pacing_table), ("mixed", mixed_table)):
            if res.get(key):
                lines.append("")
                lines.append(part(res[key]))
        return "\n".join(lines)
    lines.append(target_table(res, before))
    lines.append("")
    cold = res["cold"]
    lines.append(f"Cold start on each function's real path (median of {s['runs']}; init = process start -> first "
                 f"GET /next; first = that event -> its answer):")
    lines.append(f"  {'':23}{'init':>8}{'first':>8}{'total':>8}{'(best)':>8}{'RSS MB':>8}{'CPU ms':>8}"
                 f"{'DDB ms':>8}{'Jumio':>8}  calls in the first invocation")
    for kind in KINDS_ORDER + ("jvm-snapstart",):
        for f in FUNCTIONS:
            c = cold.get(kind, {}).get(f)
            if c:
                lines.append(f"  {kind + ' ' + f:23}{c['initMs']:8.0f}{c['firstInvocationMs']:8.0f}{c['totalMs']:8.0f}"
                             f"{c['totalMsBest']:8.0f}{c['rssMb']:8.0f}{c['cpuMs']:8.0f}{c['ddbMs']:8.1f}"
                             f"{c['jumioMs']:8.1f}  {' '.join(c['calls'])}"
                             + (f"  (init: {' '.join(c['initCalls'])})" if c["initCalls"] else "")
                             + (f"  OFF PATH in {c['offPathRuns']} of {len(c['runs'])} runs (missing "
                                f"{', '.join(sorted({m for r in c['runs'] for m in r['missing']}))})"
                                if c.get("offPathRuns") else ""))
    if "jvm-snapstart" in cold:
        c = cold["jvm-snapstart"].get("initiate", {})
        lines.append("  jvm-snapstart: the JVM's initiate started with AWS_LAMBDA_INITIALIZATION_TYPE=snap-start (as a "
                     "SnapStart init is), where the product primes; its 'first' is what a restore pays after restoring"
                     + (f"; the snapshot point (GET /restore/next) at {c['snapshotAtMs']:,.0f} ms, restored at once"
                        if c.get("snapshotAtMs") is not None else ""))
    for kind in KINDS_ORDER + ("jvm-snapstart",):
        c = cold.get(kind, {}).get("initiate")
        if c and "quarkusUpAtMs" in c:
            lines.append(f"  {kind} initiate: Quarkus logs 'started in {c['quarkusStartedMs']:.0f} ms' at "
                         f"{c['quarkusUpAtMs']:.0f} ms after process start (medians), "
                         + ("in the first invocation" if c["quarkusUpAtMs"] > c["initMs"] else "within init"))
    if "jvm" in cold:
        lines.append(f"  artifact {res.get('artifactMb', {}).get('jvm', 0):.0f} MB"
                     + (f", native binary {res['artifactMb']['native']:.0f} MB" if "native" in res.get("artifactMb", {})
                        else ""))
    warm = res.get("warm") or []
    if warm:
        lines.append("")
        lines.append(f"Warm, {s['invocations']} checks per variant after {s['warmup'] + 1} warm-up checks "
                     f"(latency = Runtime API hand-out -> answer; own = latency - DDB wait - Jumio wait; ms):")
        lines.append(f"  {'':24}{'p50':>7}{'p99':>7}{'DDB p50':>9}{'Jumio p50':>10}{'own p50':>9}{'own p99':>9}"
                     f"{'CPU/inv':>9}{'RSS MB':>8}")
        for v in warm:
            for f in FUNCTIONS:
                x = v["functions"][f]
                lines.append(f"  {v['variant'] + '/' + v['kind'] + ' ' + f:24}{x['latencyMs']['p50']:7.2f}"
                             f"{x['latencyMs']['p99']:7.2f}{x['ddbWaitMs']['p50']:9.2f}{x['jumioWaitMs']['p50']:10.2f}"
                             f"{x['ownMs']['p50']:9.2f}{x['ownMs']['p99']:9.2f}{x['cpuMsPerInvocation']:9.2f}"
                             f"{x['rssMb']['steady']:8.0f}")
        if "runtimeApiEchoMs" in res:
            e = res["runtimeApiEchoMs"]
            lines.append(f"  Runtime API stand-in, echo client: p50 {e['p50']:.2f}, p99 {e['p99']:.2f} (no function: "
                         f"part of every 'own' figure)")
        if "proxyHopMs" in res:
            hu = res["proxyHopMs"]["hopUnseenMs"]
            lines.append(f"  a proxied call's part outside the proxy's timing: p50 {hu['p50']:.2f}, mean {hu['mean']:.2f}"
                         f" per DDB/Jumio call (in 'own')")
        prod = warm[0]
        lines.append("")
        lines.append(f"Calls per invocation ({prod['variant']}/{prod['kind']}):")
        for f in FUNCTIONS:
            x = prod["functions"][f]
            lines.append(f"  {f:9} DynamoDB {x['ddbReads']:.2f} reads, {x['ddbWrites']:.2f} writes "
                         f"({x['ddbWriteItems']:.2f} items) {json.dumps(x['ddbOps'])}  Jumio {json.dumps(x['jumioCalls'])}")
        for v in warm:
            if v.get("routes"):
                lines.append(f"  routes ({v['variant']}/{v['kind']}, one probe in the warm-up): "
                             + ", ".join(f"{k} {a}" for k, a in v["routes"].items()))
        life = prod["lifecycle"]
        lines.append(f"  per check: {life['ddbWrites']:.2f} DynamoDB writes ({life['ddbWriteItems']:.2f} items), "
                     f"{life['ddbReads']:.2f} reads, {life['jumioCalls']:.2f} Jumio calls, "
                     f"{life['tokenCalls']:.3f} token calls")
        naive = next((v for v in warm if v["variant"] == "naive"), None)
        jvm = next((v for v in warm if v["variant"] == "product" and v["kind"] == "jvm"), None)
        if naive and jvm:
            lines.append(f"  naive baseline (a token per Jumio call), JVM: {naive['tokenCallsWholeRun']} token calls in "
                         f"{naive['checksWholeRun']} checks against {jvm['tokenCallsWholeRun']} for the product; "
                         f"initiate latency p50 {naive['functions']['initiate']['latencyMs']['p50']:.2f} against "
                         f"{jvm['functions']['initiate']['latencyMs']['p50']:.2f} ms (the simulator's token endpoint is "
                         f"local and instant)")
    lines.append("")
    lines.append("Where the time goes: each invocation's timeline as the Runtime API stand-in and the proxies see it "
                 "(median ms per step; 'own' = the function, its runtime client and loopback; ddb/jumio = held by the "
                 "proxy):")
    for f in FUNCTIONS:
        cols = []
        for kind in KINDS_ORDER:
            c = cold.get(kind, {}).get(f)
            if c:
                cols.append((f"{kind} cold", dict(c["segments"]), [k for k, _ in c["segments"]], c["initMs"]))
            v = next((v for v in warm if v["kind"] == kind and v["variant"] == "product"), None)
            if v:
                sg = v["functions"][f]["segments"]
                cols.append((f"{kind} warm", dict(sg), [k for k, _ in sg], None))
        if not cols:
            continue
        keys = ordered_union([c[2] for c in cols])
        lines.append(f"  {f:32}" + "".join(f"{c[0]:>13}" for c in cols))
        lines.append(f"  {'init (start -> first /next)':32}" + "".join(
            f"{c[3]:13.1f}" if c[3] is not None else f"{'':13}" for c in cols))
        for k in keys:
            lines.append(f"  {k[:32]:32}" + "".join(f"{c[1][k]:13.2f}" if k in c[1] else f"{'–':>13}" for c in cols))
    if res.get("jfr"):
        lines.append("")
        lines.append("JFR (BENCH_PROFILE=jfr): share of on-CPU samples by component, per phase (samples in brackets):")
        for kind, fs in res["jfr"].items():
            for f, phases in fs.items():
                for phase, p in phases.items():
                    total = sum(p["components"].values()) or 1
                    top = sorted(p["components"].items(), key=lambda kv: -kv[1])[:7]
                    lines.append(f"  {kind} {f} {phase} ({total} samples, {p.get('classesLoaded', 0)} classes loaded, "
                                 f"{p['gc']['count']} GCs {p['gc']['ms']:.0f} ms): "
                                 + ", ".join(f"{k} {v * 100 / total:.0f}%" for k, v in top))
                    lines.append("      hottest: " + ", ".join(f"{k.rsplit('.', 2)[-2]}.{k.rsplit('.', 1)[-1]} {v}"
                                                               for k, v in list(p["top"].items())[:5]))
    if res.get("pacing"):
        lines.append("")
        lines.append(pacing_table(res["pacing"]))
    if res.get("mixed"):
        lines.append("")
        lines.append(mixed_table(res["mixed"]))
    return "\n".join(lines)


def svg(res):
    """Left: cold start per function (init, then first invocation), per kind. Right: warm own time p50 (solid) and p99
    (pale) per function, per kind."""
    colour = {"native": "#6b46c1", "jvm": "#2b6cb0"}
    kinds = [k for k in KINDS_ORDER if k in res["cold"]]
    W, H = 900, 400
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             '<text x="10" y="20" font-size="14" font-weight="bold">Cold start and warm own time per function '
             '(ms), native and JVM</text>',
             f'<text x="10" y="38" fill="#555">{res["machine"]["cpus"]} shared cores, {res["date"]}; DynamoDB = moto, '
             f'Jumio = simulator, both on loopback</text>']

    def panel(x0, title, values, vmax, stacked, lines_at):
        y0, ph, pw = 70, 250, 360
        parts.append(f'<text x="{x0}" y="{y0 - 10}" font-weight="bold">{title}</text>')
        parts.append(f'<line x1="{x0}" y1="{y0 + ph}" x2="{x0 + pw}" y2="{y0 + ph}" stroke="#333"/>')
        for t in range(6):
            v = vmax * t / 5
            y = y0 + ph - ph * t / 5
            parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="#eee"/>'
                         f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{v:,.0f}</text>')
        for val, label in lines_at:
            if val < vmax:
                y = y0 + ph - ph * val / vmax
                parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="#2f855a" '
                             f'stroke-dasharray="4 3"/><text x="{x0 + pw + 3}" y="{y + 4:.1f}" '
                             f'fill="#2f855a" font-size="10">{label}</text>')
        group = pw / len(FUNCTIONS)
        bw = (group - 16) / max(1, len(kinds))
        for gi, f in enumerate(FUNCTIONS):
            gx = x0 + gi * group + 8
            for k, kind in enumerate(kinds):
                if (kind, f) not in values:
                    continue
                a, b = values[(kind, f)]
                ha, hb = ph * min(a, vmax) / vmax, ph * min(b, vmax) / vmax
                x = gx + k * bw
                if stacked:  # a = init, b = first invocation, stacked
                    parts.append(f'<rect x="{x:.1f}" y="{y0 + ph - ha:.1f}" width="{bw - 2:.1f}" height="{ha:.1f}" '
                                 f'fill="{colour[kind]}" fill-opacity="0.55"/>')
                    hb2 = ph * min(a + b, vmax) / vmax - ha
                    parts.append(f'<rect x="{x:.1f}" y="{y0 + ph - ha - hb2:.1f}" width="{bw - 2:.1f}" '
                                 f'height="{hb2:.1f}" fill="{colour[kind]}"/>')
                    top, text = ha + hb2, f"{a + b:,.0f}"
                else:  # a = p50 solid, b = p99 pale behind it
                    parts.append(f'<rect x="{x:.1f}" y="{y0 + ph - hb:.1f}" width="{bw - 2:.1f}" height="{hb:.1f}" '
                                 f'fill="{colour[kind]}" fill-opacity="0.35"/>')
                    parts.append(f'<rect x="{x:.1f}" y="{y0 + ph - ha:.1f}" width="{bw - 2:.1f}" height="{ha:.1f}" '
                                 f'fill="{colour[kind]}"/>')
                    top, text = hb, f"{a:.1f}"
                parts.append(f'<text x="{x + bw / 2 - 1:.1f}" y="{y0 + ph - top - 3:.1f}" text-anchor="middle" '
                             f'font-size="9">{text}</text>')
            parts.append(f'<text x="{gx + (group - 16) / 2:.1f}" y="{y0 + ph + 16}" text-anchor="middle">{f}</text>')

    cold = {(k, f): (res["cold"][k][f]["initMs"], res["cold"][k][f]["firstInvocationMs"])
            for k in kinds for f in FUNCTIONS if f in res["cold"][k]}
    vmax = max([a + b for a, b in cold.values()] + [100]) * 1.1
    panel(60, "cold start: init (pale) + first invocation (medians)", cold, vmax, True, [(80, "80")])
    warm = {}
    for v in res.get("warm") or []:
        if v["variant"] == "product":
            for f in FUNCTIONS:
                warm[(v["kind"], f)] = (v["functions"][f]["ownMs"]["p50"], v["functions"][f]["ownMs"]["p99"])
    if warm:
        vmax2 = max([b for _, b in warm.values()] + [12]) * 1.1
        panel(500, "warm own time: p50 (solid), p99 (pale)", warm, vmax2, False, [(2, "2"), (5, "5"), (10, "10")])
    for k, kind in enumerate(kinds):
        parts.append(f'<rect x="{60 + k * 120}" y="{H - 44}" width="12" height="12" fill="{colour[kind]}"/>'
                     f'<text x="{78 + k * 120}" y="{H - 34}">{kind}</text>')
    parts.append(f'<text x="60" y="{H - 12}" fill="#2f855a" font-size="11">dashed: targets. Native process start to '
                 f'first initiate answer ≤ 80 ms; own time: initiate p50 ≤ 5, p99 ≤ 10 ms; retrieve p50 ≤ 2 ms</text>')
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


def load_before():
    path = CFG.get("before")
    if path and os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return None


def write_outputs(res, before):
    text = table(res, before)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(OUT, "table.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(OUT, "chart.svg"), "w") as f:
        f.write(svg(res))
    return text


def artifact_sizes():
    out = {"jvm": sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(CFG["task_jvm"]) for f in fs) / 1e6}
    if CFG.get("task_native"):
        out["native"] = os.path.getsize(os.path.join(CFG["task_native"], "bootstrap")) / 1e6
    return out


def main():
    PROXIES["ddb"] = Proxy("ddb", "127.0.0.1", int(CFG["moto_port"]), ddb_label)
    sim_host, sim_port = CFG["sim"].split("//", 1)[1].split(":")
    jumio = PROXIES["jumio"] = Proxy("jumio", sim_host, int(sim_port), jumio_label)
    # The simulator builds the account answer's upload and finalize URLs from its own base URL: rewritten to the
    # proxy's, so that those calls come through it too (the JWTs are base64, so their issuer is untouched).
    jumio.rewrite = lambda data: data.replace(CFG["sim"].encode(), jumio.url.encode())
    moto = Moto(int(CFG["moto_port"]))
    sim_admin("reset", {})
    sim_admin("config", SIM_CONFIG)
    os.makedirs(OUT, exist_ok=True)
    before = load_before()
    res = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "machine": machine(), "settings": {"runs": RUNS, "invocations": N, "warmup": WARMUP, "profile": PROFILE,
                                              "memoryMb": MEMORY_MB,
                                              "jvmFlags": [re.sub(r"=/.*/", "=<work>/", f) for f in jvm_flags(MEMORY_MB["jvm"])]},
           "artifactMb": artifact_sizes(), "cold": {}, "warm": []}
    wanted = os.environ.get("BENCH_KINDS", "native,jvm").split(",")
    kinds = [k for k in (["native"] if CFG.get("task_native") else []) + ["jvm"] if k in wanted]
    t0 = time.time()

    def save():  # after every part, so that a failure later keeps what was measured
        res["headline"] = headline(res)
        res["targets"] = verdicts(res["headline"])
        with open(os.path.join(OUT, "results.json"), "w") as f:
            json.dump(res, f, indent=1)

    res["durations"] = {}
    if not ONLY_MIXED and not ONLY_PACING:
        log(f"cold starts: {', '.join(kinds)} x {', '.join(FUNCTIONS)}, {RUNS} runs each after one to warm the page "
            f"cache")
        res["cold"] = cold_starts(kinds, kinds[0], moto)
        res["durations"]["coldSeconds"] = time.time() - t0
        save()
    variants = []
    if not os.environ.get("ONLY_COLD") and not ONLY_MIXED and not ONLY_PACING:
        variants = [Variant(kind, "product", moto) for kind in kinds]
        if os.environ.get("NAIVE", "1") != "0" and "jvm" in kinds:
            naive_root = os.path.join(WORK, "task-naive")
            shutil.copytree(CFG["task_jvm"], naive_root, symlinks=True)
            shutil.copy(os.path.join(CFG["naive_classes"], "io", "jumiorisk", "jumio", "AccessTokens.class"),
                        os.path.join(naive_root, "io", "jumiorisk", "jumio", "AccessTokens.class"))
            variants.append(Variant("jvm", "naive", moto, naive_root))
        t1 = time.time()
        res["warm"] = warm(variants)
        for v in res["warm"]:
            for f in FUNCTIONS:
                if f in v["wall"]:
                    v["wall"][f]["end"] = time.time()
        res["durations"]["warmSeconds"] = time.time() - t1
        save()
        log("Runtime API stand-in, echo client")
        res["runtimeApiEchoMs"] = echo_runtime()
        log("a call through the Jumio proxy, echo client")
        res["proxyHopMs"] = echo_runtime(hop=True)
    if MIXED and not ONLY_PACING:
        t2 = time.time()
        try:
            res["mixed"] = mixed_run(kinds, moto)
        except SystemExit as e:  # its processes are stopped; the parts after it still run, and the run fails at the end
            log(f"mixed run FAILED: {e}")
            res.setdefault("failed", {})["mixed"] = str(e)
            moto.purge()
        res["durations"]["mixedSeconds"] = time.time() - t2
        save()
    if PACING:
        t3 = time.time()
        res["pacing"] = pacing_scenario(kinds, moto)
        res["durations"]["pacingSeconds"] = time.time() - t3
        save()
    if PROFILE == "jfr":
        log("summarising the JFR recordings")
        res["jfr"] = jfr_profiles(res, res["warm"])
    res["machine"]["loadAverageAtEnd"] = os.getloadavg()[0]
    res["durations"]["totalSeconds"] = time.time() - t0
    save()
    text = write_outputs(res, before)
    print(text)
    log(f"results: {OUT}/results.json, {OUT}/table.txt, {OUT}/chart.svg; "
        f"{res['durations']['totalSeconds'] / 60:.1f} min")
    if res.get("failed"):
        raise SystemExit(f"failed: {', '.join(res['failed'])}")


def merge(out_path, paths, before_path):
    runs = [json.load(open(p)) for p in paths]
    merged = dict(runs[-1])
    merged["headline"] = {}
    for kind in KINDS_ORDER:
        keys = {k for r in runs for k in r["headline"].get(kind, {})}
        vals = {k: [r["headline"][kind][k] for r in runs if k in r["headline"].get(kind, {})] for k in keys}
        if vals:
            merged["headline"][kind] = {k: statistics.median(v) for k, v in sorted(vals.items())}
    merged["targets"] = verdicts(merged["headline"])
    merged["mergedRuns"] = [{"date": r["date"], "load": [r["machine"]["loadAverageAtStart"],
                                                         r["machine"].get("loadAverageAtEnd", 0)],
                             "settings": r["settings"], "headline": r["headline"]} for r in runs]
    CFG["before"] = before_path
    text = table(merged, load_before())
    base = os.path.splitext(out_path)[0]
    with open(out_path, "w") as f:
        json.dump(merged, f, indent=1)
    with open(base + ".txt", "w") as f:
        f.write(text + "\n")
    with open(base + ".svg", "w") as f:
        f.write(svg(merged))
    print(text)


if REDRAW and sys.argv[1] == "--merge":
    _args = sys.argv[3:]
    _before = None
    if "--before" in _args:
        _before = _args[_args.index("--before") + 1]
        _args = _args[:_args.index("--before")]
    merge(sys.argv[2], _args, _before)
elif REDRAW:
    _res = json.load(open(sys.argv[2]))
    CFG["before"] = sys.argv[3] if len(sys.argv) > 3 else None
    print(write_outputs(_res, load_before()))
else:
    main()
