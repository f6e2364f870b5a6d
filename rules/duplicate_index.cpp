// duplicate-index: an index identical to another index or to a PK / unique constraint.
#include <algorithm>
#include <map>
#include <set>

#include "core/migration.h"
#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const size_t first = out.size();
    // A unique index or constraint on exactly the primary key: its finding, and what it is.
    std::map<size_t, std::string> unique_pk_twins;
    for_each_overlapping_index(
        ctx.schema,
        [&](const Index& idx, const Index& other) {
            if (!duplicate_index(idx, other)) return false;
            // Of two plain duplicates, drop the one the code's schema does not declare (a name left
            // over from a rename: dropping the declared one makes the ORM recreate it)...
            if (other.origin == IndexOrigin::Index && idx.unique == other.unique) {
                const bool kept = declared_in_code(ctx.project, idx), other_kept = declared_in_code(ctx.project, other);
                if (kept != other_kept) return !kept;
            }
            // ...else report the later one; a constraint always wins.
            if (other.origin == IndexOrigin::Index && &other > &idx) return false;
            return !(idx.unique && !other.unique);
        },
        [&](const Table& t, const Index& idx, const Index& other) {
            if (idx.unique && other.origin == IndexOrigin::PrimaryKey)
                unique_pk_twins.emplace(out.size(), "index " + idx.name + " on " + display_name(t.name));
            out.push_back(index_overlap_finding(t, idx, other, true, ctx.project));
        });
    // A unique constraint on exactly the primary key's columns (`.primaryKey().unique()`), or a
    // second one on another's: it enforces nothing more, and its index is maintained on every write.
    for (const auto& [name, t] : ctx.schema.tables) {
        const auto& ix = t.indexes;
        for (size_t i = 0; i < ix.size(); ++i) {
            if (ix[i].origin != IndexOrigin::UniqueConstraint) continue;
            const Index* twin = nullptr;
            for (size_t j = 0; j < ix.size() && !twin; ++j) {
                if (j == i || !duplicate_index(ix[i], ix[j])) continue;
                if (ix[j].origin == IndexOrigin::PrimaryKey || (ix[j].origin == IndexOrigin::UniqueConstraint && j < i)) twin = &ix[j];
            }
            if (!twin) continue;
            Finding f = index_overlap_finding(t, ix[i], *twin, true, ctx.project);
            // A foreign key that references these columns may depend on this constraint's index
            // (PostgreSQL picks one when the key is created): then the drop fails until it moves.
            std::vector<std::string> cols;
            for (const auto& k : ix[i].keys) cols.push_back(k.column);
            const Index* pk = t.primary_key();
            bool referenced = false;
            for (const auto& [other_name, other] : ctx.schema.tables)
                for (const auto& fk : other.foreign_keys) {
                    if (fk.ref_table != t.name) continue;
                    std::vector<std::string> ref = fk.ref_columns;
                    if (ref.empty() && pk)
                        for (const auto& k : pk->keys) ref.push_back(k.column);
                    referenced = referenced || ref == cols;
                }
            f.message = "unique constraint " + ix[i].name + " on " + display_name(t.name) + " duplicates " +
                        (twin->origin == IndexOrigin::PrimaryKey ? "the primary key" : "unique constraint " + twin->name) +
                        ": it enforces nothing more, and every write maintains both indexes; drop the constraint" +
                        (referenced ? " (foreign keys reference these columns: if one depends on this constraint's index, "
                                      "the drop fails until that foreign key is recreated)"
                                    : "");
            f.fix = "ALTER TABLE " + table_sql(t.name) + " DROP CONSTRAINT IF EXISTS " + quote_ident(ix[i].name) + ";";
            // Declared in the code's schema too (often by a shared column helper): the next
            // generated migration would add it back.
            note_declared_too(f, ctx.project, t, ix[i], [&](const Index& d) {
                return d.origin == IndexOrigin::UniqueConstraint && duplicate_index(d, ix[i]);
            });
            if (twin->origin == IndexOrigin::PrimaryKey)
                unique_pk_twins.emplace(out.size(), "unique constraint " + ix[i].name + " on " + display_name(t.name));
            out.push_back(std::move(f));
        }
    }
    // A table a migration meant to drop (drop-misses-table): drop the table, not its index.
    std::map<std::string, const MigrationOperation*> meant_dropped;
    for (const auto& op : ctx.project.migration_operations)
        if (op.kind == MigrationOpKind::DropMissesTable) meant_dropped.emplace(op.table, &op);
    for (size_t i = first; i < out.size(); ++i) {
        const auto d = out[i].tables.empty() ? meant_dropped.end() : meant_dropped.find(out[i].tables.front());
        if (d == meant_dropped.end()) continue;
        out[i].severity = Severity::P3;
        out[i].message += " (a note: " + file_line(d->second->loc) + " meant to drop the table, and drops nothing: see drop-misses-table)";
    }
    // The primary key repeated on table after table (an ORM's unique on every id: Prisma's `@id
    // @unique`): one habit with one cleanup, reported once, at the first, with the others as
    // related locations and every drop in the fix.
    std::vector<size_t> pk_twins;
    for (size_t i = first; i < out.size(); ++i)
        if (out[i].severity == Severity::P2 && unique_pk_twins.count(i) && !ctx.stand_in_schema(out[i].loc.file)) pk_twins.push_back(i);
    if (pk_twins.size() >= 3) {
        std::sort(pk_twins.begin(), pk_twins.end(), [&](size_t a, size_t b) { return out[a].loc < out[b].loc; });
        Finding merged = out[pk_twins.front()];
        merged.message += "; so do " + std::to_string(pk_twins.size() - 1) +
                          " more on other tables (the primary key repeated by a unique index, table after table: one cleanup, listed in the related locations)";
        for (size_t k = 1; k < pk_twins.size(); ++k) {
            const Finding& o = out[pk_twins[k]];
            merged.related.push_back({o.loc, unique_pk_twins.at(pk_twins[k]) + " duplicates the primary key too"});
            if (!o.fix.empty()) merged.fix += "\n" + o.fix;
            for (const auto& t : o.tables)
                if (std::find(merged.tables.begin(), merged.tables.end(), t) == merged.tables.end()) merged.tables.push_back(t);
        }
        const std::set<size_t> drop(pk_twins.begin() + 1, pk_twins.end());
        out[pk_twins.front()] = std::move(merged);
        size_t w = first;
        for (size_t i = first; i < out.size(); ++i)
            if (!drop.count(i)) {
                if (w != i) out[w] = std::move(out[i]);
                ++w;
            }
        out.resize(w);
    }
}

}  // namespace

extern const Rule kDuplicateIndex = {
    "duplicate-index",
    "DuplicateIndex",
    Severity::P2,
    RuleCategory::Index,
    "An index identical to another index or to a primary key / unique constraint of the table",
    R"(## What it does
Flags an index whose method, keys (with order, operator class and collation), INCLUDE columns and
predicate equal those of another index on the same table, or of the index behind its primary key or
a unique constraint (a `text_pattern_ops` index beside the unique one serves `LIKE 'prefix%'`, so it
is no duplicate). The later
of two plain duplicates is reported; an index that enforces uniqueness is never the one to drop.
Also flags a unique constraint on exactly the primary key's columns (Drizzle's
`.primaryKey().unique()`), or the later of two identical unique constraints: it enforces nothing
more; the fix drops the constraint (and says so when foreign keys reference those columns: one may
depend on its index). A unique index or constraint repeating the primary key on three or more
tables (an ORM's habit: Prisma's `@id @unique`) is one finding, at the first, with the others as
related locations and every drop in its fix: one cleanup, not one finding per table.

## Why is this bad?
Every INSERT and UPDATE maintains both indexes, both take memory and disk, and the planner gains
nothing from the second one.

## Example
```sql
CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);
CREATE INDEX idx_users_email ON users (email);
```

## Use instead
```sql
DROP INDEX CONCURRENTLY IF EXISTS idx_users_email;
```
When the code's schema declares the index too (a Drizzle table, or a Prisma schema's `@@index` or
`@unique`), the finding points at that declaration: remove it there as well, or the next generated
migration creates the index again.
)",
    check,
    AppendixPhase::IndexCleanup
};

}  // namespace querylens::rules
