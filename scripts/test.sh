#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the fast unit tests, the root-only integration
# tests (real mosquitto, namespaces, wireguard-go, iptables), the package test in a chroot and the VM lane
# (scripts/vm-test.sh). Prints each runner's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
# Every program the tests, scripts and the lab start must come from a package deps.sh installs.
scripts/check-deps.sh
scripts/build.sh

dotnet build BranchConnector.sln -c Release -nologo -v quiet

status=0
dotnet test tests/BranchConnector.Tests/BranchConnector.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" || status=1

# Coverage-guided fuzzing of every decoder of outside input, a short fixed budget per target (6 × 12 s);
# longer runs: scripts/fuzz.sh SECONDS (docs/reliability.md).
scripts/fuzz.sh 12 || status=1

if [[ $(id -u) -eq 0 ]]; then
  # The integration tests run the published binary, so trimming problems show up here.
  BC_AGENT_BINARY="$PWD/artifacts/bin/branch-connector" \
  dotnet test tests/BranchConnector.IntegrationTests/BranchConnector.IntegrationTests.csproj -c Release --no-build -nologo \
    --logger "console;verbosity=normal" || status=1
else
  echo "integration tests skipped: they need root (namespaces, wireguard-go, iptables)" >&2
  status=1
fi

# The .deb in a debootstrapped Debian 12 chroot: install, upgrade, purge (root: chroot, mounts).
if [[ $(id -u) -eq 0 ]]; then
  tests/packaging/install-test.sh || status=1
  # The arm64 build: same output as x64 under qemu-user, lintian (BC_ARM64_CHROOT=1: also install and purge
  # in an arm64 chroot through binfmt_misc, about 40 minutes on a loaded machine).
  tests/packaging/arm64-test.sh || status=1
else
  echo "packaging tests skipped: they need root (debootstrap, chroot)" >&2
fi

# The real-box lane: the .deb in a Debian 12 VM under systemd with the kernel's WireGuard and ESP
# (qemu TCG; docs/vm-lane.md). Opt-in: BC_VM_LANE=1 scripts/test.sh, or scripts/vm-test.sh alone. Under TCG
# its time is CPU, and on a shared 2-core machine it does not fit the suite's budget (docs/vm-lane.md).
if [[ "${BC_VM_LANE:-0}" == 1 ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    scripts/vm-test.sh || status=1
  else
    echo "VM lane skipped: it needs root (debootstrap, qemu)" >&2
  fi
else
  echo "VM lane not run (BC_VM_LANE=1 runs it; docs/vm-lane.md)"
fi
exit $status
