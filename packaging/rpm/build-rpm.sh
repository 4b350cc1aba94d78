#!/usr/bin/env bash
# Builds meshedge-<version>-<release>.<arch>.rpm from a prebuilt binary with rpmbuild -bb
# (no compilation inside rpmbuild; --target only names the architecture).
#   packaging/rpm/build-rpm.sh --binary PATH --arch x86_64|aarch64 --version 0.1.0 [--release 1] --out DIR
# Environment: MAINTAINER ("Name <mail>"), SOURCE_DATE_EPOCH (optional; default: VERSION's mtime).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
common="$here/../common"

# shellcheck source=SCRIPTDIR/../common/package-args.sh
. "$common/package-args.sh"
parse_package_args build-rpm.sh "x86_64|aarch64" "$@"
command -v rpmbuild >/dev/null || { echo "build-rpm.sh: rpmbuild is missing (Debian package rpm)" >&2; exit 1; }

MAINTAINER="${MAINTAINER:-MeshEdge Maintainers <maintainers@meshedge.dev>}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(stat -c %Y "$repo/VERSION")}"
# RPM versions may not contain "-"; "~" sorts before a release, as in Debian: 0.2.0~rc1.
rpm_version="${version//-/\~}"

umask 022
mkdir -p "$out"
out="$(cd "$out" && pwd)"
top="$(mktemp -d "${TMPDIR:-/tmp}/meshedge-rpm.XXXXXX")"
trap 'rm -rf "$top"' EXIT
src="$top/sources"
mkdir -p "$src/examples" "$top/RPMS"
install -m 0755 "$binary" "$src/meshedge"
"$common/make-config.sh" "$repo/src/Proxy.Native/Hosting/default.toml" > "$src/meshedge.toml"
install -m 0644 "$common/meshedge.service" "$src/meshedge.service"
sed "s/@VERSION@/$version/g" "$common/meshedge.1" | gzip -9n > "$src/meshedge.1.gz"
install -m 0644 "$repo"/examples/*.toml "$repo"/examples/*.json "$src/examples/"
sed "s|@MAINTAINER@|$MAINTAINER|g" "$repo/packaging/deb/copyright" > "$src/copyright"

rpmbuild -bb --quiet --target "$arch" \
  --define "_topdir $top" \
  --define "_sourcedir $src" \
  --define "_rpmdir $top/RPMS" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  --define "meshedge_version $rpm_version" \
  --define "meshedge_release $release" \
  --define "meshedge_sources $src" \
  --define "meshedge_packager $MAINTAINER" \
  --define "meshedge_changelog_date $(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %d %Y')" \
  --define "packager $MAINTAINER" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "clamp_mtime_to_source_date_epoch 1" \
  "$here/meshedge.spec" > "$top/rpmbuild.log" 2>&1 || { cat "$top/rpmbuild.log" >&2; exit 1; }
rpm_file="meshedge-$rpm_version-$release.$arch.rpm"
mv "$top/RPMS/$rpm_file" "$out/$rpm_file"
echo "$out/$rpm_file"
