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
for dir in fixtures/*/; do
  name=$(basename "$dir")
  # Relative paths (under %SRCROOT%) and absolute ones (a root the files are not under).
  "$BUILD_DIR/querylens" check "$dir" --format sarif --output "$out/$name.sarif" --fail-on never
  "$BUILD_DIR/querylens" check "$dir" --format sarif --output "$out/$name-abs.sarif" --fail-on never --root /nonexistent-root
done
# One Multitool run for all files (each run pays the .NET start-up and a network lookup).
log=$("$MT" validate --rule-kind "Sarif;Gh" "$out"/*.sarif 2>&1) || true
failed=0
for f in "$out"/*.sarif; do
  if grep -F "$f(" <<<"$log" | grep -qE ": (error|warning) "; then
    echo "FAIL $(basename "$f")"; grep -F "$f(" <<<"$log"; failed=1
  else
    echo "ok   $(basename "$f")"
  fi
done
count=$(ls "$out"/*.sarif | wc -l)
if ! grep -q "Done. $count files scanned" <<<"$log" || ! grep -q "Analysis completed successfully" <<<"$log"; then
  echo "FAIL: the Multitool did not validate all $count files"; echo "$log"; failed=1
fi
exit $failed
