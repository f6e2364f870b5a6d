// `querylens check` runs the rules and reports findings (text, JSON, SARIF, GitHub annotations,
// GitLab code quality), with rule selection, baselines and --report-only; exits 1 when a finding
// is at or above --fail-on.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <zlib.h>

#include "cli/commands.h"
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
    std::vector<Finding> kept;
    for (auto& f : findings)
        if (wanted.count(f.loc.file)) kept.push_back(std::move(f));
    findings = std::move(kept);
}

struct Check : Command {
    Common common;
    std::string format = "text", fail_on, color = "auto", baseline, write_baseline;
    std::vector<std::string> select, ignore, report_only;

    void add(CLI::App& cmd) override {
        add_common(cmd, common);
        cmd.add_option("-f,--format", format, "text, json, sarif, github (Actions annotations) or gitlab (code quality)")
            ->check(CLI::IsMember({"text", "json", "sarif", "github", "gitlab"}));
        cmd.add_option("--fail-on", fail_on,
                       "Exit 1 when a finding is at or above: p0, p1, p2, p3 or never (default: config, else p1)")
            ->check(CLI::IsMember({"p0", "p1", "p2", "p3", "never"}));
        cmd.add_option("--baseline", baseline, "Report only findings not recorded in this baseline file");
        cmd.add_option("--write-baseline", write_baseline, "Record today's findings in this baseline file");
        cmd.add_option("--report-only", report_only,
                       "Analyse the whole project but report only findings in these files (pre-commit)")
            ->expected(0, -1);
        cmd.add_option("--color", color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
        cmd.add_option("--select", select, "Only run these rule ids (comma-separated)");
        cmd.add_option("--ignore", ignore, "Do not run these rule ids (comma-separated)");
    }

    int run() override {
        Config config;
        if (!read_config(common, config)) return kExitError;
        auto selected = split_ids(select), ignored = split_ids(ignore);
        if (selected.empty()) selected = config.select;  // the command line replaces the config's list
        ignored.insert(ignored.end(), config.ignore.begin(), config.ignore.end());
        for (const auto& id : selected)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: unknown rule '%s' in --select\n", id.c_str()); return kExitError; }
        for (const auto& id : ignored)
            if (!find_rule(id)) { std::fprintf(stderr, "querylens: unknown rule '%s' in --ignore\n", id.c_str()); return kExitError; }
        const auto active = active_rules(selected, ignored);
        Project p = load(common, config);
        print_diagnostics(p, common.verbose, false);  // input problems are findings here
        auto findings = run_rules(p, active, rule_options(config));
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
        if (!emit(render(ReportInput{p, findings, active}), common.output)) return kExitError;
        if (fail_on == "never") return kExitClean;
        const int threshold = fail_on[1] - '0';
        for (const auto& f : findings)
            if (static_cast<int>(f.severity) <= threshold) return kExitFindings;
        return kExitClean;
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

std::unique_ptr<Command> check_command() { return std::make_unique<Check>(); }

}  // namespace querylens::cli
