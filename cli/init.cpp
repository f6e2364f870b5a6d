// `querylens init` writes the commented default querylens.toml in the current directory; it
// overwrites an existing one only with --force.
#include <cstdio>
#include <fstream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "config/config.h"

namespace querylens::cli {
namespace {

struct Init : Command {
    bool force = false;

    void add(CLI::App& cmd) override { cmd.add_flag("--force", force, "Overwrite an existing querylens.toml"); }

    int run() override {
        if (!force && std::ifstream("querylens.toml")) {
            std::fprintf(stderr, "querylens: querylens.toml exists (use --force to overwrite)\n");
            return kExitError;
        }
        if (!emit(default_config(), "querylens.toml")) return kExitError;
        std::fprintf(stderr, "querylens: wrote querylens.toml\n");
        return kExitClean;
    }
};

}  // namespace

std::unique_ptr<Command> init_command() { return std::make_unique<Init>(); }

}  // namespace querylens::cli
