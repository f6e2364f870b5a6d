#include <doctest/doctest.h>

#include "analysis/project.h"
#include "sql/parser.h"

using namespace querylens;

TEST_CASE("parse_sql: statements with absolute offsets / comments skipped") {
    const std::string text = "-- header\nCREATE TABLE a (id int);\n/* c */ SELECT 1;";
    ParsedSql p = parse_sql(text);
    REQUIRE(p.errors.empty());
    REQUIRE(p.statements.size() == 2);
    CHECK(text.substr(p.statements[0].offset, 12) == "CREATE TABLE");
    CHECK(text.substr(p.statements[1].offset, 6) == "SELECT");
}

TEST_CASE("parse_sql: drizzle-kit's statement-breakpoint ends a statement that has no semicolon") {
    // drizzle-kit's migrator runs each chunk between markers alone (wundergraph/cosmo 0125).
    const std::string text = "INSERT INTO a (id) SELECT id FROM b WHERE id IS NOT NULL\n--> statement-breakpoint\n"
                             "ALTER TABLE a DROP CONSTRAINT a_fk;--> statement-breakpoint\nCREATE INDEX a_idx ON a (id);";
    ParsedSql p = parse_sql(text);
    CHECK(p.errors.empty());
    REQUIRE(p.statements.size() == 3);
    CHECK(text.substr(p.statements[1].offset, 11) == "ALTER TABLE");
    CHECK(text.substr(p.statements[0].offset, p.statements[0].length).find("statement-breakpoint") == std::string::npos);
    // Look-alike: without the marker the same text is one broken statement.
    const std::string plain = "INSERT INTO a (id) SELECT id FROM b WHERE id IS NOT NULL\nALTER TABLE a DROP CONSTRAINT a_fk;";
    CHECK(parse_sql(plain).errors.size() == 1);
}

TEST_CASE("parse_sql: goose, sql-migrate and dbmate files: only the up part is read") {
    // hatchet's goose migrations: StatementEnd ends a statement without a semicolon, and the down
    // part (which drops what the up part adds) is not a statement PostgreSQL runs on deploy.
    const std::string goose = "-- +goose Up\n-- +goose StatementBegin\nALTER TABLE a ADD COLUMN f boolean\n-- +goose StatementEnd\n\n"
                              "-- +goose Down\n-- +goose StatementBegin\nALTER TABLE a DROP COLUMN f\n-- +goose StatementEnd\n";
    ParsedSql p = parse_sql(goose);
    CHECK(p.errors.empty());
    REQUIRE(p.statements.size() == 1);
    CHECK(goose.substr(p.statements[0].offset, 30).find("ADD COLUMN f") != std::string::npos);
    const std::string dbmate = "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n";
    ParsedSql d = parse_sql(dbmate);
    REQUIRE(d.statements.size() == 1);
    CHECK(dbmate.substr(d.statements[0].offset, 12) == "CREATE TABLE");
    const std::string migrate = "-- +migrate Up\nCREATE TABLE c (id int);\n-- +migrate Down\nDROP TABLE c;\n";
    CHECK(parse_sql(migrate).statements.size() == 1);
    // Look-alike: the words in an ordinary comment change nothing.
    const std::string plain = "-- run with goose: see README (+goose Down is not used)\nCREATE TABLE d (id int);\nDROP TABLE d;\n";
    CHECK(parse_sql(plain).statements.size() == 2);
}

TEST_CASE("parse_sql: sqlc parameters are parameters, and every offset holds") {
    // hatchet's sqlc queries: `@tenantId` alone is PostgreSQL's absolute-value operator on a column.
    const std::string sqlc = "-- name: GetWorker :one\nSELECT id FROM w WHERE tenant_id = @tenantId::uuid AND id = sqlc.arg('id') "
                             "AND kind = ANY(sqlc.slice(kinds)) AND meta @> '{\"@x\": 1}' AND tags <@ $9;\n";
    ParsedSql p = parse_sql(sqlc);
    CHECK(p.errors.empty());
    REQUIRE(p.statements.size() == 1);
    CHECK(sqlc.substr(p.statements[0].offset, 6) == "SELECT");
    // Look-alike: without sqlc's `-- name:` header the text is left as written (a broken query
    // stays a parse error, not a guess).
    const std::string plain = "SELECT id FROM w WHERE id = sqlc.arg('id');\n";
    ParsedSql q = parse_sql(plain);
    CHECK(q.errors.empty());  // a function call to PostgreSQL: it parses
    REQUIRE(q.statements.size() == 1);
}

TEST_CASE("parse_sql: pg-promise variables are read as the driver sends them; look-alikes stay as written") {
    // crowd.dev's repositories: `limit $(limit) offset $(offset)`, `IN ($(ids:csv))`, `$(table:name)`.
    for (const std::string sql : {
             "select id from segments order by id asc limit $(limit) offset $(offset)",
             "select id from members where id in ($(ids:csv)) and \"tenantId\" = ${tenantId} and x = $<a.b> and y = $[c] and z = $/d/",
             "select * from $(table:name) where id = $(id) and note = $(id)",
             "select $1:name from t where id in ($2:csv) and v = $3^ and w = $4::int",
             "update t set data = $(data:json), raw = $(cond^) where id = $(id#)",
         }) {
        ParsedSql p = parse_sql(sql);
        CHECK_MESSAGE(p.errors.empty(), sql);
        CHECK(p.statements.size() == 1);
    }
    // Look-alikes: inside strings, comments and dollar quotes nothing changes; an unclosed
    // variable is the user's syntax error.
    ParsedSql quoted = parse_sql("select '$(x)' as a, $q$ $(y) $q$ as b -- $(z)\n");
    CHECK(quoted.errors.empty());
    CHECK(parse_sql("select id from t where id = $(id").errors.size() == 1);
    CHECK(parse_sql("select id from t where id = $ (id)").errors.size() == 1);
}

TEST_CASE("parse_sql: a broken statement costs only itself") {
    const std::string text = "CREATE TABLE a (id int);\nCREATE TABLE b (id int,, x int);\nCREATE TABLE c (id int);\n";
    ParsedSql p = parse_sql(text);
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].message.find("syntax error") != std::string::npos);
    CHECK(text.substr(p.errors[0].offset, 1) == ",");
    CHECK(p.statements.size() == 2);
}

TEST_CASE("parse_sql: statements the scanner splitter drops are still reported") {
    // pg_query_split_with_scanner skips statements that do not start with a keyword.
    const std::string text = "CREATE TABLE a (id int);\nfoo bar;\nCREATE TABLE b (id int,);\n";
    ParsedSql p = parse_sql(text);
    REQUIRE(p.errors.size() == 2);
    CHECK(text.substr(p.errors[0].offset, 3) == "foo");
    CHECK(p.statements.size() == 1);
}

TEST_CASE("parse_sql: unterminated quote is one error / no crash") {
    ParsedSql p = parse_sql("CREATE TABLE a (x text DEFAULT 'oops);\nSELECT 1;");
    CHECK(p.errors.size() == 1);
}

TEST_CASE("parse_sql: 20/000 nested parentheses do not crash") {
    std::string text = "SELECT " + std::string(20000, '(') + "1" + std::string(20000, ')') + ";";
    ParsedSql p = parse_sql(text);
    CHECK(p.errors.size() == 1);
    std::string ok = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')') + ";";
    CHECK(parse_sql(ok).statements.size() == 1);
}

TEST_CASE("parse_sql: multi-byte characters map error positions to bytes") {
    const std::string text = "SELECT 'é€😀' FROM t WHERE ,;";
    ParsedSql p = parse_sql(text);
    REQUIRE(p.errors.size() == 1);
    CHECK(text.substr(p.errors[0].offset, 1) == ",");
}

TEST_CASE("SourceFile: columns are UTF-16 code units") {
    SourceFile f("x.sql", "ab\n😀x", SourceLanguage::Sql);
    CHECK(f.at(1).line == 1);
    CHECK(f.at(1).column == 2);
    const auto loc = f.at(3 + 4);  // the 'x' after a 4-byte emoji
    CHECK(loc.line == 2);
    CHECK(loc.column == 3);
}

TEST_CASE("natural order of migrations") {
    CHECK(natural_less("0002_x.sql", "0010_y.sql"));
    CHECK(!natural_less("0010_y.sql", "0002_x.sql"));
    CHECK(natural_less("migrations/2_a.sql", "migrations/10_a.sql"));
    CHECK(natural_less("a/9/migration.sql", "a/10/migration.sql"));
}

TEST_CASE("thread count does not change the result") {
    std::vector<InMemoryFile> files;
    for (int i = 0; i < 40; ++i)
        files.push_back({"m/" + std::to_string(i) + ".sql",
                         "CREATE TABLE t" + std::to_string(i) + " (id int PRIMARY KEY, x int);\nSELECT * FROM t" +
                             std::to_string(i) + " WHERE x = 1;\n"});
    auto one = analyze_sources(files, 1);
    auto four = analyze_sources(files, 4);
    REQUIRE(one.inventory.queries.size() == four.inventory.queries.size());
    for (size_t i = 0; i < one.inventory.queries.size(); ++i) CHECK(one.inventory.queries[i].loc == four.inventory.queries[i].loc);
    CHECK(one.files.front()->path() == "m/0.sql");
    CHECK(one.files.back()->path() == "m/39.sql");
}
