#include "core/sql_text.h"

#include <cctype>

namespace querylens {

std::string quote_ident(const std::string& ident) {
    bool plain = !ident.empty() && (std::islower(static_cast<unsigned char>(ident[0])) || ident[0] == '_');
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

}  // namespace querylens
