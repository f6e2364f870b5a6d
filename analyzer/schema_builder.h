#pragma once
// Applies DDL statements, in migration order, to the schema model.
#include "analyzer/schema.h"
#include "parsers/sql_parser.h"

namespace querylens {

// Applies one parsed statement. Statements that do not change the schema (SET, COMMENT ON,
// GRANT, OWNER TO, DML, ...) are skipped silently.
void apply_sql_statement(SchemaModel& schema, const SqlStatement& stmt, const SourceFile& file);

}  // namespace querylens
