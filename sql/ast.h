#pragma once
// Read-only helpers over libpg_query's protobuf nodes: names, constants, and a printer that
// turns small expressions back into SQL text for messages and suggested DDL.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <pg_query/pg_query.pb-c.h>

#include "core/sql_text.h"

namespace querylens::sqlast {

// Expression nesting beyond this is not walked (the input is still parsed and reported on).
inline constexpr int kMaxDepth = 256;

std::string_view str(const PgQuery__Node* n);  // a String node's value, "" otherwise
std::vector<std::string> strings(PgQuery__Node* const* items, size_t n);
std::string qualified_name(const PgQuery__RangeVar* rv);  // "public.orders"
// A DROP's object, a List of names (`s.t`, `t`), qualified: "s.t", "public.t"; "" when not a list.
std::string object_name(const PgQuery__Node* list);

// Column reference parts: `o.user_id` -> {"o", "user_id"}; `*` -> name "*".
struct ColumnName {
    std::string qualifier;
    std::string name;
    bool star = false;
};
bool column_ref(const PgQuery__Node* n, ColumnName& out);

std::string print_expr(const PgQuery__Node* n, int depth = 0);
// The expression as PostgreSQL's own deparser writes it (libpg_query): exact, so two different
// expressions never print alike (print_expr abbreviates: `CASE ... END`, `<expr>`). For index keys
// and predicates, which are compared and put into DDL. Falls back to print_expr if deparsing fails.
std::string deparse_expr(const PgQuery__Node* n);
std::string print_type(const PgQuery__TypeName* t);
using querylens::quote_ident;
using querylens::quote_literal;

// A constant's value as normalised text ("open", "42", "true"), following casts.
bool constant_value(const PgQuery__Node* n, std::string& out);
bool is_parameter(const PgQuery__Node* n);  // $1, $1::int

// Calls `visit` for every Node under `root` (root included), iteratively and in source order of
// fields, using protobuf-c's descriptors: no recursion on input depth, no per-node-type code.
// Stops descending below kMaxDepth * 16 levels.
void for_each_node(const PgQuery__Node* root, const std::function<void(const PgQuery__Node*)>& visit);

// Functions an expression calls, lower-case and unqualified ("now", "lower"), including SQL value
// functions spelled as keywords ("current_timestamp", "current_date", "localtimestamp").
std::vector<std::string> called_functions(const PgQuery__Node* expr);

}  // namespace querylens::sqlast
