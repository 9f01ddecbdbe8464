#!/usr/bin/env bash
# run.sh — create the database if needed and serve it (make run).
#   make run            the demo database (cairn-demo.db), demo users and data
#   make run EMPTY=1    an empty database (cairn.db): one admin, nothing else
set -euo pipefail
cd "$(dirname "$0")/.."
listen=${CAIRN_LISTEN:-127.0.0.1:8080}
if [ -n "${EMPTY:-}" ]; then
  db=${CAIRN_DB_FILE:-cairn.db}
  if [ ! -e "$db" ]; then
    build/cairn init --db "$db" --admin admin   # prints the admin's password once
  fi
  echo
  echo "  Cairn (empty database $db): http://$listen"
  echo "  log in as admin with the password printed above (when the database was created)"
  echo "  stop with Ctrl-C"
  echo
  exec build/cairn serve --db "$db" --listen "$listen"
fi
db=${CAIRN_DEMO_DB:-cairn-demo.db}
if [ ! -e "$db" ]; then
  build/cairn demo --db "$db"
fi
echo
echo "  Cairn demo: http://$listen"
echo "  log in as admin / cairn-demo  (other demo users: pia (pm), cora (cto), emil (em), eli (engineer), vic (viewer); same password)"
echo "  stop with Ctrl-C"
echo
exec build/cairn serve --db "$db" --listen "$listen"
