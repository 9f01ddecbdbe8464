#!/usr/bin/env bash
# bench/changelog.sh [ENTRIES] — the public changelog's speed (issue #11), not part of
# make test: a SQLite demo database (10,000 issues) with ENTRIES (default 1,000) more
# published entries imported as front-matter files, then wrk over loopback (2 threads,
# 16 connections, 10 s each) on the Atom feed (conditional and full) and the public page.
# Results go to stdout; BENCHMARKS.md records a run.  Needs root for apt-get (wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
make -s build/cairn
dir=$(mktemp -d); pid=
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
db=$dir/bench.db
build/cairn demo --db "$db" --issues 10000 >/dev/null
mkdir "$dir/files"
for k in $(seq 1 "$n"); do
  d=$(date -u -d "2020-01-01 + $k days" +%F)
  cat >"$dir/files/$d-release-note-$k.md" <<MD
---
title: "Release note $k: faster \"things\" & more"
description: "What changed in release $k, in one sentence."
date: $d 12:00:00.0
authors: ["pia", "eli"]
tags:
  - changelog
issues:
  - "#$(( (k % 5000) + 1 ))"
  - "https://github.com/example/app/issues/$k"
---

We made **release $k** better:

- one thing
- another thing, with \`code\`

> A quote from a happy customer.
MD
done
/usr/bin/time -f "import of $n files: %e s wall" build/cairn changelog import "$dir/files" --db "$db" >/dev/null
build/cairn serve --db "$db" --listen 127.0.0.1:0 >"$dir/out" 2>"$dir/err" & pid=$!
for _ in $(seq 50); do grep -q listening "$dir/out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$dir/out")
etag=$(curl -s -D - -o /dev/null "$url/changelog.atom" | sed -n 's/^ETag: //Ip' | tr -d '\r')
echo "feed: $(curl -s "$url/changelog.atom" | wc -c) bytes, ETag $etag"
run() { echo "## wrk $1"; shift; wrk -t2 -c16 -d10s --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx"; }
run "GET /changelog.atom, If-None-Match (304)" -H "If-None-Match: $etag" "$url/changelog.atom"
run "GET /changelog.atom (200, the newest 50 entries)" "$url/changelog.atom"
run "GET /changelog (200, the newest 20 entries)" "$url/changelog"
run "GET /changelog?page=30 (200, not cached)" "$url/changelog?page=30"
