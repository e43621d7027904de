#!/usr/bin/env bash
# Builds the plugin site (target/site: the goals and parameters from the plugin descriptor, and configuration.html
# generated from config.ConfigKeys) and checks every page in headless Chromium (scripts/check-site.py: renders, no
# broken local link or anchor, nothing loaded from the network). Fails when either fails. Extra arguments go to Maven.
# scripts/test.sh runs it after the suites.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  echo "site.sh: installing Debian's chromium for the page check"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
start=$(date +%s)
rm -rf target/site target/generated-site
./mvnw -B process-classes site "$@"
built=$(date +%s)
python3 scripts/check-site.py target/site
echo "site.sh: site built in $((built - start)) s, checked in $(($(date +%s) - built)) s"
