#!/usr/bin/env bash
# What a Lambda user pays: cold start, warm overhead (p50/p99), memory, Jumio / token / DynamoDB calls per check, side
# by side with a naive integration (a fresh OAuth2 token for every Jumio call). Not part of the test command.
#
#   .ci/bench.sh                 # RUNS=5 cold starts, INVOCATIONS=1000 per function, WARMUP=200 checks first
#   RUNS=3 INVOCATIONS=200 .ci/bench.sh
#   BENCH_JVM_OPTS="-Xlog:class+load:file=/tmp/cl.log:uptime" RUNS=1 .ci/bench.sh   # extra flags for the functions' JVMs, to profile
#   ONLY_COLD=1 .ci/bench.sh                  # cold starts only
#   NAIVE=0 BENCH_BUILD=/tmp/old-target .ci/bench.sh   # no baseline; measure a saved copy of an earlier target/
#
# Builds what is missing (mvn -B -q package -DskipTests: the JVM function and the test classes that hold the Jumio
# simulator); uses the native binary only if target/*-runner exists (.ci/native.sh builds one). Starts moto (through
# infra/local/moto-server.py) and the simulator itself, runs every function the way Lambda does (a process polling a
# Runtime API; the JVM through AWS's Runtime Interface Client and QuarkusStreamHandler with the managed runtime's
# flags), and stops all of it on exit. Prints a table; writes target/bench/{results.json,table.txt,chart.svg}.
# The driver is .ci/bench.py; the naive baseline is .ci/bench/naive (benchmark only, never in the product).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
OUT="${BENCH_OUT:-$REPO/target/bench}"
JAVA_BIN="${JAVA_BIN:-java}"
mkdir -p "$OUT"

source infra/python-env.sh || { echo "bench.sh: no Python with the pins of infra/requirements.txt" >&2; exit 2; }

# BENCH_BUILD=<dir>: measure a copy of an earlier target/ (its *-runner.jar, lib/, classes/, test-classes/), e.g. to
# compare before and after a change. Default: target/, built when missing.
BUILD="${BENCH_BUILD:-target}"
JVM_JAR="$(ls "$BUILD"/*-runner.jar 2>/dev/null | head -1 || true)"
if [[ -z "${BENCH_BUILD:-}" ]] && [[ -z "$JVM_JAR" || ! -f target/test-classes/io/jumiorisk/sim/JumioSimulator.class ]]; then
  echo "[bench] building: ./mvnw -B -q package -DskipTests" >&2
  ./mvnw -B -q package -DskipTests >&2
  JVM_JAR="$(ls target/*-runner.jar | head -1)"
fi
[[ -n "$JVM_JAR" ]] || { echo "bench.sh: no *-runner.jar in $BUILD" >&2; exit 2; }
NATIVE="$(ls "$BUILD"/*-runner 2>/dev/null | head -1 || true)"
[[ -n "$NATIVE" && -x "$NATIVE" ]] || NATIVE=""

if [[ ! -s "$OUT/test-classpath.txt" || pom.xml -nt "$OUT/test-classpath.txt" ]]; then
  echo "[bench] resolving the test class path" >&2
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt" >&2
fi
if [[ ! -s "$OUT/ric-classpath.txt" ]]; then
  echo "[bench] resolving the AWS Lambda Runtime Interface Client" >&2
  ./mvnw -B -q -f infra/local/ric/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/ric-classpath.txt" >&2
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The naive baseline: compiled against the very function it runs in, and put ahead of it on the class path.
rm -rf "$OUT/naive"
javac -nowarn -d "$OUT/naive" -cp "$JVM_JAR:$(dirname "$JVM_JAR")/lib/*" .ci/bench/naive/io/jumiorisk/jumio/AccessTokens.java

# The RIC unpacks its JNI library to one fixed /tmp path per process start, which concurrent starts race on: unpack
# it once and name it, as LocalStackMain does.
RIC_JAR="$(tr ':' '\n' < "$OUT/ric-classpath.txt" | grep aws-lambda-java-runtime-interface-client | head -1)"
(cd "$WORK" && unzip -qo "$RIC_JAR" jni/libaws-lambda-jni.linux-x86_64.so)
RIC_JNI="$WORK/jni/libaws-lambda-jni.linux-x86_64.so"

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
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$MOTO_PORT/moto-api/" >/dev/null 2>&1 \
    && curl -sf "http://127.0.0.1:$SIM_PORT/__admin/counts" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$SIM_PORT/__admin/counts" >/dev/null || { cat "$WORK/sim.log" >&2; echo "bench.sh: simulator did not start" >&2; exit 1; }

CFG="$("$JUMIO_PYTHON" -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
  work "$WORK" out "$OUT" native "$NATIVE" jvm_jar "$JVM_JAR" ric_cp "$(cat "$OUT/ric-classpath.txt")" \
  java "$JAVA_BIN" moto_port "$MOTO_PORT" sim "http://127.0.0.1:$SIM_PORT" client_id "$CLIENT_ID" \
  client_secret "$CLIENT_SECRET" naive_classes "$OUT/naive" ric_jni "$RIC_JNI")"
"$JUMIO_PYTHON" .ci/bench.py "$CFG"
