// duplicate-index: an index identical to another index or to a PK / unique constraint.
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& [name, table] : ctx.schema.tables) {
        const auto& ix = table.indexes;
        for (size_t i = 0; i < ix.size(); ++i) {
            if (ix[i].origin != IndexOrigin::Index) continue;  // constraints enforce something
            for (size_t j = 0; j < ix.size(); ++j) {
                if (i == j || !duplicate_index(ix[i], ix[j])) continue;
                // Of two plain duplicates, report the later one; a constraint always wins.
                if (ix[j].origin == IndexOrigin::Index && j > i) continue;
                if (ix[i].unique && !ix[j].unique) continue;
                out.push_back(index_overlap_finding(table, ix[i], ix[j], true));
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
