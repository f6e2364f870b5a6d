// missing-hypertable: a time-series table that is not a TimescaleDB hypertable.
#include <map>
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

struct Kind {
    const char* word;
    const char* chunk;  // suggested chunk_time_interval
};
// Typical time-series table names and a chunk interval for their usual write rate.
const Kind kKinds[] = {{"tick", "1 hour"},      {"trade", "1 day"},    {"quote", "1 hour"},    {"order_book", "1 hour"},
                       {"candle", "1 day"},     {"price", "1 day"},    {"snapshot", "1 day"},  {"metric", "1 day"},
                       {"event", "1 day"},      {"log", "7 days"},     {"reading", "1 day"},   {"measurement", "1 day"},
                       {"telemetry", "1 day"},  {"sample", "1 day"},   {"history", "7 days"},  {"audit", "7 days"},
                       {"usage", "1 day"},      {"signal", "1 day"}};

bool timescale_used(const SchemaModel& s) {
    if (s.extensions.count("timescaledb")) return true;
    for (const auto& [n, t] : s.tables)
        if (t.hypertable) return true;
    return false;
}

bool time_type(const std::string& t) { return t == "timestamptz" || t == "timestamp" || t == "date"; }

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    // How the inventory uses each table: updated or deleted? which columns in ranges/ORDER BY?
    std::set<std::string> mutated;
    std::map<std::string, std::set<std::string>> time_used;
    for (const auto& q : ctx.inventory.queries) {
        if (q.kind == StatementKind::Update || q.kind == StatementKind::Delete)
            for (const auto& r : q.relations)
                if (r.kind == RelationKind::Table && r.block == 0) mutated.insert(r.table);
        for (const auto& p : q.predicates)
            if (p.relation >= 0 && p.op == PredicateOp::Range && !p.column.empty())
                time_used[q.relations[p.relation].table].insert(p.column);
        for (const auto& k : q.order_by)
            if (k.relation >= 0 && !k.column.empty()) time_used[q.relations[k.relation].table].insert(k.column);
    }
    const bool timescale = timescale_used(ctx.schema);
    for (const auto& [name, t] : ctx.schema.tables) {
        if (t.hypertable || mutated.count(name)) continue;
        const std::string base = unqualified(name);
        const Kind* kind = nullptr;
        for (const auto& k : kKinds)
            if (base.find(k.word) != std::string::npos) { kind = &k; break; }
        if (!kind) continue;
        const Column* time = nullptr;
        for (const auto& c : t.columns) {
            if (!c.not_null || !time_type(c.type)) continue;
            if (!time || time_used[name].count(c.name)) time = &c;
            if (time_used[name].count(c.name)) break;
        }
        if (!time || !time_used[name].count(time->name)) continue;
        Finding f;
        f.severity = timescale ? Severity::P1 : Severity::P3;
        f.loc = t.loc;
        f.tables = {name};
        bool pk_has_time = true;
        if (const Index* pk = t.primary_key()) {
            pk_has_time = false;
            for (const auto& k : pk->keys) pk_has_time |= k.column == time->name;
        }
        f.message = display_name(name) + " is time-series data (append-only, filtered and ordered by " + time->name + ")" +
                    (timescale ? " but not a hypertable: range scans read the whole table and old data cannot be "
                                 "compressed or dropped by chunk; convert it"
                               : ": consider TimescaleDB (hypertables, compression, retention)") +
                    (pk_has_time ? "" : "; its primary key must then include " + time->name);
        // TimescaleDB requires the time column in every unique index: widen the primary key first.
        if (!pk_has_time) {
            const Index* pk = t.primary_key();
            std::string keys;
            for (const auto& k : pk->keys) keys += (keys.empty() ? "" : ", ") + quote_ident(k.column);
            f.fix = "ALTER TABLE " + table_sql(name) + " DROP CONSTRAINT " + quote_ident(pk->name) + ", ADD PRIMARY KEY (" +
                    keys + ", " + quote_ident(time->name) + ");\n";
        }
        f.fix += "SELECT create_hypertable(" + quote_literal(display_name(name)) + ", " +
                quote_literal(time->name) + ", chunk_time_interval => INTERVAL '" + kind->chunk +
                "', migrate_data => true);";
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kMissingHypertable = {
    "missing-hypertable",
    "MissingHypertable",
    Severity::P1,
    RuleCategory::TimescaleDb,
    "A time-series table is not a TimescaleDB hypertable",
    R"(## What it does
Flags tables that look like time-series data and are not hypertables: a name such as candles,
trades, ticks, quotes, snapshots, metrics, events, logs or history; a NOT NULL timestamp column that
queries filter by range or order by; and no UPDATE or DELETE on the table in the inventory
(append-only). P1 when the project uses TimescaleDB (the extension or another hypertable exists),
otherwise a P3 note. The fix is the `create_hypertable` call with a chunk interval suggested from
the table's kind (1 hour for ticks and quotes, 1 day for trades, candles and metrics, 7 days for
logs and history).

## Why is this bad?
A plain table's indexes grow with all history: inserts slow down as they stop fitting in memory,
range queries cannot skip old data by chunk, and old rows cannot be compressed or dropped cheaply.

## Example
```sql
CREATE TABLE trades (id bigserial, symbol text NOT NULL, ts timestamptz NOT NULL, PRIMARY KEY (id, ts));
SELECT symbol, price FROM trades WHERE ts > now() - interval '1 hour' ORDER BY ts DESC LIMIT 100;
```

## Use instead
```sql
SELECT create_hypertable('trades', 'ts', chunk_time_interval => INTERVAL '1 day', migrate_data => true);
```
)",
    check,
    AppendixPhase::Hypertables
};

}  // namespace querylens::rules
