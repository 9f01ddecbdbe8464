/*
 * svc_rollup.c — roll-ups maintained on write (issue #12).
 *
 * Every issue write that can change a roll-up (type, size or pm_size,
 * state, a won't-do or duplicate close, parent, area) updates, in its own
 * transaction, the stored sums of its old and new parents' children and
 * walks up each ancestor chain (at most ROLLUP_CHAIN links) while the
 * numbers an ancestor passes up still change; an epic with an area passes
 * its change to the area's row.  core/plan.c's rollup_eval is the one rule
 * that turns a node's fields and its children's sums into its numbers, so
 * a read costs one row per asked-for issue (or area) instead of a walk
 * over whole trees.
 *
 * Two scopes are kept: every issue (for admin, pm and cto) and public
 * issues only (for everyone else).  A reader who reported a security issue
 * that sits in a tree sees it, so public numbers would be wrong for them:
 * their reads are computed on read as before (rollup_scope says so).
 *
 * Concurrency: on SQLite one writer holds the database.  On PostgreSQL
 * writers run READ COMMITTED concurrently, so before it writes, a writer
 * locks the issue rows of the node and of both ancestor chains in
 * ascending number order (rollup_lock); every writer that could change a
 * node's sums holds that node's lock, so the read-modify-write of its row
 * is serialized, and the shared order leaves no lock cycle (a chain that
 * changed while we waited is locked after, and a rare deadlock is reported
 * as busy: try again).
 */
#include <stdlib.h>
#include <string.h>

#include "core/strategy.h"
#include "service/svc_int.h"

#define ROLLUP_CHAIN 16 /* ancestors walked; the hierarchy allows 2 */

static struct rollup_item item_of(const struct issue *i)
{
	struct rollup_item x = {
		.number = i->number,
		.parent = i->parent,
		.area = i->area_id,
		.type = i->type,
		.points = issue_effective_size(i),
		.done = i->state == ISSUE_CLOSED,
		.gone = i->close_reason != NULL,
	};
	return x;
}

static int same_item(const struct rollup_item *a, const struct rollup_item *b)
{
	return a->parent == b->parent && a->area == b->area && a->type == b->type &&
	       a->points == b->points && a->done == b->done && a->gone == b->gone;
}

/* Whether writing next over cur (NULL: a new issue) can change a roll-up. */
static int relevant(const struct issue *cur, const struct issue *next)
{
	struct rollup_item b = item_of(next);
	if (!cur)
		return b.parent || b.area;
	struct rollup_item a = item_of(cur);
	return !same_item(&a, &b);
}

/* ---- locks (PostgreSQL) ------------------------------------------------------- */

struct numset {
	int64_t v[2 * ROLLUP_CHAIN + 2];
	size_t n;
};

static int numset_has(const struct numset *s, int64_t x)
{
	for (size_t k = 0; k < s->n; k++)
		if (s->v[k] == x)
			return 1;
	return 0;
}

static void numset_add(struct numset *s, int64_t x)
{
	if (x && !numset_has(s, x) && s->n < sizeof s->v / sizeof s->v[0])
		s->v[s->n++] = x;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The ancestors of from (from included) as stored now, into want. */
static int chain(struct store *st, int64_t from, struct numset *want, struct err *e)
{
	for (int d = 0; from && d < ROLLUP_CHAIN; d++) {
		struct rollup_item x;
		int rc = store_rollup_item(st, from, 0, &x, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return 0;
		}
		if (rc)
			return rc;
		numset_add(want, from);
		from = x.parent;
	}
	return 0;
}

int rollup_lock(struct store *st, const struct issue *cur, const struct issue *next,
		struct err *e)
{
	struct numset held = {.n = 0};
	int rc;
	if (!store_rollup_locks(st) || !relevant(cur, next))
		return 0;
	/* lock, then look again: a chain may have moved while we waited */
	for (int round = 0; round < 4; round++) {
		struct numset want = {.n = 0};
		numset_add(&want, next->number);
		if ((cur && (rc = chain(st, cur->parent, &want, e))) ||
		    (rc = chain(st, next->parent, &want, e)))
			return rc;
		struct numset todo = {.n = 0};
		for (size_t k = 0; k < want.n; k++)
			if (!numset_has(&held, want.v[k]))
				numset_add(&todo, want.v[k]);
		if (!todo.n)
			return 0;
		qsort(todo.v, todo.n, sizeof todo.v[0], cmp_i64);
		for (size_t k = 0; k < todo.n; k++) {
			struct rollup_item x;
			rc = store_rollup_item(st, todo.v[k], 1, &x, e);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				rc = 0;
			}
			if (rc)
				return rc;
			numset_add(&held, todo.v[k]);
		}
	}
	return err_set(e, CAIRN_EBUSY, NULL, "the issue tree keeps changing: try again");
}

/* ---- maintenance ------------------------------------------------------------------ */

static void sums_diff(const struct rollup_sums *a, const struct rollup_sums *b,
		      struct rollup_sums *out)
{
	*out = *a;
	rollup_add(out, b, -1);
}

/* Add d to the children's sums of `at` in scope, then pass the change of
 * its own numbers up its chain (and to its area). */
static int propagate(struct store *st, int64_t at, int scope, struct rollup_sums d, int64_t self,
		     struct err *e)
{
	for (int depth = 0; at && at != self && depth < ROLLUP_CHAIN && !rollup_is_zero(&d);
	     depth++) {
		struct rollup_item own;
		struct rollup_sums after, before, ta, tb;
		int rc = store_rollup_item(st, at, 0, &own, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return 0;
		}
		if (rc || (rc = store_rollup_add(st, at, scope, &d, &after, e)))
			return rc;
		sums_diff(&after, &d, &before);
		rollup_eval(&own, &before, &tb, NULL);
		rollup_eval(&own, &after, &ta, NULL);
		if (!rollup_counts(&own, scope))
			return 0;
		if (own.area && (ta.points != tb.points || ta.done != tb.done) &&
		    (rc = store_area_rollup_add(st, own.area, scope, 0, ta.points - tb.points,
						ta.done - tb.done, e)))
			return rc;
		sums_diff(&ta, &tb, &d);
		at = own.parent;
	}
	return 0;
}

static int write_scope(struct store *st, const struct rollup_item *was, const struct rollup_item *is,
		       int scope, struct err *e)
{
	struct rollup_sums kids = {0}, old_c = {0}, new_c = {0};
	int rc;
	/* its own children are not touched by its own write (a new one has none) */
	if (was && (rc = store_rollup_kids(st, is->number, scope, &kids, e)))
		return rc;
	int old_counts = was && rollup_counts(was, scope), new_counts = rollup_counts(is, scope);
	if (old_counts)
		rollup_eval(was, &kids, &old_c, NULL);
	if (new_counts)
		rollup_eval(is, &kids, &new_c, NULL);
	/* the areas: out of the old one, into the new one */
	if (old_counts && was->area &&
	    (rc = store_area_rollup_add(st, was->area, scope, -1, -old_c.points, -old_c.done, e)))
		return rc;
	if (new_counts && is->area &&
	    (rc = store_area_rollup_add(st, is->area, scope, 1, new_c.points, new_c.done, e)))
		return rc;
	int64_t from = was ? was->parent : 0;
	if (from == is->parent) {
		struct rollup_sums d;
		sums_diff(&new_c, &old_c, &d);
		return propagate(st, is->parent, scope, d, is->number, e);
	}
	struct rollup_sums minus = {0};
	rollup_add(&minus, &old_c, -1);
	if ((rc = propagate(st, from, scope, minus, is->number, e)))
		return rc;
	return propagate(st, is->parent, scope, new_c, is->number, e);
}

int rollup_write(struct store *st, const struct issue *cur, const struct issue *next,
		 struct err *e)
{
	if (!relevant(cur, next))
		return 0;
	struct rollup_item was = cur ? item_of(cur) : (struct rollup_item){0}, is = item_of(next);
	for (int scope = 0; scope < ROLLUP_SCOPES; scope++) {
		int rc = write_scope(st, cur ? &was : NULL, &is, scope, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- reads ---------------------------------------------------------------------------- */

int rollup_scope(const struct op *op, int *scope, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int stale, own, rc;
	*scope = -1;
	if ((rc = store_rollup_stale(st, &stale, e)) || stale)
		return rc;
	if (svc_may(actor, P_PRIVATE_READ)) {
		*scope = ROLLUP_ALL;
		return 0;
	}
	if ((rc = store_rollup_sees_own_private(st, actor->id, &own, e)))
		return rc;
	*scope = own ? -1 : ROLLUP_PUBLIC;
	return 0;
}

/* ---- rebuild -------------------------------------------------------------------------- */

static int by_area(const void *a, const void *b)
{
	const struct area_rollup *x = a, *y = b;
	return (x->area > y->area) - (x->area < y->area);
}

int rollup_rebuild(struct store *st, struct err *e)
{
	struct rollup_item *items = NULL;
	struct rollup_sums *kids = NULL;
	struct area_rollup *areas = NULL;
	size_t n = 0;
	int rc;
	if ((rc = store_rollup_reset(st, e)) || (rc = store_rollup_items(st, &items, &n, e)))
		goto out;
	if (n && (!(kids = calloc(n, sizeof *kids)) || !(areas = calloc(n, sizeof *areas)))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (int scope = 0; scope < ROLLUP_SCOPES; scope++) {
		size_t na = 0;
		if (rollup_forest(items, n, scope, kids)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < n; k++) {
			if (!rollup_is_zero(&kids[k]) &&
			    (rc = store_rollup_add(st, items[k].number, scope, &kids[k], NULL, e)))
				goto out;
			if (items[k].area && rollup_counts(&items[k], scope)) {
				struct rollup_sums tot;
				rollup_eval(&items[k], &kids[k], &tot, NULL);
				areas[na++] = (struct area_rollup){items[k].area, 1, tot.points, tot.done};
			}
		}
		if (na)
			qsort(areas, na, sizeof *areas, by_area);
		for (size_t a = 0; a < na;) {
			struct area_rollup sum = {areas[a].area, 0, 0, 0};
			for (; a < na && areas[a].area == sum.area; a++) {
				sum.epics += areas[a].epics;
				sum.points += areas[a].points;
				sum.done += areas[a].done;
			}
			if ((rc = store_area_rollup_add(st, sum.area, scope, sum.epics, sum.points,
							sum.done, e)))
				goto out;
		}
	}
	if (!(rc = store_board_tally_rebuild(st, e)) && !(rc = store_triage_tally_rebuild(st, e)))
		rc = store_rollup_fresh(st, e);
out:
	free(items);
	free(kids);
	free(areas);
	return rc;
}

int svc_rollups_rebuild(const struct op *op, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	if (actor && (rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = rollup_rebuild(st, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_rollups_rebuild_if_stale(const struct op *op, struct err *e)
{
	struct store *st = op->st;
	int stale, rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_rollup_stale(st, &stale, e)) || (stale && (rc = rollup_rebuild(st, e))) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* ---- check: the stored numbers against a recomputation from scratch ------------------ */

static void mismatch(struct rollup_check *c, int scope, int64_t number, int64_t area,
		     const char *what, int stored, int computed)
{
	c->mismatches++;
	if (c->nshown >= ROLLUP_CHECK_SHOWN)
		return;
	struct rollup_mismatch *m = &c->shown[c->nshown++];
	m->scope = scope;
	m->number = number;
	m->area = area;
	m->what = what;
	m->stored = stored;
	m->computed = computed;
}

/* One scope: plan_rollup and strategy_progress (the code that computes on
 * read) over every issue, against rollup_eval over the stored sums. */
static int check_scope(struct store *st, const struct rollup_item *items, size_t n, int scope,
		       struct rollup_check *c, struct err *e)
{
	struct plan_node *nodes = n ? calloc(n, sizeof *nodes) : NULL;
	struct strat_progress *prog = n ? calloc(n, sizeof *prog) : NULL;
	int64_t *roots = n ? calloc(n, sizeof *roots) : NULL, *rnum = NULL;
	int *group = n ? calloc(n, sizeof *group) : NULL;
	struct rollup_sums *rows = NULL;
	struct area_rollup *stored = NULL, *want = NULL;
	size_t nrows = 0, nstored = 0, nwant = 0;
	int rc = 0;
	if (n && (!nodes || !prog || !roots || !group)) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* a node that does not count above it is read as the root of its own
	 * tree (as the on-read path reads a won't-do epic asked for by number) */
	for (size_t k = 0; k < n; k++) {
		const struct rollup_item *x = &items[k];
		nodes[k] = (struct plan_node){.number = x->number,
					      .parent = rollup_counts(x, scope) ? x->parent : 0,
					      .type = x->type,
					      .points = x->points,
					      .done = x->done};
		roots[k] = x->number;
		group[k] = (int)k;
	}
	if (plan_rollup(nodes, n)) {
		rc = err_set(e, CAIRN_EINTERNAL, NULL, "the issue tree has a cycle");
		goto out;
	}
	if (strategy_progress(nodes, n, roots, group, n, prog, n)) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = store_rollup_rows(st, scope, &rnum, &rows, &nrows, e)) ||
	    (rc = store_area_rollups(st, scope, &stored, &nstored, e)))
		goto out;
	if (n && !(want = calloc(n, sizeof *want))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* items and rows both by number: walk them together */
	size_t r = 0;
	for (size_t k = 0; k < n; k++) {
		const struct rollup_item *x = &items[k];
		struct rollup_sums kids = {0}, t;
		int db;
		for (; r < nrows && rnum[r] < x->number; r++)
			if (!rollup_is_zero(&rows[r]))
				mismatch(c, scope, rnum[r], 0, "row without an issue", rows[r].points, 0);
		if (r < nrows && rnum[r] == x->number)
			kids = rows[r++];
		rollup_eval(x, &kids, &t, &db);
		const struct plan_node *p = &nodes[k];
		const struct strat_progress *g = &prog[k];
		c->checked++;
		if (t.points != p->rollup)
			mismatch(c, scope, x->number, 0, "points", t.points, p->rollup);
		if (t.done != p->done_rollup)
			mismatch(c, scope, x->number, 0, "done_points", t.done, p->done_rollup);
		if (kids.booked != p->booked_below)
			mismatch(c, scope, x->number, 0, "booked_below", kids.booked, p->booked_below);
		if (db != p->double_booked)
			mismatch(c, scope, x->number, 0, "double_booked", db, p->double_booked);
		if (t.items != g->items)
			mismatch(c, scope, x->number, 0, "items", t.items, g->items);
		if (t.done_items != g->done_items)
			mismatch(c, scope, x->number, 0, "done_items", t.done_items, g->done_items);
		if (t.unsized != g->unsized)
			mismatch(c, scope, x->number, 0, "unsized", t.unsized, g->unsized);
		if (x->area && rollup_counts(x, scope))
			want[nwant++] = (struct area_rollup){x->area, 1, p->rollup, p->done_rollup};
	}
	for (; r < nrows; r++)
		if (!rollup_is_zero(&rows[r]))
			mismatch(c, scope, rnum[r], 0, "row without an issue", rows[r].points, 0);
	/* areas: the sums of their epics, against the stored rows */
	if (nwant)
		qsort(want, nwant, sizeof *want, by_area);
	size_t a = 0, b = 0;
	while (a < nwant || b < nstored) {
		struct area_rollup w = {0}, s = {0};
		int64_t area = a < nwant && (b >= nstored || want[a].area <= stored[b].area)
				       ? want[a].area
				       : stored[b].area;
		for (w.area = area; a < nwant && want[a].area == area; a++) {
			w.epics += want[a].epics;
			w.points += want[a].points;
			w.done += want[a].done;
		}
		if (b < nstored && stored[b].area == area)
			s = stored[b++];
		c->areas_checked++;
		if (s.epics != w.epics)
			mismatch(c, scope, 0, area, "area epics", s.epics, w.epics);
		if (s.points != w.points)
			mismatch(c, scope, 0, area, "area points", s.points, w.points);
		if (s.done != w.done)
			mismatch(c, scope, 0, area, "area done_points", s.done, w.done);
	}
out:
	free(nodes);
	free(prog);
	free(roots);
	free(group);
	free(rnum);
	free(rows);
	free(stored);
	free(want);
	return rc;
}

/* The product board's tally (migration 21) against a recount; a mismatch
 * names the column ("board next issues", scope all = security issues). */
static int check_tally(struct store *st, struct rollup_check *c, struct err *e)
{
	static const char *const what[9][2] = {
#define COL(n) {"board " n " issues", "board " n " points"}
		COL("no_status"), COL("under_review"), COL("next"), COL("short"), COL("medium"),
		COL("long"),      COL("icebox"),       COL("started"), COL("closed"),
#undef COL
	};
	int64_t stored[9][2][2], want[9][2][2];
	int rc;
	if ((rc = store_board_tally_read(st, 0, stored, e)) ||
	    (rc = store_board_tally_read(st, 1, want, e)))
		return rc;
	for (int col = 0; col < 9; col++)
		for (int sec = 0; sec < 2; sec++)
			for (int k = 0; k < 2; k++)
				if (stored[col][sec][k] != want[col][sec][k])
					mismatch(c, sec ? ROLLUP_ALL : ROLLUP_PUBLIC, 0, 0, what[col][k],
						 (int)stored[col][sec][k], (int)want[col][sec][k]);
	return 0;
}

/* The triage inbox's tally (migration 23) against a recount, row by row
 * (public issues, and each reporter's security issues). */
static int check_inbox(struct store *st, struct rollup_check *c, struct err *e)
{
	struct triage_tally_row *stored = NULL, *want = NULL;
	size_t ns = 0, nw = 0, a = 0, b = 0;
	int rc;
	if ((rc = store_triage_tally_read(st, 0, &stored, &ns, e)) ||
	    (rc = store_triage_tally_read(st, 1, &want, &nw, e)))
		goto out;
	while (a < ns || b < nw) {
		struct triage_tally_row x = {0, 0, 0}, y = {0, 0, 0};
		int cmp = a >= ns ? 1 : b >= nw ? -1
			: stored[a].secure != want[b].secure ? stored[a].secure - want[b].secure
			: (stored[a].reporter_id > want[b].reporter_id) -
				  (stored[a].reporter_id < want[b].reporter_id);
		if (cmp <= 0)
			x = stored[a++];
		if (cmp >= 0)
			y = want[b++];
		struct triage_tally_row k = cmp <= 0 ? x : y;
		if (x.n != y.n)
			mismatch(c, k.secure ? ROLLUP_ALL : ROLLUP_PUBLIC, 0, 0,
				 k.secure ? "triage inbox security issues of one reporter"
					  : "triage inbox issues",
				 (int)x.n, (int)y.n);
	}
out:
	free(stored);
	free(want);
	return rc;
}

int svc_rollups_check(const struct op *op, struct rollup_check *out,
		      struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct rollup_item *items = NULL;
	size_t n = 0;
	int stale, rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_PRIVATE_READ, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_rollup_stale(st, &stale, e)))
		goto out;
	out->stale = stale;
	if ((rc = store_rollup_items(st, &items, &n, e)))
		goto out;
	for (int scope = 0; scope < ROLLUP_SCOPES && !rc; scope++)
		rc = check_scope(st, items, n, scope, out, e);
	if (!rc && !(rc = check_tally(st, out, e)) && !(rc = check_inbox(st, out, e)))
		rc = store_commit(st, e);
out:
	if (rc)
		store_rollback(st);
	free(items);
	return rc;
}
