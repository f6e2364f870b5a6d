#!/usr/bin/env bash
# Regenerates third_party/tree-sitter-typescript-ql/: the TypeScript and TSX grammars querylens compiles in.
# Source: the pinned npm tarballs of tree-sitter-typescript (and tree-sitter-javascript, whose grammar.js it
# extends) + querylens.patch (fixes for valid TypeScript the released grammar rejects or misreads; see the README
# there), generated with tree-sitter CLI 0.22.6 (ABI 14: Debian bookworm's libtree-sitter 0.20.7 loads it).
#
# A developer tool: scripts/bootstrap.sh does not run it, the generated files are committed. Run it after
# editing querylens.patch, then `ctest -R ts_grammar`. `--check` regenerates into a scratch directory and fails
# if the committed files differ (reproducibility check).
#
# The CLI: a `tree-sitter` 0.22.6 on PATH is used if there is one. Otherwise Debian trixie's tree-sitter-cli
# package is downloaded with apt-get (bookworm has no CLI package) from the Debian mirror this machine's apt
# already uses, unpacked into a scratch directory (nothing is installed), and run under trixie's own loader and
# libc because it needs glibc 2.39. Needs: npm, node, patch, apt-get, dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."

DEST=third_party/tree-sitter-typescript-ql
TS_VERSION=0.23.2
TS_SHA256=0fdf63c35930a75885145d75ee63cb879da2d49db9bfe454bd8e60b08ba778a1
JS_VERSION=0.23.1   # tree-sitter-typescript 0.23.2 depends on tree-sitter-javascript ^0.23.1
JS_SHA256=90e80b25a67517a4daf6ad751557bee21efbda7b7a5a554897933245d1734398
CLI_VERSION=0.22.6

check=0
[ "${1:-}" = "--check" ] && check=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm_unpack PACKAGE VERSION SHA256 DIR: unpacks a pinned, checksummed npm tarball into DIR.
npm_unpack() {
  local pkg=$1 version=$2 sha=$3 dir=$4 tmp
  tmp=$(mktemp -d -p "$work")
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  echo "$sha  $(ls "$tmp"/*.tgz)" | sha256sum -c --quiet - || { echo "regen-grammar: checksum mismatch for $pkg@$version" >&2; exit 1; }
  mkdir -p "$dir"
  tar -xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
}

echo "regen-grammar: fetching tree-sitter-typescript@$TS_VERSION and tree-sitter-javascript@$JS_VERSION"
npm_unpack tree-sitter-typescript "$TS_VERSION" "$TS_SHA256" "$work/ts"
npm_unpack tree-sitter-javascript "$JS_VERSION" "$JS_SHA256" "$work/ts/node_modules/tree-sitter-javascript"
patch -d "$work/ts" -p1 --quiet --no-backup-if-mismatch < "$DEST/querylens.patch"

# --- tree-sitter CLI ------------------------------------------------------------------------
cli=()
if command -v tree-sitter >/dev/null 2>&1 && tree-sitter --version | grep -q "^tree-sitter $CLI_VERSION\b"; then
  cli=(tree-sitter)
else
  # The Debian archive URI this machine's apt uses for bookworm (deb822 .sources or one-line sources.list).
  mirror=${DEBIAN_MIRROR:-$(
    { awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm([ \n]|$)/ && !/security/ { if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s } }' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null || true
      awk '$1=="deb" && $0 ~ / bookworm / && $0 !~ /security/ { for (i=2;i<=NF;i++) if ($i ~ /:\/\//) { print $i; break } }' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
    } | head -n 1)}
  [ -n "$mirror" ] || { echo "regen-grammar: no Debian bookworm mirror found in apt sources; set DEBIAN_MIRROR" >&2; exit 1; }
  echo "regen-grammar: fetching Debian trixie's tree-sitter-cli (+ its libc) with apt-get"
  apt_dir=$work/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$work/debs" "$work/cli"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt_dir/lists"
            -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root -qq)
  apt-get "${apt_opts[@]}" update
  (cd "$work/debs" && apt-get "${apt_opts[@]}" download tree-sitter-cli libc6 libgcc-s1)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/cli"; done
  libdir=$work/cli/usr/lib/x86_64-linux-gnu
  cli=("$libdir/ld-linux-x86-64.so.2" --library-path "$libdir" "$work/cli/usr/bin/tree-sitter")
fi
version=$("${cli[@]}" --version)
case "$version" in
  "tree-sitter $CLI_VERSION"*) ;;
  *) echo "regen-grammar: need tree-sitter CLI $CLI_VERSION, got: $version" >&2; exit 1 ;;
esac

# --- generate -------------------------------------------------------------------------------
echo "regen-grammar: generating typescript and tsx with $version"
for lang in typescript tsx; do
  (cd "$work/ts/$lang" && "${cli[@]}" generate --no-bindings grammar.js)
done

out=$DEST
[ $check = 1 ] && out=$work/out
mkdir -p "$out/common"
cp "$work/ts/LICENSE" "$out/LICENSE"
cp "$work/ts/common/scanner.h" "$out/common/scanner.h"
for lang in typescript tsx; do
  rm -rf "${out:?}/$lang" && mkdir -p "$out/$lang/src/tree_sitter"
  cp "$work/ts/$lang/src/parser.c" "$work/ts/$lang/src/scanner.c" "$work/ts/$lang/src/node-types.json" "$out/$lang/src/"
  cp "$work/ts/$lang/src/tree_sitter/"*.h "$out/$lang/src/tree_sitter/"
done
if [ $check = 1 ]; then
  diff -rq -x querylens.patch -x README.md "$out" "$DEST" >&2 || {
    echo "regen-grammar: $DEST differs from a fresh regeneration" >&2; exit 1; }
  echo "regen-grammar: $DEST matches a fresh regeneration"
else
  echo "regen-grammar: wrote $DEST"
fi
