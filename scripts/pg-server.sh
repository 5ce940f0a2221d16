#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, benchmarks and trying out `--store`:
#   scripts/pg-server.sh start DIR   makes a cluster in DIR (a new or empty directory), starts it listening on a
#                                    Unix socket in DIR only (no TCP port), prints its store URL
#   scripts/pg-server.sh stop DIR    stops it (DIR stays; remove it yourself)
# The cluster trusts local connections and does not sync to disk: it is for tests, never for records that must
# last. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which owns DIR.
set -euo pipefail

action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: scripts/pg-server.sh start|stop DIR" >&2
  exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-server: PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      chmod 0755 "$dir"
      if ! runuser -u postgres -- test -w "$dir"; then
        echo "pg-server: the postgres user cannot reach $dir: every directory above it must be searchable (chmod o+x)" >&2
        exit 1
      fi
    fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U provcheck -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || {
      cat "$dir/server.log" >&2
      exit 1
    }
    echo "postgresql:///postgres?host=$dir&user=provcheck"
    ;;
  stop)
    dir=$(cd "$dir" && pwd)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
  *)
    echo "usage: scripts/pg-server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
