#!/usr/bin/env bash
# The fact cache (analysis/fact_cache.h) must never change a finding. For every fixture project
# and a generated corpus (copied, so the cache is fresh): a run without the cache, the run that
# fills it and a warm run give the same JSON, and the warm run reused facts. Then a project whose
# callers are parsed for their calls only (the facts the cache keeps) is edited between warm
# runs: a loop removed, a file renamed, a file deleted, a caller that starts issuing queries,
# the config changed, the cache file damaged; after each step the warm run must equal a run
# without the cache.
# Usage: tests/cache_test.sh path/to/querylens SOURCE_DIR
set -u
QL=$1
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

run() {  # dir out [args...]: check with the cache at dir/.querylens-cache; stderr to out.err
    local dir=$1 out=$2
    shift 2
    (cd "$dir" && QUERYLENS_TIMING=1 "$QL" check . --format json --fail-on never --min-severity p3 "$@" >"$out" 2>"$out.err")
}

compare() {  # name dir [expect-reuse]
    local name=$1 dir=$2
    run "$dir" "$tmp/none.json" --no-cache
    run "$dir" "$tmp/warm.json"
    if ! cmp -s "$tmp/none.json" "$tmp/warm.json"; then
        fail=$((fail + 1))
        echo "FAIL: $name: findings differ with the fact cache"
        diff "$tmp/none.json" "$tmp/warm.json" | head -20
        return
    fi
    if [ "${3:-}" = reuse ] && ! grep -Eq "tree-free facts [1-9][0-9]* of" "$tmp/warm.json.err"; then
        fail=$((fail + 1))
        echo "FAIL: $name: the warm run reused no tree-free facts"
        grep "fact cache:" "$tmp/warm.json.err"
        return
    fi
    pass=$((pass + 1))
}

for d in "$SRC"/fixtures/*/ "$SRC"/fixtures/rules/*/ "$SRC"/fixtures/frontends/*/; do
    [ -d "$d" ] || continue
    name=${d#"$SRC"/}
    copy="$tmp/p/$name"
    mkdir -p "$copy" && cp -r "$d". "$copy"
    rm -rf "$copy/.querylens-cache"
    run "$copy" "$tmp/cold.json"  # fills the cache
    compare "$name" "$copy"
done

python3 "$SRC/bench/generate.py" "$tmp/corpus" --tables 12 --services 60 >/dev/null
run "$tmp/corpus" "$tmp/cold.json"
compare "generated corpus" "$tmp/corpus"
if ! grep -Eq "import scans [1-9][0-9]* of" "$tmp/warm.json.err"; then
    fail=$((fail + 1))
    echo "FAIL: generated corpus: the warm run reused no import scans"
fi

# Callers parsed for their calls only: a repository that queries, services that call it in loops.
p="$tmp/calls"
mkdir -p "$p/src/services" "$p/src/jobs" "$p/db"
printf "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL, total int NOT NULL);\n" >"$p/db/0001_orders.sql"
cat >"$p/src/repo.ts" <<'TS'
import { Pool } from 'pg';
const pool = new Pool({ max: 5, idleTimeoutMillis: 10000, connectionTimeoutMillis: 2000, statement_timeout: 5000 });
export async function ordersOf(user: number) {
  return pool.query('SELECT id, total FROM orders WHERE user_id = $1 LIMIT 50', [user]);
}
export async function addOrder(user: number, total: number) {
  return pool.query('INSERT INTO orders (user_id, total) VALUES ($1, $2)', [user, total]);
}
TS
cat >"$p/src/services/report.ts" <<'TS'
import { ordersOf } from '../repo';
export async function report(users: number[]) {
  const out = [];
  for (const u of users) {
    out.push(await ordersOf(u));
  }
  return out;
}
TS
cat >"$p/src/services/import.ts" <<'TS'
import { addOrder } from '../repo';
export async function importAll(rows: { user: number; total: number }[]) {
  for (const r of rows) await addOrder(r.user, r.total);
}
TS
cat >"$p/src/jobs/nightly.ts" <<'TS'
import { report } from '../services/report';
export async function nightly(ids: number[]) {
  return report(ids);
}
TS
run "$p" "$tmp/cold.json"
compare "callers parsed for their calls" "$p" reuse
if ! grep -q n-plus-one "$tmp/warm.json"; then
    fail=$((fail + 1))
    echo "FAIL: callers parsed for their calls: expected the loop's n-plus-one"
fi

# A loop removed from a cached caller.
cat >"$p/src/services/report.ts" <<'TS'
import { ordersOf } from '../repo';
export async function report(users: number[]) {
  return ordersOf(users[0]);
}
TS
compare "loop removed" "$p" reuse
# A caller renamed, then deleted.
mv "$p/src/services/import.ts" "$p/src/services/bulk_import.ts"
compare "caller renamed" "$p" reuse
rm "$p/src/services/bulk_import.ts"
compare "caller deleted" "$p"
# A caller that now issues a query itself (parsed in full, not from the cache).
cat >"$p/src/jobs/nightly.ts" <<'TS'
import { Pool } from 'pg';
import { report } from '../services/report';
const pool = new Pool();
export async function nightly(ids: number[]) {
  for (const id of ids) await pool.query('DELETE FROM orders WHERE id = $1', [id]);
  return report(ids);
}
TS
compare "caller issues queries" "$p"
# The loop back (the job only calls again), and a config that makes jobs one-off.
cat >"$p/src/jobs/nightly.ts" <<'TS'
import { report } from '../services/report';
export async function nightly(ids: number[]) {
  return report(ids);
}
TS
cat >"$p/src/services/report.ts" <<'TS'
import { ordersOf } from '../repo';
export async function report(users: number[]) {
  for (const u of users) await ordersOf(u);
}
TS
compare "loop back" "$p"
printf '[context]\none-off = ["src/jobs/**"]\n' >"$p/querylens.toml"
compare "config changed" "$p" reuse
# The same text read as a migration once it moves into a migrations folder: a helper handed a
# statement there runs it (MigrationSql), so what is cached for it elsewhere must not be reused.
cat >"$p/src/db.ts" <<'TS'
import { Pool } from 'pg';
const pool = new Pool({ max: 5, idleTimeoutMillis: 10000, connectionTimeoutMillis: 2000, statement_timeout: 5000 });
export async function execute(client: unknown, statement: string) {
  return pool.query(statement);
}
TS
mkdir -p "$p/src/setup"
cat >"$p/src/setup/0002_orders_user_idx.ts" <<'TS'
import { execute } from '../db';
export default async function up(connection: unknown) {
  await execute(connection, `CREATE INDEX orders_user_idx ON orders (user_id)`);
}
TS
run "$p" "$tmp/cold.json"
compare "statement helper outside migrations" "$p" reuse
mkdir -p "$p/src/migrations"
mv "$p/src/setup/0002_orders_user_idx.ts" "$p/src/migrations/0002_orders_user_idx.ts"
compare "the same file moved into migrations" "$p"
# A damaged cache: truncated, then with a flipped byte. Same findings, no crash.
cache="$p/.querylens-cache/facts.bin"
head -c 100 "$cache" >"$cache.cut" && mv "$cache.cut" "$cache"
compare "truncated cache" "$p"
run "$p" "$tmp/cold.json"
printf 'X' | dd of="$cache" bs=1 seek=200 conv=notrunc 2>/dev/null
compare "corrupt cache" "$p"
# A cache directory that cannot be written: the same findings.
run "$p" "$tmp/none.json" --no-cache
run "$p" "$tmp/unwritable.json" --cache-dir /proc/querylens-no-such-dir
if cmp -s "$tmp/none.json" "$tmp/unwritable.json"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: unwritable cache directory: findings differ"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
