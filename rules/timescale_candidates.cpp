// missing-hypertable and continuous-aggregate-candidate: TimescaleDB opportunities found in the
// schema and the inventory.
#include <map>
#include <set>

#include "analyzer/sql_ast.h"
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

void check_hypertable(const RuleContext& ctx, std::vector<Finding>& out) {
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
            for (const auto& k : pk->keys) keys += (keys.empty() ? "" : ", ") + sqlast::quote_ident(k.column);
            f.fix = "ALTER TABLE " + table_sql(name) + " DROP CONSTRAINT " + sqlast::quote_ident(pk->name) + ", ADD PRIMARY KEY (" +
                    keys + ", " + sqlast::quote_ident(time->name) + ");\n";
        }
        f.fix += "SELECT create_hypertable(" + sqlast::quote_literal(display_name(name)) + ", " +
                sqlast::quote_literal(time->name) + ", chunk_time_interval => INTERVAL '" + kind->chunk +
                "', migrate_data => true);";
        out.push_back(std::move(f));
    }
}

void check_cagg(const RuleContext& ctx, std::vector<Finding>& out) {
    std::map<std::string, std::vector<const Query*>> by_table;
    for (const auto& q : ctx.inventory.queries) {
        if (q.origin == QueryOrigin::MaterializedViewBody || q.kind != StatementKind::Select) continue;
        std::set<std::string> tables;
        for (const auto& r : q.relations)
            if (r.kind == RelationKind::Table && q.blocks[r.block].time_bucketed) tables.insert(r.table);
        for (const auto& t : tables) by_table[t].push_back(&q);
    }
    for (const auto& [name, queries] : by_table) {
        const Table* t = ctx.schema.find_table(name);
        if (!t || !t->hypertable || queries.size() < 2) continue;
        Finding f;
        f.severity = Severity::P3;
        f.loc = queries.front()->loc;
        f.loc.end_line = f.loc.line;
        f.loc.end_column = 0;
        f.tables = {name};
        f.message = std::to_string(queries.size()) + " queries aggregate " + display_name(name) +
                    " by time bucket: a continuous aggregate computes the buckets once, incrementally, instead of "
                    "re-scanning raw rows on every call";
        for (size_t i = 1; i < queries.size(); ++i) f.related.push_back({queries[i]->loc, "also buckets " + display_name(name)});
        const std::string& time = t->hypertable->time_column;
        f.fix = "CREATE MATERIALIZED VIEW " + sqlast::quote_ident(unqualified(name) + "_hourly") +
                " WITH (timescaledb.continuous) AS\n  SELECT time_bucket(INTERVAL '1 hour', " + sqlast::quote_ident(time) +
                ") AS bucket, count(*) AS n  -- plus the group columns and aggregates the queries use\n  FROM " +
                table_sql(name) + " GROUP BY bucket;\nSELECT add_continuous_aggregate_policy(" +
                sqlast::quote_literal(unqualified(name) + "_hourly") +
                ", start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');";
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kMissingHypertable = {
    "missing-hypertable",
    "MissingHypertable",
    Severity::P1,
    "timescaledb",
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
    check_hypertable,
};

extern const Rule kContinuousAggregateCandidate = {
    "continuous-aggregate-candidate",
    "ContinuousAggregateCandidate",
    Severity::P3,
    "timescaledb",
    "Repeated time_bucket/date_trunc GROUP BY queries over a hypertable",
    R"(## What it does
Reports hypertables that two or more queries aggregate with `GROUP BY time_bucket(...)` or
`date_trunc(...)` (directly or through an output alias or position), with a continuous aggregate
skeleton and refresh policy.

## Why is this bad?
Each call re-reads every raw row of the range and recomputes the same buckets; dashboards that
poll make this the dominant load on the database.

## Example
```sql
SELECT time_bucket('1 hour', ts) AS bucket, symbol, sum(quantity) FROM trades
WHERE ts > now() - interval '1 day' GROUP BY bucket, symbol;
```

## Use instead
```sql
CREATE MATERIALIZED VIEW trades_hourly WITH (timescaledb.continuous) AS
  SELECT time_bucket(INTERVAL '1 hour', ts) AS bucket, symbol, sum(quantity) AS volume
  FROM trades GROUP BY bucket, symbol;
SELECT add_continuous_aggregate_policy('trades_hourly', start_offset => INTERVAL '3 days',
  end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');
```
)",
    check_cagg,
};

}  // namespace querylens::rules
