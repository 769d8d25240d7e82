#!/usr/bin/env bash
# The real-box lane: boots a Debian 12 VM (qemu, TCG) with systemd as PID 1 and the Debian kernel (WireGuard
# module, ESP), installs the freshly built .deb with dpkg -i and runs the checks in tests/vm/guest/checks/
# inside it (see docs/vm-lane.md). Prints one line per check (with its evidence) and "vm: N passed, M failed";
# exit 1 when a check failed or did not report.
#
# Root only. Needs artifacts/bin/branch-connector and the .deb (scripts/build.sh). The image is built once by
# tests/vm/image.sh and cached in $BC_VM_CACHE (default /var/cache/branch-connector-vm) under a hash of its
# recipe; each run boots a copy-on-write overlay of it plus a small payload disk (the .debs, the test hub,
# the checks), which also carries the results back. The last run's serial log and results are kept in
# artifacts/vm/.
#   BC_VM_TIMEOUT   seconds before the VM is killed (default 3600)
#   BC_VM_ONLY      "01 02 03": run only these checks (developing a check; the summary counts only them)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[[ $(id -u) -eq 0 ]] || { echo "vm-test: needs root (debootstrap, chroot)" >&2; echo "vm: 0 passed, 1 failed"; exit 1; }
for tool in qemu-system-x86_64 qemu-img mkfs.ext4 debugfs debootstrap dotnet clang; do
  command -v "$tool" >/dev/null || { echo "vm-test: $tool is missing (scripts/deps.sh)" >&2; echo "vm: 0 passed, 1 failed"; exit 1; }
done
started=$SECONDS
cache=${BC_VM_CACHE:-/var/cache/branch-connector-vm}
out=$repo/artifacts/vm
mkdir -p "$cache" "$out"

# --- the packages: the build's .deb and the same binary as a higher version (the upgrade) ------------------
props_version=$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' Directory.Build.props | head -n1)
deb_version=${props_version//-/\~}
deb=$repo/artifacts/deb/branch-connector_${deb_version}_amd64.deb
[[ -f $deb ]] || { echo "vm-test: $deb is missing (scripts/build.sh)" >&2; echo "vm: 0 passed, 1 failed"; exit 1; }
work=$(mktemp -d /var/tmp/branch-connector-vm.XXXXXX)
qemu_pid=""
cleanup() {
  [[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null
  [[ -n ${tail_pid:-} ]] && kill -- -"$tail_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
payload=$work/payload
mkdir -p "$payload/deb/v1" "$payload/deb/v2" "$payload/results"
cp "$deb" "$payload/deb/v1/"
only=${BC_VM_ONLY:-}
selected() { [[ -z $only ]] || [[ " $only " == *" ${1%%-*} "* ]]; }
echo "$only" >"$payload/only"
up_version=$deb_version+vm1
# The upgrade: the build's own .deb with only its version raised, repacked with dpkg-deb (seconds; a second
# dpkg-buildpackage of the same binary took minutes here). Uncompressed: dpkg -i under TCG then spends no time
# on xz while the ping of check 5 runs.
if selected 05-upgrade; then
  repack=$work/repack
  if ! { dpkg-deb -R "$deb" "$repack" && sed -i "s/^Version: .*/Version: $up_version/" "$repack/DEBIAN/control" &&
    dpkg-deb --root-owner-group -Znone -b "$repack" "$payload/deb/v2/branch-connector_${up_version}_amd64.deb"; } >"$work/build-up.log" 2>&1; then
    cat "$work/build-up.log" >&2
    echo "vm-test: could not build the upgrade package $up_version" >&2; echo "vm: 0 passed, 1 failed"; exit 1
  fi
  rm -rf "$repack"
fi

# --- the image (cached by recipe) ------------------------------------------------------------------------
recipe_hash=$( { cat tests/vm/image.sh scripts/lib/apt-mirror.sh; sed -n '/^Depends:/,/^[A-Z][A-Za-z-]*:/p' packaging/debian/control; } |
  sha256sum | cut -c1-16)
image=$cache/image-$recipe_hash
# One image build at a time (the lock is only held here, and no child inherits it).
build_image() {
  flock 9
  [[ -f $image/rootfs.img ]] && return 0
  echo "vm-test: building the image $image (recipe changed or first run; about 11 min on a loaded machine)"
  local t=$SECONDS
  rm -rf "$image.partial"
  tests/vm/image.sh "$image.partial" 9>&- || return 1
  mv "$image.partial" "$image"
  echo "vm-test: image built in $((SECONDS - t)) s"
  # Older recipes' images are of no use any more.
  find "$cache" -maxdepth 1 -name 'image-*' ! -name "image-$recipe_hash" -exec rm -rf {} +
}
# In the background while the test hub is published: the image build mostly waits for the mirror and dpkg, the
# publish for the compiler, so together they take little more than the longer of the two.
build_image 9>"$cache/lock" &
image_job=$!

# --- the test hub, native (the VM has no .NET) ----------------------------------------------------------
# NativeAOT: under TCG a JIT-compiled self-contained test hub spent 40-70 s starting for every call (a check makes
# up to a dozen); the native one needs about a quarter of the CPU. Its AOT analysis warnings (Serilog and
# YamlDotNet in the agent it links, code the test hub does not run) are not errors here. InvariantGlobalization:
# the image has no ICU, as a box does not. Published again only when its sources (or the agent's) changed.
hub_bin=$out/testhub/testhub
if [[ ! -x $hub_bin ]] || [[ -n $(find tests/BranchConnector.TestHub tests/BranchConnector.IntegrationTests/Fixtures agent \
  \( -name bin -o -name obj \) -prune -o -type f -newer "$hub_bin" -print -quit) ]]; then
  echo "vm-test: publishing the test hub (NativeAOT, linux-x64)"
  rm -rf "$out/testhub"
  if ! dotnet publish tests/BranchConnector.TestHub/BranchConnector.TestHub.csproj -c Release -r linux-x64 -p:PublishAot=true \
    -p:TreatWarningsAsErrors=false -p:SuppressTrimAnalysisWarnings=true -p:InvariantGlobalization=true -p:DebugType=none \
    -o "$out/testhub" -nologo -v quiet >"$work/testhub.log" 2>&1 || [[ ! -x $hub_bin ]]; then
    cat "$work/testhub.log" >&2
    echo "vm-test: could not publish the test hub" >&2; echo "vm: 0 passed, 1 failed"; exit 1
  fi
  touch "$hub_bin"
fi
cp -r "$out/testhub" "$payload/hub"

if ! wait "$image_job"; then
  echo "vm-test: the image build failed" >&2; echo "vm: 0 passed, 1 failed"; exit 1
fi

# The checks are copied last, so that a long first image build runs the checks as they are when it ends.
cp -r tests/vm/guest "$payload/guest"
qemu-img create -q -f qcow2 -F raw -b "$image/rootfs.img" "$work/root.qcow2"
mkfs.ext4 -q -F -L lane -d "$payload" "$work/payload.img" 1G >/dev/null

# --- boot, and let the lane run (boot 1, reboot, boot 2, power-off) --------------------------------------
serial=$work/serial.log
: >"$serial"
echo "vm-test: booting $(basename "$image")/rootfs.img (TCG, about 1 min per boot; the lane reboots once)"
timeout -k 10 "${BC_VM_TIMEOUT:-3600}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
  -nodefaults -no-user-config -display none -monitor none -serial "file:$serial" \
  -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 quiet panic=0" \
  -drive "if=virtio,file=$work/root.qcow2,format=qcow2" \
  -drive "if=virtio,file=$work/payload.img,format=raw" &
qemu_pid=$!
# A live view: the lane's own lines from the serial console (not the evidence; that comes below).
# Its own process group (setsid), so that the whole pipeline is stopped at the end.
setsid bash -c 'tail -F -n +1 "$1" 2>/dev/null | grep --line-buffered -a "^LANE|[^ ]" | sed -u "s/^LANE|/  vm: /"' _ "$serial" &
tail_pid=$!
wait "$qemu_pid"
qemu_rc=$?
qemu_pid=""
sleep 0.5
kill -- -"$tail_pid" 2>/dev/null
tail_pid=""
((qemu_rc == 124 || qemu_rc == 137)) && echo "vm-test: the VM did not power off within ${BC_VM_TIMEOUT:-3600} s; killed"

# --- the results, read back from the payload disk --------------------------------------------------------
rm -rf "$out/results"
debugfs -R "rdump /results $out" "$work/payload.img" >/dev/null 2>&1
cp "$serial" "$out/serial.log"
echo
passed=0
failed=0
results=$out/results/results.txt
[[ -f $results ]] && cat "$results"
for file in tests/vm/guest/checks/*.sh; do
  id=$(basename "$file" .sh)
  selected "$id" || continue
  line=$(grep -a "^[a-zA-Z ]* - $id: " "$results" 2>/dev/null | tail -n1)
  if [[ $line == "ok   - "* ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    [[ -z $line ]] && echo "FAIL - $id: $(sed -n 's/^# check: *//p' "$file" | head -n1) (did not report; see artifacts/vm/serial.log)"
  fi
done
if ((failed)); then
  echo "     serial console, last lines:"
  grep -av '^LANE|' "$serial" | tail -n 15 | sed 's/^/     | /'
fi
echo "vm: lane took $((SECONDS - started)) s; logs in artifacts/vm/ (serial.log, results/)"
echo "vm: $passed passed, $failed failed"
((failed == 0))
