/*
 * store_rollup.c — the maintained roll-ups (store.h, issue #12): per issue
 * and scope the sums of its children's numbers (table rollups), per area
 * and scope its epics' (table area_rollups), the issues as roll-up items,
 * and the row locks that serialize writers along an ancestor chain on
 * PostgreSQL.  The rules that turn sums into numbers are core/plan.c's
 * rollup_eval; service/svc_rollup.c keeps the tables in step.
 * Portable SQL with bound parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define EFF "(CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END)"
/* the columns read_item expects, from the issue table aliased i */
#define ITEM_COLS                                                                          \
	"i.number, i.parent_number, i.area_id, i.type, " EFF ", i.state,"                 \
	" CASE WHEN i.close_reason IS NULL THEN 0 ELSE 1 END"
#define ITEM_NCOLS 7
#define SUMS_COLS "points, done, booked, items, done_items, unsized"

static void read_item(struct store *s, struct db_rows *r, struct rollup_item *x)
{
	x->number = s->drv->get_int(r, 0);
	x->parent = s->drv->get_int(r, 1);
	x->area = s->drv->get_int(r, 2);
	x->type = (int)s->drv->get_int(r, 3);
	x->points = (int)s->drv->get_int(r, 4);
	x->done = s->drv->get_int(r, 5) == ISSUE_CLOSED;
	x->gone = s->drv->get_int(r, 6) != 0;
}

/* Six sums from column col on (NULL reads as 0: no row, no children). */
static void read_sums(struct store *s, struct db_rows *r, int col, struct rollup_sums *x)
{
	x->points = (int)s->drv->get_int(r, col);
	x->done = (int)s->drv->get_int(r, col + 1);
	x->booked = (int)s->drv->get_int(r, col + 2);
	x->items = (int)s->drv->get_int(r, col + 3);
	x->done_items = (int)s->drv->get_int(r, col + 4);
	x->unsized = (int)s->drv->get_int(r, col + 5);
}

/* ---- state ------------------------------------------------------------------ */

int store_rollup_stale(struct store *s, int *stale, struct err *e)
{
	char buf[8];
	return store_setting_get(s, "rollups_rebuild", buf, sizeof buf, stale, e);
}

int store_rollup_reset(struct store *s, struct err *e)
{
	int rc = store_run(s, "DELETE FROM rollups", NULL, 0, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM area_rollups", NULL, 0, NULL, e);
	return rc;
}

int store_rollup_fresh(struct store *s, struct err *e)
{
	return store_run(s, "DELETE FROM settings WHERE name = 'rollups_rebuild'", NULL, 0, NULL, e);
}

/* ---- items -------------------------------------------------------------------- */

int store_rollup_items(struct store *s, struct rollup_item **out, size_t *n, struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*out = NULL;
	*n = 0;
	if ((rc = s->drv->query(s->db, "SELECT " ITEM_COLS " FROM issues i ORDER BY i.number", NULL,
				0, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		read_item(s, r, &(*out)[(*n)++]);
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_rollup_item(struct store *s, int64_t number, int lock, struct rollup_item *out,
		      struct err *e)
{
	char sql[400];
	struct db_param p[] = {P_INT(number)};
	struct db_rows *r;
	int row, rc;
	snprintf(sql, sizeof sql, "SELECT " ITEM_COLS " FROM issues i WHERE i.number = $1%s",
		 lock ? s->drv->word(DB_W_LOCK_ROW) : "");
	memset(out, 0, sizeof *out);
	if ((rc = s->drv->query(s->db, sql, p, 1, &r, e)))
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_ENOTFOUND, NULL, "issue #%lld not found", (long long)number);
	if (!rc)
		read_item(s, r, out);
	s->drv->finish(r);
	return rc;
}

int store_rollup_locks(const struct store *s)
{
	return s->drv->word(DB_W_LOCK_ROW)[0] != '\0';
}

/* ---- children's sums ------------------------------------------------------------ */

int store_rollup_kids(struct store *s, int64_t number, int scope, struct rollup_sums *out,
		      struct err *e)
{
	struct db_param p[] = {P_INT(number), P_INT(scope)};
	struct db_rows *r;
	int row, rc;
	memset(out, 0, sizeof *out);
	if ((rc = s->drv->query(s->db,
				"SELECT " SUMS_COLS " FROM rollups WHERE number = $1 AND scope = $2", p, 2,
				&r, e)))
		return rc;
	if (!(rc = s->drv->next(r, &row, e)) && row)
		read_sums(s, r, 0, out);
	s->drv->finish(r);
	return rc;
}

int store_rollup_add(struct store *s, int64_t number, int scope, const struct rollup_sums *d,
		     struct rollup_sums *after, struct err *e)
{
	struct db_param p[] = {P_INT(number), P_INT(scope),	 P_INT(d->points),
			       P_INT(d->done), P_INT(d->booked), P_INT(d->items),
			       P_INT(d->done_items), P_INT(d->unsized)};
	struct db_rows *r;
	int row, rc;
	/* one statement: the increment is atomic and returns what it made */
	if ((rc = s->drv->query(s->db,
				"INSERT INTO rollups (number, scope, " SUMS_COLS ")"
				" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
				" ON CONFLICT (number, scope) DO UPDATE SET"
				" points = rollups.points + excluded.points,"
				" done = rollups.done + excluded.done,"
				" booked = rollups.booked + excluded.booked,"
				" items = rollups.items + excluded.items,"
				" done_items = rollups.done_items + excluded.done_items,"
				" unsized = rollups.unsized + excluded.unsized"
				" RETURNING " SUMS_COLS,
				p, 8, &r, e)))
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_EINTERNAL, NULL, "roll-up of #%lld not written", (long long)number);
	if (!rc && after)
		read_sums(s, r, 0, after);
	s->drv->finish(r);
	return rc;
}

int store_area_rollup_add(struct store *s, int64_t area, int scope, int epics, int points,
			  int done, struct err *e)
{
	struct db_param p[] = {P_INT(area), P_INT(scope), P_INT(epics), P_INT(points), P_INT(done)};
	return store_run(s,
			 "INSERT INTO area_rollups (area_id, scope, epics, points, done)"
			 " VALUES ($1, $2, $3, $4, $5)"
			 " ON CONFLICT (area_id, scope) DO UPDATE SET"
			 " epics = area_rollups.epics + excluded.epics,"
			 " points = area_rollups.points + excluded.points,"
			 " done = area_rollups.done + excluded.done",
			 p, 5, NULL, e);
}

/* ---- reads ------------------------------------------------------------------------ */

struct pos_ref {
	int64_t number;
	size_t k;
};

static int by_pos_number(const void *a, const void *b)
{
	const struct pos_ref *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

#define READ_CHUNK 200

int store_rollup_read(struct store *s, int scope, const int64_t *numbers, size_t n,
		      struct rollup_item *items, struct rollup_sums *kids, struct err *e)
{
	struct pos_ref *idx = n ? malloc(n * sizeof *idx) : NULL;
	char sql[800 + READ_CHUNK * 8];
	struct db_param p[READ_CHUNK + 1];
	int rc = 0;
	if (n && !idx)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < n; k++) {
		idx[k] = (struct pos_ref){numbers[k], k};
		memset(&kids[k], 0, sizeof kids[k]);
		if (items)
			memset(&items[k], 0, sizeof items[k]);
	}
	if (n)
		qsort(idx, n, sizeof *idx, by_pos_number);
	for (size_t at = 0; at < n && !rc; at += READ_CHUNK) {
		size_t m = n - at < READ_CHUNK ? n - at : READ_CHUNK, len;
		struct db_rows *r;
		int row;
		p[0] = P_INT(scope);
		len = (size_t)snprintf(sql, sizeof sql,
				       "SELECT " ITEM_COLS ", r.points, r.done, r.booked, r.items,"
				       " r.done_items, r.unsized FROM issues i LEFT JOIN rollups r"
				       " ON r.number = i.number AND r.scope = $1 WHERE i.number IN (");
		for (size_t k = 0; k < m; k++) {
			p[k + 1] = P_INT(idx[at + k].number);
			len += (size_t)snprintf(sql + len, sizeof sql - len, "%s$%zu", k ? "," : "", k + 2);
		}
		snprintf(sql + len, sizeof sql - len, ")");
		if ((rc = s->drv->query(s->db, sql, p, (int)m + 1, &r, e)))
			break;
		while (!(rc = s->drv->next(r, &row, e)) && row) {
			struct rollup_item x;
			struct rollup_sums sums;
			read_item(s, r, &x);
			read_sums(s, r, ITEM_NCOLS, &sums);
			/* every position asking for this number (they sort together) */
			struct pos_ref key = {x.number, 0};
			struct pos_ref *hit = bsearch(&key, idx, n, sizeof *idx, by_pos_number);
			while (hit && hit > idx && hit[-1].number == x.number)
				hit--;
			for (; hit && hit < idx + n && hit->number == x.number; hit++) {
				kids[hit->k] = sums;
				if (items)
					items[hit->k] = x;
			}
		}
		s->drv->finish(r);
	}
	free(idx);
	return rc;
}

int store_rollup_rows(struct store *s, int scope, int64_t **numbers, struct rollup_sums **kids,
		      size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(scope)};
	struct db_rows *r;
	size_t cap = 0, cap2 = 0;
	int row, rc;
	*numbers = NULL;
	*kids = NULL;
	*n = 0;
	if ((rc = s->drv->query(s->db,
				"SELECT number, " SUMS_COLS " FROM rollups WHERE scope = $1 ORDER BY number",
				p, 1, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)numbers, &cap, *n, sizeof **numbers) ||
		    store_grow((void **)kids, &cap2, *n, sizeof **kids)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		(*numbers)[*n] = s->drv->get_int(r, 0);
		read_sums(s, r, 1, &(*kids)[(*n)++]);
	}
	s->drv->finish(r);
	if (rc) {
		free(*numbers);
		free(*kids);
		*numbers = NULL;
		*kids = NULL;
		*n = 0;
	}
	return rc;
}

static int read_area_rollup(struct store *s, struct db_rows *r, void *item)
{
	struct area_rollup *a = item;
	a->area = s->drv->get_int(r, 0);
	a->epics = (int)s->drv->get_int(r, 1);
	a->points = (int)s->drv->get_int(r, 2);
	a->done = (int)s->drv->get_int(r, 3);
	return 0;
}

int store_area_rollups(struct store *s, int scope, struct area_rollup **out, size_t *n,
		       struct err *e)
{
	struct db_param p[] = {P_INT(scope)};
	return store_collect(s,
			     "SELECT area_id, epics, points, done FROM area_rollups WHERE scope = $1"
			     " ORDER BY area_id",
			     p, 1, sizeof **out, read_area_rollup, store_free_items, (void **)out, n, e);
}

int store_rollup_sees_own_private(struct store *s, int64_t user_id, int *yes, struct err *e)
{
	struct db_param p[] = {P_INT(user_id)};
	int64_t one;
	/* the partial index issues_security_in_tree answers it */
	int rc = store_one_int(s,
			       "SELECT 1 FROM issues WHERE type = " SECURITY_TYPE
			       " AND parent_number IS NOT NULL AND reporter_id = $1"
			       " AND close_reason IS NULL LIMIT 1",
			       p, 1, &one, e);
	*yes = rc == 0;
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		rc = 0;
	}
	return rc;
}
