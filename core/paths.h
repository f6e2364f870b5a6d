#pragma once
// Path helpers every layer shares: natural order of file names and config globs.
#include <string>

namespace querylens {

// Natural order: "0002_x.sql" < "0010_y.sql"; compares digit runs by value.
bool natural_less(const std::string& a, const std::string& b);

// fnmatch(3) without FNM_PATHNAME: `*` also matches '/', so "legacy/*" covers the whole tree.
bool glob_match(const std::string& pattern, const std::string& path);

// Whether a path is a migration's (a folder named for migrations, Rails' `db/migrate`, drizzle-kit's
// `drizzle/`): what the database is built from, rather than a dump or a setup script beside it.
bool migration_path(const std::string& path);

}  // namespace querylens
