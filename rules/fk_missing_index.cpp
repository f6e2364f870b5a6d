// fk-missing-index: foreign-key columns that no index leads with.
#include <algorithm>
#include <map>
#include <set>

#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

// An index serves the FK when its first |columns| keys are exactly the FK columns (any order)
// and it is not partial, or partial only on `fk_col IS NOT NULL` (the checks look up non-null
// keys: `fk_col = $1` implies it).
// `besides`: only indexes this table (the migrated one) has no index of that name for.
bool covered(const Table& t, const ForeignKey& fk, const Table* besides = nullptr) {
    const std::set<std::string> want(fk.columns.begin(), fk.columns.end());
    for (const auto& idx : t.indexes) {
        if (besides && besides->index_named(idx.name)) continue;
        const bool not_null_only = idx.partial() && idx.predicate_understood && !idx.predicate.empty() &&
                                   std::all_of(idx.predicate.begin(), idx.predicate.end(), [&](const Predicate& p) {
                                       return p.op == PredicateOp::IsNotNull && want.count(p.column) > 0;
                                   });
        // A hash index on a one-column key serves the equality lookups a foreign key makes.
        const bool hash_key = idx.method == "hash" && fk.columns.size() == 1 && idx.keys.size() == 1;
        if ((idx.partial() && !not_null_only) || (idx.method != "btree" && !hash_key) || idx.keys.size() < fk.columns.size()) continue;
        std::set<std::string> lead;
        for (size_t i = 0; i < fk.columns.size(); ++i) lead.insert(idx.keys[i].column);
        if (lead == want) return true;
    }
    return false;
}

// A partial index leading with the key's columns (`(workflow_id) WHERE deleted_at IS NULL`): it
// serves the lookups it was made for, not the key's checks and cascades, which read every row.
const Index* partial_lead(const Table& t, const ForeignKey& fk) {
    const std::set<std::string> want(fk.columns.begin(), fk.columns.end());
    for (const auto& idx : t.indexes) {
        if (!idx.partial() || idx.method != "btree" || idx.keys.size() < fk.columns.size()) continue;
        std::set<std::string> lead;
        for (size_t i = 0; i < fk.columns.size(); ++i) lead.insert(idx.keys[i].column);
        if (lead == want) return &idx;
    }
    return nullptr;
}

// Whether rows of `from` belong to `to` through a chain of foreign keys (a connector to its user, a
// user to its workspace), at most `depth` links away.
bool belongs_to(const SchemaModel& schema, const std::string& from, const std::string& to, int depth = 4) {
    std::set<std::string> seen{from};
    std::vector<std::string> level{from};
    for (int d = 0; d < depth && !level.empty(); ++d) {
        std::vector<std::string> next;
        for (const auto& name : level)
            if (const Table* t = schema.find_table(name))
                for (const auto& fk : t->foreign_keys) {
                    if (fk.ref_table == to) return true;
                    if (seen.insert(fk.ref_table).second) next.push_back(fk.ref_table);
                }
        level = std::move(next);
    }
    return false;
}

// The columns of relation `r` every row of the result is equal to a value on (not optional, not
// under OR).
std::set<std::string> firm_equalities(const Query& q, int r) {
    std::set<std::string> out;
    for (const auto& p : q.predicates)
        if (p.relation == r && !p.in_disjunction && !p.column.empty() && (p.op == PredicateOp::Equal || p.op == PredicateOp::In))
            out.insert(p.column);
    return out;
}

// For a predicate under an OR: whether every other branch of the outermost OR tests no column, or
// has a predicate an index can serve for a BitmapOr: one compared with the caller's value (`a = $1 OR
// b = $1`: index each), or on a column an index leads with. `user_id = $1 OR visibility IN
// ('public', 'readonly')` with no index on visibility: the OR is a scan, and an index on a
// low-cardinality flag is no fix.
bool other_branches_servable(const SchemaModel& schema, const Query& q, const Predicate& p) {
    if (p.or_group < 0) return true;
    std::map<int, bool> branches;  // other branch -> has a servable predicate
    for (const auto& o : q.predicates) {
        if (o.or_group != p.or_group || o.or_branch == p.or_branch) continue;
        // A subquery's own filter inside the branch (`id IN (SELECT ... WHERE title = $2)`) is not it.
        if (o.relation >= 0 && p.relation >= 0 && q.relations[o.relation].block != q.relations[p.relation].block) continue;
        bool& ok = branches[o.or_branch];
        if (ok || o.relation < 0 || o.column.empty()) continue;
        if (o.other == OperandKind::Parameter) {
            ok = true;
            continue;
        }
        // `id IN (SELECT ...)` runs as a subplan filter, whatever indexes id: no BitmapOr branch.
        if (o.other != OperandKind::Constant && o.op != PredicateOp::IsNull) continue;
        const Table* t = schema.find_table(q.relations[o.relation].table);
        ok = t && std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& idx) { return idx.leading_column() == o.column; });
    }
    return std::all_of(branches.begin(), branches.end(), [](const auto& b) { return b.second; });
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    // A filter on two foreign keys where one parent belongs to the other (`user_id = $1 AND
    // workspace_id = $2`, users in a workspace): the finer key picks the rows, and an index on it
    // is the lookup's fix; the coarser key's filter is no evidence for its own index.
    std::map<std::pair<std::string, std::string>, bool> belongs;
    auto implied_by_other_key = [&](const Table& t, const std::string& col, const std::set<std::string>& names) {
        const ForeignKey* mine = nullptr;
        for (const auto& fk : t.foreign_keys)
            if (fk.columns.size() == 1 && fk.columns.front() == col) mine = &fk;
        if (!mine) return false;
        for (const auto& fk : t.foreign_keys) {
            if (&fk == mine || fk.columns.size() != 1 || !names.count(fk.columns.front()) || fk.ref_table == mine->ref_table) continue;
            auto [it, fresh] = belongs.emplace(std::make_pair(fk.ref_table, mine->ref_table), false);
            if (fresh) it->second = belongs_to(ctx.schema, fk.ref_table, mine->ref_table);
            if (it->second) return true;
        }
        return false;
    };
    // Columns runtime queries look rows up by: (table, column).
    // The first place each is used, as evidence.
    // A lookup an existing index already serves (`WHERE org_id = $1 AND user_id = $2` with a
    // unique (org_id, user_id)) does not need the foreign key's own index: it does not count.
    std::map<std::pair<std::string, std::string>, Location> filtered, loaded;
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off() || q.unreferenced) continue;  // a query in code nothing calls is no evidence
        for (int r = 0; r < static_cast<int>(q.relations.size()); ++r) {
            if (q.relations[r].kind != RelationKind::Table) continue;
            // Rows an ORM loads with their parent (`with:`) are looked up by the link whatever
            // their number: evidence of the lookup, not of a table worth an index (a note says so).
            if (q.related_load(r)) {
                for (const auto& e : q.join_edges)
                    if (e.left == r || e.right == r) loaded.emplace(std::make_pair(q.relations[r].table, e.left == r ? e.left_column : e.right_column), q.loc);
                continue;
            }
            // The filter is one lookup (its columns together); each join column is a lookup of its
            // own (a join on the primary key does not serve a filter on the foreign key).
            std::map<std::string, Location> cols, or_cols, joined;
            // A column compared under an OR is a lookup of its own (one branch of a BitmapOr), but
            // only when every other branch can be served too (`a = $1 OR b = $1`) or is optional
            // (`$2 IS NULL`); under `user_id = $1 OR visibility <> 'private'` an index on it helps
            // nothing (other_branches_servable).
            for (const auto& p : q.predicates) {
                if (p.relation != r || p.column.empty()) continue;
                if (!p.in_disjunction) cols.emplace(p.column, p.loc.line ? p.loc : q.loc);
                else if (p.or_servable && other_branches_servable(ctx.schema, q, p)) or_cols.emplace(p.column, p.loc.line ? p.loc : q.loc);
            }
            for (const auto& e : q.join_edges) {
                // The parent's side of a related load drives it: that is no lookup of the parent.
                if (e.left == r && !q.related_load(e.right)) joined.emplace(e.left_column, e.loc);
                if (e.right == r && !q.related_load(e.left)) joined.emplace(e.right_column, e.loc);
            }
            if (cols.empty() && or_cols.empty() && joined.empty()) continue;
            const Table* t = ctx.schema.find_table(q.relations[r].table);
            const auto conj = t ? conjuncts_on(q, r, t) : std::vector<Predicate>{};
            auto served = [&](const std::set<std::string>& names) {
                return t && std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& idx) { return index_serves(idx, names, conj); });
            };
            std::set<std::string> names;
            for (const auto& [c, _] : cols) names.insert(c);
            const bool conj_served = !names.empty() && served(names);
            if (!names.empty() && !conj_served) {
                const std::set<std::string> firm = firm_equalities(q, r);
                for (const auto& [c, at] : cols)
                    if (!t || !implied_by_other_key(*t, c, firm)) filtered.emplace(std::make_pair(q.relations[r].table, c), at);
            }
            // Each OR branch is probed by its own index, unless an index already serves the filter
            // the OR sits in.
            if (!conj_served)
                for (const auto& [c, at] : or_cols)
                    if (!cols.count(c) && !served({c})) filtered.emplace(std::make_pair(q.relations[r].table, c), at);
            // A table with a filter of its own drives the join: its join columns are read from the
            // rows it finds, not looked up. Only a table reached through the join alone is probed by
            // its join column.
            // A table joined on its own key (`triggers.id = cron.parent_id`) is reached by that key:
            // its other join columns lead to its parents (`tenant.id = triggers.tenant_id` looks
            // the tenant up), they are not looked up themselves.
            const bool keyed = t && std::any_of(joined.begin(), joined.end(), [&](const auto& j) { return pins_one_row(*t, {j.first}, conj); });
            if (names.empty() && or_cols.empty() && !keyed)
                for (const auto& [c, at] : joined)
                    if (!served({c})) filtered.emplace(std::make_pair(q.relations[r].table, c), at);
        }
    }
    const auto deletes = runtime_deletes(ctx);
    for (const auto& [name, table] : ctx.schema.tables) {
        // The same columns constrained twice (two names for one foreign key) miss one index: one
        // finding, at the first.
        std::set<std::set<std::string>> reported;
        for (const auto& fk : table.foreign_keys) {
            if (fk.columns.empty() || covered(table, fk) || declared_without(ctx, name, fk.columns)) continue;
            if (!reported.insert(std::set<std::string>(fk.columns.begin(), fk.columns.end())).second) continue;
            // An index the code's schema (Drizzle) declares and no migration creates: schema-drift
            // reports it, and its fix (a migration creating that index) is this one's.
            if (const Table* declared = ctx.project.declared.find_table(name); declared && covered(*declared, fk, &table)) continue;
            IndexSuggestion s;
            s.table = table.name;
            s.columns = fk.columns;
            // Worth an index when the code looks children up by the key, or the child table is known
            // to be large (statistics, [tables] large) or a time series: each parent delete scans
            // it. Code that merely inserts children says the table grows, not that it is large:
            // a note (a labelled sample of real projects kept under half of those).
            const auto use = filtered.find({table.name, fk.columns.front()});
            const bool used = use != filtered.end();
            const TableProfile& profile = ctx.project.profile(table.name);
            Finding f;
            const bool large = profile.large();
            // The code deletes parents (directly or through a cascade) and children pile up: said in
            // the message, but not enough for P2 (a labelled sample kept 14 of 25: children of one
            // parent are often few).
            const auto del = deletes.find(fk.ref_table);
            const bool deleted = del != deletes.end() && profile.grows();
            f.severity = used || large ? Severity::P2 : Severity::P3;
            const Index* partial = partial_lead(table, fk);
            // A lookup the code makes that the partial index does not serve still needs the full
            // index (`filtered` holds only lookups no index serves): it stays a P2.
            if (partial && !used) f.severity = Severity::P3;
            f.loc = fk.loc;
            std::string cols;
            for (const auto& c : fk.columns) cols += (cols.empty() ? "" : ", ") + c;
            f.message = "foreign key " + fk.name + " on " + display_name(table.name) + " (" + cols +
                        ") has no index leading with its columns: deletes and updates of " + display_name(fk.ref_table) +
                        " scan " + display_name(table.name) + ", and joins on it cannot use an index; create " + s.name() +
                        (used ? " (the code looks " + display_name(table.name) + " up by " + fk.columns.front() + " at " + file_line(use->second) + ")"
                         : loaded.count({table.name, fk.columns.front()})
                             ? " (the code loads " + display_name(table.name) + " rows with their " + display_name(fk.ref_table) + " at " +
                                   file_line(loaded.at({table.name, fk.columns.front()})) + ")"
                         : deleted ? " (the code deletes " + display_name(fk.ref_table) + " rows at " + del->second.where() + ", and " +
                                         display_name(table.name) + " grows: " + profile.source + ")"
                         : profile.grows() ? " (" + display_name(table.name) + " grows: " + profile.source + ")"
                                           : "");
            if (partial) {
                for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
                         {"has no index leading with its columns", "has no full index leading with its columns"},
                         {", and joins on it cannot use an index", ""}})
                    if (const size_t at = f.message.find(from); at != std::string::npos) f.message.replace(at, from.size(), to);
                if (used)  // the cited lookup does not ask the partial index's condition
                    f.message += " (the partial index " + partial->name + " serves only lookups that also ask " + partial->predicate_sql +
                                 "; the one at " + file_line(use->second) + " does not: add that condition there if it is meant, and the key's checks and cascades on deletes of " +
                                 display_name(fk.ref_table) + " still read every row)";
                else
                    f.message += " (a note: the partial index " + partial->name + " leads with these columns for rows where " +
                                 partial->predicate_sql + ", which serves the lookups it was made for; the key's checks and cascades on deletes of " +
                                 display_name(fk.ref_table) + " read every row)";
            }
            f.fix = s.ddl();
            f.index = s.recommendation();
            f.index->purpose = "foreign key " + fk.name + " (" + cols + ", references " + display_name(fk.ref_table) + "): deletes of " +
                               display_name(fk.ref_table) + ", joins" + (used ? ", lookups by " + fk.columns.front() : std::string());
            f.tables = {table.name, fk.ref_table};
            note_orm_index(f, ctx.project, s);
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kFkMissingIndex = {
    "fk-missing-index",
    "ForeignKeyMissingIndex",
    Severity::P2,
    RuleCategory::Index,
    "Foreign-key columns have no index leading with them",
    R"(## What it does
Flags foreign keys whose columns are not the leading columns of any (non-partial, btree)
index on the referencing table. The primary key and unique constraints count as indexes, and so
does a hash index on a one-column key (the lookups a foreign key makes are equalities).
P2 when runtime code looks the children up by the key (the message names the place), the
child table is known to be large (statistics, `[tables] large`) or a time series; otherwise a P3
note, whose message says what evidence there is (such as runtime code deleting parent rows,
directly or through ON DELETE CASCADE, while the child table grows, or rows the ORM loads with
their parent through `with:`: looked up by the key, but not evidence that they are many). A lookup in a function nothing in the
project mentions is no evidence, nor is a filter on a coarser key beside a finer one whose parent
belongs to it (`workspace_id = $1 AND member_id = $2`, members in a workspace: the member key picks
the rows, and its index is the lookup's fix).
A partial index leading with the key (`(shelf_id) WHERE deleted_at IS NULL`) serves the lookups
it was made for but not the key's checks and cascades, which read every row: a P3 note that names
it, unless runtime code looks rows up by the key without the index's predicate (then a P2).

## Why is this bad?
PostgreSQL indexes the referenced side of a foreign key, never the referencing side. Every
DELETE or key UPDATE on the parent then scans the child table to check for references (and to
cascade), holding locks while it does; joins from parent to children cannot use an index either.

## Example
```sql
CREATE TABLE order_fills (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE
);
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_order_fills_order_id ON order_fills (order_id);
```
When a Prisma schema declares the table, the finding names the model and the `@@index([orderId])`
to add there, and uses Prisma's index name (`order_fills_order_id_idx`): `prisma migrate dev`
drops, as drift, an index that only SQL created.
)",
    check,
};

}  // namespace querylens::rules
