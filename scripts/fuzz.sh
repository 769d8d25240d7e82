#!/usr/bin/env bash
# Coverage-guided fuzzing of every decoder of outside input with afl++ and SharpFuzz.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 s for each of: batch peering lifecycle time agent-yaml status-request)
# Builds tests/BranchConnector.Fuzz, instruments the agent (and YamlDotNet) with the sharpfuzz dotnet tool
# (a local tool: dotnet-tools.json, `dotnet tool restore`), runs afl-fuzz per target seeded from
# tests/BranchConnector.Fuzz/corpus/TARGET, and prints executions, paths, crashes and hangs per target.
# Exit 1 when any target found a crash or hang; the inputs are copied to artifacts/fuzz/TARGET/crashes/ —
# turn each into a file under tests/BranchConnector.Fuzz/regressions/TARGET/ (the unit tests replay them).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(batch peering lifecycle time agent-yaml status-request)

command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz missing (scripts/deps.sh installs afl++)" >&2; exit 1; }
dotnet tool restore >/dev/null

out=artifacts/fuzz
bin=$out/bin
rm -rf "$bin"
dotnet build tests/BranchConnector.Fuzz/BranchConnector.Fuzz.csproj -c Release -nologo -v quiet -o "$bin" >/dev/null
for dll in branch-connector.dll YamlDotNet.dll; do
  dotnet tool run sharpfuzz "$bin/$dll" >/dev/null
done

# afl++ expects a native instrumented binary; SharpFuzz reports coverage through afl's shared memory itself.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_TieredPGO=0

status=0
printf '%-16s %10s %8s %8s %6s %8s\n' target seconds execs paths crashes hangs
for target in "${targets[@]}"; do
  seeds=tests/BranchConnector.Fuzz/corpus/$target
  [[ -d $seeds ]] || { echo "fuzz: no corpus for $target" >&2; exit 2; }
  work=$out/$target
  rm -rf "$work"
  mkdir -p "$work"
  # -t: one input may take 2 s before it counts as a hang (a loaded CI box); -m none: the runtime maps a lot.
  afl-fuzz -i "$seeds" -o "$work/findings" -V "$seconds" -t 2000 -m none -- "$bin/branch-connector-fuzz" "$target" \
    >"$work/afl.log" 2>&1 || { echo "fuzz: afl-fuzz failed for $target, see $work/afl.log" >&2; tail -5 "$work/afl.log" >&2; status=1; continue; }
  stats=$work/findings/default/fuzzer_stats
  value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(value saved_crashes); hangs=$(value saved_hangs)
  printf '%-16s %10s %8s %8s %6s %8s\n' "$target" "$seconds" "$(value execs_done)" "$(value corpus_count)" "$crashes" "$hangs"
  if ((crashes > 0 || hangs > 0)); then
    mkdir -p "$work/crashes"
    cp "$work"/findings/default/crashes/id* "$work"/findings/default/hangs/id* "$work/crashes/" 2>/dev/null || true
    echo "fuzz: $target: inputs in $work/crashes/" >&2
    status=1
  fi
done
exit $status
