#!/usr/bin/env bash
# Builds artifacts/deb/branch-connector_<version>_<arch>.deb from the already published binary
# (scripts/build.sh), with dpkg-buildpackage and debhelper: amd64 from artifacts/bin/branch-connector,
# arm64 (BC_DEB_ARCH=arm64, a cross build: dpkg-buildpackage -a arm64) from artifacts/bin/arm64/branch-connector.
#
# The version is the binary's own (`branch-connector --version`), falling back to
# Directory.Build.props. BC_VERSION=X overrides it (the upgrade test repackages the same binary as a
# newer version); BC_DEB_DIR=D puts the .deb in D instead of artifacts/deb.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

arch=${BC_DEB_ARCH:-amd64}
case $arch in
  amd64) binary=$repo/artifacts/bin/branch-connector ;;
  arm64) binary=$repo/artifacts/bin/arm64/branch-connector ;;
  *) echo "build-deb: unknown architecture '$arch' (amd64 or arm64)" >&2; exit 1 ;;
esac
[[ -x $binary ]] || { echo "build-deb: $binary is missing; run scripts/build.sh first" >&2; exit 1; }
for tool in dpkg-buildpackage dh fakeroot; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool is missing; run scripts/deps.sh" >&2; exit 1; }
done

binary_version() {
  local line
  # An arm64 binary on an amd64 builder does not run (qemu-user would); Directory.Build.props then says it.
  line=$("$binary" --version 2>/dev/null) || return 1
  [[ $line =~ ^branch-connector\ ([0-9]+\.[0-9]+\.[0-9]+[^[:space:]]*)$ ]] || return 1
  echo "${BASH_REMATCH[1]}"
}
props_version() {
  sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -n1
}
version=${BC_VERSION:-$(binary_version || props_version)}
# Debian version syntax; semver prerelease "-rc.1" becomes "~rc.1" so that it sorts before the release.
deb_version=${version//-/\~}
[[ $deb_version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || { echo "build-deb: bad version '$version'" >&2; exit 1; }

out_dir=${BC_DEB_DIR:-$repo/artifacts/deb}
mkdir -p "$out_dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/branch-connector-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The source tree dpkg-buildpackage sees: debian/, the binary, the unit, the example and the man page.
src=$work/branch-connector-$deb_version
mkdir -p "$src/bin" "$src/etc" "$src/man"
cp -r packaging/debian "$src/debian"
cp packaging/systemd/branch-connector.service "$src/debian/branch-connector.service"
cp "$binary" "$src/bin/branch-connector"
cp packaging/etc/agent.yaml "$src/etc/agent.yaml"
sed "s/\"branch-connector [^\"]*\"/\"branch-connector $deb_version\"/" packaging/man/branch-connector.8 \
  > "$src/man/branch-connector.8"

# A version other than the newest changelog entry (a local or test rebuild) gets its own entry, so
# the package's changelog always describes the version it carries.
top=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
if [[ $deb_version != "$top" ]]; then
  if dpkg --compare-versions "$deb_version" lt "$top"; then
    echo "build-deb: version $deb_version is older than the changelog's $top" >&2; exit 1
  fi
  maintainer=$(sed -n 's/^Maintainer: //p' packaging/debian/control)
  {
    printf 'branch-connector (%s) unstable; urgency=medium\n\n' "$deb_version"
    printf '  * Rebuild of the agent binary as version %s.\n\n' "$deb_version"
    printf ' -- %s  %s\n\n' "$maintainer" "$(date -R -u)"
    cat packaging/debian/changelog
  } > "$src/debian/changelog"
fi

(cd "$src" && dpkg-buildpackage -b -a "$arch" -us -uc --no-pre-clean >"$work/build.log" 2>&1) || {
  cat "$work/build.log" >&2
  echo "build-deb: dpkg-buildpackage failed" >&2
  exit 1
}
deb=branch-connector_${deb_version}_${arch}.deb
mv "$work/$deb" "$out_dir/$deb"
echo "build-deb: $out_dir/$deb"
