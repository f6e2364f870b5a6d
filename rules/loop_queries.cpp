#include "rules/loop_queries.h"

#include "core/sql_text.h"

#include "core/fix_style.h"

#include <algorithm>
#include <set>

namespace querylens::rules {

namespace {

std::string where(const Location& l) {
    const size_t slash = l.file.rfind('/');
    return (slash == std::string::npos ? l.file : l.file.substr(slash + 1)) + ":" + std::to_string(l.line);
}

std::string what(const Query& q) { return q.api.empty() ? "a query" : q.api; }

// Locks and session settings are not work to batch: one per iteration is the point.
bool lock_or_setting(const Query& q) {
    std::string sql;
    for (char c : q.sql) sql += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return sql.find("pg_advisory") != std::string::npos || sql.find("pg_try_advisory") != std::string::npos ||
           sql.find("set_config") != std::string::npos || sql.find("pg_notify") != std::string::npos;
}

}  // namespace

std::vector<LoopQuery> queries_in_loops(const QueryInventory& inv, bool writes, const std::function<bool(const Loop&)>& keep) {
    std::vector<LoopQuery> out;
    // One-off code (scripts, seeds, tests) runs its loops once: not a runtime cost.
    auto usable = [&](int loop) {
        return loop >= 0 && !inv.loops[loop].bounded && !inv.loops[loop].chunked &&
               inv.loops[loop].execution == ExecutionContext::Runtime && keep(inv.loops[loop]);
    };
    std::set<std::pair<const Loop*, const Query*>> seen;  // one finding per (loop, query)
    for (const auto& q : inv.queries) {
        if (!q.from_code() || q.is_write() != writes || !usable(q.loop) || q.one_off() || lock_or_setting(q)) continue;
        if (!seen.insert({&inv.loops[q.loop], &q}).second) continue;
        out.push_back({q.loc, &inv.loops[q.loop], &q, what(q), {}, q.loop_invariant});
    }
    for (const auto& call : inv.calls) {
        if (!usable(call.loop)) continue;
        int query = -1;
        const auto chain = inv.call_chain(call.callee, writes, query);
        if (query < 0 || inv.queries[query].one_off() || lock_or_setting(inv.queries[query])) continue;
        if (!seen.insert({&inv.loops[call.loop], &inv.queries[query]}).second) continue;
        LoopQuery lq{call.loc, &inv.loops[call.loop], &inv.queries[query], "", {}, call.loop_invariant};
        lq.chain = inv.functions[call.callee].name;
        lq.workflow = inv.functions[call.callee].awaits_io;
        for (int c : chain) {
            const CallSite& step = inv.calls[c];
            lq.workflow = lq.workflow || inv.functions[step.callee].awaits_io;
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

// The column a per-element query looks rows up by: an equality against a value, preferring the
// one the loop varies (`eq(t.deploymentId, d.id)`) over values fixed for the whole loop.
const Predicate* lookup_key(const Query& q) {
    const Predicate* first = nullptr;
    for (const auto& p : q.predicates)
        if (p.relation >= 0 && !p.column.empty() && !p.in_disjunction && p.op == PredicateOp::Equal &&
            p.other == OperandKind::Parameter) {
            if (p.loop_varying) return &p;
            if (!first) first = &p;
        }
    return first;
}

// A before/after sketch in the code's own terms: the table and key column of the query in the
// loop, and what it does per element (rows, the latest row, an aggregate, per-row writes, upserts).
std::string batch_sketch(const Query& q) {
    const Predicate* key = lookup_key(q);
    const Relation* target = q.first_table();
    if (!target) return {};
    // In the code's own names where the lowering recorded them.
    auto code = [&](const std::string& key, const std::string& fallback) {
        auto it = q.code_names.find(key);
        return it == q.code_names.end() ? fallback : it->second;
    };
    auto property = [](const std::string& member) { return member.substr(member.rfind('.') + 1); };
    Batch b;
    b.kind = q.kind;
    b.api = q.api;
    b.table = code(target->table, unqualified(target->table));
    b.table_sql = quote_ident(unqualified(target->table));
    for (const auto& w : q.writes) {
        if (w.constant || w.column.empty() || w.table != target->table || (q.kind == StatementKind::Insert && !w.upsert) ||
            (key && w.column == key->column))
            continue;
        if (w.parameter || q.kind == StatementKind::Insert) b.per_row.emplace_back(w.column, property(code(w.table + "." + w.column, w.column)));
        else b.expression_writes = true;
    }
    if (q.kind == StatementKind::Insert) {
        b.on_conflict = q.on_conflict;
        b.do_nothing = q.conflict_do_nothing;
        for (const auto& c : q.conflict_columns)
            if (!c.empty()) b.conflict_members.push_back(code(target->table + "." + c, b.table + "." + c));
        return q.style().batch(b);
    }
    if (!key) return {};
    const std::string& rel = q.relations[key->relation].table;
    if (rel != target->table && q.kind != StatementKind::Select) return {};
    const std::string t = code(rel, unqualified(rel));
    b.table = t;
    b.table_sql = quote_ident(unqualified(rel));
    b.member = code(rel + "." + key->column, t + "." + key->column);  // orders.userId
    b.column = property(b.member);
    b.key_sql = quote_ident(key->column);
    for (const auto& p : q.predicates)
        if (&p != key && !p.from_join && p.relation >= 0 && !p.in_disjunction) b.other_conditions = true;
    if (q.kind == StatementKind::Select && !q.blocks.empty()) {
        const Block& top = q.blocks[0];
        if (top.has_aggregate && !top.has_group_by) {
            b.read = Batch::Read::Aggregate;
        } else if (top.has_limit && !q.order_by.empty() && q.order_by[0].relation == key->relation && !q.order_by[0].column.empty()) {
            b.read = Batch::Read::Latest;
            b.order_member = code(rel + "." + q.order_by[0].column, t + "." + q.order_by[0].column);
            b.order_desc = q.order_by[0].desc;
            if (q.style().language() == FixLanguage::Sql) b.order_member = quote_ident(q.order_by[0].column);
        }
    }
    return q.style().batch(b);
}

}  // namespace

namespace {

enum class LoopSize {
    Unknown,    // the code does not show where the elements come from
    OneParent,  // the children of one row, or the rows a parameter key pins (one owner's rows)
    Limited,    // a LIMITed batch of rows
    Scan,       // every row of a query that no key pins: grows with the table
};

struct LoopSource {
    LoopSize size = LoopSize::Unknown;
    const Query* query = nullptr;
};

LoopSource loop_source(const QueryInventory& inv, const Loop& loop) {
    if (loop.source_query < 0) return {};
    const Query& q = inv.queries[loop.source_query];
    // INSERT/UPDATE ... RETURNING hands back the rows it was given or keyed: as many as the input.
    if (q.kind != StatementKind::Select) return {};
    if (loop.source_children || q.expects_single_row) return {LoopSize::OneParent, &q};
    const Block* out = nullptr;
    for (const auto& b : q.blocks)
        if (b.output) {
            out = &b;
            break;
        }
    for (const auto& p : q.predicates)
        if (!p.in_disjunction && !p.from_join && p.other == OperandKind::Parameter &&
            (p.op == PredicateOp::Equal || p.op == PredicateOp::In))
            return {LoopSize::OneParent, &q};
    if (out && out->has_limit) return {LoopSize::Limited, &q};
    return {LoopSize::Scan, &q};
}

}  // namespace

Finding loop_finding(const RuleContext& ctx, LoopQuery&& lq, Severity severity, const std::string& verb,
                     const std::string& advice) {
    Finding f;
    const bool workflow = lq.loop->io_bound || lq.workflow;
    // The number of round trips is the number of elements: the loop's source decides.
    const LoopSource source = loop_source(ctx.inventory, *lq.loop);
    std::string size_note;
    if (source.size == LoopSize::Scan || source.size == LoopSize::Limited) {
        std::string grows;
        bool large = false;
        for (const auto& r : source.query->relations) {
            if (r.kind != RelationKind::Table || r.block != 0) continue;
            const TableProfile& profile = ctx.project.profile(r.table);
            if (profile.grows() && grows.empty()) grows = display_name(r.table);
            large = large || profile.large();
        }
        // A scan of a table with no evidence of growth may be a handful of configuration rows; code
        // that inserts rows says the table grows, not that this loop is long (a labelled sample of
        // real projects kept almost none of those): a note. A LIMITed batch is bounded by design.
        if (source.size == LoopSize::Limited || !large) severity = Severity::P3;
        size_note = source.size == LoopSize::Limited ? " over a LIMITed batch of rows"
                    : grows.empty()                  ? " over every row the query at " + where(source.query->loc) + " returns"
                                                     : " over every row the query at " + where(source.query->loc) +
                                                           " returns (" + grows + " grows)";
    } else {
        severity = Severity::P3;
        size_note = source.size == LoopSize::OneParent ? " over the rows of one parent" : "";
    }
    f.severity = workflow ? Severity::P3 : severity;
    f.loc = lq.at;
    f.message = lq.chain + " " + verb + " once per iteration of the " + lq.loop->kind + " loop (line " +
                std::to_string(lq.loop->loc.line) + ")" + size_note + ": " +
                (lq.invariant ? "its arguments do not depend on the loop: hoist it before the loop and reuse the result"
                              : advice) +
                (workflow ? " (each iteration also waits on other I/O: the query is one step of a per-item workflow)" : "");
    for (const auto& r : lq.query->relations)
        if (r.kind == RelationKind::Table) f.tables.push_back(r.table);
    f.fix = lq.invariant ? std::string() : batch_sketch(*lq.query);
    f.fix_language = f.fix.empty() ? FixLanguage::None : lq.query->style().language();
    f.related = std::move(lq.related);
    f.related.insert(f.related.begin(), {lq.loop->loc, "the loop"});
    if (source.query) f.related.insert(f.related.begin() + 1, {source.query->loc, "the rows the loop iterates"});
    return f;
}

}  // namespace querylens::rules
