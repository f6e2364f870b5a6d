#pragma once
// Loads a project: discovers files, parses them in parallel, builds the schema model (in
// migration order) and the query inventory. Everything downstream reads only this.
#include <memory>
#include <string>
#include <vector>

#include "analyzer/query.h"
#include "analyzer/schema.h"
#include "analyzer/source.h"
#include "analyzer/suppressions.h"

namespace querylens {

// Problems with the input itself (not findings about the schema or queries).
struct Diagnostic {
    std::string kind;  // "parse-error", "io-error" or "schema-drift"
    Location loc;
    std::string message;
};

struct ProjectOptions {
    std::vector<std::string> paths;  // files or directories; empty means "."
    std::string root;                // reported paths are relative to it; empty means cwd
    unsigned jobs = 0;               // parser threads; 0 = hardware concurrency
    // From querylens.toml: globs and directories relative to `config_dir`.
    std::string config_dir;
    std::vector<std::string> include, exclude;
    std::vector<std::string> migration_dirs;  // their .sql files run first, in this order
    std::vector<std::string> typescript_dirs; // when set, TypeScript files elsewhere are skipped
};

struct ProjectStats {
    size_t sql_files = 0;
    size_t ts_files = 0;
    size_t statements = 0;
};

struct Project {
    std::string root;
    std::vector<std::unique_ptr<SourceFile>> files;  // in analysis (natural path) order
    SchemaModel schema;
    QueryInventory inventory;
    std::vector<Diagnostic> diagnostics;
    std::vector<Suppression> suppressions;
    ProjectStats stats;
};

Project load_project(const ProjectOptions& options);

// The same analysis over in-memory files (path, text), in natural path order. For tests and
// for callers that already hold the text.
struct InMemoryFile {
    std::string path;
    std::string text;
};
Project analyze_sources(std::vector<InMemoryFile> files, unsigned jobs = 1);

// Natural order: "0002_x.sql" < "0010_y.sql"; compares digit runs by value.
bool natural_less(const std::string& a, const std::string& b);

// Files under `paths` that querylens reads, skipping dependency and build directories.
std::vector<std::string> discover_files(const std::vector<std::string>& paths, std::vector<Diagnostic>& diags);

}  // namespace querylens
