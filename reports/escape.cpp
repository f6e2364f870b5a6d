#include "reports/escape.h"

namespace querylens {

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? ' ' : c;
        }
    }
    return out;
}

// Text from analysed code in Markdown: HTML-significant characters as entities, Markdown
// punctuation backslash-escaped, line breaks as <br>, so it can neither format nor inject.
std::string markdown_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\n': out += "<br>"; break;
            case '\r': break;
            case '|': case '\\': case '`': case '*': case '_': case '[': case ']': case '#': case '~': case '!':
                out += '\\';
                out += c;
                break;
            default:
                out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
        }
    }
    return out;
}

}  // namespace querylens
