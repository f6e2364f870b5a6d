// querylens command line: check, schema, inventory, report, verify, init, rules, explain.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <zlib.h>

#include "analysis/project.h"
#include "config/config.h"
#include "reports/audit/audit.h"
#include "reports/report.h"
#include "verify/verify.h"

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
    std::string config;
    bool verbose = false;
};

void add_common(CLI::App* cmd, Common& c) {
    cmd->add_option("paths", c.paths, "Files or directories to analyse (default: .)");
    cmd->add_option("--config", c.config, "querylens.toml to use (default: the nearest one above the first path)");
    cmd->add_option("--root", c.root, "Directory that reported paths are relative to (default: cwd)");
    cmd->add_option("-j,--jobs", c.jobs, "Parser threads (default: number of cores)");
    cmd->add_option("-o,--output", c.output, "Write the report to FILE instead of stdout");
    cmd->add_flag("-v,--verbose", c.verbose, "List what querylens could not read or follow (diagnostics), not only their count");
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

// Reads the configuration: --config, else querylens.toml in or above the first path. False (after
// printing every error with file:line:col) when it is invalid.
bool read_config(const Common& c, Config& config) {
    std::string path = c.config;
    if (path.empty()) {
        if (auto found = find_config(c.paths.empty() ? "." : c.paths.front())) path = *found;
        else return true;
    } else if (!std::ifstream(path)) {
        std::fprintf(stderr, "querylens: cannot read config file %s\n", terminal_safe(path).c_str());
        return false;
    }
    std::vector<ConfigError> errors;
    if (load_config(path, config, errors)) return true;
    for (const auto& e : errors)
        std::fprintf(stderr, "%s:%u:%u: error: %s\n", terminal_safe(e.file).c_str(), e.line, e.column,
                     terminal_safe(e.message).c_str());
    return false;
}

Project load(const Common& c, const Config& config) {
    ProjectOptions opts;
    opts.paths = c.paths;
    opts.root = c.root;
    opts.jobs = c.jobs;
    opts.config_dir = config.path.empty() ? "" : config.dir;
    opts.include = config.include;
    opts.exclude = config.exclude;
    opts.migration_dirs = config.migrations;
    opts.typescript_dirs = config.typescript;
    opts.context.one_off = config.one_off;
    opts.context.runtime = config.runtime;
    opts.tables.small = config.small_tables;
    opts.tables.large = config.large_tables;
    return load_project(opts);
}

// Input problems (`inputs`: also printed when they are not findings of this command), then what
// querylens could not read or follow: counted by kind, listed with --verbose.
void print_diagnostics(const Project& p, bool verbose, bool inputs) {
    std::map<std::string, size_t> counts;
    for (const auto& d : p.diagnostics) {
        const bool input = is_input_problem(d);
        if (!input) ++counts[d.kind];
        if ((input && inputs) || (!input && verbose))
            std::fprintf(stderr, "%s:%u:%u: %s: %s\n", terminal_safe(d.loc.file).c_str(), d.loc.line, d.loc.column,
                         d.kind.c_str(), terminal_safe(d.message).c_str());
    }
    if (counts.empty() || verbose) return;
    std::string list;
    size_t total = 0;
    for (const auto& [kind, n] : counts) list += (list.empty() ? "" : ", ") + kind + " " + std::to_string(n), total += n;
    std::fprintf(stderr, "querylens: %zu place(s) querylens could not read or follow (%s); --verbose lists them\n", total,
                 list.c_str());
}

std::string read_file(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    ok = static_cast<bool>(in) || in.eof();
    return ss.str();
}

RuleOptions rule_options(const Config& config) {
    RuleOptions options;
    for (const auto& [id, sev] : config.severity) options.severity[id] = static_cast<Severity>(sev);
    options.values = config.rule_options;
    return options;
}

// The registry's rules in `selected` (all when empty) and not in `ignored`; ids already validated.
std::vector<const Rule*> active_rules(const std::vector<std::string>& selected, const std::vector<std::string>& ignored) {
    std::vector<const Rule*> active;
    for (const Rule* r : all_rules()) {
        const std::string id = r->id;
        if (!selected.empty() && std::find(selected.begin(), selected.end(), id) == selected.end()) continue;
        if (std::find(ignored.begin(), ignored.end(), id) != ignored.end()) continue;
        active.push_back(r);
    }
    return active;
}

constexpr size_t kGithubMaxResults = 25000;           // GitHub code scanning: results per SARIF run
constexpr unsigned long kGithubMaxGzipBytes = 10u << 20;  // and 10 MB gzipped per upload

// The size of `text` compressed with deflate (what gzip adds is a few bytes of header).
unsigned long deflated_size(const std::string& text) {
    uLongf size = compressBound(static_cast<uLong>(text.size()));
    std::vector<Bytef> buf(size);
    if (compress2(buf.data(), &size, reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size()), 6) != Z_OK)
        return 0;
    return size + 18;
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
    std::string format = "text", fail_on, color = "auto", baseline, write_baseline;
    std::vector<std::string> select, ignore, report_only;
    auto* check = app.add_subcommand("check", "Report findings");
    add_common(check, check_opts);
    check->add_option("-f,--format", format, "text, json, sarif, github (Actions annotations) or gitlab (code quality)")
        ->check(CLI::IsMember({"text", "json", "sarif", "github", "gitlab"}));
    check->add_option("--fail-on", fail_on,
                      "Exit 1 when a finding is at or above: p0, p1, p2, p3 or never (default: config, else p1)")
        ->check(CLI::IsMember({"p0", "p1", "p2", "p3", "never"}));
    check->add_option("--baseline", baseline, "Report only findings not recorded in this baseline file");
    check->add_option("--write-baseline", write_baseline, "Record today's findings in this baseline file");
    check->add_option("--report-only", report_only,
                      "Analyse the whole project but report only findings in these files (pre-commit)")
        ->expected(0, -1);
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

    Common report_opts;
    std::string report_format = "markdown", title = "Database performance audit";
    auto* report = app.add_subcommand("report", "Write a scored audit report (Markdown, HTML or JSON)");
    add_common(report, report_opts);
    report->add_option("-f,--format", report_format, "markdown, html or json")->check(CLI::IsMember({"markdown", "html", "json"}));
    report->add_option("--title", title, "Report title");
    std::string report_dsn;
    report->add_option("--dsn", report_dsn,
                       "Also run `querylens verify` on this server and show measured EXPLAIN evidence next to recommendations");

    Common verify_opts;
    std::string dsn, verify_format = "text";
    bool keep_db = false;
    size_t verify_rows = 10000;
    auto* verify = app.add_subcommand("verify", "Check the model and the recommendations against a real PostgreSQL 15");
    add_common(verify, verify_opts);
    verify->add_option("--dsn", dsn, "PostgreSQL URL of a server where scratch databases may be created")->required();
    verify->add_option("-f,--format", verify_format, "text or json")->check(CLI::IsMember({"text", "json"}));
    verify->add_option("--rows", verify_rows, "Generated rows per table for EXPLAIN (default 10000)");
    verify->add_flag("--keep", keep_db, "Keep the scratch database");

    bool force = false;
    auto* init = app.add_subcommand("init", "Write a commented querylens.toml in the current directory");
    init->add_flag("--force", force, "Overwrite an existing querylens.toml");

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
                std::snprintf(line, sizeof line, "%-22s %s  %-14s %s\n", r->id, to_string(r->severity), to_string(r->category),
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
            Config config;
            if (!read_config(schema_opts, config)) return kExitError;
            Project p = load(schema_opts, config);
            print_diagnostics(p, schema_opts.verbose, true);
            return emit(schema_json(p.schema, &p.profiles), schema_opts.output) ? kExitClean : kExitError;
        }
        if (*inventory) {
            Config config;
            if (!read_config(inv_opts, config)) return kExitError;
            Project p = load(inv_opts, config);
            print_diagnostics(p, inv_opts.verbose, true);
            return emit(inventory_json(p), inv_opts.output) ? kExitClean : kExitError;
        }

        if (*report) {
            Config config;
            if (!read_config(report_opts, config)) return kExitError;
            Project p = load(report_opts, config);
            print_diagnostics(p, report_opts.verbose, true);
            const auto findings = run_rules(p, active_rules(config.select, config.ignore), rule_options(config));
            AuditOptions ao;
            ao.title = title;
            ao.module_patterns = config.module_patterns;
            ao.config_path = config.path;
            if (!report_dsn.empty()) {
                VerifyOptions vo;
                vo.dsn = report_dsn;
                const VerifyResult vr = verify_project(p, findings, build_audit(p, findings, ao).appendix, vo);
                if (!vr.fatal.empty()) {
                    std::fprintf(stderr, "querylens: verify: %s\n", vr.fatal.c_str());
                    return kExitError;
                }
                ao.evidence = evidence_lines(vr);
            }
            const Audit audit = build_audit(p, findings, ao);
            const std::string text = report_format == "html"   ? render_audit_html(audit, p)
                                     : report_format == "json" ? render_audit_json(audit)
                                                               : render_audit_markdown(audit, p);
            return emit(text, report_opts.output) ? kExitClean : kExitError;
        }
        if (*verify) {
            Config config;
            if (!read_config(verify_opts, config)) return kExitError;
            Project p = load(verify_opts, config);
            print_diagnostics(p, verify_opts.verbose, true);
            const auto findings = run_rules(p, all_rules());
            const Audit audit = build_audit(p, findings, {});
            VerifyOptions vo;
            vo.dsn = dsn;
            vo.keep_database = keep_db;
            vo.rows_per_table = verify_rows;
            const VerifyResult result = verify_project(p, findings, audit.appendix, vo);
            if (!emit(verify_format == "json" ? render_verify_json(result) : render_verify_text(result), verify_opts.output))
                return kExitError;
            if (!result.fatal.empty()) return kExitError;
            return result.clean() ? kExitClean : kExitFindings;
        }
        if (*init) {
            if (!force && std::ifstream("querylens.toml")) {
                std::fprintf(stderr, "querylens: querylens.toml exists (use --force to overwrite)\n");
                return kExitError;
            }
            if (!emit(default_config(), "querylens.toml")) return kExitError;
            std::fprintf(stderr, "querylens: wrote querylens.toml\n");
            return kExitClean;
        }

        // check
        Config config;
        if (!read_config(check_opts, config)) return kExitError;
        auto selected = split_ids(select), ignored = split_ids(ignore);
        if (selected.empty()) selected = config.select;  // the command line replaces the config's list
        ignored.insert(ignored.end(), config.ignore.begin(), config.ignore.end());
        for (const auto& id : selected)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: unknown rule '%s' in --select\n", id.c_str()); return kExitError; }
        for (const auto& id : ignored)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: unknown rule '%s' in --ignore\n", id.c_str()); return kExitError; }
        const auto active = active_rules(selected, ignored);
        Project p = load(check_opts, config);
        print_diagnostics(p, check_opts.verbose, false);  // input problems are findings here
        auto findings = run_rules(p, active, rule_options(config));
        if (!report_only.empty()) {
            // Paths as the reports show them: relative to the root.
            std::set<std::string> wanted;
            const std::filesystem::path root = p.root;
            for (const auto& f : report_only) {
                std::error_code ec;
                const auto abs = std::filesystem::absolute(f, ec).lexically_normal();
                std::string rel = abs.lexically_relative(root).generic_string();
                wanted.insert(rel.empty() || rel.rfind("..", 0) == 0 ? abs.generic_string() : rel);
            }
            std::vector<Finding> kept;
            for (auto& f : findings)
                if (wanted.count(f.loc.file)) kept.push_back(std::move(f));
            findings = std::move(kept);
        }
        if (!write_baseline.empty()) {
            if (!emit(render_baseline(findings), write_baseline)) return kExitError;
            std::fprintf(stderr, "querylens: recorded %zu findings in %s\n", findings.size(),
                         terminal_safe(write_baseline).c_str());
        }
        if (!baseline.empty()) {
            bool ok = false;
            const std::string text = read_file(baseline, ok);
            std::string error;
            if (!ok) error = "cannot read file";
            if (ok && !filter_baseline(text, findings, error)) ok = false;
            if (!ok) {
                std::fprintf(stderr, "querylens: baseline %s: %s\n", terminal_safe(baseline).c_str(), error.c_str());
                return kExitError;
            }
        }
        if (format == "sarif" && findings.size() > kGithubMaxResults) {
            // Findings are sorted by location; keep the highest priorities.
            std::stable_sort(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
            std::fprintf(stderr,
                         "querylens: %zu results exceed GitHub code scanning's limit of %zu per SARIF run: "
                         "writing the %zu highest-priority ones (narrow with --baseline, --select or --report-only)\n",
                         findings.size(), kGithubMaxResults, kGithubMaxResults);
            findings.resize(kGithubMaxResults);
            sort_findings(findings);
        }
        if (fail_on.empty()) fail_on = config.fail_on.value_or("p1");
        ReportInput in{p, findings, active};
        std::string text;
        if (format == "json") text = render_json(in);
        else if (format == "sarif") {
            text = render_sarif(in);
            // Compressing only matters when the uncompressed file is already over the limit.
            if (const unsigned long gz = text.size() > kGithubMaxGzipBytes ? deflated_size(text) : 0; gz > kGithubMaxGzipBytes)
                std::fprintf(stderr,
                             "querylens: the SARIF file is %lu bytes gzipped; GitHub code scanning accepts at most %lu: "
                             "narrow the run (--baseline, --select, --report-only) before uploading\n",
                             gz, kGithubMaxGzipBytes);
        } else if (format == "github") text = render_github(in);
        else if (format == "gitlab") text = render_gitlab(in);
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
