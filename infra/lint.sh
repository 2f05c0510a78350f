#!/usr/bin/env bash
# Lints the deployment: template.yaml with cfn-lint (errors, warnings and informational findings all fail the run),
# once as written and once with its AWS::Include expanded as CloudFormation expands it (so that the HTTP API's
# definition, infra/openapi.yaml, goes through SAM's translator and cfn-lint too); every infra/statemachine/*.asl.json
# with asl-validator; and the HTTP contract, infra/openapi.yaml, with Redocly CLI (infra/redocly.yaml: every rule of
# the recommended set is an error). Works from any directory; needs only the PyPI and npm registries, and those only
# when a tool is missing (cfn-lint: infra/requirements.txt; asl-validator and Redocly CLI: infra/package-lock.json).
set -euo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$infra_dir")"
cd "$repo_dir"

fail() { echo "infra/lint.sh: $*" >&2; exit 1; }

# --- cfn-lint -------------------------------------------------------------------------------------------------------
# cfn-lint comes from the project's Python (infra/python-env.sh: the python3 on PATH when it has the pins of
# infra/requirements.txt, target/venv otherwise), never from a global pip install.
# shellcheck source=python-env.sh
source "$infra_dir/python-env.sh" || fail "no Python with the pins of infra/requirements.txt (see docs/local.md)"
cfn_lint() {
  "$JUMIO_PYTHON" -c 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())' "$@"
}

# -c I turns on the informational rules, which cfn-lint leaves out by default; --non-zero-exit-code informational
# makes any finding, of any level, fail the run. "--" stops -c from swallowing the file name.
cfn_lint --include-checks I --non-zero-exit-code informational -- template.yaml \
  || fail "cfn-lint reported findings in template.yaml (see above)"

# cfn-lint leaves AWS::Include unresolved: on template.yaml alone it never sees the routes. The expanded copy is what
# CloudFormation hands to the SAM transform (findings name its lines; the included file's content is marked there).
expanded="$repo_dir/target/lint/template.expanded.json"
included="$("$JUMIO_PYTHON" "$infra_dir/expand-includes.py" template.yaml "$expanded")" \
  || fail "could not expand template.yaml's AWS::Include"
[[ -n "$included" ]] || fail "template.yaml includes no local file: the HTTP API's definition should be infra/openapi.yaml"
cfn_lint --include-checks I --non-zero-exit-code informational -- "$expanded" \
  || fail "cfn-lint reported findings in template.yaml with $included included (${expanded#"$repo_dir"/}, see above)"

# --- npm tools (asl-validator, Redocly CLI) -------------------------------------------------------------------------
asl_validator="$infra_dir/node_modules/.bin/asl-validator"
redocly="$infra_dir/node_modules/.bin/redocly"
# The pinned versions of infra/package-lock.json, installed again when one is missing or another version is there.
npm_tools_current() {
  [[ -x "$asl_validator" && -x "$redocly" ]] || return 1
  node -e 'const lock = require(process.argv[1]).packages;
           for (const name of ["asl-validator", "@redocly/cli"]) {
             const at = "node_modules/" + name;
             if (require(process.argv[2] + "/" + at + "/package.json").version !== lock[at].version) process.exit(1);
           }' "$infra_dir/package-lock.json" "$infra_dir" 2>/dev/null
}
if ! npm_tools_current; then
  command -v npm >/dev/null 2>&1 || fail "npm is needed to install asl-validator and Redocly CLI (infra/package.json)"
  echo "infra/lint.sh: installing asl-validator and Redocly CLI from infra/package-lock.json" >&2
  npm ci --prefix "$infra_dir" --no-audit --no-fund --loglevel=error >&2 \
    || fail "'npm ci --prefix infra' failed (is the npm registry reachable?)"
  npm_tools_current || fail "npm ci did not install the versions of infra/package-lock.json"
fi

# --- asl-validator --------------------------------------------------------------------------------------------------

shopt -s nullglob
definitions=("$infra_dir"/statemachine/*.asl.json)
shopt -u nullglob
(( ${#definitions[@]} > 0 )) || fail "no infra/statemachine/*.asl.json to validate"

for definition in "${definitions[@]}"; do
  if ! report="$("$asl_validator" --json-path "$definition" 2>&1)"; then
    echo "$report" >&2
    fail "asl-validator rejected ${definition#"$repo_dir"/}"
  fi
done

# --- Redocly CLI ----------------------------------------------------------------------------------------------------
# Its output only when it fails: on Node.js 20 it prints a deprecation notice on every run.
# No update check either: a build asks nothing of the network.
if ! report="$(cd "$infra_dir" && REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint openapi.yaml \
                 --config redocly.yaml 2>&1)"; then
  echo "$report" >&2
  fail "Redocly CLI reported findings in infra/openapi.yaml (see above)"
fi

echo "infra lint OK: template.yaml clean under $(cfn_lint --version) (errors, warnings, informational), also with" \
     "$included included; ${#definitions[@]} state machine definition(s) valid under asl-validator" \
     "$("$asl_validator" --version); infra/openapi.yaml clean under Redocly CLI" \
     "$(REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" --version 2>/dev/null | tail -n 1) (recommended-strict)"
