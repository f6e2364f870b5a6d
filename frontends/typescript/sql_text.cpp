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

// A template's text as the tag receives it (cooked: `\'` is a quote, `\\` one backslash), written
// in runs that map one to one onto the source; each escape maps to its backslash.
void TsSqlWriter::emit_cooked(uint32_t pos, uint32_t end) {
    const std::string_view raw(src_.data() + pos, end - pos);
    size_t run = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 >= raw.size()) continue;
        if (i > run) emit_linear(std::string(raw.substr(run, i - run)), pos + static_cast<uint32_t>(run));
        const size_t at = i;
        std::string cooked;
        if (!decode_escape(raw, i, cooked)) {  // cut short: kept as written
            i = at;
            run = at;
            continue;
        }
        if (!cooked.empty()) emit_linear(cooked, pos + static_cast<uint32_t>(at));
        run = i + 1;
    }
    if (run < raw.size()) emit_linear(std::string(raw.substr(run)), pos + static_cast<uint32_t>(run));
}

// Whether a substitution ending at `after` stands as a statement of its own: only blanks and
// comments since the previous `;` (or the start), and nothing but blanks (or its `;`) after it on
// its line.
bool TsSqlWriter::whole_statement(uint32_t after, uint32_t end) const {
    uint32_t i = after;
    while (i < end && (src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\r')) ++i;
    if (i < end && src_[i] == ';') ++i;
    while (i < end && (src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\r')) ++i;
    if (i >= end || src_[i] != '\n') return false;
    // Statements follow it (a template that is one `${query}` is a query querylens cannot see,
    // not a statement among others).
    bool more = false;
    for (uint32_t j = i; j < end && !more; ++j) more = !std::isspace(static_cast<unsigned char>(src_[j]));
    std::string_view before(sql());
    for (;;) {
        while (!before.empty() && std::isspace(static_cast<unsigned char>(before.back()))) before.remove_suffix(1);
        const size_t nl = before.rfind('\n');
        std::string_view line = before.substr(nl == std::string_view::npos ? 0 : nl + 1);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
        if (line.substr(0, 2) != "--") break;
        before = before.substr(0, nl == std::string_view::npos ? 0 : nl);
    }
    return (before.empty() && more) || (!before.empty() && before.back() == ';');
}

bool TsSqlWriter::constant_text(TSNode v, std::string& out) const {
    std::string name, property;
    if (is(v, "member_expression") && is(unwrap(field(v, "object")), "identifier") && is(field(v, "property"), "property_identifier")) {
        name = text(unwrap(field(v, "object")));
        property = "." + text(field(v, "property"));
    } else if (is(v, "identifier")) {
        name = text(v);
    } else {
        return false;
    }
    const TsSymbol sym = program_.resolve_name(file_, name);
    if (sym.file < 0) return false;
    const auto& constants = program_.file(sym.file).constants;
    const auto it = constants.find(sym.name + property);
    if (it == constants.end()) return false;
    out = it->second;
    return true;
}

void TsSqlWriter::template_text(TSNode tpl, int depth, bool untagged) {
    uint32_t pos = ts_node_start_byte(tpl) + 1;
    const uint32_t end = ts_node_end_byte(tpl) - 1;
    for (TSNode k : named_children(tpl)) {
        if (!is(k, "template_substitution")) continue;
        emit_cooked(pos, ts_node_start_byte(k));
        const auto inner = named_children(k);
        TSNode v = inner.empty() ? k : unwrap(inner[0]);
        ++substitutions_;
        // `${schema}.jobs` (pg-boss, graphile-worker: the schema the code is configured with): a
        // qualifier querylens cannot know. Read the name unqualified, as the migrations that
        // create it under the same placeholder are read.
        const uint32_t after = ts_node_end_byte(k);
        const bool qualifier = after + 1 < end && src_[after] == '.' &&
                               (std::isalpha(static_cast<unsigned char>(src_[after + 1])) || src_[after + 1] == '_' || src_[after + 1] == '"');
        std::string constant;
        if (untagged && constant_text(v, constant)) {
            emit(constant, v);  // JavaScript splices the constant's text, as written
        } else if (whole_statement(after, end) && interpolate(v, depth)) {
            // SQL a constant holds, standing as a statement of its own: written in place
        } else if (whole_statement(after, end)) {
            // `${alterColumnsIfExist("region", [...])}` on its own line between statements: SQL
            // built at run time. Nothing is written for it (a parameter there would make the
            // statements around it unreadable); the place is kept for a diagnostic.
            runtime_statements_.push_back(ts_node_start_byte(k));
        } else if (interpolate(v, depth)) {
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
    if (end > pos) emit_cooked(pos, end);
}

}  // namespace querylens
