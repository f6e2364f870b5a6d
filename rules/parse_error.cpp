// parse-error / io-error: input querylens could not read. Reported like findings so that CI
// sees them, but they say nothing about the schema or the queries.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void report(const RuleContext& ctx, const char* kind, std::vector<Finding>& out) {
    for (const auto& d : ctx.project.diagnostics) {
        if (d.kind != kind) continue;
        Finding f;
        f.severity = Severity::P2;
        f.loc = d.loc;
        f.message = d.message;
        out.push_back(std::move(f));
    }
}

void check_parse(const RuleContext& ctx, std::vector<Finding>& out) { report(ctx, "parse-error", out); }
void check_io(const RuleContext& ctx, std::vector<Finding>& out) { report(ctx, "io-error", out); }

}  // namespace

extern const Rule kParseError = {
    "parse-error",
    "ParseError",
    Severity::P2,
    "input",
    "A SQL statement does not parse with PostgreSQL's grammar",
    R"(## What it does
Reports SQL statements that PostgreSQL 15's own parser (libpg_query) rejects, with the
parser's message and position. The statement is skipped; every other statement and file is
still analysed.

## Why is this bad?
A migration that does not parse fails when it is deployed, and querylens cannot see the
tables, indexes or queries it declares, so other findings may be missing or wrong.

## Example
```sql
CREATE TABLE orders (id bigint PRIMARY KEY,, symbol text);
```

## Use instead
```sql
CREATE TABLE orders (id bigint PRIMARY KEY, symbol text);
```
)",
    check_parse,
};

extern const Rule kIoError = {
    "io-error",
    "InputError",
    Severity::P2,
    "input",
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
    check_io,
};

}  // namespace querylens::rules
