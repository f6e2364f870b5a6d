#!/usr/bin/env python3
"""querylens vs squawk on the same migration files: per-class counts side by side, the hits one
tool has and the other lacks, and the time ratio.

Usage: bench/migrations/compare.py QUERYLENS SQUAWK DIR [DIR...] [--list CLASS] [--runs N] [--json OUT]

SQUAWK is the squawk binary (npm squawk-cli@2.61.0: node_modules/.bin/squawk). Each DIR is a migration
directory (its *.sql files, in natural order; a drizzle-kit meta/_journal.json is honoured by
querylens, squawk reads every file). squawk runs with --pg-version=15 and, for drizzle-kit
directories, --assume-in-transaction (the runner wraps files in a transaction).
A hit is (file, line, class). Classes are querylens rule ids; squawk rules map onto them below
(constraint-missing-not-valid on a FOREIGN KEY is the same hazard as adding-foreign-key-constraint).
squawk rules with no querylens counterpart (prefer-*, require-statement-timeout, ban-drop-not-null,
require-enum-value-ordering, transaction-nesting, prefer-robust-stmts) are counted as "other".
require-lock-timeout is per statement in squawk and per file in querylens: compared per file.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

SQUAWK_TO_QL = {
    "adding-foreign-key-constraint": "adding-foreign-key-constraint",
    "adding-not-nullable-field": "adding-not-nullable-field",
    "changing-column-type": "changing-column-type",
    "adding-required-field": "adding-required-field",
    "adding-field-with-default": "adding-field-with-volatile-default",
    "require-concurrent-index-creation": "non-concurrent-index",
    "require-concurrent-index-deletion": "require-concurrent-index-deletion",
    "disallowed-unique-constraint": "disallowed-unique-constraint",
    "identifier-too-long": "identifier-too-long",
    "ban-drop-column": "ban-drop-column",
    "ban-drop-table": "ban-drop-table",
    "renaming-column": "renaming-column",
    "renaming-table": "renaming-table",
    "adding-serial-primary-key-field": "adding-serial-primary-key-field",
    "require-lock-timeout": "require-lock-timeout",
    "adding-primary-key-constraint": "adding-serial-primary-key-field",
}


def natural_key(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def sql_files(d):
    return sorted((os.path.join(d, f) for f in os.listdir(d) if f.endswith(".sql")), key=natural_key)


def statement_text(path, line):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""
    except OSError:
        return ""


def run_squawk(squawk, d):
    files = sql_files(d)
    args = [squawk, "--pg-version=15", "--reporter=gcc"]
    if any("--> statement-breakpoint" in open(f, encoding="utf-8", errors="replace").read() for f in files):
        args.append("--assume-in-transaction")
    t0 = time.perf_counter()
    out = subprocess.run(args + files, capture_output=True, text=True).stdout
    dt = time.perf_counter() - t0
    hits = []
    for m in re.finditer(r"^(.*?):(\d+):(\d+): (?:warning|error): ([a-z0-9-]+) ", out, re.M):
        path, line, rule = m.group(1), int(m.group(2)) + 1, m.group(4)  # squawk's gcc lines are 0-based
        cls = SQUAWK_TO_QL.get(rule, "other:" + rule)
        if rule == "constraint-missing-not-valid":
            text = " ".join(statement_text(path, l) for l in range(line, line + 3)).upper()
            # squawk reports a UNIQUE or PRIMARY KEY constraint under this rule too (and again under its own rule)
            cls = ("adding-foreign-key-constraint" if "FOREIGN KEY" in text or "REFERENCES" in text else
                   "disallowed-unique-constraint" if "UNIQUE" in text else
                   "adding-serial-primary-key-field" if "PRIMARY KEY" in text else "constraint-missing-not-valid")
        hits.append((os.path.abspath(path), line, cls))
    return hits, dt, len(files), sum(os.path.getsize(f) for f in files)


def run_querylens(ql, d):
    t0 = time.perf_counter()
    out = subprocess.run([ql, "check", d, "--format", "json", "--fail-on", "never", "--root", "/"],
                         capture_output=True, text=True).stdout
    dt = time.perf_counter() - t0
    data = json.loads(out)
    hits = []
    for f in data["findings"]:
        loc = f["location"] if "location" in f else f
        path = "/" + loc["file"] if not loc["file"].startswith("/") else loc["file"]
        hits.append((os.path.abspath(path), loc["line"], f["rule"]))
    return hits, dt


_ends = {}


def statement_end(path, line):
    """The line of the `;` that ends the statement containing `line`: both tools' hits on one
    statement (they report different lines of a multi-line ALTER) compare equal."""
    if path not in _ends:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                _ends[path] = [l.split("--")[0] for l in f.read().split("\n")]
        except OSError:
            _ends[path] = []
    lines = _ends[path]
    for i in range(max(line, 1), len(lines) + 1):
        if ";" in lines[i - 1]:
            return i
    return line


def by_class(hits, per_file_classes=("require-lock-timeout",)):
    out = collections.defaultdict(set)
    for path, line, cls in hits:
        out[cls].add((path, 0) if cls in per_file_classes else (path, statement_end(path, line)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("querylens")
    ap.add_argument("squawk")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--list", help="print the hits of one class that only one tool has")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    summary = {}
    for d in a.dirs:
        qt, st = [], []
        for _ in range(a.runs):
            qh, t = run_querylens(a.querylens, d)
            qt.append(t)
            sh, t, nfiles, nbytes = run_squawk(a.squawk, d)
            st.append(t)
        q, s = by_class(qh), by_class(sh)
        classes = sorted(set(q) | set(s), key=lambda c: (c.startswith("other:"), c))
        print(f"== {d}: {nfiles} files, {nbytes / 1e6:.2f} MB")
        print(f"{'class':40} {'querylens':>9} {'squawk':>7} {'both':>5} {'only-ql':>8} {'only-sq':>8}")
        rows = {}
        for c in classes:
            if c.startswith("other:") or (c not in SQUAWK_TO_QL.values() and c not in ("constraint-missing-not-valid", "concurrent-index-in-transaction")):
                if c.startswith("other:"):
                    rows[c] = {"squawk": len(s[c])}
                    print(f"{c:40} {'-':>9} {len(s[c]):>7}")
                continue
            both = q[c] & s[c]
            rows[c] = {"querylens": len(q[c]), "squawk": len(s[c]), "both": len(both),
                       "only_querylens": len(q[c] - s[c]), "only_squawk": len(s[c] - q[c])}
            print(f"{c:40} {len(q[c]):>9} {len(s[c]):>7} {len(both):>5} {len(q[c] - s[c]):>8} {len(s[c] - q[c]):>8}")
            if a.list == c:
                for p, l in sorted(q[c] - s[c]):
                    print(f"   only querylens {p}:{l}: {statement_text(p, l)[:110]}")
                for p, l in sorted(s[c] - q[c]):
                    print(f"   only squawk    {p}:{l}: {statement_text(p, l)[:110]}")
        qm, sm = sorted(qt)[len(qt) // 2], sorted(st)[len(st) // 2]
        print(f"time (median of {a.runs}): querylens {qm * 1000:.0f} ms, squawk {sm * 1000:.0f} ms, "
              f"ratio querylens/squawk {qm / sm:.2f}; per MB: querylens {qm / (nbytes / 1e6) * 1000:.0f} ms, squawk {sm / (nbytes / 1e6) * 1000:.0f} ms")
        summary[d] = {"classes": rows, "querylens_s": qm, "squawk_s": sm, "bytes": nbytes, "files": nfiles}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    sys.exit(main())
