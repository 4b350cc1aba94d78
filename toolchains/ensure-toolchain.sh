#!/usr/bin/env bash
# Installs (only when missing) the Debian packages a MeshEdge release build needs.
#   toolchains/ensure-toolchain.sh linux-x64 | linux-x64-static | linux-arm64 | packaging | all
# Idempotent: packaging/dist.mk calls it on every `make dist`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ensure="$here/../scripts/ensure-packages.sh"

packages_for() {
  case "$1" in
    # clang drives the link; zlib1g-dev matches the Makefile's `deps`.
    linux-x64) echo clang lld zlib1g-dev ;;
    # libc6-dev provides libc.a; GNU ld cannot do this link, lld can.
    linux-x64-static) echo clang lld libc6-dev zlib1g-dev ;;
    # clang cross-compiles by itself; the aarch64 libc, crt files, libgcc and objcopy come from
    # Debian's cross packages.
    linux-arm64) echo clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu ;;
    # dpkg-deb is in dpkg (essential); rpmbuild is in rpm; binutils gives readelf for the
    # libc6 version the .deb depends on.
    packaging) echo rpm binutils gzip ;;
    *) echo "unknown toolchain '$1' (linux-x64, linux-x64-static, linux-arm64, packaging, all)" >&2; return 2 ;;
  esac
}

[ $# -gt 0 ] || set -- all
pkgs=()
for name in "$@"; do
  if [ "$name" = all ]; then
    for each in linux-x64 linux-x64-static linux-arm64 packaging; do
      read -ra more <<<"$(packages_for "$each")"; pkgs+=("${more[@]}")
    done
  else
    list="$(packages_for "$name")"
    read -ra more <<<"$list"; pkgs+=("${more[@]}")
  fi
done
# One apt-get run for everything missing (ensure-packages.sh does nothing when all are there).
mapfile -t unique < <(printf '%s\n' "${pkgs[@]}" | sort -u)
exec "$ensure" "${unique[@]}"
