// `querylens rules` lists the rules (id, default priority, category, summary); `querylens explain RULE`
// prints one rule's documentation.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "rules/rule.h"

namespace querylens::cli {
namespace {

struct Rules : Command {
    void add(CLI::App&) override {}

    int run() override {
        std::string out;
        for (const Rule* r : all_rules()) {
            char line[512];
            std::snprintf(line, sizeof line, "%-22s %s  %-14s %s\n", r->id, to_string(r->severity), to_string(r->category),
                          r->summary);
            out += line;
        }
        return emit(out, "") ? kExitClean : kExitError;
    }
};

struct Explain : Command {
    std::string rule_id;

    void add(CLI::App& cmd) override {
        cmd.add_option("rule", rule_id, "Rule id, e.g. uncovered-predicate")->required();
    }

    int run() override {
        const Rule* r = find_rule(rule_id);
        if (!r) {
            std::fprintf(stderr, "querylens: %s\n", unknown_rule_message(rule_id).c_str());
            return kExitError;
        }
        return emit(rule_markdown(*r), "") ? kExitClean : kExitError;
    }
};

}  // namespace

std::unique_ptr<Command> rules_command() { return std::make_unique<Rules>(); }
std::unique_ptr<Command> explain_command() { return std::make_unique<Explain>(); }

}  // namespace querylens::cli
