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

namespace {

// The column a per-element query looks rows up by: an equality against a parameter.
const Predicate* lookup_key(const Query& q) {
    for (const auto& p : q.predicates)
        if (p.relation >= 0 && !p.column.empty() && !p.in_disjunction && p.op == PredicateOp::Equal &&
            p.other == OperandKind::Parameter)
            return &p;
    return nullptr;
}

// A before/after sketch in the code's own terms: the table and key column of the query in the loop.
std::string batch_sketch(const Query& q) {
    const Predicate* key = lookup_key(q);
    const Relation* target = nullptr;
    for (const auto& r : q.relations)
        if (r.kind == RelationKind::Table && r.block == 0) {
            target = &r;
            break;
        }
    if (!target) return {};
    // In the code's own names where the lowering recorded them.
    auto code = [&](const std::string& key, const std::string& fallback) {
        auto it = q.code_names.find(key);
        return it == q.code_names.end() ? fallback : it->second;
    };
    const std::string table = code(target->table, unqualified(target->table));
    const bool drizzle = q.origin == QueryOrigin::Drizzle || q.origin == QueryOrigin::DrizzleRelational;
    if (q.kind == StatementKind::Insert)
        return drizzle ? "await db.insert(" + table + ").values(rows); // every row in one statement"
                       : "-- one statement for every row: INSERT INTO " + table + " (...) SELECT * FROM unnest($1::..., $2::...)";
    if (!key) return {};
    const std::string& rel = q.relations[key->relation].table;
    if (rel != target->table && q.kind != StatementKind::Select) return {};
    const std::string t = code(rel, unqualified(rel));
    const std::string member = code(rel + "." + key->column, t + "." + key->column);  // orders.userId
    const std::string col = member.substr(member.rfind('.') + 1);
    if (q.kind == StatementKind::Select)
        return drizzle ? "// before the loop: one query for every key, then a lookup per element\n"
                         "const rows = await db.select().from(" + t + ").where(inArray(" + member + ", keys));\n"
                         "const byKey = new Map(rows.map((row) => [row." + col + ", row]));\n"
                         "// in the loop: const row = byKey.get(key);"
                       : "-- before the loop: one query for every key, then a lookup per element in a Map\n"
                         "SELECT ... FROM " + t + " WHERE " + col + " = ANY($1);  -- $1: the array of keys";
    const std::string verb = q.kind == StatementKind::Update ? "update" : "delete";
    return drizzle ? "await db." + verb + "(" + t + ")" + (verb == "update" ? ".set({ ... })" : "") + ".where(inArray(" + member +
                         ", keys)); // one statement for every key"
                   : std::string(verb == "update" ? "UPDATE " + t + " SET ..." : "DELETE FROM " + t) + " WHERE " + col +
                         " = ANY($1);  -- $1: the array of keys";
}

}  // namespace

Finding loop_finding(LoopQuery&& lq, Severity severity, const std::string& verb, const std::string& advice) {
    Finding f;
    f.severity = severity;
    f.loc = lq.at;
    f.message = lq.chain + " " + verb + " once per iteration of the " + lq.loop->kind + " loop (line " +
                std::to_string(lq.loop->loc.line) + "): " + advice;
    for (const auto& r : lq.query->relations)
        if (r.kind == RelationKind::Table) f.tables.push_back(r.table);
    f.fix = batch_sketch(*lq.query);
    f.related = std::move(lq.related);
    f.related.insert(f.related.begin(), {lq.loop->loc, "the loop"});
    return f;
}

}  // namespace querylens::rules
