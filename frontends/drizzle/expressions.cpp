#include "frontends/drizzle/expressions.h"

#include <cctype>

#include <algorithm>
#include <set>

#include "core/sql_text.h"
#include "frontends/typescript/syntax.h"

namespace querylens {

namespace {
constexpr int kMaxExprDepth = 200;  // lowering recursion on expressions (and/or nesting)
}  // namespace

// `orders.userId` / `t.userId` -> the table and column.
bool DrizzleSqlWriter::column(TSNode e, const DrizzleTable*& t, const DrizzleColumn*& c) const {
    e = unwrap(e);
    t = nullptr;
    if (!is(e, "member_expression")) return false;
    t = table(field(e, "object"));
    if (!t) return false;
    c = t->column(text(field(e, "property")));
    return c != nullptr;
}

bool DrizzleSqlWriter::emit_column(TSNode e) {
    const DrizzleTable* t;
    const DrizzleColumn* c;
    if (!column(e, t, c)) {
        // `t.orgId` of a known table that has no such column (one its declaration builds in a way
        // querylens cannot read): the condition it is in cannot be judged.
        if (t && is(unwrap(e), "member_expression")) opaque_conditions = true;
        // `sq.id` where sq = db.select({ id: ... }).from(...).as('sq'): the subquery's output column.
        TSNode m = unwrap(e);
        if (!is(m, "member_expression") || !is(field(m, "object"), "identifier")) return false;
        auto sq = subqueries.find(text(field(m, "object")));
        if (sq == subqueries.end()) return false;
        emit(quoted_ident(sq->second) + "." + quoted_ident(text(field(m, "property"))), e);
        return true;
    }
    emit((unqualified_columns ? "" : t->reference() + ".") + quoted_ident(column_name(*c)), e);
    code_names.emplace(t->qualified() + "." + column_name(*c), text(unwrap(e)));
    return true;
}

void DrizzleSqlWriter::emit_table(const DrizzleTable* t, TSNode origin) {
    emit(quoted_table(t->qualified()) + (t->alias.empty() ? "" : " AS " + quoted_ident(t->alias)), origin);
    if (is(unwrap(origin), "identifier") || is(unwrap(origin), "member_expression")) code_names.emplace(t->qualified(), text(unwrap(origin)));
}

void DrizzleSqlWriter::operand(TSNode e, int depth) {
    e = unwrap(e);
    if (emit_column(e) || raw(e)) return;
    const auto t = node_type(e);
    std::string s;
    if (t == "number") return emit(number_text(e), e);
    if (t == "true" || t == "false" || t == "null") return emit(text(e), e);
    if ((t == "string") && string_value(e, src(), s)) return emit(quote_literal(s), e);
    if (TSNode tpl = sql_fragment(e); !ts_node_is_null(tpl) && depth < kMaxExprDepth) {
        // `eq(t.pk, sql\`any(${ids})\`)`: `= ANY (...)` / `ALL` / `SOME` are the comparison's own
        // syntax and take no parentheses around them.
        std::string head;
        for (char c : text(tpl))
            if (c != '`' && !std::isspace(static_cast<unsigned char>(c))) {
                if (c == '(' || head.size() == 4) break;
                head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        const bool quantified = head == "any" || head == "all" || head == "some";
        if (!quantified) emit("(", e);
        template_text(tpl, depth + 1);
        if (!quantified) emit(")", e);
        return;
    }
    if (is(e, "call_expression") && depth < kMaxExprDepth) {
        // `count().as('n')`, `countDistinct(c).mapWith(Number)`: the expression, named or mapped.
        if (TSNode fn = unwrap(field(e, "function")); is(fn, "member_expression")) {
            const std::string method = text(field(fn, "property"));
            TSNode inner = unwrap(field(fn, "object"));
            if ((method == "as" || method == "mapWith") && is(inner, "call_expression")) return operand(inner, depth + 1);
        }
        const std::string fn = callee_name(e);
        const auto a = call_args(field(e, "arguments"));
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
        // A helper applied to a column (`lower(users.email)` built by a project function): an
        // expression over the column, not a value; what it computes is unseen.
        const DrizzleTable* ct;
        const DrizzleColumn* cc;
        for (TSNode arg : a)
            if (column(arg, ct, cc)) {
                dynamic_conditions = opaque_conditions = true;
                break;
            }
    }
    param(e);
}

// The template literal of a Drizzle `sql` tag: sql`...`, sql<T>`...` (which tree-sitter-typescript
// 0.23 reads as `sql < T > template`), optionally followed by .mapWith(...) / .as(...).
TSNode DrizzleSqlWriter::sql_fragment(TSNode e) const {
    e = unwrap(e);
    if (is(e, "call_expression") && is(field(e, "arguments"), "template_string") && callee_name(e) == "sql")
        return field(e, "arguments");
    if (is(e, "call_expression")) {  // sql`...`.mapWith(Number)
        TSNode fn = unwrap(field(e, "function"));
        if (is(fn, "member_expression")) {
            TSNode obj = unwrap(field(fn, "object"));
            if (is(obj, "call_expression") || is(obj, "template_string") || is(obj, "binary_expression"))
                return is(obj, "template_string") ? TSNode{} : sql_fragment(obj);
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
            if (is(tag, "identifier") && program().imported_name(file(), tag) == "sql") return right;
        }
    }
    return TSNode{};
}

// The name a called identifier stands for (imports resolved to their exported name).
std::string DrizzleSqlWriter::callee_name(TSNode call) const {
    TSNode fn = unwrap(field(call, "function"));
    if (is(fn, "member_expression")) {  // sql.raw, sql<number>
        TSNode obj = unwrap(field(fn, "object"));
        return is(obj, "identifier") ? program().imported_name(file(), obj) + "." + text(field(fn, "property")) : "";
    }
    if (is(fn, "identifier")) return program().imported_name(file(), fn);
    if (is(fn, "generic_type")) return text(fn).substr(0, text(fn).find('<'));
    return {};
}

// The text of a template literal, `${column}` / `${table}` as SQL names, other `${}` as $n.
// A `${}` in a `sql` template: a table or column is SQL, a nested fragment is its text.
// `sql.raw('created_at DESC')`: SQL as written. `sql.raw(x)` computed at run time (marked opaque,
// so no index is advised from what is known): where an operand can stand (`${sql.raw(col)} IS NOT
// NULL`) a parameter keeps the SQL readable; right after an expression (`ORDER BY c ${sql.raw(dir)}`)
// it is a modifier and is left out.
bool DrizzleSqlWriter::raw(TSNode e) {
    e = unwrap(e);
    if (!is(e, "call_expression") || callee_name(e) != "sql.raw") return false;
    const auto a = call_args(field(e, "arguments"));
    std::string s;
    if (!a.empty() && string_value(a[0], src(), s)) {
        emit(s, e);
        return true;
    }
    opaque_conditions = true;
    const std::string& so_far = sql();
    size_t i = so_far.size();
    while (i > 0 && (so_far[i - 1] == ' ' || so_far[i - 1] == '\n' || so_far[i - 1] == '\t')) --i;
    const char before = i > 0 ? so_far[i - 1] : '(';
    const bool after_expression = std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '"' || before == ')';
    if (!after_expression) param(e);
    return true;
}

bool DrizzleSqlWriter::interpolate(TSNode v, int depth) {
    if (raw(v)) return true;
    // `sql.identifier(name)`: a quoted name; one the code computes names nothing the schema knows.
    if (is(v, "call_expression") && callee_name(v) == "sql.identifier") {
        const auto a = call_args(field(v, "arguments"));
        std::string name;
        if (a.size() == 1 && is(unwrap(a[0]), "string") && string_value(unwrap(a[0]), src(), name)) emit(quoted_ident(name), v);
        else emit(quoted_ident("(computed identifier)"), v);
        return true;
    }
    if (const DrizzleTable* t = table(v)) {
        emit_table(t, v);
        return true;
    }
    if (TSNode tpl = sql_fragment(v); !ts_node_is_null(tpl) && depth < kMaxExprDepth) {
        template_text(tpl, depth + 1);
        return true;
    }
    // A Drizzle condition in a template (`delete from ${t} using ${u} where ${and(eq(...), ...)}`):
    // its SQL, as in a .where().
    if (is(v, "call_expression") && depth < kMaxExprDepth) {
        static const std::set<std::string> conditions = {
            "eq", "ne", "gt", "gte", "lt", "lte", "like", "ilike", "notLike", "notIlike", "arrayContains", "arrayContained",
            "arrayOverlaps", "inArray", "notInArray", "isNull", "isNotNull", "between", "notBetween", "and", "or", "not",
            "exists", "notExists"};
        if (conditions.count(callee_name(v))) {
            emit("(", v);
            condition(v, depth + 1);
            emit(")", v);
            return true;
        }
    }
    if (is(v, "identifier") && depth < kMaxExprDepth) {  // const recent = sql`...`; ... WHERE ${recent}
        const TsSymbol sym = program().resolve_name(file(), text(v));
        const TSNode* value = sym.file == file() ? program().value_of(sym) : nullptr;
        if (TSNode tpl = value ? sql_fragment(*value) : TSNode{}; !ts_node_is_null(tpl)) {
            template_text(tpl, depth + 1);
            return true;
        }
    }
    return emit_column(v);
}

TSNode DrizzleSqlWriter::local_const(TSNode use, const std::string& name) const {
    TSNode scope = enclosing_function(use);
    for (int level = 0; level < 4 && !ts_node_is_null(scope); ++level) {
        TSNode found{};
        int declarations = 0;
        std::vector<TSNode> walk{scope};
        for (size_t guard = 0; !walk.empty() && guard < 20000; ++guard) {
            TSNode n = walk.back();
            walk.pop_back();
            if (is(n, "variable_declarator") && is(field(n, "name"), "identifier") && text(field(n, "name")) == name) {
                ++declarations;
                TSNode decl = ts_node_parent(n);
                const bool is_const = is(decl, "lexical_declaration") && text(decl).rfind("const", 0) == 0;
                if (is_const && ts_node_end_byte(n) <= ts_node_start_byte(use)) found = field(n, "value");
            }
            for (TSNode c : named_children(n)) walk.push_back(c);
        }
        if (declarations > 0) return declarations == 1 ? found : TSNode{};
        TSNode up = ts_node_parent(scope);
        scope = ts_node_is_null(up) ? TSNode{} : enclosing_function(up);
    }
    return TSNode{};
}

// A Drizzle condition: eq(a, b), and(...), sql`...`, ...
// The conditions an array holds: `const conds = [eq(...)]` and every `conds.push(eq(...))` in the
// function around `use` (built-up filters). Bounded walks; empty when the array is not local.
std::vector<std::pair<TSNode, bool>> DrizzleSqlWriter::array_elements(TSNode use, const std::string& name) const {
    std::vector<std::pair<TSNode, bool>> out;
    // The function that declares the array: the one around `use`, or one enclosing it (a callback
    // that spreads the conditions its outer function built: `rows.map(async (t) => ... and(...conds))`).
    TSNode scope = enclosing_function(use);
    for (int level = 0; level < 4 && !ts_node_is_null(scope); ++level) {
        bool declares = false;
        std::vector<TSNode> walk{scope};
        for (size_t guard = 0; !declares && !walk.empty() && guard < 20000; ++guard) {
            TSNode n = walk.back();
            walk.pop_back();
            declares = is(n, "variable_declarator") && text(field(n, "name")) == name;
            for (TSNode c : named_children(n)) walk.push_back(c);
        }
        if (declares) break;
        TSNode up = ts_node_parent(scope);
        scope = ts_node_is_null(up) ? TSNode{} : enclosing_function(up);
    }
    if (ts_node_is_null(scope)) return out;
    // A push under an `if` (or `&&`, `?:`) inside the scope only sometimes happens: optional.
    auto conditional = [&](TSNode n) {
        for (int guard = 0; guard < 256 && !ts_node_is_null(n) && !ts_node_eq(n, scope); ++guard) {
            const auto t = node_type(n);
            if (t == "if_statement" || t == "ternary_expression" || t == "binary_expression" || t == "switch_case" ||
                t == "for_statement" || t == "for_in_statement")
                return true;
            n = ts_node_parent(n);
        }
        return false;
    };
    std::vector<TSNode> pending{scope};
    for (size_t guard = 0; !pending.empty() && guard < 20000; ++guard) {
        TSNode n = pending.back();
        pending.pop_back();
        if (is(n, "variable_declarator") && text(field(n, "name")) == name && is(unwrap(field(n, "value")), "array")) {
            for (TSNode k : named_children(unwrap(field(n, "value")))) out.push_back({unwrap(k), false});
        } else if (is(n, "call_expression")) {
            TSNode fn = field(n, "function");
            if (is(fn, "member_expression") && text(field(fn, "object")) == name && text(field(fn, "property")) == "push") {
                const bool optional = conditional(n);
                for (TSNode k : call_args(field(n, "arguments"))) out.push_back({k, optional});
            }
        }
        for (TSNode c : named_children(n)) pending.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return ts_node_start_byte(a.first) < ts_node_start_byte(b.first); });
    return out;
}

void DrizzleSqlWriter::condition(TSNode e, int depth) {
    e = unwrap(e);
    if (depth > kMaxExprDepth) return param(e);
    if (TSNode tpl = sql_fragment(e); !ts_node_is_null(tpl)) {
        emit("(", e);
        template_text(tpl, depth + 1);
        return emit(")", e);
    }
    // `cond ? eq(...) : undefined`: an optional filter. Keep what is known; the query's conditions
    // are dynamic. `cond ? eq(t.driveId, d) : eq(t.userId, u)` chooses the filter: the statement
    // is written with the first branch (one of the two the database really runs), as the first
    // branch of a migration's IF is read.
    if (is(e, "ternary_expression")) {
        dynamic_conditions = true;
        TSNode yes = unwrap(field(e, "consequence")), no = unwrap(field(e, "alternative"));
        auto absent = [](TSNode n) { return is(n, "undefined") || is(n, "null") || is(n, "true"); };
        if (absent(no) && !absent(yes)) return condition(yes, depth + 1);
        if (absent(yes) && !absent(no)) return condition(no, depth + 1);
        auto filter = [&](TSNode n) { return is(n, "call_expression") || !ts_node_is_null(sql_fragment(n)); };
        if (filter(yes) && filter(no)) return condition(yes, depth + 1);
        return param(e);
    }
    if (is(e, "identifier")) {
        // `const match = and(eq(...), eq(...)); ... .innerJoin(t, match)`: the condition it holds.
        if (TSNode v = local_const(e, text(e)); !ts_node_is_null(v) && (is(unwrap(v), "call_expression") || !ts_node_is_null(sql_fragment(unwrap(v)))))
            return condition(v, depth + 1);
    }
    if (!is(e, "call_expression")) {
        dynamic_conditions = opaque_conditions = true;  // a condition built elsewhere: not statically known
        return param(e);
    }
    const std::string fn = callee_name(e);
    const auto a = call_args(field(e, "arguments"));
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
        // Each part, and whether it is optional (pushed under an `if`, or `cond ? x : undefined`):
        // an optional filter is written `(x OR $n IS NULL)`, so no index is built on it alone.
        std::vector<std::pair<TSNode, bool>> parts;
        for (TSNode p : a) {
            if (is(p, "undefined")) continue;
            if (is(p, "spread_element")) {  // and(...conds): the conditions the array is built from
                dynamic_conditions = true;
                const auto kids = named_children(p);
                TSNode spread = kids.empty() ? TSNode{} : unwrap(kids[0]);
                std::vector<std::pair<TSNode, bool>> elements;
                if (is(spread, "identifier")) {
                    elements = array_elements(p, text(spread));
                    // Conditions from an array this function cannot see: unknown, not absent.
                    if (elements.empty()) opaque_conditions = true;
                } else if (is(spread, "ternary_expression")) {
                    // `...(cond ? [x] : [])`: optional conditions.
                    for (TSNode side : {unwrap(field(spread, "consequence")), unwrap(field(spread, "alternative"))})
                        if (is(side, "array"))
                            for (TSNode k : named_children(side)) elements.push_back({unwrap(k), true});
                } else if (!ts_node_is_null(spread)) {
                    opaque_conditions = true;
                }
                for (const auto& [k, optional] : elements)
                    if (!is(k, "undefined")) parts.push_back({k, optional});
                continue;
            }
            parts.push_back({p, is(p, "ternary_expression")});
        }
        if (parts.empty()) return emit("TRUE", e);
        emit("(", e);
        for (size_t i = 0; i < parts.size(); ++i) {
            if (i) emit(fn == "and" ? " AND " : " OR ", parts[i].first);
            if (!parts[i].second || fn != "and") {
                condition(parts[i].first, depth + 1);
                continue;
            }
            // The query also runs without an optional part: what it cannot see there does not make
            // the rest of the filter unknown.
            const bool opaque_before = opaque_conditions;
            emit("(", parts[i].first);
            condition(parts[i].first, depth + 1);
            opaque_conditions = opaque_before;
            emit(" OR ", parts[i].first);
            param(parts[i].first);
            emit(" IS NULL)", parts[i].first);
        }
        return emit(")", e);
    }
    if (fn == "not" && a.size() == 1) {
        emit("NOT (", e);
        condition(a[0], depth + 1);
        return emit(")", e);
    }
    dynamic_conditions = opaque_conditions = true;  // a helper's condition (`installationFilter(id)`): unseen
    param(e);
}

// orderBy arguments: desc(col), asc(col), col, sql`...`.
void DrizzleSqlWriter::list_item(TSNode e) {
    // A fragment in a list is SQL text as written: `sql\`${t.c} desc nulls last\``, `sql\`1\`` (a
    // position); parentheses would change its meaning or not parse.
    if (TSNode tpl = sql_fragment(e); !ts_node_is_null(tpl)) return template_text(tpl, 1);
    operand(e);
}

std::vector<std::pair<const DrizzleColumn*, TSNode>> DrizzleSqlWriter::column_values(const DrizzleTable& t, TSNode object) const {
    std::vector<std::pair<const DrizzleColumn*, TSNode>> out;
    if (!is(unwrap(object), "object")) return out;
    for (TSNode p : named_children(unwrap(object))) {
        const bool shorthand = is(p, "shorthand_property_identifier");
        if (!shorthand && !is(p, "pair")) continue;
        std::string key = shorthand ? text(p) : text(field(p, "key"));
        if (key.size() >= 2 && (key[0] == '\'' || key[0] == '"')) key = key.substr(1, key.size() - 2);
        if (const DrizzleColumn* c = t.column(key)) out.push_back({c, shorthand ? p : unwrap(field(p, "value"))});
    }
    return out;
}

void DrizzleSqlWriter::order_item(TSNode e) {
    e = unwrap(e);
    if (is(e, "call_expression")) {
        const std::string fn = callee_name(e);
        const auto a = call_args(field(e, "arguments"));
        if ((fn == "desc" || fn == "asc") && a.size() == 1) {
            list_item(a[0]);
            return emit(fn == "desc" ? " DESC" : " ASC", e);
        }
    }
    list_item(e);
}

void DrizzleSqlWriter::count_or_param(TSNode e) {
    e = unwrap(e);
    if (is(e, "number")) emit(number_text(e), e);
    else param(e);
}

}  // namespace querylens
