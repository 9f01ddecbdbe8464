#!/usr/bin/env bash
# run.sh — create the demo database if needed and serve it (make run).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${CAIRN_DEMO_DB:-cairn-demo.db}
listen=${CAIRN_LISTEN:-127.0.0.1:8080}
if [ ! -e "$db" ]; then
  build/cairn demo --db "$db"
fi
echo
echo "  Cairn demo: http://$listen"
echo "  log in as admin / cairn-demo  (other demo users: pia (pm), cora (cto), emil (em), eli (engineer), vic (viewer); same password)"
echo "  stop with Ctrl-C"
echo
exec build/cairn serve --db "$db" --listen "$listen"
