#!/usr/bin/env python3
"""Per-rule precision of querylens findings on the real projects, from hand-made labels.

Labels (labels.tsv, tab-separated, one header line, '#' lines ignored):
  repo  commit  file  line  rule  verdict  class  reason
    repo     GitHub owner/name as in projects.tsv (e.g. Dokploy/dokploy)
    commit   the pinned commit the finding was judged on
    file     path relative to the project root, as querylens prints it in check --format json
    line     the finding's line
    rule     the finding's rule id
    verdict  TP     a PostgreSQL specialist would keep it, and the fix is right or near-right
             noise  technically true but not worth reporting (one-off script, tiny table, ...)
             FP     wrong
    class    for noise/FP: why (one-off-script, small-table, parse-gap, ...); '-' for TP
    reason   a few words, in the labeller's own words (no code copied from the project)

A finding matches a label when (repo, file, line, rule) are equal. Several findings with the same
key (two findings of one rule on one line) count once: the label judges the line.

Scoring mode (default):
  score.py [--labels labels.tsv] FINDINGS.json [NAME=FINDINGS.json ...] [--baseline NAME=OLD.json ...]
           [--markdown] [--by-project]
  A findings file is `querylens check --format json` output. Its project name is NAME= if given,
  else the file name up to the first '.' (dokploy.check.json -> dokploy); the name is looked up in
  projects.tsv for the repo. Prints, per rule:
    labelled  labels of that rule, for the repos given on the command line
    present   of those, how many still match a finding
    TP/noise/FP  verdicts among the present ones
    precision TP / (TP + noise + FP) over present labels, with its 95% Wilson interval
    weighted  the same, with each (project, rule) stratum weighted by its number of findings
              (the sample draws up to N per stratum, so `precision` over-weights small strata)
    gone      labelled findings that no longer appear (fixed, or moved to another line)
    unlabelled findings without a label: not sampled, or new since labelling. With --baseline
              (the findings JSON the sample was drawn from), the new ones are split out: `new`
              counts findings whose key is not in the baseline.
  Then the overall precision, the noise/FP classes with counts and examples, and the gone labels.

Sampling mode:
  score.py --sample N --seed S FINDINGS.json [NAME=FINDINGS.json ...] [--rule R ...]
  Draws, per project and per rule, up to N findings (distinct (file, line, rule) keys) with a
  random.Random seeded by "S:name:rule" (so adding a rule or a project does not change the other
  draws), sorted by file and line, and prints file:line, rule, message. With --tsv, prints label
  rows with verdict/class/reason left empty, ready to fill in.

Runs with Debian's python3; no pip packages.
"""
import argparse
import collections
import csv
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERDICTS = ("TP", "noise", "FP")
LABEL_COLUMNS = ["repo", "commit", "file", "line", "rule", "verdict", "class", "reason"]


def read_projects(path):
    """name -> (repo, commit) from projects.tsv."""
    out = {}
    with open(path, encoding="utf-8") as f:
        rows = [l for l in f if l.strip() and not l.startswith("#")]
    header = rows[0].rstrip("\n").split("\t")
    for l in rows[1:]:
        r = dict(zip(header, l.rstrip("\n").split("\t")))
        out[r["name"]] = (r["repo"], r["commit"])
    return out


def parse_findings_args(args):
    """['x/dokploy.check.json', 'sim=/tmp/y.json'] -> [(name, path)]"""
    out = []
    for a in args:
        if "=" in a and not os.path.exists(a):
            name, path = a.split("=", 1)
        else:
            name, path = os.path.basename(a).split(".", 1)[0], a
        out.append((name, path))
    return out


MAX_SEVERITY = 3  # --at-least: findings above this priority number (P3 = 3) are left out


def load_findings(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    findings = d["findings"] if isinstance(d, dict) else d
    return [f for f in findings if int(str(f.get("severity", "P3"))[-1]) <= MAX_SEVERITY]


def key_of(repo, f):
    return (repo, f["file"], int(f["line"]), f["rule"])


def read_labels(path):
    labels = {}
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    if header[:len(LABEL_COLUMNS)] != LABEL_COLUMNS:
        sys.exit(f"{path}: header must be {' '.join(LABEL_COLUMNS)}, got {' '.join(header)}")
    for n, row in enumerate(reader, start=2):
        if len(row) < len(LABEL_COLUMNS):
            sys.exit(f"{path}:{n}: {len(row)} columns, want {len(LABEL_COLUMNS)}")
        r = dict(zip(LABEL_COLUMNS, row))
        if r["verdict"] not in VERDICTS:
            sys.exit(f"{path}:{n}: verdict {r['verdict']!r} is not one of {', '.join(VERDICTS)}")
        k = (r["repo"], r["file"], int(r["line"]), r["rule"])
        if k in labels:
            sys.exit(f"{path}:{n}: duplicate label for {k}")
        labels[k] = r
    return labels


def sample(projects, findings_args, n, seed, rules, as_tsv):
    if as_tsv:
        print("\t".join(LABEL_COLUMNS))
    for name, path in findings_args:
        repo, commit = projects.get(name, (name, "-"))
        by_rule = collections.defaultdict(dict)
        for f in load_findings(path):
            by_rule[f["rule"]].setdefault((f["file"], int(f["line"])), f)
        for rule in sorted(by_rule):
            if rules and rule not in rules:
                continue
            keys = sorted(by_rule[rule])
            rng = random.Random(f"{seed}:{name}:{rule}")
            picked = sorted(rng.sample(keys, min(n, len(keys))))
            if not as_tsv:
                print(f"## {name} {rule}: {len(picked)} of {len(keys)}")
            for k in picked:
                f = by_rule[rule][k]
                if as_tsv:
                    print("\t".join([repo, commit, k[0], str(k[1]), rule, "", "", ""]))
                else:
                    msg = " ".join(f.get("message", "").split())
                    print(f"{k[0]}:{k[1]}\t{rule}\t{msg}")


def wilson(k, n, z=1.96):
    """95% Wilson score interval of a proportion k/n, as 'lo-hi%'."""
    if not n:
        return "-"
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return f"{100 * max(0.0, c - h):.0f}-{100 * min(1.0, c + h):.0f}%"


def pct(num, den):
    return f"{100.0 * num / den:.0f}%" if den else "-"


def score(projects, labels, findings_args, baseline_args, markdown, by_project):
    current = {}      # key -> project name
    repos = {}
    stratum_size = collections.Counter()   # (repo, rule) -> distinct keys in the findings
    for name, path in findings_args:
        repo, _ = projects.get(name, (name, "-"))
        repos[repo] = name
        for f in load_findings(path):
            k = key_of(repo, f)
            if k not in current:
                current[k] = name
                stratum_size[(repo, k[3])] += 1
    baseline = None
    if baseline_args:
        baseline = set()
        for name, path in baseline_args:
            repo, _ = projects.get(name, (name, "-"))
            for f in load_findings(path):
                baseline.add(key_of(repo, f))

    labels = {k: v for k, v in labels.items() if k[0] in repos}
    group = (lambda k: (repos[k[0]], k[3])) if by_project else (lambda k: k[3])
    stats = collections.defaultdict(collections.Counter)
    stratum = collections.defaultdict(collections.Counter)   # (repo, rule) -> verdict counts
    for k, lab in labels.items():
        s = stats[group(k)]
        s["labelled"] += 1
        if k in current:
            s["present"] += 1
            s[lab["verdict"]] += 1
            stratum[(k[0], k[3])][lab["verdict"]] += 1
            stratum[(k[0], k[3])]["present"] += 1
        else:
            s["gone"] += 1
    # The sample is stratified (up to N per rule per project), so pooled precision weighs a
    # project with 40 findings like one with 600. `weighted` scales each stratum's precision by
    # the stratum's size in the findings: the estimated share of TP among all findings of the rule.
    weighted = collections.defaultdict(lambda: [0.0, 0])   # group -> [est. TP findings, findings]
    for (repo, rule), c in stratum.items():
        g = (repos[repo], rule) if by_project else rule
        n = stratum_size[(repo, rule)]
        for gg in (g, ("all", "all") if by_project else "all"):
            weighted[gg][0] += n * c["TP"] / c["present"]
            weighted[gg][1] += n
    for k in current:
        if k in labels:
            continue
        s = stats[group(k)]
        s["unlabelled"] += 1
        if baseline is not None and k not in baseline:
            s["new"] += 1

    cols = ["labelled", "present", "TP", "noise", "FP", "precision", "95% CI", "weighted", "gone",
            "unlabelled"]
    if baseline is not None:
        cols.append("new")
    head = (["project"] if by_project else []) + ["rule"] + cols

    def row_of(g, s):
        cells = list(g) if by_project else [g]
        for c in cols:
            if c == "precision":
                cells.append(pct(s["TP"], s["present"]))
            elif c == "95% CI":
                cells.append(wilson(s["TP"], s["present"]))
            elif c == "weighted":
                w = weighted.get(g)
                cells.append(pct(w[0], w[1]) if w else "-")
            else:
                cells.append(str(s[c]))
        return cells

    order = sorted(stats, key=lambda g: ((g[0],) if by_project else ()) + (-stats[g]["labelled"], g))
    total = collections.Counter()
    for g in order:
        total.update(stats[g])
    rows = [row_of(g, stats[g]) for g in order]
    rows.append(row_of(("all", "all") if by_project else "all", total))
    print_table(head, rows, markdown)

    print()
    wall = weighted.get(("all", "all") if by_project else "all", [0.0, 0])
    print(f"overall precision: {total['TP']}/{total['present']} = {pct(total['TP'], total['present'])} "
          f"(TP {total['TP']}, noise {total['noise']}, FP {total['FP']}); "
          f"TP or noise (finding true): {pct(total['TP'] + total['noise'], total['present'])}; "
          f"weighted by stratum size: {pct(wall[0], wall[1])} of {wall[1]} findings in labelled strata")

    # classes of noise and FP among present labels
    classes = collections.defaultdict(list)
    for k, lab in labels.items():
        if k in current and lab["verdict"] != "TP":
            classes[(lab["class"], lab["verdict"])].append(k)
    if classes:
        print()
        print("noise/FP classes (present labels):")
        crow = []
        for (cls, verdict), ks in sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            rules = collections.Counter(k[3] for k in ks)
            locs = sorted({(k[0], k[1], k[2]) for k in ks})
            ex = "; ".join(f"{repos[r]} {f}:{l}" for r, f, l in locs[:2])
            crow.append([cls, verdict, str(len(ks)),
                         ", ".join(f"{r} {c}" for r, c in rules.most_common()), ex])
        print_table(["class", "verdict", "count", "rules", "examples"], crow, markdown)

    gone = sorted(k for k in labels if k not in current)
    if gone:
        print()
        print(f"labelled findings that no longer appear ({len(gone)}): fixed, or moved")
        for k in gone:
            print(f"  {repos[k[0]]} {k[1]}:{k[2]} {k[3]} ({labels[k]['verdict']})")


def print_table(head, rows, markdown):
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    w = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for r in [head] + rows:
        print("  ".join(str(x).ljust(w[i]) for i, x in enumerate(r)).rstrip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("findings", nargs="+", help="check --format json output, FILE or NAME=FILE")
    ap.add_argument("--labels", default=os.path.join(HERE, "labels.tsv"))
    ap.add_argument("--projects", default=os.path.join(HERE, "projects.tsv"))
    ap.add_argument("--baseline", action="append", default=[],
                    help="NAME=FILE: the findings the labels were drawn from (splits out new findings)")
    ap.add_argument("--markdown", action="store_true", help="Markdown tables")
    ap.add_argument("--by-project", action="store_true", help="one row per project and rule")
    ap.add_argument("--sample", type=int, metavar="N", help="draw up to N findings per rule per project")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--at-least", default="P3", choices=["P0", "P1", "P2", "P3"],
                    help="score only findings at this priority or higher (P2: what a gate on P2 sees; P3 findings are notes)")
    ap.add_argument("--rule", action="append", default=[], help="with --sample: only these rules")
    ap.add_argument("--tsv", action="store_true", help="with --sample: print empty label rows")
    a = ap.parse_args()
    global MAX_SEVERITY
    MAX_SEVERITY = int(a.at_least[1])
    projects = read_projects(a.projects)
    fargs = parse_findings_args(a.findings)
    if a.sample is not None:
        sample(projects, fargs, a.sample, a.seed, set(a.rule), a.tsv)
        return
    score(projects, read_labels(a.labels), fargs, parse_findings_args(a.baseline), a.markdown,
          a.by_project)


if __name__ == "__main__":
    main()
