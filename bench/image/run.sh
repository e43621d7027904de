#!/usr/bin/env bash
# Benchmark: devplugin:image against jib-maven-plugin 3.5.x, in one run, on the same project (example-project), the
# same base image and the same local registry. Three scenarios, each run REPS times per tool, the tools taking turns
# (median reported):
#   cold       clean target/ and empty base-image caches (plugins already resolved), build and push
#   one-class  one class changed (a string constant), build and push
#   no-change  nothing changed, build again
# Prints the wall-clock times of `mvn package` with each tool, their ratio, and the pushed images' sizes.
#
#   scripts/test-env.sh up && eval "$(scripts/test-env.sh env)" && bench/image/run.sh
# Needs the test environment (registry, base image). Works in bench/work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REPS="${REPS:-5}"
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

echo "Installing the plugin into $REPO (not ~/.m2) ..."
"${MVN[@]}" install -DskipTests -Dinvoker.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true >/dev/null

# one copy of example-project per tool, identical except for the plugin that builds the image
setup() {
  local tool=$1 dir="$WORK/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  cp -r "$ROOT/example-project/src" "$dir/src"
  python3 - "$ROOT/example-project/pom.xml" "$dir/pom.xml" "$tool" "$REG/bench/$tool-notes-$RUN_ID" "$BASE" \
    "$JIB_VERSION" <<'PY'
import re, sys
src, dst, tool, to, base, jib = sys.argv[1:]
pom = open(src).read()
start = pom.index('      <plugin>\n        <groupId>io.github.devplugin</groupId>')
end = pom.index('      </plugin>', start) + len('      </plugin>')
if tool == 'devplugin':
    plugin = f'''      <plugin>
        <groupId>io.github.devplugin</groupId>
        <artifactId>devplugin-maven-plugin</artifactId>
        <version>${{devplugin.version}}</version>
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
build() { # tool -> seconds of `mvn package`
  local dir="$WORK/$1" t0 t1
  t0=$(now)
  (cd "$dir" && "$ROOT/mvnw" -B -s "$SETTINGS" -Dmaven.repo.local="$REPO" package -DskipTests -Djib.baseImageCache="$WORK/$1-base-cache" \
      -Djib.console=plain >"$WORK/$1.log" 2>&1) || { cat "$WORK/$1.log"; exit 1; }
  t1=$(now)
  python3 -c "print('%.3f' % ($t1 - $t0))"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
change_class() { # a different string constant: the class file changes
  sed -i "s/notes service listening on port/notes service ($1) listening on port/" \
    "$WORK/$2/src/main/java/io/github/devplugin/example/NotesService.java"
}
size() { # compressed size of the pushed image (config + layers), MB
  skopeo inspect --raw --tls-verify=false "docker://$REG/bench/$1-notes-$RUN_ID:1.0.0" |
    python3 -c 'import json,sys; m=json.load(sys.stdin); print("%.1f" % ((m["config"]["size"]+sum(l["size"] for l in m["layers"]))/1e6))'
}

declare -A T
for tool in devplugin jib; do
  setup "$tool"
  echo "Warm-up of $tool (resolves the plugin and its dependencies; not measured) ..."
  build "$tool" >/dev/null
done
# the tools take turns within each repetition, so that the machine's load affects both alike
declare -A COLD ONE NONE
for i in $(seq 1 "$REPS"); do
  for tool in devplugin jib; do
    rm -rf "$WORK/$tool/target" "$WORK/$tool-base-cache"
    COLD[$tool]+=" $(build "$tool")"
  done
  for tool in devplugin jib; do
    change_class "r$RANDOM$i" "$tool"
    ONE[$tool]+=" $(build "$tool")"
  done
  for tool in devplugin jib; do
    NONE[$tool]+=" $(build "$tool")"
    # the last build was the no-change one
    if grep -q "is up to date" "$WORK/$tool.log"; then T[$tool.skip]=yes; else T[$tool.skip]=no; fi
  done
done
for tool in devplugin jib; do
  # shellcheck disable=SC2086
  T[$tool.cold]=$(median ${COLD[$tool]}); T[$tool.one]=$(median ${ONE[$tool]}); T[$tool.none]=$(median ${NONE[$tool]})
  T[$tool.size]=$(size "$tool")
done

echo
echo "devplugin:image vs jib-maven-plugin $JIB_VERSION: example-project, base $BASE, registry $REG"
echo "wall-clock of 'mvn package' (JVM start, compile, jar and the image), median of $REPS, seconds"
printf '%-12s %12s %12s %18s\n' scenario devplugin jib 'devplugin/jib'
for s in cold one none; do
  label=$s; [ "$s" = one ] && label=one-class; [ "$s" = none ] && label=no-change
  printf '%-12s %12.2f %12.2f %18.2f\n' "$label" "${T[devplugin.$s]}" "${T[jib.$s]}" \
    "$(python3 -c "print(${T[devplugin.$s]} / ${T[jib.$s]})")"
done
printf '%-12s %11sMB %11sMB\n' 'image size' "${T[devplugin.size]}" "${T[jib.size]}"
echo "no-change run skipped the image build: devplugin ${T[devplugin.skip]}, jib ${T[jib.skip]}"
echo "(devplugin's image also holds the health probe; the example's migrator layer is off here, as jib has none)"
