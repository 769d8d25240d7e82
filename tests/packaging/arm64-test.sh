#!/usr/bin/env bash
# The arm64 build (scripts/build.sh cross-compiles it): the NativeAOT binary run under qemu-user prints
# byte for byte what the x64 binary prints for --version and for validate and render of every batch and
# peering document the tests keep (packaging fixtures, fuzzing seeds); the arm64 .deb is lintian clean.
# With BC_ARM64_CHROOT=1 also: through binfmt_misc and qemu-user, the .deb installs into a debootstrapped
# arm64 Debian 12 chroot, runs there, and purges without a trace (opt-in: a debootstrap under emulation
# took 26 minutes here and the install another 15, too long for every CI run).
#
# qemu-user's sysroot is the first stage of an arm64 Debian 12 debootstrap (unpacked, never run, so no
# emulation: a minute or two), not the cross toolchain's /usr/aarch64-linux-gnu: validate and render hash
# documents, and .NET hashes with the box's OpenSSL (libssl3), which the cross toolchain does not have.
# Root only. Cached in $BC_TEST_CACHE (default /var/cache/branch-connector-test): bookworm-arm64-sysroot and,
# for the chroot, bookworm-arm64. Ends with "arm64: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

tally_name=arm64
# shellcheck source=tests/packaging/tally.sh
source "$repo/tests/packaging/tally.sh"

x64=$repo/artifacts/bin/branch-connector
arm=$repo/artifacts/bin/arm64/branch-connector
cache=${BC_TEST_CACHE:-/var/cache/branch-connector-test}
sysroot=$cache/bookworm-arm64-sysroot
base=$cache/bookworm-arm64
qemu() { qemu-aarch64-static -L "$sysroot" "$arm" "$@"; }

if [[ ! -x $x64 || ! -x $arm ]]; then
  fail "artifacts/bin/branch-connector and artifacts/bin/arm64/branch-connector exist (run scripts/build.sh)"
  finish
fi
source scripts/lib/apt-mirror.sh
mirror=$(apt_uri_for bookworm)
mirror=${mirror:-http://deb.debian.org/debian}
# ELF e_machine (offset 18, little endian): 0xb7 is EM_AARCH64.
check "the arm64 binary is an aarch64 ELF executable" test "$(od -An -tx1 -j18 -N2 "$arm" | tr -d ' ')" = b700
check "the arm64 binary is alone in artifacts/bin/arm64" test "$(find "$(dirname "$arm")" -mindepth 1 | wc -l)" -eq 1
echo "     sizes: x64 $(stat -c %s "$x64") bytes, arm64 $(stat -c %s "$arm") bytes"

# --- qemu-user's sysroot: an unpacked arm64 Debian 12 with libssl3 -------------------------------------
if [[ $(id -u) -ne 0 ]]; then
  fail "running as root (debootstrap)"
  finish
fi
if [[ ! -e $sysroot/usr/lib/aarch64-linux-gnu/libssl.so.3 ]]; then
  echo "     debootstrap --foreign --arch=arm64 bookworm (minbase, libssl3) from $mirror into $sysroot"
  mkdir -p "$cache"
  rm -rf "$sysroot.partial"
  if debootstrap --foreign --arch=arm64 --variant=minbase --include=libssl3 bookworm "$sysroot.partial" "$mirror" \
      >"$cache/debootstrap-arm64-sysroot.log" 2>&1 &&
    # The first stage unpacks only the required packages; included ones wait in apt's cache.
    dpkg -x "$(ls "$sysroot.partial"/var/cache/apt/archives/libssl3_*_arm64.deb | head -n1)" "$sysroot.partial"; then
    mv "$sysroot.partial" "$sysroot"
  else
    tail -n 20 "$cache/debootstrap-arm64-sysroot.log"
    fail "debootstrap --foreign --arch=arm64 bookworm from $mirror"
    finish
  fi
fi
check "arm64 sysroot with libc and libssl3 at $sysroot" test -e "$sysroot/usr/lib/aarch64-linux-gnu/libssl.so.3"

# --- the same output as x64, under qemu-user ----------------------------------------------------------
same() { # what, then the arguments; stdout, stderr and the exit code must match
  local what=$1; shift
  local a b
  a=$("$x64" "$@" 2>&1; echo "exit $?")
  b=$(qemu "$@" 2>&1; echo "exit $?")
  if [[ "$a" == "$b" ]]; then pass "$what"; else
    diff <(echo "$a") <(echo "$b") | head -n 20 | sed 's/^/     diff: /'
    fail "$what"
  fi
}
same "--version under qemu-user is the x64 binary's" --version
documents=(tests/packaging/fixtures/*.json tests/BranchConnector.Fuzz/corpus/batch/*.json tests/BranchConnector.Fuzz/corpus/peering/*.json)
for doc in "${documents[@]}"; do
  same "validate $doc: same output and exit code" validate "$doc"
  same "render $doc: same output and exit code" render "$doc"
done

# --- the package ---------------------------------------------------------------------------------------
props_version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -n1)
deb_version=${props_version//-/\~}
deb=$repo/artifacts/deb/branch-connector_${deb_version}_arm64.deb
if [[ ! -f $deb ]] || [[ -n $(find packaging "$arm" -newer "$deb" -print -quit) ]]; then
  BC_DEB_ARCH=arm64 packaging/build-deb.sh >/dev/null || true
fi
if [[ ! -f $deb ]]; then
  fail "$deb was built"
  finish
fi
pass "$(basename "$deb") built"
check "the package is Architecture: arm64" test "$(dpkg-deb -f "$deb" Architecture)" = arm64
depends=$(dpkg-deb -f "$deb" Depends)
echo "     Depends: $depends"
check "it depends on plain libc6 (no :arm64 qualifier)" bash -c '[[ $1 =~ (^|, )libc6\ \( && $1 != *:arm64* ]]' _ "$depends"
lintian_out=$(lintian --pedantic --display-info "$deb" 2>&1 | grep -v '^running with root privileges')
echo "${lintian_out:-(no tags)}" | sed 's/^/     lintian: /'
check "lintian: no errors or warnings" bash -c "! grep -Eq '^[EW]: ' <<<\"\$1\"" _ "$lintian_out"

# --- install and purge in an arm64 chroot (BC_ARM64_CHROOT=1) ---------------------------------------------
if [[ ${BC_ARM64_CHROOT:-0} != 1 ]]; then
  echo "     arm64 chroot install not run (BC_ARM64_CHROOT=1 runs it)"
  finish
fi
# binfmt_misc runs arm64 programs through qemu-user (qemu-user-static registers it with the F flag,
# so the emulator need not be inside the chroot). Mounted and enabled here when it is not yet.
[[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null
[[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1
if ! grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
  fail "binfmt_misc runs arm64 programs through qemu-user (mount binfmt_misc, update-binfmts --enable qemu-aarch64)"
  finish
fi
pass "binfmt_misc runs arm64 programs through qemu-user"

if [[ ! -x $base/usr/bin/apt-get ]]; then
  echo "     debootstrap --arch=arm64 bookworm (minbase) from $mirror into $base (under qemu-user: minutes)"
  mkdir -p "$cache"
  rm -rf "$base.partial"
  if debootstrap --arch=arm64 --variant=minbase bookworm "$base.partial" "$mirror" >"$cache/debootstrap-arm64.log" 2>&1; then
    mv "$base.partial" "$base"
  else
    tail -n 20 "$cache/debootstrap-arm64.log"
    fail "debootstrap --arch=arm64 bookworm from $mirror"
    finish
  fi
fi
pass "arm64 Debian 12 at $base"

work=$(mktemp -d /var/tmp/branch-connector-arm64-test.XXXXXX)
root=$work/root
mounts=()
cleanup_work() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true; done
  if grep -q " $work/" /proc/mounts; then echo "arm64-test: mounts remain under $work; left in place" >&2; else rm -rf "$work"; fi
}
trap cleanup_work EXIT
trap 'exit 130' INT TERM

cp -a "$base" "$root"
mkdir -p "$cache/archives-arm64/partial"
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount --bind /dev "$root/dev" && mounts+=("$root/dev")
mount --bind "$cache/archives-arm64" "$root/var/cache/apt/archives" && mounts+=("$root/var/cache/apt/archives")
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
# Removal runs `branch-connector cleanup`: an empty network namespace keeps it off this machine's network.
in_root_isolated() { unshare --net chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

check "the chroot is arm64" test "$(in_root dpkg --print-architecture)" = arm64
if ! in_root apt-get update -qq >"$work/apt-update.log" 2>&1; then
  cat "$work/apt-update.log"
  fail "apt-get update in the arm64 chroot ($mirror)"
  finish
fi
cp "$deb" "$root/tmp/"
if in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >"$work/install.log" 2>&1; then
  pass "apt-get install ./$(basename "$deb") in the arm64 chroot"
else
  tail -n 30 "$work/install.log"
  fail "apt-get install ./$(basename "$deb") in the arm64 chroot"
  finish
fi
check "branch-connector --version runs in the arm64 chroot" \
  test "$(in_root branch-connector --version 2>&1)" = "branch-connector $props_version"
cp tests/packaging/fixtures/batch-valid.json "$root/tmp/"
check "validate runs in the arm64 chroot (exit 0)" in_root branch-connector validate /tmp/batch-valid.json
in_root_isolated apt-get purge -y -q branch-connector >"$work/purge.log" 2>&1
check "purge: dpkg no longer knows the package" \
  bash -c '! chroot "$1" dpkg-query -W -f="\${db:Status-Status}" branch-connector 2>/dev/null | grep -q .' _ "$root"
cleanup_ok() { ! grep -qF "'branch-connector cleanup' failed" "$work/purge.log"; }
check "purge: prerm's branch-connector cleanup succeeded" cleanup_ok
check "purge: nothing named branch-connector left" \
  test -z "$(cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./var/cache/apt -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/log -o -path ./tmp \) -prune -o -iname '*branch-connector*' -print)"
finish
