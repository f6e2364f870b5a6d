// identifier-too-long: an identifier over 63 bytes, which PostgreSQL silently truncates.
#include <map>

#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    std::map<std::string, const MigrationOperation*> first;      // identifier -> first use
    std::map<std::string, std::vector<std::string>> truncated;   // 63-byte prefix -> identifiers
    for (const auto& op : ctx.project.migration_operations) {
        if (op.kind != MigrationOpKind::LongIdentifier || first.count(op.name)) continue;
        first[op.name] = &op;
        truncated[op.name.substr(0, 63)].push_back(op.name);
    }
    for (const auto& [name, op] : first) {
        const std::string cut = name.substr(0, 63);
        const auto& same = truncated[cut];
        std::string message = "identifier \"" + name + "\" is " + std::to_string(name.size()) +
                              " bytes: PostgreSQL silently truncates it to 63 (\"" + cut + "\")";
        Severity sev = Severity::P3;
        if (same.size() > 1) {
            sev = Severity::P1;
            message += ", the same name as \"" + (same[0] == name ? same[1] : same[0]) +
                       "\" truncates to: the second CREATE fails or the wrong object is altered or dropped";
        } else {
            message += ", so tools that compare names (drizzle-kit, schema diffs) see a different name than the "
                       "code declares: use a name of at most 63 bytes";
        }
        out.push_back(finding(sev, op->loc, message));
    }
}

}  // namespace

extern const Rule kIdentifierTooLong = {
    "identifier-too-long",
    "IdentifierTooLong",
    Severity::P3,
    RuleCategory::MigrationSafety,
    "An identifier over 63 bytes, which PostgreSQL truncates",
    R"(## What it does
Flags each table, column, index or constraint name over 63 bytes in a migration's DDL, once, at
its first use. P1 when two different names truncate to the same 63 bytes.

## Why is this bad?
PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and says so only in a
NOTICE. The database then holds a name the code and the migration tool do not know:
drizzle-kit generates foreign key names like `table_column_other_table_other_column_fk` that
often exceed the limit, and its next diff sees a constraint it did not create. Two long names with
the same first 63 bytes collide: the second CREATE fails, or a DROP removes the wrong object.

## Example
```sql
ALTER TABLE workspace_notification_subscription ADD CONSTRAINT
  workspace_notification_subscription_workspace_id_workspace_id_fk FOREIGN KEY ...;
```

## Use instead
```sql
ALTER TABLE workspace_notification_subscription ADD CONSTRAINT
  wns_workspace_id_fk FOREIGN KEY ...;  -- name it explicitly (Drizzle: foreignKey({ name }))
```
)",
    check,
};

}  // namespace querylens::rules
