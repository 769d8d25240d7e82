#!/usr/bin/env bash
# Installs the .deb into a minimal Debian 12 chroot the way a branch box gets it (apt-get install
# ./x.deb, dependencies from the mirror), checks the binary, files, modes and group, upgrades it to
# a newer build, purges it and shows that nothing of it is left. Also checks the published binary,
# lintian, and the unit (systemd-analyze verify and security).
#
# Root only. The debootstrapped system is cached in $BC_TEST_CACHE (default
# /var/cache/branch-connector-test) and copied for each run; the copy is removed on exit.
# Ends with the line "packaging: N passed, M failed"; the exit status is 1 when M > 0.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

tally_name=packaging
# shellcheck source=tests/packaging/tally.sh
source "$repo/tests/packaging/tally.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "install-test: needs root (debootstrap, chroot, mounts)" >&2
  fail "running as root"
  finish
fi

binary=$repo/artifacts/bin/branch-connector
unit=$repo/packaging/systemd/branch-connector.service
cache=${BC_TEST_CACHE:-/var/cache/branch-connector-test}
fixtures=$repo/tests/packaging/fixtures

# --- the published binary -------------------------------------------------------------------
if [[ ! -x $binary ]]; then
  fail "artifacts/bin/branch-connector exists (run scripts/build.sh)"
  finish
fi
props_version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -n1)
version_line=$("$binary" --version 2>&1)
check "--version prints one line 'branch-connector <semver>' ($version_line)" \
  grep -Eqx 'branch-connector [0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?' <<<"$version_line"
check "--version matches Directory.Build.props ($props_version)" \
  test "$version_line" = "branch-connector $props_version"
# (artifacts/bin/arm64 holds the arm64 build, tests/packaging/arm64-test.sh.)
check "the binary is a single file: nothing else was published next to it" \
  test "$(find "$(dirname "$binary")" -mindepth 1 -maxdepth 1 -not -name arm64 | wc -l)" -eq 1
# Self-contained: no libcoreclr/libhostfxr beside it, and every library it links is on the system.
check "the binary links only system libraries, all present" \
  bash -c "! ldd '$binary' | grep -Eq 'not found|coreclr|hostfxr'"

# --- the package ------------------------------------------------------------------------------
deb_version=${props_version//-/\~}
deb=$repo/artifacts/deb/branch-connector_${deb_version}_amd64.deb
# Rebuilt when the binary or anything under packaging/ is newer than it (scripts/build.sh builds it).
if [[ ! -f $deb ]] || [[ -n $(find packaging "$binary" -newer "$deb" -print -quit) ]]; then
  packaging/build-deb.sh >/dev/null || true
fi
if [[ ! -f $deb ]]; then
  fail "$deb was built"
  finish
fi
pass "$(basename "$deb") built"

# MQTT is MQTTnet, managed code inside the binary: the box needs no MQTT library.
depends=$(dpkg-deb -f "$deb" Depends)
echo "     Depends: $depends"
check "the package does not depend on libmosquitto" bash -c "! grep -q mosquitto <<<\"\$1\"" _ "$depends"
check "the binary loads no libmosquitto" bash -c "! grep -aq libmosquitto '$binary'"

# Info and pedantic tags are shown, errors and warnings fail (overrides: debian/*.lintian-overrides).
lintian_out=$(lintian --pedantic --display-info "$deb" 2>&1 | grep -v '^running with root privileges')
echo "${lintian_out:-(no tags)}" | sed 's/^/     lintian: /'
check "lintian: no errors or warnings" bash -c "! grep -Eq '^[EW]: ' <<<\"\$1\"" _ "$lintian_out"

exposure=$(systemd-analyze security --offline=true "$unit" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "     systemd-analyze security: exposure $exposure"
check "unit exposure score is at most 3.0 ($exposure)" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 3.0) }'

# --- the chroot -----------------------------------------------------------------------------
# The mirror this machine's apt uses, so that the test works where only that mirror is reachable.
source scripts/lib/apt-mirror.sh
mirror=$(apt_uri_for bookworm)
mirror=${mirror:-http://deb.debian.org/debian}
security_mirror=$(apt_uri_for bookworm-security)

base=$cache/bookworm
if [[ ! -x $base/usr/bin/apt-get ]]; then
  echo "     debootstrap bookworm (minbase) from $mirror into $base"
  mkdir -p "$cache"
  rm -rf "$base.partial"
  if debootstrap --variant=minbase bookworm "$base.partial" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    mv "$base.partial" "$base"
  else
    tail -n 20 "$cache/debootstrap.log"
    fail "debootstrap bookworm from $mirror"
    finish
  fi
fi

work=$(mktemp -d /var/tmp/branch-connector-install-test.XXXXXX)
root=$work/root
mounts=()
cleanup_work() {
  local m i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    m=${mounts[i]}
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  # Never delete through a mount that is still there.
  if grep -q " $work/" /proc/mounts; then
    echo "install-test: mounts remain under $work; left in place" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup_work EXIT
trap 'exit 130' INT TERM

cp -a "$base" "$root"
mkdir -p "$cache/archives/partial"
bind() { mount --bind "$1" "$2" && mounts+=("$2"); }
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
bind /dev "$root/dev"
bind /dev/pts "$root/dev/pts"
bind "$cache/archives" "$root/var/cache/apt/archives" # downloaded .debs are reused between runs
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
{
  echo "deb $mirror bookworm main"
  echo "deb $mirror bookworm-updates main"
  [[ -n $security_mirror ]] && echo "deb $security_mirror bookworm-security main"
} >"$root/etc/apt/sources.list"
# No daemon of any dependency is started inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
# Removal runs `branch-connector cleanup`: give it an empty network namespace of its own, so that
# it cannot touch this machine's interfaces or firewall whatever it decides to remove.
in_root_isolated() { unshare --net chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

# What the system holds, apart from apt's and dpkg's own records, caches and logs.
snapshot() {
  (cd "$root" && find . -xdev \
    \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./run -o -path ./tmp \
       -o -path ./var/cache/apt -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/log \
       -o -path ./var/cache/debconf -o -path ./var/cache/ldconfig \) -prune \
    -o -printf '%p %y %m %u:%g\n' | LC_ALL=C sort)
}

if ! in_root apt-get update -qq >"$work/apt-update.log" 2>&1; then
  cat "$work/apt-update.log"
  fail "apt-get update in the chroot ($mirror)"
  finish
fi
before=$(snapshot)

# --- install ----------------------------------------------------------------------------------
cp "$deb" "$root/tmp/"
# Without Recommends, as scripts/deps.sh installs: wireguard-tools recommends a kernel image, and a box
# has its own kernel. wireguard-go, the package's own Recommends, is named so it must resolve too.
if in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" wireguard-go >"$work/install.log" 2>&1; then
  pass "apt-get install ./$(basename "$deb") resolves its dependencies from $mirror"
else
  tail -n 30 "$work/install.log"
  fail "apt-get install ./$(basename "$deb")"
  finish
fi
# Named only to show that it resolves; like the dependencies, autoremove takes it away after the purge.
in_root apt-mark auto wireguard-go >/dev/null
echo "     installed: $(sed -n 's/^Setting up \([^ :]*\).*/\1/p' "$work/install.log" | LC_ALL=C sort | paste -sd' ')"
check "the postinst says the agent waits for a serial" grep -q "set 'serial:'" "$work/install.log"

# ICU is not in a minimal system nor pulled by the dependencies: the binary must run without it.
check "the chroot has no ICU, so the runs below prove InvariantGlobalization" \
  bash -c '! ls "$1"/usr/lib/x86_64-linux-gnu/libicuuc.so* >/dev/null 2>&1' _ "$root"
check "branch-connector --version in the chroot" \
  test "$(in_root branch-connector --version 2>&1)" = "branch-connector $props_version"

# Inside the chroot, so that owner and group names come from its own passwd and group files.
mode_of() { chroot "$root" stat -c '%a %U:%G' "$1" 2>/dev/null; }
check "/usr/bin/branch-connector 755 root:root" test "$(mode_of /usr/bin/branch-connector)" = "755 root:root"
check "/etc/branch-connector/agent.yaml 640 root:branch-connector" \
  test "$(mode_of /etc/branch-connector/agent.yaml)" = "640 root:branch-connector"
check "/var/lib/branch-connector 700 root:root" test "$(mode_of /var/lib/branch-connector)" = "700 root:root"
check "system group branch-connector exists" \
  bash -c '[[ $(chroot "$1" getent group branch-connector | cut -d: -f3) -lt 1000 ]]' _ "$root"
check "agent.yaml is a conffile" \
  bash -c 'chroot "$1" dpkg-query -W -f="\${Conffiles}" branch-connector | grep -q "/etc/branch-connector/agent.yaml"' _ "$root"
check "agent.yaml ships without a serial" bash -c "! grep -Eq '^[[:space:]]*serial:' '$root/etc/branch-connector/agent.yaml'"
check "the service is not enabled without a serial" \
  test ! -e "$root/etc/systemd/system/multi-user.target.wants/branch-connector.service"
check "unit at /lib/systemd/system/branch-connector.service" test -f "$root/lib/systemd/system/branch-connector.service"
check "man page branch-connector(8)" test -f "$root/usr/share/man/man8/branch-connector.8.gz"
check "machine-readable copyright" \
  grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$root/usr/share/doc/branch-connector/copyright"
check "Debian changelog in /usr/share/doc" test -f "$root/usr/share/doc/branch-connector/changelog.gz"
check "tmpfiles.d entry for /run/wireguard and /run/xtables.lock" \
  grep -q '^d /run/wireguard' "$root/usr/lib/tmpfiles.d/branch-connector.conf"

# systemd-analyze verify on this machine (the minimal chroot has no systemd units to resolve
# against): the installed unit with ExecStart pointed at the published binary, and MANPATH at the
# installed man page, so Documentation=man:branch-connector(8) is checked as well.
mkdir -p "$work/verify/man/man8"
cp "$root/usr/share/man/man8/branch-connector.8.gz" "$work/verify/man/man8/"
sed "s|^ExecStart=/usr/bin/branch-connector |ExecStart=$binary |" \
  "$root/lib/systemd/system/branch-connector.service" >"$work/verify/branch-connector.service"
verify_out=$(MANPATH=$work/verify/man systemd-analyze verify "$work/verify/branch-connector.service" 2>&1)
verify_rc=$?
[[ -n $verify_out ]] && echo "$verify_out" | sed 's/^/     verify: /'
check "systemd-analyze verify of the installed unit" test $verify_rc -eq 0 -a -z "$verify_out"

# --- validate ---------------------------------------------------------------------------------
cp "$fixtures/batch-valid.json" "$fixtures/batch-invalid.json" "$root/tmp/"
validate_out=$(in_root branch-connector validate /tmp/batch-valid.json 2>&1)
validate_rc=$?
if [[ $validate_rc -ne 0 ]] && grep -qi "unrecognized command or argument 'validate'" <<<"$validate_out"; then
  fail "validate: the command is not in this binary yet (merge the validate branch and rebuild)"
else
  [[ $validate_rc -eq 0 ]] || echo "$validate_out" | sed 's/^/     validate: /'
  check "validate accepts the spec's example batch (exit 0)" test $validate_rc -eq 0
  invalid_out=$(in_root branch-connector validate /tmp/batch-invalid.json 2>&1)
  invalid_rc=$?
  check "validate rejects a bad route with exit 1 ($invalid_rc)" test $invalid_rc -eq 1
  check "validate names the JSON path commands[2].body.routes[0].destination" \
    grep -qF 'commands[2].body.routes[0].destination' <<<"$invalid_out"
fi

# --- enabling once a serial is set --------------------------------------------------------------
# The administrator sets the serial; the first configuration with a serial enables the unit.
sed -i 's/^#serial: BC-0001/serial: BC-0001/' "$root/etc/branch-connector/agent.yaml"
# The postinst is run as dpkg runs it on a first configuration (deb-systemd-helper insists on dpkg).
in_root DPKG_MAINTSCRIPT_PACKAGE=branch-connector DPKG_MAINTSCRIPT_NAME=postinst \
  /var/lib/dpkg/info/branch-connector.postinst configure "" >"$work/postinst.log" 2>&1
check "postinst with a serial enables the unit" \
  test -L "$root/etc/systemd/system/multi-user.target.wants/branch-connector.service"

# --- upgrade ----------------------------------------------------------------------------------
up_version=${BC_UPGRADE_VERSION:-0.1.1}
if dpkg --compare-versions "$up_version" le "$deb_version"; then
  up_version=$deb_version.1
fi
mkdir -p "$work/deb-up"
if BC_VERSION=$up_version BC_DEB_DIR=$work/deb-up packaging/build-deb.sh >"$work/build-up.log" 2>&1; then
  up_deb=$work/deb-up/branch-connector_${up_version}_amd64.deb
  cp "$up_deb" "$root/tmp/"
  if in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$up_deb")" >"$work/upgrade.log" 2>&1; then
    pass "upgrade $deb_version -> $up_version with apt-get install"
  else
    tail -n 30 "$work/upgrade.log"
    fail "upgrade $deb_version -> $up_version"
  fi
  check "dpkg shows $up_version installed" \
    test "$(in_root dpkg-query -W -f='${Version} ${db:Status-Status}' branch-connector)" = "$up_version installed"
  check "the upgrade kept the administrator's serial in agent.yaml" \
    grep -q '^serial: BC-0001' "$root/etc/branch-connector/agent.yaml"
  check "after the upgrade agent.yaml is still 640 root:branch-connector" \
    test "$(mode_of /etc/branch-connector/agent.yaml)" = "640 root:branch-connector"
  check "after the upgrade the unit is still enabled" \
    test -L "$root/etc/systemd/system/multi-user.target.wants/branch-connector.service"
  check "the upgraded package's changelog has the $up_version entry" \
    bash -c 'zcat "$1/usr/share/doc/branch-connector/changelog.gz" | head -n1 | grep -qF "($2)"' _ "$root" "$up_version"
else
  cat "$work/build-up.log"
  fail "rebuild the .deb as $up_version (BC_VERSION)"
fi

# --- remove, then purge ---------------------------------------------------------------------------
# The agent leaves state; purge must remove it too.
echo "journal" >"$root/var/lib/branch-connector/ownership.json"
echo "secret" >"$root/etc/branch-connector/token"
in_root_isolated apt-get remove -y -q branch-connector >"$work/remove.log" 2>&1
check "remove: package removed, agent.yaml (a conffile) kept" \
  test ! -e "$root/usr/bin/branch-connector" -a -f "$root/etc/branch-connector/agent.yaml"
if grep -qi "unrecognized command or argument 'cleanup'" "$work/remove.log"; then
  fail "prerm: cleanup is not in this binary yet (merge the cleanup branch and rebuild)"
elif grep -q "'branch-connector cleanup' failed" "$work/remove.log"; then
  grep -v '^\(Reading\|Building\|Removing\|(Reading\)' "$work/remove.log" | sed 's/^/     remove: /'
  fail "prerm: branch-connector cleanup succeeded"
else
  pass "prerm: branch-connector cleanup succeeded"
fi

in_root_isolated apt-get purge -y -q branch-connector >"$work/purge.log" 2>&1
check "purge: dpkg no longer knows the package" \
  bash -c '! chroot "$1" dpkg-query -W -f="\${db:Status-Status}" branch-connector 2>/dev/null | grep -q .' _ "$root"
check "purge: group branch-connector removed" bash -c '! chroot "$1" getent group branch-connector' _ "$root"
check "purge: no statoverride left" bash -c '! chroot "$1" dpkg-statoverride --list | grep -q branch-connector' _ "$root"
# The dependencies were installed for the package only; take them away too, then compare.
in_root apt-get autoremove --purge -y -q >"$work/autoremove.log" 2>&1
after=$(snapshot)
leftover=$(diff <(echo "$before") <(echo "$after") | grep '^[<>]' |
  # groupadd/groupdel keep shadow's backup copies of the group files; not the package's.
  grep -Ev '^> \./etc/(group|gshadow)- ' |
  # netbase (iproute2 depends on it) writes a default /etc/hosts when there is none and keeps it.
  grep -Ev '^> \./etc/hosts ')
if [[ -z $leftover ]]; then
  pass "purge: the file system is as before the install (apart from apt/dpkg records, caches, logs)"
else
  echo "$leftover" | head -n 40 | sed 's/^/     diff: /'
  fail "purge: the file system is as before the install"
fi
check "purge: nothing named branch-connector anywhere" \
  test -z "$(grep -i branch-connector <<<"$after")"

finish
