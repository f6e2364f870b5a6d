// parse-error: a SQL statement or TypeScript file that does not parse. Reported like findings
// so CI sees them; they say nothing about the schema or the queries.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const size_t first = out.size();
    report_diagnostics(ctx, "parse-error", Severity::P2, out);
    // SQL in a test's or a script's strings (`query('INSERT INTO logs...')` in a type test) is
    // often a placeholder that never runs: a note. A migration file's SQL stays a finding.
    for (size_t i = first; i < out.size(); ++i) {
        const std::string& file = out[i].loc.file;
        const bool sql_file = file.size() > 4 && file.compare(file.size() - 4, 4, ".sql") == 0;
        if (!sql_file && ctx.project.one_off(file)) {
            out[i].severity = Severity::P3;
            out[i].message += " (a note: in test or script code)";
        }
    }
}

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
statement is skipped; every other statement and file is still analysed. In tests, scripts and
other one-off code (see `[context]`), errors in SQL written in TypeScript are notes (P3): such
strings are often placeholders that never run.

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
