#pragma once
// Raw SQL in TypeScript: `client.query('SELECT ...')`, `pool.query({ text })`, template strings,
// and postgres.js tagged templates (`sql\`SELECT ...\`` where `sql = postgres(url)`). The SQL text
// is copied with `${}` as parameters (or as what the ORM frontend says they are) and mapped back
// to the string's position.
#include <string>

#include "frontends/typescript/collect.h"
#include "frontends/typescript/sql_text.h"

namespace querylens {

// What a raw SQL site lowers to.
struct RawSqlQuery {
    std::string api;  // "pool.query", "sql`...`", "db.execute"
};

// Writes the SQL text of a string literal, template string or ORM SQL fragment; false when `arg`
// is none of those (SQL built at run time).
bool write_sql_text(TsSqlWriter& w, TSNode arg);
// Whether text starts like a statement (SELECT/INSERT/UPDATE/DELETE/WITH/VALUES/TABLE).
bool looks_like_sql(const std::string& text);

// `x.query(...)` (a RawCall site) and postgres.js tagged templates (a Tagged site). False when the
// site is not SQL we can read.
bool lower_raw_call(TsSqlWriter& w, const TsSite& site, RawSqlQuery& out);
bool lower_postgres_js(TsSqlWriter& w, const TsSite& site, RawSqlQuery& out);

}  // namespace querylens
