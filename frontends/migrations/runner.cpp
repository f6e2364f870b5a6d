#include "frontends/migrations/runner.h"

#include <regex>

namespace querylens {

namespace {

// `-- querylens: transaction` / `-- querylens: no-transaction` on a line of its own.
int override_comment(const std::string& text) {
    static const std::regex re(R"((^|\n)[ \t]*--[ \t]*querylens:[ \t]*(no-)?transaction[ \t]*(\r?\n|$))");
    std::smatch m;
    if (!std::regex_search(text, m, re)) return -1;
    return m[2].matched ? 0 : 1;
}

}  // namespace

MigrationRunner migration_runner(const SourceFile& file, const MigrationSettings& settings, bool journaled) {
    MigrationRunner r;
    if (journaled || file.text().find("--> statement-breakpoint") != std::string::npos)
        r = {"drizzle-kit", "drizzle-kit, which runs each migration file in a transaction"};
    else if (settings.plain_per_file_transaction)
        r = {"plain", "the migration runner's per-file transaction ([migrations] transaction = \"per-file\")"};
    else
        r = {"plain", ""};
    switch (override_comment(file.text())) {
        case 0: r.transaction.clear(); break;
        case 1: r.transaction = "the file's `-- querylens: transaction` comment"; break;
        default: break;
    }
    return r;
}

}  // namespace querylens
