// adding-field-with-volatile-default: ADD COLUMN whose value PostgreSQL must compute per row
// (a volatile default, serial, identity, a stored generated column), which rewrites the table.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AddColumn, [&](const MigrationOperation& op) {
        if (op.volatile_reason.empty() || op.columns.empty()) return;
        const std::string col = op.columns.front();
        out.push_back(finding(lock_severity(ctx, op), op.loc,
                              "ADD COLUMN " + col + " on " + table_origin(op) + " fills every existing row with " +
                                  op.volatile_reason + ", which rewrites the table under an ACCESS EXCLUSIVE lock (reads and "
                                  "writes wait): add the column without it (nullable, or with a constant default), set the "
                                  "default for new rows with ALTER COLUMN ... SET DEFAULT, and backfill old rows in batches")
                          .table(op.table));
    });
}

}  // namespace

extern const Rule kAddingFieldWithVolatileDefault = {
    "adding-field-with-volatile-default",
    "AddingFieldWithVolatileDefault",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "ADD COLUMN with a volatile default, serial, identity or stored generated value on a table that holds data",
    R"(## What it does
Flags `ALTER TABLE ... ADD COLUMN` on a table an earlier migration created when each existing row
needs its own computed value: a VOLATILE default (`gen_random_uuid()`, `random()`,
`clock_timestamp()`, `nextval()`), a `serial` type, an identity column or a `GENERATED ... STORED`
column. Constant and STABLE defaults (`'pending'`, `0`, `now()`) are not flagged: since PostgreSQL
11 they are stored once in the catalog. Tables created in the same file or batch are not flagged.
P2 when the table grows, P3 otherwise.

## Why is this bad?
To give every row its own value PostgreSQL rewrites the whole table, holding an ACCESS EXCLUSIVE
lock: no reads or writes until the copy is done.

## Example
```sql
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
```

## Use instead
```sql
ALTER TABLE orders ADD COLUMN public_id uuid;                          -- instant
ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid(); -- new rows
UPDATE orders SET public_id = gen_random_uuid() WHERE id BETWEEN $1 AND $2 AND public_id IS NULL;  -- batches
-- then SET NOT NULL the safe way (see adding-not-nullable-field)
```
)",
    check,
};

}  // namespace querylens::rules
