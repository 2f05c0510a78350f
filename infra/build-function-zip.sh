#!/usr/bin/env bash
# Makes target/function.zip hold a current build of one packaging, and runs Maven (./mvnw) only when it does not:
# when the zip is missing, holds the other packaging, or is older than pom.xml or anything under src/main. Used by
# the Makefile (sam build) and by infra/local/run.sh; see docs/deploy.md.
#
# usage: infra/build-function-zip.sh [--force] [--dry-run] native|jvm
#        infra/build-function-zip.sh --kind [ZIP]    print what a zip holds (default target/function.zip):
#                                                    native (a bootstrap entry), jvm (the runner's classes and lib/),
#                                                    none (no such file) or unknown
#   --force     build even when the zip looks current
#   --dry-run   print the Maven command instead of running it
# Environment:
#   NATIVE_BUILD                native only: how to run native-image
#                                 local      GraalVM or Mandrel on this machine (native-image in GRAALVM_HOME/bin or
#                                            on PATH); Linux x86-64 hosts only, as Lambda needs a Linux x86-64 binary
#                                 container  Quarkus' builder image under Docker or Podman
#                                            (-Dquarkus.native.container-build=true)
#                                 auto       (default) local on Linux x86-64 when native-image is there, else container
#   NATIVE_CONTAINER_PLATFORM   native container builds: the builder's platform, passed as
#                               -Dquarkus.native.container-runtime-options=--platform=...; default linux/amd64 when this
#                               host is not x86-64 (Apple silicon, Graviton), none otherwise
#   MAVEN_ARGS                  more Maven arguments (Maven reads this variable itself), e.g. -o, or
#                               -Dquarkus.native.container-runtime=podman
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZIP="$ROOT/target/function.zip"

say() { printf '[function.zip] %s\n' "$*"; }
die() { printf '[function.zip] error: %s\n' "$*" >&2; exit 1; }

# The entries of a zip, one a line: unzip where it exists (Linux distributions may lack it), else the JDK's jar.
zip_entries() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -Z1 "$1"
  elif command -v jar >/dev/null 2>&1; then
    jar tf "$1"
  else
    die "neither unzip nor the JDK's jar is on PATH"
  fi
}

# native: Quarkus' native function.zip holds the executable as "bootstrap" (provided.al2023 runs it).
# jvm: the runner jar's classes at the root (io/quarkus/runner/...) and the dependencies in lib/ (java21 loads both).
zip_kind() {
  local zip="$1" entries
  [[ -f "$zip" ]] || { echo none; return; }
  entries="$(zip_entries "$zip" 2>/dev/null)" || { echo unknown; return; }
  if grep -qx 'bootstrap' <<<"$entries"; then
    echo native
  elif grep -qx 'io/quarkus/runner/ApplicationImpl.class' <<<"$entries" && grep -q '^lib/.*\.jar$' <<<"$entries"; then
    echo jvm
  else
    echo unknown
  fi
}

FORCE=false
DRY_RUN=false
PACKAGING=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kind) zip_kind "${2:-$ZIP}"; exit 0 ;;
    --force) FORCE=true; shift ;;
    --dry-run) DRY_RUN=true; shift ;;
    native|jvm) PACKAGING="$1"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (expected native or jvm; see --help)" ;;
  esac
done
[[ -n "$PACKAGING" ]] || die "which packaging? native or jvm (see --help)"

cd "$ROOT"

# ------------------------------------------------------------------------------------------------ the Maven command
MVN=("$ROOT/mvnw" -B package -DskipTests)
if [[ "$PACKAGING" == native ]]; then
  MVN+=(-Dnative)
  host_os="$(uname -s)"
  host_arch="$(uname -m)"
  is_linux_x64=false
  [[ "$host_os" == Linux && ( "$host_arch" == x86_64 || "$host_arch" == amd64 ) ]] && is_linux_x64=true
  have_native_image=false
  if [[ -n "${GRAALVM_HOME:-}" && -x "${GRAALVM_HOME}/bin/native-image" ]]; then have_native_image=true; fi
  if command -v native-image >/dev/null 2>&1; then have_native_image=true; fi
  mode="${NATIVE_BUILD:-auto}"
  if [[ "$mode" == auto ]]; then
    if [[ "$is_linux_x64" == true && "$have_native_image" == true ]]; then mode=local; else mode=container; fi
  fi
  case "$mode" in
    local)
      [[ "$is_linux_x64" == true ]] || die "NATIVE_BUILD=local on $host_os/$host_arch would build a binary Lambda" \
        "cannot run (it needs Linux x86-64): use NATIVE_BUILD=container (Docker or Podman)"
      [[ "$have_native_image" == true ]] || die "NATIVE_BUILD=local needs GraalVM or Mandrel (native-image in" \
        "GRAALVM_HOME/bin or on PATH); or use NATIVE_BUILD=container (Docker or Podman)"
      ;;
    container)
      if ! command -v docker >/dev/null 2>&1 && ! command -v podman >/dev/null 2>&1; then
        die "a native build without GraalVM/Mandrel on Linux x86-64 runs in a container, and neither docker nor" \
          "podman is on PATH: install one (docs/deploy.md), or build the JVM packaging (PACKAGING=jvm)"
      fi
      if [[ "$DRY_RUN" == false ]] && ! { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; } \
          && ! { command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1; }; then
        die "the native build runs in a container, but neither 'docker info' nor 'podman info' answers: start" \
          "Docker Desktop, the Docker daemon or the Podman machine, or build the JVM packaging (PACKAGING=jvm)"
      fi
      MVN+=(-Dquarkus.native.container-build=true)
      platform="${NATIVE_CONTAINER_PLATFORM-}"
      if [[ -z "${NATIVE_CONTAINER_PLATFORM+set}" && "$host_arch" != x86_64 && "$host_arch" != amd64 ]]; then
        platform=linux/amd64
      fi
      [[ -z "$platform" ]] || MVN+=("-Dquarkus.native.container-runtime-options=--platform=$platform")
      ;;
    *) die "NATIVE_BUILD must be auto, local or container (not '$mode')" ;;
  esac
fi

if [[ "$DRY_RUN" == true ]]; then
  printf '%s\n' "${MVN[*]}"
  exit 0
fi

# ------------------------------------------------------------------------------------------------ current?
current() {
  [[ "$(zip_kind "$ZIP")" == "$PACKAGING" ]] || return 1
  # Directories count too, so that a deleted source file makes the zip stale.
  [[ -z "$(find pom.xml src/main -newer "$ZIP" -print 2>/dev/null | head -n 1 || true)" ]]
}

if [[ "$FORCE" == false ]] && current; then
  say "target/function.zip is a current $PACKAGING build"
  exit 0
fi

# One Maven build at a time in target/ (sam build --parallel starts the four functions' builds together): the first
# builds, the others wait and then find the zip current. mkdir is atomic on every file system.
LOCK="$ROOT/target/.function-zip.lock"
mkdir -p "$ROOT/target"
waited=0
until mkdir "$LOCK" 2>/dev/null; do
  owner="$(cat "$LOCK/pid" 2>/dev/null || true)"
  if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then rm -rf "$LOCK"; continue; fi
  (( waited % 30 == 0 )) && say "waiting for another build of target/function.zip (pid ${owner:-?})"
  sleep 1
  waited=$((waited + 1))
done
echo $$ >"$LOCK/pid"
trap 'rm -rf "$LOCK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$FORCE" == false ]] && current; then
  say "target/function.zip is a current $PACKAGING build (made while waiting)"
  exit 0
fi

say "building the $PACKAGING packaging: ${MVN[*]}"
"${MVN[@]}"
kind="$(zip_kind "$ZIP")"
[[ "$kind" == "$PACKAGING" ]] || die "Maven finished, but target/function.zip holds a '$kind' build, not $PACKAGING"
say "target/function.zip: $PACKAGING build done"
