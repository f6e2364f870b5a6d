#include "analysis/schema_merge.h"

#include <algorithm>

namespace querylens {

SchemaModel merge_schemas(const SchemaModel& migrated, const SchemaModel& declared) {
    SchemaModel schema = migrated;
    for (const auto& [name, e] : declared.enums) schema.enums.emplace(name, e);
    for (const auto& [name, t] : declared.tables) schema.tables.emplace(name, t);
    // Indexes the migrations create on tables only the ORM declares.
    for (const auto& idx : migrated.orphan_indexes) {
        Table* t = schema.find_table(idx.table);
        if (!t || std::any_of(t->indexes.begin(), t->indexes.end(), [&](const Index& i) { return i.name == idx.name; })) continue;
        t->indexes.push_back(idx);
    }
    schema.orphan_indexes.clear();
    return schema;
}

}  // namespace querylens
