#include "frontends/typescript/sql_text.h"

#include <cctype>
#include <string_view>

namespace querylens {

namespace {

// Whether SQL text ends with the keyword IN (then blanks): `... WHERE id IN `.
bool after_in(std::string_view text) {
    size_t end = text.size();
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    if (end < 2 || end == text.size()) return false;
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(text[end - 2])));
    const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(text[end - 1])));
    if (a != 'i' || b != 'n') return false;
    return end == 2 || !(std::isalnum(static_cast<unsigned char>(text[end - 3])) || text[end - 3] == '_');
}

}  // namespace

void TsSqlWriter::template_text(TSNode tpl, int depth) {
    uint32_t pos = ts_node_start_byte(tpl) + 1;
    const uint32_t end = ts_node_end_byte(tpl) - 1;
    for (TSNode k : named_children(tpl)) {
        if (!is(k, "template_substitution")) continue;
        emit_linear(src_.substr(pos, ts_node_start_byte(k) - pos), pos);
        const auto inner = named_children(k);
        TSNode v = inner.empty() ? k : unwrap(inner[0]);
        ++substitutions_;
        // `${schema}.jobs` (pg-boss, graphile-worker: the schema the code is configured with): a
        // qualifier querylens cannot know. Read the name unqualified, as the migrations that
        // create it under the same placeholder are read.
        const uint32_t after = ts_node_end_byte(k);
        const bool qualifier = after + 1 < end && src_[after] == '.' &&
                               (std::isalpha(static_cast<unsigned char>(src_[after + 1])) || src_[after + 1] == '_' || src_[after + 1] == '"');
        if (interpolate(v, depth)) {
            // a value querylens knows, written in place
        } else if (qualifier) {
            pos = after + 1;  // the dot goes with the unknown schema
            continue;
        } else {
            // `IN ${ids}`: the driver expands an array to a parenthesised list.
            if (after_in(src_.substr(pos, ts_node_start_byte(k) - pos))) {
                emit("(", v);
                param(v);
                emit(")", v);
            } else {
                param(v);
            }
        }
        pos = ts_node_end_byte(k);
    }
    if (end > pos) emit_linear(src_.substr(pos, end - pos), pos);
}

}  // namespace querylens
