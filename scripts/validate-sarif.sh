#!/usr/bin/env bash
# Validates the SARIF querylens writes for every fixture with Microsoft's SARIF Multitool
# (schema, SARIF best practices and GitHub ingestion rules: --rule-kind "Sarif;Gh").
# The bar is zero errors and zero warnings. Usage: scripts/validate-sarif.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
MT=third_party/sarif-multitool/Sarif.Multitool
[ -x "$MT" ] || { echo "validate-sarif: $MT missing: run scripts/bootstrap.sh" >&2; exit 1; }
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
for dir in fixtures/*/; do
  name=$(basename "$dir")
  # Relative paths (under %SRCROOT%) and absolute ones (a root the files are not under).
  "$BUILD_DIR/querylens" check "$dir" --format sarif --output "$out/$name.sarif" --fail-on never
  "$BUILD_DIR/querylens" check "$dir" --format sarif --output "$out/$name-abs.sarif" --fail-on never --root /nonexistent-root
  for f in "$out/$name.sarif" "$out/$name-abs.sarif"; do
    log=$("$MT" validate --rule-kind "Sarif;Gh" "$f" 2>&1) || true
    problems=$(grep -E ": (error|warning) " <<<"$log" || true)
    if [ -n "$problems" ] || ! grep -q "Analysis completed successfully" <<<"$log"; then
      echo "FAIL $(basename "$f")"; echo "$log"; failed=1
    else
      echo "ok   $(basename "$f")"
    fi
  done
done
exit $failed
