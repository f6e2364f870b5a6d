// The call-graph fixpoint: which functions reach a read or a write query, and by which calls.
#include "analyzer/call_graph.h"

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

std::vector<int> QueryInventory::call_chain(int f, bool write, int& query) const {
    std::vector<int> chain;
    const auto& reach = write ? writes : reads;
    query = -1;
    for (size_t guard = 0; f >= 0 && static_cast<size_t>(f) < reach.size() && guard <= functions.size(); ++guard) {
        const Reach& r = reach[f];
        if (r.distance < 0) break;
        if (r.distance == 0) {
            query = r.query;
            break;
        }
        chain.push_back(r.call);
        f = calls[r.call].callee;
    }
    return chain;
}

}  // namespace querylens
