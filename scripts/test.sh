#!/usr/bin/env bash
# Runs every test: prepares the test environment (packages, registry, PostgreSQL, Podman, base images), runs all
# unit tests and invoker ITs, then the README's main command on example-project (its unit test included), and proves
# from the reports that every suite ran (scripts/check-test-reports.sh); then a few ITs on other Maven versions and
# JDKs (scripts/maven-matrix.sh), and the plugin site (scripts/site.sh). Extra arguments go to Maven, e.g.
# scripts/test.sh -Dinvoker.test=config-prod: arguments (or MAVEN_ARGS, .mvn/maven.config) that select or skip tests are
# refused when CI=true; elsewhere they make the completeness check not applicable, which the output says.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/check-test-reports.sh --self-test

read -r -a maven_args <<<"${MAVEN_ARGS:-}"
config_args=()
if [[ -f .mvn/maven.config ]]; then read -r -d '' -a config_args <.mvn/maven.config || true; fi
selection=$(scripts/check-test-reports.sh --refuse-selection "$@" "${maven_args[@]}" "${config_args[@]}") || true
if [[ -n "$selection" && "${CI:-}" == true ]]; then
  echo "scripts/test.sh: refused: '$selection' selects or skips tests, and CI=true runs every test." >&2
  echo "Run scripts/test.sh without it (and without it in MAVEN_ARGS and .mvn/maven.config)." >&2
  exit 2
fi

scripts/test-env.sh up
eval "$(scripts/test-env.sh env)"
# stale reports of an earlier run must not count as this run's
rm -rf target/invoker-reports target/surefire-reports example-project/target/surefire-reports
./mvnw -B verify "$@"

if [[ -n "$selection" ]]; then
  echo "check-test-reports: NOT APPLICABLE: '$selection' selected or skipped tests, so this run proves nothing about"
  echo "the whole suite; the README's main command on example-project was not run either."
  exit 0
fi
scripts/check-test-reports.sh

# The README's main command (./mvnw -B install -DskipTests -Dinvoker.skip=true && ./mvnw -B -f
# example-project/pom.xml verify -DskipITs, here with its ITs) without building twice: the invoker already installed this build of the plugin into
# target/local-repo; the example reads it there, and everything else from the usual local repository.
outer_repo=$(sed -n 's:.*<localRepository>\(.*\)</localRepository>.*:\1:p' "$HOME/.m2/settings.xml" 2>/dev/null || true)
# its failsafe ITs run between devplugin:up and devplugin:down on the test environment's Podman API (DOCKER_HOST, as a
# user points any Docker client at it) with the test registry's PostgreSQL and Redis images (no Docker Hub here)
DOCKER_HOST="$DEVPLUGIN_TEST_PODMAN_SOCKET" \
./mvnw -B -f example-project/pom.xml verify -Dmaven.repo.local="$PWD/target/local-repo" \
  -Dmaven.repo.local.tail="${outer_repo:-$HOME/.m2/repository}" \
  -Dnotes.postgresImage="$DEVPLUGIN_TEST_POSTGRES_IMAGE" -Dnotes.redisImage="$DEVPLUGIN_TEST_REDIS_IMAGE"
scripts/check-test-reports.sh --example example-project
scripts/check-test-reports.sh --example-its example-project

# the plugin site (goals and parameters, and the configuration reference generated from config.ConfigKeys), every page
# checked in headless Chromium (renders, no broken local link or anchor); fails the run when either fails
scripts/site.sh

# the plugin on the Maven versions and JDKs users have: Maven 3.6.3, 3.8.8 and 4 on JDK 17, Maven 3.9 on JDK 25, and a
# compile check against the Maven 3.6.3 API (scripts/maven-matrix.sh says which ITs; separate directories and reports)
scripts/maven-matrix.sh
