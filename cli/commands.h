// The querylens subcommands, one file each (rules.cpp holds rules and explain, schema_inventory.cpp
// the two dumps); main.cpp lists them in the order --help shows.
#pragma once

#include <memory>

namespace CLI {
class App;
}

namespace querylens::cli {

// A subcommand: add() declares its options on its CLI11 subcommand, run() does the work once the
// command line is parsed and returns the exit code.
class Command {
public:
    virtual ~Command() = default;
    virtual void add(CLI::App& cmd) = 0;
    virtual int run() = 0;
};

std::unique_ptr<Command> check_command();
std::unique_ptr<Command> hook_command();
std::unique_ptr<Command> schema_command();
std::unique_ptr<Command> inventory_command();
std::unique_ptr<Command> report_command();
std::unique_ptr<Command> verify_command();
std::unique_ptr<Command> stats_command();
std::unique_ptr<Command> init_command();
std::unique_ptr<Command> rules_command();
std::unique_ptr<Command> explain_command();

}  // namespace querylens::cli
