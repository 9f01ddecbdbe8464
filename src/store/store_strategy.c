/*
 * store_strategy.c — the strategy document's versions, objectives and key
 * results, pillars' intended shares, initiatives with their epics, health
 * updates and demand, the done work for the allocation, and the strategy
 * history (store.h).  Portable SQL with bound parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int lost(const char *src, const char *copy)
{
	return src && !copy;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* An optional integer column: STRAT_NONE for NULL. */
static int64_t opt_int(struct store *s, struct db_rows *r, int col)
{
	return s->drv->is_null(r, col) ? STRAT_NONE : s->drv->get_int(r, col);
}

#define P_OPT(x) ((x) == STRAT_NONE ? P_NULL : P_INT(x))

/* ---- the document ---------------------------------------------------------------- */

void strategy_versions_free(struct strategy_version *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(v[k].body);
		free(v[k].author);
		free(v[k].note);
	}
	free(v);
}

int store_strategy_insert(struct store *s, const char *body, int64_t author_id, const char *note,
			  int64_t at, int64_t *id, struct err *e)
{
	struct db_param p[] = {P_TEXT(body), P_INT0(author_id), P_TEXT(note ? note : ""), P_INT(at),
			       P_INT(strlen(body))};
	return store_one_int(s,
			     "INSERT INTO strategy_versions (body, author_id, note, created_at, bytes)"
			     " VALUES ($1, $2, $3, $4, $5) RETURNING id",
			     p, 5, id, e);
}

static int read_version(struct store *s, struct db_rows *r, void *item)
{
	struct strategy_version *v = item;
	v->id = s->drv->get_int(r, 0);
	v->created_at = s->drv->get_int(r, 1);
	v->bytes = s->drv->get_int(r, 2);
	v->author = dup_or_null(s->drv->get_text(r, 3));
	v->note = dup_or_null(s->drv->get_text(r, 4));
	v->body = dup_or_null(s->drv->get_text(r, 5));
	return lost(s->drv->get_text(r, 3), v->author) || !v->note ||
	       lost(s->drv->get_text(r, 5), v->body);
}

static void release_versions(void *items, size_t n)
{
	strategy_versions_free(items, n);
}

#define VERSION_FROM                                                                         \
	" FROM strategy_versions v LEFT JOIN users u ON u.id = v.author_id"

int store_strategy_get(struct store *s, int64_t id, struct strategy_version *out, int *found,
		       struct err *e)
{
	struct strategy_version *v = NULL;
	size_t n = 0;
	struct db_param p[] = {P_INT(id)};
	int rc = store_collect(s,
			       "SELECT v.id, v.created_at, v.bytes, u.login, v.note, v.body" VERSION_FROM
			       " WHERE v.id = $1 OR ($1 = 0 AND v.id = (SELECT MAX(id) FROM strategy_versions))",
			       p, 1, sizeof *v, read_version, release_versions, (void **)&v, &n, e);
	memset(out, 0, sizeof *out);
	*found = 0;
	if (rc)
		return rc;
	if (n == 1) {
		*out = v[0]; /* takes its strings */
		*found = 1;
		free(v);
		return 0;
	}
	strategy_versions_free(v, n);
	return id ? err_set(e, CAIRN_ENOTFOUND, "version", "no strategy version #%lld", (long long)id)
		  : 0;
}

int store_strategy_list(struct store *s, struct strategy_version **out, size_t *n, struct err *e)
{
	return store_collect(s,
			     "SELECT v.id, v.created_at, v.bytes, u.login, v.note, NULL" VERSION_FROM
			     " ORDER BY v.id DESC",
			     NULL, 0, sizeof **out, read_version, release_versions, (void **)out, n, e);
}

/* ---- objectives and key results --------------------------------------------------- */

#define OBJECTIVE_COLS "SELECT id, title, description, period, created_at, updated_at FROM objectives"

static int read_objective(struct store *s, struct db_rows *r, void *item)
{
	struct objective *o = item;
	o->id = s->drv->get_int(r, 0);
	copy_text(o->title, sizeof o->title, s->drv->get_text(r, 1));
	copy_text(o->description, sizeof o->description, s->drv->get_text(r, 2));
	copy_text(o->period, sizeof o->period, s->drv->get_text(r, 3));
	o->created_at = s->drv->get_int(r, 4);
	o->updated_at = s->drv->get_int(r, 5);
	return 0;
}

int store_objective_insert(struct store *s, struct objective *o, struct err *e)
{
	struct db_param p[] = {P_TEXT(o->title), P_TEXT(o->description), P_TEXT(o->period),
			       P_INT(o->created_at), P_INT(o->updated_at)};
	return store_one_int(s,
			     "INSERT INTO objectives (title, description, period, created_at, updated_at)"
			     " VALUES ($1, $2, $3, $4, $5) RETURNING id",
			     p, 5, &o->id, e);
}

int store_objective_update(struct store *s, const struct objective *o, struct err *e)
{
	struct db_param p[] = {P_TEXT(o->title), P_TEXT(o->description), P_TEXT(o->period),
			       P_INT(o->updated_at), P_INT(o->id)};
	return store_run(s,
			 "UPDATE objectives SET title = $1, description = $2, period = $3,"
			 " updated_at = $4 WHERE id = $5",
			 p, 5, NULL, e);
}

/* The one row of sql with $1 = id into out, or CAIRN_ENOTFOUND naming what. */
static int one_by_id(struct store *s, const char *sql, int64_t id, row_fn read, void *out,
		     size_t elem, const char *what, struct err *e)
{
	void *rows = NULL;
	size_t n = 0;
	struct db_param p[] = {P_INT(id)};
	int rc = store_collect(s, sql, p, 1, elem, read, store_free_items, &rows, &n, e);
	if (!rc && n == 0)
		rc = err_set(e, CAIRN_ENOTFOUND, what, "no %s #%lld", what, (long long)id);
	if (!rc)
		memcpy(out, rows, elem);
	free(rows);
	return rc;
}

int store_objective_get(struct store *s, int64_t id, struct objective *out, struct err *e)
{
	return one_by_id(s, OBJECTIVE_COLS " WHERE id = $1", id, read_objective, out, sizeof *out,
			 "objective", e);
}

int store_objective_list(struct store *s, struct objective **out, size_t *n, struct err *e)
{
	return store_collect(s, OBJECTIVE_COLS " ORDER BY id", NULL, 0, sizeof **out,
			     read_objective, store_free_items, (void **)out, n, e);
}

#define KR_COLS                                                                        \
	"SELECT id, objective_id, metric, baseline, target, current_value, measured_at," \
	" created_at FROM key_results"

static int read_kr(struct store *s, struct db_rows *r, void *item)
{
	struct key_result *k = item;
	k->id = s->drv->get_int(r, 0);
	k->objective_id = s->drv->get_int(r, 1);
	copy_text(k->metric, sizeof k->metric, s->drv->get_text(r, 2));
	k->baseline = s->drv->get_int(r, 3);
	k->target = s->drv->get_int(r, 4);
	k->current = opt_int(s, r, 5);
	k->measured_at = s->drv->is_null(r, 6) ? 0 : s->drv->get_int(r, 6);
	k->created_at = s->drv->get_int(r, 7);
	return 0;
}

int store_kr_insert(struct store *s, struct key_result *k, struct err *e)
{
	struct db_param p[] = {P_INT(k->objective_id), P_TEXT(k->metric), P_INT(k->baseline),
			       P_INT(k->target),       P_OPT(k->current), P_INT0(k->measured_at),
			       P_INT(k->created_at)};
	return store_one_int(s,
			     "INSERT INTO key_results (objective_id, metric, baseline, target,"
			     " current_value, measured_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
			     " RETURNING id",
			     p, 7, &k->id, e);
}

int store_kr_update(struct store *s, const struct key_result *k, struct err *e)
{
	struct db_param p[] = {P_TEXT(k->metric), P_INT(k->baseline),    P_INT(k->target),
			       P_OPT(k->current), P_INT0(k->measured_at), P_INT(k->id)};
	return store_run(s,
			 "UPDATE key_results SET metric = $1, baseline = $2, target = $3,"
			 " current_value = $4, measured_at = $5 WHERE id = $6",
			 p, 6, NULL, e);
}

int store_kr_get(struct store *s, int64_t id, struct key_result *out, struct err *e)
{
	return one_by_id(s, KR_COLS " WHERE id = $1", id, read_kr, out, sizeof *out, "key result",
			 e);
}

int store_kr_list(struct store *s, struct key_result **out, size_t *n, struct err *e)
{
	return store_collect(s, KR_COLS " ORDER BY objective_id, id", NULL, 0, sizeof **out, read_kr,
			     store_free_items, (void **)out, n, e);
}

static int read_pair(struct store *s, struct db_rows *r, void *item)
{
	struct id_pair *x = item;
	x->a = s->drv->get_int(r, 0);
	x->b = s->drv->get_int(r, 1);
	return 0;
}

int store_objective_pillars(struct store *s, struct id_pair **out, size_t *n, struct err *e)
{
	return store_collect(s,
			     "SELECT objective_id, pillar_id FROM objective_pillars"
			     " ORDER BY objective_id, pillar_id",
			     NULL, 0, sizeof **out, read_pair, store_free_items, (void **)out, n, e);
}

/* Replace the b side of table's links of a. */
static int set_links(struct store *s, const char *del, const char *ins, int64_t a,
		     const int64_t *b, size_t n, struct err *e)
{
	struct db_param d[] = {P_INT(a)};
	int rc = store_run(s, del, d, 1, NULL, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct db_param p[] = {P_INT(a), P_INT(b[k])};
		rc = store_run(s, ins, p, 2, NULL, e);
	}
	return rc;
}

int store_objective_set_pillars(struct store *s, int64_t objective, const int64_t *pillars,
				size_t n, struct err *e)
{
	return set_links(s, "DELETE FROM objective_pillars WHERE objective_id = $1",
			 "INSERT INTO objective_pillars (objective_id, pillar_id) VALUES ($1, $2)",
			 objective, pillars, n, e);
}

int store_initiative_objectives(struct store *s, struct id_pair **out, size_t *n, struct err *e)
{
	return store_collect(s,
			     "SELECT initiative_id, objective_id FROM initiative_objectives"
			     " ORDER BY initiative_id, objective_id",
			     NULL, 0, sizeof **out, read_pair, store_free_items, (void **)out, n, e);
}

int store_initiative_set_objectives(struct store *s, int64_t initiative, const int64_t *objectives,
				    size_t n, struct err *e)
{
	return set_links(s, "DELETE FROM initiative_objectives WHERE initiative_id = $1",
			 "INSERT INTO initiative_objectives (initiative_id, objective_id) VALUES ($1, $2)",
			 initiative, objectives, n, e);
}

int store_pillar_update(struct store *s, const struct pillar *pl, struct err *e)
{
	struct db_param p[] = {P_TEXT(pl->name), P_TEXT(pl->description),
			       pl->target_share < 0 ? P_NULL : P_INT(pl->target_share), P_INT(pl->id)};
	int rc = store_run(s,
			   "UPDATE pillars SET name = $1, description = $2, target_share = $3 WHERE id = $4",
			   p, 4, NULL, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "a pillar named '%s' exists", pl->name);
	}
	return rc;
}

/* ---- initiatives -------------------------------------------------------------------- */

#define INITIATIVE_COLS                                                                          \
	"SELECT i.id, i.title, i.description, i.owner_id, u.login, i.pillar_id, p.name, i.horizon," \
	" i.start_day, i.target_day, i.status, i.health, i.public, i.position, i.created_at,"       \
	" i.updated_at, i.version FROM initiatives i LEFT JOIN users u ON u.id = i.owner_id"        \
	" LEFT JOIN pillars p ON p.id = i.pillar_id"

static int read_initiative(struct store *s, struct db_rows *r, void *item)
{
	struct initiative *i = item;
	i->id = s->drv->get_int(r, 0);
	copy_text(i->title, sizeof i->title, s->drv->get_text(r, 1));
	copy_text(i->description, sizeof i->description, s->drv->get_text(r, 2));
	i->owner_id = s->drv->is_null(r, 3) ? 0 : s->drv->get_int(r, 3);
	copy_text(i->owner, sizeof i->owner, s->drv->get_text(r, 4));
	i->pillar_id = s->drv->is_null(r, 5) ? 0 : s->drv->get_int(r, 5);
	copy_text(i->pillar, sizeof i->pillar, s->drv->get_text(r, 6));
	i->horizon = (int)s->drv->get_int(r, 7);
	i->start_day = opt_int(s, r, 8);
	i->target_day = opt_int(s, r, 9);
	i->status = (int)s->drv->get_int(r, 10);
	i->health = (int)s->drv->get_int(r, 11);
	i->is_public = (int)s->drv->get_int(r, 12);
	i->position = s->drv->get_int(r, 13);
	i->created_at = s->drv->get_int(r, 14);
	i->updated_at = s->drv->get_int(r, 15);
	i->version = s->drv->get_int(r, 16);
	return 0;
}

int store_initiative_insert(struct store *s, struct initiative *i, struct err *e)
{
	struct db_param p[] = {P_TEXT(i->title),       P_TEXT(i->description), P_INT0(i->owner_id),
			       P_INT0(i->pillar_id),   P_INT(i->horizon),      P_OPT(i->start_day),
			       P_OPT(i->target_day),   P_INT(i->status),       P_INT(i->health),
			       P_INT(i->is_public),    P_INT(i->position),     P_INT(i->created_at),
			       P_INT(i->updated_at)};
	int rc = store_one_int(s,
			       "INSERT INTO initiatives (title, description, owner_id, pillar_id, horizon,"
			       " start_day, target_day, status, health, public, position, created_at,"
			       " updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
			       " $11, $12, $13, 1) RETURNING id",
			       p, 13, &i->id, e);
	if (!rc)
		i->version = 1;
	return rc;
}

int store_initiative_update(struct store *s, struct initiative *i, int64_t expected,
			    struct err *e)
{
	struct db_param p[] = {P_TEXT(i->title),     P_TEXT(i->description), P_INT0(i->owner_id),
			       P_INT0(i->pillar_id), P_INT(i->horizon),      P_OPT(i->start_day),
			       P_OPT(i->target_day), P_INT(i->status),       P_INT(i->health),
			       P_INT(i->is_public),  P_INT(i->position),     P_INT(i->updated_at),
			       P_INT(i->id),	     P_INT(expected)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE initiatives SET title = $1, description = $2, owner_id = $3,"
			   " pillar_id = $4, horizon = $5, start_day = $6, target_day = $7, status = $8,"
			   " health = $9, public = $10, position = $11, updated_at = $12,"
			   " version = version + 1 WHERE id = $13 AND version = $14",
			   p, 14, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ESTALE, "version",
			     "initiative #%lld changed since version %lld; reload it", (long long)i->id,
			     (long long)expected);
	if (!rc)
		i->version = expected + 1;
	return rc;
}

int store_initiative_lock(struct store *s, int64_t id, struct err *e)
{
	char sql[128];
	struct db_param p[] = {P_INT(id)};
	int64_t got;
	snprintf(sql, sizeof sql, "SELECT id FROM initiatives WHERE id = $1%s",
		 s->drv->word(DB_W_FOR_UPDATE));
	int rc = store_one_int(s, sql, p, 1, &got, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		rc = err_set(e, CAIRN_ENOTFOUND, "initiative", "no initiative #%lld", (long long)id);
	}
	return rc;
}

int store_initiative_get(struct store *s, int64_t id, struct initiative *out, struct err *e)
{
	return one_by_id(s, INITIATIVE_COLS " WHERE i.id = $1", id, read_initiative, out,
			 sizeof *out, "initiative", e);
}

int store_initiative_list(struct store *s, struct initiative **out, size_t *n, struct err *e)
{
	return store_collect(s, INITIATIVE_COLS " ORDER BY i.position, i.id", NULL, 0, sizeof **out,
			     read_initiative, store_free_items, (void **)out, n, e);
}

/* The privacy rule on the issue aliased `alias` for v (into buf). */
static void issue_rule(const struct visibility *v, const char *alias, char *buf, size_t cap)
{
	if (v->all_private)
		snprintf(buf, cap, "1 = 1");
	else
		snprintf(buf, cap, "(%s.type <> " SECURITY_TYPE " OR %s.reporter_id = %lld)", alias,
			 alias, (long long)v->user_id);
}

int store_initiative_epics(struct store *s, const struct visibility *v, struct id_pair **out,
			   size_t *n, struct err *e)
{
	char sql[512], rule[160];
	issue_rule(v, "i", rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT ie.initiative_id, i.number FROM initiative_epics ie"
		 " JOIN issues i ON i.id = ie.issue_id WHERE %s ORDER BY ie.initiative_id, i.number",
		 rule);
	return store_collect(s, sql, NULL, 0, sizeof **out, read_pair, store_free_items,
			     (void **)out, n, e);
}

int store_initiative_epic_set(struct store *s, int64_t issue_id, int64_t initiative, int64_t *was,
			      struct err *e)
{
	struct db_param p[] = {P_INT(issue_id)};
	int rc = store_one_int(s, "SELECT initiative_id FROM initiative_epics WHERE issue_id = $1", p,
			       1, was, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		*was = 0;
		rc = 0;
	}
	if (!rc)
		rc = store_run(s, "DELETE FROM initiative_epics WHERE issue_id = $1", p, 1, NULL, e);
	if (!rc && initiative) {
		struct db_param q[] = {P_INT(issue_id), P_INT(initiative)};
		rc = store_run(s,
			       "INSERT INTO initiative_epics (issue_id, initiative_id) VALUES ($1, $2)",
			       q, 2, NULL, e);
	}
	return rc;
}

void initiative_updates_free(struct initiative_update *u, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(u[k].author);
		free(u[k].text);
	}
	free(u);
}

int store_initiative_update_insert(struct store *s, int64_t initiative, int64_t author, int64_t at,
				   int health, const char *text, struct err *e)
{
	struct db_param p[] = {P_INT(initiative), P_INT0(author), P_INT(at), P_INT(health),
			       P_TEXT(text)};
	return store_run(s,
			 "INSERT INTO initiative_updates (initiative_id, author_id, at, health, text)"
			 " VALUES ($1, $2, $3, $4, $5)",
			 p, 5, NULL, e);
}

static int read_update(struct store *s, struct db_rows *r, void *item)
{
	struct initiative_update *u = item;
	u->id = s->drv->get_int(r, 0);
	u->initiative_id = s->drv->get_int(r, 1);
	u->at = s->drv->get_int(r, 2);
	u->health = (int)s->drv->get_int(r, 3);
	u->author = dup_or_null(s->drv->get_text(r, 4));
	u->text = dup_or_null(s->drv->get_text(r, 5));
	return lost(s->drv->get_text(r, 4), u->author) || !u->text;
}

static void release_updates(void *items, size_t n)
{
	initiative_updates_free(items, n);
}

int store_initiative_updates(struct store *s, int64_t initiative, struct initiative_update **out,
			     size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(initiative)};
	return store_collect(s,
			     "SELECT x.id, x.initiative_id, x.at, x.health, u.login, x.text"
			     " FROM initiative_updates x LEFT JOIN users u ON u.id = x.author_id"
			     " WHERE ($1 > 0 AND x.initiative_id = $1) OR ($1 = 0 AND x.id IN"
			     " (SELECT MAX(id) FROM initiative_updates GROUP BY initiative_id))"
			     " ORDER BY x.id DESC",
			     p, 1, sizeof **out, read_update, release_updates, (void **)out, n, e);
}

static int read_demand(struct store *s, struct db_rows *r, void *item)
{
	struct initiative_demand *d = item;
	d->initiative_id = s->drv->get_int(r, 0);
	d->customer_id = s->drv->get_int(r, 1);
	copy_text(d->name, sizeof d->name, s->drv->get_text(r, 2));
	copy_text(d->tier, sizeof d->tier, s->drv->get_text(r, 3));
	d->arr = s->drv->get_int(r, 4);
	d->strategic = (int)s->drv->get_int(r, 5);
	d->insights = s->drv->get_int(r, 6);
	return 0;
}

int store_initiative_demand(struct store *s, const struct visibility *v,
			    struct initiative_demand **out, size_t *n, struct err *e)
{
	char sql[2048], top[160], down[160];
	/* an issue the reader may not see hides its subtree, as on the boards */
	issue_rule(v, "i", top, sizeof top);
	issue_rule(v, "c", down, sizeof down);
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE tree(initiative_id, issue_id, number) AS ("
		 " SELECT ie.initiative_id, i.id, i.number FROM initiative_epics ie"
		 " JOIN issues i ON i.id = ie.issue_id WHERE %s"
		 " UNION ALL SELECT t.initiative_id, c.id, c.number FROM tree t"
		 " JOIN issues c ON c.parent_number = t.number WHERE %s)"
		 " SELECT t.initiative_id, cu.id, cu.name, cu.tier, cu.arr, cu.strategic,"
		 " COUNT(DISTINCT n.id) FROM tree t JOIN insight_links l ON l.issue_id = t.issue_id"
		 " JOIN insights n ON n.id = l.insight_id JOIN customers cu ON cu.id = n.customer_id"
		 " GROUP BY t.initiative_id, cu.id, cu.name, cu.tier, cu.arr, cu.strategic"
		 " ORDER BY t.initiative_id, cu.arr DESC, cu.id",
		 top, down);
	return store_collect(s, sql, NULL, 0, sizeof **out, read_demand, store_free_items,
			     (void **)out, n, e);
}

static int read_done(struct store *s, struct db_rows *r, void *item)
{
	struct done_item *d = item;
	d->number = s->drv->get_int(r, 0);
	d->type = (int)s->drv->get_int(r, 1);
	d->milestone_id = s->drv->is_null(r, 2) ? 0 : s->drv->get_int(r, 2);
	d->done_at = s->drv->get_int(r, 3);
	d->points = (int)s->drv->get_int(r, 4);
	return 0;
}

int store_done_items(struct store *s, const struct visibility *v, int64_t since_ms,
		     struct done_item **out, size_t *n, struct err *e)
{
	char sql[1024], rule[160];
	struct db_param p[] = {P_INT(since_ms)};
	issue_rule(v, "i", rule, sizeof rule);
	/* a sized parent (not an epic) already counts its children's points */
	snprintf(sql, sizeof sql,
		 "SELECT i.number, i.type, i.milestone_id, i.done_at,"
		 " CASE WHEN pa.id IS NOT NULL AND pa.type <> 1 AND (pa.size > 0 OR pa.pm_size > 0)"
		 " THEN 0 WHEN i.size > 0 THEN i.size ELSE i.pm_size END"
		 " FROM issues i LEFT JOIN issues pa ON pa.number = i.parent_number"
		 " WHERE i.done_at IS NOT NULL AND i.done_at >= $1 AND i.type <> 1 AND %s"
		 " ORDER BY i.done_at, i.number",
		 rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_done, store_free_items, (void **)out, n,
			     e);
}

int store_done_in_milestones(struct store *s, const struct visibility *v, const int64_t *ids,
			     size_t n, struct done_item **out, size_t *nout, struct err *e)
{
	char sql[1536], rule[160], in[512];
	struct db_param p[24];
	size_t len = 0;
	*out = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	if (n > 24)
		return err_set(e, CAIRN_EINVALID, "last", "at most 24 milestones");
	for (size_t k = 0; k < n; k++) {
		p[k] = P_INT(ids[k]);
		len += (size_t)snprintf(in + len, sizeof in - len, "%s$%zu", k ? ", " : "", k + 1);
	}
	issue_rule(v, "i", rule, sizeof rule);
	/* the milestone index (milestone_id, dev_status) finds them */
	snprintf(sql, sizeof sql,
		 "SELECT i.number, i.type, i.milestone_id, i.done_at,"
		 " CASE WHEN pa.id IS NOT NULL AND pa.type <> 1 AND (pa.size > 0 OR pa.pm_size > 0)"
		 " THEN 0 WHEN i.size > 0 THEN i.size ELSE i.pm_size END"
		 " FROM issues i LEFT JOIN issues pa ON pa.number = i.parent_number"
		 " WHERE i.milestone_id IN (%s) AND i.done_at IS NOT NULL AND i.type <> 1 AND %s"
		 " ORDER BY i.done_at, i.number",
		 in, rule);
	return store_collect(s, sql, p, (int)n, sizeof **out, read_done, store_free_items,
			     (void **)out, nout, e);
}

int store_free_epics(struct store *s, const struct visibility *v, int64_t limit,
		     struct issue_list *out, struct err *e)
{
	struct issue_query q;
	int64_t total;
	int rc = query_parse("type:epic is:open", &q, e);
	if (rc)
		return rc;
	q.oldest_first = 1;
	/* the epics of initiatives are dropped by the caller (few) */
	rc = store_issue_list(s, &q, v, 0, limit, out, &total, e);
	query_release(&q);
	return rc;
}

/* ---- history ----------------------------------------------------------------------- */

void strategy_changes_free(struct strategy_change *c, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(c[k].actor);
		free(c[k].object);
		free(c[k].field);
		free(c[k].old_value);
		free(c[k].new_value);
	}
	free(c);
}

int store_strategy_history_add(struct store *s, const char *object, int64_t actor, int64_t at,
			       const char *field, const char *old_value, const char *new_value,
			       struct err *e)
{
	struct db_param p[] = {P_TEXT(object),	 P_INT0(actor),	     P_INT(at),
			       P_TEXT(field),	 P_TEXT(old_value), P_TEXT(new_value)};
	return store_run(s,
			 "INSERT INTO strategy_history (object, actor_id, at, field, old_value,"
			 " new_value) VALUES ($1, $2, $3, $4, $5, $6)",
			 p, 6, NULL, e);
}

static int read_change(struct store *s, struct db_rows *r, void *item)
{
	struct strategy_change *c = item;
	c->id = s->drv->get_int(r, 0);
	c->at = s->drv->get_int(r, 1);
	c->actor = dup_or_null(s->drv->get_text(r, 2));
	c->object = dup_or_null(s->drv->get_text(r, 3));
	c->field = dup_or_null(s->drv->get_text(r, 4));
	c->old_value = dup_or_null(s->drv->get_text(r, 5));
	c->new_value = dup_or_null(s->drv->get_text(r, 6));
	return lost(s->drv->get_text(r, 2), c->actor) || !c->object || !c->field ||
	       lost(s->drv->get_text(r, 5), c->old_value) ||
	       lost(s->drv->get_text(r, 6), c->new_value);
}

static void release_changes(void *items, size_t n)
{
	strategy_changes_free(items, n);
}

int store_strategy_history(struct store *s, int64_t limit, struct strategy_change **out, size_t *n,
			   struct err *e)
{
	struct db_param p[] = {P_INT(limit)};
	return store_collect(s,
			     "SELECT h.id, h.at, u.login, h.object, h.field, h.old_value, h.new_value"
			     " FROM strategy_history h LEFT JOIN users u ON u.id = h.actor_id"
			     " ORDER BY h.id DESC LIMIT $1",
			     p, 1, sizeof **out, read_change, release_changes, (void **)out, n, e);
}
