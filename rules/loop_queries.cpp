#include "rules/loop_queries.h"

namespace querylens::rules {

namespace {

std::string where(const Location& l) {
    const size_t slash = l.file.rfind('/');
    return (slash == std::string::npos ? l.file : l.file.substr(slash + 1)) + ":" + std::to_string(l.line);
}

std::string what(const Query& q) { return q.api.empty() ? "a query" : q.api; }

}  // namespace

std::vector<LoopQuery> queries_in_loops(const QueryInventory& inv, bool writes, const std::function<bool(const Loop&)>& keep) {
    std::vector<LoopQuery> out;
    auto usable = [&](int loop) { return loop >= 0 && !inv.loops[loop].bounded && keep(inv.loops[loop]); };
    for (const auto& q : inv.queries) {
        if (!q.from_code() || q.is_write() != writes || !usable(q.loop)) continue;
        out.push_back({q.loc, &inv.loops[q.loop], &q, what(q), {}});
    }
    for (const auto& call : inv.calls) {
        if (!usable(call.loop)) continue;
        int query = -1;
        const auto chain = inv.call_chain(call.callee, writes, query);
        if (query < 0) continue;
        LoopQuery lq{call.loc, &inv.loops[call.loop], &inv.queries[query], "", {}};
        lq.chain = inv.functions[call.callee].name;
        for (int c : chain) {
            const CallSite& step = inv.calls[c];
            lq.chain += " → " + inv.functions[step.callee].name;
            lq.related.push_back({step.loc, "calls " + inv.functions[step.callee].name});
        }
        const Query& q = inv.queries[query];
        lq.chain += " → " + what(q) + " in " + where(q.loc);
        lq.related.push_back({q.loc, "issues " + what(q)});
        out.push_back(std::move(lq));
    }
    return out;
}

Finding loop_finding(LoopQuery&& lq, Severity severity, const std::string& verb, const std::string& advice) {
    Finding f;
    f.severity = severity;
    f.loc = lq.at;
    f.message = lq.chain + " " + verb + " once per iteration of the " + lq.loop->kind + " loop (line " +
                std::to_string(lq.loop->loc.line) + "): " + advice;
    for (const auto& r : lq.query->relations)
        if (r.kind == RelationKind::Table) f.tables.push_back(r.table);
    f.related = std::move(lq.related);
    f.related.insert(f.related.begin(), {lq.loop->loc, "the loop"});
    return f;
}

}  // namespace querylens::rules
