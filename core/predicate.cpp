#include "core/predicate.h"

#include <algorithm>

namespace querylens {

const char* to_string(PredicateOp op) {
    switch (op) {
        case PredicateOp::Equal: return "equality";
        case PredicateOp::In: return "in";
        case PredicateOp::Range: return "range";
        case PredicateOp::NotEqual: return "not-equal";
        case PredicateOp::Like: return "like";
        case PredicateOp::Json: return "json";
        case PredicateOp::IsNull: return "is-null";
        case PredicateOp::IsNotNull: return "is-not-null";
        case PredicateOp::Other: return "other";
    }
    return "other";
}

const char* to_string(OperandKind k) {
    switch (k) {
        case OperandKind::Constant: return "constant";
        case OperandKind::Parameter: return "parameter";
        case OperandKind::Column: return "column";
        case OperandKind::Expression: return "expression";
        case OperandKind::None: return "none";
    }
    return "none";
}

namespace {

bool satisfies(const Predicate& g, const Predicate& r) {
    if (g.in_disjunction || g.column.empty() || g.column != r.column) return false;
    switch (r.op) {
        case PredicateOp::IsNotNull:
            // Any comparison with a non-null value rules out NULL.
            return g.op == PredicateOp::IsNotNull ||
                   ((g.op == PredicateOp::Equal || g.op == PredicateOp::In || g.op == PredicateOp::Range ||
                     g.op == PredicateOp::Like) &&
                    g.other != OperandKind::None);
        case PredicateOp::IsNull:
            return g.op == PredicateOp::IsNull;
        case PredicateOp::Equal:
        case PredicateOp::In: {
            if (g.other != OperandKind::Constant || g.constants.empty()) return false;
            if (g.op != PredicateOp::Equal && g.op != PredicateOp::In) return false;
            // Every value the query admits must be admitted by the index.
            return std::all_of(g.constants.begin(), g.constants.end(), [&](const std::string& v) {
                return std::find(r.constants.begin(), r.constants.end(), v) != r.constants.end();
            });
        }
        default:
            // Ranges and others: only an identical condition counts.
            return g.op == r.op && g.op_text == r.op_text && g.other == OperandKind::Constant &&
                   g.constants == r.constants;
    }
}

}  // namespace

bool implies(const std::vector<Predicate>& given, const std::vector<Predicate>& required) {
    return std::all_of(required.begin(), required.end(), [&](const Predicate& r) {
        return std::any_of(given.begin(), given.end(), [&](const Predicate& g) { return satisfies(g, r); });
    });
}

}  // namespace querylens
