#include "sql/query_extractor.h"

#include <algorithm>
#include <map>
#include <set>

#include "sql/ast.h"
#include "sql/leaf_predicates.h"

namespace querylens {

namespace {

using sqlast::ColumnName;
using sqlast::kMaxDepth;
using namespace leafpred;

class Extractor {
public:
    Extractor(const SourceFile& file, uint32_t base, const SchemaModel& schema, Query& q)
        : file_(file), base_(base), schema_(schema), q_(q) {}

    int select(const PgQuery__SelectStmt* s, int parent, bool output, int depth);
    void dml(const PgQuery__Node* n);

private:
    struct Scope {
        std::map<std::string, int> ctes;  // name -> defining block
        std::vector<int> relations;
    };

    Location loc(int32_t location) const {
        return file_.at(base_ + static_cast<uint32_t>(std::max(0, location)));
    }
    int new_block(int parent, bool output) {
        Block b;
        b.parent = parent;
        b.output = output;
        q_.blocks.push_back(b);
        scopes_.emplace_back();
        return static_cast<int>(q_.blocks.size()) - 1;
    }
    // The block defining CTE `name` as seen from `block`; -2 when no such CTE is visible.
    int cte_block(int block, const std::string& name) const {
        for (int b = block; b >= 0; b = q_.blocks[b].parent)
            if (auto it = scopes_[b].ctes.find(name); it != scopes_[b].ctes.end()) return it->second;
        return -2;
    }
    int add_relation(Relation r) {
        q_.relations.push_back(std::move(r));
        const int idx = static_cast<int>(q_.relations.size()) - 1;
        scopes_[q_.relations[idx].block].relations.push_back(idx);
        return idx;
    }
    int range_var(const PgQuery__RangeVar* rv, int block);
    std::vector<int> from_item(const PgQuery__Node* n, int block, int depth);
    void with_clause(const PgQuery__WithClause* w, int block, int depth);
    void target_list(PgQuery__Node* const* items, size_t n, int block, bool output, int depth);
    // `or_servable`: every OR above has other branches an index of their own serves, or that test no
    // column (Predicate::or_servable).
    void condition(const PgQuery__Node* n, int block, bool in_disj, bool from_join, int depth, bool or_servable = true);
    void expression(const PgQuery__Node* n, int block, int depth, std::set<int>* rels);
    int resolve(const ColumnName& c, int block) const;
    void add_links(const std::set<int>& rels, int block);

    const SourceFile& file_;
    uint32_t base_;
    const SchemaModel& schema_;
    Query& q_;
    std::vector<Scope> scopes_;
    // The outermost OR the condition walk is under (Predicate::or_group) and its branch.
    int or_group_ = -1, or_branch_ = -1, or_groups_ = 0;
    std::set<int>* condition_rels_ = nullptr;  // inside an OR: the relations its leaves mention
};

int Extractor::range_var(const PgQuery__RangeVar* rv, int block) {
    Relation r;
    r.block = block;
    r.loc = loc(rv->location);
    const std::string name = rv->relname ? rv->relname : "";
    const bool bare = !rv->schemaname || !*rv->schemaname;
    if (const int cb = bare ? cte_block(block, name) : -2; cb != -2) {
        r.kind = RelationKind::Cte;
        r.table = name;
        r.source_block = cb;
        // A WITH query that aggregates without GROUP BY, or stops at LIMIT 1, is one row: joining
        // it (`LEFT JOIN totals ON true`) adds columns, not rows.
        if (cb >= 0 && cb < static_cast<int>(q_.blocks.size()))
            r.single_row = (q_.blocks[cb].has_aggregate && !q_.blocks[cb].has_group_by) || q_.blocks[cb].limit_one;
    } else {
        r.kind = RelationKind::Table;
        r.table = sqlast::qualified_name(rv);
        r.known = schema_.find_table(r.table) != nullptr;
    }
    r.alias = rv->alias && rv->alias->aliasname ? rv->alias->aliasname : name;
    return add_relation(std::move(r));
}

std::vector<int> Extractor::from_item(const PgQuery__Node* n, int block, int depth) {
    std::vector<int> rels;
    if (!n || depth > kMaxDepth) return rels;
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_RANGE_VAR: rels.push_back(range_var(n->range_var, block)); break;
        case PG_QUERY__NODE__NODE_RANGE_TABLE_SAMPLE:
            return from_item(n->range_table_sample->relation, block, depth + 1);
        case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
            const auto* rs = n->range_subselect;
            Relation r;
            r.block = block;
            r.lateral = rs->lateral;
            r.alias = rs->alias && rs->alias->aliasname ? rs->alias->aliasname : "";
            r.kind = RelationKind::Subquery;
            r.loc = q_.loc;
            if (rs->subquery && rs->subquery->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
                const auto* sub = rs->subquery->select_stmt;
                if (sub->n_values_lists) r.kind = RelationKind::Values;
                const size_t first_rel = q_.relations.size();
                const int child = select(sub, block, false, depth + 1);
                r.source_block = child;
                if (first_rel < q_.relations.size()) r.loc = q_.relations[first_rel].loc;
                if (child >= 0) {
                    const Block& cb = q_.blocks[child];
                    r.single_row = (cb.has_aggregate && !cb.has_group_by);
                    std::string v;
                    if (sub->limit_count && sqlast::constant_value(sub->limit_count, v) && v == "1") r.single_row = true;
                }
            }
            rels.push_back(add_relation(std::move(r)));
            break;
        }
        case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
            const auto* rf = n->range_function;
            Relation r;
            r.block = block;
            r.kind = RelationKind::Function;
            r.lateral = rf->lateral;
            r.alias = rf->alias && rf->alias->aliasname ? rf->alias->aliasname : "";
            r.loc = q_.loc;
            // The function list is a List of (FuncCall, coldeflist) pairs.
            if (rf->n_functions && rf->functions[0]->node_case == PG_QUERY__NODE__NODE_LIST &&
                rf->functions[0]->list->n_items && rf->functions[0]->list->items[0]->node_case == PG_QUERY__NODE__NODE_FUNC_CALL)
                r.loc = loc(rf->functions[0]->list->items[0]->func_call->location);
            rels.push_back(add_relation(std::move(r)));
            break;
        }
        case PG_QUERY__NODE__NODE_JOIN_EXPR: {
            const auto* j = n->join_expr;
            std::vector<int> left = from_item(j->larg, block, depth + 1);
            std::vector<int> right = from_item(j->rarg, block, depth + 1);
            Join join;
            join.relation = right.empty() ? -1 : right.front();
            if (join.relation >= 0) join.loc = q_.relations[join.relation].loc;
            switch (j->jointype) {
                case PG_QUERY__JOIN_TYPE__JOIN_LEFT: join.type = JoinType::Left; break;
                case PG_QUERY__JOIN_TYPE__JOIN_RIGHT: join.type = JoinType::Right; break;
                case PG_QUERY__JOIN_TYPE__JOIN_FULL: join.type = JoinType::Full; break;
                default: join.type = JoinType::Inner; break;
            }
            join.natural_or_using = j->is_natural || j->n_using_clause > 0;
            if (!j->quals && !join.natural_or_using && join.type == JoinType::Inner) join.type = JoinType::Cross;
            if (j->quals) {
                join.condition = sqlast::print_expr(j->quals);
                condition(j->quals, block, false, true, depth + 1);
            }
            if (join.natural_or_using) {
                std::set<int> linked(left.begin(), left.end());
                linked.insert(right.begin(), right.end());
                add_links(linked, block);
            }
            q_.joins.push_back(std::move(join));
            rels = left;
            rels.insert(rels.end(), right.begin(), right.end());
            break;
        }
        default: break;
    }
    return rels;
}

void Extractor::with_clause(const PgQuery__WithClause* w, int block, int depth) {
    if (!w) return;
    for (size_t i = 0; i < w->n_ctes; ++i) {
        const auto* n = w->ctes[i];
        if (n->node_case != PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) continue;
        scopes_[block].ctes[n->common_table_expr->ctename ? n->common_table_expr->ctename : ""] = -1;
    }
    for (size_t i = 0; i < w->n_ctes; ++i) {
        const auto* n = w->ctes[i];
        if (n->node_case != PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR || !n->common_table_expr->ctequery) continue;
        const auto* cq = n->common_table_expr->ctequery;
        if (cq->node_case == PG_QUERY__NODE__NODE_SELECT_STMT)
            scopes_[block].ctes[n->common_table_expr->ctename ? n->common_table_expr->ctename : ""] =
                select(cq->select_stmt, block, false, depth + 1);
    }
}

void Extractor::target_list(PgQuery__Node* const* items, size_t n, int block, bool output, int depth) {
    const bool top = block == 0 && output;
    if (top) q_.outputs_known = true;
    for (size_t i = 0; i < n; ++i) {
        const auto* t = items[i];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !t->res_target->val) continue;
        const auto* v = t->res_target->val;
        ColumnName c;
        const bool column = sqlast::column_ref(v, c);
        if (column && c.star) {
            if (output) q_.star_locations.push_back(loc(v->column_ref->location));
            if (top) q_.outputs_known = false;
            continue;
        }
        if (top) {
            const int r = column ? resolve(c, block) : -1;
            if (r >= 0) q_.output_columns.emplace_back(r, c.name);
            else q_.outputs_known = false;
        }
        expression(v, block, depth + 1, nullptr);
    }
}

int Extractor::select(const PgQuery__SelectStmt* s, int parent, bool output, int depth) {
    if (!s || depth > kMaxDepth) return -1;
    const int b = new_block(parent, output);
    with_clause(s->with_clause, b, depth);
    const bool limited = s->limit_count && !(s->limit_count->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                                            s->limit_count->a_const->isnull);
    q_.blocks[b].has_limit = limited;
    std::string limit_text;
    q_.blocks[b].limit_one = limited && sqlast::constant_value(s->limit_count, limit_text) && limit_text == "1";
    q_.blocks[b].has_offset = s->limit_offset != nullptr;
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE && s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
        for (const auto* arm : {s->larg, s->rarg}) {
            const int child = select(arm, b, output, depth + 1);
            if (child >= 0 && limited) q_.blocks[child].has_limit = true;
        }
        return b;
    }
    for (size_t i = 0; i < s->n_from_clause; ++i) {
        const size_t before = q_.relations.size();
        from_item(s->from_clause[i], b, depth + 1);
        if (i > 0 && before < q_.relations.size()) {
            Join j;
            j.relation = static_cast<int>(before);
            j.type = JoinType::Comma;
            j.loc = q_.relations[before].loc;
            q_.joins.push_back(j);
        }
    }
    target_list(s->target_list, s->n_target_list, b, output, depth);
    if (s->where_clause) condition(s->where_clause, b, false, false, depth + 1);
    q_.blocks[b].has_group_by = s->n_group_clause > 0;
    q_.blocks[b].has_distinct = s->n_distinct_clause > 0;
    for (size_t i = 0; i < s->n_group_clause; ++i) {
        expression(s->group_clause[i], b, depth + 1, nullptr);
        ColumnName gc;
        const int rel = sqlast::column_ref(s->group_clause[i], gc) && !gc.star ? resolve(gc, b) : -1;
        if (rel >= 0) q_.blocks[b].group_columns.emplace_back(rel, gc.name);
        else q_.blocks[b].group_plain = false;
    }
    // Time bucketing: GROUP BY time_bucket(...) / date_trunc(...), directly or through an output
    // alias (GROUP BY 1, GROUP BY bucket).
    for (size_t i = 0; i < s->n_group_clause; ++i) {
        std::vector<const PgQuery__Node*> exprs{s->group_clause[i]};
        for (size_t t = 0; t < s->n_target_list; ++t) {
            const auto* rt = s->target_list[t]->node_case == PG_QUERY__NODE__NODE_RES_TARGET ? s->target_list[t]->res_target : nullptr;
            if (!rt || !rt->val) continue;
            sqlast::ColumnName cn;
            const auto* g = s->group_clause[i];
            const bool by_alias = sqlast::column_ref(g, cn) && !cn.star && cn.qualifier.empty() && rt->name && cn.name == rt->name;
            std::string position;
            const bool by_position = sqlast::constant_value(g, position) && position == std::to_string(t + 1);
            if (by_alias || by_position) exprs.push_back(rt->val);
        }
        for (const auto* e : exprs)
            for (const auto& fn : sqlast::called_functions(e))
                if (fn == "time_bucket" || fn == "date_trunc" || fn == "time_bucket_gapfill") q_.blocks[b].time_bucketed = true;
    }
    if (s->having_clause) expression(s->having_clause, b, depth + 1, nullptr);
    for (size_t i = 0; i < s->n_sort_clause; ++i) {
        const auto* n = s->sort_clause[i];
        if (n->node_case != PG_QUERY__NODE__NODE_SORT_BY) continue;
        const auto* sb = n->sort_by;
        ColumnName c;
        if (i == 0 && sqlast::column_ref(sb->node, c) && !c.star) q_.blocks[b].first_order = {resolve(c, b), c.name};
        if (b == 0 && sqlast::column_ref(sb->node, c) && !c.star) {
            OrderKey k;
            k.relation = resolve(c, b);
            k.column = c.name;
            k.desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
            q_.order_by.push_back(k);
        } else {
            expression(sb->node, b, depth + 1, nullptr);
        }
    }
    return b;
}

int Extractor::resolve(const ColumnName& c, int block) const {
    for (int b = block; b >= 0; b = q_.blocks[b].parent) {
        const auto& rels = scopes_[b].relations;
        if (!c.qualifier.empty()) {
            for (int r : rels)
                if (q_.relations[r].alias == c.qualifier) return r;
            continue;
        }
        if (rels.size() == 1) return rels.front();
        int definite = -1, definite_count = 0, maybe = 0;
        for (int r : rels) {
            const auto& rel = q_.relations[r];
            if (rel.kind == RelationKind::Table && rel.known) {
                if (schema_.find_table(rel.table)->column(c.name)) {
                    definite = r;
                    ++definite_count;
                }
            } else {
                ++maybe;
            }
        }
        if (definite_count == 1 && maybe == 0) return definite;
        if (definite_count > 0 || maybe > 0) return -1;  // ambiguous here: do not guess
    }
    return -1;
}

void Extractor::add_links(const std::set<int>& rels, int block) {
    std::vector<int> mine;
    for (int r : rels)
        if (r >= 0 && q_.relations[r].block == block) mine.push_back(r);
    for (size_t i = 1; i < mine.size(); ++i) q_.links.emplace_back(mine[0], mine[i]);
}

// Walks any expression: notes column references (to link relations), aggregates, and the
// subqueries it contains.
void Extractor::expression(const PgQuery__Node* n, int block, int depth, std::set<int>* rels) {
    if (!n || depth > kMaxDepth) return;
    auto walk = [&](const PgQuery__Node* c) { expression(c, block, depth + 1, rels); };
    auto walk_all = [&](PgQuery__Node* const* items, size_t count) {
        for (size_t i = 0; i < count; ++i) walk(items[i]);
    };
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_COLUMN_REF: {
            ColumnName c;
            if (!sqlast::column_ref(n, c) || c.star) return;
            const int r = resolve(c, block);
            if (r < 0) {
                // A name that is an output alias (ORDER BY total) is no table column either.
                if (!c.qualifier.empty() || scopes_[block].relations.size() > 1) q_.blocks[block].has_unresolved_columns = true;
            } else if (rels) {
                rels->insert(r);
            }
            return;
        }
        case PG_QUERY__NODE__NODE_A_EXPR: walk(n->a_expr->lexpr); walk(n->a_expr->rexpr); return;
        case PG_QUERY__NODE__NODE_BOOL_EXPR: walk_all(n->bool_expr->args, n->bool_expr->n_args); return;
        case PG_QUERY__NODE__NODE_NULL_TEST: walk(n->null_test->arg); return;
        case PG_QUERY__NODE__NODE_BOOLEAN_TEST: walk(n->boolean_test->arg); return;
        case PG_QUERY__NODE__NODE_TYPE_CAST: walk(n->type_cast->arg); return;
        case PG_QUERY__NODE__NODE_LIST: walk_all(n->list->items, n->list->n_items); return;
        case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: walk_all(n->a_array_expr->elements, n->a_array_expr->n_elements); return;
        case PG_QUERY__NODE__NODE_COALESCE_EXPR: walk_all(n->coalesce_expr->args, n->coalesce_expr->n_args); return;
        case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: walk_all(n->min_max_expr->args, n->min_max_expr->n_args); return;
        case PG_QUERY__NODE__NODE_A_INDIRECTION: walk(n->a_indirection->arg); return;
        case PG_QUERY__NODE__NODE_RES_TARGET: walk(n->res_target->val); return;
        case PG_QUERY__NODE__NODE_SORT_BY: walk(n->sort_by->node); return;
        case PG_QUERY__NODE__NODE_CASE_EXPR: {
            const auto* c = n->case_expr;
            walk(c->arg);
            walk_all(c->args, c->n_args);
            walk(c->defresult);
            return;
        }
        case PG_QUERY__NODE__NODE_CASE_WHEN: walk(n->case_when->expr); walk(n->case_when->result); return;
        case PG_QUERY__NODE__NODE_FUNC_CALL: {
            const auto* f = n->func_call;
            if (!f->over && f->n_funcname) {
                const std::string name(sqlast::str(f->funcname[f->n_funcname - 1]));
                if (kAggregates.count(name)) q_.blocks[block].has_aggregate = true;
            }
            walk_all(f->args, f->n_args);
            if (f->agg_filter) walk(f->agg_filter);
            return;
        }
        case PG_QUERY__NODE__NODE_SUB_LINK: {
            const auto* sl = n->sub_link;
            walk(sl->testexpr);
            if (sl->subselect && sl->subselect->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
                const int b = select(sl->subselect->select_stmt, block, false, depth + 1);
                const auto t = sl->sub_link_type;
                if (b >= 0 && (t == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK || t == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK ||
                               t == PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK))
                    q_.blocks[b].semi_join = true;
            }
            return;
        }
        default: return;
    }
}

namespace {

// Whether a condition reads a column (or a subquery, which may): `$2 IS NULL`, `$3::boolean` do not.
bool mentions_column(const PgQuery__Node* n, int depth) {
    if (!n || depth > 64) return n != nullptr;
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_COLUMN_REF:
        case PG_QUERY__NODE__NODE_SUB_LINK: return true;
        case PG_QUERY__NODE__NODE_A_EXPR: return mentions_column(n->a_expr->lexpr, depth + 1) || mentions_column(n->a_expr->rexpr, depth + 1);
        case PG_QUERY__NODE__NODE_NULL_TEST: return mentions_column(n->null_test->arg, depth + 1);
        case PG_QUERY__NODE__NODE_BOOLEAN_TEST: return mentions_column(n->boolean_test->arg, depth + 1);
        case PG_QUERY__NODE__NODE_TYPE_CAST: return mentions_column(n->type_cast->arg, depth + 1);
        case PG_QUERY__NODE__NODE_PARAM_REF:
        case PG_QUERY__NODE__NODE_A_CONST: return false;
        case PG_QUERY__NODE__NODE_BOOL_EXPR:
            for (size_t i = 0; i < n->bool_expr->n_args; ++i)
                if (mentions_column(n->bool_expr->args[i], depth + 1)) return true;
            return false;
        case PG_QUERY__NODE__NODE_FUNC_CALL:
            for (size_t i = 0; i < n->func_call->n_args; ++i)
                if (mentions_column(n->func_call->args[i], depth + 1)) return true;
            return false;
        case PG_QUERY__NODE__NODE_LIST:
            for (size_t i = 0; i < n->list->n_items; ++i)
                if (mentions_column(n->list->items[i], depth + 1)) return true;
            return false;
        default: return true;  // anything else: assume it may
    }
}

// Whether an index of its own can serve an OR branch (so that a BitmapOr serves the OR), or it
// tests no column (`$2 IS NULL`: an optional filter): an equality, IN, range or IS NULL on a
// column, or an AND with one such conjunct. `visibility <> 'private'`, NOT, LIKE: no.
bool branch_servable(const PgQuery__Node* n, int depth) {
    if (!n || depth > 64) return false;
    if (!mentions_column(n, 0)) return true;
    if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR) {
        const auto* b = n->bool_expr;
        if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) return false;
        const bool all = b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR;
        for (size_t i = 0; i < b->n_args; ++i) {
            // An AND needs a conjunct with a column an index can use; a column-free one does not count.
            const bool ok = all ? branch_servable(b->args[i], depth + 1)
                                : mentions_column(b->args[i], 0) && branch_servable(b->args[i], depth + 1);
            if (all && !ok) return false;
            if (!all && ok) return true;
        }
        return all;
    }
    leafpred::Leaf leaf;
    if (!make_leaf(n, leaf) || !leaf.has_col) return false;
    const PredicateOp op = leaf.pred.op;
    if (op != PredicateOp::Equal && op != PredicateOp::In && op != PredicateOp::Range && op != PredicateOp::IsNull) return false;
    return leaf.column_vs_column || op == PredicateOp::IsNull || leaf.pred.other == OperandKind::Constant ||
           leaf.pred.other == OperandKind::Parameter;
}

}  // namespace

// Walks a boolean condition, recording predicates, join edges and links between relations.
void Extractor::condition(const PgQuery__Node* n, int block, bool in_disj, bool from_join, int depth, bool or_servable) {
    if (!n || depth > kMaxDepth) return;
    if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR) {
        const auto* b = n->bool_expr;
        if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR && b->n_args == 1 &&
            b->args[0]->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
            ColumnName c;
            if (sqlast::column_ref(b->args[0], c) && !c.star) {  // WHERE NOT is_deleted
                Predicate p;
                p.relation = resolve(c, block);
                p.column = c.name;
                p.op = PredicateOp::Equal;
                p.op_text = "=";
                p.other = OperandKind::Constant;
                p.constants = {"false"};
                p.in_disjunction = in_disj;
                p.or_servable = in_disj && or_servable;
                p.or_group = or_group_, p.or_branch = or_branch_;
                p.from_join = from_join;
                p.loc = loc(b->args[0]->column_ref->location);
                if (condition_rels_ && p.relation >= 0) condition_rels_->insert(p.relation);
                q_.predicates.push_back(p);
                return;
            }
        }
        const bool disj = in_disj || b->boolop != PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR;
        // `member_id = $2 OR $2 IS NULL` (an optional filter) and `a = $1 OR b = $1` (a BitmapOr of
        // two indexes): an index on the column serves its branch; `user_id = $1 OR visibility <>
        // 'private'`: no index on user_id helps.
        std::vector<char> servable(b->n_args, 1);
        if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR)
            for (size_t i = 0; i < b->n_args; ++i) servable[i] = branch_servable(b->args[i], 0);
        const size_t unservable = static_cast<size_t>(std::count(servable.begin(), servable.end(), 0));
        const bool outermost_or = b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR && or_group_ < 0;
        if (outermost_or) or_group_ = or_groups_++;
        // A disjunction that talks about several relations relates them (`p.nsfw OR NOT m.nsfw`:
        // each partner with the models it may serve): a join condition, if not an equality one.
        std::set<int> disjunction_rels;
        std::set<int>* outer_rels = condition_rels_;
        if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR) condition_rels_ = &disjunction_rels;
        for (size_t i = 0; i < b->n_args; ++i) {
            bool opt = or_servable;
            if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) opt = false;
            if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR) opt = opt && unservable - (servable[i] ? 0 : 1) == 0;
            if (outermost_or) or_branch_ = static_cast<int>(i);
            condition(b->args[i], block, disj, from_join, depth + 1, opt);
        }
        condition_rels_ = outer_rels;
        if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR) {
            add_links(disjunction_rels, block);
            if (condition_rels_) condition_rels_->insert(disjunction_rels.begin(), disjunction_rels.end());
        }
        if (outermost_or) or_group_ = or_branch_ = -1;
        return;
    }
    // A row comparison `(a.x, a.y) = (b.x, b.y)` is the equalities of its fields, pairwise: join
    // edges and key lookups like any other (`(t.tenant_id, t.id) = ($1, $2)` pins t by its key).
    if (n->node_case == PG_QUERY__NODE__NODE_A_EXPR && n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP &&
        n->a_expr->n_name == 1 && sqlast::str(n->a_expr->name[0]) == "=" && n->a_expr->lexpr && n->a_expr->rexpr &&
        n->a_expr->lexpr->node_case == PG_QUERY__NODE__NODE_ROW_EXPR &&
        n->a_expr->rexpr->node_case == PG_QUERY__NODE__NODE_ROW_EXPR &&
        n->a_expr->lexpr->row_expr->n_args == n->a_expr->rexpr->row_expr->n_args) {
        const auto* l = n->a_expr->lexpr->row_expr;
        const auto* r = n->a_expr->rexpr->row_expr;
        for (size_t i = 0; i < l->n_args; ++i) {
            PgQuery__AExpr field = *n->a_expr;
            field.lexpr = l->args[i];
            field.rexpr = r->args[i];
            PgQuery__Node pair = *n;
            pair.a_expr = &field;
            condition(&pair, block, in_disj, from_join, depth + 1, or_servable);
        }
        return;
    }
    // `t.id IN (SELECT ...)` / `(t.a, t.b) IN (SELECT ...)` in a conjunct: the columns a semi-join
    // can probe by index.
    if (!in_disj && n->node_case == PG_QUERY__NODE__NODE_SUB_LINK && n->sub_link->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK &&
        n->sub_link->testexpr) {
        const auto* te = n->sub_link->testexpr;
        std::vector<const PgQuery__Node*> cols{te};
        if (te->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) cols.assign(te->row_expr->args, te->row_expr->args + te->row_expr->n_args);
        for (const auto* c : cols) {
            ColumnName name;
            if (!sqlast::column_ref(c, name) || name.star) continue;
            if (const int r = resolve(name, block); r >= 0) q_.semi_join_columns.emplace_back(r, name.name);
        }
    }
    std::set<int> rels;
    expression(n, block, depth + 1, &rels);
    add_links(rels, block);
    if (condition_rels_) condition_rels_->insert(rels.begin(), rels.end());
    Leaf leaf;
    if (!make_leaf(n, leaf) || !leaf.has_col || leaf.col.star) return;
    int32_t where = -1;
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_A_EXPR: {
            // Point at the expression's start (its left column), not at the operator.
            const auto* l = n->a_expr->lexpr;
            where = l && l->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ? l->column_ref->location : n->a_expr->location;
            break;
        }
        case PG_QUERY__NODE__NODE_NULL_TEST: where = n->null_test->location; break;
        case PG_QUERY__NODE__NODE_COLUMN_REF: where = n->column_ref->location; break;
        case PG_QUERY__NODE__NODE_BOOLEAN_TEST: where = n->boolean_test->location; break;
        default: break;
    }
    const Location at = loc(where);
    if (leaf.column_vs_column) {
        const int l = resolve(leaf.col, block), r = resolve(leaf.other_col, block);
        if (leaf.pred.op == PredicateOp::Equal && !in_disj && l >= 0 && r >= 0 && l != r) {
            JoinEdge e;
            e.left = l;
            e.right = r;
            e.left_column = leaf.col.name;
            e.right_column = leaf.other_col.name;
            e.from_on = from_join;
            e.loc = at;
            q_.join_edges.push_back(e);
        } else if (leaf.pred.op == PredicateOp::Equal && l >= 0 && r >= 0 && l != r) {
            q_.disjunctive_edges.push_back({l, r, leaf.col.name, leaf.other_col.name, from_join, at});
        }
        return;
    }
    Predicate p = std::move(leaf.pred);
    p.relation = resolve(leaf.col, block);
    p.column = leaf.col.name;
    p.in_disjunction = in_disj;
    p.or_servable = in_disj && or_servable;
    p.or_group = or_group_, p.or_branch = or_branch_;
    p.from_join = from_join;
    p.loc = at;
    q_.predicates.push_back(std::move(p));
}

namespace {

// `col = value` of an UPDATE / ON CONFLICT DO UPDATE target list.
void record_sets(const std::string& table, PgQuery__Node* const* items, size_t n, std::vector<ColumnWrite>& out) {
    for (size_t i = 0; i < n; ++i) {
        if (items[i]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) continue;
        const auto* rt = items[i]->res_target;
        if (!rt->name || !*rt->name || !rt->val || rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) continue;
        ColumnWrite w{table, rt->name, false, {}};
        w.constant = sqlast::constant_value(rt->val, w.value);
        w.parameter = !w.constant && sqlast::is_parameter(rt->val);
        out.push_back(std::move(w));
    }
}

// INSERT (cols) VALUES (...), (...): each value per column; INSERT ... SELECT writes unknown values.
void record_inserts(const PgQuery__InsertStmt* s, std::vector<ColumnWrite>& out) {
    if (!s->relation) return;
    const std::string table = sqlast::qualified_name(s->relation);
    std::vector<std::string> cols;
    for (size_t i = 0; i < s->n_cols; ++i)
        cols.push_back(s->cols[i]->node_case == PG_QUERY__NODE__NODE_RES_TARGET && s->cols[i]->res_target->name ? s->cols[i]->res_target->name : "");
    const auto* sel = s->select_stmt && s->select_stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ? s->select_stmt->select_stmt : nullptr;
    if (sel && sel->n_values_lists) {
        for (size_t r = 0; r < sel->n_values_lists; ++r) {
            const auto* row = sel->values_lists[r];
            if (row->node_case != PG_QUERY__NODE__NODE_LIST) continue;
            for (size_t c = 0; c < row->list->n_items && c < cols.size(); ++c) {
                const auto* v = row->list->items[c];
                if (cols[c].empty() || v->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) continue;
                ColumnWrite w{table, cols[c], false, {}};
                w.constant = sqlast::constant_value(v, w.value);
                w.parameter = !w.constant && sqlast::is_parameter(v);
                out.push_back(std::move(w));
            }
        }
    } else if (!sel && cols.empty()) {
        out.push_back({table, "", false, {}});  // DEFAULT VALUES, or a row built elsewhere (lowered code): any column
    } else {
        for (const auto& c : cols)
            if (!c.empty()) out.push_back({table, c, false, {}});
    }
    if (const auto* oc = s->on_conflict_clause) {
        const size_t before = out.size();
        record_sets(table, oc->target_list, oc->n_target_list, out);
        for (size_t i = before; i < out.size(); ++i) out[i].upsert = true;
    }
}

}  // namespace

void Extractor::dml(const PgQuery__Node* n) {
    const int b = new_block(-1, false);
    PgQuery__Node* const* returning = nullptr;
    size_t n_returning = 0;
    auto target = [&](const PgQuery__RangeVar* rv) {
        if (!rv) return;
        const int r = range_var(rv, b);
        (void)r;
    };
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_INSERT_STMT: {
            const auto* s = n->insert_stmt;
            q_.kind = StatementKind::Insert;
            record_inserts(s, q_.writes);
            if (s->on_conflict_clause) {
                q_.on_conflict = true;
                q_.conflict_do_nothing = s->on_conflict_clause->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_NOTHING;
            }
            with_clause(s->with_clause, b, 1);
            target(s->relation);
            if (s->select_stmt && s->select_stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT &&
                !s->select_stmt->select_stmt->n_values_lists)
                select(s->select_stmt->select_stmt, b, false, 1);
            if (const auto* oc = s->on_conflict_clause; oc && oc->infer) {
                q_.on_conflict = true;
                q_.conflict_location = loc(oc->location);
                for (size_t i = 0; i < oc->infer->n_index_elems; ++i) {
                    const auto* e = oc->infer->index_elems[i];
                    if (e->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM && e->index_elem->name && *e->index_elem->name)
                        q_.conflict_columns.push_back(e->index_elem->name);
                    else q_.conflict_columns.push_back("");  // an expression: cannot be checked
                }
                if (oc->infer->conname && *oc->infer->conname) q_.conflict_columns.clear();  // ON CONSTRAINT name
                q_.conflict_where = oc->infer->where_clause != nullptr;
            }
            returning = s->returning_list;
            n_returning = s->n_returning_list;
            break;
        }
        case PG_QUERY__NODE__NODE_UPDATE_STMT: {
            const auto* s = n->update_stmt;
            q_.kind = StatementKind::Update;
            if (s->relation) record_sets(sqlast::qualified_name(s->relation), s->target_list, s->n_target_list, q_.writes);
            with_clause(s->with_clause, b, 1);
            target(s->relation);
            for (size_t i = 0; i < s->n_from_clause; ++i) from_item(s->from_clause[i], b, 1);
            for (size_t i = 0; i < s->n_target_list; ++i) expression(s->target_list[i], b, 1, nullptr);
            if (s->where_clause) condition(s->where_clause, b, false, false, 1);
            returning = s->returning_list;
            n_returning = s->n_returning_list;
            break;
        }
        case PG_QUERY__NODE__NODE_DELETE_STMT: {
            const auto* s = n->delete_stmt;
            q_.kind = StatementKind::Delete;
            with_clause(s->with_clause, b, 1);
            target(s->relation);
            for (size_t i = 0; i < s->n_using_clause; ++i) from_item(s->using_clause[i], b, 1);
            if (s->where_clause) condition(s->where_clause, b, false, false, 1);
            returning = s->returning_list;
            n_returning = s->n_returning_list;
            break;
        }
        default: break;
    }
    q_.has_returning = n_returning > 0;
    q_.blocks[b].output = q_.has_returning;
    target_list(returning, n_returning, b, q_.has_returning, 1);
}

}  // namespace


void extract_sql_queries(const SqlStatement& stmt, const SourceFile& file, const SchemaModel& schema,
                         std::vector<Query>& out) {
    const PgQuery__Node* n = stmt.node;
    if (!n) return;
    Query q;
    q.loc = file.span(stmt.offset, stmt.offset + stmt.length);
    q.sql = file.text().substr(stmt.offset, stmt.length);
    const PgQuery__SelectStmt* body = nullptr;
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_SELECT_STMT:
            if (n->select_stmt->into_clause) return;  // SELECT INTO creates a table
            body = n->select_stmt;
            break;
        case PG_QUERY__NODE__NODE_VIEW_STMT:
            if (!n->view_stmt->query || n->view_stmt->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return;
            body = n->view_stmt->query->select_stmt;
            q.origin = QueryOrigin::ViewBody;
            q.context = display_name(sqlast::qualified_name(n->view_stmt->view));
            break;
        case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
            const auto* c = n->create_table_as_stmt;
            if (c->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW || !c->query ||
                c->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
                return;
            body = c->query->select_stmt;
            q.origin = QueryOrigin::MaterializedViewBody;
            q.context = c->into ? display_name(sqlast::qualified_name(c->into->rel)) : "";
            break;
        }
        case PG_QUERY__NODE__NODE_INSERT_STMT:
        case PG_QUERY__NODE__NODE_UPDATE_STMT:
        case PG_QUERY__NODE__NODE_DELETE_STMT: {
            Extractor x(file, stmt.base, schema, q);
            x.dml(n);
            out.push_back(std::move(q));
            return;
        }
        default: return;
    }
    Extractor x(file, stmt.base, schema, q);
    x.select(body, -1, true, 0);
    if (q.blocks.empty()) return;
    out.push_back(std::move(q));
}

bool index_predicate(const PgQuery__Node* where, std::vector<Predicate>& out) {
    if (!where) return true;
    if (where->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
        where->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
        bool ok = true;
        for (size_t i = 0; i < where->bool_expr->n_args; ++i) ok = index_predicate(where->bool_expr->args[i], out) && ok;
        return ok;
    }
    Leaf leaf;
    if (!make_leaf(where, leaf) || !leaf.has_col || leaf.column_vs_column) return false;
    Predicate p = std::move(leaf.pred);
    p.relation = 0;
    p.column = leaf.col.name;
    out.push_back(std::move(p));
    return true;
}

}  // namespace querylens
