#include "analysis/schema_merge.h"

namespace querylens {

SchemaModel merge_schemas(const SchemaModel& migrated, const SchemaModel& declared) {
    SchemaModel schema = migrated;
    for (const auto& [name, e] : declared.enums) schema.enums.emplace(name, e);
    for (const auto& [name, t] : declared.tables) schema.tables.emplace(name, t);
    return schema;
}

}  // namespace querylens
