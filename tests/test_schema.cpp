#include <doctest/doctest.h>

#include "core/schema_diff.h"
#include "tests/helpers.h"

using namespace querylens;

TEST_CASE("schema: tables / columns / constraints and indexes") {
    auto p = qltest::analyze(R"(
CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL,
  total numeric(18, 8) DEFAULT 0,
  status varchar(20) CHECK (status IN ('open', 'closed')),
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX CONCURRENTLY idx_orders_user_status ON orders (user_id, created_at DESC NULLS LAST) INCLUDE (total) WHERE status = 'open';
CREATE INDEX idx_orders_lower ON orders USING btree (lower(status));
)");
    const Table* orders = p.schema.find_table("public.orders");
    REQUIRE(orders);
    CHECK(orders->columns.size() == 4);
    CHECK(orders->column("total")->type == "numeric(18,8)");
    CHECK(orders->column("total")->default_expr == std::optional<std::string>("0"));
    CHECK(orders->column("id")->not_null);
    CHECK(orders->checks.size() == 1);
    REQUIRE(orders->foreign_keys.size() == 1);
    CHECK(orders->foreign_keys[0].name == "orders_user_fk");
    CHECK(orders->foreign_keys[0].on_delete == FkAction::Cascade);
    CHECK(orders->foreign_keys[0].on_update == FkAction::None);
    REQUIRE(orders->indexes.size() == 3);
    const Index& partial = orders->indexes[1];
    CHECK(partial.unique);
    CHECK(partial.concurrent);
    CHECK(partial.keys[1].desc);
    CHECK(partial.keys[1].nulls == "last");
    CHECK(partial.include == std::vector<std::string>{"total"});
    CHECK(partial.predicate_sql == "status = 'open'");
    REQUIRE(partial.predicate.size() == 1);
    CHECK(partial.predicate[0].constants == std::vector<std::string>{"open"});
    CHECK(orders->indexes[2].keys[0].expression == "lower(status)");
    const Table* users = p.schema.find_table("public.users");
    REQUIRE(users);
    CHECK(users->unique_keys().size() == 2);
    CHECK(users->indexes[1].name == "users_email_key");
}

TEST_CASE("schema: ALTER TABLE / renames and drops apply in order") {
    auto p = qltest::analyze(R"(
CREATE TABLE a (id int PRIMARY KEY, x int, y int);
CREATE TABLE b (id int PRIMARY KEY, a_id int);
ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id);
ALTER TABLE a ADD COLUMN z text NOT NULL DEFAULT 'q', DROP COLUMN y;
ALTER TABLE a RENAME COLUMN x TO w;
CREATE INDEX a_w_idx ON a (w);
ALTER INDEX a_w_idx RENAME TO a_w_index;
ALTER TABLE a RENAME TO alpha;
CREATE INDEX gone ON b (a_id);
DROP INDEX gone;
ALTER TABLE b ALTER COLUMN a_id SET NOT NULL;
CREATE TABLE tmp (id int);
DROP TABLE tmp;
)");
    const Table* alpha = p.schema.find_table("public.alpha");
    REQUIRE(alpha);
    CHECK(!p.schema.find_table("public.a"));
    CHECK(!p.schema.find_table("public.tmp"));
    CHECK(alpha->column("w"));
    CHECK(!alpha->column("x"));
    CHECK(!alpha->column("y"));
    CHECK(alpha->column("z")->not_null);
    CHECK(alpha->indexes.back().name == "a_w_index");
    const Table* b = p.schema.find_table("public.b");
    CHECK(b->foreign_keys[0].ref_table == "public.alpha");
    CHECK(b->indexes.size() == 1);
    CHECK(b->column("a_id")->not_null);
}

TEST_CASE("schema: explicit NO ACTION differs from no clause") {
    auto p = qltest::analyze(R"(
CREATE TABLE u (id int PRIMARY KEY);
CREATE TABLE t (
  a int REFERENCES u ON DELETE NO ACTION,
  b int REFERENCES u (id) ON UPDATE CASCADE,
  c int, FOREIGN KEY (c) REFERENCES u (id) ON UPDATE SET NULL ON DELETE SET DEFAULT
);
)");
    const auto& fks = p.schema.find_table("public.t")->foreign_keys;
    REQUIRE(fks.size() == 3);
    CHECK(fks[0].on_delete == FkAction::NoAction);
    CHECK(fks[1].on_delete == FkAction::None);
    CHECK(fks[1].on_update == FkAction::Cascade);
    CHECK(fks[2].on_delete == FkAction::SetDefault);
    CHECK(fks[2].on_update == FkAction::SetNull);
}

TEST_CASE("schema: enums / extensions / views / TimescaleDB") {
    auto p = qltest::analyze(R"(
CREATE EXTENSION IF NOT EXISTS timescaledb;
CREATE TYPE side AS ENUM ('buy', 'sell');
CREATE TABLE ticks (ts timestamptz NOT NULL, symbol text NOT NULL, price numeric);
SELECT create_hypertable('ticks', by_range('ts', INTERVAL '1 hour'));
ALTER TABLE ticks SET (timescaledb.compress, timescaledb.compress_segmentby = 'symbol', timescaledb.compress_orderby = 'ts DESC');
SELECT add_compression_policy('ticks', INTERVAL '7 days');
SELECT add_retention_policy('ticks', drop_after => INTERVAL '90 days');
CREATE VIEW v AS SELECT symbol FROM ticks;
CREATE MATERIALIZED VIEW ticks_1h WITH (timescaledb.continuous) AS
  SELECT time_bucket('1 hour', ts) AS bucket, symbol, avg(price) FROM ticks GROUP BY 1, 2;
)");
    CHECK(p.schema.extensions.count("timescaledb"));
    CHECK(p.schema.enums.at("public.side").values == std::vector<std::string>{"buy", "sell"});
    const Table* ticks = p.schema.find_table("public.ticks");
    REQUIRE(ticks);
    REQUIRE(ticks->hypertable);
    CHECK(ticks->hypertable->time_column == "ts");
    CHECK(ticks->hypertable->chunk_interval == "'1 hour'::interval");
    CHECK(ticks->hypertable->compression);
    CHECK(ticks->hypertable->segment_by == std::vector<std::string>{"symbol"});
    CHECK(ticks->hypertable->compression_policy == std::optional<std::string>("'7 days'::interval"));
    CHECK(ticks->hypertable->retention_policy == std::optional<std::string>("'90 days'::interval"));
    REQUIRE(ticks->indexes.size() == 1);  // create_hypertable's default (ts DESC) index
    CHECK(ticks->indexes[0].keys[0].desc);
    CHECK(p.schema.views.at("public.v").kind == ViewKind::View);
    CHECK(p.schema.views.at("public.ticks_1h").kind == ViewKind::ContinuousAggregate);
}

TEST_CASE("schema: drizzle-kit DO blocks contribute their foreign keys") {
    auto p = qltest::analyze(R"(
CREATE TABLE u (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, u_id int);
DO $$ BEGIN
 ALTER TABLE "t" ADD CONSTRAINT "t_u_fk" FOREIGN KEY ("u_id") REFERENCES "public"."u"("id") ON DELETE cascade;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
DO $body$ BEGIN IF true THEN RAISE NOTICE 'plpgsql is skipped'; END IF; END $body$;
)");
    CHECK(p.diagnostics.empty());
    const auto& fks = p.schema.find_table("public.t")->foreign_keys;
    REQUIRE(fks.size() == 1);
    CHECK(fks[0].on_delete == FkAction::Cascade);
    CHECK(fks[0].loc.line == 5);
}

TEST_CASE("schema: schema-qualified names and IF NOT EXISTS") {
    auto p = qltest::analyze(R"(
CREATE SCHEMA audit;
CREATE TABLE audit.logs (id int PRIMARY KEY);
CREATE TABLE IF NOT EXISTS audit.logs (other int);
CREATE INDEX IF NOT EXISTS logs_id ON audit.logs (id);
CREATE INDEX IF NOT EXISTS logs_id ON audit.logs (id);
)");
    const Table* logs = p.schema.find_table("audit.logs");
    REQUIRE(logs);
    CHECK(logs->columns.size() == 1);
    CHECK(logs->indexes.size() == 2);
    CHECK(display_name("audit.logs") == "audit.logs");
    CHECK(display_name("public.orders") == "orders");
}

TEST_CASE("schema_diff: matched by name / every difference in a stable order") {
    auto left = qltest::analyze(R"(
CREATE TABLE only_left (id int);
CREATE TABLE t (id int, a text, b int, gone int, PRIMARY KEY (id));
CREATE TABLE u (id int PRIMARY KEY);
CREATE INDEX t_keys ON t (lower(a), b);
CREATE INDEX t_inc ON t (a) INCLUDE (b);
CREATE INDEX t_pred ON t (a) WHERE a = 'x';
CREATE INDEX t_qual ON t (b) WHERE t.gone IS NULL;
CREATE INDEX t_other ON t (b) WHERE a = 'x';
CREATE INDEX t_method ON t USING hash (a);
CREATE INDEX t_left ON t (b);
ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (b) REFERENCES u (id) ON DELETE CASCADE;
ALTER TABLE t ADD CONSTRAINT t_fk_left FOREIGN KEY (b) REFERENCES u (id);
)");
    auto right = qltest::analyze(R"(
CREATE TABLE only_right (id int);
CREATE TABLE t (id int NOT NULL, a text NOT NULL, b int, extra int);
CREATE TABLE u (id int PRIMARY KEY);
CREATE UNIQUE INDEX t_pkey ON t (id);
CREATE INDEX t_keys ON t (lower((a)::text), b DESC);
CREATE INDEX t_inc ON t (a) INCLUDE (id);
CREATE INDEX t_pred ON t (a) WHERE (a = 'x'::text);
CREATE INDEX t_qual ON t (b) WHERE (gone IS NULL);
CREATE INDEX t_other ON t (b) WHERE (a = 'y'::text);
CREATE INDEX t_method ON t USING btree (a);
CREATE UNIQUE INDEX t_right ON t (b);
ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (id) REFERENCES u (id) ON DELETE NO ACTION ON UPDATE CASCADE;
)");
    // `right` is what a catalog looks like: the primary key as its index t_pkey (the model's name).
    using Kind = SchemaDifference::Kind;
    std::vector<std::pair<Kind, std::string>> got;
    for (const auto& d : schema_diff(left.migrated, right.migrated, SchemaMatch::Name)) {
        std::string what = d.table;
        if (d.left_column || d.right_column) what += "." + (d.left_column ? d.left_column : d.right_column)->name;
        if (d.left_index || d.right_index) what += " " + (d.left_index ? d.left_index : d.right_index)->name;
        if (d.left_fk || d.right_fk) what += " " + (d.left_fk ? d.left_fk : d.right_fk)->name;
        got.emplace_back(d.kind, what);
    }
    const std::vector<std::pair<Kind, std::string>> expected = {
        {Kind::TableOnlyLeft, "public.only_left"},
        {Kind::TableOnlyRight, "public.only_right"},
        {Kind::ColumnNotNull, "public.t.a"},  // id: NOT NULL on both sides (the primary key's)
        {Kind::ColumnOnlyLeft, "public.t.gone"},
        {Kind::ColumnOnlyRight, "public.t.extra"},
        {Kind::IndexKeys, "public.t t_keys"},  // lower(a) equals lower((a)::text); DESC does not
        {Kind::IndexInclude, "public.t t_inc"},
        {Kind::IndexPredicate, "public.t t_other"},  // t_pred and t_qual agree once normalised, t_other does not
        {Kind::IndexMethod, "public.t t_method"},
        {Kind::IndexOnlyLeft, "public.t t_left"},
        {Kind::IndexOnlyRight, "public.t t_right"},
        {Kind::ForeignKeyColumns, "public.t t_fk"},
        {Kind::ForeignKeyAction, "public.t t_fk"},
        {Kind::ForeignKeyUpdateAction, "public.t t_fk"},
        {Kind::ForeignKeyOnlyLeft, "public.t t_fk_left"},
    };
    CHECK(got == expected);
    const Table* t = left.migrated.find_table("public.t");
    REQUIRE(t);
    CHECK(column_not_null(*t, *t->column("id")));
    CHECK(index_keys_text(t->indexes[1]) == "lowera, b");
    CHECK(comparable_expression("(status = 'open'::character varying)") == "status='open'");
    // Matched by definition (schema-drift), the same models differ only in plain indexes and ON DELETE.
    for (const auto& d : schema_diff(left.migrated, right.migrated))
        CHECK((d.kind == Kind::IndexOnlyLeft || d.kind == Kind::IndexOnlyRight || d.kind == Kind::ForeignKeyAction));
}

TEST_CASE("schema: dropping a materialized view drops its indexes; indexes kept for an unknown table go with DROP TABLE/INDEX") {
    // civitai's TagRank: rebuilt with a new unique index after DROP MATERIALIZED VIEW; the old
    // TagRank_PK is gone, not a duplicate of the new one.
    auto p = qltest::analyze(R"(
CREATE MATERIALIZED VIEW tag_rank AS SELECT 1 AS tag_id;
CREATE UNIQUE INDEX tag_rank_pk ON tag_rank (tag_id);
DROP MATERIALIZED VIEW IF EXISTS tag_rank;
CREATE MATERIALIZED VIEW tag_rank AS SELECT 1 AS tag_id;
CREATE UNIQUE INDEX trank_tag_id ON tag_rank (tag_id);
CREATE INDEX users_email_idx ON users (email);
DROP INDEX users_email_idx;
CREATE INDEX users_name_idx ON users (name);
CREATE INDEX old_idx ON legacy (id);
DROP TABLE legacy;
CREATE MATERIALIZED VIEW post_rank AS SELECT 1 AS post_id;
CREATE UNIQUE INDEX post_rank_pk ON post_rank (post_id);
)");
    std::vector<std::string> names;
    for (const auto& idx : p.migrated.orphan_indexes) names.push_back(idx.name);
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"post_rank_pk", "trank_tag_id", "users_name_idx"});
}
