#!/usr/bin/env bash
# End-to-end checks through the real binary: exit codes, formats, bad input.
# Usage: cli_test.sh path/to/querylens source-dir
set -u
QL=$1
SRC=$2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_exit() {  # name expected-code command...
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name: exit $got, expected $want"
        sed 's/^/  stdout: /' "$tmp/out" | head -5
        sed 's/^/  stderr: /' "$tmp/err" | head -5
    fi
}

expect_grep() {  # name pattern file
    if grep -q -- "$2" "$3"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1: '$2' not found in output"
    fi
}

mkdir -p "$tmp/clean" "$tmp/dirty"
printf 'CREATE TABLE users (id bigint PRIMARY KEY);\nSELECT id FROM users WHERE id = $1;\n' >"$tmp/clean/0001.sql"
printf 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nSELECT id FROM users WHERE email = $1 LIMIT 1;\n' >"$tmp/dirty/0001.sql"

expect_exit "clean project exits 0" 0 "$QL" check "$tmp/clean"
expect_grep "clean project says so" "No findings." "$tmp/out"
expect_exit "P1 finding exits 1 by default" 1 "$QL" check "$tmp/dirty"
expect_grep "text line format" "0001.sql:2:28: P1 \[uncovered-predicate\]" "$tmp/out"
expect_exit "--fail-on p0 ignores P1" 0 "$QL" check "$tmp/dirty" --fail-on p0
expect_exit "--fail-on never" 0 "$QL" check "$tmp/dirty" --fail-on never
expect_exit "unknown format is a usage error" 2 "$QL" check "$tmp/dirty" --format xml
expect_exit "unknown rule in --select" 2 "$QL" check "$tmp/dirty" --select no-such-rule
expect_exit "--ignore drops the rule" 0 "$QL" check "$tmp/dirty" --ignore uncovered-predicate
expect_exit "json format" 1 "$QL" check "$tmp/dirty" --format json
expect_grep "json has the rule" '"rule": "uncovered-predicate"' "$tmp/out"
expect_exit "sarif to a file" 1 "$QL" check "$tmp/dirty" --format sarif --output "$tmp/out.sarif"
expect_grep "sarif version" '"version": "2.1.0"' "$tmp/out.sarif"
expect_exit "missing path is reported, not fatal" 0 "$QL" check "$tmp/clean" "$tmp/nope" --fail-on p1
expect_grep "missing path diagnostic" "io-error" "$tmp/out"
expect_exit "rules lists rules" 0 "$QL" rules
expect_grep "rules lists select-star" "select-star" "$tmp/out"
expect_exit "explain prints the doc" 0 "$QL" explain fk-missing-index
expect_grep "explain has sections" "## Why is this bad?" "$tmp/out"
expect_exit "explain unknown rule" 2 "$QL" explain nope
expect_exit "schema dump" 0 "$QL" schema "$tmp/dirty"
expect_grep "schema has the table" '"name": "public.users"' "$tmp/out"
expect_exit "inventory dump" 0 "$QL" inventory "$tmp/dirty"
expect_grep "inventory has the predicate" '"column": "email"' "$tmp/out"
expect_exit "no subcommand is a usage error" 2 "$QL"
expect_exit "--version" 0 "$QL" --version

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
