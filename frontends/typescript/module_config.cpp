#include "frontends/typescript/module_config.h"

#include <cctype>
#include <set>

namespace querylens::tsresolve {

// --- paths ----------------------------------------------------------------------------------

std::string normalize_abs(std::string_view p) {
    std::vector<std::string_view> parts;
    for (const std::string_view seg : split_segments(p)) {
        if (seg == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (seg != ".") {
            parts.push_back(seg);
        }
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

std::vector<std::string_view> glob_segments(std::string_view pattern) {
    std::vector<std::string_view> segs;
    for (auto s : split_segments(pattern))
        if (s != ".") segs.push_back(s);
    return segs;
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

namespace {

// Calls `at(i)` for every index of `s` outside JSON string literals (a '"' that opens one is not
// passed); `at` may change characters in place and advance `i` past what it consumed.
template <class At>
void for_each_outside_strings(std::string& s, At at) {
    bool in_str = false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_str) {
            if (c == '\\') ++i;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else at(i);
    }
}

}  // namespace

std::string strip_jsonc(std::string_view in) {
    std::string out(in);
    if (out.rfind("\xEF\xBB\xBF", 0) == 0) out.replace(0, 3, "   ");
    for_each_outside_strings(out, [&](size_t& i) {  // comments
        if (out[i] == '/' && i + 1 < out.size() && out[i + 1] == '/') {
            while (i < out.size() && out[i] != '\n') out[i++] = ' ';
        } else if (out[i] == '/' && i + 1 < out.size() && out[i + 1] == '*') {
            out[i] = out[i + 1] = ' ';
            i += 2;
            while (i < out.size() && !(out[i] == '*' && i + 1 < out.size() && out[i + 1] == '/')) {
                if (out[i] != '\n') out[i] = ' ';
                ++i;
            }
            if (i < out.size()) out[i] = ' ';
            if (i + 1 < out.size()) out[++i] = ' ';
        }
    });
    for_each_outside_strings(out, [&](size_t& i) {  // trailing commas
        if (out[i] != ',') return;
        size_t j = i + 1;
        while (j < out.size() && (out[j] == ' ' || out[j] == '\t' || out[j] == '\r' || out[j] == '\n')) ++j;
        if (j < out.size() && (out[j] == '}' || out[j] == ']')) out[i] = ' ';
    });
    return out;
}

int line_at(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

int line_of_key(std::string_view text, std::string_view key) {  // first line with "key" (0 if none)
    std::string quoted = "\"";  // built piecewise: GCC 12 warns (-Wrestrict) about "\"" + std::string(key)
    quoted += key;
    quoted += '"';
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

std::vector<std::string> string_list(const Json& j) {
    std::vector<std::string> out;
    if (j.is_string()) out.push_back(j.get<std::string>());
    if (j.is_array())
        for (const auto& e : j)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

std::string string_field(const Json* j, const char* key) {
    if (!j) return {};
    auto it = j->find(key);
    return it != j->end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// --- pnpm-workspace.yaml ----------------------------------------------------------------------

namespace {

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

}  // namespace

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

namespace {

const std::set<std::string, std::less<>> kNodeBuiltins = {
    "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto",
    "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https",
    "inspector", "module", "net", "os", "path", "perf_hooks", "process", "punycode", "querystring",
    "readline", "repl", "stream", "string_decoder", "sys", "timers", "tls", "trace_events", "tty",
    "url", "util", "v8", "vm", "wasi", "worker_threads", "zlib"};

}  // namespace

bool is_node_builtin(std::string_view name) { return kNodeBuiltins.count(name) > 0; }

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

}  // namespace querylens::tsresolve
