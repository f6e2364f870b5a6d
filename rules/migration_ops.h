#pragma once
// Shared reading of the migration operations (core/migration.h) for the migration-safety rules:
// whether the table is new (so locking it is harmless), the priority a lock deserves, and the
// pieces of the safe rewrites.
#include <functional>
#include <string>

#include "core/migration.h"
#include "core/project.h"
#include "core/schema.h"
#include "core/sql_text.h"
#include "rules/rule.h"

namespace querylens::rules {

// The table was created by a migration that runs together with this one: empty, nothing waits on it.
inline bool new_table(const RuleContext& ctx, const MigrationOperation& op) {
    return ctx.project.new_table_at(op.table_created_in, op.loc.file);
}

// The column was added by this file (or the batch): no running code reads it yet.
inline bool new_column(const RuleContext& ctx, const MigrationOperation& op) {
    return ctx.project.new_table_at(op.column_added_in, op.loc.file);
}

// Calls `fn` for each operation of `kind` on a table that already held data.
inline void for_each_existing(const RuleContext& ctx, MigrationOpKind kind, const std::function<void(const MigrationOperation&)>& fn) {
    for (const auto& op : ctx.project.migration_operations)
        if (op.kind == kind && !new_table(ctx, op)) fn(op);
}

// A lock or a scan costs in proportion to the table: P2 when a table it holds grows, else a note.
inline Severity lock_severity(const RuleContext& ctx, const MigrationOperation& op) {
    const bool grows = ctx.project.profile(op.table).grows() || (!op.ref_table.empty() && ctx.project.profile(op.ref_table).grows());
    return grows ? Severity::P2 : Severity::P3;
}

// "orders (created in 0001_init.sql)" for messages.
inline std::string table_origin(const MigrationOperation& op) {
    return display_name(op.table) + (op.table_created_in.empty() ? std::string(" (not created by these migrations)")
                                                                 : " (created in " + op.table_created_in + ")");
}

// The table as written in fixes: "orders", "audit.logs", "\"user\"".
inline std::string table_sql(const std::string& qualified) {
    const std::string schema = schema_of(qualified);
    const std::string base = quote_ident(unqualified(qualified));
    return schema == "public" || schema.empty() ? base : quote_ident(schema) + "." + base;
}

// The statement as written, without the trailing `;` and surrounding space.
inline std::string statement_text(const MigrationOperation& op) {
    std::string s = op.statement;
    while (!s.empty() && (s.back() == ';' || s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
    return s.substr(i);
}

// Where to run a follow-up step so it does not share the operation's transaction.
inline std::string separate_transaction(const MigrationOperation& op) {
    return op.transaction.empty() ? "in a later statement (its own transaction)"
                                  : "in a later migration (outside " + op.transaction + ")";
}

// The name PostgreSQL gives a constraint written without one: table_col1_col2_suffix.
inline std::string constraint_name(const MigrationOperation& op, const std::string& suffix) {
    if (!op.constraint.empty()) return op.constraint;
    std::string name = unqualified(op.table);
    for (const auto& c : op.columns) name += "_" + c;
    name += "_" + suffix;
    if (name.size() > 63) name.resize(63);
    return name;
}

}  // namespace querylens::rules
