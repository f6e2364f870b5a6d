// changing-column-type: ALTER COLUMN ... TYPE that rewrites a table that holds data.
#include <cstdlib>

#include "rules/migration_ops.h"

namespace querylens::rules {

namespace {

struct TypeName {
    std::string base;
    std::vector<long> mods;  // typmods: varchar(20) -> {20}; numeric(18,8) -> {18, 8}
    bool array = false;
};

TypeName parse_type(std::string t) {
    TypeName out;
    while (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) out.array = true, t.resize(t.size() - 2);
    const size_t paren = t.find('(');
    out.base = t.substr(0, paren);
    while (!out.base.empty() && out.base.back() == ' ') out.base.pop_back();
    if (out.base == "character varying") out.base = "varchar";
    if (out.base == "timestamp with time zone") out.base = "timestamptz";
    if (out.base == "timestamp without time zone") out.base = "timestamp";
    if (out.base == "decimal") out.base = "numeric";
    if (paren != std::string::npos) {
        const char* p = t.c_str() + paren + 1;
        while (*p && *p != ')') {
            char* end = nullptr;
            out.mods.push_back(std::strtol(p, &end, 10));
            if (end == p) break;
            p = end;
            while (*p == ',' || *p == ' ') ++p;
        }
    }
    return out;
}

// Why the change needs no rewrite in PostgreSQL 15 ("" when it rewrites): binary-coercible types
// whose new type modifier accepts every old value.
std::string free_change(const std::string& from, const std::string& to) {
    const TypeName a = parse_type(from), b = parse_type(to);
    if (a.array != b.array) return "";
    if (a.base == b.base && a.mods == b.mods) return "the type does not change";
    auto widened = [&](size_t i) { return b.mods.size() <= i || (a.mods.size() > i && b.mods[i] >= a.mods[i]); };
    if ((a.base == "varchar" || a.base == "varbit") && b.base == a.base && (b.mods.empty() || (!a.mods.empty() && widened(0))))
        return "a longer (or unlimited) length";
    if ((a.base == "varchar" || a.base == "text") && (b.base == "text" || (b.base == "varchar" && b.mods.empty())))
        return "text and varchar share their storage";
    if (a.base == "numeric" && b.base == "numeric" &&
        (b.mods.empty() || (!a.mods.empty() && widened(0) && a.mods.size() == b.mods.size() && (a.mods.size() < 2 || a.mods[1] == b.mods[1]))))
        return "a larger precision with the same scale";
    if ((a.base == "timestamp" || a.base == "timestamptz" || a.base == "time" || a.base == "interval") && a.base == b.base &&
        (b.mods.empty() || (!a.mods.empty() && widened(0))))
        return "a larger fractional-second precision";
    if (a.base == "cidr" && b.base == "inet") return "cidr values are inet values";
    return "";
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    for_each_existing(ctx, MigrationOpKind::AlterColumnType, [&](const MigrationOperation& op) {
        if (op.columns.empty() || op.new_type.empty()) return;
        const std::string col = display_name(op.table) + "." + op.columns.front();
        if (!op.using_expr && !op.old_type.empty() && !free_change(op.old_type, op.new_type).empty()) {
            // The rows stay, but indexes on the column sort by the new collation: they are rebuilt.
            if (!op.collation.empty() && op.column_indexed)
                out.push_back(finding(lock_severity(ctx, op), op.loc,
                                      "changing the collation of " + col + " to \"" + op.collation + "\" rebuilds every index on the "
                                      "column under an ACCESS EXCLUSIVE lock (reads and writes wait for the rebuild); on a large "
                                      "table build new indexes with COLLATE CONCURRENTLY and switch to them")
                                  .table(op.table));
            return;
        }
        std::string what = op.old_type.empty() ? "changing " + col + " to " + op.new_type + " (its old type is not known here) may rewrite"
                                               : "changing " + col + " from " + op.old_type + " to " + op.new_type + " rewrites";
        std::string message = what + " " + display_name(op.table) + " and rebuilds its indexes under an ACCESS EXCLUSIVE lock " +
                              "(reads and writes wait for the whole rewrite, which takes time in proportion to the table)";
        const TypeName a = parse_type(op.old_type), b = parse_type(op.new_type);
        if (a.base == "timestamp" && b.base == "timestamptz" && !op.using_expr)
            message += "; timestamp to timestamptz skips the rewrite only when the session TimeZone is UTC (PostgreSQL 12+)";
        message += "; on a large table add a new column, backfill it in batches, and switch reads and writes to it";
        if (op.column_added_in == op.loc.file) message = "the column was added in this file: declare it with its final type; " + message;
        out.push_back(finding(lock_severity(ctx, op), op.loc, message).table(op.table));
    });
}

}  // namespace

extern const Rule kChangingColumnType = {
    "changing-column-type",
    "ChangingColumnType",
    Severity::P2,
    RuleCategory::MigrationSafety,
    "ALTER COLUMN ... TYPE that rewrites a table that holds data",
    R"(## What it does
Flags `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE` on a table an earlier migration created,
unless PostgreSQL 15 can change the type without touching the rows: `varchar(n)` to a longer
`varchar` or to `text`, `text` to unlimited `varchar`, `numeric(p,s)` to a larger precision with
the same scale (or unconstrained `numeric`), a larger fractional-second precision for
`timestamp`/`timestamptz`/`time`/`interval`, `cidr` to `inet`. Any `USING` clause rewrites. Tables
created in the same file or batch are empty and not flagged. P2 when the table grows, P3 otherwise.

## Why is this bad?
A type change that is not binary coercible rewrites the whole table and every index on it while
holding an ACCESS EXCLUSIVE lock: no reads, no writes, for as long as copying the table takes
(minutes to hours on a large table). `integer` to `bigint`, `text` to `jsonb` and `varchar(255)` to
`varchar(100)` are all rewrites.

## Example
```sql
ALTER TABLE events ALTER COLUMN id TYPE bigint;
```

## Use instead
```sql
-- expand: a new column, filled in batches, kept in sync by the application or a trigger
ALTER TABLE events ADD COLUMN id_new bigint;
UPDATE events SET id_new = id WHERE id BETWEEN $1 AND $2;  -- repeated per batch
-- contract, once every reader and writer uses id_new: swap names in a short transaction
```
Changes PostgreSQL does in place (`varchar(64)` to `varchar(255)` or `text`) are not flagged.
)",
    check,
};

}  // namespace querylens::rules
