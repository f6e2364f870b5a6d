// non-concurrent-index: CREATE INDEX without CONCURRENTLY on a table an earlier migration created.
#include <regex>

#include "rules/index_advisor.h"
#include "rules/migration_ops.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

// The index as the final schema has it (for a normalised fix), when it still exists.
const Index* final_index(const RuleContext& ctx, const MigrationOperation& op) {
    const Table* t = ctx.schema.find_table(op.table);
    if (!t || op.name.empty()) return nullptr;
    for (const auto& idx : t->indexes)
        if (idx.name == op.name && idx.origin == IndexOrigin::Index) return &idx;
    return nullptr;
}

// CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] ..., from the statement as written.
std::string concurrent_form(const MigrationOperation& op) {
    static const std::regex head(R"(^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(IF\s+NOT\s+EXISTS\s+)?)", std::regex::icase);
    std::string s = op.statement;
    while (!s.empty() && (s.back() == ';' || s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
    std::smatch m;
    if (!std::regex_search(s, m, head)) return {};
    return std::string("CREATE ") + (m[1].matched ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + m.suffix().str() + ";";
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    // Judged statement by statement, as each ran: an index on a table that a later migration drops
    // still blocked writes when it was built.
    for (const auto& op : ctx.project.migration_operations) {
        // Indexes on tables created in the same file (or batch) are built on an empty table.
        if (op.kind != MigrationOpKind::CreateIndex || op.concurrent || op.table_created_in.empty() ||
            ctx.project.new_table_at(op.table_created_in, op.loc.file))
            continue;
        const Index* idx = final_index(ctx, op);
        // Blocking writes matters in proportion to the build time: without evidence that the
        // table grows, a note.
        const TableProfile& profile = ctx.project.profile(op.table);
        Finding f;
        f.severity = profile.grows() ? Severity::P2 : Severity::P3;
        f.loc = op.loc;
        f.tables = {op.table};
        f.message = "CREATE INDEX " + (op.name.empty() ? std::string("(unnamed)") : op.name) + " on " + display_name(op.table) +
                    " (created in " + op.table_created_in + ") without CONCURRENTLY blocks writes to the table while it builds: use "
                    "CREATE INDEX CONCURRENTLY" +
                    (op.transaction.empty() ? "" : " in a migration that runs outside " + op.transaction);
        f.fix = idx ? index_ddl(*idx) : concurrent_form(op);
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kNonConcurrentIndex = {
    "non-concurrent-index",
    "NonConcurrentIndex",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "CREATE INDEX without CONCURRENTLY on a table created by an earlier migration",
    R"(## What it does
Flags `CREATE INDEX` without `CONCURRENTLY` on a table that an earlier migration file created
(so it may hold data in production). Indexes created in the same file as their table, or in the
same batch of new migrations (`[migrations] since`, `--changed-since`), are not flagged: the table
is empty then.

## Why is this bad?
A plain `CREATE INDEX` takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits
until the index is built, which on a large table means minutes of failed or queued writes.

## Example
```sql
CREATE INDEX idx_orders_status ON orders (status);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status ON orders (status);
-- outside a transaction block (see concurrent-index-in-transaction)
```
)",
    check,
};

}  // namespace querylens::rules
