// TimescaleDB hypertables: unique indexes without the time column, compression and retention
// policies. Three rules in one file because they share what they read (Table::hypertable).
#include "analyzer/sql_ast.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

std::string literal(const std::string& s) { return sqlast::quote_literal(s); }

void check_unique(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        if (!table.hypertable || table.hypertable->time_column.empty()) continue;
        const std::string& time = table.hypertable->time_column;
        for (const auto& idx : table.indexes) {
            if (!idx.unique) continue;
            bool has_time = false;
            for (const auto& k : idx.keys) has_time |= k.column == time;
            if (has_time) continue;
            Finding f;
            f.severity = Severity::P0;
            f.loc = idx.loc;
            f.tables = {table.name};
            const std::string what = idx.origin == IndexOrigin::PrimaryKey ? "primary key" : "unique index " + idx.name;
            f.message = "the " + what + " of hypertable " + display_name(table.name) + " does not include its time column " +
                        time + ": TimescaleDB rejects it (unique indexes must contain the partitioning column); add " +
                        time + " to the key";
            std::string keys;
            for (const auto& k : idx.keys) keys += (keys.empty() ? "" : ", ") + sqlast::quote_ident(k.column.empty() ? k.expression : k.column);
            if (idx.origin == IndexOrigin::PrimaryKey)
                f.fix = "ALTER TABLE " + table_sql(table.name) + " DROP CONSTRAINT " + sqlast::quote_ident(idx.name) +
                        ", ADD PRIMARY KEY (" + keys + ", " + sqlast::quote_ident(time) + ");";
            f.related.push_back({table.hypertable->loc, "the hypertable"});
            out.push_back(std::move(f));
        }
    }
}

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

void check_compression(const RuleContext& ctx, std::vector<Finding>& out) {
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

void check_retention(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        if (!table.hypertable || table.hypertable->retention_policy) continue;
        Finding f;
        f.severity = Severity::P3;
        f.loc = table.hypertable->loc;
        f.tables = {table.name};
        f.message = "hypertable " + display_name(table.name) +
                    " has no retention policy: it grows without bound; drop old chunks once the data is no longer needed";
        f.fix = "SELECT add_retention_policy(" + literal(display_name(table.name)) + ", INTERVAL '1 year');  -- choose per data-retention rules";
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kHypertableUniqueWithoutTime = {
    "hypertable-unique-without-time",
    "HypertableUniqueWithoutTime",
    Severity::P0,
    "timescaledb",
    "A primary key or unique index on a hypertable does not include the time column",
    R"(## What it does
Flags primary keys, unique constraints and unique indexes of a TimescaleDB hypertable whose keys
do not include the hypertable's time (partitioning) column.

## Why is this bad?
TimescaleDB enforces uniqueness per chunk, so it requires the partitioning column in every unique
index: `create_hypertable` fails on such a table (`cannot create a unique index without the column
"time"`), and so does creating the index later.

## Example
```sql
CREATE TABLE candles (id bigserial PRIMARY KEY, symbol text, ts timestamptz NOT NULL);
SELECT create_hypertable('candles', 'ts');
```

## Use instead
```sql
CREATE TABLE candles (id bigserial, symbol text, ts timestamptz NOT NULL, PRIMARY KEY (id, ts));
```
)",
    check_unique,
};

extern const Rule kMissingCompressionPolicy = {
    "missing-compression-policy",
    "MissingCompressionPolicy",
    Severity::P2,
    "timescaledb",
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
    check_compression,
};

extern const Rule kMissingRetentionPolicy = {
    "missing-retention-policy",
    "MissingRetentionPolicy",
    Severity::P3,
    "timescaledb",
    "A hypertable without a retention policy",
    R"(## What it does
Flags hypertables with no `add_retention_policy`. This is a note (P3): keeping all history can be
a requirement, but then it should be a decision.

## Why is this bad?
Time-series tables grow without bound; old chunks cost disk, backup time and vacuum work.

## Example
```sql
SELECT create_hypertable('ticks', 'ts');
```

## Use instead
```sql
SELECT add_retention_policy('ticks', INTERVAL '90 days');
```
)",
    check_retention,
};

}  // namespace querylens::rules
