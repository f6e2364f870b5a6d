// schema-drift: the Drizzle schema and the SQL migrations disagree on something rules rely on.
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) { report_diagnostics(ctx, "schema-drift", Severity::P2, out); }

}  // namespace

extern const Rule kSchemaDrift = {
    "schema-drift",
    "SchemaDrift",
    Severity::P2,
    "data-model",
    "The Drizzle schema declares an index or FK action that the SQL migrations do not",
    R"(## What it does
When a project has both SQL migrations and a Drizzle schema (`pgTable` declarations), both feed
one schema model. For tables the migrations define, the migrations win (they are what the
database has); this rule reports where the Drizzle declaration disagrees: an index no migration
creates, or a foreign key whose `onDelete` differs.

## Why is this bad?
The code's authors believe an index or a cascade exists that the database does not have: queries
planned around the index scan the table, and deletes that should cascade fail.

## Example
```ts
export const orders = pgTable('orders', { ... }, (t) => [index('orders_user_idx').on(t.userId)]);
// ...but no migration contains CREATE INDEX orders_user_idx
```

## Use instead
Generate and commit the migration (`drizzle-kit generate`), or remove the declaration.
)",
    check,
};

}  // namespace querylens::rules
