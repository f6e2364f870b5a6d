// missing-unique-constraint: INSERT ... ON CONFLICT (cols) with no unique index on exactly cols.
#include <algorithm>

#include "analyzer/sql_ast.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

const Relation* target_table(const Query& q) {
    for (const auto& r : q.relations)
        if (r.kind == RelationKind::Table && r.block == 0) return &r;
    return nullptr;
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& q : ctx.inventory.queries) {
        if (q.kind != StatementKind::Insert || !q.on_conflict || q.conflict_columns.empty()) continue;
        if (std::find(q.conflict_columns.begin(), q.conflict_columns.end(), "") != q.conflict_columns.end()) continue;
        const Relation* r = target_table(q);
        const Table* t = r ? ctx.schema.find_table(r->table) : nullptr;
        if (!t) continue;
        std::vector<std::string> want = q.conflict_columns;
        std::sort(want.begin(), want.end());
        bool matched = false;
        for (auto key : t->unique_keys()) {
            std::sort(key.begin(), key.end());
            matched |= key == want;
        }
        if (matched) continue;
        std::string cols, names;
        for (const auto& c : q.conflict_columns) {
            cols += (cols.empty() ? "" : ", ") + sqlast::quote_ident(c);
            names += "_" + c;
        }
        Finding f;
        f.severity = Severity::P1;
        f.loc = q.conflict_location.line ? q.conflict_location : q.loc;
        f.tables = {t->name};
        f.message = "ON CONFLICT (" + cols + ") on " + display_name(t->name) +
                    " has no unique index or constraint on exactly these columns: PostgreSQL raises \"there is no "
                    "unique or exclusion constraint matching the ON CONFLICT specification\" at runtime; add one";
        f.fix = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + sqlast::quote_ident(unqualified(t->name) + names + "_key") +
                " ON " + table_sql(t->name) + " (" + cols + ");";
        IndexRecommendation rec;
        rec.table = t->name;
        rec.keys = q.conflict_columns;
        rec.unique = true;
        rec.name = unqualified(t->name) + names + "_key";
        rec.ddl = f.fix;
        f.index = std::move(rec);
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kMissingUniqueConstraint = {
    "missing-unique-constraint",
    "MissingUniqueConstraint",
    Severity::P1,
    "data-model",
    "An upsert's ON CONFLICT target has no matching unique index or constraint",
    R"(## What it does
Flags `INSERT ... ON CONFLICT (cols)` (in SQL, raw SQL strings, or Drizzle's
`onConflictDoUpdate({ target })` / `onConflictDoNothing({ target })`) where the table has no primary
key, unique constraint or non-partial unique index on exactly those columns.

## Why is this bad?
The code treats the columns as unique, but the database does not enforce it: PostgreSQL rejects
the statement at runtime ("there is no unique or exclusion constraint matching the ON CONFLICT
specification"), and duplicates written by other paths go unnoticed.

## Example
```ts
await db.insert(riskLimits).values(v).onConflictDoUpdate({ target: [riskLimits.userId, riskLimits.limitType], set: v });
```

## Use instead
```sql
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS risk_limits_user_id_limit_type_key ON risk_limits (user_id, limit_type);
```
)",
    check,
};

}  // namespace querylens::rules
