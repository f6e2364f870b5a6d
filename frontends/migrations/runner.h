#pragma once
// Migration runners: how the tool that applies a project's .sql migrations runs them. The answer
// decides which statements run inside a transaction block (CREATE/DROP INDEX CONCURRENTLY cannot,
// and a lock taken there is held until the transaction ends).
//   drizzle-kit: files a meta/_journal.json lists, or with `--> statement-breakpoint` markers;
//   `migrate()` runs them in a transaction.
//   plain files: no transaction unless the file writes BEGIN, or `[migrations] transaction =
//   "per-file"` says the runner wraps each file in one.
//   A file's own `-- querylens: transaction` or `-- querylens: no-transaction` comment wins.
#include <string>

#include "core/migration.h"
#include "core/source.h"

namespace querylens {

struct MigrationRunner {
    std::string name;         // "drizzle-kit", "plain"
    std::string transaction;  // why each file runs inside a transaction block; "" when it does not
};

// The runner a .sql file is written for, from its content and the project's settings.
// `journaled`: a drizzle-kit journal lists the file (a one-statement file has no breakpoint marker).
MigrationRunner migration_runner(const SourceFile& file, const MigrationSettings& settings = {}, bool journaled = false);

}  // namespace querylens
