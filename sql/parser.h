#pragma once
// Thin RAII layer over libpg_query: turns a SQL file into parsed statements (protobuf nodes)
// plus parse errors, never giving up on the whole file because one statement is broken.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

namespace querylens {

struct SqlStatement {
    const PgQuery__Node* node = nullptr;  // owned by the ParsedSql that produced it
    uint32_t base = 0;    // node `location`s are relative to this byte offset in the file
    uint32_t offset = 0;  // absolute byte offset of the statement's first token
    uint32_t length = 0;  // bytes, up to (not including) the terminating ';'
};

struct SqlParseError {
    uint32_t offset = 0;  // absolute byte offset where PostgreSQL reported the error
    std::string message;
};

class ParsedSql {
public:
    std::vector<SqlStatement> statements;
    std::vector<SqlParseError> errors;

    ParsedSql() = default;
    ParsedSql(ParsedSql&&) noexcept = default;
    // Whether some statement changes the schema (not only SELECT/INSERT/UPDATE/DELETE): the file is
    // a migration, and its data statements run once.
    bool has_ddl() const;
    ParsedSql& operator=(ParsedSql&&) noexcept = default;

    // Keeps a protobuf parse result alive for as long as the statements point into it.
    void own(PgQuery__ParseResult* result);
    // Takes over the parse results `other` keeps alive (its statements stay valid).
    void adopt(ParsedSql&& other);

private:
    struct Free { void operator()(PgQuery__ParseResult* r) const; };
    std::vector<std::unique_ptr<PgQuery__ParseResult, Free>> owned_;
};

// Parses `text` (a whole file or a single SQL string). Statements come back in source order.
// Thread-safe: libpg_query keeps its memory contexts per thread.
ParsedSql parse_sql(const std::string& text);

// `text` with its comments and string literals blanked (newlines kept): what is left is code, for
// a look at which dialect a file is written in without reading its prose.
std::string sql_code_only(const std::string& text);

// For a `DO $$ BEGIN <sql>; EXCEPTION ... END $$` statement (drizzle-kit wraps foreign keys
// this way), parses the plain SQL between BEGIN and EXCEPTION/END and appends those statements
// to `out`. PL/pgSQL that is not plain SQL is skipped silently: it is not a migration error.
void expand_do_block(const std::string& text, const SqlStatement& stmt, ParsedSql& out);

// The first `n` words of SQL text, upper-cased, past blanks, an opening parenthesis or a quote
// (a literal's own): "  create index x" -> {"CREATE", "INDEX"}; fewer when the text has fewer.
// For telling a whole statement from a fragment (`now()`, `'DROP NOT NULL'`) before parsing.
std::vector<std::string> leading_words(std::string_view text, size_t n);

// Byte offsets of the lexical tokens of text[begin, end), for the few facts the parse tree does
// not keep (e.g. whether ON DELETE was written or defaulted).
struct SqlToken {
    uint32_t begin = 0, end = 0;
    int token = 0;  // PgQuery__Token
};
std::vector<SqlToken> scan_sql(const std::string& text, uint32_t begin, uint32_t end);

}  // namespace querylens
