// missing-retention-policy: a hypertable whose old chunks are never dropped.
#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

std::string literal(const std::string& s) { return quote_literal(s); }

void check(const RuleContext& ctx, std::vector<Finding>& out) {
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

extern const Rule kMissingRetentionPolicy = {
    "missing-retention-policy",
    "MissingRetentionPolicy",
    Severity::P3,
    RuleCategory::TimescaleDb,
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
    check,
    AppendixPhase::Policies
};

}  // namespace querylens::rules
