// status-as-text: a text status/type column the code compares only to a few literals.
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

const std::set<std::string> kNames = {"status", "state", "type", "kind", "side", "role", "level", "priority", "category", "stage", "mode"};
constexpr size_t kMaxValues = 12;

bool texty(const std::string& type) {
    return type == "text" || type.rfind("varchar", 0) == 0 || type.rfind("char", 0) == 0 || type == "bpchar";
}

bool status_name(const std::string& col) {
    if (kNames.count(col)) return true;
    const size_t us = col.rfind('_');
    return us != std::string::npos && kNames.count(col.substr(us + 1));  // order_status, account_type
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    struct Use {
        std::set<std::string> values;
        bool other = false;  // compared to something that is not a literal
        Location first;
    };
    std::map<std::pair<std::string, std::string>, Use> uses;  // (table, column)
    for (const auto& q : ctx.inventory.queries) {
        for (const auto& p : q.predicates) {
            if (p.relation < 0 || p.column.empty() || !p.expression.empty()) continue;
            const Relation& r = q.relations[p.relation];
            if (r.kind != RelationKind::Table) continue;
            auto& u = uses[{r.table, p.column}];
            if (!u.first.line) u.first = p.loc;
            if ((p.op == PredicateOp::Equal || p.op == PredicateOp::In || p.op == PredicateOp::NotEqual) &&
                p.other == OperandKind::Constant)
                u.values.insert(p.constants.begin(), p.constants.end());
            else if (p.op != PredicateOp::IsNull && p.op != PredicateOp::IsNotNull)
                u.other = true;
        }
    }
    // What the code writes: literal values per column, and whether some write is not a literal
    // (then the full value set is not known, and an ENUM from the seen values would reject it).
    std::map<std::pair<std::string, std::string>, std::set<std::string>> written;
    std::set<std::pair<std::string, std::string>> unknown_write;
    std::set<std::string> rows_built_elsewhere;  // tables with an insert whose columns are not seen
    for (const auto& q : ctx.inventory.queries)
        for (const auto& w : q.writes) {
            if (w.column.empty()) rows_built_elsewhere.insert(w.table);
            else if (w.constant) written[{w.table, w.column}].insert(w.value);
            else unknown_write.insert({w.table, w.column});
        }
    for (auto [key, use] : uses) {
        const Table* t = ctx.schema.find_table(key.first);
        const Column* c = t ? t->column(key.second) : nullptr;
        if (!c || !texty(c->type) || !status_name(c->name) || use.other || use.values.empty()) continue;
        if (auto w = written.find(key); w != written.end()) use.values.insert(w->second.begin(), w->second.end());
        const bool complete = written.count(key) && !unknown_write.count(key) && !rows_built_elsewhere.count(key.first);
        // Never from one literal; a polymorphic `*_type`/role column needs the whole set.
        const bool polymorphic = c->name == "type" || c->name == "role" || c->name == "kind" ||
                                 (c->name.size() > 5 && c->name.compare(c->name.size() - 5, 5, "_type") == 0);
        if (use.values.size() < 2 || use.values.size() > kMaxValues || (polymorphic && !complete)) continue;
        bool checked = false;
        for (const auto& chk : t->checks) checked |= chk.expression.find(c->name) != std::string::npos;
        if (checked) continue;
        std::set<std::string> values = use.values;
        if (c->default_expr && c->default_expr->size() >= 2 && c->default_expr->front() == '\'') {
            const size_t close = c->default_expr->find('\'', 1);
            if (close != std::string::npos) values.insert(c->default_expr->substr(1, close - 1));
        }
        std::string list;
        for (const auto& v : values) list += (list.empty() ? "" : ", ") + quote_literal(v);
        const std::string type = unqualified(t->name) + "_" + c->name;
        Finding f;
        f.severity = Severity::P3;
        f.loc = c->loc;
        f.tables = {t->name};
        f.message = display_name(t->name) + "." + c->name + " is " + c->type + " but the code only uses the values " +
                    list + ": nothing stops a typo from being stored; make it an enum (or add a CHECK)";
        if (!complete) {
            // Some write is not a literal (or not seen): a type built from these values would reject
            // the others. Say so, without a fix to paste.
            f.message += "; not every value the code writes is visible here, so list them all before constraining";
            out.push_back(std::move(f));
            continue;
        }
        // Changing the type is refused when a view reads the column, and an enum compared in an
        // index predicate needs a non-IMMUTABLE cast: there, a CHECK constraint says the same.
        bool pinned = false;
        for (const auto& idx : t->indexes) pinned |= idx.predicate_sql.find(c->name) != std::string::npos;
        for (const auto& q : ctx.inventory.queries)
            if (q.origin == QueryOrigin::ViewBody || q.origin == QueryOrigin::MaterializedViewBody)
                for (const auto& r : q.relations) pinned |= r.kind == RelationKind::Table && r.table == t->name;
        if (pinned) {
            f.message += " (a view or an index predicate uses it: a CHECK constraint is the safe change)";
            f.fix = "ALTER TABLE " + table_sql(t->name) + " ADD CONSTRAINT " + quote_ident(type + "_check") + " CHECK (" +
                    quote_ident(c->name) + " IN (" + list + ")) NOT VALID;";
            out.push_back(std::move(f));
            continue;
        }
        // A default cannot be cast automatically: drop it, change the type, put it back.
        const std::string alter = "ALTER TABLE " + table_sql(t->name) + " ALTER COLUMN " + quote_ident(c->name);
        f.fix = "CREATE TYPE " + quote_ident(type) + " AS ENUM (" + list + ");\n" +
                (c->default_expr ? alter + " DROP DEFAULT;\n" : std::string()) + alter + " TYPE " +
                quote_ident(type) + " USING " + quote_ident(c->name) + "::" + quote_ident(type) + ";" +
                (c->default_expr ? "\n" + alter + " SET DEFAULT " + *c->default_expr + ";" : std::string());
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kStatusAsText = {
    "status-as-text",
    "StatusAsText",
    Severity::P3,
    RuleCategory::DataModel,
    "A text status/type column that the code compares only to a few literals, with no enum or CHECK",
    R"(## What it does
Flags `text`/`varchar` columns named like `status`, `state`, `type`, `kind`, `side`, `role` (also
`order_status`, `account_type`, ...) that queries compare only to literal values (`= 'open'`,
`IN ('buy', 'sell')`), when the column has no CHECK constraint and is not an enum. The values are
what the code compares the column with and what it writes (INSERT values, UPDATE and upsert SET),
plus the column's default; at least two are needed. The suggested enum is given only when every
write is visible and a literal: when some write is a parameter, or an insert builds its row
elsewhere, the finding says so and gives no type to paste (it would reject the values not seen).
`type`/`kind`/`role`/`*_type` columns, often polymorphic, are reported only then. When a view reads the table or an
index predicate uses the column, changing its type is refused (or needs a non-IMMUTABLE cast), so
the fix is a `CHECK (... IN (...)) NOT VALID` constraint instead.

## Why is this bad?
Any string can be stored: a typo (`'canceled'` vs `'cancelled'`) silently creates a state no query
matches. Enums also store in 4 bytes and document the states.

## Example
```sql
CREATE TABLE orders (id bigint PRIMARY KEY, status varchar(20) NOT NULL DEFAULT 'open');
SELECT id FROM orders WHERE status = 'filled' LIMIT 50;
```

## Use instead
```sql
CREATE TYPE orders_status AS ENUM ('filled', 'open');
ALTER TABLE orders ALTER COLUMN status TYPE orders_status USING status::orders_status;
```
)",
    check,
    AppendixPhase::Types
};

}  // namespace querylens::rules
