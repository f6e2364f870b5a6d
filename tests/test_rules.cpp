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
