#pragma once
// querylens-stats.json, as `querylens stats` writes it:
//   {"version": 1, "tables": {"public.orders": {"rows": 120000, "pages": 900,
//     "columns": {"status": {"n_distinct": 4, "null_frac": 0, "avg_width": 5}}}}}
#include <optional>
#include <string>

#include "core/table_stats.h"

namespace querylens {

// The statistics in `path`; nullopt with `error` set when the file cannot be read or is malformed.
std::optional<DatabaseStats> read_stats_file(const std::string& path, std::string& error);

}  // namespace querylens
