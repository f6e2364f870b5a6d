#include "sql/leaf_predicates.h"

#include <algorithm>

namespace querylens::leafpred {

using sqlast::ColumnName;
using sqlast::kMaxDepth;

const std::set<std::string> kAggregates = {"count", "sum", "avg", "min", "max", "array_agg", "string_agg",
                                           "json_agg", "jsonb_agg", "bool_and", "bool_or", "every",
                                           "json_object_agg", "jsonb_object_agg", "percentile_cont",
                                           "percentile_disc", "stddev", "variance"};
const std::set<std::string> kJsonOps = {"->", "->>", "#>", "#>>", "@>", "<@", "?", "?|", "?&", "@?", "@@"};

PredicateOp classify_op(const std::string& op) {
    if (op == "=") return PredicateOp::Equal;
    if (op == "<" || op == ">" || op == "<=" || op == ">=") return PredicateOp::Range;
    if (op == "<>" || op == "!=") return PredicateOp::NotEqual;
    if (op == "~~" || op == "~~*" || op == "~" || op == "~*" || op == "!~~" || op == "!~~*") return PredicateOp::Like;
    if (kJsonOps.count(op)) return PredicateOp::Json;
    return PredicateOp::Other;
}

std::string flip(const std::string& op) {
    if (op == "<") return ">";
    if (op == ">") return "<";
    if (op == "<=") return ">=";
    if (op == ">=") return "<=";
    return op;
}

std::string op_name(const PgQuery__AExpr* e) {
    return e->n_name ? std::string(sqlast::str(e->name[e->n_name - 1])) : std::string();
}

// `metadata->>'kind'` -> column "metadata" (the column side of a JSON predicate).
bool json_column(const PgQuery__Node* n, ColumnName& out) {
    if (!n || n->node_case != PG_QUERY__NODE__NODE_A_EXPR) return false;
    const auto* e = n->a_expr;
    return e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP && kJsonOps.count(op_name(e)) &&
           sqlast::column_ref(e->lexpr, out);
}

// `lower(col)`, `trim(col)`, `date(col)`: a function of one column (the column in `out`).
bool function_column(const PgQuery__Node* n, ColumnName& out) {
    if (!n || n->node_case != PG_QUERY__NODE__NODE_FUNC_CALL || n->func_call->n_args != 1) return false;
    return sqlast::column_ref(n->func_call->args[0], out) && !out.star;
}

bool has_column_ref(const PgQuery__Node* n, int depth);

bool any_column_ref(PgQuery__Node* const* items, size_t n, int depth) {
    for (size_t i = 0; i < n; ++i)
        if (has_column_ref(items[i], depth + 1)) return true;
    return false;
}

bool has_column_ref(const PgQuery__Node* n, int depth) {
    if (!n || depth > kMaxDepth) return false;
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_COLUMN_REF: return true;
        case PG_QUERY__NODE__NODE_A_EXPR:
            return has_column_ref(n->a_expr->lexpr, depth + 1) || has_column_ref(n->a_expr->rexpr, depth + 1);
        case PG_QUERY__NODE__NODE_TYPE_CAST: return has_column_ref(n->type_cast->arg, depth + 1);
        case PG_QUERY__NODE__NODE_FUNC_CALL: return any_column_ref(n->func_call->args, n->func_call->n_args, depth);
        case PG_QUERY__NODE__NODE_LIST: return any_column_ref(n->list->items, n->list->n_items, depth);
        case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
            return any_column_ref(n->a_array_expr->elements, n->a_array_expr->n_elements, depth);
        case PG_QUERY__NODE__NODE_COALESCE_EXPR:
            return any_column_ref(n->coalesce_expr->args, n->coalesce_expr->n_args, depth);
        case PG_QUERY__NODE__NODE_BOOL_EXPR: return any_column_ref(n->bool_expr->args, n->bool_expr->n_args, depth);
        default: return false;
    }
}

// Describes the non-column side of a comparison.
OperandKind operand_kind(const PgQuery__Node* n, std::vector<std::string>& constants) {
    std::string v;
    if (sqlast::constant_value(n, v)) {
        constants.push_back(v);
        return OperandKind::Constant;
    }
    if (sqlast::is_parameter(n)) return OperandKind::Parameter;
    if (n && n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) return OperandKind::Column;
    if (n && (n->node_case == PG_QUERY__NODE__NODE_LIST || n->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR)) {
        PgQuery__Node* const* items = n->node_case == PG_QUERY__NODE__NODE_LIST ? n->list->items : n->a_array_expr->elements;
        const size_t count = n->node_case == PG_QUERY__NODE__NODE_LIST ? n->list->n_items : n->a_array_expr->n_elements;
        bool all_const = count > 0, any_col = false;
        for (size_t i = 0; i < count; ++i) {
            std::string item;
            if (sqlast::constant_value(items[i], item)) constants.push_back(item);
            else all_const = false;
            if (has_column_ref(items[i], 0)) any_col = true;
        }
        if (all_const) return OperandKind::Constant;
        constants.clear();
        return any_col ? OperandKind::Column : OperandKind::Parameter;
    }
    if (n && n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) return operand_kind(n->type_cast->arg, constants);
    if (n && n->node_case == PG_QUERY__NODE__NODE_SUB_LINK) return OperandKind::Expression;
    return has_column_ref(n, 0) ? OperandKind::Column : OperandKind::Expression;
}

// `$3`, `$3::int` -> 3; 0 for anything else.
int param_number(const PgQuery__Node* n) {
    for (int guard = 0; n && guard < 8 && n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST; ++guard) n = n->type_cast->arg;
    return n && n->node_case == PG_QUERY__NODE__NODE_PARAM_REF ? n->param_ref->number : 0;
}

// Turns one condition node into a Leaf, if it is a comparison on a column.
bool make_leaf(const PgQuery__Node* n, Leaf& leaf) {
    auto& p = leaf.pred;
    if (n->node_case == PG_QUERY__NODE__NODE_NULL_TEST) {
        const auto* t = n->null_test;
        if (!sqlast::column_ref(t->arg, leaf.col)) return false;
        leaf.has_col = true;
        p.op = t->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL ? PredicateOp::IsNull : PredicateOp::IsNotNull;
        p.op_text = p.op == PredicateOp::IsNull ? "IS NULL" : "IS NOT NULL";
        p.other = OperandKind::None;
        return true;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {  // WHERE is_active
        if (!sqlast::column_ref(n, leaf.col) || leaf.col.star) return false;
        leaf.has_col = true;
        p.op = PredicateOp::Equal;
        p.op_text = "=";
        p.other = OperandKind::Constant;
        p.constants = {"true"};
        return true;
    }
    if (n->node_case == PG_QUERY__NODE__NODE_BOOLEAN_TEST) {
        const auto* t = n->boolean_test;
        if (!sqlast::column_ref(t->arg, leaf.col)) return false;
        leaf.has_col = true;
        const bool is_true = t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE;
        const bool is_false = t->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_FALSE;
        p.op = (is_true || is_false) ? PredicateOp::Equal : PredicateOp::Other;
        p.op_text = "=";
        p.other = OperandKind::Constant;
        p.constants = {is_true ? "true" : "false"};
        return true;
    }
    if (n->node_case != PG_QUERY__NODE__NODE_A_EXPR) return false;
    const auto* e = n->a_expr;
    std::string op = op_name(e);
    const PgQuery__Node* lhs = e->lexpr;
    const PgQuery__Node* rhs = e->rexpr;
    switch (e->kind) {
        case PG_QUERY__A__EXPR__KIND__AEXPR_OP: p.op = classify_op(op); break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY: p.op = op == "=" ? PredicateOp::In : PredicateOp::Other; op = "= ANY"; break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
            p.op = op == "=" ? PredicateOp::In : PredicateOp::NotEqual;
            op = op == "=" ? "IN" : "NOT IN";
            break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
        case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
        case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
            p.op = PredicateOp::Like;
            {
                const bool negated = !op.empty() && op[0] == '!';  // !~~, !~~*: NOT LIKE / NOT ILIKE
                op = std::string(negated ? "NOT " : "") + (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE ? "ILIKE" : "LIKE");
            }
            break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
        case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM: p.op = PredicateOp::Range; op = "BETWEEN"; break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
        case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM: p.op = PredicateOp::Other; op = "NOT BETWEEN"; break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT: p.op = PredicateOp::NotEqual; op = "IS DISTINCT FROM"; break;
        case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: p.op = PredicateOp::Equal; op = "IS NOT DISTINCT FROM"; break;
        default: p.op = PredicateOp::Other; break;
    }
    p.op_text = op;
    ColumnName lc, rc;
    const bool l_col = sqlast::column_ref(lhs, lc) && !lc.star;
    const bool r_col = sqlast::column_ref(rhs, rc) && !rc.star;
    if (l_col && r_col) {
        leaf.col = lc;
        leaf.other_col = rc;
        leaf.has_col = true;
        leaf.column_vs_column = true;
        p.other = OperandKind::Column;
        return true;
    }
    ColumnName jc;
    if (l_col || (!r_col && json_column(lhs, jc))) {
        leaf.col = l_col ? lc : jc;
        if (!l_col) {
            // Without the column's qualifier (`m.metadata ->> 'k'` is `metadata ->> 'k'`): an
            // expression index stores it unqualified.
            p.expression = sqlast::print_expr(lhs);
            if (!jc.qualifier.empty()) {
                const std::string prefix = sqlast::quote_ident(jc.qualifier) + ".";
                for (size_t at; (at = p.expression.find(prefix + sqlast::quote_ident(jc.name))) != std::string::npos;)
                    p.expression.erase(at, prefix.size());
            }
            if (p.op != PredicateOp::Json) p.op_text = std::string(op_name(lhs->a_expr)) + " " + p.op_text;
            p.op = PredicateOp::Json;
        }
    } else if (!r_col && p.op == PredicateOp::Equal && function_column(lhs, jc)) {
        // `lower(email) = lower($1)`: an equality on an expression of the column. Recorded as
        // such (op Other, with its expression): only an expression index serves it.
        leaf.col = jc;
        p.expression = sqlast::print_expr(lhs);
        const std::string prefix = jc.qualifier.empty() ? "" : sqlast::quote_ident(jc.qualifier) + ".";
        if (!prefix.empty())
            for (size_t at; (at = p.expression.find(prefix + sqlast::quote_ident(jc.name))) != std::string::npos;)
                p.expression.erase(at, prefix.size());
        p.op = PredicateOp::Other;
        p.op_text = "expression =";
    } else if (r_col && e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP) {
        leaf.col = rc;
        std::swap(lhs, rhs);
        p.op_text = flip(op);
    } else {
        p.expression = sqlast::print_expr(lhs);
        p.other = operand_kind(rhs, p.constants);
    p.param = param_number(rhs);
        p.param = param_number(rhs);
        return false;  // expression on the column side: no single-column predicate
    }
    leaf.has_col = true;
    p.other = operand_kind(rhs, p.constants);
    p.param = param_number(rhs);
    return true;
}

}  // namespace querylens::leafpred
