#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for `querylens verify` and its tests. No Docker.
#   scripts/pg-scratch.sh start [STATE_FILE]   installs postgresql-15 + hypopg if missing, creates a
#                                              cluster in a temporary directory and starts it on a
#                                              Unix socket there; the last line printed is the URL.
#   scripts/pg-scratch.sh stop  [STATE_FILE]   stops it and removes the directory.
# STATE_FILE (default /tmp/querylens-pg-scratch.state) remembers the directory between the two.
# initdb refuses to run as root: as root the cluster runs as the `postgres` user (runuser, from /).
# The package's default cluster (port 5432) is left as the package made it; this one uses its own
# port number only to name its socket.
set -euo pipefail
cmd=${1:-}
state=${2:-/tmp/querylens-pg-scratch.state}
BIN=/usr/lib/postgresql/15/bin

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$cmd" in
start)
  if [ ! -x "$BIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/hypopg.control ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-hypopg >/dev/null
  fi
  dir=$(mktemp -d /tmp/querylens-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  port=$(( 20000 + RANDOM % 20000 ))
  as_owner "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c full_page_writes=off" start >/dev/null || {
    cat "$dir/server.log" >&2; exit 1; }
  echo "$dir" >"$state"
  echo "postgresql://postgres@/postgres?host=$dir&port=$port"
  ;;
stop)
  [ -f "$state" ] || { echo "pg-scratch: nothing to stop ($state missing)"; exit 0; }
  dir=$(cat "$state")
  as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$state"
  echo "pg-scratch: stopped and removed $dir"
  ;;
*)
  echo "usage: $0 start|stop [STATE_FILE]" >&2; exit 2 ;;
esac
