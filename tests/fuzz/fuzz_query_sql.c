/*
 * fuzz_query_sql.c — libFuzzer target: every query the issue-list query
 * language accepts compiles to SQL and runs.  Each input is parsed
 * (query_parse_at, a fixed now); an accepted query runs through
 * store_issue_list — the SQL build_where and sb_order assemble, with its
 * bound parameters — on a real SQLite file made once per process by
 * `cairn demo --issues 200` (customers, insights, milestones, areas,
 * initiatives, security issues: every subquery meets rows), once for a
 * viewer who sees every private issue and once for one who does not, a
 * page of 50 and the capped count.
 *
 * Invariants besides ASan/UBSan/LSan: an accepted query never fails in the
 * store (no SQL error, no "too complex to build"); the count is at least
 * the page and never above the cap; the database is never changed (each
 * run is a rolled-back read; a `DROP`/`DELETE` in a value stays a value).
 *
 * Built by tests/fuzz/run.sh with the server's objects (like fuzz_http).
 */
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/query.h"
#include "service/service.h"
#include "store/store.h"

#include "fuzz_demo.h"
#include "fuzz_util.h"

#define NOW 1796644800000LL /* 2026-12-07T12:00:00Z */
#define CAP 10000

static char db[200];
static struct store *st;
static int64_t issues_before;

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "fuzz_query_sql: %s%s%s\n", what, e ? ": " : "", e ? e->msg : "");
	abort();
}

static void cleanup(void)
{
	char p[220];
	if (st)
		svc_close(st);
	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
}

static int64_t count_all(void)
{
	struct issue_query q;
	struct issue_list l;
	struct visibility v = {1, 1, 0};
	struct err e;
	int64_t total = 0;
	err_clear(&e);
	if (query_parse("", &q, &e) || store_begin(st, 0, &e) ||
	    store_issue_list(st, &q, &v, 0, 1, &l, &total, &e))
		die("count", &e);
	store_rollback(st);
	issue_list_release(&l);
	query_release(&q);
	return total;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setenv("CAIRN_NOW", "2026-12-07T12:00:00Z", 0);
	if (svc_init())
		die("svc_init", NULL);
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(db, sizeof db, "%s/cairn-fuzz-query-sql.%ld.db", tmp, (long)getpid());
	cleanup();
	atexit(cleanup);
	if (fuzz_demo(db))
		die("cairn demo failed", NULL);
	struct err e;
	err_clear(&e);
	if (svc_open(db, &st, &e))
		die("svc_open", &e);
	issues_before = count_all();
	return 0;
}

static void run(const struct issue_query *q, const struct visibility *v, const char *in)
{
	struct issue_list l;
	struct err e;
	int64_t total = -1;
	err_clear(&e);
	int rc = store_begin(st, 0, &e);
	FUZZ_ASSERT(rc == 0, in, "begin: %s", e.msg);
	rc = store_issue_list(st, q, v, 0, 50, &l, &total, &e);
	store_rollback(st);
	FUZZ_ASSERT(rc == 0, in, "an accepted query failed in the store (rc %d): %s", rc, e.msg);
	FUZZ_ASSERT(total >= (int64_t)l.n && total <= CAP, in, "total %lld, page %zu",
		    (long long)total, l.n);
	issue_list_release(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	struct issue_query q;
	struct err e;
	err_clear(&e);
	if (query_parse_at(in, NOW, &q, &e) == 0) {
		struct visibility all = {1, 1, 0}, some = {5, 0, 0};
		q.count_cap = CAP;
		run(&q, &all, in);
		run(&q, &some, in);
		query_release(&q);
		FUZZ_ASSERT(count_all() == issues_before, in, "the issues changed");
	}
	free(in);
	return 0;
}
