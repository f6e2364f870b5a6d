// `querylens schema` dumps the schema model built from the migrations, `querylens inventory` the
// query inventory, both as JSON.
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "reports/report.h"

namespace querylens::cli {
namespace {

// Loads the project and writes render(project).
struct Dump : Command {
    std::string (*render)(const Project&);
    Common common;
    std::string format = "json";

    explicit Dump(std::string (*render)(const Project&)) : render(render) {}

    void add(CLI::App& cmd) override {
        add_common(cmd, common);
        cmd.add_option("-f,--format", format, "json")->check(CLI::IsMember({"json"}));
    }

    int run() override {
        Config config;
        std::optional<Project> loaded = open_project(common, config);
        if (!loaded) return kExitError;
        Project& p = *loaded;
        return emit(render(p), common.output) ? kExitClean : kExitError;
    }
};

}  // namespace

std::unique_ptr<Command> schema_command() {
    return std::make_unique<Dump>([](const Project& p) { return schema_json(p.schema, &p.profiles); });
}
std::unique_ptr<Command> inventory_command() {
    return std::make_unique<Dump>([](const Project& p) { return inventory_json(p); });
}

}  // namespace querylens::cli
