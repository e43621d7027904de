#!/usr/bin/env bash
# Prepares, on a fresh Debian 12 machine, everything devplugin's tests need, and stops it again.
#
#   scripts/test-env.sh up     install packages, start a registry on 127.0.0.1, PostgreSQL, the Podman API socket,
#                              build the local base images (JRE, PostgreSQL, Redis) into that registry
#   scripts/test-env.sh down   stop what `up` started (registry, Podman socket; PostgreSQL only if `up` started it)
#   scripts/test-env.sh env    print the environment variables the tests read (source it: eval "$(... env)")
#
# Idempotent: a second `up` only checks that everything is there (about a second).
# There is no Docker Hub here: every image the tests run is built from this machine's own binaries.
set -euo pipefail

HOME_DIR="${DEVPLUGIN_TEST_HOME:-/tmp/devplugin-test-env}"
REGISTRY_PORT="${DEVPLUGIN_TEST_REGISTRY_PORT:-5077}"
REGISTRY="127.0.0.1:${REGISTRY_PORT}"
PG_PORT="${DEVPLUGIN_TEST_PG_PORT:-5432}"
PG_USER=devplugin
PG_PASSWORD=devplugin-test
PG_DB=devplugin
PODMAN_SOCK="${HOME_DIR}/podman/podman.sock"
# a second registry that requires a login (user devplugin-it, password in AUTH_REGISTRY_PASSWORD): push-refused tests
AUTH_REGISTRY="127.0.0.1:$((REGISTRY_PORT + 1))"
AUTH_REGISTRY_USER=devplugin-it
AUTH_REGISTRY_PASSWORD=devplugin-it-registry-pw
# netavark + aardvark-dns: compose services resolve each other by name (Podman's CNI backend has no DNS without them);
# netavark sets up a compose network's bridge and port forwards with iptables, which it only recommends (a machine
# without it fails every compose up with "netavark: No such file or directory")
PACKAGES=(docker-registry podman runc skopeo umoci redis-server podman-compose docker-compose postgresql uidmap curl
  netavark aardvark-dns iptables)

log() { printf '[test-env] %s\n' "$*" >&2; }
die() { printf '[test-env] ERROR: %s\n' "$*" >&2; exit 1; }

print_env() {
  cat <<ENV
export DEVPLUGIN_TEST_HOME='${HOME_DIR}'
export DEVPLUGIN_TEST_REGISTRY='${REGISTRY}'
export DEVPLUGIN_TEST_BASE_IMAGE='${REGISTRY}/devplugin/jre:17'
export DEVPLUGIN_TEST_DEBUG_BASE_IMAGE='${REGISTRY}/devplugin/jre-debug:17'
export DEVPLUGIN_TEST_BUILDER_IMAGE='${REGISTRY}/devplugin/maven:3.9-jdk17'
export DEVPLUGIN_TEST_BASE_TAR='${HOME_DIR}/images/$(echo "${REGISTRY}/devplugin/jre:17" | tr '/:' '__').tar'
export DEVPLUGIN_TEST_BASE_IMAGE_MULTI='${REGISTRY}/devplugin/jre:17-multi'
export DEVPLUGIN_TEST_AUTH_REGISTRY='${AUTH_REGISTRY}'
export DEVPLUGIN_TEST_AUTH_REGISTRY_USER='${AUTH_REGISTRY_USER}'
export DEVPLUGIN_TEST_AUTH_REGISTRY_PASSWORD='${AUTH_REGISTRY_PASSWORD}'
export DEVPLUGIN_TEST_POSTGRES_IMAGE='${REGISTRY}/devplugin/postgres:15'
export DEVPLUGIN_TEST_REDIS_IMAGE='${REGISTRY}/devplugin/redis:7'
export DEVPLUGIN_TEST_PG_URL='jdbc:postgresql://127.0.0.1:${PG_PORT}/${PG_DB}'
export DEVPLUGIN_TEST_PG_ADMIN_URL='jdbc:postgresql://127.0.0.1:${PG_PORT}/postgres'
export DEVPLUGIN_TEST_PG_USER='${PG_USER}'
export DEVPLUGIN_TEST_PG_PASSWORD='${PG_PASSWORD}'
export DEVPLUGIN_TEST_PODMAN_SOCKET='unix://${PODMAN_SOCK}'
export CONTAINERS_CONF='${HOME_DIR}/containers.conf'
export CONTAINERS_REGISTRIES_CONF='${HOME_DIR}/registries.conf'
ENV
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # apt may start packaged services; the tests run their own on loopback
  systemctl disable --now docker-registry redis-server >/dev/null 2>&1 || true
  pkill -f '^/usr/bin/docker-registry serve /etc/docker/registry' 2>/dev/null || true
  pkill -f '^/usr/bin/redis-server 127.0.0.1:6379' 2>/dev/null || true
}

write_container_config() {
  mkdir -p "${HOME_DIR}"
  # crun fails on this machine's hybrid cgroups and the default rlimits exceed the hard limit
  cat >"${HOME_DIR}/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
[network]
network_backend = "netavark"
CONF
  cat >"${HOME_DIR}/registries.conf" <<CONF
unqualified-search-registries = []
[[registry]]
location = "${REGISTRY}"
insecure = true
CONF
  export CONTAINERS_CONF="${HOME_DIR}/containers.conf" CONTAINERS_REGISTRIES_CONF="${HOME_DIR}/registries.conf"
}

start_registry() {
  if curl -sf "http://${REGISTRY}/v2/" >/dev/null 2>&1; then return; fi
  mkdir -p "${HOME_DIR}/registry/data"
  cat >"${HOME_DIR}/registry/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${HOME_DIR}/registry/data
  delete:
    enabled: true
http:
  addr: ${REGISTRY}
CONF
  log "starting registry on ${REGISTRY}"
  # services start in / so that they never keep (or lose) the caller's working directory
  (cd / && exec nohup docker-registry serve "${HOME_DIR}/registry/config.yml" >"${HOME_DIR}/registry/registry.log" 2>&1) &
  echo $! >"${HOME_DIR}/registry/pid"
  for _ in $(seq 1 100); do
    curl -sf "http://${REGISTRY}/v2/" >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "the registry did not answer on http://${REGISTRY}/v2/; see ${HOME_DIR}/registry/registry.log"
}

start_auth_registry() {
  if curl -s -o /dev/null -w '%{http_code}' "http://${AUTH_REGISTRY}/v2/" 2>/dev/null | grep -q 401; then return; fi
  mkdir -p "${HOME_DIR}/auth-registry/data"
  python3 -W ignore -c "import crypt,sys; print(sys.argv[1] + ':' + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH)))" \
    "${AUTH_REGISTRY_USER}" "${AUTH_REGISTRY_PASSWORD}" >"${HOME_DIR}/auth-registry/htpasswd"
  cat >"${HOME_DIR}/auth-registry/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${HOME_DIR}/auth-registry/data
auth:
  htpasswd:
    realm: devplugin-test
    path: ${HOME_DIR}/auth-registry/htpasswd
http:
  addr: ${AUTH_REGISTRY}
CONF
  log "starting a registry that requires a login on ${AUTH_REGISTRY}"
  (cd / && exec nohup docker-registry serve "${HOME_DIR}/auth-registry/config.yml" \
    >"${HOME_DIR}/auth-registry/registry.log" 2>&1) &
  echo $! >"${HOME_DIR}/auth-registry/pid"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null -w '%{http_code}' "http://${AUTH_REGISTRY}/v2/" 2>/dev/null | grep -q 401 && return
    sleep 0.1
  done
  die "the registry did not answer on http://${AUTH_REGISTRY}/v2/; see ${HOME_DIR}/auth-registry/registry.log"
}

start_postgres() {
  local cluster
  cluster=$(pg_lsclusters -h | awk '{print $1" "$2}' | head -1)
  [ -n "$cluster" ] || die "no PostgreSQL cluster: apt-get install postgresql should have created one"
  # shellcheck disable=SC2086
  if ! pg_ctlcluster $cluster status >/dev/null 2>&1; then
    log "starting PostgreSQL ${cluster}"
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster start
    touch "${HOME_DIR}/postgres.started-by-test-env"
  fi
  runuser -u postgres -- psql -qtAc "select 1 from pg_roles where rolname='${PG_USER}'" | grep -q 1 ||
    runuser -u postgres -- psql -qc "create role ${PG_USER} login createdb password '${PG_PASSWORD}'"
  runuser -u postgres -- psql -qtAc "select 1 from pg_database where datname='${PG_DB}'" | grep -q 1 ||
    runuser -u postgres -- psql -qc "create database ${PG_DB} owner ${PG_USER}"
}

start_podman_service() {
  if [ -S "${PODMAN_SOCK}" ] && curl -sf --unix-socket "${PODMAN_SOCK}" http://d/_ping >/dev/null 2>&1; then return; fi
  mkdir -p "$(dirname "${PODMAN_SOCK}")"
  rm -f "${PODMAN_SOCK}"
  log "starting the Podman API (Docker-compatible) on ${PODMAN_SOCK}"
  # a service whose working directory disappears cannot start containers ("write child: broken pipe")
  (cd / && exec nohup podman system service --time=0 "unix://${PODMAN_SOCK}" >"${HOME_DIR}/podman/service.log" 2>&1) &
  echo $! >"${HOME_DIR}/podman/pid"
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "${PODMAN_SOCK}" http://d/_ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "the Podman API did not answer on ${PODMAN_SOCK}; see ${HOME_DIR}/podman/service.log"
}

image_exists() { skopeo inspect --tls-verify=false --raw "docker://$1" >/dev/null 2>&1; }

# Copies a binary and every shared library it loads (as ldd lists them) into a root file system, at the same paths.
copy_with_libs() {
  local root=$1; shift
  local f lib
  for f in "$@"; do
    mkdir -p "${root}$(dirname "$f")"
    cp -L "$f" "${root}${f}"
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
      [ -e "${root}${lib}" ] && continue
      mkdir -p "${root}$(dirname "$lib")"
      cp -L "$lib" "${root}${lib}"
    done
  done
}

base_files() {
  local root=$1
  mkdir -p "${root}/etc" "${root}/tmp" "${root}/home/app"
  chmod 1777 "${root}/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001:app:/home/app:/sbin/nologin\n' >"${root}/etc/passwd"
  printf 'root:x:0:\napp:x:10001:\n' >"${root}/etc/group"
  chown 10001:10001 "${root}/home/app"
}

# Packs a root file system into an OCI image with umoci and pushes it to the registry with skopeo.
push_rootfs() {
  local root=$1 ref=$2; shift 2
  local work="${HOME_DIR}/images/$(echo "$ref" | tr '/:' '__')"
  rm -rf "$work"; mkdir -p "$work"
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:img"
  umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
  cp -a "${root}/." "$work/bundle/rootfs/"
  umoci repack --image "$work/oci:img" "$work/bundle"
  umoci config --image "$work/oci:img" --os linux --architecture amd64 "$@"
  skopeo copy -q --dest-tls-verify=false "oci:$work/oci:img" "docker://${ref}"
  # a Docker-format tar of the same image, for tar:// base tests (docker-archive cannot overwrite a tar: a rebuilt
  # image replaces it by a rename, so that a test reading the old one keeps reading it whole)
  rm -f "$work.tar.new"
  skopeo copy -q --src-tls-verify=false "docker://${ref}" "docker-archive:$work.tar.new:${ref}"
  mv -f "$work.tar.new" "$work.tar"
  rm -rf "$work"
}

# The modules of the base JRE images: what a Temurin JRE offers the frameworks at run time, the same list as the
# plugin's jlink base (ImageSettings.DEFAULT_JLINK_MODULES): jdk.jfr (Micronaut's Netty server fails every request
# without it), jdk.management (Spring Boot's and Micrometer's process metrics), jdk.jdwp.agent (the dev debug port).
JRE_MODULES="java.se,jdk.crypto.ec,jdk.httpserver,jdk.jdwp.agent,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs"

# build_jre_image [REF [EXTRA_MODULES]]: the base JRE image with JRE_MODULES (plus EXTRA_MODULES). A second tag,
# REF-m<hash of the module list>, marks which list the image has: when the list changes, the marker is missing and
# the image is rebuilt (not a label: the images built on this base would inherit it)
build_jre_image() {
  local ref="${1:-${REGISTRY}/devplugin/jre:17}" modules="${JRE_MODULES}${2:+,$2}" marker
  marker="${ref}-m$(printf '%s' "$modules" | sha256sum | cut -c1-12)"
  image_exists "$marker" && image_exists "$ref" && return
  log "building ${ref} from this machine's JDK (jlink: ${modules})"
  local root="${HOME_DIR}/rootfs-jre" java_home
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  rm -rf "$root"; mkdir -p "${root}/opt/java"
  "${java_home}/bin/jlink" --add-modules "${modules}" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "${root}/opt/java/openjdk"
  local f
  for f in "${root}"/opt/java/openjdk/bin/* $(find "${root}/opt/java/openjdk/lib" -name '*.so'); do
    copy_with_libs "$root" "$(readlink -f "$f")" >/dev/null 2>&1 || true
  done
  # copy_with_libs copied the jlink'd files onto themselves; make sure the loader is there
  copy_with_libs "$root" /lib64/ld-linux-x86-64.so.2
  base_files "$root"
  push_rootfs "$root" "$ref" --config.env JAVA_HOME=/opt/java/openjdk \
    --config.env PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin
  skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://${ref}" "docker://${marker}"
  rm -rf "$root"
}

# The Maven distribution the wrapper pins (.mvn/wrapper/maven-wrapper.properties): the one ./mvnw downloaded into
# ~/.m2/wrapper/dists, or the same zip fetched from Maven Central.
maven_distribution() {
  local url version dir zip
  url=$(sed -n 's/^distributionUrl=//p' "$(dirname "$0")/../.mvn/wrapper/maven-wrapper.properties" | tr -d '\r')
  version=$(basename "$url" | sed -E 's/^apache-maven-(.*)-bin\.zip$/\1/')
  dir=$(find "${HOME}/.m2/wrapper/dists/apache-maven-${version}" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -1)
  if [ -n "$dir" ] && [ -x "$dir/bin/mvn" ]; then echo "$dir"; return; fi
  dir="${HOME_DIR}/maven/apache-maven-${version}"
  if [ ! -x "$dir/bin/mvn" ]; then
    log "fetching Maven ${version} from ${url}"
    mkdir -p "${HOME_DIR}/maven"
    zip="${HOME_DIR}/maven/apache-maven-${version}-bin.zip"
    curl -sfL -o "$zip" "$url" || die "cannot download ${url}"
    python3 -m zipfile -e "$zip" "${HOME_DIR}/maven/" && rm -f "$zip"
    chmod +x "$dir/bin/mvn"
  fi
  echo "$dir"
}

# A builder image like the official maven:3.9-eclipse-temurin-17 (JDK at /opt/java/openjdk, Maven on the PATH, root,
# /root/.m2): this machine's JDK linked with every module (javac included), its CA certificates, the wrapper's Maven
# and the few shell tools the mvn script uses. The dockerfile-source ITs build Dockerfile.source with it.
build_builder_image() {
  local ref="${REGISTRY}/devplugin/maven:3.9-jdk17"
  image_exists "$ref" && return
  log "building ${ref} from this machine's JDK and the wrapper's Maven"
  local root="${HOME_DIR}/rootfs-maven" java_home maven f
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  maven=$(maven_distribution)
  rm -rf "$root"; mkdir -p "${root}/opt/java" "${root}/usr/share" "${root}/usr/bin" "${root}/bin" "${root}/root/.m2"
  "${java_home}/bin/jlink" --add-modules ALL-MODULE-PATH --strip-debug --no-man-pages --no-header-files \
    --output "${root}/opt/java/openjdk"
  rm -f "${root}/opt/java/openjdk/lib/security/cacerts"
  cp -L /etc/ssl/certs/java/cacerts "${root}/opt/java/openjdk/lib/security/cacerts"
  for f in "${root}"/opt/java/openjdk/bin/* $(find "${root}/opt/java/openjdk/lib" -name '*.so'); do
    copy_with_libs "$root" "$(readlink -f "$f")" >/dev/null 2>&1 || true
  done
  copy_with_libs "$root" /lib64/ld-linux-x86-64.so.2 /bin/dash
  for f in uname dirname expr ls tr mkdir cat rm cp; do copy_with_libs "$root" "$(readlink -f "$(command -v "$f")")"; done
  # Maven's jansi loads libutil at run time (ldd does not list it)
  copy_with_libs "$root" "$(readlink -f /lib/x86_64-linux-gnu/libutil.so.1)"
  cp -L /lib/x86_64-linux-gnu/libutil.so.1 "${root}/lib/x86_64-linux-gnu/libutil.so.1"
  cp -L /bin/dash "${root}/bin/sh"
  cp -a "${maven}" "${root}/usr/share/maven"
  mkdir -p "${root}/usr/lib/locale" && cp -a /usr/lib/locale/C.utf8 "${root}/usr/lib/locale/"
  rm -f "${root}/usr/share/maven/mvnw.url"
  ln -s /usr/share/maven/bin/mvn "${root}/usr/bin/mvn"
  base_files "$root"
  rm -f "${HOME_DIR}/images/$(echo "$ref" | tr '/:' '__').tar"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/home/app:/sbin/nologin\n' >"${root}/etc/passwd"
  push_rootfs "$root" "$ref" --config.env JAVA_HOME=/opt/java/openjdk --config.env MAVEN_HOME=/usr/share/maven \
    --config.env PATH=/opt/java/openjdk/bin:/usr/share/maven/bin:/usr/local/bin:/usr/bin:/bin \
    --config.env LANG=C.UTF-8 --config.workingdir /root
  # push_rootfs also keeps a Docker-format tar for tar:// base tests; nothing reads the builder's
  rm -rf "$root" "${HOME_DIR}/images/$(echo "$ref" | tr '/:' '__').tar"
}

# kubectl renders the generated Kubernetes directories offline (`kubectl kustomize`) in the k8s tests. The machine
# image ships it; elsewhere Debian's kubernetes-client provides one.
check_kubectl() {
  if command -v kubectl >/dev/null 2>&1; then return; fi
  log "installing kubectl (kubernetes-client)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null ||
    die "kubectl is missing and could not be installed; the k8s tests need it for kubectl kustomize"
}

# The official postgres image's contract, which compose files rely on, on this machine's PostgreSQL 15: initdb on
# an empty PGDATA (/var/lib/postgresql/data) with POSTGRES_USER (postgres), POSTGRES_PASSWORD (required) and
# POSTGRES_DB (the user's name) created, scram-sha-256 over TCP from anywhere, non-root (999), pg_isready and psql
# on the PATH, and a first start that listens on no TCP port until initialisation is over.
build_postgres_image() {
  local ref="${REGISTRY}/devplugin/postgres:15"
  image_exists "$ref" && return
  log "building ${ref} from this machine's PostgreSQL 15"
  local root="${HOME_DIR}/rootfs-postgres" bin=/usr/lib/postgresql/15/bin f
  rm -rf "$root"; mkdir -p "$root"
  copy_with_libs "$root" "$bin/postgres" "$bin/initdb" "$bin/pg_ctl" "$bin/pg_isready" "$bin/psql" /bin/dash
  for f in /usr/lib/postgresql/15/lib/*.so; do copy_with_libs "$root" "$f"; done
  copy_with_libs "$root" /lib64/ld-linux-x86-64.so.2
  mkdir -p "$root/usr/share/postgresql" "$root/usr/share/zoneinfo" "$root/bin"
  cp -a /usr/share/postgresql/15 "$root/usr/share/postgresql/"
  cp -a /usr/share/zoneinfo/. "$root/usr/share/zoneinfo/"
  cp -L /bin/dash "$root/bin/sh"
  mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/usr/local/bin"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\npostgres:x:999:999:postgres:/var/lib/postgresql:/bin/sh\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\npostgres:x:999:\n' >"$root/etc/group"
  chown -R 999:999 "$root/var/lib/postgresql" "$root/var/run/postgresql"
  chmod 700 "$root/var/lib/postgresql/data"
  chmod 2775 "$root/var/run/postgresql"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -eu
if [ "$#" -eq 0 ] || [ "$1" = postgres ]; then
  [ "$#" -gt 0 ] && shift
  : "${POSTGRES_USER:=postgres}"
  : "${POSTGRES_DB:=$POSTGRES_USER}"
  : "${PGDATA:=/var/lib/postgresql/data}"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
      echo "Error: database is uninitialized and superuser password is not specified. Set POSTGRES_PASSWORD." >&2
      exit 1
    fi
    printf '%s\n' "$POSTGRES_PASSWORD" | initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/dev/stdin -E UTF8 \
      --no-locale --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
      printf 'CREATE DATABASE "%s"\n' "$POSTGRES_DB" | postgres --single -D "$PGDATA" postgres >/dev/null
    fi
    echo "PostgreSQL init process complete; ready for start up."
  fi
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
SH
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
  push_rootfs "$root" "$ref" --config.user 999:999 --config.entrypoint /usr/local/bin/docker-entrypoint.sh \
    --config.cmd postgres --config.env PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin \
    --config.env PGDATA=/var/lib/postgresql/data --config.volume /var/lib/postgresql/data \
    --config.exposedports 5432/tcp --config.stopsignal SIGINT
  rm -rf "$root"
}

# The official redis image's contract on this machine's Redis 7: redis-server as the default command (arguments
# starting with '-' go to it), protected mode off (the container is the boundary), data in /data, non-root (999),
# redis-cli on the PATH.
build_redis_image() {
  local ref="${REGISTRY}/devplugin/redis:7"
  image_exists "$ref" && return
  log "building ${ref} from this machine's Redis"
  local root="${HOME_DIR}/rootfs-redis"
  rm -rf "$root"; mkdir -p "$root"
  copy_with_libs "$root" /usr/bin/redis-server /usr/bin/redis-cli /bin/dash
  copy_with_libs "$root" /lib64/ld-linux-x86-64.so.2
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/data" "$root/usr/local/bin"
  cp -L /bin/dash "$root/bin/sh"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nredis:x:999:999:redis:/data:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nredis:x:999:\n' >"$root/etc/group"
  chown 999:999 "$root/data"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -eu
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = redis-server ]; then
  shift
  exec /usr/bin/redis-server --protected-mode no --dir /data "$@"
fi
exec "$@"
SH
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
  push_rootfs "$root" "$ref" --config.user 999:999 --config.entrypoint /usr/local/bin/docker-entrypoint.sh \
    --config.cmd redis-server --config.env PATH=/usr/local/bin:/usr/bin:/bin --config.workingdir /data \
    --config.volume /data --config.exposedports 6379/tcp
  rm -rf "$root"
}

# npm builds the plugin (it fetches the Compose Specification schema, src/build/compose-schema.sh)
ensure_npm() {
  command -v npm >/dev/null 2>&1 && return
  log "installing npm (the build fetches the Compose Specification schema with it)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
}

# A two-platform index (linux/amd64 + linux/arm64) of the JRE image, for multi-platform tests. Only an amd64 JRE
# exists here: the arm64 entry reuses the amd64 layers with an arm64 config. The tests check the index, not arm64 runs.
build_multiplatform_jre_image() {
  local ref="${REGISTRY}/devplugin/jre:17-multi"
  image_exists "$ref" && return
  log "building the two-platform index ${ref}"
  local work="${HOME_DIR}/images/jre-multi" list="devplugin-test-jre-multi-$$"
  rm -rf "$work"; mkdir -p "$work"
  skopeo copy -q --src-tls-verify=false "docker://${REGISTRY}/devplugin/jre:17" "oci:$work/oci:amd64"
  skopeo copy -q "oci:$work/oci:amd64" "oci:$work/oci:arm64"
  umoci config --image "$work/oci:arm64" --architecture arm64
  skopeo copy -q --dest-tls-verify=false "oci:$work/oci:arm64" "docker://${REGISTRY}/devplugin/jre:17-arm64"
  podman manifest rm "$list" >/dev/null 2>&1 || true
  podman manifest create "$list" >/dev/null
  podman manifest add --tls-verify=false "$list" "docker://${REGISTRY}/devplugin/jre:17" >/dev/null
  podman manifest add --tls-verify=false "$list" "docker://${REGISTRY}/devplugin/jre:17-arm64" >/dev/null
  podman manifest push --quiet --all --format v2s2 --tls-verify=false "$list" "docker://${ref}"
  podman manifest rm "$list" >/dev/null 2>&1 || true
  rm -rf "$work"
}

up() {
  install_packages
  check_kubectl
  write_container_config
  start_registry
  start_postgres
  start_podman_service
  build_jre_image
  build_jre_image "${REGISTRY}/devplugin/jre-debug:17"
  build_postgres_image
  build_redis_image
  ensure_npm
  start_auth_registry
  build_multiplatform_jre_image
  build_builder_image
  log "ready; the tests read:"
  print_env >&2
}

down() {
  local f
  for f in "${HOME_DIR}/registry/pid" "${HOME_DIR}/auth-registry/pid" "${HOME_DIR}/podman/pid"; do
    if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; fi
  done
  if [ -f "${HOME_DIR}/postgres.started-by-test-env" ]; then
    # shellcheck disable=SC2046
    pg_ctlcluster $(pg_lsclusters -h | awk '{print $1" "$2}' | head -1) stop || true
    rm -f "${HOME_DIR}/postgres.started-by-test-env"
  fi
  log "stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  env) print_env ;;
  *) die "usage: $0 up|down|env" ;;
esac
