// select-star: SELECT * / t.* in a query whose rows reach the caller.
#include <algorithm>
#include <cctype>
#include <set>

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

// The column a property the code reads names: `user_id` is read as `user_id` (raw SQL) or as
// `userId` (ORMs that camel-case).
bool property_names(const std::string& column, const std::string& property, const Query& q, const std::string& table) {
    if (column == property) return true;
    if (auto it = q.code_names.find(table + "." + column); it != q.code_names.end()) {
        const std::string& code = it->second;
        if (code.size() > property.size() && code.compare(code.size() - property.size(), property.size(), property) == 0 &&
            code[code.size() - property.size() - 1] == '.')
            return true;
    }
    std::string camel;
    bool up = false;
    for (char c : column) {
        if (c == '_') { up = !camel.empty(); continue; }
        camel += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return camel == property;
}

constexpr double kWideBytes = 256;  // unread bytes per row (pg_stats avg_width) worth a finding

// A column large by its nature, whatever the data: binary, vectors, search documents, bodies.
bool large_by_nature(const Column& c) {
    std::string type = c.type;
    if (const auto paren = type.find('('); paren != std::string::npos) type = type.substr(0, paren);
    for (const char* t : {"bytea", "vector", "halfvec", "sparsevec", "tsvector", "xml"})
        if (type == t) return true;
    if (type != "text") return false;
    for (const char* n : {"content", "body", "html", "markdown", "document", "transcript", "blob", "raw", "payload"})
        if (name_has_word(c.name, n)) return true;
    return false;
}

std::string code_table_name(const Query& q, const std::string& table) {
    if (auto it = q.code_names.find(table); it != q.code_names.end()) return it->second;
    return display_name(table);
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    // The views as the migrations leave them: (name, file of the definition that stands). A body
    // that a later migration replaced or whose view it dropped is history, read by nobody now.
    std::set<std::pair<std::string, std::string>> standing;
    for (const auto& [name, v] : ctx.schema.views) standing.emplace(display_name(name), v.loc.file);
    // The views some runtime query reads: a view nobody reads (in the code querylens sees) costs
    // nothing per row.
    std::set<std::string> read_views;
    for (const auto& q : ctx.inventory.queries)
        if (!q.one_off())
            for (const auto& r : q.relations)
                if (r.kind == RelationKind::Table) read_views.insert(display_name(r.table));
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off()) continue;  // runtime cost only: scripts, seeds, tests and migration data statements run once
        if (!q.returns_rows() || q.star_locations.empty()) continue;
        const bool view = q.origin == QueryOrigin::ViewBody || q.origin == QueryOrigin::MaterializedViewBody;
        if (view && !standing.count({q.context, q.loc.file})) continue;
        // One row (by its key, or LIMIT 1) costs about the same with every column: not worth a finding.
        if (!view && (single_row_query(q, ctx.schema) || (!q.blocks.empty() && q.blocks[0].limit_one))) continue;
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
        // What the caller reads decides. Only some fields, none of them wide: the wide columns are
        // carried for nothing (P2, with the columns it reads). The whole row handed on, or uses
        // querylens cannot see: the caller may need every column (a P3 note).
        const Table* table = tables.size() == 1 ? ctx.schema.find_table(tables[0]->table) : nullptr;
        std::vector<std::pair<std::string, std::string>> used;  // (column, property)
        std::vector<std::string> unused_wide;
        bool fields_known = q.from_code() && q.row_use == RowUse::Fields && table && !table->columns.empty();
        if (fields_known) {
            for (const auto& prop : q.row_fields) {
                const Column* hit = nullptr;
                for (const auto& c : table->columns)
                    if (property_names(c.name, prop, q, table->name)) hit = &c;
                if (!hit) { fields_known = false; break; }  // a property that is not a column: a shape we do not follow
                used.emplace_back(hit->name, prop);
            }
        }
        // How wide the unread columns really are: statistics (pg_stats.avg_width) say; without
        // them only columns large by nature (bytea, vectors, tsvector, document bodies) are sure to
        // be. A jsonb `metadata` column is as often a few bytes as a few kilobytes.
        bool large_unread = false, measured_narrow = false;
        if (fields_known) {
            for (const auto& w : ctx.project.profile(table->name).wide_columns)
                if (std::none_of(used.begin(), used.end(), [&](const auto& u) { return u.first == w; })) unused_wide.push_back(w);
            if (unused_wide.empty()) continue;  // the caller reads the wide columns: every one is needed
            const auto stats = ctx.project.database.tables.find(table->name);
            if (stats != ctx.project.database.tables.end() && !stats->second.columns.empty()) {
                double width = 0;
                for (const auto& w : unused_wide)
                    if (auto cs = stats->second.columns.find(w); cs != stats->second.columns.end()) width += cs->second.avg_width;
                large_unread = width >= kWideBytes;
                measured_narrow = !large_unread;
            } else {
                for (const auto& w : unused_wide)
                    if (const Column* c = table->column(w)) large_unread = large_unread || large_by_nature(*c);
            }
            if (measured_narrow) continue;  // the data says the unread columns are small
        }
        const bool whole = q.from_code() && q.row_use == RowUse::Whole;
        // Carrying wide columns costs per row: labelled on 113 projects, these findings are kept
        // two times in three without size evidence (a few subscriptions of one org, a handful of
        // widget definitions). Statistics, [tables] large or a time series make it a finding.
        const bool sized = std::any_of(tables.begin(), tables.end(), [&](const Relation* r) { return ctx.project.profile(r->table).large(); });
        for (const auto& at : q.star_locations) {
            Finding f;
            f.loc = at;
            const std::string what = view ? "view " + q.context : q.style().all_columns(q);
            for (const auto* r : tables) f.tables.push_back(r->table);
            if (fields_known) {
                std::string read, skipped;
                for (const auto& [c, prop] : used) read += (read.empty() ? "" : ", ") + prop;
                for (const auto& w : unused_wide) skipped += (skipped.empty() ? "" : ", ") + display_name(table->name) + "." + w;
                f.severity = large_unread && sized && q.execution != ExecutionContext::Admin ? Severity::P2 : Severity::P3;
                f.message = "SELECT * in " + what + " over " + names + " carries wide columns the caller never reads (" + skipped +
                            ") for every row; it reads only " + read + ": select those" +
                            (!large_unread ? " (how wide they are is a question for the data: `querylens stats` measures it)"
                             : !sized      ? " (a note: nothing says how many rows " + display_name(table->name) +
                                                 " holds; `querylens stats` or [tables] large in querylens.toml makes it a finding)"
                                           : "");
                f.fix = q.style().select_columns(q, code_table_name(q, table->name), table_sql(table->name), used);
                f.fix_language = q.style().language();
            } else {
                // A view's star is the view's own contract (every reader gets the wide columns);
                // a query file's caller (sqlc's Go, a repository loading .sql) is not code querylens
                // reads: like code whose use of the rows it cannot see, a note.
                const bool unread_view = view && !read_views.count(q.context);
                f.severity = view && !unread_view && sized ? Severity::P2 : Severity::P3;
                // A view's star is expanded when the view is created: columns added to the table
                // later are not in it (a query's star picks them up on every run).
                f.message = "SELECT * in " + what + (names.empty() ? "" : " over " + names) + " carries wide columns (" + wide +
                            (view ? ") for every row every reader of the view gets: list the columns its readers use"
                                  : ") for every row, and every column added later: list the columns the caller uses") +
                            (whole ? " (the rows are handed on whole here: check what their users read)" : "") +
                            (unread_view ? " (a note: no query querylens read uses the view; its readers, if any, are elsewhere)" : "");
                if (table) {
                    // The narrow columns, and the wide ones only where the caller needs them.
                    const auto& wide_cols = ctx.project.profile(table->name).wide_columns;
                    std::string cols, wide_list;
                    for (const auto& c : table->columns) {
                        const bool is_wide = std::find(wide_cols.begin(), wide_cols.end(), c.name) != wide_cols.end();
                        (is_wide ? wide_list : cols) += ((is_wide ? wide_list : cols).empty() ? "" : ", ") + quote_ident(c.name);
                    }
                    f.fix = "SELECT " + (cols.empty() ? wide_list : cols) + " FROM " + table_sql(table->name) + " ...";
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

In TypeScript it follows what the function does with the rows: when it reads only some fields
(`row.email`, `rows.map((r) => r.id)`, `const { id, name } = row`, `for (const r of rows)`) and none
of the wide columns, the finding's fix selects exactly those fields, in the query's own syntax. It
is a P2 when the unread columns are wide for sure: statistics (`querylens stats`: pg_stats
avg_width of at least 256 bytes per row) or a type large by nature (bytea, vectors, tsvector,
document bodies such as `content` or `body`); a jsonb `metadata` column without statistics is a
P3 note, and with statistics that show it narrow, nothing. One row (a key lookup, `LIMIT 1`) and
admin code are not worth a P2. When the rows are handed on whole (returned, passed to a function, spread) or their use is
not visible, the caller may need every column: a P3 note. A query in a `.sql` file (sqlc's
queries, a repository that loads them) is read by code querylens does not see: a P3 note too; a
view's `SELECT *` is a P2 when a query reads the view (every reader gets the wide columns), and a
P3 note when no query querylens reads uses it. When the caller reads the wide columns, nothing is
reported. A P2 also needs a table known to be large: statistics (`querylens stats`), `[tables]
large` in querylens.toml or a time series (a hypertable, append-only inserts); without that
evidence it is a P3 note (a few rows carry their wide columns cheaply).

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
