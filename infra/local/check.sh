#!/usr/bin/env bash
# Runs one whole check against a running local stack (infra/local/run.sh): POST /checks (email risk, workflow
# 10066, with an Idempotency-Key), then GET /checks/{checkId} every second until the status is no longer PENDING.
# Prints every answer. Exits 0 when the check reached a final status, 1 otherwise.
#
# usage: infra/local/check.sh [BASE_URL]        (default http://127.0.0.1:3000)
#   env EMAIL (default jane@example.com), WORKFLOW_KEY (default 10066), TIMEOUT_SECONDS (default 90)
set -euo pipefail

BASE="${1:-${BASE_URL:-http://127.0.0.1:3000}}"
BASE="${BASE%/}"
EMAIL="${EMAIL:-jane@example.com}"
WORKFLOW_KEY="${WORKFLOW_KEY:-10066}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-90}"
REF="local-$(date +%s)-$RANDOM"

command -v curl >/dev/null 2>&1 || { echo "curl is needed" >&2; exit 2; }

# Reads a top-level field of a JSON document on stdin (python3, so that jq is not needed).
json_field() {
  python3 -c 'import json,sys
try:
    v = json.load(sys.stdin).get(sys.argv[1])
except Exception:
    v = None
print("" if v is None else v)' "$1"
}

BODY=$(printf '{"customerInternalReference":"%s","userReference":"user-42","workflowDefinitionKey":%s,"preparedData":{"email":"%s"}}' \
  "$REF" "$WORKFLOW_KEY" "$EMAIL")

echo "> POST $BASE/checks  (Idempotency-Key: $REF)"
echo "  $BODY"
OUT=$(curl -sS -X POST "$BASE/checks" \
  -H 'Content-Type: application/json' \
  -H "Idempotency-Key: $REF" \
  -d "$BODY" \
  -w '\n%{http_code}') || { echo "the stack does not answer at $BASE (is infra/local/run.sh running?)" >&2; exit 1; }
STATUS_CODE="${OUT##*$'\n'}"
RESPONSE="${OUT%$'\n'*}"
echo "< $STATUS_CODE $RESPONSE"
if [[ "$STATUS_CODE" != 2* ]]; then
  echo "POST /checks failed" >&2
  exit 1
fi

CHECK_ID=$(printf '%s' "$RESPONSE" | json_field checkId)
[[ -n "$CHECK_ID" ]] || { echo "no checkId in the answer" >&2; exit 1; }

DEADLINE=$(( $(date +%s) + TIMEOUT_SECONDS ))
while :; do
  sleep 1
  echo "> GET $BASE/checks/$CHECK_ID"
  OUT=$(curl -sS "$BASE/checks/$CHECK_ID" -w '\n%{http_code}')
  STATUS_CODE="${OUT##*$'\n'}"
  RESPONSE="${OUT%$'\n'*}"
  echo "< $STATUS_CODE $RESPONSE"
  STATUS=$(printf '%s' "$RESPONSE" | json_field status)
  if [[ "$STATUS_CODE" == 200 && -n "$STATUS" && "$STATUS" != PENDING ]]; then
    echo "check $CHECK_ID: $STATUS"
    exit 0
  fi
  if (( $(date +%s) >= DEADLINE )); then
    echo "check $CHECK_ID still not final after ${TIMEOUT_SECONDS} s (last status: ${STATUS:-?})" >&2
    exit 1
  fi
done
