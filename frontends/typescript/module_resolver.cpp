#include "frontends/typescript/module_resolver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

namespace querylens {

namespace {

namespace stdfs = std::filesystem;
using Json = nlohmann::ordered_json;  // document order matters for export conditions

// Limits on anything that follows input structure (documented in the header).
constexpr int kMaxExtendsDepth = 32;     // configs in one extends chain
constexpr int kMaxReferenceDepth = 8;    // solution-style roots referencing solution-style roots
constexpr int kMaxConditionDepth = 16;   // nested export conditions / arrays
constexpr int kMaxGlobDepth = 12;        // directories below a `**` in workspace globs
constexpr int kMaxSymlinkHops = 40;      // MemoryFileSystem link chains

const char* const kTsExts[] = {".ts", ".tsx", ".mts", ".cts"};
const char* const kJsExts[] = {".js", ".jsx", ".mjs", ".cjs"};
const char* const kDeclSuffixes[] = {".d.ts", ".d.mts", ".d.cts"};
const char* const kMainFields[] = {"types", "typings", "module", "main"};
const char* const kDefaultConditions[] = {"types", "import", "default", "require", "node"};

// --- paths ----------------------------------------------------------------------------------

// An absolute '/' path without ".", "..", empty segments or a trailing '/'. ".." at the root stays there.
std::string normalize_abs(std::string_view p) {
    std::vector<std::string_view> parts;
    size_t i = 0;
    while (i <= p.size()) {
        size_t j = p.find('/', i);
        if (j == std::string_view::npos) j = p.size();
        const std::string_view seg = p.substr(i, j - i);
        if (seg == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!seg.empty() && seg != ".") {
            parts.push_back(seg);
        }
        i = j + 1;
    }
    std::string out;
    for (auto s : parts) {
        out += '/';
        out += s;
    }
    return out.empty() ? "/" : out;
}

std::string join_path(const std::string& dir, std::string_view rel) {
    if (!rel.empty() && rel[0] == '/') return normalize_abs(rel);
    std::string s = dir;
    s += '/';
    s += rel;
    return normalize_abs(s);
}

std::string parent_of(const std::string& p) {  // "/" has none: ""
    if (p == "/" || p.empty()) return "";
    const size_t k = p.rfind('/');
    return k == 0 ? "/" : p.substr(0, k);
}

std::string child_of(const std::string& dir, std::string_view name) {
    std::string s = dir == "/" ? "" : dir;
    s += '/';
    s += name;
    return s;
}

std::string_view basename_of(std::string_view p) {
    const size_t k = p.rfind('/');
    return k == std::string_view::npos ? p : p.substr(k + 1);
}

bool is_under(const std::string& path, const std::string& dir) {  // path == dir or below it
    if (dir == "/") return !path.empty() && path[0] == '/';
    return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0 &&
           (path.size() == dir.size() || path[dir.size()] == '/');
}

std::vector<std::string_view> split_segments(std::string_view p) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i <= p.size()) {
        size_t j = p.find('/', i);
        if (j == std::string_view::npos) j = p.size();
        if (j > i) out.push_back(p.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

bool is_declaration(std::string_view name) {
    for (const char* d : kDeclSuffixes)
        if (name.ends_with(d) && name.size() > std::string_view(d).size()) return true;
    return false;
}

std::string_view extension_of(std::string_view name) {  // of a basename: ".ts", "" if none
    const size_t k = name.rfind('.');
    return k == std::string_view::npos || k == 0 ? std::string_view{} : name.substr(k);
}

template <size_t N>
bool one_of(std::string_view s, const char* const (&set)[N]) {
    return std::any_of(std::begin(set), std::end(set), [&](const char* x) { return s == x; });
}

bool has_wildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

// `*` and `?` within one path segment (no '/'), iterative with single-star backtracking.
bool wildcard_match(std::string_view pat, std::string_view s) {
    size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
    while (i < s.size()) {
        if (p < pat.size() && (pat[p] == '?' || pat[p] == s[i])) {
            ++p;
            ++i;
        } else if (p < pat.size() && pat[p] == '*') {
            star = p++;
            mark = i;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < pat.size() && pat[p] == '*') ++p;
    return p == pat.size();
}

// Segment globs with `**` (any number of segments), by dynamic programming: no recursion.
bool glob_match_segments(const std::vector<std::string_view>& pat, const std::vector<std::string_view>& path) {
    const size_t P = pat.size(), S = path.size();
    std::vector<char> cur(S + 1, 0), next(S + 1, 0);
    // dp[p][s]: pat[p..] matches path[s..]. Fill from p = P down.
    cur[S] = 1;
    for (size_t p = P; p-- > 0;) {
        std::fill(next.begin(), next.end(), 0);
        for (size_t s = S + 1; s-- > 0;) {
            if (pat[p] == "**")
                next[s] = static_cast<char>(cur[s] || (s < S && next[s + 1]));
            else
                next[s] = static_cast<char>(s < S && wildcard_match(pat[p], path[s]) && cur[s + 1]);
        }
        std::swap(cur, next);
    }
    return cur[0];
}

// --- JSON with comments ---------------------------------------------------------------------

// Comments become spaces and trailing commas a space, so offsets and line numbers stay those of
// the original text. Strings are respected (a "//" inside a string is not a comment).
std::string strip_jsonc(std::string_view in) {
    std::string out(in);
    if (out.rfind("\xEF\xBB\xBF", 0) == 0) out.replace(0, 3, "   ");
    bool in_str = false;
    for (size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        if (in_str) {
            if (c == '\\') ++i;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
            while (i < out.size() && out[i] != '\n') out[i++] = ' ';
        } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
            out[i] = out[i + 1] = ' ';
            i += 2;
            while (i < out.size() && !(out[i] == '*' && i + 1 < out.size() && out[i + 1] == '/')) {
                if (out[i] != '\n') out[i] = ' ';
                ++i;
            }
            if (i < out.size()) out[i] = ' ';
            if (i + 1 < out.size()) out[++i] = ' ';
        }
    }
    in_str = false;
    for (size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        if (in_str) {
            if (c == '\\') ++i;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == ',') {
            size_t j = i + 1;
            while (j < out.size() && (out[j] == ' ' || out[j] == '\t' || out[j] == '\r' || out[j] == '\n')) ++j;
            if (j < out.size() && (out[j] == '}' || out[j] == ']')) out[i] = ' ';
        }
    }
    return out;
}

int line_at(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

int line_of_key(std::string_view text, std::string_view key) {  // first line with "key" (0 if none)
    const std::string quoted = "\"" + std::string(key) + "\"";
    const size_t k = text.find(quoted);
    return k == std::string_view::npos ? 0 : line_at(text, k);
}

// "[json.exception.parse_error.101] parse error at line 5, column 3: syntax error while parsing
// object - invalid literal; last read: '...'; expected '}'" -> "syntax error while parsing object -
// invalid literal; expected '}'" (the line is reported separately).
std::string short_json_error(const std::string& what) {
    std::string s = what;
    size_t k = s.find("column ");
    if (k != std::string::npos && (k = s.find(": ", k)) != std::string::npos) s = s.substr(k + 2);
    else if ((k = s.find("] ")) != std::string::npos) s = s.substr(k + 2);
    if (const size_t a = s.find("; last read: '"); a != std::string::npos) {
        const size_t b = s.find("'; ", a + 14);
        s.erase(a, b == std::string::npos ? std::string::npos : b + 1 - a);
    }
    return s;
}

// --- pnpm-workspace.yaml ----------------------------------------------------------------------

std::string trim(std::string_view s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
    return std::string(s.substr(a, b - a));
}

// One scalar item: quoted or plain, with a trailing " # comment" removed. nullopt: unsupported.
std::optional<std::string> yaml_scalar(std::string_view raw) {
    std::string s = trim(raw);
    if (s.empty()) return std::nullopt;
    if (s[0] == '"' || s[0] == '\'') {
        const char q = s[0];
        std::string v;
        size_t i = 1;
        for (; i < s.size(); ++i) {
            if (q == '\'' && s[i] == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
                v += '\'';
                ++i;
            } else if (q == '"' && s[i] == '\\' && i + 1 < s.size()) {
                v += s[++i];
            } else if (s[i] == q) {
                break;
            } else {
                v += s[i];
            }
        }
        if (i >= s.size()) return std::nullopt;  // unterminated
        const std::string rest = trim(std::string_view(s).substr(i + 1));
        if (!rest.empty() && rest[0] != '#') return std::nullopt;
        return v;
    }
    if (s[0] == '&' || s[0] == '*' || s[0] == '|' || s[0] == '>' || s[0] == '[' || s[0] == '{' || s[0] == '-' ||
        (s[0] == '!' && s.size() > 1 && s[1] == '!'))
        return std::nullopt;  // anchors, aliases, block scalars, nested collections, tags
    for (size_t i = 1; i < s.size(); ++i)
        if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t')) {
            s = trim(std::string_view(s).substr(0, i));
            break;
        }
    return s;
}

struct YamlList {
    std::vector<std::string> items;
    std::vector<std::pair<int, std::string>> problems;  // line, message
};

YamlList parse_pnpm_packages(std::string_view text) {
    YamlList out;
    std::vector<std::string_view> lines;
    for (size_t i = 0; i <= text.size();) {
        size_t j = text.find('\n', i);
        if (j == std::string_view::npos) j = text.size();
        lines.push_back(text.substr(i, j - i));
        i = j + 1;
    }
    for (size_t n = 0; n < lines.size(); ++n) {
        const std::string_view line = lines[n];
        size_t key_len = 0;
        for (std::string_view key : {"packages", "\"packages\"", "'packages'"})
            if (line.starts_with(key)) key_len = key.size();
        if (key_len == 0) continue;
        std::string rest = trim(line.substr(key_len));
        if (rest.empty() || rest[0] != ':') continue;
        rest = trim(std::string_view(rest).substr(1));
        if (!rest.empty() && rest[0] == '[') {  // flow sequence on one line
            const size_t close = rest.rfind(']');
            if (close == std::string::npos) {
                out.problems.push_back({static_cast<int>(n + 1), "multi-line flow sequence in 'packages' is not supported"});
                return out;
            }
            std::string_view body = std::string_view(rest).substr(1, close - 1);
            size_t i = 0;
            while (i < body.size()) {  // split on commas outside quotes
                size_t j = i;
                char q = 0;
                for (; j < body.size(); ++j) {
                    if (q) {
                        if (body[j] == q) q = 0;
                    } else if (body[j] == '"' || body[j] == '\'') {
                        q = body[j];
                    } else if (body[j] == ',') {
                        break;
                    }
                }
                if (!trim(body.substr(i, j - i)).empty()) {
                    if (auto v = yaml_scalar(body.substr(i, j - i)))
                        out.items.push_back(*v);
                    else
                        out.problems.push_back({static_cast<int>(n + 1), "unsupported YAML in 'packages' entry"});
                }
                i = j + 1;
            }
            return out;
        }
        if (!rest.empty() && rest[0] != '#') {
            out.problems.push_back({static_cast<int>(n + 1), "'packages' is not a list"});
            return out;
        }
        for (size_t m = n + 1; m < lines.size(); ++m) {
            const std::string_view l = lines[m];
            const std::string t = trim(l);
            if (t.empty() || t[0] == '#') continue;
            if (l[0] != ' ' && l[0] != '\t' && l[0] != '-') break;  // next top-level key
            if (t[0] != '-') {
                out.problems.push_back({static_cast<int>(m + 1), "unsupported YAML in 'packages' (expected '- glob')"});
                continue;
            }
            if (auto v = yaml_scalar(std::string_view(t).substr(1)))
                out.items.push_back(*v);
            else
                out.problems.push_back({static_cast<int>(m + 1), "unsupported YAML in 'packages' entry"});
        }
        return out;
    }
    return out;
}

// --- specifiers -------------------------------------------------------------------------------

const std::set<std::string, std::less<>> kNodeBuiltins = {
    "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto",
    "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https",
    "inspector", "module", "net", "os", "path", "perf_hooks", "process", "punycode", "querystring",
    "readline", "repl", "stream", "string_decoder", "sys", "timers", "tls", "trace_events", "tty",
    "url", "util", "v8", "vm", "wasi", "worker_threads", "zlib"};

bool is_relative_spec(std::string_view s) {
    return s == "." || s == ".." || s.starts_with("./") || s.starts_with("../") || s.starts_with("/");
}

std::string scheme_of(std::string_view s) {  // "node" for "node:fs"; "" if none (a Windows drive is not one)
    size_t i = 0;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        ++i;
    if (i < 2 || i >= s.size() || s[i] != ':' || !std::isalpha(static_cast<unsigned char>(s[0]))) return {};
    return std::string(s.substr(0, i));
}

// "@scope/name/sub/path" -> {"@scope/name", "sub/path"}; "name" -> {"name", ""}.
std::pair<std::string, std::string> split_package(std::string_view spec) {
    size_t k = spec.find('/');
    if (!spec.empty() && spec[0] == '@' && k != std::string_view::npos) k = spec.find('/', k + 1);
    if (k == std::string_view::npos) return {std::string(spec), {}};
    return {std::string(spec.substr(0, k)), std::string(spec.substr(k + 1))};
}

// --- package.json exports / imports -------------------------------------------------------------

void expand_target(const Json& t, const std::string* star, const std::vector<std::string>& conds,
                   std::vector<std::string>& out, int depth) {
    if (depth > kMaxConditionDepth) return;
    if (t.is_string()) {
        std::string s = t.get<std::string>();
        if (star) {
            std::string r;
            for (char c : s) {
                if (c == '*') r += *star;
                else r += c;
            }
            s = std::move(r);
        }
        out.push_back(std::move(s));
    } else if (t.is_array()) {
        for (const auto& e : t) expand_target(e, star, conds, out, depth + 1);
    } else if (t.is_object()) {
        for (const auto& c : conds)
            if (auto it = t.find(c); it != t.end()) expand_target(*it, star, conds, out, depth + 1);
        for (auto it = t.begin(); it != t.end(); ++it)
            if (std::find(conds.begin(), conds.end(), it.key()) == conds.end())
                expand_target(it.value(), star, conds, out, depth + 1);
    }
    // null: explicitly not exported
}

// Targets for `key` ("." / "./x" for exports, "#x" for imports) in preference order; nullopt if
// no key matches.
std::optional<std::vector<std::string>> map_targets(const Json& map, const std::string& key,
                                                    const std::vector<std::string>& conds) {
    std::vector<std::string> out;
    const bool keyed = map.is_object() && !map.empty() && !map.begin().key().empty() &&
                       (map.begin().key()[0] == '.' || map.begin().key()[0] == '#');
    if (!keyed) {  // sugar: the whole value is ".".
        if (key != ".") return std::nullopt;
        expand_target(map, nullptr, conds, out, 0);
        return out;
    }
    if (auto it = map.find(key); it != map.end() && key.find('*') == std::string::npos) {
        expand_target(*it, nullptr, conds, out, 0);
        return out;
    }
    const Json* best = nullptr;
    std::string best_key, best_star;
    bool best_folder = false;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const std::string& k = it.key();
        const size_t star = k.find('*');
        if (star != std::string::npos) {
            if (k.find('*', star + 1) != std::string::npos) continue;
            const std::string_view prefix = std::string_view(k).substr(0, star), suffix = std::string_view(k).substr(star + 1);
            if (!std::string_view(key).starts_with(prefix) || key.size() < prefix.size() + suffix.size() ||
                !std::string_view(key).ends_with(suffix) || key.size() == prefix.size())
                continue;
            const size_t best_prefix = best ? (best_folder ? best_key.size() : best_key.find('*')) : 0;
            if (!best || prefix.size() > best_prefix || (prefix.size() == best_prefix && k.size() > best_key.size())) {
                best = &it.value();
                best_key = k;
                best_star = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
                best_folder = false;
            }
        } else if (k.size() > 1 && k.back() == '/' && key.starts_with(k)) {  // legacy folder mapping
            const size_t best_prefix = best ? (best_folder ? best_key.size() : best_key.find('*')) : 0;
            if (!best || k.size() > best_prefix) {
                best = &it.value();
                best_key = k;
                best_star = key.substr(k.size());
                best_folder = true;
            }
        }
    }
    if (!best) return std::nullopt;
    if (best_folder) {
        expand_target(*best, nullptr, conds, out, 0);
        for (auto& t : out)
            if (!t.empty() && t.back() == '/') t += best_star;
            else t.clear();
        out.erase(std::remove(out.begin(), out.end(), std::string{}), out.end());
    } else {
        expand_target(*best, &best_star, conds, out, 0);
    }
    return out;
}

bool is_output_dir(std::string_view s) {
    return s == "dist" || s == "build" || s == "lib" || s == "out" || s == "esm" || s == "cjs";
}
bool is_output_flavor(std::string_view s) {
    return s == "esm" || s == "cjs" || s == "mjs" || s == "es" || s == "module" || s == "types" || s == "src" ||
           s == "node" || s == "browser";
}

}  // namespace

// --- file systems -------------------------------------------------------------------------------

DiskFileSystem::DiskFileSystem(const std::string& base_dir) {
    std::error_code ec;
    stdfs::path b = base_dir.empty() ? stdfs::current_path(ec) : stdfs::absolute(base_dir, ec);
    base_ = normalize_abs(b.generic_string());
}

std::string DiskFileSystem::abs(const std::string& path) const {
    return !path.empty() && path[0] == '/' ? path : join_path(base_, path);
}

bool DiskFileSystem::is_file(const std::string& path) const {
    std::error_code ec;
    return stdfs::is_regular_file(abs(path), ec);
}

bool DiskFileSystem::is_dir(const std::string& path) const {
    std::error_code ec;
    return stdfs::is_directory(abs(path), ec);
}

std::optional<std::string> DiskFileSystem::read(const std::string& path) const {
    std::ifstream in(abs(path), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> DiskFileSystem::list_dir(const std::string& path) const {
    std::vector<std::string> out;
    std::error_code ec;
    for (stdfs::directory_iterator it(abs(path), stdfs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec))
        out.push_back(it->path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string DiskFileSystem::real_path(const std::string& path) const {
    std::error_code ec;
    const stdfs::path p = stdfs::canonical(abs(path), ec);
    return ec ? path : normalize_abs(p.generic_string());
}

MemoryFileSystem::MemoryFileSystem(const std::string& base_dir) : base_(normalize_abs(base_dir.empty() ? "/" : base_dir)) {}

std::string MemoryFileSystem::abs(const std::string& path) const {
    return !path.empty() && path[0] == '/' ? normalize_abs(path) : join_path(base_, path);
}

void MemoryFileSystem::add_dirs(const std::string& p) {
    std::string cur = p;
    for (std::string up = parent_of(cur); !up.empty(); cur = up, up = parent_of(cur))
        children_[up].insert(std::string(basename_of(cur)));
}

void MemoryFileSystem::add_file(const std::string& path, std::string text) {
    const std::string p = abs(path);
    files_[p] = std::move(text);
    add_dirs(p);
}

void MemoryFileSystem::add_symlink(const std::string& link, const std::string& target) {
    const std::string l = abs(link);
    links_[l] = !target.empty() && target[0] == '/' ? normalize_abs(target) : join_path(parent_of(l), target);
    add_dirs(l);
}

std::string MemoryFileSystem::real_path(const std::string& path) const {
    std::string p = abs(path);
    for (int hop = 0; hop < kMaxSymlinkHops && !links_.empty(); ++hop) {
        bool changed = false;
        for (std::string pre = p; !pre.empty(); pre = parent_of(pre)) {  // the longest linked prefix
            auto it = links_.find(pre);
            if (it == links_.end()) continue;
            p = it->second + p.substr(pre.size());
            changed = true;
            break;
        }
        if (!changed) break;
    }
    return p;
}

bool MemoryFileSystem::is_file(const std::string& path) const { return files_.count(real_path(path)) > 0; }

bool MemoryFileSystem::is_dir(const std::string& path) const {
    const std::string p = real_path(path);
    return p == "/" || children_.count(p) > 0;
}

std::optional<std::string> MemoryFileSystem::read(const std::string& path) const {
    auto it = files_.find(real_path(path));
    if (it == files_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> MemoryFileSystem::list_dir(const std::string& path) const {
    auto it = children_.find(real_path(path));
    if (it == children_.end()) return {};
    return {it->second.begin(), it->second.end()};
}

// --- the resolver ---------------------------------------------------------------------------------

struct ModuleResolver::Impl {
    using Kind = ModuleResolution::Kind;

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

    explicit Impl(const FileSystemView& f) : fs(f), base(normalize_abs(f.base_dir().empty() ? "/" : f.base_dir())) {}

    // -- file system, cached --
    bool is_file(const std::string& p) {
        auto it = file_cache.find(p);
        if (it != file_cache.end()) return it->second;
        ++stats.fs_queries;
        return file_cache[p] = fs.is_file(p);
    }
    bool is_dir(const std::string& p) {
        auto it = dir_cache.find(p);
        if (it != dir_cache.end()) return it->second;
        ++stats.fs_queries;
        return dir_cache[p] = fs.is_dir(p);
    }
    std::optional<std::string> read(const std::string& p) {
        ++stats.fs_queries;
        ++stats.files_read;
        return fs.read(p);
    }

    std::string display(const std::string& abs) const {
        if (base == "/") return abs.size() > 1 ? abs.substr(1) : abs;
        if (abs.size() > base.size() && is_under(abs, base)) return abs.substr(base.size() + 1);
        return abs;
    }

    void problem(const std::string& path, int line, const std::string& msg) {
        ConfigProblem p{display(path), line, msg};
        std::string s = p.text();
        if (!problem_set.insert(s).second) return;
        problems.push_back(std::move(s));
        problem_list.push_back(std::move(p));
    }

    // Parses JSON with comments and trailing commas; reports and returns nullopt when invalid.
    std::optional<Json> parse_json(const std::string& path, const std::string& text) {
        const std::string clean = strip_jsonc(text);
        try {
            Json j = Json::parse(clean);
            if (!j.is_object()) {
                problem(path, 1, "not a JSON object");
                return std::nullopt;
            }
            return j;
        } catch (const Json::parse_error& e) {
            problem(path, line_at(clean, e.byte > 0 ? e.byte - 1 : 0), "invalid JSON: " + short_json_error(e.what()));
        } catch (const Json::exception& e) {
            problem(path, 0, std::string("invalid JSON: ") + e.what());
        }
        return std::nullopt;
    }

    const Json* package_json(const std::string& path) {
        auto it = json_cache.find(path);
        if (it == json_cache.end()) {
            std::optional<Json> j;
            if (is_file(path))
                if (auto text = read(path)) j = parse_json(path, *text);
            it = json_cache.emplace(path, std::move(j)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

    static std::string string_field(const Json* j, const char* key) {
        if (!j) return {};
        auto it = j->find(key);
        return it != j->end() && it->is_string() ? it->get<std::string>() : std::string{};
    }

    // -- tsconfig --
    std::string nearest_config(const std::string& dir) {
        std::vector<std::string> walked;
        std::string found;
        for (std::string d = dir; !d.empty(); d = parent_of(d)) {
            if (auto it = nearest_config_cache.find(d); it != nearest_config_cache.end()) {
                found = it->second;
                break;
            }
            walked.push_back(d);
            const std::string ts = child_of(d, "tsconfig.json"), js = child_of(d, "jsconfig.json");
            if (is_file(ts)) {
                found = ts;
                break;
            }
            if (is_file(js)) {
                found = js;
                break;
            }
        }
        for (const auto& d : walked) nearest_config_cache[d] = found;
        return found;
    }

    static std::vector<std::string> string_list(const Json& j) {
        std::vector<std::string> out;
        if (j.is_string()) out.push_back(j.get<std::string>());
        if (j.is_array())
            for (const auto& e : j)
                if (e.is_string()) out.push_back(e.get<std::string>());
        return out;
    }

    // The config file an `extends` entry names, or nullopt.
    std::optional<std::string> resolve_extends(const std::string& spec, const std::string& dir) {
        if (spec.empty()) return std::nullopt;
        if (is_relative_spec(spec)) {
            const std::string p = join_path(dir, spec);
            if (is_file(p)) return p;
            if (!p.ends_with(".json") && is_file(p + ".json")) return p + ".json";
            if (is_dir(p) && is_file(child_of(p, "tsconfig.json"))) return child_of(p, "tsconfig.json");
            return std::nullopt;
        }
        auto [name, sub] = split_package(spec);
        const auto pkg = find_package(name, dir);
        if (!pkg) return std::nullopt;
        const Json* pj = package_json(child_of(pkg->dir, "package.json"));
        auto try_json = [&](const std::string& p) -> std::optional<std::string> {
            if (is_file(p)) return p;
            if (!p.ends_with(".json") && is_file(p + ".json")) return p + ".json";
            if (is_dir(p) && is_file(child_of(p, "tsconfig.json"))) return child_of(p, "tsconfig.json");
            return std::nullopt;
        };
        if (pj && pj->contains("exports")) {
            static const std::vector<std::string> conds(std::begin(kDefaultConditions), std::end(kDefaultConditions));
            if (auto targets = map_targets((*pj)["exports"], sub.empty() ? "." : "./" + sub, conds))
                for (const auto& t : *targets)
                    if (auto f = try_json(join_path(pkg->dir, t))) return f;
        }
        if (sub.empty()) {
            const std::string field = string_field(pj, "tsconfig");
            if (!field.empty())
                if (auto f = try_json(join_path(pkg->dir, field))) return f;
            return try_json(child_of(pkg->dir, "tsconfig.json"));
        }
        return try_json(join_path(pkg->dir, sub));
    }

    static void inherit(Config& c, const Config& b) {
        if (b.has_base_url) {
            c.has_base_url = true;
            c.base_url = b.base_url;
            c.base_url_dir = b.base_url_dir;
        }
        if (b.has_paths) {
            c.has_paths = true;
            c.paths = b.paths;
            c.paths_dir = b.paths_dir;
        }
        if (!b.custom_conditions.empty()) c.custom_conditions = b.custom_conditions;
        if (!b.out_dir.empty()) c.out_dir = b.out_dir, c.out_dir_base = b.out_dir_base;
        if (!b.root_dir.empty()) c.root_dir = b.root_dir, c.root_dir_base = b.root_dir_base;
        if (!b.decl_dir.empty()) c.decl_dir = b.decl_dir, c.decl_dir_base = b.decl_dir_base;
        if (b.files) {
            c.files = b.files;
            c.files_dir = b.files_dir;
        }
        if (b.include) {
            c.include = b.include;
            c.include_dir = b.include_dir;
        }
    }

    const Config* load_config(const std::string& path, std::vector<std::string>& chain) {
        if (auto it = configs.find(path); it != configs.end()) return it->second.get();
        if (std::find(chain.begin(), chain.end(), path) != chain.end()) {
            std::string cycle;
            for (const auto& c : chain) cycle += display(c) + " -> ";
            problem(chain.back(), 0, "extends cycle: " + cycle + display(path));
            return nullptr;
        }
        if (static_cast<int>(chain.size()) >= kMaxExtendsDepth) {
            problem(chain.back(), 0, "extends chain deeper than " + std::to_string(kMaxExtendsDepth) + " configs; stopped");
            return nullptr;
        }
        auto cfg = std::make_unique<Config>();
        cfg->path = path;
        cfg->dir = parent_of(path);
        chain.push_back(path);
        const auto text = read(path);
        std::optional<Json> j;
        if (!text)
            problem(path, 0, "cannot read");
        else
            j = parse_json(path, *text);
        if (!j) {
            cfg->ok = false;
        } else {
            if (auto ext = j->find("extends"); ext != j->end()) {
                for (const auto& e : string_list(*ext)) {
                    auto target = resolve_extends(e, cfg->dir);
                    if (!target) {
                        problem(path, line_of_key(*text, "extends"), "extends '" + e + "' not found");
                        continue;
                    }
                    if (const Config* b = load_config(*target, chain)) inherit(*cfg, *b);
                }
            }
            if (auto co = j->find("compilerOptions"); co != j->end() && co->is_object()) {
                if (auto b = co->find("baseUrl"); b != co->end() && b->is_string()) {
                    cfg->has_base_url = true;
                    cfg->base_url = b->get<std::string>();
                    cfg->base_url_dir = cfg->dir;
                }
                if (auto p = co->find("paths"); p != co->end() && p->is_object()) {
                    cfg->has_paths = true;
                    cfg->paths.clear();
                    cfg->paths_dir = cfg->dir;
                    for (auto it = p->begin(); it != p->end(); ++it) {
                        const auto& k = it.key();
                        const size_t star = k.find('*');
                        if (star != std::string::npos && k.find('*', star + 1) != std::string::npos) {
                            problem(path, line_of_key(*text, k), "paths pattern '" + k + "' has more than one '*'; ignored");
                            continue;
                        }
                        cfg->paths.emplace_back(k, string_list(it.value()));
                    }
                }
                if (auto c = co->find("customConditions"); c != co->end()) cfg->custom_conditions = string_list(*c);
                auto dir_option = [&](const char* key, std::string& value, std::string& base_dir) {
                    if (auto o = co->find(key); o != co->end() && o->is_string() && !o->get<std::string>().empty()) {
                        value = o->get<std::string>();
                        base_dir = cfg->dir;
                    }
                };
                dir_option("outDir", cfg->out_dir, cfg->out_dir_base);
                dir_option("rootDir", cfg->root_dir, cfg->root_dir_base);
                dir_option("declarationDir", cfg->decl_dir, cfg->decl_dir_base);
            }
            if (auto f = j->find("files"); f != j->end() && f->is_array()) {
                cfg->files = string_list(*f);
                cfg->files_dir = cfg->dir;
            }
            if (auto inc = j->find("include"); inc != j->end() && inc->is_array()) {
                cfg->include = string_list(*inc);
                cfg->include_dir = cfg->dir;
            }
            if (auto refs = j->find("references"); refs != j->end() && refs->is_array()) {
                for (const auto& r : *refs) {
                    if (!r.is_object() || !r.contains("path") || !r["path"].is_string()) continue;
                    std::string p = join_path(cfg->dir, r["path"].get<std::string>());
                    if (is_dir(p)) p = child_of(p, "tsconfig.json");
                    else if (!is_file(p) && !p.ends_with(".json") && is_file(p + ".json")) p += ".json";
                    cfg->references.push_back(p);
                }
            }
        }
        chain.pop_back();
        const Config* raw = cfg.get();
        configs[path] = std::move(cfg);
        return raw;
    }

    const Config* load_config(const std::string& path) {
        std::vector<std::string> chain;
        return load_config(path, chain);
    }

    // ${configDir} is the directory of the config that governs the file.
    static std::string expand_config_dir(const std::string& raw, const std::string& own_dir, const Config& governing) {
        static const std::string kVar = "${configDir}";
        if (raw.starts_with(kVar)) return join_path(governing.dir, "./" + raw.substr(kVar.size()));
        return join_path(own_dir, raw);
    }

    bool config_includes(const Config& c, const std::string& file) {
        if (c.files)
            for (const auto& f : *c.files)
                if (expand_config_dir(f, c.files_dir, c) == file) return true;
        if (!c.include) return !c.files && is_under(file, c.dir);
        for (const auto& inc : *c.include) {
            const std::string pat = expand_config_dir(inc, c.include_dir, c);
            if (!has_wildcard(pat)) {
                if (is_under(file, pat)) return true;
                continue;
            }
            auto ps = split_segments(pat), fsg = split_segments(file);
            if (glob_match_segments(ps, fsg)) return true;
            ps.push_back("**");  // "src/*" style directory patterns also cover what is below
            ps.push_back("*");
            if (!has_wildcard(basename_of(pat)) && glob_match_segments(ps, fsg)) return true;
        }
        return false;
    }

    static bool solution_style(const Config& c) {
        return c.files && c.files->empty() && (!c.include || c.include->empty()) && !c.references.empty();
    }

    const Config* governing(const std::string& file) {
        if (auto it = governing_cache.find(file); it != governing_cache.end()) return it->second;
        const Config* cfg = nullptr;
        const std::string path = nearest_config(parent_of(file));
        if (!path.empty()) cfg = load_config(path);
        for (int depth = 0; cfg && solution_style(*cfg) && depth < kMaxReferenceDepth; ++depth) {
            const Config* chosen = nullptr;
            const Config* longest = nullptr;
            for (const auto& ref : cfg->references) {
                if (!is_file(ref)) {
                    problem(cfg->path, 0, "referenced project '" + display(ref) + "' not found");
                    continue;
                }
                const Config* r = load_config(ref);
                if (!r || r == cfg) continue;
                if (!chosen && config_includes(*r, file)) chosen = r;
                if (is_under(file, r->dir) && (!longest || r->dir.size() > longest->dir.size())) longest = r;
            }
            if (!chosen) chosen = longest;
            if (!chosen) break;
            cfg = chosen;
        }
        governing_cache[file] = cfg;
        return cfg;
    }

    // -- workspaces --
    bool is_workspace_root(const std::string& d) {
        if (is_file(child_of(d, "pnpm-workspace.yaml"))) return true;
        const std::string pj = child_of(d, "package.json");
        if (is_file(pj))
            if (const Json* j = package_json(pj); j && j->contains("workspaces")) return true;
        const std::string lerna = child_of(d, "lerna.json");
        if (is_file(lerna))
            if (const Json* j = package_json(lerna); j && j->contains("packages")) return true;
        return false;
    }

    std::string workspace_root(const std::string& dir) {
        std::vector<std::string> walked;
        std::string found;
        for (std::string d = dir; !d.empty(); d = parent_of(d)) {
            if (auto it = workspace_root_cache.find(d); it != workspace_root_cache.end()) {
                found = it->second;
                break;
            }
            walked.push_back(d);
            if (basename_of(d) == "node_modules") continue;
            if (is_workspace_root(d)) {
                found = d;
                break;
            }
        }
        for (const auto& d : walked) workspace_root_cache[d] = found;
        return found;
    }

    // Directories (absolute) matching one workspace glob relative to `root`, without recursion.
    std::vector<std::string> expand_glob(const std::string& root, const std::string& pattern) {
        std::vector<std::string> segs;
        for (auto s : split_segments(pattern))
            if (s != ".") segs.emplace_back(s);
        std::set<std::string> found;
        struct Item {
            std::string dir;
            size_t idx;
            int depth;
        };
        std::vector<Item> stack{{root, 0, 0}};
        std::set<std::pair<std::string, size_t>> seen;
        while (!stack.empty()) {
            Item it = std::move(stack.back());
            stack.pop_back();
            if (!seen.insert({it.dir, it.idx}).second) continue;
            if (it.idx == segs.size()) {
                found.insert(it.dir);
                continue;
            }
            const std::string& seg = segs[it.idx];
            if (seg == "..") {
                const std::string up = parent_of(it.dir);
                if (!up.empty()) stack.push_back({up, it.idx + 1, it.depth});
            } else if (seg == "**") {
                stack.push_back({it.dir, it.idx + 1, it.depth});
                if (it.depth >= kMaxGlobDepth) continue;
                for (const auto& name : fs.list_dir(it.dir)) {
                    if (name == "node_modules" || name.starts_with(".")) continue;
                    const std::string c = child_of(it.dir, name);
                    if (is_dir(c)) stack.push_back({c, it.idx, it.depth + 1});
                }
            } else if (has_wildcard(seg)) {
                ++stats.fs_queries;
                for (const auto& name : fs.list_dir(it.dir)) {
                    if (name == "node_modules" || name.starts_with(".") || !wildcard_match(seg, name)) continue;
                    const std::string c = child_of(it.dir, name);
                    if (is_dir(c)) stack.push_back({c, it.idx + 1, it.depth});
                }
            } else {
                const std::string c = child_of(it.dir, seg);
                if (is_dir(c)) stack.push_back({c, it.idx + 1, it.depth});
            }
        }
        return {found.begin(), found.end()};
    }

    const std::map<std::string, std::string>& workspace_packages(const std::string& root) {
        if (auto it = workspace_cache.find(root); it != workspace_cache.end()) return it->second;
        std::vector<std::string> patterns;
        const Json* root_pj = package_json(child_of(root, "package.json"));
        if (root_pj) {
            if (auto w = root_pj->find("workspaces"); w != root_pj->end()) {
                if (w->is_array()) patterns = string_list(*w);
                else if (w->is_object() && w->contains("packages")) patterns = string_list((*w)["packages"]);
            }
        }
        const std::string yaml = child_of(root, "pnpm-workspace.yaml");
        if (is_file(yaml))
            if (auto text = read(yaml)) {
                auto list = parse_pnpm_packages(*text);
                for (auto& [line, msg] : list.problems) problem(yaml, line, msg);
                patterns.insert(patterns.end(), list.items.begin(), list.items.end());
            }
        const std::string lerna = child_of(root, "lerna.json");
        if (is_file(lerna))
            if (const Json* j = package_json(lerna); j && j->contains("packages"))
                for (auto& p : string_list((*j)["packages"])) patterns.push_back(p);

        std::vector<std::vector<std::string_view>> excludes;
        std::vector<std::string> exclude_text;
        for (const auto& p : patterns)
            if (p.starts_with("!")) exclude_text.push_back(p.substr(1));
        for (const auto& e : exclude_text) {
            std::vector<std::string_view> segs;
            for (auto s : split_segments(e))
                if (s != ".") segs.push_back(s);
            excludes.push_back(std::move(segs));
        }
        std::map<std::string, std::string> names;
        for (const auto& p : patterns) {
            if (p.starts_with("!")) continue;
            for (const auto& dir : expand_glob(root, p)) {
                const std::string rel = dir == root ? "" : dir.substr(root == "/" ? 1 : root.size() + 1);
                const auto rel_segs = split_segments(rel);
                if (std::any_of(excludes.begin(), excludes.end(),
                                [&](const auto& ex) { return glob_match_segments(ex, rel_segs); }))
                    continue;
                const std::string name = string_field(package_json(child_of(dir, "package.json")), "name");
                if (!name.empty()) names.emplace(name, dir);  // the first pattern wins
            }
        }
        const std::string root_name = string_field(root_pj, "name");
        if (!root_name.empty()) names.emplace(root_name, root);
        return workspace_cache[root] = std::move(names);
    }

    std::string nearest_package_json(const std::string& dir) {
        std::vector<std::string> walked;
        std::string found;
        for (std::string d = dir; !d.empty(); d = parent_of(d)) {
            if (auto it = nearest_pkg_cache.find(d); it != nearest_pkg_cache.end()) {
                found = it->second;
                break;
            }
            walked.push_back(d);
            const std::string p = child_of(d, "package.json");
            if (is_file(p)) {
                found = p;
                break;
            }
        }
        for (const auto& d : walked) nearest_pkg_cache[d] = found;
        return found;
    }

    // The directory of package `name` as seen from `dir`: the workspace map, the enclosing
    // package itself (self-reference), then node_modules up the tree (followed to its real path).
    std::optional<Package> find_package(const std::string& name, const std::string& dir) {
        const std::string root = workspace_root(dir);
        if (!root.empty()) {
            const auto& ws = workspace_packages(root);
            if (auto it = ws.find(name); it != ws.end()) return Package{it->second, false};
        }
        const std::string own = nearest_package_json(dir);
        if (!own.empty() && string_field(package_json(own), "name") == name) return Package{parent_of(own), false};
        for (std::string d = dir; !d.empty(); d = parent_of(d)) {
            if (basename_of(d) == "node_modules") continue;
            const std::string cand = child_of(child_of(d, "node_modules"), name);
            if (!is_dir(cand)) continue;
            ++stats.fs_queries;
            const std::string real = normalize_abs(fs.real_path(cand));
            return Package{real, real.find("/node_modules/") != std::string::npos};
        }
        return std::nullopt;
    }

    // -- files --
    void note_declaration(const std::string& p) {
        if (decl_hint.empty() && is_file(p)) decl_hint = p;
    }

    // `p` as a file: exact TypeScript, TypeScript for a JavaScript name, extensionless, then (if
    // allow_js) JavaScript; any other existing file named exactly. Never a declaration file.
    std::optional<std::string> try_file(const std::string& p, bool allow_js) {
        const std::string_view name = basename_of(p);
        if (is_declaration(name)) {
            note_declaration(p);
            const std::string_view ext = extension_of(name);  // ".ts" of ".d.ts": try the source sibling
            const std::string stem = p.substr(0, p.size() - ext.size() - 2);
            for (const char* e : kTsExts)
                if (is_file(stem + e)) return stem + e;
            return std::nullopt;
        }
        const std::string_view ext = extension_of(name);
        if (one_of(ext, kTsExts)) return is_file(p) ? std::optional<std::string>(p) : std::nullopt;
        if (one_of(ext, kJsExts)) {
            const std::string stem = p.substr(0, p.size() - ext.size());
            std::vector<const char*> twins;
            if (ext == ".js") twins = {".ts", ".tsx"};
            else if (ext == ".jsx") twins = {".tsx", ".ts"};
            else if (ext == ".mjs") twins = {".mts"};
            else twins = {".cts"};
            for (const char* t : twins)
                if (is_file(stem + t)) return stem + t;
            if (allow_js && is_file(p)) return p;
            note_declaration(stem + ".d.ts");
        }
        for (const char* e : kTsExts)
            if (is_file(p + e)) return p + e;
        if (allow_js)
            for (const char* e : kJsExts)
                if (is_file(p + e)) return p + e;
        if (!ext.empty() && !one_of(ext, kJsExts) && is_file(p)) return p;
        note_declaration(p + ".d.ts");
        return std::nullopt;
    }

    std::optional<std::string> try_index(const std::string& dir, bool allow_js) {
        if (!is_dir(dir)) return std::nullopt;
        const std::string stem = child_of(dir, "index");
        for (const char* e : kTsExts)
            if (is_file(stem + e)) return stem + e;
        if (allow_js)
            for (const char* e : kJsExts)
                if (is_file(stem + e)) return stem + e;
        note_declaration(stem + ".d.ts");
        return std::nullopt;
    }

    static std::string strip_output_extension(std::string p) {
        const std::string_view name = basename_of(p);
        for (const char* d : kDeclSuffixes)
            if (name.ends_with(d)) return p.substr(0, p.size() - std::string_view(d).size());
        if (const auto ext = extension_of(name); one_of(ext, kJsExts)) p.resize(p.size() - ext.size());
        return p;
    }

    // The source file behind a package entry point (a file in dist/, a .d.ts, an extensionless
    // pattern result ...). Only sources: existing JavaScript targets are the caller's last resort.
    std::optional<std::string> source_for_target(const std::string& pkgdir, const std::string& target) {
        if (auto f = try_file(target, false)) return f;
        if (auto f = try_index(target, false)) return f;
        if (!is_under(target, pkgdir) || target == pkgdir) return std::nullopt;
        if (auto f = source_by_tsconfig(pkgdir, target)) return f;
        const std::string stem = strip_output_extension(target);
        const std::string rel = stem.substr(pkgdir == "/" ? 1 : pkgdir.size() + 1);
        const auto segs = split_segments(rel);
        if (segs.size() < 2 || !is_output_dir(segs[0])) return std::nullopt;
        auto rest_from = [&](size_t k) {
            std::string r;
            for (size_t i = k; i < segs.size(); ++i) {
                if (!r.empty()) r += '/';
                r.append(segs[i]);
            }
            return r;
        };
        std::vector<std::string> cands = {"src/" + rest_from(1), rest_from(1)};
        if (segs.size() >= 3 && is_output_flavor(segs[1])) {
            cands.push_back("src/" + rest_from(2));
            cands.push_back(rest_from(2));
        }
        for (const auto& c : cands) {
            const std::string p = child_of(pkgdir, c);
            if (auto f = try_file(p, false)) return f;
            if (auto f = try_index(p, false)) return f;
        }
        return std::nullopt;
    }

    // The package's own tsconfig (or the projects its solution-style config references) says
    // where output goes: <outDir or declarationDir>/x.js comes from <rootDir>/x.ts (rootDir
    // defaulting to src/ when it exists, else the config's directory).
    std::optional<std::string> source_by_tsconfig(const std::string& pkgdir, const std::string& target) {
        const std::string path = nearest_config(pkgdir);
        if (path.empty() || !is_under(parent_of(path), pkgdir)) return std::nullopt;
        const Config* top = load_config(path);
        if (!top) return std::nullopt;
        std::vector<const Config*> cfgs{top};
        for (const auto& ref : top->references)
            if (is_file(ref))
                if (const Config* r = load_config(ref)) cfgs.push_back(r);
        const std::string stem = strip_output_extension(target);
        for (const Config* c : cfgs) {
            const std::string root = !c->root_dir.empty() ? expand_config_dir(c->root_dir, c->root_dir_base, *c)
                                     : is_dir(child_of(c->dir, "src")) ? child_of(c->dir, "src")
                                                                       : c->dir;
            for (const auto* out : {&c->out_dir, &c->decl_dir}) {
                if (out->empty()) continue;
                const std::string od = expand_config_dir(*out, out == &c->out_dir ? c->out_dir_base : c->decl_dir_base, *c);
                if (!is_under(stem, od) || stem == od) continue;
                const std::string p = root + stem.substr(od.size());
                if (auto f = try_file(p, false)) return f;
                if (auto f = try_index(p, false)) return f;
            }
        }
        return std::nullopt;
    }

    // An entry point list (exports targets, main fields): sources for any candidate first, then an
    // existing JavaScript/other file.
    std::optional<std::string> first_entry(const std::string& pkgdir, const std::vector<std::string>& targets) {
        for (const auto& t : targets)
            if (auto f = source_for_target(pkgdir, join_path(pkgdir, t))) return f;
        for (const auto& t : targets) {
            const std::string p = join_path(pkgdir, t);
            if (auto f = try_file(p, true)) return f;
            if (auto f = try_index(p, true)) return f;
        }
        return std::nullopt;
    }

    std::vector<std::string> main_fields(const Json* pj) {
        std::vector<std::string> out;
        for (const char* f : kMainFields) {
            const std::string v = string_field(pj, f);
            if (!v.empty()) out.push_back(v);
        }
        return out;
    }

    // A path as file, then as directory (its package.json main fields, then index files).
    std::optional<std::string> load_path(const std::string& p) {
        if (auto f = try_file(p, true)) return f;
        if (!is_dir(p)) return std::nullopt;
        const std::string pj_path = child_of(p, "package.json");
        if (is_file(pj_path))
            if (auto f = first_entry(p, main_fields(package_json(pj_path)))) return f;
        return try_index(p, true);
    }

    std::vector<std::string> conditions(const Config* cfg) {
        std::vector<std::string> c;
        if (cfg) c = cfg->custom_conditions;
        for (const char* d : kDefaultConditions)
            if (std::find(c.begin(), c.end(), d) == c.end()) c.emplace_back(d);
        return c;
    }

    std::optional<std::string> resolve_in_package(const std::string& pkgdir, const std::string& sub, const Config* cfg,
                                                  std::string& why) {
        const Json* pj = package_json(child_of(pkgdir, "package.json"));
        if (pj && pj->contains("exports")) {
            const std::string key = sub.empty() ? "." : "./" + sub;
            if (auto targets = map_targets((*pj)["exports"], key, conditions(cfg))) {
                if (auto f = first_entry(pkgdir, *targets)) return f;
                why = "exports maps '" + key + "' to " +
                      (targets->empty() ? std::string("nothing") : "'" + targets->front() + "'") +
                      " but no source or file exists";
            } else {
                why = "exports has no entry for '" + key + "'";
            }
        }
        if (sub.empty()) {
            if (auto f = first_entry(pkgdir, main_fields(pj))) return f;
            if (auto f = try_index(pkgdir, true)) return f;
            if (auto f = try_index(child_of(pkgdir, "src"), true)) return f;
        } else {
            if (auto f = load_path(join_path(pkgdir, sub))) return f;
            if (auto f = load_path(join_path(child_of(pkgdir, "src"), sub))) return f;
        }
        if (why.empty()) why = sub.empty() ? "no entry point" : "no file for '" + sub + "'";
        return std::nullopt;
    }

    static Result found(std::string p) { return {std::move(p), {}, Kind::Resolved}; }
    static Result miss(Kind k, std::string why) { return {{}, std::move(why), k}; }

    Result with_decl_hint(Result r) {
        if (r.kind == Kind::NotFound && !decl_hint.empty())
            r.reason += " (only the declaration file '" + display(decl_hint) + "' exists; declarations are not sources)";
        return r;
    }

    Result resolve_package(const std::string& spec, const std::string& dir, const Config* cfg, const std::string& alias_why) {
        auto [name, sub] = split_package(spec);
        if (!alias_why.empty() && (spec.starts_with("@/") || spec.starts_with("~/"))) return miss(Kind::NotFound, alias_why);
        if (name.empty() || name[0] == '~' || name.starts_with("@/") || (name[0] == '@' && name.find('/') == std::string::npos))
            return miss(Kind::NotFound, alias_why.empty() ? "no tsconfig paths alias matches '" + spec +
                                                                "' and it is not a valid package name"
                                                          : alias_why);
        const auto pkg = find_package(name, dir);
        if (!pkg) {
            if (kNodeBuiltins.count(name)) return miss(Kind::Builtin, "node builtin '" + spec + "'");
            if (!alias_why.empty()) return miss(Kind::NotFound, alias_why);
            return miss(Kind::ExternalPackage, "package '" + name + "' is not a workspace package");
        }
        if (pkg->installed) {
            if (kNodeBuiltins.count(name)) return miss(Kind::Builtin, "node builtin '" + spec + "'");
            if (!alias_why.empty()) return miss(Kind::NotFound, alias_why);
            return miss(Kind::ExternalPackage,
                        "package '" + name + "' is an installed dependency in node_modules, not a workspace package");
        }
        std::string why;
        if (auto f = resolve_in_package(pkg->dir, sub, cfg, why)) return found(*f);
        return miss(Kind::NotFound, "workspace package '" + name + "' (" + display(pkg->dir) + "): " + why);
    }

    Result resolve_bare(const std::string& spec, const std::string& dir, const Config* cfg) {
        std::string alias_why;
        if (cfg && cfg->has_paths) {
            const std::pair<std::string, std::vector<std::string>>* best = nullptr;
            std::string star;
            size_t best_prefix = 0;
            for (const auto& entry : cfg->paths)
                if (entry.first == spec) {
                    best = &entry;
                    break;
                }
            if (!best)
                for (const auto& entry : cfg->paths) {
                    const std::string& k = entry.first;
                    const size_t s = k.find('*');
                    if (s == std::string::npos) continue;
                    const std::string_view prefix = std::string_view(k).substr(0, s), suffix = std::string_view(k).substr(s + 1);
                    if (spec.size() < prefix.size() + suffix.size() || !std::string_view(spec).starts_with(prefix) ||
                        !std::string_view(spec).ends_with(suffix))
                        continue;
                    if (!best || prefix.size() > best_prefix) {
                        best = &entry;
                        best_prefix = prefix.size();
                        star = spec.substr(prefix.size(), spec.size() - prefix.size() - suffix.size());
                    }
                }
            if (best) {
                const std::string base_dir = cfg->has_base_url ? expand_config_dir(cfg->base_url, cfg->base_url_dir, *cfg)
                                                               : cfg->paths_dir;
                std::string tried;
                for (const auto& subst : best->second) {
                    std::string s = subst;
                    if (const size_t k = s.find('*'); k != std::string::npos && best->first.find('*') != std::string::npos)
                        s.replace(k, 1, star);
                    if (auto f = load_path(expand_config_dir(s, base_dir, *cfg))) return found(*f);
                    tried += (tried.empty() ? "'" : ", '") + s + "'";
                }
                if (best->first != "*")
                    alias_why = "no file for paths alias '" + spec + "' -> " + (tried.empty() ? "nothing" : tried) +
                                " (" + display(cfg->path) + ")";
            }
        }
        if (cfg && cfg->has_base_url)
            if (auto f = load_path(join_path(expand_config_dir(cfg->base_url, cfg->base_url_dir, *cfg), spec))) return found(*f);
        return resolve_package(spec, dir, cfg, alias_why);
    }

    Result resolve_hash(const std::string& spec, const std::string& dir, const Config* cfg) {
        const std::string pj_path = nearest_package_json(dir);
        const Json* pj = pj_path.empty() ? nullptr : package_json(pj_path);
        if (!pj || !pj->contains("imports"))
            return miss(Kind::NotFound, "no package.json 'imports' field for '" + spec + "'");
        const std::string pkgdir = parent_of(pj_path);
        auto targets = map_targets((*pj)["imports"], spec, conditions(cfg));
        if (!targets) return miss(Kind::NotFound, display(pj_path) + " 'imports' has no entry for '" + spec + "'");
        std::vector<std::string> local;
        for (const auto& t : *targets)
            if (t.starts_with("./") || t.starts_with("../") || t.starts_with("/")) local.push_back(t);
        if (auto f = first_entry(pkgdir, local)) return found(*f);
        for (const auto& t : *targets)
            if (!t.starts_with(".") && !t.starts_with("/")) {
                Result r = resolve_package(t, dir, cfg, {});
                if (r.kind != Kind::NotFound) return r;  // found, or an external package
            }
        return miss(Kind::NotFound, display(pj_path) + " 'imports' maps '" + spec + "' to " +
                                        (targets->empty() ? std::string("nothing") : "'" + targets->front() + "'") +
                                        " but no file exists");
    }

    Result compute(const std::string& dir, const Config* cfg, const std::string& spec) {
        Result r = compute_one(dir, cfg, spec);
        // Bundler and test-runner queries ("./worker?worker", "@/lib/x?isolated-test") name the file before '?'.
        if (const size_t q = spec.find('?'); r.kind != Kind::Resolved && r.kind != Kind::Url && q != std::string::npos && q > 0 && scheme_of(spec).empty())
            if (Result plain = compute_one(dir, cfg, spec.substr(0, q)); plain.kind == Kind::Resolved) r = std::move(plain);
        if (r.kind == Kind::Resolved && r.path.find("/node_modules/") != std::string::npos)  // e.g. paths "*": ["node_modules/*"]
            return miss(Kind::ExternalPackage,
                        "'" + spec + "' resolves into node_modules ('" + display(r.path) + "'), an installed dependency");
        return r;
    }

    Result compute_one(const std::string& dir, const Config* cfg, const std::string& spec) {
        decl_hint.clear();
        if (spec.empty()) return miss(Kind::NotFound, "empty specifier");
        if (const std::string scheme = scheme_of(spec); !scheme.empty()) {
            if (scheme == "node" || scheme == "bun") return miss(Kind::Builtin, scheme + " builtin '" + spec + "'");
            return miss(Kind::Url, "URL or scheme import '" + spec + "'");
        }
        if (is_relative_spec(spec)) {
            std::string p = join_path(dir, spec);
            if (auto f = load_path(p)) return found(*f);
            return with_decl_hint(miss(Kind::NotFound, "no file for '" + spec + "' from '" + display(dir) + "'"));
        }
        if (spec[0] == '#') return with_decl_hint(resolve_hash(spec, dir, cfg));
        return with_decl_hint(resolve_bare(spec, dir, cfg));
    }

    std::string absolute(const std::string& p) const {
        return !p.empty() && p[0] == '/' ? normalize_abs(p) : join_path(base, p);
    }
};

ModuleResolver::ModuleResolver(const FileSystemView& fs) : impl_(std::make_unique<Impl>(fs)) {}
ModuleResolver::~ModuleResolver() = default;

ModuleResolution ModuleResolver::resolve(const std::string& importer, const std::string& specifier) {
    Impl& I = *impl_;
    ++I.stats.resolve_calls;
    const bool relative_form = importer.empty() || importer[0] != '/';
    const std::string file = I.absolute(importer);
    std::string dir = parent_of(file);
    if (dir.empty()) dir = "/";
    const Impl::Config* cfg = I.governing(file);
    std::string key;
    key.reserve(dir.size() + specifier.size() + 64);
    key += dir;
    key += '\x1f';
    if (cfg) key += cfg->path;
    key += '\x1f';
    key += specifier;
    auto it = I.results.find(key);
    if (it != I.results.end()) {
        ++I.stats.result_cache_hits;
    } else {
        it = I.results.emplace(std::move(key), I.compute(dir, cfg, specifier)).first;
    }
    ModuleResolution out;
    out.kind = it->second.kind;
    out.reason = it->second.reason;
    if (out.kind == ModuleResolution::Kind::Resolved) out.path = relative_form ? I.display(it->second.path) : it->second.path;
    return out;
}

std::string ModuleResolver::tsconfig_for(const std::string& importer) {
    const std::string file = impl_->absolute(importer);
    const Impl::Config* cfg = impl_->governing(file);
    if (!cfg) return {};
    return importer.empty() || importer[0] != '/' ? impl_->display(cfg->path) : cfg->path;
}

const std::vector<std::string>& ModuleResolver::config_problems() const { return impl_->problems; }

const std::vector<ConfigProblem>& ModuleResolver::config_problem_list() const { return impl_->problem_list; }

std::string ConfigProblem::text() const {
    return file + (line > 0 ? ":" + std::to_string(line) : std::string{}) + ": " + message;
}

const ModuleResolver::Stats& ModuleResolver::stats() const { return impl_->stats; }

}  // namespace querylens
