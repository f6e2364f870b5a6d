#!/usr/bin/env bash
# One command from a fresh Debian (bookworm) machine to a built `build/querylens`:
#   1. installs the Debian packages querylens builds against,
#   2. fetches the pinned tree-sitter-typescript grammar from npm and checks its integrity,
#   3. configures and builds with CMake.
# Re-running is cheap: packages and the grammar are only fetched when missing.
# Environment: BUILD_DIR (default build), BUILD_TYPE (default Release), QUERYLENS_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
TS_VERSION=0.23.2
# sha256 of the npm tarball (npm pack output), pinned: a changed tarball fails the build
TS_SHA256=0fdf63c35930a75885145d75ee63cb879da2d49db9bfe454bd8e60b08ba778a1

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libpg-query-dev libprotobuf-c-dev      # PostgreSQL's real parser (+ protobuf-c headers)
  libtree-sitter-dev                     # tree-sitter runtime
  nlohmann-json3-dev libcli11-dev doctest-dev libfmt-dev
)
# npm only fetches the grammar tarball; a machine may already have Node.js from elsewhere.
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

TS_DIR=third_party/tree-sitter-typescript
if [ ! -f "$TS_DIR/.version" ] || [ "$(cat "$TS_DIR/.version")" != "$TS_VERSION" ]; then
  echo "bootstrap: fetching tree-sitter-typescript@$TS_VERSION from npm"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "tree-sitter-typescript@$TS_VERSION" >/dev/null)
  tarball="$tmp/tree-sitter-typescript-$TS_VERSION.tgz"
  echo "$TS_SHA256  $tarball" | sha256sum -c --quiet - || {
    echo "bootstrap: checksum mismatch for $tarball" >&2; exit 1; }
  rm -rf "$TS_DIR" && mkdir -p "$TS_DIR"
  tar -xzf "$tarball" -C "$TS_DIR" --strip-components=1 \
    package/LICENSE package/typescript/src package/tsx/src package/common
  echo "$TS_VERSION" > "$TS_DIR/.version"
  rm -rf "$tmp"
fi

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
  -DQUERYLENS_SANITIZE="${QUERYLENS_SANITIZE:-OFF}" >/dev/null
cmake --build "$BUILD_DIR"
echo "bootstrap: built $BUILD_DIR/querylens"
