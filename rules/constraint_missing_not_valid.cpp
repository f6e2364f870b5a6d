// constraint-missing-not-valid: a CHECK constraint validated as it is added to a table that holds
// data, or a NOT VALID constraint validated in the same transaction (which gains nothing).
#include <map>

#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AddCheck, [&](const MigrationOperation& op) {
        if (op.not_valid) return;
        const std::string name = op.constraint.empty() ? std::string() : op.constraint;
        std::string fix;
        if (op.sole_command && !name.empty())
            fix = statement_text(op) + " NOT VALID;\n-- then, " + separate_transaction(op) + ":\nALTER TABLE " + table_sql(op.table) +
                  " VALIDATE CONSTRAINT " + quote_ident(name) + ";";
        out.push_back(finding(lock_severity(ctx, op), op.loc,
                              "CHECK " + (name.empty() ? op.name : name) + " on " + table_origin(op) +
                                  " is validated as it is added: PostgreSQL scans every row while holding an ACCESS "
                                  "EXCLUSIVE lock (reads and writes wait); add it NOT VALID, then VALIDATE CONSTRAINT " +
                                  separate_transaction(op))
                          .table(op.table)
                          .fix(FixLanguage::Sql, fix));
    });
    // NOT VALID, then VALIDATE in the same transaction: the lock of the ADD is held through the scan.
    std::map<std::pair<std::string, std::string>, const MigrationOperation*> added;  // (table, constraint)
    for (const auto& op : ctx.project.migration_operations) {
        if ((op.kind == MigrationOpKind::AddCheck || op.kind == MigrationOpKind::AddForeignKey) && op.not_valid && !op.constraint.empty())
            added[{op.table, op.constraint}] = &op;
        if (op.kind != MigrationOpKind::ValidateConstraint || new_table(ctx, op)) continue;
        auto it = added.find({op.table, op.constraint});
        if (it == added.end()) continue;
        const MigrationOperation& add = *it->second;
        const bool same_tx = add.loc.file == op.loc.file && !op.transaction.empty() && add.transaction == op.transaction;
        if (!same_tx) continue;
        out.push_back(finding(lock_severity(ctx, add), op.loc,
                              "VALIDATE CONSTRAINT " + op.constraint + " runs in the same transaction (" + op.transaction +
                                  ") as the ADD CONSTRAINT ... NOT VALID on line " + std::to_string(add.loc.line) +
                                  ", so the ADD's lock is held while every row is checked: validate " +
                                  separate_transaction(op))
                          .table(op.table)
                          .related(add.loc, "added NOT VALID here"));
    }
}

}  // namespace

extern const Rule kConstraintMissingNotValid = {
    "constraint-missing-not-valid",
    "ConstraintMissingNotValid",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "A CHECK constraint added to a table that holds data without NOT VALID, or validated in the same transaction",
    R"(## What it does
Flags `ALTER TABLE ... ADD CONSTRAINT ... CHECK (...)` without `NOT VALID` on a table an earlier
migration created, and a `VALIDATE CONSTRAINT` that runs in the same transaction as the
`NOT VALID` add it belongs to (drizzle-kit runs a whole file in one transaction). Tables created in
the same file or batch are empty and not flagged. Foreign keys have their own rule,
adding-foreign-key-constraint. P2 when the table grows, P3 otherwise.

## Why is this bad?
Adding a CHECK constraint takes an ACCESS EXCLUSIVE lock and checks every row before releasing
it: reads and writes of the table wait for the whole scan. `NOT VALID` makes the add instant (new
rows are checked); `VALIDATE CONSTRAINT` then scans under SHARE UPDATE EXCLUSIVE, which lets reads
and writes go on, but only if it runs after the add's transaction has committed.

## Example
```sql
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
```

## Use instead
```sql
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;
-- in a later migration (its own transaction):
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;
```
)",
    check,
};

}  // namespace querylens::rules
