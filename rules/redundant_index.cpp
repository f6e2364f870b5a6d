// redundant-index: a btree index that is a leading prefix of another with the same predicate.
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_overlapping_index(ctx.schema, redundant_index, [&](const Table& t, const Index& idx, const Index& other) {
        out.push_back(index_overlap_finding(t, idx, other, false, ctx.project));
    });
}

}  // namespace

extern const Rule kRedundantIndex = {
    "redundant-index",
    "RedundantIndex",
    Severity::P3,
    RuleCategory::Index,
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
    check,
    AppendixPhase::IndexCleanup
};

}  // namespace querylens::rules
