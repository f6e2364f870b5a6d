#!/usr/bin/env bash
# Renders the HTML audit of every fixture in headless Chromium (Debian `chromium`) and checks that
# the page loads without script errors, runs its script (data-ready), shows the score, and makes
# no network request (the page's CSP allows none; Chromium's own background networking is off).
# Usage: html_report_test.sh path/to/querylens source-dir
set -u
QL=$1
SRC=$2
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "chromium not found: run scripts/bootstrap.sh"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for dir in "$SRC"/fixtures/*/; do
  name=$(basename "$dir")
  "$QL" report "$dir" --format html --output "$tmp/$name.html" --root "$SRC" 2>/dev/null
  want=$("$QL" report "$dir" --format json --root "$SRC" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["score"])')
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile-$name" --enable-logging=stderr --v=0 \
    --dump-dom "file://$tmp/$name.html" >"$tmp/$name.dom" 2>"$tmp/$name.err"
  problems=""
  grep -q '<html[^>]*data-ready="1"' "$tmp/$name.dom" || problems+=" script did not finish (no data-ready);"
  grep -q '<html[^>]*data-script-errors' "$tmp/$name.dom" && problems+=" script errors;"
  grep -q "id=\"score\">$want/100<" "$tmp/$name.dom" || problems+=" score $want/100 not shown;"
  grep -qi 'Uncaught\|Refused to' "$tmp/$name.err" && problems+=" console: $(grep -i 'Uncaught\|Refused to' "$tmp/$name.err" | head -2);"
  if [ -n "$problems" ]; then echo "FAIL $name:$problems"; fail=1; else echo "ok   $name (score $want)"; fi
done
exit $fail
