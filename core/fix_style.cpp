#include "core/fix_style.h"

#include "core/sql_text.h"

namespace querylens {

namespace {

class SqlFixStyle final : public FixStyle {
public:
    FixLanguage language() const override { return FixLanguage::Sql; }
    std::string limit_clause(const Query&) const override { return "LIMIT"; }
    std::string all_columns(const Query& q) const override { return q.api.empty() ? "query" : q.api; }
    std::string select_columns(const Query&, const std::string&, const std::string& table_sql,
                               const std::vector<std::pair<std::string, std::string>>& columns) const override {
        std::string list;
        for (const auto& [c, _] : columns) list += (list.empty() ? "" : ", ") + quote_ident(c);
        return "SELECT " + list + " FROM " + table_sql + " ...";
    }
    std::string batch(const Batch& b) const override {
        auto list = [](const std::vector<std::pair<std::string, std::string>>& cols, const char* prefix) {
            std::string out;
            for (const auto& [c, _] : cols) out += (out.empty() ? "" : ", ") + c + " = " + prefix + c;
            return out;
        };
        if (b.kind == StatementKind::Insert) {
            std::string s = "-- one statement for every row:\nINSERT INTO " + b.table_sql + " (...) SELECT * FROM unnest($1::..., $2::...)";
            if (b.on_conflict && b.do_nothing) s += " ON CONFLICT DO NOTHING";
            else if (b.on_conflict) s += " ON CONFLICT (...) DO UPDATE SET " + (b.per_row.empty() ? std::string("...") : list(b.per_row, "EXCLUDED."));
            return s + ";";
        }
        const std::string others = b.other_conditions ? " AND /* the other conditions */" : "";
        if (b.kind == StatementKind::Select) {
            if (b.read == Batch::Read::Latest)
                return "-- before the loop: the latest row for every key in one query, then a lookup per element in a Map\n"
                       "SELECT DISTINCT ON (" + b.key_sql + ") * FROM " + b.table_sql + " WHERE " + b.key_sql + " = ANY($1)" + others +
                       " ORDER BY " + b.key_sql + ", " + b.order_member + (b.order_desc ? " DESC" : "") + ";  -- $1: the array of keys";
            if (b.read == Batch::Read::Aggregate)
                return "-- before the loop: the aggregate for every key in one query, then a lookup per element in a Map\n"
                       "SELECT " + b.key_sql + ", count(*) FROM " + b.table_sql + " WHERE " + b.key_sql + " = ANY($1)" + others +
                       " GROUP BY " + b.key_sql + ";  -- $1: the array of keys (or the query's aggregate)";
            return "-- before the loop: one query for every key, then a lookup per element in a Map\n"
                   "SELECT ... FROM " + b.table_sql + " WHERE " + b.key_sql + " = ANY($1)" + others + ";  -- $1: the array of keys";
        }
        if (b.kind == StatementKind::Update && !b.per_row.empty())
            return "-- one statement for every row, each with its own values:\nUPDATE " + b.table_sql + " SET " + list(b.per_row, "v.") +
                   " FROM (VALUES ($1, ...), ...) AS v(" + b.key_sql + ", ...) WHERE " + b.table_sql + "." + b.key_sql + " = v." + b.key_sql + others + ";" +
                   (b.expression_writes ? "  -- keep the other SET expressions, reading per-row values from v" : "");
        return std::string(b.kind == StatementKind::Update ? "UPDATE " + b.table_sql + " SET ..." : "DELETE FROM " + b.table_sql) +
               " WHERE " + b.key_sql + " = ANY($1)" + others + ";  -- $1: the array of keys";
    }
};

}  // namespace

const FixStyle& sql_fix_style() {
    static const SqlFixStyle style;
    return style;
}

const FixStyle& Query::style() const { return fix_style ? *fix_style : sql_fix_style(); }

}  // namespace querylens
