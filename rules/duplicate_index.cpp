// duplicate-index / redundant-index: an index the table already has, or a prefix of another.
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

bool same_key(const IndexKey& a, const IndexKey& b) {
    return a.column == b.column && a.expression == b.expression && a.desc == b.desc && a.nulls == b.nulls;
}

bool same_keys(const Index& a, const Index& b, size_t n) {
    if (a.keys.size() < n || b.keys.size() < n) return false;
    for (size_t i = 0; i < n; ++i)
        if (!same_key(a.keys[i], b.keys[i])) return false;
    return true;
}

bool duplicate(const Index& a, const Index& b) {
    return a.method == b.method && a.keys.size() == b.keys.size() && same_keys(a, b, a.keys.size()) &&
           a.include == b.include && a.predicate_sql == b.predicate_sql;
}

// `a` is served by `b`: a btree prefix with the same predicate, and `a` enforces nothing.
bool redundant(const Index& a, const Index& b) {
    return !a.unique && a.method == "btree" && b.method == "btree" && a.keys.size() < b.keys.size() &&
           same_keys(a, b, a.keys.size()) && a.predicate_sql == b.predicate_sql && a.include.empty();
}

void report(const Table& table, const Index& idx, const Index& other, bool dup, std::vector<Finding>& out) {
    Finding f;
    f.severity = dup ? Severity::P2 : Severity::P3;
    f.loc = idx.loc;
    f.tables = {table.name};
    const std::string other_what = other.origin == IndexOrigin::PrimaryKey ? "the primary key"
                                   : other.origin == IndexOrigin::UniqueConstraint ? "unique constraint " + other.name
                                                                                   : "index " + other.name;
    f.message = "index " + idx.name + " on " + display_name(table.name) +
                (dup ? " duplicates " + other_what : " is a prefix of " + other_what + ", which serves the same scans") +
                ": every write maintains both; drop it";
    f.fix = "DROP INDEX CONCURRENTLY IF EXISTS " + table_sql(schema_of(table.name) + "." + idx.name) + ";";
    f.related.push_back({other.loc, other_what});
    out.push_back(std::move(f));
}

void check_duplicates(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        const auto& ix = table.indexes;
        for (size_t i = 0; i < ix.size(); ++i) {
            if (ix[i].origin != IndexOrigin::Index) continue;  // constraints enforce something
            for (size_t j = 0; j < ix.size(); ++j) {
                if (i == j || !duplicate(ix[i], ix[j])) continue;
                // Of two plain duplicates, report the later one; a constraint always wins.
                if (ix[j].origin == IndexOrigin::Index && j > i) continue;
                if (ix[i].unique && !ix[j].unique) continue;
                report(table, ix[i], ix[j], true, out);
                break;
            }
        }
    }
}

void check_redundant(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        const auto& ix = table.indexes;
        for (size_t i = 0; i < ix.size(); ++i) {
            if (ix[i].origin != IndexOrigin::Index) continue;
            for (size_t j = 0; j < ix.size(); ++j) {
                if (i == j || !redundant(ix[i], ix[j])) continue;
                report(table, ix[i], ix[j], false, out);
                break;
            }
        }
    }
}

}  // namespace

extern const Rule kDuplicateIndex = {
    "duplicate-index",
    "DuplicateIndex",
    Severity::P2,
    "index",
    "An index identical to another index or to a primary key / unique constraint of the table",
    R"(## What it does
Flags an index whose method, keys (with order), INCLUDE columns and predicate equal those of another
index on the same table, or of the index behind its primary key or a unique constraint. The later
of two plain duplicates is reported; an index that enforces uniqueness is never the one to drop.

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
)",
    check_duplicates,
};

extern const Rule kRedundantIndex = {
    "redundant-index",
    "RedundantIndex",
    Severity::P3,
    "index",
    "A btree index whose keys are a leading prefix of another index with the same predicate",
    R"(## What it does
Flags a non-unique btree index whose key columns are the leading columns (same order and direction)
of another btree index on the same table with the same predicate: the wider index serves every
scan the narrower one does.

## Why is this bad?
The narrower index costs writes, memory and disk for no plan it alone enables. (It can be slightly
smaller and faster to scan; keep it deliberately with a suppression if measurements say so.)

## Example
```sql
CREATE INDEX idx_orders_user ON orders (user_id);
CREATE INDEX idx_orders_user_created ON orders (user_id, created_at DESC);
```

## Use instead
```sql
DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user;
```
)",
    check_redundant,
};

}  // namespace querylens::rules
