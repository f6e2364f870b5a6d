// Drizzle query-builder chains lowered to SQL: select (fields, joins, where, groupBy, having,
// orderBy, limit, offset), insert (with onConflict targets), update, delete, and db.execute. The
// head method of a chain picks its lowering from one table (kChains).
#include <algorithm>
#include <cctype>
#include <set>

#include "core/sql_text.h"
#include "frontends/drizzle/chain.h"
#include "frontends/raw_sql/raw_sql.h"

namespace querylens {

namespace drizzle {

namespace {

// The `const name = <chain>.as('alias')` that `id` names in the function around `use`: the chain's
// value node and the alias. Null when `id` is not such a subquery.
TSNode subquery_of(const Chain& c, TSNode use, const std::string& id, std::string& alias) {
    TSNode scope = enclosing_function(use);
    std::vector<TSNode> pending{scope};
    for (size_t guard = 0; !pending.empty() && guard < 20000; ++guard) {
        TSNode n = pending.back();
        pending.pop_back();
        if (is(n, "variable_declarator") && node_text(field(n, "name"), c.src()) == id) {
            TSNode value = unwrap(field(n, "value"));
            if (is(value, "await_expression")) return TSNode{};
            std::vector<ChainLink> links;
            flatten_chain(value, c.src(), links);
            if (links.empty() || links.back().name != "as") return TSNode{};
            const auto a = call_args(links.back().args);
            if (a.empty() || !string_value(a[0], c.src(), alias)) return TSNode{};
            return value;
        }
        for (TSNode ch : named_children(n)) pending.push_back(ch);
    }
    return TSNode{};
}

// FROM / JOIN source: a table, or a `.as()` subquery written inline as `(SELECT ...) AS "alias"`.
bool emit_source(const Chain& c, DrizzleSqlWriter& w, TSNode arg, int depth) {
    if (const DrizzleTable* t = w.table(arg)) {
        w.emit_table(t, arg);
        return true;
    }
    TSNode a = unwrap(arg);
    std::string alias;
    TSNode value = is(a, "identifier") && depth < 4 ? subquery_of(c, c.site.node, std::string(node_text(a, c.src())), alias) : TSNode{};
    if (ts_node_is_null(value)) return false;
    Chain sub{c.drizzle, c.file, c.site, {}, {}, 0, c.root_text, c.known_handle};
    sub.root = flatten_chain(value, c.src(), sub.links);
    while (sub.head < sub.links.size() && sub.links[sub.head].name.rfind("select", 0) != 0) ++sub.head;
    if (sub.head >= sub.links.size()) return false;
    LoweredQuery ignored;
    w.emit("(", a);
    if (!lower_select(sub, w, ignored)) return false;
    w.emit(") AS " + quoted_ident(alias), a);
    w.subqueries[std::string(node_text(a, c.src()))] = alias;
    return true;
}

}  // namespace

bool lower_select(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out) {
    size_t from = c.head + 1;
    while (from < c.links.size() && c.links[from].name != "from") ++from;
    if (from >= c.links.size()) return false;
    const auto fa = c.args(from);
    if (fa.empty()) return false;
    const DrizzleTable* t = w.table(fa[0]);
    std::string sq_alias;
    if (!t && ts_node_is_null(subquery_of(c, c.site.node, std::string(node_text(unwrap(fa[0]), c.src())), sq_alias)))
        return false;  // neither a table nor a subquery we can read
    // Subqueries joined or selected from are named by their alias everywhere, the SELECT list included.
    for (size_t k = from; k < c.links.size(); ++k) {
        const std::string& n = c.links[k].name;
        if (n != "from" && (n.size() < 4 || n.compare(n.size() - 4, 4, "Join") != 0)) continue;
        const auto a = c.args(k);
        std::string alias;
        if (!a.empty() && is(unwrap(a[0]), "identifier") && !w.table(a[0]) &&
            !ts_node_is_null(subquery_of(c, c.site.node, std::string(node_text(unwrap(a[0]), c.src())), alias)))
            w.subqueries[std::string(node_text(unwrap(a[0]), c.src()))] = alias;
    }
    w.emit(c.head_name() == "select" ? "SELECT " : "SELECT DISTINCT ", field(c.links[c.head].member, "property"));
    TSNode fields = c.args(c.head).empty() ? TSNode{} : c.args(c.head).back();
    // A field map kept in a constant of this file (`const detailColumns = { ... }`): read it.
    if (is(unwrap(fields), "identifier")) {
        const TsSymbol sym = c.drizzle.program().resolve_name(c.file, std::string(node_text(unwrap(fields), c.src())));
        const TSNode* v = sym.file == c.file ? c.drizzle.program().value_of(sym) : nullptr;
        if (v && is(unwrap(*v), "object")) fields = unwrap(*v);
    }
    bool any = false;
    if (!ts_node_is_null(fields) && !is(fields, "object")) {
        // A field map querylens cannot see (built elsewhere, imported, computed): not every column.
        // getTableColumns(t) is every column of t.
        TSNode call = unwrap(fields);
        const auto ca = is(call, "call_expression") ? call_args(field(call, "arguments")) : std::vector<TSNode>{};
        const DrizzleTable* all_of = !ca.empty() && node_text(unwrap(field(call, "function")), c.src()) == "getTableColumns" ? w.table(ca[0]) : nullptr;
        w.emit(all_of ? all_of->reference() + ".*" : std::string("NULL AS \"fields\""), fields);
        any = true;
    } else if (is(fields, "object")) {
        std::vector<TSNode> pending(1, fields);
        for (size_t guard = 0; !pending.empty() && guard < 1024; ++guard) {
            TSNode obj = pending.back();
            pending.pop_back();
            for (TSNode p : named_children(obj)) {
                if (is(p, "spread_element")) {
                    // ...getTableColumns(t): every column of t, `"t".*` (a bare * would take the
                    // joined tables' columns too, and break a GROUP BY on t's key).
                    std::string star = "*";
                    if (named_children(p).size() == 1) {
                        TSNode call = unwrap(named_children(p)[0]);
                        const auto ca = is(call, "call_expression") ? call_args(field(call, "arguments")) : std::vector<TSNode>{};
                        if (!ca.empty())
                            if (const DrizzleTable* st = w.table(ca[0])) star = st->reference() + ".*";
                    }
                    w.emit(std::string(any ? ", " : "") + star, p);
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
                w.emit(" AS " + quoted_ident(std::string(node_text(field(p, "key"), c.src()))), p);
                any = true;
            }
        }
    }
    if (!any) w.emit("*", field(c.links[c.head].member, "property"));
    w.emit(" FROM ", field(c.links[from].member, "property"));
    if (!emit_source(c, w, fa[0], 0)) return false;
    for (size_t k = c.head + 1; k < c.links.size(); ++k) {
        const auto a = c.args(k);
        const std::string& n = c.links[k].name;
        static const std::map<std::string, std::string> joins = {{"innerJoin", " INNER JOIN "},
                                                                 {"leftJoin", " LEFT JOIN "},
                                                                 {"rightJoin", " RIGHT JOIN "},
                                                                 {"fullJoin", " FULL JOIN "},
                                                                 {"crossJoin", " CROSS JOIN "}};
        if (auto j = joins.find(n); j != joins.end() && !a.empty()) {
            w.emit(j->second, field(c.links[k].member, "property"));
            // Not a table or subquery we can read (a view, an unresolved import): named as written,
            // and rules abstain on a relation the schema does not know.
            // Its columns cannot be read either: the conditions that name them are unknown.
            if (!emit_source(c, w, a[0], 0)) {
                w.emit(quoted_ident(std::string(node_text(a[0], c.src()))), a[0]);
                w.dynamic_conditions = w.opaque_conditions = true;
            }
            if (a.size() >= 2) {
                w.emit(" ON ", a[1]);
                w.condition(a[1]);
            } else if (n != "crossJoin") {
                w.emit(" ON TRUE", field(c.links[k].member, "property"));
            }
        }
    }
    auto clause = [&](const char* name, const char* sql, bool list, bool order) {
        for (size_t k = c.head + 1; k < c.links.size(); ++k) {
            if (c.links[k].name != name) continue;
            const auto a = c.args(k);
            if (a.empty()) continue;
            w.emit(sql, field(c.links[k].member, "property"));
            if (!list) {
                if (std::string(name) == "where" || std::string(name) == "having") w.condition(a[0]);
                else w.count_or_param(a[0]);
                continue;
            }
            for (size_t x = 0; x < a.size(); ++x) {
                if (x) w.emit(", ", a[x]);
                if (order) w.order_item(a[x]);
                else w.list_item(a[x]);
            }
        }
    };
    clause("where", " WHERE ", false, false);
    clause("groupBy", " GROUP BY ", true, false);
    clause("having", " HAVING ", false, false);
    clause("orderBy", " ORDER BY ", true, true);
    clause("limit", " LIMIT ", false, false);
    clause("offset", " OFFSET ", false, false);
    out.frontend = "drizzle";
    out.api = c.root_text + "." + c.head_name();
    out.fix_style = &drizzle_builder_fix_style();
    return true;
}

bool lower_mutation(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out) {
    const DrizzleTable* t = c.args(c.head).empty() ? nullptr : w.table(c.args(c.head)[0]);
    if (!t) return false;
    bool returning = false;
    if (c.head_name() == "insert") {
        w.emit("INSERT INTO ", field(c.links[c.head].member, "property"));
        w.emit_table(t, c.args(c.head)[0]);
        // .values({ ... }) with literal keys: those columns; rows built elsewhere: DEFAULT VALUES.
        std::vector<std::pair<const DrizzleColumn*, TSNode>> row;
        for (size_t k = c.head + 1; k < c.links.size() && row.empty(); ++k) {
            const auto a = c.args(k);
            if (c.links[k].name != "values" || a.empty()) continue;
            TSNode first = is(a[0], "array") && !named_children(a[0]).empty() ? unwrap(named_children(a[0])[0]) : a[0];
            row = w.column_values(*t, first);
        }
        if (row.empty()) {
            w.emit(" DEFAULT VALUES", field(c.links[c.head].member, "property"));
        } else {
            std::string cols;
            for (const auto& [col, v] : row) cols += (cols.empty() ? "" : ", ") + quoted_ident(w.column_name(*col));
            w.emit(" (" + cols + ") VALUES (", field(c.links[c.head].member, "property"));
            for (size_t i = 0; i < row.size(); ++i) {
                if (i) w.emit(", ", row[i].second);
                w.operand(row[i].second);
            }
            w.emit(")", field(c.links[c.head].member, "property"));
        }
        for (size_t k = c.head + 1; k < c.links.size(); ++k) {
            if (c.links[k].name != "onConflictDoUpdate" && c.links[k].name != "onConflictDoNothing") continue;
            const auto a = c.args(k);
            TSNode target = a.empty() ? TSNode{} : object_property(a[0], c.src(), "target");
            std::vector<TSNode> cols;
            if (is(target, "array")) cols = named_children(target);
            else if (!ts_node_is_null(target)) cols.push_back(target);
            std::string list;
            for (TSNode col : cols) {
                const DrizzleTable* ct;
                const DrizzleColumn* cc;
                if (w.column(col, ct, cc)) list += (list.empty() ? "" : ", ") + quoted_ident(w.column_name(*cc));
            }
            const auto set = c.links[k].name == "onConflictDoUpdate" && !a.empty()
                                 ? w.column_values(*t, object_property(a[0], c.src(), "set"))
                                 : std::vector<std::pair<const DrizzleColumn*, TSNode>>{};
            TSNode at = field(c.links[k].member, "property");
            w.emit(" ON CONFLICT" + (list.empty() ? std::string() : " (" + list + ")"), at);
            // The target's predicate, which a partial unique index needs repeated:
            // onConflictDoNothing({ target, where }), onConflictDoUpdate({ target, targetWhere }).
            TSNode target_where = a.empty() || list.empty() ? TSNode{}
                                  : object_property(a[0], c.src(), c.links[k].name == "onConflictDoNothing" ? "where" : "targetWhere");
            if (!ts_node_is_null(target_where)) {
                w.emit(" WHERE ", at);
                w.condition(target_where);
            }
            w.emit(set.empty() ? " DO NOTHING" : " DO UPDATE SET ", at);
            for (size_t i = 0; i < set.size(); ++i) {
                w.code_names.emplace(t->qualified() + "." + w.column_name(*set[i].first), "." + set[i].first->property);
                w.emit((i ? ", " : "") + quoted_ident(w.column_name(*set[i].first)) + " = ", set[i].second);
                w.operand(set[i].second);
            }
        }
    } else if (c.head_name() == "update") {
        w.emit("UPDATE ", field(c.links[c.head].member, "property"));
        w.emit_table(t, c.args(c.head)[0]);
        w.emit(" SET ", field(c.links[c.head].member, "property"));
        bool any = false;
        for (size_t k = c.head + 1; k < c.links.size(); ++k) {
            if (c.links[k].name != "set") continue;
            const auto a = c.args(k);
            if (a.empty() || !is(a[0], "object")) continue;
            for (const auto& [col, v] : w.column_values(*t, a[0])) {
                // The property written, for fixes in the code's names (".reservedAt").
                w.code_names.emplace(t->qualified() + "." + w.column_name(*col), "." + col->property);
                w.emit((any ? ", " : "") + quoted_ident(w.column_name(*col)) + " = ", v);
                w.operand(v);
                any = true;
            }
        }
        if (!any) w.emit(quoted_ident(t->columns.empty() ? "id" : w.column_name(t->columns.front())) + " = DEFAULT", field(c.links[c.head].member, "property"));
    } else {
        w.emit("DELETE FROM ", field(c.links[c.head].member, "property"));
        w.emit_table(t, c.args(c.head)[0]);
    }
    for (size_t k = c.head + 1; k < c.links.size(); ++k) {
        const auto a = c.args(k);
        if (c.links[k].name == "where" && !a.empty() && c.head_name() != "insert") {
            w.emit(" WHERE ", field(c.links[k].member, "property"));
            w.condition(a[0]);
        }
        if (c.links[k].name == "returning") returning = true;
    }
    if (returning) w.emit(" RETURNING 1", c.site.node);
    out.frontend = "drizzle";
    out.api = c.root_text + "." + c.head_name();
    out.fix_style = &drizzle_builder_fix_style();
    return true;
}

bool lower_execute(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out) {
    if (!c.known_handle || ts_node_is_null(c.links[c.head].args) || c.args(c.head).empty() || !write_sql_text(w, c.args(c.head)[0])) return false;
    if (!looks_like_sql(w.sql())) return false;
    out.frontend = "raw-sql";
    out.api = c.root_text + ".execute";
    return true;
}

}  // namespace drizzle

namespace {

using ChainLowering = bool (*)(const drizzle::Chain&, DrizzleSqlWriter&, LoweredQuery&);
struct ChainKind {
    const char* head;
    ChainLowering lower;
};
constexpr ChainKind kChains[] = {
    {"select", drizzle::lower_select},   {"selectDistinct", drizzle::lower_select},
    {"selectDistinctOn", drizzle::lower_select}, {"insert", drizzle::lower_mutation},
    {"update", drizzle::lower_mutation}, {"delete", drizzle::lower_mutation},
    {"execute", drizzle::lower_execute}, {"query", drizzle::lower_relational},
};

ChainLowering chain_lowering(const std::string& head) {
    for (const auto& k : kChains)
        if (head == k.head) return k.lower;
    return nullptr;
}

// Names people give database handles, when nothing better is known.
bool db_like_root(const std::string& text) {
    static const std::set<std::string> names = {"db", "tx", "trx", "database", "drizzle", "conn", "connection", "client"};
    std::string t = text;
    if (t.rfind("this.", 0) == 0) t = t.substr(5);
    std::string lower;
    for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (names.count(lower)) return true;
    return lower.size() > 2 && (lower.compare(lower.size() - 2, 2, "db") == 0 || lower.find("drizzle") != std::string::npos);
}

// A select used as a subquery (`exists(sub)`, `inArray(col, sub)`, directly or through a const in
// the same function) is part of another statement, not a round trip of its own.
bool used_as_subquery(const TsProgram& program, int file, TSNode chain) {
    static const std::set<std::string> kTakesSubquery = {"exists", "notExists", "inArray", "notInArray"};
    auto takes_subquery = [&](TSNode call) {
        return is(call, "call_expression") && kTakesSubquery.count(program.imported_name(file, field(call, "function")));
    };
    TSNode parent = ts_node_parent(chain);
    if (is(parent, "arguments") && takes_subquery(ts_node_parent(parent))) return true;
    if (!is(parent, "variable_declarator")) return false;
    const std::string& src = program.src(file);
    const std::string name(node_text(field(parent, "name"), src));
    TSNode scope = enclosing_function(parent);
    std::vector<TSNode> pending{scope};
    for (size_t guard = 0; !pending.empty() && guard < 20000; ++guard) {
        TSNode n = pending.back();
        pending.pop_back();
        if (takes_subquery(n))
            for (TSNode a : call_args(field(n, "arguments")))
                if (is(a, "identifier") && node_text(a, src) == name) return true;
        for (TSNode c : named_children(n)) pending.push_back(c);
    }
    return false;
}

// `let q = db.select().from(t).$dynamic(); if (x) q = q.where(...); return q.limit(10);`: the
// clauses later statements of the function add to the dynamic query, in source order (the first
// of each kind kept). Sets `conditional` when a WHERE is added under a condition.
void dynamic_continuations(const TsProgram& program, int file, TSNode chain, std::vector<ChainLink>& links, bool& conditional) {
    TSNode decl = ts_node_parent(chain);
    if (!is(decl, "variable_declarator") || !is(field(decl, "name"), "identifier")) return;
    const std::string& src = program.src(file);
    const std::string name(node_text(field(decl, "name"), src));
    TSNode scope = enclosing_function(decl);
    std::set<std::string> seen;
    for (const auto& l : links) seen.insert(l.name);
    // Outermost call chains rooted at `name`, in source order.
    std::vector<TSNode> pending{scope};
    std::vector<TSNode> uses;
    for (size_t guard = 0; !pending.empty() && guard < 20000; ++guard) {
        TSNode n = pending.back();
        pending.pop_back();
        if (is(n, "call_expression") && !is(ts_node_parent(n), "member_expression") && ts_node_start_byte(n) > ts_node_end_byte(chain)) {
            std::vector<ChainLink> more;
            TSNode root = flatten_chain(n, src, more);
            if (is(root, "identifier") && node_text(root, src) == name) {
                uses.push_back(n);
                continue;
            }
        }
        const auto kids = named_children(n);
        for (auto it = kids.rbegin(); it != kids.rend(); ++it) pending.push_back(*it);
    }
    for (TSNode use : uses) {
        std::vector<ChainLink> more;
        flatten_chain(use, src, more);
        bool guarded = false;
        for (TSNode p = ts_node_parent(use); !ts_node_is_null(p) && !ts_node_eq(p, scope); p = ts_node_parent(p))
            if (is(p, "if_statement") || is(p, "ternary_expression") || is(p, "switch_case") || is(p, "binary_expression")) guarded = true;
        for (auto& l : more) {
            if (!seen.insert(l.name).second) continue;
            if (l.name == "where" && guarded) conditional = true;
            links.push_back(std::move(l));
        }
    }
}

// `function insertRow(table, values) { return db.insert(table).values(values) }`: the tables the
// program's calls of the enclosing function pass for the parameter the chain uses as its table.
std::vector<const DrizzleTable*> tables_passed(const DrizzleProgram& drizzle, int file, const TsSite& site,
                                               const drizzle::Chain& c, std::string& param) {
    const TsProgram& program = drizzle.program();
    const std::string& src = program.src(file);
    // The chain's table argument: insert/update/delete(t), or select().from(t).
    TSNode arg{};
    for (size_t k = c.head; k < c.links.size() && ts_node_is_null(arg); ++k) {
        const bool takes = k == c.head ? c.head_name() != "query" && c.head_name().rfind("select", 0) != 0 && c.head_name() != "execute"
                                       : c.links[k].name == "from";
        if (takes && !c.args(k).empty()) arg = unwrap(c.args(k)[0]);
    }
    if (!is(arg, "identifier")) return {};
    param = std::string(node_text(arg, src));
    TSNode fn = site.node;
    while (!ts_node_is_null(fn) && !is(fn, "function_declaration") && !is(fn, "arrow_function") &&
           !is(fn, "function_expression") && !is(fn, "method_definition"))
        fn = ts_node_parent(fn);
    if (ts_node_is_null(fn)) return {};
    const auto params = param_names(fn, src);
    size_t index = params.size();
    for (size_t i = 0; i < params.size(); ++i)
        if (params[i] == param) index = i;
    if (index == params.size()) return {};
    std::vector<const DrizzleTable*> out;
    std::string name = program.file(file).functions[site.function].name;
    if (const size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
    for (const auto& [f, i] : drizzle.calls_named(name)) {
        const TsSite& call = program.file(f).sites[i];
        if (program.resolve_callee(f, call.callee, program.file(f).functions[call.function].cls) != std::make_pair(file, site.function))
            continue;
        const DrizzleTable* t = nullptr;
        if (!ts_node_is_null(call.node)) {
            const auto a = call_args(field(call.node, "arguments"));
            if (index < a.size()) t = drizzle.table_for(f, a[index], nullptr);
        } else if (index < call.arg_refs.size()) {  // a file read for its calls only: its tree is gone
            t = drizzle.table_named(f, call.arg_refs[index]);
        }
        if (t && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    return out;
}

}  // namespace

bool DrizzleProgram::is_handle(int file, const TsSite& site, TSNode root, const std::string& root_text, size_t head) const {
    if (db_like_root(root_text)) return true;
    if (is(root, "identifier")) {
        const TsSymbol sym = program_.resolve_name(file, root_text);
        if (const TSNode* v = program_.value_of(sym); v && program_.calls(sym.file, *v, "drizzle")) return true;
    }
    // this.<field> where the class declares the field (or constructor parameter) with a Drizzle
    // database or transaction type.
    if (root_text.rfind("this.", 0) != 0 || head != 1) return false;
    const TsFile& f = program_.file(file);
    auto c = f.classes.find(f.functions[site.function].cls);
    if (c == f.classes.end()) return false;
    std::vector<ChainLink> links;
    flatten_chain(site.node, program_.src(file), links);
    auto t = c->second.field_types.find(links[0].name);
    if (t == c->second.field_types.end()) return false;
    static const char* kTypes[] = {"Database", "Drizzle", "PgTransaction", "NodePg", "PostgresJs", "DB"};
    for (const char* k : kTypes)
        if (t->second.find(k) != std::string::npos) return true;
    return false;
}

bool DrizzleProgram::lower_chain(int file, const TsSite& site, std::vector<LoweredQuery>& out) const {
    drizzle::Chain c{*this, file, site, {}, {}, 0, {}, false};
    c.root = flatten_chain(site.node, program_.src(file), c.links);
    while (c.head < c.links.size() && !chain_lowering(c.links[c.head].name)) ++c.head;
    if (c.head >= c.links.size() || ts_node_is_null(c.root)) return false;
    c.root_text = std::string(node_text(c.root, program_.src(file)));
    for (size_t k = 0; k < c.head; ++k) c.root_text += "." + c.links[k].name;
    for (const auto& l : c.links)
        if (l.name == "as" || l.name == "getSQL" || l.name == "toSQL") return false;  // a subquery / no round trip
    if (c.links[c.head].name.rfind("select", 0) == 0 && used_as_subquery(program_, file, site.node)) return false;
    c.known_handle = is_handle(file, site, c.root, c.root_text, c.head);
    bool dynamic_where = false;
    for (size_t k = 0; k < c.links.size(); ++k)
        if (c.links[k].name == "$dynamic") {
            dynamic_continuations(program_, file, site.node, c.links, dynamic_where);
            break;
        }
    auto lower_with = [&](const std::string& param, const DrizzleTable* table) {
        DrizzleSqlWriter w(*this, file, casing_of_root(file, c.root));
        w.dynamic_conditions = dynamic_where;
        if (table) w.bound[param] = table;
        w.set_default_origin(site.node);
        LoweredQuery q;
        if (!chain_lowering(c.head_name())(c, w, q)) return false;
        q.sql = w.take_sql();
        q.segments = w.take_segments();
        q.code_names = std::move(w.code_names);
        q.verbatim = q.frontend == "raw-sql" && w.verbatim();
        q.dynamic_conditions = w.dynamic_conditions;
        q.opaque_conditions = w.opaque_conditions;
        q.related_loads.assign(w.related_loads.begin(), w.related_loads.end());
        out.push_back(std::move(q));
        return true;
    };
    if (lower_with({}, nullptr)) return true;
    // A helper that takes the table as a parameter: one query per table its callers pass.
    std::string param;
    bool any = false;
    for (const DrizzleTable* t : tables_passed(*this, file, site, c, param)) any = lower_with(param, t) || any;
    return any;
}

const std::vector<std::pair<int, size_t>>& DrizzleProgram::calls_named(const std::string& name) const {
    std::call_once(calls_once_, [&] {
        for (int f = 0; f < static_cast<int>(program_.files().size()); ++f) {
            const auto& sites = program_.file(f).sites;
            for (size_t i = 0; i < sites.size(); ++i) {
                // The callee's last name (`insertRow`, `this.repo.save` -> "save"); of a file read for
                // its calls only (its tree is gone), from plain data, when it passes a name.
                const TsSite& s = sites[i];
                if (s.kind != TsSiteKind::Call) continue;
                if (ts_node_is_null(s.node)) {
                    if (!s.arg_refs.empty() && !s.callee.name.empty() && s.callee.name[0] != '#') calls_by_name_[s.callee.name].emplace_back(f, i);
                    continue;
                }
                TSNode callee = unwrap(field(s.node, "function"));
                if (is(callee, "member_expression")) callee = field(callee, "property");
                if (!is(callee, "identifier") && !is(callee, "property_identifier")) continue;
                calls_by_name_[std::string(node_text(callee, program_.src(f)))].emplace_back(f, i);
            }
        }
    });
    static const std::vector<std::pair<int, size_t>> kNone;
    auto it = calls_by_name_.find(name);
    return it == calls_by_name_.end() ? kNone : it->second;
}

std::unique_ptr<TsSqlWriter> DrizzleProgram::sql_writer(int file) const {
    return std::make_unique<DrizzleSqlWriter>(*this, file, schema_casing_);
}

}  // namespace querylens
