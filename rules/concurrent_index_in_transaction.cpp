// concurrent-index-in-transaction: CREATE INDEX CONCURRENTLY where a transaction block wraps it.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    // Judged statement by statement, as each ran (an index of a table dropped later still failed).
    for (const auto& op : ctx.project.migration_operations) {
        const bool create = op.kind == MigrationOpKind::CreateIndex;
        if ((!create && op.kind != MigrationOpKind::DropIndex) || !op.concurrent || op.transaction.empty()) continue;
        const std::string what = std::string(create ? "CREATE INDEX CONCURRENTLY " : "DROP INDEX CONCURRENTLY ") +
                                 (op.name.empty() ? "on " + display_name(op.table) : display_name(op.name));
        out.push_back(finding(Severity::P0, op.loc,
                              what + " runs inside a transaction block (" + op.transaction +
                                  "): PostgreSQL rejects it (\"cannot run inside a transaction block\"); run it in a "
                                  "migration of its own outside any transaction")
                          .table(op.table));
    }
}

}  // namespace

extern const Rule kConcurrentIndexInTransaction = {
    "concurrent-index-in-transaction",
    "ConcurrentIndexInTransaction",
    Severity::P0,
    RuleCategory::MigrationSafety,
    "CREATE or DROP INDEX CONCURRENTLY inside BEGIN ... COMMIT or a migration tool's transaction",
    R"(## What it does
Flags `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` written after a `BEGIN` (or `START TRANSACTION`) that is not yet
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
