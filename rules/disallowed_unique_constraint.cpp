// disallowed-unique-constraint: ADD CONSTRAINT ... UNIQUE builds its index under an ACCESS
// EXCLUSIVE lock on a table that holds data.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AddUnique, [&](const MigrationOperation& op) {
        if (op.columns.empty()) return;
        const std::string name = constraint_name(op, "key");
        std::string cols;
        for (const auto& c : op.columns) cols += (cols.empty() ? "" : ", ") + quote_ident(c);
        const std::string t = table_sql(op.table);
        std::string fix;
        if (!op.column_constraint)
            fix = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + quote_ident(name) + " ON " + t + " (" + cols +
                  ");  -- outside a transaction block\nALTER TABLE " + t + " ADD CONSTRAINT " + quote_ident(name) +
                  " UNIQUE USING INDEX " + quote_ident(name) + ";";
        out.push_back(finding(lock_severity(ctx, op), op.loc,
                              "UNIQUE constraint " + name + " on " + table_origin(op) +
                                  " builds its index while holding an ACCESS EXCLUSIVE lock (reads and writes wait for the "
                                  "build): create the unique index CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX")
                          .table(op.table)
                          .fix(FixLanguage::Sql, fix));
    });
}

}  // namespace

extern const Rule kDisallowedUniqueConstraint = {
    "disallowed-unique-constraint",
    "DisallowedUniqueConstraint",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "ADD CONSTRAINT ... UNIQUE on a table that holds data instead of a concurrently built unique index",
    R"(## What it does
Flags `ALTER TABLE ... ADD [CONSTRAINT ...] UNIQUE (...)` (and `ADD COLUMN ... UNIQUE`) without
`USING INDEX` on a table an earlier migration created. Tables created in the same file or batch
are not flagged. P2 when the table grows, P3 otherwise.

## Why is this bad?
The constraint's unique index is built inside the ALTER TABLE, which holds an ACCESS EXCLUSIVE
lock: neither reads nor writes run until the index is built (and, in a runner's transaction, until
the transaction commits).

## Example
```sql
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
```

## Use instead
```sql
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);  -- no transaction
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;  -- instant
```
)",
    check,
};

}  // namespace querylens::rules
