#include "core/schema_diff.h"

#include <set>

namespace querylens {

namespace {

// What makes two indexes the same for drift: uniqueness, keys, predicate (not the name).
std::string index_identity(const Index& i) {
    std::string k = i.unique ? "unique " : "";
    for (const auto& key : i.keys) k += (key.column.empty() ? key.expression : key.column) + ",";
    return k + (i.partial() ? " where " + i.predicate_sql : "");
}

}  // namespace

std::vector<SchemaDifference> schema_diff(const SchemaModel& left, const SchemaModel& right) {
    std::vector<SchemaDifference> out;
    for (const auto& [name, r] : right.tables) {
        const Table* l = left.find_table(name);
        if (!l) continue;
        std::set<std::string> left_indexes, right_indexes;
        for (const auto& i : l->indexes) left_indexes.insert(index_identity(i));
        for (const auto& i : r.indexes) right_indexes.insert(index_identity(i));
        for (const auto& i : r.indexes)
            if (i.origin == IndexOrigin::Index && !left_indexes.count(index_identity(i)))
                out.push_back({SchemaDifference::Kind::IndexOnlyRight, name, nullptr, &i, nullptr, nullptr});
        for (const auto& i : l->indexes)
            if (i.origin == IndexOrigin::Index && !right_indexes.count(index_identity(i)))
                out.push_back({SchemaDifference::Kind::IndexOnlyLeft, name, &i, nullptr, nullptr, nullptr});
        for (const auto& fk : r.foreign_keys)
            for (const auto& lfk : l->foreign_keys)
                if (lfk.columns == fk.columns && lfk.on_delete != fk.on_delete)
                    out.push_back({SchemaDifference::Kind::ForeignKeyAction, name, nullptr, nullptr, &lfk, &fk});
    }
    return out;
}

}  // namespace querylens
