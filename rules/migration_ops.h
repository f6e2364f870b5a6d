#pragma once
// Shared reading of the migration operations (core/migration.h) for the migration-safety rules.
#include <string>

#include "core/migration.h"
#include "core/project.h"
#include "core/schema.h"
#include "core/sql_text.h"

namespace querylens::rules {

// "the table orders (created in 0001_init.sql)" style context for messages.
inline std::string table_origin(const MigrationOperation& op) {
    return op.table_created_in.empty() ? std::string(" (not created by these migrations)")
                                       : " (created in " + op.table_created_in + ")";
}

// The table as written in fixes: "orders", "audit.logs".
inline std::string table_sql(const MigrationOperation& op) {
    const std::string schema = schema_of(op.table);
    const std::string base = quote_ident(unqualified(op.table));
    return schema == "public" || schema.empty() ? base : quote_ident(schema) + "." + base;
}

// The statement as written, without the trailing `;` and surrounding space.
inline std::string statement_text(const MigrationOperation& op) {
    std::string s = op.statement;
    while (!s.empty() && (s.back() == ';' || s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.pop_back();
    return s;
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
