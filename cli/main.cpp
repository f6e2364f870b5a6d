// querylens command line: builds the CLI11 app from the table of subcommands (check, schema,
// inventory, report, verify, init, rules, explain; each in its own file), parses, and runs the one
// given.
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"

using namespace querylens::cli;

namespace {

struct Subcommand {
    const char* name;
    const char* description;
    std::unique_ptr<Command> (*make)();
};

// In the order --help lists them.
constexpr Subcommand kSubcommands[] = {
    {"check", "Report findings", check_command},
    {"hook", "Pre-commit: report findings only in the given (staged) files of the project in the current directory", hook_command},
    {"schema", "Dump the schema model built from the migrations", schema_command},
    {"inventory", "Dump the query inventory", inventory_command},
    {"report", "Write a scored audit report (Markdown, HTML or JSON)", report_command},
    {"verify", "Check the model and the recommendations against a real PostgreSQL 15", verify_command},
    {"stats", "Write querylens-stats.json: row counts and column statistics of a database, for table profiles", stats_command},
    {"init", "Write a commented querylens.toml in the current directory", init_command},
    {"rules", "List the rules", rules_command},
    {"explain", "Print a rule's documentation", explain_command},
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"querylens: static analysis of PostgreSQL schemas and queries"};
    app.set_version_flag("--version", std::string("querylens ") + QUERYLENS_VERSION);
    app.require_subcommand(1);

    struct Added {
        CLI::App* app;
        std::unique_ptr<Command> command;
    };
    std::vector<Added> commands;
    for (const Subcommand& s : kSubcommands) {
        Added a{app.add_subcommand(s.name, s.description), s.make()};
        a.command->add(*a.app);
        commands.push_back(std::move(a));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitError;
    }

    try {
        for (const Added& a : commands)
            if (*a.app) return a.command->run();
        return kExitError;  // unreachable: CLI11 requires one subcommand
    } catch (const std::exception& e) {
        std::fprintf(stderr, "querylens: internal error: %s\n", e.what());
        return kExitError;
    }
}
