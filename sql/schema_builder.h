#pragma once
// Applies DDL statements, in migration order, to the schema model.
#include "core/schema.h"
#include "sql/parser.h"

namespace querylens {

// Applies one parsed statement. Statements that do not change the schema (SET, COMMENT ON,
// GRANT, OWNER TO, DML, ...) are skipped silently.
// `file_transaction` says why every statement of the file runs inside a transaction block (the
// migration runner's semantics, e.g. "drizzle-kit, which runs each migration file in a
// transaction"); "" when the file's own BEGIN/COMMIT decide.
void apply_sql_statement(SchemaModel& schema, const SqlStatement& stmt, const SourceFile& file,
                         const std::string& file_transaction = {});

}  // namespace querylens
