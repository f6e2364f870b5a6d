// `querylens check` runs the rules and reports findings (text, JSON, SARIF, GitHub annotations,
// GitLab code quality), with rule selection, baselines and --report-only; exits 1 when a finding
// is at or above --fail-on.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <zlib.h>

#include "cli/commands.h"

#include <map>
#include "cli/common.h"
#include "reports/report.h"

namespace querylens::cli {
namespace {

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

// Keeps the findings in `files`, compared as the reports show paths: relative to the root.
void keep_only(std::vector<Finding>& findings, const std::vector<std::string>& files, const std::string& root_dir) {
    std::set<std::string> wanted;
    const std::filesystem::path root = root_dir;
    for (const auto& f : files) {
        std::error_code ec;
        const auto abs = std::filesystem::absolute(f, ec).lexically_normal();
        std::string rel = abs.lexically_relative(root).generic_string();
        wanted.insert(rel.empty() || rel.rfind("..", 0) == 0 ? abs.generic_string() : rel);
    }
    // A finding counts for a file when it is located there or lists a place there (one missing
    // index serving a query in a staged file).
    std::vector<Finding> kept;
    for (auto& f : findings) {
        bool touches = wanted.count(f.loc.file) > 0;
        for (const auto& r : f.related) touches = touches || wanted.count(r.loc.file) > 0;
        if (touches) kept.push_back(std::move(f));
    }
    findings = std::move(kept);
}

struct Check : Command {
    Common common;
    std::string format = "text", fail_on, min_severity, color = "auto", baseline, write_baseline;
    std::vector<std::string> select, ignore, report_only;
    CLI::Option* report_only_option = nullptr;  // --report-only FILE...: at least one file
    bool statistics = false;

    void add(CLI::App& cmd) override {
        add_common(cmd, common);
        add_options(cmd);
    }

    void add_options(CLI::App& cmd) {
        cmd.add_option("-f,--format", format, "text, json, sarif, github (Actions annotations) or gitlab (code quality)")
            ->check(CLI::IsMember({"text", "json", "sarif", "github", "gitlab"}));
        cmd.add_option("--fail-on", fail_on,
                       "Exit 1 when a finding is at or above: p0, p1, p2, p3 or never (default: config, else p1)")
            ->check(CLI::IsMember({"p0", "p1", "p2", "p3", "never"}));
        cmd.add_option("--min-severity", min_severity,
                       "List findings at or above: p0..p3; lower ones are counted (default: config, else p2; p3 with --fail-on p3)")
            ->check(CLI::IsMember({"p0", "p1", "p2", "p3"}));
        cmd.add_option("--baseline", baseline, "Report only findings not recorded in this baseline file");
        cmd.add_option("--write-baseline", write_baseline, "Record today's findings in this baseline file");
        report_only_option = cmd.add_option("--report-only", report_only,
                                            "Analyse the whole project but report only findings in these files (pre-commit)")
                                 ->expected(1, -1);  // no files: a usage error, never "nothing to report"
        cmd.add_flag("--statistics", statistics, "Print the number of findings per rule instead of the findings");
        cmd.add_option("--color", color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
        cmd.add_option("--select", select, "Only run these rule ids (comma-separated)");
        cmd.add_option("--ignore", ignore, "Do not run these rule ids (comma-separated)");
    }

    int run() override {
        if (!check_paths(common)) return kExitError;
        Config config;
        if (!read_config(common, config)) return kExitError;
        auto selected = split_ids(select), ignored = split_ids(ignore);
        if (selected.empty()) selected = config.select;  // the command line replaces the config's list
        ignored.insert(ignored.end(), config.ignore.begin(), config.ignore.end());
        for (const auto& id : selected)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: %s in --select\n", unknown_rule_message(id).c_str()); return kExitError; }
        for (const auto& id : ignored)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: %s in --ignore\n", unknown_rule_message(id).c_str()); return kExitError; }
        const auto active = active_rules(selected, ignored);
        common.new_files = report_only;
        Project p = load(common, config);
        print_diagnostics(p, common.verbose, false);  // input problems are findings here
        const auto rules_start = std::chrono::steady_clock::now();
        auto findings = run_rules(p, active, rule_options(config));
        if (std::getenv("QUERYLENS_TIMING"))
            std::fprintf(stderr, "querylens timing: %-28s %8.3f s\n", "rules",
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - rules_start).count());
        if (!report_only.empty()) keep_only(findings, report_only, p.root);
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
            const size_t before = findings.size();
            if (ok && !filter_baseline(text, findings, error)) ok = false;
            if (!ok) {
                std::fprintf(stderr, "querylens: baseline %s: %s\n", terminal_safe(baseline).c_str(), error.c_str());
                return kExitError;
            }
            std::fprintf(stderr, "querylens: the baseline hid %zu known finding(s); %zu new\n", before - findings.size(),
                         findings.size());
        }
        if (fail_on.empty()) fail_on = config.fail_on.value_or("p1");
        // Notes (P3: low-confidence findings, hazards of applied migrations) are counted, and
        // listed only on request: what is listed by default is what a specialist would keep.
        if (min_severity.empty()) min_severity = config.min_severity.value_or(fail_on == "p3" ? "p3" : "p2");
        const size_t before_threshold = findings.size();
        findings.erase(std::remove_if(findings.begin(), findings.end(),
                                      [&](const Finding& f) { return static_cast<int>(f.severity) > min_severity[1] - '0'; }),
                       findings.end());
        const size_t hidden = before_threshold - findings.size();
        if (format == "sarif" && findings.size() > kGithubMaxResults) {
            // Of the findings listed (notes below --min-severity are not), keep the highest priorities;
            // findings are sorted by location.
            std::stable_sort(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
            std::fprintf(stderr,
                         "querylens: %zu results exceed GitHub code scanning's limit of %zu per SARIF run: "
                         "writing the %zu highest-priority ones (narrow with --baseline, --select or --report-only)\n",
                         findings.size(), kGithubMaxResults, kGithubMaxResults);
            findings.resize(kGithubMaxResults);
            sort_findings(findings);
        }
        ReportInput in{p, findings, active};
        in.hidden = hidden;
        in.min_severity = min_severity;
        if (!emit(statistics ? render_statistics(findings) : render(in), common.output)) return kExitError;
        if (fail_on == "never") return kExitClean;
        const int threshold = fail_on[1] - '0';
        for (const auto& f : findings)
            if (static_cast<int>(f.severity) <= threshold) return kExitFindings;
        return kExitClean;
    }

    // --statistics: findings per rule, most first (like ruff's).
    static std::string render_statistics(const std::vector<Finding>& findings) {
        std::map<std::string, size_t> counts;
        for (const auto& f : findings) ++counts[f.rule];
        std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
        std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        std::string out;
        for (const auto& [rule, n] : rows) {
            const Rule* r = find_rule(rule);
            char line[512];
            std::snprintf(line, sizeof line, "%6zu  %-32s %s\n", n, rule.c_str(), r ? r->summary : "");
            out += line;
        }
        return out;
    }

    // The report in --format.
    std::string render(const ReportInput& in) const {
        if (format == "json") return render_json(in);
        if (format == "sarif") {
            std::string text = render_sarif(in);
            // Compressing only matters when the uncompressed file is already over the limit.
            if (const unsigned long gz = text.size() > kGithubMaxGzipBytes ? deflated_size(text) : 0; gz > kGithubMaxGzipBytes)
                std::fprintf(stderr,
                             "querylens: the SARIF file is %lu bytes gzipped; GitHub code scanning accepts at most %lu: "
                             "narrow the run (--baseline, --select, --report-only) before uploading\n",
                             gz, kGithubMaxGzipBytes);
            return text;
        }
        if (format == "github") return render_github(in);
        if (format == "gitlab") return render_gitlab(in);
        const bool to_tty = common.output.empty() && isatty(fileno(stdout)) && !std::getenv("NO_COLOR");
        return render_text(in, color == "always" || (color == "auto" && to_tty));
    }
};

}  // namespace

// `querylens hook [OPTIONS] FILES...`: the pre-commit entry point. The project is the current
// directory and every positional argument is a staged file to report on, so options a user adds
// in `args:` cannot swallow the file names.
struct Hook : Check {
    void add(CLI::App& cmd) override {
        add_common(cmd, common);
        cmd.remove_option(cmd.get_option("paths"));
        add_options(cmd);
        cmd.add_option("files", report_only, "The staged files to report on")->required();
    }
    int run() override {
        common.paths = {"."};
        return Check::run();
    }
};

std::unique_ptr<Command> check_command() { return std::make_unique<Check>(); }
std::unique_ptr<Command> hook_command() { return std::make_unique<Hook>(); }

}  // namespace querylens::cli
