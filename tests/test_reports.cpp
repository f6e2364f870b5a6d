#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "tests/helpers.h"

using namespace querylens;

namespace {
std::vector<Finding> all(const Project& p) { return run_rules(p, all_rules()); }
}  // namespace

TEST_CASE("text report: control characters from analysed files cannot reach the terminal") {
    auto p = qltest::analyze("CREATE TABLE \"evil\x1b[31m\" (id int PRIMARY KEY, doc jsonb);\nSELECT * FROM \"evil\x1b[31m\" LIMIT 5;");
    const std::string text = render_text({p, all(p), all_rules()}, false);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("evil\\x1b[31m") != std::string::npos);
    CHECK(terminal_safe("a\nb\tc\x7f") == "a\\x0ab\\x09c\\x7f");
}

TEST_CASE("json report: invalid UTF-8 and quotes are escaped / never abort") {
    auto p = qltest::analyze("CREATE TABLE \"we\"\"ird\xff\" (id int PRIMARY KEY, doc jsonb);\nSELECT * FROM \"we\"\"ird\xff\" LIMIT 5;",
                             "m/\"quoted\".sql");
    const std::string out = render_json({p, all(p), all_rules()});
    auto j = nlohmann::json::parse(out);
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["file"] == "m/\"quoted\".sql");
    CHECK(j["findings"][0]["rule"] == "select-star");
    CHECK(j["summary"]["P3"] == 1);  // a query in a .sql file: its caller is not read
}

TEST_CASE("sarif report: structure GitHub code scanning reads") {
    auto p = qltest::analyze("CREATE TABLE t (id int PRIMARY KEY, x int);\nSELECT id FROM t WHERE x = 1 LIMIT 1;\n"
                             "SELECT id FROM t WHERE x = 2 LIMIT 1;\nSELECT count(*) FROM t WHERE x = 3;",
                             "db/my queries/0001 é.sql");
    p.database.tables["public.t"].rows = 20000;  // sized by statistics: a P2 (a warning)
    const auto findings = all(p);
    auto j = nlohmann::json::parse(render_sarif({p, findings, all_rules()}));
    CHECK(j["version"] == "2.1.0");
    const auto& run = j["runs"][0];
    CHECK(run["columnKind"] == "utf16CodeUnits");
    const auto& rules = run["tool"]["driver"]["rules"];
    CHECK(rules.size() == all_rules().size());
    for (const auto& r : rules) {
        CHECK(r.contains("fullDescription"));
        CHECK(r["help"].contains("markdown"));
        CHECK(r["helpUri"].get<std::string>().find(r["id"].get<std::string>()) != std::string::npos);
        CHECK(!r["properties"].contains("security-severity"));
    }
    REQUIRE(run["results"].size() == 1);
    const auto& res = run["results"][0];
    CHECK(res["ruleId"] == "uncovered-predicate");
    CHECK(rules[res["ruleIndex"].get<int>()]["id"] == "uncovered-predicate");
    CHECK(res["level"] == "warning");  // P2: no evidence the table grows
    const auto& loc = res["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == "db/my%20queries/0001%20%C3%A9.sql");
    CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(loc["region"]["startLine"] == 2);
    CHECK(loc["region"]["startColumn"] == 24);
    CHECK(res["message"]["text"].get<std::string>().find("CREATE INDEX CONCURRENTLY") != std::string::npos);
    CHECK(!res["partialFingerprints"]["primaryLocationLineHash"].get<std::string>().empty());
}

TEST_CASE("fingerprints survive lines added above / change with the offending line") {
    const std::string schema = "CREATE TABLE t (id int PRIMARY KEY, x int);\nCREATE INDEX t_x ON t (x);\n";
    const std::string query = "SELECT id FROM t WHERE x = 1;\n";  // unpaginated-query, one per statement
    auto before = qltest::analyze(schema + query);
    auto moved = qltest::analyze(schema + "\n-- a new comment\n\n" + query);
    auto changed = qltest::analyze(schema + "SELECT id FROM t WHERE x = 2;\n");
    const auto a = all(before), b = all(moved), c = all(changed);
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    REQUIRE(c.size() == 1);
    CHECK(a[0].loc.line != b[0].loc.line);
    CHECK(a[0].fingerprint == b[0].fingerprint);
    CHECK(a[0].fingerprint != c[0].fingerprint);
    // Two identical offending lines get distinct fingerprints.
    auto twice = all(qltest::analyze(schema + query + query));
    REQUIRE(twice.size() == 2);
    CHECK(twice[0].fingerprint != twice[1].fingerprint);
}

TEST_CASE("findings are in a total order") {
    auto p = qltest::analyze("CREATE TABLE t (id int PRIMARY KEY, x int, doc jsonb);\nSELECT * FROM t WHERE x = 1;");
    const auto f = all(p);
    REQUIRE(f.size() == 3);
    CHECK(f[0].rule == "unpaginated-query");  // column 1
    CHECK(f[1].rule == "select-star");        // column 8
    CHECK(f[2].rule == "uncovered-predicate");
}
