// The audit as data, for dashboards: the same numbers and sections as the Markdown and HTML.
#include <nlohmann/json.hpp>

#include "reports/audit/audit.h"
#include "reports/audit/text.h"

namespace querylens {

std::string render_audit_json(const Audit& a) {
    using ojson = nlohmann::ordered_json;
    auto loc = [](const Location& l) { return ojson{{"file", l.file}, {"line", l.line}, {"column", l.column}}; };
    auto round1 = [](double v) { return std::round(v * 10) / 10; };
    ojson root;
    root["title"] = a.title;
    root["score"] = a.score;
    root["band"] = a.band;
    root["status"] = a.status;
    root["doToday"] = a.do_today;
    root["unscoredMigrationHistory"] = a.history_findings;
    root["notes"] = {{"listedFrom", to_string(a.min_severity)}, {"count", a.notes_total}, {"byRule", a.notes}};
    root["formula"] = {{"penalty", round1(a.raw_penalty)}, {"capacity", round1(a.capacity)}, {"units", a.units}};
    root["byPriority"] = ojson::object();
    for (Severity s : {Severity::P0, Severity::P1, Severity::P2, Severity::P3}) {
        auto it = a.by_priority.find(s);
        root["byPriority"][to_string(s)] = it == a.by_priority.end() ? 0 : it->second;
    }
    root["byCategory"] = ojson::object();
    for (const auto& [c, n] : a.by_category) root["byCategory"][c] = n;
    for (const auto* key : {"byRule", "byModule"}) {
        ojson arr = ojson::array();
        for (const auto& b : std::string(key) == "byRule" ? a.by_rule : a.by_module)
            arr.push_back({{"name", b.name}, {"findings", b.findings}, {"points", round1(b.points)}});
        root["pointsLost"][key] = arr;
    }
    root["modules"] = ojson::array();
    for (const auto& m : a.modules) {
        ojson mj{{"name", m.name}, {"tables", m.tables}, {"points", round1(m.points)}};
        mj["findings"] = ojson::array();
        for (const Finding* f : m.findings)
        {
            ojson fj{{"rule", f->rule}, {"priority", to_string(f->severity)}, {"location", loc(f->loc)},
                     {"message", f->message}, {"fix", f->fix}, {"fingerprint", f->fingerprint}};
            if (const std::string* ev = a.evidence_for(f->loc)) fj["measured"] = *ev;
            mj["findings"].push_back(fj);
        }
        mj["indexes"] = ojson::array();
        for (const auto& e : m.indexes) {
            ojson ej{{"name", e.index.name}, {"table", e.index.table}, {"ddl", e.index.ddl}, {"replaces", e.merged}};
            ej["serves"] = ojson::array();
            for (const auto& s : e.serves) ej["serves"].push_back({{"location", loc(s.loc)}, {"what", s.what}});
            ej["tableGrows"] = e.table_grows;
            ej["variants"] = ojson::array();
            for (const auto& v : e.index.variants) ej["variants"].push_back({{"kind", v.kind}, {"why", v.why}, {"ddl", v.ddl}});
            mj["indexes"].push_back(ej);
        }
        root["modules"].push_back(mj);
    }
    root["migrationPlan"] = ojson::array();
    for (const auto& p : migration_plan(a)) {
        ojson items = ojson::array();
        for (const auto& i : p.items) items.push_back({{"priority", to_string(i.priority)}, {"action", i.action}, {"impact", i.impact}});
        root["migrationPlan"].push_back({{"phase", p.title}, {"items", items}});
    }
    root["appendix"] = a.appendix;
    nlohmann::json scripts = nlohmann::json::array();
    for (const auto& [purpose, stmts] : a.appendix_scripts) scripts.push_back({{"purpose", purpose}, {"statements", stmts}});
    root["appendixScripts"] = scripts;
    ojson monitoring = ojson::array();
    for (const auto& m : a.monitoring) monitoring.push_back({{"title", m.title}, {"purpose", m.purpose}, {"sql", m.sql}});
    root["monitoring"] = monitoring;
    ojson metrics = ojson::array();
    for (const auto& [metric, target] : a.metrics) metrics.push_back({{"metric", metric}, {"target", target}});
    root["metrics"] = metrics;
    root["analysed"] = {{"sqlFiles", a.sql_files}, {"typescriptFiles", a.ts_files}, {"statements", a.statements},
                        {"queries", a.queries},    {"tables", a.tables},      {"parseErrors", a.parse_errors},
                        {"version", a.version},    {"config", a.config_path}};
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace querylens
