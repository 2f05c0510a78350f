#!/usr/bin/env bash
# Runs the whole product on this machine: a DynamoDB-compatible server (moto), the Jumio simulator, and the four
# Lambda functions (initiate, callback, retrieve, erase) behind the HTTP API routes of template.yaml, on
# http://127.0.0.1:3000. With JUMIO_CLIENT_ID, JUMIO_CLIENT_SECRET and JUMIO_REGION exported it talks to the real
# Jumio instead of the simulator (JUMIO_USER_AGENT is then required). Ctrl-C stops everything it started.
#
# usage: infra/local/run.sh [--port N] [--native [BINARY]] [--rebuild] [other LocalStackMain options]
#   --port N            HTTP API port (default 3000)
#   --native [BINARY]   run the native build (default target/*-runner; build it with: mvn package -Dnative)
#   --rebuild           run mvn package even if target/function.zip looks current
#   -h, --help          this help and LocalStackMain's options
# Then, in another terminal: infra/local/check.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

LOCAL_DIR="$ROOT/target/local"
TABLE="${CHECKS_TABLE:-jumio-checks-local}"
PORT=3000
NATIVE=()
REBUILD=false
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

if [[ -x "$ROOT/mvnw" ]]; then MVN=("$ROOT/mvnw" -Dstyle.color=never); else MVN=(mvn -Dstyle.color=never); fi
command -v "${MVN[0]}" >/dev/null 2>&1 || die "Maven is needed (mvn)"
command -v java >/dev/null 2>&1 || die "a JDK 17+ is needed (java)"
command -v curl >/dev/null 2>&1 || die "curl is needed"

mkdir -p "$LOCAL_DIR"

# ------------------------------------------------------------------------------------------------ cleanup
MOTO_PID=""
JAVA_PID=""

# Each long-running process is started with setsid, so it leads its own process group: killing the group also
# reaches what it spawned (the function processes of the Java side), and the terminal's Ctrl-C reaches only this
# script, which then stops things in order (functions and servers first, then the database).
stop_group() { # pid name
  local pid="$1" name="$2" i
  [[ -n "$pid" ]] || return 0
  kill -0 -- "-$pid" 2>/dev/null || return 0
  log "stopping $name"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    log "$name did not stop in 10 s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  trap '' PIPE
  stop_group "$JAVA_PID" "the functions, the HTTP API and the Jumio simulator"
  stop_group "$MOTO_PID" "moto_server"
  log "stopped"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------------------------------------------------------ tools
if ! python3 -c 'import moto.server' 2>/dev/null; then
  log "moto not found for python3: installing it with pip install 'moto[server]'"
  python3 -m pip install --quiet 'moto[server]' || die "could not install moto[server]"
  python3 -c 'import moto.server' || die "python3 still cannot import moto after pip install"
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------------------------------------ build
newer_than() { # file dir-or-file...: true when something under the others is newer than file (or file is missing)
  local f="$1"; shift
  [[ -e "$f" ]] || return 0
  [[ -n "$(find "$@" -newer "$f" -type f -print -quit 2>/dev/null)" ]]
}

if [[ ${#NATIVE[@]} -eq 0 ]]; then
  ARTIFACT=target/function.zip
  if [[ ! -f "$ARTIFACT" ]] && ls target/*-runner.jar >/dev/null 2>&1; then ARTIFACT="$(ls target/*-runner.jar | head -1)"; fi
  if [[ "$REBUILD" == true ]] || newer_than "$ARTIFACT" src/main pom.xml; then
    log "building the JVM artifact: ${MVN[*]} -B -q package -DskipTests"
    "${MVN[@]}" -B -q package -DskipTests
  else
    log "JVM artifact is current: $ARTIFACT"
  fi
else
  if [[ ${#NATIVE[@]} -eq 1 ]]; then
    ls target/*-runner >/dev/null 2>&1 || die "no native binary target/*-runner; build it with: mvn package -Dnative"
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
# moto runs under a small watchdog that also stops it if this script dies without its cleanup (kill -9).
setsid bash -c '
  python3 infra/local/moto-server.py -H 127.0.0.1 -p "$1" &
  m=$!
  trap "kill -TERM $m 2>/dev/null; wait $m; exit 0" TERM INT HUP
  while kill -0 "$2" 2>/dev/null && kill -0 "$m" 2>/dev/null; do sleep 1 & wait $!; done
  kill -TERM "$m" 2>/dev/null
  wait "$m"
' moto-watchdog "$MOTO_PORT" "$$" >"$LOCAL_DIR/moto.log" 2>&1 &
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
  # moto ships boto3, so the table can be made without the AWS CLI.
  export_fake_aws python3 - "$DDB_URL" "$TABLE" <<'PY'
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
setsid java -cp "$CP" io.jumiorisk.local.LocalStackMain "${ARGS[@]}" ${PASS[@]+"${PASS[@]}"} &
JAVA_PID=$!

set +e
wait "$JAVA_PID"
rc=$?
set -e
[[ $rc -eq 0 ]] || log "LocalStackMain exited with status $rc"
exit "$rc"
