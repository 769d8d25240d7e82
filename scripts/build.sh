#!/usr/bin/env bash
# Builds the agent as one NativeAOT executable (no .NET runtime, no JIT on the box) for linux-x64 into
# artifacts/bin/branch-connector and for linux-arm64 into artifacts/bin/arm64/branch-connector, and, when
# the packaging tools are present, branch-connector_<version>_{amd64,arm64}.deb into artifacts/deb/.
# A trim or AOT warning fails the build (TreatWarningsAsErrors, Directory.Build.props).
# BC_BUILD_ARM64=0 skips the arm64 binary and package (a quicker local build).
set -euo pipefail
cd "$(dirname "$0")/.."

# PublishAot=true is in the csproj; -r picks the target.
dotnet publish agent/BranchConnector.Agent/BranchConnector.Agent.csproj \
  -c Release -r linux-x64 -p:DebugType=none -o artifacts/bin -nologo -v quiet
ls -l artifacts/bin/branch-connector

arm64=${BC_BUILD_ARM64:-1}
if [[ $arm64 == 1 ]]; then
  # Cross-compiled with Debian's clang and lld and the aarch64 cross toolchain (scripts/deps.sh): the
  # linker finds the arm64 libc and crt files where libc6-dev-arm64-cross puts them, so no sysroot.
  dotnet publish agent/BranchConnector.Agent/BranchConnector.Agent.csproj \
    -c Release -r linux-arm64 -p:DebugType=none -o artifacts/bin/arm64 -nologo -v quiet \
    -p:CppCompilerAndLinker=clang -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy
  ls -l artifacts/bin/arm64/branch-connector
fi

if [[ -x packaging/build-deb.sh ]]; then
  packaging/build-deb.sh
  if [[ $arm64 == 1 ]]; then BC_DEB_ARCH=arm64 packaging/build-deb.sh; fi
fi
