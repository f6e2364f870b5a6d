// duplicate-index: an index identical to another index or to a PK / unique constraint.
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_overlapping_index(
        ctx.schema,
        [](const Index& idx, const Index& other) {
            if (!duplicate_index(idx, other)) return false;
            // Of two plain duplicates, report the later one; a constraint always wins.
            if (other.origin == IndexOrigin::Index && &other > &idx) return false;
            return !(idx.unique && !other.unique);
        },
        [&](const Table& t, const Index& idx, const Index& other) { out.push_back(index_overlap_finding(t, idx, other, true, ctx.project.declared)); });
}

}  // namespace

extern const Rule kDuplicateIndex = {
    "duplicate-index",
    "DuplicateIndex",
    Severity::P2,
    RuleCategory::Index,
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
    check,
    AppendixPhase::IndexCleanup
};

}  // namespace querylens::rules
