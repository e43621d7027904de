#!/usr/bin/env bash
# Rewrites the golden files (src/it/<it>/expected/) from what the ITs generate now; review the result with git diff.
#   scripts/update-golden.sh                 every IT that checks golden files
#   scripts/update-golden.sh k8s-example     one or more ITs by name
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-env.sh up
eval "$(scripts/test-env.sh env)"
if (($#)); then
  its=$(IFS=,; echo "$*")
else
  its=$(grep -l "golden.groovy" src/it/*/verify.groovy | xargs -n1 dirname | xargs -n1 basename | paste -sd, -)
fi
DEVPLUGIN_UPDATE_GOLDEN=1 ./mvnw -B verify -Dinvoker.test="$its" -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
git status --short -- 'src/it/*/expected'
