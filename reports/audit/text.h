#pragma once
// Presentation helpers shared by the Markdown and HTML audit renderers (labels, excerpts, the
// migration plan's wording). They format what the audit model holds; they do not analyse.
#include <functional>
#include <string>
#include <vector>

#include "reports/audit/audit.h"

namespace querylens {

const char* priority_label(Severity s);           // "production blockers", "high", ...
std::string category_label(const std::string& c);  // "index recommendations", ...
std::string module_label(const Audit& a, const Finding& f);
std::string impact_of(const Rule& r);    // first paragraph of the doc's "Why is this bad?"
std::string code_excerpt(const Project& p, const Location& l);  // the finding's source lines
bool is_typescript(const std::string& path);
std::string one_decimal(double v);  // "12.3"
std::string fix_language(const Finding& f);  // a code fence language: "sql", "ts"
// The listed findings of one category, grouped by rule (rules in id order; each group by priority,
// then location): the report's pattern sections.
std::vector<std::pair<std::string, std::vector<const Finding*>>> findings_by_rule(const Audit& a, RuleCategory category);
// How many notes (findings below the listed priority) the rules of these categories have, and
// the sentence that says so ("" when none).
std::string notes_sentence(const Audit& a, const std::vector<std::string>& categories);
std::string join(const std::vector<std::string>& items, const std::string& sep,
                 const std::function<std::string(const std::string&)>& each = {});

// One step of the migration plan: a problem (one rule, all its places) or a batch of indexes,
// with what fixing it buys.
struct PlanItem {
    Severity priority = Severity::P2;
    std::string action;
    std::string impact;
};
struct PlanPhase {
    std::string title;
    std::vector<PlanItem> items;
};
std::vector<PlanPhase> migration_plan(const Audit& a);

}  // namespace querylens
