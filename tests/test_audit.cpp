// The scored audit: formula, module assignment, merged index plan, numbers that match the
// findings, SQL appendix that PostgreSQL's parser accepts, escaping, golden renderings.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/project.h"
#include "sql/parser.h"
#include "reports/audit/audit.h"
#include "tests/helpers.h"

using namespace querylens;

namespace {

Project load_fixture(const std::string& name) {
    ProjectOptions o;
    o.paths = {(qltest::kSource / "fixtures" / name).string()};
    o.root = qltest::kSource.string();
    o.jobs = 2;
    return load_project(o);
}

Finding finding(const char* rule, Severity s, const char* file = "a.sql", unsigned line = 1) {
    Finding f;
    f.rule = rule;
    f.severity = s;
    f.loc.file = file;
    f.loc.line = line;
    return f;
}

}  // namespace

TEST_CASE("score formula: pinned values / bands / diminishing returns") {
    CHECK(score_penalty({}) == 0);
    CHECK(score_from_penalty(0, 10) == 100);
    double cap = 0;
    CHECK(score_from_penalty(100, 50, &cap) == 37);  // 100 * e^-1
    CHECK(cap == doctest::Approx(100));
    CHECK(score_from_penalty(100, 200) == 61);  // capacity 200: 100 * e^-0.5
    CHECK(score_penalty({finding("x", Severity::P0)}) == doctest::Approx(10));
    CHECK(score_penalty({finding("x", Severity::P1), finding("x", Severity::P1)}) == doctest::Approx(5 + 5 / std::sqrt(2.0)));
    CHECK(score_penalty({finding("x", Severity::P1), finding("y", Severity::P1)}) == doctest::Approx(10));
    // Highest priority first within a rule, whatever the input order.
    CHECK(score_penalty({finding("x", Severity::P3), finding("x", Severity::P0)}) == doctest::Approx(10 + 0.5 / std::sqrt(2.0)));
    CHECK(std::string(score_band(90)) == "Excellent");
    CHECK(std::string(score_band(89)) == "Good");
    CHECK(std::string(score_band(50)) == "Moderate");
    CHECK(std::string(score_band(49)) == "Poor");
}

// The reference audit (../shared/reference/database-optimization-audit.md) scores a 28-module
// trading backend 68/100 with 23 critical issues (5 P0), 47 index recommendations, 12 TimescaleDB
// opportunities and 31 query-pattern issues. The same profile, spread over the rules that report
// those problems, on a backend of about 1,000 tables and queries, must land near 68
// (docs/scoring.md, Calibration).
TEST_CASE("score calibration: the reference audit's profile scores near its 68/100") {
    const std::vector<std::pair<const char*, std::vector<std::pair<Severity, int>>>> profile = {
        {"missing-hypertable", {{Severity::P0, 3}, {Severity::P2, 2}}},
        {"uncovered-predicate", {{Severity::P0, 1}, {Severity::P1, 9}, {Severity::P2, 22}}},
        {"n-plus-one", {{Severity::P0, 1}, {Severity::P1, 3}, {Severity::P2, 4}}},
        {"fk-missing-index", {{Severity::P1, 3}, {Severity::P2, 12}}},
        {"unpaginated-query", {{Severity::P1, 2}, {Severity::P2, 6}}},
        {"cartesian-join", {{Severity::P1, 1}}},
        {"select-star", {{Severity::P2, 8}}},
        {"missing-compression-policy", {{Severity::P2, 5}}},
        {"missing-retention-policy", {{Severity::P2, 4}}},
        {"continuous-aggregate-candidate", {{Severity::P2, 3}}},
        {"status-as-text", {{Severity::P2, 5}}},
        {"fk-missing-action", {{Severity::P2, 4}}},
        {"connection-settings", {{Severity::P2, 1}}},
        {"lost-update", {{Severity::P2, 2}}},
    };
    std::vector<Finding> findings;
    int critical = 0, p0 = 0;
    for (const auto& [rule, counts] : profile)
        for (const auto& [severity, n] : counts)
            for (int i = 0; i < n; ++i) {
                findings.push_back(finding(rule, severity));
                critical += severity <= Severity::P1;
                p0 += severity == Severity::P0;
            }
    REQUIRE(critical == 23);
    REQUIRE(p0 == 5);
    const int score = score_from_penalty(score_penalty(findings), 1000);
    CHECK(score >= 66);
    CHECK(score <= 70);
    CHECK(std::string(score_band(score)) == "Moderate");
}

TEST_CASE("score: fixing any one finding never lowers it") {
    const Project p = load_fixture("trading-platform");
    const auto findings = run_rules(p, all_rules());
    const double base = score_penalty(findings);
    const size_t units = p.schema.tables.size() + p.inventory.queries.size();
    const int score = score_from_penalty(base, units);
    for (size_t i = 0; i < findings.size(); ++i) {
        auto fewer = findings;
        fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
        CHECK(score_penalty(fewer) < base);
        CHECK(score_from_penalty(score_penalty(fewer), units) >= score);
    }
}

TEST_CASE("modules from path conventions") {
    CHECK(module_of("backend/src/modules/orders/x.ts", {}) == "orders");
    CHECK(module_of("src/modules/auth/a/b.sql", {}) == "auth");
    CHECK(module_of("packages/billing/src/db.ts", {}) == "billing");
    CHECK(module_of("apps/web/x.ts", {}) == "web");
    CHECK(module_of("src/modules/file.ts", {}) == "");
    CHECK(module_of("lib/db.ts", {}) == "");
    CHECK(module_of("services/pay/x.ts", {"services/*"}) == "pay");
    CHECK(module_of("mypackages/x/y.ts", {}) == "");  // the prefix must start a path segment
}

TEST_CASE("audit numbers match the findings exactly") {
    const Project p = load_fixture("trading-platform");
    const auto findings = run_rules(p, all_rules());
    const Audit a = build_audit(p, findings, {});
    int by_priority = 0;
    for (const auto& [s, n] : a.by_priority) by_priority += n;
    CHECK(by_priority == static_cast<int>(findings.size()));
    size_t in_modules = 0;
    double points = 0;
    for (const auto& m : a.modules) in_modules += m.findings.size(), points += m.points;
    // Listed findings are in the modules; notes (below P2) are only counted.
    size_t notes = 0;
    for (const auto& f : findings) notes += f.severity > Severity::P2;
    CHECK(notes > 0);
    CHECK(a.notes_total == notes);
    CHECK(in_modules + notes == findings.size());
    CHECK(points == doctest::Approx(100.0 - 100.0 * std::exp(-a.raw_penalty / a.capacity)));
    size_t critical = 0;
    for (const auto& f : findings) critical += f.severity <= Severity::P1;
    CHECK(a.critical.size() == critical);
    // Every listed finding with an index recommendation is served by exactly one plan entry.
    for (const auto& f : findings) {
        if (!f.index || f.severity > Severity::P2) continue;
        size_t entries = 0;
        for (const auto& m : a.modules)
            for (const auto& e : m.indexes)
                entries += std::any_of(e.serves.begin(), e.serves.end(), [&](const ServedSite& s) { return s.loc == f.loc; });
        CHECK(entries == 1);
    }
    // The JSON carries the same numbers.
    const auto j = nlohmann::json::parse(render_audit_json(a));
    CHECK(j["score"] == a.score);
    int json_total = 0;
    for (const auto& [k, v] : j["byPriority"].items()) json_total += v.get<int>();
    CHECK(json_total == static_cast<int>(findings.size()));
    // The Markdown shows them.
    const std::string md = render_audit_markdown(a, p);
    CHECK(md.find("**Score: " + std::to_string(a.score) + "/100") != std::string::npos);
    CHECK(md.find("| P1 high | " + std::to_string(a.by_priority.at(Severity::P1)) + " |") != std::string::npos);
}

TEST_CASE("index plan: a recommendation another one covers is merged into it") {
    const Project p = qltest::analyze(
        "CREATE TABLE o (id int PRIMARY KEY, u int REFERENCES o (id) ON DELETE CASCADE, s text, c timestamptz);\n"
        "SELECT id FROM o WHERE u = $1 AND s = 'x' ORDER BY c LIMIT 5;\n"
        "SELECT id FROM o WHERE u = $1 AND s = 'y' ORDER BY c LIMIT 5;\n"
        "SELECT count(*) FROM o WHERE u = $1;\n");
    const auto findings = run_rules(p, all_rules());
    const Audit a = build_audit(p, findings, {});
    std::vector<std::string> ddls;
    for (const auto& m : a.modules)
        for (const auto& e : m.indexes) ddls.push_back(e.index.ddl);
    // fk-missing-index wants (u); uncovered-predicate wants (u, s, c): one index serves both.
    REQUIRE(ddls.size() == 1);
    CHECK(ddls[0].find("(u, s, c)") != std::string::npos);
}

TEST_CASE("appendix: every statement parses with PostgreSQL's grammar / in a valid order") {
    for (const char* name : {"trading-platform", "migration-safety", "pg-dump", "prisma", "migration-order"}) {
        const Project p = load_fixture(name);
        const auto findings = run_rules(p, all_rules());
        const Audit a = build_audit(p, findings, {});
        std::string script;
        for (const auto& s : a.appendix) script += s + "\n";
        const ParsedSql parsed = parse_sql(script);
        INFO(name << "\n" << script);
        CHECK(parsed.errors.empty());
        // Types before the ALTERs that use them, indexes before TimescaleDB conversions.
        const size_t type = script.find("CREATE TYPE"), index = script.find("CREATE INDEX"), hyper = script.find("create_hypertable");
        if (type != std::string::npos && index != std::string::npos) CHECK(type < index);
        if (index != std::string::npos && hyper != std::string::npos) CHECK(index < hyper);
        // The purpose scripts hold the same statements in the same order.
        std::vector<std::string> flat;
        for (const auto& [purpose, stmts] : a.appendix_scripts) {
            CHECK(!stmts.empty());
            flat.insert(flat.end(), stmts.begin(), stmts.end());
        }
        CHECK(flat == a.appendix);
    }
}

TEST_CASE("audit renderings escape text from analysed code") {
    const Project p = analyze_sources(
        {{"src/modules/x<script>/q.sql", "CREATE TABLE \"t<b>|x`\" (id int PRIMARY KEY, \"c</td>\" int);\n"
                                         "SELECT id FROM \"t<b>|x`\" WHERE \"c</td>\" = 1;\n"}});
    const auto findings = run_rules(p, all_rules());
    const Audit a = build_audit(p, findings, {});
    const std::string html = render_audit_html(a, p);
    CHECK(html.find("<script>alert") == std::string::npos);
    CHECK(html.find("x<script>") == std::string::npos);
    CHECK(html.find("c</td>") == std::string::npos);
    CHECK(html.find("x&lt;script&gt;") != std::string::npos);
    // Outside fenced code blocks (which GitHub shows verbatim) nothing is raw HTML.
    std::istringstream md(render_audit_markdown(a, p));
    bool in_fence = false;
    for (std::string line; std::getline(md, line);) {
        if (line.rfind("```", 0) == 0) {
            in_fence = !in_fence;
            continue;
        }
        if (in_fence) continue;
        CHECK(line.find("x<script>") == std::string::npos);
        CHECK(line.find("t<b>") == std::string::npos);
    }
    CHECK(nlohmann::json::accept(render_audit_json(a)));
}

TEST_CASE("golden: audit report of the trading platform (Markdown / HTML / JSON)") {
    const Project p = load_fixture("trading-platform");
    const auto findings = run_rules(p, all_rules());
    const Audit a = build_audit(p, findings, {});
    const auto dir = qltest::kSource / "fixtures" / "trading-platform" / "expected";
    qltest::golden(render_audit_markdown(a, p), dir / "report.md");
    qltest::golden(render_audit_html(a, p), dir / "report.html");
    qltest::golden(render_audit_json(a), dir / "report.json");
}

TEST_CASE("critical issues show the finding's own fix - never the rule documentation's example") {
    // A P1 with a fix of its own (an ON CONFLICT target no unique index covers) in a project with
    // no `orders` table: the Markdown must not add the documentation's `... ON orders (...)` example.
    const Project p = analyze_sources(
        {{"migrations/0001.sql", "CREATE TABLE carts (id bigserial PRIMARY KEY, user_id bigint NOT NULL, sku text NOT NULL, qty int);\n"},
         {"queries/carts.sql", "INSERT INTO carts (user_id, sku, qty) VALUES ($1, $2, $3) ON CONFLICT (user_id, sku) DO UPDATE SET qty = EXCLUDED.qty;\n"}});
    const auto findings = run_rules(p, all_rules());
    const Audit a = build_audit(p, findings, {});
    REQUIRE_FALSE(a.critical.empty());
    const std::string md = render_audit_markdown(a, p);
    const size_t from = md.find("## Critical issues");
    const size_t to = md.find("## Index recommendations");
    REQUIRE(from != std::string::npos);
    const std::string critical = md.substr(from, to - from);
    CHECK(critical.find("orders") == std::string::npos);
    size_t recommendations = 0;
    for (size_t at = critical.find("Recommendation"); at != std::string::npos; at = critical.find("Recommendation", at + 1)) ++recommendations;
    CHECK(recommendations == a.critical_groups.size());
}

TEST_CASE("critical issues: one entry per rule and table with every place - the summary says what to do first") {
    Project p = analyze_sources(
        {{"m/0001.sql", "CREATE TABLE accounts (id bigserial PRIMARY KEY);\nCREATE TABLE teams (id bigserial PRIMARY KEY);\n"},
         {"m/0002.sql", "ALTER TABLE accounts ADD COLUMN a text NOT NULL;\nALTER TABLE accounts ADD COLUMN b text NOT NULL;\n"
                        "ALTER TABLE accounts ADD COLUMN c text NOT NULL;\nALTER TABLE teams ADD COLUMN d text NOT NULL;\n"}});
    const auto findings = run_rules(p, {find_rule("adding-required-field")});
    // Without a way to tell new migrations from history, migration hazards are listed, not scored.
    const Audit history = build_audit(p, findings, {});
    CHECK(history.critical.empty());
    CHECK(history.history_findings == 4);
    CHECK(history.score == 100);
    p.migration_settings.since = "0002";  // 0002 is new: its hazards count
    const Audit a = build_audit(p, findings, {});
    REQUIRE(a.critical.size() == 4);
    REQUIRE(a.critical_groups.size() == 2);
    CHECK(a.critical_groups[0].findings.size() == 3);
    CHECK(a.critical_groups[1].findings.size() == 1);
    CHECK(a.status.find("2 critical issue(s)") != std::string::npos);
    REQUIRE(a.do_today.size() == 2);
    CHECK(a.do_today[0].find("adding-required-field on accounts (3 places") != std::string::npos);
    const std::string md = render_audit_markdown(a, p);
    CHECK(md.find("m/0002.sql:1 and 2 more") != std::string::npos);
    const std::string html = render_audit_html(a, p);
    CHECK(html.find("Critical issues (P0-P1)") != std::string::npos);
    CHECK(html.find("Data-model and migration-safety issues") != std::string::npos);
}
