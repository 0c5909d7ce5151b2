#!/usr/bin/env bash
# Runs every benchmark of issue 5 and writes docs/PERFORMANCE.md: BenchmarkDotNet (raw operations)
# then the gRPC load generator (real Release server as its own process, SQLite, TLS, same machine).
# Budget: under 10 minutes on a 2-core machine. Usage: bench/run.sh [extra load-generator options]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/kpreg-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
out=docs/PERFORMANCE.md
notes=bench/PERFORMANCE-notes.md

machine() {
  echo "| | |"
  echo "|---|---|"
  echo "| date (UTC) | $(date -u '+%Y-%m-%d %H:%M') |"
  echo "| commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' + uncommitted changes') |"
  echo "| CPU | $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) |"
  echo "| memory | $(free -g | awk '/^Mem:/ {print $2}') GiB |"
  echo "| OS | $(uname -sr) |"
  echo "| .NET SDK | $(dotnet --version) |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
}
machine_info=$(machine)

echo "== build (Release)"
# The load generator starts the server from its Release output, so the server is built here too.
dotnet build -c Release src/KpRegistry.Server -v q -nologo
dotnet build -c Release bench/KpRegistry.Benchmarks -v q -nologo
dotnet build -c Release bench/KpRegistry.LoadTest -v q -nologo

echo "== BenchmarkDotNet"
bdn_cmd="dotnet bench/KpRegistry.Benchmarks/bin/Release/net10.0/KpRegistry.Benchmarks.dll --filter '*' --artifacts \$work/bdn"
(cd "$work" && dotnet "$repo/bench/KpRegistry.Benchmarks/bin/Release/net10.0/KpRegistry.Benchmarks.dll" --filter '*' --artifacts "$work/bdn") | tail -n 40
bdn_report=$(ls "$work"/bdn/results/*-report-github.md | head -n 1)
bdn_load=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== load generator"
load_cmd="dotnet bench/KpRegistry.LoadTest/bin/Release/net10.0/KpRegistry.LoadTest.dll --repo . --work \$work --out \$work/load.md $*"
dotnet bench/KpRegistry.LoadTest/bin/Release/net10.0/KpRegistry.LoadTest.dll --repo "$repo" --work "$work" --out "$work/load.md" "$@"
finished=$(date +%s)

{
  echo "# KpRegistry performance"
  echo
  echo "Written by \`bench/run.sh\` ($(( (finished - started) / 60 )) min $(( (finished - started) % 60 )) s for the whole run, build included). Every figure below comes from that one run on this machine;"
  echo "the test suite times nothing. The load generator and the server share the machine, as issue 5 asks."
  echo "Other processes were NOT excluded: each phase reports the CPU they took (\"others' CPU\", from /proc/stat) and the load average, so a disturbed figure can be seen."
  echo
  echo "## Machine"
  echo
  echo "$machine_info"
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "bench/run.sh $*"
  echo "# which runs:"
  echo "dotnet build -c Release src/KpRegistry.Server && dotnet build -c Release bench/KpRegistry.Benchmarks && dotnet build -c Release bench/KpRegistry.LoadTest"
  echo "$bdn_cmd"
  echo "$load_cmd"
  echo '```'
  echo
  echo "## Raw operations (BenchmarkDotNet, one thread, in-process short job; load average after: $bdn_load)"
  echo
  cat "$bdn_report"
  echo
  echo "## Load (gRPC over TLS, real server process)"
  echo
  cat "$work/load.md"
  if [ -f "$notes" ]; then
    echo
    cat "$notes"
  fi
} > "$out"
echo "== wrote $out in $(( finished - started )) s"
