#pragma once
// querylens.toml: what to read, how to order migrations, which rules run at which severity.
// Read with toml++; every unknown key, wrong type and unknown rule id is an error with file:line.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/paths.h"

namespace querylens {

struct Config {
    std::string path;  // the file read; "" when running on defaults
    std::string dir;   // its directory: globs and directories are relative to it
    // [files]
    std::vector<std::string> include;     // fnmatch(3) globs on project-relative paths; empty = all
    std::vector<std::string> exclude;
    std::vector<std::string> migrations;  // directories whose .sql files run first, in this order
    std::vector<std::string> typescript;  // TypeScript roots: .ts files elsewhere are not read
    // [context]: code that runs once (fnmatch globs); runtime wins over one-off
    std::vector<std::string> one_off, runtime, admin;
    // [tables]: table names (or globs) known to stay small / to grow
    std::vector<std::string> small_tables, large_tables;
    // [migrations]: how the runner runs plain .sql files, and which migrations are new
    bool migrations_per_file_transaction = false;  // transaction = "per-file" | "none"
    bool lock_timeout_set_by_runner = false;       // lock-timeout-set-by-runner
    std::string migrations_since;                  // since = "0236"
    // [modules]
    std::vector<std::string> module_patterns;  // e.g. "src/modules/*" (for reports)
    // [rules]
    std::vector<std::string> select, ignore;
    std::map<std::string, int> severity;  // rule id -> 0..3 (P0..P3)
    // [rules.<rule-id>]: option name -> value, for the options each rule declares (rules/rule.h)
    std::map<std::string, std::map<std::string, std::string>> rule_options;
    // [rules.per-file-ignores]: glob -> rule ids not reported in matching files
    std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
    // [check]
    std::optional<std::string> fail_on;       // p0..p3 / never
    std::optional<std::string> min_severity;  // p0..p3: lower priorities are counted, not listed
};

struct ConfigError {
    std::string file;
    unsigned line = 0, column = 0;
    std::string message;
};

// Parses `path`. On errors returns false and fills `errors` (all of them, not only the first).
bool load_config(const std::string& path, Config& out, std::vector<ConfigError>& errors);
// querylens.toml in `start` (a file's directory or a directory) or its nearest ancestor.
std::optional<std::string> find_config(const std::string& start);
// The commented default file `querylens init` writes.
std::string default_config();


}  // namespace querylens
