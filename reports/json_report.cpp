#include <array>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace querylens {

using ojson = nlohmann::ordered_json;

namespace {

// Invalid UTF-8 from analysed files is replaced rather than aborting the report.
std::string dump(const ojson& j) { return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n"; }

ojson location_json(const Location& l) {
    ojson j;
    j["file"] = l.file;
    j["line"] = l.line;
    j["column"] = l.column;
    j["endLine"] = l.end_line ? l.end_line : l.line;
    j["endColumn"] = l.end_column ? l.end_column : l.column;
    return j;
}

}  // namespace

std::string render_json(const ReportInput& in) {
    ojson root;
    root["tool"] = {{"name", "querylens"}, {"version", QUERYLENS_VERSION}};
    ojson findings = ojson::array();
    std::array<size_t, 4> counts{};
    for (const auto& f : in.findings) {
        ++counts[static_cast<int>(f.severity)];
        ojson j;
        j["rule"] = f.rule;
        j["severity"] = to_string(f.severity);
        j["file"] = f.loc.file;
        j["line"] = f.loc.line;
        j["column"] = f.loc.column;
        j["endLine"] = f.loc.end_line ? f.loc.end_line : f.loc.line;
        j["endColumn"] = f.loc.end_column ? f.loc.end_column : f.loc.column;
        j["message"] = f.message;
        j["fix"] = f.fix.empty() ? ojson(nullptr) : ojson(f.fix);
        j["tables"] = ojson::array();
        for (const auto& t : f.tables) j["tables"].push_back(display_name(t));
        if (!f.related.empty()) {
            j["related"] = ojson::array();
            for (const auto& r : f.related) {
                ojson rj = location_json(r.loc);
                rj["message"] = r.message;
                j["related"].push_back(rj);
            }
        }
        j["fingerprint"] = f.fingerprint;
        findings.push_back(std::move(j));
    }
    root["findings"] = std::move(findings);
    root["summary"] = {{"total", in.findings.size()},
                       {"P0", counts[0]},
                       {"P1", counts[1]},
                       {"P2", counts[2]},
                       {"P3", counts[3]},
                       {"notListed", in.hidden},
                       {"files", in.project.files.size()},
                       {"statements", in.project.stats.statements}};
    return dump(root);
}

std::string schema_json(const SchemaModel& schema, const TableProfiles* profiles) {
    ojson root;
    ojson tables = ojson::array();
    for (const auto& [name, t] : schema.tables) {
        ojson tj;
        tj["name"] = name;
        tj["location"] = location_json(t.loc);
        if (profiles) {
            if (auto it = profiles->find(name); it != profiles->end())
                tj["profile"] = {{"growth", to_string(it->second.growth)}, {"source", it->second.source},
                                 {"wideColumns", it->second.wide_columns}};
        }
        tj["columns"] = ojson::array();
        for (const auto& c : t.columns) {
            ojson cj{{"name", c.name}, {"type", c.type}, {"notNull", c.not_null}};
            cj["default"] = c.default_expr ? ojson(*c.default_expr) : ojson(nullptr);
            cj["location"] = location_json(c.loc);
            tj["columns"].push_back(cj);
        }
        tj["indexes"] = ojson::array();
        for (const auto& i : t.indexes) {
            ojson ij{{"name", i.name}, {"origin", to_string(i.origin)}, {"unique", i.unique},
                     {"method", i.method}};
            ij["keys"] = ojson::array();
            for (const auto& k : i.keys) {
                ojson kj;
                if (!k.column.empty()) kj["column"] = k.column;
                else kj["expression"] = k.expression;
                kj["desc"] = k.desc;
                if (!k.nulls.empty()) kj["nulls"] = k.nulls;
                ij["keys"].push_back(kj);
            }
            ij["include"] = i.include;
            ij["where"] = i.partial() ? ojson(i.predicate_sql) : ojson(nullptr);
            ij["concurrently"] = i.concurrent;
            ij["location"] = location_json(i.loc);
            tj["indexes"].push_back(ij);
        }
        tj["foreignKeys"] = ojson::array();
        for (const auto& fk : t.foreign_keys) {
            ojson fj{{"name", fk.name}, {"columns", fk.columns}, {"references", fk.ref_table},
                     {"referencedColumns", fk.ref_columns}};
            fj["onDelete"] = fk.on_delete == FkAction::None ? ojson(nullptr) : ojson(to_sql(fk.on_delete));
            fj["onUpdate"] = fk.on_update == FkAction::None ? ojson(nullptr) : ojson(to_sql(fk.on_update));
            fj["location"] = location_json(fk.loc);
            tj["foreignKeys"].push_back(fj);
        }
        tj["checks"] = ojson::array();
        for (const auto& ck : t.checks) tj["checks"].push_back({{"name", ck.name}, {"expression", ck.expression}});
        if (t.hypertable) {
            const auto& h = *t.hypertable;
            ojson hj{{"timeColumn", h.time_column}, {"chunkInterval", h.chunk_interval}, {"compression", h.compression},
                     {"segmentBy", h.segment_by}, {"orderBy", h.order_by}};
            hj["compressionPolicy"] = h.compression_policy ? ojson(*h.compression_policy) : ojson(nullptr);
            hj["retentionPolicy"] = h.retention_policy ? ojson(*h.retention_policy) : ojson(nullptr);
            tj["hypertable"] = hj;
        } else {
            tj["hypertable"] = nullptr;
        }
        tables.push_back(std::move(tj));
    }
    root["tables"] = std::move(tables);
    root["views"] = ojson::array();
    for (const auto& [name, v] : schema.views) {
        root["views"].push_back({{"name", name}, {"kind", to_string(v.kind)}, {"location", location_json(v.loc)}});
    }
    root["enums"] = ojson::array();
    for (const auto& [name, e] : schema.enums) root["enums"].push_back({{"name", name}, {"values", e.values}});
    root["extensions"] = ojson::array();
    for (const auto& [name, loc] : schema.extensions) root["extensions"].push_back(name);
    return dump(root);
}

std::string inventory_json(const Project& project) {
    const QueryInventory& inv = project.inventory;
    auto loop_json = [&](int l) {
        const Loop& loop = inv.loops[l];
        ojson lj{{"kind", loop.kind}, {"location", location_json(loop.loc)}};
        if (loop.bounded) lj["bounded"] = true;
        if (loop.exits_early) lj["exitsEarly"] = true;
        return lj;
    };
    ojson queries = ojson::array();
    for (const auto& q : inv.queries) {
        ojson qj;
        qj["origin"] = origin_label(q);
        qj["execution"] = to_string(q.execution);
        if (q.dynamic_conditions) qj["dynamicConditions"] = true;
        qj["kind"] = to_string(q.kind);
        qj["location"] = location_json(q.loc);
        if (!q.context.empty()) qj["context"] = q.context;
        if (q.from_code()) {
            qj["api"] = q.api;
            qj["sql"] = q.sql;  // lowered from the code; positions map back to it
            qj["function"] = inv.functions[q.function].name;
            if (q.loop >= 0) qj["loop"] = loop_json(q.loop);
            if (q.returns_rows() && q.row_use != RowUse::Unknown) {
                qj["rowUse"] = q.row_use == RowUse::Whole ? "whole" : "fields";
                if (q.row_use == RowUse::Fields) qj["rowFields"] = q.row_fields;
                if (q.row_use == RowUse::Fields && q.row_fields_tested_only) qj["rowFieldsTestedOnly"] = true;
            }
        }
        qj["relations"] = ojson::array();
        for (const auto& r : q.relations) {
            ojson rj{{"kind", to_string(r.kind)}, {"name", r.kind == RelationKind::Table ? display_name(r.table) : r.table},
                     {"alias", r.alias}, {"block", r.block}};
            if (r.kind == RelationKind::Table) rj["known"] = r.known;
            if (r.lateral) rj["lateral"] = true;
            qj["relations"].push_back(rj);
        }
        qj["selectsStar"] = q.returns_star();
        qj["predicates"] = ojson::array();
        for (const auto& p : q.predicates) {
            ojson pj;
            pj["relation"] = p.relation;
            pj["column"] = p.column;
            if (!p.expression.empty()) pj["expression"] = p.expression;
            pj["operator"] = p.op_text;
            pj["class"] = to_string(p.op);
            pj["other"] = to_string(p.other);
            if (!p.constants.empty()) pj["constants"] = p.constants;
            if (p.in_disjunction) pj["inDisjunction"] = true;
            if (p.from_join) pj["fromJoin"] = true;
            pj["line"] = p.loc.line;
            qj["predicates"].push_back(pj);
        }
        qj["joins"] = ojson::array();
        for (const auto& j : q.joins) {
            ojson jj{{"relation", j.relation}, {"type", to_string(j.type)}};
            if (!j.condition.empty()) jj["on"] = j.condition;
            qj["joins"].push_back(jj);
        }
        qj["joinEdges"] = ojson::array();
        for (const auto& e : q.join_edges)
            qj["joinEdges"].push_back({{"left", e.left}, {"leftColumn", e.left_column}, {"right", e.right},
                                       {"rightColumn", e.right_column}});
        qj["orderBy"] = ojson::array();
        for (const auto& k : q.order_by)
            qj["orderBy"].push_back({{"relation", k.relation}, {"column", k.column}, {"desc", k.desc}});
        const Block& top = q.blocks.front();
        qj["groupBy"] = top.has_group_by;
        qj["aggregate"] = top.has_aggregate;
        qj["limit"] = top.has_limit;
        qj["offset"] = top.has_offset;
        queries.push_back(std::move(qj));
    }
    // Functions that issue queries or call functions that do, with the calls and their loops.
    ojson functions = ojson::array();
    for (size_t f = 0; f < inv.functions.size(); ++f) {
        const bool reads = f < inv.reads.size() && inv.reads[f].distance >= 0;
        const bool writes = f < inv.writes.size() && inv.writes[f].distance >= 0;
        if (!reads && !writes) continue;
        const CodeFunction& fn = inv.functions[f];
        ojson fj{{"name", fn.name}, {"location", location_json(fn.loc)}, {"queries", fn.queries}};
        if (reads) fj["readDistance"] = inv.reads[f].distance;
        if (writes) fj["writeDistance"] = inv.writes[f].distance;
        fj["calls"] = ojson::array();
        for (int c : fn.calls) {
            const CallSite& call = inv.calls[c];
            const bool reaches = (call.callee < static_cast<int>(inv.reads.size()) && inv.reads[call.callee].distance >= 0) ||
                                 (call.callee < static_cast<int>(inv.writes.size()) && inv.writes[call.callee].distance >= 0);
            if (!reaches) continue;
            ojson cj{{"callee", inv.functions[call.callee].name}, {"location", location_json(call.loc)}};
            if (call.loop >= 0) cj["loop"] = loop_json(call.loop);
            fj["calls"].push_back(cj);
        }
        functions.push_back(std::move(fj));
    }
    ojson root;
    root["queries"] = std::move(queries);
    root["functions"] = std::move(functions);
    return dump(root);
}

}  // namespace querylens
