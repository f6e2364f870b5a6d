#pragma once
// What a rule is: stable id, default severity, documentation, and a check over the analysed
// project. Rules read the schema model and query inventory; they never parse.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/project.h"

namespace querylens {

enum class Severity { P0 = 0, P1 = 1, P2 = 2, P3 = 3 };
const char* to_string(Severity s);  // "P0".."P3"

struct RelatedLocation {
    Location loc;
    std::string message;
};

// A structured index the fix creates, so reports can deduplicate and merge recommendations
// (an index whose keys are a prefix of another's is served by the wider one).
struct IndexRecommendation {
    std::string table;              // qualified
    std::vector<std::string> keys;  // column names, or "(expression)"
    std::vector<bool> desc;
    std::string method = "btree";
    bool unique = false;
    std::string name;
    std::string ddl;  // CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS ...;

    // True when this index serves every scan `other` would: same table, method and uniqueness
    // (a unique index may also cover a plain one), and `other`'s keys are a prefix of this one's.
    bool covers(const IndexRecommendation& other) const;
};

struct Finding {
    std::string rule;
    Severity severity = Severity::P2;
    Location loc;
    std::string message;
    std::string fix;  // ready-to-apply SQL (or code) that resolves the finding; may be empty
    std::vector<std::string> tables;  // qualified names of the tables concerned
    std::vector<RelatedLocation> related;
    std::optional<IndexRecommendation> index;  // set when `fix` creates an index
    std::string sql;  // the statement a query finding is about (SQL, or lowered from TypeScript)
    // Stable identity for baselines and SARIF partialFingerprints: a hash of the rule and the
    // offending line's text (whitespace-insensitive) plus its occurrence number, so it survives
    // lines moving above it. Filled in by run_rules.
    std::string fingerprint;
};

// Settings from querylens.toml that change what rules report.
struct RuleOptions {
    std::map<std::string, Severity> severity;     // per-rule overrides
    bool explicit_no_action_is_action = true;      // fk-missing-action
};

struct RuleContext {
    const Project& project;
    const SchemaModel& schema;
    const QueryInventory& inventory;
    const RuleOptions& options;
};

struct Rule {
    const char* id;        // stable, kebab-case: used in configs and suppressions
    const char* name;      // PascalCase, for SARIF rule names
    Severity severity;     // default
    const char* category;  // "query-pattern", "index", "data-model", "input"
    const char* summary;   // one line
    // Markdown, in fixed sections: "## What it does", "## Why is this bad?", "## Example",
    // "## Use instead". Printed by `querylens explain` and used in SARIF help.
    const char* doc;
    void (*check)(const RuleContext&, std::vector<Finding>&);
};

// Every rule, in a fixed order (the registry in rules/registry.cpp).
const std::vector<const Rule*>& all_rules();
const Rule* find_rule(const std::string& id);

// The rule's full documentation page: title line, summary, doc. Printed by `querylens explain`
// and kept in docs/rules/<id>.md (the SARIF helpUri), which a test keeps in sync.
std::string rule_markdown(const Rule& rule);

// Runs the rules, applies severity overrides and the project's suppression comments (reporting
// unused ones as `unused-suppression` when that rule runs), and returns the findings in a total,
// stable order with fingerprints.
std::vector<Finding> run_rules(const Project& project, const std::vector<const Rule*>& rules,
                               const RuleOptions& options = {});

// Turns the project's diagnostics of one kind ("parse-error", ...) into findings.
void report_diagnostics(const RuleContext& ctx, const char* kind, Severity severity, std::vector<Finding>& out);

// Sorts findings by file, line, column, rule, message (then the rest), removing exact duplicates.
void sort_findings(std::vector<Finding>& findings);

}  // namespace querylens
