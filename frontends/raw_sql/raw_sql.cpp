#include "frontends/raw_sql/raw_sql.h"

#include <cctype>
#include <set>

#include "frontends/typescript/syntax.h"

namespace querylens {

bool looks_like_sql(const std::string& text) {
    size_t i = 0;
    while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == '(')) ++i;
    std::string word;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    static const std::set<std::string> kw = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE"};
    return kw.count(word) > 0;
}

bool write_sql_text(TsSqlWriter& w, TSNode arg) {
    arg = unwrap(arg);
    if (is(arg, "template_string")) {  // untagged: `${}` is string concatenation
        w.template_text(arg, 0, true);
        return true;
    }
    if (TSNode tpl = w.sql_fragment(arg); !ts_node_is_null(tpl)) {
        w.template_text(tpl);
        return true;
    }
    std::string v;
    if (!string_value(arg, w.src(), v)) return false;
    if (node_text(arg, w.src()).find('\\') == std::string_view::npos) w.emit_linear(v, ts_node_start_byte(arg) + 1);
    else w.emit(v, arg);
    return true;
}

bool lower_raw_call(TsSqlWriter& w, const TsSite& site, RawSqlQuery& out) {
    TSNode callee = unwrap(field(site.node, "function"));
    const auto a = call_args(field(site.node, "arguments"));
    TSNode arg = a[0];
    if (is(arg, "object")) arg = object_property(arg, w.src(), "text");
    if (ts_node_is_null(arg) || !write_sql_text(w, arg) || !looks_like_sql(w.sql())) return false;
    out.api = w.text(field(callee, "object")) + "." + w.text(field(callee, "property"));
    return true;
}

bool lower_postgres_js(TsSqlWriter& w, const TsSite& site, RawSqlQuery& out) {
    // postgres.js: the tag is a value made by postgres(...).
    TSNode tag = unwrap(field(site.node, "function"));
    if (!is(tag, "identifier")) return false;
    const TsProgram& program = w.program();
    const TsSymbol sym = program.resolve_name(w.file(), w.text(tag));
    const TSNode* v = program.value_of(sym);
    if (!v || !program.calls(sym.file, *v, "postgres")) return false;
    w.template_text(field(site.node, "arguments"));
    if (!looks_like_sql(w.sql())) return false;
    out.api = w.text(tag) + "`...`";
    return true;
}

}  // namespace querylens
