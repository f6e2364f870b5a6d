// parse-error / io-error: input querylens could not read. Reported like findings so that CI
// sees them, but they say nothing about the schema or the queries.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check_parse(const RuleContext& ctx, std::vector<Finding>& out) { report_diagnostics(ctx, "parse-error", Severity::P2, out); }
void check_io(const RuleContext& ctx, std::vector<Finding>& out) { report_diagnostics(ctx, "io-error", Severity::P2, out); }

}  // namespace

extern const Rule kParseError = {
    "parse-error",
    "ParseError",
    Severity::P2,
    "input",
    "A SQL statement or TypeScript file does not parse",
    R"(## What it does
Reports SQL statements that PostgreSQL 15's own parser (libpg_query) rejects, with the
parser's message and position, including SQL found in TypeScript strings and templates; and
TypeScript syntax errors (tree-sitter), after which the rest of the file is still read. The
statement is skipped; every other statement and file is still analysed.

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
