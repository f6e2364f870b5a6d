// non-concurrent-index: CREATE INDEX without CONCURRENTLY on a table an earlier migration created.
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

bool is_sql(const std::string& path) { return path.size() > 4 && path.compare(path.size() - 4, 4, ".sql") == 0; }

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        for (const auto& idx : table.indexes) {
            // Indexes in the file that creates the table are built on an empty table.
            if (idx.concurrent || idx.origin != IndexOrigin::Index || idx.loc.file == table.loc.file ||
                !is_sql(idx.loc.file) || !is_sql(table.loc.file))
                continue;
            // Blocking writes matters in proportion to the build time: without evidence that the
            // table grows, a note.
            const TableProfile& profile = ctx.project.profile(table.name);
            Finding f;
            f.severity = profile.grows() ? Severity::P2 : Severity::P3;
            f.loc = idx.loc;
            f.tables = {table.name};
            f.message = "CREATE INDEX " + idx.name + " on " + display_name(table.name) + " (created in " +
                        table.loc.file + ") without CONCURRENTLY blocks writes to the table while it builds: use "
                        "CREATE INDEX CONCURRENTLY" +
                        (idx.transaction.empty() ? "" : " in a migration that runs outside " + idx.transaction);
            f.fix = index_ddl(idx);
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kNonConcurrentIndex = {
    "non-concurrent-index",
    "NonConcurrentIndex",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "CREATE INDEX without CONCURRENTLY on a table created by an earlier migration",
    R"(## What it does
Flags `CREATE INDEX` without `CONCURRENTLY` on a table that an earlier migration file created
(so it may hold data in production). Indexes created in the same file as their table are not
flagged: the table is empty then.

## Why is this bad?
A plain `CREATE INDEX` takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits
until the index is built, which on a large table means minutes of failed or queued writes.

## Example
```sql
CREATE INDEX idx_orders_status ON orders (status);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status ON orders (status);
-- outside a transaction block (see concurrent-index-in-transaction)
```
)",
    check,
};

}  // namespace querylens::rules
