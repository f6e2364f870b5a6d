#pragma once
// Resolves TypeScript import specifiers to project source files the way `tsc` does with
// moduleResolution node16/nodenext/bundler, tuned for a static analyzer that reads sources:
//
//  * tsconfig.json / jsconfig.json: the nearest one up the tree governs a file (solution-style
//    roots, `files: []` + `references`, hand the file to the referenced project that includes
//    it). JSON with comments and trailing commas. `extends` as a relative path (with or without
//    .json), a package (`@acme/tsconfig/base.json`, `@tsconfig/node20`: workspace package first,
//    then node_modules; package.json `exports`, then its `tsconfig` field, then tsconfig.json),
//    or an array (later entries win, the file itself wins over all). At most 32 configs deep;
//    cycles are reported and cut. `compilerOptions.paths` (exact keys first, then the pattern
//    with the longest prefix; substitutions in order; relative to `baseUrl` if set, else to the
//    config that defines `paths`), `baseUrl` for bare specifiers, `${configDir}`,
//    `customConditions`.
//  * Workspaces: root package.json `workspaces` (array or `{packages}`), pnpm-workspace.yaml
//    `packages:`, lerna.json `packages`; globs `dir/*`, `dir/**`, exact dirs, `!` exclusions.
//    A package is found by its package.json `name` (the workspace map first, then
//    node_modules/<name> if its real path is not itself inside a node_modules directory, i.e. a
//    symlinked workspace package; installed third-party packages stay external).
//  * Packages: `exports` (string, subpath keys, one-`*` patterns, legacy "./dir/" keys,
//    condition objects nested to any depth, fallback arrays, null exclusions) and `imports`
//    (`#internal` specifiers). Conditions are tried in this order: the config's
//    customConditions, `types`, `import`, `default`, `require`, `node`, then any others in
//    document order; every candidate is tried until one maps to a source file (tsc instead
//    takes the first matching key in document order; for a source analyzer the difference
//    only matters when two conditions lead to two different existing sources). A target in
//    build output maps back to its source: same path with .ts/.tsx/.mts/.cts (`.d.ts` -> its
//    `.ts` sibling); then the package's own tsconfig (and the projects its solution-style
//    config references): <outDir|declarationDir>/x -> <rootDir, else src/, else the config's
//    dir>/x; then a first directory dist/, build/, lib/, out/, esm/ or cjs/ (optionally
//    followed by esm/, cjs/, types/ ...) replaced by src/ or dropped. Only if no candidate has
//    a source is an existing JavaScript target returned. Without `exports`: `types`,
//    `typings`, `module`, `main`, then index files, then src/index; subpaths as <pkg>/<sub>
//    then <pkg>/src/<sub>. A package whose `exports` does not list a subpath still gets that
//    fallback (tsc would reject the import; an analyzer is better off finding the file).
//  * Files: explicit .ts/.tsx/.mts/.cts; .js/.jsx/.mjs/.cjs written for a TypeScript file;
//    extensionless (.ts, .tsx, .mts, .cts, then .js, .jsx, .mjs, .cjs); directories (their
//    package.json `types`/`typings`/`module`/`main`, then index.*). Declaration files (.d.ts)
//    are never results: a specifier that only reaches one is unresolved with a reason saying
//    so. Any other existing file named exactly (.json, .css, ...) resolves to itself. A
//    specifier with a query ("./worker?worker", "@/lib/x?isolated-test") that does not resolve
//    as written is retried without it. A result inside a node_modules directory (say through
//    paths "*": ["node_modules/*"]) is reported as an external package, never returned.
//  * Node builtins (`node:fs`, `fs`, `fs/promises`, `bun:test`) are external unless a paths
//    alias, baseUrl or workspace package claims the name first; any other `scheme:` is a URL.
//
// pnpm-workspace.yaml is read by a small hand parser, not a YAML library: the file pnpm reads
// is a top-level mapping whose `packages` key holds a sequence of scalars (globs). The parser
// takes the `packages:` line at column 0 (the key may be quoted) and then its block sequence
// (`- item` lines, indented or not) or a one-line flow sequence (`packages: ['a/*', "b"]`); items may be
// plain, 'single' or "double" quoted; `#` comments (whole-line or after whitespace outside
// quotes) and blank lines are skipped; the block ends at the next line that starts at column
// 0 with anything but a comment. Other top-level keys (catalog:, onlyBuiltDependencies:,
// overrides: ...) are ignored whatever they contain. Anchors, aliases, tags, block scalars and
// multi-line flow sequences in `packages` are reported as config problems and that entry is
// skipped - pnpm's own files never use them, and a report beats a wrong workspace map.
//
// Paths use '/' separators. An importer may be absolute or relative to the file system's
// base_dir(); a result has the importer's form: relative to base_dir() when the importer was
// relative and the result lies under base_dir(), absolute otherwise (the same rule querylens
// uses for shown paths).
//
// Thread-compatible: resolve() fills caches, so calls must not overlap; use one resolver per
// thread or a lock. Memoized: the nearest tsconfig and workspace root per directory, the
// governing tsconfig per file, parsed configs and package.json files, file-system queries,
// and every result per (directory, governing tsconfig, specifier).
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace querylens {

// Read-only view of files, so tests can use in-memory trees and the real run the disk. The
// resolver only ever passes absolute, normalized paths.
class FileSystemView {
public:
    virtual ~FileSystemView() = default;
    virtual bool is_file(const std::string& path) const = 0;
    virtual bool is_dir(const std::string& path) const = 0;
    virtual std::optional<std::string> read(const std::string& path) const = 0;
    virtual std::vector<std::string> list_dir(const std::string& path) const = 0;  // names, for workspace globs
    // The absolute directory that relative importer paths are relative to.
    virtual std::string base_dir() const = 0;
    // The path with symbolic links resolved (node_modules/<pkg> -> packages/pkg); the path itself
    // when it has none or cannot be resolved.
    virtual std::string real_path(const std::string& path) const { return path; }
};

// The disk through std::filesystem. Relative paths are relative to `base_dir` (default: the
// current directory; querylens passes the project root, which its shown paths are relative to).
class DiskFileSystem : public FileSystemView {
public:
    explicit DiskFileSystem(const std::string& base_dir = {});
    bool is_file(const std::string& path) const override;
    bool is_dir(const std::string& path) const override;
    std::optional<std::string> read(const std::string& path) const override;
    std::vector<std::string> list_dir(const std::string& path) const override;
    std::string base_dir() const override { return base_; }
    std::string real_path(const std::string& path) const override;

private:
    std::string abs(const std::string& path) const;
    std::string base_;
};

// Files held in memory; directories are implied by the files' paths. Relative paths are
// relative to `base_dir` ("/" by default). Directory symlinks can be added for node_modules.
class MemoryFileSystem : public FileSystemView {
public:
    explicit MemoryFileSystem(const std::string& base_dir = "/");
    void add_file(const std::string& path, std::string text);
    void add_symlink(const std::string& link, const std::string& target);  // a directory link
    bool is_file(const std::string& path) const override;
    bool is_dir(const std::string& path) const override;
    std::optional<std::string> read(const std::string& path) const override;
    std::vector<std::string> list_dir(const std::string& path) const override;
    std::string base_dir() const override { return base_; }
    std::string real_path(const std::string& path) const override;

private:
    std::string abs(const std::string& path) const;
    void add_dirs(const std::string& abs_path);
    std::string base_;
    std::map<std::string, std::string> files_;
    std::map<std::string, std::set<std::string>> children_;  // dir -> entry names
    std::map<std::string, std::string> links_;               // link -> target (absolute)
};

struct ModuleResolution {
    enum class Kind {
        Resolved,         // `path` is the file
        Builtin,          // node:fs, fs, bun:test ...
        ExternalPackage,  // a package that is neither a workspace package nor linked into node_modules from the repo
        Url,              // https://..., data:, virtual: ... (any scheme)
        NotFound,         // names something in the project (relative, alias, workspace package) that has no file
    };
    std::string path;    // the resolved source file in the importer's form; empty if unresolved
    std::string reason;  // when unresolved: why
    Kind kind = Kind::NotFound;
    // NotFound, but a hand-written declaration file (`types/global.d.ts`, no JavaScript beside it)
    // answers it: the import brings types only, so no call is missed.
    bool declaration_only = false;
    bool resolved() const { return kind == Kind::Resolved; }
    // Unresolved because it is outside the project (builtins, npm packages, URLs), not a miss.
    bool external() const { return kind == Kind::Builtin || kind == Kind::ExternalPackage || kind == Kind::Url; }
};

// A problem with a config file: `file` in the same form as results (relative to base_dir()
// when under it), `line` 0 when unknown.
struct ConfigProblem {
    std::string file;
    int line = 0;
    std::string message;
    std::string text() const;  // "file:line: message" ("file: message" without a line)
};

class ModuleResolver {
public:
    explicit ModuleResolver(const FileSystemView& fs);
    ~ModuleResolver();
    ModuleResolver(const ModuleResolver&) = delete;
    ModuleResolver& operator=(const ModuleResolver&) = delete;

    // `importer` is a file path (relative or absolute, '/' separators); results use the same form.
    ModuleResolution resolve(const std::string& importer, const std::string& specifier);
    // The tsconfig/jsconfig that governs `importer` (after following solution-style references),
    // in the importer's form; empty if none.
    std::string tsconfig_for(const std::string& importer);
    // Problems with config files (bad JSON, extends that cannot be found, cycles, unsupported
    // YAML, missing referenced projects), each "file:line: message" (line omitted when unknown),
    // in the order found, once each. Configs are read lazily, so call this after resolving.
    const std::vector<std::string>& config_problems() const;
    // The same problems, structured (for diagnostics with a location).
    const std::vector<ConfigProblem>& config_problem_list() const;

    // Counters for tests and tuning.
    struct Stats {
        size_t resolve_calls = 0, result_cache_hits = 0, fs_queries = 0, files_read = 0;
    };
    const Stats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace querylens
