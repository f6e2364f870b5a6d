#pragma once
#include <functional>
// Facts about queries and indexes shared by several rules: which predicates constrain a
// relation, whether an index can serve them, whether a column set is unique, and the DDL of a
// suggested index.
#include <set>
#include <string>
#include <vector>

#include "core/query.h"
#include "core/schema.h"
#include "rules/rule.h"

namespace querylens {

// Predicates on relation `rel` that hold for every returned row (not under OR/NOT) and name a
// column the table really has.
std::vector<Predicate> conjuncts_on(const Query& q, int rel, const Table* table);

// Whether `index` can serve a scan constrained on `columns`, given the query's conjuncts on the
// table (a partial index counts only when they imply its predicate).
bool index_serves(const Index& index, const std::set<std::string>& columns, const std::vector<Predicate>& conjuncts);

// Whether equality on `columns` (plus the query's conjuncts) pins at most one row of `table`.
bool pins_one_row(const Table& table, const std::set<std::string>& columns, const std::vector<Predicate>& conjuncts);
// Whether `block` returns a bounded number of rows: every relation is pinned to one row (by
// unique-key equality against values; with `in_lists_bound`, also `key IN (...)`), is a
// subquery/CTE with its own LIMIT, or is joined on its unique key to relations already bounded.
bool returns_bounded_rows(const Query& q, int block, const SchemaModel& schema, bool in_lists_bound);
// A lookup of one row: the code asks for one (findFirst), or a unique key pins every relation.
bool single_row_query(const Query& q, const SchemaModel& schema);

// "orders", "audit.logs": a table name for generated SQL.
std::string table_sql(const std::string& qualified);

// The DDL of an existing index, written to be re-run safely: CREATE [UNIQUE] INDEX CONCURRENTLY
// IF NOT EXISTS ... USING ... (keys) INCLUDE (...) [WHERE ...];
std::string index_ddl(const Index& index, bool with_predicate = true);

// Index overlap, for duplicate-index and redundant-index.
// Same method, keys (with direction), INCLUDE columns and predicate.
bool duplicate_index(const Index& a, const Index& b);
// `a` is served by `b`: btree, `a`'s keys a leading prefix of `b`'s, same predicate, `a` enforces nothing.
bool redundant_index(const Index& a, const Index& b);
// The finding for `idx`, which `other` makes unnecessary. When the code's schema (Drizzle's, or a
// Prisma schema file) declares the same index, dropping it in the database is not enough: the next
// generated migration recreates it; the finding says so and points at the declaration.
Finding index_overlap_finding(const Table& table, const Index& idx, const Index& other, bool duplicate,
                              const Project& project);
// When the code's schema declares `idx` too (`same` picks the Drizzle declaration, in another file
// than `idx`; a Prisma schema's is found by the index name its migrations give it), the finding
// says to remove it there and points at it.
void note_declared_too(Finding& f, const Project& project, const Table& table, const Index& idx,
                       const std::function<bool(const Index&)>& same);
// Whether the code's schema declares `idx` under its name (a Prisma `@@index`/`@unique`, a Drizzle
// index), apart from the migration that creates it: the one of two duplicates to keep.
bool declared_in_code(const Project& project, const Index& idx);
// For every plain index (not a constraint's), the first other index of its table that `match`
// accepts as making it unnecessary: `found(table, index, other)`.
void for_each_overlapping_index(const SchemaModel& schema, const std::function<bool(const Index&, const Index&)>& match,
                                const std::function<void(const Table&, const Index&, const Index&)>& found);

struct IndexSuggestion {
    std::string table;  // qualified
    std::vector<std::string> columns;
    std::vector<bool> desc;
    // How many leading columns are compared for equality: their order does not change what the
    // index serves for this query (a range or sort column after them does).
    size_t equality = 0;
    // The access method the operator needs: btree for equality, ranges and sort; "gin" with the
    // pg_trgm opclass for substring and case-insensitive pattern searches (ILIKE, LIKE '%x%').
    std::string method = "btree";
    std::string opclass;
    // Partial: the rows the queries keep (`"deleted_at" IS NULL`): a soft-delete condition
    // matches most rows, so it is the index's WHERE, not a key.
    std::string where_column;  // the column that IS NULL, empty for a full index
    // For variants: columns carried in the leaf (INCLUDE), and a partial index's own predicate
    // (SQL, used instead of where_column) with the suffix its name takes.
    std::vector<std::string> include;
    std::string where_sql, name_suffix;

    std::string name() const;
    std::string ddl() const;  // CREATE INDEX CONCURRENTLY IF NOT EXISTS ...;
    std::string where() const;        // the partial index's predicate (SQL), or ""
    std::string include_sql() const;  // " INCLUDE (...)", or ""
    bool prefix_of(const IndexSuggestion& other) const;
    IndexRecommendation recommendation() const;
};

// When an ORM's schema file declares the table (a Prisma model), an index suggested for it belongs
// there (`@@index([fieldA, fieldB])`): Prisma's next migration drops an index only SQL created, as
// drift. The finding says so and points at the model; nothing when the suggestion is one the ORM
// cannot declare (partial, INCLUDE, an operator class). Call it on the finding as reported (its
// message and fix written, its related locations complete): it appends to both.
void note_orm_index(Finding& f, const Project& project, const IndexSuggestion& s);

}  // namespace querylens
