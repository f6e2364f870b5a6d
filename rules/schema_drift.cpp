// schema-drift: the schema the code declares and the SQL migrations disagree on something rules rely on.
#include "core/schema_diff.h"
#include <set>

#include "rules/rule.h"

namespace querylens::rules {

namespace {

// Whether a btree index of the migrated table leads with the key's columns (in any order): lookups
// by them are served even though nothing makes them unique.
bool migrated_leads(const Table* t, const Index& key) {
    if (!t) return false;
    std::set<std::string> want;
    for (const auto& k : key.keys) want.insert(k.column);
    for (const auto& idx : t->indexes) {
        if (idx.partial() || idx.method != "btree" || idx.keys.size() < want.size()) continue;
        std::set<std::string> lead;
        for (size_t i = 0; i < want.size(); ++i) lead.insert(idx.keys[i].column);
        if (lead == want) return true;
    }
    return false;
}

void check_declarations(const RuleContext& ctx, std::vector<Finding>& out);

std::string show(FkAction a) { return a == FkAction::None ? std::string("none") : std::string(to_sql(a)); }

// The fix: `drizzle-kit generate` writes the missing migration, unless drizzle-kit's newest
// snapshot already lists what is missing (it compares the schema with the snapshot, not with the
// migrations): then it writes nothing, and the migration is written by hand.
std::string fix_text(const Project& p, const std::string& name, const std::string& on_delete = "") {
    for (const auto& snap : p.drizzle_snapshots) {
        const bool listed = on_delete.empty() ? snap.names.count(name) > 0 : [&] {
            const auto fk = snap.fk_on_delete.find(name);
            if (fk == snap.fk_on_delete.end()) return false;
            std::string want;
            for (char c : on_delete) want += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return fk->second == want;
        }();
        if (listed)
            return ": drizzle-kit's snapshot (" + snap.path + ") already lists it, so `drizzle-kit generate` writes nothing: write the migration by hand";
    }
    return ": generate a migration";
}

// Both define a table: the migrations are what the database has; report what the declaration
// adds that rules would otherwise rely on.
void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const size_t first = out.size();
    check_declarations(ctx, out);
    // No drizzle-kit config: the Drizzle schema only types the queries, and the migrations come
    // from another tool (Supabase, Prisma, hand-written SQL). The declaration is what is wrong,
    // and generating a migration from it would change the database to match a typo. A note.
    if (ctx.project.drizzle_kit_config) return;
    const std::string generate = "generate a migration";
    for (size_t i = first; i < out.size(); ++i) {
        Finding& f = out[i];
        f.severity = Severity::P3;
        if (const size_t at = f.message.find(generate); at != std::string::npos)
            f.message.replace(at, generate.size(),
                              "correct the declaration to match the migrations, or add it in a migration if the database should have it "
                              "(a note: no drizzle-kit config, so the Drizzle schema only types the queries)");
    }
}

void check_declarations(const RuleContext& ctx, std::vector<Finding>& out) {
    const std::string& declared = ctx.project.declared.source;
    const auto deletes = runtime_deletes(ctx);
    for (const auto& d : schema_diff(ctx.project.migrated, ctx.project.declared)) {
        using Kind = SchemaDifference::Kind;
        if (d.kind == Kind::IndexOnlyRight) {
            // A plain index whose columns lead an index the migrations create (often the primary
            // key: (publication) under PRIMARY KEY (publication, document)) serves no lookup that
            // one does not: the drift is real, the database does not miss it. A note.
            const Index& i = *d.right_index;
            const Index* serving = nullptr;
            if (d.left_table && !i.unique && !i.partial() && i.method == "btree" && !i.keys.empty())
                for (const auto& m : d.left_table->indexes) {
                    // (A partial index that only leaves out NULL keys, `... (steward_agent_id) WHERE
                    // steward_agent_id IS NOT NULL`, serves every lookup by the key too.)
                    const bool not_null_only = m.partial() && m.predicate_understood && m.predicate.size() == 1 && !m.keys.empty() &&
                                               m.predicate[0].op == PredicateOp::IsNotNull && m.predicate[0].column == m.keys[0].column;
                    if ((m.partial() && !not_null_only) || m.method != "btree" || m.keys.size() < i.keys.size()) continue;
                    bool leads = true;
                    for (size_t k = 0; k < i.keys.size() && leads; ++k) leads = !i.keys[k].column.empty() && m.keys[k].column == i.keys[k].column;
                    if (leads) {
                        serving = &m;
                        break;
                    }
                }
            out.push_back(finding(serving ? Severity::P3 : Severity::P2, i.loc,
                                  "index " + i.name + " on " + display_name(d.table) + " is declared in " + declared +
                                      " but no migration creates it" + fix_text(ctx.project, i.name) +
                                      (serving ? " (a note: the migrations' " +
                                                     (serving->origin == IndexOrigin::PrimaryKey ? std::string("primary key") : serving->name) +
                                                     " (" + index_keys_text(*serving) + ") already leads with its columns and serves the same lookups)"
                                               : std::string())));
        } else if (d.kind == Kind::KeyOnlyRight) {
            const Index& k = *d.right_index;
            std::string cols;
            for (const auto& key : k.keys) cols += (cols.empty() ? "" : ", ") + (key.column.empty() ? key.expression : key.column);
            const Index* migrated_pk = d.left_table ? d.left_table->primary_key() : nullptr;
            std::string has;
            if (k.origin == IndexOrigin::PrimaryKey) {
                has = migrated_pk ? "their primary key is (" + index_keys_text(*migrated_pk) + ")" : "the table has no primary key";
            } else {
                has = "nothing there makes (" + cols + ") unique";
            }
            // A partitioned table's keys must include the partition key: the migrations' key is the
            // declared one plus those columns, as close as PostgreSQL allows (a generated migration
            // would fail). A note.
            if (const Table* lt = d.left_table; lt && !lt->partition_key.empty() && migrated_pk) {
                std::set<std::string> want;
                for (const auto& key : k.keys) want.insert(key.column);
                for (const auto& c : lt->partition_key) want.insert(c);
                std::set<std::string> have;
                for (const auto& key : migrated_pk->keys) have.insert(key.column);
                if (want == have) {
                    std::string part;
                    for (const auto& c : lt->partition_key) part += (part.empty() ? "" : ", ") + c;
                    out.push_back(finding(Severity::P3, k.loc,
                                          std::string(k.origin == IndexOrigin::PrimaryKey ? "primary key" : "unique constraint") + " (" + cols +
                                              ") on " + display_name(d.table) + " is declared in " + declared + " but the migrations partition the table by (" +
                                              part + ") and key it on (" + index_keys_text(*migrated_pk) +
                                              "): PostgreSQL requires a partitioned table's keys to include the partition key, so that is as close as "
                                              "it allows (a note: uniqueness of (" + cols + ") alone is not enforced)"));
                    continue;
                }
            }
            out.push_back(finding(Severity::P2, k.loc,
                                  std::string(k.origin == IndexOrigin::PrimaryKey ? "primary key" : "unique constraint") + " (" +
                                      cols + ") on " + display_name(d.table) + " is declared in " + declared +
                                      " but not in the migrations (" + has + "): " +
                                      (migrated_leads(d.left_table, k) ? "lookups are served, but duplicates of (" + cols + ") are accepted"
                                                                        : "lookups by (" + cols + ") scan the table and duplicates are accepted") +
                                      "; generate a migration"));
        } else if (d.kind == Kind::ForeignKeyAction) {
            // The action only acts when a referenced row is deleted: a bug where the code deletes them,
            // a note until it does.
            const auto del = deletes.find(d.right_fk->ref_table);
            const std::string when = del != deletes.end()
                                         ? ": the code deletes " + display_name(d.right_fk->ref_table) + " rows (" +
                                               del->second.where() + "), and in a database built from the migrations they do not " +
                                               (d.right_fk->on_delete == FkAction::Cascade ? "cascade" : "act as declared")
                                         : "";
            out.push_back(finding(del != deletes.end() ? Severity::P2 : Severity::P3, d.right_fk->loc,
                                  "ON DELETE of " + display_name(d.table) + "(" + d.right_fk->columns.front() + ") is " +
                                      show(d.right_fk->on_delete) + " in " + declared + " but " +
                                      show(d.left_fk->on_delete) + " in the migrations (" + file_line(d.left_fk->loc) + ")" + when +
                                      fix_text(ctx.project, d.right_fk->name, show(d.right_fk->on_delete))));
        }
    }
}

}  // namespace

extern const Rule kSchemaDrift = {
    "schema-drift",
    "SchemaDrift",
    Severity::P2,
    RuleCategory::DataModel,
    "The Drizzle schema declares an index, key or FK action that the SQL migrations do not",
    R"(## What it does
When a project has both SQL migrations and a Drizzle schema (`pgTable` declarations), both feed
one schema model. For tables the migrations define, the migrations win (they are what the
database has); this rule reports where the Drizzle declaration disagrees: an index no migration
creates, a primary key or unique constraint whose columns nothing in the migrations makes unique
(the lookups the code writes by that key scan the table, and duplicates get in), or a foreign key
whose `onDelete` differs. When nothing shows drizzle-kit in use (no drizzle.config.*, no migration
journal, no `drizzle/` output folder: the migrations come from Supabase, Prisma or hand-written
SQL), the Drizzle schema only types the queries: each difference is a note whose fix is to correct
the declaration, since generating a migration from it would change the database to match a typo. A differing `onDelete` is P2 when runtime code
deletes rows of the referenced table (directly or through a cascade; the message names the place)
and a P3 note otherwise: the action only acts on deletes. A primary key the migrations widen by a
partitioned table's partition key (PostgreSQL requires it) is a P3 note.

## Why is this bad?
The code's authors believe an index or a cascade exists that the database does not have: queries
planned around the index scan the table, and deletes that should cascade fail.

## Example
```ts
export const orders = pgTable('orders', { ... }, (t) => [index('orders_user_idx').on(t.userId)]);
// ...but no migration contains CREATE INDEX orders_user_idx
```

## Use instead
Generate and commit the migration (`drizzle-kit generate`), or remove the declaration.
)",
    check,
};

}  // namespace querylens::rules
