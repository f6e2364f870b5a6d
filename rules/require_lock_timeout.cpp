// require-lock-timeout: a migration file that locks tables holding data with no lock_timeout.
#include <map>

#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

// Statements that need a strong lock on the table (ACCESS EXCLUSIVE, SHARE ROW EXCLUSIVE or SHARE).
bool locks(const MigrationOperation& op) {
    switch (op.kind) {
        case MigrationOpKind::AddColumn:
        case MigrationOpKind::DropColumn:
        case MigrationOpKind::RenameColumn:
        case MigrationOpKind::AlterColumnType:
        case MigrationOpKind::SetNotNull:
        case MigrationOpKind::AddForeignKey:
        case MigrationOpKind::AddCheck:
        case MigrationOpKind::AddUnique:
        case MigrationOpKind::AddPrimaryKey:
        case MigrationOpKind::DropTable:
        case MigrationOpKind::RenameTable:
        case MigrationOpKind::OtherAlter: return true;
        case MigrationOpKind::CreateIndex:
        case MigrationOpKind::DropIndex: return !op.concurrent;
        default: return false;
    }
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    if (ctx.project.migration_settings.lock_timeout_set_by_runner) return;
    std::map<std::string, bool> timeout_set;                       // file -> SET lock_timeout seen so far
    // file -> locking statements, with the table each locks that holds data
    std::map<std::string, std::vector<std::pair<const MigrationOperation*, std::string>>> unguarded;
    std::vector<std::string> order;
    for (const auto& op : ctx.project.migration_operations) {
        if (op.kind == MigrationOpKind::SetLockTimeout) timeout_set[op.loc.file] = true;
        if (!locks(op) || timeout_set[op.loc.file] || op.table.empty()) continue;
        // The table that holds data: the altered one, or (a foreign key of a new table) the one it references.
        std::string locked;
        if (!new_table(ctx, op)) locked = op.table;
        else if (op.kind == MigrationOpKind::AddForeignKey && !op.ref_created_in.empty() &&
                 !ctx.project.new_table_at(op.ref_created_in, op.loc.file))
            locked = op.ref_table;
        if (locked.empty()) continue;
        auto& list = unguarded[op.loc.file];
        if (list.empty()) order.push_back(op.loc.file);
        if (list.empty() || list.back().first->loc.line != op.loc.line) list.emplace_back(&op, locked);
    }
    for (const auto& file : order) {
        const auto& list = unguarded[file];
        const MigrationOperation& first = *list.front().first;
        auto f = finding(Severity::P3, first.loc,
                         "this migration locks " + display_name(list.front().second) +
                             (list.size() > 1 ? " (and " + std::to_string(list.size() - 1) + " more statement(s))" : std::string()) +
                             " with no lock_timeout: if a long query holds the table, the ALTER waits, and every read and "
                             "write queued behind it waits too; start the file with SET lock_timeout (and retry the "
                             "migration when it times out)")
                     .table(list.front().second)
                     .fix(FixLanguage::Sql, first.transaction.empty() ? "SET lock_timeout = '5s';" : "SET LOCAL lock_timeout = '5s';");
        for (size_t i = 1; i < list.size() && i <= 5; ++i) f.related(list[i].first->loc, "also locks " + display_name(list[i].second));
        out.push_back(f);
    }
}

}  // namespace

extern const Rule kRequireLockTimeout = {
    "require-lock-timeout",
    "RequireLockTimeout",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "A migration takes strong locks on tables that hold data with no lock_timeout set",
    R"(## What it does
Flags, once per migration file, the first statement that needs a strong lock (ALTER TABLE,
non-concurrent CREATE/DROP INDEX, DROP TABLE, renames, and a new table's foreign key, which locks
the table it references) on a table an earlier migration created,
when no `SET lock_timeout` (or `SET LOCAL lock_timeout`) comes before it in the file. Set
`[migrations] lock-timeout-set-by-runner = true` when the runner or the database role sets it.

## Why is this bad?
Lock requests queue. An ALTER TABLE that waits for a long-running query on the table holds its
place in the queue, and every query that arrives after it, reads included, waits behind it: a
one-second migration becomes a minutes-long outage. With `lock_timeout` the migration gives up
instead, and can be retried.

## Example
```sql
ALTER TABLE orders ADD COLUMN note text;
```

## Use instead
```sql
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN note text;
```
)",
    check,
};

}  // namespace querylens::rules
