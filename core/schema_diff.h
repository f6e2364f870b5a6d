#pragma once
// Differences between two schema models: what the migrations produce vs what the code declares
// (the schema-drift rule), or the migrations' model vs a database's catalog read as a model
// (`querylens verify`). A pass that produces facts; rules and verify decide what each difference
// means and how to word it.
#include <string>
#include <vector>

#include "core/schema.h"

namespace querylens {

// How indexes and foreign keys of the two sides are paired.
enum class SchemaMatch {
    // By what they do (an index's uniqueness, keys and predicate; a foreign key's columns), for
    // tables both models define: a declaration's generated names need not be the migrations'.
    // Reports only IndexOnlyLeft/IndexOnlyRight (plain indexes, not PK/UNIQUE constraints),
    // KeyOnlyRight and ForeignKeyAction.
    Definition,
    // By name, as PostgreSQL names them (model vs catalog): every kind below, constraints' indexes
    // included; same-named objects are compared field by field.
    Name,
};

struct SchemaDifference {
    enum class Kind {
        IndexOnlyRight,   // an index `right` has and `left` does not
        IndexOnlyLeft,
        ForeignKeyAction, // the same FK (same columns, or same name) with a different ON DELETE
        // SchemaMatch::Definition only: a primary key or UNIQUE constraint `right` declares whose
        // columns no unique index of `left` covers exactly (`right_index`).
        KeyOnlyRight,
        // SchemaMatch::Name only:
        TableOnlyLeft,    // left_table; `right` has no table of that name
        TableOnlyRight,
        ColumnOnlyLeft,   // left_column (both tables set)
        ColumnOnlyRight,
        ColumnNotNull,    // NOT NULL differs (primary-key columns count as NOT NULL): see column_not_null
        IndexKeys,        // same-named indexes: keys or their direction (see index_keys_text)
        IndexInclude,     // INCLUDE columns
        IndexUnique,
        IndexPredicate,   // partial-index predicates, compared as comparable_expression text
        IndexMethod,      // USING btree / gin / ...
        ForeignKeyOnlyLeft,
        ForeignKeyOnlyRight,
        ForeignKeyColumns,
        ForeignKeyReferences,    // referenced table
        ForeignKeyUpdateAction,  // ON UPDATE
    };
    Kind kind;
    std::string table;  // qualified
    // The objects involved, on the side(s) that have them; the tables are set whenever the side
    // has the table. Pointers into the models passed to schema_diff.
    const Table* left_table = nullptr;
    const Table* right_table = nullptr;
    const Column* left_column = nullptr;
    const Column* right_column = nullptr;
    const Index* left_index = nullptr;
    const Index* right_index = nullptr;
    const ForeignKey* left_fk = nullptr;
    const ForeignKey* right_fk = nullptr;
};

// Differences in a stable order.
// Definition: for the tables both models define, in table-name order: indexes only `right` has,
// indexes only `left` has, then FK ON DELETE differences, each in declaration order.
// Name: tables only `left` has, tables only `right` has (table-name order); then per table both
// have, in table-name order: columns (left's order, then right-only columns in right's order),
// indexes (left's order: missing, or keys, INCLUDE, uniqueness, predicate, method; then
// right-only in right's order), foreign keys (left's order: missing, or columns, referenced
// table, ON DELETE, ON UPDATE; then right-only in right's order).
std::vector<SchemaDifference> schema_diff(const SchemaModel& left, const SchemaModel& right,
                                          SchemaMatch match = SchemaMatch::Definition);

// The normalisations schema_diff compares with, for wording differences the same way:
// Expression text made comparable across printers: lower case, no spaces, parentheses, quotes
// or casts ("lower((email)::text)" and "lower(email)" are both "loweremail").
std::string comparable_expression(const std::string& sql);
// An index's keys as compared: "user_id, lower(email) DESC" (columns as named, expressions as
// comparable_expression).
std::string index_keys_text(const Index& i);
// NOT NULL as written, or implied by the table's primary key.
bool column_not_null(const Table& t, const Column& c);
// An FK action as the database has it: no clause is NO ACTION.
FkAction effective_action(FkAction a);

}  // namespace querylens
