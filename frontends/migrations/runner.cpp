#include "frontends/migrations/runner.h"

namespace querylens {

MigrationRunner migration_runner(const SourceFile& file) {
    if (file.text().find("--> statement-breakpoint") != std::string::npos)
        return {"drizzle-kit", "drizzle-kit, which runs each migration file in a transaction"};
    return {"plain", ""};
}

}  // namespace querylens
