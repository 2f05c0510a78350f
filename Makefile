# Builds the Lambda code for `sam build` (template.yaml: every function has Metadata BuildMethod: makefile and
# CodeUri: .). SAM runs `make build-<LogicalId>` with ARTIFACTS_DIR set, once per function; each target makes sure
# target/function.zip is a current build (infra/build-function-zip.sh runs ./mvnw only when it is not, so the four
# functions share one Maven build) and unpacks it into $(ARTIFACTS_DIR), which is what Lambda runs:
#   PACKAGING=native  bootstrap, the Linux x86-64 executable that provided.al2023 starts
#   PACKAGING=jvm     the runner's classes at the root and the dependencies in lib/, which java21 puts on its class
#                     path and enters through io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest
#
# Variables (environment or make command line; `sam build` passes its own environment on to make):
#   PACKAGING      native (default) or jvm. It must match the template parameter Packaging, which samconfig.toml
#                  sets: `sam build && sam deploy --guided` for native, and for the JVM packaging
#                  `PACKAGING=jvm sam build --config-env jvm && sam deploy --guided --config-env jvm`.
#   NATIVE_BUILD   auto (default), local (GraalVM/Mandrel here, Linux x86-64 only) or container (Docker/Podman);
#                  see infra/build-function-zip.sh and docs/deploy.md.
#   FUNCTION_ZIP   deploy this function.zip (built elsewhere, e.g. by CI) instead of building target/function.zip.
# Maven runs in this directory's target/, not in SAM's scratch copy of it, so the build is shared and incremental.
# Paths with spaces are not supported (make's own limit).

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
PACKAGING ?= native
FUNCTION_ZIP ?=
FUNCTIONS := InitiateFunction CallbackFunction RetrieveFunction EraseFunction
ZIP := $(if $(FUNCTION_ZIP),$(abspath $(FUNCTION_ZIP)),$(ROOT)/target/function.zip)

.PHONY: help function-zip $(addprefix build-,$(FUNCTIONS))

help:
	@sed -n '1,/^$$/p' "$(ROOT)/Makefile" | sed 's/^# \{0,1\}//'
	@echo "Targets: $(addprefix build-,$(FUNCTIONS)) (sam build runs them), function-zip"

# target/function.zip for PACKAGING, built only when it is not current.
function-zip:
	@case "$(PACKAGING)" in native|jvm) ;; *) echo "PACKAGING must be native or jvm, not '$(PACKAGING)'" >&2; exit 2;; esac
	@if [ -n "$(FUNCTION_ZIP)" ]; then \
	  test -f "$(ZIP)" || { echo "FUNCTION_ZIP=$(FUNCTION_ZIP): no such file" >&2; exit 2; }; \
	else \
	  "$(ROOT)/infra/build-function-zip.sh" "$(PACKAGING)"; \
	fi
	@kind=`"$(ROOT)/infra/build-function-zip.sh" --kind "$(ZIP)"`; \
	if [ "$$kind" != "$(PACKAGING)" ]; then \
	  echo "$(ZIP) holds a '$$kind' build, not PACKAGING=$(PACKAGING)" >&2; exit 2; \
	fi

$(addprefix build-,$(FUNCTIONS)): function-zip
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	@mkdir -p "$(ARTIFACTS_DIR)"
	@if command -v unzip >/dev/null 2>&1; then \
	  unzip -q -o "$(ZIP)" -d "$(ARTIFACTS_DIR)"; \
	else \
	  (cd "$(ARTIFACTS_DIR)" && jar xf "$(ZIP)"); \
	fi
	@if [ "$(PACKAGING)" = native ]; then \
	  chmod 755 "$(ARTIFACTS_DIR)/bootstrap"; \
	  magic=`od -An -tx1 -N20 "$(ARTIFACTS_DIR)/bootstrap" | tr -d ' \n'`; \
	  case "$$magic" in \
	    7f454c46020101*3e00) ;; \
	    *) echo "bootstrap is not a Linux x86-64 executable (ELF header $$magic): build with NATIVE_BUILD=container" >&2; \
	       exit 2;; \
	  esac; \
	else \
	  test -f "$(ARTIFACTS_DIR)/io/quarkus/runner/ApplicationImpl.class" && ls "$(ARTIFACTS_DIR)"/lib/*.jar >/dev/null \
	    || { echo "$(ARTIFACTS_DIR) lacks the runner's classes or lib/*.jar" >&2; exit 2; }; \
	fi
	@echo "$(@:build-%=%): $(PACKAGING) code in $(ARTIFACTS_DIR) (deploy it with Packaging=$(PACKAGING))"
