# shellcheck shell=bash
# Sourced by packaging/deb/build-deb.sh and packaging/rpm/build-rpm.sh: the command line both
# share. Usage: parse_package_args SCRIPT "ARCH1|ARCH2" "$@"; sets binary, arch, version, release
# and out, or exits with a usage error (2) or a missing-binary error (1).
# The variables are globals on purpose: the sourcing script reads them.
# shellcheck disable=SC2034
parse_package_args() {
  local script="$1" arches="$2"
  shift 2
  binary="" arch="" version="" release=1 out=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --binary) binary="$2"; shift 2 ;;
      --arch) arch="$2"; shift 2 ;;
      --version) version="$2"; shift 2 ;;
      --release) release="$2"; shift 2 ;;
      --out) out="$2"; shift 2 ;;
      *) echo "$script: unknown argument $1" >&2; exit 2 ;;
    esac
  done
  if [ -z "$binary" ] || [ -z "$arch" ] || [ -z "$version" ] || [ -z "$out" ]; then
    echo "usage: $script --binary PATH --arch $arches --version V [--release N] --out DIR" >&2
    exit 2
  fi
  [ -x "$binary" ] || { echo "$script: $binary is not an executable file" >&2; exit 1; }
  case "|$arches|" in *"|$arch|"*) ;; *) echo "$script: unsupported arch $arch" >&2; exit 2 ;; esac
}
