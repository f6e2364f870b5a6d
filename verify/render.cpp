// What `querylens verify` prints: text and JSON renderings of a VerifyResult.
#include <nlohmann/json.hpp>

#include "verify/verify.h"

namespace querylens {

bool VerifyResult::clean() const {
    if (!fatal.empty() || !differences.empty()) return false;
    for (const auto& m : migrations)
        if (!m.ok) return false;
    for (const auto& d : ddl)
        if (!d.ok) return false;
    return true;
}

namespace {

std::string evidence_line(const PlanEvidence& e) {
    if (!e.error.empty()) return "not measured: " + e.error;
    char line[512];
    const double gain = e.before_cost > 0 ? 100.0 * (e.before_cost - e.after_cost) / e.before_cost : 0;
    std::snprintf(line, sizeof line, "%s → %s%s, total cost %.1f → %.1f (%+.0f%%)", e.before_scan.empty() ? "?" : e.before_scan.c_str(),
                  e.after_scan.empty() ? "?" : e.after_scan.c_str(), e.uses_index ? " on the suggested index" : " (index not used)",
                  e.before_cost, e.after_cost, -gain);
    std::string out = line;
    if (e.limited && !e.uses_index) out += "; LIMIT stops the scan at the first matches, so on this data the index gains little";
    return out;
}

}  // namespace

std::map<std::string, std::string> evidence_lines(const VerifyResult& r) {
    std::map<std::string, std::string> out;
    for (const auto& e : r.evidence) out[file_line(e.finding)] = evidence_line(e);
    return out;
}

std::string render_verify_text(const VerifyResult& r) {
    if (!r.fatal.empty()) return "querylens verify: " + r.fatal + "\n";
    std::string o = "querylens verify: scratch database " + r.database + " (TimescaleDB " +
                    (r.timescaledb ? "available" : "not installed: its statements are skipped") + ", hypopg " +
                    (r.hypopg ? "available" : "not installed: no EXPLAIN evidence") + ")\n\n";
    size_t failed = 0;
    for (const auto& m : r.migrations) failed += !m.ok;
    o += "Migrations: " + std::to_string(r.migrations.size()) + " files, " + std::to_string(failed) + " failed\n";
    if (!r.baseline_note.empty()) o += "  " + r.baseline_note + "\n";
    for (const auto& m : r.migrations) {
        o += std::string(m.ok ? "  ok    " : "  FAIL  ") + m.file + " (" + std::to_string(m.statements) + " statements" +
             (m.in_transaction ? ", in one transaction" : ", statement by statement") + ")\n";
        for (const auto& p : m.problems)
            o += std::string(p.skipped ? "    skipped " : "    error   ") + file_line(p.loc) + ": " +
                 (p.skipped ? p.error : "PostgreSQL: " + p.error) + "\n";
    }
    o += "\nSchema model vs catalog: " +
         (r.differences.empty() ? std::string("they agree\n") : std::to_string(r.differences.size()) + " differences\n");
    for (const auto& d : r.differences)
        o += "  " + file_line(d.loc) + ": " + d.object + ": model says " + d.model + ", database says " + d.catalog + "\n";
    size_t rejected = 0, skipped = 0;
    for (const auto& d : r.ddl) rejected += !d.ok, skipped += d.skipped;
    o += "\nRecommended DDL: " + std::to_string(r.ddl.size()) + " statements, " + std::to_string(rejected) + " rejected, " +
         std::to_string(skipped) + " skipped (TimescaleDB)" + (r.ddl_note.empty() ? "" : "; " + r.ddl_note) + "\n";
    for (const auto& d : r.ddl)
        if (!d.ok) o += "  REJECTED " + d.ddl + "\n    PostgreSQL: " + d.error + "\n";
    o += "\nEXPLAIN evidence for uncovered-predicate (" + r.data_note + "; generic plans, hypothetical indexes):\n";
    if (r.evidence.empty()) o += "  none\n";
    for (const auto& e : r.evidence) o += "  " + file_line(e.finding) + ": " + evidence_line(e) + "\n";
    o += std::string("\n") + (r.clean() ? "verify: the model and the recommendations hold\n"
                                        : "verify: differences or rejected statements found\n");
    return o;
}

std::string render_verify_json(const VerifyResult& r) {
    using ojson = nlohmann::ordered_json;
    auto loc = [](const Location& l) { return ojson{{"file", l.file}, {"line", l.line}}; };
    ojson root{{"database", r.database}, {"timescaledb", r.timescaledb}, {"hypopg", r.hypopg}, {"clean", r.clean()}};
    if (!r.fatal.empty()) root["fatal"] = r.fatal;
    root["migrations"] = ojson::array();
    for (const auto& m : r.migrations) {
        ojson mj{{"file", m.file}, {"ok", m.ok}, {"statements", m.statements}, {"inTransaction", m.in_transaction}};
        mj["problems"] = ojson::array();
        for (const auto& p : m.problems)
            mj["problems"].push_back({{"location", loc(p.loc)}, {"skipped", p.skipped}, {p.skipped ? "reason" : "error", p.error}});
        root["migrations"].push_back(mj);
    }
    root["differences"] = ojson::array();
    for (const auto& d : r.differences)
        root["differences"].push_back({{"location", loc(d.loc)}, {"object", d.object}, {"model", d.model}, {"database", d.catalog}});
    root["ddl"] = ojson::array();
    for (const auto& d : r.ddl) root["ddl"].push_back({{"sql", d.ddl}, {"ok", d.ok}, {"skipped", d.skipped}, {"error", d.error}});
    root["dataNote"] = r.data_note;
    root["ddlNote"] = r.ddl_note;
    root["baselineNote"] = r.baseline_note;
    root["evidence"] = ojson::array();
    for (const auto& e : r.evidence)
        root["evidence"].push_back({{"finding", loc(e.finding)}, {"query", e.query}, {"hypotheticalIndex", e.index},
                                    {"before", {{"scan", e.before_scan}, {"totalCost", e.before_cost}}},
                                    {"after", {{"scan", e.after_scan}, {"totalCost", e.after_cost}}},
                                    {"usesIndex", e.uses_index}, {"limited", e.limited}, {"error", e.error}});
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace querylens
