#pragma once
// Escaping text taken from analysed code (paths, messages, SQL, identifiers) for the formats that
// interpret markup. JSON and SARIF escape through nlohmann/json; text output prints as is.
#include <string>

namespace querylens {

// HTML text and attribute values: & < > " ' as entities, control characters (but newline and tab)
// as spaces.
std::string html_escape(const std::string& s);
// Markdown (GitHub): HTML-significant characters as entities, Markdown punctuation
// backslash-escaped, line breaks as <br>, so analysed text can neither format nor inject.
std::string markdown_escape(const std::string& s);

}  // namespace querylens
