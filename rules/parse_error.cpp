// parse-error: a SQL statement or TypeScript file that does not parse. Reported like findings
// so CI sees them; they say nothing about the schema or the queries.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) { report_diagnostics(ctx, "parse-error", Severity::P2, out); }

}  // namespace

extern const Rule kParseError = {
    "parse-error",
    "ParseError",
    Severity::P2,
    RuleCategory::Input,
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
    check,
};

}  // namespace querylens::rules
