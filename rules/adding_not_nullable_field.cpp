// adding-not-nullable-field: SET NOT NULL on a column of a table that holds data, with no CHECK
// constraint that already proves it.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::SetNotNull, [&](const MigrationOperation& op) {
        if (op.proven_by_check || op.columns.empty()) return;
        const std::string& col = op.columns.front();
        const std::string t = table_sql(op.table);
        const std::string check_name = unqualified(op.table) + "_" + col + "_not_null";
        std::string message = "SET NOT NULL on " + display_name(op.table) + "." + col + " (" +
                              (op.table_created_in.empty() ? "table not created by these migrations"
                                                           : "table created in " + op.table_created_in) +
                              ") scans every row under an ACCESS EXCLUSIVE lock (reads and writes wait)";
        std::string fix;
        if (new_column(ctx, op)) {
            message += "; the column was added in this file: add it NOT NULL with a constant DEFAULT in one step "
                       "(PostgreSQL 11+ stores the default without rewriting or scanning)";
        } else {
            message += "; prove it first with a CHECK (" + col + " IS NOT NULL) NOT VALID, VALIDATE it " +
                       separate_transaction(op) + ", then SET NOT NULL uses it and skips the scan (PostgreSQL 12+)";
            fix = "ALTER TABLE " + t + " ADD CONSTRAINT " + quote_ident(check_name) + " CHECK (" + quote_ident(col) +
                  " IS NOT NULL) NOT VALID;\n-- then, " + separate_transaction(op) + ":\nALTER TABLE " + t +
                  " VALIDATE CONSTRAINT " + quote_ident(check_name) + ";\nALTER TABLE " + t + " ALTER COLUMN " +
                  quote_ident(col) + " SET NOT NULL;\nALTER TABLE " + t + " DROP CONSTRAINT " + quote_ident(check_name) + ";";
        }
        out.push_back(finding(lock_severity(ctx, op), op.loc, message).table(op.table).fix(FixLanguage::Sql, fix));
    });
}

}  // namespace

extern const Rule kAddingNotNullableField = {
    "adding-not-nullable-field",
    "AddingNotNullableField",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "SET NOT NULL on a column of a table that holds data, without a CHECK constraint that proves it",
    R"(## What it does
Flags `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a table an earlier migration created,
unless a `CHECK (col IS NOT NULL)` constraint already on the table proves the column has no NULLs.
Tables created in the same file or batch are empty and not flagged. P2 when the table grows, P3
otherwise.

## Why is this bad?
`SET NOT NULL` takes an ACCESS EXCLUSIVE lock and reads every row to check for NULLs: reads and
writes of the table wait for the whole scan. Since PostgreSQL 12 the scan is skipped when a valid
CHECK constraint proves the column is not null, and such a constraint can be validated without
blocking.

## Example
```sql
ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
```

## Use instead
```sql
ALTER TABLE orders ADD CONSTRAINT orders_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;
-- in a later migration (its own transaction):
ALTER TABLE orders VALIDATE CONSTRAINT orders_currency_not_null;
ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;  -- no scan: the constraint proves it
ALTER TABLE orders DROP CONSTRAINT orders_currency_not_null;
```
For a column added in the same migration, add it `NOT NULL DEFAULT <constant>` in one statement.
)",
    check,
};

}  // namespace querylens::rules
