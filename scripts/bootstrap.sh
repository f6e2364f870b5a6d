#!/usr/bin/env bash
# One command from a fresh Debian (bookworm) machine to a built `build/querylens`:
#   1. installs the Debian packages querylens builds against,
#   2. fetches a pinned npm tarball and checks its integrity: Microsoft's SARIF Multitool (the tests
#      validate SARIF with it),
#   3. configures and builds with CMake.
# The TypeScript/TSX grammar is committed, generated (third_party/tree-sitter-typescript-ql: the npm
# tree-sitter-typescript 0.23.2 release + querylens.patch); scripts/regen-grammar.sh regenerates it.
# Re-running is cheap: packages and the SARIF Multitool are only fetched when missing.
# Environment: BUILD_DIR (default build), BUILD_TYPE (default Release), QUERYLENS_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
# sha256 of the npm tarball (npm pack output), pinned: a changed tarball fails the build
SARIF_MT_VERSION=5.7.0
SARIF_MT_SHA256=27d8e3e96dde578a23b7c45035b8d741fece5731e2700aa068015b8c44d1514e

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libpg-query-dev libprotobuf-c-dev      # PostgreSQL's real parser (+ protobuf-c headers)
  libtree-sitter-dev                     # tree-sitter runtime (0.20.7: loads grammar ABI 13-14)
  nlohmann-json3-dev libcli11-dev doctest-dev
  libtomlplusplus-dev                    # querylens.toml
  zlib1g-dev                             # SARIF size check (GitHub's 10 MB gzipped limit)
  libxxhash-dev                          # the fact cache's content hash (XXH3)
  libpq-dev                              # querylens verify: talks to a real PostgreSQL
  postgresql-15 postgresql-15-hypopg     # tests: a scratch server (scripts/pg-scratch.sh)
  chromium python3                       # tests: the HTML report in headless Chromium
  pre-commit git                         # tests: the hook through the real pre-commit program
)
# npm only fetches the SARIF Multitool tarball; a machine may already have Node.js from elsewhere.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm_fetch PACKAGE VERSION SHA256 DIR [TAR-MEMBERS...]: unpacks a pinned npm tarball into DIR
# (stripping its leading `package/`) unless DIR/.version already says VERSION.
npm_fetch() {
  local pkg=$1 version=$2 sha=$3 dir=$4; shift 4
  if [ -f "$dir/.version" ] && [ "$(cat "$dir/.version")" = "$version" ]; then return; fi
  echo "bootstrap: fetching $pkg@$version from npm"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  local tarball; tarball=$(ls "$tmp"/*.tgz)
  echo "$sha  $tarball" | sha256sum -c --quiet - || { echo "bootstrap: checksum mismatch for $tarball" >&2; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir" --strip-components=1 "$@"
  echo "$version" > "$dir/.version"
  rm -rf "$tmp"
}

npm_fetch @microsoft/sarif-multitool-linux "$SARIF_MT_VERSION" "$SARIF_MT_SHA256" third_party/sarif-multitool
chmod +x third_party/sarif-multitool/Sarif.Multitool

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
  -DQUERYLENS_SANITIZE="${QUERYLENS_SANITIZE:-OFF}" >/dev/null
cmake --build "$BUILD_DIR"
echo "bootstrap: built $BUILD_DIR/querylens"
