// fk-missing-action: a foreign key with no ON DELETE clause.
#include <algorithm>
#include <map>
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

std::string column_list(const std::vector<std::string>& cols) {
    std::string out;
    for (const auto& c : cols) out += (out.empty() ? "" : ", ") + quote_ident(c);
    return out;
}

// Where runtime code deletes a referenced row, if it does: the missing action then fails (or
// orphans) in production, not in theory.
using Deletes = std::map<std::string, RuntimeDelete>;

// Referenced table -> the tables whose rows its deletes remove (ON DELETE CASCADE).
using Cascades = std::map<std::string, std::vector<std::string>>;

Cascades cascade_children(const SchemaModel& schema) {
    Cascades out;
    for (const auto& [name, child] : schema.tables)
        for (const auto& f : child.foreign_keys)
            if (f.on_delete == FkAction::Cascade) out[f.ref_table].push_back(name);
    return out;
}

// Whether deleting rows of `root` deletes rows of `table` through ON DELETE CASCADE chains.
bool cascades_to(const Cascades& cascades, const std::string& root, const std::string& table) {
    std::set<std::string> seen{root};
    std::vector<std::string> pending{root};
    while (!pending.empty()) {
        const std::string t = pending.back();
        pending.pop_back();
        const auto c = cascades.find(t);
        if (c == cascades.end()) continue;
        for (const auto& name : c->second) {
            if (name == table) return true;
            if (seen.insert(name).second) pending.push_back(name);
        }
    }
    return false;
}

// The code's own deletes of each table (not through cascades), in inventory order.
using DirectDeletes = std::map<std::string, std::vector<const Query*>>;

DirectDeletes direct_deletes(const QueryInventory& inventory) {
    DirectDeletes out;
    for (const auto& q : inventory.queries)
        if (const Relation* t = runtime_delete_target(q)) out[t->table].push_back(&q);
    return out;
}

// A query of the same function, before `del`, that moves the children to another parent (an UPDATE
// of `child` writing every column of the key: a merge re-pointing rows) or deletes them first: that
// delete of the parent does not trip over this foreign key.
const Query* children_handled(const QueryInventory& inventory, const Query& del, const std::string& child, const ForeignKey& fk) {
    if (del.function < 0 || del.function >= static_cast<int>(inventory.functions.size())) return nullptr;
    const auto del_index = &del - inventory.queries.data();
    int first = -1;  // the earliest such query of the function (queries of one function only, not the inventory)
    for (int i : inventory.functions[del.function].queries) {
        if (i >= del_index || (first >= 0 && i >= first)) continue;
        const Query& q = inventory.queries[i];
        if (!q.first_table() || q.first_table()->table != child) continue;
        const bool moves = q.kind == StatementKind::Update && std::all_of(fk.columns.begin(), fk.columns.end(), [&](const std::string& c) {
            return std::any_of(q.writes.begin(), q.writes.end(), [&](const ColumnWrite& w) { return w.column == c; });
        });
        if (q.kind == StatementKind::Delete || moves) first = i;
    }
    return first >= 0 ? &inventory.queries[first] : nullptr;
}

Finding missing_action(const Cascades& cascades, const Table& table, const ForeignKey& fk, const Location& at, const Deletes& deletes,
                       const DirectDeletes& direct, const QueryInventory& inventory) {
    // Nullable referencing columns usually mean "optional link": SET NULL keeps the row. In a
    // composite key with NOT NULL columns only the nullable ones can be cleared: PostgreSQL 15's
    // `SET NULL (cols)` (a plain SET NULL would violate NOT NULL).
    std::vector<std::string> nullable;
    for (const auto& c : fk.columns)
        if (const Column* col = table.column(c); col && !col->not_null) nullable.push_back(c);
    const std::string action = nullable.empty() ? "RESTRICT"
                               : nullable.size() == fk.columns.size() ? "SET NULL"
                                                                      : "SET NULL (" + column_list(nullable) + ")";
    const std::string refs = fk.ref_columns.empty() ? "" : " (" + column_list(fk.ref_columns) + ")";
    // Where the code deletes a referenced row and trips over this key ("" when nowhere).
    std::string fails_at;
    std::string why;
    const auto del = deletes.find(fk.ref_table);
    if (del != deletes.end() && del->second.via.empty()) {
        // Direct deletes of the parent: the first that does not move or delete these children
        // first (in the same function) fails; a merge that re-points them does not.
        const Query* handled_delete = nullptr;
        const Query* handled_by = nullptr;
        for (const Query* q : direct.at(fk.ref_table)) {
            if (const Query* h = children_handled(inventory, *q, table.name, fk)) {
                if (!handled_delete) handled_delete = q, handled_by = h;
            } else {
                fails_at = file_line(q->loc);
                break;
            }
        }
        if (fails_at.empty())
            why = "the code deletes " + display_name(fk.ref_table) + " rows (" + file_line(handled_delete->loc) +
                  ") only after it moves or deletes these " + display_name(table.name) + " rows (" + file_line(handled_by->loc) +
                  "), so that delete does not fail, but a delete of a referenced row elsewhere would";
    } else if (del != deletes.end()) {
        // The parent's rows go only by cascade from a table (teams) whose delete also cascades to
        // this child (teams -> agents -> agent_activities): the children are gone by the end of the
        // same statement, when NO ACTION is checked, so that delete does not fail.
        if (fk.on_delete != FkAction::Restrict && cascades_to(cascades, del->second.via, table.name))
            why = "the code deletes " + display_name(fk.ref_table) + " rows only through ON DELETE CASCADE from " +
                  display_name(del->second.via) + ", which removes these " + display_name(table.name) +
                  " rows in the same statement (so those deletes do not fail), but a delete of " +
                  display_name(fk.ref_table) + " rows alone would";
        else
            fails_at = del->second.where();
    }
    if (!fails_at.empty())
        why = "the code deletes " + display_name(fk.ref_table) + " rows (" + fails_at +
              "), and a delete of one that still has " + display_name(table.name) + " rows fails at runtime";
    else if (why.empty())
        why = "nothing in the code deletes " + display_name(fk.ref_table) + " rows yet, but the first delete of a referenced row will fail";
    // Whether the failing delete ever meets a child is a question of data: on real projects a
    // specialist kept 4 of 11 such P2 findings (the deletes were of rows that never have children:
    // expired anonymous users, unused parents). A note, with the place named.
    return finding(Severity::P3, at,
                   "foreign key " + fk.name + " (" + display_name(table.name) + "." + column_list(fk.columns) + " -> " +
                       display_name(fk.ref_table) + ") has no ON DELETE action: " + why +
                       "; state the intent with ON DELETE CASCADE, SET NULL or RESTRICT")
        .tables({table.name, fk.ref_table})
        .fix(FixLanguage::Sql, "ALTER TABLE " + table_sql(table.name) + " DROP CONSTRAINT " + quote_ident(fk.name) +
                                   ", ADD CONSTRAINT " + quote_ident(fk.name) + " FOREIGN KEY (" + column_list(fk.columns) +
                                   ") REFERENCES " + table_sql(fk.ref_table) + refs + " ON DELETE " + action +
                                   " NOT VALID;  -- or CASCADE: choose per business rules\n"
                                   "-- then, in its own transaction (checks existing rows without blocking writes):\n"
                                   "ALTER TABLE " + table_sql(table.name) + " VALIDATE CONSTRAINT " + quote_ident(fk.name) + ";");
}

// The declaration in code of the same foreign key (table, columns, referenced table), if any.
const ForeignKey* declared_twin(const SchemaModel& declared, const Table& table, const ForeignKey& fk) {
    const Table* t = declared.find_table(table.name);
    if (!t) return nullptr;
    for (const auto& d : t->foreign_keys)
        if (d.columns == fk.columns && d.ref_table == fk.ref_table) return &d;
    return nullptr;
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const bool explicit_is_action = ctx.flag("explicit-no-action-is-action");
    const Deletes deletes = runtime_deletes(ctx);
    const Cascades cascades = cascade_children(ctx.schema);
    const DirectDeletes direct = direct_deletes(ctx.inventory);
    for (const auto& [name, table] : ctx.schema.tables) {
        for (const auto& fk : table.foreign_keys) {
            if (declared_without(ctx, name, fk.columns)) continue;
            if (fk.on_delete == FkAction::None || (fk.on_delete == FkAction::NoAction && !explicit_is_action)) {
                out.push_back(missing_action(cascades, table, fk, fk.loc, deletes, direct, ctx.inventory));
                continue;
            }
            // A migration generator writes NO ACTION for a declaration that chose nothing
            // (drizzle-kit: `.references()` without onDelete): report the declaration, where the
            // choice belongs, with the migration as related location.
            if (fk.on_delete != FkAction::NoAction) continue;
            const ForeignKey* twin = declared_twin(ctx.project.declared, table, fk);
            if (!twin || twin->on_delete != FkAction::None || twin->loc.file == fk.loc.file) continue;
            Finding f = missing_action(cascades, table, fk, twin->loc, deletes, direct, ctx.inventory);
            f.related.push_back({fk.loc, "the migration writes ON DELETE NO ACTION for it"});
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kFkMissingAction = {
    "fk-missing-action",
    "ForeignKeyMissingAction",
    Severity::P3,
    RuleCategory::DataModel,
    "A foreign key declares no ON DELETE action",
    R"(## What it does
Flags foreign keys written without an `ON DELETE` clause. An explicit `ON DELETE NO ACTION`
is a decision and is not flagged, unless `querylens.toml` sets
`[rules.fk-missing-action] explicit-no-action-is-action = false`. A P3 note: the message says
whether runtime code deletes rows of the referenced table (and names the place), deletes them only
after moving or deleting the children, or only through a cascade. Whether such a delete ever meets
a child is a question of data: on real projects a specialist kept 4 of 11 findings that were P2
for a nullable link whose parent the code deletes (the rows deleted were expired anonymous users
and other parents that never have children), so none is listed by default; `--min-severity p3`
lists them.

## Why is this bad?
Without a clause PostgreSQL uses NO ACTION: deleting a parent row that still has children fails
with a foreign-key violation. Teams then delete children by hand in application code (often in
a loop, one statement per row), or leave orphaned data behind when the constraint is later
dropped "to make deletes work". The schema should say what happens: CASCADE for owned rows,
SET NULL for optional links, RESTRICT where deletion must be prevented.

## Example
```sql
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id)
);
```

## Use instead
```sql
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
```
The suggested fix re-creates the constraint `NOT VALID` (no long lock); run
`ALTER TABLE ... VALIDATE CONSTRAINT ...` afterwards.
)",
    check,
    AppendixPhase::Constraints,
    PlanPlacement::First,
    {{"explicit-no-action-is-action", OptionType::Bool, "true",
      "an explicit ON DELETE NO ACTION counts as a chosen action (false: report it too)"}}
};

}  // namespace querylens::rules
