#pragma once
// Internal to frontends/typescript: the state and steps of ModuleResolver (module_resolver.h),
// defined over several files -
//   module_resolver.cpp  the caches, config problems, files and directories, specifier kinds;
//   tsconfig.cpp         tsconfig/jsconfig loading, extends, the config that governs a file;
//   workspaces.cpp       workspace roots and their packages, finding a package by name;
//   package_exports.cpp  entry points of a package: exports/imports, main fields, output -> source.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "frontends/typescript/module_config.h"
#include "frontends/typescript/module_resolver.h"

namespace querylens {

struct ModuleResolver::Impl {
    using Kind = ModuleResolution::Kind;
    using Json = tsresolve::Json;

    struct Config {
        std::string path, dir;
        bool ok = true;
        bool has_base_url = false;
        std::string base_url, base_url_dir;  // raw value, directory of the config that set it
        bool has_paths = false;
        std::vector<std::pair<std::string, std::vector<std::string>>> paths;
        std::string paths_dir;  // directory of the config that set `paths`
        std::vector<std::string> custom_conditions;
        // Build layout, to map an entry point in the output back to its source: raw values and
        // the directories of the configs that set them.
        std::string out_dir, out_dir_base, root_dir, root_dir_base, decl_dir, decl_dir_base;
        std::optional<std::vector<std::string>> files, include;
        std::string files_dir, include_dir;
        std::vector<std::string> references;  // absolute config paths (not inherited)
    };

    struct Result {  // a cached resolution, path absolute
        std::string path, reason;
        Kind kind = Kind::NotFound;
        bool declaration_only = false;  // see ModuleResolution
    };

    struct Package {
        std::string dir;
        bool installed = false;  // a third-party package in node_modules
    };

    const FileSystemView& fs;
    std::string base;
    std::vector<std::string> problems;
    std::vector<ConfigProblem> problem_list;
    std::set<std::string> problem_set;
    Stats stats;

    std::unordered_map<std::string, bool> file_cache, dir_cache;
    std::unordered_map<std::string, std::optional<Json>> json_cache;  // package.json files
    std::unordered_map<std::string, std::unique_ptr<Config>> configs;
    std::unordered_map<std::string, std::string> nearest_config_cache;  // dir -> config path or ""
    std::unordered_map<std::string, const Config*> governing_cache;     // file -> config
    std::unordered_map<std::string, std::string> workspace_root_cache;  // dir -> root or ""
    std::unordered_map<std::string, std::map<std::string, std::string>> workspace_cache;  // root -> name -> dir
    std::unordered_map<std::string, std::string> nearest_pkg_cache;     // dir -> package.json path or ""
    std::unordered_map<std::string, Result> results;
    std::string decl_hint;  // a declaration file met during the current resolution

    explicit Impl(const FileSystemView& f);

    // -- module_resolver.cpp: file system (cached), shown paths, problems, JSON files --
    bool is_file(const std::string& p);
    bool is_dir(const std::string& p);
    std::optional<std::string> read(const std::string& p);
    std::string absolute(const std::string& p) const;
    std::string display(const std::string& abs) const;
    // `abs` in the form of `importer`: shown (relative to base) for a relative importer.
    std::string in_form_of(const std::string& importer, const std::string& abs) const;
    void problem(const std::string& path, int line, const std::string& msg);
    // Parses JSON with comments and trailing commas; reports and returns nullopt when invalid.
    std::optional<Json> parse_json(const std::string& path, const std::string& text);
    const Json* package_json(const std::string& path);  // cached; nullptr if missing or invalid

    // -- module_resolver.cpp: files --
    void note_declaration(const std::string& p);
    // `stem` + a TypeScript extension, then (if allow_js) + a JavaScript one.
    std::optional<std::string> with_extension(const std::string& stem, bool allow_js);
    // `p` as a file: exact TypeScript, TypeScript for a JavaScript name, extensionless, then (if
    // allow_js) JavaScript; any other existing file named exactly. Never a declaration file.
    std::optional<std::string> try_file(const std::string& p, bool allow_js);
    std::optional<std::string> try_index(const std::string& dir, bool allow_js);
    std::optional<std::string> file_or_index(const std::string& p, bool allow_js);  // try_file, then try_index
    // A path as file, then as directory (its package.json main fields, then index files).
    std::optional<std::string> load_path(const std::string& p);

    // -- module_resolver.cpp: specifiers --
    static Result found(std::string p) { return {std::move(p), {}, Kind::Resolved}; }
    static Result miss(Kind k, std::string why) { return {{}, std::move(why), k}; }
    Result with_decl_hint(Result r);
    Result resolve_package(const std::string& spec, const std::string& dir, const Config* cfg, const std::string& alias_why);
    Result resolve_bare(const std::string& spec, const std::string& dir, const Config* cfg);
    Result resolve_hash(const std::string& spec, const std::string& dir, const Config* cfg);
    Result compute(const std::string& dir, const Config* cfg, const std::string& spec);
    Result compute_one(const std::string& dir, const Config* cfg, const std::string& spec);

    // -- tsconfig.cpp --
    std::string nearest_config(const std::string& dir);
    std::optional<std::string> config_file_at(const std::string& p);  // p, p.json, p/tsconfig.json
    // The config file an `extends` entry names, or nullopt.
    std::optional<std::string> resolve_extends(const std::string& spec, const std::string& dir);
    static void inherit(Config& c, const Config& b);
    const Config* load_config(const std::string& path, std::vector<std::string>& chain);
    const Config* load_config(const std::string& path);
    // ${configDir} is the directory of the config that governs the file.
    static std::string expand_config_dir(const std::string& raw, const std::string& own_dir, const Config& governing);
    bool config_includes(const Config& c, const std::string& file);
    static bool solution_style(const Config& c);
    const Config* governing(const std::string& file);

    // -- workspaces.cpp --
    bool is_workspace_root(const std::string& d);
    std::string workspace_root(const std::string& dir);
    // Directories (absolute) matching one workspace glob relative to `root`, without recursion.
    std::vector<std::string> expand_glob(const std::string& root, const std::string& pattern);
    const std::map<std::string, std::string>& workspace_packages(const std::string& root);
    std::string nearest_package_json(const std::string& dir);
    // The directory of package `name` as seen from `dir`: the workspace map, the enclosing
    // package itself (self-reference), then node_modules up the tree (followed to its real path).
    std::optional<Package> find_package(const std::string& name, const std::string& dir);

    // -- package_exports.cpp --
    static std::string strip_output_extension(std::string p);
    // The source file behind a package entry point (a file in dist/, a .d.ts, an extensionless
    // pattern result ...). Only sources: existing JavaScript targets are the caller's last resort.
    std::optional<std::string> source_for_target(const std::string& pkgdir, const std::string& target);
    // The package's own tsconfig (or the projects its solution-style config references) says
    // where output goes: <outDir or declarationDir>/x.js comes from <rootDir>/x.ts (rootDir
    // defaulting to src/ when it exists, else the config's directory).
    std::optional<std::string> source_by_tsconfig(const std::string& pkgdir, const std::string& target);
    // An entry point list (exports targets, main fields): sources for any candidate first, then an
    // existing JavaScript/other file.
    std::optional<std::string> first_entry(const std::string& pkgdir, const std::vector<std::string>& targets);
    static std::vector<std::string> main_fields(const Json* pj);
    static std::vector<std::string> conditions(const Config* cfg);
    std::optional<std::string> resolve_in_package(const std::string& pkgdir, const std::string& sub, const Config* cfg,
                                                  std::string& why);
};

}  // namespace querylens
