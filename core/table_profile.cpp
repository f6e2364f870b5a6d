#include "core/table_profile.h"

namespace querylens {

const char* to_string(TableGrowth g) {
    switch (g) {
        case TableGrowth::Unknown: return "unknown";
        case TableGrowth::Small: return "small";
        case TableGrowth::Growing: return "growing";
        case TableGrowth::TimeSeries: return "time-series";
    }
    return "unknown";
}

}  // namespace querylens
