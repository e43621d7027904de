#!/usr/bin/env bash
# Proves that a build ran every suite: reads the reports that `./mvnw -B verify` left and fails, naming what is
# missing, unless
#   - every directory src/it/<name>/ holding an invoker.properties or a pom.xml has an invoker report
#     (target/invoker-reports/BUILD-*.xml) with result="success";
#   - the surefire reports (target/surefire-reports/TEST-*.xml) count at least the floor in .ci/min-unit-tests tests,
#     with 0 skipped, 0 failures, 0 errors.
# Usage:
#   scripts/check-test-reports.sh [ROOT]            check the plugin's build under ROOT (default: the repository)
#   scripts/check-test-reports.sh --example DIR     check that DIR/target/surefire-reports counts > 0 tests, all passed
#   scripts/check-test-reports.sh --example-its DIR check the same of DIR/target/failsafe-reports (its failsafe ITs)
#   scripts/check-test-reports.sh --refuse-selection ARG...
#                                                   exit 3 naming the first ARG that selects or skips tests, else 0
#   scripts/check-test-reports.sh --self-test       runs this checker on crafted report directories
set -euo pipefail

# -D properties and options that select or skip tests or ITs: a build given one of them proves nothing about the suites.
SELECTING='^-D(invoker\.test|invoker\.skip|skipTests|skipITs|skipUTs|maven\.test\.skip|test|it\.test|groups|excludedGroups|surefire\.excludesFile|surefire\.includesFile|surefire\.skip|skip)(=.*)?$'

fail() {
  echo "check-test-reports: FAILED: $*" >&2
  exit 1
}

attr() { # attr NAME LINE: the value of NAME="..." in LINE, empty when absent
  sed -n "s/.*[[:space:]]$1=\"\\([^\"]*\\)\".*/\\1/p" <<<"$2" | head -n 1
}

# sums tests/skipped/failures/errors over TEST-*.xml in $1; prints "tests skipped failures errors files"
surefire_totals() {
  local dir=$1 f line tests=0 skipped=0 failures=0 errors=0 files=0 v
  shopt -s nullglob
  for f in "$dir"/TEST-*.xml; do
    line=$(grep -m 1 -o '<testsuite[^>]*>' "$f" || true)
    [[ -n "$line" ]] || fail "$f has no <testsuite> element (a truncated report?)"
    files=$((files + 1))
    for v in tests skipped failures errors; do
      local n
      n=$(attr "$v" "$line")
      [[ "$n" =~ ^[0-9]+$ ]] || n=0
      case $v in
        tests) tests=$((tests + n)) ;;
        skipped) skipped=$((skipped + n)) ;;
        failures) failures=$((failures + n)) ;;
        errors) errors=$((errors + n)) ;;
      esac
    done
  done
  shopt -u nullglob
  echo "$tests $skipped $failures $errors $files"
}

check_surefire() { # check_surefire REPORTDIR FLOOR WHAT
  local dir=$1 floor=$2 what=$3 tests skipped failures errors files
  [[ -d "$dir" ]] || fail "$what: no surefire reports in $dir: the unit tests did not run"
  read -r tests skipped failures errors files < <(surefire_totals "$dir")
  ((files > 0)) || fail "$what: no TEST-*.xml in $dir: the unit tests did not run"
  ((skipped == 0)) || fail "$what: $skipped tests were skipped (see $dir): no test may be skipped"
  ((failures == 0 && errors == 0)) || fail "$what: $failures failures and $errors errors in $dir"
  ((tests >= floor)) || fail "$what: $tests unit tests ran, fewer than the floor of $floor: tests were lost or not run"
  echo "check-test-reports: $what: $tests tests in $files classes ran, 0 skipped, 0 failed (floor $floor)"
}

check_build() { # check_build ROOT
  local root=$1 floorfile="$1/.ci/min-unit-tests" floor reports="$1/target/invoker-reports" d name f line result
  local missing=() failed=() count=0
  [[ -f "$floorfile" ]] || fail "$floorfile is missing: it holds the lowest acceptable unit test count"
  floor=$(grep -v '^[[:space:]]*#' "$floorfile" | grep -E '^[[:space:]]*[0-9]+[[:space:]]*$' | head -n 1 | tr -d '[:space:]')
  [[ -n "$floor" ]] || fail "$floorfile holds no number"
  check_surefire "$root/target/surefire-reports" "$floor" "unit tests"

  for d in "$root"/src/it/*/; do
    name=$(basename "$d")
    [[ -f "$d/invoker.properties" || -f "$d/pom.xml" ]] || continue
    count=$((count + 1))
    result=""
    shopt -s nullglob
    for f in "$reports"/BUILD-*.xml; do
      line=$(grep -m 1 -o '<build-job[^>]*>' "$f" || true)
      case "$(attr project "$line")" in
        "$name" | "$name/pom.xml" | "$name/invoker.properties") result=$(attr result "$line"); break ;;
      esac
    done
    shopt -u nullglob
    if [[ -z "$result" ]]; then
      missing+=("$name")
    elif [[ "$result" != success ]]; then
      failed+=("$name ($result)")
    fi
  done
  ((count > 0)) || fail "no IT under $root/src/it"
  ((${#missing[@]} == 0)) || fail "these ITs did not run (no report in $reports): ${missing[*]}"
  ((${#failed[@]} == 0)) || fail "these ITs did not pass: ${failed[*]}"
  echo "check-test-reports: all $count ITs under src/it ran and passed"
}

refuse_selection() {
  local a
  for a in "$@"; do
    if [[ "$a" =~ $SELECTING ]]; then
      echo "$a"
      return 3
    fi
  done
  return 0
}

self_test() {
  local tmp ok=0 out
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mk() { # mk ROOT: a repository with two ITs, both passed, 3 unit tests, floor 3
    mkdir -p "$1/.ci" "$1/src/it/a" "$1/src/it/b" "$1/target/invoker-reports" "$1/target/surefire-reports"
    printf '# floor\n3\n' >"$1/.ci/min-unit-tests"
    touch "$1/src/it/a/pom.xml" "$1/src/it/b/invoker.properties" "$1/src/it/b/pom.xml" "$1/src/it/shared.groovy"
    mkdir -p "$1/src/it/not-an-it"
    for n in a b; do
      echo "<build-job project=\"$n/pom.xml\" name=\"\" result=\"success\" time=\"1\" />" >"$1/target/invoker-reports/BUILD-$n.xml"
    done
    echo '<testsuite name="X" time="1" tests="2" errors="0" skipped="0" failures="0">' >"$1/target/surefire-reports/TEST-X.xml"
    echo '<testsuite name="Y" time="1" tests="1" errors="0" skipped="0" failures="0">' >"$1/target/surefire-reports/TEST-Y.xml"
  }
  expect() { # expect pass|fail WORD CASE-NAME COMMAND...: the outcome, and WORD in the output
    local want=$1 word=$2 case=$3 rc=0
    shift 3
    out=$("$@" 2>&1) || rc=$?
    if [[ "$want" == pass && $rc -ne 0 ]] || [[ "$want" == fail && $rc -eq 0 ]] || ! grep -q -- "$word" <<<"$out"; then
      echo "self-test FAILED: $case (rc=$rc): $out" >&2
      ok=1
    fi
  }
  local self="$0"
  mk "$tmp/good"
  expect pass 'all 2 ITs' 'complete build' bash "$self" "$tmp/good"
  mk "$tmp/noit" && rm "$tmp/noit/target/invoker-reports/BUILD-b.xml"
  expect fail 'did not run (no report in' 'IT without report' bash "$self" "$tmp/noit"
  expect fail ': b' 'IT without report names it' bash "$self" "$tmp/noit"
  mk "$tmp/itfail" && sed -i 's/success/failure-post-hook/' "$tmp/itfail/target/invoker-reports/BUILD-a.xml"
  expect fail 'a (failure-post-hook)' 'failed IT' bash "$self" "$tmp/itfail"
  mk "$tmp/itskip" && sed -i 's/success/skipped/' "$tmp/itskip/target/invoker-reports/BUILD-a.xml"
  expect fail 'a (skipped)' 'skipped IT' bash "$self" "$tmp/itskip"
  mk "$tmp/noreports" && rm -r "$tmp/noreports/target/invoker-reports"
  expect fail 'a b' 'no invoker reports at all' bash "$self" "$tmp/noreports"
  mk "$tmp/skipped" && sed -i 's/skipped="0"/skipped="1"/' "$tmp/skipped/target/surefire-reports/TEST-Y.xml"
  expect fail '1 tests were skipped' 'skipped unit test' bash "$self" "$tmp/skipped"
  mk "$tmp/failed" && sed -i 's/failures="0"/failures="2"/' "$tmp/failed/target/surefire-reports/TEST-X.xml"
  expect fail '2 failures' 'failed unit test' bash "$self" "$tmp/failed"
  mk "$tmp/low" && rm "$tmp/low/target/surefire-reports/TEST-Y.xml"
  expect fail 'fewer than the floor of 3' 'count below the floor' bash "$self" "$tmp/low"
  mk "$tmp/nosure" && rm -r "$tmp/nosure/target/surefire-reports"
  expect fail 'unit tests did not run' 'no surefire reports' bash "$self" "$tmp/nosure"
  mk "$tmp/nofloor" && rm "$tmp/nofloor/.ci/min-unit-tests"
  expect fail 'min-unit-tests is missing' 'no floor file' bash "$self" "$tmp/nofloor"
  mkdir -p "$tmp/ex/target/surefire-reports"
  echo '<testsuite name="E" tests="1" errors="0" skipped="0" failures="0">' >"$tmp/ex/target/surefire-reports/TEST-E.xml"
  expect pass '1 tests in 1 classes' 'example with a test' bash "$self" --example "$tmp/ex"
  mkdir -p "$tmp/ex0/target/surefire-reports"
  echo '<testsuite name="E" tests="0" errors="0" skipped="0" failures="0">' >"$tmp/ex0/target/surefire-reports/TEST-E.xml"
  expect fail 'fewer than the floor of 1' 'example with no test' bash "$self" --example "$tmp/ex0"
  expect fail 'did not run' 'example not built' bash "$self" --example "$tmp/none"
  local a
  for a in -Dinvoker.test=help -Dinvoker.skip -Dinvoker.skip=true -DskipTests -Dtest=FooTest -Dmaven.test.skip=true -DskipITs; do
    expect fail "$a" "refuses $a" bash "$self" --refuse-selection -B "$a"
  done
  for a in -o -Dinvoker.parallelThreads=2 -Dtestcontainers=x -Dsurefire.failIfNoSpecifiedTests=false -Dtests.dir=x; do
    expect pass '' "accepts $a" bash "$self" --refuse-selection "$a"
  done
  ((ok == 0)) || return 1
  echo "check-test-reports: self-test passed"
}

case "${1:-}" in
  --self-test) self_test ;;
  --example)
    [[ $# -eq 2 ]] || fail "usage: $0 --example DIR"
    check_surefire "$2/target/surefire-reports" 1 "$2"
    ;;
  --example-its)
    [[ $# -eq 2 ]] || fail "usage: $0 --example-its DIR"
    check_surefire "$2/target/failsafe-reports" 1 "$2 (failsafe ITs against devplugin:up's stack)"
    ;;
  --refuse-selection)
    shift
    refuse_selection "$@"
    ;;
  *) check_build "${1:-$(cd "$(dirname "$0")/.." && pwd)}" ;;
esac
