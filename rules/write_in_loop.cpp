// write-in-loop: an INSERT/UPDATE/DELETE per loop iteration where one batch statement would do.
#include "rules/loop_queries.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (auto& lq : queries_in_loops(ctx.inventory, true, [](const Loop&) { return true; })) {
        const Query& q = *lq.query;
        const bool insert = q.kind == StatementKind::Insert;
        bool per_row = false;  // an UPDATE writing values that are not literals: each row its own
        for (const auto& w : q.writes) per_row = per_row || (!w.constant && !w.column.empty());
        const char* advice = insert ? (q.on_conflict ? "upsert every row in one statement, keeping its ON CONFLICT clause"
                                                     : "insert every row in one statement")
                             : q.kind == StatementKind::Update && per_row
                                 ? "update every row in one statement, each with its own values (UPDATE ... FROM (VALUES ...))"
                                 : "update or delete every row in one statement keyed by the list of ids";
        out.push_back(loop_finding(ctx, std::move(lq), Severity::P2, "writes", advice));
    }
}

}  // namespace

extern const Rule kWriteInLoop = {
    "write-in-loop",
    "WriteInLoop",
    Severity::P2,
    RuleCategory::QueryPattern,
    "An INSERT, UPDATE or DELETE runs once per loop iteration where one batch statement would do",
    R"(## What it does
Finds insert, update and delete queries issued inside a loop, directly or through called
functions in any file (same loop kinds as `n-plus-one`), except loops over a short literal array.

## Why is this bad?
Each statement is a round trip and, outside a transaction, a commit with its WAL flush. Writing
1,000 rows one by one is typically 10-100x slower than one multi-row statement, and holds locks
longer.

## Example
```ts
for (const fill of fills) {
  await db.insert(trades).values(fill);
}
```

## Use instead
```ts
await db.insert(trades).values(fills); // one statement
await db.update(orders).set({ status: 'filled' }).where(inArray(orders.id, ids));
```
)",
    check,
};

}  // namespace querylens::rules
