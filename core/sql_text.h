#pragma once
// Writing SQL identifiers and literals into generated text (fixes, DDL, lowered queries). Pure
// string functions: no parser needed, so every layer can use them.
#include <string>
#include <string_view>

namespace querylens {

std::string quote_ident(const std::string& ident);  // quotes only when needed
std::string quote_literal(std::string_view s);

}  // namespace querylens
