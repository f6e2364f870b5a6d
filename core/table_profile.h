#pragma once
// What a specialist weighs before calling a query expensive: how a table grows and how wide its
// rows are. Filled by analysis/table_profiles from (in order of trust) querylens.toml's [tables]
// and static evidence in the code; `querylens schema` shows each profile with its source.
#include <map>
#include <string>
#include <vector>

namespace querylens {

enum class TableGrowth {
    Unknown,   // no evidence either way: rules report at low priority
    Small,     // declared small (configuration, lookup tables)
    Growing,   // rows accumulate: written per request, in loops or jobs, or declared large
    TimeSeries // append-only rows keyed by time (inserted at runtime, never updated, a timestamp)
};
const char* to_string(TableGrowth g);  // "unknown", "small", "growing", "time-series"

struct TableProfile {
    TableGrowth growth = TableGrowth::Unknown;
    std::string source;  // why: "querylens.toml [tables] large", "inserted in a loop at src/x.ts:12", ...
    std::vector<std::string> wide_columns;  // jsonb, json, bytea, tsvector, vectors, large text

    bool grows() const { return growth == TableGrowth::Growing || growth == TableGrowth::TimeSeries; }
};

using TableProfiles = std::map<std::string, TableProfile>;  // by qualified table name

}  // namespace querylens
