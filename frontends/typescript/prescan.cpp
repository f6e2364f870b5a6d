#include "frontends/typescript/prescan.h"

#include <algorithm>
#include <cctype>

namespace querylens {

namespace {

bool has_prefix_package(std::string_view spec, std::string_view p) {
    return spec == p || (spec.size() > p.size() && spec.compare(0, p.size(), p) == 0 && spec[p.size()] == '/');
}

// Packages that connect to PostgreSQL: a file importing one can run queries by itself.
bool driver_package(std::string_view spec) {
    static const std::string_view kDrivers[] = {"pg", "pg-pool", "postgres", "@neondatabase/serverless", "@vercel/postgres",
                                                "kysely", "@prisma/client", "pg-promise", "slonik", "@electric-sql/pglite",
                                                "@databases/pg", "knex"};
    for (std::string_view p : kDrivers)
        if (has_prefix_package(spec, p)) return true;
    // drizzle-orm/node-postgres, drizzle-orm/postgres-js, drizzle-orm/neon-http, ...: a driver
    // binding; drizzle-orm itself and drizzle-orm/pg-core only declare and build.
    return spec.rfind("drizzle-orm/", 0) == 0 && spec != "drizzle-orm/pg-core" && spec != "drizzle-orm/sql";
}

// Drizzle's core (tables, operators, fragments) and drizzle-kit (its config says which files hold
// the schema and which dialect they are).
bool drizzle_core(std::string_view spec) {
    return spec == "drizzle-orm" || spec == "drizzle-orm/pg-core" || spec == "drizzle-orm/sql" || spec == "drizzle-kit";
}

// The text with comments and the contents of string and template literals blanked (quotes and
// backticks kept), so markers are only found in code.
std::string code_only(std::string_view text) {
    std::string out(text);
    enum { Code, Line, Block, Single, Double, Template } state = Code;
    for (size_t i = 0; i < out.size(); ++i) {
        const char c = out[i], next = i + 1 < out.size() ? out[i + 1] : '\0';
        switch (state) {
            case Code:
                if (c == '/' && next == '/') state = Line, out[i] = ' ';
                else if (c == '/' && next == '*') state = Block, out[i] = ' ';
                else if (c == '\'') state = Single;
                else if (c == '"') state = Double;
                else if (c == '`') state = Template;
                break;
            case Line:
                if (c == '\n') state = Code;
                else out[i] = ' ';
                break;
            case Block:
                if (c == '*' && next == '/') state = Code, out[i] = out[i + 1] = ' ', ++i;
                else if (c != '\n') out[i] = ' ';
                break;
            case Single:
            case Double:
            case Template: {
                const char quote = state == Single ? '\'' : state == Double ? '"' : '`';
                if (c == '\\') {
                    out[i] = ' ';
                    if (i + 1 < out.size() && out[i + 1] != '\n') out[++i] = ' ';
                } else if (c == quote) {
                    state = Code;
                } else if (c == '\n' && state != Template) {
                    state = Code;  // an unterminated quote ends with its line
                } else if (c != '\n') {
                    out[i] = ' ';
                }
                break;
            }
        }
    }
    return out;
}

bool word_before(std::string_view text, size_t at, std::string_view word) {
    size_t end = at;
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    if (end < word.size() || text.compare(end - word.size(), word.size(), word) != 0) return false;
    const size_t start = end - word.size();
    return start == 0 || !(std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '_' ||
                           text[start - 1] == '$' || text[start - 1] == '.');
}

// Where the `import` / `export` statement that ends with the string at `at` starts.
size_t statement_start(std::string_view text, size_t at) {
    const size_t imp = text.rfind("import", at), exp = text.rfind("export", at);
    return imp == std::string_view::npos ? exp : exp == std::string_view::npos ? imp : std::max(imp, exp);
}

// `import type { A } from 'm'` / `export type { A } from 'm'`: erased at runtime. `at` is where
// the string after `from` starts.
bool type_only(std::string_view text, size_t at) {
    const size_t start = statement_start(text, at);
    if (start == std::string_view::npos) return false;
    size_t i = start + 6;
    while (i < at && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    return text.compare(i, 4, "type") == 0 && i + 4 < text.size() &&
           (std::isspace(static_cast<unsigned char>(text[i + 4])) || text[i + 4] == '{');
}

}  // namespace

TsPrescan prescan_typescript(std::string_view text) {
    TsPrescan out;
    const std::string code = code_only(text);
    bool driver = false, drizzle = false;
    // Every quoted string preceded by `from`, `import`, `import(` or `require(` (in the code view,
    // so commented-out imports do not count; the specifier itself is read from the text).
    for (size_t i = 0; i < code.size(); ++i) {
        const char q = code[i];
        if (q != '\'' && q != '"') continue;
        size_t end = i + 1;
        while (end < code.size() && code[end] != q && code[end] != '\n') ++end;
        if (end >= code.size() || code[end] != q) continue;
        size_t before = i;
        while (before > 0 && std::isspace(static_cast<unsigned char>(code[before - 1]))) --before;
        const bool call = before > 0 && code[before - 1] == '(';
        const size_t word_end = call ? before - 1 : i;
        const bool from = word_before(code, word_end, "from");
        if (from || word_before(code, word_end, "import") || (call && word_before(code, word_end, "require"))) {
            const std::string_view spec = text.substr(i + 1, end - i - 1);
            if (!spec.empty() && spec.size() < 512) {
                out.specifiers.emplace_back(spec);
                const size_t start = statement_start(code, word_end);
                out.reexport.push_back(start != std::string_view::npos && code.compare(start, 6, "export") == 0 && from);
                out.type_only.push_back(from && type_only(code, word_end));
                driver = driver || driver_package(spec);
                drizzle = drizzle || drizzle_core(spec);
            }
        }
        i = end;
    }
    // The markers, in one pass over the code's dots and one over its `sql`s (a find per marker
    // read the whole file 17 times).
    bool raw_sql = false, sql_template = false, builder = false;
    const std::string_view view(code);
    for (size_t at = view.find('.'); at != std::string_view::npos; at = view.find('.', at + 1)) {
        const std::string_view rest = view.substr(at);
        auto starts = [&](std::initializer_list<std::string_view> markers) {
            return std::any_of(markers.begin(), markers.end(), [&](std::string_view m) { return rest.substr(0, m.size()) == m; });
        };
        raw_sql = raw_sql || starts({".query(", ".query<", ".unsafe("});
        builder = builder || starts({".select(", ".selectDistinct", ".insert(", ".update(", ".delete(", ".findMany(", ".findFirst(",
                                     ".execute(", ".transaction(", ".$count(", ".$with("});
        if (raw_sql && builder) break;
    }
    for (size_t at = view.find("sql"); at != std::string_view::npos && !sql_template; at = view.find("sql", at + 3)) {
        const std::string_view rest = view.substr(at + 3);
        sql_template = rest.substr(0, 1) == "`" || rest.substr(0, 1) == "<" || rest.substr(0, 5) == ".raw(";
    }
    for (size_t at = code.find("class "); at != std::string::npos && !out.has_class; at = code.find("class ", at + 6))
        out.has_class = at == 0 || !(std::isalnum(static_cast<unsigned char>(code[at - 1])) || code[at - 1] == '_' || code[at - 1] == '.');
    out.issues = driver || raw_sql || (sql_template && !drizzle) || (drizzle && builder);
    out.declares = drizzle;
    return out;
}

}  // namespace querylens
