#pragma once
// The query model: one representation for every query querylens finds, whatever its origin
// (a statement in a .sql file, a view body, a Drizzle chain or raw SQL string in TypeScript).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/predicate.h"
#include "core/source.h"

namespace querylens {

enum class StatementKind { Select, Insert, Update, Delete };
enum class QueryOrigin {
    SqlStatement,          // a statement in a .sql file
    ViewBody,
    MaterializedViewBody,
    Code,                  // issued by application code; Query::frontend names the frontend that lowered it
};

class FixStyle;

// Where a query runs: on runtime paths (handlers, services, jobs) or in one-off code (scripts,
// seeds, backfills, tests, and data statements inside migrations). Runtime-cost rules skip one-off.
// Admin: operator-only code (admin and superuser routes) runs at runtime, but rarely and on demand.
enum class ExecutionContext { Runtime, OneOff, Admin };
// How the code uses the rows a query returns: only some fields (`row.email`, `rows.map((r) => r.id)`),
// the whole row (returned, passed on, spread), or not visible.
enum class RowUse { Unknown, Fields, Whole };
const char* to_string(ExecutionContext c);  // "runtime", "one-off"

const char* to_string(StatementKind k);
const char* to_string(QueryOrigin o);
struct Query;
// What output calls the origin: the frontend's label for code, else to_string(origin).
std::string origin_label(const Query& q);

enum class RelationKind {
    Table,        // a table (or view) reference: resolved against the schema
    Cte,          // a reference to a WITH query
    Subquery,     // derived table
    Function,     // set-returning function: unnest, generate_series, jsonb_each...
    Values,       // VALUES list
};
const char* to_string(RelationKind k);  // "table", "cte", "subquery", "function", "values"

struct Relation {
    RelationKind kind = RelationKind::Table;
    std::string table;   // qualified name for Table; CTE name for Cte; empty otherwise
    std::string alias;   // alias as written, or the table's own name
    int block = 0;       // the SELECT block (scope) it belongs to
    bool lateral = false;
    bool single_row = false;  // subquery known to return at most one row
    int source_block = -1;    // for Subquery/Cte: the block that defines its rows
    bool known = false;       // Table found in the schema model
    Location loc;
};

enum class JoinType { Inner, Left, Right, Full, Cross, Comma };
const char* to_string(JoinType t);

struct Join {
    int relation = -1;  // the relation being joined (right-hand side)
    JoinType type = JoinType::Inner;
    bool natural_or_using = false;
    std::string condition;  // printed ON condition ("" when none)
    Location loc;
};

// An equality between columns of two relations of one block (ON or WHERE).
struct JoinEdge {
    int left = -1, right = -1;
    std::string left_column, right_column;
    bool from_on = false;
    Location loc;
};

struct OrderKey {
    int relation = -1;
    std::string column;  // empty for expressions
    bool desc = false;
};

struct Block {
    int parent = -1;            // enclosing block; -1 for the top level
    bool output = false;        // its rows are returned to the caller
    bool has_limit = false;     // LIMIT/FETCH (not LIMIT ALL)
    bool limit_one = false;     // LIMIT 1: one row at most
    bool has_offset = false;
    bool has_group_by = false;
    bool has_aggregate = false;
    bool has_distinct = false;
    bool has_unresolved_columns = false;  // some column could not be tied to a relation
    bool time_bucketed = false;           // GROUP BY time_bucket(...) / date_trunc(...)
    // GROUP BY's plain columns (relation, column); `group_plain` when every GROUP BY item is one.
    std::vector<std::pair<int, std::string>> group_columns;
    bool group_plain = true;
    // EXISTS (...), IN (...), = ANY (...): only whether a row matches counts, not how many.
    bool semi_join = false;
    std::vector<int> linked_groups;       // filled by analysis: connected component per relation
    // The block's first ORDER BY key when it is a plain column (of any block, the top level's
    // too; Query::order_by keeps the top level's whole list): (relation, column), or (-1, "").
    std::pair<int, std::string> first_order;
};

// A column an INSERT or UPDATE (ON CONFLICT DO UPDATE included) writes, with the literal value
// when it is one (`'open'`, `42`); `constant` false for parameters and expressions.
struct ColumnWrite {
    std::string table;  // qualified
    std::string column;  // "" when the row is built elsewhere: it may write any column
    bool constant = false;
    std::string value;
    bool upsert = false;  // in ON CONFLICT ... DO UPDATE SET
    bool parameter = false;  // a plain $n (a value the code passes), not an expression
};

struct Query {
    QueryOrigin origin = QueryOrigin::SqlStatement;
    StatementKind kind = StatementKind::Select;
    Location loc;          // the statement (or view body)
    std::string sql;       // the statement text as written
    std::string context;   // e.g. the view name for view bodies
    std::vector<Block> blocks;  // blocks[0] is the top level
    std::vector<Relation> relations;
    std::vector<Location> star_locations;  // `*` / `t.*` in output target lists
    std::vector<Predicate> predicates;     // resolved to relations where possible
    std::vector<JoinEdge> join_edges;
    // `a.x = b.y` under OR / NOT: not a join condition of every row, but it may pin rows by a key
    // in the arm that matters (`b.id = a.version_id OR (b.id IS NULL AND ...)`).
    std::vector<JoinEdge> disjunctive_edges;
    std::vector<Join> joins;
    std::vector<OrderKey> order_by;        // top-level ORDER BY
    // The columns the top level returns, when each output is a plain column of one of its
    // relations (`"t"."a"`): what a covering index would INCLUDE. `outputs_known` is false when
    // an output is an expression, a star or a subquery.
    std::vector<std::pair<int, std::string>> output_columns;  // (relation, column)
    bool outputs_known = false;
    // Pairs of relations linked by any condition (not only equalities), for cartesian checks.
    std::vector<std::pair<int, int>> links;
    std::vector<ColumnWrite> writes;       // what INSERT/UPDATE statements write, column by column
    // Columns compared with a subquery's rows in a conjunct (`t.id IN (SELECT ...)`, `(t.a, t.b) IN
    // (SELECT ...)`): (relation, column). An index on them lets the planner drive from the
    // subquery's side (a semi-join), whatever the other conditions are.
    std::vector<std::pair<int, std::string>> semi_join_columns;

    bool returns_rows() const;  // SELECT, or DML with RETURNING
    // The first table the top level reads or writes (a write's target); null when there is none.
    const Relation* first_table() const;
    bool returns_star() const { return !star_locations.empty(); }
    bool has_returning = false;
    // INSERT ... ON CONFLICT (cols): the conflict target ("" for an expression); empty with
    // on_conflict set for ON CONFLICT ON CONSTRAINT / no target.
    bool on_conflict = false;
    std::vector<std::string> conflict_columns;
    bool conflict_do_nothing = false;  // ON CONFLICT ... DO NOTHING (with or without a target)
    bool conflict_where = false;       // ON CONFLICT (cols) WHERE ...: infers a partial unique index
    Location conflict_location;

    // Queries from code: the frontend that lowered it ("drizzle", "drizzle-relational", "raw-sql";
    // a label for output, never a branch in rules), how the code issues it ("db.select",
    // "pool.query"), the function it is in (index into QueryInventory::functions, -1 for SQL files)
    // and the loop it runs in.
    std::string frontend;
    std::string api;
    ExecutionContext execution = ExecutionContext::Runtime;
    bool one_off() const { return execution == ExecutionContext::OneOff; }
    // The code asks for exactly one row and uses it as "the" row (e.g. a findFirst without orderBy
    // semantics): a uniqueness assumption rules may check.
    bool expects_single_row = false;
    // Part of the WHERE is built at run time (spread or conditional filters): the known predicates
    // are kept, but the absence of a filter proves nothing.
    bool dynamic_conditions = false;
    // Part of the WHERE is an expression built elsewhere (a variable, a helper's result): the
    // filter that matters may be the unseen part, so index advice abstains.
    bool opaque_conditions = false;
    // How fixes are written in the code this query came from (`.limit(50)`, `LIMIT 50`); null
    // means plain SQL. Owned by the frontend; see core/fix_style.h.
    const FixStyle* fix_style = nullptr;
    const FixStyle& style() const;
    // How the code spells what the SQL names: "public.orders" -> "ordersTable",
    // "public.orders.user_id" -> "orders.userId" (Drizzle queries), for fixes in the code's terms.
    std::map<std::string, std::string> code_names;
    // Tables an ORM loads per row of the parent it is related to (Drizzle `with:`), written as
    // correlated subqueries: looked up by their link, whatever their size; qualified names.
    std::vector<std::string> related_loads;
    bool related_load(int r) const {
        return r >= 0 && relations[r].block > 0 &&
               std::find(related_loads.begin(), related_loads.end(), relations[r].table) != related_loads.end();
    }
    int function = -1;
    // Its function is named, not an entry point a framework calls, and nothing in the analysed
    // code mentions its name outside its definition: dead code, or called from outside the project.
    bool unreferenced = false;
    // It is written in a file a web framework routes requests to (route/page/layout files, pages/,
    // api/, routes/ directories): it runs on requests, directly.
    bool request_handler = false;
    int loop = -1;  // index into QueryInventory::loops; -1 when not inside a loop of its function
    bool loop_invariant = false;  // in a loop, but names nothing the loop binds: hoist, not batch
    RowUse row_use = RowUse::Unknown;
    std::vector<std::string> row_fields;  // RowUse::Fields: the properties read, in the code's spelling
    // RowUse::Fields, and every read only tests the value: compared with 0 or 1, negated, a
    // condition (`(rows[0]?.count || 0) > 0`): the caller asks whether rows exist.
    bool row_fields_tested_only = false;
    // An UPDATE that writes back a value computed from a row an earlier query of the same function
    // read, on the same key, without a lock or a version check: the read (index into
    // QueryInventory::queries) and the columns written back, as the code names them (in the order
    // it sets them).
    int read_modify_write = -1;
    std::vector<std::string> rmw_fields;
    std::vector<std::string> rmw_steps;  // of those, the ones set to the read value plus or minus a literal (`views + 1`)
    bool from_code() const { return function >= 0; }
    bool is_write() const { return kind != StatementKind::Select; }
};

// A loop in TypeScript code: a statement loop or a callback of forEach/map/flatMap/... .
struct Loop {
    std::string kind;          // "for", "for...of", "for await...of", "while", ".map callback", ...
    Location loc;
    bool bounded = false;      // iterates over a short literal array: a fixed number of rounds
    bool exits_early = false;  // a statement loop containing break/return: a search, not a scan
    bool chunked = false;      // steps through batches (`i += size`, `for (const batch of chunk(...))`)
    bool io_bound = false;     // each iteration also awaits non-database I/O: a per-item workflow
    // Where its elements come from, when the code shows it: the query whose result it iterates
    // (`const rows = await q; for (const r of rows)`), and whether it iterates a relation of that
    // result's single row (`const app = await findFirst({ with: { mounts } }); app.mounts`).
    int source_query = -1;
    bool source_children = false;
    ExecutionContext execution = ExecutionContext::Runtime;  // one-off when its file is
};

// A function, method or named arrow function in TypeScript (also one per file for top-level code).
struct CodeFunction {
    std::string name;  // "getFollowerStats", "LeaderService.getStats", "ordersRepo.list", "<module>"
    Location loc;
    std::vector<int> queries;  // queries issued directly
    std::vector<int> calls;    // call sites in its body (indices into QueryInventory::calls)
    bool awaits_io = false;    // awaits non-database I/O (HTTP, exec, queues, storage)
    bool closes_client = false;  // calls `.end()` / `.release()` / `.close()` in its body
};

struct CallSite {
    int caller = -1, callee = -1;  // functions
    Location loc;
    int loop = -1;
    bool loop_invariant = false;  // in a loop, with arguments that name nothing the loop binds
    bool value_returned = false;  // the call's value is returned (possibly wrapped in another call)
};

// Shortest way a function reaches a query of one kind (read or write) through its calls.
struct Reach {
    int distance = -1;  // -1: never; 0: issues such a query itself
    int query = -1;     // distance 0: that query
    int call = -1;      // distance > 0: the call site taken first
};

// A database client or pool the code creates (frontends/typescript: `new Pool({...})`,
// `postgres(url, {...})`), with the options it sets.
struct ConnectionPool {
    Location loc;
    std::string driver;                // "pg", "postgres.js", "neon"
    std::string api;                   // "new Pool", "postgres()"
    std::vector<std::string> options;  // option names set ("max", "connection.statement_timeout")
    bool options_known = true;         // false when part of the options is built elsewhere
    std::string text;                  // the construction as written (a literal DSN's parameters)
    int function = -1;                 // the function it is created in; -1 at module top level
    bool closed = false;               // ended in the same function: a one-shot client
    bool cached = false;               // kept outside that function: created once
    bool returned = false;             // handed back to the caller (a factory): the caller owns it
    // For a factory: a call from inside another function that neither returns nor keeps what it
    // gets, where a new pool is made each time (analysis/project.cpp); empty when there is none.
    Location made_per_call;
    std::string made_per_call_by;  // the calling function
    // Created per call on purpose, because something else pools the connections: "Cloudflare
    // Hyperdrive" when the connection string comes from a Hyperdrive binding.
    std::string pooled_by;
    // Made inside a package the project publishes for others (its package.json is not private and
    // lists what to publish): the library's default pool, which its users configure; its name.
    std::string published_package;
    ExecutionContext execution = ExecutionContext::Runtime;
    bool one_off() const { return execution == ExecutionContext::OneOff; }
    bool sets(const std::string& option) const {
        for (const auto& o : options)
            if (o == option) return true;
        return false;
    }
};

struct QueryInventory {
    std::vector<Query> queries;
    std::vector<CodeFunction> functions;
    std::vector<CallSite> calls;
    std::vector<Loop> loops;
    std::vector<ConnectionPool> pools;
    std::vector<Reach> reads, writes;  // per function (filled by the call-graph fixpoint)

    // The chain from function `f` to the query it reaches: call sites, then the query.
    std::vector<int> call_chain(int f, bool write, int& query) const;
};

}  // namespace querylens
