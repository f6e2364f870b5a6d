// select-star: SELECT * / t.* in a query whose rows reach the caller.
#include <algorithm>

#include "core/sql_text.h"
#include "core/fix_style.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

// Tables of the output block that owns a star, for the message and the suggested column list.
std::vector<const Relation*> output_tables(const Query& q) {
    std::vector<const Relation*> out;
    for (const auto& r : q.relations)
        if (r.kind == RelationKind::Table && q.blocks[r.block].output) out.push_back(&r);
    return out;
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off()) continue;  // runtime cost only: scripts, seeds, tests and migration data statements run once
        if (!q.returns_rows() || q.star_locations.empty()) continue;
        const bool view = q.origin == QueryOrigin::ViewBody || q.origin == QueryOrigin::MaterializedViewBody;
        // One row by its key costs the same with every column: not worth a finding.
        if (!view && single_row_query(q, ctx.schema)) continue;
        const auto tables = output_tables(q);
        // What makes every column expensive: wide columns (jsonb, bytea, documents) carried for
        // every row. Without them a star is a style question, not a performance problem.
        std::string names, wide;
        for (const auto* r : tables) {
            names += (names.empty() ? "" : ", ") + display_name(r->table);
            for (const auto& c : ctx.project.profile(r->table).wide_columns)
                wide += (wide.empty() ? "" : ", ") + display_name(r->table) + "." + c;
        }
        if (wide.empty()) continue;
        for (const auto& at : q.star_locations) {
            Finding f;
            f.severity = Severity::P2;
            f.loc = at;
            const std::string what = view ? "view " + q.context : q.style().all_columns(q);
            f.message = "SELECT * in " + what + (names.empty() ? "" : " over " + names) + " carries wide columns (" + wide +
                        ") for every row, and every column added later: list the columns the caller uses";
            for (const auto* r : tables) f.tables.push_back(r->table);
            if (tables.size() == 1) {
                if (const Table* t = ctx.schema.find_table(tables[0]->table); t && !t->columns.empty()) {
                    // The narrow columns, and the wide ones only where the caller needs them.
                    const auto& wide_cols = ctx.project.profile(t->name).wide_columns;
                    std::string cols, wide_list;
                    for (const auto& c : t->columns) {
                        const bool is_wide = std::find(wide_cols.begin(), wide_cols.end(), c.name) != wide_cols.end();
                        (is_wide ? wide_list : cols) += ((is_wide ? wide_list : cols).empty() ? "" : ", ") + quote_ident(c.name);
                    }
                    f.fix = "SELECT " + (cols.empty() ? wide_list : cols) + " FROM " + table_sql(t->name) + " ...";
                    if (!cols.empty()) f.fix += "  -- add " + wide_list + " only where the caller reads them";
                }
            }
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kSelectStar = {
    "select-star",
    "SelectStar",
    Severity::P2,
    RuleCategory::QueryPattern,
    "SELECT * (or t.*) carries a table's wide columns to the caller for every row",
    R"(## What it does
Flags `SELECT *` and `t.*` in queries whose rows are returned to the application (top-level
SELECTs, UNION arms, view bodies, `RETURNING *`) when they read many rows of a table with wide
columns (jsonb, json, bytea, tsvector, vectors, document-like text such as `content` or `body`).
Not flagged: one row by its key (the same cost with every column), tables with no wide column,
`count(*)` and `EXISTS (SELECT * ...)` (they return no columns), and one-off code.

## Why is this bad?
Every column travels over the network and is decoded, including wide JSONB and TEXT columns the
caller never reads. Covering (index-only) scans become impossible, and a column added by a later
migration silently changes what the query returns.

## Example
```sql
SELECT * FROM orders WHERE user_id = $1 LIMIT 50;
```

## Use instead
```sql
SELECT id, symbol, side, status, created_at FROM orders WHERE user_id = $1 LIMIT 50;
```
)",
    check,
};

}  // namespace querylens::rules
