#pragma once
// Renders findings and models. Reports format what the rules found; they never analyse.
#include <string>
#include <vector>

#include "rules/rule.h"

namespace querylens {

struct ReportInput {
    const Project& project;
    const std::vector<Finding>& findings;
    const std::vector<const Rule*>& rules;  // the rules that ran, in registry order
    size_t hidden = 0;                      // findings below --min-severity (counted, not listed)
    std::string min_severity = "p3";        // what `hidden` is below of
};

std::string render_text(const ReportInput& in, bool color);
std::string render_json(const ReportInput& in);
std::string render_sarif(const ReportInput& in);
std::string render_github(const ReportInput& in);  // GitHub Actions annotations
std::string render_gitlab(const ReportInput& in);  // GitLab code quality JSON

// Baselines (JSON): the findings' rule, file and fingerprint. filter_baseline removes findings the
// baseline records (each entry absorbs one finding); false with `error` for a malformed file.
std::string render_baseline(const std::vector<Finding>& findings);
bool filter_baseline(const std::string& baseline, std::vector<Finding>& findings, std::string& error);

// The schema model as JSON; with `profiles`, each table's profile (growth, its source, wide columns).
std::string schema_json(const SchemaModel& schema, const TableProfiles* profiles = nullptr);
std::string inventory_json(const Project& project);

// Replaces control characters (ANSI escapes included) with visible \xNN sequences, so text
// taken from analysed files cannot drive the terminal.
std::string terminal_safe(std::string_view s);

}  // namespace querylens
