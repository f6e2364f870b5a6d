// Migration-safety rules know the runner and which migrations are new: [migrations] since and
// --changed-since (a batch of new files: tables created in it are empty), per-file transactions of
// plain runners and the file's override comment, and a runner that sets lock_timeout itself.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/helpers.h"
#include "config/config.h"
#include "frontends/migrations/journal.h"

using namespace querylens;
namespace fs = std::filesystem;

namespace {

struct MigrationDir {
    fs::path dir;
    explicit MigrationDir(const std::string& name) : dir(fs::temp_directory_path() / name) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        // 0001 is old (applied); 0002 creates a table; 0003 alters both the old and the new table.
        std::ofstream(dir / "0001_init.sql") << "CREATE TABLE accounts (id bigserial PRIMARY KEY, email text);\n";
        std::ofstream(dir / "0002_teams.sql") << "CREATE TABLE teams (id bigserial PRIMARY KEY, name text);\n"
                                                 "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);\n";
        std::ofstream(dir / "0003_links.sql") << "ALTER TABLE teams ADD CONSTRAINT teams_name_key UNIQUE (name);\n"
                                                 "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n";
    }
    ~MigrationDir() { fs::remove_all(dir); }
    ProjectOptions options() const {
        ProjectOptions o;
        o.paths = {dir.string()};
        o.root = dir.string();
        return o;
    }
};

std::vector<std::string> hits(const Project& p, const char* rule) {
    std::vector<std::string> out;
    for (const auto& f : run_rules(p, {find_rule(rule)})) out.push_back(f.loc.file + ":" + std::to_string(f.loc.line));
    return out;
}

}  // namespace

TEST_CASE("migrations: without since every file is judged - a table of an earlier file holds data") {
    MigrationDir m("querylens-since-none");
    Project p = load_project(m.options());
    CHECK(hits(p, "disallowed-unique-constraint") == std::vector<std::string>{"0002_teams.sql:2", "0003_links.sql:1"});
    CHECK(hits(p, "adding-not-nullable-field") == std::vector<std::string>{"0003_links.sql:2"});
}

TEST_CASE("migrations: since - older files are not reported and tables created in the batch are new") {
    MigrationDir m("querylens-since");
    ProjectOptions o = m.options();
    o.migrations.since = "0002";
    Project p = load_project(o);
    // 0002 is new: its ALTER of accounts (from 0001) is reported; 0003's ALTER of teams (created in
    // 0002, the same batch) is not: that table is empty when the batch runs.
    CHECK(hits(p, "disallowed-unique-constraint") == std::vector<std::string>{"0002_teams.sql:2"});
    CHECK(hits(p, "adding-not-nullable-field") == std::vector<std::string>{"0003_links.sql:2"});
    o.migrations.since = "0003";
    Project later = load_project(o);
    // teams was created by an applied file now: it may hold rows.
    CHECK(hits(later, "disallowed-unique-constraint") == std::vector<std::string>{"0003_links.sql:1"});
}

TEST_CASE("migrations: since that names no file is a config diagnostic and everything is reported") {
    MigrationDir m("querylens-since-bad");
    ProjectOptions o = m.options();
    o.migrations.since = "9999";
    Project p = load_project(o);
    bool said = false;
    for (const auto& d : p.diagnostics) said = said || (d.kind == "config" && d.message.find("9999") != std::string::npos);
    CHECK(said);
    CHECK(hits(p, "disallowed-unique-constraint").size() == 2);
}

TEST_CASE("migrations: changed files - only they are new") {
    MigrationDir m("querylens-changed");
    ProjectOptions o = m.options();
    o.migrations.use_changed = true;
    o.migrations.changed = {(fs::absolute(m.dir) / "0003_links.sql").lexically_normal().generic_string()};
    Project p = load_project(o);
    CHECK(hits(p, "disallowed-unique-constraint") == std::vector<std::string>{"0003_links.sql:1"});
    CHECK(hits(p, "adding-not-nullable-field") == std::vector<std::string>{"0003_links.sql:2"});
}

TEST_CASE("migrations: plain files run per statement unless configured - the file's comment wins") {
    MigrationDir m("querylens-runner");
    std::ofstream(m.dir / "0004_idx.sql") << "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n";
    std::ofstream(m.dir / "0005_idx.sql") << "-- querylens: transaction\nCREATE INDEX CONCURRENTLY teams_name_idx ON teams (name);\n";
    std::ofstream(m.dir / "0006_idx.sql") << "-- querylens: no-transaction\nCREATE INDEX CONCURRENTLY teams_id_idx ON teams (id);\n";
    ProjectOptions o = m.options();
    CHECK(hits(load_project(o), "concurrent-index-in-transaction") == std::vector<std::string>{"0005_idx.sql:2"});
    o.migrations.plain_per_file_transaction = true;
    CHECK(hits(load_project(o), "concurrent-index-in-transaction") ==
          std::vector<std::string>{"0004_idx.sql:1", "0005_idx.sql:2"});
}

TEST_CASE("migrations: lock_timeout set in the file or by the runner") {
    MigrationDir m("querylens-lock-timeout");
    std::ofstream(m.dir / "0004_guarded.sql") << "SET lock_timeout = '2s';\nALTER TABLE accounts ADD COLUMN note text;\n";
    std::ofstream(m.dir / "0005_zero.sql") << "SET lock_timeout = 0;\nALTER TABLE accounts ADD COLUMN memo text;\n";
    ProjectOptions o = m.options();
    CHECK(hits(load_project(o), "require-lock-timeout") ==
          std::vector<std::string>{"0002_teams.sql:2", "0003_links.sql:1", "0005_zero.sql:2"});
    o.migrations.lock_timeout_set_by_runner = true;
    CHECK(hits(load_project(o), "require-lock-timeout").empty());
}

TEST_CASE("config: [migrations] keys are read and checked") {
    const fs::path dir = fs::temp_directory_path() / "querylens-migrations-config";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "querylens.toml") << "[migrations]\ntransaction = \"per-file\"\nlock-timeout-set-by-runner = true\nsince = \"0236\"\n";
    Config c;
    std::vector<ConfigError> errors;
    REQUIRE(load_config((dir / "querylens.toml").string(), c, errors));
    CHECK(c.migrations_per_file_transaction);
    CHECK(c.lock_timeout_set_by_runner);
    CHECK(c.migrations_since == "0236");
    std::ofstream(dir / "bad.toml") << "[migrations]\ntransaction = \"sometimes\"\nsince = 12\nassume = true\n";
    Config bad;
    std::vector<ConfigError> errs;
    CHECK_FALSE(load_config((dir / "bad.toml").string(), bad, errs));
    REQUIRE(errs.size() == 3);
    CHECK(errs[0].line == 4);  // unknown key first (checked before values), then the values in order
    fs::remove_all(dir);
}

TEST_CASE("sqlc: the schema files its configs name, in the three ways YAML writes a list, and JSON") {
    const fs::path dir = fs::temp_directory_path() / "querylens-sqlc-configs";
    fs::remove_all(dir);
    for (const char* sub : {"a", "b", "c", "d", "a/q", "d/migrations"}) fs::create_directories(dir / sub);
    for (const char* f : {"a/q/schema.sql", "b/schema.sql", "b/more.sql", "c/snap.sql", "d/migrations/0001.sql"})
        std::ofstream(dir / f) << "CREATE TABLE t (id int);\n";
    std::ofstream(dir / "a/sqlc.yaml") << "version: \"2\"\nsql:\n  - engine: postgresql\n    schema:\n      - q/schema.sql # snapshot\n"
                                          "      - q/missing.sql\n    queries:\n      - q/items.sql\n";
    std::ofstream(dir / "b/sqlc.yml") << "version: '2'\nsql:\n- schema: [\"schema.sql\", 'more.sql']\n  queries: q\n";
    std::ofstream(dir / "c/sqlc.json") << R"({"version": "2", "sql": [{"schema": "snap.sql", "queries": "q.sql", "engine": "postgresql"}]})";
    // A directory of migrations is the migrations themselves, not a snapshot.
    std::ofstream(dir / "d/sqlc.yaml") << "version: \"2\"\nsql:\n  - schema: \"migrations\"\n    queries: \"q\"\n";
    std::set<std::string> dirs;
    for (const char* sub : {"a", "b", "c", "d"}) dirs.insert((dir / sub).lexically_normal().generic_string());
    const auto got = sqlc_schema_snapshots(dirs);
    std::set<std::string> want;
    for (const char* f : {"a/q/schema.sql", "b/schema.sql", "b/more.sql", "c/snap.sql"}) want.insert((dir / f).lexically_normal().generic_string());
    CHECK(got == want);
    fs::remove_all(dir);
}

TEST_CASE("other engines: a folder with one ClickHouse file is ClickHouse's, statements PostgreSQL accepts included") {
    const fs::path dir = fs::temp_directory_path() / "querylens-other-engine-folder";
    fs::remove_all(dir);
    fs::create_directories(dir / "migrations");
    fs::create_directories(dir / "warehouse");
    std::ofstream(dir / "migrations/0001_init.sql") << "CREATE TABLE accounts (id bigserial PRIMARY KEY, email text);\n";
    std::ofstream(dir / "warehouse/0001_events.sql") << "CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id;\n";
    std::ofstream(dir / "warehouse/0002_cleanup.sql") << "DROP TABLE IF EXISTS accounts;\n";
    std::ofstream(dir / "warehouse/0003_index.sql") << "ALTER TABLE events DROP INDEX IF EXISTS events_ngram;\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    // drizzle-kit's SQLite migrations: MySQL's backticks, SQLite's AUTOINCREMENT; named for SQLite.
    fs::create_directories(dir / "db/migrations/sqlite");
    std::ofstream(dir / "db/migrations/sqlite/0000_init.sql") << "CREATE TABLE `apps` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL);\n";
    std::ofstream(dir / "db/migrations/sqlite/0001_more.sql") << "ALTER TABLE `apps` ADD `name` text;\n";
    const Project p = load_project(o);
    CHECK(p.schema.find_table("public.accounts") != nullptr);  // the ClickHouse DROP is not PostgreSQL's
    CHECK(std::none_of(p.diagnostics.begin(), p.diagnostics.end(), [](const Diagnostic& d) { return d.kind == "parse-error"; }));
    std::vector<std::string> engines;
    for (const auto& d : p.diagnostics)
        if (d.kind == "other-engine") engines.push_back(d.loc.file + ": " + d.message);
    CHECK(engines == std::vector<std::string>{"db/migrations/sqlite: 2 .sql file(s) written for SQLite, not PostgreSQL: skipped",
                                              "warehouse: 3 .sql file(s) written for ClickHouse, not PostgreSQL: skipped"});
    fs::remove_all(dir);
}

TEST_CASE("a schema export that says it is not meant to be run: no parse errors, not applied beside migrations") {
    const fs::path dir = fs::temp_directory_path() / "querylens-schema-export";
    fs::remove_all(dir);
    fs::create_directories(dir / "migrations");
    std::ofstream(dir / "migrations/0001_init.sql") << "CREATE TABLE accounts (id bigserial PRIMARY KEY, email text);\n";
    // Supabase's dashboard export: pseudo-types PostgreSQL rejects, and a table the migrations dropped.
    std::ofstream(dir / "database.sql") << "-- WARNING: This schema is for context only and is not meant to be run.\n"
                                           "-- Table order and constraints may not be valid for execution.\n\n"
                                           "CREATE TABLE public.accounts (id bigint NOT NULL, tags ARRAY);\n"
                                           "CREATE TABLE public.legacy (id bigint NOT NULL, kind USER-DEFINED);\n";
    // Look-alike: the same pseudo-types in a file without that header are the project's parse errors.
    std::ofstream(dir / "migrations/0002_broken.sql") << "CREATE TABLE public.broken (tags ARRAY);\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    const Project p = load_project(o);
    std::vector<std::string> errors;
    for (const auto& d : p.diagnostics)
        if (d.kind == "parse-error") errors.push_back(d.loc.file);
    CHECK(errors == std::vector<std::string>{"migrations/0002_broken.sql"});
    CHECK(p.schema.find_table("public.legacy") == nullptr);
    CHECK(std::any_of(p.diagnostics.begin(), p.diagnostics.end(), [](const Diagnostic& d) { return d.kind == "schema-snapshot" && d.loc.file == "database.sql"; }));
    fs::remove_all(dir);
}

TEST_CASE("engine markers: a 2 MB migration is scanned without recursion; look-alikes are PostgreSQL's") {
    // std::regex recursed once per character here and overflowed a worker thread's stack
    // (omnivore's 1.3 MB data migration).
    const fs::path dir = fs::temp_directory_path() / "querylens-big-migration";
    fs::remove_all(dir);
    fs::create_directories(dir / "migrations");
    {
        std::ofstream big(dir / "migrations/0001_data.sql");
        big << "CREATE TABLE feeds (id bigserial PRIMARY KEY, title text, datetime_note text);\n";
        // One long line: a string literal of 2 MB (blanked to spaces when markers are looked for).
        big << "INSERT INTO feeds (title) VALUES ('" << std::string(2'000'000, 'x') << " a datetime title and `quotes` in text');\n";
        big << "SELECT FROM;\n";  // a parse error: the engine markers are looked for
    }
    // Look-alikes: `datetime` as a word in a string, `use` not at a line's start, a quoted `ON *.*`.
    std::ofstream(dir / "migrations/0002_more.sql") << "ALTER TABLE feeds ADD COLUMN note text DEFAULT 'use x;';\n"
                                                        "COMMENT ON TABLE feeds IS 'ROW POLICY ON *.*';\nSELECT FROM;\n";
    // The real markers, one per file.
    fs::create_directories(dir / "other");
    std::ofstream(dir / "other/a.sql") << "CREATE TABLE t (\n  `id` int,\n  created datetime\n);\n";
    std::ofstream(dir / "other/b.sql") << "USE shop;\nCREATE TABLE t (id int) ENGINE = InnoDB;\n";
    std::ofstream(dir / "other/c.sql") << "CREATE TABLE t (\"when\" DATETIME, id int);\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    const Project p = load_project(o);
    CHECK(p.schema.find_table("public.feeds") != nullptr);
    std::vector<std::string> errors, engines;
    for (const auto& d : p.diagnostics) {
        if (d.kind == "parse-error") errors.push_back(d.loc.file);
        if (d.kind == "other-engine") engines.push_back(d.loc.file + ": " + d.message);
    }
    CHECK(errors == std::vector<std::string>{"migrations/0001_data.sql", "migrations/0002_more.sql"});
    CHECK(engines.size() == 1);
    if (!engines.empty()) CHECK(engines[0].find("other: 3 .sql file(s)") == 0);
    fs::remove_all(dir);
}

TEST_CASE("rollback scripts are not the schema's history: down, undo, Flyway U, rollback folders; look-alikes are read") {
    const fs::path dir = fs::temp_directory_path() / "querylens-rollbacks";
    fs::remove_all(dir);
    for (const char* d : {"postgrator", "flyway", "golang", "diesel/2024-01-01-000000_init", "plain/rollback"}) fs::create_directories(dir / d);
    // postgrator sorts 0001.do before 0001.undo: read in order, the undo would drop the table.
    std::ofstream(dir / "postgrator/0001.do.init.sql") << "CREATE TABLE articles (id bigserial PRIMARY KEY, title text);\n";
    std::ofstream(dir / "postgrator/0001.undo.init.sql") << "DROP TABLE articles;\n";
    std::ofstream(dir / "postgrator/0002.undo.broken.sql") << "REVOKE GRANT UPDATE ON articles TO app;\n";  // never runs forward
    std::ofstream(dir / "flyway/V1__users.sql") << "CREATE TABLE users (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "flyway/U1__users.sql") << "DROP TABLE users;\n";
    std::ofstream(dir / "golang/001_teams.up.sql") << "CREATE TABLE teams (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "golang/002_teams.down.sql") << "DROP TABLE teams;\n";
    std::ofstream(dir / "diesel/2024-01-01-000000_init/up.sql") << "CREATE TABLE posts (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "diesel/2024-01-01-000000_init/down.sql") << "DROP TABLE posts;\n";
    std::ofstream(dir / "plain/rollback/0001.sql") << "DROP TABLE users;\n";
    // Look-alikes: names that contain the words but are forward migrations.
    std::ofstream(dir / "plain/0002_slowdown_settings.sql") << "CREATE TABLE slowdown_settings (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "plain/0003_undo_log.sql") << "CREATE TABLE undo_log (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "plain/0004_drop_rollbacks.sql") << "DROP TABLE slowdown_settings;\n";
    // A `_down` suffix is a rollback only beside its `_up` twin.
    std::ofstream(dir / "plain/0005_cool_down.sql") << "CREATE TABLE cool_downs (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "golang/003_tags_up.sql") << "CREATE TABLE tags (id bigserial PRIMARY KEY);\n";
    std::ofstream(dir / "golang/003_tags_down.sql") << "DROP TABLE tags;\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    const Project p = load_project(o);
    for (const char* t : {"public.articles", "public.users", "public.teams", "public.posts", "public.undo_log", "public.cool_downs", "public.tags"})
        CHECK_MESSAGE(p.schema.find_table(t) != nullptr, t);
    CHECK(p.schema.find_table("public.slowdown_settings") == nullptr);  // dropped by a forward migration
    std::vector<std::string> rollbacks;
    for (const auto& d : p.diagnostics) {
        CHECK(d.kind != "parse-error");
        if (d.kind == "rollback-migration") rollbacks.push_back(d.loc.file + ": " + d.message.substr(0, d.message.find(' ')));
    }
    CHECK(rollbacks == std::vector<std::string>{"diesel/2024-01-01-000000_init: 1", "flyway: 1", "golang: 2", "plain/rollback: 1",
                                                "postgrator: 2"});
    CHECK(run_rules(p, {find_rule("ban-drop-table")}).size() == 1);  // 0004_drop_rollbacks only
    fs::remove_all(dir);
}

TEST_CASE("pg_dump output beside migrations is a snapshot; a pg_dump baseline in the migrations folder is a migration") {
    const fs::path dir = fs::temp_directory_path() / "querylens-pg-dump-beside";
    fs::remove_all(dir);
    fs::create_directories(dir / "prisma/migrations/0001_init");
    fs::create_directories(dir / "docker/init");
    const std::string header = "--\n-- PostgreSQL database dump\n--\n\n-- Dumped by pg_dump version 15.8\n\nSET statement_timeout = 0;\n";
    // civitai: a docker init dump repeats (an older state of) what the migrations build.
    std::ofstream(dir / "prisma/migrations/0001_init/migration.sql") << header
                                                                     << "CREATE TABLE ranks (id bigint PRIMARY KEY, score int);\n";
    std::ofstream(dir / "docker/init/02_all_ddl.sql") << header << "CREATE TABLE ranks (id bigint PRIMARY KEY, score int);\n"
                                                      << "CREATE INDEX ranks_idx ON ranks (id);\nCREATE TABLE legacy (id int);\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    Project p = load_project(o);
    CHECK(p.schema.find_table("public.ranks") != nullptr);    // the baseline in migrations/ is applied
    CHECK(p.schema.find_table("public.legacy") == nullptr);   // the dump beside them is not
    CHECK(run_rules(p, {find_rule("duplicate-index")}).empty());
    CHECK(std::any_of(p.diagnostics.begin(), p.diagnostics.end(), [](const Diagnostic& d) {
        return d.kind == "schema-snapshot" && d.loc.file == "docker/init/02_all_ddl.sql";
    }));
    // Look-alike: the dump alone builds the schema.
    fs::remove_all(dir / "prisma");
    p = load_project(o);
    CHECK(p.schema.find_table("public.legacy") != nullptr);
    CHECK(run_rules(p, {find_rule("duplicate-index")}).size() == 1);
    fs::remove_all(dir);
}

TEST_CASE("schema-drift: when drizzle-kit's newest snapshot already lists what the migrations lack, the fix is a hand-written migration") {
    const fs::path dir = fs::temp_directory_path() / "querylens-drift-snapshot";
    fs::remove_all(dir);
    fs::create_directories(dir / "drizzle/meta");
    fs::create_directories(dir / "src");
    std::ofstream(dir / "drizzle/0000_init.sql") << "CREATE TABLE \"posts\" (\"id\" bigint PRIMARY KEY, \"status\" text NOT NULL, \"slug\" text NOT NULL);\n";
    std::ofstream(dir / "drizzle/0001_custom.sql") << "SELECT 1;\n";  // hand-written (`--custom`): no snapshot of its own
    std::ofstream(dir / "drizzle/meta/_journal.json")
        << R"({"version":"7","dialect":"postgresql","entries":[{"idx":0,"tag":"0000_init"},{"idx":1,"tag":"0001_custom"}]})";
    // The snapshot lists posts_status_idx (someone deleted it from the SQL after generating).
    std::ofstream(dir / "drizzle/meta/0000_snapshot.json")
        << R"({"version":"7","tables":{"public.posts":{"name":"posts","indexes":{"posts_status_idx":{"name":"posts_status_idx"}},"foreignKeys":{}}}})";
    std::ofstream(dir / "drizzle.config.ts") << "export default { dialect: 'postgresql', schema: './src/schema.ts', out: './drizzle' };\n";
    std::ofstream(dir / "src/schema.ts")
        << "import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';\n"
           "export const posts = pgTable('posts', { id: bigint('id', { mode: 'number' }).primaryKey(), status: text('status').notNull(),\n"
           "  slug: text('slug').notNull() }, (t) => [index('posts_status_idx').on(t.status), index('posts_slug_idx').on(t.slug)]);\n";
    ProjectOptions o;
    o.paths = {dir.string()};
    o.root = dir.string();
    const Project p = load_project(o);
    std::vector<std::string> messages;
    for (const auto& f : run_rules(p, {find_rule("schema-drift")})) messages.push_back(f.message);
    std::sort(messages.begin(), messages.end());
    REQUIRE(messages.size() == 2);
    // Look-alike: an index the snapshot does not list is generated as usual.
    CHECK(messages[0].find("index posts_slug_idx") == 0);
    CHECK(messages[0].find(": generate a migration") != std::string::npos);
    CHECK(messages[1].find("index posts_status_idx") == 0);
    CHECK(messages[1].find("drizzle-kit's snapshot (drizzle/meta/0000_snapshot.json) already lists it") != std::string::npos);
    fs::remove_all(dir);
}
