/*
 * svc_group.c — group commit: the writes of concurrent requests share one
 * transaction and one commit.
 *
 * On SQLite only one connection writes at a time, and each transaction
 * pays for its lock, its WAL frames and a full-text segment (store_search.c)
 * whatever its size.  So a write (svc_write) joins a queue; the first
 * thread to find no batch running becomes the leader: it takes the queue,
 * opens one write transaction on its own connection, runs every write in
 * its own SAVEPOINT (a write that fails is rolled back alone, with its own
 * error), commits once, and only then wakes the writers, whose answers
 * were filled in by then.  The writes that arrive meanwhile form the next
 * batch.  A write runs as if alone: its actor, its time, its checks; the
 * batch runs them one after another, so a later write sees an earlier one
 * (a second update at the same version is refused as stale).
 *
 * The batches run on one connection of their own (svc_group_start, by the
 * server) with a page cache large enough for a batch's pages: one warm
 * cache instead of a cold one per request thread, and no spill to the WAL
 * before the commit.
 *
 * PostgreSQL, an in-memory SQLite and the CLI (no svc_group_start) keep
 * one transaction per write on the caller's connection: PostgreSQL's
 * writers do not wait for one another on one lock, and each transaction
 * is its own commit there.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "service/svc_int.h"

/* at most this many writes in one transaction: a bound on a batch's time */
#define GROUP_MAX 64
/* A leader finding others queued waits up to GROUP_WAIT_US for the group
 * to grow to GROUP_GROW more than the last one: the writers just answered
 * are on their way back with their next write, and a commit costs about
 * the same for one write as for sixteen (its fsync, its WAL frames, its
 * search segment, the pages the writes share).  A writer alone never
 * waits; the wait ends at once when enough have come. */
#define GROUP_WAIT_US 1000
#define GROUP_GROW 4

struct write {
	const struct op *op;
	int (*fn)(const struct op *op, void *ctx, struct err *e);
	void (*undo)(void *ctx);
	void *ctx;
	struct err *e;
	int rc;
	int done;
	struct write *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct write *queue; /* oldest first */
static int leading;	    /* a batch is running */
static struct store *gst;   /* where batches run: svc_group_start's */
static unsigned long long ngroups, nwrites; /* committed, under mu */
static int nqueued;	    /* writes in queue */
static int last_size;	    /* the writes of the last batch */
static pthread_cond_t arrive = PTHREAD_COND_INITIALIZER; /* a write was queued */

/* the writer's page cache, KiB (SQLite's default is 2,000) */
#define GROUP_CACHE_KIB 32768

int svc_group_start(const char *url, struct err *e)
{
	struct store *st;
	int rc = store_open(url, &st, e);
	if (rc)
		return rc;
	if (!store_group_commit(st)) {
		store_close(st);
		return 0;
	}
	if ((rc = store_writer_tune(st, GROUP_CACHE_KIB, e))) {
		store_close(st);
		return rc;
	}
	pthread_mutex_lock(&mu);
	gst = st;
	pthread_mutex_unlock(&mu);
	return 0;
}

void svc_group_stats(unsigned long long *groups, unsigned long long *writes)
{
	pthread_mutex_lock(&mu);
	*groups = ngroups;
	*writes = nwrites;
	pthread_mutex_unlock(&mu);
}

int svc_group_active(void)
{
	pthread_mutex_lock(&mu);
	int on = gst != NULL;
	pthread_mutex_unlock(&mu);
	return on;
}

/* Writes after this are each their own transaction again; a group running
 * is waited for. */
void svc_group_stop(void)
{
	pthread_mutex_lock(&mu);
	while (leading)
		pthread_cond_wait(&cv, &mu);
	struct store *st = gst;
	gst = NULL;
	pthread_mutex_unlock(&mu);
	store_close(st);
}

/* One write in its own transaction on its own connection. */
static int write_alone(const struct op *op, struct write *w)
{
	int rc = store_begin(op->st, 1, w->e);
	if (rc)
		return rc;
	rc = w->fn(op, w->ctx, w->e);
	if (!rc && (rc = store_commit(op->st, w->e)) && w->undo)
		w->undo(w->ctx);
	if (rc)
		store_rollback(op->st);
	return rc;
}

/* The writes of a batch that had run get the batch's failure instead. */
static void fail_all(struct write *b, int rc, const struct err *why)
{
	for (struct write *w = b; w; w = w->next) {
		if (!w->rc && w->undo)
			w->undo(w->ctx);
		if (!w->rc || w->rc == -1) {
			w->rc = rc;
			if (w->e != why)
				*w->e = *why;
		}
	}
}

/* Run batch b (on st, a connection of the same database) in one
 * transaction.  Each write's rc and err are set. */
static void run_batch(struct store *st, struct write *b)
{
	struct err e;
	struct write *w;
	err_clear(&e);
	for (w = b; w; w = w->next)
		w->rc = -1; /* not run */
	int rc = store_begin(st, 1, &e);
	if (rc) {
		fail_all(b, rc, &e);
		return;
	}
	for (w = b; w; w = w->next) {
		struct op o = *w->op;
		o.st = st;
		if ((rc = store_savepoint(st, w->e))) {
			w->rc = rc;
			break;
		}
		w->rc = w->fn(&o, w->ctx, w->e);
		if (!w->rc) {
			if ((rc = store_release(st, w->e))) {
				if (w->undo)
					w->undo(w->ctx);
				w->rc = rc;
				break;
			}
		} else if ((rc = store_rollback_to(st, &e))) {
			/* the transaction itself failed (disk full, I/O): so does the batch */
			break;
		}
	}
	if (!w && !(rc = store_commit(st, &e)))
		return;
	store_rollback(st);
	/* nothing of the batch was committed: its writes share the failure */
	fail_all(b, w ? w->rc : rc, w ? w->e : &e);
}

/* Take the writes queued for st's database (at most GROUP_MAX), oldest
 * first; the others stay queued.  Called with mu held. */
static struct write *take(const struct store *st)
{
	struct write *b = NULL, **tail = &b, **p = &queue;
	int n = 0;
	while (*p && n < GROUP_MAX) {
		struct write *w = *p;
		if (!store_same_db(w->op->st, st)) {
			p = &w->next;
			continue;
		}
		*p = w->next;
		w->next = NULL;
		*tail = w;
		tail = &w->next;
		n++;
		nqueued--;
	}
	return b;
}

int svc_write(const struct op *op, int (*fn)(const struct op *op, void *ctx, struct err *e),
	      void (*undo)(void *ctx), void *ctx, struct err *e)
{
	struct write me = {op, fn, undo, ctx, e, 0, 0, NULL};
	pthread_mutex_lock(&mu);
	if (!gst || !store_same_db(gst, op->st)) {
		pthread_mutex_unlock(&mu);
		return write_alone(op, &me);
	}
	struct write **p = &queue;
	while (*p)
		p = &(*p)->next;
	*p = &me;
	nqueued++;
	pthread_cond_signal(&arrive);
	while (!me.done) {
		if (leading) {
			pthread_cond_wait(&cv, &mu);
			continue;
		}
		/* lead: run what is queued for this database, me among it */
		leading = 1;
		if (nqueued > 1 && nqueued < last_size + GROUP_GROW) {
			struct timespec until;
			wall_deadline(GROUP_WAIT_US, &until);
			while (nqueued < last_size + GROUP_GROW && nqueued < GROUP_MAX &&
			       pthread_cond_timedwait(&arrive, &mu, &until) == 0)
				;
		}
		struct store *st = gst;
		struct write *b = take(st);
		last_size = 0;
		for (struct write *w = b; w; w = w->next)
			last_size++;
		pthread_mutex_unlock(&mu);
		run_batch(st, b);
		pthread_mutex_lock(&mu);
		ngroups++;
		for (struct write *w = b, *next; w; w = next) {
			next = w->next; /* w may return and go once done is set */
			w->done = 1;
			nwrites++;
		}
		leading = 0;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&mu);
	return me.rc;
}
