#!/usr/bin/env python3
"""Plain count of Drizzle (and raw pg) query call sites in a TypeScript project.

The reference figure that `querylens inventory` is compared with in bench/realworld/run.sh. It is a
deliberately simple textual count, not an analysis: no types, no imports, no data flow.

Files: every .ts/.tsx/.mts/.cts file (not .d.ts) under the given directory, skipping the
directories in SKIP_DIRS (node_modules, build output, caches). Comments are blanked first (a small
lexer that knows '...', "..." and `...` strings; regular-expression literals are not recognised,
so a `//` inside one can hide the rest of that line; rare).

What is counted (one per call site, at the position of the method name):
  select      `.select(...)`, `.selectDistinct(...)` or `.selectDistinctOn(...)` whose closing
              parenthesis is followed (whitespace and comments aside) by `.from(`. The arguments
              are skipped with a bracket matcher, so multi-line field maps are fine.
  insert      `.insert(X)` followed by `.values(` or `.select(`; X an identifier or a dotted name
              (`schema.users`). Drizzle always writes `.values(`/`.select(` there.
  update      `.update(X)` followed by `.set(`. (Excludes hash.update(data).digest(), etc.)
  delete      `.delete(X)` followed by `.where(` or `.returning(`, or `R.delete(X)` without them
              when the receiver R is exactly db, tx, trx or database (not *Db: a Map called
              `byDb` has `byDb.delete(key)`). Excludes Map/Set/URLSearchParams/cache `.delete(key)` in all the usual
              spellings: a string or number argument never matches, and an identifier argument
              only matches with a `.where(`/`.returning(` after it or a db-like receiver.
  relational  `.query.<table>.findMany(` / `.query.<table>.findFirst(` (Drizzle relational API).
  execute     `.execute(` whose first argument starts with `sql` (sql`...`, sql.raw(...),
              sql<T>`...`), or any `.execute(` on a db-like receiver (db, tx, trx, database,
              *Db, *DB, *Tx, *db, *tx: db.execute(query), execDb.execute(buildQuery())).
  pg-query    `.query(` whose first argument is a string or template literal starting with
              SELECT/INSERT/UPDATE/DELETE/WITH (node-postgres pool.query / client.query and
              similar). Not Drizzle, but raw SQL that querylens should see. Not counted in files
              that import a driver of another database (mssql, mysql, mysql2, oracledb, sqlite,
              ClickHouse, Snowflake: OTHER_DRIVER), whose `.query('SELECT ...')` is not PostgreSQL.

What it cannot tell apart (the counts are upper bounds for "Drizzle" and may miss some):
  * it does not check that the receiver is a Drizzle database: a query builder of another library
    with the same chain shape (Kysely `.selectFrom` does not match; Knex/Supabase `.insert({..})`
    with an object argument does not match; Supabase `.select('*')` has no `.from(` after it) would
    be counted. `.update(X).set(` and `.insert(X).values(` are Drizzle/Kysely-only shapes.
  * a builder split across statements (`const q = db.select().from(t); ...; q.where(...)`) counts
    once, as it should; but `db.select()` stored in a variable and `.from()` called later is missed.
  * `.delete(X)` without where/returning on a receiver other than db/tx/trx/database
    (`this.db.delete(t)` is fine: receiver `db`; `conn.delete(t)` is missed).
  * `.execute(` on a db-like receiver with a non-SQL argument (a prepared statement object) counts.
  * dynamic table names (`.insert(tables[kind])`) are not counted (X must be a plain name).
  * code in strings/templates (generated code, docs snippets in .ts files) is counted.
Spot-check results are in bench/realworld/README.md.

Sites in test and mock files (TEST_PATH) are counted like the others and reported separately.

Usage: count_sites.py DIR [--json] [--list] [--sample N --seed S]
  --json    machine-readable totals (used by run.sh)
  --list    every match as file:line: kind: source line
  --sample  print N random matches with 3 lines of context, for checking by eye
"""
import argparse
import collections
import json
import os
import random
import re
import sys

SKIP_DIRS = {"node_modules", "dist", "build", "out", ".next", ".turbo", ".git", ".output",
             ".vercel", ".svelte-kit", "coverage", ".cache", ".wrangler", ".expo", "storybook-static"}
EXTS = (".ts", ".tsx", ".mts", ".cts")
KINDS = ["select", "insert", "update", "delete", "relational", "execute", "pg-query"]

DB_RECEIVER = re.compile(r"^(db|tx|trx|database|\w*Db|\w*DB|\w*Tx|\w*db|\w*tx)$")
DB_EXACT = re.compile(r"^(db|tx|trx|database)$")  # for .delete: `byDb.delete(key)` is a Map


def strip_comments(src):
    """Blanks // and /* */ comments (keeping newlines), leaving strings and code untouched."""
    out = list(src)
    i, n = 0, len(src)
    tmpl_depth = []  # brace depth at which each open `...${ started
    brace = 0
    while i < n:
        m = INTERESTING.search(src, i)
        if not m:
            break
        i = m.start()
        c = src[i]
        if c in "'\"":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
        elif c == "`" or (c == "}" and tmpl_depth and tmpl_depth[-1] == brace):
            if c == "}":
                tmpl_depth.pop()
            j = i + 1
            while j < n and src[j] != "`":
                if src[j] == "\\":
                    j += 2
                    continue
                if src.startswith("${", j):
                    tmpl_depth.append(brace)
                    j += 1
                    break
                j += 1
            i = j + 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        else:  # '{', '}' or a '/' that starts no comment
            if c == "{":
                brace += 1
            elif c == "}":
                brace -= 1
            i += 1
    return "".join(out)


INTERESTING = re.compile(r"['\"`/{}]")


def skip_balanced(s, i):
    """s[i] is an opening bracket; returns the index after its match (or len(s))."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    n = len(s)
    while i < n:
        c = s[i]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if stack and stack[-1] == c:
                stack.pop()
            if not stack:
                return i + 1
        elif c in "'\"`":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == "\\" else 1
            i = j
        i += 1
    return n


WS = re.compile(r"\s*")
SELECT = re.compile(r"\.\s*(select|selectDistinct|selectDistinctOn)\s*(<[^()]*?>)?\s*\(")
NAME_ARG = r"\(\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\)"
INSERT = re.compile(r"\.\s*insert\s*" + NAME_ARG + r"\s*\.\s*(values|select)\s*\(")
UPDATE = re.compile(r"\.\s*update\s*" + NAME_ARG + r"\s*\.\s*set\s*\(")
DELETE = re.compile(r"\.\s*delete\s*" + NAME_ARG + r"(\s*\.\s*(where|returning)\s*\()?")
RELATIONAL = re.compile(r"\.\s*query\s*\.\s*[A-Za-z_$][\w$]*\s*\.\s*(findMany|findFirst)\s*\(")
EXECUTE = re.compile(r"\.\s*execute\s*(<[^()]*?>)?\s*\(\s*(sql\b)?")
PG_QUERY = re.compile(r"\.\s*query\s*(<[^()]*?>)?\s*\(\s*[`'\"]\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b",
                      re.IGNORECASE)


OTHER_DRIVER = re.compile(r"""from\s+['"](mssql|tedious|mysql2?(/[\w/]*)?|oracledb|sqlite3|better-sqlite3|"""
                          r"""@clickhouse/client[\w-]*|snowflake-sdk)['"]""")
RECEIVER = re.compile(r"([A-Za-z_$][\w$]*)\s*$")


def receiver(code, dot):
    """The identifier just before the `.` at offset `dot` ("" when it is `)` or `]`)."""
    m = RECEIVER.search(code[max(0, dot - 80):dot])
    return m.group(1) if m else ""


def find_sites(code):
    """Yields (kind, offset) for each call site in comment-stripped code."""
    for m in SELECT.finditer(code):
        end = skip_balanced(code, m.end() - 1)
        rest = code[end:end + 200]
        if re.match(r"\s*\.\s*from\s*\(", rest):
            yield "select", m.start() + 1
    for m in INSERT.finditer(code):
        yield "insert", m.start() + 1
    for m in UPDATE.finditer(code):
        yield "update", m.start() + 1
    for m in DELETE.finditer(code):
        if m.group(2) or DB_EXACT.match(receiver(code, m.start())):
            yield "delete", m.start() + 1
    for m in RELATIONAL.finditer(code):
        yield "relational", m.start() + 1
    for m in EXECUTE.finditer(code):
        if m.group(2) or DB_RECEIVER.match(receiver(code, m.start())):
            yield "execute", m.start() + 1
    for m in PG_QUERY.finditer(code) if not OTHER_DRIVER.search(code) else ():
        yield "pg-query", m.start() + 1


def ts_files(root):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
        for f in sorted(files):
            if f.endswith(EXTS) and not f.endswith(".d.ts"):
                yield os.path.join(d, f)


TEST_PATH = re.compile(r"(^|/)(__tests__|__mocks__|tests?|mocks?|e2e)/|\.(test|spec)\.[cm]?tsx?$")


def group_of(rel):
    """Top-level directory; two levels for the usual monorepo folders (apps/x, packages/x)."""
    parts = rel.split("/")
    if len(parts) > 2 and parts[0] in ("apps", "packages", "libs", "services", "modules"):
        return parts[0] + "/" + parts[1]
    return parts[0] if len(parts) > 1 else "."


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    kinds = collections.Counter()
    in_tests = 0
    groups = collections.defaultdict(collections.Counter)
    sites = []
    nfiles = 0
    for path in ts_files(a.dir):
        nfiles += 1
        rel = os.path.relpath(path, a.dir)
        with open(path, encoding="utf-8", errors="replace") as f:
            src = f.read()
        code = strip_comments(src)
        for kind, off in sorted(set(find_sites(code)), key=lambda x: x[1]):
            line = code.count("\n", 0, off) + 1
            kinds[kind] += 1
            groups[group_of(rel)][kind] += 1
            sites.append((rel, line, kind))
            in_tests += bool(TEST_PATH.search(rel))
    total = sum(kinds.values())

    if a.json:
        json.dump({"files": nfiles, "total": total, "in_tests": in_tests, "kinds": {k: kinds[k] for k in KINDS},
                   "groups": {g: dict(c) for g, c in sorted(groups.items())}}, sys.stdout, indent=1)
        print()
        return
    if a.list:
        for rel, line, kind in sites:
            text = open(os.path.join(a.dir, rel), encoding="utf-8", errors="replace").read().split("\n")
            print(f"{rel}:{line}: {kind}: {text[line - 1].strip()[:120]}")
        return
    if a.sample:
        rnd = random.Random(a.seed)
        for rel, line, kind in rnd.sample(sites, min(a.sample, len(sites))):
            text = open(os.path.join(a.dir, rel), encoding="utf-8", errors="replace").read().split("\n")
            print(f"== {rel}:{line}: {kind}")
            for k in range(max(0, line - 2), min(len(text), line + 2)):
                print(f"   {k + 1:5d} {text[k][:140]}")
        return
    print(f"{nfiles} TypeScript files, {total} call sites ({in_tests} of them in test/mock files)")
    for k in KINDS:
        print(f"  {k:<11} {kinds[k]:6d}")
    print("by directory:")
    w = max([len(g) for g in groups] + [5])
    print(f"  {'dir':<{w}} {'total':>6} " + " ".join(f"{k:>10}" for k in KINDS))
    for g, c in sorted(groups.items(), key=lambda x: -sum(x[1].values())):
        print(f"  {g:<{w}} {sum(c.values()):6d} " + " ".join(f"{c[k]:10d}" for k in KINDS))


if __name__ == "__main__":
    main()
