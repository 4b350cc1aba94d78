#!/bin/sh
# Fetches the npm package that ships Envoy's .proto files (deps/) into $1, once: idempotent (a stamp
# marks a whole unpack) and safe when two builds run at once (flock). Usage: fetch-protos.sh DIR PACKAGE@VERSION
set -eu
home=$1
package=$2
mkdir -p "$home"
cd "$home"
exec 9>../fetch.lock
flock 9
test -f unpacked.stamp && exit 0
tarball=$(npm pack "$package" --silent)
tar -xzf "$tarball" package/deps
rm -f "$tarball"
# The package's protoc-gen-validate is older than its Envoy API, which already annotates strings with
# ignore_empty (PGV's StringRules field 26): add that one field so protoc reads the annotations.
pgv=package/deps/protoc-gen-validate/validate/validate.proto
grep -q 'bool ignore_empty = 26' "$pgv" || sed -i 's/^\( *\)optional bool strict *= 25 \[default = true\];/&\n\1optional bool ignore_empty = 26;/' "$pgv"
touch unpacked.stamp
