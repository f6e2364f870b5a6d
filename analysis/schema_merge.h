#pragma once
// The schema rules see: what the migrations produce, plus the tables and enums only the code
// declares (a Drizzle project without SQL migrations, or tables not migrated yet). Where both
// define a table, the migrations win: they are what the database has (schema-drift reports the
// disagreements).
#include "core/schema.h"

namespace querylens {

SchemaModel merge_schemas(const SchemaModel& migrated, const SchemaModel& declared);

}  // namespace querylens
