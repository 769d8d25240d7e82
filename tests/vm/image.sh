#!/usr/bin/env bash
# The VM lane's Debian 12 image: the recipe. Writes OUT/rootfs.img (ext4, booted as /dev/vda), OUT/vmlinuz and
# OUT/initrd.img (qemu boots them with -kernel/-initrd). scripts/vm-test.sh caches OUT under a hash of this file
# and of the package's Depends (packaging/debian/control), so editing either rebuilds the image.
#
# What is in it and why:
# - systemd as PID 1 with udev, dbus and the Debian kernel (6.1: the wireguard module, esp4, rfc4106(gcm(aes))).
# - The .deb's Depends, installed here because the VM has no network: the lane installs the .deb with dpkg -i.
# - The lab's tools (mosquitto and its clients for the hub, tcpdump, ping, jq). Not wireguard-go: the lane
#   proves the kernel path, and `implementation: auto` must not find a userspace fallback.
# - fstab mounts the per-run payload disk (/dev/vdb) at /lane; bc-lane.service runs /lane/guest/lane.sh when
#   it is there. Everything the lane does lives on that disk, so changing a check never rebuilds the image.
# - serial-getty@ttyS0 is masked: a getty there hangs up the lane's writes to the serial console.
#
# usage: tests/vm/image.sh OUT   (root; debootstrap from the mirror this machine's apt uses)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: image.sh OUT}
[[ $(id -u) -eq 0 ]] || { echo "image: needs root (debootstrap, chroot)" >&2; exit 2; }
source scripts/lib/apt-mirror.sh
mirror=$(apt_uri_for bookworm)
mirror=${mirror:-http://deb.debian.org/debian}

# The agent's Depends by name (versions are bookworm's; ${...} substitutions are the C/C++ runtime, below).
agent_deps=$(sed -n '/^Depends:/,/^[A-Z][A-Za-z-]*:/p' packaging/debian/control | grep -v '^#' |
  sed 's/^Depends://; /^[A-Z][A-Za-z-]*:/d' | tr ',' '\n' | sed 's/(.*)//; s/[[:space:]]//g' | grep -v '^\$' | grep -v '^$' | paste -sd,)
packages=(
  initramfs-tools systemd systemd-sysv udev dbus kmod
  libc6 libgcc-s1 libstdc++6
  mosquitto mosquitto-clients tcpdump iputils-ping procps jq psmisc
)
include="$(IFS=,; echo "${packages[*]}"),$agent_deps"

mkdir -p "$out"
work=$(mktemp -d /var/tmp/branch-connector-vm-image.XXXXXX)
root=$work/root
cleanup() {
  local m
  for m in "$root/var/cache/apt/archives" "$root/proc"; do umount "$m" 2>/dev/null || true; done
  grep -q " $work/" /proc/mounts || rm -rf "$work"
}
trap cleanup EXIT
# Downloaded .debs are kept between image builds (a recipe change re-downloads nothing it had).
cache=${BC_VM_DEB_CACHE:-/var/cache/branch-connector-vm/debs}
mkdir -p "$cache/partial"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"; }
# BC_VM_IMAGE_FROM=DIR: a debootstrapped tree with a kernel already in it (developing the steps below).
if [[ -n ${BC_VM_IMAGE_FROM:-} ]]; then
  cp -a "$BC_VM_IMAGE_FROM" "$root"
else
  echo "image: debootstrap bookworm from $mirror with $include"
  if ! debootstrap --variant=minbase --cache-dir="$cache" --include="$include" bookworm "$root" "$mirror" \
    >"$out/debootstrap.log" 2>&1; then
    tail -n 30 "$out/debootstrap.log" >&2
    exit 1
  fi

  # The kernel last, with an initramfs of only what mounts /dev/vda (virtio, ext4): the default MODULES=most
  # takes over 10 minutes to build under load and makes the VM's boot slower. Its other modules (wireguard,
  # esp4) load from the root file system.
  mkdir -p "$root/etc/initramfs-tools/conf.d"
  echo MODULES=list >"$root/etc/initramfs-tools/conf.d/lane.conf"
  printf '%s\n' virtio_pci virtio_blk ext4 >>"$root/etc/initramfs-tools/modules"
  echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  mount -t proc proc "$root/proc"
  mount --bind "$cache" "$root/var/cache/apt/archives"
  if ! { in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends linux-image-amd64; } >"$out/kernel.log" 2>&1; then
    tail -n 30 "$out/kernel.log" >&2
    exit 1
  fi
  umount "$root/var/cache/apt/archives" "$root/proc"
  rm -f "$root/etc/resolv.conf"
fi
echo box >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 box\n' >"$root/etc/hosts"
# The payload disk may show up late: under TCG on a loaded machine udev takes minutes to settle.
cat >"$root/etc/fstab" <<'FSTAB'
/dev/vda / ext4 rw,errors=remount-ro 0 1
/dev/vdb /lane ext4 rw,nofail,x-systemd.device-timeout=10min 0 0
FSTAB
mkdir -p "$root/lane"
# No network inside the VM: nothing waits for one, nothing fetches anything, no timer wakes apt.
in_root systemctl mask serial-getty@ttyS0.service apt-daily.timer apt-daily-upgrade.timer \
  systemd-networkd-wait-online.service >/dev/null 2>&1 || true
# The hub's broker runs in the hub namespace; the package's own instance would listen on the box.
in_root systemctl disable mosquitto.service >/dev/null 2>&1 || true
cat >"$root/etc/systemd/system/bc-lane.service" <<'UNIT'
[Unit]
Description=BranchConnector VM lane (runs the payload disk's lane.sh)
RequiresMountsFor=/lane
ConditionPathExists=/lane/guest/lane.sh
After=systemd-user-sessions.service

[Service]
Type=simple
ExecStart=/bin/bash /lane/guest/lane.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
UNIT
in_root systemctl enable bc-lane.service >/dev/null
# Journal kept on disk: the reboot check reads the previous boot too.
mkdir -p "$root/var/log/journal"
in_root apt-get clean
rm -rf "$root"/var/lib/apt/lists/*

kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n1)
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -n1)
[[ -f $kernel && -f $initrd ]] || { echo "image: no kernel or initrd in /boot" >&2; exit 1; }
cp "$kernel" "$out/vmlinuz"
cp "$initrd" "$out/initrd.img"
rm -f "$out/rootfs.img"
# Sparse: 3 GiB of room for the journal, the .debs and two agent versions; about 700 MiB used.
mkfs.ext4 -q -F -L bcroot -d "$root" "$out/rootfs.img" 3G
echo "image: $out/rootfs.img ($(du -h "$out/rootfs.img" | cut -f1) used), kernel $(basename "$kernel")"
