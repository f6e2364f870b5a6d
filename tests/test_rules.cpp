// Rule details the fixtures do not pin: exact fixes, severity tiers, options and cross-rule
// behaviour. Each rule's violations and look-alikes are in fixtures/rules/<rule-id>/ (checked both
// ways by tests/test_fixtures.cpp); the whole-project fixtures under fixtures/ cover them together.
#include <doctest/doctest.h>

#include <set>

#include "core/sql_text.h"
#include "tests/helpers.h"

using namespace querylens;
using qltest::rule_lines;
using V = std::vector<unsigned>;

namespace {
const std::string kSchema = R"(CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, team_id int);
CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users ON DELETE CASCADE, symbol text, status text, created_at timestamptz);
CREATE INDEX orders_user ON orders (user_id);
CREATE TABLE positions (id int PRIMARY KEY, user_id int, symbol text, status text);
CREATE UNIQUE INDEX pos_open ON positions (user_id, symbol) WHERE status = 'open';
)";  // 5 lines: queries below start on line 6
}  // namespace

TEST_CASE("select-star") {
    // Multi-row reads that carry a wide column (jsonb) for every row.
    const std::string wide = "CREATE TABLE events (id int PRIMARY KEY, user_id int, payload jsonb);\n";
    CHECK(rule_lines(wide + "SELECT * FROM events WHERE user_id = 1;", "select-star") == V{2});
    CHECK(rule_lines(wide + "SELECT e.* FROM events e WHERE user_id = 1;", "select-star") == V{2});
    CHECK(rule_lines("INSERT INTO events (id) VALUES (1) RETURNING *;", "select-star").empty());  // no schema: no wide column known
    // negatives: one row by its key; no wide column; a migration's data statement
    CHECK(rule_lines(wide + "SELECT * FROM events WHERE id = 1;", "select-star").empty());
    CHECK(rule_lines(kSchema + "SELECT * FROM orders WHERE user_id = 1;", "select-star").empty());
    CHECK(rule_lines(wide + "INSERT INTO events (id) VALUES (1) RETURNING *;", "select-star").empty());
    CHECK(rule_lines(kSchema + "SELECT count(*) FROM orders;", "select-star").empty());
    CHECK(rule_lines(kSchema + "SELECT EXISTS (SELECT * FROM orders);", "select-star").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM (SELECT * FROM orders) s;", "select-star").empty());
    CHECK(rule_lines(kSchema + "INSERT INTO users SELECT * FROM users;", "select-star").empty());
}

TEST_CASE("cartesian-join: unlinked relations are P1 / joins on keys of neither side are P3 notes") {
    auto f = qltest::run(qltest::analyze(kSchema + "SELECT 1 FROM orders, users;"), "cartesian-join");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::P1);
    f = qltest::run(qltest::analyze(kSchema + "SELECT 1 FROM orders o\nLEFT JOIN positions p ON o.symbol = p.symbol;"),
                    "cartesian-join");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::P3);
    CHECK(f[0].loc.line == 7);
    CHECK(f[0].message.find("o.symbol = p.symbol") != std::string::npos);
    CHECK(f[0].message.find("declare it UNIQUE") != std::string::npos);
}

TEST_CASE("fk-missing-action: the fix sets NULL on a nullable column") {
    auto f = qltest::run(qltest::analyze("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);"),
                         "fk-missing-action");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix.find("ON DELETE SET NULL") != std::string::npos);
}

TEST_CASE("fk-missing-index: the fix") {
    auto f = qltest::run(qltest::analyze("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a ON DELETE CASCADE);"),
                         "fk-missing-index");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_b_a_id ON b (a_id);");
}

TEST_CASE("uncovered-predicate: suggestions for one table merge into the longer index") {
    auto f = qltest::run(qltest::analyze(kSchema + "SELECT id FROM orders WHERE symbol = $1 AND status = 'x' AND created_at > $2 "
                                                   "ORDER BY created_at LIMIT 5;\nSELECT id FROM orders WHERE symbol = $1 LIMIT 5;"),
                         "uncovered-predicate");
    // One missing index for both queries: one finding, the other query a related location.
    REQUIRE(f.size() == 1);
    const std::string merged = "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_symbol_status_created_at ON orders (symbol, status, created_at);";
    CHECK(f[0].fix == merged);
    REQUIRE(f[0].related.size() == 1);
    CHECK(f[0].related[0].loc.line == 7);  // (symbol) is a prefix: merged into the longer suggestion
}

TEST_CASE("uncovered-predicate: a status-like column goes after the selective ones") {
    auto f = qltest::run(qltest::analyze(kSchema + "SELECT id FROM orders WHERE status = $1 AND symbol = $2 LIMIT 5;"),
                         "uncovered-predicate");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_symbol_status ON orders (symbol, status);");
}

TEST_CASE("parse-error keeps the rest of the analysis") {
    auto p = qltest::analyze(kSchema + "SELEC id FROM orders;\nSELECT id FROM orders;");
    CHECK(qltest::lines(qltest::run(p, "parse-error")) == V{6});
    CHECK(qltest::lines(qltest::run(p, "unpaginated-query")) == V{7});
}

TEST_CASE("registry: ids are unique / kebab-case / documented in the fixed sections") {
    std::set<std::string> ids;
    for (const Rule* r : all_rules()) {
        const std::string id = r->id, doc = r->doc;
        CHECK(ids.insert(id).second);
        CHECK(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos);
        for (const char* section : {"## What it does", "## Why is this bad?", "## Example", "## Use instead"})
            CHECK_MESSAGE(doc.find(section) != std::string::npos, id << " lacks " << section);
        CHECK(find_rule(id) == r);
    }
    CHECK(find_rule("no-such-rule") == nullptr);
}

TEST_CASE("golden: docs/rules/<id>.md is each rule's documentation (SARIF helpUri target)") {
    for (const Rule* r : all_rules()) qltest::golden(rule_markdown(*r), qltest::kSource / "docs" / "rules" / (std::string(r->id) + ".md"));
}

TEST_CASE("volatile-index-predicate: P0 / the fix drops the predicate") {
    const auto fs = qltest::run(qltest::analyze("CREATE TABLE s (t text, e timestamptz);\nCREATE INDEX a ON s (t) WHERE e > now();\n"),
                                "volatile-index-predicate");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].severity == Severity::P0);
    CHECK(fs[0].fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS a ON s (t);");
}

TEST_CASE("non-concurrent-index: only on tables an earlier file created") {
    const Project p = analyze_sources({{"m/0001.sql", "CREATE TABLE s (t text, u text);\nCREATE INDEX a ON s (t);\n"},
                                       {"m/0002.sql", "CREATE INDEX b ON s (u);\nCREATE INDEX CONCURRENTLY c ON s (t, u);\n"}});
    const auto fs = qltest::run(p, "non-concurrent-index");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].loc.file == "m/0002.sql");
    CHECK(fs[0].loc.line == 1);
    CHECK(fs[0].fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS b ON s (u);");
}

TEST_CASE("missing-compression-policy: segmentby from the leading index column") {
    const char* sql =
        "CREATE TABLE t (id bigserial PRIMARY KEY, sym text NOT NULL, ts timestamptz NOT NULL);\n"
        "SELECT create_hypertable('t', 'ts');\n"
        "CREATE UNIQUE INDEX t_sym_ts ON t (sym, ts);\n";
    const auto fs = qltest::run(qltest::analyze(sql), "missing-compression-policy");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].fix.find("timescaledb.compress_segmentby = 'sym'") != std::string::npos);
}

TEST_CASE("index predicates nested 20/000 deep do not crash the function walk") {
    const std::string deep = std::string(20000, '(') + "e > now()" + std::string(20000, ')');
    const Project p = qltest::analyze("CREATE TABLE s (t text, e timestamptz);\nCREATE INDEX a ON s (t) WHERE " + deep + ";\n");
    CHECK(p.diagnostics.size() <= 1);  // PostgreSQL's parser may refuse the depth; nothing crashes
}

TEST_CASE("status-as-text: the enum lists the compared and written literals and the default - only when every write is seen") {
    const std::string sql =
        "CREATE TABLE o (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new');\n"
        "SELECT id FROM o WHERE status IN ('open', 'done') LIMIT 5;\n"
        "UPDATE o SET status = 'archived' WHERE id = $1;\n";
    const auto fs = qltest::run(qltest::analyze(sql), "status-as-text");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].fix.find("AS ENUM ('archived', 'done', 'new', 'open')") != std::string::npos);
    // A write of a parameter: the full set is unknown, so no type to paste.
    const auto partial = qltest::run(qltest::analyze(sql + "UPDATE o SET status = $2 WHERE id = $1;\n"), "status-as-text");
    REQUIRE(partial.size() == 1);
    CHECK(partial[0].fix.empty());
    // One literal is never enough.
    CHECK(qltest::run(qltest::analyze("CREATE TABLE o (id int PRIMARY KEY, status text);\n"
                                      "SELECT id FROM o WHERE status = 'open' LIMIT 5;\nUPDATE o SET status = 'open';\n"),
                      "status-as-text").empty());
}

TEST_CASE("missing-hypertable and continuous-aggregate-candidate") {
    const char* sql =
        "CREATE EXTENSION timescaledb;\n"
        "CREATE TABLE trades (id bigint, symbol text, ts timestamptz NOT NULL);\n"
        "CREATE TABLE trade_fees (id bigint, ts timestamptz NOT NULL);\n"       // updated below: not append-only
        "CREATE TABLE users (id bigint PRIMARY KEY, created timestamptz NOT NULL);\n"  // not a time-series name
        "CREATE TABLE ticks (sym text, ts timestamptz NOT NULL);\n"
        "SELECT create_hypertable('ticks', 'ts');\n"
        "SELECT symbol FROM trades WHERE ts > $1 ORDER BY ts DESC LIMIT 10;\n"
        "UPDATE trade_fees SET id = 1 WHERE ts > $1;\n"
        "SELECT id FROM users WHERE created > $1 LIMIT 10;\n"
        "SELECT time_bucket('1 hour', ts) AS b, count(*) FROM ticks GROUP BY b;\n"
        "SELECT date_trunc('day', ts), sym, count(*) FROM ticks GROUP BY 1, 2;\n";
    CHECK(rule_lines(sql, "missing-hypertable") == std::vector<unsigned>{2});
    const auto h = qltest::run(qltest::analyze(sql), "missing-hypertable");
    REQUIRE(h.size() == 1);
    CHECK(h[0].severity == Severity::P1);
    CHECK(h[0].fix == "SELECT create_hypertable('trades', 'ts', chunk_time_interval => INTERVAL '1 day', migrate_data => true);");
    CHECK(rule_lines(sql, "continuous-aggregate-candidate") == std::vector<unsigned>{10});
    // One bucketed query is not "repeated"; without TimescaleDB the hypertable note is P3.
    CHECK(rule_lines("CREATE TABLE ticks (sym text, ts timestamptz NOT NULL);\nSELECT create_hypertable('ticks', 'ts');\n"
                     "SELECT time_bucket('1 hour', ts) AS b, count(*) FROM ticks GROUP BY b;\n",
                     "continuous-aggregate-candidate")
              .empty());
    const auto note = qltest::run(qltest::analyze("CREATE TABLE events (id int, at timestamptz NOT NULL);\n"
                                                  "SELECT id FROM events ORDER BY at DESC LIMIT 5;\n"),
                                  "missing-hypertable");
    REQUIRE(note.size() == 1);
    CHECK(note[0].severity == Severity::P3);
}

TEST_CASE("fixes quote reserved identifiers: a table named user") {
    auto f = qltest::run(qltest::analyze("CREATE TABLE \"user\" (id int PRIMARY KEY, email text, \"order\" int);\n"
                                         "SELECT id FROM \"user\" WHERE email = $1 AND \"order\" = 2 LIMIT 1;"),
                         "uncovered-predicate");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix.find("ON \"user\" (email, \"order\")") != std::string::npos);
    CHECK(quote_ident("users") == "users");
    CHECK(quote_ident("webServerSettings") == "\"webServerSettings\"");
}

TEST_CASE("connection-settings: timeouts set for the role in a migration count; a pool created per call does not hide them") {
    const std::string pool_ts =
        "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, idleTimeoutMillis: 30000, connectionTimeoutMillis: 5000 });\n";
    auto without = querylens::analyze_sources({{"src/db.ts", pool_ts}, {"migrations/0001.sql", "CREATE TABLE t (id int PRIMARY KEY);\n"}});
    auto f = qltest::run(without, "connection-settings");
    REQUIRE(f.size() == 1);
    CHECK(f[0].message.find("neither statement_timeout nor idle_in_transaction_session_timeout") != std::string::npos);
    auto with = querylens::analyze_sources(
        {{"src/db.ts", pool_ts},
         {"migrations/0001.sql", "CREATE TABLE t (id int PRIMARY KEY);\nALTER ROLE app SET statement_timeout = '30s';\n"
                                 "ALTER DATABASE app SET idle_in_transaction_session_timeout = '60s';\n"}});
    CHECK(qltest::run(with, "connection-settings").empty());
}

TEST_CASE("connection-settings: Neon's HTTP neon() has no session to leave idle in a transaction; its WebSocket Pool does") {
    auto run = [](const std::string& db_ts) {
        auto p = querylens::analyze_sources({{"src/db.ts", db_ts}, {"migrations/0001.sql", "CREATE TABLE t (id int PRIMARY KEY);\n"}});
        return qltest::run(p, "connection-settings");
    };
    auto http = run("import { neon } from '@neondatabase/serverless';\nexport const sql = neon(process.env.DATABASE_URL!);\n");
    REQUIRE(http.size() == 1);
    CHECK(http[0].message.find("no statement_timeout is set") != std::string::npos);
    CHECK(http[0].message.find("idle_in_transaction") == std::string::npos);
    CHECK(http[0].fix.find("idle_in_transaction") == std::string::npos);
    auto ws = run("import { Pool } from '@neondatabase/serverless';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n");
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].message.find("neither statement_timeout nor idle_in_transaction_session_timeout") != std::string::npos);
}

TEST_CASE("uncovered-predicate: an index a SQL migration adds to a table only the Drizzle schema creates serves it") {
    const std::string schema_ts =
        "import { pgTable, text } from 'drizzle-orm/pg-core';\n"
        "export const teams = pgTable('teams', { id: text('id').primaryKey(), stripeAccountId: text('stripe_account_id') });\n";
    const std::string query = "SELECT id FROM teams WHERE stripe_account_id = $1 LIMIT 1;\n";
    auto without = querylens::analyze_sources({{"src/schema.ts", schema_ts}, {"queries/teams.sql", query}});
    CHECK(qltest::run(without, "uncovered-predicate").size() == 1);
    auto with = querylens::analyze_sources(
        {{"src/schema.ts", schema_ts},
         {"migrations/0008_stripe.sql",
          "CREATE INDEX IF NOT EXISTS teams_stripe_account_id_idx ON teams (stripe_account_id) WHERE stripe_account_id IS NOT NULL;\n"},
         {"queries/teams.sql", query}});
    CHECK(qltest::run(with, "uncovered-predicate").empty());
}

TEST_CASE("uncovered-predicate: covering and partial variants where the queries call for them") {
    const std::string schema =
        "CREATE TABLE tasks (id bigint PRIMARY KEY, team_id bigint NOT NULL, title text NOT NULL, body text, created_at timestamptz NOT NULL,\n"
        "  status text NOT NULL, queue text NOT NULL);\n";
    auto variants = [&](const std::string& queries) {
        const auto p = querylens::analyze_sources({{"migrations/0001.sql", schema}, {"queries/q.sql", queries}});
        std::vector<std::string> out;
        for (const auto& f : qltest::run(p, "uncovered-predicate"))
            if (f.index)
                for (const auto& v : f.index->variants) out.push_back(v.kind + ": " + v.ddl);
        return out;
    };
    // A list of two narrow columns: INCLUDE them for an index-only scan.
    CHECK(variants("SELECT id, title FROM tasks WHERE team_id = $1 ORDER BY created_at DESC;\n") ==
          std::vector<std::string>{"covering: CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tasks_team_id_created_at_covering ON tasks "
                                   "(team_id, created_at DESC) INCLUDE (id, title);"});
    // Look-alikes: every column (`*`), a document-like column, a single-row lookup: no covering variant.
    CHECK(variants("SELECT * FROM tasks WHERE team_id = $1;\n").empty());
    CHECK(variants("SELECT id, body FROM tasks WHERE team_id = $1;\n").empty());
    CHECK(variants("SELECT id, title FROM tasks WHERE team_id = $1 LIMIT 1;\n").empty());
    // Every query asks for the same state: a partial index without the status key.
    const auto partial = variants("SELECT id FROM tasks WHERE queue = $1 AND status = 'pending' ORDER BY created_at LIMIT 10;\n"
                                  "SELECT count(*) FROM tasks WHERE queue = $1 AND status = 'pending';\n");
    REQUIRE(partial.size() == 1);
    CHECK(partial[0] == "partial: CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_tasks_queue_created_at_status_partial ON tasks "
                        "(queue, created_at) WHERE status = 'pending';");
    // Look-alike: two states asked for: one full index serves both, no partial variant.
    const auto two = variants("SELECT id FROM tasks WHERE queue = $1 AND status = 'pending' LIMIT 10;\n"
                              "SELECT id FROM tasks WHERE queue = $1 AND status = 'failed' LIMIT 10;\n");
    CHECK(std::none_of(two.begin(), two.end(), [](const std::string& v) { return v.rfind("partial", 0) == 0; }));
}

TEST_CASE("uncovered-predicate: a table nothing sizes or grows is a note; growth evidence and a third query, or data, make a finding") {
    const std::string table = "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n";
    auto severities = [](const querylens::Project& p) {
        std::vector<std::string> out;
        for (const auto& f : qltest::run(p, "uncovered-predicate")) out.push_back(querylens::to_string(f.severity));
        return out;
    };
    const std::string one = table + "SELECT id FROM t WHERE a = $1;\n";
    const std::string two = one + "SELECT count(*) FROM t WHERE a = $1;\n";
    const std::string three = two + "SELECT id FROM t WHERE a = $1 LIMIT 5;\n";
    CHECK(severities(qltest::analyze(one)) == std::vector<std::string>{"P3"});
    CHECK(severities(qltest::analyze(two)) == std::vector<std::string>{"P3"});
    // A third query does not size the table either: still a note without any evidence, a
    // finding when the table grows by evidence (inserted in loops or by jobs).
    CHECK(severities(qltest::analyze(three)) == std::vector<std::string>{"P3"});
    auto growing = qltest::analyze(three);
    growing.profiles["public.t"].growth = querylens::TableGrowth::Growing;
    CHECK(severities(growing) == std::vector<std::string>{"P1"});
    auto growing_one = qltest::analyze(one);
    growing_one.profiles["public.t"].growth = querylens::TableGrowth::Growing;
    CHECK(severities(growing_one) == std::vector<std::string>{"P3"});  // one query, growth unmeasured: a note
    // The user's word ([tables] large) or statistics: one query is enough.
    auto declared = qltest::analyze(one);
    declared.profiles["public.t"].measured = true;
    declared.profiles["public.t"].growth = querylens::TableGrowth::Growing;
    CHECK(severities(declared) == std::vector<std::string>{"P1"});
    auto measured = qltest::analyze(one);
    measured.database.tables["public.t"].rows = 20000;  // between small and large: sized, no growth claim
    CHECK(severities(measured) == std::vector<std::string>{"P2"});
    // A time series grows under every key.
    auto series = qltest::analyze(one);
    series.profiles["public.t"].growth = querylens::TableGrowth::TimeSeries;
    CHECK(severities(series) == std::vector<std::string>{"P1"});
    // The note says why and how to make it a finding.
    const auto note = qltest::run(qltest::analyze(one), "uncovered-predicate");
    REQUIRE(note.size() == 1);
    CHECK(note[0].message.find("one query filters this way and nothing says how large the table is") != std::string::npos);
}

TEST_CASE("schema-drift: without drizzle-kit the Drizzle schema only types the queries (a note, fix the declaration)") {
    const std::string sql = "CREATE TABLE apps (id uuid PRIMARY KEY, name text);\n";
    const std::string ts =
        "import { pgTable, uuid, varchar } from 'drizzle-orm/pg-core';\n"
        "export const apps = pgTable('apps', {\n"
        "  id: uuid('id').primaryKey(),\n"
        "  name: varchar('name').unique(),\n"
        "});\n";
    // Migrations written by another tool (Supabase): the declaration is what is wrong.
    auto mirror = qltest::run(analyze_sources({{"supabase/migrations/0001_init.sql", sql}, {"src/schema.ts", ts}}), "schema-drift");
    REQUIRE(mirror.size() == 1);
    CHECK(mirror[0].severity == Severity::P3);
    CHECK(mirror[0].message.find("correct the declaration to match the migrations") != std::string::npos);
    // drizzle-kit's output folder: the schema generates the migrations, so one is missing.
    auto generated = qltest::run(analyze_sources({{"drizzle/0000_init.sql", sql}, {"src/schema.ts", ts}}), "schema-drift");
    REQUIRE(generated.size() == 1);
    CHECK(generated[0].severity == Severity::P2);
    CHECK(generated[0].message.find("generate a migration") != std::string::npos);
}

TEST_CASE("uncovered-predicate on a table a Prisma model declares: the @@index to add there, and the model is not a query") {
    const std::string prisma =
        "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
        "model ApiKey {\n  id        String @id\n  projectId String @map(\"project_id\")\n  adapter   String\n\n  @@map(\"api_keys\")\n}\n";
    const std::string migration =
        "CREATE TABLE \"api_keys\" (\"id\" TEXT NOT NULL, \"project_id\" TEXT NOT NULL, \"adapter\" TEXT NOT NULL, CONSTRAINT \"api_keys_pkey\" PRIMARY KEY (\"id\"));\n";
    auto run = [&](const std::string& queries) {
        auto p = querylens::analyze_sources({{"prisma/schema.prisma", prisma},
                                             {"prisma/migrations/20240101000000_init/migration.sql", migration},
                                             {"queries/keys.sql", queries}});
        return qltest::run(p, "uncovered-predicate");
    };
    // Two queries: still a note (the model's location is not a third query).
    auto two = run("SELECT id FROM api_keys WHERE adapter = $1 LIMIT 10;\nSELECT id, project_id FROM api_keys WHERE adapter = $1 LIMIT 5;\n");
    REQUIRE(two.size() == 1);
    CHECK(two[0].severity == querylens::Severity::P3);
    CHECK(two[0].message.find("here and by 1 other query") != std::string::npos);
    CHECK(two[0].message.find("declare it in schema.prisma as @@index([adapter]) on model ApiKey") != std::string::npos);
    CHECK(two[0].fix.find("EXISTS api_keys_adapter_idx ON") != std::string::npos);
    REQUIRE(two[0].index);
    CHECK(two[0].index->name == "api_keys_adapter_idx");
    // Mapped columns are named by their fields.
    auto mapped = run("SELECT id FROM api_keys WHERE project_id = $1 LIMIT 10;\n");
    REQUIRE(mapped.size() == 1);
    CHECK(mapped[0].message.find("@@index([projectId])") != std::string::npos);
}

TEST_CASE("unindexed-jsonb-query and select-star: a note without size evidence, a finding with it") {
    // Labelled on 113 real projects, both rules are kept about two times in three without size
    // evidence (a handful of connectors, a few subscriptions of one org): notes; statistics,
    // [tables] large or a time series make them findings.
    const std::string sql =
        "CREATE TABLE events (id bigserial PRIMARY KEY, owner_id bigint NOT NULL, payload jsonb NOT NULL, body text NOT NULL);\n"
        "SELECT id FROM events WHERE payload @> '{\"kind\": \"x\"}' LIMIT 10;\n";
    auto severities = [](const querylens::Project& p, const char* rule) {
        std::vector<std::string> out;
        for (const auto& f : qltest::run(p, rule)) out.push_back(querylens::to_string(f.severity));
        return out;
    };
    auto plain = qltest::analyze(sql);
    CHECK(severities(plain, "unindexed-jsonb-query") == std::vector<std::string>{"P3"});
    auto declared = qltest::analyze(sql);
    declared.profiles["public.events"].measured = true;
    declared.profiles["public.events"].growth = querylens::TableGrowth::Growing;
    CHECK(severities(declared, "unindexed-jsonb-query") == std::vector<std::string>{"P1"});
    auto series = qltest::analyze(sql);
    series.profiles["public.events"].growth = querylens::TableGrowth::TimeSeries;
    CHECK(severities(series, "unindexed-jsonb-query") == std::vector<std::string>{"P1"});
    // Code evidence of inserts alone (a growing table, unmeasured) is not size evidence.
    auto grows = qltest::analyze(sql);
    grows.profiles["public.events"].growth = querylens::TableGrowth::Growing;
    CHECK(severities(grows, "unindexed-jsonb-query") == std::vector<std::string>{"P3"});
    // select-star: a view every reader gets the wide columns from.
    const std::string view = sql + "CREATE VIEW recent AS SELECT * FROM events WHERE owner_id > 0;\nSELECT id FROM recent LIMIT 5;\n";
    auto v = qltest::analyze(view);
    CHECK(severities(v, "select-star") == std::vector<std::string>{"P3"});
    v.profiles["public.events"].measured = true;
    v.profiles["public.events"].growth = querylens::TableGrowth::Growing;
    CHECK(severities(v, "select-star") == std::vector<std::string>{"P2"});
}
