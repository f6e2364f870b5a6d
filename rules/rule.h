#pragma once
// What a rule is: stable id, default severity, documentation, and a check over the analysed
// project. Rules read the schema model and query inventory; they never parse.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/project.h"

namespace querylens {

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

}  // namespace querylens
