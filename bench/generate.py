#!/usr/bin/env python3
"""Writes a synthetic backend for benchmarks: N migrations and M TypeScript modules in the styles
the fixtures use (Drizzle schema, services with loops, raw SQL). Deterministic for a given size.
Besides the services, UI modules (a third as many) that never touch the database, as real
monorepos have: they import each other and a formatting helper, and are not parsed by querylens.
Usage: bench/generate.py DIR [--tables 300] [--services 2000]"""
import argparse
import os

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--tables", type=int, default=300)
ap.add_argument("--services", type=int, default=2000)
a = ap.parse_args()

mig = os.path.join(a.dir, "db", "migrations")
src = os.path.join(a.dir, "src")
os.makedirs(mig, exist_ok=True)
os.makedirs(os.path.join(src, "db"), exist_ok=True)
with open(os.path.join(mig, "0000_users.sql"), "w") as f:
    f.write("CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL);\n")
schema = ["import { pgTable, uuid, text, integer, timestamp } from 'drizzle-orm/pg-core';",
          "export const users = pgTable('users', { id: uuid('id').primaryKey(), email: text('email').notNull() });"]
for t in range(a.tables):
    with open(os.path.join(mig, f"{t + 1:04d}_t{t}.sql"), "w") as f:
        f.write(f"CREATE TABLE t{t} (\n  id bigserial PRIMARY KEY,\n  user_id uuid NOT NULL REFERENCES users (id),\n"
                f"  status text NOT NULL,\n  amount integer,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n"
                f"--> statement-breakpoint\nCREATE INDEX t{t}_user_idx ON t{t} (user_id, created_at DESC);\n"
                f"SELECT id, status FROM t{t} WHERE status = 'open' ORDER BY created_at DESC;\n")
    schema.append(f"export const t{t} = pgTable('t{t}', {{ id: integer('id').primaryKey(), userId: uuid('user_id').notNull(),"
                  f" status: text('status').notNull(), amount: integer('amount'), createdAt: timestamp('created_at') }});")
with open(os.path.join(src, "db", "schema.ts"), "w") as f:
    f.write("\n".join(schema) + "\n")
with open(os.path.join(src, "db", "index.ts"), "w") as f:
    f.write("import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.URL!);\n")
for s in range(a.services):
    t = s % max(1, a.tables)
    d = os.path.join(src, "modules", f"m{s % 40}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"service{s}.ts"), "w") as f:
        f.write(f"""import {{ and, desc, eq, inArray }} from 'drizzle-orm';
import {{ db }} from '../../db';
import {{ t{t} }} from '../../db/schema';
import {{ helper{(s + 1) % a.services} }} from '../m{(s + 1) % 40}/service{(s + 1) % a.services}';

export async function helper{s}(userId: string) {{
  return db.select().from(t{t}).where(and(eq(t{t}.userId, userId), eq(t{t}.status, 'open'))).orderBy(desc(t{t}.createdAt));
}}

export class Service{s} {{
  constructor(private readonly db: Database) {{}}
  async list(ids: string[]) {{
    const out = [];
    for (const id of ids) {{
      out.push(await helper{(s + 1) % a.services}(id));
    }}
    await Promise.all(ids.map((id) => this.db.query.t{t}.findFirst({{ where: (x, {{ eq }}) => eq(x.userId, id) }})));
    return db.select({{ id: t{t}.id }}).from(t{t}).where(inArray(t{t}.id, ids)).limit(100);
  }}
  async raw(status: string) {{
    return pool.query('SELECT id FROM t{t} WHERE amount > $1 AND status = $2 LIMIT 50', [10, status]);
  }}
}}
""")
ui = os.path.join(src, "ui")
os.makedirs(ui, exist_ok=True)
with open(os.path.join(ui, "format.ts"), "w") as f:
    f.write("// Formats values for display; a comment that says SELECT * FROM users and sql`x` is not a query.\n"
            "export function formatAmount(n: number): string {\n  return `${(n / 100).toFixed(2)} EUR`;\n}\n")
for u in range(a.services // 3):
    with open(os.path.join(ui, f"widget{u}.ts"), "w") as f:
        f.write(f"""import {{ formatAmount }} from './format';
import type {{ Service{u % max(1, a.services)} }} from '../modules/m{u % max(1, a.services) % 40}/service{u % max(1, a.services)}';
{"import { render" + str(u - 1) + " } from './widget" + str(u - 1) + "';" if u > 0 else ""}

export type Props{u} = {{ amounts: number[]; service?: Service{u % max(1, a.services)} }};

export function render{u}(props: Props{u}): string[] {{
  const out: string[] = [];
  for (const amount of props.amounts) {{
    out.push(formatAmount(amount));
  }}
  return out;
}}
""")
