// adding-serial-primary-key-field: a primary key added to a table that holds data builds its index
// (and, for a serial column, rewrites the table) under an ACCESS EXCLUSIVE lock.
#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AddPrimaryKey, [&](const MigrationOperation& op) {
        if (op.columns.empty()) return;
        std::string cols;
        for (const auto& c : op.columns) cols += (cols.empty() ? "" : ", ") + quote_ident(c);
        const std::string t = table_sql(op.table);
        const std::string name = unqualified(op.table) + "_pkey";
        std::string message = "adding a PRIMARY KEY to " + table_origin(op) +
                              " builds its unique index while holding an ACCESS EXCLUSIVE lock (reads and writes wait)";
        std::string fix;
        if (op.column_constraint) {
            message += "; adding the column " + op.columns.front() +
                       " this way also fills every row, rewriting the table: add the column, backfill it, "
                       "then build the index CONCURRENTLY and ADD CONSTRAINT ... PRIMARY KEY USING INDEX";
        } else {
            message += ": build the unique index CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX";
            fix = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + quote_ident(name) + " ON " + t + " (" + cols +
                  ");  -- outside a transaction block\nALTER TABLE " + t + " ADD CONSTRAINT " + quote_ident(name) +
                  " PRIMARY KEY USING INDEX " + quote_ident(name) + ";  -- the columns must be NOT NULL";
        }
        out.push_back(finding(lock_severity(ctx, op), op.loc, message).table(op.table).fix(FixLanguage::Sql, fix));
    });
}

}  // namespace

extern const Rule kAddingSerialPrimaryKeyField = {
    "adding-serial-primary-key-field",
    "AddingSerialPrimaryKeyField",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "A primary key added to a table that holds data without a concurrently built index",
    R"(## What it does
Flags `ALTER TABLE ... ADD PRIMARY KEY (...)` without `USING INDEX`, and `ADD COLUMN ... PRIMARY
KEY` (typically `id serial PRIMARY KEY`), on a table an earlier migration created. Tables created
in the same file or batch are not flagged. P2 when the table grows, P3 otherwise.

## Why is this bad?
The primary key's unique index is built inside the ALTER TABLE, under an ACCESS EXCLUSIVE lock:
no reads or writes until it is done. A new `serial`/identity column must also be filled for every
row, which rewrites the table under the same lock.

## Example
```sql
ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;
```

## Use instead
```sql
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS events_pkey ON events (id);  -- no transaction
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
```
(for a new column: add it nullable with a sequence default for new rows, backfill old rows in
batches, make it NOT NULL the safe way, then the two statements above)
)",
    check,
};

}  // namespace querylens::rules
