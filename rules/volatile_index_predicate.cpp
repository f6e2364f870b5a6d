// volatile-index-predicate: now(), random() ... in an index predicate or expression.
#include <cctype>
#include <set>

#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

// Functions PostgreSQL does not mark IMMUTABLE (VOLATILE or STABLE) that migrations put in
// index predicates by mistake.
const std::set<std::string> kNotImmutable = {
    "now",          "current_timestamp", "current_date",    "current_time",   "localtime",
    "localtimestamp", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
    "random",       "gen_random_uuid",   "uuid_generate_v1", "uuid_generate_v4", "nextval",
    "currval",      "lastval",           "txid_current",    "current_user",   "pg_backend_pid",
    "age",          "to_timestamp",      "current_setting", "setseed"};

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        for (const auto& idx : table.indexes) {
            std::string bad;
            for (const auto& fn : idx.functions) {
                if (!kNotImmutable.count(fn)) continue;
                std::string shown = fn + "()";
                if (fn.rfind("current_", 0) == 0 || fn.rfind("local", 0) == 0) {  // SQL keywords: CURRENT_DATE
                    shown.clear();
                    for (char c : fn) shown += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                }
                if (bad.find(shown) == std::string::npos) bad += (bad.empty() ? "" : ", ") + shown;
            }
            if (bad.empty()) continue;
            Finding f;
            f.severity = Severity::P0;
            f.loc = idx.loc;
            f.tables = {table.name};
            f.message = "index " + idx.name + " on " + display_name(table.name) + " calls " + bad +
                        ", which is not IMMUTABLE: PostgreSQL rejects the CREATE INDEX (\"functions in index "
                        "predicate must be marked IMMUTABLE\"), and a time cutoff frozen at build time would be "
                        "wrong anyway; index the column and keep the time condition in the query";
            if (idx.partial()) f.fix = index_ddl(idx, false);
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kVolatileIndexPredicate = {
    "volatile-index-predicate",
    "VolatileIndexPredicate",
    Severity::P0,
    RuleCategory::MigrationSafety,
    "An index predicate or expression calls a function that is not IMMUTABLE (now(), random(), ...)",
    R"(## What it does
Flags indexes whose `WHERE` predicate or key expressions call `now()`, `CURRENT_TIMESTAMP`,
`CURRENT_DATE`, `random()`, `gen_random_uuid()`, `nextval()` or another function PostgreSQL does
not mark `IMMUTABLE`.

## Why is this bad?
PostgreSQL refuses to build the index (`ERROR: functions in index predicate must be marked
IMMUTABLE`), so the migration fails on deploy. Even if it were accepted, a partial index is
evaluated when rows are written, not when queries run: "rows that expire in the future" would be
frozen at insert time. Hand-written audits make this mistake (`WHERE expires_at > NOW()`).

## Example
```sql
CREATE INDEX idx_sessions_active ON sessions (user_id) WHERE expires_at > now();
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_user_expires ON sessions (user_id, expires_at);
-- and keep `expires_at > now()` in the query
```
)",
    check,
};

}  // namespace querylens::rules
