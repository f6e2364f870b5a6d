#include "sql/ast.h"

#include <pg_query.h>

#include "core/schema.h"

#include <algorithm>
#include <cctype>

namespace querylens::sqlast {

std::string_view str(const PgQuery__Node* n) {
    if (n && n->node_case == PG_QUERY__NODE__NODE_STRING && n->string && n->string->sval)
        return n->string->sval;
    return {};
}

std::vector<std::string> strings(PgQuery__Node* const* items, size_t n) {
    std::vector<std::string> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.emplace_back(str(items[i]));
    return out;
}

std::string object_name(const PgQuery__Node* o) {
    if (!o || o->node_case != PG_QUERY__NODE__NODE_LIST) return {};
    auto parts = strings(o->list->items, o->list->n_items);
    if (parts.empty()) return {};
    return parts.size() >= 2 ? qualify(parts[parts.size() - 2], parts.back()) : qualify("", parts[0]);
}

std::string qualified_name(const PgQuery__RangeVar* rv) {
    if (!rv) return {};
    std::string schema = rv->schemaname && *rv->schemaname ? rv->schemaname : "public";
    return schema + "." + (rv->relname ? rv->relname : "");
}

bool column_ref(const PgQuery__Node* n, ColumnName& out) {
    if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || !n->column_ref) return false;
    const auto* c = n->column_ref;
    if (c->n_fields == 0) return false;
    const auto* last = c->fields[c->n_fields - 1];
    out = {};
    if (last->node_case == PG_QUERY__NODE__NODE_A_STAR) {
        out.star = true;
        out.name = "*";
    } else {
        out.name = std::string(str(last));
    }
    if (c->n_fields >= 2) out.qualifier = std::string(str(c->fields[c->n_fields - 2]));
    return true;
}

namespace {

std::string const_text(const PgQuery__AConst* c, bool quoted) {
    if (!c || c->isnull) return "NULL";
    switch (c->val_case) {
        case PG_QUERY__A__CONST__VAL_IVAL: return std::to_string(c->ival ? c->ival->ival : 0);
        case PG_QUERY__A__CONST__VAL_FVAL: return c->fval && c->fval->fval ? c->fval->fval : "0";
        case PG_QUERY__A__CONST__VAL_BOOLVAL: return c->boolval && c->boolval->boolval ? "true" : "false";
        case PG_QUERY__A__CONST__VAL_SVAL: {
            std::string v = c->sval && c->sval->sval ? c->sval->sval : "";
            return quoted ? quote_literal(v) : v;
        }
        case PG_QUERY__A__CONST__VAL_BSVAL: return c->bsval && c->bsval->bsval ? c->bsval->bsval : "";
        default: return "NULL";
    }
}

std::string join_exprs(PgQuery__Node* const* items, size_t n, int depth, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        if (i) out += sep;
        out += print_expr(items[i], depth + 1);
    }
    return out;
}

std::string op_name(const PgQuery__AExpr* e) {
    return e->n_name ? std::string(str(e->name[e->n_name - 1])) : std::string("?");
}

}  // namespace

bool constant_value(const PgQuery__Node* n, std::string& out) {
    for (int guard = 0; n && guard < 8; ++guard) {
        if (n->node_case == PG_QUERY__NODE__NODE_A_CONST) {
            if (n->a_const->isnull) return false;
            out = const_text(n->a_const, false);
            return true;
        }
        if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) {
            const auto* tc = n->type_cast;
            // 'true'::boolean and friends
            n = tc->arg;
            continue;
        }
        return false;
    }
    return false;
}

bool is_parameter(const PgQuery__Node* n) {
    for (int guard = 0; n && guard < 8; ++guard) {
        if (n->node_case == PG_QUERY__NODE__NODE_PARAM_REF) return true;
        if (n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) { n = n->type_cast->arg; continue; }
        return false;
    }
    return false;
}

std::string print_type(const PgQuery__TypeName* t) {
    if (!t) return {};
    auto names = strings(t->names, t->n_names);
    std::string base;
    if (names.size() == 2 && names[0] == "pg_catalog") {
        static const std::pair<const char*, const char*> aliases[] = {
            {"int4", "integer"}, {"int8", "bigint"}, {"int2", "smallint"}, {"bool", "boolean"},
            {"float8", "double precision"}, {"float4", "real"}, {"bpchar", "char"},
            {"timestamptz", "timestamptz"}, {"timestamp", "timestamp"}, {"varchar", "varchar"},
            {"numeric", "numeric"}, {"interval", "interval"}, {"time", "time"}, {"timetz", "timetz"}};
        base = names[1];
        for (const auto& [from, to] : aliases)
            if (base == from) base = to;
    } else {
        for (size_t i = 0; i < names.size(); ++i) base += (i ? "." : "") + names[i];
    }
    if (t->n_typmods) base += "(" + join_exprs(t->typmods, t->n_typmods, 0, ",") + ")";
    for (size_t i = 0; i < t->n_array_bounds; ++i) base += "[]";
    return base;
}

std::string deparse_expr(const PgQuery__Node* n) {
    if (!n) return "";
    // SELECT <expr>, packed and handed to the deparser; the nodes are only read.
    PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
    target.val = const_cast<PgQuery__Node*>(n);
    PgQuery__Node target_node = PG_QUERY__NODE__INIT;
    target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    target_node.res_target = &target;
    PgQuery__Node* targets[] = {&target_node};
    PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
    select.n_target_list = 1;
    select.target_list = targets;
    select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    PgQuery__Node stmt_node = PG_QUERY__NODE__INIT;
    stmt_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    stmt_node.select_stmt = &select;
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = &stmt_node;
    PgQuery__RawStmt* stmts[] = {&raw};
    PgQuery__ParseResult result = PG_QUERY__PARSE_RESULT__INIT;
    result.version = PG_VERSION_NUM;
    result.n_stmts = 1;
    result.stmts = stmts;
    std::string packed(pg_query__parse_result__get_packed_size(&result), '\0');
    pg_query__parse_result__pack(&result, reinterpret_cast<uint8_t*>(packed.data()));
    PgQueryProtobuf pb{packed.size(), packed.data()};
    PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
    std::string out;
    if (!d.error && d.query && std::string_view(d.query).rfind("SELECT ", 0) == 0) out = d.query + 7;
    pg_query_free_deparse_result(d);
    return out.empty() ? print_expr(n) : out;
}

std::string print_expr(const PgQuery__Node* n, int depth) {
    if (!n) return {};
    if (depth > kMaxDepth) return "...";
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_COLUMN_REF: {
            std::string out;
            for (size_t i = 0; i < n->column_ref->n_fields; ++i) {
                const auto* f = n->column_ref->fields[i];
                if (i) out += ".";
                out += f->node_case == PG_QUERY__NODE__NODE_A_STAR ? "*" : quote_ident(std::string(str(f)));
            }
            return out;
        }
        case PG_QUERY__NODE__NODE_A_CONST: return const_text(n->a_const, true);
        case PG_QUERY__NODE__NODE_PARAM_REF: return "$" + std::to_string(n->param_ref->number);
        case PG_QUERY__NODE__NODE_TYPE_CAST:
            return print_expr(n->type_cast->arg, depth + 1) + "::" + print_type(n->type_cast->type_name);
        case PG_QUERY__NODE__NODE_A_EXPR: {
            const auto* e = n->a_expr;
            const std::string op = op_name(e);
            const std::string l = print_expr(e->lexpr, depth + 1);
            switch (e->kind) {
                case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
                    return l + (op == "<>" ? " NOT IN (" : " IN (") + print_expr(e->rexpr, depth + 1) + ")";
                case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
                    return l + " " + op + " ANY(" + print_expr(e->rexpr, depth + 1) + ")";
                case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
                    return l + " " + op + " ALL(" + print_expr(e->rexpr, depth + 1) + ")";
                case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
                    return l + (op == "!~~" ? " NOT LIKE " : " LIKE ") + print_expr(e->rexpr, depth + 1);
                case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
                    return l + (op == "!~~*" ? " NOT ILIKE " : " ILIKE ") + print_expr(e->rexpr, depth + 1);
                case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
                case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
                    const auto* r = e->rexpr;
                    std::string lo, hi;
                    if (r && r->node_case == PG_QUERY__NODE__NODE_LIST && r->list->n_items == 2) {
                        lo = print_expr(r->list->items[0], depth + 1);
                        hi = print_expr(r->list->items[1], depth + 1);
                    }
                    return l + (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN ? " BETWEEN " : " NOT BETWEEN ") +
                           lo + " AND " + hi;
                }
                case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
                    return l + " IS DISTINCT FROM " + print_expr(e->rexpr, depth + 1);
                case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT:
                    return l + " IS NOT DISTINCT FROM " + print_expr(e->rexpr, depth + 1);
                default:
                    if (!e->lexpr) return op + " " + print_expr(e->rexpr, depth + 1);
                    return l + " " + op + " " + print_expr(e->rexpr, depth + 1);
            }
        }
        case PG_QUERY__NODE__NODE_BOOL_EXPR: {
            const auto* b = n->bool_expr;
            if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR)
                return "NOT " + (b->n_args ? print_expr(b->args[0], depth + 1) : std::string());
            const char* sep = b->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR ? " AND " : " OR ";
            std::string out;
            for (size_t i = 0; i < b->n_args; ++i) {
                if (i) out += sep;
                const auto* a = b->args[i];
                const bool paren = a->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR;
                out += paren ? "(" + print_expr(a, depth + 1) + ")" : print_expr(a, depth + 1);
            }
            return out;
        }
        case PG_QUERY__NODE__NODE_NULL_TEST:
            return print_expr(n->null_test->arg, depth + 1) +
                   (n->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL ? " IS NULL" : " IS NOT NULL");
        case PG_QUERY__NODE__NODE_BOOLEAN_TEST: return print_expr(n->boolean_test->arg, depth + 1) + " IS <bool>";
        case PG_QUERY__NODE__NODE_FUNC_CALL: {
            const auto* f = n->func_call;
            auto names = strings(f->funcname, f->n_funcname);
            std::string name;
            for (const auto& part : names) {
                if (part == "pg_catalog") continue;
                name += (name.empty() ? "" : ".") + part;
            }
            std::string args = f->agg_star ? "*" : join_exprs(f->args, f->n_args, depth);
            if (f->agg_distinct) args = "DISTINCT " + args;
            return name + "(" + args + ")";
        }
        case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
            switch (n->sqlvalue_function->op) {
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "CURRENT_DATE";
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME: return "CURRENT_TIME";
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP: return "CURRENT_TIMESTAMP";
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP: return "LOCALTIMESTAMP";
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER: return "CURRENT_USER";
                default: return "CURRENT_TIMESTAMP";
            }
        }
        case PG_QUERY__NODE__NODE_LIST: return join_exprs(n->list->items, n->list->n_items, depth);
        case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
            return "ARRAY[" + join_exprs(n->a_array_expr->elements, n->a_array_expr->n_elements, depth) + "]";
        case PG_QUERY__NODE__NODE_COALESCE_EXPR:
            return "COALESCE(" + join_exprs(n->coalesce_expr->args, n->coalesce_expr->n_args, depth) + ")";
        case PG_QUERY__NODE__NODE_SUB_LINK: return "(SELECT ...)";
        case PG_QUERY__NODE__NODE_STRING: return std::string(str(n));
        case PG_QUERY__NODE__NODE_INTEGER: return std::to_string(n->integer->ival);
        case PG_QUERY__NODE__NODE_A_INDIRECTION: return print_expr(n->a_indirection->arg, depth + 1) + "[...]";
        case PG_QUERY__NODE__NODE_CASE_EXPR: return "CASE ... END";
        default: return "<expr>";
    }
}

void for_each_node(const PgQuery__Node* root, const std::function<void(const PgQuery__Node*)>& visit) {
    if (!root) return;
    // Work items are protobuf messages; Node messages are reported to `visit`.
    struct Item {
        const ProtobufCMessage* msg;
        int depth;
    };
    std::vector<Item> stack{{&root->base, 0}};
    constexpr int kLimit = kMaxDepth * 16;
    while (!stack.empty()) {
        const Item it = stack.back();
        stack.pop_back();
        const ProtobufCMessageDescriptor* d = it.msg->descriptor;
        if (d == &pg_query__node__descriptor) visit(reinterpret_cast<const PgQuery__Node*>(it.msg));
        if (it.depth >= kLimit) continue;
        const size_t first = stack.size();
        const auto* base = reinterpret_cast<const char*>(it.msg);
        for (unsigned f = 0; f < d->n_fields; ++f) {
            const ProtobufCFieldDescriptor& fd = d->fields[f];
            if (fd.type != PROTOBUF_C_TYPE_MESSAGE) continue;
            // Members of a oneof (Node's payload) share one pointer: only the active one is set.
            if ((fd.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
                *reinterpret_cast<const uint32_t*>(base + fd.quantifier_offset) != fd.id)
                continue;
            if (fd.label == PROTOBUF_C_LABEL_REPEATED) {
                const size_t n = *reinterpret_cast<const size_t*>(base + fd.quantifier_offset);
                auto* const* items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + fd.offset);
                for (size_t i = 0; i < n; ++i)
                    if (items[i]) stack.push_back({items[i], it.depth + 1});
            } else if (fd.label != PROTOBUF_C_LABEL_REPEATED) {
                const auto* child = *reinterpret_cast<const ProtobufCMessage* const*>(base + fd.offset);
                if (child) stack.push_back({child, it.depth + 1});
            }
        }
        std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());  // visit in field order
    }
}

std::vector<std::string> called_functions(const PgQuery__Node* expr) {
    std::vector<std::string> out;
    for_each_node(expr, [&](const PgQuery__Node* n) {
        if (n->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && n->func_call->n_funcname > 0) {
            std::string name(str(n->func_call->funcname[n->func_call->n_funcname - 1]));
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.push_back(name);
        } else if (n->node_case == PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION) {
            switch (n->sqlvalue_function->op) {
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: out.push_back("current_date"); break;
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N: out.push_back("current_time"); break;
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N: out.push_back("current_timestamp"); break;
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N: out.push_back("localtime"); break;
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
                case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N: out.push_back("localtimestamp"); break;
                default: out.push_back("current_user"); break;
            }
        }
    });
    return out;
}

}  // namespace querylens::sqlast
