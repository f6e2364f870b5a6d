#include "analysis/project.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstdio>
#include <chrono>
#include <sys/resource.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "analysis/call_graph.h"
#include "core/parallel.h"
#include "core/paths.h"
#include "core/sql_text.h"
#include "frontends/published_packages.h"
#include "sql/schema_builder.h"
#include "sql/query_extractor.h"
#include "frontends/migrations/journal.h"
#include "frontends/prisma/schema_prisma.h"
#include "frontends/stats_file.h"
#include "frontends/migrations/runner.h"
#include "sql/migration_ops.h"
#include "frontends/typescript_frontend.h"
#include "frontends/typescript/module_resolver.h"
#include "frontends/typescript/facts_io.h"
#include "frontends/typescript/prescan.h"
#include "analysis/fact_cache.h"
#include "analysis/suppressions.h"
#include "analysis/schema_merge.h"
#include "analysis/table_profiles.h"
#include "sql/parser.h"

namespace fs = std::filesystem;

namespace querylens {

namespace {

const std::set<std::string> kSkippedDirs = {"node_modules", "dist", "build", "out", "target", "vendor",
                                            "coverage", "third_party", "__pycache__"};
constexpr uintmax_t kMaxFileBytes = 64u << 20;

bool skipped_dir(const fs::path& p) {
    const std::string name = p.filename().string();
    return (name.size() > 1 && name[0] == '.') || kSkippedDirs.count(name) || name.rfind("build-", 0) == 0;
}

SourceLanguage language_of(const std::string& path) {
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".tsx") return SourceLanguage::Tsx;
    if (ext == ".ts" || ext == ".mts" || ext == ".cts") return SourceLanguage::TypeScript;
    return SourceLanguage::Sql;
}

bool wanted_file(const fs::path& p) {
    const std::string ext = p.extension().string();
    if (ext == ".sql" || ext == ".prisma") return true;
    if (ext != ".ts" && ext != ".tsx" && ext != ".mts" && ext != ".cts") return false;
    const std::string name = p.filename().string();
    for (const char* decl : {".d.ts", ".d.mts", ".d.cts"}) {
        const std::string d = decl;
        if (name.size() > d.size() && name.compare(name.size() - d.size(), d.size(), d) == 0) return false;
    }
    return true;
}

std::string generic(const fs::path& p) { return p.lexically_normal().generic_string(); }

// QUERYLENS_TIMING=1: how long each phase took, on stderr (for bench/ and profiling; not output).
std::chrono::steady_clock::time_point g_phase_start = std::chrono::steady_clock::now();  // process start

void phase(const char* name) {
    static const bool on = std::getenv("QUERYLENS_TIMING") != nullptr;
    if (!on) return;
    static auto last = g_phase_start;
    const auto now = std::chrono::steady_clock::now();
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    std::fprintf(stderr, "querylens timing: %-28s %8.3f s  (peak %ld MiB)\n", name, std::chrono::duration<double>(now - last).count(),
                 ru.ru_maxrss / 1024);
    last = now;
}

struct Parsed {
    std::unique_ptr<SourceFile> file;
    bool one_off = false;  // by its path (analysis/context.h)
    bool admin = false;    // operator-only code, by its path
    std::string other_engine;  // a .sql file for another engine (PostgreSQL rejects it): which
    bool journaled = false;    // a drizzle-kit journal lists it
    bool imported = true;      // TypeScript: another file imports it (false only when known)
    bool snapshot = false;     // a schema snapshot: sqlc's, Supabase's declarative schemas (frontends/migrations/journal.h)
    bool dump = false;         // a schema export that says it is not meant to be run
    bool pg_dump = false;      // pg_dump's output ("-- PostgreSQL database dump") outside a migrations folder
    ParsedSql sql;
    std::unique_ptr<TsFile> ts;
    std::vector<Diagnostic> diags;
};

// How much of a TypeScript file later passes read (see typescript_worth_parsing).
enum ParseNeed : char { kSkip = 0, kCallsOnly = 1, kFull = 2 };

// Whether a statement takes parameters (a `$1` token, as PostgreSQL's own scanner reads it): a
// query the code runs with values, not one a migration runs once.
bool binds_parameters(const std::string& sql) {
    const auto tokens = scan_sql(sql, 0, static_cast<uint32_t>(sql.size()));
    return std::any_of(tokens.begin(), tokens.end(), [](const SqlToken& t) { return t.token == PG_QUERY__TOKEN__PARAM; });
}

// SQL code as words and single punctuation characters, for the engine markers below: a linear
// scan (std::regex recursed once per character and overflowed a worker's stack on a 1 MB
// migration). Not PostgreSQL's scanner (scan_sql): it rejects the backticks that mark MySQL.
struct CodeWord {
    std::string_view text;
    bool line_start = false;  // first token of its line
    bool word = false;
};

std::vector<CodeWord> code_words(std::string_view code) {
    std::vector<CodeWord> out;
    bool line_start = true;
    auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (size_t i = 0; i < code.size();) {
        const char c = code[i];
        if (c == '\n') { line_start = true, ++i; continue; }
        if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
        size_t j = i + 1;
        if (word_char(c))
            while (j < code.size() && word_char(code[j])) ++j;
        out.push_back({code.substr(i, j - i), line_start, word_char(c)});
        line_start = false;
        i = j;
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Whether tokens[i...] spell `words` (case-insensitive when `icase`).
bool spells(const std::vector<CodeWord>& t, size_t i, std::initializer_list<std::string_view> words, bool icase = true) {
    for (std::string_view w : words) {
        if (i >= t.size() || !(icase ? iequals(t[i].text, w) : t[i].text == w)) return false;
        ++i;
    }
    return true;
}

bool ends_with(std::string_view s, std::string_view tail) { return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail; }

// The engine SQL text is written for when it is not PostgreSQL: ClickHouse tables, MySQL backticks
// and AUTO_INCREMENT, SQLite's AUTOINCREMENT, or a folder named for the engine
// (`lib/clickhouse/scripts/backfill.sql`, TypeORM's `migrations/mysql/`); "" otherwise.
std::string other_engine_marker(const std::string& code, const std::string& path) {
    const auto t = code_words(code);
    bool clickhouse = false, mysql = false, sqlite = false;
    for (size_t i = 0; i < t.size(); ++i) {
        const std::string_view w = t[i].text;
        // ClickHouse: `ENGINE = ReplacingMergeTree`, its integer and dictionary types, and grants on
        // every database (`CREATE ROW POLICY ... ON *.*`, on the same line).
        if (w == "ENGINE" && spells(t, i + 1, {"="}) && i + 2 < t.size() && ends_with(t[i + 2].text, "MergeTree")) clickhouse = true;
        for (std::string_view type : {"UInt8", "UInt16", "UInt32", "UInt64", "LowCardinality", "DateTime64"})
            if (w == type) clickhouse = true;
        if (spells(t, i, {"ROW", "POLICY"}, false) || spells(t, i, {"SETTINGS", "PROFILE"}, false) || w == "QUOTA")
            for (size_t j = i + 1; j < t.size() && !t[j].line_start; ++j)
                if (spells(t, j, {"ON", "*", ".", "*"}, false)) clickhouse = true;
        if (iequals(w, "AUTOINCREMENT")) sqlite = true;
        // MySQL: a backtick-quoted identifier, AUTO_INCREMENT, InnoDB, ON DUPLICATE KEY UPDATE, and
        // `USE db;` on a line of its own.
        if (w == "`" && i + 2 < t.size() && t[i + 1].word && !std::isdigit(static_cast<unsigned char>(t[i + 1].text[0])) &&
            t[i + 2].text == "`" && t[i + 1].text.data() == w.data() + 1 && t[i + 2].text.data() == t[i + 1].text.data() + t[i + 1].text.size())
            mysql = true;
        if (iequals(w, "AUTO_INCREMENT") || (iequals(w, "ENGINE") && spells(t, i + 1, {"=", "InnoDB"})) ||
            spells(t, i, {"ON", "DUPLICATE", "KEY", "UPDATE"}) ||
            (t[i].line_start && iequals(w, "USE") && i + 2 < t.size() && t[i + 1].word && t[i + 2].text == ";"))
            mysql = true;
    }
    std::string lower_path;
    for (char c : "/" + path) lower_path += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string base = lower_path.substr(lower_path.rfind('/') + 1);
    if (clickhouse || lower_path.find("/clickhouse/") != std::string::npos || base.find("clickhouse") != std::string::npos)
        return "ClickHouse";
    if (sqlite || lower_path.find("/sqlite/") != std::string::npos) return "SQLite";
    if (mysql || lower_path.find("/mysql/") != std::string::npos || lower_path.find("/mariadb/") != std::string::npos)
        return "MySQL";
    if (lower_path.find("/mssql/") != std::string::npos || lower_path.find("/sqlserver/") != std::string::npos) return "SQL Server";
    return "";
}

// A column declared `datetime` (SQLite, Cloudflare D1, MySQL; PostgreSQL has no such type): a
// name, quoted or not, right after `(` or `,` or at the start, followed by the word datetime.
bool has_datetime_column(const std::string& code) {
    const auto t = code_words(code);
    for (size_t i = 0; i < t.size(); ++i) {
        if (!iequals(t[i].text, "datetime") || i == 0) continue;
        size_t j = i - 1;
        if (t[j].text == "\"" && j > 0) --j;
        if (!t[j].word || std::isdigit(static_cast<unsigned char>(t[j].text[0]))) continue;
        if (j > 0 && t[j - 1].text == "\"") --j;
        if (j == 0 || t[j - 1].text == "(" || t[j - 1].text == ",") return true;
    }
    return false;
}

// `cached`: the file's tree-free facts from the fact cache (a file parsed for its calls only), used
// instead of parsing when they decode. `fresh`: set to the facts to cache when the file is parsed
// for its calls only and its tree goes.
void parse_text(std::string shown, std::string text, Parsed& out, char need = kFull, const std::string* cached = nullptr,
                std::string* fresh = nullptr) {
    const bool parse_typescript = need != kSkip;
    if (text.find('\0') != std::string::npos) {
        // TypeScript may hold a NUL inside a string literal: read the file with NULs as spaces
        // (offsets unchanged). A .sql file with NULs is a binary dump, not a migration.
        if (language_of(shown) == SourceLanguage::Sql) {
            out.diags.push_back({"io-error", Location{shown, 1, 1, 0, 0}, "file skipped: contains NUL bytes"});
            return;
        }
        std::replace(text.begin(), text.end(), '\0', ' ');
    }
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.replace(0, 3, "   ");  // BOM: keep offsets
    const SourceLanguage lang = language_of(shown);
    out.file = std::make_unique<SourceFile>(std::move(shown), std::move(text), lang);
    if (lang != SourceLanguage::Sql) {
        if (need == kCallsOnly && cached) {
            auto facts = std::make_unique<TsFile>();
            if (read_tree_free_facts(*cached, *facts)) {
                facts->file = out.file.get();
                out.ts = std::move(facts);
                return;
            }
        }
        if (parse_typescript) {
            out.ts = std::make_unique<TsFile>(collect_typescript(*out.file));
            // Only its calls and loops are read later: free the tree now, on this thread, unless
            // the file turned out to issue queries or create clients after all.
            const bool queries = std::any_of(out.ts->sites.begin(), out.ts->sites.end(), [](const TsSite& s) {
                return s.kind != TsSiteKind::Call && s.kind != TsSiteKind::CallbackRef;
            });
            if (need == kCallsOnly && !queries && out.ts->pools.empty()) {
                keep_call_arguments(*out.ts);
                out.ts->values.clear();  // their nodes live in the tree
                for (auto& s : out.ts->sites) s.node = TSNode{};
                out.ts->tree = TsTree{};
                if (fresh) write_tree_free_facts(*out.ts, *fresh);
            }
        } else {  // cannot issue or reach a query: known by path, never parsed
            out.ts = std::make_unique<TsFile>();
            out.ts->file = out.file.get();
        }
        return;
    }
    out.sql = parse_sql(out.file->text());
    // A schema exported for reading (Supabase's dashboard: "-- WARNING: This schema is for context
    // only and is not meant to be run."): its pseudo-types (ARRAY, USER-DEFINED) do not parse, and
    // that is no fault of the project. Applied only when nothing else builds the schema.
    {
        std::string head;
        for (char c : out.file->text().substr(0, 600)) head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t at = head.find("not meant to be run");
        const size_t line_start = at == std::string::npos ? 0 : head.rfind('\n', at) + 1;
        // pg_dump's output kept beside migrations (a docker init script, db/structure.sql): a
        // snapshot of the schema they build. Under a migrations folder it is a baseline migration.
        if ((head.find("-- postgresql database dump") != std::string::npos || head.find("-- dumped by pg_dump") != std::string::npos) &&
            !migration_path(out.file->path()))
            out.pg_dump = true;
        if (at != std::string::npos && head.compare(line_start, 2, "--") == 0) {
            out.dump = true;
            if (!out.sql.errors.empty())
                out.diags.push_back({"schema-dump", out.file->at(out.sql.errors.front().offset),
                                     std::to_string(out.sql.errors.size()) +
                                         " statement(s) not read in a schema export its header says is not meant to be run"});
            out.sql.errors.clear();
        }
    }
    if (!out.sql.errors.empty()) {
        // A template of SQL (Go text/template or Jinja placeholders: `{{ index .Options "Namespace"
        // }}.users`, `{% if %}`): PostgreSQL runs what the template renders, which querylens does
        // not see. A diagnostic, not parse errors of the project.
        const std::string& src = out.file->text();
        for (const char* open : {"{{", "{%"}) {
            const size_t at = src.find(open);
            if (at == std::string::npos || src.find(open[1] == '{' ? "}}" : "%}", at) == std::string::npos) continue;
            out.diags.push_back({"templated-sql", out.file->at(static_cast<uint32_t>(at)),
                                 "SQL with template placeholders (" + std::string(open) +
                                     " ...): querylens reads SQL as PostgreSQL runs it, not the template it is rendered from; file skipped"});
            out.sql = ParsedSql{};
            return;
        }
    }
    if (!out.sql.errors.empty()) {
        // A query file whose statements the code completes before running them (listmonk's
        // `ORDER BY %order%`, `FROM %s` filled by fmt.Sprintf, logto's `${name}`): the statement PostgreSQL runs is
        // not in the file. Each such statement is a templated-sql diagnostic; the rest is read.
        const std::string& src = out.file->text();
        // The placeholder's length at `at` (`%s`: 2, `%order%`: 7), 0 when there is none.
        auto placeholder = [&](size_t at) -> size_t {
            // A JavaScript template's `${name}` (logto's lifecycle scripts: `on ${name}`); the
            // parser stops at its `$` or at its `{`.
            if (at > 0 && src[at] == '{' && src[at - 1] == '$') --at;
            // A named placeholder (`:GRAPHILE_WORKER_SCHEMA`, read as `$n`) where PostgreSQL takes
            // no parameter (`create schema :S`).
            if (src[at] == ':' && at + 1 < src.size() && (std::isalpha(static_cast<unsigned char>(src[at + 1])) || src[at + 1] == '_')) {
                size_t j = at + 1;
                while (j < src.size() && (std::isalnum(static_cast<unsigned char>(src[j])) || src[j] == '_')) ++j;
                return j - at;
            }
            if (src.compare(at, 2, "${") == 0) {
                const size_t close = src.find('}', at);
                return close != std::string::npos && close - at < 64 && src.find('\n', at) > close ? close + 1 - at : 0;
            }
            if (at + 1 >= src.size() || src[at] != '%') return 0;
            if (std::string("sdvqf").find(src[at + 1]) != std::string::npos &&
                (at + 2 >= src.size() || !std::isalnum(static_cast<unsigned char>(src[at + 2]))))
                return 2;
            size_t j = at + 1;
            while (j < src.size() && (std::isalnum(static_cast<unsigned char>(src[j])) || src[j] == '_')) ++j;
            return j > at + 1 && j < src.size() && src[j] == '%' ? j + 1 - at : 0;
        };
        std::vector<SqlParseError> kept;
        for (auto& e : out.sql.errors) {
            if (const size_t n = placeholder(e.offset))
                out.diags.push_back({"templated-sql", out.file->at(e.offset),
                                     "SQL with a placeholder the code fills in (" +
                                         src.substr(e.offset > 0 && src[e.offset] == '{' ? e.offset - 1 : e.offset, n) +
                                         "): querylens reads SQL as PostgreSQL runs it; statement skipped"});
            else
                kept.push_back(std::move(e));
        }
        out.sql.errors = std::move(kept);
    }
    if (!out.sql.errors.empty()) {
        // A deliberately broken statement among a test's inputs (Go's `testdata/`, which its
        // tooling never builds): what the test feeds a parser or a migration runner, not SQL the
        // project runs.
        if (("/" + out.file->path()).find("/testdata/") != std::string::npos) {
            for (const auto& e : out.sql.errors)
                out.diags.push_back({"test-input", out.file->at(e.offset), "SQL in a test's input files does not parse: " + e.message});
            out.sql.errors.clear();
        }
    }
    if (!out.sql.errors.empty()) {
        // SQL for another engine (ClickHouse tables, MySQL backticks) beside the PostgreSQL
        // migrations: not this database's, so not parse errors of the project.
        // (Code only: a comment quoting `picture` in backticks is Markdown, not MySQL.)
        out.other_engine = other_engine_marker(sql_code_only(out.file->text()), out.file->path());
        if (!out.other_engine.empty()) {
            out.sql = ParsedSql{};
            return;
        }
    }
    // Tables that parse but are not PostgreSQL's: a `datetime` column (SQLite, Cloudflare D1, or
    // MySQL; PostgreSQL has no such type and would reject the CREATE TABLE).
    {
        const std::string& src = out.file->text();
        if (src.find("datetime") != std::string::npos || src.find("DATETIME") != std::string::npos) {
            if (has_datetime_column(sql_code_only(src))) {
                out.other_engine = "SQLite or MySQL (datetime columns)";
                out.sql = ParsedSql{};
                return;
            }
        }
    }
    const size_t top_level = out.sql.statements.size();
    for (size_t i = 0; i < top_level; ++i) {
        const SqlStatement st = out.sql.statements[i];  // a copy: expanding appends to the vector
        expand_do_block(out.file->text(), st, out.sql);
    }
    if (out.sql.statements.size() != top_level)
        std::stable_sort(out.sql.statements.begin(), out.sql.statements.end(),
                         [](const SqlStatement& a, const SqlStatement& b) { return a.offset < b.offset; });
    for (const auto& e : out.sql.errors) out.diags.push_back({"parse-error", out.file->at(e.offset), e.message});
}

// The file's text; false (with an io-error diagnostic) when it cannot or should not be read.
bool read_text(const std::string& path, const std::string& shown, std::string& text, std::vector<Diagnostic>& diags) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        diags.push_back({"io-error", Location{shown, 1, 1, 0, 0}, "cannot read file: " + ec.message()});
        return false;
    }
    if (size > kMaxFileBytes) {
        diags.push_back({"io-error", Location{shown, 1, 1, 0, 0},
                             "file skipped: larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB"});
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in) {
        diags.push_back({"io-error", Location{shown, 1, 1, 0, 0}, "cannot read file"});
        return false;
    }
    text = buf.str();
    return true;
}

// Which TypeScript files can matter (frontends/typescript/prescan.h): those that can issue a query
// and every file that imports one of them, directly or through other files (its calls may reach a
// query, in a loop); those that declare the schema or build fragments, and the barrels that
// re-export them. The rest cannot hold or reach a query and are not parsed (kSkip). Imports are
// resolved as the program resolves them (tsconfig paths, workspaces).
// Of the parsed files, lowering reads the values of those that issue or declare and of what they
// import (kFull); a file that only imports them contributes its calls and loops, plain data, so its
// tree can go as soon as it is collected (kCallsOnly).
// `imported`: whether another file imports each file (any import, `import()` or `require`).
std::vector<char> typescript_worth_parsing(const std::vector<std::string>& shown, const std::vector<TsPrescan>& scans,
                                           const std::vector<char>& is_ts, const std::string& root, unsigned jobs,
                                           std::vector<char>& imported) {
    const size_t n = shown.size();
    std::vector<char> wanted(n, 0);
    std::map<std::string, size_t> by_path;
    for (size_t i = 0; i < n; ++i)
        if (is_ts[i]) by_path.emplace(shown[i], i);
    // Resolve every file's imports, in contiguous chunks on every thread (a resolver each: they
    // cache), then merge in file order.
    const DiskFileSystem disk(root);
    const size_t chunks = std::max<size_t>(1, std::min<size_t>(n / 256 + 1, jobs ? jobs : std::max(1u, std::thread::hardware_concurrency())));
    std::vector<std::vector<size_t>> edges_of(n), type_edges_of(n);
    std::vector<std::vector<char>> reexport_of(n);
    parallel_for(chunks, jobs, [&](size_t c) {
        ModuleResolver resolver(disk);
        for (size_t i = c * n / chunks; i < (c + 1) * n / chunks; ++i) {
            if (!is_ts[i]) continue;
            for (size_t k = 0; k < scans[i].specifiers.size(); ++k) {
                const ModuleResolution r = resolver.resolve(shown[i], scans[i].specifiers[k]);
                if (!r.resolved()) continue;
                if (auto it = by_path.find(r.path); it != by_path.end() && it->second != i) {
                    if (scans[i].type_only[k] && !scans[i].has_class) {  // erased: no call goes through it
                        type_edges_of[i].push_back(it->second);
                        continue;
                    }
                    edges_of[i].push_back(it->second);
                    reexport_of[i].push_back(scans[i].reexport[k]);
                }
            }
        }
    });
    imported.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        for (size_t e : edges_of[i]) imported[e] = 1;
        for (size_t e : type_edges_of[i]) imported[e] = 1;
    }
    std::vector<std::vector<size_t>> importers(n), reexporters(n);
    for (size_t i = 0; i < n; ++i)
        for (size_t e = 0; e < edges_of[i].size(); ++e) {
            importers[edges_of[i][e]].push_back(i);
            if (reexport_of[i][e]) reexporters[edges_of[i][e]].push_back(i);
        }
    // Relevance flows from files that issue queries to their importers; declaring files are
    // parsed but pass nothing on (prescan.h).
    std::vector<char> reaches(n, 0);
    std::vector<size_t> queue;
    for (size_t i = 0; i < n; ++i)
        if (is_ts[i] && scans[i].declares) wanted[i] = 1, queue.push_back(i);
    while (!queue.empty()) {  // barrels that re-export declarations
        const size_t f = queue.back();
        queue.pop_back();
        for (size_t b : reexporters[f])
            if (!wanted[b]) wanted[b] = 1, queue.push_back(b);
    }
    for (size_t i = 0; i < n; ++i)
        if (is_ts[i] && scans[i].issues) wanted[i] = reaches[i] = 1, queue.push_back(i);
    while (!queue.empty()) {
        const size_t f = queue.back();
        queue.pop_back();
        for (size_t imp : importers[f])
            if (!reaches[imp]) wanted[imp] = reaches[imp] = 1, queue.push_back(imp);
    }
    // What lowering may read: the issuing and declaring files (and barrels) and every parsed file
    // they import, directly or not. A file that only imports a declaring file (a route passing a
    // table to a helper that queries it) is read for its calls: their arguments are plain data
    // (TsSite::arg_refs), so its tree can go too.
    std::vector<char> full(n, 0);
    auto declaring = [&](size_t f) { return scans[f].declares || (wanted[f] && !reaches[f]); };
    for (size_t i = 0; i < n; ++i)
        if (wanted[i] && (scans[i].issues || declaring(i))) full[i] = 1, queue.push_back(i);
    while (!queue.empty()) {
        const size_t f = queue.back();
        queue.pop_back();
        for (size_t dep : edges_of[f])
            if (wanted[dep] && !full[dep]) full[dep] = 1, queue.push_back(dep);
    }
    for (size_t i = 0; i < n; ++i)
        if (wanted[i]) wanted[i] = full[i] ? kFull : kCallsOnly;
    // A constant a file that issues queries imports can be spliced into its SQL (`FROM ${TABLE}` in
    // an untagged template is string concatenation): the files it imports, and those they
    // re-export, are parsed for their constants (plain data), so that the SQL reads the same
    // whether or not everything is parsed.
    std::vector<char> spliced(n, 0);
    for (size_t i = 0; i < n; ++i)
        if (is_ts[i] && scans[i].issues)
            for (size_t dep : edges_of[i])
                if (!spliced[dep]) spliced[dep] = 1, queue.push_back(dep);
    while (!queue.empty()) {
        const size_t f = queue.back();
        queue.pop_back();
        if (!wanted[f]) wanted[f] = kCallsOnly;
        for (size_t e = 0; e < edges_of[f].size(); ++e)
            if (reexport_of[f][e] && !spliced[edges_of[f][e]]) spliced[edges_of[f][e]] = 1, queue.push_back(edges_of[f][e]);
    }
    return wanted;
}

// A .sql file in drizzle-kit's default output folder (`drizzle/`): drizzle-kit writes the migrations.
bool in_drizzle_kit_folder(const std::vector<std::string>& files) {
    return std::any_of(files.begin(), files.end(), [](const std::string& f) {
        return language_of(f) == SourceLanguage::Sql && ("/" + f).find("/drizzle/") != std::string::npos;
    });
}

// What happens to the clients the code creates beyond the function that creates them:
// - a client created per call is the documented pattern when its connection string comes from a
//   Cloudflare Hyperdrive binding (`createDb(env.HYPERDRIVE.connectionString)`): Hyperdrive pools
//   the connections, and a Worker cannot share a client between requests;
// - a factory (`createDb()` returns a new pool) called from inside another function that neither
//   returns, caches nor closes the result makes a pool per call of that function. Startup
//   functions (main, bootstrap, init, setup, start) run once and are not counted.
// `by_path`: the project's parsed files by path.
using FilesByPath = std::map<std::string, const SourceFile*>;

// The package a pool is made in, when the project publishes it for others (frontends/published_packages.h).
void mark_published_packages(Project& project, const std::string& disk_root) {
    PublishedPackages packages(disk_root);
    for (auto& pool : project.inventory.pools) pool.published_package = packages.of(pool.loc.file);
}

void mark_pool_use(Project& project, const FilesByPath& by_path) {
    auto line_at = [&](const Location& l) {
        const auto f = by_path.find(l.file);
        if (f == by_path.end() || l.line == 0) return std::string();
        std::string line(f->second->line_text(l.line));
        for (auto& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return line;
    };
    auto startup = [](std::string name) {
        if (const auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const char* w : {"main", "bootstrap", "init", "setup", "start", "boot", "<module>"})
            if (name.rfind(w, 0) == 0) return true;
        return false;
    };
    // Database maintenance by name (`deleteDatabase`, `resetDb`, `dropSchema`, `seedTables`): a
    // developer's tool that runs and exits, not a request path.
    auto maintenance = [](const std::string& qualified) {
        const size_t dot = qualified.rfind('.');
        const auto words = name_words(dot == std::string::npos ? qualified : qualified.substr(dot + 1));
        static const std::set<std::string> kVerbs = {"drop", "reset", "wipe", "truncate", "delete", "clear", "seed", "migrate", "nuke"};
        static const std::set<std::string> kObjects = {"database", "databases", "db", "dbs", "schema", "schemas", "tables"};
        return words.size() >= 2 && kVerbs.count(words.front()) &&
               std::any_of(words.begin() + 1, words.end(), [](const std::string& w) { return kObjects.count(w) > 0; });
    };
    const auto& inv = project.inventory;
    auto called_once_at_startup = [&](int fn) {
        bool any = false;
        for (const auto& c : inv.calls) {
            if (c.callee != fn) continue;
            if (c.caller >= 0 && !startup(inv.functions[c.caller].name)) return false;
            any = true;
        }
        return any;
    };
    // What a caller does with the pool a factory returns: drops it (a pool per call), keeps it
    // (module state, a cache, a field), passes it on (returns it: a factory too), returns it inside
    // an object (`return { client, db }`: what its own callers do decides), or is not a request
    // path (startup, maintenance, one-off code, closes it).
    enum class Fate { Ignored, Kept, PassedOn, InObject, Dropped };
    auto word_at = [](const std::string& text, const std::string& w, size_t from = 0) {
        auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$'; };
        for (size_t at = text.find(w, from); at != std::string::npos; at = text.find(w, at + 1))
            if ((at == 0 || (!ident(text[at - 1]) && text[at - 1] != '.')) && (at + w.size() >= text.size() || !ident(text[at + w.size()])))
                return at;
        return std::string::npos;
    };
    // The position of the first `=` at or after `from` that assigns (not `==`, `=>`, `<=`, `!=`...).
    auto assignment_at = [](const std::string& text, size_t from) {
        const size_t a = text.find('=', from);
        if (a == std::string::npos || a == 0 || a + 1 >= text.size()) return std::string::npos;
        const char before = text[a - 1], after = text[a + 1];
        return after == '=' || after == '>' || before == '=' || before == '!' || before == '<' || before == '>' ? std::string::npos : a;
    };
    auto fate = [&](const CallSite& c) {
        const std::string line = line_at(c.loc);
        if (c.caller < 0 || startup(inv.functions[c.caller].name) || maintenance(inv.functions[c.caller].name) ||
            inv.functions[c.caller].closes_client || project.one_off(c.loc.file))
            return Fate::Ignored;
        const size_t first = line.find_first_not_of(" \t");
        if (c.value_returned || (first != std::string::npos && line.compare(first, 6, "return") == 0))
            return Fate::PassedOn;  // `return wrap(createPool())`: a factory too
        // A function only module code calls (`const app = await createApp()` at the top of
        // server.ts) runs once, whatever its name.
        if (called_once_at_startup(c.caller)) return Fate::Ignored;
        // `connections.set(url, createConnection(url))`: straight into a map the caller keeps.
        for (const char* store : {"?" "?=", "||=", "cache", "global", "singleton", ".set("})
            if (line.find(store) != std::string::npos) return Fate::Kept;
        // `this.#db = pgClient(...)` in a constructor: the object keeps it for its lifetime (a
        // service made once), not a client per call.
        if (first != std::string::npos && line.compare(first, 5, "this.") == 0 && assignment_at(line, first) != std::string::npos)
            return Fate::Kept;
        // The name the result is assigned to: on the call's line, or on the line a multi-line
        // conditional starts on (`const pool = useAdapter\n  ? buildPool(...)\n  : undefined`).
        std::string decl = line;
        // A property of a multi-line object literal (`sql: resolveSqlConnection(env),`): the
        // object's fate is the result's; read the line that opens it (`this.resources = {`).
        size_t key_end = first == std::string::npos ? std::string::npos : first;
        while (key_end < line.size() && (std::isalnum(static_cast<unsigned char>(line[key_end])) || line[key_end] == '_' || line[key_end] == '$'))
            ++key_end;
        if (key_end != first && key_end < line.size() && line[key_end] == ':' && line.compare(key_end, 2, "::") != 0) {
            int depth = 0;
            for (uint32_t back = 1; back <= 15 && back < c.loc.line; ++back) {
                const std::string prev = line_at(Location{c.loc.file, c.loc.line - back, 1, 0, 0});
                for (auto ch = prev.rbegin(); ch != prev.rend(); ++ch) depth += *ch == '}' ? 1 : *ch == '{' ? -1 : 0;
                if (depth >= 0) continue;
                const size_t pf = prev.find_first_not_of(" \t");
                if (pf == std::string::npos) break;
                if (prev.compare(pf, 7, "return ") == 0) return Fate::PassedOn;
                if (prev.compare(pf, 5, "this.") == 0 && assignment_at(prev, pf) != std::string::npos) return Fate::Kept;
                decl = prev;
                break;
            }
        }
        if (first != std::string::npos && (line[first] == '?' || line[first] == ':') && c.loc.line > 1) {
            for (uint32_t back = 1; back <= 3 && back < c.loc.line; ++back) {
                const std::string prev = line_at(Location{c.loc.file, c.loc.line - back, 1, 0, 0});
                if (prev.find('=') != std::string::npos) {
                    decl = prev;
                    break;
                }
            }
        }
        const size_t eq = decl.find('=');
        std::string var = eq == std::string::npos ? "" : decl.substr(0, eq);
        while (!var.empty() && std::isspace(static_cast<unsigned char>(var.back()))) var.pop_back();
        const size_t sp = var.find_last_of(" \t");
        if (sp != std::string::npos) var = var.substr(sp + 1);
        if (var.empty() || var.find_first_of("{}[](),.") != std::string::npos) return Fate::Dropped;
        // Handed to a helper of the project that ends it (`finally { closeClient(c, pgClient) }`):
        // closed where it is used, like a client the caller ends itself.
        for (int other : inv.functions[c.caller].calls) {
            const CallSite& oc = inv.calls[other];
            if (oc.callee >= 0 && inv.functions[oc.callee].closes_client && word_at(line_at(oc.loc), var) != std::string::npos)
                return Fate::Ignored;
        }
        const Location& fl = inv.functions[c.caller].loc;
        bool in_object = false, built_into = false, returns = false;
        for (uint32_t l = fl.line; l <= std::max(fl.line, fl.end_line); ++l) {
            const std::string text = line_at(Location{fl.file, l, 1, 0, 0});
            // `entry = createEntry(w); pools.set(key, entry)`: into a map the module keeps.
            const size_t set = text.find(".set(");
            if (set != std::string::npos && word_at(text, var, set) != std::string::npos) return Fate::Kept;
            // `const db = pgClient(...); await db\`SELECT 1\`; return db;`: passed on to the caller.
            const size_t ret = text.find("return " + var);
            if (ret != std::string::npos) {
                const size_t after = ret + 7 + var.size();
                if (after >= text.size() || text[after] == ';' || std::isspace(static_cast<unsigned char>(text[after]))) return Fate::Kept;
            }
            // `_client = database.client`, `context.db = db`: stored where it outlives the call.
            if (l != c.loc.line) {
                const size_t lhs = text.find_first_not_of(" \t");
                const size_t a = lhs == std::string::npos ? std::string::npos : assignment_at(text, lhs);
                if (a != std::string::npos && a > lhs && text.compare(lhs, 6, "const ") != 0 && text.compare(lhs, 4, "let ") != 0 &&
                    text.compare(lhs, 4, "var ") != 0 && word_at(text, var, a + 1) != std::string::npos &&
                    word_at(text.substr(0, a), var) == std::string::npos)
                    return Fate::Kept;
            }
            // `new PrismaClient({ adapter: pool.adapter })` in a function that returns: the pool
            // lives inside the object it builds and hands on, like a returned object.
            if (const size_t made = text.find("new "); made != std::string::npos && word_at(text, var, made + 4) != std::string::npos)
                built_into = true;
            // `return { client, db: drizzle(client) }`: handed on inside the returned object.
            const size_t r = text.find("return ");
            returns = returns || r != std::string::npos;
            if (r != std::string::npos && text.find_first_of("{[", r) != std::string::npos) {
                std::string returned = text.substr(r);
                int depth = 0;
                for (char ch : returned) depth += ch == '{' || ch == '[' ? 1 : ch == '}' || ch == ']' ? -1 : 0;
                for (uint32_t k = l + 1; depth > 0 && k <= std::max(fl.line, fl.end_line) && k < l + 40; ++k) {
                    const std::string more = line_at(Location{fl.file, k, 1, 0, 0});
                    for (char ch : more) depth += ch == '{' || ch == '[' ? 1 : ch == '}' || ch == ']' ? -1 : 0;
                    returned += "\n" + more;
                }
                in_object = in_object || word_at(returned, var, 7) != std::string::npos;
            }
        }
        return in_object || (built_into && returns) ? Fate::InObject : Fate::Dropped;
    };
    // Whether a function's text (at most 200 lines) names a Hyperdrive binding: the helper that
    // picks the connection string (`getDatabaseURL(c)` returning `c.env.HYPERDRIVE_EU.connectionString`).
    auto names_hyperdrive = [&](int fn) {
        const Location& at = inv.functions[fn].loc;
        const uint32_t last = std::min(std::max(at.line, at.end_line), at.line + 200);
        for (uint32_t l = at.line; l <= last; ++l)
            if (line_at(Location{at.file, l, 1, 0, 0}).find("hyperdrive") != std::string::npos) return true;
        return false;
    };
    for (auto& pool : project.inventory.pools) {
        bool hyperdrive = line_at(pool.loc).find("hyperdrive") != std::string::npos;
        // ...or the connection string comes from a helper of the project that reads one.
        if (pool.function >= 0)
            for (int call : inv.functions[pool.function].calls)
                if (!hyperdrive && inv.calls[call].callee >= 0 && inv.calls[call].callee != pool.function)
                    hyperdrive = names_hyperdrive(inv.calls[call].callee);
        for (const auto& c : inv.calls) {
            if (pool.function < 0) break;  // created at module level: made once
            if (c.callee != pool.function) continue;
            hyperdrive = hyperdrive || line_at(c.loc).find("hyperdrive") != std::string::npos;
            if (!pool.returned) continue;
            Fate f = fate(c);
            if (f == Fate::InObject) {
                // Its callers decide: kept (or passed on again) by every one of them, it is made
                // once per holder; no caller in the project (a framework's per-request context
                // factory) or one that drops it, a pool per call.
                size_t callers = 0;
                const CallSite* dropped = nullptr;
                for (const auto& c2 : inv.calls)
                    if (c2.callee == c.caller) {
                        ++callers;
                        const Fate f2 = fate(c2);
                        if ((f2 == Fate::Dropped || f2 == Fate::InObject) && (!dropped || c2.loc < dropped->loc)) dropped = &c2;
                    }
                f = callers > 0 && !dropped ? Fate::Kept : Fate::Dropped;
                if (dropped) {
                    // Name the caller that drops it (it calls the factory through this one).
                    if (pool.made_per_call.file.empty() || dropped->loc < pool.made_per_call) {
                        pool.made_per_call = dropped->loc;
                        pool.made_per_call_by = inv.functions[dropped->caller].name;
                    }
                    continue;
                }
            }
            if (f != Fate::Dropped) continue;
            if (pool.made_per_call.file.empty() || c.loc < pool.made_per_call) {
                pool.made_per_call = c.loc;
                pool.made_per_call_by = inv.functions[c.caller].name;
            }
        }
        if (hyperdrive) pool.pooled_by = "Cloudflare Hyperdrive";
    }
}

// Files a router calls by their place: Next.js route/page/layout files, SvelteKit's +server,
// and anything under pages/, api/ or routes/ directories.
static bool framework_file(const std::string& path) {
    const size_t slash = path.rfind('/');
    const std::string base = path.substr(slash == std::string::npos ? 0 : slash + 1);
    for (const char* f : {"route.", "page.", "layout.", "middleware.", "+page.", "+server.", "+layout."})
        if (base.rfind(f, 0) == 0) return true;
    const std::string dirs = "/" + path.substr(0, slash == std::string::npos ? 0 : slash) + "/";
    for (const char* d : {"/pages/", "/api/", "/routes/"})
        if (dirs.find(d) != std::string::npos) return true;
    return false;
}

// Queries in functions nothing mentions: the function's name (its last part: `list` of
// `repo.list`) appears in no analysed file outside its definition. Such a query runs only if code
// outside the project calls it. Not for what a framework calls by convention: route handlers
// (GET, POST, ...), loaders and actions, default exports, files named route/page/layout/
// middleware or under pages/, api/, routes/, `main`. Text search over the parsed files (a file
// that calls a query function imports its module, so it is parsed), one pass, names of query
// functions only.
// `unimported`: files no other file imports; a default export there is imported by no one.
void mark_unreferenced(Project& project, const FilesByPath& by_path, const std::set<std::string>& unimported,
                       const std::map<std::string, std::set<std::string>>& instance_classes, unsigned jobs) {
    auto& inv = project.inventory;
    std::vector<char> called(inv.functions.size(), 0);
    for (const auto& c : inv.calls)
        if (c.callee >= 0) called[c.callee] = 1;
    static const std::set<std::string> kConventional = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
                                                        "loader", "action", "default", "handler", "main", "middleware",
                                                        "generateMetadata", "generateStaticParams", "getServerSideProps",
                                                        "getStaticProps", "constructor"};
    auto default_export_entry = [](const std::string& path) {
        const size_t slash = path.rfind('/');
        const std::string base = path.substr(slash == std::string::npos ? 0 : slash + 1);
        for (const char* entry : {"index.", "main.", "server.", "app.", "worker.", "cli.", "handler.", "entry."})
            if (base.rfind(entry, 0) == 0) return true;
        return false;
    };
    // `export default async function createUser(...)`: imported under any name, unless no file
    // imports its module (an entry point by its name: index, main, server, app, worker, cli).
    auto default_export = [&](const Location& l) {
        const auto f = by_path.find(l.file);
        if (f == by_path.end() || l.line == 0 || f->second->line_text(l.line).find("export default") == std::string_view::npos)
            return false;
        return !unimported.count(l.file) || default_export_entry(l.file);
    };
    static const auto kIdent = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 256; ++c) t[c] = std::isalnum(c) || c == '_' || c == '$';
        return t;
    }();
    auto ident_char = [](char c) { return kIdent[static_cast<unsigned char>(c)]; };
    // A method signature in an interface or type (`  selectById(id: string): Promise<Row>;`): the
    // name first on its line, then `(` or `?(`, the line ending in `;`; or a property of function
    // type (`  selectById: (id: string) => Promise<Row>;`). It declares the method; it calls nothing.
    auto member_signature = [&](std::string_view text, size_t begin, size_t end) {
        size_t b = begin;
        while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t')) --b;
        if (b > 0 && text[b - 1] != '\n') return false;
        size_t k = end;
        if (k < text.size() && text[k] == '?') ++k;
        if (k < text.size() && text[k] == ':') {
            // A property whose type is a function (`  selectById: (id: string) => Promise<Row>;`),
            // or a property defined as an arrow function: the `)` of its parameters is followed by `=>`.
            for (++k; k < text.size() && text[k] == ' ';) ++k;
            if (k >= text.size() || text[k] != '(') return false;
            int depth = 0;
            for (size_t c = k; c < text.size() && text[c] != '\n'; ++c) {
                depth += text[c] == '(' ? 1 : text[c] == ')' ? -1 : 0;
                if (depth == 0) return text.substr(c + 1, 4) == " => ";
            }
            return false;
        }
        if (k >= text.size() || text[k] != '(') return false;
        size_t nl = text.find('\n', k);
        if (nl == std::string_view::npos) nl = text.size();
        size_t last = nl;
        while (last > k && (text[last - 1] == ' ' || text[last - 1] == '\t' || text[last - 1] == '\r')) --last;
        if (last <= k || text[last - 1] != ';') return false;
        // The parenthesis that closes the parameter list is followed by `:` (a return type).
        int depth = 0;
        for (size_t c = k; c < last; ++c) {
            depth += text[c] == '(' ? 1 : text[c] == ')' ? -1 : 0;
            if (depth == 0) return c + 1 < last && text[c + 1] == ':';
        }
        return false;
    };
    // A function or method defined here (`async listByOrganization(orgId: string): Promise<T> {`,
    // `function f(x) {`): only modifiers before the name on its line, and its parameter list is
    // followed by a body or a return type. It defines a function (maybe one with no query, so not
    // in the inventory); it calls nothing. `await f(x);`, `f(x);` are calls.
    auto definition_at = [&](std::string_view text, size_t begin, size_t end) {
        static const std::set<std::string_view> kModifiers = {"async", "public", "private", "protected", "static", "override",
                                                              "get", "set", "function", "export", "default", "*"};
        size_t b = begin;
        for (;;) {
            while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t')) --b;
            if (b == 0 || text[b - 1] == '\n') break;
            size_t w = b;
            if (text[b - 1] == '*') --w;
            else
                while (w > 0 && ident_char(text[w - 1])) --w;
            if (w == b || !kModifiers.count(text.substr(w, b - w))) return false;
            b = w;
        }
        size_t k = end;
        if (k < text.size() && text[k] == '<') {  // type parameters
            int depth = 0;
            for (; k < text.size() && k < end + 400; ++k) {
                depth += text[k] == '<' ? 1 : text[k] == '>' ? -1 : 0;
                if (depth == 0) break;
            }
            ++k;
        }
        if (k >= text.size() || text[k] != '(') return false;
        int depth = 0;
        for (size_t c = k; c < text.size() && c < k + 4000; ++c) {
            depth += text[c] == '(' ? 1 : text[c] == ')' ? -1 : 0;
            if (depth != 0) continue;
            size_t n = c + 1;
            while (n < text.size() && (text[n] == ' ' || text[n] == '\t' || text[n] == '\n' || text[n] == '\r')) ++n;
            return n < text.size() && (text[n] == '{' || text[n] == ':');
        }
        return false;
    };
    // short name -> occurrences in the parsed files. Most identifiers are short or of a length no
    // candidate has: a length filter skips them before hashing.
    std::unordered_map<std::string_view, size_t> slot;  // short name -> index into `mentions`
    std::vector<std::string> short_name(inv.functions.size());
    std::vector<char> length_wanted(256, 0);
    for (size_t f = 0; f < inv.functions.size(); ++f) {
        const auto& fn = inv.functions[f];
        if (called[f] || fn.queries.empty() || framework_file(fn.loc.file) || default_export(fn.loc)) continue;
        const size_t dot = fn.name.rfind('.');
        std::string name = fn.name.substr(dot == std::string::npos ? 0 : dot + 1);
        if (name.size() < 3 || name.size() > 255 || kConventional.count(name) || !std::all_of(name.begin(), name.end(), ident_char))
            continue;
        short_name[f] = std::move(name);
    }
    for (const auto& n : short_name)
        if (!n.empty()) slot.emplace(std::string_view(n), slot.size()), length_wanted[n.size()] = 1;
    if (slot.empty()) return;
    // Receivers whose calls name their owner: a top-level instance (`const svc = new Service()`:
    // "Service", when every instance so named is of one class) or an object literal of methods
    // (`const repo = { ... }`: "repo"). Owner = what precedes the method's name in CodeFunction::name.
    std::map<std::string_view, std::string_view> owner_of;
    std::set<std::string_view> owners;
    for (size_t f = 0; f < inv.functions.size(); ++f)
        if (const size_t dot = inv.functions[f].name.rfind('.'); dot != std::string::npos && dot > 0)
            owners.insert(std::string_view(inv.functions[f].name).substr(0, dot));
    for (const auto& [name, classes] : instance_classes)
        if (classes.size() == 1 && owners.count(*classes.begin())) owner_of.emplace(name, *classes.begin());
    for (const auto& o : owners)
        if (o.find('.') == std::string_view::npos && !instance_classes.count(std::string(o))) owner_of.emplace(o, o);
    // Where functions of a candidate's name are defined (any of them, candidate or not): the name
    // there defines a function and calls nothing. (file, line) per short name.
    std::set<std::tuple<size_t, std::string_view, uint32_t>> definitions;
    for (const auto& fn : inv.functions) {
        const size_t dot = fn.name.rfind('.');
        if (auto m = slot.find(std::string_view(fn.name).substr(dot == std::string::npos ? 0 : dot + 1)); m != slot.end())
            definitions.emplace(m->second, fn.loc.file, fn.loc.line);
    }
    // Each mention: its name's slot, the owner its receiver names ("" for none), its line; per file.
    struct Mention {
        size_t slot;
        std::string_view owner;
        uint32_t line;
    };
    std::vector<std::vector<Mention>> mentions(project.files.size());
    parallel_for(project.files.size(), jobs, [&](size_t k) {
        const auto& file = project.files[k];
        if (file->language() == SourceLanguage::Sql) return;
        const std::string_view text = file->text();
        // `export default createUser;` in a file no other file imports: nothing reaches it.
        const bool dead_exports = unimported.count(file->path()) && !default_export_entry(file->path());
        auto exported_dead = [&](size_t at) {
            static constexpr std::string_view kExport = "export default ";
            return dead_exports && at >= kExport.size() && text.substr(at - kExport.size(), kExport.size()) == kExport;
        };
        uint32_t line = 1;
        const std::string_view path = file->path();
        // A test titled by the function's name (`describe("listByOrganization", ...)`) calls nothing.
        const bool test_file = project.one_off(file->path());
        auto quoted = [&](size_t i, size_t j) {
            return i > 0 && j < text.size() && (text[i - 1] == '"' || text[i - 1] == '\'' || text[i - 1] == '`') && text[j] == text[i - 1];
        };
        // ... nor does a mock of it (`listByOwner: vi.fn()`, `svc.listByOwner = jest.fn()`,
        // `svc.listByOwner.mockResolvedValue(...)`): the code under test calls it, or nothing does.
        auto mocked = [&](size_t j) {
            const std::string_view rest = text.substr(j, 40);
            if (rest.rfind(".mock", 0) == 0) return true;
            size_t k = 0;
            while (k < rest.size() && rest[k] == ' ') ++k;
            if (k >= rest.size() || (rest[k] != ':' && rest[k] != '=')) return false;
            for (++k; k < rest.size() && rest[k] == ' ';) ++k;
            const std::string_view v = rest.substr(k);
            return v.rfind("vi.fn", 0) == 0 || v.rfind("jest.fn", 0) == 0 || v.rfind("mock(", 0) == 0;
        };
        size_t counted = 0;  // `line` is the line of offset `counted` (lines are counted only where a name matches)
        auto line_of = [&](size_t at) {
            line += static_cast<uint32_t>(std::count(text.begin() + counted, text.begin() + at, '\n'));
            counted = at;
            return line;
        };
        for (size_t i = 0; i < text.size();) {
            const char c = text[i];
            // A comment on its own lines (`// ...`, a `/** ... */` doc block) calls nothing, also
            // when it shows a call as an example.
            if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
                size_t b = i;
                while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t')) --b;
                if (b == 0 || text[b - 1] == '\n') {
                    const size_t close = text[i + 1] == '/' ? text.find('\n', i) : text.find("*/", i + 2);
                    i = close == std::string_view::npos ? text.size() : close + (text[i + 1] == '/' ? 0 : 2);
                    continue;
                }
            }
            if (!ident_char(c) || (c >= '0' && c <= '9')) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j < text.size() && ident_char(text[j])) ++j;
            if (j - i < 256 && length_wanted[j - i])
                if (auto m = slot.find(text.substr(i, j - i));
                    m != slot.end() && !member_signature(text, i, j) && !exported_dead(i) && !definitions.count({m->second, path, line_of(i)}) &&
                    !(test_file && (quoted(i, j) || mocked(j))) && !definition_at(text, i, j)) {
                    // `apiKeysService.listByOrganization(...)`: a call of the method of the class
                    // `apiKeysService` is an instance of (or of the object literal so named), not
                    // of every method of that name.
                    std::string_view owner;
                    if (i > 1 && text[i - 1] == '.') {
                        size_t b = i - 1;
                        while (b > 0 && ident_char(text[b - 1])) --b;
                        if (b < i - 1)
                            if (auto o = owner_of.find(text.substr(b, i - 1 - b)); o != owner_of.end()) owner = o->second;
                    }
                    mentions[k].push_back({m->second, owner, line_of(i)});
                }
            i = j;
        }
    });
    // A function is mentioned when a mention of its name (with no receiver, or with a receiver
    // naming its owner) lies outside its own body (its definition, a recursive call, its name in
    // a log message call nothing). Counted per name and owner, minus those in its body: linear in
    // the mentions.
    std::vector<size_t> generic(slot.size(), 0);
    std::map<std::pair<size_t, std::string_view>, size_t> owned;  // (slot, owner) -> mentions
    std::map<std::pair<size_t, std::string_view>, std::vector<const Mention*>> in_file;  // (slot, file) -> in line order
    for (size_t k = 0; k < mentions.size(); ++k)
        for (const auto& m : mentions[k]) {
            if (m.owner.empty()) ++generic[m.slot];
            else ++owned[{m.slot, m.owner}];
            in_file[{m.slot, project.files[k]->path()}].push_back(&m);
        }
    for (size_t f = 0; f < inv.functions.size(); ++f) {
        if (short_name[f].empty()) continue;
        const CodeFunction& fn = inv.functions[f];
        const size_t dot = fn.name.rfind('.');
        const std::string_view owner = dot == std::string::npos ? std::string_view() : std::string_view(fn.name).substr(0, dot);
        const size_t at = slot.at(short_name[f]);
        size_t total = generic[at];
        if (!owner.empty())
            if (auto o = owned.find({at, owner}); o != owned.end()) total += o->second;
        const uint32_t last = std::max(fn.loc.line, fn.loc.end_line);
        if (auto here = in_file.find({at, fn.loc.file}); here != in_file.end()) {
            const auto& v = here->second;  // in line order: the file was scanned front to back
            auto it = std::lower_bound(v.begin(), v.end(), fn.loc.line, [](const Mention* m, uint32_t l) { return m->line < l; });
            for (; it != v.end() && (*it)->line <= last; ++it)
                if ((*it)->owner.empty() || (*it)->owner == owner) --total;
        }
        if (total > 0) continue;
        for (int q : fn.queries) inv.queries[q].unreferenced = true;
    }
}

// The pipeline, in order: SQL migrations build the schema (each file with its runner's
// transaction semantics); the TypeScript frontend adds what the code declares; every query is read
// against the final schema; the call graph gives each function what it reaches.
void assemble(Project& project, std::vector<Parsed>& parsed, unsigned jobs, const std::string& disk_root) {
    std::vector<TsFile> ts_files;
    std::map<std::string, std::pair<std::string, size_t>> other_engine_dirs;  // dir -> (engine, files)
    std::set<std::string> unimported;  // TypeScript files no other file imports
    // A folder where one .sql file is for another engine holds that engine's migrations: the
    // others there (`ALTER TABLE spans DROP INDEX ...`, a bare `DROP TABLE`) are its too, even when
    // nothing engine-specific shows or PostgreSQL happens to accept them.
    std::map<std::string, std::string> engine_of_dir;
    for (const auto& p : parsed)
        if (p.file && !p.other_engine.empty())
            engine_of_dir.emplace(fs::path(p.file->path()).parent_path().generic_string(), p.other_engine);
    for (auto& p : parsed) {
        if (!p.file || p.ts || !p.other_engine.empty()) continue;
        const auto e = engine_of_dir.find(fs::path(p.file->path()).parent_path().generic_string());
        if (e == engine_of_dir.end()) continue;
        p.other_engine = e->second;
        p.diags.clear();  // its parse errors are PostgreSQL's view of another dialect
        p.sql = ParsedSql{};
    }
    // A schema snapshot (sqlc's, Supabase's declarative schemas) repeats what migrations build
    // (often an older state of it): when other files change the schema, they are the schema.
    const bool migrations_elsewhere = std::any_of(parsed.begin(), parsed.end(), [](const Parsed& p) {
        return p.file && !p.ts && !p.snapshot && !p.dump && !p.pg_dump && p.other_engine.empty() && p.sql.has_ddl();
    });
    for (auto& p : parsed) {
        for (auto& d : p.diags) project.diagnostics.push_back(std::move(d));
        if (!p.file) continue;
        if (!p.imported) unimported.insert(p.file->path());
        if (!p.other_engine.empty()) {
            const std::string dir = fs::path(p.file->path()).parent_path().generic_string();
            auto& e = other_engine_dirs[dir.empty() ? "." : dir];
            if (e.first.empty()) e.first = p.other_engine;
            ++e.second;
            continue;
        }
        if (p.ts) {
            ++project.stats.ts_files;
            ts_files.push_back(std::move(*p.ts));
            continue;
        }
        ++project.stats.sql_files;
        project.stats.statements += p.sql.statements.size();
        if ((p.snapshot || p.dump || p.pg_dump) && migrations_elsewhere) {
            project.diagnostics.push_back({"schema-snapshot", Location{p.file->path(), 1, 1, 0, 0},
                                           std::string(p.dump      ? "schema export not meant to be run"
                                                       : p.pg_dump ? "pg_dump output outside the migrations"
                                                                   : "schema snapshot (sqlc's schema, Supabase's declarative schemas)") +
                                               ": the project's migrations build the schema, so it is not applied"});
            p.sql = ParsedSql{};  // nor are its function bodies queries: the migrations hold them too
            continue;
        }
        const MigrationRunner runner = migration_runner(*p.file, project.migration_settings, p.journaled);
        for (const auto& st : p.sql.statements) {
            record_migration_operations(project.migrated, st, *p.file, runner.transaction, project.migration_operations);
            apply_sql_statement(project.migrated, st, *p.file, runner.transaction);
        }
    }
    for (const auto& [dir, e] : other_engine_dirs)
        project.diagnostics.push_back({"other-engine", Location{dir, 1, 1, 0, 0},
                                       std::to_string(e.second) + " .sql file(s) written for " + e.first +
                                           ", not PostgreSQL: skipped"});
    const TypeScriptFrontend ts(ts_files, disk_root);
    ts.add_diagnostics(project.diagnostics);
    phase("module resolution, Drizzle");
    // Migrations written as code (TypeORM, knex, Sequelize, MikroORM), after the SQL ones, in the
    // order of their file names (which carry timestamps or sequence numbers).
    auto code_migrations = ts.code_migrations();
    std::stable_sort(code_migrations.begin(), code_migrations.end(),
                     [](const auto& a, const auto& b) { return natural_less(a.file->path(), b.file->path()); });
    // A folder of migrations for another engine (TypeORM projects keep `migrations/mysql/`,
    // `migrations/sqlite/` beside `migrations/postgres/`): skipped whole, like .sql files.
    // A statement with another engine's marks in a PostgreSQL folder is the other branch of a
    // migration that switches on the database type (`case DbType.MYSQL:`): skipped alone.
    std::map<std::string, std::pair<std::string, std::set<std::string>>> code_engine_dirs;  // dir -> (engine, files)
    for (const auto& c : code_migrations) {
        const std::string engine = other_engine_marker("", c.file->path());
        if (!engine.empty()) code_engine_dirs[fs::path(c.file->path()).parent_path().generic_string()].first = engine;
    }
    // Folders side by side, one per engine (`migration/postgres/`, `migration/planetscale/`,
    // `migration/cockroachdb/`): beside a PostgreSQL one, every other is another engine's.
    {
        std::map<std::string, std::set<std::string>> by_parent;  // parent -> its migration folders
        for (const auto& c : code_migrations) {
            const fs::path dir = fs::path(c.file->path()).parent_path();
            by_parent[dir.parent_path().generic_string()].insert(dir.filename().generic_string());
        }
        auto postgres_name = [](const std::string& n) { return n == "postgres" || n == "postgresql" || n == "pg" || n == "pgsql"; };
        for (const auto& [parent, names] : by_parent) {
            if (std::none_of(names.begin(), names.end(), postgres_name)) continue;
            for (const auto& n : names)
                if (!postgres_name(n)) {
                    auto& e = code_engine_dirs[parent.empty() ? n : parent + "/" + n];
                    if (e.first.empty()) e.first = "the engine of folder " + n + "/ (beside a postgres/ one)";
                }
        }
    }
    std::map<std::string, std::string> other_branch;  // file -> the engine of the statements skipped in it
    for (const auto& c : code_migrations) {
        const auto other = code_engine_dirs.find(fs::path(c.file->path()).parent_path().generic_string());
        if (other != code_engine_dirs.end()) {
            other->second.second.insert(c.file->path());
            continue;
        }
        if (const std::string engine = other_engine_marker(sql_code_only(c.sql), ""); !engine.empty()) {
            other_branch.emplace(c.file->path(), engine);
            continue;
        }
        for (const uint32_t at : c.runtime_statements)
            project.diagnostics.push_back({"code-migration", c.file->at(at),
                                           "querylens cannot read the statements this `${...}` builds at run time; the statements around it are read"});
        const ParsedSql parsed = parse_sql(c.sql);
        const SourceFile derived(c.sql, *c.file, c.segments);
        for (const auto& e : parsed.errors)
            project.diagnostics.push_back({"code-migration", derived.at(e.offset), "querylens could not read this migration's SQL: " + e.message});
        const MigrationRunner runner = migration_runner(*c.file, project.migration_settings);
        for (const auto& st : parsed.statements) {
            record_migration_operations(project.migrated, st, derived, runner.transaction, project.migration_operations);
            apply_sql_statement(project.migrated, st, derived, runner.transaction);
        }
    }
    for (const auto& [file, engine] : other_branch)
        project.diagnostics.push_back({"other-engine", Location{file, 1, 1, 0, 0},
                                       "statements of this migration written for " + engine + ", not PostgreSQL: skipped"});
    for (const auto& [dir, e] : code_engine_dirs)
        project.diagnostics.push_back({"other-engine", Location{dir.empty() ? "." : dir, 1, 1, 0, 0},
                                       std::to_string(e.second.size()) + " migration file(s) written as code for " + e.first +
                                           ", not PostgreSQL: skipped"});
    project.migrated.open_transaction.reset();
    project.migrated.source = "the migrations";
    phase("migrations written as code");
    project.declared = ts.declared_schema();
    project.schema = merge_schemas(project.migrated, project.declared);
    for (auto& p : parsed) {
        if (!p.file) continue;
        if (p.one_off) project.one_off_files.insert(p.file->path());
        if (p.admin) project.admin_files.insert(p.file->path());
        // Data statements in a migration (a file that changes the schema) run once: backfills,
        // UPDATE ... WHERE fixes, INSERT ... SELECT, and SELECTs that check the result (nothing
        // binds parameters there; in a migrations folder). A SELECT with `$1` is kept: it documents
        // a query the code runs, and so is every SELECT of a schema file outside migrations.
        // A journal lists data-only migrations too, and a migrations folder holds them.
        const bool in_migrations = !p.ts && (p.journaled || migration_path(p.file->path()));
        const bool migration = in_migrations || (!p.ts && p.sql.has_ddl());
        const size_t first = project.inventory.queries.size();
        for (const auto& st : p.sql.statements) extract_sql_queries(st, *p.file, project.schema, project.inventory.queries);
        for (size_t q = first; q < project.inventory.queries.size(); ++q) {
            Query& query = project.inventory.queries[q];
            const bool statement = query.origin == QueryOrigin::SqlStatement;
            if (p.one_off || (migration && statement && query.is_write()) || (in_migrations && statement && !binds_parameters(query.sql)))
                query.execution = ExecutionContext::OneOff;
        }
    }
    phase("declared schema, SQL queries");
    ts.add_queries(project.schema, project.inventory, project.diagnostics, jobs);
    // The SQL of another engine's migrations written as code is not the project's parse error.
    if (!code_engine_dirs.empty())
        project.diagnostics.erase(std::remove_if(project.diagnostics.begin(), project.diagnostics.end(),
                                                 [&](const Diagnostic& d) {
                                                     return d.kind == "parse-error" &&
                                                            code_engine_dirs.count(fs::path(d.loc.file).parent_path().generic_string());
                                                 }),
                                  project.diagnostics.end());
    phase("TypeScript queries");
    // Nothing reads a syntax tree after lowering: free them on every thread rather than one by
    // one when the frontend goes out of scope (freeing a large project's trees is seconds of work).
    parallel_for(ts_files.size(), jobs, [&](size_t i) { ts_files[i].tree = TsTree{}; });
    phase("free syntax trees");
    for (auto& q : project.inventory.queries)
        if (q.from_code() && project.one_off(q.loc.file)) q.execution = ExecutionContext::OneOff;
        else if (q.from_code() && project.admin_files.count(q.loc.file)) q.execution = ExecutionContext::Admin;
    for (auto& l : project.inventory.loops)
        if (project.one_off(l.loc.file)) l.execution = ExecutionContext::OneOff;
    for (auto& pool : project.inventory.pools)
        if (project.one_off(pool.loc.file)) pool.execution = ExecutionContext::OneOff;
    compute_reach(project.inventory);
    phase("call graph");
    std::vector<std::vector<Suppression>> suppressions(parsed.size());
    parallel_for(parsed.size(), jobs, [&](size_t i) {
        if (parsed[i].file) suppressions[i] = find_suppressions(*parsed[i].file);
    });
    for (size_t i = 0; i < parsed.size(); ++i) {
        if (!parsed[i].file) continue;
        for (auto& s : suppressions[i]) project.suppressions.push_back(std::move(s));
        project.files.push_back(std::move(parsed[i].file));
    }
    phase("suppressions");
    FilesByPath by_path;
    for (const auto& file : project.files) by_path.emplace(file->path(), file.get());
    mark_pool_use(project, by_path);
    mark_published_packages(project, disk_root);
    phase("clients");
    std::map<std::string, std::set<std::string>> instance_classes;  // top-level `const svc = new Service()`
    for (const auto& f : ts_files)
        for (const auto& [name, cls] : f.instances) instance_classes[name].insert(cls);
    mark_unreferenced(project, by_path, unimported, instance_classes, jobs);
    for (auto& q : project.inventory.queries) q.request_handler = q.from_code() && !q.one_off() && framework_file(q.loc.file);
    phase("unreferenced functions");
    // The per-file facts are done with: release them on every thread (on sim, freeing 3,600 files'
    // maps one by one was a third of a second of serial time).
    parallel_for(ts_files.size(), jobs, [&](size_t i) { ts_files[i] = TsFile{}; });
    phase("release per-file facts");
}

}  // namespace

static void add_prisma_schema(Project& project, const SourceFile& file) {
    auto decl = read_prisma_schema(file);
    project.declared_index_sites.insert(project.declared_index_sites.end(), decl.indexes.begin(), decl.indexes.end());
    project.declared_model_sites.insert(project.declared_model_sites.end(), decl.models.begin(), decl.models.end());
}

std::vector<std::string> discover_files(const std::vector<std::string>& paths, std::vector<Diagnostic>& diags) {
    std::set<std::string> found;
    for (const auto& root : paths) {
        std::error_code ec;
        const fs::path p(root);
        if (fs::is_regular_file(p, ec)) {
            found.insert(generic(p));
            continue;
        }
        if (!fs::is_directory(p, ec)) {
            diags.push_back({"io-error", Location{generic(p), 1, 1, 0, 0}, "no such file or directory"});
            continue;
        }
        fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            const auto& entry = *it;
            std::error_code ec2;
            if (entry.is_directory(ec2)) {
                if (skipped_dir(entry.path())) it.disable_recursion_pending();
                continue;
            }
            if (entry.is_regular_file(ec2) && wanted_file(entry.path())) found.insert(generic(entry.path()));
        }
        if (ec) diags.push_back({"io-error", Location{generic(p), 1, 1, 0, 0}, "cannot list directory: " + ec.message()});
    }
    return {found.begin(), found.end()};
}

namespace {

// Which migration files are already applied ([migrations] since, --changed-since): every .sql
// file before the one `since` names, or not among the changed files.
template <class Entries>
void mark_applied_migrations(Project& project, const Entries& order) {
    const MigrationSettings& m = project.migration_settings;
    if (m.since.empty() && !m.use_changed && !m.implicit) return;
    std::vector<std::pair<std::string, std::string>> sql;  // shown, absolute
    for (const auto& e : order)
        if (language_of(e.shown) == SourceLanguage::Sql) {
            std::error_code ec;
            sql.emplace_back(e.shown, generic(fs::absolute(e.actual, ec).lexically_normal()));
        }
    if (m.use_changed || m.implicit) {  // implicit without git: every migration is history
        for (const auto& [shown, abs] : sql)
            if (!m.changed.count(abs)) project.applied_migrations.insert(shown);
        return;
    }
    size_t first = sql.size();
    for (size_t i = 0; i < sql.size() && first == sql.size(); ++i) {
        const std::string name = fs::path(sql[i].first).filename().string();
        if (name.rfind(m.since, 0) == 0 || sql[i].first == m.since) first = i;
    }
    if (first == sql.size()) {
        project.diagnostics.push_back({"config", Location{"querylens.toml", 1, 1, 0, 0},
                                       "[migrations] since = \"" + m.since + "\" names no migration file: every migration is reported"});
        project.migration_settings.since.clear();
        return;
    }
    for (size_t i = 0; i < first; ++i) project.applied_migrations.insert(sql[i].first);
}

}  // namespace

Project load_project(const ProjectOptions& options) {
    Project project;
    std::error_code ec;
    const fs::path root = options.root.empty() ? fs::current_path(ec) : fs::absolute(options.root, ec);
    project.root = generic(root);
    std::vector<std::string> paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
    std::vector<std::string> files = discover_files(paths, project.diagnostics);
    // Prisma schema files: read for the indexes they declare (frontends/prisma), not analysed.
    files.erase(std::remove_if(files.begin(), files.end(),
                               [&](const std::string& f) {
                                   if (fs::path(f).extension() != ".prisma") return false;
                                   const fs::path abs = fs::absolute(f, ec).lexically_normal();
                                   std::string shown = generic(abs.lexically_relative(root));
                                   if (shown.empty() || shown.rfind("..", 0) == 0) shown = generic(abs);
                                   std::string text;
                                   if (read_text(abs.string(), shown, text, project.diagnostics))
                                       add_prisma_schema(project, SourceFile(shown, std::move(text), SourceLanguage::Sql));
                                   return true;
                               }),
                files.end());
    phase("discover files");

    // Shown paths are relative to the root. The analysis order is the configured migration
    // directories first (in their order), then the natural order of the shown paths, with the SQL
    // files a migration journal lists after all others.
    const fs::path config_dir = fs::absolute(options.config_dir.empty() ? root : fs::path(options.config_dir), ec);
    struct Entry {
        std::string shown, actual;
        size_t rank;
        bool one_off;
        bool journaled = false;
        bool admin = false;
        bool snapshot = false;  // a schema snapshot (sqlc, Supabase declarative schemas)
    };
    // Migration journals decide which .sql files are migrations (frontends/migrations/journal.h).
    std::vector<std::string> sql_files;
    for (const auto& f : files)
        if (language_of(f) == SourceLanguage::Sql) sql_files.push_back(f);
    // drizzle-kit configs beside any file read: their `out` folders run in drizzle-kit's transaction,
    // or belong to another dialect.
    std::set<std::string> dirs;
    for (const auto& f : files) {
        std::error_code dec;
        for (fs::path d = fs::absolute(f, dec).parent_path().lexically_normal(); !d.empty(); d = d.parent_path()) {
            if (!dirs.insert(d.generic_string()).second) break;
            if (d == d.parent_path() || d == root) break;
        }
    }
    std::vector<DrizzleKitOutput> outputs = drizzle_kit_outputs(dirs);
    std::set<std::string> snapshots = sqlc_schema_snapshots(dirs);
    snapshots.merge(supabase_declarative_schemas(dirs));
    std::vector<std::string> abs_sql;
    std::map<std::string, std::string> by_abs;  // absolute -> as discovered
    for (const auto& f : sql_files) {
        std::error_code aec;
        abs_sql.push_back(fs::absolute(f, aec).lexically_normal().generic_string());
        by_abs[abs_sql.back()] = f;
    }
    MigrationSelection selection = select_migrations(sql_files);
    {
        const MigrationSelection from_configs = select_migrations(abs_sql, outputs);
        for (const auto& f : from_configs.journaled) selection.journaled.insert(by_abs[f]);
        for (const auto& [f, why] : from_configs.other_dialect) selection.other_dialect[by_abs[f]] = why;
    }
    // drizzle-kit is in use: a config of it, the journal it writes beside its migrations, or its
    // default output folder.
    project.drizzle_kit_config = !outputs.empty() || !selection.journaled.empty() || in_drizzle_kit_folder(sql_files);
    for (auto& snap : selection.snapshots) {
        const fs::path abs = fs::absolute(snap.path, ec).lexically_normal();
        const std::string rel = generic(abs.lexically_relative(root));
        if (!rel.empty() && rel.rfind("..", 0) != 0) snap.path = rel;
        project.drizzle_snapshots.push_back(std::move(snap));
    }
    for (const auto& p : selection.problems)
        project.diagnostics.push_back({"migration-journal", Location{p.first, 1, 1, 0, 0}, p.second});
    std::vector<fs::path> scan_roots;
    for (const auto& p : paths)
        if (fs::is_directory(p, ec)) scan_roots.push_back(fs::absolute(p, ec).lexically_normal());
    std::vector<Entry> order;
    std::map<std::string, std::pair<std::string, size_t>> other_dialects;  // dir -> (dialect, files)
    std::vector<bool> include_used(options.include.size(), false);
    std::map<std::string, size_t> rollbacks;  // dir -> rollback scripts in it
    for (const auto& f : files) {
        const fs::path abs = fs::absolute(f, ec).lexically_normal();
        std::string shown = generic(abs.lexically_relative(root));
        if (shown.empty() || shown.rfind("..", 0) == 0) shown = generic(abs);
        std::string rel = generic(abs.lexically_relative(config_dir));  // what config globs see
        if (rel.empty() || rel.rfind("..", 0) == 0) rel = generic(abs);
        bool keep = options.include.empty();
        for (size_t g = 0; g < options.include.size(); ++g)
            if (glob_match(options.include[g], rel)) keep = true, include_used[g] = true;
        for (const auto& g : options.exclude) keep = keep && !glob_match(g, rel);
        auto under = [&](const std::string& dir_in) {
            std::string dir = generic(fs::path(dir_in));
            while (!dir.empty() && dir.back() == '/') dir.pop_back();
            return rel.rfind(dir + "/", 0) == 0;
        };
        if (language_of(rel) != SourceLanguage::Sql && !options.typescript_dirs.empty())
            keep = keep && std::any_of(options.typescript_dirs.begin(), options.typescript_dirs.end(), under);
        if (!keep) continue;
        size_t rank = options.migration_dirs.size();
        if (language_of(rel) == SourceLanguage::Sql)
            for (size_t i = 0; i < options.migration_dirs.size() && rank == options.migration_dirs.size(); ++i)
                if (under(options.migration_dirs[i])) rank = i;
        std::string scan_rel = abs.filename().generic_string();  // below the directory it was found in
        for (const auto& sr : scan_roots) {
            const std::string r = generic(abs.lexically_relative(sr));
            if (!r.empty() && r.rfind("..", 0) != 0) {
                scan_rel = r;
                break;
            }
        }
        if (auto other = selection.other_dialect.find(f); other != selection.other_dialect.end()) {
            auto& e = other_dialects[generic(fs::path(shown).parent_path())];
            if (e.first.empty()) {
                e.first = other->second;  // "sqlite (/abs/drizzle.config.ts)": the config shown like every path
                const std::string prefix = generic(root) + "/";
                if (const size_t at = e.first.find(prefix); at != std::string::npos) e.first.erase(at, prefix.size());
            }
            ++e.second;
            continue;
        }
        if (selection.rollback.count(f)) {
            ++rollbacks[generic(fs::path(shown).parent_path())];
            continue;
        }
        if (auto why = selection.skipped.find(f); why != selection.skipped.end()) {
            project.diagnostics.push_back({"migration-journal", Location{shown, 1, 1, 0, 0}, why->second});
            continue;
        }
        order.push_back({shown, f, rank, one_off_path(scan_rel, rel, options.context), selection.journaled.count(f) > 0,
                         admin_path(scan_rel, rel, options.context), snapshots.count(generic(abs)) > 0});
    }
    // An include glob that matches nothing is almost always a typo that silently empties the run.
    for (size_t g = 0; g < options.include.size(); ++g)
        if (!include_used[g])
            project.diagnostics.push_back({"config", Location{"querylens.toml", 1, 1, 0, 0},
                                           "[files] include = \"" + options.include[g] + "\" matches no file"});
    for (const auto& [dir, n] : rollbacks)
        project.diagnostics.push_back({"rollback-migration", Location{dir.empty() ? "." : dir, 1, 1, 0, 0},
                                       std::to_string(n) + " rollback script(s) (down/undo migrations) not read: they run only when a "
                                                           "migration is reverted, not as part of the schema's history"});
    for (const auto& [dir, e] : other_dialects)
        project.diagnostics.push_back({"other-engine", Location{dir.empty() ? "." : dir, 1, 1, 0, 0},
                                       std::to_string(e.second) + " .sql file(s) in the out folder of a drizzle-kit config for " +
                                           e.first + ", not PostgreSQL: skipped"});
    // A migration journal (drizzle-kit's _journal.json) is the schema's history: loose SQL files
    // beside it (a docker init script, a manual step kept for the record) are read before it, so
    // that the journaled migrations decide what the tables are now.
    std::sort(order.begin(), order.end(), [](const Entry& a, const Entry& b) {
        if (a.rank != b.rank) return a.rank < b.rank;
        if (a.journaled != b.journaled) return b.journaled;  // only SQL files are journaled
        return natural_less(a.shown, b.shown);
    });

    // Read everything and look at each TypeScript file's imports; parse only what can matter.
    std::vector<Parsed> parsed(order.size());
    std::vector<std::string> texts(order.size()), shown(order.size());
    std::vector<TsPrescan> scans(order.size());
    std::vector<char> readable(order.size(), 0), is_ts(order.size(), 0);
    // Facts that are functions of a file's text come from the fact cache when it has them for
    // this text (analysis/fact_cache.h); what is computed is added to it below.
    FactCache cache(options.cache_dir);
    std::vector<uint64_t> keys(order.size(), 0);
    std::vector<char> scan_hit(order.size(), 0), facts_hit(order.size(), 0);
    std::vector<std::string> fresh_scan(order.size()), fresh_facts(order.size());
    parallel_for(order.size(), options.jobs, [&](size_t i) {
        shown[i] = order[i].shown;
        readable[i] = read_text(order[i].actual, order[i].shown, texts[i], parsed[i].diags);
        is_ts[i] = readable[i] && language_of(order[i].shown) != SourceLanguage::Sql;
        if (is_ts[i]) {
            if (cache.enabled()) keys[i] = FactCache::key(texts[i]);
            const std::string* bytes = cache.enabled() ? cache.find(FactKind::Prescan, keys[i]) : nullptr;
            scan_hit[i] = bytes && read_prescan(*bytes, scans[i]);
            if (!scan_hit[i]) scans[i] = prescan_typescript(texts[i]);
            if (!scan_hit[i] && cache.enabled()) write_prescan(scans[i], fresh_scan[i]);
        }
        // A migration written as code runs SQL through its migration tool's handle, whatever it
        // imports (`this.addSql('...')`, `knex.raw('...')`): its SQL builds the schema.
        if (is_ts[i] && !scans[i].issues && migration_path(order[i].shown))
            for (const char* m : {".raw(", ".addSql(", ".query(", "sql`"})
                if (texts[i].find(m) != std::string::npos) scans[i].issues = true;
    });
    phase("read, import scan");
    std::vector<char> imported;
    std::vector<char> wanted = typescript_worth_parsing(shown, scans, is_ts, project.root, options.jobs, imported);
    if (options.parse_all) wanted.assign(order.size(), kFull);
    phase("what can matter");
    if (std::getenv("QUERYLENS_TIMING")) {
        size_t count[3] = {0, 0, 0};
        for (size_t i = 0; i < wanted.size(); ++i)
            if (is_ts[i]) ++count[static_cast<int>(wanted[i])];
        std::fprintf(stderr, "querylens timing: TypeScript files: %zu not parsed, %zu for their calls only, %zu in full\n", count[kSkip],
                     count[kCallsOnly], count[kFull]);
    }
    auto facts_kind = [&](size_t i) {
        const bool tsx = language_of(order[i].shown) == SourceLanguage::Tsx;
        if (migration_path(order[i].shown)) return tsx ? FactKind::TreeFreeTsxMigration : FactKind::TreeFreeTsMigration;
        return tsx ? FactKind::TreeFreeTsx : FactKind::TreeFreeTs;
    };
    parallel_for(order.size(), options.jobs, [&](size_t i) {
        const char need = options.parse_all ? static_cast<char>(kFull) : wanted[i];
        const bool cacheable = cache.enabled() && is_ts[i] && need == kCallsOnly;
        const std::string* cached = cacheable ? cache.find(facts_kind(i), keys[i]) : nullptr;
        if (readable[i])
            parse_text(order[i].shown, std::move(texts[i]), parsed[i], need, cached, cacheable ? &fresh_facts[i] : nullptr);
        facts_hit[i] = cached && fresh_facts[i].empty();
        parsed[i].one_off = order[i].one_off;
        parsed[i].admin = order[i].admin;
        parsed[i].journaled = order[i].journaled;
        parsed[i].snapshot = order[i].snapshot;
        parsed[i].imported = !is_ts[i] || imported[i];
    });
    for (size_t i = 0; i < order.size(); ++i)
        if (is_ts[i] && !wanted[i]) ++project.stats.ts_files_skipped;
    phase("parse");
    if (cache.enabled()) {
        size_t scans_reused = 0, facts_reused = 0, facts_wanted = 0;
        for (size_t i = 0; i < order.size(); ++i) {
            if (!is_ts[i]) continue;
            if (scan_hit[i]) cache.keep(FactKind::Prescan, keys[i]), ++scans_reused;
            else cache.add(FactKind::Prescan, keys[i], std::move(fresh_scan[i]));
            if (facts_hit[i]) cache.keep(facts_kind(i), keys[i]), ++facts_reused;
            else if (!fresh_facts[i].empty()) cache.add(facts_kind(i), keys[i], std::move(fresh_facts[i]));
            facts_wanted += facts_hit[i] || !fresh_facts[i].empty();
        }
        if (std::string error = cache.save(); !error.empty())
            project.diagnostics.push_back({"cache", Location{options.cache_dir, 1, 1, 0, 0}, "fact cache not saved: " + error});
        if (std::getenv("QUERYLENS_TIMING"))
            std::fprintf(stderr, "querylens timing: fact cache: import scans %zu of %zu reused, tree-free facts %zu of %zu reused\n",
                         scans_reused, static_cast<size_t>(std::count(is_ts.begin(), is_ts.end(), 1)), facts_reused, facts_wanted);
        phase("fact cache");
    }
    project.migration_settings = options.migrations;
    assemble(project, parsed, options.jobs, project.root);
    mark_applied_migrations(project, order);
    phase("applied migrations");
    if (!options.stats_file.empty()) {
        std::string error;
        if (auto stats = read_stats_file(options.stats_file, error)) project.database = std::move(*stats);
        else project.diagnostics.push_back({"config", Location{options.stats_file, 1, 1, 0, 0}, error});
    }
    project.profiles = profile_tables(project, options.tables);
    phase("table profiles");
    return project;
}

Project analyze_sources(std::vector<InMemoryFile> files, unsigned jobs, const ContextOptions& context) {
    Project project;
    files.erase(std::remove_if(files.begin(), files.end(),
                               [&](const InMemoryFile& f) {
                                   if (fs::path(f.path).extension() != ".prisma") return false;
                                   add_prisma_schema(project, SourceFile(f.path, f.text, SourceLanguage::Sql));
                                   return true;
                               }),
                files.end());
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return natural_less(a.path, b.path); });
    std::vector<Parsed> parsed(files.size());
    parallel_for(files.size(), jobs, [&](size_t i) {
        parsed[i].one_off = one_off_path(files[i].path, files[i].path, context);
        parsed[i].admin = admin_path(files[i].path, files[i].path, context);
        parse_text(files[i].path, std::move(files[i].text), parsed[i]);
    });
    std::vector<std::string> paths;
    for (const auto& f : files) paths.push_back(f.path);
    project.drizzle_kit_config = in_drizzle_kit_folder(paths);
    assemble(project, parsed, jobs, {});
    project.profiles = profile_tables(project, {});
    return project;
}

}  // namespace querylens
