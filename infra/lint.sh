#!/usr/bin/env bash
# Lints the deployment: template.yaml with cfn-lint (errors, warnings and informational findings all fail the run)
# and every infra/statemachine/*.asl.json with asl-validator. Works from any directory; needs only the PyPI and npm
# registries, and those only when a tool is missing.
set -euo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$infra_dir")"
cd "$repo_dir"

fail() { echo "infra/lint.sh: $*" >&2; exit 1; }

# --- cfn-lint -------------------------------------------------------------------------------------------------------
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "infra/lint.sh: cfn-lint not found, installing it with pip" >&2
  pip_cmd=()
  if command -v pip3 >/dev/null 2>&1; then pip_cmd=(pip3)
  elif command -v pip >/dev/null 2>&1; then pip_cmd=(pip)
  elif command -v python3 >/dev/null 2>&1; then pip_cmd=(python3 -m pip)
  else fail "cfn-lint is missing and there is no pip to install it; install cfn-lint (pip install cfn-lint)"; fi
  "${pip_cmd[@]}" install --quiet --disable-pip-version-check cfn-lint \
    || fail "cfn-lint is missing and 'pip install cfn-lint' failed (is PyPI reachable?); install it and rerun"
  hash -r
  command -v cfn-lint >/dev/null 2>&1 \
    || fail "cfn-lint was installed but is not on PATH (pip's script directory may be missing from PATH)"
fi

# -c I turns on the informational rules, which cfn-lint leaves out by default; --non-zero-exit-code informational
# makes any finding, of any level, fail the run. "--" stops -c from swallowing the file name.
cfn-lint --include-checks I --non-zero-exit-code informational -- template.yaml \
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

echo "infra lint OK: template.yaml clean under $(cfn-lint --version) (errors, warnings, informational);" \
     "${#definitions[@]} state machine definition(s) valid under asl-validator $("$asl_validator" --version)"
