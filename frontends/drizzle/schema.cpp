// Drizzle schema declarations lowered to DDL, in three named steps (enums, tables, then the
// indexes and constraints that may name other tables), read by sql/schema_builder like a migration.
#include <optional>
#include <set>

#include "core/sql_text.h"
#include "frontends/drizzle/expressions.h"
#include "frontends/typescript/syntax.h"

namespace querylens {

namespace {

std::string fk_action_sql(const std::string& v) {
    std::string up;
    for (char c : v) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::set<std::string> ok = {"CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"};
    return ok.count(up) ? up : std::string();
}

std::string column_type(DrizzleSqlWriter& w, TSNode root, const std::string& fn,
                        const std::map<TsSymbol, std::string>& enum_names) {
    const auto a = call_args(field(root, "arguments"));
    TSNode opts{};
    for (TSNode x : a)
        if (is(x, "object")) opts = x;
    auto opt_num = [&](const char* key) {
        TSNode v = object_property(opts, w.src(), key);
        return is(v, "number") ? w.number_text(v) : std::string();
    };
    static const std::map<std::string, std::string> simple = {
        {"serial", "serial"},       {"bigserial", "bigserial"}, {"smallserial", "smallserial"}, {"integer", "integer"},
        {"int", "integer"},         {"smallint", "smallint"},   {"bigint", "bigint"},           {"text", "text"},
        {"uuid", "uuid"},           {"boolean", "boolean"},     {"date", "date"},               {"time", "time"},
        {"interval", "interval"},   {"real", "real"},           {"doublePrecision", "double precision"},
        {"json", "json"},           {"jsonb", "jsonb"},         {"inet", "inet"},               {"cidr", "cidr"},
        {"macaddr", "macaddr"},     {"point", "point"},         {"line", "line"}};
    if (auto it = simple.find(fn); it != simple.end()) return it->second;
    if (fn == "varchar" || fn == "char") {
        const std::string n = opt_num("length");
        return fn + (n.empty() ? "" : "(" + n + ")");
    }
    if (fn == "numeric" || fn == "decimal") {
        const std::string p = opt_num("precision"), s = opt_num("scale");
        return "numeric" + (p.empty() ? std::string() : "(" + p + (s.empty() ? "" : "," + s) + ")");
    }
    if (fn == "timestamp") {
        TSNode tz = object_property(opts, w.src(), "withTimezone");
        return is(tz, "true") ? "timestamptz" : "timestamp";
    }
    // A pgEnum: the column builder is the enum value itself.
    TSNode callee = unwrap(field(root, "function"));
    if (is(callee, "identifier")) {
        auto it = enum_names.find(w.program().resolve_name(w.file(), w.text(callee)));
        if (it != enum_names.end()) return quoted_ident(it->second);
    }
    return "text";
}

}  // namespace

std::vector<LoweredSql> DrizzleProgram::lower_enums() const {
    std::vector<LoweredSql> out;
    for (const auto& [sym, e] : enums_) {
        DrizzleSqlWriter w(*this, e.file, schema_casing_);
        w.emit("CREATE TYPE " + quoted_ident(e.name) + " AS ENUM (", e.call);
        const auto a = call_args(field(e.call, "arguments"));
        bool first = true;
        if (a.size() >= 2)
            for (TSNode v : named_children(a[1])) {
                std::string s;
                if (!string_value(v, program_.src(e.file), s)) continue;
                w.emit((first ? "" : ", ") + quote_literal(s), v);
                first = false;
            }
        w.emit(")", e.call);
        if (!first) out.push_back({e.file, w.take_sql(), w.take_segments()});
    }
    return out;
}

std::set<std::string> DrizzleProgram::partial_tables() const {
    std::set<std::string> out;
    for (const auto& t : tables_) {
        if (!t.in_schema) continue;
        bool complete = t.columns_complete;
        for (const auto& c : t.columns) {
            std::vector<ChainLink> links;
            const int cf = c.file_or(t.symbol.file);
            TSNode root = flatten_chain(c.node, program_.src(cf), links);
            unwrap_namespace(program_, cf, root, links);
            complete &= is(root, "call_expression");
        }
        if (!complete) out.insert(t.qualified());
    }
    return out;
}

std::vector<LoweredSql> DrizzleProgram::lower_tables() const {
    std::vector<LoweredSql> out;
    std::map<TsSymbol, std::string> enum_names;
    for (const auto& [sym, e] : enums_) enum_names[sym] = e.name;
    for (const auto& t : tables_) {
        if (!t.in_schema) continue;
        DrizzleSqlWriter table_writer(*this, t.symbol.file, schema_casing_);
        table_writer.set_default_origin(t.call);
        const std::string name = quoted_table(t.qualified());
        table_writer.emit("CREATE TABLE " + name + " (", t.call);
        bool first = true;
        for (const auto& c : t.columns) {
            // A column spread from shared columns of another file is written by a writer of that
            // file (its text, its imports), then placed at the table's call.
            const int cf = c.file_or(t.symbol.file);
            std::optional<DrizzleSqlWriter> elsewhere;
            if (cf != t.symbol.file) elsewhere.emplace(*this, cf, schema_casing_);
            DrizzleSqlWriter& w = elsewhere ? *elsewhere : table_writer;
            const std::string& s = program_.src(cf);
            std::vector<ChainLink> links;
            TSNode root = flatten_chain(c.node, s, links);
            std::string fn = unwrap_namespace(program_, cf, root, links);
            if (!is(root, "call_expression")) continue;  // partial_tables() says so
            if (fn.empty()) fn = program_.imported_name(cf, field(root, "function"));
            std::string def = (first ? "" : ", ") + quoted_ident(c.sql_name(schema_casing_)) + " " +
                              column_type(w, root, fn, enum_names);
            first = false;
            for (const auto& l : links)
                if (l.name == "array") def += "[]";
            w.emit(def, c.key);
            for (const auto& l : links) {
                const auto a = call_args(l.args);
                if (l.name == "primaryKey") w.emit(" PRIMARY KEY", l.member);
                else if (l.name == "notNull") w.emit(" NOT NULL", l.member);
                else if (l.name == "unique") w.emit(" UNIQUE", l.member);
                else if (l.name == "defaultNow") w.emit(" DEFAULT now()", l.member);
                else if (l.name == "defaultRandom") w.emit(" DEFAULT gen_random_uuid()", l.member);
                else if (l.name == "default" && a.size() == 1) {
                    std::string v;
                    if (string_value(a[0], s, v)) w.emit(" DEFAULT " + quote_literal(v), a[0]);
                    else if (is(a[0], "number")) w.emit(" DEFAULT " + w.number_text(a[0]), a[0]);
                    else if (is(a[0], "true") || is(a[0], "false")) w.emit(" DEFAULT " + w.text(a[0]), a[0]);
                } else if (l.name == "references" && !a.empty()) {
                    const DrizzleTable* rt;
                    const DrizzleColumn* rc;
                    if (!w.column(arrow_result(a[0]), rt, rc)) continue;
                    // drizzle-kit names the constraint `<table>_<column>_<table>_<column>_fk` (a
                    // foreignKey() of the same name in the extras is then the same constraint).
                    const std::string fk_name = t.name + "_" + c.sql_name(schema_casing_) + "_" + rt->name + "_" + w.column_name(*rc) + "_fk";
                    std::string ref = " CONSTRAINT " + quoted_ident(fk_name) + " REFERENCES " + quoted_table(rt->qualified()) + " (" +
                                      quoted_ident(w.column_name(*rc)) + ")";
                    if (a.size() >= 2) {
                        std::string v;
                        if (string_value(object_property(a[1], s, "onDelete"), s, v) && !fk_action_sql(v).empty())
                            ref += " ON DELETE " + fk_action_sql(v);
                        if (string_value(object_property(a[1], s, "onUpdate"), s, v) && !fk_action_sql(v).empty())
                            ref += " ON UPDATE " + fk_action_sql(v);
                    }
                    w.emit(ref, l.member);
                }
            }
            if (elsewhere) table_writer.emit(elsewhere->take_sql(), t.call);
        }
        table_writer.emit(")", t.call);
        out.push_back({t.symbol.file, table_writer.take_sql(), table_writer.take_segments()});
    }
    return out;
}

// The extras callback (third pgTable argument), in the array form or the deprecated object form.
std::vector<LoweredSql> DrizzleProgram::lower_constraints() const {
    std::vector<LoweredSql> out;
    for (const auto& t : tables_) {
        if (!t.in_schema || ts_node_is_null(t.extras)) continue;
        DrizzleSqlWriter w(*this, t.symbol.file, schema_casing_);
        w.set_default_origin(t.call);
        const std::string& s = program_.src(t.symbol.file);
        const std::string name = quoted_table(t.qualified());
        const auto params = param_names(t.extras, s);
        if (!params.empty() && !params[0].empty()) w.bound[params[0]] = &t;
        TSNode result = arrow_result(t.extras);
        std::vector<TSNode> items;
        if (is(result, "array")) {
            for (TSNode k : named_children(result)) items.push_back(unwrap(k));
        } else if (is(result, "object")) {
            for (TSNode p : named_children(result))
                if (is(p, "pair")) items.push_back(unwrap(field(p, "value")));
        }
        // `plain`, when given: the column names joined by `_` (drizzle-kit's default index name).
        auto column_list = [&](const std::vector<TSNode>& cols, bool with_order, std::string* plain = nullptr) {
            std::string list;
            bool ok = true;
            for (TSNode col : cols) {
                // An expression key: `sql\`lower(${t.email})\`` is written `(lower("email"))`.
                if (!ts_node_is_null(w.sql_fragment(col))) {
                    DrizzleSqlWriter ew(*this, t.symbol.file, schema_casing_);
                    ew.bound = w.bound;
                    ew.unqualified_columns = true;
                    ew.list_item(col);
                    const std::string e = ew.take_sql();
                    if (e.empty() || ew.opaque_conditions) ok = false;
                    else list += (list.empty() ? "(" : ", (") + e + ")";
                    if (plain) *plain += (plain->empty() ? "" : "_") + std::string("expr");
                    continue;
                }
                std::vector<ChainLink> links;
                TSNode base = flatten_chain(col, s, links);
                // `t.a.desc()` flattens to root `t` with links [a, desc()].
                const DrizzleTable* ct = w.table(base);
                if (!ct || links.empty()) {
                    ok = false;
                    continue;
                }
                const DrizzleColumn* cc = ct->column(links[0].name);
                if (!cc) {
                    ok = false;
                    continue;
                }
                list += (list.empty() ? "" : ", ") + quoted_ident(w.column_name(*cc));
                if (plain) *plain += (plain->empty() ? "" : "_") + w.column_name(*cc);
                // `t.key.op('text_pattern_ops')`: the operator class comes before the order.
                for (size_t i = 1; with_order && i < links.size(); ++i) {
                    if (links[i].name != "op") continue;
                    std::string opclass;
                    const auto oa = call_args(links[i].args);
                    if (!oa.empty() && string_value(oa[0], s, opclass) && !opclass.empty() &&
                        std::all_of(opclass.begin(), opclass.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }))
                        list += " " + opclass;
                }
                if (with_order)
                    for (size_t i = 1; i < links.size(); ++i) {
                        if (links[i].name == "desc") list += " DESC";
                        if (links[i].name == "nullsFirst") list += " NULLS FIRST";
                        if (links[i].name == "nullsLast") list += " NULLS LAST";
                    }
            }
            return ok ? list : std::string();
        };
        for (TSNode item : items) {
            std::vector<ChainLink> links;
            TSNode root = flatten_chain(item, s, links);
            std::string fn = unwrap_namespace(program_, t.symbol.file, root, links);
            if (!is(root, "call_expression")) continue;
            if (fn.empty()) fn = program_.imported_name(t.symbol.file, field(root, "function"));
            const auto ra = call_args(field(root, "arguments"));
            std::string iname;
            if (!ra.empty()) string_value(ra[0], s, iname);
            const size_t start = w.size();
            if (fn == "index" || fn == "uniqueIndex") {
                std::string cols, plain, method, where_sql;
                bool concurrently = false;
                TSNode where{};
                for (const auto& l : links) {
                    const auto a = call_args(l.args);
                    if (l.name == "on" || l.name == "onOnly") plain.clear(), cols = column_list(a, true, &plain);
                    if (l.name == "using" && !a.empty()) {
                        string_value(a[0], s, method);
                        plain.clear();
                        cols = column_list(std::vector<TSNode>(a.begin() + 1, a.end()), true, &plain);
                    }
                    if (l.name == "concurrently") concurrently = true;
                    if (l.name == "where" && !a.empty()) where = a[0];
                }
                if (cols.empty()) continue;
                // drizzle-kit names an unnamed index `<table>_<col>_<col>_index`.
                if (iname.empty()) iname = t.name + "_" + plain + "_index";
                w.emit(std::string(start ? "; " : "") + "CREATE " + (fn == "uniqueIndex" ? "UNIQUE " : "") + "INDEX " +
                           (concurrently ? "CONCURRENTLY " : "") + quoted_ident(iname) + " ON " + name +
                           (method.empty() ? "" : " USING " + method) + " (" + cols + ")",
                       root);
                if (!ts_node_is_null(where)) {
                    w.emit(" WHERE ", where);
                    w.condition(where);
                }
            } else if (fn == "primaryKey" || fn == "unique") {
                std::vector<TSNode> cols;
                TSNode cfg = ra.empty() ? TSNode{} : ra[0];
                if (is(cfg, "object")) {
                    for (TSNode c : named_children(object_property(cfg, s, "columns"))) cols.push_back(c);
                    string_value(object_property(cfg, s, "name"), s, iname);
                } else if (fn == "primaryKey") {
                    cols = ra;
                    iname.clear();
                }
                for (const auto& l : links)
                    if (l.name == "on") cols = call_args(l.args);
                const std::string list = column_list(cols, false);
                if (list.empty()) continue;
                w.emit(std::string(start ? "; " : "") + "ALTER TABLE " + name + " ADD " +
                           (iname.empty() ? "" : "CONSTRAINT " + quoted_ident(iname) + " ") +
                           (fn == "primaryKey" ? "PRIMARY KEY" : "UNIQUE") + " (" + list + ")",
                       root);
            } else if (fn == "foreignKey" && !ra.empty()) {
                std::vector<TSNode> cols, fcols;
                for (TSNode c : named_children(object_property(ra[0], s, "columns"))) cols.push_back(c);
                for (TSNode c : named_children(object_property(ra[0], s, "foreignColumns"))) fcols.push_back(c);
                string_value(object_property(ra[0], s, "name"), s, iname);
                if (cols.empty() || fcols.empty()) continue;
                std::vector<ChainLink> fl;
                const DrizzleTable* ft = w.table(flatten_chain(fcols[0], s, fl));
                const std::string list = column_list(cols, false);
                std::string flist;
                for (TSNode c : fcols) {
                    const DrizzleTable* ct;
                    const DrizzleColumn* cc;
                    if (w.column(c, ct, cc)) flist += (flist.empty() ? "" : ", ") + quoted_ident(w.column_name(*cc));
                }
                if (!ft || list.empty() || flist.empty()) continue;
                std::string sql = std::string(start ? "; " : "") + "ALTER TABLE " + name + " ADD " +
                                  (iname.empty() ? "" : "CONSTRAINT " + quoted_ident(iname) + " ") + "FOREIGN KEY (" + list +
                                  ") REFERENCES " + quoted_table(ft->qualified()) + " (" + flist + ")";
                for (const auto& l : links) {
                    const auto a = call_args(l.args);
                    std::string v;
                    if ((l.name == "onDelete" || l.name == "onUpdate") && !a.empty() && string_value(a[0], s, v) &&
                        !fk_action_sql(v).empty())
                        sql += (l.name == "onDelete" ? " ON DELETE " : " ON UPDATE ") + fk_action_sql(v);
                }
                w.emit(sql, root);
            }
        }
        if (!w.empty()) out.push_back({t.symbol.file, w.take_sql(), w.take_segments()});
    }
    return out;
}


}  // namespace querylens
