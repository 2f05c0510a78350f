#!/usr/bin/env bash
# Checks what `sam build` gets from the Makefile, without the SAM CLI: runs `make build-<LogicalId>` the way SAM's
# makefile workflow does (ARTIFACTS_DIR set, once per function, in the project root or a scratch copy) and checks the
# artifact against what Lambda runs:
#   JVM     all four functions share one Maven build; each ARTIFACTS_DIR holds exactly the content of the JVM
#           target/function.zip (the code infra/local/run.sh runs through AWS's Runtime Interface Client): the runner's
#           classes at the root and lib/*.jar, the class path java21 builds, on which the template's handler,
#           io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest, is a RequestStreamHandler;
#   native  with a stand-in function.zip (FUNCTION_ZIP) holding a Linux x86-64 executable as bootstrap: bootstrap is
#           executable and runs; a non-x86-64 bootstrap and a zip of the other packaging are refused;
#   the Maven command for each native build mode and host (a fake uname, docker and native-image on PATH);
#   every AWS::Serverless::Function of template.yaml has BuildMethod makefile and a build target here.
#
# usage: infra/test-sam-build.sh [--clean]
#   --clean   delete target/function.zip first, so that the first function's target must run Maven (~2 min)
# Without --clean, Maven runs only when target/function.zip is not a current JVM build (after `./mvnw verify` it is).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FUNCTIONS=(InitiateFunction CallbackFunction RetrieveFunction EraseFunction)
HANDLER_CLASS=io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler
passed=0
failed=0

ok() { printf '  ok    %s\n' "$*"; passed=$((passed + 1)); }
bad() { printf '  FAIL  %s\n' "$*"; failed=$((failed + 1)); }
check() { # description command...
  local what="$1"; shift
  if "$@" >"$WORK/out" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/        /' "$WORK/out"; fi
}
refused() { # description expected-message command...: the command must fail and say so
  local what="$1" expect="$2"; shift 2
  if "$@" >"$WORK/out" 2>&1; then bad "$what (it succeeded)"; sed 's/^/        /' "$WORK/out"
  elif grep -q -- "$expect" "$WORK/out"; then ok "$what"
  else bad "$what (no '$expect' in the output)"; sed 's/^/        /' "$WORK/out"; fi
}
entries() { if command -v unzip >/dev/null 2>&1; then unzip -Z1 "$1"; else jar tf "$1"; fi; }
files_in() { (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); }

# ---------------------------------------------------------------------------------------------------- template
echo "template.yaml and Makefile"
ids="$(awk '/^  [A-Za-z0-9]+:$/ { id = substr($1, 1, length($1) - 1) }
            /^    Type: AWS::Serverless::Function$/ { print id }' template.yaml)"
check "template.yaml declares the four functions (found: $(echo $ids))" \
  test "$(echo $ids)" = "${FUNCTIONS[*]}"
for id in $ids; do
  check "$id: Metadata BuildMethod makefile" \
    awk -v id="$id" '$0 == "  " id ":" { f = 1; next } f && /^  [^ ]/ { exit }
                     f && /^      BuildMethod: makefile$/ { m = 1 } END { exit !m }' template.yaml
  check "$id: make build-$id exists (make -n)" make -n "build-$id" PACKAGING=jvm ARTIFACTS_DIR="$WORK/n"
done
check "Globals: CodeUri is the project root, where the Makefile is" grep -qx '    CodeUri: \.' template.yaml

# ---------------------------------------------------------------------------------------------------- JVM
echo "JVM packaging (PACKAGING=jvm)"
if [[ "${1:-}" == --clean ]]; then rm -f target/function.zip; fi
: >"$WORK/make.log"
for id in "${FUNCTIONS[@]}"; do
  # SAM runs make in a scratch copy of CodeUri with --makefile pointing at the project's Makefile.
  mkdir -p "$WORK/scratch-$id"
  check "make build-$id (cwd: a scratch directory)" \
    bash -c 'cd "$1" && make --makefile "$2/Makefile" "build-$3" PACKAGING=jvm ARTIFACTS_DIR="$4" >>"$5" 2>&1' _ \
      "$WORK/scratch-$id" "$ROOT" "$id" "$WORK/jvm/$id" "$WORK/make.log"
done
builds="$(grep -c '^\[function.zip\] building' "$WORK/make.log" || true)"
if [[ "${1:-}" == --clean ]]; then
  check "Maven ran once for the four functions ($builds)" test "$builds" -eq 1
else
  check "Maven ran at most once for the four functions ($builds)" test "$builds" -le 1
fi
entries target/function.zip | grep -v '/$' | LC_ALL=C sort >"$WORK/zip.txt"
for id in "${FUNCTIONS[@]}"; do
  check "$id: ARTIFACTS_DIR holds exactly target/function.zip's $(wc -l <"$WORK/zip.txt" | tr -d ' ') files" \
    diff "$WORK/zip.txt" <(files_in "$WORK/jvm/$id")
done
A="$WORK/jvm/InitiateFunction"
check "no zip inside the artifact (SAM zips ARTIFACTS_DIR itself)" \
  test -z "$(find "$A" -maxdepth 1 -name '*.zip' -print)"
check "the runner's classes at the root" test -f "$A/io/quarkus/runner/ApplicationImpl.class"
check "the dependencies in lib/ ($(ls "$A"/lib/*.jar 2>/dev/null | wc -l | tr -d ' ') jars)" ls "$A"/lib/*.jar
# Lambda's Java runtime puts the root and every lib/*.jar on the class path, loads the handler class and calls
# handleRequest(InputStream, OutputStream, Context) on a RequestStreamHandler.
cat >"$WORK/HandlerCheck.java" <<'JAVA'
public class HandlerCheck {
    public static void main(String[] args) throws Exception {
        ClassLoader loader = HandlerCheck.class.getClassLoader();
        Class<?> handler = Class.forName(args[0], false, loader);
        Class<?> stream = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
        Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
        if (!stream.isAssignableFrom(handler)) {
            throw new AssertionError(handler + " is not a RequestStreamHandler");
        }
        handler.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class, context);
        handler.getConstructor();
        System.out.println(handler.getName() + "::handleRequest loads from " + handler.getProtectionDomain()
                .getCodeSource().getLocation());
    }
}
JAVA
check "java21's class path (root + lib/*) loads $HANDLER_CLASS::handleRequest, a RequestStreamHandler" \
  java -cp "$A:$A/lib/*" "$WORK/HandlerCheck.java" "$HANDLER_CLASS"
sed 's/^/        /' "$WORK/out"
check "template.yaml's JVM handler is that method" \
  grep -q "Handler: !If \[IsJvm, $HANDLER_CLASS::handleRequest, bootstrap\]" template.yaml

# ---------------------------------------------------------------------------------------------------- native
echo "native packaging (PACKAGING=native, stand-in zips)"
mkzip() { # zip-file dir: zips dir's content with the JDK's jar (no manifest)
  (cd "$2" && jar --create --no-manifest --file "$1" .)
}
mkdir -p "$WORK/native-x64" "$WORK/native-arm" "$WORK/native-out"
# A Linux x86-64 executable stands in for the native image: this machine's own `true` when it is one.
true_bin="$(command -v true)"
[[ "$true_bin" == /* ]] || true_bin=/bin/true
cp "$true_bin" "$WORK/native-x64/bootstrap"
mkzip "$WORK/native-x64.zip" "$WORK/native-x64"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\267\000' >"$WORK/native-arm/bootstrap"
mkzip "$WORK/native-arm.zip" "$WORK/native-arm"
if [[ "$(od -An -tx1 -N20 "$true_bin" | tr -d ' \n')" == 7f454c46020101*3e00 ]]; then
  for id in "${FUNCTIONS[@]}"; do
    check "make build-$id with FUNCTION_ZIP=<bootstrap zip>" \
      make -s "build-$id" PACKAGING=native FUNCTION_ZIP="$WORK/native-x64.zip" ARTIFACTS_DIR="$WORK/native-out/$id"
  done
  B="$WORK/native-out/InitiateFunction"
  check "ARTIFACTS_DIR holds bootstrap only" test "$(files_in "$B")" = bootstrap
  check "bootstrap is executable (jar does not keep the mode; make sets it)" test -x "$B/bootstrap"
  check "bootstrap runs" "$B/bootstrap"
else
  echo "  skip  this machine's 'true' is not a Linux x86-64 executable; the x86-64 stand-in checks need one"
fi
refused "a bootstrap that is not x86-64 (aarch64 ELF) is refused" "not a Linux x86-64 executable" \
  make -s build-InitiateFunction PACKAGING=native FUNCTION_ZIP="$WORK/native-arm.zip" ARTIFACTS_DIR="$WORK/arm"
refused "PACKAGING=jvm with a native zip is refused" "holds a 'native' build, not PACKAGING=jvm" \
  make -s build-InitiateFunction PACKAGING=jvm FUNCTION_ZIP="$WORK/native-x64.zip" ARTIFACTS_DIR="$WORK/mix1"
refused "PACKAGING=native with the JVM zip is refused" "holds a 'jvm' build, not PACKAGING=native" \
  make -s build-InitiateFunction PACKAGING=native FUNCTION_ZIP="$ROOT/target/function.zip" ARTIFACTS_DIR="$WORK/mix2"
refused "make without ARTIFACTS_DIR says what is missing" "ARTIFACTS_DIR is not set" \
  make -s build-InitiateFunction PACKAGING=native FUNCTION_ZIP="$WORK/native-x64.zip" ARTIFACTS_DIR=

# ---------------------------------------------------------------------------------------------------- commands
echo "native build commands (infra/build-function-zip.sh --dry-run, fake uname/docker/native-image on PATH)"
fake_host() { # dir os arch [tool...]
  local dir="$WORK/host-$1" os="$2" arch="$3" tool; shift 3
  mkdir -p "$dir"
  printf '#!/bin/sh\ncase "$1" in -s) echo %s;; -m) echo %s;; *) echo %s;; esac\n' "$os" "$arch" "$os" >"$dir/uname"
  for tool in "$@"; do printf '#!/bin/sh\nexit 0\n' >"$dir/$tool"; done
  chmod +x "$dir"/*
  printf '%s' "$dir"
}
linux_graal="$(fake_host linux-graal Linux x86_64 native-image)"
mac_docker="$(fake_host mac-docker Darwin arm64 docker)"
linux_docker="$(fake_host linux-docker Linux x86_64 docker)"
bare="$(fake_host linux-bare Linux x86_64)"
ln -s "$(command -v dirname)" "$bare/dirname"
# Each runs with PATH = the fake host's directory only (plus what the script needs), so that no docker or native-image
# of this machine counts.
command_for() { # host-dir NATIVE_BUILD: the Maven command, or the refusal
  env PATH="$1:$(dirname "$(command -v dirname)")" GRAALVM_HOME= NATIVE_BUILD="$2" \
    "$BASH" infra/build-function-zip.sh --dry-run native 2>&1
}
expect_command() { # description host-dir NATIVE_BUILD expected-ending
  local got
  got="$(command_for "$2" "$3" || true)"
  if [[ "$got" == *"$4" ]]; then ok "$1"; else bad "$1"; echo "        got: $got"; echo "        want: ...$4"; fi
}
expect_command "Linux x86-64 with native-image: a local build (-Dnative, no container)" "$linux_graal" auto \
  "/mvnw -B package -DskipTests -Dnative"
expect_command "Apple silicon with Docker: a container build for linux/amd64" "$mac_docker" auto \
  " -Dnative -Dquarkus.native.container-build=true -Dquarkus.native.container-runtime-options=--platform=linux/amd64"
expect_command "Linux x86-64 with Docker, NATIVE_BUILD=container: no --platform" "$linux_docker" container \
  " -Dnative -Dquarkus.native.container-build=true"
expect_command "Linux x86-64 with Docker and no native-image (auto): a container build" "$linux_docker" auto \
  " -Dnative -Dquarkus.native.container-build=true"
refused "NATIVE_BUILD=local on macOS is refused (Lambda needs a Linux binary)" "cannot run" \
  command_for "$mac_docker" local
refused "NATIVE_BUILD=local without GraalVM/Mandrel says what to install" "needs GraalVM or Mandrel" \
  command_for "$linux_docker" local
refused "no GraalVM and no container runtime: says what to install" "neither docker nor podman" \
  command_for "$bare" auto
check "JVM: ./mvnw -B package -DskipTests" \
  bash -c '[[ "$(infra/build-function-zip.sh --dry-run jvm)" == */mvnw\ -B\ package\ -DskipTests ]]'
echo "sam-build: $passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
