// require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY on a table that holds data.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& op : ctx.project.migration_operations) {
        if (op.kind != MigrationOpKind::DropIndex || op.concurrent || (!op.table.empty() && new_table(ctx, op))) continue;
        std::string later;  // (GCC 12 warns falsely on " " + std::string&&)
        if (!op.transaction.empty()) later.append(" ").append(separate_transaction(op));
        const std::string on = op.table.empty() ? std::string("its table") : display_name(op.table);
        std::string fix = op.transaction.empty() ? std::string() : "-- " + separate_transaction(op) + ":\n";
        fix += "DROP INDEX CONCURRENTLY IF EXISTS " + table_sql(op.name) + ";";
        out.push_back(finding(op.table.empty() ? Severity::P3 : lock_severity(ctx, op), op.loc,
                              "DROP INDEX " + display_name(op.name) + " takes an ACCESS EXCLUSIVE lock on " + on +
                                  ": it waits behind every running query and blocks all reads and writes queued after it; "
                                  "use DROP INDEX CONCURRENTLY" + later)
                          .table(op.table)
                          .fix(FixLanguage::Sql, fix));
    }
}

}  // namespace

extern const Rule kRequireConcurrentIndexDeletion = {
    "require-concurrent-index-deletion",
    "RequireConcurrentIndexDeletion",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "DROP INDEX without CONCURRENTLY on a table that holds data",
    R"(## What it does
Flags `DROP INDEX` without `CONCURRENTLY` when the index's table was created by an earlier
migration (or is not known to these migrations). Indexes of tables created in the same file or
batch are not flagged. P2 when the table grows, P3 otherwise.

## Why is this bad?
`DROP INDEX` needs an ACCESS EXCLUSIVE lock on the table. The drop itself is quick, but the lock
request waits for every running query on the table, and every query that arrives after it waits
behind it: one slow report query turns a drop into an outage. `DROP INDEX CONCURRENTLY` waits for
running transactions without blocking new ones.

## Example
```sql
DROP INDEX orders_status_idx;
```

## Use instead
```sql
-- outside a transaction block (see concurrent-index-in-transaction)
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
```
)",
    check,
};

}  // namespace querylens::rules
