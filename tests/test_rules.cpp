// Each rule: positive and look-alike negative snippets. The fixtures under fixtures/ cover the
// same rules on a realistic project; these pin the edge cases.
#include <doctest/doctest.h>

#include <set>

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
    CHECK(rule_lines(kSchema + "SELECT * FROM orders WHERE id = 1;", "select-star") == V{6});
    CHECK(rule_lines(kSchema + "SELECT o.* FROM orders o WHERE id = 1;", "select-star") == V{6});
    CHECK(rule_lines(kSchema + "SELECT id FROM users UNION ALL SELECT * FROM users;", "select-star") == V{6});
    CHECK(rule_lines(kSchema + "INSERT INTO users (id) VALUES (1) RETURNING *;", "select-star") == V{6});
    // negatives
    CHECK(rule_lines(kSchema + "SELECT count(*) FROM orders;", "select-star").empty());
    CHECK(rule_lines(kSchema + "SELECT EXISTS (SELECT * FROM orders);", "select-star").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM (SELECT * FROM orders) s;", "select-star").empty());
    CHECK(rule_lines(kSchema + "INSERT INTO users SELECT * FROM users;", "select-star").empty());
}

TEST_CASE("unpaginated-query") {
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE user_id = $1;", "unpaginated-query") == V{6});
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE id > $1;", "unpaginated-query") == V{6});
    CHECK(rule_lines(kSchema + "SELECT user_id, count(*) FROM orders GROUP BY user_id;", "unpaginated-query") == V{6});
    CHECK(rule_lines(kSchema + "SELECT o.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1;",
                     "unpaginated-query") == V{6});  // one user, many orders
    CHECK(rule_lines(kSchema + "SELECT id FROM positions WHERE user_id = $1 AND symbol = $2;", "unpaginated-query") ==
          V{6});  // the unique index is partial: not implied
    // negatives
    CHECK(rule_lines(kSchema + "SELECT id FROM orders LIMIT 10;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM orders FETCH FIRST 5 ROWS ONLY;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE id = $1;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM users WHERE email = $1;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT count(*) FROM orders;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1;",
                     "unpaginated-query").empty());  // many-to-one from a pinned row
    CHECK(rule_lines(kSchema + "SELECT id FROM positions WHERE user_id = $1 AND symbol = $2 AND status = 'open';",
                     "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT 1;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "CREATE VIEW v AS SELECT id FROM orders;", "unpaginated-query").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM orders UNION SELECT id FROM users LIMIT 5;", "unpaginated-query").empty());
}

TEST_CASE("cartesian-join: unlinked relations (P1)") {
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o, users u WHERE o.id = 1;", "cartesian-join") == V{6});
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders CROSS JOIN users;", "cartesian-join") == V{6});
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o JOIN users u ON true;", "cartesian-join") == V{6});
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o JOIN users u ON o.status = 'x';", "cartesian-join") == V{6});
    auto f = qltest::run(qltest::analyze(kSchema + "SELECT 1 FROM orders, users;"), "cartesian-join");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::P1);
    // negatives
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o, users u WHERE u.id = o.user_id;", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o JOIN users u USING (id);", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o CROSS JOIN LATERAL jsonb_each_text('{}') j;", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o, unnest(ARRAY[1,2]) x;", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o CROSS JOIN (SELECT max(id) m FROM users) s;", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o CROSS JOIN (VALUES (1), (2)) v(n);", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o, LATERAL (SELECT 1 FROM users u WHERE u.id = o.user_id) s;",
                     "cartesian-join").empty());
    // an unknown column could be the link: do not guess
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o, mystery m WHERE o.id = mystery_col;", "cartesian-join").empty());
}

TEST_CASE("cartesian-join: joins that multiply rows (P2)") {
    auto f = qltest::run(qltest::analyze(kSchema + "SELECT 1 FROM orders o\nLEFT JOIN positions p ON o.symbol = p.symbol;"),
                         "cartesian-join");
    REQUIRE(f.size() == 1);
    CHECK(f[0].severity == Severity::P2);
    CHECK(f[0].loc.line == 7);
    CHECK(f[0].message.find("o.symbol = p.symbol") != std::string::npos);
    // negatives: one side is pinned by a key
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id;", "cartesian-join").empty());
    CHECK(rule_lines(kSchema + "SELECT 1 FROM orders o LEFT JOIN positions p ON p.user_id = o.user_id AND "
                               "p.symbol = o.symbol AND p.status = 'open';",
                     "cartesian-join").empty());
}

TEST_CASE("fk-missing-action") {
    CHECK(rule_lines("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);", "fk-missing-action") == V{2});
    CHECK(rule_lines("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a ON UPDATE CASCADE);",
                     "fk-missing-action") == V{2});
    auto f = qltest::run(qltest::analyze("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);"),
                         "fk-missing-action");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix.find("ON DELETE SET NULL") != std::string::npos);  // nullable column
    // negatives
    CHECK(rule_lines("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a ON DELETE NO ACTION);",
                     "fk-missing-action").empty());
    CHECK(rule_lines("CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int, FOREIGN KEY (a_id) REFERENCES a "
                     "ON UPDATE CASCADE ON DELETE CASCADE);",
                     "fk-missing-action").empty());
}

TEST_CASE("fk-missing-index") {
    const std::string base = "CREATE TABLE a (id int PRIMARY KEY);\n";
    CHECK(rule_lines(base + "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a ON DELETE CASCADE);",
                     "fk-missing-index") == V{2});
    CHECK(rule_lines(base + "CREATE TABLE b (a_id int REFERENCES a ON DELETE CASCADE, x int);\n"
                            "CREATE INDEX ON b (x, a_id);",
                     "fk-missing-index") == V{2});  // not the leading column
    CHECK(rule_lines(base + "CREATE TABLE b (a_id int REFERENCES a ON DELETE CASCADE);\n"
                            "CREATE INDEX ON b (a_id) WHERE a_id > 0;",
                     "fk-missing-index") == V{2});  // partial
    auto f = qltest::run(qltest::analyze(base + "CREATE TABLE b (a_id int REFERENCES a ON DELETE CASCADE);"), "fk-missing-index");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_b_a_id ON b (a_id);");
    // negatives
    CHECK(rule_lines(base + "CREATE TABLE b (a_id int REFERENCES a ON DELETE CASCADE, x int);\nCREATE INDEX ON b (a_id, x);",
                     "fk-missing-index").empty());
    CHECK(rule_lines(base + "CREATE TABLE b (a_id int PRIMARY KEY REFERENCES a ON DELETE CASCADE);", "fk-missing-index").empty());
    CHECK(rule_lines(base + "CREATE TABLE b (x int, a_id int, FOREIGN KEY (a_id, x) REFERENCES a ON DELETE CASCADE, "
                            "UNIQUE (x, a_id));",
                     "fk-missing-index").empty());  // same columns, any order
}

TEST_CASE("uncovered-predicate") {
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE status = $1 LIMIT 5;", "uncovered-predicate") == V{6});
    CHECK(rule_lines(kSchema + "SELECT id FROM orders ORDER BY created_at DESC LIMIT 5;", "uncovered-predicate") == V{6});
    CHECK(rule_lines(kSchema + "SELECT id FROM positions WHERE user_id = $1 LIMIT 5;", "uncovered-predicate") ==
          V{6});  // partial index, predicate not implied
    CHECK(rule_lines(kSchema + "DELETE FROM orders WHERE symbol = $1;", "uncovered-predicate") == V{6});
    CHECK(rule_lines(kSchema + "SELECT u.id FROM orders o JOIN users u ON u.team_id = o.id WHERE o.id = $1;",
                     "uncovered-predicate") == V{6});  // probed from a filtered side
    auto f = qltest::run(qltest::analyze(kSchema + "SELECT id FROM orders WHERE status = $1 AND symbol = 'x' AND created_at > $2 "
                                                   "ORDER BY created_at LIMIT 5;\nSELECT id FROM orders WHERE status = $1 LIMIT 5;"),
                         "uncovered-predicate");
    REQUIRE(f.size() == 2);
    const std::string merged = "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status_symbol_created_at ON orders (status, symbol, created_at);";
    CHECK(f[0].fix == merged);
    CHECK(f[1].fix == merged);  // (status) is a prefix: merged into the longer suggestion
    // negatives
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE user_id = $1 AND status = 'x' LIMIT 5;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM positions WHERE user_id = $1 AND status = 'open' LIMIT 5;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE status = 'a' OR symbol = 'b' LIMIT 5;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE symbol LIKE '%x' LIMIT 5;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM orders WHERE lower(symbol) = $1 LIMIT 5;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "SELECT o.id FROM orders o JOIN users u ON u.team_id = o.id LIMIT 5;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "SELECT id FROM unknown_table WHERE x = 1;", "uncovered-predicate").empty());
    CHECK(rule_lines(kSchema + "CREATE MATERIALIZED VIEW mv AS SELECT id FROM orders WHERE status = 'x';", "uncovered-predicate").empty());
}

TEST_CASE("parse-error keeps the rest of the analysis") {
    auto p = qltest::analyze(kSchema + "SELEC id FROM orders;\nSELECT * FROM orders WHERE id = 1;");
    CHECK(qltest::lines(qltest::run(p, "parse-error")) == V{6});
    CHECK(qltest::lines(qltest::run(p, "select-star")) == V{7});
}

TEST_CASE("registry: ids are unique, kebab-case, documented in the fixed sections") {
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

TEST_CASE("volatile-index-predicate") {
    CHECK(rule_lines("CREATE TABLE s (t text, e timestamptz, n int);\n"
                     "CREATE INDEX a ON s (t) WHERE e > now();\n"
                     "CREATE INDEX b ON s (t) WHERE e > CURRENT_DATE;\n"
                     "CREATE INDEX c ON s ((t || random()::text));\n"
                     "CREATE INDEX d ON s (lower(t)) WHERE n > 0;\n"
                     "CREATE INDEX e ON s (t) WHERE e > '2024-01-01';\n",
                     "volatile-index-predicate") == std::vector<unsigned>{2, 3, 4});
    const auto fs = qltest::run(qltest::analyze("CREATE TABLE s (t text, e timestamptz);\nCREATE INDEX a ON s (t) WHERE e > now();\n"),
                                "volatile-index-predicate");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].severity == Severity::P0);
    CHECK(fs[0].fix == "CREATE INDEX CONCURRENTLY IF NOT EXISTS a ON s (t);");
}

TEST_CASE("concurrent-index-in-transaction") {
    CHECK(rule_lines("CREATE TABLE s (t text);\nBEGIN;\nCREATE INDEX CONCURRENTLY a ON s (t);\nCOMMIT;\n"
                     "CREATE INDEX CONCURRENTLY b ON s (t);\nSTART TRANSACTION;\nCREATE INDEX c ON s (t);\nROLLBACK;\n",
                     "concurrent-index-in-transaction") == std::vector<unsigned>{3});
    CHECK(rule_lines("CREATE TABLE s (t text);\n--> statement-breakpoint\nCREATE INDEX CONCURRENTLY a ON s (t);\n",
                     "concurrent-index-in-transaction") == std::vector<unsigned>{3});
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

TEST_CASE("duplicate-index and redundant-index") {
    const char* sql =
        "CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE, org int, created timestamptz);\n"
        "CREATE INDEX a ON u (email);\n"              // duplicates the unique constraint
        "CREATE INDEX b ON u (org, created DESC);\n"
        "CREATE INDEX c ON u (org, created DESC);\n"  // duplicates b
        "CREATE INDEX d ON u (org);\n"                // prefix of b
        "CREATE INDEX e ON u (org) WHERE created IS NOT NULL;\n"  // other predicate: fine
        "CREATE INDEX f ON u USING hash (org);\n"     // other method: fine
        "CREATE UNIQUE INDEX g ON u (org, id);\n";    // unique: enforces something
    CHECK(rule_lines(sql, "duplicate-index") == std::vector<unsigned>{2, 4});
    CHECK(rule_lines(sql, "redundant-index") == std::vector<unsigned>{5});
}

TEST_CASE("hypertable rules: unique without time, compression and retention policies") {
    const char* sql =
        "CREATE TABLE t (id bigserial PRIMARY KEY, sym text NOT NULL, ts timestamptz NOT NULL);\n"
        "SELECT create_hypertable('t', 'ts');\n"
        "CREATE UNIQUE INDEX t_sym ON t (sym);\n"
        "CREATE UNIQUE INDEX t_sym_ts ON t (sym, ts);\n"
        "CREATE TABLE q (sym text NOT NULL, ts timestamptz NOT NULL, PRIMARY KEY (sym, ts));\n"
        "SELECT create_hypertable('q', 'ts');\n"
        "ALTER TABLE q SET (timescaledb.compress);\n"
        "SELECT add_compression_policy('q', INTERVAL '7 days');\n"
        "SELECT add_retention_policy('q', INTERVAL '90 days');\n";
    CHECK(rule_lines(sql, "hypertable-unique-without-time") == std::vector<unsigned>{1, 3});
    CHECK(rule_lines(sql, "missing-compression-policy") == std::vector<unsigned>{2});
    CHECK(rule_lines(sql, "missing-retention-policy") == std::vector<unsigned>{2});
    const auto fs = qltest::run(qltest::analyze(sql), "missing-compression-policy");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].fix.find("timescaledb.compress_segmentby = 'sym'") != std::string::npos);
}

TEST_CASE("index predicates nested 20,000 deep do not crash the function walk") {
    const std::string deep = std::string(20000, '(') + "e > now()" + std::string(20000, ')');
    const Project p = qltest::analyze("CREATE TABLE s (t text, e timestamptz);\nCREATE INDEX a ON s (t) WHERE " + deep + ";\n");
    CHECK(p.diagnostics.size() <= 1);  // PostgreSQL's parser may refuse the depth; nothing crashes
}

TEST_CASE("missing-unique-constraint") {
    const char* schema =
        "CREATE TABLE r (id int PRIMARY KEY, user_id int, kind text, n int, UNIQUE (kind, user_id));\n"
        "CREATE UNIQUE INDEX r_n ON r (n) WHERE n > 0;\n";
    CHECK(rule_lines(std::string(schema) +
                         "INSERT INTO r (id) VALUES (1) ON CONFLICT (user_id, kind) DO NOTHING;\n"  // any order
                         "INSERT INTO r (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET n = 1;\n"
                         "INSERT INTO r (id) VALUES (1) ON CONFLICT (user_id) DO NOTHING;\n"  // 5
                         "INSERT INTO r (id) VALUES (1) ON CONFLICT (n) DO NOTHING;\n"        // 6: partial index
                         "INSERT INTO r (id) VALUES (1) ON CONFLICT ON CONSTRAINT r_pkey DO NOTHING;\n"
                         "INSERT INTO r (id) VALUES (1) ON CONFLICT DO NOTHING;\n",
                     "missing-unique-constraint") == std::vector<unsigned>{5, 6});
}

TEST_CASE("unindexed-jsonb-query") {
    const char* schema = "CREATE TABLE e (id int PRIMARY KEY, a jsonb, b jsonb, c text);\n"
                         "CREATE INDEX e_a ON e USING gin (a);\n"
                         "CREATE INDEX e_b_kind ON e ((b ->> 'kind'));\n";
    CHECK(rule_lines(std::string(schema) +
                         "SELECT id FROM e WHERE a @> $1 LIMIT 1;\n"          // GIN on a
                         "SELECT id FROM e WHERE b @> $1 LIMIT 1;\n"          // 5
                         "SELECT id FROM e WHERE b ->> 'kind' = $1 LIMIT 1;\n"  // expression index
                         "SELECT id FROM e WHERE b ->> 'other' = $1 LIMIT 1;\n"  // 7
                         "SELECT id FROM e WHERE a ? 'k' OR id = 1 LIMIT 1;\n"   // under OR: not alone
                         "SELECT id FROM e WHERE c = 'x' LIMIT 1;\n",
                     "unindexed-jsonb-query") == std::vector<unsigned>{5, 7});
}

TEST_CASE("status-as-text") {
    const char* schema =
        "CREATE TYPE mood AS ENUM ('a', 'b');\n"
        "CREATE TABLE o (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', order_type varchar(10), m mood,\n"
        "  state text CHECK (state IN ('x', 'y')), note text, kind text);\n";
    const std::string sql = std::string(schema) +
                            "SELECT id FROM o WHERE status IN ('open', 'done') AND order_type = 'limit' AND m = 'a' LIMIT 5;\n"
                            "SELECT id FROM o WHERE state = 'x' AND note = 'n' LIMIT 5;\n"
                            "SELECT id FROM o WHERE kind = 'k' LIMIT 5;\nSELECT id FROM o WHERE kind = $1 LIMIT 5;\n";
    CHECK(rule_lines(sql, "status-as-text") == std::vector<unsigned>{2, 2});
    const auto fs = qltest::run(qltest::analyze(sql), "status-as-text");
    REQUIRE(fs.size() == 2);
    CHECK(fs[0].fix.find("AS ENUM ('done', 'new', 'open')") != std::string::npos);
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
