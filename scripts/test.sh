#!/usr/bin/env bash
# test.sh — run every test suite (make test builds first):
#   unit  Criterion tests of src/core (ASan+UBSan build)
#   api   node:test suites speaking HTTP to a real `cairn serve` (ASan+UBSan build)
#   cli   node:test suites running the cairn CLI on real databases
#   e2e   Playwright driving Debian's Chromium against a real server
# Every suite that touches the store runs twice: on SQLite files and on a throw-away
# PostgreSQL cluster (scripts/pg.sh) that this script starts and removes again.
# Every suite runs even if an earlier one fails; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CAIRN_BIN=${CAIRN_BIN:-build/asan/cairn}
logs=$(mktemp -d)
pgdir=$(mktemp -d /tmp/cairn-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"; rm -rf "$logs"' EXIT
passed=0 failed=0 status=0

run_suite() { # name command...
  local name=$1; shift
  echo "== $name"
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  local p f
  if grep -q "Synthesis: Tested" "$logs/$name.log"; then
    p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$logs/$name.log" | tail -1)
    f=$(sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2/p' "$logs/$name.log" | tail -1 | awk '{print $1+$2}')
  else
    p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$logs/$name.log" | tail -1)
    f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$logs/$name.log" | tail -1)
  fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$rc" != 0 ]; then
    status=1
    [ "${f:-0}" = 0 ] && failed=$((failed + 1)) # a crash with no failing test still fails
    echo "== $name FAILED (exit $rc)"
  fi
}

if ! pg_url=$(scripts/pg.sh start "$pgdir"); then
  echo "== cannot start PostgreSQL: the postgres suites fail"; pg_url=; status=1; failed=$((failed + 1))
fi
pg() { CAIRN_TEST_DB=$pg_url "$@"; }

run_suite unit build/unit --jobs 2
[ -n "$pg_url" ] && run_suite unit-postgres pg build/unit --jobs 2 --filter 'service/*'
run_suite api node --test tests/api/
[ -n "$pg_url" ] && run_suite api-postgres pg node --test tests/api/
run_suite cli node --test tests/cli/
[ -n "$pg_url" ] && run_suite cli-postgres pg node --test tests/cli/
if [ -z "${CAIRN_SKIP_E2E:-}" ]; then
  if [ ! -d node_modules/playwright-core ]; then npm ci --no-audit --no-fund --loglevel=error; fi
  run_suite e2e node --test tests/e2e/
  [ -n "$pg_url" ] && run_suite e2e-postgres pg node --test tests/e2e/
fi
echo
echo "tests: $passed passed, $failed failed"
exit $status
