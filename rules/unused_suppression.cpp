// unused-suppression: a querylens-ignore comment that matches no finding. The engine reports it
// after applying suppressions (rules/engine.cpp); this file holds its metadata and doc.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext&, std::vector<Finding>&) {}

}  // namespace

extern const Rule kUnusedSuppression = {
    "unused-suppression",
    "UnusedSuppression",
    Severity::P3,
    RuleCategory::Input,
    "A querylens-ignore comment matches no finding (or names an unknown rule)",
    R"(## What it does
Reports `querylens-ignore-next-line` and `querylens-ignore-file` comments that suppress nothing:
the next code line (or the file) has no finding of the named rule, or the rule id does not exist.
Suppressions of rules that did not run (`--ignore`, `[rules] ignore`) are not reported.

Forms: `-- querylens-ignore-next-line rule-id[, rule-id]: reason` in SQL,
`// querylens-ignore-next-line rule-id: reason` in TypeScript, and
`querylens-ignore-file rule-id` in either. Without rule ids a comment suppresses every rule.

## Why is this bad?
Stale suppressions pile up after the code they excused is fixed, and then hide the next real
problem on that line.

## Example
```sql
-- querylens-ignore-next-line select-star: admin export
SELECT id, email FROM users LIMIT 100;
```

## Use instead
Remove the comment, or name the rule that actually fires on the next line.
)",
    check,
};

}  // namespace querylens::rules
