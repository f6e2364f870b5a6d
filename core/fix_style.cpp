#include "core/fix_style.h"

namespace querylens {

namespace {

class SqlFixStyle final : public FixStyle {
public:
    FixLanguage language() const override { return FixLanguage::Sql; }
    std::string limit_clause(const Query&) const override { return "LIMIT"; }
    std::string all_columns(const Query& q) const override { return q.api.empty() ? "query" : q.api; }
    std::string batch_insert(const std::string& table) const override {
        return "-- one statement for every row: INSERT INTO " + table + " (...) SELECT * FROM unnest($1::..., $2::...)";
    }
    std::string batch_lookup(const std::string& table, const std::string&, const std::string& column) const override {
        return "-- before the loop: one query for every key, then a lookup per element in a Map\n"
               "SELECT ... FROM " + table + " WHERE " + column + " = ANY($1);  -- $1: the array of keys";
    }
    std::string batch_write(StatementKind kind, const std::string& table, const std::string&,
                            const std::string& column) const override {
        return std::string(kind == StatementKind::Update ? "UPDATE " + table + " SET ..." : "DELETE FROM " + table) +
               " WHERE " + column + " = ANY($1);  -- $1: the array of keys";
    }
};

}  // namespace

const FixStyle& sql_fix_style() {
    static const SqlFixStyle style;
    return style;
}

const FixStyle& Query::style() const { return fix_style ? *fix_style : sql_fix_style(); }

}  // namespace querylens
