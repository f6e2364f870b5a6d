#include "analyzer/ts_lower.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "analyzer/sql_ast.h"
#include "analyzer/schema.h"

namespace querylens {

namespace {

constexpr int kMaxResolveDepth = 24;
constexpr int kMaxExprDepth = 200;  // lowering recursion on expressions (and/or nesting)

struct Link {
    std::string name;
    TSNode member{};  // member_expression (its property is the name)
    TSNode args{};    // arguments node; null for a property access
};

// `a.b(x).c(y)` -> root `a`, links [b(x), c(y)].
TSNode flatten(TSNode expr, const std::string& src, std::vector<Link>& links) {
    TSNode cur = unwrap(expr);
    for (int guard = 0; guard < 4096; ++guard) {
        if (is(cur, "call_expression")) {
            TSNode fn = unwrap(field(cur, "function"));
            if (!is(fn, "member_expression")) break;
            links.push_back({std::string(node_text(field(fn, "property"), src)), fn, field(cur, "arguments")});
            cur = unwrap(field(fn, "object"));
        } else if (is(cur, "member_expression")) {
            links.push_back({std::string(node_text(field(cur, "property"), src)), cur, TSNode{}});
            cur = unwrap(field(cur, "object"));
        } else {
            break;
        }
    }
    std::reverse(links.begin(), links.end());
    return cur;
}

std::vector<TSNode> args_of(TSNode args) {
    std::vector<TSNode> out;
    for (TSNode a : named_children(args)) out.push_back(unwrap(a));
    return out;
}

std::string snake(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            if (i > 0) out += '_';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

std::string qident(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string qtable(const std::string& qualified) {
    const std::string schema = schema_of(qualified);
    return (schema == "public" ? std::string() : qident(schema) + ".") + qident(unqualified(qualified));
}

// The object a property of an options object holds: `{ onDelete: 'cascade' }` -> "cascade".
TSNode property(TSNode object, const std::string& src, const std::string& key) {
    if (!is(object, "object")) return TSNode{};
    for (TSNode p : named_children(object)) {
        if (is(p, "pair") && node_text(field(p, "key"), src) == key) return unwrap(field(p, "value"));
        if (is(p, "shorthand_property_identifier") && node_text(p, src) == key) return p;
    }
    return TSNode{};
}

std::string fk_action_sql(const std::string& v) {
    std::string up;
    for (char c : v) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::set<std::string> ok = {"CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"};
    return ok.count(up) ? up : std::string();
}

// The body expression of an arrow function (`() => x`, `(t) => ({...})`, `(t) => { return x; }`).
TSNode arrow_result(TSNode fn) {
    fn = unwrap(fn);
    if (!is(fn, "arrow_function") && !is(fn, "function_expression") && !is(fn, "function")) return fn;
    TSNode body = field(fn, "body");
    if (is(body, "statement_block")) {
        for (TSNode s : named_children(body))
            if (is(s, "return_statement")) {
                const auto k = named_children(s);
                return k.empty() ? TSNode{} : unwrap(k[0]);
            }
        return TSNode{};
    }
    return unwrap(body);
}

// Parameter names of a function: `(t, { eq })` -> ["t", ""].
std::vector<std::string> param_names(TSNode fn, const std::string& src) {
    std::vector<std::string> out;
    fn = unwrap(fn);
    TSNode single = field(fn, "parameter");
    if (!ts_node_is_null(single)) return {std::string(node_text(single, src))};
    for (TSNode p : named_children(field(fn, "parameters"))) {
        TSNode pat = field(p, "pattern");
        out.push_back(is(pat, "identifier") ? std::string(node_text(pat, src)) : std::string());
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names across files

TsSymbol LoweringContext::resolve_name(int file, const std::string& name, int depth) const {
    const TsFile& f = files_[file];
    auto it = f.imports.find(name);
    if (it == f.imports.end() || depth > kMaxResolveDepth) return {file, name};
    const int m = resolve_module ? resolve_module(file, it->second.module) : -1;
    if (m < 0) return {-1, it->second.module + ":" + it->second.imported};
    if (it->second.imported == "*") return {m, "*"};
    return resolve_export(m, it->second.imported, depth + 1);
}

TsSymbol LoweringContext::resolve_export(int file, const std::string& name, int depth) const {
    const TsFile& f = files_[file];
    if (depth > kMaxResolveDepth) return {file, name};
    auto it = f.exports.find(name);
    if (it != f.exports.end()) {
        if (it->second.module.empty()) return resolve_name(file, it->second.local, depth + 1);
        const int m = resolve_module ? resolve_module(file, it->second.module) : -1;
        if (m < 0) return {-1, it->second.module + ":" + it->second.imported};
        if (it->second.imported == "*") return {m, "*"};
        return resolve_export(m, it->second.imported, depth + 1);
    }
    for (const auto& mod : f.star_exports) {
        const int m = resolve_module ? resolve_module(file, mod) : -1;
        if (m < 0) continue;
        const TsSymbol s = resolve_export(m, name, depth + 1);
        const TsFile& t = files_[s.file];
        if (s.file >= 0 && (t.values.count(s.name) || t.function_by_name.count(s.name) || t.classes.count(s.name)))
            return s;
    }
    return {file, name};
}

const TSNode* LoweringContext::value_of(const TsSymbol& s) const {
    if (s.file < 0) return nullptr;
    auto it = files_[s.file].values.find(s.name);
    return it == files_[s.file].values.end() ? nullptr : &it->second;
}

// For an identifier callee: "module:name" when it is imported from a package, else its text.
std::string LoweringContext::external(int file, TSNode callee) const {
    callee = unwrap(callee);
    if (!is(callee, "identifier")) return {};
    const std::string name(node_text(callee, src(file)));
    const TsSymbol s = resolve_name(file, name);
    if (s.file < 0) {
        const size_t colon = s.name.rfind(':');
        const std::string imported = s.name.substr(colon + 1);
        return imported == "default" ? name : imported;  // import postgres from 'postgres'
    }
    return name;
}

// ---------------------------------------------------------------------------------------------
// Drizzle schema declarations

void LoweringContext::find_tables() {
    for (size_t fi = 0; fi < files_.size(); ++fi) {
        const int file = static_cast<int>(fi);
        const std::string& s = src(file);
        for (const auto& [var, value] : files_[fi].values) {
            if (!is(value, "call_expression")) continue;
            TSNode callee = unwrap(field(value, "function"));
            const auto args = args_of(field(value, "arguments"));
            const std::string fn = external(file, callee);
            if (fn == "drizzle") {
                for (TSNode a : args)
                    if (TSNode c = property(a, s, "casing"); !ts_node_is_null(c)) {
                        std::string v;
                        if (string_value(c, s, v) && v == "snake_case") snake_case_ = true;
                    }
                continue;
            }
            if (fn == "pgEnum") {
                std::string name;
                if (!args.empty() && string_value(args[0], s, name)) enums_[{file, var}] = {file, name, value};
                continue;
            }
            DrizzleTable t;
            t.symbol = {file, var};
            t.call = value;
            std::string name;
            if (args.size() < 2 || !string_value(args[0], s, name)) continue;
            if (fn == "pgTable") {
                t.name = name;
            } else if (is(callee, "identifier")) {
                // A factory made with pgTableCreator((name) => `prefix_${name}`).
                const TsSymbol sym = resolve_name(file, std::string(node_text(callee, s)));
                const TSNode* creator = value_of(sym);
                if (!creator || !is(*creator, "call_expression") ||
                    external(sym.file, field(*creator, "function")) != "pgTableCreator")
                    continue;
                const auto cargs = args_of(field(*creator, "arguments"));
                if (cargs.empty()) continue;
                const auto params = param_names(cargs[0], src(sym.file));
                TSNode body = arrow_result(cargs[0]);
                if (is(body, "template_string") && !params.empty()) {
                    const std::string& cs = src(sym.file);
                    std::string out;
                    uint32_t pos = ts_node_start_byte(body) + 1;
                    for (TSNode k : named_children(body)) {
                        if (!is(k, "template_substitution")) continue;
                        out += cs.substr(pos, ts_node_start_byte(k) - pos);
                        const auto inner = named_children(k);
                        out += (!inner.empty() && node_text(inner[0], cs) == params[0]) ? name : std::string();
                        pos = ts_node_end_byte(k);
                    }
                    out += cs.substr(pos, ts_node_end_byte(body) - 1 - pos);
                    t.name = out;
                } else {
                    t.name = name;
                }
            } else if (is(callee, "member_expression") && node_text(field(callee, "property"), s) == "table") {
                TSNode obj = unwrap(field(callee, "object"));
                const TsSymbol sym = is(obj, "identifier") ? resolve_name(file, std::string(node_text(obj, s))) : TsSymbol{};
                const TSNode* schema_call = value_of(sym);
                if (!schema_call || !is(*schema_call, "call_expression") ||
                    external(sym.file, field(*schema_call, "function")) != "pgSchema")
                    continue;
                const auto sargs = args_of(field(*schema_call, "arguments"));
                if (sargs.empty() || !string_value(sargs[0], src(sym.file), t.schema)) continue;
                t.name = name;
            } else {
                continue;
            }
            TSNode cols = arrow_result(args[1]);
            for (TSNode p : named_children(cols)) {
                if (!is(p, "pair")) continue;
                DrizzleColumn c;
                c.key = field(p, "key");
                c.property = std::string(node_text(c.key, s));
                if (c.property.size() >= 2 && (c.property[0] == '\'' || c.property[0] == '"'))
                    c.property = c.property.substr(1, c.property.size() - 2);
                c.node = unwrap(field(p, "value"));
                t.columns.push_back(std::move(c));
            }
            if (args.size() >= 3) t.extras = args[2];
            table_by_symbol_[t.symbol] = tables_.size();
            if (files_[fi].exports.count(var)) table_by_export_.emplace(var, tables_.size());
            tables_.push_back(std::move(t));
        }
    }
    // Column SQL names: explicit `varchar('user_id')`, else the property (snake_cased with casing).
    for (auto& t : tables_) {
        const std::string& s = src(t.symbol.file);
        for (auto& c : t.columns) {
            std::vector<Link> links;
            TSNode root = flatten(c.node, s, links);
            std::string name;
            if (is(root, "call_expression")) {
                const auto a = args_of(field(root, "arguments"));
                if (!a.empty() && string_value(a[0], s, name)) {
                    c.sql_name = name;
                    continue;
                }
            }
            c.sql_name = snake_case_ ? snake(c.property) : c.property;
        }
    }
    for (const auto& [var, idx] : table_by_symbol_)
        if (!table_by_export_.count(var.name)) table_by_export_.emplace(var.name, idx);
}

const DrizzleTable* LoweringContext::table_for(int file, TSNode expr,
                                               const std::map<std::string, const DrizzleTable*>* bound) const {
    expr = unwrap(expr);
    const std::string& s = src(file);
    if (is(expr, "identifier")) {
        const std::string name(node_text(expr, s));
        if (bound) {
            auto b = bound->find(name);
            if (b != bound->end()) return b->second;
        }
        auto it = table_by_symbol_.find(resolve_name(file, name));
        return it == table_by_symbol_.end() ? nullptr : &tables_[it->second];
    }
    if (is(expr, "member_expression")) {  // schema.orders with `import * as schema`
        TSNode obj = unwrap(field(expr, "object"));
        if (!is(obj, "identifier")) return nullptr;
        const TsSymbol ns = resolve_name(file, std::string(node_text(obj, s)));
        if (ns.file < 0 || ns.name != "*") return nullptr;
        auto it = table_by_symbol_.find(resolve_export(ns.file, std::string(node_text(field(expr, "property"), s))));
        return it == table_by_symbol_.end() ? nullptr : &tables_[it->second];
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// SQL text with a map back to the TypeScript

class Lowerer {
public:
    Lowerer(const LoweringContext& ctx, int file) : ctx_(ctx), file_(file), src_(ctx.src(file)) {}

    std::string sql;
    std::vector<SourceSegment> segments;
    std::map<std::string, const DrizzleTable*> bound;  // callback parameters bound to tables

    void emit(const std::string& text, TSNode origin) {
        const uint32_t at = ts_node_is_null(origin) ? default_origin_ : ts_node_start_byte(origin);
        segments.push_back({static_cast<uint32_t>(sql.size()), at, 0});
        sql += text;
    }
    void emit_linear(const std::string& text, uint32_t origin) {
        segments.push_back({static_cast<uint32_t>(sql.size()), origin, static_cast<uint32_t>(text.size())});
        sql += text;
    }
    void param(TSNode origin) { emit("$" + std::to_string(++params_), origin); }
    void set_default_origin(TSNode n) { default_origin_ = ts_node_start_byte(n); }
    std::string text(TSNode n) const { return std::string(node_text(n, src_)); }
    const std::string& src() const { return src_; }
    int file() const { return file_; }

    const DrizzleTable* table(TSNode e) const { return ctx_.table_for(file_, e, &bound); }

    // `orders.userId` / `t.userId` -> the table and column.
    bool column(TSNode e, const DrizzleTable*& t, const DrizzleColumn*& c) const {
        e = unwrap(e);
        if (!is(e, "member_expression")) return false;
        t = table(field(e, "object"));
        if (!t) return false;
        c = t->column(text(field(e, "property")));
        return c != nullptr;
    }
    bool emit_column(TSNode e) {
        const DrizzleTable* t;
        const DrizzleColumn* c;
        if (!column(e, t, c)) return false;
        emit(qtable(t->qualified()) + "." + qident(c->sql_name), e);
        code_names.emplace(t->qualified() + "." + c->sql_name, text(unwrap(e)));
        return true;
    }
    void emit_table(const DrizzleTable* t, TSNode origin) {
        emit(qtable(t->qualified()), origin);
        if (is(unwrap(origin), "identifier") || is(unwrap(origin), "member_expression")) code_names.emplace(t->qualified(), text(unwrap(origin)));
    }
    std::map<std::string, std::string> code_names;  // "public.orders" -> "ordersTable", "public.orders.user_id" -> "orders.userId"

    // A value: column, literal, sql template, or a parameter.
    void operand(TSNode e, int depth = 0) {
        e = unwrap(e);
        if (emit_column(e)) return;
        const auto t = node_type(e);
        std::string s;
        if (t == "number" || t == "true" || t == "false" || t == "null") return emit(text(e), e);
        if ((t == "string") && string_value(e, src_, s)) return emit(sqlast::quote_literal(s), e);
        if (TSNode tpl = sql_template(e); !ts_node_is_null(tpl) && depth < kMaxExprDepth) {
            emit("(", e);
            template_text(tpl, depth + 1);
            return emit(")", e);
        }
        if (is(e, "call_expression") && depth < kMaxExprDepth) {
            const std::string fn = callee_name(e);
            const auto a = args_of(field(e, "arguments"));
            static const std::set<std::string> aggs = {"count", "sum", "avg", "min", "max", "countDistinct",
                                                       "sumDistinct", "avgDistinct"};
            if (aggs.count(fn)) {
                std::string name = fn;
                bool distinct = false;
                if (name.size() > 8 && name.compare(name.size() - 8, 8, "Distinct") == 0) {
                    name.erase(name.size() - 8);
                    distinct = true;
                }
                emit(name + "(" + (distinct ? "DISTINCT " : ""), e);
                if (a.empty()) emit("*", e);
                else operand(a[0], depth + 1);
                return emit(")", e);
            }
        }
        param(e);
    }

    // The template literal of a Drizzle `sql` tag: sql`...`, sql<T>`...` (which tree-sitter-typescript
    // 0.23 reads as `sql < T > template`), optionally followed by .mapWith(...) / .as(...).
    TSNode sql_template(TSNode e) const {
        e = unwrap(e);
        if (is(e, "call_expression") && is(field(e, "arguments"), "template_string") && callee_name(e) == "sql")
            return field(e, "arguments");
        if (is(e, "call_expression")) {  // sql`...`.mapWith(Number)
            TSNode fn = unwrap(field(e, "function"));
            if (is(fn, "member_expression")) {
                TSNode obj = unwrap(field(fn, "object"));
                if (is(obj, "call_expression") || is(obj, "template_string") || is(obj, "binary_expression"))
                    return is(obj, "template_string") ? TSNode{} : sql_template(obj);
            }
        }
        if (is(e, "binary_expression")) {
            TSNode left = field(e, "left"), right = unwrap(field(e, "right"));
            if (is(right, "call_expression")) {  // sql<T>`...`.mapWith(...)
                TSNode fn = unwrap(field(right, "function"));
                if (is(fn, "member_expression")) right = unwrap(field(fn, "object"));
            }
            if (is(left, "binary_expression") && is(right, "template_string")) {
                TSNode tag = unwrap(field(left, "left"));
                if (is(tag, "identifier") && ctx_.external(file_, tag) == "sql") return right;
            }
        }
        return TSNode{};
    }
    bool is_sql_template(TSNode e) const { return !ts_node_is_null(sql_template(e)); }

    // The name a called identifier stands for (imports resolved to their exported name).
    std::string callee_name(TSNode call) const {
        TSNode fn = unwrap(field(call, "function"));
        if (is(fn, "member_expression")) {  // sql.raw, sql<number>
            TSNode obj = unwrap(field(fn, "object"));
            return is(obj, "identifier") ? ctx_.external(file_, obj) + "." + text(field(fn, "property")) : "";
        }
        if (is(fn, "identifier")) return ctx_.external(file_, fn);
        if (is(fn, "generic_type")) return text(fn).substr(0, text(fn).find('<'));
        return {};
    }

    // The text of a template literal, `${column}` / `${table}` as SQL names, other `${}` as $n.
    void template_text(TSNode tpl, int depth) {
        uint32_t pos = ts_node_start_byte(tpl) + 1;
        const uint32_t end = ts_node_end_byte(tpl) - 1;
        for (TSNode k : named_children(tpl)) {
            if (!is(k, "template_substitution")) continue;
            emit_linear(src_.substr(pos, ts_node_start_byte(k) - pos), pos);
            const auto inner = named_children(k);
            TSNode v = inner.empty() ? k : unwrap(inner[0]);
            if (const DrizzleTable* t = table(v)) emit_table(t, v);
            else if (is_sql_template(v) && depth < kMaxExprDepth) template_text(sql_template(v), depth + 1);
            else if (!emit_column(v)) param(v);
            pos = ts_node_end_byte(k);
        }
        if (end > pos) emit_linear(src_.substr(pos, end - pos), pos);
    }

    // A Drizzle condition: eq(a, b), and(...), sql`...`, ...
    void condition(TSNode e, int depth = 0) {
        e = unwrap(e);
        if (depth > kMaxExprDepth) return param(e);
        if (TSNode tpl = sql_template(e); !ts_node_is_null(tpl)) {
            emit("(", e);
            template_text(tpl, depth + 1);
            return emit(")", e);
        }
        if (!is(e, "call_expression")) return param(e);
        const std::string fn = callee_name(e);
        const auto a = args_of(field(e, "arguments"));
        static const std::map<std::string, std::string> binary = {{"eq", " = "},  {"ne", " <> "},   {"gt", " > "},
                                                                  {"gte", " >= "}, {"lt", " < "},    {"lte", " <= "},
                                                                  {"like", " LIKE "}, {"ilike", " ILIKE "},
                                                                  {"notLike", " NOT LIKE "}, {"notIlike", " NOT ILIKE "},
                                                                  {"arrayContains", " @> "}, {"arrayContained", " <@ "},
                                                                  {"arrayOverlaps", " && "}};
        if (auto it = binary.find(fn); it != binary.end() && a.size() == 2) {
            operand(a[0], depth + 1);
            emit(it->second, e);
            return operand(a[1], depth + 1);
        }
        if ((fn == "inArray" || fn == "notInArray") && a.size() == 2) {
            operand(a[0], depth + 1);
            emit(fn == "inArray" ? " IN (" : " NOT IN (", e);
            if (is(a[1], "array") && !named_children(a[1]).empty()) {
                bool first = true;
                for (TSNode v : named_children(a[1])) {
                    if (!first) emit(", ", v);
                    first = false;
                    operand(v, depth + 1);
                }
            } else {
                param(a[1]);
            }
            return emit(")", e);
        }
        if ((fn == "isNull" || fn == "isNotNull") && a.size() == 1) {
            operand(a[0], depth + 1);
            return emit(fn == "isNull" ? " IS NULL" : " IS NOT NULL", e);
        }
        if ((fn == "between" || fn == "notBetween") && a.size() == 3) {
            operand(a[0], depth + 1);
            emit(fn == "between" ? " BETWEEN " : " NOT BETWEEN ", e);
            operand(a[1], depth + 1);
            emit(" AND ", e);
            return operand(a[2], depth + 1);
        }
        if (fn == "and" || fn == "or") {
            std::vector<TSNode> parts;
            for (TSNode p : a)
                if (!is(p, "undefined")) parts.push_back(p);
            if (parts.empty()) return emit("TRUE", e);
            emit("(", e);
            for (size_t i = 0; i < parts.size(); ++i) {
                if (i) emit(fn == "and" ? " AND " : " OR ", parts[i]);
                condition(parts[i], depth + 1);
            }
            return emit(")", e);
        }
        if (fn == "not" && a.size() == 1) {
            emit("NOT (", e);
            condition(a[0], depth + 1);
            return emit(")", e);
        }
        param(e);
    }

    // orderBy arguments: desc(col), asc(col), col, sql`...`.
    void order_item(TSNode e) {
        e = unwrap(e);
        if (is(e, "call_expression")) {
            const std::string fn = callee_name(e);
            const auto a = args_of(field(e, "arguments"));
            if ((fn == "desc" || fn == "asc") && a.size() == 1) {
                operand(a[0]);
                return emit(fn == "desc" ? " DESC" : " ASC", e);
            }
        }
        operand(e);
    }

    void count_or_param(TSNode e) {
        e = unwrap(e);
        if (is(e, "number")) emit(text(e), e);
        else param(e);
    }

private:
    const LoweringContext& ctx_;
    int file_;
    const std::string& src_;
    uint32_t default_origin_ = 0;
    int params_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Schema lowering

namespace {

std::string column_type(Lowerer& w, const LoweringContext& ctx, TSNode root, const std::string& fn,
                        const std::map<TsSymbol, std::string>& enum_names) {
    const auto a = args_of(field(root, "arguments"));
    TSNode opts{};
    for (TSNode x : a)
        if (is(x, "object")) opts = x;
    auto opt_num = [&](const char* key) {
        TSNode v = property(opts, w.src(), key);
        return is(v, "number") ? w.text(v) : std::string();
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
        TSNode tz = property(opts, w.src(), "withTimezone");
        return is(tz, "true") ? "timestamptz" : "timestamp";
    }
    // A pgEnum: the column builder is the enum value itself.
    TSNode callee = unwrap(field(root, "function"));
    if (is(callee, "identifier")) {
        auto it = enum_names.find(ctx.resolve_name(w.file(), w.text(callee)));
        if (it != enum_names.end()) return qident(it->second);
    }
    return "text";
}

}  // namespace

std::vector<LoweredSql> LoweringContext::lower_schema(int pass) const {
    std::vector<LoweredSql> out;
    std::map<TsSymbol, std::string> enum_names;
    for (const auto& [sym, e] : enums_) enum_names[sym] = e.name;
    if (pass == 0) {
        for (const auto& [sym, e] : enums_) {
            Lowerer w(*this, e.file);
            w.emit("CREATE TYPE " + qident(e.name) + " AS ENUM (", e.call);
            const auto a = args_of(field(e.call, "arguments"));
            bool first = true;
            if (a.size() >= 2)
                for (TSNode v : named_children(a[1])) {
                    std::string s;
                    if (!string_value(v, src(e.file), s)) continue;
                    w.emit((first ? "" : ", ") + sqlast::quote_literal(s), v);
                    first = false;
                }
            w.emit(")", e.call);
            if (!first) out.push_back({e.file, std::move(w.sql), std::move(w.segments)});
        }
        return out;
    }
    for (const auto& t : tables_) {
        Lowerer w(*this, t.symbol.file);
        w.set_default_origin(t.call);
        const std::string& s = src(t.symbol.file);
        const std::string name = qtable(t.qualified());
        if (pass == 1) {
            w.emit("CREATE TABLE " + name + " (", t.call);
            bool first = true;
            for (const auto& c : t.columns) {
                std::vector<Link> links;
                TSNode root = flatten(c.node, s, links);
                if (!is(root, "call_expression")) continue;
                const std::string fn = external(t.symbol.file, field(root, "function"));
                std::string def = (first ? "" : ", ") + qident(c.sql_name) + " " +
                                  column_type(w, *this, root, fn, enum_names);
                first = false;
                for (const auto& l : links)
                    if (l.name == "array") def += "[]";
                w.emit(def, c.key);
                for (const auto& l : links) {
                    const auto a = args_of(l.args);
                    if (l.name == "primaryKey") w.emit(" PRIMARY KEY", l.member);
                    else if (l.name == "notNull") w.emit(" NOT NULL", l.member);
                    else if (l.name == "unique") w.emit(" UNIQUE", l.member);
                    else if (l.name == "defaultNow") w.emit(" DEFAULT now()", l.member);
                    else if (l.name == "defaultRandom") w.emit(" DEFAULT gen_random_uuid()", l.member);
                    else if (l.name == "default" && a.size() == 1) {
                        std::string v;
                        if (string_value(a[0], s, v)) w.emit(" DEFAULT " + sqlast::quote_literal(v), a[0]);
                        else if (is(a[0], "number") || is(a[0], "true") || is(a[0], "false")) w.emit(" DEFAULT " + w.text(a[0]), a[0]);
                    } else if (l.name == "references" && !a.empty()) {
                        const DrizzleTable* rt;
                        const DrizzleColumn* rc;
                        if (!w.column(arrow_result(a[0]), rt, rc)) continue;
                        std::string ref = " REFERENCES " + qtable(rt->qualified()) + " (" + qident(rc->sql_name) + ")";
                        if (a.size() >= 2) {
                            std::string v;
                            if (string_value(property(a[1], s, "onDelete"), s, v) && !fk_action_sql(v).empty())
                                ref += " ON DELETE " + fk_action_sql(v);
                            if (string_value(property(a[1], s, "onUpdate"), s, v) && !fk_action_sql(v).empty())
                                ref += " ON UPDATE " + fk_action_sql(v);
                        }
                        w.emit(ref, l.member);
                    }
                }
            }
            w.emit(")", t.call);
            out.push_back({t.symbol.file, std::move(w.sql), std::move(w.segments)});
            continue;
        }
        // pass 2: the extras callback, in the array form or the deprecated object form.
        if (ts_node_is_null(t.extras)) continue;
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
        auto column_list = [&](const std::vector<TSNode>& cols, bool with_order) {
            std::string list;
            bool ok = true;
            for (TSNode col : cols) {
                std::vector<Link> links;
                TSNode base = flatten(col, s, links);
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
                list += (list.empty() ? "" : ", ") + qident(cc->sql_name);
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
            std::vector<Link> links;
            TSNode root = flatten(item, s, links);
            if (!is(root, "call_expression")) continue;
            const std::string fn = external(t.symbol.file, field(root, "function"));
            const auto ra = args_of(field(root, "arguments"));
            std::string iname;
            if (!ra.empty()) string_value(ra[0], s, iname);
            const size_t start = w.sql.size();
            if (fn == "index" || fn == "uniqueIndex") {
                std::string cols, method, where_sql;
                bool concurrently = false;
                TSNode where{};
                for (const auto& l : links) {
                    const auto a = args_of(l.args);
                    if (l.name == "on" || l.name == "onOnly") cols = column_list(a, true);
                    if (l.name == "using" && !a.empty()) {
                        string_value(a[0], s, method);
                        cols = column_list(std::vector<TSNode>(a.begin() + 1, a.end()), true);
                    }
                    if (l.name == "concurrently") concurrently = true;
                    if (l.name == "where" && !a.empty()) where = a[0];
                }
                if (cols.empty()) continue;
                if (iname.empty()) iname = t.name + "_" + cols + "_index";
                w.emit(std::string(start ? "; " : "") + "CREATE " + (fn == "uniqueIndex" ? "UNIQUE " : "") + "INDEX " +
                           (concurrently ? "CONCURRENTLY " : "") + qident(iname) + " ON " + name +
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
                    for (TSNode c : named_children(property(cfg, s, "columns"))) cols.push_back(c);
                    string_value(property(cfg, s, "name"), s, iname);
                } else if (fn == "primaryKey") {
                    cols = ra;
                    iname.clear();
                }
                for (const auto& l : links)
                    if (l.name == "on") cols = args_of(l.args);
                const std::string list = column_list(cols, false);
                if (list.empty()) continue;
                w.emit(std::string(start ? "; " : "") + "ALTER TABLE " + name + " ADD " +
                           (iname.empty() ? "" : "CONSTRAINT " + qident(iname) + " ") +
                           (fn == "primaryKey" ? "PRIMARY KEY" : "UNIQUE") + " (" + list + ")",
                       root);
            } else if (fn == "foreignKey" && !ra.empty()) {
                std::vector<TSNode> cols, fcols;
                for (TSNode c : named_children(property(ra[0], s, "columns"))) cols.push_back(c);
                for (TSNode c : named_children(property(ra[0], s, "foreignColumns"))) fcols.push_back(c);
                string_value(property(ra[0], s, "name"), s, iname);
                if (cols.empty() || fcols.empty()) continue;
                std::vector<Link> fl;
                const DrizzleTable* ft = w.table(flatten(fcols[0], s, fl));
                const std::string list = column_list(cols, false);
                std::string flist;
                for (TSNode c : fcols) {
                    const DrizzleTable* ct;
                    const DrizzleColumn* cc;
                    if (w.column(c, ct, cc)) flist += (flist.empty() ? "" : ", ") + qident(cc->sql_name);
                }
                if (!ft || list.empty() || flist.empty()) continue;
                std::string sql = std::string(start ? "; " : "") + "ALTER TABLE " + name + " ADD " +
                                  (iname.empty() ? "" : "CONSTRAINT " + qident(iname) + " ") + "FOREIGN KEY (" + list +
                                  ") REFERENCES " + qtable(ft->qualified()) + " (" + flist + ")";
                for (const auto& l : links) {
                    const auto a = args_of(l.args);
                    std::string v;
                    if ((l.name == "onDelete" || l.name == "onUpdate") && !a.empty() && string_value(a[0], s, v) &&
                        !fk_action_sql(v).empty())
                        sql += (l.name == "onDelete" ? " ON DELETE " : " ON UPDATE ") + fk_action_sql(v);
                }
                w.emit(sql, root);
            }
        }
        if (!w.sql.empty()) out.push_back({t.symbol.file, std::move(w.sql), std::move(w.segments)});
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Calls

std::pair<int, int> LoweringContext::resolve_callee(int file, TSNode callee, const std::string& cls) const {
    callee = unwrap(callee);
    const std::string& s = src(file);
    auto fn_in = [&](int f, const std::string& name) -> std::pair<int, int> {
        if (f < 0) return {-1, -1};
        auto it = files_[f].function_by_name.find(name);
        return it == files_[f].function_by_name.end() ? std::pair<int, int>{-1, -1} : std::pair<int, int>{f, it->second};
    };
    auto method_of = [&](int f, const std::string& type, const std::string& method) -> std::pair<int, int> {
        const TsSymbol c = resolve_name(f, type);
        if (c.file < 0) return {-1, -1};
        auto it = files_[c.file].classes.find(c.name);
        if (it == files_[c.file].classes.end()) return {-1, -1};
        auto m = it->second.methods.find(method);
        return m == it->second.methods.end() ? std::pair<int, int>{-1, -1} : std::pair<int, int>{c.file, m->second};
    };
    if (is(callee, "identifier")) {
        const TsSymbol sym = resolve_name(file, std::string(node_text(callee, s)));
        return fn_in(sym.file, sym.name);
    }
    if (!is(callee, "member_expression")) return {-1, -1};
    const std::string prop(node_text(field(callee, "property"), s));
    TSNode obj = unwrap(field(callee, "object"));
    if (is(obj, "this")) return cls.empty() ? std::pair<int, int>{-1, -1} : method_of(file, cls, prop);
    if (is(obj, "member_expression") && is(unwrap(field(obj, "object")), "this") && !cls.empty()) {
        // this.leaderService.getStats(): the field's declared type names the class.
        auto c = files_[file].classes.find(cls);
        if (c == files_[file].classes.end()) return {-1, -1};
        auto t = c->second.field_types.find(std::string(node_text(field(obj, "property"), s)));
        if (t == c->second.field_types.end()) return {-1, -1};
        std::string type = t->second;
        const size_t cut = type.find_first_of("<|&[ ");
        if (cut != std::string::npos) type = type.substr(0, cut);
        return method_of(file, type, prop);
    }
    if (!is(obj, "identifier")) return {-1, -1};
    const TsSymbol sym = resolve_name(file, std::string(node_text(obj, s)));
    if (sym.file < 0) return {-1, -1};
    if (sym.name == "*") {
        const TsSymbol target = resolve_export(sym.file, prop);
        return fn_in(target.file, target.name);
    }
    if (auto r = fn_in(sym.file, sym.name + "." + prop); r.first >= 0) return r;  // object-literal method
    if (files_[sym.file].classes.count(sym.name)) return method_of(sym.file, sym.name, prop);  // static
    if (const TSNode* v = value_of(sym); v && is(*v, "new_expression")) {  // const svc = new Service()
        TSNode ctor = unwrap(field(*v, "constructor"));
        if (is(ctor, "identifier")) return method_of(sym.file, std::string(node_text(ctor, src(sym.file))), prop);
    }
    return {-1, -1};
}

// ---------------------------------------------------------------------------------------------
// Queries

namespace {

bool db_like_root(const std::string& text) {
    static const std::set<std::string> names = {"db", "tx", "trx", "database", "drizzle", "conn", "connection", "client"};
    std::string t = text;
    if (t.rfind("this.", 0) == 0) t = t.substr(5);
    std::string lower;
    for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (names.count(lower)) return true;
    return lower.size() > 2 && (lower.compare(lower.size() - 2, 2, "db") == 0 || lower.find("drizzle") != std::string::npos);
}

bool looks_like_sql(const std::string& text) {
    size_t i = 0;
    while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == '(')) ++i;
    std::string word;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    static const std::set<std::string> kw = {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE"};
    return kw.count(word) > 0;
}

}  // namespace

bool LoweringContext::lower_query(int file, const TsSite& site, std::vector<LoweredQuery>& out) const {
    const std::string& s = src(file);
    Lowerer w(*this, file);
    w.set_default_origin(site.node);
    LoweredQuery q;

    // Raw SQL text: a string literal or a template (with `${}` as parameters).
    auto raw_text = [&](TSNode arg) {
        arg = unwrap(arg);
        if (is(arg, "template_string")) {
            w.template_text(arg, 0);
            return true;
        }
        if (w.is_sql_template(arg)) {
            w.template_text(w.sql_template(arg), 0);
            return true;
        }
        std::string v;
        if (!string_value(arg, s, v)) return false;
        if (node_text(arg, s).find('\\') == std::string_view::npos) w.emit_linear(v, ts_node_start_byte(arg) + 1);
        else w.emit(v, arg);
        return true;
    };
    auto finish = [&](QueryOrigin origin, std::string api) {
        q.sql = std::move(w.sql);
        q.code_names = std::move(w.code_names);
        q.segments = std::move(w.segments);
        q.origin = origin;
        q.api = std::move(api);
        out.push_back(std::move(q));
        return true;
    };

    if (site.kind == TsSiteKind::RawCall) {
        TSNode callee = unwrap(field(site.node, "function"));
        const auto a = args_of(field(site.node, "arguments"));
        TSNode arg = a[0];
        if (is(arg, "object")) arg = property(arg, s, "text");
        if (ts_node_is_null(arg) || !raw_text(arg)) return false;
        if (!looks_like_sql(w.sql)) return false;
        return finish(QueryOrigin::RawSql, std::string(node_text(field(callee, "object"), s)) + ".query");
    }
    if (site.kind == TsSiteKind::Tagged) {
        // postgres.js: the tag is a value made by postgres(...).
        TSNode tag = unwrap(field(site.node, "function"));
        if (!is(tag, "identifier")) return false;
        const TsSymbol sym = resolve_name(file, std::string(node_text(tag, s)));
        const TSNode* v = value_of(sym);
        if (!v || !is(*v, "call_expression") || external(sym.file, field(*v, "function")) != "postgres") return false;
        w.template_text(field(site.node, "arguments"), 0);
        if (!looks_like_sql(w.sql)) return false;
        return finish(QueryOrigin::RawSql, std::string(node_text(tag, s)) + "`...`");
    }

    // Drizzle chains.
    std::vector<Link> links;
    TSNode root = flatten(site.node, s, links);
    size_t i = 0;
    while (i < links.size() && links[i].name != "select" && links[i].name != "selectDistinct" &&
           links[i].name != "selectDistinctOn" && links[i].name != "insert" && links[i].name != "update" &&
           links[i].name != "delete" && links[i].name != "execute" && links[i].name != "query")
        ++i;
    if (i >= links.size() || ts_node_is_null(root)) return false;
    std::string root_text(node_text(root, s));
    for (size_t k = 0; k < i; ++k) root_text += "." + links[k].name;
    const std::string head = links[i].name;
    const auto head_args = args_of(links[i].args);
    bool known_root = db_like_root(root_text);
    if (is(root, "identifier")) {
        const TsSymbol sym = resolve_name(file, root_text);
        if (const TSNode* v = value_of(sym); v && is(*v, "call_expression") &&
                                             external(sym.file, field(*v, "function")) == "drizzle")
            known_root = true;
    }
    // this.<field> where the class declares the field (or constructor parameter) with a Drizzle
    // database or transaction type.
    if (!known_root && root_text.rfind("this.", 0) == 0 && i == 1) {
        const std::string& cls = files_[file].functions[site.function].cls;
        auto c = files_[file].classes.find(cls);
        if (c != files_[file].classes.end()) {
            auto t = c->second.field_types.find(links[0].name);
            static const char* kTypes[] = {"Database", "Drizzle", "PgTransaction", "NodePg", "PostgresJs", "DB"};
            if (t != c->second.field_types.end())
                for (const char* k : kTypes) known_root |= t->second.find(k) != std::string::npos;
        }
    }
    for (const auto& l : links)
        if (l.name == "as" || l.name == "getSQL" || l.name == "toSQL") return false;  // a subquery / no round trip

    if (head == "execute") {
        if (!known_root || ts_node_is_null(links[i].args) || head_args.empty() || !raw_text(head_args[0])) return false;
        if (!looks_like_sql(w.sql)) return false;
        return finish(QueryOrigin::RawSql, root_text + ".execute");
    }
    if (head == "query") {
        // db.query.<table>.findMany / findFirst
        if (i + 2 >= links.size() || ts_node_is_null(links[i + 2].args)) return false;
        const std::string key = links[i + 1].name, method = links[i + 2].name;
        if (method != "findMany" && method != "findFirst") return false;
        auto it = table_by_export_.find(key);
        if (it == table_by_export_.end()) return false;
        const DrizzleTable* t = &tables_[it->second];
        const auto a = args_of(links[i + 2].args);
        TSNode opts = a.empty() ? TSNode{} : a[0];
        TSNode cols = property(opts, s, "columns");
        w.emit("SELECT ", site.node);
        bool any = false;
        if (is(cols, "object")) {
            for (TSNode p : named_children(cols)) {
                if (!is(p, "pair") || !is(unwrap(field(p, "value")), "true")) continue;
                const DrizzleColumn* c = t->column(std::string(node_text(field(p, "key"), s)));
                if (!c) continue;
                w.emit((any ? ", " : "") + qtable(t->qualified()) + "." + qident(c->sql_name), p);
                any = true;
            }
        }
        if (!any) w.emit("*", field(links[i + 2].member, "property"));
        w.emit(" FROM ", site.node);
        w.emit_table(t, field(links[i + 1].member, "property"));
        auto bind_callback = [&](TSNode fn) {
            const auto params = param_names(fn, s);
            if (!params.empty() && !params[0].empty()) w.bound[params[0]] = t;
            return arrow_result(fn);
        };
        TSNode where = property(opts, s, "where");
        if (!ts_node_is_null(where)) {
            w.emit(" WHERE ", where);
            if (is(where, "object")) {  // v2 object filters: { id: 1, status: 'open' }
                bool first = true;
                for (TSNode p : named_children(where)) {
                    if (!is(p, "pair")) continue;
                    const DrizzleColumn* c = t->column(std::string(node_text(field(p, "key"), s)));
                    if (!c) continue;
                    if (!first) w.emit(" AND ", p);
                    first = false;
                    w.emit(qtable(t->qualified()) + "." + qident(c->sql_name) + " = ", p);
                    w.operand(field(p, "value"));
                }
                if (first) w.emit("TRUE", where);
            } else {
                w.condition(bind_callback(where));
            }
        }
        TSNode order = property(opts, s, "orderBy");
        if (!ts_node_is_null(order)) {
            TSNode items = bind_callback(order);
            w.emit(" ORDER BY ", order);
            if (is(items, "array")) {
                bool first = true;
                for (TSNode k : named_children(items)) {
                    if (!first) w.emit(", ", k);
                    first = false;
                    w.order_item(k);
                }
            } else {
                w.order_item(items);
            }
        }
        TSNode limit = property(opts, s, "limit");
        if (method == "findFirst") w.emit(" LIMIT 1", field(links[i + 2].member, "property"));
        else if (!ts_node_is_null(limit)) w.emit(" LIMIT ", limit), w.count_or_param(limit);
        TSNode offset = property(opts, s, "offset");
        if (!ts_node_is_null(offset)) w.emit(" OFFSET ", offset), w.count_or_param(offset);
        return finish(QueryOrigin::DrizzleRelational, root_text + ".query." + key + "." + method);
    }

    // Builder chains.
    auto link_args = [&](size_t k) { return args_of(links[k].args); };
    if (head == "select" || head == "selectDistinct" || head == "selectDistinctOn") {
        size_t from = i + 1;
        while (from < links.size() && links[from].name != "from") ++from;
        if (from >= links.size()) return false;
        const auto fa = link_args(from);
        const DrizzleTable* t = fa.empty() ? nullptr : w.table(fa[0]);
        if (!t) return false;  // a subquery or alias(): not modelled yet
        w.emit(head == "select" ? "SELECT " : "SELECT DISTINCT ", field(links[i].member, "property"));
        TSNode fields = head_args.empty() ? TSNode{} : head_args.back();
        bool any = false;
        if (is(fields, "object")) {
            std::vector<TSNode> pending(1, fields);
            for (size_t guard = 0; !pending.empty() && guard < 1024; ++guard) {
                TSNode obj = pending.back();
                pending.pop_back();
                for (TSNode p : named_children(obj)) {
                    if (is(p, "spread_element")) {
                        // ...getTableColumns(t): every column, like SELECT t.*
                        w.emit(std::string(any ? ", " : "") + "*", p);
                        any = true;
                        continue;
                    }
                    if (!is(p, "pair")) continue;
                    TSNode v = unwrap(field(p, "value"));
                    if (is(v, "object")) {
                        pending.push_back(v);
                        continue;
                    }
                    if (any) w.emit(", ", p);
                    w.operand(v);
                    w.emit(" AS " + qident(std::string(node_text(field(p, "key"), s))), p);
                    any = true;
                }
            }
        }
        if (!any) w.emit("*", field(links[i].member, "property"));
        w.emit(" FROM ", field(links[from].member, "property"));
        w.emit_table(t, fa[0]);
        for (size_t k = i + 1; k < links.size(); ++k) {
            const auto a = link_args(k);
            const std::string& n = links[k].name;
            static const std::map<std::string, std::string> joins = {{"innerJoin", " INNER JOIN "},
                                                                     {"leftJoin", " LEFT JOIN "},
                                                                     {"rightJoin", " RIGHT JOIN "},
                                                                     {"fullJoin", " FULL JOIN "},
                                                                     {"crossJoin", " CROSS JOIN "}};
            if (auto j = joins.find(n); j != joins.end() && !a.empty()) {
                const DrizzleTable* jt = w.table(a[0]);
                w.emit(j->second, field(links[k].member, "property"));
                if (jt) w.emit_table(jt, a[0]);
                else w.emit(qident(std::string(node_text(a[0], s))), a[0]);
                if (a.size() >= 2) {
                    w.emit(" ON ", a[1]);
                    w.condition(a[1]);
                } else if (n != "crossJoin") {
                    w.emit(" ON TRUE", field(links[k].member, "property"));
                }
            }
        }
        auto clause = [&](const char* name, const char* sql, bool list, bool order) {
            for (size_t k = i + 1; k < links.size(); ++k) {
                if (links[k].name != name) continue;
                const auto a = link_args(k);
                if (a.empty()) continue;
                w.emit(sql, field(links[k].member, "property"));
                if (!list) {
                    if (std::string(name) == "where" || std::string(name) == "having") w.condition(a[0]);
                    else w.count_or_param(a[0]);
                    continue;
                }
                for (size_t x = 0; x < a.size(); ++x) {
                    if (x) w.emit(", ", a[x]);
                    if (order) w.order_item(a[x]);
                    else w.operand(a[x]);
                }
            }
        };
        clause("where", " WHERE ", false, false);
        clause("groupBy", " GROUP BY ", true, false);
        clause("having", " HAVING ", false, false);
        clause("orderBy", " ORDER BY ", true, true);
        clause("limit", " LIMIT ", false, false);
        clause("offset", " OFFSET ", false, false);
        return finish(QueryOrigin::Drizzle, root_text + "." + head);
    }
    if (head == "insert" || head == "update" || head == "delete") {
        const DrizzleTable* t = head_args.empty() ? nullptr : w.table(head_args[0]);
        if (!t) return false;
        bool returning = false;
        if (head == "insert") {
            w.emit("INSERT INTO ", field(links[i].member, "property"));
            w.emit_table(t, head_args[0]);
            w.emit(" DEFAULT VALUES", field(links[i].member, "property"));
            for (size_t k = i + 1; k < links.size(); ++k) {
                if (links[k].name != "onConflictDoUpdate" && links[k].name != "onConflictDoNothing") continue;
                const auto a = link_args(k);
                TSNode target = a.empty() ? TSNode{} : property(a[0], s, "target");
                std::vector<TSNode> cols;
                if (is(target, "array")) cols = named_children(target);
                else if (!ts_node_is_null(target)) cols.push_back(target);
                std::string list;
                for (TSNode c : cols) {
                    const DrizzleTable* ct;
                    const DrizzleColumn* cc;
                    if (w.column(c, ct, cc)) list += (list.empty() ? "" : ", ") + qident(cc->sql_name);
                }
                w.emit(" ON CONFLICT" + (list.empty() ? std::string() : " (" + list + ")") + " DO NOTHING", field(links[k].member, "property"));
            }
        } else if (head == "update") {
            w.emit("UPDATE ", field(links[i].member, "property"));
            w.emit_table(t, head_args[0]);
            w.emit(" SET ", field(links[i].member, "property"));
            bool any = false;
            for (size_t k = i + 1; k < links.size(); ++k) {
                if (links[k].name != "set") continue;
                const auto a = link_args(k);
                if (a.empty() || !is(a[0], "object")) continue;
                for (TSNode p : named_children(a[0])) {
                    std::string key = is(p, "pair") ? std::string(node_text(field(p, "key"), s))
                                      : is(p, "shorthand_property_identifier") ? std::string(node_text(p, s)) : "";
                    const DrizzleColumn* c = key.empty() ? nullptr : t->column(key);
                    if (!c) continue;
                    w.emit((any ? ", " : "") + qident(c->sql_name) + " = ", p);
                    w.param(p);
                    any = true;
                }
            }
            if (!any) w.emit(qident(t->columns.empty() ? "id" : t->columns.front().sql_name) + " = DEFAULT", field(links[i].member, "property"));
        } else {
            w.emit("DELETE FROM ", field(links[i].member, "property"));
            w.emit_table(t, head_args[0]);
        }
        for (size_t k = i + 1; k < links.size(); ++k) {
            const auto a = link_args(k);
            if (links[k].name == "where" && !a.empty() && head != "insert") {
                w.emit(" WHERE ", field(links[k].member, "property"));
                w.condition(a[0]);
            }
            if (links[k].name == "returning") returning = true;
        }
        if (returning) w.emit(" RETURNING 1", site.node);
        return finish(QueryOrigin::Drizzle, root_text + "." + head);
    }
    return false;
}

}  // namespace querylens
