#pragma once
// How fixes are written in the code a query came from. Rules never name an ORM: they ask the
// query's FixStyle (`q.style()`) for the text of a fix, and each frontend supplies its own style
// (frontends/drizzle/fix_style.cpp writes `.limit()`, plain SQL writes `LIMIT`, a Prisma frontend
// would write `take:`). Names passed in are already in the code's own spelling (Query::code_names).
#include <string>

#include "core/finding.h"
#include "core/query.h"

namespace querylens {

// What the statement in a loop does, in the code's own names, for a batch sketch: the key the loop
// varies, and the shape of the per-element work (a lookup, the latest row per key, an aggregate per
// key, writes of per-row values, an upsert).
struct Batch {
    StatementKind kind = StatementKind::Select;
    std::string api;        // how the code issued the query in the loop: "this.db.select", "tx.update"
    std::string table;      // as the code names it: "rollbacks"
    std::string table_sql;  // as SQL names it: "rollback"
    std::string member;     // the key as the code names it: "rollbacks.deploymentId" ("" for inserts)
    std::string column;     // its property: "deploymentId"
    std::string key_sql;    // its SQL column: "deployment_id"
    bool other_conditions = false;  // the statement also filters on values fixed for the whole loop
    enum class Read { Rows, Latest, Aggregate } read = Read::Rows;
    std::string order_member;  // Latest: the ordering column as the code names it
    bool order_desc = false;
    // Update / upsert: the columns written from per-row values, (SQL name, property).
    std::vector<std::pair<std::string, std::string>> per_row;
    bool expression_writes = false;  // some SET is an expression (`on_hand = on_hand - $1`): kept, reading v
    bool on_conflict = false, do_nothing = false;
    std::vector<std::string> conflict_members;  // the conflict target as the code names it
};

class FixStyle {
public:
    virtual ~FixStyle() = default;
    // The language the fixes below are written in.
    virtual FixLanguage language() const = 0;
    // How the code bounds the rows it reads: "LIMIT", ".limit()", "limit:".
    virtual std::string limit_clause(const Query& q) const = 0;
    // What, in `q`, selects every column, for messages: "query", "db.select() without a field map".
    virtual std::string all_columns(const Query& q) const = 0;
    // A sketch that replaces one statement per loop iteration by one for every element (see Batch).
    virtual std::string batch(const struct Batch& b) const = 0;
    // The query reading only `columns` ((SQL name, property) pairs) of `table` (as the code names
    // it; `table_sql` as SQL does), in the query's own syntax.
    virtual std::string select_columns(const Query& q, const std::string& table, const std::string& table_sql,
                                       const std::vector<std::pair<std::string, std::string>>& columns) const = 0;
};

// Plain SQL: queries from .sql files and raw SQL strings.
const FixStyle& sql_fix_style();

}  // namespace querylens
