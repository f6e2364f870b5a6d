#pragma once
// The query model: one representation for every query querylens finds, whatever its origin
// (a statement in a .sql file, a view body; TypeScript call sites later).
#include <string>
#include <vector>

#include "analyzer/predicate.h"
#include "analyzer/source.h"

namespace querylens {

enum class StatementKind { Select, Insert, Update, Delete };
enum class QueryOrigin { SqlStatement, ViewBody, MaterializedViewBody };

const char* to_string(StatementKind k);
const char* to_string(QueryOrigin o);

enum class RelationKind {
    Table,        // a table (or view) reference: resolved against the schema
    Cte,          // a reference to a WITH query
    Subquery,     // derived table
    Function,     // set-returning function: unnest, generate_series, jsonb_each...
    Values,       // VALUES list
};

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
    bool has_offset = false;
    bool has_group_by = false;
    bool has_aggregate = false;
    bool has_distinct = false;
    bool has_unresolved_columns = false;  // some column could not be tied to a relation
    std::vector<int> linked_groups;       // filled by analysis: connected component per relation
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
    std::vector<Join> joins;
    std::vector<OrderKey> order_by;        // top-level ORDER BY
    // Pairs of relations linked by any condition (not only equalities), for cartesian checks.
    std::vector<std::pair<int, int>> links;

    bool returns_rows() const;  // SELECT, or DML with RETURNING
    bool returns_star() const { return !star_locations.empty(); }
    bool has_returning = false;
};

struct QueryInventory {
    std::vector<Query> queries;
};

}  // namespace querylens
