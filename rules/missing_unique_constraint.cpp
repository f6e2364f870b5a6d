// missing-unique-constraint: the code treats columns as unique (ON CONFLICT targets, findFirst
// lookups) but no unique index or constraint enforces it.
#include <algorithm>
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

// A finding that recommends a unique index on `columns` of `t`.
Finding unique_finding(const Table& t, const std::vector<std::string>& columns, Severity severity, Location loc,
                       const std::string& message) {
    std::string cols, names;
    for (const auto& c : columns) {
        cols += (cols.empty() ? "" : ", ") + quote_ident(c);
        names += "_" + c;
    }
    Finding f;
    f.severity = severity;
    f.loc = std::move(loc);
    f.tables = {t.name};
    f.message = message;
    IndexRecommendation rec;
    rec.table = t.name;
    rec.keys = columns;
    rec.unique = true;
    rec.name = unqualified(t.name) + names + "_key";
    rec.ddl = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + quote_ident(rec.name) + " ON " + table_sql(t.name) +
              " (" + cols + ");";
    f.fix = rec.ddl;
    rec.purpose = "uniqueness of (" + cols + ")";
    f.index = std::move(rec);
    return f;
}

std::string column_list(const std::vector<std::string>& cols) {
    std::string out;
    for (const auto& c : cols) out += (out.empty() ? "" : ", ") + quote_ident(c);
    return out;
}

// INSERT ... ON CONFLICT (cols): PostgreSQL needs a unique index on exactly those columns.
void check_upsert(const RuleContext& ctx, const Query& q, std::vector<Finding>& out) {
    if (q.kind != StatementKind::Insert || !q.on_conflict || q.conflict_columns.empty()) return;
    // A data statement of a migration already applied ran, so its conflict target matched the
    // constraints of its time (a later migration may have dropped them). Without [migrations]
    // since / --changed-since, every migration is history.
    if (q.origin == QueryOrigin::SqlStatement && q.one_off() &&
        (!ctx.project.migration_batch() || ctx.project.applied_migration(q.loc.file)))
        return;
    // One-off code (a dated data patch, a seed) fails loudly the one time it runs: a note.
    const Severity severity = q.one_off() ? Severity::P3 : Severity::P1;
    if (std::find(q.conflict_columns.begin(), q.conflict_columns.end(), "") != q.conflict_columns.end()) return;
    const Relation* r = q.first_table();
    const Table* t = r ? ctx.schema.find_table(r->table) : nullptr;
    if (!t) return;
    std::vector<std::string> want = q.conflict_columns;
    std::sort(want.begin(), want.end());
    for (auto key : t->unique_keys()) {
        std::sort(key.begin(), key.end());
        if (key == want) return;
    }
    // A partial unique index on exactly these columns: inferred when the conflict target repeats
    // its predicate (`ON CONFLICT (key) WHERE key IS NOT NULL`), rejected without it.
    for (const auto& idx : t->indexes) {
        if (!idx.unique || !idx.partial()) continue;
        std::vector<std::string> cols;
        for (const auto& k : idx.keys) cols.push_back(k.column);
        std::sort(cols.begin(), cols.end());
        if (cols != want) continue;
        if (q.conflict_where) return;
        Finding f;
        f.severity = severity;
        f.loc = q.conflict_location.line ? q.conflict_location : q.loc;
        f.message = "ON CONFLICT (" + column_list(q.conflict_columns) + ") on " + display_name(t->name) +
                    " matches only the partial unique index " + idx.name + " (WHERE " + idx.predicate_sql +
                    "), which PostgreSQL infers only when the conflict target repeats that predicate: without it the "
                    "statement fails (\"there is no unique or exclusion constraint matching the ON CONFLICT specification\"); "
                    "add WHERE " + idx.predicate_sql + " to the conflict target";
        f.tables = {t->name};
        out.push_back(std::move(f));
        return;
    }
    out.push_back(unique_finding(*t, q.conflict_columns, severity, q.conflict_location.line ? q.conflict_location : q.loc,
                                 "ON CONFLICT (" + column_list(q.conflict_columns) + ") on " + display_name(t->name) +
                                     " has no unique index or constraint on exactly these columns: PostgreSQL raises \"there "
                                     "is no unique or exclusion constraint matching the ON CONFLICT specification\" at "
                                     "runtime; add one"));
}

// findFirst by equality only, with no orderBy: the code expects one row for those columns. Without
// a unique key, which row comes back is arbitrary. (With orderBy it deliberately picks one.)
void check_find_first(const RuleContext& ctx, const Query& q, std::vector<Finding>& out) {
    if (!q.expects_single_row || !q.order_by.empty() || q.one_off()) return;
    const std::string call = q.api.substr(q.api.rfind('.') + 1);  // the code's name for the lookup
    const Relation* r = q.first_table();
    const Table* t = r ? ctx.schema.find_table(r->table) : nullptr;
    if (!t) return;
    const auto conj = conjuncts_on(q, static_cast<int>(r - q.relations.data()), t);
    std::vector<std::string> cols;
    for (const auto& p : conj) {
        if (p.op != PredicateOp::Equal) return;  // a range or pattern: not a lookup by key
        if (std::find(cols.begin(), cols.end(), p.column) == cols.end()) cols.push_back(p.column);
    }
    if (cols.empty() || pins_one_row(*t, std::set<std::string>(cols.begin(), cols.end()), conj)) return;
    out.push_back(unique_finding(*t, cols, Severity::P3, conj.front().loc,
                                 call + " on " + display_name(t->name) + " by (" + column_list(cols) +
                                     ") treats these columns as unique, but nothing enforces it: add a unique "
                                     "constraint (after removing duplicates), or add orderBy to pick a row deliberately"));
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& q : ctx.inventory.queries) {
        check_upsert(ctx, q, out);
        check_find_first(ctx, q, out);
    }
}

}  // namespace

extern const Rule kMissingUniqueConstraint = {
    "missing-unique-constraint",
    "MissingUniqueConstraint",
    Severity::P1,
    RuleCategory::DataModel,
    "The code treats columns as unique (upsert targets, findFirst lookups) but nothing enforces it",
    R"(## What it does
Flags `INSERT ... ON CONFLICT (cols)` (in SQL, raw SQL strings, or Drizzle's
`onConflictDoUpdate({ target })` / `onConflictDoNothing({ target })`) where the table has no primary
key, unique constraint or non-partial unique index on exactly those columns (P1: PostgreSQL rejects
the statement). Also, as a P3 note, Drizzle `findFirst` lookups by equality only and without
`orderBy` on columns no unique key covers: the code expects one row, the database may hold several.

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
