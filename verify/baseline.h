#pragma once
// Tables the code's schema declares and no migration creates (a base schema that lives in the ORM,
// with SQL migrations that only add to it: midday keeps 39 of its tables in Drizzle alone). For
// `querylens verify` to run those migrations, the tables are created from the lowered schema first,
// without the columns the migrations add, and their indexes and foreign keys after the migrations.
#include <set>
#include <string>
#include <vector>

#include "core/project.h"
#include "verify/pg_client.h"

namespace querylens {

// Creates the tables (and the enum types no migration creates); returns their qualified names and
// says what it did, and what PostgreSQL refused, in `note`.
std::set<std::string> create_baseline(pg::Connection& db, const Project& project, std::string& note);
// After the migrations: the tables' indexes, unique keys and foreign keys.
void complete_baseline(pg::Connection& db, const Project& project, const std::set<std::string>& created);

// Shared by verify's files: whether a model object was declared in SQL (a migration), and a
// comma-separated list for notes.
bool is_sql_path(const std::string& path);
std::string join_list(const std::vector<std::string>& items);

}  // namespace querylens
