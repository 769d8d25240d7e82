#!/usr/bin/env bash
# Builds the agent as one NativeAOT executable (no .NET runtime, no JIT on the box) into
# artifacts/bin/branch-connector and, when the packaging tools are present, the .deb into artifacts/deb/.
# A trim or AOT warning fails the build (TreatWarningsAsErrors, Directory.Build.props).
set -euo pipefail
cd "$(dirname "$0")/.."

# PublishAot=true is in the csproj; -r picks the target.
dotnet publish agent/BranchConnector.Agent/BranchConnector.Agent.csproj \
  -c Release -r linux-x64 -p:DebugType=none -o artifacts/bin -nologo -v quiet
ls -l artifacts/bin/branch-connector

if [[ -x packaging/build-deb.sh ]]; then
  packaging/build-deb.sh
fi
