#!/usr/bin/env bash
# Benchmark figures (not a test; nothing here is asserted). For each project: the generated corpus
# at sizes S, M and L (bench/generate.py), then every real project directory given on the command
# line, it prints, as medians of RUNS runs (GNU time: wall seconds and peak RSS):
#   - the parse-only floor (build/querylens_parse_floor: read + tree-sitter + libpg_query of every
#     file, one thread, each tree freed) and `check` at -j1 and at the default thread count, with
#     `ratio to parse floor: X` (check -j1 / floor), files/s and MB/s, and the -j1/-jN speed-up;
#   - the same `check -j1` with a warm fact cache (analysis/fact_cache.h; the cache lives in a
#     temporary directory, never in the project);
#   - pre-commit: `--report-only` on 3 files, cold (no cache) and warm (the cache filled by a full
#     check, then the 3 files edited before each run, as a commit would), as ratios to the full check;
#   - for the corpus, the S->M->L time ratios against the input-size ratios.
# Usage: bench/run.sh [BUILD_DIR] [PROJECT_DIR...]      (RUNS=3 by default; SIZES="S M L")
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build
if [ $# -gt 0 ] && [ -x "$1/querylens" ]; then BUILD_DIR=$1; shift; fi
QL=$(realpath "$BUILD_DIR/querylens")
FLOOR=$(realpath "$BUILD_DIR/querylens_parse_floor")
RUNS=${RUNS:-3}
SIZES=${SIZES:-"S M L"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # label command... -> prints the medians; sets WALL (s) and MEM (MiB)
  local label=$1; shift
  local walls=() mems=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
    read -r w m <"$work/t"; walls+=("$w"); mems+=("$m")
  done
  WALL=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  MEM=$(printf '%s\n' "${mems[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  MEM=$(echo "$MEM / 1024" | bc -l)
  printf '  %-40s %8.3f s %8.1f MiB\n' "$label" "$WALL" "$MEM"
}
ratio() { echo "$1 / $2" | bc -l | cut -c1-5; }

bench_project() {  # name dir staged-file...
  local name=$1 dir=$2; shift 2
  local files bytes
  files=$(find "$dir" \( -name node_modules -o -name .git \) -prune -o \( -name '*.sql' -o -name '*.ts' -o -name '*.tsx' \) -print | wc -l)
  bytes=$(find "$dir" \( -name node_modules -o -name .git \) -prune -o \( -name '*.sql' -o -name '*.ts' -o -name '*.tsx' \) -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  echo "$name: $files files, $((bytes / 1024 / 1024)) MiB; $(nproc) cores; median of $RUNS runs"
  measure "parse-only floor (1 thread)" "$FLOOR" "$dir"; local floor=$WALL
  local cache="$work/cache-$RANDOM"
  measure "check -j1" "$QL" check "$dir" --root "$dir" --fail-on never -j 1 --no-cache; local one=$WALL
  "$QL" check "$dir" --root "$dir" --fail-on never --cache-dir "$cache" >/dev/null 2>&1 || true
  measure "check -j1, warm fact cache" "$QL" check "$dir" --root "$dir" --fail-on never -j 1 --cache-dir "$cache"; local warm=$WALL
  measure "check (default threads)" "$QL" check "$dir" --root "$dir" --fail-on never --no-cache; local all=$WALL
  echo "  ratio to parse floor: $(ratio "$one" "$floor")  (check -j1 / floor); warm cache: $(ratio "$warm" "$floor")"
  echo "  throughput (default threads): $(echo "$files / $all" | bc -l | cut -c1-7) files/s, $(echo "$bytes / 1048576 / $all" | bc -l | cut -c1-6) MB/s"
  echo "  parallel speed-up (-j1 / default): $(ratio "$one" "$all")x"
  if [ $# -gt 0 ]; then
    measure "pre-commit cold (--report-only, $# files)" "$QL" check "$dir" --root "$dir" --fail-on never --no-cache --report-only "$@"
    echo "  pre-commit cold / full check: $(ratio "$WALL" "$all")"
    # Warm: before each run the staged files get a new last line (restored afterwards), so the
    # cache holds everything but them.
    local f k=0
    for f in "$@"; do cp "$f" "$work/staged-$k"; k=$((k + 1)); done
    STAGED=("$@")
    restore() { local i=0 g; for g in "${STAGED[@]}"; do cp "$work/staged-$i" "$g"; i=$((i + 1)); done; }
    trap 'restore; rm -rf "$work"' EXIT
    local walls=() mems=() run
    for run in $(seq "$RUNS"); do
      for f in "$@"; do
        case "$f" in *.sql) printf '\n-- querylens bench edit %s\n' "$run$RANDOM" >>"$f" ;; *) printf '\n// querylens bench edit %s\n' "$run$RANDOM" >>"$f" ;; esac
      done
      /usr/bin/time -f '%e %M' -o "$work/t" "$QL" check "$dir" --root "$dir" --fail-on never --cache-dir "$cache" --report-only "$@" >/dev/null 2>&1 || true
      read -r w m <"$work/t"; walls+=("$w"); mems+=("$m")
      restore
    done
    trap 'rm -rf "$work"' EXIT
    WALL=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
    MEM=$(printf '%s\n' "${mems[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
    printf '  %-40s %8.3f s %8.1f MiB\n' "pre-commit warm ($# files edited)" "$WALL" "$(echo "$MEM / 1024" | bc -l)"
    echo "  pre-commit warm / full check: $(ratio "$WALL" "$all")"
  fi
  LAST_ALL=$all LAST_BYTES=$bytes
}

declare -A tables=([S]=30 [M]=120 [L]=300) services=([S]=200 [M]=800 [L]=2000)
prev_time="" prev_bytes=""
for size in $SIZES; do
  python3 bench/generate.py "$work/$size" --tables "${tables[$size]}" --services "${services[$size]}"
  bench_project "generated corpus $size" "$work/$size" \
    "$work/$size/src/modules/m1/service1.ts" "$work/$size/src/modules/m2/service2.ts" "$work/$size/db/migrations/0003_t2.sql"
  if [ -n "$prev_time" ]; then
    echo "  scaling from the previous size: time x$(ratio "$LAST_ALL" "$prev_time") for input x$(ratio "$LAST_BYTES" "$prev_bytes")"
  fi
  prev_time=$LAST_ALL prev_bytes=$LAST_BYTES
done
for dir in "$@"; do
  dir=$(realpath "$dir")
  # Three files a commit might touch: the first TypeScript files with a query, and a migration.
  mapfile -t staged < <(cd "$dir" && grep -rlE --include='*.ts' 'db\.(select|insert|update)|\.query\(' . 2>/dev/null | grep -v node_modules | sort | head -2; \
                        cd "$dir" && find . -name '*.sql' -path '*migration*' -not -path '*/node_modules/*' | sort | tail -1)
  bench_project "$(basename "$dir")" "$dir" "${staged[@]/#./$dir}"
done
