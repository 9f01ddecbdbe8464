/*
 * store_plan.c — planning data (store.h): board positions, the hierarchy
 * as roll-up nodes, pillars and areas, milestones and their scope rows.
 * Portable SQL with bound parameters; every read of issues for a user
 * applies the privacy rule of store_int.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define EFF "(CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END)"

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* Append the privacy rule for v (" AND ..." or nothing) to sql. */
static void rule(char *sql, size_t cap, const struct visibility *v, int param)
{
	size_t len = strlen(sql);
	if (!v->all_private)
		snprintf(sql + len, cap - len, " AND " PRIVATE_RULE_HEAD "$%d" PRIVATE_RULE_TAIL, param);
}

/* ---- positions ----------------------------------------------------------------- */

static const char *pos_col(int dev)
{
	return dev ? "dev_position" : "board_position";
}

/* The column condition; on the development board it also names the
 * partial index's condition so the planner may use it. */
static const char *col_col(int dev)
{
	return dev ? "dev_status > 0 AND dev_status" : "board";
}

int store_position_step(struct store *s, int dev, int column, int64_t pos, int dir,
			int64_t *out, int *found, struct err *e)
{
	char sql[200];
	struct db_param p[] = {P_INT(column), P_INT(pos)};
	snprintf(sql, sizeof sql, "SELECT %s FROM issues WHERE %s = $1 AND %s %s $2 ORDER BY %s%s LIMIT 1",
		 pos_col(dev), col_col(dev), pos_col(dev), dir > 0 ? ">" : "<", pos_col(dev),
		 dir > 0 ? "" : " DESC");
	int rc = store_one_int(s, sql, p, 2, out, e);
	*found = rc == 0;
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return 0;
	}
	return rc;
}

int store_position_shift(struct store *s, int dev, int column, int64_t above, int64_t delta,
			 struct err *e)
{
	char sql[200];
	struct db_param p[] = {P_INT(delta), P_INT(column), P_INT(above)};
	/* order only: versions stay (nobody's edit of these issues is stale) */
	snprintf(sql, sizeof sql, "UPDATE issues SET %s = %s + $1 WHERE %s = $2 AND %s > $3",
		 pos_col(dev), pos_col(dev), col_col(dev), pos_col(dev));
	return store_run(s, sql, p, 3, NULL, e);
}

/* ---- hierarchy ------------------------------------------------------------------ */

static int node_by_number(const void *a, const void *b)
{
	const struct plan_node *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

int store_plan_nodes(struct store *s, const struct visibility *v, const int64_t *numbers,
		     size_t n, struct plan_node **out, size_t *nout, struct err *e)
{
	size_t cap = 0, len = 0;
	struct db_param *p = NULL;
	struct db_rows *r;
	int row, rc = 0, np = 0;
	char *sql = NULL;

	*out = NULL;
	*nout = 0;
	if (!n && numbers)
		return 0;
	if (!(p = calloc(n + 1, sizeof *p)) || !(sql = malloc(1024 + n * 12))) {
		free(p);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	size_t scap = 1024 + n * 12;
	if (!v->all_private)
		p[np++] = P_INT(v->user_id);
	/* UNION ALL carrying the rows (no de-duplicating temp tree, no join
	 * back); a tree has one path to each node, the depth cap stops a
	 * cycle in old data, and roots under other roots are de-duplicated
	 * below */
	len += (size_t)snprintf(sql + len, scap - len,
				"WITH RECURSIVE t(number, parent, type, pts, state, depth) AS ("
				/* a root closed as won't do counts for itself, never for
				 * a parent that is in the set too */
				"SELECT i.number, CASE WHEN i.close_reason IS NULL THEN i.parent_number END,"
				" i.type, " EFF ", i.state, 0"
				" FROM issues i WHERE %s",
				numbers ? "i.number IN (" : "i.area_id IS NOT NULL AND i.close_reason IS NULL");
	for (size_t k = 0; numbers && k < n; k++) {
		p[np++] = P_INT(numbers[k]);
		len += (size_t)snprintf(sql + len, scap - len, "%s$%d", k ? "," : "", np);
	}
	if (!numbers && !v->all_private)
		len += (size_t)snprintf(sql + len, scap - len, " AND " PRIVATE_RULE_HEAD "$1" PRIVATE_RULE_TAIL);
	len += (size_t)snprintf(sql + len, scap - len,
				"%s UNION ALL SELECT i.number, i.parent_number, i.type, " EFF ", i.state,"
				" t.depth + 1 FROM issues i JOIN t ON i.parent_number = t.number"
				" WHERE t.depth < 16 AND i.close_reason IS NULL%s)"
				" SELECT number, parent, type, pts, state FROM t",
				numbers ? ")" : "",
				v->all_private ? "" : " AND " PRIVATE_RULE_HEAD "$1" PRIVATE_RULE_TAIL);
	rc = s->drv->query(s->db, sql, p, np, &r, e);
	if (!rc) {
		while (!(rc = s->drv->next(r, &row, e)) && row) {
			if (store_grow((void **)out, &cap, *nout, sizeof **out)) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			struct plan_node *x = &(*out)[(*nout)++];
			memset(x, 0, sizeof *x);
			x->number = s->drv->get_int(r, 0);
			x->parent = s->drv->get_int(r, 1);
			x->type = (int)s->drv->get_int(r, 2);
			x->points = (int)s->drv->get_int(r, 3);
			x->done = s->drv->get_int(r, 4) == 1; /* won't-do items are not in the set */
		}
		s->drv->finish(r);
	}
	free(p);
	free(sql);
	if (rc) {
		free(*out);
		*out = NULL;
		*nout = 0;
		return rc;
	}
	/* a root below another root came twice: keep one */
	if (*nout > 1) {
		size_t w = 1;
		qsort(*out, *nout, sizeof **out, node_by_number);
		for (size_t k = 1; k < *nout; k++)
			if ((*out)[k].number != (*out)[w - 1].number)
				(*out)[w++] = (*out)[k];
		*nout = w;
	}
	return 0;
}

int store_child_types(struct store *s, const struct visibility *v, int64_t number, int **out,
		      size_t *n, struct err *e)
{
	char sql[200] = "SELECT i.type FROM issues i WHERE i.parent_number = $1";
	struct db_param p[] = {P_INT(number), P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*out = NULL;
	*n = 0;
	rule(sql, sizeof sql, v, 2);
	if ((rc = s->drv->query(s->db, sql, p, v->all_private ? 1 : 2, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		(*out)[(*n)++] = (int)s->drv->get_int(r, 0);
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_double_booked(struct store *s, const struct visibility *v, struct double_booking **out,
			size_t *n, size_t *total, struct err *e)
{
	int64_t last = 0;
	char sql[1400];
	struct db_param p[] = {P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*out = NULL;
	*n = 0;
	*total = 0;
	/* i: the sized parent (not an epic), c: its sized children */
	snprintf(sql, sizeof sql,
		 "SELECT i.number, i.type, i.title, " EFF ", q.type, i.parent_number, c.number,"
		 " CASE WHEN c.size > 0 THEN c.size ELSE c.pm_size END"
		 " FROM issues i JOIN issues c ON c.parent_number = i.number"
		 " LEFT JOIN issues q ON q.number = i.parent_number"
		 " WHERE i.type <> 1 AND " EFF " > 0 AND (c.size > 0 OR c.pm_size > 0)"
		 " AND i.close_reason IS NULL AND c.close_reason IS NULL");
	if (!v->all_private) {
		size_t len = strlen(sql);
		snprintf(sql + len, sizeof sql - len,
			 " AND " PRIVATE_RULE_HEAD "$1" PRIVATE_RULE_TAIL
			 " AND (c.type <> " SECURITY_TYPE " OR c.reporter_id = $1)");
	}
	size_t len = strlen(sql);
	snprintf(sql + len, sizeof sql - len, " ORDER BY i.number, c.number");
	if ((rc = s->drv->query(s->db, sql, p, v->all_private ? 0 : 1, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		int64_t number = s->drv->get_int(r, 0);
		struct double_booking *d = *n ? &(*out)[*n - 1] : NULL;
		if (number != last) {
			last = number;
			++*total;
		}
		if (*n >= DOUBLE_BOOKED_MAX && (!d || d->number != number))
			continue; /* counted, not listed */
		if (!d || d->number != number) {
			if (store_grow((void **)out, &cap, *n, sizeof **out)) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			d = &(*out)[(*n)++];
			memset(d, 0, sizeof *d);
			d->number = number;
			d->type = (int)s->drv->get_int(r, 1);
			copy_text(d->title, sizeof d->title, s->drv->get_text(r, 2));
			d->points = (int)s->drv->get_int(r, 3);
			/* the epic above it, unless it is private and hidden */
			if (s->drv->get_int(r, 4) == 1)
				d->epic = s->drv->get_int(r, 5);
		}
		d->children_points += (int)s->drv->get_int(r, 7);
		if (d->nchildren < 32)
			d->children[d->nchildren++] = s->drv->get_int(r, 6);
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- pillars and areas ------------------------------------------------------------ */

int store_pillar_insert(struct store *s, struct pillar *pl, struct err *e)
{
	struct db_param p[] = {P_TEXT(pl->name), P_TEXT(pl->description), P_INT(pl->created_at)};
	int rc = store_one_int(s,
			       "INSERT INTO pillars (name, description, created_at) VALUES ($1, $2, $3)"
			       " RETURNING id",
			       p, 3, &pl->id, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "a pillar named '%s' exists", pl->name);
	}
	return rc;
}

static void read_pillar(struct store *s, struct db_rows *r, struct pillar *pl)
{
	pl->id = s->drv->get_int(r, 0);
	copy_text(pl->name, sizeof pl->name, s->drv->get_text(r, 1));
	copy_text(pl->description, sizeof pl->description, s->drv->get_text(r, 2));
	pl->created_at = s->drv->get_int(r, 3);
	pl->target_share = s->drv->is_null(r, 4) ? -1 : (int)s->drv->get_int(r, 4);
}

static void read_area(struct store *s, struct db_rows *r, struct area *a)
{
	a->id = s->drv->get_int(r, 0);
	a->pillar_id = s->drv->get_int(r, 1);
	copy_text(a->name, sizeof a->name, s->drv->get_text(r, 2));
	copy_text(a->description, sizeof a->description, s->drv->get_text(r, 3));
	a->created_at = s->drv->get_int(r, 4);
}

/* Rows of a fixed query (with optional one id parameter) into an array of
 * elem-sized items filled by read. */
typedef void (*reader)(struct store *s, struct db_rows *r, void *item);

static int read_rows(struct store *s, const char *sql, const struct db_param *p, int np,
		     reader read, size_t elem, void **out, size_t *n, struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*out = NULL;
	*n = 0;
	if ((rc = s->drv->query(s->db, sql, p, np, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow(out, &cap, *n, elem)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		char *item = (char *)*out + elem * (*n)++;
		memset(item, 0, elem);
		read(s, r, item);
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* Exactly one row by id, or CAIRN_ENOTFOUND naming what. */
static int read_by_id(struct store *s, const char *sql, int64_t id, reader read, void *out,
		      size_t elem, const char *what, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	void *rows;
	size_t n;
	int rc = read_rows(s, sql, p, 1, read, elem, &rows, &n, e);
	if (rc)
		return rc;
	if (!n) {
		free(rows);
		return err_set(e, CAIRN_ENOTFOUND, what, "no %s #%lld", what, (long long)id);
	}
	memcpy(out, rows, elem);
	free(rows);
	return 0;
}

#define PILLAR_COLS "SELECT id, name, description, created_at, target_share FROM pillars"
#define AREA_COLS "SELECT id, pillar_id, name, description, created_at FROM areas"

int store_pillar_get(struct store *s, int64_t id, struct pillar *out, struct err *e)
{
	return read_by_id(s, PILLAR_COLS " WHERE id = $1", id, (reader)read_pillar, out,
			  sizeof *out, "pillar", e);
}

int store_pillar_list(struct store *s, struct pillar **out, size_t *n, struct err *e)
{
	return read_rows(s, PILLAR_COLS " ORDER BY name, id", NULL, 0, (reader)read_pillar,
			 sizeof **out, (void **)out, n, e);
}

int store_area_insert(struct store *s, struct area *a, struct err *e)
{
	struct db_param p[] = {P_INT(a->pillar_id), P_TEXT(a->name), P_TEXT(a->description),
			       P_INT(a->created_at)};
	int rc = store_one_int(s,
			       "INSERT INTO areas (pillar_id, name, description, created_at)"
			       " VALUES ($1, $2, $3, $4) RETURNING id",
			       p, 4, &a->id, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "this pillar has an area named '%s'",
			       a->name);
	}
	return rc;
}

int store_area_get(struct store *s, int64_t id, struct area *out, struct err *e)
{
	return read_by_id(s, AREA_COLS " WHERE id = $1", id, (reader)read_area, out, sizeof *out,
			  "area", e);
}

int store_area_list(struct store *s, struct area **out, size_t *n, struct err *e)
{
	return read_rows(s, AREA_COLS " ORDER BY pillar_id, name, id", NULL, 0, (reader)read_area,
			 sizeof **out, (void **)out, n, e);
}

int store_area_epics(struct store *s, const struct visibility *v, int64_t **area_of,
		     int64_t **numbers, size_t *n, struct err *e)
{
	char sql[300] = "SELECT i.area_id, i.number FROM issues i WHERE i.area_id IS NOT NULL"
			" AND i.close_reason IS NULL";
	struct db_param p[] = {P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0, cap2 = 0;
	int row, rc;
	*area_of = *numbers = NULL;
	*n = 0;
	rule(sql, sizeof sql, v, 1);
	if ((rc = s->drv->query(s->db, sql, p, v->all_private ? 0 : 1, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)area_of, &cap, *n, sizeof **area_of) ||
		    store_grow((void **)numbers, &cap2, *n, sizeof **numbers)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		(*area_of)[*n] = s->drv->get_int(r, 0);
		(*numbers)[(*n)++] = s->drv->get_int(r, 1);
	}
	s->drv->finish(r);
	if (rc) {
		free(*area_of);
		free(*numbers);
		*area_of = *numbers = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- milestones ------------------------------------------------------------------- */

#define MILESTONE_COLS "SELECT id, title, start_day, due_day, capacity, created_at FROM milestones"

static void read_milestone(struct store *s, struct db_rows *r, struct milestone *m)
{
	m->id = s->drv->get_int(r, 0);
	copy_text(m->title, sizeof m->title, s->drv->get_text(r, 1));
	m->start_day = s->drv->get_int(r, 2);
	m->due_day = s->drv->get_int(r, 3);
	m->capacity = (int)s->drv->get_int(r, 4);
	m->created_at = s->drv->get_int(r, 5);
}

static int title_taken(struct err *e, const char *title)
{
	err_clear(e);
	return err_set(e, CAIRN_ECONFLICT, "title", "a milestone titled '%s' exists", title);
}

int store_milestone_insert(struct store *s, struct milestone *m, struct err *e)
{
	struct db_param p[] = {P_TEXT(m->title), P_INT(m->start_day), P_INT(m->due_day),
			       P_INT(m->capacity), P_INT(m->created_at)};
	int rc = store_one_int(s,
			       "INSERT INTO milestones (title, start_day, due_day, capacity, created_at)"
			       " VALUES ($1, $2, $3, $4, $5) RETURNING id",
			       p, 5, &m->id, e);
	return rc == CAIRN_ECONFLICT ? title_taken(e, m->title) : rc;
}

int store_milestone_get(struct store *s, int64_t id, struct milestone *out, struct err *e)
{
	return read_by_id(s, MILESTONE_COLS " WHERE id = $1", id, (reader)read_milestone, out,
			  sizeof *out, "milestone", e);
}

int store_milestone_list(struct store *s, struct milestone **out, size_t *n, struct err *e)
{
	return read_rows(s, MILESTONE_COLS " ORDER BY start_day, id", NULL, 0,
			 (reader)read_milestone, sizeof **out, (void **)out, n, e);
}

int store_milestone_update(struct store *s, const struct milestone *m, struct err *e)
{
	struct db_param p[] = {P_TEXT(m->title), P_INT(m->start_day), P_INT(m->due_day),
			       P_INT(m->capacity), P_INT(m->id)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE milestones SET title = $1, start_day = $2, due_day = $3,"
			   " capacity = $4 WHERE id = $5",
			   p, 5, &changed, e);
	if (rc == CAIRN_ECONFLICT)
		return title_taken(e, m->title);
	if (!rc && !changed)
		return err_set(e, CAIRN_ENOTFOUND, "milestone", "no milestone #%lld", (long long)m->id);
	return rc;
}

int store_milestone_delete(struct store *s, int64_t id, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	int64_t items = 0, changed = 0;
	int rc = store_one_int(s, "SELECT COUNT(*) FROM issues WHERE milestone_id = $1", p, 1,
			       &items, e);
	if (rc)
		return rc;
	if (items)
		return err_set(e, CAIRN_ECONFLICT, "milestone",
			       "milestone #%lld still holds %lld issue%s: move them out first",
			       (long long)id, (long long)items, items == 1 ? "" : "s");
	if ((rc = store_run(s, "DELETE FROM milestone_scope WHERE milestone_id = $1", p, 1, NULL, e)) ||
	    (rc = store_run(s, "DELETE FROM milestones WHERE id = $1", p, 1, &changed, e)))
		return rc;
	if (!changed)
		return err_set(e, CAIRN_ENOTFOUND, "milestone", "no milestone #%lld", (long long)id);
	return 0;
}

/* ---- scope rows ---------------------------------------------------------------------- */

int store_scope_join(struct store *s, int64_t milestone_id, int64_t issue_id, int64_t at,
		     int64_t done_at, int points, struct err *e)
{
	return store_scope_insert(s, milestone_id, issue_id, at, 0, NULL, done_at, points, e);
}

int store_scope_insert(struct store *s, int64_t milestone_id, int64_t issue_id, int64_t added_at,
		       int64_t removed_at, const char *slip_reason, int64_t done_at, int points,
		       struct err *e)
{
	struct db_param p[] = {P_INT(milestone_id), P_INT(issue_id), P_INT(added_at),
			       P_INT0(removed_at), P_TEXT(slip_reason), P_INT0(done_at),
			       P_INT(points)};
	if (s->bulk_buf) /* a SQLite bulk load's: with others (store_bulk.c) */
		return store_bulk_row(s, BULK_SCOPE, p, e);
	return store_insert_row(s,
				"INSERT INTO milestone_scope (milestone_id, issue_id, added_at, removed_at,"
				" slip_reason, done_at, points) VALUES ($1, $2, $3, $4, $5, $6, $7)",
				"COPY milestone_scope (milestone_id, issue_id, added_at, removed_at,"
				" slip_reason, done_at, points) FROM STDIN",
				p, 7, e);
}

int store_scope_leave(struct store *s, int64_t milestone_id, int64_t issue_id, int64_t at,
		      const char *slip_reason, int64_t done_at, int points, struct err *e)
{
	struct db_param p[] = {P_INT(at), P_TEXT(slip_reason), P_INT(milestone_id), P_INT(issue_id),
			       P_INT0(done_at), P_INT(points)};
	/* a row of a finished milestone keeps its values: only the leaving is new */
	return store_run(s,
			 "UPDATE milestone_scope SET removed_at = $1, slip_reason = COALESCE($2,"
			 " slip_reason), done_at = CASE WHEN (SELECT (m.due_day + 1) * 86400000 FROM"
			 " milestones m WHERE m.id = $3) > $1 THEN $5 ELSE done_at END,"
			 " points = CASE WHEN (SELECT (m.due_day + 1) * 86400000 FROM milestones m"
			 " WHERE m.id = $3) > $1 THEN $6 ELSE points END"
			 " WHERE milestone_id = $3 AND issue_id = $4 AND removed_at IS NULL",
			 p, 6, NULL, e);
}

int store_scope_sync(struct store *s, int64_t issue_id, int64_t done_at, int points, int64_t now,
		     struct err *e)
{
	struct db_param p[] = {P_INT0(done_at), P_INT(points), P_INT(issue_id), P_INT(now)};
	return store_run(s,
			 "UPDATE milestone_scope SET done_at = $1, points = $2 WHERE issue_id = $3"
			 " AND removed_at IS NULL AND milestone_id IN (SELECT m.id FROM milestones m"
			 " WHERE (m.due_day + 1) * 86400000 > $4)",
			 p, 4, NULL, e);
}

int store_scope_reason(struct store *s, int64_t milestone_id, int64_t issue_id,
		       const char *slip_reason, struct err *e)
{
	struct db_param p[] = {P_TEXT(slip_reason), P_INT(milestone_id), P_INT(issue_id)};
	return store_run(s,
			 "UPDATE milestone_scope SET slip_reason = $1 WHERE id = (SELECT MAX(id) FROM"
			 " milestone_scope WHERE milestone_id = $2 AND issue_id = $3)",
			 p, 3, NULL, e);
}

static void read_scope(struct store *s, struct db_rows *r, struct scope_item *x)
{
	const struct db_driver *d = s->drv;
	x->milestone_id = d->get_int(r, 0);
	x->issue_id = d->get_int(r, 1);
	x->number = d->get_int(r, 2);
	copy_text(x->title, sizeof x->title, d->get_text(r, 3));
	x->type = (int)d->get_int(r, 4);
	x->state = (int)d->get_int(r, 5);
	x->dev_status = (int)d->get_int(r, 6);
	copy_text(x->assignee, sizeof x->assignee, d->get_text(r, 7));
	copy_text(x->slip_reason, sizeof x->slip_reason, d->get_text(r, 8));
	x->row.added_ms = d->get_int(r, 9);
	x->row.removed_ms = d->get_int(r, 10);
	x->row.done_ms = d->get_int(r, 11);
	x->row.points = (int)d->get_int(r, 12);
}

int store_scope_list(struct store *s, const struct visibility *v, int64_t milestone_id,
		     struct scope_item **out, size_t *n, struct err *e)
{
	char sql[900] =
		"SELECT sc.milestone_id, i.id, i.number, i.title, i.type, i.state, i.dev_status,"
		" a.login, sc.slip_reason, sc.added_at, sc.removed_at, sc.done_at, sc.points"
		" FROM milestone_scope sc JOIN issues i ON i.id = sc.issue_id"
		" JOIN milestones m ON m.id = sc.milestone_id"
		" LEFT JOIN users a ON a.id = i.assignee_id WHERE (sc.milestone_id = $1 OR $1 = 0)";
	struct db_param p[] = {P_INT(milestone_id), P_INT(v->user_id)};
	rule(sql, sizeof sql, v, 2);
	size_t len = strlen(sql);
	snprintf(sql + len, sizeof sql - len, " ORDER BY m.start_day, m.id, i.number, sc.id");
	return read_rows(s, sql, p, v->all_private ? 1 : 2, (reader)read_scope, sizeof **out,
			 (void **)out, n, e);
}

int store_done_since(struct store *s, const struct visibility *v, int64_t since_ms,
		     int64_t **done_at, int **points, size_t *n, struct err *e)
{
	/* epics count through their children, not on top of them */
	char sql[300] = "SELECT i.done_at, " EFF " FROM issues i WHERE i.done_at >= $1"
			" AND i.type <> 1";
	struct db_param p[] = {P_INT(since_ms), P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0, cap2 = 0;
	int row, rc;
	*done_at = NULL;
	*points = NULL;
	*n = 0;
	rule(sql, sizeof sql, v, 2);
	if ((rc = s->drv->query(s->db, sql, p, v->all_private ? 1 : 2, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)done_at, &cap, *n, sizeof **done_at) ||
		    store_grow((void **)points, &cap2, *n, sizeof **points)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		(*done_at)[*n] = s->drv->get_int(r, 0);
		(*points)[(*n)++] = (int)s->drv->get_int(r, 1);
	}
	s->drv->finish(r);
	if (rc) {
		free(*done_at);
		free(*points);
		*done_at = NULL;
		*points = NULL;
		*n = 0;
	}
	return rc;
}
