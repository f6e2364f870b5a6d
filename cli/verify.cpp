// `querylens verify` checks the schema model and the recommendations against a real PostgreSQL 15:
// migrations on a scratch database, catalog against model, recommended DDL, EXPLAIN evidence. Exits 1
// when a migration fails, the catalog differs from the model or the server rejects recommended DDL.
#include <cstddef>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "reports/audit/audit.h"
#include "verify/verify.h"

namespace querylens::cli {
namespace {

struct Verify : Command {
    Common common;
    std::string dsn, format = "text";
    bool keep_db = false;
    size_t rows = 10000;

    void add(CLI::App& cmd) override {
        add_common(cmd, common);
        cmd.add_option("--dsn", dsn, "PostgreSQL URL of a server where scratch databases may be created")->required();
        cmd.add_option("-f,--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
        cmd.add_option("--rows", rows, "Generated rows per table for EXPLAIN (default 10000)");
        cmd.add_flag("--keep", keep_db, "Keep the scratch database");
    }

    int run() override {
        Config config;
        std::optional<Project> loaded = open_project(common, config);
        if (!loaded) return kExitError;
        Project& p = *loaded;
        const auto findings = run_rules(p, all_rules());
        const Audit audit = build_audit(p, findings, {});
        VerifyOptions vo;
        vo.dsn = dsn;
        vo.keep_database = keep_db;
        vo.rows_per_table = rows;
        const VerifyResult result = verify_project(p, findings, audit.appendix, vo);
        if (!emit(format == "json" ? render_verify_json(result) : render_verify_text(result), common.output))
            return kExitError;
        if (!result.fatal.empty()) return kExitError;
        return result.clean() ? kExitClean : kExitFindings;
    }
};

}  // namespace

std::unique_ptr<Command> verify_command() { return std::make_unique<Verify>(); }

}  // namespace querylens::cli
