#include "core/schema_diff.h"

#include <algorithm>
#include <set>

namespace querylens {

namespace {

// A partial index's predicate as comparable text: its parsed conjuncts when understood (so
// `"t"."a" IS NULL` equals `a IS NULL`), else the printed text without quotes and qualifiers.
std::string predicate_identity(const Index& i) {
    if (!i.partial()) return {};
    if (i.predicate_understood && !i.predicate.empty()) {
        std::vector<std::string> parts;
        for (const auto& p : i.predicate) {
            std::string part = p.column + " " + p.op_text;
            for (const auto& c : p.constants) part += " " + c;
            parts.push_back(part);
        }
        std::sort(parts.begin(), parts.end());
        std::string out;
        for (const auto& p : parts) out += p + ";";
        return out;
    }
    std::string out;
    const std::string prefix = unqualified(i.table) + ".";
    const std::string& t = i.predicate_sql;
    for (size_t k = 0; k < t.size(); ++k) {
        if (t[k] == '"') continue;
        out += t[k];
    }
    for (size_t at; (at = out.find(prefix)) != std::string::npos;) out.erase(at, prefix.size());
    return out;
}

// What makes two indexes the same for drift: uniqueness, keys, predicate (not the name).
std::string index_identity(const Index& i) {
    std::string k = i.unique ? "unique " : "";
    for (const auto& key : i.keys) k += (key.column.empty() ? key.expression : key.column) + ",";
    return k + (i.partial() ? " where " + predicate_identity(i) : "");
}

// NO ACTION written or not is the same in the database.
FkAction effective(FkAction a) { return a == FkAction::None ? FkAction::NoAction : a; }

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
                if (lfk.columns == fk.columns && effective(lfk.on_delete) != effective(fk.on_delete))
                    out.push_back({SchemaDifference::Kind::ForeignKeyAction, name, nullptr, nullptr, &lfk, &fk});
    }
    return out;
}

}  // namespace querylens
