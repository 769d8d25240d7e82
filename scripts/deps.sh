#!/usr/bin/env bash
# Installs the Debian packages the agent, its tests and the lab need, only those that are missing.
# Idempotent: a second run installs nothing and does not touch apt's lists.
set -euo pipefail

packages=(
  # what the agent runs on a box
  wireguard-tools wireguard-go iproute2 iptables
  # a redundant pair (the ha topic): VRRP v3 through keepalived, run by the agent
  keepalived
  # what the tests and the lab use (mosquitto_sub/_pub bring their own libmosquitto1)
  # (busybox: `busybox nc` is the LAN/traffic listener; scripts/check-deps.sh checks this list is complete)
  mosquitto mosquitto-clients coturn iputils-ping openssl procps util-linux kmod busybox
  # coverage-guided fuzzing (scripts/fuzz.sh)
  afl++
  # /metrics is scraped with curl and checked with promtool (Debian's prometheus package)
  curl prometheus
  # fault injection: clock jumps of a running agent (tests/…/Faults/ClockJumpTests.cs)
  faketime libfaketime
  # packaging
  dpkg-dev debhelper lintian fakeroot debootstrap systemd
  # the arm64 build (scripts/build.sh cross-compiles NativeAOT with clang and lld against the aarch64 cross
  # toolchain) and its tests (qemu-user runs the arm64 binary; binfmt-support lets an arm64 chroot run)
  clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu qemu-user-static binfmt-support
  # the VM lane (scripts/vm-test.sh): qemu with TCG, the overlay disk, mkfs.ext4 -d and debugfs; clang (above) and
  # zlib1g-dev link the NativeAOT test hub it runs inside the VM
  qemu-system-x86 qemu-utils e2fsprogs zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends: wireguard recommends a kernel image, which a box or CI does not want.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "deps: the .NET 10 SDK is required (dotnet on PATH); it is not a Debian package" >&2
  exit 1
fi
