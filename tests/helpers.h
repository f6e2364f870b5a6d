#pragma once
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/project.h"
#include "rules/rule.h"

namespace qltest {

inline const std::filesystem::path kSource = QUERYLENS_SOURCE_DIR;

inline std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Compares `actual` with a checked-in file; QUERYLENS_UPDATE_GOLDEN=1 rewrites the file instead.
inline void golden(const std::string& actual, const std::filesystem::path& file) {
    if (std::getenv("QUERYLENS_UPDATE_GOLDEN")) {
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << actual;
    }
    INFO("golden file: " << file.string() << " (QUERYLENS_UPDATE_GOLDEN=1 to regenerate)");
    REQUIRE(std::filesystem::exists(file));
    CHECK(actual == read(file));
}

// One SQL file holding the schema and the queries the rules judge. Not under a migrations folder:
// there, statements without parameters are one-off checks (analysis/project.cpp).
inline querylens::Project analyze(const std::string& sql, const std::string& path = "db/0001.sql") {
    return querylens::analyze_sources({{path, sql}});
}

// The findings of one rule on an analysed project.
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
