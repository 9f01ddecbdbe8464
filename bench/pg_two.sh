#!/usr/bin/env bash
# bench/pg_two.sh URL [SECONDS [ONLY]] — one `cairn serve` against two on the same PostgreSQL
# database (issue #17: "how a second server on the same database changes them").  URL is a
# database a demo filled (bench/run.sh's, kept).  Each scenario runs with wrk at 16
# connections against one server, then with two servers, wrk split across them (two wrk
# processes at 8 connections each, at the same time; their req/s added).  CPU seconds of
# the servers and of PostgreSQL's processes are read from /proc around each run: the
# machine is shared, so req/s alone says little.  Needs wrk, node; not part of make test.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?database URL}; secs=${2:-10}; only=${3:-} # ONLY: run the scenarios whose name has it
dir=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$dir"' EXIT
host=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")
postmaster=$(head -1 "$host/data/postmaster.pid" 2>/dev/null || true)
ticks=$(getconf CLK_TCK)
# CPU seconds (user + system) of the given processes and, with "pg", of PostgreSQL's
cpu() {
  local t=0 p
  for p in "$@"; do
    [ "$p" = pg ] && continue
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  if [ -n "$postmaster" ]; then
    for p in $postmaster $(pgrep -P "$postmaster"); do
      [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
  fi
  echo "$t"
}
token=$(build/cairn token new admin --db "$db")
start() { # server number N: its pid in pids, its URL in urlN
  build/cairn serve --db "$db" --listen 127.0.0.1:0 >"$dir/out$1" 2>"$dir/err$1" & pids+=($!)
  for _ in $(seq 100); do grep -qs listening "$dir/out$1" && break; sleep 0.1; done
}
start 1; start 2
p1=${pids[0]} p2=${pids[1]}
url1=$(sed -n 's/.*listening on //p' "$dir/out1")
url2=$(sed -n 's/.*listening on //p' "$dir/out2")
rps() { sed -n 's/Requests\/sec: *//p' "$1"; }
p99() { sed -n 's/ *99% *//p' "$1"; }
errs() { sed -n 's/.*Non-2xx or 3xx responses: *//p' "$1"; }
# scenario NAME PATH [wrk args...]
scenario() {
  local name=$1 path=$2; shift 2
  [[ -z $only || $name == *"$only"* ]] || return 0
  local c0 c1 s0 s1
  s0=$(cpu "$p1" "$p2"); c0=$(cpu)
  wrk -t2 -c16 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$@" "$url1$path" >"$dir/one"
  s1=$(cpu "$p1" "$p2"); c1=$(cpu)
  printf '%-44s one: %9s req/s p99 %8s  cpu servers+pg %5.1f s (pg %5.1f)  errs %s\n' "$name" \
    "$(rps "$dir/one")" "$(p99 "$dir/one")" "$(echo "($s1 - $s0) / $ticks" | bc -l)" \
    "$(echo "($c1 - $c0) / $ticks" | bc -l)" "$(errs "$dir/one")"
  s0=$(cpu "$p1" "$p2"); c0=$(cpu)
  wrk -t1 -c8 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$@" "$url1$path" >"$dir/a" &
  local w=$!
  wrk -t1 -c8 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$@" "$url2$path" >"$dir/b"
  wait $w
  s1=$(cpu "$p1" "$p2"); c1=$(cpu)
  printf '%-44s two: %9.2f req/s p99 %8s/%-8s cpu servers+pg %5.1f s (pg %5.1f)  errs %s/%s\n' "" \
    "$(echo "$(rps "$dir/a") + $(rps "$dir/b")" | bc -l)" "$(p99 "$dir/a")" "$(p99 "$dir/b")" \
    "$(echo "($s1 - $s0) / $ticks" | bc -l)" "$(echo "($c1 - $c0) / $ticks" | bc -l)" \
    "$(errs "$dir/a")" "$(errs "$dir/b")"
}
echo "# $(uptime)"
scenario "GET /issues?per_page=50 (hot)" "/api/v1/issues?per_page=50"
scenario "GET /issues?per_page=50 (cold: new key each)" "/api/v1/issues?per_page=50" -s bench/wrk_bust.lua
scenario "GET /issues?q=is:open type:bug" "/api/v1/issues?q=is:open%20type:bug&per_page=50"
scenario "GET /issues/4242" "/api/v1/issues/4242"
scenario "POST /issues" "/api/v1/issues" -s bench/wrk_post.lua
scenario "GET /boards/product" "/api/v1/boards/product"
scenario "GET /triage" "/api/v1/triage"
if [ -z "$only" ]; then
  echo "## full-text search, one server then the other (bench/search.mjs)"
  node bench/search.mjs "$url1" "$token" 20
  node bench/search.mjs "$url2" "$token" 20
fi
echo "# $(uptime)"
grep -h VmHWM /proc/"$p1"/status /proc/"$p2"/status
