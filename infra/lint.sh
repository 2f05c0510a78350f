#!/usr/bin/env bash
# Lints the deployment: template.yaml with cfn-lint (errors, warnings and informational findings all fail the run)
# and every infra/statemachine/*.asl.json with asl-validator. Works from any directory; needs only the PyPI and npm
# registries, and those only when a tool is missing (cfn-lint: infra/requirements.txt; asl-validator:
# infra/package-lock.json).
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

# --- asl-validator --------------------------------------------------------------------------------------------------
asl_validator="$infra_dir/node_modules/.bin/asl-validator"
if [[ ! -x "$asl_validator" ]]; then
  command -v npm >/dev/null 2>&1 || fail "npm is needed to install asl-validator (infra/package.json)"
  echo "infra/lint.sh: installing asl-validator from infra/package-lock.json" >&2
  npm ci --prefix "$infra_dir" --no-audit --no-fund --loglevel=error >&2 \
    || fail "'npm ci --prefix infra' failed (is the npm registry reachable?)"
  [[ -x "$asl_validator" ]] || fail "npm ci did not install $asl_validator"
fi

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

echo "infra lint OK: template.yaml clean under $(cfn_lint --version) (errors, warnings, informational);" \
     "${#definitions[@]} state machine definition(s) valid under asl-validator $("$asl_validator" --version)"
