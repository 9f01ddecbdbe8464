#!/usr/bin/env bash
# pg.sh start DIR | stop DIR — a throw-away PostgreSQL cluster for tests.
#   start: initdb into DIR as an unprivileged user (PostgreSQL refuses root), listen only on
#          a Unix socket in DIR, and print a CAIRN_TEST_DB URL template ({db} = database name).
#   stop:  stop the cluster and remove DIR.
# Uses Debian's postgresql package (scripts/deps.sh installs it).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
port=${CAIRN_PG_PORT:-54329}
as_user() { # run as the cluster owner
  if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}
owner=$(id -un); [ "$(id -u)" = 0 ] && owner=nobody

case $cmd in
start)
  if [ "$(id -u)" = 0 ] && ! runuser -u "$owner" -- test -x "$bin/initdb"; then
    echo "pg.sh: user $owner cannot run $bin/initdb (is / or /usr not world-searchable?)" >&2
    exit 1
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown "$owner" "$dir"
  as_user "$bin/initdb" -D "$dir/data" -U cairn --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgresql://cairn@/{db}?host=$dir&port=$port"
  ;;
stop)
  [ -d "$dir/data" ] && as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: pg.sh start|stop DIR" >&2; exit 1 ;;
esac
