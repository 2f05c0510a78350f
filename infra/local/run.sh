#!/usr/bin/env bash
# Runs the whole product on this machine: a DynamoDB-compatible server (moto), the Jumio simulator, and the four
# Lambda functions (initiate, callback, retrieve, erase) behind the HTTP API routes of template.yaml, on
# http://127.0.0.1:3000; once they answer, it runs one whole check through them (infra/local/check.sh) and keeps
# serving. With JUMIO_CLIENT_ID, JUMIO_CLIENT_SECRET and JUMIO_REGION exported it talks to the real Jumio instead of
# the simulator (JUMIO_USER_AGENT is then required), and runs no check by itself: each one is a Jumio transaction.
# Ctrl-C stops everything it started.
#
# usage: infra/local/run.sh [--port N] [--native [BINARY]] [--rebuild] [other LocalStackMain options]
#   --port N            HTTP API port (default 3000)
#   --native [BINARY]   run the native build (default target/*-runner; build it with: ./mvnw package -Dnative)
#   --rebuild           build target/function.zip again even if it is a current JVM build
#                       (without it, it is built when missing, stale, or holding the native build)
#   --no-check          start everything, but run no check
#   -h, --help          this help and LocalStackMain's options
# More checks, from another terminal: infra/local/check.sh
# Needs a JDK 17+ and curl; Python comes from infra/python-env.sh (docs/local.md). Runs on Linux and macOS (bash 3.2+).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

LOCAL_DIR="$ROOT/target/local"
TABLE="${CHECKS_TABLE:-jumio-checks-local}"
PORT=3000
NATIVE=()
REBUILD=false
CHECK=true
PASS=()

# Logging never fails the script: during Ctrl-C a pipe reader (| tee) may already be gone.
log() { printf '[run.sh] %s\n' "$*" 2>/dev/null || true; }
die() { printf '[run.sh] error: %s\n' "$*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) [[ $# -ge 2 ]] || die "--port needs a value"; PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#--port=}"; shift ;;
    --native)
      NATIVE=(--native)
      if [[ $# -ge 2 && "$2" != --* ]]; then NATIVE+=("$2"); shift; fi
      shift ;;
    --native=*) NATIVE=(--native "${1#--native=}"); shift ;;
    --rebuild) REBUILD=true; shift ;;
    --no-check) CHECK=false; shift ;;
    -h|--help) HELP=true; shift ;;
    *) PASS+=("$1"); shift ;;
  esac
done

if [[ "${HELP:-false}" == true ]]; then
  sed -n '2,/^set -euo/p' "$HERE/run.sh" | grep '^#' | sed 's/^# \{0,1\}//'
  if [[ -f target/test-classes/io/jumiorisk/local/LocalStackMain.class && -f "$LOCAL_DIR/test-classpath.txt" ]]; then
    echo
    echo "Other options are passed to LocalStackMain:"
    java -cp "target/test-classes:target/classes:$(cat "$LOCAL_DIR/test-classpath.txt")" \
      io.jumiorisk.local.LocalStackMain --help
  fi
  exit 0
fi

MVN=("$ROOT/mvnw" -Dstyle.color=never)
command -v java >/dev/null 2>&1 || die "a JDK 17+ is needed (java)"
command -v curl >/dev/null 2>&1 || die "curl is needed"

mkdir -p "$LOCAL_DIR"

# ------------------------------------------------------------------------------------------------ cleanup
MOTO_PID=""
JAVA_PID=""

# The long-running processes stay in this script's process group (setsid is not on macOS), so each is stopped by
# its PID: the Java side stops the functions it started (a JVM shutdown hook, run on SIGTERM) and the moto watchdog
# stops moto. Whatever still runs after 10 s is killed, with every process it had started.
descendants() { # pid: every process below it, by walking the parent links of `ps` (Linux and macOS alike)
  ps -A -o pid= -o ppid= 2>/dev/null | awk -v root="$1" '
    { pid[NR] = $1; ppid[NR] = $2 }
    END {
      want[root] = 1
      do {
        changed = 0
        for (i = 1; i <= NR; i++)
          if ((ppid[i] in want) && !(pid[i] in want)) { want[pid[i]] = 1; changed = 1; print pid[i] }
      } while (changed)
    }'
}

stop_tree() { # pid name
  local pid="$1" name="$2" i kids k
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  log "stopping $name"
  kids="$(descendants "$pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in 10 s; killing it"
    kids="$kids $(descendants "$pid")"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  # A child that outlived its parent (it should not: see above) is stopped too.
  for k in $kids; do
    if kill -0 "$k" 2>/dev/null; then
      kill -TERM "$k" 2>/dev/null || true
      sleep 0.5
      kill -KILL "$k" 2>/dev/null || true
    fi
  done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  trap '' PIPE
  stop_tree "$JAVA_PID" "the functions, the HTTP API and the Jumio simulator"
  stop_tree "$MOTO_PID" "moto_server"
  log "stopped"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------------------------------------------------------ tools
# moto and boto3 come from the project's Python: the python3 on PATH when it has the pins of infra/requirements.txt,
# target/venv otherwise (made here on first use; nothing is installed into the python3 on PATH).
# shellcheck source=../python-env.sh
source "$ROOT/infra/python-env.sh" || die "no Python with the pins of infra/requirements.txt (see docs/local.md)"
log "Python: $JUMIO_PYTHON"

free_port() {
  "$JUMIO_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------------------------------------ build
newer_than() { # file dir-or-file...: true when something under the others is newer than file (or file is missing)
  local f="$1"; shift
  [[ -e "$f" ]] || return 0
  [[ -n "$(find "$@" -newer "$f" -type f -print -quit 2>/dev/null)" ]]
}

if [[ ${#NATIVE[@]} -eq 0 ]]; then
  # target/function.zip must hold a current JVM build: it is rebuilt when missing, older than the sources, or holding
  # the native build (which `./mvnw package -Dnative`, .ci/native.sh and sam build with PACKAGING=native leave there).
  kind="$("$ROOT/infra/build-function-zip.sh" --kind)"
  [[ "$kind" == jvm || "$kind" == none ]] || log "target/function.zip holds the $kind build: building the JVM one"
  force=()
  [[ "$REBUILD" == false ]] || force=(--force)
  MAVEN_ARGS="-q -Dstyle.color=never ${MAVEN_ARGS:-}" "$ROOT/infra/build-function-zip.sh" ${force[@]+"${force[@]}"} jvm
else
  if [[ ${#NATIVE[@]} -eq 1 ]]; then
    ls target/*-runner >/dev/null 2>&1 || die "no native binary target/*-runner; build it with: ./mvnw package -Dnative"
  fi
  log "native mode: ${NATIVE[*]}"
fi

# LocalStackMain and the simulator are test classes.
if newer_than target/test-classes/io/jumiorisk/local/LocalStackMain.class src/test/java/io/jumiorisk/local \
    src/test/java/io/jumiorisk/sim; then
  log "compiling the local stack: ${MVN[*]} -B -q test-compile"
  "${MVN[@]}" -B -q test-compile
fi

if newer_than "$LOCAL_DIR/test-classpath.txt" pom.xml; then
  log "resolving the test classpath"
  "${MVN[@]}" -B -q dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$LOCAL_DIR/test-classpath.txt" >/dev/null
fi

if [[ ${#NATIVE[@]} -eq 0 ]] && newer_than "$LOCAL_DIR/ric-classpath.txt" infra/local/ric/pom.xml; then
  log "resolving the AWS Lambda Java Runtime Interface Client (com.amazonaws:aws-lambda-java-runtime-interface-client)"
  "${MVN[@]}" -B -q -f infra/local/ric/pom.xml dependency:build-classpath \
    -Dmdep.outputFile="$LOCAL_DIR/ric-classpath.txt" >/dev/null
fi

# ------------------------------------------------------------------------------------------------ DynamoDB
MOTO_PORT="$(free_port)"
DDB_URL="http://127.0.0.1:$MOTO_PORT"
log "starting moto_server (DynamoDB) on $DDB_URL; log: $LOCAL_DIR/moto.log"
# moto runs under a small watchdog that stops it on SIGTERM, and also when this script dies without its cleanup
# (kill -9).
bash -c '
  "$3" infra/local/moto-server.py -H 127.0.0.1 -p "$1" &
  m=$!
  s=""
  trap "kill -TERM \$m \$s 2>/dev/null; wait \$m; exit 0" TERM HUP
  while kill -0 "$2" 2>/dev/null && kill -0 "$m" 2>/dev/null; do sleep 1 & s=$!; wait $s; s=""; done
  kill -TERM "$m" 2>/dev/null
  wait "$m"
' moto-watchdog "$MOTO_PORT" "$$" "$JUMIO_PYTHON" >"$LOCAL_DIR/moto.log" 2>&1 &
MOTO_PID=$!

for i in $(seq 1 150); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$DDB_URL/" 2>/dev/null || true)"
  [[ "$code" != "000" && -n "$code" ]] && break
  kill -0 "$MOTO_PID" 2>/dev/null || { cat "$LOCAL_DIR/moto.log" >&2; die "moto_server exited"; }
  sleep 0.2
done
[[ "$code" != "000" ]] || die "moto_server did not answer within 30 s (see $LOCAL_DIR/moto.log)"
log "moto_server is up"

# Fake credentials only: nothing here may reach a real AWS account.
export_fake_aws() {
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
    AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null "$@"
}

log "creating table $TABLE (pk: S, on-demand, TTL on expiresAt)"
if command -v aws >/dev/null 2>&1; then
  export_fake_aws aws dynamodb create-table --endpoint-url "$DDB_URL" \
    --table-name "$TABLE" \
    --attribute-definitions AttributeName=pk,AttributeType=S \
    --key-schema AttributeName=pk,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST >/dev/null
  export_fake_aws aws dynamodb update-time-to-live --endpoint-url "$DDB_URL" \
    --table-name "$TABLE" \
    --time-to-live-specification Enabled=true,AttributeName=expiresAt >/dev/null
else
  # boto3 is pinned in infra/requirements.txt, so the table can be made without the AWS CLI.
  export_fake_aws "$JUMIO_PYTHON" - "$DDB_URL" "$TABLE" <<'PY'
import sys, boto3
url, table = sys.argv[1], sys.argv[2]
ddb = boto3.client("dynamodb", endpoint_url=url)
ddb.create_table(TableName=table, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"})
PY
fi
log "table $TABLE is ready"

# ------------------------------------------------------------------------------------------------ the stack
CP="target/test-classes:target/classes:$(cat "$LOCAL_DIR/test-classpath.txt")"
ARGS=(--port "$PORT" --dynamodb-endpoint "$DDB_URL" --table "$TABLE" --work-dir "$LOCAL_DIR" --parent-pid "$$")
if [[ ${#NATIVE[@]} -eq 0 ]]; then
  ARGS+=(--ric-classpath "$(cat "$LOCAL_DIR/ric-classpath.txt")")
else
  ARGS+=("${NATIVE[@]}")
fi
log "starting the Jumio simulator, the HTTP API on port $PORT and the functions"
java -cp "$CP" io.jumiorisk.local.LocalStackMain "${ARGS[@]}" ${PASS[@]+"${PASS[@]}"} &
JAVA_PID=$!

# The main job, once: a whole check through the routes, against the simulator (never the real Jumio, where a check
# costs a transaction). The stack is up when retrieve answers 404 for a check that does not exist.
if [[ "$CHECK" == true && -z "${JUMIO_CLIENT_ID:-}" ]]; then
  up=false
  for i in $(seq 1 180); do
    kill -0 "$JAVA_PID" 2>/dev/null || break
    code="$(curl -s -o /dev/null -w '%{http_code}' \
      "http://127.0.0.1:$PORT/checks/00000000-0000-4000-8000-000000000000" 2>/dev/null || true)"
    [[ "$code" == 404 ]] && { up=true; break; }
    sleep 1
  done
  if [[ "$up" == true ]]; then
    log "running one check: infra/local/check.sh http://127.0.0.1:$PORT"
    if "$HERE/check.sh" "http://127.0.0.1:$PORT"; then
      log "the check went through; still serving on http://127.0.0.1:$PORT (Ctrl-C stops everything)"
    else
      log "the check did not reach a final status (its answers are above); still serving, Ctrl-C stops everything"
    fi
  else
    log "the routes did not answer within 180 s; no check run"
  fi
fi

set +e
wait "$JAVA_PID"
rc=$?
set -e
[[ $rc -eq 0 ]] || log "LocalStackMain exited with status $rc"
exit "$rc"
