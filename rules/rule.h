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

enum class RuleCategory { QueryPattern, Index, DataModel, MigrationSafety, TimescaleDb, Input };
const char* to_string(RuleCategory c);  // "query-pattern", "index", "data-model", "migration-safety", "timescaledb", "input"

// Where a rule's fixes go in the audit's appendix script: an order PostgreSQL accepts (types
// before the columns that use them, constraints, index clean-up, then TimescaleDB conversions,
// the policies and aggregates that need the hypertables).
enum class AppendixPhase { Indexes = 0, Types = 1, Constraints = 2, IndexCleanup = 4, Hypertables = 5, Policies = 6, Aggregates = 7 };
// Where a rule's findings go in the audit's migration plan: by priority and category, or always
// first (schema fixes that later work builds on).
enum class PlanPlacement { ByCategory, First };

// A setting a rule reads from querylens.toml (`[rules.<rule-id>] name = value`).
enum class OptionType { Bool };
struct RuleOption {
    const char* name;           // kebab-case
    OptionType type;
    const char* default_value;  // as written in TOML: "true"
    const char* doc;
};

struct Rule;

// Settings from querylens.toml that change what rules report.
struct RuleOptions {
    std::map<std::string, Severity> severity;  // per-rule overrides
    // Per rule id, option name -> value as written in TOML (validated against the rule's options).
    std::map<std::string, std::map<std::string, std::string>> values;
    // [rules.per-file-ignores]: findings of these rules in files matching the glob (fnmatch on the
    // reported path, `*` matching `/` too) are not reported.
    std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
};

struct RuleContext {
    const Project& project;
    const SchemaModel& schema;
    const QueryInventory& inventory;
    const RuleOptions& options;
    const Rule* rule = nullptr;  // the rule being run
    // The project's migrations live in migration files outside test and setup code.
    bool migrations_elsewhere = false;

    // One of the running rule's boolean options: the configured value, else its declared default.
    bool flag(const char* name) const;
    // A table or index declared in `file` is a stand-in: a test's setup, a fixture or a seed
    // script, in a project whose migrations live elsewhere (often another system's schema, as a
    // test database needs it). Schema rules report it as a note, not against the project.
    bool stand_in_schema(const std::string& file) const;
};

struct Rule {
    const char* id;         // stable, kebab-case: used in configs and suppressions
    const char* name;       // PascalCase, for SARIF rule names
    Severity severity;      // default
    RuleCategory category;
    const char* summary;    // one line
    // Markdown, in fixed sections: "## What it does", "## Why is this bad?", "## Example",
    // "## Use instead". Printed by `querylens explain` and used in SARIF help.
    const char* doc;
    void (*check)(const RuleContext&, std::vector<Finding>&);
    AppendixPhase appendix = AppendixPhase::Indexes;
    PlanPlacement plan = PlanPlacement::ByCategory;
    std::vector<RuleOption> options = {};

    const RuleOption* option(const std::string& name) const;
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

// The tables whose rows runtime code deletes, each with the code's DELETE: directly, or through an
// ON DELETE CASCADE of the schema from a table it deletes (deleting a user deletes their sessions).
struct RuntimeDelete {
    Location loc;     // the code's DELETE
    std::string via;  // the table that DELETE names, when the rows go through a cascade from it
    // "src/users.ts:12", or "src/users.ts:12, through ON DELETE CASCADE from users"
    std::string where() const;
};
std::map<std::string, RuntimeDelete> runtime_deletes(const RuleContext& ctx);
// A DELETE that runtime code issues: the table it deletes from, else null.
const Relation* runtime_delete_target(const Query& q);

// The code's schema (Drizzle) declares `table`, every column of it read, without one of `columns`:
// the migrations add a column the declarations (often pulled from the live database) no longer
// have. Which is right is schema-drift's question; advice naming the column may not apply.
bool declared_without(const RuleContext& ctx, const std::string& table, const std::vector<std::string>& columns);

// Turns the project's diagnostics of one kind ("parse-error", ...) into findings.
void report_diagnostics(const RuleContext& ctx, const char* kind, Severity severity, std::vector<Finding>& out);

}  // namespace querylens
