// cartesian-join: relations joined with nothing linking them, and joins whose linking columns
// match no unique key on either side (rows multiply).
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

bool exempt(const Query& q, const Relation& r) {
    // A WITH query whose rows querylens does not model (a data-modifying one, `c AS (UPDATE ...
    // RETURNING 1)`, or a recursive one's reference to itself): joining it sequences the writes
    // or walks the recursion; what it returns is not known.
    const bool opaque_cte = r.kind == RelationKind::Cte && r.source_block < 0;
    // A subquery that reads no relation (`CROSS JOIN (SELECT unnest(enum_range(NULL::timeframe))
    // AS tf)`): a set-returning function or constants, like `unnest(...)` joined directly.
    const bool from_less = (r.kind == RelationKind::Subquery || r.kind == RelationKind::Cte) && r.source_block >= 0 &&
                           std::none_of(q.relations.begin(), q.relations.end(), [&](const Relation& o) { return o.block == r.source_block; });
    return r.lateral || r.single_row || opaque_cte || from_less || r.kind == RelationKind::Function || r.kind == RelationKind::Values;
}

std::string label(const Relation& r) {
    if (r.kind == RelationKind::Table) return display_name(r.table);
    if (!r.alias.empty()) return r.alias;
    return r.kind == RelationKind::Cte ? r.table : "subquery";
}

struct DisjointSet {
    std::vector<int> parent;
    explicit DisjointSet(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    int find(int x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
    void unite(int a, int b) { parent[find(a)] = find(b); }
};

void unlinked(const Query& q, const SchemaModel& schema, std::vector<Finding>& out) {
    // Conditions querylens could not read (a project helper, an aliased operator, a table it could
    // not resolve) may be the ones that link: nothing to judge.
    if (q.opaque_conditions) return;
    // Intended fan-out: INSERT ... SELECT makes the rows it means to (every new product in every
    // warehouse, a binding per organisation of the user).
    if (q.kind == StatementKind::Insert) return;
    DisjointSet sets(q.relations.size());
    for (const auto& [a, b] : q.links) sets.unite(a, b);
    for (const auto& e : q.join_edges) sets.unite(e.left, e.right);
    for (int b = 0; b < static_cast<int>(q.blocks.size()); ++b) {
        if (q.blocks[b].has_unresolved_columns) continue;  // cannot tell what links what
        // A table the schema does not know (an alias querylens could not follow, a table from
        // elsewhere): its links cannot be judged either.
        const bool unknown = std::any_of(q.relations.begin(), q.relations.end(), [&](const Relation& r) {
            return r.block == b && r.kind == RelationKind::Table && !r.known;
        });
        if (unknown) continue;
        // A relation its own conditions pin to one row (a key equal to values) pairs with nothing
        // but that row: no product to speak of.
        auto pinned = [&](int i) {
            const Relation& r = q.relations[i];
            const Table* t = r.kind == RelationKind::Table ? schema.find_table(r.table) : nullptr;
            return t && pins_one_row(*t, {}, conjuncts_on(q, i, t));
        };
        // ...and so does one joined on its unique key to a pinned one (`principal.id = $1`, then
        // `user.id = principal.user_id`).
        std::set<int> one_row;
        for (int i = 0; i < static_cast<int>(q.relations.size()); ++i)
            if (q.relations[i].block == b && pinned(i)) one_row.insert(i);
        for (bool grew = !one_row.empty(); grew;) {
            grew = false;
            for (int i = 0; i < static_cast<int>(q.relations.size()); ++i) {
                const Relation& r = q.relations[i];
                if (r.block != b || one_row.count(i) || r.kind != RelationKind::Table) continue;
                const Table* t = schema.find_table(r.table);
                if (!t) continue;
                std::set<std::string> keyed;
                for (const auto& e : q.join_edges) {
                    if (e.left == i && one_row.count(e.right)) keyed.insert(e.left_column);
                    if (e.right == i && one_row.count(e.left)) keyed.insert(e.right_column);
                }
                if (!keyed.empty() && pins_one_row(*t, keyed, conjuncts_on(q, i, t))) one_row.insert(i), grew = true;
            }
        }
        // `CROSS JOIN t` and `JOIN t ON true` say the product is meant (every product in every
        // warehouse, each row with the one-row stats table): on 120 real projects every finding of
        // that shape was intended. What is flagged is the product nobody wrote down: a comma join
        // with no linking WHERE, an ON that talks about one side only.
        std::set<int> intended;
        for (const auto& j : q.joins)
            if (j.relation >= 0 && (j.type == JoinType::Cross || j.condition == "true")) intended.insert(j.relation);
        std::vector<int> rels;
        for (int i = 0; i < static_cast<int>(q.relations.size()); ++i)
            if (q.relations[i].block == b && !exempt(q, q.relations[i]) && !one_row.count(i) && !intended.count(i)) rels.push_back(i);
        if (rels.size() < 2) continue;
        std::map<int, int> first_of_component;
        for (int r : rels) first_of_component.emplace(sets.find(r), r);
        if (first_of_component.size() < 2) continue;
        const int anchor = rels.front();
        for (int r : rels) {
            if (first_of_component[sets.find(r)] != r || sets.find(r) == sets.find(anchor)) continue;
            const Relation& rel = q.relations[r];
            Finding f;
            f.severity = Severity::P1;
            f.loc = rel.loc;
            for (const auto& j : q.joins)
                if (j.relation == r) f.loc = j.loc;
            f.message = label(rel) + " is joined to " + label(q.relations[anchor]) +
                        " with no condition linking them: every row pairs with every row (cartesian product); "
                        "add the join condition, or write CROSS JOIN if the product is intended";
            if (q.relations[anchor].kind == RelationKind::Table) f.tables.push_back(q.relations[anchor].table);
            if (rel.kind == RelationKind::Table) f.tables.push_back(rel.table);
            out.push_back(std::move(f));
        }
    }
}

void multiplying(const Query& q, const SchemaModel& schema, std::vector<Finding>& out) {
    // Column pairs per relation pair.
    std::map<std::pair<int, int>, std::vector<const JoinEdge*>> pairs;
    for (const auto& e : q.join_edges) {
        const auto key = std::minmax(e.left, e.right);
        pairs[{key.first, key.second}].push_back(&e);
    }
    // Intended fan-out: INSERT ... SELECT produces the rows it means to.
    if (q.kind == StatementKind::Insert) return;
    for (const auto& [key, edges] : pairs) {
        const Relation& a = q.relations[key.first];
        const Relation& b = q.relations[key.second];
        if (a.block != b.block || a.kind != RelationKind::Table || b.kind != RelationKind::Table) continue;
        // Rows joined only to be counted or grouped: the multiplication is what the query asks for.
        const Block& blk = q.blocks[a.block];
        if (blk.has_aggregate || blk.has_group_by || blk.has_distinct) continue;
        // EXISTS (...) / IN (...): the first matching row answers; more rows change nothing.
        if (blk.semi_join) continue;
        // An anti-join (LEFT JOIN b ... WHERE b.x IS NULL) keeps the rows with no match: nothing multiplies.
        const bool anti = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
            return (p.relation == key.first || p.relation == key.second) && p.op == PredicateOp::IsNull && !p.in_disjunction;
        });
        if (anti) continue;
        const Table* ta = schema.find_table(a.table);
        const Table* tb = schema.find_table(b.table);
        if (!ta || !tb || ta->indexes.empty() || tb->indexes.empty()) continue;
        std::set<std::string> cols_a, cols_b;
        for (const auto* e : edges) {
            cols_a.insert(e->left == key.first ? e->left_column : e->right_column);
            cols_b.insert(e->left == key.first ? e->right_column : e->left_column);
        }
        if (pins_one_row(*ta, cols_a, conjuncts_on(q, key.first, ta)) ||
            pins_one_row(*tb, cols_b, conjuncts_on(q, key.second, tb)))
            continue;
        // A side whose key the joins to any relations of the block equate (`roles.id =
        // members.role_id AND roles.drive_id = pages.drive_id`): one row per combination of the
        // others, so this pair's columns only filter it.
        auto keyed_by_joins = [&](int rel, const Table& t) {
            std::set<std::string> cols;
            for (const auto& e : q.join_edges) {
                if (e.left == rel && e.right >= 0 && q.relations[e.right].block == a.block) cols.insert(e.left_column);
                if (e.right == rel && e.left >= 0 && q.relations[e.left].block == a.block) cols.insert(e.right_column);
            }
            return pins_one_row(t, cols, conjuncts_on(q, rel, &t));
        };
        if (keyed_by_joins(key.first, *ta) || keyed_by_joins(key.second, *tb)) continue;
        // A key equality under OR (`b.id = a.version_id OR (b.id IS NULL AND ...)`) may pin the
        // rows in the arm that matters: too uncertain to call a multiplication.
        const bool keyed_arm = std::any_of(q.disjunctive_edges.begin(), q.disjunctive_edges.end(), [&](const JoinEdge& e) {
            if (std::make_pair(std::min(e.left, e.right), std::max(e.left, e.right)) != key) return false;
            const std::string& ca = e.left == key.first ? e.left_column : e.right_column;
            const std::string& cb = e.left == key.first ? e.right_column : e.left_column;
            return pins_one_row(*ta, {ca}, {}) || pins_one_row(*tb, {cb}, {});
        });
        if (keyed_arm) continue;
        // A link table pinned on two of its foreign keys (member: user_id from the join,
        // organization_id = $1): one row per pair in practice, even without a unique constraint
        // (missing-unique-constraint's concern, not a multiplication).
        auto link_pinned = [&](const Table& t, int rel, const std::set<std::string>& join_cols) {
            std::set<std::string> pinned = join_cols;
            for (const auto& p : conjuncts_on(q, rel, &t))
                if (p.op == PredicateOp::Equal && (p.other == OperandKind::Constant || p.other == OperandKind::Parameter))
                    pinned.insert(p.column);
            size_t fks = 0;
            for (const auto& fk : t.foreign_keys)
                if (fk.columns.size() == 1 && pinned.count(fk.columns.front())) ++fks;
            return fks >= 2;
        };
        if (link_pinned(*ta, key.first, cols_a) || link_pinned(*tb, key.second, cols_b)) continue;
        std::string on;
        for (const auto* e : edges) {
            if (!on.empty()) on += " AND ";
            const Relation& l = q.relations[e->left];
            const Relation& r = q.relations[e->right];
            on += l.alias + "." + e->left_column + " = " + r.alias + "." + e->right_column;
        }
        const JoinEdge* first = edges.front();
        Finding f;
        f.severity = Severity::P2;
        f.loc = first->loc;
        if (q.is_write() && a.block == 0) {
            // UPDATE ... FROM / DELETE ... USING do not multiply rows: each target row is written once,
            // from an arbitrary matching row when several match.
            f.severity = Severity::P3;
            f.message = std::string(q.kind == StatementKind::Update ? "UPDATE ... FROM" : "DELETE ... USING") + " joins " +
                        display_name(ta->name) + " and " + display_name(tb->name) + " on " + on +
                        ", a key of neither: when several rows match, an arbitrary one is used; join on a key";
        } else {
            // A note: on real projects such joins were one-to-one in practice every time they were
            // labelled (a row per parent written with it, a key the schema does not declare); the
            // schema cannot tell, so say both outcomes.
            f.severity = Severity::P3;
            f.message = "join of " + display_name(ta->name) + " and " + display_name(tb->name) + " on " + on +
                        " matches no primary or unique key on either side: if several rows share the value, each row "
                        "pairs with every one of them and rows multiply (join on a key, e.g. add the owning id, or "
                        "aggregate first); if one side is unique in practice, declare it UNIQUE (its index also serves the join)";
        }
        f.tables = {ta->name, tb->name};
        out.push_back(std::move(f));
    }
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off()) continue;  // runtime cost only: scripts, seeds, tests and migration data statements run once
        unlinked(q, ctx.schema, out);
        multiplying(q, ctx.schema, out);
    }
}

}  // namespace

extern const Rule kCartesianJoin = {
    "cartesian-join",
    "CartesianJoin",
    Severity::P1,
    RuleCategory::QueryPattern,
    "Relations joined without a linking condition, or on columns that are unique on neither side",
    R"(## What it does
Flags, at P1, relations of one FROM clause that no condition links: comma joins with no
linking WHERE condition, or an `ON` that references only one side. `CROSS JOIN` and `ON true`
say the product is intended and are not flagged.
LATERAL joins, set-returning functions (`unnest`, `generate_series`, `jsonb_each_text`),
single-row subqueries and WITH queries (an aggregate without GROUP BY, LIMIT 1: `LEFT JOIN totals
ON true` adds columns, not rows), data-modifying WITH queries (joined to make them run),
VALUES lists, subqueries that read no table (`CROSS JOIN (SELECT unnest(enum_range(NULL::tf)) AS tf)`)
and `INSERT ... SELECT` (which makes the rows it means to) are not flagged, nor relations pinned to one row
(by their key against values, or joined on their key to such a row), nor queries with conditions
querylens could not read (a project helper, a table it could not resolve): the unread part may be
the link. A row comparison (`(a.tenant_id, a.id) = (b.tenant_id, b.a_id)`) links its fields pairwise; a
disjunction that mentions both sides (`p.nsfw OR NOT m.nsfw`) relates them.

Notes, at P3 and with its own message, joins whose linking columns match no primary or unique
key on either side (`orders JOIN positions ON orders.symbol = positions.symbol`): every order
pairs with every position of the same symbol, unless one side is unique in practice (a row per
parent written with it) without the schema saying so: then the fix is to declare it UNIQUE. A note,
because a labelled sample of real projects found the second case every time. Not flagged there: a side whose key the joins
equate, whichever relations they come from (`roles.id = members.role_id AND roles.drive_id =
pages.drive_id`: one role per member, the drive condition only filters it), joins counted or
grouped on purpose, anti-joins, `INSERT ... SELECT`, and joins inside `EXISTS (...)`, `IN (...)` or
`= ANY (...)`, where the first matching row answers and more rows change nothing. In Drizzle, a
join condition held in a `const` of the same function (`const match = and(...)`) is followed.

## Why is this bad?
A cartesian product returns |A| x |B| rows: harmless with ten rows in development, an outage
with a million in production. A many-to-many join on a non-key column multiplies rows the same
way, and usually makes aggregates (SUM, COUNT) silently wrong too.

## Example
```sql
SELECT o.id, p.quantity
FROM orders o
LEFT JOIN positions p ON o.symbol = p.symbol;
```

## Use instead
```sql
SELECT o.id, p.quantity
FROM orders o
LEFT JOIN positions p ON p.user_id = o.user_id AND p.symbol = o.symbol AND p.status = 'open';
-- with a unique index on positions (user_id, symbol) WHERE status = 'open'
```
)",
    check,
};

}  // namespace querylens::rules
