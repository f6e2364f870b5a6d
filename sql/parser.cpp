#include "sql/parser.h"

#include <string.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

namespace querylens {

void ParsedSql::Free::operator()(PgQuery__ParseResult* r) const {
    pg_query__parse_result__free_unpacked(r, nullptr);
}

void ParsedSql::own(PgQuery__ParseResult* result) { owned_.emplace_back(result); }

void ParsedSql::adopt(ParsedSql&& other) {
    for (auto& o : other.owned_) owned_.push_back(std::move(o));
    other.owned_.clear();
}

namespace {

// libpg_query reports the error position as a 1-based *character* index; convert to bytes.
uint32_t char_pos_to_byte(const std::string& text, uint32_t base, int cursorpos) {
    if (cursorpos <= 0) return base;
    uint32_t chars = 0;
    for (uint32_t i = base; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (++chars == static_cast<uint32_t>(cursorpos)) return i;
    }
    return static_cast<uint32_t>(text.size());
}

uint32_t skip_space(const std::string& text, uint32_t pos, uint32_t end) {
    while (pos < end && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
        ++pos;
    return pos;
}

// Skips blanks and comments (`-- ...` and nested `/* ... */`) to the first token.
uint32_t skip_trivia(const std::string& text, uint32_t pos, uint32_t end) {
    for (;;) {
        pos = skip_space(text, pos, end);
        if (pos + 1 < end && text[pos] == '-' && text[pos + 1] == '-') {
            while (pos < end && text[pos] != '\n') ++pos;
        } else if (pos + 1 < end && text[pos] == '/' && text[pos + 1] == '*') {
            int depth = 0;
            while (pos + 1 < end) {
                if (text[pos] == '/' && text[pos + 1] == '*') { ++depth; pos += 2; }
                else if (text[pos] == '*' && text[pos + 1] == '/') { pos += 2; if (--depth == 0) break; }
                else ++pos;
            }
            if (depth > 0) return end;
        } else {
            return pos;
        }
    }
}

// Parses text[begin, end) on its own. On success appends its statements (absolute offsets);
// on failure appends one error. Returns false on failure.
bool parse_range(const std::string& text, uint32_t begin, uint32_t end, ParsedSql& out) {
    const std::string piece = (begin == 0 && end == text.size()) ? text : text.substr(begin, end - begin);
    PgQueryProtobufParseResult r = pg_query_parse_protobuf(piece.c_str());
    bool ok = true;
    if (r.error) {
        ok = false;
        SqlParseError e;
        e.message = r.error->message ? r.error->message : "syntax error";
        e.offset = char_pos_to_byte(text, begin, r.error->cursorpos);
        if (r.error->cursorpos <= 0) e.offset = skip_space(text, begin, end);
        out.errors.push_back(std::move(e));
    } else {
        auto* result = pg_query__parse_result__unpack(
            nullptr, r.parse_tree.len, reinterpret_cast<const uint8_t*>(r.parse_tree.data));
        if (!result) {
            ok = false;
            out.errors.push_back({skip_space(text, begin, end), "internal error: cannot decode parse tree"});
        } else {
            for (size_t i = 0; i < result->n_stmts; ++i) {
                const auto* raw = result->stmts[i];
                if (!raw->stmt) continue;
                SqlStatement s;
                s.node = raw->stmt;
                s.base = begin;
                const uint32_t rel = static_cast<uint32_t>(std::max(0, raw->stmt_location));
                uint32_t len = raw->stmt_len > 0 ? static_cast<uint32_t>(raw->stmt_len)
                                                 : static_cast<uint32_t>(piece.size()) - rel;
                // stmt_location points just after the previous ';' (comments and blanks
                // included): move to the first real token so findings land on it.
                const uint32_t first = skip_trivia(text, begin + rel, begin + rel + len);
                s.offset = first;
                s.length = begin + rel + len - first;
                out.statements.push_back(s);
            }
            out.own(result);
        }
    }
    pg_query_free_protobuf_parse_result(r);
    return ok;
}

bool has_tokens(const std::string& text, uint32_t begin, uint32_t end) {
    for (const auto& t : scan_sql(text, begin, end))
        if (t.token != PG_QUERY__TOKEN__ASCII_59) return true;  // anything but ';'
    return false;
}

}  // namespace

bool ParsedSql::has_ddl() const {
    for (const auto& st : statements) {
        if (!st.node) continue;
        switch (st.node->node_case) {
            case PG_QUERY__NODE__NODE_SELECT_STMT:
            case PG_QUERY__NODE__NODE_INSERT_STMT:
            case PG_QUERY__NODE__NODE_UPDATE_STMT:
            case PG_QUERY__NODE__NODE_DELETE_STMT:
            case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
            case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
                break;
            default:
                return true;
        }
    }
    return false;
}

namespace {
// drizzle-kit's migrator splits a file on `--> statement-breakpoint` and runs each chunk alone, so
// a statement before the marker needs no semicolon. The marker is read as `;-- statement-breakpoint`
// (same length: every offset holds).
constexpr std::string_view kBreakpoint = "--> statement-breakpoint";

// Walks the code of a SQL text, skipping comments, string literals, quoted identifiers and dollar
// quotes: `code(i)` sees each other position and returns where to go on (i + 1 to step over it).
template <typename F>
void walk_sql_code(const std::string& text, F code) {
    const size_t n = text.size();
    for (size_t i = 0; i < n;) {
        const char c = text[i];
        if (c == '-' && i + 1 < n && text[i + 1] == '-') {
            while (i < n && text[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
            int depth = 0;
            while (i < n) {
                if (text[i] == '/' && i + 1 < n && text[i + 1] == '*') ++depth, i += 2;
                else if (text[i] == '*' && i + 1 < n && text[i + 1] == '/') { i += 2; if (--depth == 0) break; }
                else ++i;
            }
        } else if (c == '\'' || c == '"') {
            // E'...' strings escape with a backslash; standard ones double the quote.
            const bool escapes = c == '\'' && i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e');
            for (++i; i < n; ++i) {
                if (escapes && text[i] == '\\') { ++i; continue; }
                if (text[i] == c) {
                    if (i + 1 < n && text[i + 1] == c) { ++i; continue; }
                    ++i;
                    break;
                }
            }
        } else if (c == '$') {
            size_t j = i + 1;
            while (j < n && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
            if (j < n && text[j] == '$' && !(i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_'))) {
                const std::string tag = text.substr(i, j - i + 1);
                const size_t close = text.find(tag, j + 1);
                i = close == std::string::npos ? n : close + tag.size();
            } else {
                i = j;
            }
        } else {
            i = code(i);
        }
    }
}

// psql scripts hold meta-commands (`\c db`, `\set x 1`, `\if :flag`, `SELECT ... \gset`): a
// backslash outside strings, quoted identifiers, dollar quotes and comments starts one, up to the
// end of the line. PostgreSQL never sees them, so they are not SQL errors: each is read as `;`
// (it ends the statement before it, as `\g` does) followed by blanks, keeping every offset.
// Returns false when the text has none.
bool blank_psql_meta_commands(std::string& text) {
    bool changed = false;
    walk_sql_code(text, [&](size_t i) {
        if (text[i] != '\\') return i + 1;
        text[i] = ';';
        for (++i; i < text.size() && text[i] != '\n'; ++i) text[i] = ' ';
        changed = true;
        return i;
    });
    return changed;
}

// sqlc query files (`-- name: GetUser :one`) name their parameters `@tenant_id`, `sqlc.arg(x)`,
// `sqlc.narg('x')` or `sqlc.slice('ids')`; sqlc turns each into `$n` before PostgreSQL sees it.
// So does this, padded with blanks to keep every offset (`@` alone is PostgreSQL's absolute-value
// operator: `col = @id` would read as a column compared with an expression). Returns false when
// nothing changed.
bool sqlc_parameters(std::string& text) {
    bool changed = false;
    std::map<std::string, int> numbers;
    auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
    auto replace = [&](size_t from, size_t to, const std::string& name) {
        const int n = numbers.emplace(name, static_cast<int>(numbers.size()) + 1).first->second;
        std::string param = std::to_string(n);
        param.insert(param.begin(), '$');
        if (param.size() > to - from) param = "$1";
        for (size_t k = from; k < to; ++k) text[k] = k - from < param.size() ? param[k - from] : ' ';
        changed = true;
    };
    walk_sql_code(text, [&](size_t i) {
        const size_t n = text.size();
        if (text[i] == '@' && i + 1 < n && (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_') &&
            !(i > 0 && (ident(text[i - 1]) || text[i - 1] == '@' || text[i - 1] == '<' || text[i - 1] == '>'))) {
            size_t j = i + 1;
            while (j < n && ident(text[j])) ++j;
            replace(i, j, text.substr(i + 1, j - i - 1));
            return j;
        }
        if (text.compare(i, 5, "sqlc.") == 0 && !(i > 0 && (ident(text[i - 1]) || text[i - 1] == '.'))) {
            size_t j = i + 5;
            while (j < n && ident(text[j])) ++j;
            const std::string fn = text.substr(i + 5, j - i - 5);
            if ((fn == "arg" || fn == "narg" || fn == "slice") && j < n && text[j] == '(') {
                const size_t close = text.find(')', j);
                if (close != std::string::npos && close - j < 80) {
                    std::string name = text.substr(j + 1, close - j - 1);
                    name.erase(std::remove_if(name.begin(), name.end(), [](char ch) { return ch == '\'' || ch == '"' || ch == ' '; }), name.end());
                    replace(i, close + 1, name);
                    return close + 1;
                }
            }
            return j;
        }
        return i + 1;
    });
    return changed;
}

// Migration tools that keep both directions in one file: goose (`-- +goose Up` / `-- +goose
// Down`), sql-migrate (`-- +migrate Up` / `Down`) and dbmate (`-- migrate:up` / `-- migrate:down`).
// PostgreSQL runs the up part on deploy; the down part is blanked (newlines kept, so every offset
// and line holds). goose's `-- +goose StatementEnd` ends a statement: read as `;-- goose ...`.
// Returns false when the text has no such markers.
bool keep_up_migration(std::string& text) {
    if (text.find("+goose") == std::string::npos && text.find("+migrate") == std::string::npos &&
        text.find("migrate:") == std::string::npos)
        return false;
    bool changed = false, down = false;
    for (size_t line = 0; line < text.size();) {
        size_t end = text.find('\n', line);
        if (end == std::string::npos) end = text.size();
        size_t first = line;
        while (first < end && (text[first] == ' ' || text[first] == '\t')) ++first;
        const std::string_view l(text.data() + first, end - first);
        auto starts = [&](std::string_view w) { return l.substr(0, w.size()) == w; };
        if (starts("-- +goose Down") || starts("-- +migrate Down") || starts("-- migrate:down")) down = true;
        else if (starts("-- +goose Up") || starts("-- +migrate Up") || starts("-- migrate:up")) down = false;
        if (down) {
            for (size_t i = line; i < end; ++i) text[i] = ' ';
            changed = true;
        } else if (starts("-- +goose StatementEnd")) {
            text.replace(first, 4, ";-- ");
            changed = true;
        }
        line = end + 1;
    }
    return changed;
}

// A block comment standing where a schema name goes (stack-auth's migration runner replaces
// `/* SCHEMA_NAME_SENTINEL */."User"` with the tenant's schema before PostgreSQL sees it): the
// comment and its dot are blanked, so the name reads unqualified (the search path's schema, which
// is where the project's tables live). Every offset holds. Returns false when there is none.
bool blank_schema_placeholders(std::string& text) {
    bool changed = false;
    auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '"'; };
    for (size_t close = text.find("*/."); close != std::string::npos; close = text.find("*/.", close + 3)) {
        const size_t open = text.rfind("/*", close);
        if (open == std::string::npos || text.find('\n', open) < close) continue;  // one line only
        if (open > 0 && (ident(text[open - 1]) || text[open - 1] == '.')) continue;
        if (close + 3 >= text.size() || !ident(text[close + 3])) continue;
        for (size_t k = open; k <= close + 2; ++k) text[k] = ' ';
        changed = true;
    }
    return changed;
}

// Named placeholders the code or psql fills in before PostgreSQL sees the statement: `:name`
// (Sequelize's and knex's replacements, psql variables), `:'name'` and `:"name"` (psql's quoted
// forms). A placeholder standing for a schema (`:GRAPHILE_WORKER_SCHEMA.jobs`) is blanked with
// its dot, so the name reads unqualified; a quoted one loses its colon (a literal, an
// identifier); any other becomes `$n`, padded with blanks (`ARRAY[:ids]` too; a slice without a
// lower bound, `a[:n]`, reads as a subscript, which parses the same). `::` casts, array slices
// (`a[1:n]`, `a[lo:hi]`) and PL/pgSQL's `:=` are left alone. Every offset holds. Returns false when nothing changed.
// A cheap look, before copying the text: a `:` that starts a name or a quote and is not part of
// a `::` cast. (Most SQL has casts and nothing else: no copy then.)
bool has_named_placeholder(const std::string& text) {
    for (size_t at = text.find(':'); at != std::string::npos && at + 1 < text.size(); at = text.find(':', at + 1)) {
        const char next = text[at + 1];
        if (next == ':') {
            ++at;
            continue;
        }
        if (std::isalpha(static_cast<unsigned char>(next)) || next == '_' || next == '\'' || next == '"') return true;
    }
    return false;
}

bool named_placeholders(std::string& text) {
    bool changed = false;
    std::map<std::string, int> numbers;
    auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
    walk_sql_code(text, [&](size_t i) {
        const size_t n = text.size();
        if (text[i] != ':') return i + 1;
        if (i + 1 < n && text[i + 1] == ':') return i + 2;  // a cast
        const char before = i > 0 ? text[i - 1] : ' ';
        if (ident(before) || before == ':' || before == ']' || before == ')' || before == '"' || before == '\'')
            return i + 1;
        if (i + 1 < n && (text[i + 1] == '\'' || text[i + 1] == '"')) {
            text[i] = ' ';
            changed = true;
            return i + 1;
        }
        if (i + 1 >= n || !(std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_')) return i + 1;
        size_t j = i + 1;
        while (j < n && ident(text[j])) ++j;
        if (j + 1 < n && text[j] == '.' && (ident(text[j + 1]) || text[j + 1] == '"')) {
            for (size_t k = i; k <= j; ++k) text[k] = ' ';
            changed = true;
            return j + 1;
        }
        const int number = numbers.emplace(text.substr(i + 1, j - i - 1), static_cast<int>(numbers.size()) + 1).first->second;
        std::string param = std::to_string(number);
        param.insert(param.begin(), '$');
        if (param.size() > j - i) param = "$1";
        for (size_t k = i; k < j; ++k) text[k] = k - i < param.size() ? param[k - i] : ' ';
        changed = true;
        return j;
    });
    return changed;
}

// pg-promise's variables: `$(name)`, `${name}`, `$<name>`, `$[name]`, `$/name/` (a property path,
// `$(user.id)`, allowed) with an optional modifier (`:csv`, `:list`, `:json`, `:value`, `#`: a
// value or a list of values; `:name`, `:alias`, `~`: an identifier; `:raw`, `^`: SQL text), and the
// modifiers of its index variables (`$1:csv`, `$2^`). None of them is PostgreSQL syntax outside a
// string, so they are read as the driver sends them: a value becomes `$n` (one number per name), an
// identifier the name in quotes, raw text `$n` (right where a value or a condition goes; elsewhere
// the statement does not parse, like any SQL built at run time). Every offset holds.
bool has_pg_promise_variable(const std::string& text) {
    for (size_t at = text.find('$'); at != std::string::npos && at + 2 < text.size(); at = text.find('$', at + 1)) {
        const char open = text[at + 1], next = text[at + 2];
        if ((open == '(' || open == '{' || open == '<' || open == '[' || open == '/') &&
            (std::isalpha(static_cast<unsigned char>(next)) || next == '_'))
            return true;
        if (std::isdigit(static_cast<unsigned char>(open))) {
            size_t j = at + 1;
            while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
            if (j < text.size() && (text[j] == '^' || text[j] == '~' || (text[j] == ':' && j + 1 < text.size() && std::isalpha(static_cast<unsigned char>(text[j + 1])))))
                return true;
        }
    }
    return false;
}

bool pg_promise_variables(std::string& text) {
    bool changed = false;
    std::map<std::string, int> numbers;
    const size_t n = text.size();
    auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$'; };
    // A modifier at `i`: its length, and what it makes of the variable ('v' value, 'n' name).
    auto modifier = [&](size_t i, char& kind) -> size_t {
        kind = 'v';
        if (i >= n) return 0;
        if (text[i] == '^' || text[i] == '#') return 1;
        if (text[i] == '~') return kind = 'n', 1;
        if (text[i] != ':') return 0;
        size_t j = i + 1;
        while (j < n && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
        const std::string m = text.substr(i + 1, j - i - 1);
        if (m == "name" || m == "alias") kind = 'n';
        else if (m != "csv" && m != "list" && m != "json" && m != "value" && m != "raw") return 0;
        return j - i;
    };
    walk_sql_code(text, [&](size_t i) {
        if (i == 0 || text[i - 1] != '$') return i + 1;
        const size_t start = i - 1;
        // `$1:csv`, `$2^`: the index variable stays, its modifier goes.
        if (std::isdigit(static_cast<unsigned char>(text[i]))) return i + 1;  // (walk_sql_code skips `$1` itself)
        const char open = text[i];
        const char close = open == '(' ? ')' : open == '{' ? '}' : open == '<' ? '>' : open == '[' ? ']' : open == '/' ? '/' : 0;
        if (!close || i + 1 >= n || !(std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_')) return i + 1;
        size_t j = i + 1;
        while (j < n && (word(text[j]) || text[j] == '.')) ++j;
        const std::string name = text.substr(i + 1, j - i - 1);
        char kind = 'v';
        j += modifier(j, kind);
        if (j >= n || text[j] != close) return i + 1;
        const size_t end = j + 1;  // past the closer
        std::string repl;
        if (kind == 'n') {
            repl = "\"" + name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1) + "\"";
        } else {
            const int number = numbers.emplace(name, static_cast<int>(numbers.size()) + 1).first->second;
            repl = "$" + std::to_string(number);
            if (repl.size() > end - start) repl = "$1";
        }
        for (size_t k = start; k < end; ++k) text[k] = k - start < repl.size() ? repl[k - start] : ' ';
        changed = true;
        return end;
    });
    // Index variables' modifiers: `$1:csv` -> `$1    `.
    walk_sql_code(text, [&](size_t i) {
        size_t d = i;
        while (d > 0 && std::isdigit(static_cast<unsigned char>(text[d - 1]))) --d;
        if (d == i || d == 0 || text[d - 1] != '$') return i + 1;
        char kind;
        const size_t len = modifier(i, kind);
        if (!len || (text[i] == ':' && i + 1 < n && text[i + 1] == ':')) return i + 1;
        for (size_t k = i; k < i + len; ++k) text[k] = ' ';
        changed = true;
        return i + len;
    });
    return changed;
}

// pg_dump's data sections: `COPY t (...) FROM stdin;` is followed by rows, one per line, up to a
// line `\.`. They are data, not SQL: blanked (newlines kept). Returns false when there is none.
bool blank_copy_data(std::string& text) {
    bool changed = false, data = false;
    for (size_t line = 0; line < text.size();) {
        size_t end = text.find('\n', line);
        if (end == std::string::npos) end = text.size();
        if (data) {
            const bool last = text.compare(line, 2, "\\.") == 0;
            for (size_t i = line; i < end; ++i) text[i] = ' ';
            if (last) data = false;
        } else {
            std::string l;
            for (size_t i = line; i < end; ++i) l += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
            while (!l.empty() && (l.back() == ' ' || l.back() == '\r')) l.pop_back();
            if (l.rfind("copy ", 0) == 0 && l.size() > 11 && l.compare(l.size() - 11, 11, "from stdin;") == 0) data = changed = true;
        }
        line = end + 1;
    }
    return changed;
}

}  // namespace

std::string sql_code_only(const std::string& text) {
    std::string out(text.size(), ' ');
    walk_sql_code(text, [&](size_t i) {
        out[i] = text[i];
        return i + 1;
    });
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') out[i] = '\n';
    return out;
}

ParsedSql parse_sql(const std::string& original) {
    std::string marked;
    if (original.find(kBreakpoint) != std::string::npos) {
        marked = original;
        for (size_t at = marked.find(kBreakpoint); at != std::string::npos; at = marked.find(kBreakpoint, at + kBreakpoint.size()))
            marked.replace(at, 3, ";--");
    }
    if (original.find("+goose") != std::string::npos || original.find("+migrate") != std::string::npos ||
        original.find("migrate:") != std::string::npos) {
        std::string copy = marked.empty() ? original : marked;
        if (keep_up_migration(copy)) marked = std::move(copy);
    }
    if (original.find("-- name:") != std::string::npos && (original.find('@') != std::string::npos || original.find("sqlc.") != std::string::npos)) {
        std::string copy = marked.empty() ? original : marked;
        if (sqlc_parameters(copy)) marked = std::move(copy);
    }
    if (original.find("*/.") != std::string::npos) {
        std::string copy = marked.empty() ? original : marked;
        if (blank_schema_placeholders(copy)) marked = std::move(copy);
    }
    if (has_pg_promise_variable(original)) {
        std::string copy = marked.empty() ? original : marked;
        if (pg_promise_variables(copy)) marked = std::move(copy);
    }
    if (has_named_placeholder(marked.empty() ? original : marked)) {
        std::string copy = marked.empty() ? original : marked;
        if (named_placeholders(copy)) marked = std::move(copy);
    }
    if (original.find("FROM stdin;") != std::string::npos || original.find("from stdin;") != std::string::npos) {
        std::string copy = marked.empty() ? original : marked;
        if (blank_copy_data(copy)) marked = std::move(copy);
    }
    if (original.find('\\') != std::string::npos) {
        std::string copy = marked.empty() ? original : marked;
        if (blank_psql_meta_commands(copy)) marked = std::move(copy);
    }
    const std::string& text = marked.empty() ? original : marked;
    ParsedSql out;
    const auto size = static_cast<uint32_t>(text.size());
    // Fast path: the whole file parses in one call.
    {
        ParsedSql whole;
        if (parse_range(text, 0, size, whole)) return whole;
    }
    // Slow path: split into statements and parse each alone, so one broken statement costs
    // only itself. The scanner-based splitter silently drops statements that do not start with
    // a keyword, so the gaps between its ranges are parsed too when they hold any token.
    PgQuerySplitResult split = pg_query_split_with_scanner(text.c_str());
    if (split.error) {
        // Lexically broken beyond repair (e.g. an unterminated quote): report once.
        SqlParseError e;
        e.message = split.error->message ? split.error->message : "syntax error";
        e.offset = char_pos_to_byte(text, 0, split.error->cursorpos);
        out.errors.push_back(std::move(e));
        pg_query_free_split_result(split);
        return out;
    }
    uint32_t cursor = 0;
    auto handle_gap = [&](uint32_t gap_end) {
        if (gap_end > cursor && has_tokens(text, cursor, gap_end)) parse_range(text, cursor, gap_end, out);
    };
    for (int i = 0; i < split.n_stmts; ++i) {
        const auto begin = static_cast<uint32_t>(split.stmts[i]->stmt_location);
        const auto end = begin + static_cast<uint32_t>(split.stmts[i]->stmt_len);
        handle_gap(begin);
        parse_range(text, begin, end, out);
        cursor = end;
    }
    handle_gap(size);
    pg_query_free_split_result(split);
    std::stable_sort(out.statements.begin(), out.statements.end(),
                     [](const SqlStatement& a, const SqlStatement& b) { return a.offset < b.offset; });
    return out;
}

namespace {

bool ident_is(const std::string& text, const SqlToken& t, const char* word) {
    const size_t n = strlen(word);
    return t.token == PG_QUERY__TOKEN__IDENT && t.end - t.begin == n && strncasecmp(text.c_str() + t.begin, word, n) == 0;
}

// The plain SQL statements of a PL/pgSQL block body (tokens between BEGIN and its END or
// EXCEPTION): statements at the top level, and those of the first branch of an IF (`IF NOT
// EXISTS (...) THEN CREATE INDEX ...; END IF;`: the guard makes a migration idempotent, and
// after it runs the object exists either way). ELSIF/ELSE branches are alternatives and skipped.
// Each statement is parsed alone; one that is not SQL (RAISE, PERFORM, an assignment) is skipped.
void block_statements(const std::string& text, const std::vector<SqlToken>& body, ParsedSql& out) {
    int ifs = 0, skipping_from = -1;  // skipping: inside an ELSE branch of the IF at depth skipping_from
    bool at_start = true;
    uint32_t from = 0;
    int parens = 0;
    for (size_t i = 0; i < body.size(); ++i) {
        const SqlToken& t = body[i];
        if (at_start) {
            at_start = false;
            from = t.begin;
            const bool end_if = t.token == PG_QUERY__TOKEN__END_P && i + 1 < body.size() && body[i + 1].token == PG_QUERY__TOKEN__IF_P;
            if (end_if) {
                if (skipping_from == ifs) skipping_from = -1;
                --ifs;
                ++i;  // IF; the ';' that follows starts the next statement
                continue;
            }
            if (t.token == PG_QUERY__TOKEN__IF_P) {
                ++ifs;
                // The condition: up to THEN (the statement after it starts the branch).
                while (i + 1 < body.size() && body[i + 1].token != PG_QUERY__TOKEN__THEN) ++i;
                ++i;
                at_start = true;
                continue;
            }
            if (t.token == PG_QUERY__TOKEN__ELSE || ident_is(text, t, "elsif")) {
                if (skipping_from < 0) skipping_from = ifs;
                while (t.token != PG_QUERY__TOKEN__ELSE && i + 1 < body.size() && body[i + 1].token != PG_QUERY__TOKEN__THEN) ++i;
                if (t.token != PG_QUERY__TOKEN__ELSE) ++i;
                at_start = true;
                continue;
            }
        }
        if (t.token == PG_QUERY__TOKEN__ASCII_40) ++parens;
        if (t.token == PG_QUERY__TOKEN__ASCII_41) --parens;
        if (t.token == PG_QUERY__TOKEN__ASCII_59 && parens <= 0) {
            if (skipping_from < 0 && t.begin > from) {
                ParsedSql inner;
                if (parse_range(text, from, t.begin, inner))
                    for (auto& st : inner.statements) out.statements.push_back(st);
                out.adopt(std::move(inner));
            }
            parens = 0;
            at_start = true;
        }
    }
}

}  // namespace

void expand_do_block(const std::string& text, const SqlStatement& stmt, ParsedSql& out) {
    if (!stmt.node || stmt.node->node_case != PG_QUERY__NODE__NODE_DO_STMT) return;
    const auto tokens = scan_sql(text, stmt.offset, stmt.offset + stmt.length);
    for (const auto& t : tokens) {
        if (t.token != PG_QUERY__TOKEN__SCONST || text[t.begin] != '$') continue;
        const auto tag_end = text.find('$', t.begin + 1);
        if (tag_end == std::string::npos || tag_end >= t.end) return;
        const uint32_t tag_len = static_cast<uint32_t>(tag_end - t.begin + 1);
        const uint32_t body_begin = t.begin + tag_len, body_end = t.end - tag_len;
        const auto body = scan_sql(text, body_begin, body_end);
        size_t from = body.size(), to = body.size();
        for (size_t i = 0; i < body.size(); ++i) {
            const SqlToken& b = body[i];
            if (from == body.size()) {
                if (b.token == PG_QUERY__TOKEN__BEGIN_P) from = i + 1;
                continue;
            }
            if (ident_is(text, b, "exception")) { to = i; break; }
            if (b.token == PG_QUERY__TOKEN__END_P) to = i;  // the last END closes the block
        }
        if (from < to && to < body.size()) {
            // Comments are not statements (`-- add it if missing` before the IF).
            std::vector<SqlToken> inner;
            for (size_t i = from; i < to; ++i)
                if (body[i].token != PG_QUERY__TOKEN__SQL_COMMENT && body[i].token != PG_QUERY__TOKEN__C_COMMENT) inner.push_back(body[i]);
            // A body without its closing ';' still ends its last statement.
            if (!inner.empty() && inner.back().token != PG_QUERY__TOKEN__ASCII_59)
                inner.push_back({body[to].begin, body[to].begin, PG_QUERY__TOKEN__ASCII_59});
            block_statements(text, inner, out);
        }
        return;
    }
}

std::vector<std::string> leading_words(std::string_view text, size_t n) {
    std::vector<std::string> out;
    size_t i = 0;
    while (out.size() < n) {
        while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == '(' || text[i] == '\'' ||
                                   text[i] == '"' || text[i] == '`'))
            ++i;
        std::string w;
        while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_'))
            w += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
        if (w.empty()) break;
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<SqlToken> scan_sql(const std::string& text, uint32_t begin, uint32_t end) {
    std::vector<SqlToken> tokens;
    if (begin >= end || begin >= text.size()) return tokens;
    const std::string piece = text.substr(begin, end - begin);
    PgQueryScanResult r = pg_query_scan(piece.c_str());
    if (!r.error) {
        if (auto* scan = pg_query__scan_result__unpack(nullptr, r.pbuf.len,
                                                       reinterpret_cast<const uint8_t*>(r.pbuf.data))) {
            tokens.reserve(scan->n_tokens);
            for (size_t i = 0; i < scan->n_tokens; ++i) {
                const auto* t = scan->tokens[i];
                tokens.push_back({begin + static_cast<uint32_t>(t->start), begin + static_cast<uint32_t>(t->end),
                                  static_cast<int>(t->token)});
            }
            pg_query__scan_result__free_unpacked(scan, nullptr);
        }
    }
    pg_query_free_scan_result(r);
    return tokens;
}

}  // namespace querylens
