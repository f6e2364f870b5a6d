#pragma once
// Suppression comments: `-- querylens-ignore-next-line rule-id[, rule-id]: reason` in SQL,
// `// querylens-ignore-next-line ...` in TypeScript, and `querylens-ignore-file rule-id` in both.
#include <string>
#include <vector>

#include "core/project.h"

namespace querylens {

// The suppressions written in `file`, in source order.
std::vector<Suppression> find_suppressions(const SourceFile& file);

}  // namespace querylens
