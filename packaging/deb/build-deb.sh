#!/usr/bin/env bash
# Builds meshedge_<version>-<release>_<arch>.deb from a prebuilt binary with dpkg-deb (no debhelper,
# no compilation). Run as root, or files would not be root-owned: dpkg-deb --root-owner-group
# makes every entry root:root in the archive whoever builds it.
#   packaging/deb/build-deb.sh --binary PATH --arch amd64|arm64 --version 0.1.0 [--release 1] --out DIR
# Environment: MAINTAINER ("Name <mail>"), HOMEPAGE (optional), SOURCE_DATE_EPOCH (optional;
# default: the VERSION file's mtime) for reproducible timestamps.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
common="$here/../common"

# shellcheck source=SCRIPTDIR/../common/package-args.sh
. "$common/package-args.sh"
parse_package_args build-deb.sh "amd64|arm64" "$@"

MAINTAINER="${MAINTAINER:-MeshEdge Maintainers <maintainers@meshedge.dev>}"
HOMEPAGE="${HOMEPAGE:-}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(stat -c %Y "$repo/VERSION")}"
# Debian versions sort "~" before anything: 0.2.0-rc1 becomes 0.2.0~rc1.
deb_version="${version//-/\~}-$release"
pkg="meshedge_${deb_version}_${arch}.deb"

# The oldest glibc the binary links against, from its versioned symbol references.
glibc_min="$(readelf --dyn-syms -W "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
[ -n "$glibc_min" ] || { echo "build-deb.sh: $binary has no versioned glibc symbols (a static binary?)" >&2; exit 1; }

umask 022
mkdir -p "$out"
stage="$(mktemp -d "${TMPDIR:-/tmp}/meshedge-deb.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
mkdir -p "$root/DEBIAN"

install -D -m 0755 "$binary" "$root/usr/bin/meshedge"
install -d -m 0755 "$root/etc/meshedge"
"$common/make-config.sh" "$repo/src/Proxy.Native/Hosting/default.toml" > "$root/etc/meshedge/meshedge.toml"
chmod 0644 "$root/etc/meshedge/meshedge.toml"
# Debian 12 still ships units under /lib (a symlink to /usr/lib on merged-/usr systems).
install -D -m 0644 "$common/meshedge.service" "$root/lib/systemd/system/meshedge.service"
install -d -m 0755 "$root/usr/share/man/man1"
sed "s/@VERSION@/$version/g" "$common/meshedge.1" | gzip -9n > "$root/usr/share/man/man1/meshedge.1.gz"
doc="$root/usr/share/doc/meshedge"
install -d -m 0755 "$doc/examples"
install -m 0644 "$repo"/examples/*.toml "$repo"/examples/*.json "$doc/examples/"
sed "s|@MAINTAINER@|$MAINTAINER|g" "$here/copyright" > "$doc/copyright"
chmod 0644 "$doc/copyright"
{
  printf 'meshedge (%s) unstable; urgency=medium\n\n' "$deb_version"
  printf '  * Release %s.\n\n' "$version"
  printf ' -- %s  %s\n' "$MAINTAINER" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.Debian.gz"
install -D -m 0644 "$here/lintian-overrides" "$root/usr/share/lintian/overrides/meshedge"

# Control area.
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
install -m 0644 "$here/conffiles" "$root/DEBIAN/conffiles"
installed_size="$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s|@DEB_VERSION@|$deb_version|" -e "s|@DEB_ARCH@|$arch|" -e "s|@MAINTAINER@|$MAINTAINER|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@GLIBC_MIN@|$glibc_min|" -e "s|@HOMEPAGE@|$HOMEPAGE|" \
    "$here/control.in" | { if [ -z "$HOMEPAGE" ]; then grep -v '^Homepage:'; else cat; fi; } > "$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"
# md5sums of everything but the conffiles (dpkg keeps their hashes itself), as dh_md5sums does.
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort \
   | grep -vxF -f <(sed 's|^/||' DEBIAN/conffiles) | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/$pkg" >/dev/null
echo "$(cd "$out" && pwd)/$pkg"
