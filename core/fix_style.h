#pragma once
// How fixes are written in the code a query came from. Rules never name an ORM: they ask the
// query's FixStyle (`q.style()`) for the text of a fix, and each frontend supplies its own style
// (frontends/drizzle/fix_style.cpp writes `.limit()`, plain SQL writes `LIMIT`, a Prisma frontend
// would write `take:`). Names passed in are already in the code's own spelling (Query::code_names).
#include <string>

#include "core/finding.h"
#include "core/query.h"

namespace querylens {

class FixStyle {
public:
    virtual ~FixStyle() = default;
    // The language the fixes below are written in.
    virtual FixLanguage language() const = 0;
    // How the code bounds the rows it reads: "LIMIT", ".limit()", "limit:".
    virtual std::string limit_clause(const Query& q) const = 0;
    // What, in `q`, selects every column, for messages: "query", "db.select() without a field map".
    virtual std::string all_columns(const Query& q) const = 0;
    // Sketches that replace one statement per loop iteration by one for every element. `table`
    // is the table as the code names it; `member` the key column as the code names it
    // ("orders.userId"); `column` its last part.
    virtual std::string batch_insert(const std::string& table) const = 0;
    virtual std::string batch_lookup(const std::string& table, const std::string& member, const std::string& column) const = 0;
    virtual std::string batch_write(StatementKind kind, const std::string& table, const std::string& member,
                                    const std::string& column) const = 0;
};

// Plain SQL: queries from .sql files and raw SQL strings.
const FixStyle& sql_fix_style();

}  // namespace querylens
