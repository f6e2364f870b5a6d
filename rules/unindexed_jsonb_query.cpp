// unindexed-jsonb-query: JSONB containment / key-existence / ->> filters with no GIN or expression index.
#include <algorithm>
#include <map>
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

const std::set<std::string> kGinOps = {"@>", "<@", "?", "?|", "?&", "@?", "@@"};

bool is_json(const Column* c) { return c && (c->type == "jsonb" || c->type == "json"); }

std::string slug(const std::string& s) {
    std::string out;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.empty() && out.back() != '_') out += '_';
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.substr(0, 40);
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off()) continue;  // runtime cost only: scripts, seeds, tests and migration data statements run once
        if (q.origin == QueryOrigin::MaterializedViewBody) continue;
        // Part of the filter is built elsewhere (`and(projectScopedWhere(t, scopes), sql\`...\`)`):
        // the unseen part may pin the rows by an index (as uncovered-predicate, abstain).
        if (q.opaque_conditions) continue;
        std::set<int> keyed_relations;  // relations this query already has an expression-index finding for
        for (const auto& p : q.predicates) {
            if (p.op != PredicateOp::Json || p.relation < 0 || p.in_disjunction) continue;
            const Relation& r = q.relations[p.relation];
            const Table* t = r.kind == RelationKind::Table ? ctx.schema.find_table(r.table) : nullptr;
            if (!t || !is_json(t->column(p.column))) continue;
            const std::string op = p.op_text.substr(p.op_text.rfind(' ') + 1);
            // Containment and key-existence need GIN, on the column or on the expression it is
            // applied to (`config->'connections' @> ...`); a btree expression index cannot serve them.
            const bool gin_op = kGinOps.count(op) > 0;
            bool served = false;
            for (const auto& idx : t->indexes) {
                if (idx.keys.empty()) continue;
                if (gin_op)
                    served |= idx.method == "gin" && (p.expression.empty() ? idx.keys[0].column == p.column
                                                                           : idx.keys[0].expression == p.expression);
                else served |= !p.expression.empty() && idx.keys[0].expression == p.expression;
            }
            // A partial index whose WHERE is this very test (`WHERE state->>'outcome' =
            // 'in_progress'`) holds exactly the rows it selects, when the query implies its predicate.
            if (!served && !gin_op) {
                std::vector<Predicate> conj;
                for (const auto& o : q.predicates)
                    if (o.relation == p.relation && !o.in_disjunction) conj.push_back(o);
                for (const auto& idx : t->indexes)
                    served |= idx.partial() && idx.predicate_understood && implies(conj, idx.predicate) &&
                              std::any_of(idx.predicate.begin(), idx.predicate.end(), [&](const Predicate& r) {
                                  return r.op == PredicateOp::Json && r.expression == p.expression && r.op_text == p.op_text &&
                                         r.constants == p.constants && p.other == OperandKind::Constant;
                              });
            }
            if (served) continue;
            // Another conjunct already narrows the rows through an index (a key, a leading column):
            // the JSON test only filters those few rows.
            const bool narrowed = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& o) {
                if (&o == &p || o.relation != p.relation || !o.btree_sargable() || !o.is_equality()) return false;
                return std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& idx) {
                    return idx.method == "btree" && !idx.partial() && idx.leading_column() == o.column;
                });
            });
            // Another key of the document compared in the same filter has its expression index
            // (`config->>'team_id' = $1 AND config->>'channel_id' = $2`, team_id indexed): that
            // index finds the rows, this test filters them.
            const bool narrowed_by_key = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& o) {
                if (&o == &p || o.relation != p.relation || o.in_disjunction || o.expression.empty() || o.op != PredicateOp::Json) return false;
                return std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& idx) {
                    return idx.method == "btree" && !idx.partial() && !idx.keys.empty() && idx.keys[0].expression == o.expression;
                });
            });
            if (narrowed || narrowed_by_key) continue;
            // One expression index on the first key compared is the fix; the later keys of the same
            // filter only narrow its rows (one finding per query and table, not one per key).
            if (!gin_op && !keyed_relations.insert(p.relation).second) continue;
            // Another conjunct compares a plain column with a value the caller passes (`chat_id IN
            // ($1)`, `owner = $2`): that key is the selective condition, and an index on it is the
            // fix (uncovered-predicate's advice when none exists), not one on the document.
            const bool keyed = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& o) {
                return &o != &p && o.relation == p.relation && o.btree_sargable() &&
                       (o.op == PredicateOp::Equal || o.op == PredicateOp::In) && o.other == OperandKind::Parameter;
            });
            if (keyed) continue;
            // In EXISTS / IN, correlated to the outer row on an indexed column (`agents.id =
            // listings.agent_id`): each probe finds its rows by the index, and the JSON test only
            // filters those.
            const bool correlated = r.block >= 0 && q.blocks[r.block].semi_join &&
                                    std::any_of(q.join_edges.begin(), q.join_edges.end(), [&](const JoinEdge& e) {
                                        const bool here = e.left == p.relation, there = e.right == p.relation;
                                        if (!here && !there) return false;
                                        const int other = here ? e.right : e.left;
                                        if (other < 0 || q.relations[other].block == r.block) return false;
                                        const std::string& col = here ? e.left_column : e.right_column;
                                        return std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& idx) {
                                            return idx.method == "btree" && !idx.partial() && idx.leading_column() == col;
                                        });
                                    });
            if (correlated) continue;
            // Reached through a join on an indexed column of this table from a relation that has its
            // own filter (`messages.chat_id = chats.id WHERE chats.owner = $1`): the plan probes the
            // index for each joined row and the JSON test only filters those.
            const bool probed = std::any_of(q.join_edges.begin(), q.join_edges.end(), [&](const JoinEdge& e) {
                const bool here = e.left == p.relation, there = e.right == p.relation;
                if (here == there) return false;
                const int other = here ? e.right : e.left;
                if (other < 0) return false;
                const std::string& col = here ? e.left_column : e.right_column;
                const bool indexed = std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& idx) {
                    return idx.method == "btree" && !idx.partial() && idx.leading_column() == col;
                });
                return indexed && std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& o) {
                           return o.relation == other && o.btree_sargable() && o.is_equality() && o.other == OperandKind::Parameter;
                       });
            });
            if (probed) continue;
            Finding f;
            // Whether a scan matters is a question of the table's size: labelled on 113 projects,
            // these findings are kept 62% of the time without size evidence (a few rows of
            // connectors, a job log bounded by retention). Statistics, [tables] large or a time
            // series make it a finding; otherwise it is a note.
            const bool large = ctx.project.profile(t->name).large();
            f.severity = large ? Severity::P1 : Severity::P3;
            // As for uncovered-predicate: admin code and code nothing mentions are notes.
            // A view's body: its readers' filters (`SELECT ... FROM credit_history WHERE org_id =
            // $1`) are pushed into it and usually find the rows first; what the view alone
            // filters says little about what runs. A note.
            const bool view = q.origin == QueryOrigin::ViewBody;
            const bool note = q.unreferenced || q.execution == ExecutionContext::Admin || view;
            if (note) f.severity = Severity::P3;
            f.loc = p.loc;
            f.tables = {t->name};
            const std::string base = "idx_" + unqualified(t->name) + "_" + p.column;
            IndexRecommendation rec;
            rec.table = t->name;
            if (gin_op) {
                const bool path_ops = op == "@>" || op == "@?" || op == "@@";
                const std::string target = p.expression.empty() ? p.column : p.expression;
                const std::string key = p.expression.empty() ? quote_ident(p.column) : "(" + p.expression + ")";
                rec.name = p.expression.empty() ? base + "_gin" : "idx_" + unqualified(t->name) + "_" + slug(p.expression) + "_gin";
                f.message = "JSONB filter " + target + " " + op + " on " + display_name(t->name) + " has no GIN index on " +
                            target + ": every execution scans and decodes every row (a btree index cannot serve " + op + ")";
                f.fix = "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + quote_ident(rec.name) + " ON " + table_sql(t->name) +
                        " USING gin (" + key + (path_ops ? " jsonb_path_ops" : "") + ");";
                rec.keys = {key + (path_ops ? " jsonb_path_ops" : "")};
                rec.method = "gin";
            } else {
                f.message = "JSONB filter on " + p.expression + " (" + display_name(t->name) +
                            ") has no expression index: every execution scans and decodes every row";
                rec.name = "idx_" + unqualified(t->name) + "_" + slug(p.expression);
                f.fix = "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + quote_ident(rec.name) + " ON " + table_sql(t->name) +
                        " ((" + p.expression + "));";
                rec.keys = {"(" + p.expression + ")"};
            }
            if (note)
                f.message += q.unreferenced ? " (a note: nothing in the project mentions the function this runs in, so it may not run at all)"
                             : view         ? " (a note: in the body of view " + q.context +
                                                  ", whose readers' filters are pushed into it and usually find the rows first)"
                                            : " (a note: admin code)";
            else if (!large)
                f.message += " (a note: nothing says how large " + display_name(t->name) +
                             " is; `querylens stats` or [tables] large in querylens.toml makes it a finding)";
            rec.ddl = f.fix;
            rec.purpose = "JSONB filter on " + (p.expression.empty() ? p.column : p.expression);
            f.index = std::move(rec);
            out.push_back(std::move(f));
        }
    }
}

}  // namespace

extern const Rule kUnindexedJsonbQuery = {
    "unindexed-jsonb-query",
    "UnindexedJsonbQuery",
    Severity::P1,
    RuleCategory::Index,
    "A JSONB containment, key-existence or ->> filter has no GIN or expression index",
    R"(## What it does
Flags filters on `json`/`jsonb` columns that no index can serve: containment and existence
operators (`@>`, `<@`, `?`, `?|`, `?&`, `@?`, `@@`) without a GIN index on the column, and
comparisons of extracted values (`data->>'kind' = $1`) without an expression index on exactly that
expression. Not flagged: a filter another indexed equality of the same table already narrows
(a key, a leading column); one beside an equality of a plain column to a value the caller passes
(`chat_id IN ($1)`: that key is the selective condition, and an index on it is the fix,
uncovered-predicate's advice); one on a table reached through a join on its indexed column from a
filtered relation (`m.chat_id = c.id WHERE c.owner = $1`); one inside `EXISTS` / `IN` correlated
to the outer row on an indexed column (`e.id = d.endpoint_id`): each probe reads the few rows the
index finds. Admin code, code in a function nothing in the project mentions, and view bodies (their
readers' filters are pushed into them and usually find the rows first) are P3 notes, and so is every
finding on a table nothing says is large: it is P1 when statistics (`querylens stats`), `[tables]
large` in querylens.toml or a time series (a hypertable, append-only inserts) say so.

## Why is this bad?
Without an index PostgreSQL reads and decompresses every row's document for every query; JSONB
columns are often the widest in the table.

## Example
```sql
SELECT id FROM events WHERE payload @> '{"type": "fill"}';
SELECT id FROM events WHERE payload->>'order_id' = $1;
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_payload_gin ON events USING gin (payload jsonb_path_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_payload_order_id ON events ((payload ->> 'order_id'));
```
)",
    check,
};

}  // namespace querylens::rules
