#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "rules/rule.h"

namespace querylens {

const char* to_string(Severity s) {
    switch (s) {
        case Severity::P0: return "P0";
        case Severity::P1: return "P1";
        case Severity::P2: return "P2";
        case Severity::P3: return "P3";
    }
    return "P3";
}

const Rule* find_rule(const std::string& id) {
    for (const Rule* r : all_rules())
        if (id == r->id) return r;
    return nullptr;
}

void report_diagnostics(const RuleContext& ctx, const char* kind, Severity severity, std::vector<Finding>& out) {
    for (const auto& d : ctx.project.diagnostics) {
        if (d.kind != kind) continue;
        Finding f;
        f.severity = severity;
        f.loc = d.loc;
        f.message = d.message;
        out.push_back(std::move(f));
    }
}

std::string rule_markdown(const Rule& r) {
    return std::string("# ") + r.id + " (" + to_string(r.severity) + ", " + r.category + ")\n\n" + r.summary + "\n\n" +
           r.doc;
}

void sort_findings(std::vector<Finding>& findings) {
    auto key = [](const Finding& f) {
        return std::tie(f.loc.file, f.loc.line, f.loc.column, f.rule, f.message, f.severity, f.loc.end_line,
                        f.loc.end_column, f.fix, f.tables);
    };
    std::sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
    findings.erase(std::unique(findings.begin(), findings.end(),
                               [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                   findings.end());
}

namespace {

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

void fingerprint(const Project& project, std::vector<Finding>& findings) {
    std::map<std::string, const SourceFile*> files;
    for (const auto& f : project.files) files[f->path()] = f.get();
    std::map<std::string, int> seen;
    for (auto& f : findings) {
        std::string line;
        if (auto it = files.find(f.loc.file); it != files.end())
            for (char c : it->second->line_text(f.loc.line))
                if (c != ' ' && c != '\t' && c != '\r') line += c;
        if (line.empty()) line = f.message;  // no source line (e.g. a missing file)
        const uint64_t h = fnv1a(line, fnv1a(f.rule));
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
        const int n = ++seen[f.loc.file + '\0' + hex];
        f.fingerprint = std::string(hex) + ":" + std::to_string(n);
    }
}

}  // namespace

std::vector<Finding> run_rules(const Project& project, const std::vector<const Rule*>& rules) {
    RuleContext ctx{project, project.schema, project.inventory};
    std::vector<Finding> findings;
    for (const Rule* r : rules) {
        std::vector<Finding> mine;
        r->check(ctx, mine);
        for (auto& f : mine) {
            f.rule = r->id;
            findings.push_back(std::move(f));
        }
    }
    sort_findings(findings);
    fingerprint(project, findings);
    return findings;
}

}  // namespace querylens
