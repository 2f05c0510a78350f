#!/usr/bin/env bash
# Native build + native integration tests (src/test/java/io/jumiorisk/it, run by failsafe against target/*-runner).
#
# No GraalVM/Mandrel/Docker on our machines: the native-image builder comes from shared/native-kit, assembled once
# into a cache directory outside the repository. With a real GraalVM or Mandrel, set GRAALVM_HOME and the kit is not
# used. Needs: a JDK 25 (JDK25_HOME), gcc (the kit compiles its C shims), make, the pinned Python packages
# (infra/python-env.sh), Maven Central.
#
#   .ci/native.sh                 build and test in this checkout (CI: a fresh clone)
#   NATIVE_WORKDIR=/tmp/nb .ci/native.sh
#                                 copy the tracked and untracked-but-not-ignored files there first and build there,
#                                 so that a long native build leaves this checkout's target/ alone
# Extra arguments go to Maven, e.g. -Dit.test=RetrieveIT.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
JDK25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
KIT="${NATIVE_KIT:-$REPO/../shared/native-kit}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"

for tool in make; do
  command -v "$tool" >/dev/null 2>&1 || { echo ".ci/native.sh: '$tool' is required" >&2; exit 2; }
done
# The tests start moto under this interpreter (MotoServer reads JUMIO_PYTHON), here and in NATIVE_WORKDIR alike.
source "$REPO/infra/python-env.sh" \
  || { echo ".ci/native.sh: no Python with the pins of infra/requirements.txt (docs/local.md)" >&2; exit 2; }
"$JDK25/bin/java" -version 2>&1 | grep -q 'version "25' \
  || { echo ".ci/native.sh: no JDK 25 at $JDK25 (set JDK25_HOME)" >&2; exit 2; }

if [ -n "${GRAALVM_HOME:-}" ]; then
  GVM="$GRAALVM_HOME"
else
  GVM="${NATIVE_GVM_HOME:-$CACHE/jumio-gvm}"
  if [ ! -x "$GVM/bin/native-image" ]; then
    [ -x "$KIT/build-gvm.sh" ] || { echo ".ci/native.sh: native kit not found at $KIT (set NATIVE_KIT)" >&2; exit 2; }
    command -v gcc >/dev/null 2>&1 || { echo ".ci/native.sh: the native kit needs gcc" >&2; exit 2; }
    echo ".ci/native.sh: assembling the native-image home in $GVM"
    rm -rf "$GVM"
    "$KIT/build-gvm.sh" "$GVM" "$JDK25"
  fi
fi

cd "$REPO"
if [ -n "${NATIVE_WORKDIR:-}" ]; then
  mkdir -p "$NATIVE_WORKDIR"
  git ls-files -z --cached --others --exclude-standard | tar --null -cf - -T - | tar -xf - -C "$NATIVE_WORKDIR"
  cd "$NATIVE_WORKDIR"
fi

# -Dtest=none skips the JVM tests (surefire) only; -DskipTests would skip failsafe's native tests as well.
start=$(date +%s)
JAVA_HOME="$JDK25" ./mvnw -B verify -Dnative -Dquarkus.native.graalvm-home="$GVM" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo ".ci/native.sh: native build and integration tests took $(( $(date +%s) - start )) s"
ls -l target/*-runner
# What sam build makes of it (Makefile, PACKAGING=native): bootstrap, a Linux x86-64 executable. FUNCTION_ZIP names the
# zip just built, so that make only unpacks and checks it.
artifacts="$(mktemp -d)"
make -s build-InitiateFunction PACKAGING=native FUNCTION_ZIP=target/function.zip ARTIFACTS_DIR="$artifacts"
ls -l "$artifacts"
rm -rf "$artifacts"
