#pragma once
// Walks parsed SQL statements (libpg_query protobuf) into the query model.
#include <vector>

#include "core/query.h"
#include "core/schema.h"
#include "sql/parser.h"

namespace querylens {

// Appends the queries `stmt` issues: SELECT/INSERT/UPDATE/DELETE statements and view bodies.
// Column references are resolved against `schema` (the final, post-migration schema).
// DDL and utility statements yield nothing.
void extract_sql_queries(const SqlStatement& stmt, const SourceFile& file, const SchemaModel& schema,
                         std::vector<Query>& out);

// The conjuncts of a partial index's WHERE clause, as predicates on the indexed table.
// Returns false when part of the clause cannot be reasoned about (OR, functions, ...).
bool index_predicate(const PgQuery__Node* where, std::vector<Predicate>& out);

}  // namespace querylens
