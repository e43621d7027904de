#!/usr/bin/env bash
# Benchmark: devplugin:migrate against flyway-maven-plugin 13.12.0, in one run, on the same PostgreSQL database.
#
#   bench/migrate/run.sh [REPEAT]      (default and minimum REPEAT=5; the median of the runs is printed)
#
# Measures, as a user would run them (a full `mvn` invocation each, wall clock):
#   1. 200 pending migrations applied to an empty database       flyway:migrate    vs devplugin:migrate
#   2. a migrate with nothing to do (200 applied)                flyway:migrate    vs devplugin:migrate
#   3. a 200-step rollback with the U<version>__*.sql scripts    (Flyway Community has no undo) devplugin:rollback
# and prints the times side by side with their ratios; then the same three through the Flyway API and devplugin's
# migrate core in one JVM (CoreBench.java), which separates the libraries' work from Maven's start-up and plugin
# resolution. Each run starts from a freshly created database; a first, discarded run warms caches; the tools take
# turns, the order alternating between runs; every run checks that both applied all 200 migrations. Needs the
# test environment's PostgreSQL (scripts/test-env.sh up). Everything it writes stays under bench/work/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
REPEAT=${1:-5}
[ "$REPEAT" -ge 5 ] || { echo "REPEAT=$REPEAT: at least 5 runs are needed for a median" >&2; exit 2; }
N=200
WORK="${ROOT}/bench/work/migrate"
PROJECT="${WORK}/project"
REPO="${WORK}/plugin-repo"     # the plugin under test, installed here (never into ~/.m2)
LOCAL="${WORK}/m2"             # the benchmark builds' local repository
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)

scripts/test-env.sh up >/dev/null 2>&1
eval "$(scripts/test-env.sh env)"
PGHOSTPORT=$(echo "$DEVPLUGIN_TEST_PG_ADMIN_URL" | sed -E 's#jdbc:postgresql://([^/]+)/.*#\1#')
PGHOST=${PGHOSTPORT%:*}; PGPORT=${PGHOSTPORT#*:}
DB=bench_migrate
URL="jdbc:postgresql://${PGHOSTPORT}/${DB}"
export PGPASSWORD="$DEVPLUGIN_TEST_PG_PASSWORD" DEVPLUGIN_DB_PASSWORD="$DEVPLUGIN_TEST_PG_PASSWORD"
psql_admin() { psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$DEVPLUGIN_TEST_PG_USER" -d postgres -v ON_ERROR_STOP=1 -c "$1"; }
fresh_db() { psql_admin "DROP DATABASE IF EXISTS ${DB} WITH (FORCE)" && psql_admin "CREATE DATABASE ${DB}"; }

echo "== building devplugin ${VERSION} and installing it into ${REPO#${ROOT}/}" >&2
./mvnw -B -q package -DskipTests -Dinvoker.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
./mvnw -B -q org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file -Dfile="target/devplugin-maven-plugin-${VERSION}.jar" \
  -DpomFile=dependency-reduced-pom.xml -DlocalRepositoryPath="${REPO}" >/dev/null
# the POM users get (the dependency-reduced one, with the bundled jar), and never a copy an earlier run left in the
# benchmark builds' local repository: a SNAPSHOT there is not looked up again for a day
rm -rf "${LOCAL:?}/io/github/devplugin"

echo "== generating ${N} migrations with undo scripts" >&2
rm -rf "${PROJECT}"; mkdir -p "${PROJECT}/src/main/resources/db/migration"
M="${PROJECT}/src/main/resources/db/migration"
for i in $(seq 1 $N); do
  cat >"${M}/V${i}__table_${i}.sql" <<SQL
CREATE TABLE item_${i} (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE INDEX item_${i}_name_idx ON item_${i} (name);
INSERT INTO item_${i} (name) VALUES ('a'), ('b'), ('c');
SQL
  echo "DROP TABLE item_${i};" >"${M}/U${i}__table_${i}.sql"
done
cat >"${WORK}/settings.xml" <<XML
<settings>
  <localRepository>${LOCAL}</localRepository>
  <profiles><profile><id>bench</id><activation><activeByDefault>true</activeByDefault></activation>
    <repositories><repository><id>devplugin</id><url>file://${REPO}</url></repository>
      <repository><id>outer</id><url>file://${HOME}/.m2/repository</url></repository></repositories>
    <pluginRepositories><pluginRepository><id>devplugin</id><url>file://${REPO}</url></pluginRepository>
      <pluginRepository><id>outer</id><url>file://${HOME}/.m2/repository</url></pluginRepository></pluginRepositories>
  </profile></profiles>
</settings>
XML
# each tool in a project of its own, as a user's POM has one of them: with both in one POM, the one declared second
# would also pay for loading the first one's plugin descriptor (Maven resolves a goal prefix by loading the
# descriptors of the POM's plugins in order until one has that prefix)
pom() { # the <plugin> element -> a project POM on stdout
  cat <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>migrate-bench</artifactId><version>1.0.0</version>
  <build>
    <plugins>
$1
    </plugins>
  </build>
</project>
XML
}
pom "      <plugin>
        <groupId>org.flywaydb</groupId><artifactId>flyway-maven-plugin</artifactId><version>13.12.0</version>
        <configuration>
          <url>${URL}</url><user>${DEVPLUGIN_TEST_PG_USER}</user>
          <locations><location>filesystem:src/main/resources/db/migration</location></locations>
        </configuration>
        <dependencies>
          <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-database-postgresql</artifactId><version>13.12.0</version></dependency>
          <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.14</version></dependency>
        </dependencies>
      </plugin>" >"${PROJECT}/flyway.xml"
pom "      <plugin>
        <groupId>io.github.devplugin</groupId><artifactId>devplugin-maven-plugin</artifactId><version>${VERSION}</version>
        <configuration>
          <service><name>bench</name></service>
          <database><url>${URL}</url><user>${DEVPLUGIN_TEST_PG_USER}</user></database>
        </configuration>
      </plugin>" >"${PROJECT}/pom.xml"

MVN=("${ROOT}/mvnw" -B -q -s "${WORK}/settings.xml" -f "${PROJECT}/pom.xml")
FW=("${ROOT}/mvnw" -B -q -s "${WORK}/settings.xml" -f "${PROJECT}/flyway.xml")
# resolve both plugins once, so that no measurement includes a download
fresh_db
"${FW[@]}" flyway:info -Dflyway.password="$PGPASSWORD" >/dev/null
"${MVN[@]}" devplugin:migrate -Ddevplugin.migrate.dryRun >/dev/null

ms() { date +%s%N | cut -c1-13; }
# time_cmd LABEL CMD...: runs the command, prints its wall-clock milliseconds
time_cmd() {
  local start end; start=$(ms)
  if ! "${@}" >"${WORK}/last.log" 2>&1; then cat "${WORK}/last.log" >&2; echo "== failed: $*" >&2; exit 1; fi
  end=$(ms); echo $((end - start))
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
count_applied() { psql -X -qtA -h "$PGHOST" -p "$PGPORT" -U "$DEVPLUGIN_TEST_PG_USER" -d "$DB" -c \
  "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"; }

declare -a F_MIG F_NOP D_MIG D_NOP D_RB
run_flyway() {
  fresh_db
  local mig nop
  mig=$(time_cmd "${FW[@]}" flyway:migrate -Dflyway.password="$PGPASSWORD")
  [ "$(count_applied)" = "$N" ] || { echo "flyway applied $(count_applied), not $N" >&2; exit 1; }
  nop=$(time_cmd "${FW[@]}" flyway:migrate -Dflyway.password="$PGPASSWORD")
  [ "$(count_applied)" = "$N" ] || { echo "flyway no-op left $(count_applied) applied, not $N" >&2; exit 1; }
  echo "$mig $nop"
}
run_devplugin() {
  fresh_db
  local mig nop rb
  mig=$(time_cmd "${MVN[@]}" devplugin:migrate)
  [ "$(count_applied)" = "$N" ] || { echo "devplugin applied $(count_applied), not $N" >&2; exit 1; }
  nop=$(time_cmd "${MVN[@]}" devplugin:migrate)
  [ "$(count_applied)" = "$N" ] || { echo "devplugin no-op left $(count_applied) applied, not $N" >&2; exit 1; }
  rb=$(time_cmd "${MVN[@]}" devplugin:rollback -Ddevplugin.rollback.count=${N})
  [ "$(count_applied)" = "0" ] || { echo "rollback left $(count_applied) applied" >&2; exit 1; }
  echo "$mig $nop $rb"
}
echo "== warm-up run (discarded)" >&2
run_flyway >/dev/null
run_devplugin >/dev/null
for r in $(seq 1 "$REPEAT"); do
  if ((r % 2)); then order="devplugin flyway"; else order="flyway devplugin"; fi
  echo "== run ${r}/${REPEAT} (${order})" >&2
  for tool in $order; do
    if [ "$tool" = flyway ]; then
      out=$(run_flyway); read -r m n <<<"$out"; F_MIG+=("$m"); F_NOP+=("$n")
    else
      out=$(run_devplugin); read -r m n b <<<"$out"; D_MIG+=("$m"); D_NOP+=("$n"); D_RB+=("$b")
    fi
  done
done
psql_admin "DROP DATABASE IF EXISTS ${DB} WITH (FORCE)"

fm=$(median "${F_MIG[@]}"); fn=$(median "${F_NOP[@]}")
dm=$(median "${D_MIG[@]}"); dn=$(median "${D_NOP[@]}"); dr=$(median "${D_RB[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "migrations: ${N} (each: CREATE TABLE, CREATE INDEX, INSERT 3 rows), PostgreSQL $(psql -X -qtA -h "$PGHOST" -p "$PGPORT" -U "$DEVPLUGIN_TEST_PG_USER" -d postgres -c 'SHOW server_version' | cut -d' ' -f1), median of ${REPEAT} runs after a discarded warm-up, order alternated, wall clock of a whole mvn invocation"
printf '%-34s %14s %16s %18s\n' "scenario" "flyway-maven" "devplugin" "devplugin/flyway"
printf '%-34s %12s ms %14s ms %18s\n' "migrate ${N} pending" "$fm" "$dm" "$(ratio "$dm" "$fm")"
printf '%-34s %12s ms %14s ms %18s\n' "migrate, nothing to do" "$fn" "$dn" "$(ratio "$dn" "$fn")"
printf '%-34s %15s %14s ms %18s\n' "rollback ${N} steps (U scripts)" "n/a (*)" "$dr" "-"
echo "(*) Flyway Community has no undo: flyway:undo needs a Redgate edition."
echo "all runs (ms): flyway migrate ${F_MIG[*]} | flyway no-op ${F_NOP[*]} | devplugin migrate ${D_MIG[*]} | devplugin no-op ${D_NOP[*]} | devplugin rollback ${D_RB[*]}"

echo
CP=$(./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime):target/classes
mkdir -p "${WORK}/core"
javac -d "${WORK}/core" -cp "$CP" bench/migrate/CoreBench.java
java -cp "${CP}:${WORK}/core" CoreBench "$DEVPLUGIN_TEST_PG_ADMIN_URL" "$DEVPLUGIN_TEST_PG_USER" "$M" "$REPEAT" \
  2>"${WORK}/corebench.err" || { cat "${WORK}/corebench.err" >&2; echo "CoreBench failed (above)" >&2; exit 1; }
grep -v '^SLF4J' "${WORK}/corebench.err" >&2 || true
echo "(*) Flyway Community has no undo."
