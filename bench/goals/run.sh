#!/usr/bin/env bash
# Benchmark: where the time of a devplugin goal goes when there is nothing to do (issue 15), next to Maven's own
# project load (`mvn validate`) and the anchor plugins (jib-maven-plugin's build, flyway-maven-plugin's migrate).
#
#   scripts/test-env.sh up && eval "$(scripts/test-env.sh env)" && bench/goals/run.sh      (REPS=5 by default, >= 5)
#
# On a copy of example-project (image to the test registry on the test base image, the database on the test
# PostgreSQL), after one `mvn package` + `devplugin:migrate` that does the work, every scenario below is a whole `mvn`
# invocation of an up-to-date goal, run REPS times after a discarded warm-up (which may still do work: a goal run on
# its own after `package` can see other inputs, e.g. no packaged jar, and does the work once), the scenarios taking turns in an order
# that rotates from one repetition to the next. For each it prints medians of
#   start->goal   from launching mvn to the goal's header line (JVM start, Maven, project model, plugin realm)
#   goal          from the header line to the next one (the goal itself: configuration, checks, the decision)
#   total         wall clock of the invocation
#   classes       classes the JVM loaded in all, and those loaded while the goal ran, by library (-Xlog:class+load),
#                 which shows what the goal touched before deciding there was nothing to do
# and the load average (uptime) before and after, since the machine may be shared. Works in bench/work/goals/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REPS="${REPS:-5}"
[ "$REPS" -ge 5 ] || { echo "REPS=$REPS: at least 5 runs are needed for a median" >&2; exit 2; }
JIB_VERSION="${JIB_VERSION:-3.5.2}"
FLYWAY_VERSION="${FLYWAY_VERSION:-13.12.0}"
: "${DEVPLUGIN_TEST_REGISTRY:?run scripts/test-env.sh up and eval \"\$(scripts/test-env.sh env)\" first}"
: "${DEVPLUGIN_TEST_PG_ADMIN_URL:?run scripts/test-env.sh up and eval \"\$(scripts/test-env.sh env)\" first}"
REG="$DEVPLUGIN_TEST_REGISTRY"
BASE="$DEVPLUGIN_TEST_BASE_IMAGE"
WORK="$ROOT/bench/work/goals"
# database and registry repository names of this checkout's own (engineers share the test PostgreSQL and registry)
ID=$(basename "$ROOT" | tr -c 'a-z0-9\n' '_')
DB="bench_goals_$ID"
REPO="$ROOT/bench/work/repo"
SETTINGS="$ROOT/bench/image/settings.xml"
PGHOSTPORT=$(echo "$DEVPLUGIN_TEST_PG_ADMIN_URL" | sed -E 's#jdbc:postgresql://([^/]+)/.*#\1#')
export PGPASSWORD="$DEVPLUGIN_TEST_PG_PASSWORD" NOTES_DB_PASSWORD="$DEVPLUGIN_TEST_PG_PASSWORD"
psql_admin() { psql -X -q -h "${PGHOSTPORT%:*}" -p "${PGHOSTPORT#*:}" -U "$DEVPLUGIN_TEST_PG_USER" -d postgres \
  -v ON_ERROR_STOP=1 -c "$1"; }
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)

echo "Installing the plugin into ${REPO#"$ROOT"/} (not ~/.m2) ..." >&2
"$ROOT/mvnw" -B -q -s "$SETTINGS" -Dmaven.repo.local="$REPO" install -DskipTests -Dinvoker.skip=true \
  -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >/dev/null

rm -rf "$WORK"; mkdir -p "$WORK"
for db in "$DB" "${DB}_fw"; do
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" && psql_admin "CREATE DATABASE $db"
done
# devplugin: example-project as it is; anchors: the same project with jib-maven-plugin and flyway-maven-plugin
for p in devplugin anchors; do
  mkdir -p "$WORK/$p"; cp -r "$ROOT/example-project/src" "$WORK/$p/src"
done
sed "s#\${devplugin.version}#$VERSION#" "$ROOT/example-project/pom.xml" >"$WORK/devplugin/pom.xml"
python3 - "$ROOT/example-project/pom.xml" "$WORK/anchors/pom.xml" "$BASE" "$REG/bench/goals-jib-$ID" "$JIB_VERSION" \
  "$FLYWAY_VERSION" "jdbc:postgresql://$PGHOSTPORT/${DB}_fw" "$DEVPLUGIN_TEST_PG_USER" <<'PY'
import sys
src, dst, base, to, jib, flyway, url, user = sys.argv[1:]
pom = open(src).read()
start = pom.index('      <plugin>\n        <groupId>io.github.devplugin</groupId>')
end = pom.index('      </plugin>', start) + len('      </plugin>')
plugins = f'''      <plugin>
        <groupId>com.google.cloud.tools</groupId>
        <artifactId>jib-maven-plugin</artifactId>
        <version>{jib}</version>
        <configuration>
          <from><image>{base}</image></from>
          <to><image>{to}:1.0.0</image></to>
          <allowInsecureRegistries>true</allowInsecureRegistries>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.flywaydb</groupId>
        <artifactId>flyway-maven-plugin</artifactId>
        <version>{flyway}</version>
        <configuration>
          <url>{url}</url><user>{user}</user>
          <locations><location>filesystem:src/main/resources/db/migration</location></locations>
        </configuration>
        <dependencies>
          <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-database-postgresql</artifactId><version>{flyway}</version></dependency>
          <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.14</version></dependency>
        </dependencies>
      </plugin>'''
open(dst, 'w').write(pom[:start] + plugins + pom[end:])
PY

# the same -D properties for every devplugin invocation, so that every goal sees one configuration
DP_PROPS=(-Ddevplugin.image.from="$BASE" -Ddevplugin.image.to="$REG/bench/goals-devplugin-$ID"
  -Ddevplugin.image.target=registry -Ddevplugin.db.url="jdbc:postgresql://$PGHOSTPORT/$DB"
  -Ddevplugin.db.user="$DEVPLUGIN_TEST_PG_USER")
TS=(-Dorg.slf4j.simpleLogger.showDateTime=true "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS")
mvn_in() { # project log classlog args...: one mvn invocation; prints the epoch milliseconds it started at
  local project=$1 log=$2 classes=$3; shift 3
  local t0; t0=$(date +%s%3N)
  if ! (cd "$WORK/$project" && TZ=UTC MAVEN_OPTS="-Xlog:class+load=info:file=$classes:utctime" "$ROOT/mvnw" -B \
      -s "$SETTINGS" -Dmaven.repo.local="$REPO" "${TS[@]}" "$@" >"$log" 2>&1); then
    cat "$log" >&2; echo "failed: mvn $*" >&2; exit 1
  fi
  echo "$t0"
}

echo "Doing the work once (package, migrate; jib:build, flyway:migrate) ..." >&2
mvn_in devplugin "$WORK/setup.log" "$WORK/setup.classes" package -DskipTests "${DP_PROPS[@]}" >/dev/null
mvn_in devplugin "$WORK/setup.log" "$WORK/setup.classes" devplugin:migrate "${DP_PROPS[@]}" >/dev/null
mvn_in devplugin "$WORK/setup.log" "$WORK/setup.classes" devplugin:k8s -Ddevplugin.k8s.environments=staging,prod \
  "${DP_PROPS[@]}" >/dev/null
mvn_in anchors "$WORK/setup.log" "$WORK/setup.classes" package -DskipTests >/dev/null
mvn_in anchors "$WORK/setup.log" "$WORK/setup.classes" jib:build -Djib.console=plain >/dev/null
mvn_in anchors "$WORK/setup.log" "$WORK/setup.classes" flyway:migrate -Dflyway.password="$PGPASSWORD" >/dev/null

# scenario name | project | mvn arguments | a line the log must hold (the goal decided there was nothing to do) |
# how many times (default 1)
SCENARIOS=(
  "validate|devplugin|validate|BUILD SUCCESS"
  "devplugin:image|devplugin|devplugin:image|is up to date"
  "devplugin:dockerfile|devplugin|devplugin:dockerfile|up to date"
  "devplugin:k8s|devplugin|devplugin:k8s|up to date"
  "devplugin:compose|devplugin|devplugin:compose|up to date"
  "devplugin:k8s+compose 3 envs|devplugin|devplugin:k8s devplugin:compose -Ddevplugin.k8s.environments=dev,staging,prod|are up to date|4"
  "devplugin:verify-migrations|devplugin|devplugin:verify-migrations|up to date"
  "devplugin:migrate (nothing pending)|devplugin|devplugin:migrate|nothing to migrate"
  "jib:build (no change)|anchors|jib:build -Djib.console=plain|Built and pushed image"
  "flyway:migrate (nothing pending)|anchors|flyway:migrate|Schema \"public\" is up to date"
)
run_scenario() { # index rep -> appends a result line to $WORK/results.txt
  local IFS='|'; read -r name project args expect times <<<"${SCENARIOS[$1]}"; unset IFS
  local log="$WORK/s$1-r$2.log" classes="$WORK/s$1-r$2.classes" t0
  local -a a; read -r -a a <<<"$args"
  [ "$project" = devplugin ] && [ "$name" != validate ] && a+=("${DP_PROPS[@]}")
  [ "$project" = anchors ] && a+=(-Dflyway.password="$PGPASSWORD")
  # the issue's "k8s + compose for three environments" is one invocation: k8s writes the manifests of every
  # environment named by -Ddevplugin.k8s.environments (each decides on its own: one "are up to date" line each),
  # compose writes the dev stack and the override files of every environment; the report sets it against one
  # `mvn validate` ("+N over validate")
  t0=$(mvn_in "$project" "$log" "$classes" "${a[@]}")
  [ "$2" = 0 ] || [ "$(grep -c "$expect" "$log")" -ge "${times:-1}" ] \
    || { echo "$name: '$expect' not ${times:-1} time(s) in $log" >&2; exit 1; }
  python3 "$ROOT/bench/goals/split.py" "$t0" "$log" "$classes" "$2" "$name" >>"$WORK/results.txt"
}

: >"$WORK/results.txt"
echo "load before: $(uptime)"
n=${#SCENARIOS[@]}
for rep in $(seq 0 "$REPS"); do
  [ "$rep" = 0 ] && echo "Warm-up (discarded) ..." >&2 || echo "Run $rep/$REPS ..." >&2
  for k in $(seq 0 $((n - 1))); do
    run_scenario $(((k + rep) % n)) "$rep"
  done
done
echo "load after: $(uptime)"
echo "commit $(git rev-parse HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), REPS=$REPS, jib-maven-plugin $JIB_VERSION," \
  "flyway-maven-plugin $FLYWAY_VERSION, devplugin $VERSION"
python3 "$ROOT/bench/goals/split.py" --report "$WORK/results.txt"
