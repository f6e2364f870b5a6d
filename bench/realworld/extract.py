#!/usr/bin/env python3
"""Extracts the projects of projects.tsv from their git mirrors, read-only for the mirrors.

For each project: `git archive <commit>` of MIRROR_DIR/<owner>+<name>/repo, untarred into
REALWORLD_DIR/<name>. Blobs the mirror does not hold (large assets, and for sim two generated
files) are excluded with `:(exclude)` pathspecs and printed; they should match the `absent` column.
Submodules are not extracted (git archive never does). An existing directory is left alone unless
--force is given.

Usage: bench/realworld/extract.py [--force] [NAME...]
Env:   REALWORLD_DIR (default /work/realworld), MIRROR_DIR (default /work/.mirror)
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def projects():
    with open(os.path.join(HERE, "projects.tsv")) as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]


def missing_blobs(git, commit):
    tree = subprocess.run(git + ["ls-tree", "-r", "-z", commit], check=True, capture_output=True).stdout
    blobs = {}
    for entry in tree.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob":
            blobs.setdefault(sha, []).append(path.decode())
    out = subprocess.run(git + ["cat-file", "--batch-check"], input=b"\n".join(blobs) + b"\n",
                         check=True, capture_output=True).stdout.decode()
    return sorted(p for line in out.splitlines() if line.endswith(" missing")
                  for p in blobs[line.split()[0].encode()])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--force", action="store_true", help="replace an existing extraction")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    rw = os.environ.get("REALWORLD_DIR", "/work/realworld")
    mirrors = os.environ.get("MIRROR_DIR", "/work/.mirror")
    for p in projects():
        if a.names and p["name"] not in a.names:
            continue
        repo = os.path.join(mirrors, p["repo"].replace("/", "+"), "repo")
        dest = os.path.join(rw, p["name"])
        if os.path.exists(dest) and not a.force:
            print(f"{p['name']}: {dest} exists, skipped (--force to replace)")
            continue
        if not os.path.isdir(repo):
            print(f"{p['name']}: no mirror at {repo} (fetch github:{p['repo']} first)", file=sys.stderr)
            continue
        git = ["git", "--git-dir", repo]
        absent = missing_blobs(git, p["commit"])
        expected = [] if p["absent"] == "-" else p["absent"].split(",")
        if sorted(expected) != absent:
            print(f"{p['name']}: absent blobs differ from projects.tsv: {absent}", file=sys.stderr)
        if os.path.exists(dest):
            shutil.rmtree(dest)
        os.makedirs(dest)
        excl = [f":(exclude,literal){x}" for x in absent]
        arch = subprocess.Popen(git + ["archive", "--format=tar", p["commit"], "--", "."] + excl,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", dest], stdin=arch.stdout, check=True)
        err = arch.stderr.read().decode()  # git still names the excluded missing blobs: noise
        if arch.wait() != 0:
            sys.exit(f"{p['name']}: git archive failed: {err}")
        print(f"{p['name']}: {p['repo']}@{p['commit'][:12]} -> {dest}"
              + (f" (absent: {', '.join(absent)})" if absent else ""))


if __name__ == "__main__":
    main()
