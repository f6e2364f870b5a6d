#!/usr/bin/env bash
# `querylens verify` against the scratch PostgreSQL started by the pg.start test fixture
# (scripts/pg-scratch.sh; URL in $BUILD/pg-scratch.url). Labelled "postgres" in CTest: run the rest
# without a server with `ctest -LE postgres`.
# Usage: verify_test.sh path/to/querylens source-dir build-dir
set -u
QL=$1
SRC=$2
BUILD=$3
url=$(cat "$BUILD/pg-scratch.url" 2>/dev/null) || { echo "no scratch server (pg.start failed?)"; exit 1; }
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
cd "$SRC"
"$QL" verify fixtures/trading-platform --dsn "$url" --format json --output "$tmp/tp.json" 2>/dev/null
"$QL" check fixtures/trading-platform --format json --output "$tmp/tp-check.json" --fail-on never 2>/dev/null
"$QL" verify fixtures/migration-safety --dsn "$url" --format json --output "$tmp/ms.json" 2>/dev/null
"$QL" check fixtures/migration-safety --format json --output "$tmp/ms-check.json" --fail-on never 2>/dev/null
"$QL" verify fixtures/pg-dump --dsn "$url" --format json --output "$tmp/pd.json" 2>/dev/null
"$QL" verify fixtures/trading-platform --dsn "postgresql://nobody@/nothing?host=/nonexistent" >/dev/null 2>&1
bad_dsn=$?
# querylens stats: a table with 60,000 rows and a 3-valued column, analysed; the snapshot then
# drives the table profile (grows) and keeps an index on the 3-valued column from being suggested.
PGOPTIONS="-c client_min_messages=warning" psql "$url" -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS ql_stats_probe" \
  -c "CREATE TABLE ql_stats_probe (id bigint PRIMARY KEY, kind int NOT NULL, owner_id bigint NOT NULL)" \
  -c "INSERT INTO ql_stats_probe SELECT g, g % 3, g % 5000 FROM generate_series(1, 60000) g" \
  -c "ANALYZE ql_stats_probe" >/dev/null
"$QL" stats --dsn "$url" -o "$tmp/stats.json"
stats_rc=$?
mkdir -p "$tmp/statsproj"
printf 'CREATE TABLE ql_stats_probe (id bigint PRIMARY KEY, kind int NOT NULL, owner_id bigint NOT NULL);\nSELECT id FROM ql_stats_probe WHERE kind = $1 LIMIT 10;\nSELECT id FROM ql_stats_probe WHERE owner_id = $1;\n' >"$tmp/statsproj/0001.sql"
cp "$tmp/stats.json" "$tmp/statsproj/querylens-stats.json"
(cd "$tmp/statsproj" && "$QL" schema . >"$tmp/stats-schema.json" 2>/dev/null && "$QL" check . --format json --fail-on never >"$tmp/stats-check.json" 2>/dev/null &&
  "$QL" report . --format json >"$tmp/stats-report.json" 2>/dev/null)
psql "$url" -q -c "DROP TABLE IF EXISTS ql_stats_probe" >/dev/null
# An optional filter as Drizzle lowers it: `$3 IS NULL` has no type PostgreSQL can infer; verify
# must still measure the query.
mkdir -p "$tmp/optional"
printf 'CREATE TABLE tasks (id bigint PRIMARY KEY, team_id bigint NOT NULL, owner text);\n' >"$tmp/optional/0001.sql"
printf 'SELECT id FROM tasks WHERE team_id = $1 AND (owner = $2 OR $3 IS NULL) LIMIT 20;\n' >"$tmp/optional/q.sql"
"$QL" verify "$tmp/optional" --root "$tmp/optional" --dsn "$url" --format json --output "$tmp/opt.json" 2>/dev/null
# A base schema that lives only in the ORM (Supabase-style): the migrations alter a table no
# migration creates, add policies and publications for the platform's roles, drop an index
# CONCURRENTLY; a test suite's setup script sits beside them. verify creates the table from the
# lowered schema first (without the column the migration adds), skips what names the platform's
# objects, runs DROP INDEX CONCURRENTLY outside a transaction, and ignores the test script.
mkdir -p "$tmp/baseline/src/test" "$tmp/baseline/migrations"
cat >"$tmp/baseline/src/schema.ts" <<'TS'
import { bigint, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
export const accountKind = pgEnum('accountKind', ['personal', 'team']);
export const accounts = pgTable('accounts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  teamId: bigint('team_id', { mode: 'number' }).notNull(),
  kind: accountKind('kind').notNull(),
  note: text('note'),
});
TS
printf 'ALTER TABLE accounts ADD COLUMN note text;\nCREATE INDEX idx_accounts_old ON accounts (note);\nCREATE POLICY accounts_read ON accounts FOR SELECT TO authenticated USING (true);\nALTER PUBLICATION supabase_realtime ADD TABLE accounts;\n' >"$tmp/baseline/migrations/0001_note.sql"
printf 'DROP INDEX CONCURRENTLY IF EXISTS idx_accounts_old;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_team_id ON accounts (team_id);\n' >"$tmp/baseline/migrations/0002_team_index.sql"
printf 'CREATE EXTENSION IF NOT EXISTS querylens_no_such_extension;\n' >"$tmp/baseline/src/test/setup-test-db.sql"
"$QL" verify "$tmp/baseline" --root "$tmp/baseline" --dsn "$url" --format json --output "$tmp/baseline.json" 2>/dev/null
# The recommended DDL is applied on rows like production's: document-sized text in unbounded
# columns. The recommendation (team_id, created_at) applies; a btree index on the document column
# itself, run on the kept scratch database, must fail as it would in production ("index row
# requires ... bytes"), which shows the rows were there.
mkdir -p "$tmp/wide"
printf 'CREATE TABLE documents (id bigint PRIMARY KEY, team_id bigint NOT NULL, title text NOT NULL, content text, created_at timestamptz NOT NULL);\n' >"$tmp/wide/0001.sql"
printf '[tables]\nlarge = ["documents"]\n' >"$tmp/wide/querylens.toml"  # grows: the filter's index is a finding, not a note
printf 'SELECT id, title FROM documents WHERE team_id = $1 AND content = $2 ORDER BY created_at DESC LIMIT 20;\n' >"$tmp/wide/q.sql"
"$QL" verify "$tmp/wide" --root "$tmp/wide" --dsn "$url" --keep --format json --output "$tmp/wide.json" 2>/dev/null
wide_db=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("database", ""))' "$tmp/wide.json")
wide_url=$(python3 -c 'import sys; u, db = sys.argv[1], sys.argv[2]; head, _, tail = u.partition("?"); print(head.rsplit("/", 1)[0] + "/" + db + ("?" + tail if tail else ""))' "$url" "$wide_db")
psql "$wide_url" -q -c "CREATE INDEX ql_naive_content ON documents (content)" >"$tmp/wide-naive.out" 2>&1
psql "$url" -q -c "DROP DATABASE IF EXISTS \"$wide_db\"" >/dev/null 2>&1
# The audit's monitoring queries run on a real server (pg_stat_statements is planned, not run: the
# scratch server does not preload it).
"$QL" report fixtures/trading-platform --format json --output "$tmp/tp-report.json" 2>/dev/null
python3 - "$tmp" >"$tmp/monitoring.sql" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1] + "/tp-report.json"))["monitoring"]:
    sql = m["sql"]
    if "pg_stat_statements" in sql:
        print("CREATE EXTENSION IF NOT EXISTS pg_stat_statements;")
        print("EXPLAIN " + sql.replace("CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n", ""))
    else:
        print(sql)
PY
PGOPTIONS="-c client_min_messages=warning" psql "$url" -q -v ON_ERROR_STOP=1 -f "$tmp/monitoring.sql" >/dev/null 2>"$tmp/monitoring.err"
echo "$?" >"$tmp/monitoring.rc"
python3 - "$tmp" "$bad_dsn" <<'PY'
import json, sys
tmp, bad_dsn = sys.argv[1], int(sys.argv[2])
failures = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond: failures.append(what)

base = json.load(open(f"{tmp}/baseline.json"))
check(not base.get("fatal") and base["migrations"] and all(m["ok"] for m in base["migrations"]),
      "baseline: every migration applies on the table created from the code's schema " + json.dumps(base.get("migrations"))[:400])
check(len(base["migrations"]) == 2, "baseline: the test suite's setup script is not a migration")
check(base["differences"] == [], "baseline: no difference " + json.dumps(base["differences"])[:300])
check(base.get("baselineNote", "").startswith("1 table(s)"), "baseline: one table created from the lowered schema: " + base.get("baselineNote", ""))
check(any(p["skipped"] and "policies or publications" in p.get("reason", "") for m in base["migrations"] for p in m["problems"]),
      "baseline: the policy and the publication are skipped as the platform's")

wide = json.load(open(f"{tmp}/wide.json"))
check(wide["ddl"] and all(d["ok"] for d in wide["ddl"]), "wide rows: the recommended index applies " + json.dumps(wide["ddl"])[:300])
check(any("(team_id, created_at DESC)" in d["sql"] for d in wide["ddl"]), "wide rows: the document column is not a key of the recommendation")
check("12.8 kB" in wide.get("ddlNote", "") and "left empty" not in wide.get("ddlNote", ""), "wide rows: the DDL ran on document-sized rows: " + wide.get("ddlNote", ""))
naive = open(f"{tmp}/wide-naive.out").read()
check("index row" in naive, "wide rows: a btree index on the document column fails on them: " + naive.strip()[:200])

tp = json.load(open(f"{tmp}/tp.json"))
check(not tp.get("fatal"), "trading-platform: verify ran")
check(tp["differences"] == [], "trading-platform: the schema model matches the catalog exactly " + json.dumps(tp["differences"])[:300])
check(all(m["ok"] for m in tp["migrations"]), "trading-platform: every migration applies")
check(all(d["ok"] for d in tp["ddl"]), "trading-platform: every recommended statement applies " +
      json.dumps([d for d in tp["ddl"] if not d["ok"]])[:300])
check(any(d["sql"].startswith("CREATE INDEX") for d in tp["ddl"]), "trading-platform: the suggested indexes are among them")
findings = json.load(open(f"{tmp}/tp-check.json"))["findings"]
uncovered = {(f["file"], f["line"]) for f in findings if f["rule"] == "uncovered-predicate"}
measured = {(e["finding"]["file"], e["finding"]["line"]): e for e in tp["evidence"]}
check(len(measured) >= len(uncovered) - 1 and len(measured) > 0, f"trading-platform: evidence for {len(measured)} of {len(uncovered)} uncovered predicates")
for key, e in sorted(measured.items()):
    # A plan under a LIMIT may stop at the first matches: then the index can gain nothing measurable.
    bounded = e["limited"] and e["after"]["totalCost"] <= e["before"]["totalCost"]
    check(not e["error"] and (bounded or (e["usesIndex"] and e["after"]["totalCost"] < e["before"]["totalCost"])),
          f"{key[0]}:{key[1]}: lower cost with the hypothetical index ({e['before']['totalCost']} -> {e['after']['totalCost']}) {e['error']}")

ms = json.load(open(f"{tmp}/ms.json"))
errors = {(p["location"]["file"], p["location"]["line"]): p["error"] for m in ms["migrations"] for p in m["problems"] if not p["skipped"]}
ms_findings = json.load(open(f"{tmp}/ms-check.json"))["findings"]
for f in ms_findings:
    if f["rule"] in ("volatile-index-predicate",):
        key = (f["file"], f["line"])
        check("IMMUTABLE" in errors.get(key, ""), f"migration-safety: PostgreSQL rejects {key[0]}:{key[1]} as predicted")
check(any("cannot run inside a transaction block" in e for e in errors.values()),
      "migration-safety: CONCURRENTLY after BEGIN is rejected as predicted")
check(all(d["ok"] or d["skipped"] for d in ms["ddl"]), "migration-safety: every recommended statement applies " +
      json.dumps([d for d in ms["ddl"] if not d["ok"]])[:300])
pd = json.load(open(f"{tmp}/pd.json"))
check(all(d["ok"] or d["skipped"] for d in pd["ddl"]), "pg-dump: every recommended statement applies")
check(pd["differences"] == [], "pg-dump: the schema model matches the catalog " + json.dumps(pd["differences"])[:300])
check(bad_dsn == 2, "an unreachable server is exit code 2")
st = json.load(open(f"{tmp}/stats.json"))
probe = st["tables"].get("public.ql_stats_probe", {})
check(probe.get("rows", 0) >= 50000, "stats: reltuples of the analysed table")
check(0 < probe.get("columns", {}).get("kind", {}).get("n_distinct", 0) <= 3, "stats: n_distinct of a 3-valued column")
schema = json.load(open(f"{tmp}/stats-schema.json"))
prof = [t.get("profile", {}) for t in schema["tables"] if t["name"] == "public.ql_stats_probe"]
check(prof and prof[0].get("growth") == "growing" and prof[0].get("source", "").startswith("statistics"),
      "stats: the snapshot makes the table's profile 'growing' " + json.dumps(prof))
sf = json.load(open(f"{tmp}/stats-check.json"))["findings"]
check(not any(f["rule"] == "uncovered-predicate" and f["line"] == 2 for f in sf), "stats: no index suggested on a 3-valued column alone")
check(any(f["rule"] == "uncovered-predicate" and f["line"] == 3 and f["severity"] == "P1" for f in sf),
      "stats: a filter no index serves on the large table is P1")
check(not any(f["rule"] == "unpaginated-query" for f in sf),
      "stats: a list over the large table stays a note (unpaginated-query is P3 whatever the size)")
opt = json.load(open(f"{tmp}/opt.json"))
check(len(opt["evidence"]) == 1 and not opt["evidence"][0]["error"],
      "optional filter ($n IS NULL): measured " + json.dumps([e["error"] for e in opt["evidence"]]))
mon_rc = open(f"{tmp}/monitoring.rc").read().strip()
check(mon_rc == "0", "report: the monitoring queries run on PostgreSQL: " + open(f"{tmp}/monitoring.err").read()[:300])
report = json.load(open(f"{tmp}/tp-report.json"))
stats_report = json.load(open(f"{tmp}/stats-report.json"))
check(any(m["title"] == "What the statistics snapshot confirms" and "ql_stats_probe (" in m["purpose"] for m in stats_report["monitoring"]),
      "report: the monitoring section says which index advice the statistics confirm")
check(len(report["monitoring"]) >= 4 and report["metrics"], "report: a monitoring section with queries and metrics")
sys.exit(1 if failures else 0)
PY
