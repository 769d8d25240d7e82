#!/usr/bin/env bash
# Builds the self-contained, trimmed, single-file agent into artifacts/bin/branch-connector
# and, when the packaging tools are present, the .deb into artifacts/deb/.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet publish agent/BranchConnector.Agent/BranchConnector.Agent.csproj \
  -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true \
  -p:DebugType=none -o artifacts/bin -nologo -v quiet
ls -l artifacts/bin/branch-connector

if [[ -x packaging/build-deb.sh ]]; then
  packaging/build-deb.sh
fi
