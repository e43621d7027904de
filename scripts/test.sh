#!/usr/bin/env bash
# Runs every test: prepares the test environment (packages, registry, PostgreSQL, Podman, base images) and runs all
# unit tests and invoker ITs. Extra arguments go to Maven, e.g. scripts/test.sh -Dinvoker.test=config-prod
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-env.sh up
eval "$(scripts/test-env.sh env)"
./mvnw -B verify "$@"
