// renaming-column: RENAME COLUMN on a table that holds data breaks the running application.
#include "rules/breaking_changes.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::RenameColumn, [&](const MigrationOperation& op) {
        if (op.columns.empty() || new_column(ctx, op)) return;
        out.push_back(finding(Severity::P3, op.loc,
                              "RENAME COLUMN " + op.columns.front() + " TO " + op.name + " on " + display_name(op.table) +
                                  ": the application version still running during the deploy fails on every query that "
                                  "names the old column; add the new column, write both, backfill, switch reads, then drop "
                                  "the old one (expand/contract)")
                          .table(op.table));
    });
}

}  // namespace

extern const Rule kRenamingColumn = {
    "renaming-column",
    "RenamingColumn",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "RENAME COLUMN on a table that holds data: breaks the running application",
    R"(## What it does
Flags `ALTER TABLE ... RENAME COLUMN` on a table an earlier migration created, unless the column
was added in the same file or batch.

## Why is this bad?
The rename is instant, but the application version that runs while the migration deploys still
names the old column: its queries fail until the new version is everywhere. With Drizzle every
SELECT of the table names every column, so all of them fail.

## Example
```sql
ALTER TABLE users RENAME COLUMN name TO full_name;
```

## Use instead
Expand/contract: add `full_name`, write both columns, backfill, switch reads to `full_name`,
then stop writing and drop `name` in a later release. (Or a view that exposes both names while
both versions run.)
)",
    check,
};

}  // namespace querylens::rules
