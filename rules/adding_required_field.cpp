// adding-required-field: ADD COLUMN ... NOT NULL without a DEFAULT on a table that holds data.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AddColumn, [&](const MigrationOperation& op) {
        if (!op.not_null || op.has_default || !op.volatile_reason.empty() || op.columns.empty()) return;
        const std::string col = op.columns.front();
        out.push_back(finding(Severity::P1, op.loc,
                              "ADD COLUMN " + col + " NOT NULL without a DEFAULT on " + table_origin(op) +
                                  " fails as soon as the table has a row (\"column contains null values\"): give it a "
                                  "constant DEFAULT (free since PostgreSQL 11), or add it nullable, backfill, then set NOT NULL")
                          .table(op.table));
    });
}

}  // namespace

extern const Rule kAddingRequiredField = {
    "adding-required-field",
    "AddingRequiredField",
    Severity::P1,
    RuleCategory::MigrationSafety,
    "ADD COLUMN ... NOT NULL without a DEFAULT on a table that holds data",
    R"(## What it does
Flags `ALTER TABLE ... ADD COLUMN ... NOT NULL` with no `DEFAULT` (and not an identity, serial or
generated column) on a table an earlier migration created. Tables created in the same file or
batch are empty and not flagged.

## Why is this bad?
Existing rows get NULL in the new column, which the NOT NULL constraint rejects: the migration
fails with `column "..." of relation "..." contains null values` on every database that has rows
(production), while it passes on an empty development database.

## Example
```sql
ALTER TABLE orders ADD COLUMN currency text NOT NULL;
```

## Use instead
```sql
-- a constant default: PostgreSQL 11+ stores it without rewriting the table
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
```
Without a sensible constant: add the column nullable, backfill it in batches, then make it NOT
NULL (see adding-not-nullable-field).
)",
    check,
};

}  // namespace querylens::rules
