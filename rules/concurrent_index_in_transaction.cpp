// concurrent-index-in-transaction: CREATE INDEX CONCURRENTLY where a transaction block wraps it.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        for (const auto& idx : table.indexes) {
            if (!idx.concurrent || idx.transaction.empty()) continue;
            Finding f;
            f.severity = Severity::P0;
            f.loc = idx.loc;
            f.tables = {table.name};
            f.message = "CREATE INDEX CONCURRENTLY " + idx.name + " runs inside a transaction block (" + idx.transaction +
                        "): PostgreSQL rejects it (\"cannot run inside a transaction block\"); run it in a migration "
                        "of its own outside any transaction";
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kConcurrentIndexInTransaction = {
    "concurrent-index-in-transaction",
    "ConcurrentIndexInTransaction",
    Severity::P0,
    RuleCategory::MigrationSafety,
    "CREATE INDEX CONCURRENTLY inside BEGIN ... COMMIT or a migration tool's transaction",
    R"(## What it does
Flags `CREATE INDEX CONCURRENTLY` written after a `BEGIN` (or `START TRANSACTION`) that is not yet
committed in the same file, or in a drizzle-kit migration (recognised by its
`--> statement-breakpoint` markers): drizzle-kit runs each migration file in one transaction.

## Why is this bad?
`CONCURRENTLY` builds the index in several transactions of its own, so PostgreSQL refuses it
inside a transaction block: `ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction
block`. The migration fails on deploy.

## Example
```sql
BEGIN;
CREATE INDEX CONCURRENTLY idx_orders_user ON orders (user_id);
COMMIT;
```

## Use instead
```sql
-- its own migration, run without a wrapping transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_user ON orders (user_id);
```
)",
    check,
};

}  // namespace querylens::rules
