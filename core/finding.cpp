#include "core/finding.h"

#include <algorithm>
#include <tuple>

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

const char* to_string(FixLanguage l) {
    switch (l) {
        case FixLanguage::None: return "none";
        case FixLanguage::Sql: return "sql";
        case FixLanguage::Code: return "code";
    }
    return "none";
}

bool IndexRecommendation::covers(const IndexRecommendation& other) const {
    if (table != other.table || method != other.method || where != other.where || keys.size() < other.keys.size()) return false;
    if (other.unique && (!unique || keys.size() != other.keys.size())) return false;  // uniqueness is exact
    for (size_t i = 0; i < other.keys.size(); ++i) {
        if (keys[i] != other.keys[i]) return false;
        const bool a = i < desc.size() && desc[i], b = i < other.desc.size() && other.desc[i];
        if (a != b) return false;
    }
    return true;
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

}  // namespace querylens
