#!/usr/bin/env bash
# bench/run.sh [ISSUES] [sqlite|postgres] — measure Cairn's speed on this machine (not part
# of make test).  postgres runs a throw-away cluster from scripts/pg.sh (fsync off, as in tests).
#   1. `cairn demo --issues ISSUES` (default 1,000,000): bulk generation through the service layer
#   2. CLI list queries on that database (process start included)
#   3. HTTP load with wrk over loopback: list, get, create, boards and milestones, 2 threads,
#      32 connections, 10 s each; then single timed requests for the heavier planning reads;
#   4. full-text search latency (bench/search.mjs)
# Results go to stdout; BENCHMARKS.md records a run. Needs root for apt-get (wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
make -s build/cairn
backend=${2:-sqlite}
dir=$(mktemp -d); pgdir=$(mktemp -d /tmp/cairn-bench-pg.XXXXXX); pid=
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; scripts/pg.sh stop "$pgdir"; rm -rf "$dir"' EXIT
db=$dir/bench.db
if [ "$backend" = postgres ]; then
  tpl=$(scripts/pg.sh start "$pgdir")
  psql "${tpl/\{db\}/postgres}" -qc "CREATE DATABASE bench"
  db=${tpl/\{db\}/bench}
fi
echo "# backend: $backend"

echo "## demo generation: $n issues"
/usr/bin/time -f "%e s wall, %M KiB max RSS" build/cairn demo --db "$db" --issues "$n" >/dev/null
[ "$backend" = sqlite ] && ls -l "$db" | awk '{printf "database size: %.0f MiB\n", $5/1048576}'
# a steady-state database: autovacuum would get there; do not measure its absence
[ "$backend" = postgres ] && psql "$db" -qc "VACUUM ANALYZE"

echo "## CLI list (50 per page), wall time incl. process start"
for q in "" "is:open" "type:bug" "label:headline" "is:open type:security" "crash safari"; do
  /usr/bin/time -f "%e s  q='$q'" build/cairn issue list "$q" --db "$db" --per-page 50 >/dev/null
done
/usr/bin/time -f "%e s  q='is:open' as a viewer (privacy filter)" build/cairn issue list is:open --as vic --db "$db" >/dev/null

token=$(build/cairn token new admin --db "$db")
build/cairn serve --db "$db" --listen 127.0.0.1:0 >"$dir/out" 2>"$dir/err" & pid=$!
for _ in $(seq 50); do grep -q listening "$dir/out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$dir/out")
run() { echo "## wrk $1"; shift; wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $token" "$@" | grep -E "Requests/sec|50%|99%|Non-2xx"; }
# the list twice: "hot" repeats one URL (the reply cache answers while no
# write comes between), "cold" makes every request a new key (what a miss costs)
run "GET /api/v1/issues?per_page=50 (hot: the reply cache)" "$url/api/v1/issues?per_page=50"
run "GET /api/v1/issues?per_page=50 (cold: a new key every request)" -s bench/wrk_bust.lua "$url/api/v1/issues?per_page=50"
run "GET /api/v1/issues?q=is:open%20type:bug" "$url/api/v1/issues?q=is:open%20type:bug&per_page=50"
run "GET /api/v1/issues/4242" "$url/api/v1/issues/4242"
run "POST /api/v1/issues" -s bench/wrk_post.lua "$url/api/v1/issues"
run "GET /healthz (no auth; one schema query)" "$url/healthz"
# planning: every column's count and points plus its first page; a page deep in a big column
run "GET /api/v1/boards/product (9 columns: counts, points, first 50 each)" "$url/api/v1/boards/product"
run "GET /api/v1/boards/dev?milestone=7" "$url/api/v1/boards/dev?milestone=7"
run "GET /api/v1/boards/product/closed?offset=5000&limit=50" "$url/api/v1/boards/product/closed?offset=5000&limit=50"
run "GET /api/v1/milestones/7 (scope, load, velocity)" "$url/api/v1/milestones/7"
run "GET /api/v1/milestones/7/forecast (10,000 trials)" "$url/api/v1/milestones/7/forecast?seed=1"
# the pages every visit asks for (#17): hot (the reply cache) and cold (a new key every request)
for u in "triage?per_page=25" "strategy?v=1" "roadmap?v=1" "pillars?v=1" "initiatives?v=1"; do
  run "GET /api/v1/$u (hot)" "$url/api/v1/$u"
  run "GET /api/v1/$u (cold)" -s bench/wrk_bust.lua "$url/api/v1/$u"
done
echo "## single requests (curl, wall time)"
for u in pillars plan/check issues/1/tree; do
  curl -s -o /dev/null -w "%{time_total} s  GET /api/v1/$u\n" -H "Authorization: Bearer $token" "$url/api/v1/$u"
done
echo "## full-text search (#17): 2–3 word searches, ranked, first 50 with snippets, one at a time"
node bench/search.mjs "$url" "$token" 20
