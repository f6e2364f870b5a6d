// querylens command line: check, schema, inventory, rules, explain.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>

#include <CLI/CLI.hpp>

#include "reports/report.h"

using namespace querylens;

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

struct Common {
    std::vector<std::string> paths;
    std::string root;
    unsigned jobs = 0;
    std::string output;
};

void add_common(CLI::App* cmd, Common& c) {
    cmd->add_option("paths", c.paths, "Files or directories to analyse (default: .)");
    cmd->add_option("--root", c.root, "Directory that reported paths are relative to (default: cwd)");
    cmd->add_option("-j,--jobs", c.jobs, "Parser threads (default: number of cores)");
    cmd->add_option("-o,--output", c.output, "Write the report to FILE instead of stdout");
}

bool emit(const std::string& text, const std::string& output) {
    if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return std::fflush(stdout) == 0;
    }
    std::ofstream out(output, std::ios::binary);
    out << text;
    if (!out) {
        std::fprintf(stderr, "querylens: cannot write %s\n", output.c_str());
        return false;
    }
    return true;
}

Project load(const Common& c) {
    ProjectOptions opts;
    opts.paths = c.paths;
    opts.root = c.root;
    opts.jobs = c.jobs;
    return load_project(opts);
}

std::vector<std::string> split_ids(const std::vector<std::string>& raw) {
    std::vector<std::string> ids;
    for (const auto& r : raw) {
        std::string cur;
        for (char ch : r + ",") {
            if (ch == ',') {
                if (!cur.empty()) ids.push_back(cur);
                cur.clear();
            } else if (ch != ' ') {
                cur += ch;
            }
        }
    }
    return ids;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"querylens: static analysis of PostgreSQL schemas and queries"};
    app.set_version_flag("--version", std::string("querylens ") + QUERYLENS_VERSION);
    app.require_subcommand(1);

    Common check_opts;
    std::string format = "text", fail_on = "p1", color = "auto";
    std::vector<std::string> select, ignore;
    auto* check = app.add_subcommand("check", "Report findings");
    add_common(check, check_opts);
    check->add_option("-f,--format", format, "text, json or sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
    check->add_option("--fail-on", fail_on, "Exit 1 when a finding is at or above: p0, p1, p2, p3 or never")
        ->check(CLI::IsMember({"p0", "p1", "p2", "p3", "never"}));
    check->add_option("--color", color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
    check->add_option("--select", select, "Only run these rule ids (comma-separated)");
    check->add_option("--ignore", ignore, "Do not run these rule ids (comma-separated)");

    Common schema_opts;
    auto* schema = app.add_subcommand("schema", "Dump the schema model built from the migrations");
    add_common(schema, schema_opts);
    schema->add_option("-f,--format", format, "json")->check(CLI::IsMember({"json"}));

    Common inv_opts;
    auto* inventory = app.add_subcommand("inventory", "Dump the query inventory");
    add_common(inventory, inv_opts);
    inventory->add_option("-f,--format", format, "json")->check(CLI::IsMember({"json"}));

    auto* rules_cmd = app.add_subcommand("rules", "List the rules");
    std::string rule_id;
    auto* explain = app.add_subcommand("explain", "Print a rule's documentation");
    explain->add_option("rule", rule_id, "Rule id, e.g. uncovered-predicate")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitError;
    }

    try {
        if (*rules_cmd) {
            std::string out;
            for (const Rule* r : all_rules()) {
                char line[512];
                std::snprintf(line, sizeof line, "%-22s %s  %-14s %s\n", r->id, to_string(r->severity), r->category,
                              r->summary);
                out += line;
            }
            return emit(out, "") ? kExitClean : kExitError;
        }
        if (*explain) {
            const Rule* r = find_rule(rule_id);
            if (!r) {
                std::fprintf(stderr, "querylens: unknown rule '%s' (see `querylens rules`)\n", rule_id.c_str());
                return kExitError;
            }
            return emit(rule_markdown(*r), "") ? kExitClean : kExitError;
        }
        if (*schema) {
            Project p = load(schema_opts);
            for (const auto& d : p.diagnostics)
                std::fprintf(stderr, "%s:%u:%u: %s: %s\n", terminal_safe(d.loc.file).c_str(), d.loc.line, d.loc.column,
                             d.kind.c_str(), terminal_safe(d.message).c_str());
            return emit(schema_json(p.schema), schema_opts.output) ? kExitClean : kExitError;
        }
        if (*inventory) {
            Project p = load(inv_opts);
            for (const auto& d : p.diagnostics)
                std::fprintf(stderr, "%s:%u:%u: %s: %s\n", terminal_safe(d.loc.file).c_str(), d.loc.line, d.loc.column,
                             d.kind.c_str(), terminal_safe(d.message).c_str());
            return emit(inventory_json(p), inv_opts.output) ? kExitClean : kExitError;
        }

        // check
        std::vector<const Rule*> active;
        const auto selected = split_ids(select), ignored = split_ids(ignore);
        for (const auto& id : selected)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: unknown rule '%s' in --select\n", id.c_str()); return kExitError; }
        for (const auto& id : ignored)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: unknown rule '%s' in --ignore\n", id.c_str()); return kExitError; }
        for (const Rule* r : all_rules()) {
            const std::string id = r->id;
            if (!selected.empty() && std::find(selected.begin(), selected.end(), id) == selected.end()) continue;
            if (std::find(ignored.begin(), ignored.end(), id) != ignored.end()) continue;
            active.push_back(r);
        }
        Project p = load(check_opts);
        const auto findings = run_rules(p, active);
        ReportInput in{p, findings, active};
        std::string text;
        if (format == "json") text = render_json(in);
        else if (format == "sarif") text = render_sarif(in);
        else {
            const bool to_tty = check_opts.output.empty() && isatty(fileno(stdout)) && !std::getenv("NO_COLOR");
            text = render_text(in, color == "always" || (color == "auto" && to_tty));
        }
        if (!emit(text, check_opts.output)) return kExitError;
        if (fail_on == "never") return kExitClean;
        const int threshold = fail_on[1] - '0';
        for (const auto& f : findings)
            if (static_cast<int>(f.severity) <= threshold) return kExitFindings;
        return kExitClean;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "querylens: internal error: %s\n", e.what());
        return kExitError;
    }
}
