#pragma once
// Migration runners: how the tool that applies a project's .sql migrations runs them. The answer
// decides which statements run inside a transaction block (CREATE INDEX CONCURRENTLY cannot).
//   drizzle-kit: files with `--> statement-breakpoint` markers; `migrate()` runs them in a transaction.
//   plain files: no transaction unless the file writes BEGIN.
#include <string>

#include "core/source.h"

namespace querylens {

struct MigrationRunner {
    std::string name;         // "drizzle-kit", "plain"
    std::string transaction;  // why each file runs inside a transaction block; "" when it does not
};

// The runner a .sql file is written for, from its content.
MigrationRunner migration_runner(const SourceFile& file);

}  // namespace querylens
