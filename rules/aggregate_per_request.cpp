// aggregate-per-request: a runtime query recomputes count/sum/avg over a growing table for one
// owner on every call: a candidate for a maintained summary (denormalization).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/sql_text.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

// `user_id`, `teamId`, `organization_id`, `billing_entity_id`: a column naming a user or a tenant.
bool tenant_like(const std::string& column) {
    for (const auto& w : name_words(column))
        for (const char* t : {"user", "team", "org", "organization", "workspace", "project", "account", "tenant", "customer", "company", "billing"})
            if (w == t) return true;
    return false;
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const auto& qs = ctx.inventory.queries;
    // Who writes each table (the code that would keep a summary up to date).
    std::map<std::string, std::vector<const Query*>> writers;
    for (const auto& q : qs)
        if (q.is_write() && !q.one_off() && q.first_table()) writers[q.first_table()->table].push_back(&q);
    // The same aggregate (table, owner column) from several places is computed per request.
    struct Candidate {
        const Query* q;
        std::string table, owner;
    };
    std::vector<Candidate> candidates;
    // The places of one aggregate: the functions that compute it (two branches of one function
    // are one place per call).
    std::map<std::pair<std::string, std::string>, std::set<std::pair<std::string, int>>> places;
    for (const auto& q : qs) {
        if (q.one_off() || !q.from_code() || q.kind != StatementKind::Select || q.blocks.empty()) continue;
        const Block& top = q.blocks[0];
        if (!top.has_aggregate || top.time_bucketed) continue;  // time buckets: continuous-aggregate-candidate
        if (q.unreferenced) continue;  // nothing in the project calls it
        // `(rows[0]?.count || 0) > 0`: the caller asks whether any row exists. EXISTS (or LIMIT 1)
        // stops at the first row; a summary would be the wrong fix (labelled on qiflow).
        if (q.row_use == RowUse::Fields && q.row_fields_tested_only) continue;
        if (!q.first_table()) continue;
        const std::string table = q.first_table()->table;
        std::string owner;
        const TableProfile& profile = ctx.project.profile(table);
        // Only tables known to be large or time series: an owner's members or folders stay few, and
        // code that inserts rows says the table grows, not that one owner's share is large. (An
        // aggregate per loop iteration is n-plus-one's: one GROUP BY, not a summary.)
        const bool large = profile.large();
        if (!large) continue;
        if (q.execution == ExecutionContext::Admin) continue;  // operator-only code runs rarely
        // A count over a time window of the table's own timestamp (`created_at >= $since`) reads the
        // window's rows, which an (owner, time) index finds: the index is the fix, not a summary
        // (labelled on midday, sim and onlook: none kept).
        const Table* tt = ctx.schema.find_table(table);
        const bool windowed = tt && std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
            const Column* col = p.relation >= 0 && q.relations[p.relation].table == table ? tt->column(p.column) : nullptr;
            return col && p.op == PredicateOp::Range && !p.in_disjunction && col->temporal();
        });
        if (windowed) continue;
        int owner_relation = -1;
        for (const auto& p : q.predicates) {
            const std::string& c = p.column;
            // A user or a tenant (team, organization, workspace, project, account, customer,
            // billing entity): a parent row (one transaction's attachments, one connector's
            // documents) has few, and an index on the key answers it. The owner may be pinned on a
            // joined parent (`messages JOIN threads ... WHERE threads.project_id = $1`) and may be
            // a list the code passes (`project_id IN ($1)`: one value per owner, for each).
            const bool owner_key = c.size() > 2 && (c.compare(c.size() - 3, 3, "_id") == 0 || c.compare(c.size() - 2, 2, "Id") == 0) &&
                                   tenant_like(c);
            if (owner_key && (p.op == PredicateOp::Equal || p.op == PredicateOp::In) && !p.in_disjunction &&
                p.other == OperandKind::Parameter && p.relation >= 0 && q.relations[p.relation].block == 0) {
                // Grouped by one of several owners (`team_id = $1 AND workspace_id IN ($2) GROUP BY
                // workspace_id`): the grouped one is the owner of each value.
                const bool grouped = std::any_of(top.group_columns.begin(), top.group_columns.end(), [&](const auto& g) {
                    return g.first == p.relation && g.second == c;
                });
                if (owner.empty() || grouped) owner = c, owner_relation = p.relation;
                if (grouped || !top.has_group_by) break;
            }
        }
        if (owner.empty()) continue;
        // One value per owner is what a summary keeps. GROUP BY the owner itself is that value
        // (for each owner of a list); any other GROUP BY returns rows per group (a listing with
        // per-row aggregates, `json_agg` of each transaction's attachments).
        if (top.has_group_by && (!top.group_plain || std::any_of(top.group_columns.begin(), top.group_columns.end(), [&](const auto& g) {
                                     return g.first != owner_relation || g.second != owner;
                                 })))
            continue;
        // Also pinned to one parent row (`transaction_id = $1 AND team_id = $2`): the parent's few
        // rows, not the owner's.
        const bool parent_pinned = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
            const std::string& c = p.column;
            const bool id_like = c == "id" || (c.size() > 2 && (c.compare(c.size() - 3, 3, "_id") == 0 || c.compare(c.size() - 2, 2, "Id") == 0));
            return id_like && !tenant_like(c) && p.op == PredicateOp::Equal && !p.in_disjunction && p.relation >= 0 &&
                   q.relations[p.relation].table == table;
        });
        if (parent_pinned) continue;
        candidates.push_back({&q, table, owner});
        // Code outside any named function (a tRPC procedure's callback in a router object, a
        // route handler passed inline) is one place per query.
        const bool named = q.function >= 0 && ctx.inventory.functions[q.function].name != "<module>";
        places[{table, owner}].insert({q.loc.file, named ? q.function : -1 - static_cast<int>(q.loc.line)});
    }
    // One finding per table and owner column, at its first place, the others as related locations.
    std::set<std::pair<std::string, std::string>> reported;
    for (const auto& c : candidates) {
        // Hot: computed at two places or more, or written in a request handler (a route, a page,
        // an API router): it runs on every request that reaches it.
        const size_t n = places[{c.table, c.owner}].size();
        const bool handler = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& o) {
            return o.table == c.table && o.owner == c.owner && o.q->request_handler;
        });
        const bool hot = n >= 2 || handler;
        if (!hot || !reported.insert({c.table, c.owner}).second) continue;
        const TableProfile& profile = ctx.project.profile(c.table);
        Finding f;
        f.severity = Severity::P3;
        f.loc = c.q->loc;
        f.loc.end_line = f.loc.line;
        f.loc.end_column = 0;
        f.tables = {c.table};
        f.message = "an aggregate over " + display_name(c.table) + " (" + profile.source + ") is recomputed for one " + c.owner +
                    (n >= 2 ? " at " + std::to_string(n) + " places" : std::string(" in a request handler")) +
                    ": if it is read per request, keep it in a summary (a table kept by a trigger or by the code that writes " +
                    display_name(c.table) + ", or a TimescaleDB continuous aggregate for time-bucketed data, or a materialized "
                    "view refreshed on a schedule)";
        size_t others = 0;
        for (const auto& o : candidates)
            if (o.q != c.q && o.table == c.table && o.owner == c.owner && others++ < 5)
                f.related.push_back({o.q->loc, "the same aggregate for one " + c.owner});
        const auto w = writers.find(c.table);
        size_t shown = 0;
        if (w != writers.end())
            for (const Query* wq : w->second)
                if (shown++ < 5) f.related.push_back({wq->loc, "writes " + display_name(c.table) + ": a summary must follow it"});
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kAggregatePerRequest = {
    "aggregate-per-request",
    "AggregatePerRequest",
    Severity::P3,
    RuleCategory::QueryPattern,
    "count/sum/avg over a growing table recomputed for one owner on a hot path: a candidate for a maintained summary",
    R"(## What it does
Notes (P3) runtime queries that aggregate (`count`, `sum`, `avg`, ...) over a table known to be
large (statistics, `[tables] large`) or a time series, for one owner (`user_id = $1`,
`workspaceId = $1`, `project_id IN ($1)`, also pinned on a joined parent: `messages JOIN threads
... WHERE threads.project_id = $1`), on a hot path: computed at two or more places, or written in
a request handler (route, page or layout files, `pages/`, `api/`, `routes/` directories). One
finding per table and owner column, the other places related; each inline callback outside a
named function (a tRPC procedure in a router object) is a place of its own. GROUP BY the owner
itself (one count per project of a list) is one value per owner and counts. An aggregate per loop iteration is n-plus-one's (one GROUP BY). The related
locations are the code that writes the table: a maintained summary has to follow those writes.
Not flagged: one-off and admin code, code nothing in the project calls, tables without size
evidence, counts the caller only tests (`count > 0`, `Math.min(count, 1)`: an existence check, for
which `EXISTS` is the fix and the place does not count), aggregates keyed by something other
than a user or a tenant (one transaction's attachments, one connector's documents: few rows, an
index answers them), GROUP BY listings by anything else than the owner (rows per group, not one
value per owner), a single place outside request handlers (a helper whose callers are unknown), time-bucketed
aggregates (see continuous-aggregate-candidate). Two places in one function (branches) count
once. A count over a time window
(`created_at >= $since`) is not reported, even on a large table: it reads the window's rows,
which an (owner, time) index finds (on real projects, midday, sim and onlook, every such count was
judged not worth a summary; the index is the fix, which uncovered-predicate asks for when missing).

## Why is this bad?
Counting a user's events or summing their transactions reads all their rows every time. It is
cheap at first and grows with each owner's history; when it runs per request (a badge, a quota
check, a dashboard), it becomes the most frequent full read of the largest table.

## Example
```sql
SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL;  -- on every page
```

## Use instead
```sql
-- a counter kept by the writes (trigger or application), read by key
CREATE TABLE notification_counts (user_id bigint PRIMARY KEY, unread integer NOT NULL DEFAULT 0);
-- or, for time-bucketed data on TimescaleDB: a continuous aggregate
-- or a materialized view refreshed on a schedule, when minutes of staleness are fine
```
)",
    check,
};

}  // namespace querylens::rules
