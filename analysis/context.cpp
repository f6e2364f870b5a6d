#include "analysis/context.h"

#include <algorithm>
#include <set>

#include "core/paths.h"
#include "core/sql_text.h"

namespace querylens {

namespace {

const std::set<std::string> kOneOffDirs = {"scripts", "script", "seed", "seeds", "seeders", "seeding", "test",
                                           "tests", "__tests__", "__mocks__", "mocks", "e2e", "fixtures",
                                           "stories", "storybook", "bench", "benchmark", "benchmarks", "cypress",
                                           "playwright", "backfill", "backfills", "tooling", "__test__", "__fixtures__",
                                           "test-utils", "test_utils", "testutils", "test-helpers", "test_helpers", "testdata",
                                           // Example apps beside a library: how to use it, not the product's runtime.
                                           "examples", "example", "playground", "playgrounds", "samples", "demo", "demos"};
const char* const kOneOffNameParts[] = {".test.", ".test-d.", ".spec.", ".stories.", ".bench.", ".e2e.", "seed", "backfill",
                                        "fixture", "migrate", "test-helper", "test_helper", "test-utils", "testutils",
                                        ".mock.", ".cli."};

bool code_file(const std::string& rel) {
    for (const char* ext : {".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"}) {
        const size_t n = std::char_traits<char>::length(ext);
        if (rel.size() > n && rel.compare(rel.size() - n, n, ext) == 0) return true;
    }
    return false;
}

bool one_off_by_default(const std::string& rel) {
    // A migration written as code (TypeORM's `queryRunner.query(...)`, knex's `knex.raw(...)`,
    // Sequelize's `queryInterface.sequelize.query(...)`) runs once, at deploy. (SQL migration files
    // are the schema's source and are told apart by their statements, not their folder.)
    static const std::set<std::string> kMigrationDirs = {"migrations", "migration", "migrate"};
    const bool code = code_file(rel);
    size_t start = 0;
    while (true) {
        const size_t slash = rel.find('/', start);
        const std::string segment = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (slash == std::string::npos) {  // the file name
            std::string lower;
            for (char c : segment) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            for (const char* part : kOneOffNameParts)
                if (lower.find(part) != std::string::npos) return true;
            return false;
        }
        if (kOneOffDirs.count(segment) || (code && kMigrationDirs.count(segment))) return true;
        // `type-tests/`, `integration-tests/`, `app_tests/`: a directory of tests by its suffix
        // (plural only: `ab-test/` is a product's A/B testing).
        for (const char* suffix : {"-tests", "_tests"})
            if (segment.size() > 6 && segment.compare(segment.size() - 6, 6, suffix) == 0) return true;
        // `final-example/`, `with-drizzle-example/`, `example-app/`: an example app by its name.
        for (const char* part : {"-example", "_example"}) {
            const size_t at = segment.find(part);
            if (at != std::string::npos && (at + 8 == segment.size() || (at + 9 == segment.size() && segment.back() == 's'))) return true;
        }
        if (segment.rfind("example-", 0) == 0 || segment.rfind("example_", 0) == 0 || segment.rfind("examples-", 0) == 0) return true;
        start = slash + 1;
    }
}

}  // namespace

bool admin_path(const std::string& scan_rel, const std::string& config_rel, const ContextOptions& options) {
    for (const auto& g : options.runtime)
        if (glob_match(g, config_rel)) return false;
    for (const auto& g : options.admin)
        if (glob_match(g, config_rel)) return true;
    // Operator directories, and operator tools by name: `admin`, `admin-cli`, `packages/cli`.
    static const std::set<std::string> kAdminWords = {"admin", "superuser", "backoffice", "cli"};
    size_t start = 0;
    for (size_t slash = scan_rel.find('/'); slash != std::string::npos; start = slash + 1, slash = scan_rel.find('/', start)) {
        std::string segment = scan_rel.substr(start, slash - start);
        std::replace(segment.begin(), segment.end(), '-', '_');
        if (segment == "back_office") return true;
        for (const auto& w : name_words(segment))
            if (kAdminWords.count(w)) return true;
    }
    return false;
}

bool one_off_path(const std::string& scan_rel, const std::string& config_rel, const ContextOptions& options) {
    for (const auto& g : options.runtime)
        if (glob_match(g, config_rel)) return false;
    for (const auto& g : options.one_off)
        if (glob_match(g, config_rel)) return true;
    return one_off_by_default(scan_rel);
}

}  // namespace querylens
