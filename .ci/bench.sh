#!/usr/bin/env bash
# What a Lambda user pays, native and JVM, each function on its real path: cold start (init and first invocation),
# memory, warm latency and the function's own time, and where that time goes. Not part of the test command.
# docs/performance-method.md says what each figure is, how it is taken and why.
#
#   .ci/bench.sh                              # full: RUNS=5 cold starts per function and kind, INVOCATIONS=1000
#                                             # checks per variant after WARMUP=200 (12 to 14 minutes here), then the
#                                             # mixed run, 1000 checks per mode (about 5 minutes more)
#   RUNS=1 INVOCATIONS=100 MIXED_CHECKS=100 .ci/bench.sh   # reduced, every part at its cheapest: about 6.5
#                                             # minutes (native, JVM, naive, mixed run, pacing scenario)
#   ONLY_COLD=1 .ci/bench.sh                  # cold starts only
#   BENCH_PROFILE=jfr RUNS=1 INVOCATIONS=300 .ci/bench.sh
#                                             # JFR in every JVM (1 ms sampling), summarised per phase; its figures
#                                             # are distorted by the profiler: use them for shares, not as figures
#   BENCH_JVM_OPTS="-Xlog:class+load:file=/tmp/cl.log:uptime" .ci/bench.sh     # extra flags for the functions' JVMs
#   NAIVE=0                                   # no naive baseline (a token per Jumio call, JVM)
#   BENCH_KINDS=native                        # one kind only (default native,jvm)
#   BENCH_NATIVE_JFR=1                        # with BENCH_PROFILE=jfr: the native binary was built with JFR
#                                             # (-Dquarkus.native.monitoring=jfr,heapdump,threaddump): record it too
#   METRICS_ENABLED=false TRACING=Active BENCH_TRACE_HEADER='Root=1-6a1f3c1e-3f0b4f439d830f1c1d1e1f10;Parent=53995c3f42cd8ad8;Sampled=1' \
#     .ci/bench.sh                            # metrics off, every invocation traced (the functions' environment
#                                             # passes through; docs/observability.md has the figures)
#   BENCH_BUILD=/tmp/old-target .ci/bench.sh  # measure a saved copy of an earlier target/ (function.zip, *-runner,
#                                             # classes/, test-classes/)
#   BENCH_BEFORE=docs/bench/before-issue16.json   # the run the table's "before" columns come from (this is the
#                                             # default; BENCH_BEFORE= for none)
#
# The mixed run (last, on by default; native when target/*-runner exists, else JVM): MIXED_CHECKS checks per
# JUMIO_AMBIGUOUS_START mode (ANSWER and REPEAT, each its own initiate and callback processes and its own simulator,
# the same seed) with MIXED_FRACTION of the account answers ambiguous, clients retrying as told, orphans revealed by
# their TOKEN_EXPIRED callbacks; then a short incident per mode. docs/performance-method.md, "The mixed run".
#   MIXED=0                                   # no mixed run
#   ONLY_MIXED=1 .ci/bench.sh                 # the mixed run only (full size: about 5 minutes)
#   MIXED_CHECKS=1000                         # checks per mode (default 1000, or 200 when INVOCATIONS < 1000)
#   MIXED_FRACTION=0.02 MIXED_SEED=7          # share of ambiguous account answers and the seed of their draws
#   MIXED_MIX='{"BAD_GATEWAY":35,"GATEWAY_TIMEOUT":25,"CUT_BODY":15,"NO_ANSWER":25}'   # their mix (this is the
#                                             # simulator's default)
#   MIXED_MODES=ANSWER,REPEAT MIXED_KIND=jvm MIXED_WARMUP=50 MIXED_REVEAL_EVERY=100 MIXED_INCIDENT_SECONDS=3
#   MIXED_SWEEP_LOAD=5                        # then REPEAT checks that meet only 502s, and one erase sweep over
#                                             # their orphans (0: none)
#
# The pacing scenario (issue 16; after the mixed run, each kind): PACING_CHECKS=30 checks offered at once to
# PACING_CONTAINERS=5 initiate processes while the simulator allows PACING_RATE=1 account request/s, burst
# PACING_BURST=5; once with the product's pacing off (JUMIO_ACCOUNT_RATE_PER_SECOND=0), once on (the same rate and
# burst). About 30 s per kind and setting. Every other part runs the functions with pacing off.
#   PACING=0                                  # no pacing scenario
#   ONLY_PACING=1 .ci/bench.sh                # the pacing scenario only
#   PACING_SETTINGS=off,on PACING_WARMUP=2    # which settings; warm-up checks per container (the limit off)
#   PACING_MAX_TRIES=30                       # answers a client takes before it gives up (default: PACING_CHECKS)
#
# SNAPSTART=0: no JVM initiate cold starts as a SnapStart init (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start, where the
# product primes), one more per round by default.
#
# Builds what is missing (./mvnw -B -q package -DskipTests: target/function.zip and the test classes that hold the
# Jumio simulator). Measures the native binary only if target/*-runner exists: build it with .ci/native.sh
# (NATIVE_WORKDIR=/tmp/nb .ci/native.sh -DskipITs builds it outside this checkout; copy /tmp/nb/target/*-runner into
# target/). Starts moto (infra/local/moto-server.py) and the simulator, runs every function the way Lambda does (JVM:
# the unpacked function.zip loaded by AWS's Runtime Interface Client with the managed java21 runtime's flags; native:
# ./bootstrap in its task root), and stops all it started, also on failure. Prints the table of the targets and the
# details; writes target/bench/{results.json,table.txt,chart.svg}. The driver is .ci/bench.py.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
OUT="${BENCH_OUT:-$REPO/target/bench}"
JAVA_BIN="${JAVA_BIN:-java}"
mkdir -p "$OUT"

source infra/python-env.sh || { echo "bench.sh: no Python with the pins of infra/requirements.txt" >&2; exit 2; }
command -v unzip >/dev/null || { echo "bench.sh: unzip is required" >&2; exit 2; }

# The JVM artifact is target/function.zip as Quarkus packs it for the java21 runtime: the runner jar's content at the
# root and the dependencies in lib/. (A native build in this checkout replaces it with a zip holding only bootstrap.)
BUILD="${BENCH_BUILD:-target}"
jvm_zip_ok() { [[ -f "$BUILD/function.zip" ]] && unzip -l "$BUILD/function.zip" 'lib/*' >/dev/null 2>&1; }
if [[ -z "${BENCH_BUILD:-}" ]] && { ! jvm_zip_ok || [[ ! -f target/test-classes/io/jumiorisk/sim/JumioSimulator.class ]]; }; then
  echo "[bench] building: ./mvnw -B -q package -DskipTests" >&2
  ./mvnw -B -q package -DskipTests >&2
fi
jvm_zip_ok || { echo "bench.sh: no JVM function.zip (with lib/) in $BUILD" >&2; exit 2; }
NATIVE="$(ls "$BUILD"/*-runner 2>/dev/null | head -1 || true)"
if [[ -z "$NATIVE" || ! -x "$NATIVE" ]]; then
  NATIVE=""
  echo "[bench] no native binary ($BUILD/*-runner): JVM only. Build one with" \
    "'NATIVE_WORKDIR=/tmp/nb .ci/native.sh -DskipITs' and copy /tmp/nb/target/*-runner into $BUILD/" >&2
fi

if [[ ! -s "$OUT/test-classpath.txt" || pom.xml -nt "$OUT/test-classpath.txt" ]]; then
  echo "[bench] resolving the test class path" >&2
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt" >&2
fi
if [[ ! -s "$OUT/ric-classpath.txt" || infra/local/ric/pom.xml -nt "$OUT/ric-classpath.txt" ]]; then
  echo "[bench] resolving the AWS Lambda Runtime Interface Client" >&2
  ./mvnw -B -q -f infra/local/ric/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/ric-classpath.txt" >&2
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {  # the driver first (it stops the function processes), then the servers
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Task roots, as Lambda lays them out in /var/task: the JVM's is function.zip unpacked; the native one holds the
# binary as bootstrap (a symbolic link, as the native function.zip holds nothing else).
mkdir -p "$WORK/task-jvm"
unzip -q "$BUILD/function.zip" -d "$WORK/task-jvm"
TASK_NATIVE=""
if [[ -n "$NATIVE" ]]; then
  TASK_NATIVE="$WORK/task-native"
  mkdir -p "$TASK_NATIVE"
  ln -s "$(cd "$(dirname "$NATIVE")" && pwd)/$(basename "$NATIVE")" "$TASK_NATIVE/bootstrap"
fi

# The naive baseline: compiled against the very function it runs in; bench.py puts it into a copy of the task root.
rm -rf "$OUT/naive"
javac -nowarn -d "$OUT/naive" -cp "$WORK/task-jvm:$WORK/task-jvm/lib/*" .ci/bench/naive/io/jumiorisk/jumio/AccessTokens.java

# The RIC unpacks its JNI library to one fixed /tmp path per process start, which concurrent starts race on: unpack
# it once and name it with the property the managed runtime sets too.
RIC_JAR="$(tr ':' '\n' < "$OUT/ric-classpath.txt" | grep aws-lambda-java-runtime-interface-client | head -1)"
(cd "$WORK" && unzip -qo "$RIC_JAR" jni/libaws-lambda-jni.linux-x86_64.so)
RIC_JNI="$WORK/jni/libaws-lambda-jni.linux-x86_64.so"

# BENCH_PROFILE=jfr: the JDK's "profile" settings with Java sampled every millisecond and class loads recorded.
JFC=""
if [[ "${BENCH_PROFILE:-}" == jfr ]]; then
  JFC="$WORK/bench.jfc"
  JH="$("$JAVA_BIN" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')"
  "$JUMIO_PYTHON" - "$JH/lib/jfr/profile.jfc" "$JFC" <<'PY'
import sys, xml.etree.ElementTree as ET
tree = ET.parse(sys.argv[1])
for ev in tree.getroot().iter("event"):
    name = ev.get("name")
    for s in ev.iter("setting"):
        if name in ("jdk.ExecutionSample", "jdk.NativeMethodSample") and s.get("name") == "period":
            s.text = "1 ms"
        if name == "jdk.ClassLoad" and s.get("name") == "enabled":
            s.text = "true"
        if name == "jdk.ClassLoad" and s.get("name") == "threshold":
            s.text = "0 ms"
tree.write(sys.argv[2])
PY
fi

free_port() { "$JUMIO_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MOTO_PORT="$(free_port)"
"$JUMIO_PYTHON" infra/local/moto-server.py -H 127.0.0.1 -p "$MOTO_PORT" > "$WORK/moto.log" 2>&1 &
PIDS+=($!)
SIM_PORT="$(free_port)"
CLIENT_ID="bench-client-$RANDOM"; CLIENT_SECRET="bench-secret-$RANDOM$RANDOM"
JUMIO_CLIENT_ID="$CLIENT_ID" JUMIO_CLIENT_SECRET="$CLIENT_SECRET" "$JAVA_BIN" -Dsun.net.httpserver.nodelay=true \
  -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$OUT/test-classpath.txt")" io.jumiorisk.sim.JumioSimulator \
  --port "$SIM_PORT" > "$WORK/sim.log" 2>&1 &
PIDS+=($!)
# The mixed run gives each JUMIO_AMBIGUOUS_START mode a simulator of its own, with the same seed, so that both modes
# meet the same ambiguous answers at the same account requests: a second one (the first serves the other phases too).
SIM2_PORT=""
if [[ "${MIXED:-1}" != 0 && -z "${ONLY_COLD:-}" && -z "${ONLY_PACING:-}" ]]; then
  SIM2_PORT="$(free_port)"
  JUMIO_CLIENT_ID="$CLIENT_ID" JUMIO_CLIENT_SECRET="$CLIENT_SECRET" "$JAVA_BIN" -Dsun.net.httpserver.nodelay=true \
    -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$OUT/test-classpath.txt")" io.jumiorisk.sim.JumioSimulator \
    --port "$SIM2_PORT" > "$WORK/sim2.log" 2>&1 &
  PIDS+=($!)
fi
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$MOTO_PORT/moto-api/" >/dev/null 2>&1 \
    && curl -sf "http://127.0.0.1:$SIM_PORT/__admin/counts" >/dev/null 2>&1 \
    && { [[ -z "$SIM2_PORT" ]] || curl -sf "http://127.0.0.1:$SIM2_PORT/__admin/counts" >/dev/null 2>&1; } && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$SIM_PORT/__admin/counts" >/dev/null || { cat "$WORK/sim.log" >&2; echo "bench.sh: simulator did not start" >&2; exit 1; }
[[ -z "$SIM2_PORT" ]] || curl -sf "http://127.0.0.1:$SIM2_PORT/__admin/counts" >/dev/null \
  || { cat "$WORK/sim2.log" >&2; echo "bench.sh: the second simulator did not start" >&2; exit 1; }

BEFORE="${BENCH_BEFORE-$REPO/docs/bench/before-issue16.json}"
CFG="$("$JUMIO_PYTHON" -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
  work "$WORK" out "$OUT" task_jvm "$WORK/task-jvm" task_native "$TASK_NATIVE" native_jfr "${BENCH_NATIVE_JFR:-}" \
  ric_cp "$(cat "$OUT/ric-classpath.txt")" ric_jni "$RIC_JNI" java "$JAVA_BIN" moto_port "$MOTO_PORT" \
  sim "http://127.0.0.1:$SIM_PORT" sim2 "${SIM2_PORT:+http://127.0.0.1:$SIM2_PORT}" client_id "$CLIENT_ID" client_secret "$CLIENT_SECRET" naive_classes "$OUT/naive" \
  jfc "$JFC" before "$BEFORE")"
# In the background, so that the traps above stop it too (SIGTERM: it stops the function processes it started).
"$JUMIO_PYTHON" .ci/bench.py "$CFG" &
DRIVER=$!
PIDS=("$DRIVER" "${PIDS[@]}")
wait "$DRIVER"
