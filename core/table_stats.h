#pragma once
// Statistics of a real database (from `querylens stats`, read-only catalog queries: pg_class,
// pg_stats, pg_stat_user_tables; never table data): the most trusted source of table profiles.
#include <map>
#include <string>

namespace querylens {

struct ColumnStats {
    double n_distinct = 0;  // as pg_stats says: > 0 a count, < 0 a fraction of the rows
    double null_frac = 0;
    double avg_width = 0;
};

struct TableStats {
    double rows = -1;  // pg_class.reltuples (-1: never analyzed)
    double pages = 0;
    std::map<std::string, ColumnStats> columns;
};

struct DatabaseStats {
    std::string source;  // the file it was read from
    std::map<std::string, TableStats> tables;  // by qualified name
};

}  // namespace querylens
