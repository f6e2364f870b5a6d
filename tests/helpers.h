#pragma once
#include <string>
#include <vector>

#include "rules/rule.h"

namespace qltest {

inline querylens::Project analyze(const std::string& sql, const std::string& path = "migrations/0001.sql") {
    return querylens::analyze_sources({{path, sql}});
}

// Findings of one rule, as "line:column" strings, for compact assertions.
inline std::vector<querylens::Finding> run(const querylens::Project& p, const char* rule) {
    const querylens::Rule* r = querylens::find_rule(rule);
    return querylens::run_rules(p, {r});
}

inline std::vector<unsigned> lines(const std::vector<querylens::Finding>& fs) {
    std::vector<unsigned> out;
    for (const auto& f : fs) out.push_back(f.loc.line);
    return out;
}

inline std::vector<unsigned> rule_lines(const std::string& sql, const char* rule) { return lines(run(analyze(sql), rule)); }

}  // namespace qltest
