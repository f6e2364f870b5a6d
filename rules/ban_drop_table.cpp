// ban-drop-table: DROP TABLE of a table an earlier migration created.
#include "rules/breaking_changes.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::DropTable, [&](const MigrationOperation& op) {
        if (op.table_created_in.empty() && op.if_exists) return;  // a guard for a table that may not exist
        out.push_back(finding(Severity::P3, op.loc,
                              "DROP TABLE " + display_name(op.table) +
                                  ": the application version still running during the deploy fails on every query of it, "
                                  "and its data is gone; " + kExpandContract)
                          .table(op.table));
    });
}

}  // namespace

extern const Rule kBanDropTable = {
    "ban-drop-table",
    "BanDropTable",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "DROP TABLE of a table that holds data: breaks the running application",
    R"(## What it does
Flags `DROP TABLE` of a table an earlier migration created (a table created in the same file or
batch is not flagged, nor `DROP TABLE IF EXISTS` of a table these migrations never created). A
note for review: dropping is often intended.

## Why is this bad?
The application version that runs while the migration deploys still queries the table: those
requests fail until the new version is out. The data cannot be recovered without a backup.

## Example
```sql
DROP TABLE user_sessions_old;
```

## Use instead
Expand/contract: release code that no longer uses the table, then drop it in a later release
(keep a backup or rename it first if the data may be needed).
)",
    check,
};

}  // namespace querylens::rules
