#pragma once
// Internal to frontends/typescript: the helpers behind ModuleResolver (module_resolver.h) -
// limits and extension lists, '/' path arithmetic and globs, JSON with comments, the
// pnpm-workspace.yaml `packages:` reader, import specifier shapes (module_config.cpp), and
// package.json `exports`/`imports` matching (package_exports.cpp).
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace querylens::tsresolve {

using Json = nlohmann::ordered_json;  // document order matters for export conditions

// Limits on anything that follows input structure (documented in module_resolver.h).
constexpr int kMaxExtendsDepth = 32;     // configs in one extends chain
constexpr int kMaxReferenceDepth = 8;    // solution-style roots referencing solution-style roots
constexpr int kMaxConditionDepth = 16;   // nested export conditions / arrays
constexpr int kMaxGlobDepth = 12;        // directories below a `**` in workspace globs
constexpr int kMaxSymlinkHops = 40;      // MemoryFileSystem link chains

inline constexpr const char* kTsExts[] = {".ts", ".tsx", ".mts", ".cts"};
inline constexpr const char* kJsExts[] = {".js", ".jsx", ".mjs", ".cjs"};
inline constexpr const char* kDeclSuffixes[] = {".d.ts", ".d.mts", ".d.cts"};
inline constexpr const char* kMainFields[] = {"types", "typings", "module", "main"};
inline constexpr const char* kDefaultConditions[] = {"types", "import", "default", "require", "node"};

// --- paths ----------------------------------------------------------------------------------

// An absolute '/' path without ".", "..", empty segments or a trailing '/'. ".." at the root stays there.
std::string normalize_abs(std::string_view p);
std::string join_path(const std::string& dir, std::string_view rel);  // rel may be absolute
std::string parent_of(const std::string& p);                          // "/" has none: ""
std::string child_of(const std::string& dir, std::string_view name);
std::string_view basename_of(std::string_view p);
bool is_under(const std::string& path, const std::string& dir);  // path == dir or below it
std::vector<std::string_view> split_segments(std::string_view p);
// The segments of a workspace glob or exclusion, without "." segments.
std::vector<std::string_view> glob_segments(std::string_view pattern);
bool is_declaration(std::string_view name);       // x.d.ts, x.d.mts, x.d.cts
std::string_view extension_of(std::string_view name);  // of a basename: ".ts", "" if none

template <size_t N>
bool one_of(std::string_view s, const char* const (&set)[N]) {
    return std::any_of(std::begin(set), std::end(set), [&](const char* x) { return s == x; });
}

bool has_wildcard(std::string_view s);
// `*` and `?` within one path segment (no '/'), iterative with single-star backtracking.
bool wildcard_match(std::string_view pat, std::string_view s);
// Segment globs with `**` (any number of segments), by dynamic programming: no recursion.
bool glob_match_segments(const std::vector<std::string_view>& pat, const std::vector<std::string_view>& path);

// The first non-empty `probe(d)` for d = dir and its ancestors up to the root ("" if none),
// memoized in `cache` for every directory walked.
template <class Probe>
std::string nearest_up(std::unordered_map<std::string, std::string>& cache, const std::string& dir, Probe probe) {
    std::vector<std::string> walked;
    std::string found;
    for (std::string d = dir; !d.empty(); d = parent_of(d)) {
        if (auto it = cache.find(d); it != cache.end()) {
            found = it->second;
            break;
        }
        walked.push_back(d);
        found = probe(d);
        if (!found.empty()) break;
    }
    for (const auto& d : walked) cache[d] = found;
    return found;
}

// --- JSON with comments ---------------------------------------------------------------------

// Comments become spaces and trailing commas a space, so offsets and line numbers stay those of
// the original text. Strings are respected (a "//" inside a string is not a comment).
std::string strip_jsonc(std::string_view in);
int line_at(std::string_view text, size_t offset);
int line_of_key(std::string_view text, std::string_view key);  // first line with "key" (0 if none)
// A parse_error's what() without its prefix, position and "last read" (the line is reported separately).
std::string short_json_error(const std::string& what);
// A string or an array's strings; nothing for anything else.
std::vector<std::string> string_list(const Json& j);
// The string member `key` of an object, "" if absent, not a string, or no object.
std::string string_field(const Json* j, const char* key);

// --- pnpm-workspace.yaml ----------------------------------------------------------------------

struct YamlList {
    std::vector<std::string> items;
    std::vector<std::pair<int, std::string>> problems;  // line, message
};

// The `packages:` sequence of a pnpm-workspace.yaml (the subset described in module_resolver.h).
YamlList parse_pnpm_packages(std::string_view text);

// --- specifiers -------------------------------------------------------------------------------

bool is_node_builtin(std::string_view name);  // "fs", "path" ... (without "node:")
bool is_relative_spec(std::string_view s);
std::string scheme_of(std::string_view s);  // "node" for "node:fs"; "" if none (a Windows drive is not one)
// "@scope/name/sub/path" -> {"@scope/name", "sub/path"}; "name" -> {"name", ""}.
std::pair<std::string, std::string> split_package(std::string_view spec);

// --- package.json exports / imports (package_exports.cpp) -----------------------------------------

// Targets for `key` ("." / "./x" for exports, "#x" for imports) in preference order (`conds`
// first, then other conditions in document order); nullopt if no key matches.
std::optional<std::vector<std::string>> map_targets(const Json& map, const std::string& key,
                                                    const std::vector<std::string>& conds);
// A first directory of build output (dist/, build/, lib/, out/, esm/, cjs/) ...
bool is_output_dir(std::string_view s);
// ... and a flavour directory that may follow it (esm/, cjs/, types/ ...).
bool is_output_flavor(std::string_view s);

}  // namespace querylens::tsresolve
