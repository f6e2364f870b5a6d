#include "rules/index_advisor.h"

#include <algorithm>

#include "core/sql_text.h"

namespace querylens {

std::vector<Predicate> conjuncts_on(const Query& q, int rel, const Table* table) {
    std::vector<Predicate> out;
    for (const auto& p : q.predicates) {
        if (p.relation != rel || p.in_disjunction || p.column.empty()) continue;
        if (table && !table->column(p.column)) continue;
        out.push_back(p);
    }
    return out;
}

bool index_serves(const Index& index, const std::set<std::string>& columns, const std::vector<Predicate>& conjuncts) {
    if (index.keys.empty() || index.keys.front().column.empty()) return false;
    if (!columns.count(index.keys.front().column)) return false;
    if (index.method == "hash") {
        // One column, equality only: `col = $1` (or a join on it), not a range or a pattern.
        const std::string& col = index.keys.front().column;
        if (index.keys.size() != 1) return false;
        bool equal = false, other = false;
        for (const auto& p : conjuncts)
            if (p.column == col) (p.op == PredicateOp::Equal || p.op == PredicateOp::In ? equal : other) = true;
        if (other && !equal) return false;
    } else if (index.method != "btree") {
        return false;
    }
    if (!index.partial()) return true;
    return index.predicate_understood && implies(conjuncts, index.predicate);
}

bool pins_one_row(const Table& table, const std::set<std::string>& columns, const std::vector<Predicate>& conjuncts) {
    std::set<std::string> pinned = columns;
    for (const auto& p : conjuncts)
        if (p.op == PredicateOp::Equal && (p.other == OperandKind::Constant || p.other == OperandKind::Parameter))
            pinned.insert(p.column);
    for (const auto& idx : table.indexes) {
        if (!idx.unique || idx.keys.empty()) continue;
        if (idx.partial() && !(idx.predicate_understood && implies(conjuncts, idx.predicate))) continue;
        const bool all = std::all_of(idx.keys.begin(), idx.keys.end(),
                                     [&](const IndexKey& k) { return !k.column.empty() && pinned.count(k.column); });
        if (all) return true;
    }
    return false;
}

std::string IndexSuggestion::name() const {
    std::string n = "idx_" + unqualified(table);
    for (const auto& c : columns) n += "_" + c;
    if (opclass == "gin_trgm_ops") n += "_trgm";
    if (!where_column.empty()) n += "_live";
    if (n.size() + name_suffix.size() > 63) n.resize(63 - std::min<size_t>(63, name_suffix.size()));
    n += name_suffix;
    return n;
}

namespace {

bool same_key(const IndexKey& a, const IndexKey& b) {
    return a.column == b.column && a.expression == b.expression && a.desc == b.desc && a.nulls == b.nulls &&
           a.opclass == b.opclass && a.collation == b.collation;
}

bool same_keys(const Index& a, const Index& b, size_t n) {
    if (a.keys.size() < n || b.keys.size() < n) return false;
    for (size_t i = 0; i < n; ++i)
        if (!same_key(a.keys[i], b.keys[i])) return false;
    return true;
}

}  // namespace

bool duplicate_index(const Index& a, const Index& b) {
    return a.method == b.method && a.keys.size() == b.keys.size() && same_keys(a, b, a.keys.size()) &&
           a.include == b.include && a.predicate_sql == b.predicate_sql;
}

// `a` is served by `b`: a btree prefix with the same predicate, and `a` enforces nothing.
bool redundant_index(const Index& a, const Index& b) {
    return !a.unique && a.method == "btree" && b.method == "btree" && a.keys.size() < b.keys.size() &&
           same_keys(a, b, a.keys.size()) && a.predicate_sql == b.predicate_sql && a.include.empty();
}

Finding index_overlap_finding(const Table& table, const Index& idx, const Index& other, bool dup, const Project& project) {
    Finding f;
    f.severity = dup ? Severity::P2 : Severity::P3;
    f.loc = idx.loc;
    f.tables = {table.name};
    const std::string other_what = other.origin == IndexOrigin::PrimaryKey ? "the primary key"
                                   : other.origin == IndexOrigin::UniqueConstraint ? "unique constraint " + other.name
                                                                                   : "index " + other.name;
    f.message = "index " + idx.name + " on " + display_name(table.name) +
                (dup ? " duplicates " + other_what : " is a prefix of " + other_what + ", which serves the same scans") +
                ": every write maintains both; drop it";
    f.fix = "DROP INDEX CONCURRENTLY IF EXISTS " + table_sql(schema_of(table.name) + "." + idx.name) + ";";
    f.related.push_back({other.loc, other_what});
    note_declared_too(f, project, table, idx, [&](const Index& d) { return d.name == idx.name; });
    return f;
}

void note_declared_too(Finding& f, const Project& project, const Table& table, const Index& idx,
                       const std::function<bool(const Index&)>& same) {
    // Of several schema files declaring it (one per app of a monorepo), the one nearest the
    // migration: Prisma keeps `migrations/` beside its schema.
    const DeclaredIndexSite* best = nullptr;
    size_t best_shared = 0;
    for (const auto& site : project.declared_index_sites) {
        if (site.name != idx.name || site.table != unqualified(table.name) || site.loc.file == idx.loc.file) continue;
        const std::string& a = site.loc.file;
        const std::string& b = idx.loc.file;
        size_t shared = 0;
        while (shared < a.size() && shared < b.size() && a[shared] == b[shared]) ++shared;
        if (!best || shared > best_shared) best = &site, best_shared = shared;
    }
    if (best) {
        f.message += " (and remove " + best->what + " from " + best->source + ", or the next `" + best->tool + "` creates it again)";
        f.related.push_back({best->loc, "declared here too"});
        return;
    }
    const SchemaModel& declared = project.declared;
    const Table* dt = declared.find_table(table.name);
    if (!dt) return;
    for (const auto& d : dt->indexes) {
        if (d.loc.file == idx.loc.file || !same(d)) continue;
        f.message += " (and remove it from " + declared.source + ", or the next generated migration creates it again)";
        const bool listed = std::any_of(f.related.begin(), f.related.end(), [&](const RelatedLocation& r) {
            return r.loc.file == d.loc.file && r.loc.line == d.loc.line;
        });
        if (!listed) f.related.push_back({d.loc, "declared here too"});
        return;
    }
}

bool declared_in_code(const Project& project, const Index& idx) {
    for (const auto& site : project.declared_index_sites)
        if (site.name == idx.name && site.table == unqualified(idx.table)) return true;
    if (const Table* t = project.declared.find_table(idx.table))
        for (const auto& d : t->indexes)
            if (d.name == idx.name && d.loc.file != idx.loc.file) return true;
    return false;
}

void note_orm_index(Finding& f, const Project& project, const IndexSuggestion& s) {
    if (s.method != "btree" || !s.where_column.empty() || !s.where_sql.empty() || !s.include.empty() || !s.opclass.empty()) return;
    const DeclaredModelSite* best = nullptr;
    size_t best_shared = 0;
    for (const auto& m : project.declared_model_sites) {
        if (m.table != unqualified(s.table)) continue;
        size_t shared = 0;
        while (shared < m.loc.file.size() && shared < f.loc.file.size() && m.loc.file[shared] == f.loc.file[shared]) ++shared;
        if (!best || shared > best_shared) best = &m, best_shared = shared;
    }
    if (!best) return;
    std::string fields;
    for (size_t i = 0; i < s.columns.size(); ++i) {
        const auto field = best->fields.find(s.columns[i]);
        fields += (i ? ", " : "") + (field == best->fields.end() ? s.columns[i] : field->second) +
                  (i < s.desc.size() && s.desc[i] ? "(sort: Desc)" : "");
    }
    // Under the name Prisma gives it (`{table}_{columns}_idx`), so the migration it writes for the
    // declaration matches an index already made from this fix instead of renaming it.
    std::string prisma_name = best->table;
    for (const auto& c : s.columns) prisma_name += "_" + c;
    prisma_name += "_idx";
    const std::string ours = s.name();
    std::vector<std::string*> texts = {&f.fix, &f.message};
    if (f.index) texts.insert(texts.end(), {&f.index->name, &f.index->ddl});
    for (std::string* text : texts)
        for (size_t at = text->find(ours); at != std::string::npos; at = text->find(ours, at + prisma_name.size()))
            text->replace(at, ours.size(), prisma_name);
    f.message += "; declare it in " + best->source + " as @@index([" + fields + "]) on model " + best->model + ", so `" + best->tool +
                 "` writes the migration (an index only SQL creates is dropped as drift by its next run)";
    f.related.push_back({best->loc, "model " + best->model});
}

std::string table_sql(const std::string& qualified) {
    const std::string schema = schema_of(qualified);
    return (schema == "public" ? "" : quote_ident(schema) + ".") + quote_ident(unqualified(qualified));
}

std::string index_ddl(const Index& index, bool with_predicate) {
    std::string keys;
    for (const auto& k : index.keys) {
        keys += (keys.empty() ? "" : ", ") + (k.column.empty() ? "(" + k.expression + ")" : quote_ident(k.column));
        if (k.desc) keys += " DESC";
        if (!k.nulls.empty()) keys += " NULLS " + std::string(k.nulls == "first" ? "FIRST" : "LAST");
    }
    std::string include;
    for (const auto& c : index.include) include += (include.empty() ? "" : ", ") + quote_ident(c);
    return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " +
           quote_ident(index.name) + " ON " + table_sql(index.table) +
           (index.method == "btree" ? "" : " USING " + index.method) + " (" + keys + ")" +
           (include.empty() ? "" : " INCLUDE (" + include + ")") +
           (with_predicate && index.partial() ? " WHERE " + index.predicate_sql : "") + ";";
}

std::string IndexSuggestion::ddl() const {
    std::string keys;
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i) keys += ", ";
        keys += quote_ident(columns[i]);
        if (!opclass.empty()) keys += " " + opclass;
        if (i < desc.size() && desc[i]) keys += " DESC";
    }
    return std::string(opclass == "gin_trgm_ops" ? "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n" : "") +
           "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + quote_ident(name()) + " ON " + table_sql(table) +
           (method == "btree" ? "" : " USING " + method) + " (" + keys + ")" + include_sql() +
           (where().empty() ? "" : " WHERE " + where()) + ";";
}

std::string IndexSuggestion::where() const {
    if (!where_sql.empty()) return where_sql;
    return where_column.empty() ? std::string() : quote_ident(where_column) + " IS NULL";
}

std::string IndexSuggestion::include_sql() const {
    std::string out;
    for (const auto& c : include) out += (out.empty() ? " INCLUDE (" : ", ") + quote_ident(c);
    return out.empty() ? out : out + ")";
}

IndexRecommendation IndexSuggestion::recommendation() const {
    IndexRecommendation r;
    r.table = table;
    r.keys = columns;
    r.desc = desc;
    r.name = name();
    r.method = method;
    r.where = where();
    r.ddl = ddl();
    return r;
}

bool IndexSuggestion::prefix_of(const IndexSuggestion& other) const {
    return table == other.table && method == other.method && where_column == other.where_column && columns.size() < other.columns.size() &&
           std::equal(columns.begin(), columns.end(), other.columns.begin());
}

void for_each_overlapping_index(const SchemaModel& schema, const std::function<bool(const Index&, const Index&)>& match,
                                const std::function<void(const Table&, const Index&, const Index&)>& found) {
    for (const auto& [name, table] : schema.tables) {
        const auto& ix = table.indexes;
        for (size_t i = 0; i < ix.size(); ++i) {
            if (ix[i].origin != IndexOrigin::Index) continue;  // constraints enforce something
            for (size_t j = 0; j < ix.size(); ++j) {
                if (i == j || !match(ix[i], ix[j])) continue;
                found(table, ix[i], ix[j]);
                break;
            }
        }
    }
}

// Whether `block` returns a bounded number of rows: every relation is pinned to one row (by
// unique-key equality against values), is a subquery/CTE with its own LIMIT, or is joined on its
// unique key to relations already bounded (many-to-one joins keep the bound).
bool returns_bounded_rows(const Query& q, int block, const SchemaModel& schema, bool in_lists_bound) {
    std::vector<int> rels;
    for (int i = 0; i < static_cast<int>(q.relations.size()); ++i)
        if (q.relations[i].block == block) rels.push_back(i);
    if (rels.empty()) return true;
    std::set<int> pinned;
    for (bool changed = true; changed;) {
        changed = false;
        for (int r : rels) {
            if (pinned.count(r)) continue;
            const Relation& rel = q.relations[r];
            const bool limited_source = rel.source_block >= 0 && q.blocks[rel.source_block].has_limit;
            // A set-returning function or VALUES list yields a handful of rows per input row.
            const bool few = rel.kind == RelationKind::Function || rel.kind == RelationKind::Values;
            if (rel.single_row || limited_source || few) { pinned.insert(r); changed = true; continue; }
            const Table* t = rel.kind == RelationKind::Table ? schema.find_table(rel.table) : nullptr;
            if (!t) continue;
            std::set<std::string> joined;  // columns equal to a column of a pinned relation
            for (const auto& e : q.join_edges) {
                if (e.left == r && pinned.count(e.right)) joined.insert(e.left_column);
                if (e.right == r && pinned.count(e.left)) joined.insert(e.right_column);
            }
            auto conj = conjuncts_on(q, r, t);
            if (in_lists_bound)  // `id IN (...)`: as many rows as the list holds
                for (auto& p : conj)
                    if (p.op == PredicateOp::In) p.op = PredicateOp::Equal;
            if (pins_one_row(*t, joined, conj)) { pinned.insert(r); changed = true; }
        }
    }
    return pinned.size() == rels.size();
}

bool single_row_query(const Query& q, const SchemaModel& schema) {
    if (q.blocks.empty()) return false;
    if (q.expects_single_row) return true;
    return returns_bounded_rows(q, 0, schema, false);
}

}  // namespace querylens
