#include "reports/audit/text.h"

#include <algorithm>
#include <cstdio>

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
    for (const auto& m : a.modules) {
        for (const Finding* f : m.findings) {
            const Rule* r = find_rule(f->rule);
            if (f->index) continue;  // listed once, merged, below
            const std::string item = std::string(to_string(f->severity)) + " " + f->rule + " at " + file_line(f->loc) + ": " + f->message;
            if (f->severity == Severity::P0 || (r && r->plan == PlanPlacement::First)) phases[0].items.push_back(item);
            else if (r && r->category == RuleCategory::QueryPattern) phases[1].items.push_back(item);
            else phases[2].items.push_back(item);
        }
        for (const auto& e : m.indexes)
            phases[0].items.push_back("create index " + e.index.name + " on " + display_name(e.index.table) + " (" +
                                      join(e.index.keys, ", ") + "), serving " + std::to_string(e.serves.size()) + " finding(s)");
    }
    return phases;
}

}  // namespace querylens
