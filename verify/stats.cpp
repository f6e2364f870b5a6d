#include "verify/stats.h"

#include <nlohmann/json.hpp>

#include "verify/pg_client.h"

namespace querylens {

std::string collect_stats(const std::string& dsn, std::string& error) {
    auto db = pg::Connection::open(dsn, "", error);
    if (!db) return {};
    const auto tables = db->exec(
        "SELECT n.nspname || '.' || c.relname, c.reltuples::float8, c.relpages::float8 FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
        "AND n.nspname NOT LIKE '\\_timescaledb%' ORDER BY 1");
    if (!tables.ok) {
        error = tables.error;
        return {};
    }
    nlohmann::ordered_json root{{"version", 1}, {"tables", nlohmann::ordered_json::object()}};
    for (const auto& row : tables.rows)
        root["tables"][row[0]] = {{"rows", std::stod(row[1])}, {"pages", std::stod(row[2])},
                                  {"columns", nlohmann::ordered_json::object()}};
    const auto cols = db->exec(
        "SELECT schemaname || '.' || tablename, attname, n_distinct::float8, null_frac::float8, avg_width::float8 "
        "FROM pg_stats WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2");
    if (cols.ok)
        for (const auto& row : cols.rows)
            if (root["tables"].contains(row[0]))
                root["tables"][row[0]]["columns"][row[1]] = {
                    {"n_distinct", std::stod(row[2])}, {"null_frac", std::stod(row[3])}, {"avg_width", std::stod(row[4])}};
    return root.dump(2) + "\n";
}

}  // namespace querylens
