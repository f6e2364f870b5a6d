#pragma once
// The analysed project as plain data: source files, the schema model (what the migrations and
// the code's schema declarations produce), the query inventory, diagnostics about the input, and
// suppression comments. analysis/ builds it; rules and reports only read it.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/migration.h"
#include "core/query.h"
#include "core/schema.h"
#include "core/source.h"
#include "core/table_profile.h"
#include "core/table_stats.h"

namespace querylens {

// Problems with the input itself, or with querylens's reading of it (not findings about the
// schema or queries).
struct Diagnostic {
    // "parse-error", "io-error": problems in the input (reported as findings). What querylens
    // could not read or follow is its own limitation, listed but never a finding:
    // "typescript-syntax" (tree-sitter recovered from an error: tsc is the tool that judges
    // TypeScript), "lowering" (SQL querylens lowered from code did not parse),
    // "unresolved-import", "config" (tsconfig/package.json problems).
    std::string kind;
    Location loc;
    std::string message;
};

// A suppression comment: `-- querylens-ignore-next-line rule-id[, rule-id]: reason` in SQL,
// `// querylens-ignore-next-line ...` in TypeScript, `querylens-ignore-file rule-id` in both.
struct Suppression {
    Location loc;              // the comment
    bool whole_file = false;
    uint32_t target_line = 0;  // next-line form: the next line with code
    std::vector<std::string> rules;  // empty: every rule
};

// Whether a diagnostic kind is a problem in the input (a finding), not querylens's limitation.
inline bool is_input_problem(const Diagnostic& d) { return d.kind == "parse-error" || d.kind == "io-error"; }

// An index or unique constraint an ORM's schema file declares (Prisma's `@@index([a])`,
// `@unique`): where to remove it too, so the ORM's next generated migration does not recreate it.
struct DeclaredIndexSite {
    std::string table;  // the database table (a model's `@@map`), unqualified
    std::string name;   // the index name its migrations give it (`Model_a_idx`, or `map:`)
    std::string what;   // as written: "@@index([userId])", "@unique on code"
    std::string source; // "schema.prisma"
    std::string tool;   // the command that generates migrations from it: "prisma migrate dev"
    Location loc;
};

// A model an ORM's schema file declares for a table (Prisma's `model Member { ... @@map("members") }`):
// where an index the table needs is declared, in its field names, so the ORM's next migration
// writes it instead of dropping it as drift.
struct DeclaredModelSite {
    std::string table;  // unqualified
    std::string model;  // "Member"
    std::map<std::string, std::string> fields;  // column -> field name (`@map`)
    std::string source; // "schema.prisma"
    std::string tool;   // "prisma migrate dev"
    Location loc;       // the `model` line
};

struct ProjectStats {
    size_t sql_files = 0;
    size_t ts_files = 0;
    size_t ts_files_skipped = 0;  // of those, not parsed: they cannot issue or reach a query
    size_t statements = 0;
};

struct Project {
    std::string root;
    std::vector<std::unique_ptr<SourceFile>> files;  // in analysis (natural path) order
    SchemaModel schema;    // what the database looks like: migrations, plus tables only the code declares
    SchemaModel migrated;  // what the SQL migrations alone produce
    SchemaModel declared;  // what the code's schema declarations (Drizzle pgTable, ...) declare
    std::vector<DeclaredIndexSite> declared_index_sites;  // indexes an ORM schema file declares (Prisma)
    std::vector<DeclaredModelSite> declared_model_sites;  // its models, by table
    QueryInventory inventory;
    std::vector<Diagnostic> diagnostics;
    std::vector<Suppression> suppressions;
    std::set<std::string> one_off_files;  // files whose code runs once (see analysis/context.h)
    std::set<std::string> admin_files;    // operator-only code (admin routes): runs rarely
    TableProfiles profiles;               // how each table grows, how wide its rows are
    DatabaseStats database;               // querylens-stats.json, when the project has one
    // What each migration statement does, in migration order (sql/migration_ops.h).
    std::vector<MigrationOperation> migration_operations;
    MigrationSettings migration_settings;  // [migrations] and --changed-since
    // drizzle-kit is in use (a drizzle.config.*, or a migration journal it wrote): the Drizzle
    // schema generates migrations.
    // Without one, a Drizzle schema only types the queries (the migrations come from elsewhere).
    bool drizzle_kit_config = false;
    // drizzle-kit's newest snapshot of each migrations folder (meta/NNNN_snapshot.json): what
    // `drizzle-kit generate` compares the schema with. When it already lists what the migrations
    // lack, generating writes nothing and the migration has to be written by hand.
    struct DrizzleSnapshot {
        std::string path;                                   // as shown (relative to the root)
        std::set<std::string> names;                        // index and constraint names
        std::map<std::string, std::string> fk_on_delete;   // foreign key name -> "cascade", "set null", ...
    };
    std::vector<DrizzleSnapshot> drizzle_snapshots;
    // Migration files already applied where it matters ([migrations] since, --changed-since): they
    // build the schema, but migration-safety rules do not report them. Empty: every file is new.
    std::set<std::string> applied_migrations;

    // The profile of a table (an Unknown one when the table is not in the schema).
    const TableProfile& profile(const std::string& table) const {
        static const TableProfile kUnknown;
        auto it = profiles.find(table);
        return it == profiles.end() ? kUnknown : it->second;
    }
    ProjectStats stats;

    bool one_off(const std::string& file) const { return one_off_files.count(file) > 0; }
    bool applied_migration(const std::string& file) const { return applied_migrations.count(file) > 0; }
    // Whether the table was created by a migration that runs with `file` and so is new and empty
    // when `file` runs: the same file, or (when [migrations] since / --changed-since say which
    // files are new) a new file before it.
    bool new_table_at(const std::string& created_in, const std::string& file) const {
        if (created_in.empty()) return false;
        if (created_in == file) return true;
        return migration_batch() && !applied_migration(created_in) && !applied_migration(file);
    }
    bool migration_batch() const { return !migration_settings.since.empty() || migration_settings.use_changed; }
};

}  // namespace querylens
