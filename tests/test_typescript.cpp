// TypeScript: Drizzle schema declarations, query lowering, raw SQL, loops and the call graph.
#include <doctest/doctest.h>

#include <algorithm>

#include "frontends/typescript/facts_io.h"
#include "tests/helpers.h"

using namespace querylens;

namespace {

Project ts(std::vector<InMemoryFile> files) { return analyze_sources(std::move(files)); }

const Query* query_at(const Project& p, const std::string& file, unsigned line) {
    for (const auto& q : p.inventory.queries)
        if (q.loc.file == file && q.loc.line == line) return &q;
    return nullptr;
}

std::vector<std::string> rules_at(const Project& p, const char* rule) {
    std::vector<std::string> out;
    for (const auto& f : qltest::run(p, rule)) out.push_back(f.loc.file + ":" + std::to_string(f.loc.line));
    return out;
}

const char* kSchema = R"(import { pgTable, uuid, varchar, integer, index, uniqueIndex, foreignKey, primaryKey } from 'drizzle-orm/pg-core';
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: varchar('email', { length: 255 }).notNull().unique(),
  teamId: uuid('team_id'),
});
export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  status: varchar('status', { length: 20 }).notNull(),
  qty: integer('qty'),
}, (t) => [
  index('orders_user_status_idx').on(t.userId, t.status.desc()).where(sql`${t.status} <> 'done'`),
  uniqueIndex('orders_status_qty').using('btree', t.status, t.qty).concurrently(),
]);
)";

}  // namespace

TEST_CASE("drizzle schema: tables / columns / PK/unique / FK actions / indexes with order and predicates") {
    const Project p = ts({{"src/db/schema.ts", kSchema}});
    const Table* users = p.schema.find_table("public.users");
    REQUIRE(users);
    CHECK(users->column("team_id"));
    CHECK(users->column("email")->type == "varchar(255)");
    CHECK(users->column("email")->not_null);
    CHECK(users->unique_keys().size() == 2);
    const Table* orders = p.schema.find_table("public.orders");
    REQUIRE(orders);
    REQUIRE(orders->foreign_keys.size() == 1);
    CHECK(orders->foreign_keys[0].on_delete == FkAction::Cascade);
    CHECK(orders->foreign_keys[0].loc.file == "src/db/schema.ts");
    CHECK(orders->foreign_keys[0].loc.line == 9);
    const Index* idx = nullptr;
    for (const auto& i : orders->indexes)
        if (i.name == "orders_user_status_idx") idx = &i;
    REQUIRE(idx);
    REQUIRE(idx->keys.size() == 2);
    CHECK(idx->keys[1].desc);
    CHECK(idx->partial());
    CHECK(idx->loc.line == 13);
    bool unique_found = false;
    for (const auto& i : orders->indexes) unique_found |= i.name == "orders_status_qty" && i.unique && i.concurrent;
    CHECK(unique_found);
}

TEST_CASE("drizzle schema: pgTableCreator prefix / pgSchema / casing / object-form extras / table constraints") {
    const Project p = ts({{"src/db/schema.ts", R"(import { pgTableCreator, pgSchema, pgTable, text, uuid, index, foreignKey, primaryKey, pgEnum } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/node-postgres';
export const db = drizzle(process.env.URL!, { casing: 'snake_case' });
const createTable = pgTableCreator((name) => `acme_${name}`);
export const audit = pgSchema('audit');
export const mood = pgEnum('mood', ['sad', 'ok']);
export const teams = createTable('teams', { id: uuid().primaryKey(), displayName: text() });
export const logs = audit.table('logs', { id: uuid().primaryKey(), teamId: uuid(), feeling: mood() }, (t) => ({
  byTeam: index('logs_team').on(t.teamId),
  fk: foreignKey({ columns: [t.teamId], foreignColumns: [teams.id], name: 'logs_team_fk' }).onDelete('set null'),
}));
export const members = pgTable('members', { teamId: uuid(), userId: uuid() }, (t) => [primaryKey({ columns: [t.teamId, t.userId] })]);
)"}});
    const Table* teams = p.schema.find_table("public.acme_teams");
    REQUIRE(teams);
    CHECK(teams->column("display_name"));
    const Table* logs = p.schema.find_table("audit.logs");
    REQUIRE(logs);
    CHECK(logs->column("feeling")->type == "mood");
    REQUIRE(logs->foreign_keys.size() == 1);
    CHECK(logs->foreign_keys[0].ref_table == "public.acme_teams");
    CHECK(logs->foreign_keys[0].on_delete == FkAction::SetNull);
    CHECK(logs->indexes.size() == 2);  // PK + logs_team
    const Table* members = p.schema.find_table("public.members");
    REQUIRE(members);
    REQUIRE(members->primary_key());
    CHECK(members->primary_key()->keys.size() == 2);
    CHECK(p.schema.enums.count("public.mood"));
}

TEST_CASE("drizzle queries resolve tables across files: named / namespace and re-exported imports") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/db/index.ts", "export * from './schema';\nexport { orders as ordersTable } from './schema';\n"},
                          {"src/a.ts", R"(import * as s from './db';
import { ordersTable } from './db/index';
import { eq } from 'drizzle-orm';
export const a = () => db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, 'x'));
export const b = () => db.select().from(ordersTable).where(eq(ordersTable.userId, 'u')).limit(5);
)"}});
    const Query* a = query_at(p, "src/a.ts", 4);
    REQUIRE(a);
    CHECK(a->sql == R"(SELECT "users"."id" AS "id" FROM "users" WHERE "users"."email" = 'x')");
    CHECK(a->api == "db.select");
    const Query* b = query_at(p, "src/a.ts", 5);
    REQUIRE(b);
    CHECK(b->returns_star());
    REQUIRE(b->predicates.size() == 1);
    CHECK(b->predicates[0].column == "user_id");
    CHECK(b->predicates[0].loc.line == 5);
    CHECK(b->predicates[0].loc.column == 63);  // points at ordersTable.userId
}

TEST_CASE("relational queries: columns / callback and object where / orderBy / findFirst") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/r.ts", R"(import { db } from './db';
const x = await db.query.orders.findMany({ columns: { id: true }, where: (t, { eq, and }) => and(eq(t.userId, uid), eq(t.status, 'open')), orderBy: (t, { desc }) => [desc(t.qty)], limit: 20 });
const y = await db.query.users.findFirst({ where: { email: 'a@b.c' } });
const z = await db.query.orders.findMany({ with: { user: true } });
)"}});
    const Query* x = query_at(p, "src/r.ts", 2);
    REQUIRE(x);
    CHECK(x->sql == R"(SELECT "orders"."id" FROM "orders" WHERE ("orders"."user_id" = $1 AND "orders"."status" = 'open') ORDER BY "orders"."qty" DESC LIMIT 20)");
    CHECK(x->frontend == "drizzle-relational");
    const Query* y = query_at(p, "src/r.ts", 3);
    REQUIRE(y);
    CHECK(y->sql == R"(SELECT * FROM "users" WHERE "users"."email" = 'a@b.c' LIMIT 1)");
    CHECK(rules_at(p, "unpaginated-query") == std::vector<std::string>{"src/r.ts:4"});
    // y is one row by a unique key; z reads no wide column: neither is worth a select-star finding.
    CHECK(rules_at(p, "select-star").empty());
}

TEST_CASE("raw SQL: pool.query strings and objects / db.execute(sql``) / postgres.js - locations map to the .ts line") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/raw.ts", R"(import postgres from 'postgres';
import { sql as dsql } from 'drizzle-orm';
import { orders } from './db/schema';
const sql = postgres('postgres://');
export async function f(id: string) {
  await pool.query('SELECT id FROM orders\n WHERE status = $1 LIMIT 1', [id]);
  await client.query({ text: `SELECT id FROM orders WHERE qty = ${id} LIMIT 1` });
  await db.execute(dsql`SELECT ${orders.id} FROM ${orders} WHERE ${orders.qty} > ${id} LIMIT 1`);
  await sql`SELECT id FROM users WHERE team_id = ${id} LIMIT 1`;
  await pool.query('SELEC broken');
  await pool.query('SELECT FROM WHERE');
  await cache.query('not sql at all');
}
)"}});
    const Query* a = query_at(p, "src/raw.ts", 6);
    REQUIRE(a);
    CHECK(a->frontend == "raw-sql");
    CHECK(a->api == "pool.query");
    const Query* b = query_at(p, "src/raw.ts", 7);
    REQUIRE(b);
    CHECK(b->sql == "SELECT id FROM orders WHERE qty = $1 LIMIT 1");
    const Query* c = query_at(p, "src/raw.ts", 8);
    REQUIRE(c);
    CHECK(c->sql == R"(SELECT "orders"."id" FROM "orders" WHERE "orders"."qty" > $1 LIMIT 1)");
    CHECK(query_at(p, "src/raw.ts", 9));
    // Uncovered filters point into the TypeScript string.
    const auto uncovered = qltest::run(p, "uncovered-predicate");
    std::vector<std::string> at;
    for (const auto& f : uncovered) at.push_back(std::to_string(f.loc.line) + ":" + std::to_string(f.loc.column));
    CHECK(std::find(at.begin(), at.end(), "7:59") != at.end());  // qty in the template
    CHECK(std::find(at.begin(), at.end(), "9:40") != at.end());  // team_id in postgres.js
    // Broken SQL that looks like SQL is a parse error on its line; other .query() calls are ignored.
    std::vector<unsigned> errors;
    for (const auto& d : p.diagnostics)
        if (d.kind == "parse-error") errors.push_back(d.loc.line);
    CHECK(errors == std::vector<unsigned>{11});
}

TEST_CASE("raw SQL: a constant in an untagged template is spliced in, as JavaScript does; a tagged one stays a parameter") {
    // nango writes `CREATE TABLE ${SCHEDULES_TABLE} (...)` in knex migrations with the name
    // imported from a model file; unleash `FROM ${TABLE}` in raw queries.
    const Project p = ts({{"src/models/tables.ts", R"(export const JOBS_TABLE = 'jobs';
export const T = { runs: 'runs', limit: 20 } as const;
export let mutable = 'jobs_v2';
)"},
                          {"src/models/index.ts", "export * from './tables';\n"},
                          {"src/migrations/20240101_jobs.ts", R"(import { JOBS_TABLE, T } from '../models/index';
import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE ${JOBS_TABLE} (id serial PRIMARY KEY, state text NOT NULL)`);
  await knex.raw(`CREATE TABLE ${T.runs} (id serial PRIMARY KEY, job_id int NOT NULL REFERENCES ${JOBS_TABLE}(id))`);
  await knex.raw(`CREATE INDEX idx_${T.runs}_job ON ${T.runs} (job_id)`);
}
)"},
                          {"src/repo.ts", R"(import postgres from 'postgres';
import { JOBS_TABLE, T, mutable } from './models/tables';
const LOCAL = 'jobs';
const sql = postgres('postgres://');
export async function f(id: string, table: string) {
  await pool.query(`SELECT id FROM ${JOBS_TABLE} WHERE state = $1 LIMIT ${T.limit}`, [id]);
  await pool.query(`SELECT id FROM ${LOCAL} WHERE id = ${id}`);
  await pool.query(`SELECT id FROM runs WHERE job_id = ${mutable} LIMIT 1`);
  await sql`SELECT id FROM runs WHERE job_id = ${JOBS_TABLE} LIMIT 1`;
}
)"}});
    const Table* jobs = p.schema.find_table("public.jobs");
    const Table* runs = p.schema.find_table("public.runs");
    REQUIRE(jobs);
    REQUIRE(runs);
    REQUIRE(runs->foreign_keys.size() == 1);
    CHECK(runs->foreign_keys[0].ref_table == "public.jobs");
    REQUIRE(runs->indexes.size() == 2);
    CHECK(runs->indexes[1].name == "idx_runs_job");
    for (const auto& d : p.diagnostics) CHECK(d.kind != "code-migration");
    const Query* a = query_at(p, "src/repo.ts", 6);
    REQUIRE(a);
    CHECK(a->sql == "SELECT id FROM jobs WHERE state = $1 LIMIT 20");
    const Query* b = query_at(p, "src/repo.ts", 7);  // a function's argument is a value: a parameter
    REQUIRE(b);
    CHECK(b->sql == "SELECT id FROM jobs WHERE id = $1");
    const Query* c = query_at(p, "src/repo.ts", 8);  // `let` may change: a parameter
    REQUIRE(c);
    CHECK(c->sql == "SELECT id FROM runs WHERE job_id = $1 LIMIT 1");
    const Query* d = query_at(p, "src/repo.ts", 9);  // a tag receives the value: a parameter
    REQUIRE(d);
    CHECK(d->sql == "SELECT id FROM runs WHERE job_id = $1 LIMIT 1");
}

TEST_CASE("n-plus-one: loop kinds / callbacks / calls across files / classes and object literals") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/repo.ts", R"(import { db } from './db';
import { orders } from './db/schema';
import { eq } from 'drizzle-orm';
export const repo = {
  byUser(id: string) { return db.select({ id: orders.id }).from(orders).where(eq(orders.userId, id)).limit(10); },
};
export class OrderService {
  constructor(private readonly db: Database) {}
  load(id: string) { return this.db.select({ id: orders.id }).from(orders).where(eq(orders.id, id)); }
  async all(ids: string[]) {
    for (const id of ids) await this.load(id);
  }
}
export async function viaRepo(ids: string[]) { return ids.map((id) => repo.byUser(id)); }
)"},
                          {"src/jobs.ts", R"(import { repo, OrderService } from './repo';
import { orders } from './db/schema';
export async function run(ids: string[], svc: OrderService) {
  let i = 0;
  while (i < ids.length) { await repo.byUser(ids[i++]); }
  do { await db.select({ id: orders.id }).from(orders).limit(1); } while (more());
  for await (const id of stream()) { await repo.byUser(id); }
  for (const k in ids) { await repo.byUser(k); }
  ids.forEach(async (id) => { await repo.byUser(id); });
  await Promise.all(ids.map(repo.byUser));
  for (let j = 0; j < 3; j++) await repo.byUser('x');
  for (const id of ['a', 'b']) await repo.byUser(id);
  for (const id of ids) { const r = await repo.byUser(id); if (r.length) break; }
  for (const id of ids) { const r = await repo.byUser(id); if (!r.length) continue; }
  for (const id of ids) { switch (id) { case 'a': await repo.byUser(id); break; } }
}
)"}});
    CHECK(rules_at(p, "n-plus-one") == std::vector<std::string>{"src/jobs.ts:5",  "src/jobs.ts:6",  "src/jobs.ts:7",
                                                                "src/jobs.ts:8",  "src/jobs.ts:9",  "src/jobs.ts:10",
                                                                "src/jobs.ts:14", "src/jobs.ts:15", "src/repo.ts:11",
                                                                "src/repo.ts:14"});
    const auto findings = qltest::run(p, "n-plus-one");
    const auto it = std::find_if(findings.begin(), findings.end(), [](const Finding& f) { return f.loc.line == 5; });
    REQUIRE(it != findings.end());
    CHECK(it->message.rfind("repo.byUser → db.select in repo.ts:5 runs once per iteration of the while loop", 0) == 0);
    REQUIRE(it->related.size() == 2);  // the loop, the query
    CHECK(it->related[1].loc.file == "src/repo.ts");
    // The fix sketch uses the code's own names, not the SQL ones.
    CHECK(it->fix.find("db.select().from(orders).where(inArray(orders.userId, keys))") != std::string::npos);
}

TEST_CASE("call graph: recursion terminates / chains are shortest / writes and reads are told apart") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/g.ts", R"(import { orders } from './db/schema';
function a(n: number): any { return n ? b(n - 1) : db.select({ id: orders.id }).from(orders).limit(1); }
function b(n: number): any { return a(n); }
function save(id: string) { return db.delete(orders).where(eq(orders.id, id)); }
function loop(ids: string[]) { for (const id of ids) { b(1); save(id); } }
function selfish(): any { return selfish(); }
function spin(ids: string[]) { for (const id of ids) selfish(); }
)"}});
    CHECK(rules_at(p, "n-plus-one") == std::vector<std::string>{"src/g.ts:5"});
    CHECK(rules_at(p, "write-in-loop") == std::vector<std::string>{"src/g.ts:5"});
    int q = -1;
    int b = -1;
    for (size_t f = 0; f < p.inventory.functions.size(); ++f)
        if (p.inventory.functions[f].name == "b") b = static_cast<int>(f);
    REQUIRE(b >= 0);
    CHECK(p.inventory.call_chain(b, false, q).size() == 1);
    CHECK(q >= 0);
}

TEST_CASE("TypeScript robustness: deep nesting / syntax errors / empty and odd files never crash") {
    std::string deep = "const x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + ";\n";
    std::string arrays = "const y = " + std::string(20000, '[') + std::string(20000, ']') + ";\n";
    std::string calls = "db.select().from(orders)";
    for (int i = 0; i < 5000; ++i) calls += ".where(eq(orders.id, 1))";
    calls += ";\n";
    std::string conds = "db.select().from(orders).where(" + [] {
        std::string s;
        for (int i = 0; i < 3000; ++i) s += "and(eq(orders.id, 1), ";
        s += "eq(orders.id, 1)";
        for (int i = 0; i < 3000; ++i) s += ")";
        return s;
    }() + ");\n";
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/deep.ts", "import { orders } from './db/schema';\n" + deep + arrays + calls + conds},
                          {"src/empty.ts", ""},
                          {"src/bad.tsx", "export const C = () => <div>{</div>;\n"},
                          {"src/garbage.ts", "}}}{{{ ))) import from from from ` ${ `"}});
    CHECK(p.stats.ts_files == 5);
    bool bad_reported = false;
    for (const auto& d : p.diagnostics) bad_reported |= d.kind == "typescript-syntax" && d.loc.file == "src/bad.tsx";
    CHECK(bad_reported);
}

TEST_CASE("schema rules see Drizzle declarations: volatile index predicates / JSONB filters / upsert targets") {
    const Project p = ts({{"src/db/schema.ts", R"(import { pgTable, uuid, text, jsonb, timestamp, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey(),
  token: text('token').notNull(),
  data: jsonb('data'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('sessions_live').on(t.token).where(sql`${t.expiresAt} > now()`)]);
)"},
                          {"src/q.ts", R"(import { sessions } from './db/schema';
import { sql, eq } from 'drizzle-orm';
export const a = () => db.select({ id: sessions.id }).from(sessions).where(sql`${sessions.data} @> ${{ a: 1 }}`).limit(5);
export const b = () => db.insert(sessions).values({ token: 't' }).onConflictDoNothing({ target: sessions.token });
)"}});
    CHECK(rules_at(p, "volatile-index-predicate") == std::vector<std::string>{"src/db/schema.ts:8"});
    CHECK(rules_at(p, "unindexed-jsonb-query") == std::vector<std::string>{"src/q.ts:3"});
    CHECK(rules_at(p, "missing-unique-constraint") == std::vector<std::string>{"src/q.ts:4"});
}

TEST_CASE("handles: class fields typed as a Drizzle database - Drizzle-only FKs without onDelete") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/db/extra.ts", R"(import { pgTable, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema';
export const notes = pgTable('notes', { id: uuid('id').primaryKey(), userId: uuid('user_id').references(() => users.id) });
)"},
                          {"src/svc.ts", R"(import { sql } from 'drizzle-orm';
export class Reports {
  constructor(private readonly orm: NodePgDatabase<typeof schema>, private readonly cache: Redis) {}
  run() { return this.orm.execute(sql`SELECT id FROM users WHERE team_id = ${1} LIMIT 5`); }
  miss() { return this.cache.execute(sql`SELECT id FROM users LIMIT 5`); }
}
)"}});
    const Query* q = query_at(p, "src/svc.ts", 4);
    REQUIRE(q);
    CHECK(q->api == "this.orm.execute");
    CHECK_FALSE(query_at(p, "src/svc.ts", 5));  // a Redis client's execute is not a query
    CHECK(rules_at(p, "fk-missing-action") == std::vector<std::string>{"src/db/extra.ts:3"});
}

TEST_CASE("missing-unique-constraint: findFirst by columns nothing makes unique") {
    const Project p = ts({{"src/db/schema.ts", kSchema},
                          {"src/f.ts", R"(import { eq, and, gt, desc } from 'drizzle-orm'; import { orders, users } from './db/schema';
const a = await db.query.orders.findFirst({ where: eq(orders.status, s) });
const b = await db.query.users.findFirst({ where: eq(users.email, e) });
const c = await db.query.orders.findFirst({ where: eq(orders.status, s), orderBy: [desc(orders.qty)] });
const d = await db.query.orders.findFirst({ where: and(eq(orders.status, s), gt(orders.qty, 1)) });
const e2 = await db.query.orders.findFirst({ where: and(eq(orders.status, s), eq(orders.id, i)) });
const f = await db.query.orders.findMany({ where: eq(orders.status, s) });
)"}});
    // b: email is unique; c: ordered on purpose; d: a range is not a key lookup; e2: the PK pins
    // one row; f: findMany expects many.
    CHECK(rules_at(p, "missing-unique-constraint") == std::vector<std::string>{"src/f.ts:2"});
    const auto fs = qltest::run(p, "missing-unique-constraint");
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].severity == Severity::P3);
    CHECK(fs[0].fix == "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_status_key ON orders (status);");
}

TEST_CASE("migrations written as code: the SQL their up() runs builds the schema; down() and other engines' folders do not") {
    const std::string typeorm =
        "import { MigrationInterface, QueryRunner } from 'typeorm';\n"
        "export class Init1700000000000 implements MigrationInterface {\n"
        "  public async up(queryRunner: QueryRunner): Promise<void> {\n"
        "    await queryRunner.query(`CREATE TABLE \"orders\" (\"id\" SERIAL NOT NULL, \"user_id\" integer, CONSTRAINT \"PK_orders\" PRIMARY KEY (\"id\"))`);\n"
        "    await queryRunner.query('CREATE INDEX \"IDX_orders_user\" ON \"orders\" (\"user_id\")');\n"
        "  }\n"
        "  public async down(queryRunner: QueryRunner): Promise<void> {\n"
        "    await queryRunner.query(`DROP TABLE \"orders\"`);\n"
        "  }\n"
        "}\n";
    const std::string knex =
        "import type { Knex } from 'knex';\n"
        "export async function up(knex: Knex) {\n"
        "  await knex.raw('ALTER TABLE orders ADD COLUMN total numeric NOT NULL DEFAULT 0');\n"
        "}\n"
        "export async function down(knex: Knex) {\n"
        "  await knex.raw('ALTER TABLE orders DROP COLUMN total');\n"
        "}\n";
    const std::string mikro =
        "import { Migration } from '@mikro-orm/migrations';\n"
        "export class Migration20240101 extends Migration {\n"
        "  async up(): Promise<void> {\n"
        "    this.addSql('create index \"orders_total_idx\" on \"orders\" (\"total\");');\n"
        "  }\n"
        "}\n";
    const std::string kysely =
        "import { Kysely, sql } from 'kysely';\n"
        "export async function up(db: Kysely<any>): Promise<void> {\n"
        "  await sql`CREATE INDEX orders_user_total_idx ON orders (user_id, total)`.execute(db);\n"
        "  await db.schema.createIndex('orders_note_idx').on('orders').expression(sql`lower(note)`).execute();\n"
        "}\n"
        "export async function down(db: Kysely<any>): Promise<void> {\n"
        "  await sql`DROP INDEX orders_user_total_idx`.execute(db);\n"
        "}\n";
    const std::string mysql =
        "import { MigrationInterface, QueryRunner } from 'typeorm';\n"
        "export class Init1700000000000 implements MigrationInterface {\n"
        "  public async up(queryRunner: QueryRunner): Promise<void> {\n"
        "    await queryRunner.query('CREATE TABLE `orders` (`id` int NOT NULL AUTO_INCREMENT, `user_id` int, PRIMARY KEY (`id`))');\n"
        "    await queryRunner.query('CREATE TABLE refunds (id int PRIMARY KEY)');\n"
        "  }\n"
        "}\n";
    // One migration for several engines: only the PostgreSQL branch builds this schema, whether
    // the other's SQL looks like MySQL or happens to be valid PostgreSQL too.
    const std::string switched =
        "import { MigrationInterface, QueryRunner } from 'typeorm';\n"
        "export class Labels1700000000004 implements MigrationInterface {\n"
        "  public async up(queryRunner: QueryRunner): Promise<void> {\n"
        "    switch (config.db.type) {\n"
        "      case DbType.POSTGRES:\n"
        "        await queryRunner.query('CREATE TABLE labels (id uuid PRIMARY KEY, project_id uuid NOT NULL)');\n"
        "        break;\n"
        "      case DbType.SQLITE:\n"
        "        await queryRunner.query('CREATE TABLE sqlite_labels (id TEXT PRIMARY KEY)');\n"
        "        break;\n"
        "    }\n"
        "    if (isMysql(config)) {\n"
        "      await queryRunner.query('CREATE TABLE mysql_labels (id int PRIMARY KEY)');\n"
        "    } else {\n"
        "      await queryRunner.query('CREATE INDEX labels_project_idx ON labels (project_id)');\n"
        "    }\n"
        "    if (config.db.type === 'postgres') {\n"
        "      await queryRunner.query('CREATE INDEX labels_id_project_idx ON labels (id, project_id)');\n"
        "    } else {\n"
        "      await queryRunner.query('CREATE TABLE other_labels (id int PRIMARY KEY)');\n"
        "    }\n"
        "  }\n"
        "}\n";
    // Look-alike: the same calls outside a migrations folder are queries, not schema.
    const std::string service =
        "import { DataSource } from 'typeorm';\n"
        "export async function up(ds: DataSource) { await ds.query('CREATE TABLE scratch (id int)'); }\n";
    auto p = ts({{"src/migrations/postgres/1700000000000-Init.ts", typeorm},
                 {"src/migrations/postgres/1700000000001-Total.ts", knex},
                 {"src/migrations/postgres/1700000000002-TotalIndex.ts", mikro},
                 {"src/migrations/postgres/1700000000003-UserTotal.ts", kysely},
                 {"src/migrations/postgres/1700000000004-Labels.ts", switched},
                 {"src/migrations/mysql/1700000000000-Init.ts", mysql},
                 // A sibling of postgres/ is another engine's, whatever its name and SQL.
                 {"src/migrations/planetscale/1700000000000-Init.ts",
                  "export class Init implements MigrationInterface {\n  async up(q: QueryRunner) {\n"
                  "    await q.query('CREATE TABLE planetscale_only (id int PRIMARY KEY)');\n  }\n}\n"},
                 {"src/services/warmup.ts", service}});
    const Table* orders = p.schema.find_table("public.orders");
    REQUIRE(orders);
    CHECK(orders->loc.file == "src/migrations/postgres/1700000000000-Init.ts");
    CHECK(orders->loc.line == 4);
    CHECK(orders->column("total"));  // knex.raw in up(); down() did not drop it again
    std::vector<std::string> names;
    for (const auto& i : orders->indexes) names.push_back(i.name);
    CHECK(std::find(names.begin(), names.end(), "IDX_orders_user") != names.end());
    CHECK(std::find(names.begin(), names.end(), "orders_total_idx") != names.end());
    CHECK(std::find(names.begin(), names.end(), "orders_user_total_idx") != names.end());
    CHECK_FALSE(p.schema.find_table("public.refunds"));  // the mysql folder is another engine's
    CHECK_FALSE(p.schema.find_table("public.planetscale_only"));
    CHECK_FALSE(p.schema.find_table("public.scratch"));
    const Table* labels = p.schema.find_table("public.labels");
    REQUIRE(labels);
    CHECK(labels->indexes.size() == 3);  // the primary key, and both PostgreSQL-branch indexes
    CHECK_FALSE(p.schema.find_table("public.sqlite_labels"));
    CHECK_FALSE(p.schema.find_table("public.mysql_labels"));
    CHECK_FALSE(p.schema.find_table("public.other_labels"));
    bool skipped = false;
    for (const auto& d : p.diagnostics) skipped |= d.kind == "other-engine" && d.loc.file == "src/migrations/mysql";
    CHECK(skipped);
    // A fragment inside Kysely's schema builder is not a statement querylens failed to read.
    for (const auto& d : p.diagnostics) CHECK(d.kind != "code-migration");
}

TEST_CASE("migrations written as code: template escapes are cooked, and a ${} standing for whole statements is a diagnostic") {
    // MikroORM writes `default \'{}\'` inside backticks: the tag (and addSql) receive a quote.
    // medusa puts `${generateAlterStatements(...)}` on a line of its own between statements.
    const std::string mikro =
        "import { Migration } from '@mikro-orm/migrations';\n"
        "export class Migration20240101 extends Migration {\n"
        "  async up(): Promise<void> {\n"
        "    this.addSql(`create table if not exists \"store\" (\"id\" text not null, \"codes\" text[] not null default \\'{}\\', constraint \"store_pkey\" primary key (\"id\"));`);\n"
        "    this.addSql(`\n"
        "      ALTER TABLE \"store\" ADD COLUMN IF NOT EXISTS \"name\" text NULL;\n"
        "      ${alterIfExists('store', ['codes'], 'DROP NOT NULL')}\n"
        "      -- the statements after it are read too\n"
        "      CREATE INDEX IF NOT EXISTS \"IDX_store_name\" ON \"store\" (\"name\");\n"
        "    `);\n"
        "  }\n"
        "}\n";
    // Look-alikes: a substitution inside a statement is a parameter as before (the statement does
    // not parse, a diagnostic says so), and a template that is only `${query}` is no list of
    // statements (it stays a parameter, which does not parse either).
    const std::string inside =
        "import { Migration } from '@mikro-orm/migrations';\n"
        "export class Migration20240102 extends Migration {\n"
        "  async up(): Promise<void> {\n"
        "    this.addSql(`CREATE INDEX \"IDX_store_x\" ON ${table}\n(\"id\");`);\n"
        "    this.addSql(`${wholeQuery}`);\n"
        "  }\n"
        "}\n";
    auto p = ts({{"src/migrations/Migration20240101.ts", mikro}, {"src/migrations/Migration20240102.ts", inside}});
    const Table* store = p.schema.find_table("public.store");
    REQUIRE(store);
    REQUIRE(store->column("codes"));
    REQUIRE(store->column("codes")->default_expr);
    CHECK(store->column("codes")->default_expr->find("{}") != std::string::npos);
    CHECK(store->column("name"));
    REQUIRE(store->indexes.size() == 2);  // the primary key and IDX_store_name
    CHECK(store->indexes[1].name == "IDX_store_name");
    std::vector<std::string> diags;
    for (const auto& d : p.diagnostics)
        if (d.kind == "code-migration") diags.push_back(d.loc.file + ":" + std::to_string(d.loc.line) + " " + d.message.substr(0, 40));
    REQUIRE(diags.size() == 3);
    CHECK(diags[0] == "src/migrations/Migration20240101.ts:7 querylens cannot read the statements thi");
    CHECK(diags[1].rfind("src/migrations/Migration20240102.ts:4 querylens could not read this migration", 0) == 0);
    CHECK(diags[2].rfind("src/migrations/Migration20240102.ts:6 querylens could not read this migration", 0) == 0);
}

TEST_CASE("migrations written as code: a statement literal handed to a helper is read, in up or the default export") {
    // evershop: `export default async (connection) => { await execute(connection, \`ALTER ...\`) }`
    // with execute from its own query builder.
    const std::string v1 =
        "import { execute } from '@evershop/postgres-query-builder';\n"
        "export default async (connection) => {\n"
        "  await execute(connection, `CREATE TABLE product (id serial PRIMARY KEY, sku text NOT NULL, qty int)`);\n"
        "  await execute(connection, 'CREATE INDEX product_sku_idx ON product (sku)');\n"
        "};\n";
    const std::string v2 =
        "import { execute } from '@evershop/postgres-query-builder';\n"
        "export default async (connection) => {\n"
        "  await execute(connection, `ALTER TABLE product DROP COLUMN qty`);\n"
        "  // Look-alike: a fragment handed to a helper that builds the statement is no statement.\n"
        "  await alterColumn(connection, 'product', 'DROP NOT NULL');\n"
        "};\n"
        "// Look-alike: a rollback is not part of the schema's history.\n"
        "export async function down(connection) {\n"
        "  await execute(connection, 'DROP TABLE product');\n"
        "}\n";
    // Look-alike: the same call outside a migrations folder is runtime code, not schema.
    const std::string runtime =
        "import { execute } from '@evershop/postgres-query-builder';\n"
        "export async function reset(connection) { await execute(connection, 'CREATE TABLE scratch (id int)'); }\n";
    auto p = ts({{"src/modules/catalog/migration/Version-1.0.0.ts", v1},
                 {"src/modules/catalog/migration/Version-1.0.1.ts", v2},
                 {"src/services/reset.ts", runtime}});
    const Table* product = p.schema.find_table("public.product");
    REQUIRE(product);
    CHECK(product->column("sku"));
    CHECK_FALSE(product->column("qty"));
    CHECK(product->index_named("product_sku_idx"));
    CHECK(p.schema.find_table("public.scratch") == nullptr);
    for (const auto& d : p.diagnostics) CHECK_MESSAGE(d.kind != "code-migration", d.loc.file << ": " << d.message);
}

// The fact cache's bytes (frontends/typescript/facts_io.h): what a file parsed only for its calls
// leaves comes back the same, and damaged bytes are refused, never half-read.

TEST_CASE("fact cache: tree-free facts and import scans round-trip; damaged bytes are refused") {
    using namespace querylens;
    const SourceFile file("src/jobs/sync.ts", R"(import { upsert } from '../repo';
import type { Row } from '../types';
export * from './helpers';
export { sync as default };
const LIMIT = 500;
class Syncer { constructor(private repo: Repo) {} async go(rows: Row[]) { for (const r of rows) await this.repo.save(r); } }
export async function sync(rows: Row[]) {
  for (let i = 0; i < rows.length; i += LIMIT) {
    await upsert(rows.slice(i, i + LIMIT));
  }
  rows.forEach(save);
}
)",
                          SourceLanguage::TypeScript);
    TsFile parsed = collect_typescript(file);
    REQUIRE(parsed.tree.ok());
    std::string bytes;
    CHECK_FALSE(write_tree_free_facts(parsed, bytes));  // a live tree: its values are not plain data
    keep_call_arguments(parsed);  // as analysis/project.cpp does before freeing the tree
    parsed.values.clear();
    for (auto& s : parsed.sites) s.node = TSNode{};
    parsed.tree = TsTree{};
    REQUIRE(write_tree_free_facts(parsed, bytes));
    TsFile back;
    REQUIRE(read_tree_free_facts(bytes, back));
    CHECK(back.imports.size() == parsed.imports.size());
    CHECK(back.imports.at("upsert").module == "../repo");
    CHECK(back.exports.size() == parsed.exports.size());
    CHECK(back.star_exports == parsed.star_exports);
    CHECK(back.constants == parsed.constants);
    CHECK(back.classes.at("Syncer").field_types == parsed.classes.at("Syncer").field_types);
    CHECK(back.classes.at("Syncer").methods == parsed.classes.at("Syncer").methods);
    REQUIRE(back.functions.size() == parsed.functions.size());
    for (size_t i = 0; i < back.functions.size(); ++i) {
        CHECK(back.functions[i].name == parsed.functions[i].name);
        CHECK(back.functions[i].end == parsed.functions[i].end);
    }
    CHECK(back.function_by_name == parsed.function_by_name);
    REQUIRE(back.loops.size() == parsed.loops.size());
    REQUIRE(back.loops.size() >= 3);
    for (size_t i = 0; i < back.loops.size(); ++i) {
        CHECK(back.loops[i].kind == parsed.loops[i].kind);
        CHECK(back.loops[i].chunked == parsed.loops[i].chunked);
        CHECK(back.loops[i].vars == parsed.loops[i].vars);
        CHECK(back.loops[i].offset == parsed.loops[i].offset);
    }
    REQUIRE(back.sites.size() == parsed.sites.size());
    for (size_t i = 0; i < back.sites.size(); ++i) {
        CHECK(back.sites[i].kind == parsed.sites[i].kind);
        CHECK(back.sites[i].callee.name == parsed.sites[i].callee.name);
        CHECK(back.sites[i].callee.kind == parsed.sites[i].callee.kind);
        CHECK(back.sites[i].loop == parsed.sites[i].loop);
        CHECK(back.sites[i].loop_invariant == parsed.sites[i].loop_invariant);
        CHECK(back.sites[i].offset == parsed.sites[i].offset);
        CHECK(back.sites[i].arg_refs == parsed.sites[i].arg_refs);
    }
    CHECK(std::any_of(back.sites.begin(), back.sites.end(),
                      [](const TsSite& s) { return s.arg_refs == std::vector<std::string>{"r"}; }));  // this.repo.save(r)
    // Every cut is refused (the reader checks each length against what is left).
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
        TsFile partial;
        CHECK_FALSE(read_tree_free_facts(std::string_view(bytes).substr(0, cut), partial));
    }

    const TsPrescan scan = prescan_typescript(file.text());
    std::string scan_bytes;
    write_prescan(scan, scan_bytes);
    TsPrescan scan_back;
    REQUIRE(read_prescan(scan_bytes, scan_back));
    CHECK(scan_back.specifiers == scan.specifiers);
    CHECK(scan_back.type_only == scan.type_only);
    CHECK(scan_back.reexport == scan.reexport);
    CHECK(scan_back.issues == scan.issues);
    CHECK(scan_back.has_class == scan.has_class);
    CHECK_FALSE(read_prescan(scan_bytes + "x", scan_back));  // trailing bytes: not this format
}
