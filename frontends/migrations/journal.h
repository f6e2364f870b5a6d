#pragma once
// drizzle-kit's migration journal: `<out>/meta/_journal.json` lists the migrations drizzle-kit
// applies (entries with `idx` and `tag`, the file name without `.sql`). A .sql file in `out` that
// the journal does not list is never applied by `migrate()`.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace querylens {

struct MigrationJournal {
    std::string path;               // the journal file
    std::vector<std::string> tags;  // in idx order
    std::string problem;            // why it could not be read ("" when fine)
};

// The journal of a directory of .sql files, if it has one (read from disk).
std::optional<MigrationJournal> read_migration_journal(const std::string& dir);

// Which of a project's .sql files are not migrations because a journal beside them does not list
// them (file -> why), and journals that cannot be used (journal file -> why: then every file
// beside it is read).
struct MigrationSelection {
    std::map<std::string, std::string> skipped;
    std::set<std::string> journaled;  // files a journal lists: drizzle-kit migrations, whatever their content
    std::vector<std::pair<std::string, std::string>> problems;
};
MigrationSelection select_migrations(const std::vector<std::string>& sql_files);

}  // namespace querylens
