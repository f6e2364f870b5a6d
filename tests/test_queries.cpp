#include <doctest/doctest.h>

#include "tests/helpers.h"

using namespace querylens;

namespace {
const char* kSchema = R"(
CREATE TABLE users (id int PRIMARY KEY, email text, is_active boolean);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text, total numeric, created_at timestamptz, meta jsonb);
)";

Query only_query(const std::string& sql) {
    auto p = qltest::analyze(std::string(kSchema) + sql);
    REQUIRE(p.inventory.queries.size() == 1);
    return p.inventory.queries.front();
}
}  // namespace

TEST_CASE("queries: relations / aliases / predicates and operator classes") {
    Query q = only_query(
        "SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id "
        "WHERE o.status IN ('a', 'b') AND o.total >= $1 AND u.email LIKE 'x%' AND o.meta @> '{}' "
        "AND o.created_at BETWEEN $2 AND $3 AND u.is_active AND o.user_id IS NOT NULL ORDER BY o.created_at DESC LIMIT 5;");
    REQUIRE(q.relations.size() == 2);
    CHECK(q.relations[0].table == "public.orders");
    CHECK(q.relations[0].alias == "o");
    CHECK(q.relations[0].known);
    REQUIRE(q.join_edges.size() == 1);
    CHECK(q.join_edges[0].left_column == "id");
    CHECK(q.join_edges[0].right_column == "user_id");
    std::vector<std::string> classes;
    for (const auto& p : q.predicates) classes.push_back(p.column + ":" + to_string(p.op) + ":" + to_string(p.other));
    CHECK(classes == std::vector<std::string>{"status:in:constant", "total:range:parameter", "email:like:constant",
                                              "meta:json:constant", "created_at:range:parameter",
                                              "is_active:equality:constant", "user_id:is-not-null:none"});
    CHECK(q.predicates[0].constants == std::vector<std::string>{"a", "b"});
    CHECK(q.predicates[0].relation == 0);
    CHECK(q.predicates[2].relation == 1);
    REQUIRE(q.order_by.size() == 1);
    CHECK(q.order_by[0].desc);
    CHECK(q.blocks[0].has_limit);
}

TEST_CASE("queries: sqlc parameters, row comparisons and IN subqueries") {
    // sqlc's `@name` / `sqlc.arg(name)` are parameters; `(a, b) = (c, d)` is two equalities.
    Query q = only_query(
        "-- name: UserOrders :many\n"
        "SELECT o.id FROM orders o JOIN users u ON (u.id, u.is_active) = (o.user_id, true) "
        "WHERE o.status = @status AND (o.user_id, o.id) = (sqlc.arg('user_id'), $9) AND o.id IN (SELECT unnest(@ids::int[]));");
    std::vector<std::string> classes;
    for (const auto& p : q.predicates) classes.push_back(p.column + ":" + to_string(p.op) + ":" + to_string(p.other));
    CHECK(classes == std::vector<std::string>{"is_active:equality:constant", "status:equality:parameter", "user_id:equality:parameter",
                                              "id:equality:parameter"});
    REQUIRE(q.join_edges.size() == 1);
    CHECK(q.join_edges[0].left_column == "id");
    CHECK(q.join_edges[0].right_column == "user_id");
    REQUIRE(q.semi_join_columns.size() == 1);
    CHECK(q.semi_join_columns[0] == std::make_pair(0, std::string("id")));
}

TEST_CASE("queries: unqualified columns resolve through the schema") {
    Query q = only_query("SELECT email FROM users, orders WHERE status = 'x' AND email = $1;");
    REQUIRE(q.predicates.size() == 2);
    CHECK(q.predicates[0].relation == 1);
    CHECK(q.predicates[1].relation == 0);
}

TEST_CASE("queries: OR and NOT mark predicates as disjunctive - reversed comparisons flip") {
    Query q = only_query("SELECT id FROM orders WHERE (status = 'a' OR user_id = 1) AND $1 < total;");
    REQUIRE(q.predicates.size() == 3);
    CHECK(q.predicates[0].in_disjunction);
    CHECK(q.predicates[1].in_disjunction);
    CHECK(!q.predicates[2].in_disjunction);
    CHECK(q.predicates[2].op_text == ">");
}

TEST_CASE("queries: CTEs / subqueries / star locations and aggregates") {
    Query q = only_query(
        "WITH recent AS (SELECT * FROM orders LIMIT 10) "
        "SELECT r.*, (SELECT count(*) FROM users) FROM recent r WHERE EXISTS (SELECT * FROM users WHERE id = r.user_id);");
    int tables = 0, ctes = 0;
    for (const auto& r : q.relations) {
        tables += r.kind == RelationKind::Table;
        ctes += r.kind == RelationKind::Cte;
    }
    CHECK(tables == 3);
    CHECK(ctes == 1);
    REQUIRE(q.star_locations.size() == 1);  // r.* only: the CTE's and EXISTS' stars do not reach the caller
    CHECK(q.star_locations[0].column == 8 + 47);
}

TEST_CASE("queries: DML and view bodies enter the inventory / DDL does not") {
    auto p = qltest::analyze(std::string(kSchema) +
                             "UPDATE orders SET status = 'x' WHERE user_id = $1 RETURNING *;\n"
                             "DELETE FROM orders USING users WHERE users.id = orders.user_id AND users.email = $1;\n"
                             "INSERT INTO orders (id) SELECT id FROM users WHERE is_active;\n"
                             "CREATE VIEW v AS SELECT id FROM orders WHERE status = 'a';\n"
                             "CREATE MATERIALIZED VIEW mv AS SELECT user_id, count(*) FROM orders GROUP BY user_id;\n"
                             "CREATE INDEX ON orders (status);\n");
    const auto& qs = p.inventory.queries;
    REQUIRE(qs.size() == 5);
    CHECK(qs[0].kind == StatementKind::Update);
    CHECK(qs[0].returns_star());
    CHECK(qs[1].kind == StatementKind::Delete);
    CHECK(qs[1].join_edges.size() == 1);
    CHECK(qs[2].kind == StatementKind::Insert);
    CHECK(!qs[2].returns_rows());
    CHECK(qs[3].origin == QueryOrigin::ViewBody);
    CHECK(qs[3].context == "v");
    CHECK(qs[4].origin == QueryOrigin::MaterializedViewBody);
}

TEST_CASE("queries: deep nesting is walked to a limit / not to a crash") {
    std::string sql = "SELECT id FROM orders";
    // 900 levels parse (PostgreSQL's own limit is a little higher) and exceed our walk limit.
    for (int i = 0; i < 900; ++i) sql = "SELECT id FROM (" + sql + ") s" + std::to_string(i);
    auto p = qltest::analyze(std::string(kSchema) + sql + ";");
    CHECK(p.diagnostics.empty());
    CHECK(p.inventory.queries.size() == 1);
    std::string cond = "SELECT id FROM orders WHERE ";
    for (int i = 0; i < 3000; ++i) cond += "(total = " + std::to_string(i) + " AND ";
    cond += "true" + std::string(3000, ')') + ";";
    auto p2 = qltest::analyze(std::string(kSchema) + cond);
    CHECK(p2.inventory.queries.size() == 1);
}
