#include "core/sql_text.h"

#include <cctype>
#include <set>

namespace querylens {

namespace {

// PostgreSQL's reserved keywords and those reserved except as function or type names (Appendix C
// of the manual): as identifiers they must be quoted (`CREATE INDEX ... ON "user" (...)`).
const std::set<std::string> kReserved = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
    "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
    "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
    "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
    "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
    "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp",
    "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing",
    "primary", "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric", "table",
    "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
    "where", "window", "with"};

}  // namespace

std::string quote_ident(const std::string& ident) {
    bool plain = !ident.empty() && (std::islower(static_cast<unsigned char>(ident[0])) || ident[0] == '_') && !kReserved.count(ident);
    for (char ch : ident)
        if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_'))
            plain = false;
    if (plain) return ident;
    std::string out = "\"";
    for (char ch : ident) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string quote_literal(std::string_view s) {
    std::string out = "'";
    for (char ch : s) {
        if (ch == '\'') out += '\'';
        out += ch;
    }
    return out + "'";
}

std::vector<std::string> name_words(const std::string& name) {
    std::vector<std::string> words(1);
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (c == '_') {
            if (!words.back().empty()) words.emplace_back();
            continue;
        }
        if (std::isupper(static_cast<unsigned char>(c)) && !words.back().empty()) words.emplace_back();
        words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (words.back().empty()) words.pop_back();
    return words;
}

bool name_has_word(const std::string& name, const std::string& word) {
    if (name == word || name.rfind(word + "_", 0) == 0) return true;
    return name.size() > word.size() + 1 && name.compare(name.size() - word.size() - 1, std::string::npos, "_" + word) == 0;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace querylens
