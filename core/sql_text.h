#pragma once
// Writing SQL identifiers and literals into generated text (fixes, DDL, lowered queries). Pure
// string functions: no parser needed, so every layer can use them.
#include <string>
#include <string_view>

namespace querylens {

// Quotes only when needed: upper case or other characters, or a reserved keyword ("user", "order").
std::string quote_ident(const std::string& ident);
std::string quote_literal(std::string_view s);

}  // namespace querylens
