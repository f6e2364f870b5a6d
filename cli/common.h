// What the querylens subcommands share: exit codes, the common options (paths, --config, --root,
// --jobs, --output, --verbose), reading the configuration, loading the project, printing its
// diagnostics, writing output, and choosing rules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/project.h"
#include "config/config.h"
#include "rules/rule.h"

namespace CLI {
class App;
}

namespace querylens::cli {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

// The options of every subcommand that analyses a project.
struct Common {
    std::vector<std::string> paths;
    std::string root;
    unsigned jobs = 0;
    std::string output;
    std::string config;
    bool verbose = false;
    bool parse_all = false;     // --parse-all: parse every TypeScript file (for comparisons)
    bool no_cache = false;      // --no-cache (or QUERYLENS_NO_CACHE set): no fact cache
    std::string cache_dir;      // --cache-dir: default .querylens-cache/ at the root
    std::string changed_since;  // --changed-since REV: only migrations changed since REV are new
    // Files the run is about (--report-only, hook): a migration among them is new.
    std::vector<std::string> new_files;
};

void add_common(CLI::App& cmd, Common& c);

// Writes `text` to `output` (stdout when empty or "-"); false (after saying so) when it cannot.
bool emit(const std::string& text, const std::string& output);

// Reads the configuration: --config, else querylens.toml in or above the first path. False (after
// printing every error with file:line:col) when it is invalid.
bool read_config(const Common& c, Config& config);
// Every path given exists; otherwise says which on stderr (a usage error: exit 2).
bool check_paths(const Common& c);
// The project the paths name, with querylens.toml read into `config` and its diagnostics printed
// (input problems too); nullopt after printing why when the paths or the config are unusable.
std::optional<Project> open_project(const Common& c, Config& config);
// "unknown rule 'x'", with "did you mean 'y'?" when a rule id is close.
std::string unknown_rule_message(const std::string& id);

Project load(const Common& c, const Config& config);

// Input problems (`inputs`: also printed when they are not findings of this command), then what
// querylens could not read or follow: counted by kind, listed with --verbose.
void print_diagnostics(const Project& p, bool verbose, bool inputs);

std::string read_file(const std::string& path, bool& ok);

RuleOptions rule_options(const Config& config);

// The registry's rules in `selected` (all when empty) and not in `ignored`; ids already validated.
std::vector<const Rule*> active_rules(const std::vector<std::string>& selected, const std::vector<std::string>& ignored);

// Rule ids from options that may each hold a comma-separated list.
std::vector<std::string> split_ids(const std::vector<std::string>& raw);

}  // namespace querylens::cli
