// querylens stats: writes querylens-stats.json, a snapshot of a database's statistics (row counts,
// n_distinct, null fractions, widths) that `check` and `report` use for table profiles.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "verify/stats.h"

namespace querylens::cli {

namespace {

struct Stats : Command {
    std::string dsn, output = "querylens-stats.json";

    void add(CLI::App& cmd) override {
        cmd.add_option("--dsn", dsn, "PostgreSQL URL of the database to read statistics from (read-only catalog queries)")
            ->required();
        cmd.add_option("-o,--output", output, "File to write (default: querylens-stats.json; - for stdout)");
    }

    int run() override {
        std::string error;
        const std::string json = collect_stats(dsn, error);
        if (json.empty()) {
            std::fprintf(stderr, "querylens: stats: %s\n", error.c_str());
            return kExitError;
        }
        return emit(json, output == "-" ? "" : output) ? kExitClean : kExitError;
    }
};

}  // namespace

std::unique_ptr<Command> stats_command() { return std::make_unique<Stats>(); }

}  // namespace querylens::cli
