// ban-drop-column: DROP COLUMN on a table that holds data breaks code still reading the column.
#include "rules/breaking_changes.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::DropColumn, [&](const MigrationOperation& op) {
        if (op.columns.empty() || new_column(ctx, op)) return;
        out.push_back(finding(Severity::P3, op.loc,
                              "DROP COLUMN " + op.columns.front() + " on " + display_name(op.table) +
                                  ": the application version still running during the deploy fails on every query that "
                                  "names the column (ORMs such as Drizzle list every column in SELECT and INSERT); " +
                                  kExpandContract)
                          .table(op.table));
    });
}

}  // namespace

extern const Rule kBanDropColumn = {
    "ban-drop-column",
    "BanDropColumn",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "DROP COLUMN on a table that holds data: breaks the running application",
    R"(## What it does
Flags `ALTER TABLE ... DROP COLUMN` on a table an earlier migration created, unless the column
was added in the same file or batch. A note for review: dropping is often intended.

## Why is this bad?
Migrations run before (or while) the new application version rolls out, so the old version keeps
running against the new schema for a while. Every query of the old version that names the
column fails: ORMs such as Drizzle name every column of the table in `SELECT` and `INSERT`, so
all reads of the table fail, not only the ones that used the column. The data is gone too.

## Example
```sql
ALTER TABLE users DROP COLUMN legacy_role;
```

## Use instead
Expand/contract: release code that no longer reads or writes the column (in Drizzle, remove it
from the `pgTable`), then drop it in a migration of a later release.
)",
    check,
};

}  // namespace querylens::rules
