#pragma once
// The TypeScript files of a project seen together: module resolution, names across files
// (imports, re-exports, `export *`), the values top-level names hold, and what a call expression
// calls. Frontends for ORMs and raw SQL read code through this; it knows no ORM.
#include <functional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "frontends/typescript/collect.h"
#include "frontends/typescript/module_resolver.h"

namespace querylens {

// A top-level binding: file index and name there ("*" for a namespace), or file -1 with
// "module:name" for a package import.
struct TsSymbol {
    int file = -1;
    std::string name;
    bool operator<(const TsSymbol& o) const { return std::tie(file, name) < std::tie(o.file, o.name); }
};

class TsProgram {
public:
    // Resolves every import up front (single-threaded; lookups later are const and thread-safe).
    // `fs`: where tsconfig/package.json files are read (a DiskFileSystem at the project root);
    // null: only the program's own files exist (in-memory analyses and tests).
    explicit TsProgram(std::vector<TsFile>& files, const FileSystemView* fs = nullptr);

    const std::vector<TsFile>& files() const { return files_; }
    const TsFile& file(int i) const { return files_[i]; }
    const std::string& src(int file) const { return files_[file].file->text(); }

    // Problems in tsconfig.json / package.json files met while resolving.
    const std::vector<ConfigProblem>& module_config_problems() const { return config_problems_; }
    // Specifiers that name no project file and no package (a gap, not a dependency), per file.
    const std::vector<std::pair<int, ModuleResolution>>& unresolved() const { return unresolved_; }

    // Whether another project file imports or re-exports this one.
    bool imported(int file) const { return imported_.count(file) > 0; }
    // The project file at a shown path, or -1.
    int file_at(const std::string& path) const {
        auto it = by_path_.find(path);
        return it == by_path_.end() ? -1 : it->second;
    }

    // The file an import specifier names, or -1 for a package (or anything not in the project).
    int resolve_module(int file, const std::string& specifier) const;

    TsSymbol resolve_name(int file, const std::string& name, int depth = 0) const;
    TsSymbol resolve_export(int file, const std::string& name, int depth = 0) const;
    // The initializer a top-level name holds, or null.
    const TSNode* value_of(const TsSymbol& s) const;
    // For an identifier callee: the name it was imported as from a package ("drizzle" for
    // `import { drizzle } from 'drizzle-orm/node-postgres'`, the local name for a default import),
    // else its text; "" for anything but an identifier.
    std::string imported_name(int file, TSNode callee) const;
    // True when `expr` is a call of the package function `fn` (after import resolution).
    bool calls(int file, TSNode expr, const std::string& fn) const;

    // The function a callee expression names: (file, function index), or (-1, -1).
    std::pair<int, int> resolve_callee(int file, TSNode callee, const std::string& cls) const;
    std::pair<int, int> resolve_callee(int file, const TsCallee& callee, const std::string& cls) const;

private:
    std::vector<TsFile>& files_;
    std::map<std::string, int> by_path_;  // shown path -> file index
    std::vector<std::unordered_map<std::string, int>> modules_;  // per file: specifier -> file or -1
    std::vector<ConfigProblem> config_problems_;
    std::set<int> imported_;
    std::vector<std::pair<int, ModuleResolution>> unresolved_;
    TsSymbol resolve_export_uncached(int file, const std::string& name, int depth) const;
    mutable std::shared_mutex export_cache_mutex_;
    mutable std::unordered_map<std::string, TsSymbol> export_cache_;  // "file:name" -> resolve_export
};

}  // namespace querylens
