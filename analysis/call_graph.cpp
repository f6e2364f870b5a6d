// The call-graph fixpoint: which functions reach a read or a write query, and by which calls.
#include "analysis/call_graph.h"

namespace querylens {

namespace {

void fixpoint(QueryInventory& inv, std::vector<Reach>& reach, bool write) {
    reach.assign(inv.functions.size(), Reach{});
    for (size_t f = 0; f < inv.functions.size(); ++f)
        for (int q : inv.functions[f].queries)
            if (inv.queries[q].is_write() == write) {
                reach[f] = {0, q, -1};
                break;
            }
    // Bellman-Ford over call sites in a fixed order: shortest chains, ties to the earliest call.
    // Terminates on recursion because distances only decrease and are bounded below by 0.
    for (size_t round = 0; round <= inv.functions.size(); ++round) {
        bool changed = false;
        for (size_t c = 0; c < inv.calls.size(); ++c) {
            const CallSite& call = inv.calls[c];
            const Reach& callee = reach[call.callee];
            Reach& caller = reach[call.caller];
            if (callee.distance < 0 || call.caller == call.callee) continue;
            if (caller.distance < 0 || caller.distance > callee.distance + 1) {
                caller = {callee.distance + 1, -1, static_cast<int>(c)};
                changed = true;
            }
        }
        if (!changed) break;
    }
}

}  // namespace

void compute_reach(QueryInventory& inv) {
    fixpoint(inv, inv.reads, false);
    fixpoint(inv, inv.writes, true);
}

}  // namespace querylens
