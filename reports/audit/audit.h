#pragma once
// The scored audit report (`querylens report`): a model built from the findings alone (grouped,
// scored, with recommendations merged), and its Markdown, HTML and JSON renderings.
// The score formula is documented in docs/scoring.md.
#include <map>
#include <string>
#include <vector>

#include "rules/rule.h"

namespace querylens {

struct AuditOptions {
    std::string title = "Database performance audit";
    std::vector<std::string> module_patterns;  // "src/modules/*"; empty: the defaults
    std::string config_path;                   // shown in "what was analysed"
    // Measured evidence (querylens verify): "file:line" of a finding -> what PostgreSQL's planner
    // said, shown next to the recommendation instead of a guessed gain.
    std::map<std::string, std::string> evidence;
    // Findings of lower priority are notes: counted, but neither listed nor scored (like `check`'s
    // default output). P2 unless the config or --min-severity says otherwise.
    Severity min_severity = Severity::P2;
};

// Default module path conventions.
const std::vector<std::string>& default_module_patterns();
// The module a path belongs to ("orders" for backend/src/modules/orders/x.ts), or "".
std::string module_of(const std::string& path, const std::vector<std::string>& patterns);

struct ScoreBreakdown {
    std::string name;  // rule id or module
    int findings = 0;
    double points = 0;  // points of the 100 this costs
};

// A place an index serves: a query that filters on its keys, a foreign key, a conflict target.
struct ServedSite {
    Location loc;
    std::string what;  // "filter on (team_id)", "also filters member on (user_id)", ...
};

struct IndexPlanEntry {
    IndexRecommendation index;
    std::vector<ServedSite> serves;   // the findings it resolves, and the other queries they name
    std::vector<std::string> merged;  // names of narrower recommendations it replaces
    bool table_grows = false;         // the table's profile says it grows
    Severity priority = Severity::P3;  // of the most urgent finding it resolves
};

struct AuditModule {
    std::string name;
    std::vector<std::string> tables;
    std::vector<const Finding*> findings;
    std::vector<IndexPlanEntry> indexes;  // by table, then name
    double points = 0;
};

// P0-P1 findings of one rule on the same tables: one problem, however many places show it.
struct CriticalGroup {
    std::string rule;
    std::vector<std::string> tables;       // qualified
    std::vector<const Finding*> findings;  // in location order; the first is the one shown in full
};

// A query to run on the production database (read-only catalog and statistics views), tailored to
// what querylens saw: the tables the code queries, the indexes the migrations create, the tables
// that grow.
struct MonitoringQuery {
    std::string title;
    std::string purpose;
    std::string sql;
};

struct Audit {
    std::string title;
    int score = 100;
    std::string band;     // Excellent / Good / Moderate / Poor
    double raw_penalty = 0, capacity = 0;
    size_t units = 0;     // tables + queries: the size the penalty is normalised by
    std::map<Severity, int> by_priority;
    std::map<std::string, int> by_category;
    std::vector<ScoreBreakdown> by_rule, by_module;
    std::vector<AuditModule> modules;  // sorted by name; "core" for what no module claims
    std::map<const Finding*, std::string> module_of_finding;
    std::vector<const Finding*> critical;  // P0-P1, in priority then location order
    std::vector<CriticalGroup> critical_groups;  // the same, one entry per rule and tables
    std::string status;                    // the summary's opening sentence
    std::vector<std::string> do_today;     // the few actions to take first
    // Migration-safety findings in migrations already applied (no [migrations] since /
    // --changed-since to say which are new): listed, but history, so neither scored nor critical.
    size_t history_findings = 0;
    // Findings below the listed priority (AuditOptions::min_severity), by rule: notes, not scored.
    std::map<std::string, int> notes;
    size_t notes_total = 0;
    Severity min_severity = Severity::P2;
    std::vector<std::string> appendix;     // recommended DDL, in an order PostgreSQL accepts
    // The same statements as purpose scripts, in that order: data model and constraints, indexes,
    // index clean-up, TimescaleDB (a script may be empty and is then left out).
    std::vector<std::pair<std::string, std::vector<std::string>>> appendix_scripts;
    std::vector<MonitoringQuery> monitoring;
    std::vector<std::pair<std::string, std::string>> metrics;  // what to track, and its target
    // What was analysed.
    size_t sql_files = 0, ts_files = 0, statements = 0, queries = 0, tables = 0, parse_errors = 0;
    std::string config_path, version;
    std::map<std::string, std::string> evidence;  // from AuditOptions

    const std::string* evidence_for(const Location& l) const {
        auto it = evidence.find(l.file + ":" + std::to_string(l.line));
        return it == evidence.end() ? nullptr : &it->second;
    }
};

// Builds the audit from the project's findings (all rules should have run). The audit points into
// `findings` and `project`: both must outlive it.
Audit build_audit(const Project& project, const std::vector<Finding>& findings, const AuditOptions& options);

// The score of a set of findings on a project of `units` (tables + queries): see docs/scoring.md.
// `counted`: which findings weigh (null: all); the others contribute 0.
double score_penalty(const std::vector<Finding>& findings, std::vector<double>* per_finding = nullptr,
                     const std::vector<bool>* counted = nullptr);
int score_from_penalty(double penalty, size_t units, double* capacity = nullptr);
const char* score_band(int score);

std::string render_audit_markdown(const Audit& audit, const Project& project);
std::string render_audit_html(const Audit& audit, const Project& project);
std::string render_audit_json(const Audit& audit);

}  // namespace querylens
