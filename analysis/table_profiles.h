#pragma once
// Table profiles (core/table_profile.h), in this order of trust:
//   1. statistics (querylens-stats.json from `querylens stats`): >= 50,000 rows grows, <= 5,000 small;
//   2. querylens.toml [tables] small = [...], large = [...] (table names, `*` globs);
//   3. evidence in the code: rows inserted inside a loop or from job/worker/queue/webhook code on a
//      runtime path (growing); inserted at runtime and never updated, with a timestamp column
//      (time-series); a TimescaleDB hypertable (time-series).
// Wide columns come from the column types (jsonb, json, bytea, tsvector, xml, vectors) and text
// columns whose names say they hold documents (content, body, html, payload, ...).
#include <string>
#include <vector>

#include "core/project.h"

namespace querylens {

struct TableDeclarations {
    std::vector<std::string> small, large;  // [tables]
};

TableProfiles profile_tables(const Project& project, const TableDeclarations& declared);

}  // namespace querylens
