// renaming-table: RENAME TO of a table that holds data breaks the running application.
#include "rules/breaking_changes.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::RenameTable, [&](const MigrationOperation& op) {
        out.push_back(finding(Severity::P3, op.loc,
                              "renaming table " + display_name(op.table) + " to " + op.name +
                                  ": the application version still running during the deploy fails on every query of the "
                                  "old name; create the new table (or a view with the old name over it) and move readers "
                                  "and writers before dropping the old name (expand/contract)")
                          .table(op.table));
    });
}

}  // namespace

extern const Rule kRenamingTable = {
    "renaming-table",
    "RenamingTable",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "ALTER TABLE ... RENAME TO on a table that holds data: breaks the running application",
    R"(## What it does
Flags `ALTER TABLE ... RENAME TO` of a table an earlier migration created (not one created in the
same file or batch).

## Why is this bad?
The rename is instant, but the application version that runs while the migration deploys still
uses the old name: its queries fail with `relation "..." does not exist` until the new version
is everywhere.

## Example
```sql
ALTER TABLE user_settings RENAME TO preferences;
```

## Use instead
Rename, then in the same transaction `CREATE VIEW user_settings AS SELECT * FROM preferences`
(simple views are updatable) so both versions work; drop the view in a later release.
)",
    check,
};

}  // namespace querylens::rules
