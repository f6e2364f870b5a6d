#pragma once
// A normalised single-column condition, used both for query predicates and for the WHERE
// clause of partial indexes, so "does the query imply the index predicate?" compares like with like.
#include <string>
#include <vector>

#include "core/source.h"

namespace querylens {

enum class PredicateOp {
    Equal,       // col = x
    In,          // col IN (...), col = ANY(...)
    Range,       // <, <=, >, >=, BETWEEN
    NotEqual,    // <>, NOT IN
    Like,        // LIKE, ILIKE, SIMILAR TO, ~
    Json,        // @>, ?, ?|, ?&, ->, ->> ...
    IsNull,
    IsNotNull,
    Other,
};

enum class OperandKind { Constant, Parameter, Column, Expression, None };

const char* to_string(PredicateOp op);
const char* to_string(OperandKind k);

struct Predicate {
    int relation = -1;        // index into Query::relations; -1 when unresolved
    std::string column;       // bare column name; empty when the column side is an expression
    std::string expression;   // printed column-side expression when it is not a bare column
    PredicateOp op = PredicateOp::Other;
    std::string op_text;      // operator as written: "=", ">=", "IN", "LIKE", "@>", ...
    OperandKind other = OperandKind::None;
    std::vector<std::string> constants;  // literal values on the other side (normalised text)
    bool in_disjunction = false;  // under OR / NOT: cannot be used alone to pick an index
    // ... but only under ORs whose other branches an index of their own serves (`a = $1 OR b = $1`:
    // a BitmapOr) or that test no column (`member_id = $2 OR $2 IS NULL`: a filter the caller
    // switches off; custom plans use the index when it is on). Not under NOT.
    bool or_servable = false;
    // The outermost OR it is under (numbered per query, -1: none) and which of its branches: the
    // other branches' predicates say whether indexes that exist serve them too.
    int or_group = -1, or_branch = -1;
    bool from_join = false;       // written in a JOIN ... ON clause
    // Code in a loop: the value compared mentions a name the loop binds (the key the loop varies,
    // `d.id` in `for (const d of deployments)`), as opposed to one fixed for the whole loop.
    bool loop_varying = false;
    int param = 0;  // the $n compared with, when it is a plain parameter
    Location loc;

    // Whether an index scan on `column` can use this predicate (btree semantics).
    bool btree_sargable() const {
        return !column.empty() && !in_disjunction &&
               (op == PredicateOp::Equal || op == PredicateOp::In || op == PredicateOp::Range ||
                op == PredicateOp::IsNull) &&
               (other == OperandKind::Constant || other == OperandKind::Parameter ||
                op == PredicateOp::IsNull);
    }
    bool is_equality() const {
        return op == PredicateOp::Equal || op == PredicateOp::In || op == PredicateOp::IsNull;
    }
};

// True when every conjunct of `required` (an index predicate) follows from `given` (a query's
// conjuncts on the same table): same column with the same constants, a narrower IN list,
// or IS NOT NULL implied by an equality/range against a value.
bool implies(const std::vector<Predicate>& given, const std::vector<Predicate>& required);

}  // namespace querylens
