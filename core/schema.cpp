#include "core/schema.h"

#include <algorithm>

namespace querylens {

const char* to_string(IndexOrigin o) {
    switch (o) {
        case IndexOrigin::Index: return "index";
        case IndexOrigin::PrimaryKey: return "primary-key";
        case IndexOrigin::UniqueConstraint: return "unique-constraint";
    }
    return "index";
}

const char* to_string(ViewKind k) {
    switch (k) {
        case ViewKind::View: return "view";
        case ViewKind::Materialized: return "materialized";
        case ViewKind::ContinuousAggregate: return "continuous-aggregate";
    }
    return "view";
}

const char* to_sql(FkAction a) {
    switch (a) {
        case FkAction::None: return "";
        case FkAction::NoAction: return "NO ACTION";
        case FkAction::Restrict: return "RESTRICT";
        case FkAction::Cascade: return "CASCADE";
        case FkAction::SetNull: return "SET NULL";
        case FkAction::SetDefault: return "SET DEFAULT";
    }
    return "";
}

const Column* Table::column(const std::string& n) const {
    for (const auto& c : columns)
        if (c.name == n) return &c;
    return nullptr;
}

Column* Table::column(const std::string& n) {
    for (auto& c : columns)
        if (c.name == n) return &c;
    return nullptr;
}

const Index* Table::primary_key() const {
    for (const auto& i : indexes)
        if (i.origin == IndexOrigin::PrimaryKey) return &i;
    return nullptr;
}

bool Table::index_named(const std::string& name) const {
    return !name.empty() && std::any_of(indexes.begin(), indexes.end(), [&](const Index& i) { return i.name == name; });
}

std::vector<std::vector<std::string>> Table::unique_keys() const {
    std::vector<std::vector<std::string>> keys;
    for (const auto& i : indexes) {
        if (!i.unique || i.partial()) continue;
        std::vector<std::string> cols;
        bool plain = true;
        for (const auto& k : i.keys) {
            if (k.column.empty()) plain = false;
            cols.push_back(k.column);
        }
        if (plain && !cols.empty()) keys.push_back(std::move(cols));
    }
    return keys;
}

const Table* SchemaModel::find_table(const std::string& q) const {
    auto it = tables.find(q);
    return it == tables.end() ? nullptr : &it->second;
}

Table* SchemaModel::find_table(const std::string& q) {
    auto it = tables.find(q);
    return it == tables.end() ? nullptr : &it->second;
}

bool SchemaModel::index_exists(const std::string& schema, const std::string& index_name) const {
    for (const auto& [name, t] : tables) {
        if (schema_of(name) != schema) continue;
        for (const auto& i : t.indexes)
            if (i.name == index_name) return true;
    }
    return false;
}

std::string qualify(const std::string& schema, const std::string& name) {
    return (schema.empty() ? std::string("public") : schema) + "." + name;
}

std::string schema_of(const std::string& q) {
    const auto dot = q.find('.');
    return dot == std::string::npos ? std::string("public") : q.substr(0, dot);
}

std::string unqualified(const std::string& q) {
    const auto dot = q.find('.');
    return dot == std::string::npos ? q : q.substr(dot + 1);
}

std::string display_name(const std::string& q) {
    return schema_of(q) == "public" ? unqualified(q) : q;
}

}  // namespace querylens
