#pragma once
// Writing SQL identifiers and literals into generated text (fixes, DDL, lowered queries). Pure
// string functions: no parser needed, so every layer can use them.
#include <string>
#include <vector>
#include <string_view>

namespace querylens {

// Quotes only when needed: upper case or other characters, or a reserved keyword ("user", "order").
std::string quote_ident(const std::string& ident);
// Whether a snake_case name is `word` or has it as its first or last part: `content`,
// `content_html` and `raw_content` all name content.
bool name_has_word(const std::string& name, const std::string& word);
// The lower-case words of an identifier, split on `_` and camelCase: "deletedAt" -> {deleted, at},
// "billing_entity_id" -> {billing, entity, id}.
std::vector<std::string> name_words(const std::string& name);
std::string quote_literal(std::string_view s);
// `s` without leading and trailing blanks.
std::string_view trim(std::string_view s);

}  // namespace querylens
