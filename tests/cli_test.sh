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
# users grows (declared): its unindexed filter is a P1.
printf '[tables]\nlarge = ["users"]\n' >"$tmp/dirty/querylens.toml"

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
# A path that does not exist is a usage error, not a finding under the threshold.
expect_exit "missing path is a usage error" 2 "$QL" check "$tmp/clean" "$tmp/nope"
expect_grep "missing path is named" "nope: no such file or directory" "$tmp/err"
expect_exit "report on a missing path" 2 "$QL" report "$tmp/nope"
mkdir -p "$tmp/empty"
expect_exit "report on nothing is an error, not a score" 2 "$QL" report "$tmp/empty"
# --report-only with no files would report nothing and pass: a usage error.
expect_exit "report-only without files" 2 "$QL" check "$tmp/dirty" --report-only
# Unknown rule ids get a suggestion.
expect_exit "unknown rule in --select" 2 "$QL" check "$tmp/clean" --select n-plus-onee
expect_grep "did you mean" "did you mean 'n-plus-one'" "$tmp/err"
expect_exit "unknown rule in explain" 2 "$QL" explain selectstar
expect_grep "did you mean (explain)" "did you mean 'select-star'" "$tmp/err"
# --statistics: findings per rule.
expect_exit "statistics" 1 "$QL" check "$tmp/dirty" --statistics
expect_grep "statistics line" "uncovered-predicate" "$tmp/out"
# The pre-commit entry point: options a user adds come before the staged files and cannot eat them.
expect_exit "hook: staged file with findings" 1 sh -c "cd '$tmp/dirty' && '$QL' hook --format github 0001.sql"
expect_grep "hook reports the staged file" "0001.sql" "$tmp/out"
expect_exit "hook: no staged files is a usage error" 2 sh -c "cd '$tmp/dirty' && '$QL' hook --format github"
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

# --- configuration, gates, baselines, pre-commit -------------------------------------------
mkdir -p "$tmp/cfg/db" "$tmp/cfg/legacy"
printf 'CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);\nSELECT id FROM t WHERE a = 1 LIMIT 1;\n' >"$tmp/cfg/db/0001.sql"
printf 'SELECT id FROM t WHERE c = 2 LIMIT 1;\n' >"$tmp/cfg/legacy/old.sql"
(cd "$tmp/cfg" && "$QL" init >/dev/null 2>&1)
expect_grep "init writes a commented config" "explicit-no-action-is-action" "$tmp/cfg/querylens.toml"
expect_exit "init refuses to overwrite" 2 sh -c "cd '$tmp/cfg' && '$QL' init"
expect_exit "default config: a P2 finding passes (fail-on p1)" 0 "$QL" check "$tmp/cfg"
sed -i 's/^# large = .*/large = ["t"]/' "$tmp/cfg/querylens.toml"  # t grows: its unindexed filter is a P1
expect_exit "default config: P1 finding fails" 1 "$QL" check "$tmp/cfg"
printf '[files]\nexclude = ["legacy/*"]\n[rules.severity]\n"uncovered-predicate" = "p3"\n[check]\nfail-on = "p2"\n' >"$tmp/cfg/querylens.toml"
expect_exit "config found above the path: severity override passes p2 gate" 0 "$QL" check "$tmp/cfg/db"
expect_grep "a P3 note is counted, not listed" "1 finding below p2 not listed (notes); --min-severity p3 lists them" "$tmp/out"
expect_exit "--min-severity p3 lists notes" 0 "$QL" check "$tmp/cfg/db" --min-severity p3
expect_grep "severity override applies" "P3 \[uncovered-predicate\]" "$tmp/out"

# select-star weighs the unread columns by statistics (pg_stats avg_width) when there are some.
mkdir -p "$tmp/wide/src"
printf 'CREATE TABLE events (id bigserial PRIMARY KEY, kind text NOT NULL, meta jsonb, detail jsonb);\n' >"$tmp/wide/0001.sql"
cat >"$tmp/wide/src/events.ts" <<'TS'
import { drizzle } from 'drizzle-orm/node-postgres';
import { bigserial, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
export const events = pgTable('events', { id: bigserial('id', { mode: 'number' }).primaryKey(), kind: text('kind').notNull(), meta: jsonb('meta'), detail: jsonb('detail') });
const db = drizzle(process.env.DATABASE_URL!);
export async function kinds(kind: string) {
  const rows = await db.select().from(events).where(eq(events.kind, kind)).limit(100);
  return rows.map((e) => e.id);
}
TS
printf '{"tables": {"public.events": {"rows": 100000, "columns": {"meta": {"avg_width": 40}, "detail": {"avg_width": 3000}}}}}\n' >"$tmp/wide/querylens-stats.json"
printf '[check]\nfail-on = "p2"\n' >"$tmp/wide/querylens.toml"
expect_exit "select-star: statistics say the unread columns are wide (P2)" 1 "$QL" check "$tmp/wide" --select select-star
expect_grep "select-star names the unread columns" "never reads (events.meta, events.detail) for every row; it reads only id" "$tmp/out"
printf '{"tables": {"public.events": {"rows": 100000, "columns": {"meta": {"avg_width": 40}, "detail": {"avg_width": 30}}}}}\n' >"$tmp/wide/querylens-stats.json"
expect_exit "select-star: statistics say they are narrow (nothing)" 0 "$QL" check "$tmp/wide" --select select-star --min-severity p3
expect_grep "narrow columns: no finding" "No findings" "$tmp/out"
rm "$tmp/wide/querylens-stats.json"
expect_exit "select-star: jsonb without statistics is a note" 0 "$QL" check "$tmp/wide" --select select-star
expect_grep "the note is counted" "1 finding below p2 not listed" "$tmp/out"

# Which migrations are new, when nobody says: in git, the uncommitted ones; the committed ones are
# history, their hazards P3 notes. Outside git every migration is history.
mkdir -p "$tmp/hist/db"
printf 'CREATE TABLE events (id bigint PRIMARY KEY, kind text);\n' >"$tmp/hist/db/0001_events.sql"
printf 'CREATE INDEX events_kind ON events (kind);\n' >"$tmp/hist/db/0002_kind.sql"
printf '[tables]\nlarge = ["events"]\n' >"$tmp/hist/querylens.toml"  # events grows: a blocking index build is a P2
expect_exit "outside git: a non-concurrent index in the history is not listed" 0 "$QL" check "$tmp/hist" --fail-on p2
expect_exit "outside git: listed as a history note with --min-severity p3" 1 "$QL" check "$tmp/hist" --fail-on p3
expect_grep "history note says why" "P3 \[non-concurrent-index\].*an applied migration: history" "$tmp/out"
if command -v git >/dev/null; then
    (cd "$tmp/hist" && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm history)
    printf 'CREATE INDEX events_id_kind ON events (id, kind);\n' >"$tmp/hist/db/0003_new.sql"
    expect_exit "in git: the uncommitted migration is judged" 1 "$QL" check "$tmp/hist" --fail-on p2
    expect_grep "the new migration's hazard is listed" "0003_new.sql:1:1: P2 \[non-concurrent-index\]" "$tmp/out"
    if grep -q "0002_kind" "$tmp/out"; then fail=$((fail + 1)); echo "FAIL: the committed migration is history"; else pass=$((pass + 1)); fi
    expect_exit "--changed-since HEAD~0 says the same" 1 "$QL" check "$tmp/hist" --fail-on p2 --changed-since HEAD
    expect_exit "a staged-file run judges the file it names" 1 "$QL" check "$tmp/hist" --fail-on p2 --report-only "$tmp/hist/db/0002_kind.sql"
fi
expect_exit "--fail-on overrides the config" 1 "$QL" check "$tmp/cfg" --fail-on p3
if grep -q "legacy/old.sql" "$tmp/out"; then fail=$((fail + 1)); echo "FAIL: exclude glob ignored"; else pass=$((pass + 1)); fi
printf '[files]\nexclude = "legacy"\n[rules]\nselect = ["no-such-rule"]\nmystery = true\n' >"$tmp/cfg/bad.toml"
expect_exit "bad config is a usage error" 2 "$QL" check "$tmp/cfg" --config "$tmp/cfg/bad.toml"
expect_grep "config error has file:line" "bad.toml:2:11: error: 'exclude' must be an array of strings" "$tmp/err"
expect_grep "unknown rule id in config" "bad.toml:4:11: error: unknown rule id 'no-such-rule'" "$tmp/err"
expect_grep "unknown key in config" "bad.toml:5:11: error: unknown key 'mystery' in \[rules\]" "$tmp/err"
printf 'this is = = not toml\n' >"$tmp/cfg/broken.toml"
expect_exit "unparsable config" 2 "$QL" check "$tmp/cfg" --config "$tmp/cfg/broken.toml"
expect_grep "TOML syntax error has a line" "broken.toml:1:" "$tmp/err"
expect_exit "missing config file" 2 "$QL" check "$tmp/cfg" --config "$tmp/cfg/none.toml"
# t grows: without that, an index only one or two queries would use is a P3 note.
printf '[tables]\nlarge = ["t"]\n' >"$tmp/cfg/querylens.toml"

expect_exit "write a baseline" 1 "$QL" check "$tmp/cfg" --fail-on p2 --write-baseline "$tmp/base.json"
printf -- '-- an unrelated comment above\n' | cat - "$tmp/cfg/db/0001.sql" >"$tmp/x" && mv "$tmp/x" "$tmp/cfg/db/0001.sql"
expect_exit "baseline absorbs known findings after an unrelated edit" 0 "$QL" check "$tmp/cfg" --fail-on p2 --baseline "$tmp/base.json"
printf 'SELECT id FROM t WHERE b = 3 LIMIT 1;\n' >>"$tmp/cfg/db/0001.sql"  # a new missing index: a new finding
expect_exit "baseline reports a new finding" 1 "$QL" check "$tmp/cfg" --fail-on p2 --baseline "$tmp/base.json"
expect_grep "baseline says what it hid" "the baseline hid" "$tmp/err"
expect_grep "the new finding is reported" "0001.sql:4:" "$tmp/out"
printf 'not json' >"$tmp/bad-base.json"
expect_exit "malformed baseline" 2 "$QL" check "$tmp/cfg" --baseline "$tmp/bad-base.json"

expect_exit "report-only: a file without findings passes" 0 "$QL" check "$tmp/cfg" --root "$tmp/cfg" --report-only "$tmp/cfg/none.sql"
expect_exit "report-only: a file with findings fails" 1 "$QL" check "$tmp/cfg" --fail-on p2 --root "$tmp/cfg" --report-only "$tmp/cfg/legacy/old.sql"
expect_grep "report-only keeps that file's findings" "legacy/old.sql:1:" "$tmp/out"
expect_exit "github annotations" 1 "$QL" check "$tmp/cfg" --fail-on p2 --format github
expect_grep "annotation format" "::error file=.*0001.sql,line=3,col=24,title=P1 uncovered-predicate::" "$tmp/out"

# GitHub code scanning takes at most 25,000 results per run.
mkdir -p "$tmp/big"
{ echo 'CREATE TABLE t (id int PRIMARY KEY, doc jsonb);'; for i in $(seq 25010); do echo "SELECT * FROM t LIMIT $i;"; done; } >"$tmp/big/0001.sql"
expect_exit "oversized SARIF run" 0 "$QL" check "$tmp/big" --format sarif --output "$tmp/big.sarif" --fail-on never --min-severity p3
expect_grep "limit message" "exceed GitHub code scanning's limit of 25000" "$tmp/err"
if [ "$(grep -c '"ruleId"' "$tmp/big.sarif")" -eq 25000 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: SARIF not cut to 25000 results"; fi
# By default those stars are notes (P3), not listed: nothing to cut, and no message about a cut.
expect_exit "notes are not SARIF results" 0 "$QL" check "$tmp/big" --format sarif --output "$tmp/big.sarif" --fail-on never
if grep -q "exceed GitHub" "$tmp/err"; then fail=$((fail + 1)); echo "FAIL: a cut announced for findings that are not listed"; else pass=$((pass + 1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
