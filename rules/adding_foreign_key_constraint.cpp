// adding-foreign-key-constraint: a foreign key added to a table that holds data, validated at once.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AddForeignKey, [&](const MigrationOperation& op) {
        if (op.not_valid) return;
        const std::string name = constraint_name(op, "fkey");
        std::string fix;
        if (op.sole_command && !op.column_constraint)
            fix = statement_text(op) + " NOT VALID;\n-- then, " + separate_transaction(op) + ":\nALTER TABLE " + table_sql(op.table) +
                  " VALIDATE CONSTRAINT " + quote_ident(name) + ";";
        out.push_back(finding(lock_severity(ctx, op), op.loc,
                                "foreign key " + name + " on " + table_origin(op) + " is validated as it is added: " +
                                    "PostgreSQL scans every row of " + display_name(op.table) +
                                    " while holding a SHARE ROW EXCLUSIVE lock on it and on " + display_name(op.ref_table) +
                                    " (writes to both wait); add it NOT VALID, then VALIDATE CONSTRAINT " +
                                    separate_transaction(op) + ", which takes a lock that lets writes go on")
                     .tables({op.table, op.ref_table})
                     .fix(FixLanguage::Sql, fix));
    });
}

}  // namespace

extern const Rule kAddingForeignKeyConstraint = {
    "adding-foreign-key-constraint",
    "AddingForeignKeyConstraint",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "A foreign key added to a table that holds data without NOT VALID",
    R"(## What it does
Flags `ALTER TABLE ... ADD [CONSTRAINT ...] FOREIGN KEY` (and `ADD COLUMN ... REFERENCES`) without
`NOT VALID` on a table an earlier migration created. A foreign key on a table created in the same
file, or in the same batch of new migrations (`[migrations] since`, `--changed-since`), is not
flagged: that table is empty. P2 when either table grows, P3 otherwise.

## Why is this bad?
Adding a validated foreign key takes a SHARE ROW EXCLUSIVE lock on both the table and the table it
references, then checks every existing row. Until that scan finishes (and, inside a migration
runner's transaction, until the transaction commits) every INSERT, UPDATE and DELETE on both
tables waits.

## Example
```sql
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
```

## Use instead
```sql
-- instant: only new rows are checked
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- later, in its own transaction: scans under SHARE UPDATE EXCLUSIVE, writes go on
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;
```
)",
    check,
};

}  // namespace querylens::rules
