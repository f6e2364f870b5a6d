#pragma once
// Fills QueryInventory::reads / writes: for every function, the shortest chain of calls to a read
// (SELECT) or write (INSERT/UPDATE/DELETE) query, so rules can tell that a call in a loop issues
// a query several files away.
#include "core/query.h"

namespace querylens {

void compute_reach(QueryInventory& inventory);

}  // namespace querylens
