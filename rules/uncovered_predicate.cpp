// uncovered-predicate: a query constrains a table on columns no index can serve.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

bool has_sargable_filter(const Query& q, int rel, const Table* t) {
    for (const auto& p : conjuncts_on(q, rel, t))
        if (p.btree_sargable() || (p.op != PredicateOp::IsNull && p.other == OperandKind::Expression && p.is_equality()))
            return true;
    return false;
}

// Named like a column of a few values: a status, a state machine, a role, a kind.
bool status_like(const std::string& column) {
    std::string lower;
    for (char ch : column) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const char* w : {"status", "state", "role", "type", "kind", "priority", "tier", "level"}) {
        const std::string word(w);
        if (lower == word) return true;
        if (lower.size() > word.size() && lower.compare(lower.size() - word.size(), word.size(), word) == 0) {
            const char before = column[column.size() - word.size() - 1];
            if (before == '_' || std::isupper(static_cast<unsigned char>(column[column.size() - word.size()]))) return true;
        }
    }
    return false;
}

// A soft-delete marker (`deleted_at`, `deletedAt`, `archived_at`, `is_deleted`): `IS NULL` on it
// keeps nearly every row.
bool soft_delete(const std::string& column) {
    for (const auto& w : name_words(column))
        for (const char* marker : {"deleted", "archived", "removed", "trashed", "discarded"})
            if (w == marker) return true;
    return false;
}

struct Candidate {
    bool unreferenced = false;  // in a function nothing in the project mentions
    bool sort_only = false;     // an unfiltered LIMIT list: the index is for its ORDER BY
    Finding finding;
    IndexSuggestion suggestion;
    std::vector<std::string> constrained;
    const Query* query = nullptr;
    int relation = -1;
    const IndexSuggestion* merged = nullptr;  // the suggestion recommended for it (a longer one may serve it)
};

bool numeric_or_boolean(const Column* c) {
    return c && (c->numeric() || c->type == "boolean" || c->type == "bool");
}

// The forms of `index` that the queries it serves call for (see IndexVariant): a covering index
// when every query is a multi-row read of a few narrow columns beyond the keys, and a partial
// index when every query asks for the same state of a status-like key (`status = 'pending'`).
std::vector<IndexVariant> index_variants(const std::vector<Candidate*>& group, const IndexSuggestion& index, const RuleContext& ctx) {
    std::vector<IndexVariant> out;
    const Table* t = ctx.schema.find_table(index.table);
    if (!t || index.method != "btree" || group.empty()) return out;
    const auto& wide = ctx.project.profile(t->name).wide_columns;
    auto keyed = [&](const std::string& c) {
        return std::find(index.columns.begin(), index.columns.end(), c) != index.columns.end() || c == index.where_column;
    };
    // Covering: every column each query needs from the table, beyond the keys.
    std::vector<std::string> include;
    bool covering = true;
    for (const Candidate* c : group) {
        const Query& q = *c->query;
        const int r = c->relation;
        if (q.kind != StatementKind::Select || !q.outputs_known || q.blocks.empty() || q.blocks[0].limit_one ||
            q.relations[r].block != 0 || single_row_query(q, ctx.schema)) {
            covering = false;
            break;
        }
        std::vector<std::string> needed;
        for (const auto& [rel, col] : q.output_columns)
            if (rel == r) needed.push_back(col);
        for (const auto& p : q.predicates)
            if (p.relation == r) {
                if (p.column.empty()) covering = false;
                needed.push_back(p.column);
            }
        for (const auto& k : q.order_by)
            if (k.relation == r) {
                if (k.column.empty()) covering = false;
                needed.push_back(k.column);
            }
        for (const auto& e : q.join_edges) {
            if (e.left == r) needed.push_back(e.left_column);
            if (e.right == r) needed.push_back(e.right_column);
        }
        for (const auto& col : needed)
            if (!col.empty() && !keyed(col) && std::find(include.begin(), include.end(), col) == include.end()) include.push_back(col);
    }
    const bool narrow = std::all_of(include.begin(), include.end(), [&](const std::string& c) {
        return t->column(c) && std::find(wide.begin(), wide.end(), c) == wide.end();
    });
    if (covering && narrow && !include.empty() && include.size() <= 3) {
        IndexSuggestion v = index;
        v.include = include;
        v.name_suffix = "_covering";
        std::string cols;
        for (const auto& c : include) cols += (cols.empty() ? "" : ", ") + c;
        out.push_back({"covering",
                       "the " + std::string(group.size() == 1 ? "query reads" : "queries read") + " only the keys and (" + cols +
                           ") from " + display_name(t->name) +
                           ": with INCLUDE they are answered from the index alone (an index-only scan once vacuum has "
                           "marked the pages all-visible), at the cost of a larger index",
                       v.ddl()});
    }
    // Partial: the same literal state on a status-like key in every query.
    if (index.columns.size() >= 2 && index.where_column.empty()) {
        for (const auto& col : index.columns) {
            if (!status_like(col)) continue;
            std::string value;
            bool same = true;
            for (const Candidate* c : group) {
                bool found = false;
                for (const auto& p : conjuncts_on(*c->query, c->relation, t))
                    if (p.column == col && p.op == PredicateOp::Equal && p.other == OperandKind::Constant && p.constants.size() == 1 &&
                        (value.empty() || value == p.constants.front())) {
                        value = p.constants.front();
                        found = true;
                    }
                same = same && found;
            }
            if (!same || value.empty()) continue;
            IndexSuggestion v = index;
            v.columns.clear();
            v.desc.clear();
            for (size_t i = 0; i < index.columns.size(); ++i)
                if (index.columns[i] != col) v.columns.push_back(index.columns[i]), v.desc.push_back(i < index.desc.size() && index.desc[i]);
            const std::string literal = numeric_or_boolean(t->column(col)) ? value : quote_literal(value);
            v.where_sql = quote_ident(col) + " = " + literal;
            v.name_suffix = "_" + col + "_partial";
            out.push_back({"partial",
                           "every query here filters " + col + " = " + literal +
                               ": an index over only those rows is smaller and cheaper to maintain (and stays small when rows "
                               "leave that state); it serves no query for another " + col,
                           v.ddl()});
            break;
        }
    }
    return out;
}

// The relations a nested loop can reach without passing through `skip`: filtered themselves, or
// joined to one that is (`document.id = $1` -> message by document.message_id -> chat by
// message.chat_id). Bounded by the number of relations (each round adds one, or stops).
// A set-returning function or VALUES list yields the rows its arguments give (`unnest($1)`), and a
// WITH query or derived table the rows its own driven relations give (`WITH j AS (DELETE ... USING
// unnest($1) ... RETURNING *) UPDATE queues ... FROM j WHERE queues.id = j.queue_id`).
std::vector<char> driven_relations(const Query& q, int skip) {
    std::vector<char> driven(q.relations.size(), 0);
    for (size_t r = 0; r < q.relations.size(); ++r) {
        const RelationKind k = q.relations[r].kind;
        // A WITH query read as no block of its own is a data-modifying one (`DELETE ... RETURNING`):
        // it yields the rows it changed.
        const bool changed_rows = k == RelationKind::Cte && q.relations[r].source_block < 0;
        driven[r] = static_cast<int>(r) != skip && (k == RelationKind::Function || k == RelationKind::Values || changed_rows ||
                                                    has_sargable_filter(q, static_cast<int>(r), nullptr));
    }
    for (size_t round = 0; round < q.relations.size(); ++round) {
        bool grew = false;
        for (size_t r = 0; r < q.relations.size(); ++r) {
            const Relation& rel = q.relations[r];
            if (driven[r] || static_cast<int>(r) == skip || rel.source_block < 0 ||
                (rel.kind != RelationKind::Cte && rel.kind != RelationKind::Subquery))
                continue;
            for (size_t i = 0; i < q.relations.size(); ++i)
                if (driven[i] && q.relations[i].block == rel.source_block) {
                    driven[r] = 1, grew = true;
                    break;
                }
        }
        for (const auto& e : q.join_edges) {
            if (e.left < 0 || e.right < 0 || e.left == skip || e.right == skip) continue;
            if (driven[e.left] && !driven[e.right]) driven[e.right] = 1, grew = true;
            if (driven[e.right] && !driven[e.left]) driven[e.left] = 1, grew = true;
        }
        if (!grew) break;
    }
    return driven;
}

// `wide`: the table's unbounded columns (large text, jsonb, bytea, tsvector, vectors): never btree
// keys, whose entries are limited to about 2.7 kB ("index row requires ... bytes" on the first
// large row); a filter on them is rechecked on the rows the other keys find.
// `declared`: the table as the code's schema declares it (Drizzle), when migrations build the
// schema: an index declared there but created by no migration is schema-drift's finding, whose fix
// (a migration creating it) serves this query too.
bool evaluate(const Query& q, int r, const Table& t, const Table* declared, const std::vector<std::string>& wide, Candidate& out) {
    auto unbounded = [&](const std::string& c) { return std::find(wide.begin(), wide.end(), c) != wide.end(); };
    auto conj = conjuncts_on(q, r, &t);
    // Which relations a nested loop reaches from a filtered one without this one (see below).
    const std::vector<char> driven = q.join_edges.empty() ? std::vector<char>() : driven_relations(q, r);
    // Constant conditions in an ON clause restrict this table only while the join is probed
    // from a filtered (or itself driven) partner; joined to an unfiltered table, the join is
    // scanned whole.
    const bool probed = std::any_of(q.join_edges.begin(), q.join_edges.end(), [&](const JoinEdge& e) {
        const int other = e.left == r ? e.right : (e.right == r ? e.left : -1);
        return other >= 0 && driven[other];
    });
    if (!probed) conj.erase(std::remove_if(conj.begin(), conj.end(), [](const Predicate& p) { return p.from_join; }), conj.end());
    // `lower(email) = lower($1)`: an equality on an expression of a column. An index on that
    // expression serves the query (nothing to report); without one, an index on the other columns
    // would miss the selective part of the filter (case-insensitive keys): no btree advice.
    for (const auto& p : conj) {
        if (p.op != PredicateOp::Other || p.op_text != "expression =" || p.expression.empty() || p.in_disjunction) continue;
        return false;
    }
    // `tenant_id = $1 AND (task_id, inserted_at) IN (SELECT ...)`: an index leading with a column
    // the subquery's rows are matched on (the primary key, often) drives the query from the
    // subquery's side; the rest of the filter is checked on the few rows it finds.
    for (const auto& [rel, col] : q.semi_join_columns) {
        if (rel != r) continue;
        for (const auto& idx : t.indexes)
            if (!idx.partial() && idx.method == "btree" && idx.leading_column() == col) return false;
    }
    std::vector<std::string> equality, range;  // in order of appearance
    std::string soft_deleted;
    const Predicate* first = nullptr;
    auto add = [](std::vector<std::string>& v, const std::string& c) {
        if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
    };
    for (const auto& p : conj) {
        const bool usable = p.btree_sargable() || (p.other == OperandKind::Expression && p.op != PredicateOp::Other &&
                                                   p.op != PredicateOp::Like && p.op != PredicateOp::Json &&
                                                   p.op != PredicateOp::NotEqual);
        if (!usable || unbounded(p.column)) continue;
        // `deleted_at IS NULL` keeps nearly every row: it narrows nothing as a key, and belongs in
        // a partial index's WHERE (only the first such column; a second stays a key).
        if (p.op == PredicateOp::IsNull && soft_delete(p.column) && (soft_deleted.empty() || soft_deleted == p.column)) {
            soft_deleted = p.column;
            continue;
        }
        if (!first) first = &p;
        if (p.is_equality()) add(equality, p.column);
        else add(range, p.column);
    }
    // Join columns count when the other side is filtered, or reached by joins from a filtered
    // relation: the planner then drives a nested loop from it and probes this table once per row.
    Location join_loc;
    std::vector<Predicate> known = conj;  // what the query guarantees, for partial indexes' WHERE
    // A correlated subquery (`EXISTS (SELECT ... WHERE d.kb_id = outer.id)`) is probed once per
    // outer row by its correlation column, filtered or not.
    auto encloses = [&](int outer_block, int inner_block) {
        for (int b = q.blocks[inner_block].parent, guard = 0; b >= 0 && guard < 64; b = q.blocks[b].parent, ++guard)
            if (b == outer_block) return true;
        return false;
    };
    for (const auto& e : q.join_edges) {
        const int other = e.left == r ? e.right : (e.right == r ? e.left : -1);
        if (other < 0) continue;
        const bool correlated = encloses(q.relations[other].block, q.relations[r].block);
        if (!correlated && !driven[other]) continue;
        const std::string& col = e.left == r ? e.left_column : e.right_column;
        if (!t.column(col) || unbounded(col)) continue;
        add(equality, col);
        if (join_loc.line == 0) join_loc = e.loc;
        // An equality join rules out NULL on this side: a partial index `WHERE col IS NOT NULL` serves it.
        Predicate joined;
        joined.relation = r;
        joined.column = col;
        joined.op = PredicateOp::Equal;
        joined.other = OperandKind::Column;
        known.push_back(std::move(joined));
    }
    std::vector<std::string> sort_cols;
    std::vector<bool> sort_desc;
    // A sort-only index is advice for an unfiltered list; with filters built at run time the
    // absence of a known filter proves nothing.
    if (q.relations[r].block == 0 && !q.blocks.empty() && q.blocks[0].has_limit && equality.empty() && range.empty() &&
        !q.dynamic_conditions) {
        for (const auto& k : q.order_by)
            if (k.relation == r && !k.column.empty() && t.column(k.column) && !unbounded(k.column)) {
                sort_cols.push_back(k.column);
                sort_desc.push_back(k.desc);
                break;
            }
    }
    std::set<std::string> constrained(equality.begin(), equality.end());
    constrained.insert(range.begin(), range.end());
    constrained.insert(sort_cols.begin(), sort_cols.end());
    if (constrained.empty()) {
        // No btree can help; a pattern search can still use a trigram GIN index: ILIKE (any
        // pattern), or LIKE with a leading wildcard. Only when nothing else narrows the rows.
        for (const auto& p : conj) {
            if (p.op != PredicateOp::Like || p.in_disjunction || p.column.empty() || p.op_text.rfind("NOT", 0) == 0) continue;
            const bool ilike = p.op_text == "ILIKE" || p.op_text == "~~*";
            const bool leading_wildcard = !p.constants.empty() && !p.constants.front().empty() && p.constants.front()[0] == '%';
            if (!ilike && !leading_wildcard) continue;
            const Column* col = t.column(p.column);
            if (!col || (col->type.rfind("text", 0) != 0 && col->type.rfind("varchar", 0) != 0 && col->type.rfind("char", 0) != 0)) continue;
            bool served = false;
            for (const auto& idx : t.indexes)
                served = served || (idx.method == "gin" && idx.leading_column() == p.column);
            if (served) return false;
            IndexSuggestion s;
            s.table = t.name;
            s.columns = {p.column};
            s.desc = {false};
            s.method = "gin";
            s.opclass = "gin_trgm_ops";
            Finding& f = out.finding;
            if (q.origin != QueryOrigin::ViewBody && q.origin != QueryOrigin::MaterializedViewBody) f.sql = q.sql;
            f.severity = Severity::P1;
            f.loc = p.loc;
            f.tables = {t.name};
            out.constrained = {p.column + " " + p.op_text};
            out.suggestion = std::move(s);
            return true;
        }
        return false;
    }
    for (const auto& idx : t.indexes)
        if (index_serves(idx, constrained, known)) return false;
    if (declared)
        for (const auto& idx : declared->indexes)
            if (!t.index_named(idx.name) && index_serves(idx, constrained, known)) return false;
    // A partial index whose WHERE is exactly what the query asks of this table (each condition of
    // the query follows from the index's WHERE, and the index's WHERE from the query's): `...
    // WHERE published_at IS NULL ORDER BY id` and an index on (id) WHERE published_at IS NULL. A
    // scan of it reads the rows asked for, whatever its keys.
    for (const auto& idx : t.indexes) {
        if (idx.method != "btree" || !idx.partial() || !idx.predicate_understood || idx.predicate.empty() ||
            !implies(known, idx.predicate) || conj.empty())
            continue;
        // (A column constrained through a join, `issue_id = issues.id`, asks for more than any WHERE holds.)
        std::set<std::string> conj_cols;
        for (const auto& p : conj) conj_cols.insert(p.column);
        const bool nothing_more =
            std::all_of(conj.begin(), conj.end(), [&](const Predicate& p) { return !p.in_disjunction && implies(idx.predicate, {p}); }) &&
            std::all_of(constrained.begin(), constrained.end(), [&](const std::string& c) { return conj_cols.count(c) > 0; });
        if (nothing_more) return false;
        // ...or holds the rows the query asks for in the order it takes them, up to a LIMIT
        // (`WHERE published_at IS NULL AND owner = 'relay' ORDER BY id LIMIT 100` on an index on
        // (id) WHERE published_at IS NULL: an outbox drain): the scan stops after the first rows
        // that pass the other conditions.
        const Block& blk = q.blocks[q.relations[r].block];
        if (blk.has_limit && !idx.keys.empty() && blk.first_order.first == r && blk.first_order.second == idx.keys[0].column) return false;
    }
    // An OR whose arms compare the same column (`status IN (...) OR (status = 'x' AND ...)`) still
    // restricts it to a few values: an index leading with it serves the query (a BitmapOr).
    for (const auto& idx : t.indexes) {
        if (idx.method != "btree" || idx.keys.empty() || idx.partial()) continue;
        const std::string& lead = idx.keys.front().column;
        const bool or_equality = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
            return p.relation == r && p.in_disjunction && p.column == lead && (p.op == PredicateOp::Equal || p.op == PredicateOp::In);
        });
        if (or_equality) return false;
    }

    IndexSuggestion s;
    s.table = t.name;
    s.where_column = soft_deleted;
    // The most selective equality columns first: a status, a role or a kind after the keys
    // (`(organization_id, role)`, not `(role, organization_id)`), so the index also serves the
    // queries that filter on the key alone.
    std::stable_partition(equality.begin(), equality.end(), [&](const std::string& c) {
        const Column* col = t.column(c);
        return !(status_like(c) || (col && (col->type == "boolean" || col->type == "bool")));
    });
    s.columns = equality;
    s.equality = equality.size();
    s.desc.assign(equality.size(), false);
    if (!range.empty()) {
        s.columns.push_back(range.front());
        s.desc.push_back(false);
    } else if (!sort_cols.empty()) {
        s.columns.push_back(sort_cols.front());
        s.desc.push_back(sort_desc.front());
    } else {
        // Equality first; a sort column of the same relation finishes the key.
        for (const auto& k : q.order_by)
            if (k.relation == r && !k.column.empty() && t.column(k.column) && !constrained.count(k.column) && !unbounded(k.column)) {
                s.columns.push_back(k.column);
                s.desc.push_back(k.desc);
                break;
            }
    }
    Finding& f = out.finding;
    if (q.origin != QueryOrigin::ViewBody && q.origin != QueryOrigin::MaterializedViewBody) f.sql = q.sql;
    f.severity = Severity::P1;
    f.loc = first ? first->loc : (join_loc.line ? join_loc : q.relations[r].loc);
    out.constrained.assign(constrained.begin(), constrained.end());
    std::sort(out.constrained.begin(), out.constrained.end(), [&](const std::string& a, const std::string& b) {
        auto pos = [&](const std::string& c) { return std::find(s.columns.begin(), s.columns.end(), c) - s.columns.begin(); };
        return std::make_pair(pos(a), a) < std::make_pair(pos(b), b);
    });
    f.tables = {t.name};
    out.suggestion = std::move(s);
    return true;
}

// Suppression comments that cover uncovered-predicate, by file: whether one covers `loc`.
class Suppressed {
public:
    explicit Suppressed(const Project& project) {
        for (const auto& s : project.suppressions)
            if (s.rules.empty() || std::find(s.rules.begin(), s.rules.end(), "uncovered-predicate") != s.rules.end())
                by_file_[s.loc.file].push_back(&s);
    }
    bool operator()(const Location& loc) const {
        auto it = by_file_.find(loc.file);
        if (it == by_file_.end()) return false;
        return std::any_of(it->second.begin(), it->second.end(),
                           [&](const Suppression* s) { return s->whole_file || s->target_line == loc.line; });
    }

private:
    std::map<std::string, std::vector<const Suppression*>> by_file_;
};

// Queries an index must serve to be reported by default when nothing measures the table.
constexpr size_t kSitesWithoutData = 3;

// An index on `lower(col)` (often the unique one: `CREATE UNIQUE INDEX ... (lower(email))`) for the
// one column a filter compares as written: comparing `lower(col) = lower($1)` would use it, with
// no new index; said beside the advice (the two agree only when the stored values are in lower case).
std::string case_folded_alternative(const SchemaModel& schema, const std::string& table, const std::vector<std::string>& constrained) {
    if (constrained.size() != 1) return {};
    const Table* t = schema.find_table(table);
    if (!t) return {};
    for (const auto& idx : t->indexes) {
        if (idx.partial() || idx.method != "btree" || idx.keys.empty()) continue;
        const std::string& e = idx.keys[0].expression;
        if (e == "lower(" + constrained[0] + ")" || e == "lower(" + quote_ident(constrained[0]) + ")")
            return " (or, if the stored values are in lower case, compare lower(" + constrained[0] + ") = lower($1): " + idx.name +
                   " is on lower(" + constrained[0] + ") and serves that without a new index)";
    }
    return {};
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    std::vector<Candidate> candidates;
    for (const auto& q : ctx.inventory.queries) {
        if (q.one_off()) continue;  // runtime cost only: scripts, seeds, tests and migration data statements run once
        // A materialized view's refresh is a batch job that reads most of its tables anyway.
        if (q.origin == QueryOrigin::MaterializedViewBody) continue;
        if (q.opaque_conditions) continue;  // the unseen part of the filter may be what an index needs
        for (int r = 0; r < static_cast<int>(q.relations.size()); ++r) {
            const Relation& rel = q.relations[r];
            if (rel.kind != RelationKind::Table) continue;
            const Table* t = ctx.schema.find_table(rel.table);
            if (!t) continue;
            Candidate c;
            c.query = &q;
            c.relation = r;
            if (!evaluate(q, r, *t, ctx.project.declared.find_table(t->name), ctx.project.profile(t->name).wide_columns, c)) continue;
            // A boolean or a column of a handful of values (statistics' n_distinct) alone splits a
            // table in a few parts: an index on it rarely beats a scan. Without statistics, an enum
            // or a status-like column (`status`, `role`, `kind`) alone probably does too, unless
            // its values are skewed (a queue's few open rows): a note.
            const auto stats = ctx.project.database.tables.find(t->name);
            bool measured_few = true, named_few = true;
            // Selectivity comes from the filter columns; a trailing sort column narrows nothing.
            auto filters_on = [&](const std::string& col) {
                return std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) { return p.relation == r && p.column == col; }) ||
                       std::any_of(q.join_edges.begin(), q.join_edges.end(), [&](const JoinEdge& e) {
                           return (e.left == r && e.left_column == col) || (e.right == r && e.right_column == col);
                       });
            };
            size_t filter_columns = 0;
            for (const auto& col : c.suggestion.columns) {
                if (!filters_on(col)) continue;
                ++filter_columns;
                const Column* column = t->column(col);
                bool few = column && (column->type == "boolean" || column->type == "bool"), known = few;
                if (!known && stats != ctx.project.database.tables.end())
                    if (auto cs = stats->second.columns.find(col); cs != stats->second.columns.end() && cs->second.n_distinct != 0)
                        few = cs->second.n_distinct > 0 && cs->second.n_distinct <= 10, known = true;
                measured_few = measured_few && known && few;
                const bool enum_typed = column && std::any_of(ctx.schema.enums.begin(), ctx.schema.enums.end(), [&](const auto& e) {
                    return e.first == column->type || display_name(e.first) == column->type;
                });
                named_few = named_few && (known ? few : enum_typed || status_like(col));
            }
            if (filter_columns == 0) measured_few = named_few = false;  // a sort-only index: judged below
            if (measured_few) continue;
            // How much a scan costs depends on the table: P1 when it grows, P2 without evidence, P3
            // when small. Operator-only code (admin routes) runs rarely: a note. A sort-only index
            // for a table with no evidence of growth (a settings row read newest-first) too.
            const TableProfile& profile = ctx.project.profile(t->name);
            const bool sort_only = c.constrained.size() == 1 && !q.order_by.empty() &&
                                   std::none_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) { return p.relation == r && p.btree_sargable(); });
            c.unreferenced = q.unreferenced;
            c.sort_only = sort_only;
            // Rows an ORM loads with their parent (`with:`): looked up by the link for each parent,
            // but without size evidence the children of one parent are few: a note.
            const bool related_small = q.related_load(r) && !profile.large();
            c.finding.severity = q.execution == ExecutionContext::Admin || q.unreferenced || related_small || named_few ||
                                         (sort_only && !profile.grows())
                                     ? Severity::P3
                                 : profile.grows()                                                                      ? Severity::P1
                                 : profile.growth == TableGrowth::Small                                                 ? Severity::P3
                                                                                                                        : Severity::P2;
            candidates.push_back(std::move(c));
        }
    }
    // Merge suggestions per table: one that is a prefix of another becomes the longer one. Then
    // one finding per recommended index, at its first query, with every other query it serves as
    // a related location: one missing index for eight queries is one problem, not eight.
    // Only suggestions on the same table and leading column can be prefixes of each other:
    // comparing within those buckets keeps this near-linear in the number of queries.
    // Equalities in another order are the same index: (entity_id, scope_id) and (scope_id,
    // entity_id) become one, in the order of those asked that leads with what most of the
    // table's other queries filter on alone (so it serves them as a prefix too); ties go to the
    // first query that asked. The rest of the key (a range, a sort) is unchanged.
    {
        auto prefix_count = [&](const std::string& table, const std::vector<std::string>& cols) {
            size_t n = 0;
            for (const auto& o : candidates) {
                const auto& oc = o.suggestion.columns;
                if (o.suggestion.table == table && o.suggestion.method == "btree" && !oc.empty() && oc.size() <= cols.size() &&
                    std::equal(oc.begin(), oc.end(), cols.begin()))
                    ++n;
            }
            return n;
        };
        std::map<std::string, std::vector<Candidate*>> same_set;
        std::vector<std::string> keys;
        for (auto& c : candidates) {
            IndexSuggestion& s = c.suggestion;
            if (s.method != "btree" || s.equality < 2) continue;
            std::vector<std::string> sorted(s.columns.begin(), s.columns.begin() + static_cast<std::ptrdiff_t>(s.equality));
            std::sort(sorted.begin(), sorted.end());
            std::string key = s.table + "\x1f" + s.where_column + "\x1f";
            for (const auto& col : sorted) key += col + ",";
            key += "\x1f";
            for (size_t i = s.equality; i < s.columns.size(); ++i) key += s.columns[i] + (s.desc[i] ? " desc," : ",");
            auto& group = same_set[key];
            if (group.empty()) keys.push_back(key);
            group.push_back(&c);
        }
        for (const auto& key : keys) {
            const auto& group = same_set[key];
            const Candidate* best = group.front();
            size_t best_score = prefix_count(best->suggestion.table, best->suggestion.columns);
            for (const Candidate* c : group) {
                const size_t score = prefix_count(c->suggestion.table, c->suggestion.columns);
                if (score > best_score) best = c, best_score = score;
            }
            const std::vector<std::string> order = best->suggestion.columns;
            for (Candidate* c : group) c->suggestion.columns = order;
        }
    }
    std::map<std::pair<std::string, std::string>, std::vector<const Candidate*>> buckets;
    auto bucket_of = [](const Candidate& c) {
        return std::make_pair(c.suggestion.table, c.suggestion.columns.empty() ? std::string() : c.suggestion.columns.front());
    };
    // A partial index (WHERE deleted_at IS NULL) only when every query of the bucket keeps that
    // condition: one full index then serves them all, rather than two indexes on the same keys.
    std::map<std::pair<std::string, std::string>, bool> has_full;
    for (const auto& c : candidates) has_full[bucket_of(c)] = has_full[bucket_of(c)] || c.suggestion.where_column.empty();
    for (auto& c : candidates)
        if (has_full[bucket_of(c)]) c.suggestion.where_column.clear();
    for (const auto& c : candidates) buckets[bucket_of(c)].push_back(&c);
    const Suppressed suppressed(ctx.project);
    std::map<std::string, std::vector<Candidate*>> by_index;
    std::vector<std::string> order;
    for (auto& c : candidates) {
        const IndexSuggestion* best = &c.suggestion;
        for (const Candidate* other : buckets[bucket_of(c)])
            if (best->prefix_of(other->suggestion) ||
                (best->columns == other->suggestion.columns && best->table == other->suggestion.table &&
                 other->suggestion.desc > best->desc))
                best = &other->suggestion;
        c.finding.fix = best->ddl();
        c.finding.index = best->recommendation();
        c.merged = best;
        // A query whose line suppresses this rule stays a finding of its own, so the suppression
        // applies to it (and is not reported as unused); the rest group by index.
        const std::string key = suppressed(c.finding.loc) ? c.finding.fix + "\n" + file_line(c.finding.loc) : c.finding.fix;
        auto& group = by_index[key];
        if (group.empty()) order.push_back(key);
        group.push_back(&c);
    }
    for (const auto& ddl : order) {
        auto& group = by_index[ddl];
        // Reported at the first query in source order that is not only a note (admin code, a
        // related load, unreferenced code): the one that makes it matter.
        std::stable_sort(group.begin(), group.end(), [](const Candidate* a, const Candidate* b) {
            return std::make_pair(a->finding.severity == Severity::P3, a->finding.loc) <
                   std::make_pair(b->finding.severity == Severity::P3, b->finding.loc);
        });
        Candidate& first = *group.front();
        std::string cols;
        for (const auto& col : first.constrained) cols += (cols.empty() ? "" : ", ") + col;
        Finding f = std::move(first.finding);
        for (size_t i = 1; i < group.size(); ++i) {
            const Candidate& other = *group[i];
            if (other.finding.loc == f.loc) continue;
            std::string ocols;
            for (const auto& col : other.constrained) ocols += (ocols.empty() ? "" : ", ") + col;
            f.related.push_back({other.finding.loc, "also filters " + display_name(first.suggestion.table) + " on (" + ocols + ")"});
            f.severity = std::min(f.severity, other.finding.severity);
        }
        // Whether one or two queries on a table of unknown size need an index is a question of
        // data: on real projects a specialist kept fewer than half of those. Without statistics or
        // the user's word ([tables] large), an index that serves fewer than three queries is a note.
        const std::string& table = first.suggestion.table;
        // (A time series grows under every key by its nature: evidence enough.)
        const TableProfile& grown = ctx.project.profile(table);
        const bool sized = grown.measured || grown.growth == TableGrowth::TimeSeries || ctx.project.database.tables.count(table) > 0;
        const size_t sites = 1 + f.related.size();
        const bool few_sites = !sized && sites < kSitesWithoutData && f.severity < Severity::P3;
        // However many queries filter a table, whether it is large enough for the scan to matter
        // is data too: labelled on 118 projects, findings on tables with no evidence at all
        // (no statistics, no declaration, no inserts in loops or jobs) were kept 65% of the time
        // (the rest a few rows of settings, servers, providers); with growth evidence, 78%.
        const bool no_evidence = !sized && !grown.grows() && !few_sites && f.severity < Severity::P3;
        if (f.severity <= Severity::P2) f.index->variants = index_variants(group, *first.merged, ctx);
        if (few_sites || no_evidence) f.severity = Severity::P3;
        f.index->purpose = "filter on (" + cols + ")";
        const size_t more = f.related.size();
        const bool dead = std::all_of(group.begin(), group.end(), [](const Candidate* c) { return c->unreferenced; });
        const bool trigram = first.suggestion.opclass == "gin_trgm_ops";
        const bool sorted = std::all_of(group.begin(), group.end(), [](const Candidate* c) { return c->sort_only; });
        f.message = display_name(first.suggestion.table) + (sorted ? " is listed in (" + cols + ") order" : " is filtered on (" + cols + ")") +
                    (more ? " here and by " + std::to_string(more) + " other quer" + (more == 1 ? "y" : "ies") : "") +
                    (sorted ? " with a LIMIT but no index can serve the order: every execution reads and sorts the whole table; create "
                            : " but no index can serve it: every execution scans the table; create ") +
                    f.index->name +
                    (trigram ? " (a trigram GIN index, extension pg_trgm: a btree cannot serve a case-insensitive or "
                               "substring pattern)"
                             : "") +
                    case_folded_alternative(ctx.schema, table, first.constrained) +
                    (dead ? " (a note: nothing in the project mentions the function" + std::string(more ? "s" : "") +
                                " this runs in, so it may not run at all)"
                          : "") +
                    (few_sites ? " (a note: " + std::string(sites == 1 ? "one query filters" : "two queries filter") +
                                     " this way and nothing says how large the table is; `querylens stats` or [tables] large "
                                     "in querylens.toml makes it a finding)"
                     : no_evidence ? " (a note: nothing says how large " + display_name(table) +
                                         " is; `querylens stats` or [tables] large in querylens.toml makes it a finding)"
                                   : "");
        note_orm_index(f, ctx.project, *first.merged);
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kUncoveredPredicate = {
    "uncovered-predicate",
    "UncoveredPredicate",
    Severity::P1,
    RuleCategory::Index,
    "A query filters, joins or sorts a table on columns no index can serve",
    R"(## What it does
For every table a query reads, collects the columns it constrains: equality, IN, range and
IS NULL conditions against values; join columns probed from a filtered table, or from a table
joins reach from a filtered one (one document -> its message -> its chat), or from a set of rows
the query is handed (`unnest($1)`, VALUES, a filtered WITH query, or the rows a `DELETE ...
RETURNING` WITH query changed); and, for a
`LIMIT` query without filters, its first ORDER BY column. The finding is raised when no btree
index (the primary key and unique constraints included) has its leading column among them (a
hash index serves `=` and `IN` on its one column, not ranges).
A partial index counts only when the query's conditions imply the index's WHERE clause; it serves
the query whole when its WHERE is exactly what the query asks of the table (`WHERE published_at
IS NULL ORDER BY id` and an index on (id) WHERE published_at IS NULL), whatever its keys.
A filter with an equality on an expression of a column (`lower(email) = lower($1)`) gets no btree
advice: an index on its other columns would miss the selective part. A filter on one column that
an index on `lower(column)` exists for (`email = $1` beside a unique index on `lower(email)`) also
names the rewrite that would use it, for stored values in lower case.
Materialized view bodies are not checked: their refresh is a batch job.

The finding carries a ready `CREATE INDEX CONCURRENTLY IF NOT EXISTS` statement: equality
columns first, then one range or sort column, named `idx_<table>_<columns>`. Suggestions for
the same table are merged when one is a prefix of another, so one index serves both queries;
equalities written in another order (`a = $1 AND b = $2`, `b = $1 AND a = $2`) are one index, in
the order that also serves the most queries on its leading columns alone.
Unbounded columns (document-like text, jsonb, bytea, tsvector, vectors) are never btree keys: a
btree entry is limited to about 2.7 kB, so such an index fails on the first large row; the filter
on them is rechecked on the rows the other keys find (and a query filtering only on them gets no
btree advice). The index method follows the operator: a query whose only filter is `ILIKE` (any
pattern) or `LIKE '%...'` on a text column gets a trigram GIN index (`CREATE EXTENSION IF NOT
EXISTS pg_trgm` first); jsonb containment is unindexed-jsonb-query's (GIN).
A soft-delete condition (`deleted_at IS NULL`, `deletedAt`, `archived_at`, `is_removed`) keeps
nearly every row, so it is not a key: alone it gets no advice (a whole-table count of live rows
cannot be helped by an index); with other keys, when every query of the table that leads with
the same column keeps it, the advice is a partial index (`... (board_id) WHERE deleted_at IS
NULL`, named `..._live`), else one full index serves them all.
Rows an ORM loads with their parent (Drizzle `with:`, lowered to correlated subqueries) are looked
up by their link once per parent row; without size evidence (statistics, `[tables] large`, a time
series) that is a P3 note, like admin code and code nothing in the project calls. A finding that
merges several queries is reported at the first one that is not such a note.
Whether a table needs an index for a filter only one or two queries use depends on its size and
on how often they run, which the code does not say: without statistics (`querylens stats`) or
`[tables] large` in querylens.toml, such an index is a P3 note, unless the table is a time
series (it grows under every key). An index that serves three or more queries is a finding
when something says the table grows: P1 when it is inserted in loops or by jobs or is a time
series, P2 when statistics size it; with no evidence at all it is a P3 note too (on the labelled
real projects, two findings in three on such tables were worth it: the rest were a few rows).

## Why is this bad?
Without an index the query reads the whole table on every execution. It looks fine with a
thousand rows and becomes the slowest query in production; under concurrency the sequential
scans evict the cache for everything else.

## Example
```sql
SELECT id, status FROM orders WHERE user_id = $1 AND status = 'open';
-- only index on orders: PRIMARY KEY (id)
```

## Use instead
```sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_user_id_status ON orders (user_id, status);
```
)",
    check,
};

}  // namespace querylens::rules
