// continuous-aggregate-candidate: repeated time-bucketed aggregates over a hypertable.
#include <map>
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
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
        f.fix = "CREATE MATERIALIZED VIEW " + quote_ident(unqualified(name) + "_hourly") +
                " WITH (timescaledb.continuous) AS\n  SELECT time_bucket(INTERVAL '1 hour', " + quote_ident(time) +
                ") AS bucket, count(*) AS n  -- plus the group columns and aggregates the queries use\n  FROM " +
                table_sql(name) + " GROUP BY bucket;\nSELECT add_continuous_aggregate_policy(" +
                quote_literal(unqualified(name) + "_hourly") +
                ", start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');";
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kContinuousAggregateCandidate = {
    "continuous-aggregate-candidate",
    "ContinuousAggregateCandidate",
    Severity::P3,
    RuleCategory::TimescaleDb,
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
    check,
    AppendixPhase::Aggregates
};

}  // namespace querylens::rules
