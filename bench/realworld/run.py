#!/usr/bin/env python3
"""Measures a querylens binary on the real projects of projects.tsv (a benchmark, not a test).

For each project extracted under REALWORLD_DIR (see extract.py) it runs, under GNU time
(/usr/bin/time -v, Debian package `time`):
    querylens inventory <dir> --root <dir> -o OUT/<name>.inventory.json [QL_ARGS]
    querylens check     <dir> --root <dir> --format json --fail-on never -o OUT/<name>.check.json [QL_ARGS]
and bench/realworld/count_sites.py <dir> --json, then prints per project:
  * TypeScript files (count_sites' walk) and files querylens read (check summary)
  * inventory queries by origin (drizzle, drizzle-relational, raw-sql from TypeScript;
    sql-statement = DML statements in .sql files), and by origin x kind
  * the plain count (count_sites total) and the ratio TS-inventory / plain count
  * per directory group (apps/x, packages/x): plain count vs TS-inventory queries
  * findings per rule; parse-error findings split into TypeScript syntax errors
    ("TypeScript syntax error: ..."), SQL in TypeScript ("SQL in TypeScript: ...") and
    errors in .sql files (any other parse-error message)
  * wall time, CPU time (user + system) and peak RSS of both commands (median of --runs runs,
    default 1). On a shared machine the wall time moves with the load; CPU time and RSS do not
    (much): compare those first, and the load average printed at the start.
and writes everything to OUT/summary.json (run.py --markdown OUT/summary.json prints the README
table from it).

Usage: bench/realworld/run.py QUERYLENS [--out DIR] [--only NAME,...] [--runs N] [-- QL_ARGS...]
       bench/realworld/run.py --markdown OUT/summary.json
Env:   REALWORLD_DIR (default /work/realworld). OUT defaults to /tmp/ql-realworld/<binary-mtime>.
The binary can be any build (a copy of an old one for the BEFORE figures); nothing is written
to the projects or to the repository.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TS_ORIGINS = ("drizzle", "drizzle-relational", "raw-sql")


def projects():
    with open(os.path.join(HERE, "projects.tsv")) as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def timed(cmd, tfile):
    """Runs cmd under /usr/bin/time -v; returns (exit status, wall s, peak RSS MiB, stderr tail, CPU s)."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    rss = cpu = 0.0
    with open(tfile) as f:
        for line in f:
            if line.strip().startswith(("User time", "System time")):
                cpu += float(line.split(":")[1])
            if "Maximum resident set size" in line:
                rss = int(line.split(":")[1]) / 1024
            m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", line)
            if m:
                wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    return p.returncode, wall, rss, p.stderr.decode(errors="replace")[-2000:], cpu


def group_of(rel):
    parts = rel.split("/")
    if len(parts) > 2 and parts[0] in ("apps", "packages", "libs", "services", "modules"):
        return parts[0] + "/" + parts[1]
    return parts[0] if len(parts) > 1 else "."


def parse_error_class(f):
    msg = f.get("message", "")
    if msg.startswith("TypeScript syntax error"):
        return "ts-syntax"
    if msg.startswith("SQL in TypeScript"):
        return "sql-in-ts"
    if f.get("file", "").endswith(".sql"):
        return "sql-file"
    return "other"


def timed_median(cmd, tfile, runs):
    """timed() `runs` times; medians of wall time, peak RSS and CPU time, the worst exit status."""
    res = [timed(cmd, tfile) for _ in range(runs)]
    med = lambda i: sorted(x[i] for x in res)[(runs - 1) // 2]  # noqa: E731
    bad = [x for x in res if x[0] != 0]
    rc, err = (bad[0][0], bad[0][3]) if bad else (0, "")
    return rc, med(1), med(2), err, med(4)


def measure(ql, p, d, out, extra, runs):
    name = p["name"]
    r = {"name": name, "repo": p["repo"], "commit": p["commit"]}
    inv_path = os.path.join(out, f"{name}.inventory.json")
    chk_path = os.path.join(out, f"{name}.check.json")
    rc, r["inventory_wall_s"], r["inventory_rss_mib"], err, r["inventory_cpu_s"] = timed_median(
        [ql, "inventory", d, "--root", d, "-o", inv_path] + extra, os.path.join(out, f"{name}.inventory.time"), runs)
    r["inventory_exit"] = rc
    if rc != 0:
        print(f"{name}: inventory exited {rc}: {err}", file=sys.stderr)
    rc, r["check_wall_s"], r["check_rss_mib"], err, r["check_cpu_s"] = timed_median(
        [ql, "check", d, "--root", d, "--format", "json", "--fail-on", "never", "-o", chk_path] + extra,
        os.path.join(out, f"{name}.check.time"), runs)
    r["check_exit"] = rc
    if rc != 0:
        print(f"{name}: check exited {rc}: {err}", file=sys.stderr)

    plain = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "count_sites.py"), d, "--json"],
                                      check=True, capture_output=True).stdout)
    r["ts_files"] = plain["files"]
    r["plain_total"] = plain["total"]
    r["plain_in_tests"] = plain["in_tests"]
    r["plain_kinds"] = plain["kinds"]

    try:
        inv = json.load(open(inv_path))["queries"]
    except (OSError, ValueError, KeyError):
        inv = []
    r["inventory_by_origin"] = dict(collections.Counter(q["origin"] for q in inv))
    r["inventory_by_origin_kind"] = {f"{o}/{k}": n for (o, k), n in
                                     sorted(collections.Counter((q["origin"], q["kind"]) for q in inv).items())}
    ts_inv = [q for q in inv if q["origin"] in TS_ORIGINS]
    r["inventory_ts"] = len(ts_inv)
    r["ratio"] = round(len(ts_inv) / plain["total"], 3) if plain["total"] else None
    inv_groups = collections.Counter(group_of(q["location"]["file"]) for q in ts_inv)
    r["groups"] = {g: {"plain": sum(plain["groups"].get(g, {}).values()), "inventory": inv_groups.get(g, 0)}
                   for g in sorted(set(plain["groups"]) | set(inv_groups))}

    try:
        chk = json.load(open(chk_path))
    except (OSError, ValueError):
        chk = {"findings": [], "summary": {}}
    fs = chk["findings"]
    r["files_read"] = chk.get("summary", {}).get("files")
    r["statements"] = chk.get("summary", {}).get("statements")
    r["findings_total"] = len(fs)
    r["findings_by_rule"] = dict(collections.Counter(f["rule"] for f in fs).most_common())
    r["parse_errors"] = dict(collections.Counter(parse_error_class(f) for f in fs if f["rule"] == "parse-error"))
    r["parse_error_files"] = len({f["file"] for f in fs if f["rule"] == "parse-error"})
    return r


def show(r):
    print(f"== {r['name']}  {r['repo']}@{r['commit'][:12]}")
    print(f"  TypeScript files {r['ts_files']}; files read by querylens {r['files_read']}, "
          f"statements {r['statements']}")
    print(f"  inventory by origin: " + ", ".join(f"{k} {v}" for k, v in sorted(r["inventory_by_origin"].items())))
    print(f"  inventory by origin/kind: " + ", ".join(f"{k} {v}" for k, v in r["inventory_by_origin_kind"].items()))
    print(f"  plain count {r['plain_total']} ({r['plain_in_tests']} in tests): "
          + ", ".join(f"{k} {v}" for k, v in r["plain_kinds"].items()))
    print(f"  TS inventory {r['inventory_ts']} / plain {r['plain_total']} = {r['ratio']}")
    print("  by directory (plain / inventory):")
    for g, c in sorted(r["groups"].items(), key=lambda x: -x[1]["plain"])[:12]:
        print(f"    {g:<36} {c['plain']:6d} {c['inventory']:6d}")
    print(f"  findings {r['findings_total']}: " + ", ".join(f"{k} {v}" for k, v in r["findings_by_rule"].items()))
    pe = r["parse_errors"]
    print(f"  parse errors: TypeScript syntax {pe.get('ts-syntax', 0)}, SQL in TypeScript {pe.get('sql-in-ts', 0)}, "
          f".sql {pe.get('sql-file', 0)}, other {pe.get('other', 0)} (in {r['parse_error_files']} files)")
    print(f"  inventory {r['inventory_wall_s']:.2f} s wall, {r['inventory_cpu_s']:.2f} s CPU, "
          f"{r['inventory_rss_mib']:.0f} MiB; check {r['check_wall_s']:.2f} s wall, {r['check_cpu_s']:.2f} s CPU, "
          f"{r['check_rss_mib']:.0f} MiB")


def markdown(summary):
    rs = summary["projects"]
    cols = ["project", "commit", "TS files", "plain count", "TS inventory (drizzle / relational / raw-sql)",
            "ratio", ".sql DML", "parse errors (TS / SQL-in-TS / .sql)", "findings", "check wall", "check CPU",
            "check peak RSS"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rs:
        o = r["inventory_by_origin"]
        pe = r["parse_errors"]
        print(f"| {r['name']} | {r['commit'][:12]} | {r['ts_files']} | {r['plain_total']} | "
              f"{r['inventory_ts']} ({o.get('drizzle', 0)} / {o.get('drizzle-relational', 0)} / {o.get('raw-sql', 0)}) | "
              f"{r['ratio']} | {o.get('sql-statement', 0)} | "
              f"{pe.get('ts-syntax', 0)} / {pe.get('sql-in-ts', 0)} / {pe.get('sql-file', 0)} | {r['findings_total']} | "
              f"{r['check_wall_s']:.2f} s | {r['check_cpu_s']:.2f} s | {r['check_rss_mib']:.0f} MiB |")
    rules = sorted({k for r in rs for k in r["findings_by_rule"]},
                   key=lambda k: -sum(r["findings_by_rule"].get(k, 0) for r in rs))
    print()
    print("| rule | " + " | ".join(r["name"] for r in rs) + " |")
    print("|" + "---|" * (len(rs) + 1))
    for k in rules:
        print(f"| {k} | " + " | ".join(str(r["findings_by_rule"].get(k, 0)) for r in rs) + " |")


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description="querylens on real projects")
    ap.add_argument("querylens", nargs="?")
    ap.add_argument("--out")
    ap.add_argument("--only", default="")
    ap.add_argument("--runs", type=int, default=1, help="runs per command; median wall time and RSS")
    ap.add_argument("--markdown", metavar="SUMMARY_JSON")
    a = ap.parse_args(argv)
    if a.markdown:
        markdown(json.load(open(a.markdown)))
        return
    if not a.querylens:
        ap.error("give the querylens binary")
    ql = os.path.abspath(a.querylens)
    rw = os.environ.get("REALWORLD_DIR", "/work/realworld")
    out = a.out or os.path.join("/tmp/ql-realworld", time.strftime("%Y%m%d-%H%M%S", time.localtime(os.path.getmtime(ql))))
    os.makedirs(out, exist_ok=True)
    version = subprocess.run([ql, "--version"], capture_output=True, text=True).stdout.strip()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"querylens {ql} ({version}); {os.cpu_count()} cores, load {' '.join(load)}; "
          f"median of {a.runs} run(s); outputs in {out}")
    only = set(filter(None, a.only.split(",")))
    results = []
    for p in projects():
        d = os.path.join(rw, p["name"])
        if (only and p["name"] not in only) or not os.path.isdir(d):
            if not only or p["name"] in only:
                print(f"{p['name']}: not extracted under {rw} (bench/realworld/extract.py), skipped")
            continue
        r = measure(ql, p, d, out, extra, a.runs)
        show(r)
        results.append(r)
    for n in sorted(only - {p["name"] for p in projects()}):
        print(f"{n}: not in projects.tsv", file=sys.stderr)
    summary = {"querylens": ql, "version": version, "cores": os.cpu_count(), "ql_args": extra, "runs": a.runs,
               "load_before": load, "load_after": open("/proc/loadavg").read().split()[:3],
               "projects": results}
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"summary: {os.path.join(out, 'summary.json')}")


if __name__ == "__main__":
    main()
