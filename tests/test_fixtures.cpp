// Every project under fixtures/ is analysed with all rules, and its findings must match the
// inline expectations exactly: each `-- expect: rule-id[, rule-id]` is found on its line (or, when
// the comment stands alone, on the next code line), and nothing else is reported.
// fixtures/trading-platform also has golden outputs in expected/; regenerate them with
//   QUERYLENS_UPDATE_GOLDEN=1 ./build/querylens_tests -tc='golden*'
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/helpers.h"
#include "reports/report.h"

using namespace querylens;
namespace fs = std::filesystem;
using qltest::golden;
using qltest::kSource;
using qltest::read;

namespace {

Project load_fixture(const std::string& name) {
    ProjectOptions opts;
    opts.paths = {(kSource / "fixtures" / name).string()};
    opts.root = kSource.string();
    opts.jobs = 2;
    return load_project(opts);
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

bool comment_only(const std::string& line) {
    const std::string t = trim(line);
    return t.rfind("--", 0) == 0 || t.rfind("//", 0) == 0;
}

// "file:line rule" for every expectation in the project's files.
std::set<std::string> expectations(const Project& p) {
    std::set<std::string> out;
    for (const auto& f : p.files) {
        std::vector<std::string> lines;
        std::istringstream in(f->text());
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        for (size_t i = 0; i < lines.size(); ++i) {
            for (const char* marker : {"-- expect:", "// expect:"}) {
                const auto at = lines[i].find(marker);
                if (at == std::string::npos) continue;
                size_t target = i;
                if (comment_only(lines[i]))
                    while (target + 1 < lines.size() && (comment_only(lines[target]) || trim(lines[target]).empty())) ++target;
                std::string ids = lines[i].substr(at + std::string(marker).size()) + ",";
                std::string cur;
                for (char ch : ids) {
                    if (ch == ',') {
                        if (!trim(cur).empty()) out.insert(f->path() + ":" + std::to_string(target + 1) + " " + trim(cur));
                        cur.clear();
                    } else {
                        cur += ch;
                    }
                }
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("fixtures: every expectation is found and nothing else is reported") {
    int projects = 0;
    for (const auto& entry : fs::directory_iterator(kSource / "fixtures")) {
        if (!entry.is_directory()) continue;
        const std::string name = entry.path().filename().string();
        SUBCASE(name.c_str()) {
            Project p = load_fixture(name);
            const auto findings = run_rules(p, all_rules());
            std::set<std::string> actual;
            for (const auto& f : findings) actual.insert(f.loc.file + ":" + std::to_string(f.loc.line) + " " + f.rule);
            const auto expected = expectations(p);
            std::string missing, unexpected;
            for (const auto& e : expected)
                if (!actual.count(e)) missing += "  " + e + "\n";
            for (const auto& a : actual)
                if (!expected.count(a)) unexpected += "  " + a + "\n";
            INFO("fixture " << name << "\nmissing:\n" << missing << "unexpected:\n" << unexpected);
            CHECK(!expected.empty());
            CHECK(missing.empty());
            CHECK(unexpected.empty());
        }
        ++projects;
    }
    CHECK(projects >= 1);
}

TEST_CASE("golden: trading-platform reports") {
    Project p = load_fixture("trading-platform");
    const auto findings = run_rules(p, all_rules());
    ReportInput in{p, findings, all_rules()};
    const fs::path dir = kSource / "fixtures" / "trading-platform" / "expected";
    golden(render_text(in, false), dir / "check.txt");
    golden(render_json(in), dir / "check.json");
    golden(render_sarif(in), dir / "check.sarif");
    golden(schema_json(p.schema), dir / "schema.json");
    golden(inventory_json(p), dir / "inventory.json");
}

TEST_CASE("golden: output is identical whatever the thread count") {
    ProjectOptions opts;
    opts.paths = {(kSource / "fixtures").string()};
    opts.root = kSource.string();
    opts.jobs = 1;
    Project one = load_project(opts);
    opts.jobs = 8;
    Project eight = load_project(opts);
    const auto f1 = run_rules(one, all_rules());
    const auto f8 = run_rules(eight, all_rules());
    CHECK(render_sarif({one, f1, all_rules()}) == render_sarif({eight, f8, all_rules()}));
    CHECK(inventory_json(one) == inventory_json(eight));
}
