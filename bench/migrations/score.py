#!/usr/bin/env python3
"""Score the hand-labelled sample (labels.tsv, drawn by sample.py) of querylens and squawk hits.

Usage: bench/migrations/score.py QUERYLENS [--squawk SQUAWK] [--labels labels.tsv] [--project NAME=ROOT:MIGDIR:COMMIT ...]

For each project, class and tool: the tool's hits in the folder (squawk's only with --squawk), the
number sampled, TP / noise / FP and precision = TP / (TP + noise + FP). Then, per class, querylens's
recall on squawk's true hazards: of the squawk hits labelled TP, how many QUERYLENS (rerun now, so a
fixed build is scored against the same labels) reports in the same class and statement (compare.py's key).
Hits are keyed as in sample.py: (file, line of the `;` ending the statement); require-lock-timeout per file (line 0).
"""
import argparse
import collections
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import sample  # noqa: E402

VERDICTS = ("TP", "noise", "FP")


def load_labels(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        if r["verdict"] not in VERDICTS:
            raise SystemExit(f"{path}: bad verdict {r['verdict']!r} in {r}")
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("querylens")
    ap.add_argument("--squawk", help="also count squawk's hits per class")
    ap.add_argument("--labels", default=os.path.join(here, "labels.tsv"))
    ap.add_argument("--project", action="append", help="NAME=ROOT:MIGDIR:COMMIT (default: sample.py's)")
    a = ap.parse_args()
    projects = {p[0]: p for p in (sample.parse_project(s) for s in (a.project or sample.DEFAULT_PROJECTS))}
    labels = load_labels(a.labels)

    hits = {}  # project -> tool -> class -> set of keys
    for name, root, migdir, _ in projects.values():
        d = os.path.join(root, migdir)
        qh, _ = compare.run_querylens(a.querylens, d)
        hits[name] = {"querylens": compare.by_class(qh)}
        if a.squawk:
            sh, _, _, _ = compare.run_squawk(a.squawk, d)
            hits[name]["squawk"] = compare.by_class(sh)

    cell = collections.defaultdict(collections.Counter)  # (project, class, tool) -> verdict counts
    recall = collections.defaultdict(lambda: [0, 0, []])  # (project, class) -> [found, total, misses]
    seen = set()
    for r in labels:
        p, cls, tool = r["project"], r["class"], r["tool"]
        cell[(p, cls, tool)][r["verdict"]] += 1
        key = (os.path.abspath(os.path.join(projects[p][1], r["file"])), int(r["line"]))
        if tool == "squawk" and r["verdict"] == "TP" and (p, cls, key) not in seen:
            seen.add((p, cls, key))
            rec = recall[(p, cls)]
            rec[1] += 1
            if key in hits[p]["querylens"].get(cls, set()):
                rec[0] += 1
            else:
                rec[2].append(f"{r['file']}:{r['line']}")

    print(f"{'project':8} {'class':36} {'tool':9} {'hits':>5} {'sampled':>7} {'TP':>3} {'noise':>5} {'FP':>3} {'precision':>9}")
    totals = collections.defaultdict(collections.Counter)
    for p in projects:
        for cls in sample.CLASSES:
            for tool in ("squawk", "querylens"):
                c = cell.get((p, cls, tool))
                if not c:
                    continue
                n = sum(c.values())
                h = hits[p].get(tool)
                nh = str(len(h.get(cls, ()))) if h is not None else "-"
                print(f"{p:8} {cls:36} {tool:9} {nh:>5} {n:>7} {c['TP']:>3} {c['noise']:>5} {c['FP']:>3} {c['TP'] / n:>9.2f}")
                totals[tool].update(c)
    print()
    for tool in ("squawk", "querylens"):
        c = totals[tool]
        n = sum(c.values())
        if n:
            print(f"all classes, {tool:9}: sampled {n}, TP {c['TP']}, noise {c['noise']}, FP {c['FP']}, precision {c['TP'] / n:.2f}")
    print()
    print("querylens recall on squawk's sampled TP hits (same class, same statement):")
    found = total = 0
    for (p, cls), (f, t, misses) in sorted(recall.items()):
        found, total = found + f, total + t
        mark = "all" if f == t else "MISSING " + ", ".join(misses)
        print(f"  {p:8} {cls:36} {f}/{t} {mark}")
    if total:
        print(f"  overall {found}/{total} = {found / total:.2f}")


if __name__ == "__main__":
    sys.exit(main())
