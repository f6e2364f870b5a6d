#pragma once
// Shared by n-plus-one and write-in-loop: the queries a loop iteration issues, directly or
// through calls, described with their call chain.
#include <functional>

#include "rules/rule.h"

namespace querylens::rules {

struct LoopQuery {
    Location at;   // the query or the call inside the loop
    const Loop* loop = nullptr;
    const Query* query = nullptr;  // the query finally issued
    std::string chain;             // "getFollowerStats → db.select in leader.service.ts:42"
    std::vector<RelatedLocation> related;
    bool invariant = false;        // its arguments name nothing the loop binds: hoist it, do not batch it
    bool workflow = false;         // a function on the chain also awaits non-database I/O
};

// Every query of the given kind (reads or writes) issued once per iteration of a loop, once per
// (loop, query) however many call chains reach it, skipping loops over short literal arrays,
// chunked loops (they are the batching), one-off code, and lock or session-setting statements
// (pg_advisory_*lock, set_config: not reads or writes to batch). `keep` filters on the loop.
std::vector<LoopQuery> queries_in_loops(const QueryInventory& inv, bool writes, const std::function<bool(const Loop&)>& keep);

// A finding at the call or query in the loop: "<chain> <verb> once per iteration of the <kind>
// loop (line N): <advice>", with the loop and each step of the chain as related locations.
// Loops that also await non-database I/O per element are per-item workflows: the query is one
// step among others, reported at P3. Loop-invariant queries get "hoist it" advice instead.
// How many elements the loop walks decides the severity: `severity` when it iterates the rows of
// a SELECT that scans a growing table (no key parameter pins it to one parent), one level lower
// for a LIMITed batch of it, and P3 when the table has no evidence of growth, when the loop
// iterates the children of one parent, or elements whose origin the code does not show.
Finding loop_finding(const RuleContext& ctx, LoopQuery&& lq, Severity severity, const std::string& verb,
                     const std::string& advice);

}  // namespace querylens::rules
