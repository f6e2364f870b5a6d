#include "reports/audit/text.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

namespace querylens {

namespace {

// The text of a "## Heading" section of a rule doc, up to the next heading.
std::string doc_section(const Rule& r, const std::string& heading) {
    const std::string doc = r.doc;
    const size_t at = doc.find("## " + heading);
    if (at == std::string::npos) return {};
    const size_t begin = doc.find('\n', at);
    const size_t end = doc.find("\n## ", begin);
    std::string s = doc.substr(begin + 1, end == std::string::npos ? std::string::npos : end - begin - 1);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

}  // namespace

const char* priority_label(Severity s) {
    switch (s) {
        case Severity::P0: return "production blockers";
        case Severity::P1: return "high";
        case Severity::P2: return "medium";
        case Severity::P3: return "low";
    }
    return "";
}

std::string category_label(const std::string& c) {
    if (c == "index") return "index recommendations";
    if (c == "timescaledb") return "TimescaleDB opportunities";
    if (c == "query-pattern") return "query patterns (N+1, SELECT *, pagination, joins)";
    if (c == "data-model") return "data model";
    if (c == "migration-safety") return "migration safety";
    if (c == "input") return "unreadable input";
    return c;
}

std::string module_label(const Audit& a, const Finding& f) {
    auto it = a.module_of_finding.find(&f);
    return it == a.module_of_finding.end() ? "core" : it->second;
}

std::string impact_of(const Rule& r) {
    const std::string why = doc_section(r, "Why is this bad?");
    const size_t para = why.find("\n\n");
    std::string s = why.substr(0, para);
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}


std::string code_excerpt(const Project& p, const Location& l) {
    for (const auto& f : p.files) {
        if (f->path() != l.file) continue;
        const uint32_t last = std::min<uint32_t>(std::max(l.line, l.end_line), l.line + 5);
        std::string out;
        for (uint32_t line = l.line; line <= last && line <= f->line_count(); ++line) out += std::string(f->line_text(line)) + "\n";
        return out;
    }
    return {};
}

std::string one_decimal(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

bool is_typescript(const std::string& path) {
    for (const char* ext : {".ts", ".tsx", ".mts", ".cts"}) {
        const std::string e = ext;
        if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) return true;
    }
    return false;
}

std::string fix_language(const Finding& f) {
    if (f.fix_language == FixLanguage::Code) return is_typescript(f.loc.file) ? "ts" : "text";
    return "sql";
}

std::vector<std::pair<std::string, std::vector<const Finding*>>> findings_by_rule(const Audit& a, RuleCategory category) {
    std::map<std::string, std::vector<const Finding*>> by_rule;
    for (const auto& m : a.modules)
        for (const Finding* f : m.findings)
            if (const Rule* r = find_rule(f->rule); r && r->category == category) by_rule[f->rule].push_back(f);
    std::vector<std::pair<std::string, std::vector<const Finding*>>> out(by_rule.begin(), by_rule.end());
    for (auto& [rule, fs] : out)
        std::stable_sort(fs.begin(), fs.end(), [](const Finding* x, const Finding* y) {
            return std::tie(x->severity, x->loc) < std::tie(y->severity, y->loc);
        });
    return out;
}

std::string notes_sentence(const Audit& a, const std::vector<std::string>& categories) {
    int n = 0;
    for (const auto& [rule, count] : a.notes)
        if (const Rule* r = find_rule(rule); r && std::find(categories.begin(), categories.end(), to_string(r->category)) != categories.end())
            n += count;
    if (!n) return {};
    return std::to_string(n) + " more " + (n == 1 ? "is a note" : "are notes") + " (below " + to_string(a.min_severity) +
           ", not scored): `--min-severity p3` lists " + (n == 1 ? "it" : "them") + ".";
}

std::string join(const std::vector<std::string>& items, const std::string& sep,
                 const std::function<std::string(const std::string&)>& each) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + (each ? each(i) : i);
    return out;
}

std::vector<PlanPhase> migration_plan(const Audit& a) {
    std::vector<PlanPhase> phases(3);
    phases[0].title = "Phase 1: production blockers, schema fixes and indexes";
    phases[1].title = "Phase 2: query fixes";
    phases[2].title = "Phase 3: TimescaleDB, data model and hygiene";
    // One item per phase and rule, with every table and place it touches.
    struct Group {
        Severity priority = Severity::P3;
        const Rule* rule = nullptr;
        std::vector<std::string> tables;
        std::vector<const Finding*> findings;
    };
    std::map<std::pair<int, std::string>, Group> groups;
    for (const auto& m : a.modules)
        for (const Finding* f : m.findings) {
            if (f->index) continue;  // the indexes are one item per module, below
            const Rule* r = find_rule(f->rule);
            const int phase = f->severity == Severity::P0 || (r && r->plan == PlanPlacement::First) ? 0
                              : r && r->category == RuleCategory::QueryPattern                   ? 1
                                                                                                 : 2;
            Group& g = groups[{phase, f->rule}];
            g.rule = r;
            g.priority = std::min(g.priority, f->severity);
            g.findings.push_back(f);
            for (const auto& t : f->tables)
                if (std::find(g.tables.begin(), g.tables.end(), t) == g.tables.end()) g.tables.push_back(t);
        }
    auto some = [](const std::vector<std::string>& names, size_t limit) {
        std::string out;
        for (size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + display_name(names[i]);
        if (names.size() > limit) out += " and " + std::to_string(names.size() - limit) + " more";
        return out;
    };
    for (auto& [key, g] : groups) {
        std::stable_sort(g.findings.begin(), g.findings.end(), [](const Finding* x, const Finding* y) { return x->loc < y->loc; });
        PlanItem item;
        item.priority = g.priority;
        const size_t n = g.findings.size();
        item.action = key.second + (g.rule ? ": " + std::string(g.rule->summary) : std::string()) + " (" + std::to_string(n) +
                      (n == 1 ? " place" : " places") + (g.tables.empty() ? "" : ", " + some(g.tables, 4)) + "; first at " +
                      file_line(g.findings.front()->loc) + ")";
        item.impact = g.rule ? impact_of(*g.rule) : std::string();
        if (const size_t dot = item.impact.find(". "); dot != std::string::npos) item.impact.resize(dot + 1);
        phases[key.first].items.push_back(std::move(item));
    }
    // Indexes: per module, those that resolve critical findings first, then the others.
    for (const auto& m : a.modules)
        for (const bool critical : {true, false}) {
        std::vector<std::string> tables;
        size_t sites = 0, growing = 0, measured = 0, count = 0;
        Severity priority = Severity::P3;
        for (const auto& e : m.indexes) {
            if ((e.priority <= Severity::P1) != critical) continue;
            ++count;
            priority = std::min(priority, e.priority);
            if (std::find(tables.begin(), tables.end(), e.index.table) == tables.end()) tables.push_back(e.index.table);
            sites += e.serves.size();
            growing += e.table_grows;
            measured += std::any_of(e.serves.begin(), e.serves.end(), [&](const ServedSite& s) { return a.evidence_for(s.loc) != nullptr; });
        }
        if (!count) continue;
        PlanItem item;
        item.priority = priority;
        item.action = "create the " + std::string(critical ? "" : "other ") + std::to_string(count) + " index" + (count == 1 ? "" : "es") +
                      " of module " + m.name + (critical ? " that resolve critical issues" : "") + " (appendix, script Indexes) on " +
                      some(tables, 5);
        item.impact = "serves " + std::to_string(sites) + " place" + (sites == 1 ? "" : "s") + " (queries and foreign keys); " +
                      std::to_string(growing) + " of the " + std::to_string(count) + " are on tables that grow" +
                      (measured ? "; " + std::to_string(measured) + " measured with EXPLAIN (see the index recommendations)" : std::string());
        phases[0].items.push_back(std::move(item));
        }
    for (auto& p : phases)
        std::stable_sort(p.items.begin(), p.items.end(), [](const PlanItem& x, const PlanItem& y) { return x.priority < y.priority; });
    return phases;
}

}  // namespace querylens
