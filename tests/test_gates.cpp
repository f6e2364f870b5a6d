// Workflow gates: suppression comments, unused suppressions, severity overrides, rule options,
// baselines and GitHub annotations.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "reports/report.h"
#include "tests/helpers.h"

using namespace querylens;

namespace {

std::vector<std::string> ids_lines(const std::vector<Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.rule + "@" + f.loc.file + ":" + std::to_string(f.loc.line));
    return out;
}

std::vector<Finding> run_all(const Project& p, const RuleOptions& o = {}) { return run_rules(p, all_rules(), o); }

const char* kTable = "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n";

}  // namespace

TEST_CASE("suppressions: next-line and file forms / in SQL and TypeScript - unused ones are reported") {
    const Project p = analyze_sources({
        {"m/0001.sql", kTable},
        {"q/a.sql", "-- querylens-ignore-next-line uncovered-predicate: scanned nightly, table is tiny\n"
                    "\n"
                    "SELECT id FROM t WHERE a = 1 LIMIT 1;\n"
                    "SELECT id FROM t WHERE b = 1 LIMIT 1; -- querylens-ignore-next-line select-star\n"
                    "SELECT id FROM t WHERE id = 1;\n"},
        {"q/b.sql", "-- querylens-ignore-file uncovered-predicate, unpaginated-query\n"
                    "SELECT id FROM t WHERE a = 1;\n"
                    "SELECT id FROM t WHERE b = 1;\n"},
        {"src/c.ts", "// querylens-ignore-next-line raw-sql-rule-that-does-not-exist\n"
                     "pool.query('SELECT id FROM t WHERE id = 1');\n"
                     "// querylens-ignore-next-line uncovered-predicate: reviewed\n"
                     "pool.query('SELECT id FROM t WHERE a = $1 LIMIT 1');\n"
                     "// querylens-ignore-next-line\n"
                     "pool.query('SELECT * FROM t WHERE b = $1');\n"},
    });
    CHECK(p.suppressions.size() == 6);
    const auto findings = run_all(p);
    CHECK(ids_lines(findings) == std::vector<std::string>{
                                     "uncovered-predicate@q/a.sql:4",
                                     "unused-suppression@q/a.sql:4",  // select-star on line 5: nothing there
                                     "unused-suppression@src/c.ts:1",  // unknown rule id
                                 });
    CHECK(findings[2].message.find("unknown rule 'raw-sql-rule-that-does-not-exist'") != std::string::npos);
    // Not reported as unused when the suppressed rule did not run.
    const auto only_fk = run_rules(p, {find_rule("fk-missing-index"), find_rule("unused-suppression")});
    CHECK(ids_lines(only_fk) == std::vector<std::string>{"unused-suppression@src/c.ts:1"});
}

TEST_CASE("severity overrides and the explicit NO ACTION option") {
    const Project p = qltest::analyze(
        "CREATE TABLE p (id int PRIMARY KEY);\n"
        "CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id) ON DELETE NO ACTION, doc jsonb);\n"
        "CREATE INDEX ON c (p_id);\n"
        "SELECT * FROM c WHERE p_id = 1;\n");
    CHECK(qltest::run(p, "fk-missing-action").empty());
    RuleOptions strict;
    strict.values["fk-missing-action"]["explicit-no-action-is-action"] = "false";
    CHECK(run_rules(p, {find_rule("fk-missing-action")}, strict).size() == 1);
    RuleOptions o;
    o.severity["select-star"] = Severity::P0;
    const auto fs = run_rules(p, {find_rule("select-star")}, o);
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].severity == Severity::P0);
}

TEST_CASE("baseline: survives unrelated edits / not a change of the offending code") {
    const std::string before = std::string(kTable) + "SELECT id FROM t WHERE a = 1 LIMIT 1;\nSELECT id FROM t WHERE b = 1 LIMIT 1;\n";
    const auto base = render_baseline(run_all(qltest::analyze(before)));

    // Lines added above, other code reformatted: nothing new.
    const std::string moved = std::string("-- header\n\n") + kTable +
                              "SELECT id FROM t WHERE a = 1 LIMIT 1;\nSELECT   id\nFROM t WHERE b = 1 LIMIT 1;\n";
    auto after = run_all(qltest::analyze(moved));
    std::string error;
    REQUIRE(filter_baseline(base, after, error));
    // The reformatted statement's finding moved to a line whose text changed: it is new.
    CHECK(ids_lines(after) == std::vector<std::string>{"uncovered-predicate@db/0001.sql:6"});

    // The offending code itself changed: reported.
    const std::string changed = std::string(kTable) + "SELECT id FROM t WHERE a = 2 LIMIT 1;\nSELECT id FROM t WHERE b = 1 LIMIT 1;\n";
    auto fs = run_all(qltest::analyze(changed));
    REQUIRE(filter_baseline(base, fs, error));
    CHECK(ids_lines(fs) == std::vector<std::string>{"uncovered-predicate@db/0001.sql:2"});

    // A second identical finding is not absorbed by the first one's entry (unpaginated-query: one
    // finding per statement; a second query on the same missing index is a related location instead).
    const std::string lists = std::string(kTable) + "SELECT id FROM t;\n";
    const auto list_base = render_baseline(run_all(qltest::analyze(lists)));
    auto more = run_all(qltest::analyze(lists + "SELECT id FROM t;\n"));
    REQUIRE(filter_baseline(list_base, more, error));
    CHECK(more.size() == 1);

    auto untouched = run_all(qltest::analyze(before));
    CHECK_FALSE(filter_baseline("{\"findings\": [{\"rule\": 1}]}", untouched, error));
    CHECK_FALSE(filter_baseline("[]", untouched, error));
}

// Three queries on one missing index of a table statistics size (20,000 rows): a finding (P2).
constexpr const char* kThreeLookups = "SELECT id FROM t WHERE a = 1 LIMIT 1;\nSELECT id FROM t WHERE a = 2 LIMIT 1;\nSELECT count(*) FROM t WHERE a = 3;\n";

TEST_CASE("github annotations escape data and properties") {
    Project p = analyze_sources({{"dir,with:odd%name/0001.sql", std::string(kTable) + kThreeLookups}});
    p.database.tables["public.t"].rows = 20000;
    const auto fs = run_rules(p, {find_rule("uncovered-predicate")});
    const std::vector<const Rule*> rules = {find_rule("uncovered-predicate")};
    const std::string out = render_github({p, fs, rules});
    CHECK(out.rfind("::warning file=dir%2Cwith%3Aodd%25name/0001.sql,line=2,col=24,title=P2 uncovered-predicate::", 0) == 0);
    CHECK(out.find("%0Afix: CREATE INDEX") != std::string::npos);
    CHECK(out.find('\r') == std::string::npos);
}

TEST_CASE("gitlab code quality: one issue per finding with a stable fingerprint") {
    Project p = qltest::analyze(std::string(kTable) + kThreeLookups);
    p.database.tables["public.t"].rows = 20000;
    const auto fs = run_rules(p, {find_rule("uncovered-predicate")});
    const std::vector<const Rule*> rules = {find_rule("uncovered-predicate")};
    const auto j = nlohmann::json::parse(render_gitlab({p, fs, rules}));
    REQUIRE(j.size() == 1);
    CHECK(j[0]["check_name"] == "uncovered-predicate");
    CHECK(j[0]["severity"] == "major");  // P2: sized, no evidence the table grows
    CHECK(j[0]["location"]["lines"]["begin"] == 2);
    CHECK(j[0]["fingerprint"] == "uncovered-predicate:db/0001.sql:" + fs[0].fingerprint);
}

TEST_CASE("config: globs match across directories") {
    CHECK(glob_match("legacy/*", "legacy/a/b.sql"));
    CHECK(glob_match("*.sql", "db/x.sql"));
    CHECK_FALSE(glob_match("legacy/*", "src/legacy.sql"));
    // extglob, as drizzle.config files write it (flowglad: `./db-core/schema/!(*.test).ts`).
    CHECK(glob_match("db/schema/!(*.test).ts", "db/schema/users.ts"));
    CHECK_FALSE(glob_match("db/schema/!(*.test).ts", "db/schema/users.test.ts"));
}

TEST_CASE("config: migration directories run first / in their order - include/exclude globs") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "querylens-migration-order-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "a_changes");
    fs::create_directories(dir / "z_base");
    fs::create_directories(dir / "skip");
    std::ofstream(dir / "a_changes" / "0001.sql") << "ALTER TABLE t ADD COLUMN b int;\n";
    std::ofstream(dir / "z_base" / "0001.sql") << "CREATE TABLE t (id int PRIMARY KEY);\n";
    std::ofstream(dir / "skip" / "x.sql") << "CREATE TABLE skipped (id int);\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    o.config_dir = dir.string();
    o.exclude = {"skip/*"};
    Project natural = load_project(o);
    CHECK_FALSE(natural.schema.find_table("public.t")->column("b"));  // ALTER ran before CREATE
    o.migration_dirs = {"z_base", "a_changes"};
    Project ordered = load_project(o);
    CHECK(ordered.schema.find_table("public.t")->column("b"));
    CHECK_FALSE(ordered.schema.find_table("public.skipped"));
    o.exclude.clear();
    o.include = {"z_base/*"};
    CHECK(load_project(o).stats.sql_files == 1);
    o.include.clear();
    std::ofstream(dir / "a_changes" / "q.ts") << "export const x = 1;\n";
    std::ofstream(dir / "z_base" / "q.ts") << "export const y = 1;\n";
    o.typescript_dirs = {"z_base"};
    CHECK(load_project(o).stats.ts_files == 1);
    fs::remove_all(dir);
}

TEST_CASE("per-file ignores: a rule is not reported in files matching the glob - other rules and files are") {
    const Project p = analyze_sources({{"legacy/old.sql", "CREATE TABLE t (id int PRIMARY KEY, j jsonb);\nSELECT * FROM t WHERE id > 3 LIMIT 5;\n"},
                                       {"src/q.sql", "SELECT * FROM t WHERE id > 3 LIMIT 5;\n"}});
    RuleOptions options;
    options.per_file_ignores = {{"legacy/*", {"select-star"}}};
    std::vector<std::string> where;
    for (const auto& f : run_rules(p, {find_rule("select-star")}, options)) where.push_back(f.loc.file);
    CHECK(where == std::vector<std::string>{"src/q.sql"});
    CHECK(run_rules(p, {find_rule("select-star")}).size() == 2);
}

TEST_CASE("config: per-file ignores are read and their rule ids checked - include globs that match nothing are said") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "querylens-per-file-ignores";
    fs::remove_all(dir);
    fs::create_directories(dir / "src");
    std::ofstream(dir / "querylens.toml") << "[rules.per-file-ignores]\n\"scripts/*\" = [\"n-plus-one\", \"write-in-loop\"]\n";
    Config c;
    std::vector<ConfigError> errors;
    REQUIRE(load_config((dir / "querylens.toml").string(), c, errors));
    REQUIRE(c.per_file_ignores.size() == 1);
    CHECK(c.per_file_ignores[0].first == "scripts/*");
    CHECK(c.per_file_ignores[0].second == std::vector<std::string>{"n-plus-one", "write-in-loop"});
    std::ofstream(dir / "bad.toml") << "[rules.per-file-ignores]\n\"scripts/*\" = [\"n-plus-two\"]\n";
    Config bad;
    std::vector<ConfigError> errs;
    CHECK_FALSE(load_config((dir / "bad.toml").string(), bad, errs));
    std::ofstream(dir / "src" / "a.sql") << "CREATE TABLE a (id int PRIMARY KEY);\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    o.config_dir = dir.string();
    o.include = {"src/*", "lib/*"};
    const Project p = load_project(o);
    bool said = false;
    for (const auto& d : p.diagnostics) said = said || (d.kind == "config" && d.message.find("\"lib/*\" matches no file") != std::string::npos);
    CHECK(said);
    fs::remove_all(dir);
}

TEST_CASE("suppressions: a next-line comment above a multi-line statement covers the whole statement") {
    const Project p = analyze_sources({
        {"m/0001.sql", "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n"},
        {"q/a.sql", "-- querylens-ignore-next-line uncovered-predicate: reviewed\n"
                    "SELECT id\n"
                    "FROM t\n"
                    "WHERE a = 1\n"
                    "LIMIT 1;\n"
                    "SELECT id\n"
                    "FROM t\n"
                    "WHERE b = 1\n"
                    "LIMIT 1;\n"},
    });
    const auto findings = run_rules(p, {find_rule("uncovered-predicate"), find_rule("unused-suppression")});
    // The first statement's filter (line 4) is covered by the comment above line 2; the second is not.
    CHECK(ids_lines(findings) == std::vector<std::string>{"uncovered-predicate@q/a.sql:8"});
}
