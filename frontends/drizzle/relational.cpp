// Drizzle's relational queries: db.query.<table>.findMany / findFirst with columns, where (callback
// or object filters), orderBy, limit and offset.
#include "frontends/drizzle/chain.h"

namespace querylens::drizzle {

namespace {

// `with: { attachments: { where: ..., with: { ... } } }`: each related table as a correlated
// subquery of the select list, `(SELECT ROW(1 [, nested]) FROM target WHERE target.fk =
// parent.pk AND ...)`, so the lookups Drizzle makes for it (by the foreign key, per parent row)
// are in the inventory. Relations querylens cannot link (no relations() entry, a many() without
// its one()) are left out.
void emit_with(const Chain& c, DrizzleSqlWriter& w, const DrizzleTable& parent, TSNode with, int depth) {
    if (!is(with, "object") || depth > 3) return;
    const std::string& s = c.src();
    for (TSNode p : named_children(with)) {
        if (!is(p, "pair")) continue;
        TSNode v = unwrap(field(p, "value"));
        if (!is(v, "true") && !is(v, "object")) continue;
        const DrizzleRelation* r = c.drizzle.relation(parent, std::string(node_text(field(p, "key"), s)));
        std::vector<std::pair<std::string, std::string>> on;
        if (!r || !c.drizzle.relation_link(parent, *r, on)) continue;
        const DrizzleTable& t = *r->target;
        std::string cond;
        for (const auto& [mine, theirs] : on) {
            const DrizzleColumn* a = t.column(mine);
            const DrizzleColumn* b = parent.column(theirs);
            if (!a || !b) {
                cond.clear();
                break;
            }
            cond += (cond.empty() ? "" : " AND ") + quoted_table(t.qualified()) + "." + quoted_ident(w.column_name(*a)) + " = " +
                    quoted_table(parent.qualified()) + "." + quoted_ident(w.column_name(*b));
        }
        if (cond.empty()) continue;
        w.related_loads.insert(t.qualified());
        w.emit(", (SELECT ROW(1", p);  // one column, whatever is nested: valid for EXPLAIN
        if (is(v, "object")) emit_with(c, w, t, object_property(v, s, "with"), depth + 1);
        w.emit(") FROM ", p);
        w.emit_table(&t, field(p, "key"));
        w.emit(" WHERE " + cond, p);
        if (is(v, "object")) {
            TSNode where = object_property(v, s, "where");
            if (!ts_node_is_null(where) && !is(where, "object")) {
                w.emit(" AND (", where);
                TSNode fn = unwrap(where);
                if (is(fn, "arrow_function") || is(fn, "function_expression")) {
                    const auto params = param_names(fn, s);
                    if (!params.empty() && !params[0].empty()) w.bound[params[0]] = &t;
                    w.condition(arrow_result(fn));
                } else {
                    w.condition(where);
                }
                w.emit(")", where);
            }
        }
        w.emit(")", p);
    }
}

}  // namespace

bool lower_relational(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out) {
    // db.query.<table>.findMany / findFirst
    if (c.head + 2 >= c.links.size() || ts_node_is_null(c.links[c.head + 2].args)) return false;
    const std::string key = c.links[c.head + 1].name, method = c.links[c.head + 2].name;
    if (method != "findMany" && method != "findFirst") return false;
    const DrizzleTable* t = c.drizzle.table_by_name(key);
    if (!t) return false;
    const auto a = call_args(c.links[c.head + 2].args);
    TSNode opts = a.empty() ? TSNode{} : a[0];
    TSNode cols = object_property(opts, c.src(), "columns");
    w.emit("SELECT ", c.site.node);
    bool any = false;
    if (is(cols, "object")) {
        for (TSNode p : named_children(cols)) {
            if (!is(p, "pair") || !is(unwrap(field(p, "value")), "true")) continue;
            const DrizzleColumn* col = t->column(std::string(node_text(field(p, "key"), c.src())));
            if (!col) continue;
            w.emit((any ? ", " : "") + quoted_table(t->qualified()) + "." + quoted_ident(w.column_name(*col)), p);
            any = true;
        }
    }
    if (!any) w.emit("*", field(c.links[c.head + 2].member, "property"));
    emit_with(c, w, *t, object_property(opts, c.src(), "with"), 0);
    w.emit(" FROM ", c.site.node);
    w.emit_table(t, field(c.links[c.head + 1].member, "property"));
    auto bind_callback = [&](TSNode fn) {
        const auto params = param_names(fn, c.src());
        if (!params.empty() && !params[0].empty()) w.bound[params[0]] = t;
        return arrow_result(fn);
    };
    TSNode where = object_property(opts, c.src(), "where");
    if (!ts_node_is_null(where)) {
        w.emit(" WHERE ", where);
        if (is(where, "object")) {  // v2 object filters: { id: 1, status: 'open' }
            bool first = true;
            for (const auto& [col, v] : w.column_values(*t, where)) {
                if (!first) w.emit(" AND ", v);
                first = false;
                w.emit(quoted_table(t->qualified()) + "." + quoted_ident(w.column_name(*col)) + " = ", v);
                w.operand(v);
            }
            if (first) w.emit("TRUE", where);
        } else {
            w.condition(bind_callback(where));
        }
    }
    TSNode order = object_property(opts, c.src(), "orderBy");
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
    TSNode limit = object_property(opts, c.src(), "limit");
    if (method == "findFirst") w.emit(" LIMIT 1", field(c.links[c.head + 2].member, "property"));
    else if (!ts_node_is_null(limit)) w.emit(" LIMIT ", limit), w.count_or_param(limit);
    TSNode offset = object_property(opts, c.src(), "offset");
    if (!ts_node_is_null(offset)) w.emit(" OFFSET ", offset), w.count_or_param(offset);
    out.frontend = "drizzle-relational";
    out.api = c.root_text + ".query." + key + "." + method;
    out.expects_single_row = method == "findFirst";
    out.fix_style = &drizzle_relational_fix_style();
    return true;
}

}  // namespace querylens::drizzle
