// schema-drift: the schema the code declares and the SQL migrations disagree on something rules rely on.
#include "core/schema_diff.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

std::string show(FkAction a) { return a == FkAction::None ? std::string("none") : std::string(to_sql(a)); }

// Both define a table: the migrations are what the database has; report what the declaration
// adds that rules would otherwise rely on.
void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const std::string& declared = ctx.project.declared.source;
    for (const auto& d : schema_diff(ctx.project.migrated, ctx.project.declared)) {
        using Kind = SchemaDifference::Kind;
        if (d.kind == Kind::IndexOnlyRight) {
            out.push_back(finding(Severity::P2, d.right_index->loc,
                                  "index " + d.right_index->name + " on " + display_name(d.table) + " is declared in " +
                                      declared + " but no migration creates it: generate a migration"));
        } else if (d.kind == Kind::ForeignKeyAction) {
            out.push_back(finding(Severity::P2, d.right_fk->loc,
                                  "ON DELETE of " + display_name(d.table) + "(" + d.right_fk->columns.front() + ") is " +
                                      show(d.right_fk->on_delete) + " in " + declared + " but " +
                                      show(d.left_fk->on_delete) + " in the migrations (" + file_line(d.left_fk->loc) +
                                      "): generate a migration"));
        }
    }
}

}  // namespace

extern const Rule kSchemaDrift = {
    "schema-drift",
    "SchemaDrift",
    Severity::P2,
    RuleCategory::DataModel,
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
