#!/usr/bin/env python3
"""Rescores recall.tsv: for each hazard found by reading the code, whether querylens reports that
rule at that file and line (any priority), with the project's declared sizes when
declared/<name>.toml exists. A hazard that is another place of one finding (aggregate-per-request
reports one finding per table and owner, the other places as related locations "the same
aggregate ...") counts as found.

Usage: bench/realworld/recall.py [QUERYLENS] [KEEP_DIR]   (projects from $REALWORLD_DIR, default /work/realworld)
KEEP_DIR keeps each project's findings (NAME.check.json, run with its declared sizes), for
`score.py KEEP_DIR/*.json`: the precision of the size-dependent notes (aggregate-per-request,
lost-update) as a user who declares sizes sees them.
"""
import collections
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
QL = sys.argv[1] if len(sys.argv) > 1 else "build/querylens"
KEEP = sys.argv[2] if len(sys.argv) > 2 else None
RW = os.environ.get("REALWORLD_DIR", "/work/realworld")


def rows(path):
    with open(path) as f:
        return [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]


def main():
    names = {r[1]: r[0] for r in rows(os.path.join(HERE, "projects.tsv"))[1:] if len(r) > 2}
    reported = {}
    totals = collections.Counter()
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    if KEEP:
        os.makedirs(KEEP, exist_ok=True)

    def run(name):
        if name in reported:
            return
        cmd = [QL, "check", os.path.join(RW, name), "--root", os.path.join(RW, name), "--format", "json",
               "--fail-on", "never", "--min-severity", "p3", "-o", out]
        config = os.path.join(HERE, "declared", name + ".toml")
        if os.path.exists(config):
            cmd += ["--config", config]
        subprocess.run(cmd, stderr=subprocess.DEVNULL, check=False)
        if KEEP:
            shutil.copy(out, os.path.join(KEEP, name + ".check.json"))
        with open(out) as f:
            findings = json.load(f)["findings"]
        reported[name] = {(x["file"], x["line"], x["rule"]) for x in findings}
        reported[name] |= {(r["file"], r["line"], x["rule"]) for x in findings for r in x.get("related", [])
                           if r.get("message", "").startswith("the same ")}

    for repo, _commit, file, line, rule, *_ in rows(os.path.join(HERE, "recall.tsv"))[1:]:
        name = names.get(repo)
        if not name or not os.path.isdir(os.path.join(RW, name)):
            totals[(rule, "not extracted")] += 1
            continue
        run(name)
        verdict = "found" if (file, int(line), rule) in reported[name] else "missed"
        totals[(rule, verdict)] += 1
        print(f"{verdict:7} {rule:22} {name} {file}:{line}")
    if KEEP:  # every project with declared sizes, for score.py
        for toml in sorted(os.listdir(os.path.join(HERE, "declared"))):
            name = toml[:-len(".toml")]
            if toml.endswith(".toml") and os.path.isdir(os.path.join(RW, name)):
                run(name)
    os.unlink(out)
    print()
    for rule in sorted({r for r, _ in totals}):
        found, missed, absent = (totals[(rule, v)] for v in ("found", "missed", "not extracted"))
        print(f"{rule}: {found} of {found + missed} found" + (f" ({absent} not extracted)" if absent else ""))


if __name__ == "__main__":
    main()
