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
};

// Every query of the given kind (reads or writes) issued once per iteration of a loop, skipping
// loops over short literal arrays. `keep` filters on the loop (e.g. search loops).
std::vector<LoopQuery> queries_in_loops(const QueryInventory& inv, bool writes, const std::function<bool(const Loop&)>& keep);

}  // namespace querylens::rules
