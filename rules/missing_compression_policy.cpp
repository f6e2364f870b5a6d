// missing-compression-policy: a hypertable never compressed.
#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

std::string literal(const std::string& s) { return quote_literal(s); }

// segmentby: the leading non-time column of the table's indexes (what queries filter on).
std::string segment_by(const Table& table) {
    if (!table.hypertable->segment_by.empty()) return table.hypertable->segment_by.front();
    for (const auto& idx : table.indexes) {
        if (idx.unique && idx.keys.size() == 1) continue;  // a row id: one segment per row
        if (!idx.keys.empty() && !idx.keys[0].column.empty() && idx.keys[0].column != table.hypertable->time_column)
            return idx.keys[0].column;
    }
    return {};
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        if (!table.hypertable || table.hypertable->compression_policy) continue;
        const auto& h = *table.hypertable;
        Finding f;
        f.severity = Severity::P2;
        f.loc = h.loc;
        f.tables = {table.name};
        f.message = "hypertable " + display_name(table.name) + " has no compression policy" +
                    (h.compression ? "" : " (compression is not enabled)") +
                    ": old chunks stay uncompressed, typically 5-20x larger and slower to scan";
        const std::string seg = segment_by(table);
        if (!h.compression)
            f.fix = "ALTER TABLE " + table_sql(table.name) + " SET (timescaledb.compress" +
                    (seg.empty() ? "" : ", timescaledb.compress_segmentby = " + literal(seg)) +
                    (h.time_column.empty() ? "" : ", timescaledb.compress_orderby = " + literal(h.time_column + " DESC")) +
                    ");\n";
        f.fix += "SELECT add_compression_policy(" + literal(display_name(table.name)) + ", INTERVAL '7 days');";
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kMissingCompressionPolicy = {
    "missing-compression-policy",
    "MissingCompressionPolicy",
    Severity::P2,
    RuleCategory::TimescaleDb,
    "A hypertable without compression or without a compression policy",
    R"(## What it does
Flags hypertables that never get compressed: compression is not enabled, or no
`add_compression_policy` schedules it. The fix enables compression with `segmentby` taken from the
leading column of the table's indexes (what queries filter on) and `orderby` the time column.

## Why is this bad?
Uncompressed chunks of time-series data are typically 5-20x larger: more disk, more memory, slower
scans of historical ranges.

## Example
```sql
SELECT create_hypertable('trades', 'ts');
```

## Use instead
```sql
ALTER TABLE trades SET (timescaledb.compress, timescaledb.compress_segmentby = 'symbol',
                        timescaledb.compress_orderby = 'ts DESC');
SELECT add_compression_policy('trades', INTERVAL '7 days');
```
)",
    check,
    AppendixPhase::Policies
};

}  // namespace querylens::rules
