#!/usr/bin/env bash
# Proves that the plugin runs on the Maven versions and JDKs its users have (it requires Maven 3.6.3+ and Java 17+),
# not only on the Maven 3.9 of this build's wrapper. Run after `./mvnw -B verify` (scripts/test.sh does), which built
# the plugin and installed it into target/local-repo.
#
#   api    compiles the main sources against the Maven 3.6.3 API (maven-core 3.6.3, resolver 1.4.1): every Maven class
#          and method the Mojos call exists in the oldest Maven the plugin's descriptor accepts
#   M:J[:IT,IT...]
#          runs ITs (default MATRIX_ITS) with Maven M (a distribution org.apache.maven:apache-maven:M:bin:tar.gz from
#          Maven Central, unpacked once into ~/.cache/devplugin/maven) on JDK J (a JDK under /usr/lib/jvm), each cell in
#          its own target/matrix-<cell>/ with its own reports (target/matrix-reports/<cell>/), apart from the main
#          run's target/it and target/invoker-reports; M = 4 takes the first of MAVEN4_CANDIDATES that Central has
#
# Usage: scripts/maven-matrix.sh [CELL...]   (default: the cells CI runs, below)
# The default cells keep the matrix to about six minutes on 2 cores. The oldest Maven, 3.6.3 on JDK 17, runs all of
# MATRIX_ITS: adopt-readme-snippet (the README's snippet: image, Dockerfile, Kubernetes manifests, compose files and
# verify-migrations on an embedded PostgreSQL in one `mvn verify`), compose-basic (compose generation, up to date, -D
# overrides, skip) and parallel-migrate-logs (migrate against PostgreSQL with settings.xml credentials, two modules
# under -T 4). Maven 3.8.8 and 4 on JDK 17 and Maven 3.9.16 on JDK 25 run adopt-readme-snippet, which touches every
# goal of the README's snippet. Maven 3.9 on JDK 17 is the main run's (the wrapper's 3.9.11, every IT).
set -euo pipefail
cd "$(dirname "$0")/.."

MATRIX_ITS=${MATRIX_ITS:-adopt-readme-snippet,compose-basic,parallel-migrate-logs}
DEFAULT_CELLS=(api "3.6.3:17:$MATRIX_ITS" 3.8.8:17:adopt-readme-snippet 4:17:adopt-readme-snippet
  3.9.16:25:adopt-readme-snippet)
MAVEN4_CANDIDATES=${MAVEN4_CANDIDATES:-4.0.0 4.0.0-rc-5}
CACHE=${DEVPLUGIN_CACHE:-$HOME/.cache/devplugin}/maven
cells=("$@")
((${#cells[@]} > 0)) || cells=("${DEFAULT_CELLS[@]}")

fail() {
  echo "maven-matrix: FAILED: $*" >&2
  exit 1
}

version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
installed="target/local-repo/io/github/devplugin/devplugin-maven-plugin/$version/devplugin-maven-plugin-$version.jar"

jdk_home() { # jdk_home FEATURE: a JDK of that feature version under /usr/lib/jvm
  local d
  for d in /usr/lib/jvm/*; do
    [[ -x "$d/bin/javac" && -f "$d/release" ]] || continue
    if grep -Eq "^JAVA_VERSION=\"$1([.\"])" "$d/release"; then
      readlink -f "$d"
      return 0
    fi
  done
  fail "no JDK $1 under /usr/lib/jvm (installed: $(ls /usr/lib/jvm | tr '\n' ' ')). Install one, or leave the cells on JDK $1 out."
}

maven_home() { # maven_home VERSION: an unpacked Maven distribution, fetched from Central on first use
  local v=$1 home="$CACHE/apache-maven-$1"
  if [[ ! -x "$home/bin/mvn" ]]; then
    mkdir -p "$CACHE"
    ./mvnw -B -q dependency:unpack -Dartifact="org.apache.maven:apache-maven:$v:tar.gz:bin" \
      -DoutputDirectory="$CACHE" >"$CACHE/fetch-$v.log" 2>&1 || return 1
    [[ -x "$home/bin/mvn" ]] || return 1
  fi
  echo "$home"
}

api_check() {
  local dir=target/matrix-api
  rm -rf "$dir" && mkdir -p "$dir/classes"
  ./mvnw -B -q dependency:build-classpath -Dmaven.version=3.6.3 -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$dir/classpath.txt" >"$dir/resolve.log" 2>&1 ||
    fail "api: resolving the Maven 3.6.3 API failed (see $dir/resolve.log)"
  tr ':' '\n' <"$dir/classpath.txt" | grep -q '/maven-core-3\.6\.3\.jar$' ||
    fail "api: the class path has no maven-core 3.6.3 (see $dir/classpath.txt)"
  find src/main/java -name '*.java' | sort >"$dir/sources.txt"
  javac --release 17 -proc:none -nowarn -d "$dir/classes" -cp "$(cat "$dir/classpath.txt")" "@$dir/sources.txt" \
    >"$dir/javac.log" 2>&1 || {
    cat "$dir/javac.log" >&2
    fail "api: the plugin calls Maven API that Maven 3.6.3 lacks (above): use what 3.6.3 has, or raise <prerequisites>"
  }
  echo "maven-matrix: api: the main sources compile against Maven 3.6.3's API (maven-core 3.6.3, resolver 1.4.1)"
}

run_cell() { # run_cell MAVEN JDK ITS
  local mv=$1 jdk=$2 ITS=$3 home java name dir reports start it f ok
  if [[ "$mv" == 4 ]]; then
    for mv in $MAVEN4_CANDIDATES; do
      home=$(maven_home "$mv") && break
      echo "maven-matrix: Maven $mv does not resolve from Maven Central; trying the next of: $MAVEN4_CANDIDATES"
      home=""
    done
    [[ -n "$home" ]] || fail "none of the Maven 4 versions $MAVEN4_CANDIDATES resolves (see $CACHE/fetch-*.log)"
  else
    home=$(maven_home "$mv") || fail "Maven $mv: the distribution did not resolve (see $CACHE/fetch-$mv.log)"
  fi
  java=$(jdk_home "$jdk")
  name="maven-$mv-jdk-$jdk"
  dir="$PWD/target/matrix-$name"
  reports="$PWD/target/matrix-reports/$name"
  rm -rf "$dir" "$reports"
  start=$SECONDS
  echo "maven-matrix: $name: ITs $ITS with $home on $java"
  # Maven 3.6.3 and 3.8 bind maven-compiler-plugin 3.1 by default, which ignores maven.compiler.release (source 1.5):
  # ITs that do not pin the compiler get source and target 17 (newer compilers take the release and ignore these);
  # invoker.mavenOpts comes after the pom's devplugin.it.jvmFlags, which every cell's forked Maven keeps
  ./mvnw -B invoker:run -Dinvoker.test="$ITS" -Dinvoker.mavenHome="$home" -Dinvoker.javaHome="$java" \
    -Dinvoker.mavenOpts="-Dmaven.compiler.source=17 -Dmaven.compiler.target=17" \
    -Dinvoker.reportsDirectory="$reports" -Ddevplugin.it.directory="$dir" >"target/matrix-reports-$name.log" 2>&1 || {
    tail -n 80 "target/matrix-reports-$name.log" >&2
    fail "$name: ITs failed (the whole log: target/matrix-reports-$name.log; each IT's: $dir/<it>/build.log)"
  }
  for it in ${ITS//,/ }; do
    ok=""
    for f in "$reports"/BUILD-*.xml; do
      [[ -f "$f" ]] || continue
      if grep -q "<build-job[^>]* project=\"$it/pom.xml\"[^>]* result=\"success\"" "$f"; then ok=yes; fi
    done
    [[ -n "$ok" ]] || fail "$name: $it has no successful report in $reports"
  done
  echo "maven-matrix: $name: ${ITS//,/, } passed ($((SECONDS - start)) s)"
}

[[ -f "$installed" ]] || fail "$installed is missing: run ./mvnw -B verify first (it installs the plugin for the ITs)"
mkdir -p target
for cell in "${cells[@]}"; do
  case "$cell" in
    api) api_check ;;
    *:*:*)
      IFS=: read -r m j its <<<"$cell"
      run_cell "$m" "$j" "$its"
      ;;
    *:*) run_cell "${cell%%:*}" "${cell##*:}" "$MATRIX_ITS" ;;
    *) fail "unknown cell '$cell': give api or MAVEN:JDK, e.g. 3.6.3:17 or 4:25" ;;
  esac
done
echo "maven-matrix: all cells passed: ${cells[*]}"
