#include "frontends/stats_file.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace querylens {

std::optional<DatabaseStats> read_stats_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read file";
        return std::nullopt;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    const auto doc = nlohmann::json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("tables") || !doc["tables"].is_object()) {
        error = "not a querylens stats file (no \"tables\" object)";
        return std::nullopt;
    }
    auto number = [](const nlohmann::json& o, const char* key, double fallback) {
        return o.is_object() && o.contains(key) && o[key].is_number() ? o[key].get<double>() : fallback;
    };
    DatabaseStats stats;
    stats.source = path;
    for (const auto& [name, t] : doc["tables"].items()) {
        TableStats ts;
        ts.rows = number(t, "rows", -1);
        ts.pages = number(t, "pages", 0);
        if (t.is_object() && t.contains("columns") && t["columns"].is_object())
            for (const auto& [col, c] : t["columns"].items())
                ts.columns[col] = {number(c, "n_distinct", 0), number(c, "null_frac", 0), number(c, "avg_width", 0)};
        stats.tables[name] = std::move(ts);
    }
    return stats;
}

}  // namespace querylens
