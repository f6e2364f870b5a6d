#pragma once
// drizzle-kit's migration journal: `<out>/meta/_journal.json` lists the migrations drizzle-kit
// applies (entries with `idx` and `tag`, the file name without `.sql`). A .sql file in `out` that
// the journal does not list is never applied by `migrate()`.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/project.h"

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
// A drizzle-kit config's output folder: `out` of drizzle.config.{ts,js,mjs,cjs,json}, with its dialect.
struct DrizzleKitOutput {
    std::string dir;      // the `out` folder, resolved from the config's directory (lexically normal)
    std::string dialect;  // "postgresql", "sqlite", "mysql", ...; "" when not written
    std::string config;   // the config file
};
// The drizzle-kit configs in these directories (read as text: `out` and `dialect` literals).
std::vector<DrizzleKitOutput> drizzle_kit_outputs(const std::set<std::string>& dirs);

// sqlc (sqlc.yaml, sqlc.yml, sqlc.json): each `sql` entry's `schema` names the schema sqlc reads.
// A single .sql file there is usually a snapshot kept for the code generator, not a migration
// (a directory there is the migrations themselves). The snapshot files of the configs in these
// directories, absolute and lexically normal.
std::set<std::string> sqlc_schema_snapshots(const std::set<std::string>& dirs);

// Supabase's declarative schemas: the .sql files under `supabase/schemas/` (beside the
// `config.toml` and `migrations/` of a Supabase project) state the whole schema that
// `supabase db diff` writes migrations from, so beside those migrations they are a snapshot.
std::set<std::string> supabase_declarative_schemas(const std::set<std::string>& dirs);

struct MigrationSelection {
    std::map<std::string, std::string> skipped;
    std::set<std::string> journaled;  // files a journal lists (or a PostgreSQL config's `out` holds): drizzle-kit migrations
    std::map<std::string, std::string> other_dialect;  // files in the `out` of a non-PostgreSQL config -> "sqlite"
    std::vector<std::pair<std::string, std::string>> problems;
    // Rollback scripts (`0004_x.down.sql`, postgrator's `0004.undo.x.sql`, Flyway's `U4__x.sql`,
    // Diesel's `down.sql`): they run only when a migration is reverted, so they are not part of
    // the schema's history and are not read.
    std::set<std::string> rollback;
    // The newest snapshot beside each journal that is used (meta/NNNN_snapshot.json).
    std::vector<Project::DrizzleSnapshot> snapshots;
};
// Whether a .sql file's name (or its folder: `down/`, `rollback/`) marks a rollback script.
bool rollback_migration(const std::string& path);
MigrationSelection select_migrations(const std::vector<std::string>& sql_files, const std::vector<DrizzleKitOutput>& outputs = {});

}  // namespace querylens
