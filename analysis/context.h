#pragma once
// Execution context of code: runtime (request handlers, services, jobs, workers) or one-off
// (scripts, seeds, backfills, migration scripts, tests, fixtures, stories, benchmarks). Rules about
// runtime query cost do not report one-off code. Decided per file from its path below the
// analysed directory, then `[context]` globs from querylens.toml (runtime wins over one-off).
#include <string>
#include <vector>

namespace querylens {

struct ContextOptions {
    std::vector<std::string> one_off;  // fnmatch globs (config-relative paths)
    std::vector<std::string> runtime;
    std::vector<std::string> admin;
};

// `scan_rel`: the path below the directory given on the command line (so a project kept under a
// `fixtures/` or `test/` folder is not one-off as a whole); `config_rel`: what config globs see.
bool one_off_path(const std::string& scan_rel, const std::string& config_rel, const ContextOptions& options);
// Operator-only code: a directory named admin, superuser or backoffice, or `[context] admin` globs
// (runtime globs win). Its queries run rarely, on demand: index advice for them is a note.
bool admin_path(const std::string& scan_rel, const std::string& config_rel, const ContextOptions& options);

}  // namespace querylens
