#!/usr/bin/env bash
# Benchmark figures (not a test): builds a synthetic project with bench/generate.py and prints
# wall time and peak memory of whole runs with GNU time (/usr/bin/time, Debian package `time`),
# median of RUNS runs: the full check on 1 and all threads, the pre-commit mode (--report-only
# with three staged files), and the ratios measured in this run.
# Usage: bench/run.sh [BUILD_DIR] [--tables N] [--services M]    (RUNS=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}; shift || true
QL="$BUILD_DIR/querylens"
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/generate.py "$work/project" "$@"
files=$(find "$work/project" -name '*.sql' -o -name '*.ts' | wc -l)
bytes=$(find "$work/project" \( -name '*.sql' -o -name '*.ts' \) -exec cat {} + | wc -c)

measure() {  # label command... -> prints "label median_wall_s median_peak_mib"
  local label=$1; shift
  local walls=() mems=()
  "$@" >/dev/null 2>&1 || true  # warm-up
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
    read -r w m <"$work/t"; walls+=("$w"); mems+=("$m")
  done
  local wall mem
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  mem=$(printf '%s\n' "${mems[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  printf '%-34s %8.3f s %8.1f MiB\n' "$label" "$wall" "$(echo "$mem / 1024" | bc -l)"
  echo "$wall" >"$work/last"
}

echo "project: $files files, $((bytes / 1024)) KiB; $(nproc) cores; median of $RUNS runs"
cd "$work/project"
measure "check, all threads" "$OLDPWD/$QL" check . --fail-on never
full=$(cat "$work/last")
measure "check, 1 thread" "$OLDPWD/$QL" check . --fail-on never -j 1
one=$(cat "$work/last")
staged=(src/modules/m1/service1.ts src/modules/m2/service2.ts db/migrations/0003_t2.sql)
measure "pre-commit (--report-only, 3 files)" "$OLDPWD/$QL" check . --fail-on never --report-only "${staged[@]}"
measure "check --format sarif" "$OLDPWD/$QL" check . --fail-on never --format sarif
echo "parallel speed-up (1 thread / all threads): $(echo "$one / $full" | bc -l | cut -c1-4)x"
