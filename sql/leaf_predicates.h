#pragma once
// Internal to sql/: comparisons on a single column ("leaves" of a WHERE/ON/index predicate) read
// from libpg_query nodes into Predicates, for the query extractor and partial-index predicates.
#include <set>
#include <string>
#include <vector>

#include "core/predicate.h"
#include "sql/ast.h"

namespace querylens::leafpred {

extern const std::set<std::string> kAggregates;  // aggregate function names
extern const std::set<std::string> kJsonOps;     // jsonb operators

PredicateOp classify_op(const std::string& op);
std::string flip(const std::string& op);                 // "<" -> ">" when the sides swap
std::string op_name(const PgQuery__AExpr* e);
bool json_column(const PgQuery__Node* n, sqlast::ColumnName& out);
bool has_column_ref(const PgQuery__Node* n, int depth);
OperandKind operand_kind(const PgQuery__Node* n, std::vector<std::string>& constants);

// A comparison leaf, before its column is tied to a relation.
struct Leaf {
    sqlast::ColumnName col;
    bool has_col = false;
    Predicate pred;
    sqlast::ColumnName other_col;  // set when both sides are columns
    bool column_vs_column = false;
};

// Turns one condition node into a Leaf, if it is a comparison on a column.
bool make_leaf(const PgQuery__Node* n, Leaf& leaf);

}  // namespace querylens::leafpred
