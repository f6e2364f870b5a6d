#!/usr/bin/env bash
# The pre-commit hook through the real `pre-commit` program (Debian package): a temporary hooks
# repository holding this project's .pre-commit-hooks.yaml, a temporary project repository with a
# staged migration that has a finding, and `pre-commit run` with and without `args:`. Offline: the
# hooks repository is a local path, the hook is `language: system` (querylens on PATH).
# Usage: precommit_test.sh path/to/querylens source-dir
set -u
QL=$1
SRC=$2
command -v pre-commit >/dev/null || { echo "FAIL: pre-commit is not installed (scripts/bootstrap.sh installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PATH="$(dirname "$(readlink -f "$QL")"):$PATH"
export PRE_COMMIT_HOME="$tmp/cache" GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
mkdir -p "$HOME"
git config --global user.email ci@example.invalid
git config --global user.name ci
git config --global init.defaultBranch main
pass=0
fail=0
check() {  # name condition-result
    if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; sed 's/^/  /' "$tmp/out" | head -20; fi
}

# The hooks repository: this project's manifest, committed.
mkdir "$tmp/hooks" && cp "$SRC/.pre-commit-hooks.yaml" "$tmp/hooks/"
(cd "$tmp/hooks" && git init -q && git add . && git commit -qm hooks)
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

# The project: an old migration and a staged new one adding a required column to a table that may
# hold rows (a P1: it fails on deploy).
mkdir -p "$tmp/app/migrations"
cd "$tmp/app" && git init -q
printf 'CREATE TABLE users (id bigserial PRIMARY KEY);\n' > migrations/0001_users.sql
git add . && git commit -qm init
printf 'ALTER TABLE users ADD COLUMN email text NOT NULL;\n' > migrations/0002_orders.sql
git add migrations/0002_orders.sql

config() {  # args-yaml-or-empty
    { printf 'repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: querylens\n' "$tmp/hooks" "$rev"; [ -n "$1" ] && printf '    args: %s\n' "$1"; } > .pre-commit-config.yaml
}

config ""
pre-commit run >"$tmp/out" 2>&1; code=$?
check "without args: the staged finding fails the hook" $([ $code -ne 0 ] && echo 0 || echo 1)
check "without args: the finding is printed" $(grep -q "0002_orders.sql:1:.*adding-required-field" "$tmp/out"; echo $?)

# args: options come before the staged files; they cannot swallow them.
config "[--format, github]"
pre-commit run >"$tmp/out" 2>&1; code=$?
check "with args: the staged file is still checked" $([ $code -ne 0 ] && echo 0 || echo 1)
check "with args: the option applies" $(grep -q "::error file=migrations/0002_orders.sql" "$tmp/out"; echo $?)

config "[--fail-on, never]"
pre-commit run >"$tmp/out" 2>&1; code=$?
check "with --fail-on never: the hook passes" $([ $code -eq 0 ] && echo 0 || echo 1)

# Nothing staged that the hook reads: pre-commit skips it (no usage error).
git commit -qm orders --no-verify
printf 'notes\n' > README.md && git add README.md
config ""
pre-commit run >"$tmp/out" 2>&1; code=$?
check "no staged SQL/TypeScript: the hook is skipped" $([ $code -eq 0 ] && grep -q "Skipped" "$tmp/out" && echo 0 || echo 1)

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
