#pragma once
// `querylens stats`: a snapshot of a database's statistics for table profiles, from read-only
// catalog queries (pg_class reltuples/relpages, pg_stats n_distinct/null_frac/avg_width); never
// table data. The file can be committed so CI needs no database.
#include <string>

namespace querylens {

// The stats file's JSON for the database at `dsn`; "" with `error` set when it cannot be read.
std::string collect_stats(const std::string& dsn, std::string& error);

}  // namespace querylens
