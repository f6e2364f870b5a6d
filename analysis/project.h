#pragma once
// Loads a project: discovers files, parses them in parallel, runs the frontends (SQL migrations,
// TypeScript with Drizzle and raw SQL), builds the schema model (in migration order) and the query
// inventory, and runs the whole-program passes. Everything downstream reads only the Project.
#include <memory>
#include <string>
#include <vector>

#include "core/paths.h"
#include "analysis/context.h"
#include "analysis/table_profiles.h"
#include "core/project.h"

namespace querylens {

struct ProjectOptions {
    std::vector<std::string> paths;  // files or directories; empty means "."
    std::string root;                // reported paths are relative to it; empty means cwd
    unsigned jobs = 0;               // parser threads; 0 = hardware concurrency
    // From querylens.toml: globs and directories relative to `config_dir`.
    std::string config_dir;
    std::vector<std::string> include, exclude;
    std::vector<std::string> migration_dirs;  // their .sql files run first, in this order
    std::vector<std::string> typescript_dirs; // when set, TypeScript files elsewhere are skipped
    ContextOptions context;                   // [context]: which code is one-off
    TableDeclarations tables;                 // [tables]: small / large
    std::string stats_file;                   // querylens-stats.json (`querylens stats`); "" for none
    MigrationSettings migrations;             // [migrations], --changed-since
    // Parse every TypeScript file, not only those that can issue a query or reach one through
    // imports (frontends/typescript/prescan.h). Same findings, slower; for comparisons.
    bool parse_all = false;
    // The fact cache's directory (analysis/fact_cache.h); "" for none.
    std::string cache_dir;
};

Project load_project(const ProjectOptions& options);

// The same analysis over in-memory files (path, text), in natural path order. For tests and
// for callers that already hold the text.
struct InMemoryFile {
    std::string path;
    std::string text;
};
Project analyze_sources(std::vector<InMemoryFile> files, unsigned jobs = 1, const ContextOptions& context = {});

// Files under `paths` that querylens reads, skipping dependency and build directories.
std::vector<std::string> discover_files(const std::vector<std::string>& paths, std::vector<Diagnostic>& diags);

}  // namespace querylens
