// n-plus-one: a read query runs once per loop iteration, directly or through called functions.
#include "rules/loop_queries.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    // A statement loop with break/return is a search that stops at the first hit: not a scan.
    for (auto& lq : queries_in_loops(ctx.inventory, false, [](const Loop& l) { return !l.exits_early; }))
        out.push_back(loop_finding(ctx, std::move(lq), Severity::P1, "runs",
                                   "load all rows in one query before the loop (one query for every key, or a join) and look "
                                   "them up in a Map"));
}

}  // namespace

extern const Rule kNPlusOne = {
    "n-plus-one",
    "NPlusOneQuery",
    Severity::P1,
    RuleCategory::QueryPattern,
    "A read query runs once per loop iteration (directly or through called functions)",
    R"(## What it does
Finds read queries issued inside a loop: `for`, `for...of`, `for await`, `while`, `do...while`, and
callbacks of `forEach`/`map`/`flatMap`/`filter`/`reduce`/`some`/`every` (including
`await Promise.all(xs.map(async (x) => ...))`). The query may be in the loop itself or in a
function it calls, in any file: the finding sits on the call inside the loop and names the chain
(`getFollowerStats → db.select in leader.service.ts:42`), with each step as a related location.

Not reported: loops over a short literal array (`for (const s of ['a', 'b'])`), statement loops
that `break` or `return` (a search that stops at the first hit), queries after the loop, and
Drizzle relational queries with `with: {...}` (one statement, not one per row).

## Why is this bad?
One round trip per element: 500 followers mean 501 queries. Latency grows linearly with the data,
connection pools saturate under load, and the database parses and plans the same statement again
and again. It is the most common cause of slow endpoints in ORM code.

## Example
```ts
for (const follower of followers) {
  const stats = await getFollowerStats(follower.id); // db.select(...) inside
}
```

## Use instead
```ts
const ids = followers.map((f) => f.id);
const rows = await db.select().from(stats).where(inArray(stats.userId, ids));
const byUser = new Map(rows.map((r) => [r.userId, r]));
```
)",
    check,
};

}  // namespace querylens::rules
