// drop-misses-table: DROP TABLE IF EXISTS of an unquoted name that folds to lower case and so
// drops nothing, while a quoted mixed-case table of that name stays.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& op : ctx.project.migration_operations) {
        if (op.kind != MigrationOpKind::DropMissesTable) continue;
        const std::string meant = unqualified(op.table);
        out.push_back(finding(Severity::P2, op.loc,
                            "DROP TABLE IF EXISTS " + unqualified(op.name) + " drops nothing: an unquoted name folds to lower case, and the table is " +
                                quote_ident(meant) + (op.table_created_in.empty() ? std::string() : " (created quoted in " + op.table_created_in + ")") +
                                ", so it stays with its rows, indexes and foreign keys; quote the name")
                          .table(op.table));
        out.back().fix = "DROP TABLE IF EXISTS " + table_sql(op.table) + ";";
    }
}

}  // namespace

extern const Rule kDropMissesTable = {
    "drop-misses-table",
    "DropMissesTable",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "DROP TABLE IF EXISTS of an unquoted name that misses the quoted mixed-case table it means",
    R"(## What it does
Flags `DROP TABLE IF EXISTS name` where no table has that name once PostgreSQL folds the unquoted
name to lower case, but a table created with a quoted mixed-case name (`CREATE TABLE "RSVP"`) matches
it apart from letter case.

## Why is this bad?
PostgreSQL folds unquoted identifiers to lower case: `DROP TABLE IF EXISTS RSVP` looks for `rsvp`,
finds nothing and succeeds with a NOTICE. The migration reads as done, but the table stays: its
rows, its indexes (maintained on every write), its foreign keys (checked on every delete of the
parents it references), and a schema that no longer matches what the code and the migration tool
believe. Without `IF EXISTS` the same statement fails, which is at least noticed.

## Example
```sql
CREATE TABLE "RSVP" (id serial PRIMARY KEY);
-- later
DROP TABLE IF EXISTS RSVP;
```

## Use instead
```sql
DROP TABLE IF EXISTS "RSVP";
```
)",
    check,
};

}  // namespace querylens::rules
