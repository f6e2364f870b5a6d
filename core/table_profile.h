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
    // Growing by statistics or by the user's word ([tables] large), not inferred from the code.
    bool measured = false;

    bool grows() const { return growth == TableGrowth::Growing || growth == TableGrowth::TimeSeries; }
    // Grows under each parent too: rows a parent key pins still pile up (a measured large table, or
    // a time series: one user's events, one job's runs). Code evidence of inserts alone says the
    // table grows, not that one parent's share does.
    // Large by evidence a rule can act on: statistics, the user's word, or a time series
    // (a hypertable, append-only inserts on runtime paths). Code evidence of inserts alone is not.
    bool large() const { return growth == TableGrowth::TimeSeries || (grows() && measured); }
    bool grows_per_parent() const { return growth == TableGrowth::TimeSeries || (growth == TableGrowth::Growing && measured); }
};

using TableProfiles = std::map<std::string, TableProfile>;  // by qualified table name

}  // namespace querylens
