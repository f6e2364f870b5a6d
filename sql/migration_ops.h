#pragma once
// Records what a migration statement does (core/migration.h) against the schema as it stands just
// before the statement runs. Call it before apply_sql_statement for the same statement.
#include <vector>

#include "core/migration.h"
#include "core/schema.h"
#include "sql/parser.h"

namespace querylens {

void record_migration_operations(const SchemaModel& before, const SqlStatement& stmt, const SourceFile& file,
                                 const std::string& file_transaction, std::vector<MigrationOperation>& out);

// Why a statement of `file` runs inside a transaction block ("" when it does not): a BEGIN of
// the file not yet committed, else the runner's transaction unless an explicit COMMIT ended it.
std::string statement_transaction(const SchemaModel& schema, const SourceFile& file, const std::string& file_transaction);

}  // namespace querylens
