#pragma once
// What the migrations do, statement by statement, as plain data for the migration-safety rules:
// each schema change that takes a lock, rewrites or scans a table, or breaks running clients, with
// what was true just before it ran (where the table was created, the column's old type, the
// transaction it runs in). sql/migration_ops records them while the schema is built; rules judge.
#include <set>
#include <string>
#include <vector>

#include "core/source.h"

namespace querylens {

enum class MigrationOpKind {
    CreateTable,
    AddColumn,
    DropColumn,
    RenameColumn,
    AlterColumnType,
    SetNotNull,
    AddForeignKey,       // ALTER TABLE ... ADD [CONSTRAINT] FOREIGN KEY, or ADD COLUMN ... REFERENCES
    AddCheck,
    AddUnique,           // ADD CONSTRAINT ... UNIQUE (without USING INDEX)
    AddPrimaryKey,       // ADD PRIMARY KEY (without USING INDEX), or ADD COLUMN ... PRIMARY KEY
    ValidateConstraint,
    CreateIndex,
    DropIndex,
    DropTable,
    RenameTable,
    SetLockTimeout,      // SET [LOCAL] lock_timeout = <non-zero>
    SetStatementTimeout,
    SetRoleDefault,      // ALTER ROLE / ALTER DATABASE ... SET name = value (columns: {name}, name: value)
    LongIdentifier,      // an identifier over 63 bytes in a DDL statement (PostgreSQL truncates it)
    DropMissesTable,     // DROP TABLE IF EXISTS of an unquoted name that folds to lower case and so misses the
                         // quoted mixed-case table it means (table: that table; name: the name as folded)
    OtherAlter,          // another ALTER TABLE subcommand that takes ACCESS EXCLUSIVE (SET/DROP DEFAULT, DROP NOT NULL, ...)
};
const char* to_string(MigrationOpKind k);

struct MigrationOperation {
    MigrationOpKind kind = MigrationOpKind::CreateTable;
    Location loc;               // the statement
    std::string statement;      // as written
    std::string table;          // qualified; for DropIndex the index's table when known
    std::string table_created_in;   // file whose CREATE TABLE made the table; "" when none did
    std::vector<std::string> columns;
    std::string column_added_in;    // the (first) column's ADD COLUMN / CREATE TABLE file; "" unknown
    std::string constraint;         // constraint name as written ("" when PostgreSQL names it)
    std::string name;               // index name; new name of a rename; the long identifier
    std::string ref_table;          // AddForeignKey: the referenced table (qualified)
    std::string ref_created_in;     // AddForeignKey: the file that created the referenced table
    std::string transaction;        // why the statement runs in a transaction block; "" when not
    bool not_valid = false;         // ADD CONSTRAINT ... NOT VALID
    bool concurrent = false;        // CREATE/DROP INDEX CONCURRENTLY
    bool unique = false;            // CreateIndex: UNIQUE
    bool if_exists = false;         // DROP ... IF EXISTS
    bool column_constraint = false; // a constraint declared inside ADD COLUMN (REFERENCES, UNIQUE, PRIMARY KEY)
    bool sole_command = true;       // ALTER TABLE with this one command (so a fix can rewrite it)
    // AddColumn
    bool not_null = false;
    bool has_default = false;
    std::string default_expr;
    std::string volatile_reason;    // why filling the column rewrites the table: "gen_random_uuid()",
                                    // "serial", "GENERATED ... STORED", "identity"; "" when it does not
    // AlterColumnType
    std::string old_type, new_type; // old_type "" when the column's type is not known
    bool using_expr = false;        // USING ... (always rewrites)
    std::string collation;          // COLLATE ... written with the new type
    bool column_indexed = false;    // an index of the table has the column as a key
    // SetNotNull: a CHECK (col IS NOT NULL) already proves the column, so no scan is needed
    bool proven_by_check = false;
    // SetLockTimeout / SetStatementTimeout
    bool local = false;
};

// How the project's migrations are run and which of them are new. From querylens.toml
// `[migrations]` and `--changed-since`.
struct MigrationSettings {
    // Plain .sql files (no runner recognised): whether the runner wraps each file in a transaction
    // (`transaction = "per-file"`, like squawk's assume_in_transaction) or runs statements one by
    // one (`"none"`, the default). A file's `-- querylens: transaction` / `-- querylens: no-transaction`
    // comment overrides it.
    bool plain_per_file_transaction = false;
    // The runner sets lock_timeout itself (outside the files).
    bool lock_timeout_set_by_runner = false;
    // `since`: the first migration not yet applied (a file name or its prefix, e.g. "0236").
    std::string since;
    // `--changed-since REV`: absolute paths of the files changed since REV; only those are new.
    bool use_changed = false;
    std::set<std::string> changed;
    // Neither `since` nor `--changed-since` was given: which migrations are new is a guess (the
    // files git shows as uncommitted, or, outside git, none). Findings in the other migrations are
    // then kept as P3 notes about history instead of being dropped.
    bool implicit = false;
};

}  // namespace querylens
