#!/usr/bin/env bash
# querylens parses only the TypeScript files that can issue or reach a query
# (frontends/typescript/prescan.h). That must never change a finding: this runs every fixture
# project, a generated corpus and a small project of the patterns the prescan has to follow
# (injected services typed by `import type`, schema barrels, drizzle-kit's config, SQL words in
# comments) with and without --parse-all and compares the JSON.
# Usage: tests/parse_modes_test.sh path/to/querylens SOURCE_DIR
set -u
QL=$1
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

same() {  # name dir
    (cd "$2" && "$QL" check . --format json --fail-on never --min-severity p3 >"$tmp/a.json" 2>/dev/null)
    (cd "$2" && "$QL" check . --format json --fail-on never --min-severity p3 --parse-all >"$tmp/b.json" 2>/dev/null)
    if cmp -s "$tmp/a.json" "$tmp/b.json"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1: findings differ with --parse-all"
        diff "$tmp/a.json" "$tmp/b.json" | head -20
    fi
}

for d in "$SRC"/fixtures/*/ "$SRC"/fixtures/rules/*/ "$SRC"/fixtures/frontends/*/; do
    [ -d "$d" ] && same "${d#"$SRC"/}" "$d"
done

python3 "$SRC/bench/generate.py" "$tmp/corpus" --tables 12 --services 60 >/dev/null
same "generated corpus" "$tmp/corpus"

# The patterns the import scan has to follow.
p="$tmp/di"
mkdir -p "$p/src/schema" "$p/src/ui"
cat >"$p/drizzle.config.ts" <<'TS'
import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: 'postgresql', schema: './src/schema/users.ts', out: './drizzle' });
TS
cat >"$p/src/schema/users.ts" <<'TS'
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: uuid('id').primaryKey(), teamId: uuid('team_id').notNull(), email: text('email') });
TS
printf "export * from './users';\n" >"$p/src/schema/index.ts"
cat >"$p/src/db.ts" <<'TS'
import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle(process.env.DATABASE_URL!);
TS
cat >"$p/src/repo.ts" <<'TS'
import { eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { users } from './schema';
export class UserRepo {
  constructor(private readonly db: NodePgDatabase) {}
  async byTeam(teamId: string) {
    return this.db.select({ id: users.id }).from(users).where(eq(users.teamId, teamId));
  }
}
TS
cat >"$p/src/engine.ts" <<'TS'
import type { UserRepo } from './repo';
export class Engine {
  constructor(private readonly repo: UserRepo) {}
  async run(teams: string[]) {
    for (const team of teams) {
      await this.repo.byTeam(team);
    }
  }
}
TS
cat >"$p/src/ui/label.ts" <<'TS'
// Not a query: SELECT * FROM users, sql`x`, db.select() in a comment.
export const label = (s: string) => `SELECT ${s}`;
TS
# A table name held by a constant a query file imports through a barrel: the constant's file is
# parsed for it (`FROM ${AUDIT}` in an untagged template is the constant's text).
mkdir -p "$p/src/names" "$p/drizzle"
printf "export const AUDIT = 'audit_log';\n" >"$p/src/names/tables.ts"
printf "export * from './tables';\n" >"$p/src/names/index.ts"
cat >"$p/src/audit.ts" <<'TS'
import { Pool } from 'pg';
import { AUDIT } from './names';
const pool = new Pool({ max: 5, idleTimeoutMillis: 10000, connectionTimeoutMillis: 2000, statement_timeout: 5000 });
export async function recent(user: string) {
  return pool.query(`SELECT id FROM ${AUDIT} WHERE user_id = $1 LIMIT 20`, [user]);
}
TS
printf "CREATE TABLE audit_log (id bigserial PRIMARY KEY, user_id uuid NOT NULL);\n" >"$p/drizzle/0000_audit.sql"
same "prescan patterns" "$p"
(cd "$p" && "$QL" check . --fail-on never --min-severity p3 -v >"$tmp/out" 2>"$tmp/err")
if grep -q "parsed 9 of 10 TypeScript files" "$tmp/err" && grep -q "n-plus-one" "$tmp/out" &&
    grep -q "audit_log is filtered on (user_id)" "$tmp/out"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: prescan patterns: expected 9 of 10 files parsed (all but the UI label), the injected repository's query in the loop and the constant's table read"
    cat "$tmp/err" "$tmp/out" | head -20
fi

# A route that imports the schema and passes a table to a helper that queries it, in a loop: read
# for its calls only (its tree goes), the helper is still lowered with the table it passes, by
# plain data (TsSite::arg_refs), also through a namespace import (`schema.audit`).
h="$tmp/helper"
mkdir -p "$h/src/routes" "$h/drizzle"
cat >"$h/drizzle.config.ts" <<'TS'
import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts', out: './drizzle' });
TS
cat >"$h/src/schema.ts" <<'TS'
import { pgTable, text, uuid, bigserial } from 'drizzle-orm/pg-core';
export const orderLines = pgTable('order_lines', { id: bigserial('id', { mode: 'number' }).primaryKey(), sku: text('sku') });
export const audit = pgTable('audit', { id: uuid('id').primaryKey(), what: text('what') });
TS
cat >"$h/src/rows.ts" <<'TS'
import { drizzle } from 'drizzle-orm/node-postgres';
const db = drizzle(process.env.DATABASE_URL!);
export async function insertRow(table: any, values: any) {
  await db.insert(table).values(values);
}
TS
cat >"$h/src/routes/import.ts" <<'TS'
import { insertRow } from '../rows';
import { orderLines } from '../schema';
import * as schema from '../schema';
export async function importLines(lines: { sku: string }[]) {
  for (const line of lines) await insertRow(orderLines, line);
  for (const line of lines) await insertRow(schema.audit, { what: line.sku });
}
TS
printf "CREATE TABLE order_lines (id bigserial PRIMARY KEY, sku text);\nCREATE TABLE audit (id uuid PRIMARY KEY, what text);\n" >"$h/drizzle/0000_init.sql"
same "helper called with tables from a file read for its calls" "$h"
(cd "$h" && QUERYLENS_TIMING=1 "$QL" inventory . --no-cache >"$tmp/out" 2>"$tmp/err")
if grep -q "1 for their calls only" "$tmp/err" && grep -q '"name": "order_lines"' "$tmp/out" && grep -q '"name": "audit"' "$tmp/out"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: helper called with tables: expected the route read for its calls only and the helper lowered with order_lines and audit"
    cat "$tmp/err" "$tmp/out" | head -30
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
