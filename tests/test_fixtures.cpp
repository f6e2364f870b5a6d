// Every project under fixtures/ is analysed with all rules, and its findings must match the
// inline expectations exactly: each `-- expect: rule-id[@col]["text"][, ...]` is found on its line
// (or, when the comment stands alone, on the next code line; in a querylens-ignore comment, on
// that comment's line), and nothing else is reported. Files skipped as binary (io-error) are read
// from disk for their expectations.
// fixtures/rules/<rule-id>/ holds one rule's violations and look-alikes, checked with that rule
// alone and snapshotted in its expected.txt.
// fixtures/trading-platform also has golden outputs in expected/; regenerate them with
//   QUERYLENS_UPDATE_GOLDEN=1 ./build/querylens_tests -tc='golden*'
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
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

// One inline expectation: `-- expect: rule-id` or `// expect: rule-id@12 "message text"`, where
// `@col` pins the column and a quoted string must occur in the message. On a line of its own the
// comment is about the next code line.
struct Expectation {
    std::string at;    // "file:line rule"
    unsigned column = 0;
    std::string text;  // "" when not pinned
};

std::vector<Expectation> parse_expect(const std::string& spec, const std::string& at_prefix) {
    std::vector<Expectation> out;
    std::string cur;
    bool quoted = false;
    auto flush = [&] {
        std::string item = trim(cur);
        cur.clear();
        if (item.empty()) return;
        Expectation e;
        if (const auto q = item.find('"'); q != std::string::npos) {
            const auto q2 = item.rfind('"');
            e.text = item.substr(q + 1, q2 > q ? q2 - q - 1 : std::string::npos);
            item = trim(item.substr(0, q));
        }
        if (const auto col = item.find('@'); col != std::string::npos) {
            e.column = static_cast<unsigned>(std::stoul(item.substr(col + 1)));
            item = item.substr(0, col);
        }
        e.at = at_prefix + " " + trim(item);
        out.push_back(std::move(e));
    };
    for (char ch : spec) {
        if (ch == '"') quoted = !quoted;
        if (ch == ',' && !quoted) flush();
        else cur += ch;
    }
    flush();
    return out;
}

// The expectations written in one file's text.
void expectations_in(const std::string& path, const std::string& text, std::vector<Expectation>& out) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    for (size_t i = 0; i < lines.size(); ++i) {
        for (const char* marker : {"-- expect:", "// expect:", "{/* expect:"}) {
            const auto at = lines[i].find(marker);
            if (at == std::string::npos) continue;
            size_t target = i;
            // Alone on its line the comment is about the next code line, except in a
            // querylens-ignore comment: unused-suppression reports the comment itself.
            if (comment_only(lines[i]) && lines[i].find("querylens-ignore") == std::string::npos)
                while (target + 1 < lines.size() && (comment_only(lines[target]) || trim(lines[target]).empty())) ++target;
            std::string spec = lines[i].substr(at + std::string(marker).size());
            if (const auto end = spec.find("*/"); end != std::string::npos) spec = spec.substr(0, end);
            for (auto& e : parse_expect(spec, path + ":" + std::to_string(target + 1))) out.push_back(std::move(e));
        }
    }
}

// Every analysed file's expectations, and those of files querylens skipped (io-error: binary
// content), read here from disk as they are.
std::vector<Expectation> expectations(const Project& p) {
    std::vector<Expectation> out;
    std::set<std::string> seen;
    for (const auto& f : p.files) {
        seen.insert(f->path());
        expectations_in(f->path(), f->text(), out);
    }
    for (const auto& d : p.diagnostics)
        if (d.kind == "io-error" && seen.insert(d.loc.file).second && fs::is_regular_file(kSource / d.loc.file))
            expectations_in(d.loc.file, read(kSource / d.loc.file), out);
    return out;
}

// Both directions: every expectation is met (with its pinned column and text), nothing else found.
void check_expectations(const std::string& name, const Project& p, const std::vector<Finding>& findings) {
    std::multimap<std::string, const Finding*> actual;
    for (const auto& f : findings) actual.emplace(f.loc.file + ":" + std::to_string(f.loc.line) + " " + f.rule, &f);
    const auto expected = expectations(p);
    std::set<std::string> expected_at;
    std::string missing, unexpected;
    for (const auto& e : expected) {
        expected_at.insert(e.at);
        auto [lo, hi] = actual.equal_range(e.at);
        bool met = false;
        for (auto it = lo; it != hi && !met; ++it)
            met = (!e.column || it->second->loc.column == e.column) &&
                  (e.text.empty() || it->second->message.find(e.text) != std::string::npos);
        if (!met)
            missing += "  " + e.at + (e.column ? "@" + std::to_string(e.column) : "") + (e.text.empty() ? "" : " \"" + e.text + "\"") + "\n";
    }
    for (const auto& [at, f] : actual)
        if (!expected_at.count(at)) unexpected += "  " + at + "@" + std::to_string(f->loc.column) + ": " + f->message + "\n";
    INFO("fixture " << name << "\nmissing:\n" << missing << "unexpected:\n" << unexpected);
    CHECK(!expected.empty());
    CHECK(missing.empty());
    CHECK(unexpected.empty());
}

}  // namespace

TEST_CASE("fixtures: every expectation is found and nothing else is reported") {
    int projects = 0;
    for (const auto& entry : fs::directory_iterator(kSource / "fixtures")) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory() || name == "rules" || name == "frontends" || name[0] == '.') continue;
        SUBCASE(name.c_str()) {
            Project p = load_fixture(name);
            check_expectations(name, p, run_rules(p, all_rules()));
        }
        ++projects;
    }
    CHECK(projects >= 1);
}

// fixtures/rules/<rule-id>/: violations and look-alikes of one rule side by side, checked with
// that rule alone (plus the input rules, so a fixture that does not parse fails loudly), and the
// rendered findings snapshotted in expected.txt.
TEST_CASE("rule fixtures: one directory per rule / expectations both ways / snapshot") {
    int rules = 0;
    for (const auto& entry : fs::directory_iterator(kSource / "fixtures" / "rules")) {
        const std::string id = entry.path().filename().string();
        if (!entry.is_directory() || id[0] == '.') continue;  // hidden: a .querylens-cache of a run there
        SUBCASE(id.c_str()) {
            const Rule* rule = find_rule(id);
            INFO("fixtures/rules/" << id << " names no rule");
            REQUIRE(rule);
            Project p = load_fixture("rules/" + id);
            std::vector<const Rule*> rs = {rule};
            for (const char* input : {"parse-error", "io-error"})
                if (id != input) rs.push_back(find_rule(input));
            const auto findings = run_rules(p, rs);
            check_expectations("rules/" + id, p, findings);
            golden(render_text({p, findings, rs}, false), entry.path() / "expected.txt");
        }
        ++rules;
    }
    CHECK(rules >= 1);
}

// fixtures/frontends/drizzle/<case>/: what the Drizzle frontend lowers each query to, one line per
// query in inventory order (`file:line:col [frontend] api: SQL`, line breaks in the SQL folded to
// spaces), then any diagnostic (`file:line:col [parse-error] message`), snapshotted in lowered.txt;
// schema-declarations also snapshots the schema model in schema.json.
TEST_CASE("frontend fixtures: lowered SQL snapshot") {
    int cases = 0;
    for (const auto& entry : fs::directory_iterator(kSource / "fixtures" / "frontends" / "drizzle")) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory() || name[0] == '.') continue;
        SUBCASE(name.c_str()) {
            Project p = load_fixture("frontends/drizzle/" + name);
            INFO("fixtures/frontends/drizzle/" << name);
            CHECK(!p.inventory.queries.empty());
            std::string out;
            for (const auto& q : p.inventory.queries) {
                std::string sql;
                for (size_t i = 0; i < q.sql.size(); ++i) {
                    if (q.sql[i] != '\n' && q.sql[i] != '\r') {
                        sql += q.sql[i];
                        continue;
                    }
                    while (!sql.empty() && (sql.back() == ' ' || sql.back() == '\t')) sql.pop_back();
                    while (i + 1 < q.sql.size() && (q.sql[i + 1] == ' ' || q.sql[i + 1] == '\t' || q.sql[i + 1] == '\n' || q.sql[i + 1] == '\r')) ++i;
                    if (!sql.empty()) sql += ' ';
                }
                out += q.loc.file + ":" + std::to_string(q.loc.line) + ":" + std::to_string(q.loc.column) + " [" +
                       origin_label(q) + "] " + q.api + ": " + trim(sql) + "\n";
            }
            // What the frontend could not lower into valid SQL shows up as a diagnostic.
            for (const auto& d : p.diagnostics)
                out += d.loc.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + " [" + d.kind +
                       "] " + d.message + "\n";
            golden(out, entry.path() / "lowered.txt");
            if (name == "schema-declarations" || fs::exists(entry.path() / "drizzle.config.ts"))
                golden(schema_json(p.schema), entry.path() / "schema.json");
        }
        ++cases;
    }
    CHECK(cases >= 6);
}

TEST_CASE("golden: trading-platform reports") {
    Project p = load_fixture("trading-platform");
    const auto findings = run_rules(p, all_rules());
    ReportInput in{p, findings, all_rules()};
    const fs::path dir = kSource / "fixtures" / "trading-platform" / "expected";
    golden(render_text(in, false), dir / "check.txt");
    golden(render_json(in), dir / "check.json");
    golden(render_sarif(in), dir / "check.sarif");
    golden(schema_json(p.schema, &p.profiles), dir / "schema.json");
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
