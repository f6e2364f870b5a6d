#include "frontends/migrations/runner.h"


namespace querylens {

namespace {

// `-- querylens: transaction` / `-- querylens: no-transaction` on a line of its own (the first
// such line decides). Line by line: linear, whatever the file's size.
int override_comment(const std::string& text) {
    auto skip_blanks = [&](size_t i, size_t end) {
        while (i < end && (text[i] == ' ' || text[i] == '\t')) ++i;
        return i;
    };
    for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        size_t stop = end;
        if (stop > start && text[stop - 1] == '\r') --stop;
        size_t i = skip_blanks(start, stop);
        if (text.compare(i, 2, "--") == 0) {
            i = skip_blanks(i + 2, stop);
            static const std::string kTag = "querylens:";
            if (text.compare(i, kTag.size(), kTag) == 0) {
                i = skip_blanks(i + kTag.size(), stop);
                const bool no = text.compare(i, 3, "no-") == 0;
                if (no) i += 3;
                static const std::string kWord = "transaction";
                if (text.compare(i, kWord.size(), kWord) == 0 && skip_blanks(i + kWord.size(), stop) == stop) return no ? 0 : 1;
            }
        }
        start = end + 1;
    }
    return -1;
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
