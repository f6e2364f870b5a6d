#!/usr/bin/env python3
"""Draw a seeded sample of migration-safety hits from squawk and from querylens, per project and
class, for hand labelling (labels.tsv, scored by score.py).

Usage: bench/migrations/sample.py QUERYLENS SQUAWK [--project NAME=ROOT:MIGDIR:COMMIT ...] [--per-tool 6]

Prints TSV rows (with a header): project, commit, tool, file (relative to the project root), line, class.
A hit is keyed as compare.py keys it: (file, line of the `;` ending the statement); require-lock-timeout
is per file in querylens and is compared per file, so its line is 0.
For each project, class and tool the sample is up to --per-tool hits, drawn with random.Random(1)
(re-seeded per project, class and tool, so one class's sample does not depend on the others): the hits
only that tool has come first (all of them when they fit, else a random subset), the rest of the sample
is drawn from the hits both tools have.
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

CLASSES = [
    "adding-foreign-key-constraint", "constraint-missing-not-valid", "adding-not-nullable-field",
    "changing-column-type", "adding-required-field", "adding-field-with-volatile-default",
    "require-concurrent-index-deletion", "disallowed-unique-constraint", "identifier-too-long",
    "ban-drop-column", "ban-drop-table", "renaming-column", "renaming-table",
    "adding-serial-primary-key-field", "require-lock-timeout", "non-concurrent-index",
]

# name=root:migration dir (relative to root):commit
DEFAULT_PROJECTS = [
    "dokploy=/work/realworld/dokploy:apps/dokploy/drizzle:772b76821771c53b072c2fbb95cf8876e1a65ae4",
    "sim=/work/realworld/sim:packages/db/migrations:0b232eb876e2e0a474dbabd1e53b370cd643076a",
]
HEADER = ["project", "commit", "tool", "file", "line", "class"]


def parse_project(spec):
    name, rest = spec.split("=", 1)
    root, migdir, commit = rest.split(":")
    return name, os.path.abspath(root), migdir, commit


def hits_by_class(querylens, squawk, migdir):
    """{'querylens': {class: {(abspath, line)}}, 'squawk': {...}} as compare.py keys them."""
    qh, _ = compare.run_querylens(querylens, migdir)
    sh, _, _, _ = compare.run_squawk(squawk, migdir)
    return {"querylens": compare.by_class(qh), "squawk": compare.by_class(sh)}


def draw(own, other, n):
    """Up to n of `own`: every hit the other tool lacks first, then hits both have."""
    rng = random.Random(1)
    only = sorted(own - other)
    both = sorted(own & other)
    if len(only) >= n:
        picked = rng.sample(only, n)
    else:
        picked = only + rng.sample(both, min(n - len(only), len(both)))
    return sorted(picked, key=lambda h: (compare.natural_key(h[0]), h[1]))


def sample(querylens, squawk, projects, per_tool=6):
    rows = []
    for name, root, migdir, commit in projects:
        hits = hits_by_class(querylens, squawk, os.path.join(root, migdir))
        for cls in CLASSES:
            for tool, other in (("squawk", "querylens"), ("querylens", "squawk")):
                own, oth = hits[tool].get(cls, set()), hits[other].get(cls, set())
                for path, line in draw(own, oth, per_tool):
                    rows.append([name, commit, tool, os.path.relpath(path, root), str(line), cls])
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("querylens")
    ap.add_argument("squawk")
    ap.add_argument("--project", action="append", help="NAME=ROOT:MIGDIR:COMMIT (default: dokploy and sim)")
    ap.add_argument("--per-tool", type=int, default=6)
    a = ap.parse_args()
    projects = [parse_project(p) for p in (a.project or DEFAULT_PROJECTS)]
    print("\t".join(HEADER))
    for r in sample(a.querylens, a.squawk, projects, a.per_tool):
        print("\t".join(r))


if __name__ == "__main__":
    sys.exit(main())
