#!/usr/bin/env python3
"""Refuses #includes that point upstream in querylens's layers.

Layers, bottom to top (README "Layout"); a file may include its own layer and the layers listed
as its dependencies, and only the third-party headers its layer owns:

  core       -> (nothing but the standard library and POSIX)
  sql        -> core                 + libpg_query / protobuf-c
  frontends  -> sql, core            + tree-sitter, nlohmann/json
  analysis   -> frontends, sql, core
  rules      -> core                 (rules never parse: no sql/, no frontends/, no analysis/)
  config     -> rules, core          + toml++
  reports    -> rules, core          + nlohmann/json, zlib
  verify     -> reports, analysis, rules, core (+ sql for the catalog) + libpq, nlohmann/json
  cli        -> everything           + CLI11, zlib, nlohmann/json
  tests      -> everything           + doctest

Within frontends/, an ORM's folder is private to it: frontends/drizzle/ may be included only from
frontends/drizzle/ and the frontends driver (frontends/*.cpp). Runs before every build (CMake target
`layer_check`) and as the test `build.layering`; `--self-test` also checks that a forbidden include
is caught.
"""
import os
import re
import sys
import tempfile

LAYERS = {
    "core": set(),
    "sql": {"core"},
    "frontends": {"sql", "core"},
    "analysis": {"frontends", "sql", "core"},
    "rules": {"core"},
    "config": {"rules", "core"},
    "reports": {"rules", "core"},
    "verify": {"reports", "analysis", "frontends", "rules", "sql", "core"},
    "cli": {"verify", "reports", "config", "rules", "analysis", "frontends", "sql", "core"},
    "tests": {"verify", "reports", "config", "rules", "analysis", "frontends", "sql", "core", "tests"},
}
THIRD_PARTY = {  # header prefix -> layers that may include it
    "pg_query": {"sql"},
    "protobuf-c/": {"sql"},
    "tree_sitter/": {"frontends"},
    "nlohmann/": {"frontends", "reports", "verify", "cli", "tests"},
    "toml++/": {"config"},
    "libpq-fe.h": {"verify"},
    "zlib.h": {"reports", "cli"},
    "xxhash.h": {"analysis"},
    "CLI/": {"cli"},
    "doctest/": {"tests"},
    "fmt/": set(),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def check_file(root, rel):
    layer = rel.split("/", 1)[0]
    allowed = LAYERS[layer] | {layer}
    problems = []
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        text = f.read()
    for m in INCLUDE.finditer(text):
        kind, path = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if kind == '"':
            target = path.split("/", 1)[0]
            if target in LAYERS and target not in allowed:
                problems.append(f"{rel}:{line}: {layer}/ may not include {path} ({target}/ is not below {layer}/)")
            if path.startswith("frontends/drizzle/") and not (
                    rel.startswith("frontends/drizzle/") or re.match(r"frontends/[^/]+$", rel) or layer == "tests"):
                problems.append(f"{rel}:{line}: only frontends/drizzle/ and the frontends driver may include {path}")
        else:
            for prefix, owners in THIRD_PARTY.items():
                if path.startswith(prefix) and layer not in owners:
                    problems.append(f"{rel}:{line}: {layer}/ may not include <{path}> (owned by {', '.join(sorted(owners)) or 'no layer'})")
    return problems


def check_tree(root):
    problems = []
    for layer in LAYERS:
        base = os.path.join(root, layer)
        for dirpath, _, names in os.walk(base):
            for n in sorted(names):
                if n.endswith((".h", ".cpp")):
                    rel = os.path.relpath(os.path.join(dirpath, n), root).replace(os.sep, "/")
                    problems += check_file(root, rel)
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "rules"))
        os.makedirs(os.path.join(d, "reports"))
        with open(os.path.join(d, "rules", "bad.cpp"), "w") as f:
            f.write('#include <tree_sitter/api.h>\n#include "frontends/drizzle/lowering.h"\n#include "sql/ast.h"\n#include "core/query.h"\n')
        with open(os.path.join(d, "reports", "bad.cpp"), "w") as f:
            f.write('#include "analysis/project.h"\n#include <pg_query.h>\n')
        found = check_tree(d)
        expected = 6
        if len(found) != expected:
            print(f"check_layers self-test: expected {expected} problems, found {len(found)}:", *found, sep="\n  ")
            return False
    return True


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if "--self-test" in sys.argv and not self_test():
        return 1
    problems = check_tree(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_layers: {len(problems)} include(s) point upstream; see README 'Layout'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
