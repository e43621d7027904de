#!/usr/bin/env bash
# Bundles the Compose Specification's JSON schema into the plugin jar, so that devplugin:compose validates offline.
#
# The schema is not kept in this repository. It comes, at build time, from the npm package dclint (MIT; it ships the
# compose-spec project's schema/compose-spec.json, Apache-2.0, as schemas/compose.schema.json), fetched with npm
# itself and checked against the pinned integrity below. npm's cache makes later builds work offline.
#
#   src/build/compose-schema.sh OUTPUT_DIR     writes OUTPUT_DIR/io/github/devplugin/compose/compose-spec.json
#
# To move to a newer schema: change PACKAGE and INTEGRITY (npm view dclint@VERSION dist.integrity) and run the
# tests: ComposeSchemaTest compares the bundled schema with the reference copy.
set -euo pipefail

PACKAGE=dclint@3.1.0
INTEGRITY=sha512-afTGdzRFUXK4yCpIiEW/LOR+9TOMEDhNldDp56VCWzn7JDmD451PcUi640GGlMHgbHKJ10rDBm4PtpcBbjqlXw==
ENTRY=package/schemas/compose.schema.json

out=${1:?usage: $0 OUTPUT_DIR}
dir="$out/io/github/devplugin/compose"
dest="$dir/compose-spec.json"
source_file="$dir/compose-spec.source"
if [ -s "$dest" ] && [ -s "$source_file" ] && grep -qx "package=${PACKAGE}" "$source_file"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "[compose-schema] ERROR: building devplugin needs npm, to fetch the Compose Specification schema from the" \
    "npm package ${PACKAGE}. Fix: apt-get install npm (or install Node.js), then build again." >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! npm pack "$PACKAGE" --prefer-offline --silent --pack-destination "$work" >"$work/name" 2>"$work/npm.log"; then
  echo "[compose-schema] ERROR: npm pack ${PACKAGE} failed:" >&2
  cat "$work/npm.log" >&2
  echo "[compose-schema] Fix: check that the npm registry is reachable (npm ping), or fill npm's cache once online." >&2
  exit 1
fi
tgz="$work/$(tail -1 "$work/name")"
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "[compose-schema] ERROR: ${PACKAGE} has integrity ${actual}, expected ${INTEGRITY}; refusing to bundle it." >&2
  exit 1
fi
tar -xzf "$tgz" -C "$work" "$ENTRY"
mkdir -p "$dir"
cp "$work/$ENTRY" "$dest.tmp" && mv "$dest.tmp" "$dest"
printf 'package=%s\nintegrity=%s\nentry=%s\n' "$PACKAGE" "$INTEGRITY" "$ENTRY" >"$source_file"
echo "[compose-schema] bundled the Compose Specification schema from npm ${PACKAGE}" >&2
