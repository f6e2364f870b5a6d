#pragma once
// Suppression comments: `-- querylens-ignore-next-line rule-id[, rule-id]: reason` in SQL,
// `// querylens-ignore-next-line ...` in TypeScript, and `querylens-ignore-file rule-id` in both.
#include <string>
#include <vector>

#include "analyzer/source.h"

namespace querylens {

struct Suppression {
    Location loc;              // the comment
    bool whole_file = false;
    uint32_t target_line = 0;  // next-line form: the next line with code
    std::vector<std::string> rules;  // empty: every rule
};

// The suppressions written in `file`, in source order.
std::vector<Suppression> find_suppressions(const SourceFile& file);

}  // namespace querylens
