// hypertable-unique-without-time: a PK or unique index of a hypertable without its time column.
#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
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
            for (const auto& k : idx.keys) keys += (keys.empty() ? "" : ", ") + quote_ident(k.column.empty() ? k.expression : k.column);
            if (idx.origin == IndexOrigin::PrimaryKey)
                f.fix = "ALTER TABLE " + table_sql(table.name) + " DROP CONSTRAINT " + quote_ident(idx.name) +
                        ", ADD PRIMARY KEY (" + keys + ", " + quote_ident(time) + ");";
            f.related.push_back({table.hypertable->loc, "the hypertable"});
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kHypertableUniqueWithoutTime = {
    "hypertable-unique-without-time",
    "HypertableUniqueWithoutTime",
    Severity::P0,
    RuleCategory::TimescaleDb,
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
    check,
    AppendixPhase::Constraints
};

}  // namespace querylens::rules
