// unpaginated-query: a list query with no LIMIT.
#include <algorithm>
#include <set>

#include "rules/index_advisor.h"
#include "core/fix_style.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off()) continue;  // runtime cost only: scripts, seeds, tests and migration data statements run once
        if (q.origin == QueryOrigin::ViewBody || q.origin == QueryOrigin::MaterializedViewBody ||
            q.kind != StatementKind::Select)
            continue;
        std::vector<std::string> tables;
        bool unbounded = false;
        for (int b = 0; b < static_cast<int>(q.blocks.size()); ++b) {
            const Block& blk = q.blocks[b];
            if (!blk.output || blk.has_limit) continue;
            const bool reads_table = std::any_of(q.relations.begin(), q.relations.end(), [&](const Relation& r) {
                return r.block == b && r.kind == RelationKind::Table;
            });
            if (!reads_table) continue;
            if (blk.has_aggregate && !blk.has_group_by) continue;  // one row
            // One group per key of an IN list (`GROUP BY service_id` with `service_id IN (...)`):
            // as many rows as the caller passed keys.
            if (blk.has_group_by && std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
                    return p.relation >= 0 && q.relations[p.relation].block == b && p.op == PredicateOp::In && !p.in_disjunction;
                }))
                continue;
            if (returns_bounded_rows(q, b, ctx.schema, true)) continue;
            unbounded = true;
            for (const auto& r : q.relations)
                if (r.block == b && r.kind == RelationKind::Table &&
                    std::find(tables.begin(), tables.end(), r.table) == tables.end())
                    tables.push_back(r.table);
        }
        if (!unbounded) continue;
        // Size decides: a list over a table that grows is an outage waiting; over a table with no
        // evidence of growth it is a note.
        // The rows of one parent (`project_id = $1`) are as many as that parent has: they pile up only
        // where each parent's share grows too (a time series, a measured large table).
        // A parent key: a column of a foreign key, or named like one (`project_id`, `projectId`).
        auto parent_key = [&](const Predicate& p) {
            const std::string& c = p.column;
            if (c.size() > 2 && (c.compare(c.size() - 3, 3, "_id") == 0 || c.compare(c.size() - 2, 2, "Id") == 0)) return true;
            if (const Table* t = ctx.schema.find_table(q.relations[p.relation].table))
                for (const auto& fk : t->foreign_keys)
                    if (!fk.columns.empty() && fk.columns.front() == c) return true;
            return false;
        };
        const Predicate* parent = nullptr;
        for (const auto& p : q.predicates)
            if (!parent && !p.in_disjunction && !p.from_join && p.other == OperandKind::Parameter && p.op == PredicateOp::Equal &&
                p.relation >= 0 && !p.column.empty() && q.relations[p.relation].block == 0 && parent_key(p))
                parent = &p;
        // Evidence strong enough to call a whole list an outage: statistics or the user's word that
        // the table is large, or a time series. Code that inserts rows (in a loop, from a job)
        // says the table grows, not that a list over it is long: that stays a note.
        std::string evidence, weak;
        for (const auto& t : tables) {
            const TableProfile& profile = ctx.project.profile(t);
            const bool strong = profile.large();
            if (evidence.empty() && strong && (!parent || profile.grows_per_parent()))
                evidence = display_name(t) + " grows: " + profile.source;
            else if (weak.empty() && profile.grows())
                weak = display_name(t) + " grows (" + profile.source + ")";
        }
        // A key IN list (`embedding.id IN (...)`, joined to its children): as many rows as the caller
        // passed keys, times the fan-out. Bounded by the input: a note at most.
        const bool key_list = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
            if (p.op != PredicateOp::In || p.in_disjunction || p.relation < 0 || p.column.empty()) return false;
            const Table* t = ctx.schema.find_table(q.relations[p.relation].table);
            return t && pins_one_row(*t, {p.column}, {});
        });
        // The filter is built elsewhere (`.where(where)` from the caller): the unseen part may be
        // exactly what bounds the rows.
        const std::string bounded = key_list ? "; as many rows as the key list holds (times what each key joins)"
                                    : q.opaque_conditions ? "; part of the filter is built by the caller, and may be what bounds the rows"
                                                          : "";
        if (!bounded.empty()) evidence.clear();
        // A note, whatever the size evidence: with the tables a specialist would declare large on
        // five real projects (bench/realworld/declared), 5 of 77 labelled lists were kept. Code that
        // lists every row mostly needs every row (a set to filter by, an export, a sum done in
        // TypeScript), keeps it bounded another way (retention, one parent), or groups it; the fix
        // is then not a LIMIT. The evidence stays in the message.
        Finding f;
        f.severity = Severity::P3;
        f.loc = q.loc;
        f.loc.end_line = f.loc.line;  // point at the statement's first line
        f.loc.end_column = 0;
        std::string names;
        for (const auto& t : tables) names += (names.empty() ? "" : ", ") + display_name(t);
        f.message = (q.api.empty() ? std::string("query") : q.api) + " on " + names + " returns every matching row: add " +
                    q.style().limit_clause(q) +
                    " (keyset pagination on an indexed ORDER BY scales best)" +
                    (!evidence.empty() ? "; " + evidence
                     : !bounded.empty() ? bounded
                     : parent          ? "; the rows of one " + parent->column + ", with no evidence that they pile up (querylens.toml [tables] large = [...] raises this)"
                     : !weak.empty()   ? "; " + weak + ", but nothing says this list is long (querylens stats or [tables] large = [...] raises this)"
                                       : "; no evidence the table grows (querylens.toml [tables] large = [...] raises this)");
        f.tables = tables;
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kUnpaginatedQuery = {
    "unpaginated-query",
    "UnpaginatedQuery",
    Severity::P3,
    RuleCategory::QueryPattern,
    "A row-returning query has no LIMIT and is not a single-row lookup",
    R"(## What it does
Flags SELECTs that return rows to the caller without `LIMIT`/`FETCH FIRST`, unless the query
provably returns a bounded number of rows: equality on a primary key or unique key (including
keys reached through many-to-one joins), a key `IN (...)` list, or an aggregate without
`GROUP BY`, or one group per key of an `IN (...)` list. View bodies are not flagged: the query
that reads the view decides its size. Always a P3 note, which says what size evidence there is
(statistics from `querylens stats`, `[tables] large`, a time series, code that inserts rows):
measured on real projects with the tables a specialist would declare large, 5 of 77 labelled
lists were worth a LIMIT. Code that lists every row mostly needs every row (the ids to filter by, an export,
a sum computed in TypeScript: the fix is SQL, not a LIMIT), is bounded another way (retention,
one parent's rows) or returns groups. One-off code is skipped.

## Why is this bad?
A list query's cost grows with the table. What returns 20 rows in development returns two
million in production: memory spikes in the application, long transactions, and response
times that degrade month after month.

## Example
```sql
SELECT id, symbol, status FROM orders WHERE user_id = $1 ORDER BY created_at DESC;
```

## Use instead
```sql
-- keyset pagination: stable and index-friendly
SELECT id, symbol, status FROM orders
WHERE user_id = $1 AND created_at < $2
ORDER BY created_at DESC
LIMIT 50;
```
)",
    check,
};

}  // namespace querylens::rules
