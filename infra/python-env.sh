# shellcheck shell=bash
# Chooses the Python interpreter for every script and test of the project, in one place:
#
#   1. $JUMIO_PYTHON, when it is set: used as it is (nothing is checked or installed);
#   2. target/venv, when it exists (the pins of infra/requirements.txt are installed again when they changed);
#   3. the python3 on PATH, when it already has every pinned version of infra/requirements.txt (nothing is installed:
#      machines without PyPI access keep working with what they have);
#   4. otherwise a new virtual environment, target/venv, with the pinned packages installed from PyPI.
# Nothing is ever installed into the python3 on PATH. `mvn clean` removes target/venv; the next run makes it again.
#
# Usage:
#   source infra/python-env.sh || exit 1     sets and exports JUMIO_PYTHON (an absolute path); returns 1 with a
#                                            message on stderr when no interpreter can be had
#   bash infra/python-env.sh                 prints the interpreter's path (what MotoServer, in the tests, uses)
# Needs python3 >= 3.9 on PATH (with its venv module for step 4). Works with bash 3.2 (macOS) and later.

_jpe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_jpe_requirements="$_jpe_root/infra/requirements.txt"
_jpe_venv="$_jpe_root/target/venv"

_jpe_say() { printf 'python-env: %s\n' "$*" >&2; }

# Exit status 0 when the interpreter $1 has every pinned version of infra/requirements.txt, including the packages of
# the extras asked for (moto[server]); otherwise prints what is missing (with $2 = verbose) and exits 1.
_jpe_satisfies() {
  "$1" - "$_jpe_requirements" "${2:-}" <<'PY'
import re, sys

verbose = sys.argv[2] == "verbose"
if sys.version_info < (3, 9):
    if verbose:
        print("  Python %s is too old (3.9 or later is needed)" % sys.version.split()[0], file=sys.stderr)
    sys.exit(1)
from importlib import metadata

missing = []

def installed(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[([A-Za-z0-9_,-]+)\])?==([^\s;]+)", line)
    if not m:
        missing.append(f"{line} (infra/requirements.txt: only name[extras]==version lines are understood)")
        continue
    name, extras, pin = m.group(1), m.group(2), m.group(3)
    have = installed(name)
    if have != pin:
        missing.append(f"{name}=={pin} (found {have or 'none'})")
        continue
    for extra in (extras or "").split(","):
        if not extra:
            continue
        for req in metadata.requires(name) or []:
            if re.search(r"""extra\s*==\s*['"]%s['"]""" % re.escape(extra), req):
                dep = re.match(r"[A-Za-z0-9._-]+", req).group(0)
                if installed(dep) is None:
                    missing.append(f"{dep} (for {name}[{extra}])")
if missing and verbose:
    print("  missing: " + ", ".join(missing), file=sys.stderr)
sys.exit(1 if missing else 0)
PY
}

# The interpreter's own path, so that a pyenv shim or a PATH change later cannot swap it for another.
_jpe_executable() { "$1" -c 'import sys; print(sys.executable)'; }

# Creates or updates target/venv under a lock (a directory: mkdir is atomic everywhere), since tests may ask for it
# from several processes at once.
_jpe_make_venv() {
  local lock="$_jpe_root/target/.venv.lock" waited=0 owner
  mkdir -p "$_jpe_root/target"
  until mkdir "$lock" 2>/dev/null; do
    owner="$(cat "$lock/pid" 2>/dev/null || true)"
    if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
      rm -rf "$lock"
      continue
    fi
    if (( waited % 30 == 0 )); then _jpe_say "waiting for another process that is preparing target/venv"; fi
    sleep 1
    waited=$((waited + 1))
  done
  echo $$ >"$lock/pid"
  local rc=0 created=false
  if [[ -x "$_jpe_venv/bin/python3" ]] && _jpe_satisfies "$_jpe_venv/bin/python3"; then
    rc=0 # made by whoever held the lock before us
  else
    if [[ ! -x "$_jpe_venv/bin/python3" ]]; then
      _jpe_say "creating target/venv with $(command -v python3)"
      rm -rf "$_jpe_venv"
      created=true
      if ! python3 -m venv "$_jpe_venv" >&2; then
        _jpe_say "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
        rc=1
      fi
    fi
    if (( rc == 0 )); then
      _jpe_say "installing infra/requirements.txt into target/venv (pip, from PyPI)"
      if ! "$_jpe_venv/bin/python3" -m pip install --disable-pip-version-check --quiet \
          -r "$_jpe_requirements" >&2; then
        _jpe_say "pip could not install infra/requirements.txt into target/venv (is PyPI reachable?)"
        rc=1
      elif ! _jpe_satisfies "$_jpe_venv/bin/python3" verbose; then
        _jpe_say "target/venv still lacks pinned packages after pip install"
        rc=1
      fi
    fi
    # A venv made now but left without its packages would only be tried again next time: leave none behind.
    if (( rc != 0 )) && [[ "$created" == true ]]; then rm -rf "$_jpe_venv"; fi
  fi
  rm -rf "$lock"
  return "$rc"
}

_jpe_choose() {
  if [[ -n "${JUMIO_PYTHON:-}" ]]; then
    printf '%s\n' "$JUMIO_PYTHON"
    return 0
  fi
  if [[ -x "$_jpe_venv/bin/python3" ]]; then
    if _jpe_satisfies "$_jpe_venv/bin/python3" || _jpe_make_venv; then
      printf '%s\n' "$_jpe_venv/bin/python3"
      return 0
    fi
    _jpe_say "target/venv is out of date with infra/requirements.txt and could not be updated"
    if _jpe_satisfies python3 2>/dev/null; then
      _jpe_executable python3
      return 0
    fi
    _jpe_say "no usable Python: install the pins of infra/requirements.txt (see docs/local.md), or set JUMIO_PYTHON"
    return 1
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    _jpe_say "no python3 on PATH: install Python 3.9 or later (see docs/local.md)"
    return 1
  fi
  if _jpe_satisfies python3; then
    _jpe_executable python3
    return 0
  fi
  _jpe_say "$(command -v python3) lacks pinned packages of infra/requirements.txt; using target/venv instead"
  _jpe_satisfies python3 verbose || true
  if _jpe_make_venv; then
    printf '%s\n' "$_jpe_venv/bin/python3"
    return 0
  fi
  _jpe_say "no usable Python: install the pins of infra/requirements.txt (see docs/local.md), or set JUMIO_PYTHON"
  return 1
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced.
  if JUMIO_PYTHON="$(_jpe_choose)"; then
    export JUMIO_PYTHON
  else
    unset JUMIO_PYTHON
    return 1
  fi
else
  set -euo pipefail
  _jpe_choose
fi
