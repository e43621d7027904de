#!/usr/bin/env bash
# Benchmark: devplugin:image against jib-maven-plugin 3.5.x, in one run, on the same project, the same base image and
# the same local registry. PROJECT picks the project: example (default; example-project, a small service with a
# handful of dependencies) or spring-boot-3 (src/it/fw-spring-boot-3: a Spring Boot 3.5 service with web, actuator,
# JDBC, Redis and Flyway, ~50 dependency jars, resolved from Maven Central into bench/work/repo on the first run). Four scenarios, each run REPS (>= 5) times per tool after a discarded
# warm-up, the tools taking turns and the order alternating between repetitions (medians reported):
#   cold       clean target/ and empty base-image caches (plugins already resolved), build and push to a repository
#              name never used before (so every application layer is uploaded: nothing is there from the warm-up);
#              devplugin's layer-inventory cache (-Ddevplugin.cacheDirectory, under bench/work/) is kept, as a
#              developer's ~/.cache/devplugin is
#   cold-fresh the same, with devplugin's layer-inventory cache emptied too (a first build on a fresh machine: the
#              SBOM reads every layer, the base's too, back from the registry); jib's side is another cold build
#   one-class  one class changed (a string constant), build and push to that same repository
#   no-change  nothing changed, build again
#   no-image   nothing changed, the image goal skipped (-Ddevplugin.image.skip=true, -Djib.skip=true): Maven, compile
#              and jar alone, the floor under no-change (no ratio target)
# After every build the pushed tag is checked on both sides (skopeo inspect), and after each repetition the image is
# pulled whole (skopeo copy) and its config digest compared with the registry's.
# Prints the wall-clock times of `mvn package` with each tool, their ratio, and the pushed images' sizes.
#
#   scripts/test-env.sh up && eval "$(scripts/test-env.sh env)" && bench/image/run.sh
#   ... && PROJECT=spring-boot-3 bench/image/run.sh
# Needs the test environment (registry, base image). Works in bench/work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REPS="${REPS:-5}"
[ "$REPS" -ge 5 ] || { echo "REPS=$REPS: at least 5 runs are needed for a median" >&2; exit 2; }
JIB_VERSION="${JIB_VERSION:-3.5.2}"
: "${DEVPLUGIN_TEST_REGISTRY:?run scripts/test-env.sh up and eval \"\$(scripts/test-env.sh env)\" first}"
: "${DEVPLUGIN_TEST_BASE_IMAGE:?run scripts/test-env.sh up and eval \"\$(scripts/test-env.sh env)\" first}"
REG="$DEVPLUGIN_TEST_REGISTRY"
BASE="$DEVPLUGIN_TEST_BASE_IMAGE"
WORK="$ROOT/bench/work/image"
REPO="$ROOT/bench/work/repo"
SETTINGS="$ROOT/bench/image/settings.xml"
MVN=("$ROOT/mvnw" -B -q -s "$SETTINGS" -Dmaven.repo.local="$REPO")
RUN_ID="$(date +%s)"
PROJECT="${PROJECT:-example}"
case "$PROJECT" in
  # SOURCE: the project copied; CHANGED/CHANGE: the class and the string constant one-class changes
  example) SOURCE="$ROOT/example-project" CHANGED=src/main/java/io/github/devplugin/example/NotesService.java
    CHANGE='notes service listening on port' ;;
  spring-boot-3) SOURCE="$ROOT/src/it/fw-spring-boot-3" CHANGED=src/main/java/it/fw/notes/NotesController.java
    CHANGE='SELECT text FROM note WHERE key = ?' ;;
  *) echo "PROJECT=$PROJECT: example or spring-boot-3" >&2; exit 2 ;;
esac
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)

echo "Installing the plugin into $REPO (not ~/.m2) ..."
"${MVN[@]}" install -DskipTests -Dinvoker.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >/dev/null

# one copy of the project per tool, identical except for the plugin that builds the image
setup() {
  local tool=$1 dir="$WORK/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  cp -r "$SOURCE/src" "$dir/src"
  python3 - "$SOURCE/pom.xml" "$dir/pom.xml" "$tool" '${bench.to}' "$BASE" \
    "$JIB_VERSION" "$VERSION" <<'PY'
import re, sys
src, dst, tool, to, base, jib, version = sys.argv[1:]
pom = open(src).read()
# the project's devplugin plugin (an IT's POM names it through the invoker's @project.*@ filtering)
start = re.search(r'      <plugin>\n        <groupId>(io\.github\.devplugin|@project\.groupId@)</groupId>', pom).start()
end = pom.index('      </plugin>', start) + len('      </plugin>')
if tool == 'devplugin':
    plugin = f'''      <plugin>
        <groupId>io.github.devplugin</groupId>
        <artifactId>devplugin-maven-plugin</artifactId>
        <version>{version}</version>
        <executions><execution><goals><goal>image</goal></goals></execution></executions>
        <configuration>
          <service><name>notes</name></service>
          <database><enabled>false</enabled></database>
          <image><from>{base}</from><to>{to}</to></image>
        </configuration>
      </plugin>'''
else:
    plugin = f'''      <plugin>
        <groupId>com.google.cloud.tools</groupId>
        <artifactId>jib-maven-plugin</artifactId>
        <version>{jib}</version>
        <executions><execution><phase>package</phase><goals><goal>build</goal></goals></execution></executions>
        <configuration>
          <from><image>{base}</image></from>
          <to><image>{to}:1.0.0</image></to>
          <allowInsecureRegistries>true</allowInsecureRegistries>
        </configuration>
      </plugin>'''
open(dst, 'w').write(pom[:start] + plugin + pom[end:])
PY
}

now() { date +%s.%N; }
build() { # tool repository [-Dskip] -> seconds of `mvn package` pushing to repository:1.0.0; checks the tag is there
  local dir="$WORK/$1" t0 t1
  t0=$(now)
  (cd "$dir" && "$ROOT/mvnw" -B -s "$SETTINGS" -Dmaven.repo.local="$REPO" package -DskipTests -Dbench.to="$2" \
      -Djib.baseImageCache="$WORK/$1-base-cache" -Ddevplugin.cacheDirectory="$WORK/$1-cache" \
      -Djib.console=plain ${3:+"$3"} >"$WORK/$1.log" 2>&1) || { cat "$WORK/$1.log"; exit 1; }
  t1=$(now)
  skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$2:1.0.0" >/dev/null ||
    { echo "$1 did not push $2:1.0.0" >&2; exit 1; }
  python3 -c "print('%.3f' % ($t1 - $t0))"
}
pulled() { # tool repository: the whole image pulls, and its config is the registry's
  rm -rf "$WORK/pull-$1"
  # dir: keeps the manifest and blobs as pushed (oci: would convert a Docker-format image and rewrite its config,
  # dropping Docker-only fields such as the health check that devplugin's image has)
  skopeo copy -q --src-tls-verify=false "docker://$2:1.0.0" "dir:$WORK/pull-$1" >/dev/null ||
    { echo "$1: $2:1.0.0 cannot be pulled" >&2; exit 1; }
  local want got
  want=$(skopeo inspect --raw --tls-verify=false "docker://$2:1.0.0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])')
  got=$(python3 - "$WORK/pull-$1" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
digest = json.load(open(os.path.join(d, "manifest.json")))["config"]["digest"]
blob = open(os.path.join(d, digest.split(":")[1]), "rb").read()
# the pulled config blob is whole: its content hashes to the digest the manifest names
print(digest if "sha256:" + hashlib.sha256(blob).hexdigest() == digest else "corrupt " + digest)
PY
)
  [ "$want" = "$got" ] || { echo "$1: pulled config $got, registry has $want" >&2; exit 1; }
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
change_class() { # a different string constant: the class file changes
  sed -i "s/$CHANGE/$CHANGE ($1)/" "$WORK/$2/$CHANGED"
  grep -q "$CHANGE ($1)" "$WORK/$2/$CHANGED" || { echo "one-class: $CHANGED did not change" >&2; exit 1; }
}
size() { # compressed size of the pushed image (config + layers), MB
  skopeo inspect --raw --tls-verify=false "docker://$2:1.0.0" |
    python3 -c 'import json,sys; m=json.load(sys.stdin); print("%.1f" % ((m["config"]["size"]+sum(l["size"] for l in m["layers"]))/1e6))'
}

declare -A T
for tool in devplugin jib; do
  setup "$tool"
  echo "Warm-up of $tool (resolves the plugin and its dependencies; not measured) ..."
  build "$tool" "$REG/bench/$tool-notes-$RUN_ID-warmup" >/dev/null
done
# the tools take turns within each repetition, so that the machine's load affects both alike
declare -A COLD ONE NONE FRESH FLOOR
for i in $(seq 1 "$REPS"); do
  if ((i % 2)); then order="devplugin jib"; else order="jib devplugin"; fi
  echo "Run $i/$REPS ($order) ..."
  for tool in $order; do
    rm -rf "$WORK/$tool/target" "$WORK/$tool-base-cache"
    COLD[$tool]+=" $(build "$tool" "$REG/bench/$tool-notes-$RUN_ID-$i")"
  done
  for tool in $order; do
    change_class "r$RANDOM$i" "$tool"
    ONE[$tool]+=" $(build "$tool" "$REG/bench/$tool-notes-$RUN_ID-$i")"
  done
  for tool in $order; do
    NONE[$tool]+=" $(build "$tool" "$REG/bench/$tool-notes-$RUN_ID-$i")"
    # the last build was the no-change one
    if grep -q "is up to date" "$WORK/$tool.log"; then T[$tool.skip]=yes; else T[$tool.skip]=no; fi
    pulled "$tool" "$REG/bench/$tool-notes-$RUN_ID-$i"
  done
  for tool in $order; do
    # the floor of no-change: the same build with the image goal skipped (Maven, compile, jar and the rest alone)
    if [ "$tool" = devplugin ]; then skip=-Ddevplugin.image.skip=true; else skip=-Djib.skip=true; fi
    FLOOR[$tool]+=" $(build "$tool" "$REG/bench/$tool-notes-$RUN_ID-$i" "$skip")"
  done
  for tool in $order; do
    rm -rf "$WORK/$tool/target" "$WORK/$tool-base-cache" "$WORK/$tool-cache"
    FRESH[$tool]+=" $(build "$tool" "$REG/bench/$tool-notes-$RUN_ID-$i-fresh")"
  done
done
for tool in devplugin jib; do
  # shellcheck disable=SC2086
  T[$tool.cold]=$(median ${COLD[$tool]}); T[$tool.one]=$(median ${ONE[$tool]}); T[$tool.none]=$(median ${NONE[$tool]})
  T[$tool.fresh]=$(median ${FRESH[$tool]}); T[$tool.floor]=$(median ${FLOOR[$tool]})
  T[$tool.size]=$(size "$tool" "$REG/bench/$tool-notes-$RUN_ID-$REPS")
done

echo
echo "devplugin:image vs jib-maven-plugin $JIB_VERSION: ${SOURCE#"$ROOT"/}, base $BASE, registry $REG"
echo "wall-clock of 'mvn package' (JVM start, compile, jar and the image), median of $REPS, seconds"
printf '%-12s %12s %12s %18s\n' scenario devplugin jib 'devplugin/jib'
for s in cold fresh one none floor; do
  label=$s; [ "$s" = one ] && label=one-class; [ "$s" = none ] && label=no-change; [ "$s" = fresh ] && label=cold-fresh
  [ "$s" = floor ] && label=no-image
  printf '%-12s %12.2f %12.2f %18.2f\n' "$label" "${T[devplugin.$s]}" "${T[jib.$s]}" \
    "$(python3 -c "print(${T[devplugin.$s]} / ${T[jib.$s]})")"
done
printf '%-12s %11sMB %11sMB\n' 'image size' "${T[devplugin.size]}" "${T[jib.size]}"
echo "all runs (s): cold devplugin${COLD[devplugin]} | jib${COLD[jib]}; one-class devplugin${ONE[devplugin]} | jib${ONE[jib]}; no-change devplugin${NONE[devplugin]} | jib${NONE[jib]}; cold-fresh devplugin${FRESH[devplugin]} | jib${FRESH[jib]}; no-image devplugin${FLOOR[devplugin]} | jib${FLOOR[jib]}"
echo "no-image: the same build with the image goal skipped (-Ddevplugin.image.skip=true, -Djib.skip=true), the floor of no-change"
echo "every run's image was pushed (tag checked after each build) and pulled whole (config digest compared), on both sides"
echo "no-change run skipped the image build: devplugin ${T[devplugin.skip]}, jib ${T[jib.skip]}"
echo "(devplugin's image also holds the health probe; its migrator layer is off here, as jib has none)"
