#pragma once
// Drizzle expressions as SQL: columns (`orders.userId`), values, `sql` fragments, conditions
// (`eq`, `and`, `inArray`, ...), ORDER BY items. Shared by schema and query lowering.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "frontends/drizzle/drizzle.h"

namespace querylens {

class DrizzleSqlWriter : public TsSqlWriter {
public:
    DrizzleSqlWriter(const DrizzleProgram& drizzle, int file, DrizzleCasing casing)
        : TsSqlWriter(drizzle.program(), file), drizzle_(drizzle), casing_(casing) {}

    std::map<std::string, const DrizzleTable*> bound;  // callback parameters bound to tables
    std::set<std::string> related_loads;  // tables loaded per parent row (`with:`), qualified
    // Identifiers bound to `.as('name')` subqueries in the statement being written -> their SQL alias.
    std::map<std::string, std::string> subqueries;
    // Columns without their table (an index's key expression: `lower("email")`).
    bool unqualified_columns = false;

    DrizzleCasing casing() const { return casing_; }
    std::string column_name(const DrizzleColumn& c) const { return c.sql_name(casing_); }
    const DrizzleTable* table(TSNode e) const { return drizzle_.table_for(file(), e, &bound); }
    // `orders.userId` / `t.userId` -> the table and column.
    bool column(TSNode e, const DrizzleTable*& t, const DrizzleColumn*& c) const;
    bool emit_column(TSNode e);
    void emit_table(const DrizzleTable* t, TSNode origin);

    // A value: column, literal, sql template, aggregate, or a parameter.
    void operand(TSNode e, int depth = 0);
    // A condition: eq(a, b), and(...), and(...conds) with the array's pushes, cond ? eq(...) : undefined,
    // sql`...`. Sets dynamic_conditions when part of it is only known at run time.
    void condition(TSNode e, int depth = 0);
    bool dynamic_conditions = false;
    bool opaque_conditions = false;  // a required part of the condition is built elsewhere
    // orderBy arguments: desc(col), asc(col), col, sql`...`.
    void order_item(TSNode e);
    // An item of a GROUP BY / ORDER BY list: a fragment as written (no parentheses), else an operand.
    void list_item(TSNode e);
    // The `{ key: value }` / `{ key }` entries of an object literal that name columns of `t`.
    std::vector<std::pair<const DrizzleColumn*, TSNode>> column_values(const DrizzleTable& t, TSNode object) const;
    // A LIMIT/OFFSET count: a literal number or a parameter.
    void count_or_param(TSNode e);
    // The name a called identifier stands for (imports resolved to their exported name).
    std::string callee_name(TSNode call) const;

    TSNode sql_fragment(TSNode e) const override;
    // sql.raw(...): its literal text, or nothing (and opaque_conditions) when it is computed.
    bool raw(TSNode e);

protected:
    bool interpolate(TSNode value, int depth) override;

private:
    // The elements and pushes of a local array of conditions, each with whether it is optional.
    std::vector<std::pair<TSNode, bool>> array_elements(TSNode use, const std::string& name) const;
    // The value of `const name = ...` declared once in the function around `use` (or one enclosing
    // it) before `use`; null when there is none, several, or a `let`.
    TSNode local_const(TSNode use, const std::string& name) const;
    const DrizzleProgram& drizzle_;
    DrizzleCasing casing_;
};

}  // namespace querylens
