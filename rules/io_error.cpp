// io-error: a path or file querylens could not read.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) { report_diagnostics(ctx, "io-error", Severity::P2, out); }

}  // namespace

extern const Rule kIoError = {
    "io-error",
    "InputError",
    Severity::P2,
    RuleCategory::Input,
    "A file or path could not be read",
    R"(## What it does
Reports paths that do not exist, files that cannot be read, and files skipped because they are
binary (contain NUL bytes) or larger than 64 MiB.

## Why is this bad?
What querylens cannot read it cannot analyse: findings in that file are missing.

## Example
```
querylens check migrations/ missing-dir/
```

## Use instead
Pass paths that exist and are readable, or exclude the file.
)",
    check,
};

}  // namespace querylens::rules
