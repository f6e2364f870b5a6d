#!/usr/bin/env python3
"""Data for bench/realworld/GAPS.md: what a real monorepo asks of querylens' module resolution and
migration discovery. Reads the extracted projects only; prints Markdown-ish text.

  imports     every non-relative import/export-from/import()/require() specifier of the .ts/.tsx
              files (same walk as count_sites.py), grouped by prefix, each prefix with its
              resolution source: the tsconfig `paths` pattern that matches it (nearest
              tsconfig.json of the importing file, `extends` followed inside the repository), else
              the workspace package of that name (package.json `workspaces` / pnpm-workspace.yaml)
              with the `exports` key used and the file it leads to, else "external" (npm).
  drizzle     drizzle.config.* files and what they declare (schema, out, dialect, casing, ...).
  migrations  folders with .sql migrations: meta/_journal.json present? .sql files the journal
              does not list, journal entries without a file.
  parse       parse-error findings of a `querylens check --format json` output (run.py writes
              them), each with its class (PARSE_CLASSES, by simple tests on the source around the
              error) and source line, then the counts per class with one example each.

  missed      files where count_sites.py finds more call sites than the inventory has TS queries,
              and where the root identifier of those chains (db, tx, ...) comes from.

Usage: gaps.py imports|drizzle|migrations PROJECT_DIR [--top N] [--tsv]
       gaps.py parse PROJECT_DIR CHECK_JSON
       gaps.py missed PROJECT_DIR INVENTORY_JSON
"""
import argparse
import collections
import fnmatch
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from count_sites import strip_comments, ts_files, SKIP_DIRS  # noqa: E402

SPEC = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1""", re.M)


MODULE_LIKE = re.compile(r"^[\w@~#.$][^\s,;'\"`]*$")


def load_jsonc(path):
    """tsconfig.json / package.json with comments and trailing commas."""
    s = strip_comments(open(path, encoding="utf-8", errors="replace").read())
    s = re.sub(r",(\s*[}\]])", r"\1", s)
    return json.loads(s)


# ---------------------------------------------------------------- workspace packages

def workspace_packages(root):
    """name -> (dir relative to root, package.json dict), from package.json workspaces and pnpm."""
    globs = []
    try:
        ws = load_jsonc(os.path.join(root, "package.json")).get("workspaces", [])
        globs += ws.get("packages", []) if isinstance(ws, dict) else ws
    except (OSError, ValueError):
        pass
    pnpm = os.path.join(root, "pnpm-workspace.yaml")
    if os.path.exists(pnpm):
        inside = False
        for line in open(pnpm):
            if re.match(r"^packages\s*:", line):
                inside = True
                continue
            if inside:
                m = re.match(r"^\s*-\s*['\"]?([^'\"#]+?)['\"]?\s*$", line)
                if m:
                    globs.append(m.group(1))
                elif line.strip() and not line.startswith((" ", "\t", "#")):
                    inside = False
    pkgs = {}
    for g in globs:
        if g.startswith("!"):
            continue
        for d in sorted(glob.glob(os.path.join(root, g))):
            pj = os.path.join(d, "package.json")
            if os.path.isfile(pj):
                try:
                    data = load_jsonc(pj)
                except ValueError:
                    continue
                if data.get("name"):
                    pkgs[data["name"]] = (os.path.relpath(d, root), data)
    return pkgs, globs


def export_target(value):
    """The first file a (possibly conditional) exports value names: types/import/default/..."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for v in value:
            t = export_target(v)
            if t:
                return t
    if isinstance(value, dict):
        for k in ("types", "import", "default", "require", "node", "bun"):
            if k in value:
                t = export_target(value[k])
                if t:
                    return t
        for v in value.values():
            t = export_target(v)
            if t:
                return t
    return None


def resolve_exports(pkg, sub):
    """(exports key used, target) for ./sub of a package.json, or (None, None)."""
    ex = pkg.get("exports")
    key = "." if not sub else "./" + sub
    if ex is None:
        if not sub:
            return "(main)", pkg.get("types") or pkg.get("main") or "index"
        return "(no exports map: file path)", "./" + sub
    if isinstance(ex, (str, list)) or (isinstance(ex, dict) and not any(k.startswith(".") for k in ex)):
        return ((".", export_target(ex)) if not sub else (None, None))
    if key in ex:
        return key, export_target(ex[key])
    for k, v in ex.items():  # wildcard keys "./*", "./db/*"
        if "*" in k:
            pre, post = k.split("*", 1)
            if key.startswith(pre) and key.endswith(post) and len(key) >= len(pre) + len(post):
                star = key[len(pre):len(key) - len(post)]
                t = export_target(v)
                return k, t.replace("*", star) if t else None
    return None, None


# ---------------------------------------------------------------- tsconfig paths

class TsConfigs:
    def __init__(self, root, pkgs):
        self.root, self.pkgs, self.cache = root, pkgs, {}

    def nearest(self, rel_dir):
        d = rel_dir
        while True:
            p = os.path.join(self.root, d, "tsconfig.json")
            if os.path.isfile(p):
                return os.path.relpath(p, self.root)
            if d in ("", "."):
                return None
            d = os.path.dirname(d)

    def resolve_extends(self, base_dir, ext):
        if ext.startswith("."):
            p = os.path.normpath(os.path.join(base_dir, ext))
            return p if p.endswith(".json") or not os.path.isdir(p) else os.path.join(p, "tsconfig.json")
        # a package: workspace package name + subpath
        parts = ext.split("/")
        n = 2 if ext.startswith("@") else 1
        name, sub = "/".join(parts[:n]), "/".join(parts[n:])
        if name in self.pkgs:
            return os.path.join(self.root, self.pkgs[name][0], sub or "tsconfig.json")
        return None

    def paths(self, rel):
        """(paths dict, dir the paths are relative to, [tsconfig chain]) for a tsconfig, following extends."""
        if rel in self.cache:
            return self.cache[rel]
        chain, paths, base = [], None, None
        p = os.path.join(self.root, rel)
        seen = set()
        while p and p not in seen and os.path.isfile(p if p.endswith(".json") else p + ".json"):
            p = p if p.endswith(".json") else p + ".json"
            seen.add(p)
            chain.append(os.path.relpath(p, self.root))
            try:
                data = load_jsonc(p)
            except ValueError:
                break
            co = data.get("compilerOptions", {})
            if paths is None and "paths" in co:
                paths = co["paths"]
                base = os.path.join(os.path.dirname(p), co.get("baseUrl", "."))
            ext = data.get("extends")
            if isinstance(ext, list):
                ext = ext[0] if ext else None
            p = self.resolve_extends(os.path.dirname(p), ext) if ext else None
            if ext and not p:
                chain.append(f"{ext} (outside the repository)")
        self.cache[rel] = (paths or {}, base, chain)
        return self.cache[rel]


def match_paths(paths, spec):
    """The most specific pattern of `paths` matching spec: (pattern, first target) or None."""
    best = None
    for pat, targets in paths.items():
        if "*" in pat:
            pre, post = pat.split("*", 1)
            if spec.startswith(pre) and spec.endswith(post) and len(spec) >= len(pre) + len(post):
                star = spec[len(pre):len(spec) - len(post)]
                if best is None or len(pre) > best[2]:
                    best = (pat, targets[0].replace("*", star) if targets else None, len(pre))
        elif pat == spec:
            best = (pat, targets[0] if targets else None, 10 ** 6)
    return best[:2] if best else None


def file_exists(root, base):
    """base (relative to root) as a module: itself, + .ts/.tsx/..., or /index.*."""
    for c in [base] + [base + e for e in (".ts", ".tsx", ".d.ts", ".js", ".mjs", ".json")] + \
             [os.path.join(base, "index" + e) for e in (".ts", ".tsx", ".js")]:
        if os.path.isfile(os.path.join(root, c)):
            return c
    if base.endswith(".js"):  # TS ESM style: ./x.js means ./x.ts
        return file_exists(root, base[:-3]) if not base.endswith("index.js") else None
    return None


def prefix_of(spec):
    parts = spec.split("/")
    if spec.startswith("@/") or spec.startswith("~/") or spec.startswith("#"):
        return "/".join(parts[:2]) if len(parts) > 1 else parts[0]
    if spec.startswith("@"):
        return "/".join(parts[:3]) if len(parts) > 2 else "/".join(parts[:2])
    return "/".join(parts[:2]) if len(parts) > 1 else parts[0]


def cmd_imports(root, top, tsv=False):
    pkgs, globs = workspace_packages(root)
    tsc = TsConfigs(root, pkgs)
    counts = collections.Counter()
    how = {}
    examples = {}
    files_with = collections.defaultdict(set)
    total = relative = 0
    for path in ts_files(root):
        rel = os.path.relpath(path, root)
        code = strip_comments(open(path, encoding="utf-8", errors="replace").read())
        for m in SPEC.finditer(code):
            spec = m.group(2)
            if not MODULE_LIKE.match(spec):  # `from '...'` inside a string or SQL text
                continue
            total += 1
            if spec.startswith("."):
                relative += 1
                continue
            cfg = tsc.nearest(os.path.dirname(rel))
            paths, base, chain = tsc.paths(cfg) if cfg else ({}, None, [])
            hit = match_paths(paths, spec)
            if hit:
                target = os.path.relpath(os.path.normpath(os.path.join(base, hit[1])), root) if hit[1] else None
                found = file_exists(root, target) if target else None
                src = f"paths `{hit[0]}` of {chain[0] if chain else cfg}" + \
                      (f" (via extends {' -> '.join(chain[1:])})" if len(chain) > 1 and chain[0] != cfg else "")
                kind = "tsconfig-paths"
            else:
                parts = spec.split("/")
                n = 2 if spec.startswith("@") and len(parts) > 1 else 1
                name, sub = "/".join(parts[:n]), "/".join(parts[n:])
                if name in pkgs:
                    d, data = pkgs[name]
                    key, t = resolve_exports(data, sub)
                    found = file_exists(root, os.path.normpath(os.path.join(d, t))) if t else None
                    src = f"workspace {name} = {d}/, exports `{key}`" if key else \
                          f"workspace {name} = {d}/, NOT in its exports map"
                    kind = "workspace"
                else:
                    src, kind, found = "external (npm)", "external", None
            p = prefix_of(spec)
            counts[p] += 1
            files_with[p].add(rel)
            how.setdefault(p, collections.Counter())[(kind, src)] += 1
            if found or (p, kind, src) not in examples:
                examples.setdefault((p, kind, src), found or "-")
    internal = {p: c for p, c in counts.items() if any(k[0] != "external" for k in how[p])}
    if not tsv:
        print(f"{total} specifiers, {relative} relative, {total - relative} not relative "
              f"({sum(internal.values())} resolved inside the repository, "
              f"{total - relative - sum(internal.values())} external)")
        print(f"workspace globs: {globs}; packages: " + ", ".join(f"{n}={d}" for n, (d, _) in sorted(pkgs.items())))
    if tsv:
        for p, c in sorted(internal.items(), key=lambda x: -x[1]):
            srcs = how[p].most_common()
            print("\t".join([p, str(c), str(len(files_with[p])),
                             " | ".join(f"{n}x {src} -> {examples[(p, k, src)]}" for (k, src), n in srcs[:3])]))
        return
    print(f"\ntop {top} in-repository prefixes (count, files, resolution -> example file):")
    for p, c in sorted(internal.items(), key=lambda x: -x[1])[:top]:
        srcs = how[p].most_common()
        (kind, src), n = srcs[0]
        print(f"  {c:6d} {len(files_with[p]):5d}  {p:<30} {src} -> e.g. {examples[(p, kind, src)]}")
        for (kind2, src2), n2 in srcs[1:4]:
            print(f"  {'':12} {'':<30} also {n2}x: {src2} -> e.g. {examples[(p, kind2, src2)]}")
    ext = {p: c for p, c in counts.items() if p not in internal}
    print(f"\ntop 15 external prefixes: " + ", ".join(f"{p} {c}" for p, c in sorted(ext.items(), key=lambda x: -x[1])[:15]))
    db = {p: c for p, c in counts.items() if re.search(r"drizzle|postgres|^pg$|^pg/|kysely|neon", p)}
    print("database-related external prefixes: " + ", ".join(f"{p} {c}" for p, c in sorted(db.items(), key=lambda x: -x[1])))


# ---------------------------------------------------------------- drizzle configs

def walk(root, pred):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
        for f in sorted(files):
            if pred(f):
                yield os.path.join(d, f)


def cmd_drizzle(root):
    for p in walk(root, lambda f: re.match(r"drizzle\.config(\.[\w-]+)?\.(ts|js|mjs|cjs|mts|json)$", f)):
        rel = os.path.relpath(p, root)
        code = strip_comments(open(p, encoding="utf-8", errors="replace").read())
        fields = {}
        for k in ("schema", "out", "dialect", "driver", "casing", "schemaFilter", "tablesFilter", "strict",
                  "migrations", "breakpoints", "prefix", "table"):
            m = re.search(r"\b" + k + r"\s*:\s*(\[[^\]]*\]|\{[^}]*\}|[`'\"][^`'\"]*[`'\"]|[\w.$()]+)", code)
            if m:
                fields[k] = re.sub(r"\s+", " ", m.group(1))
        # drizzle-kit resolves schema/out against its working directory: the package directory
        # (nearest package.json) when run from a package script, not the config's directory.
        pkg = os.path.dirname(p)
        while pkg.startswith(root) and not os.path.isfile(os.path.join(pkg, "package.json")):
            pkg = os.path.dirname(pkg)
        notes = []
        for k in ("schema", "out"):
            for s in re.findall(r"[`'\"]([^`'\"]+)[`'\"]", fields.get(k, "")):
                where = [n for n, b in (("config dir", os.path.dirname(p)), ("package dir", pkg))
                         if glob.glob(os.path.join(b, s))]
                notes.append(f"{k} {s}: " + (" and ".join(where) if where else "NOT FOUND"))
        print(f"{rel}: " + "; ".join(f"{k}={v}" for k, v in fields.items())
              + f"\n    package dir {os.path.relpath(pkg, root)}; " + "; ".join(notes))


    # casing can also be set on the runtime client: drizzle(client, { casing: "snake_case" })
    for p in ts_files(root):
        code = strip_comments(open(p, encoding="utf-8", errors="replace").read())
        if re.search(r"\bdrizzle\s*\(", code):
            m = re.search(r"\bcasing\s*:\s*([`'\"][\w-]+[`'\"])", code)
            print(f"client: {os.path.relpath(p, root)} calls drizzle(...)" + (f" with casing {m.group(1)}" if m else ""))
    unnamed = named = 0
    for p in ts_files(root):
        code = strip_comments(open(p, encoding="utf-8", errors="replace").read())
        if "pgTable" not in code:
            continue
        unnamed += len(re.findall(r"[\w$]+\s*:\s*(?:uuid|text|varchar|integer|bigint|boolean|timestamp|date|jsonb?|numeric|"
                                  r"doublePrecision|real|serial|bigserial|smallint|char|interval|time)\(\s*[)\{]", code))
        named += len(re.findall(r"[\w$]+\s*:\s*(?:uuid|text|varchar|integer|bigint|boolean|timestamp|date|jsonb?|numeric|"
                                r"doublePrecision|real|serial|bigserial|smallint|char|interval|time)\(\s*[`'\"]", code))
    print(f"pgTable columns (common types): {named} with an explicit SQL name, {unnamed} without (name from the key + casing)")


# ---------------------------------------------------------------- migrations

def cmd_migrations(root):
    dirs = collections.defaultdict(list)
    for p in walk(root, lambda f: f.endswith(".sql")):
        dirs[os.path.dirname(p)].append(os.path.basename(p))
    for d in sorted(dirs):
        rel = os.path.relpath(d, root)
        sqls = sorted(dirs[d])
        j = os.path.join(d, "meta", "_journal.json")
        if os.path.isfile(j):
            entries = load_jsonc(j).get("entries", [])
            tags = [e.get("tag") for e in entries]
            listed = {t + ".sql" for t in tags}
            extra = [f for f in sqls if f not in listed]
            missing = [t for t in tags if t + ".sql" not in sqls]
            idx = [e.get("idx") for e in entries]
            gaps = sorted(set(range(max(idx, default=-1) + 1)) - set(idx))
            dup_prefix = collections.Counter(f.split("_")[0] for f in sqls if re.match(r"\d+_", f))
            dups = sorted(k for k, v in dup_prefix.items() if v > 1)
            snaps = len(glob.glob(os.path.join(d, "meta", "*_snapshot.json")))
            print(f"{rel}: {len(sqls)} .sql, journal {len(entries)} entries (idx {min(idx, default=None)}.."
                  f"{max(idx, default=None)}, ordered={idx == sorted(idx)}, missing idx {gaps}), {snaps} snapshots; "
                  f"not in journal: {len(extra)} {extra[:8]}{'...' if len(extra) > 8 else ''}; "
                  f"journal without file: {missing[:8]}; repeated number prefixes: {dups[:10]}"
                  f"{'...' if len(dups) > 10 else ''}")
        else:
            print(f"{rel}: {len(sqls)} .sql, no meta/_journal.json ({', '.join(sqls[:4])}{'...' if len(sqls) > 4 else ''})")


# ---------------------------------------------------------------- missed call sites

IMPORT_NAMES = re.compile(r"""\bimport\s+(?:type\s+)?([\w$]+\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*from\s*['"]([^'"]+)['"]""")


TABLE_ARG = re.compile(r"\.\s*(?:from|insert|update|delete)\s*\(\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)?)\s*\)")


def cmd_missed(root, inventory_json):
    """Files where count_sites finds more call sites than the inventory has TS queries, and where
    the database handle those files use comes from (an import, or nothing: a parameter/local)."""
    from count_sites import find_sites, DB_RECEIVER, receiver
    inv = collections.Counter(q["location"]["file"] for q in json.load(open(inventory_json))["queries"]
                              if q["origin"] != "sql-statement")
    by_source = collections.Counter()
    by_source_files = collections.defaultdict(set)
    roots = collections.Counter()
    tables = collections.Counter()
    tables_files = collections.defaultdict(set)
    missed_total = files_missed = 0
    for path in ts_files(root):
        rel = os.path.relpath(path, root)
        code = strip_comments(open(path, encoding="utf-8", errors="replace").read())
        sites = sorted(set(find_sites(code)), key=lambda x: x[1])
        missed = len(sites) - inv.get(rel, 0)
        if not sites or missed <= 0:
            continue
        files_missed += 1
        missed_total += missed
        imported = {}
        for m in IMPORT_NAMES.finditer(code):
            names = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
            for n in re.split(r"[,\s]+", " ".join(names)):
                n = n.strip()
                if n and n not in ("type", "as"):
                    imported[n] = m.group(4)
            for a, b in re.findall(r"([\w$]+)\s+as\s+([\w$]+)", m.group(2) or ""):
                imported[b] = m.group(4)
        # chain roots of the sites: the identifier that starts the statement holding the call
        used = collections.Counter()
        for _, off in sites:
            start = code.rfind("\n", 0, off)
            seg = code[max(0, off - 400):off]
            m = re.search(r"(?:await|return|=|\(|,|=>)\s*([\w$.]+?)\s*(?:\.\s*[\w$]+\s*)?$", seg.rstrip(". \n\t"))
            r = receiver(code, code.rfind(".", 0, off + 1)) if code[off - 1:off] == "." else ""
            root_name = (m.group(1).split(".")[0] if m else r) or r
            used[root_name] += 1
        for m in TABLE_ARG.finditer(code):
            x = m.group(1).split(".")[0]
            src = imported.get(x)
            if src is None:
                k = "not imported (declared in the file or a parameter)"
            elif src.startswith("."):
                k = "relative import"
            else:
                k = f"import from {src}"
            tables[k] += 1
            tables_files[k].add(rel)
        for name, n in used.items():
            roots[name if DB_RECEIVER.match(name or "") else "(other name)"] += n
            src = imported.get(name)
            key = f"import {name} from {src}" if src else f"{name}: not imported (parameter, local or this.)"
            by_source[key] += min(n, missed)
            by_source_files[key].add(rel)
    print(f"{files_missed} files with {missed_total} call sites more than the inventory has")
    print("table identifiers of their builder calls (.from(X)/.insert(X)/.update(X)/.delete(X)), by where X is imported from:")
    for k, v in tables.most_common(15):
        print(f"  {v:6d} {len(tables_files[k]):5d}  {k}")
    print("chain roots of their call sites: " + ", ".join(f"{k} {v}" for k, v in roots.most_common(12)))
    print("where those roots come from (sites, files):")
    for k, v in by_source.most_common(20):
        print(f"  {v:6d} {len(by_source_files[k]):5d}  {k}")


# ---------------------------------------------------------------- parse errors

PARSE_CLASSES = [
    # (class id, description) in the order they are tried; see classify() for the tests
    ("ts-import-type-in-type-args", "`typeof import('m')` or `import('m').T` inside type arguments "
                                    "(vitest importOriginal<typeof import(...)>(), Promise<import(...).T>)"),
    ("ts-tagged-template-type-args", "tagged template with type arguments: sql<T>`...`, tx<Row[]>`...`"),
    ("ts-export-type-star", "`export type * from '...'` (TypeScript 5.0)"),
    ("ts-asi-before-in", "no automatic semicolon before a line starting with `in` + non-letter "
                         "(members named in, in_x, in?: in a type without ; or ,)"),
    ("tsx-amp-in-attribute", "bare & inside a JSX attribute string (href=\"...?a=1&b=2\", src='/b&w.svg')"),
    ("tsx-amp-in-text", "bare & in JSX text (Terms & Conditions)"),
    ("ts-member-named-abstract", "interface member named `abstract`"),
    ("sql-order-by-fragment", "sql`` fragment that is an ORDER BY item (expr ASC/DESC) parsed as a statement"),
    ("sql-interpolated-table", "${table} interpolated where SQL needs a name (FROM/UPDATE/JOIN/INTO ${t}) "
                               "becomes a $n parameter"),
    ("sql-interpolated-fragment", "${fragment} interpolated SQL text (a WHERE/VALUES/ORDER clause built "
                                  "elsewhere) becomes a $n parameter"),
    ("sql-file", "error in a .sql file"),
    ("follow-on", "unclassified error within 15 lines after a classified one in the same file (recovery)"),
    ("other", "not classified"),
]


def classify(f, lines):
    """The PARSE_CLASSES id of one parse-error finding; lines = the file's lines."""
    msg, ln = f["message"], f["line"]
    at = lambda i: lines[i - 1] if 0 < i <= len(lines) else ""  # noqa: E731
    near = "\n".join(at(i) for i in range(ln - 3, ln + 2))
    if f["file"].endswith(".sql"):
        return "sql-file"
    if msg.startswith("SQL in TypeScript"):
        if re.search(r'at or near "(ASC|DESC)"', msg):
            return "sql-order-by-fragment"
        m = re.search(r'at or near "\$\d+"', msg)
        if m:
            ctx = "\n".join(at(i) for i in range(ln - 1, ln + 1))
            if re.search(r"\b(FROM|UPDATE|JOIN|INTO)\s*\$\{\s*[\w.]+\s*\}", ctx, re.I):
                return "sql-interpolated-table"
            return "sql-interpolated-fragment"
        return "other"
    text = "\n".join(lines)
    if (re.search(r"typeof\s+import\s*\(|<\s*import\s*\(|^\s*import\s*\(['\"][^'\"]+['\"]\)\.\w+<", near, re.M)
            or (ln == 1 and "typeof import(" in text)):
        return "ts-import-type-in-type-args"
    if "missing !" in msg or re.search(r"[\w\]]\s*>`", near):
        return "ts-tagged-template-type-args"
    if re.search(r"export\s+type\s+\*\s+from", at(ln)):
        return "ts-export-type-star"
    if any(re.match(r"\s*in[^A-Za-z]", at(i)) for i in (ln, ln + 1)):
        return "ts-asi-before-in"
    if re.match(r"\s*abstract\s*:", at(ln)):
        return "ts-member-named-abstract"
    if f["file"].endswith(".tsx") and "&" in at(ln):
        if re.search(r"""=\s*(["'])[^"']*&""", at(ln)):
            return "tsx-amp-in-attribute"
        return "tsx-amp-in-text"
    return "other"


def cmd_parse(root, check_json, verbose=True):
    fs = [f for f in json.load(open(check_json))["findings"] if f["rule"] == "parse-error"]
    counts, example, files = collections.Counter(), {}, collections.defaultdict(set)
    last = {}  # file -> line of the last classified finding
    for f in sorted(fs, key=lambda f: (f["file"], f["line"], f["column"])):
        try:
            lines = open(os.path.join(root, f["file"]), encoding="utf-8", errors="replace").read().split("\n")
        except OSError:
            lines = []
        c = classify(f, lines)
        if c == "other" and f["file"] in last and f["line"] - last[f["file"]] <= 15:
            c = "follow-on"
        elif c != "other":
            last[f["file"]] = f["line"]
        counts[c] += 1
        files[c].add(f["file"])
        example.setdefault(c, f"{f['file']}:{f['line']}")
        if verbose:
            line = lines[f["line"] - 1] if 0 < f["line"] <= len(lines) else "?"
            print(f"{c:<30} {f['file']}:{f['line']}:{f['column']}: {f['message'][:70]}\n      {line.strip()[:140]}")
    print(f"\n{len(fs)} parse-error findings in {len({f['file'] for f in fs})} files:")
    desc = dict(PARSE_CLASSES)
    for c, n in counts.most_common():
        print(f"  {n:4d} in {len(files[c]):3d} files  {c:<30} e.g. {example[c]}   ({desc[c]})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["imports", "drizzle", "migrations", "parse", "missed"])
    ap.add_argument("dir")
    ap.add_argument("check_json", nargs="?")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--summary", action="store_true", help="parse: only the counts per class")
    ap.add_argument("--tsv", action="store_true", help="imports: every in-repository prefix as TSV "
                    "(prefix, count, files, top resolutions)")
    a = ap.parse_args()
    if a.what == "imports":
        cmd_imports(a.dir, a.top, a.tsv)
    elif a.what == "drizzle":
        cmd_drizzle(a.dir)
    elif a.what == "missed":
        cmd_missed(a.dir, a.check_json)
    elif a.what == "migrations":
        cmd_migrations(a.dir)
    else:
        cmd_parse(a.dir, a.check_json, not a.summary)


if __name__ == "__main__":
    main()
