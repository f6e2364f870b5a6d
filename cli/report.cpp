// `querylens report` writes the scored audit report (Markdown, HTML or JSON); with --dsn it first
// runs `querylens verify` on that server and shows the measured EXPLAIN evidence next to the
// recommendations.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "reports/audit/audit.h"
#include "verify/verify.h"

namespace querylens::cli {
namespace {

struct Report : Command {
    Common common;
    std::string format = "markdown", title = "Database performance audit";
    std::string dsn, min_severity;

    void add(CLI::App& cmd) override {
        add_common(cmd, common);
        cmd.add_option("-f,--format", format, "markdown, html or json")->check(CLI::IsMember({"markdown", "html", "json"}));
        cmd.add_option("--title", title, "Report title");
        cmd.add_option("--min-severity", min_severity, "Lowest priority listed and scored (p0..p3; default p2, or [check] min-severity): lower ones are counted as notes")
            ->check(CLI::IsMember({"p0", "p1", "p2", "p3"}));
        cmd.add_option("--dsn", dsn,
                       "Also run `querylens verify` on this server and show measured EXPLAIN evidence next to recommendations");
    }

    int run() override {
        Config config;
        std::optional<Project> loaded = open_project(common, config);
        if (!loaded) return kExitError;
        Project& p = *loaded;
        if (p.files.empty()) {
            std::fprintf(stderr, "querylens: nothing to report on: no .sql or TypeScript file under the given paths\n");
            return kExitError;
        }
        const auto findings = run_rules(p, active_rules(config.select, config.ignore), rule_options(config));
        AuditOptions ao;
        ao.title = title;
        ao.module_patterns = config.module_patterns;
        ao.config_path = config.path;
        if (min_severity.empty()) min_severity = config.min_severity.value_or("p2");
        ao.min_severity = static_cast<Severity>(min_severity[1] - '0');
        if (!dsn.empty()) {
            VerifyOptions vo;
            vo.dsn = dsn;
            const VerifyResult vr = verify_project(p, findings, build_audit(p, findings, ao).appendix, vo);
            if (!vr.fatal.empty()) {
                std::fprintf(stderr, "querylens: verify: %s\n", vr.fatal.c_str());
                return kExitError;
            }
            ao.evidence = evidence_lines(vr);
        }
        const Audit audit = build_audit(p, findings, ao);
        const std::string text = format == "html"   ? render_audit_html(audit, p)
                                 : format == "json" ? render_audit_json(audit)
                                                    : render_audit_markdown(audit, p);
        return emit(text, common.output) ? kExitClean : kExitError;
    }
};

}  // namespace

std::unique_ptr<Command> report_command() { return std::make_unique<Report>(); }

}  // namespace querylens::cli
