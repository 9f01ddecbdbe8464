/*
 * store_insight.c — customers, personas, insights and their links to
 * issues (store.h).  Portable SQL with bound parameters, like store_sql.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* Reads one row into the struct at item (a read_customer/read_persona). */
typedef void (*row_reader)(struct store *s, struct db_rows *r, void *item);

/* All rows of sql into a malloc'd array of elem-sized items. */
static int read_all(struct store *s, const char *sql, row_reader read, size_t elem, void **out,
		    size_t *n, struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*out = NULL;
	*n = 0;
	if ((rc = s->drv->query(s->db, sql, NULL, 0, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow(out, &cap, *n, elem)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		read(s, r, (char *)*out + elem * (*n)++);
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* The one row of `table` with this id, or (name non-NULL) this name. */
static int read_one(struct store *s, const char *cols, const char *table, int64_t id,
		    const char *name, row_reader read, void *out, struct err *e)
{
	char sql[256];
	struct db_param p[] = {name ? P_TEXT(name) : P_INT(id)};
	struct db_rows *r;
	int row, rc;
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = $1", cols, table,
		 name ? "name" : "id");
	if ((rc = s->drv->query(s->db, sql, p, 1, &r, e)))
		return rc;
	if (!(rc = s->drv->next(r, &row, e)) && !row) {
		const char *what = !strcmp(table, "customers") ? "customer" : "persona";
		if (name)
			rc = err_set(e, CAIRN_ENOTFOUND, what, "no %s '%s'", what, name);
		else
			rc = err_set(e, CAIRN_ENOTFOUND, what, "no %s #%lld", what, (long long)id);
	}
	if (!rc)
		read(s, r, out);
	s->drv->finish(r);
	return rc;
}

/* ---- customers and personas -------------------------------------------------- */

#define CUSTOMER_COLS "id, name, tier, arr, seats, strategic, created_at"

static void read_customer(struct store *s, struct db_rows *r, void *item)
{
	struct customer *c = item;
	c->id = s->drv->get_int(r, 0);
	copy_text(c->name, sizeof c->name, s->drv->get_text(r, 1));
	copy_text(c->tier, sizeof c->tier, s->drv->get_text(r, 2));
	c->arr = s->drv->get_int(r, 3);
	c->seats = (int)s->drv->get_int(r, 4);
	c->strategic = (int)s->drv->get_int(r, 5);
	c->created_at = s->drv->get_int(r, 6);
}

int store_customer_insert(struct store *s, struct customer *c, struct err *e)
{
	struct db_param p[] = {P_TEXT(c->name), P_TEXT(c->tier), P_INT(c->arr), P_INT(c->seats),
			       P_INT(c->strategic), P_INT(c->created_at)};
	int rc = store_one_int(s,
			       "INSERT INTO customers (name, tier, arr, seats, strategic, created_at)"
			       " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			       p, 6, &c->id, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "a customer named '%s' exists", c->name);
	}
	return rc;
}

int store_customer_get(struct store *s, int64_t id, const char *name, struct customer *out,
		       struct err *e)
{
	return read_one(s, CUSTOMER_COLS, "customers", id, name, read_customer, out, e);
}

int store_customer_list(struct store *s, struct customer **out, size_t *n, struct err *e)
{
	return read_all(s, "SELECT " CUSTOMER_COLS " FROM customers ORDER BY name", read_customer,
			sizeof **out, (void **)out, n, e);
}

int store_customer_update(struct store *s, const struct customer *c, struct err *e)
{
	struct db_param p[] = {P_TEXT(c->name), P_TEXT(c->tier), P_INT(c->arr), P_INT(c->seats),
			       P_INT(c->strategic), P_INT(c->id)};
	int64_t n = 0;
	int rc = store_run(s,
			   "UPDATE customers SET name = $1, tier = $2, arr = $3, seats = $4,"
			   " strategic = $5 WHERE id = $6",
			   p, 6, &n, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "a customer named '%s' exists", c->name);
	}
	if (!rc && !n)
		rc = err_set(e, CAIRN_ENOTFOUND, "customer", "no customer #%lld", (long long)c->id);
	return rc;
}

int store_customer_critical_issues(struct store *s, int64_t customer_id, int64_t **ids, size_t *n,
				   struct err *e)
{
	struct db_param p[] = {P_INT(customer_id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*ids = NULL;
	*n = 0;
	if ((rc = s->drv->query(s->db,
				"SELECT DISTINCT l.issue_id FROM insight_links l JOIN insights n"
				" ON n.id = l.insight_id WHERE n.customer_id = $1 AND l.importance = 3"
				" ORDER BY l.issue_id",
				p, 1, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)ids, &cap, *n, sizeof **ids)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		(*ids)[(*n)++] = s->drv->get_int(r, 0);
	}
	s->drv->finish(r);
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

#define PERSONA_COLS "id, name, description, buyer_level, created_at"

static void read_persona(struct store *s, struct db_rows *r, void *item)
{
	struct persona *p = item;
	p->id = s->drv->get_int(r, 0);
	copy_text(p->name, sizeof p->name, s->drv->get_text(r, 1));
	copy_text(p->description, sizeof p->description, s->drv->get_text(r, 2));
	p->buyer_level = (int)s->drv->get_int(r, 3);
	p->created_at = s->drv->get_int(r, 4);
}

int store_persona_insert(struct store *s, struct persona *pe, struct err *e)
{
	struct db_param p[] = {P_TEXT(pe->name), P_TEXT(pe->description), P_INT(pe->buyer_level),
			       P_INT(pe->created_at)};
	int rc = store_one_int(s,
			       "INSERT INTO personas (name, description, buyer_level, created_at)"
			       " VALUES ($1, $2, $3, $4) RETURNING id",
			       p, 4, &pe->id, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "a persona named '%s' exists", pe->name);
	}
	return rc;
}

int store_persona_update(struct store *s, const struct persona *pe, struct err *e)
{
	struct db_param p[] = {P_TEXT(pe->name), P_TEXT(pe->description), P_INT(pe->buyer_level),
			       P_INT(pe->id)};
	int64_t n = 0;
	int rc = store_run(s,
			   "UPDATE personas SET name = $1, description = $2, buyer_level = $3"
			   " WHERE id = $4",
			   p, 4, &n, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "name", "a persona named '%s' exists", pe->name);
	}
	if (!rc && !n)
		rc = err_set(e, CAIRN_ENOTFOUND, "persona", "no persona #%lld", (long long)pe->id);
	return rc;
}

int store_persona_get(struct store *s, int64_t id, const char *name, struct persona *out,
		      struct err *e)
{
	return read_one(s, PERSONA_COLS, "personas", id, name, read_persona, out, e);
}

int store_persona_list(struct store *s, struct persona **out, size_t *n, struct err *e)
{
	return read_all(s, "SELECT " PERSONA_COLS " FROM personas ORDER BY name", read_persona,
			sizeof **out, (void **)out, n, e);
}

/* ---- insights ------------------------------------------------------------------ */

void insight_list_release(struct insight_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		insight_release(&l->items[k]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

#define INSIGHT_COLS                                                                     \
	"n.id, n.source, n.category, n.state, n.customer_id, c.name, n.persona_id, p.name," \
	" n.title, n.body, n.url, n.captured_at, n.created_at, n.answered_at, ab.login"
#define INSIGHT_FROM                                                             \
	" FROM insights n LEFT JOIN customers c ON c.id = n.customer_id" \
	" LEFT JOIN personas p ON p.id = n.persona_id"                   \
	" LEFT JOIN users ab ON ab.id = n.answered_by"

static int read_insight(struct store *s, struct db_rows *r, struct insight *i)
{
	const struct db_driver *d = s->drv;
	memset(i, 0, sizeof *i);
	i->id = d->get_int(r, 0);
	i->source = (int)d->get_int(r, 1);
	i->category = (int)d->get_int(r, 2);
	i->state = (int)d->get_int(r, 3);
	i->customer_id = d->get_int(r, 4);
	i->customer = dup_or_null(d->get_text(r, 5));
	i->persona_id = d->get_int(r, 6);
	i->persona = dup_or_null(d->get_text(r, 7));
	i->title = dup_or_null(d->get_text(r, 8));
	i->body = dup_or_null(d->get_text(r, 9));
	i->url = dup_or_null(d->get_text(r, 10));
	i->captured_at = d->get_int(r, 11);
	i->created_at = d->get_int(r, 12);
	i->answered_at = d->get_int(r, 13);
	i->answered_by = dup_or_null(d->get_text(r, 14));
	if ((d->get_text(r, 14) && !i->answered_by) || !i->title || !i->body || (d->get_text(r, 5) && !i->customer) ||
	    (d->get_text(r, 7) && !i->persona) || (d->get_text(r, 10) && !i->url))
		return CAIRN_ENOMEM;
	return 0;
}

/* Run an insight query and collect rows (col 15, if asked, is importance). */
static int collect(struct store *s, const char *sql, const struct db_param *p, int np,
		   int with_importance, struct insight_list *out, struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc = s->drv->query(s->db, sql, p, np, &r, e);
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)&out->items, &cap, out->n, sizeof *out->items)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		struct insight *i = &out->items[out->n++];
		if (read_insight(s, r, i)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		if (with_importance)
			i->importance = (int)s->drv->get_int(r, 15);
	}
	s->drv->finish(r);
	if (rc)
		insight_list_release(out);
	return rc;
}

int store_insight_insert(struct store *s, struct insight *i, int64_t created_by, struct err *e)
{
	struct db_param p[] = {P_INT(i->source),      P_INT(i->category),      P_INT0(i->customer_id),
			       P_INT0(i->persona_id), P_TEXT(i->title),        P_TEXT(i->body ? i->body : ""),
			       P_TEXT(i->url),        P_INT(i->captured_at),   P_INT(i->state),
			       P_INT0(created_by),    P_INT(i->created_at)};
	return store_one_int(s,
			     "INSERT INTO insights (source, category, customer_id, persona_id, title,"
			     " body, url, captured_at, state, created_by, created_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
			     p, 11, &i->id, e);
}

int store_insight_get(struct store *s, int64_t id, struct insight *out, struct err *e)
{
	struct insight_list l = {0};
	struct db_param p[] = {P_INT(id)};
	int rc = collect(s, "SELECT " INSIGHT_COLS INSIGHT_FROM " WHERE n.id = $1", p, 1, 0, &l, e);
	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	if (!l.n) {
		free(l.items);
		return err_set(e, CAIRN_ENOTFOUND, NULL, "insight %lld not found", (long long)id);
	}
	*out = l.items[0];
	free(l.items);
	return 0;
}

int store_insight_set_state(struct store *s, int64_t id, int state, int64_t answered_at,
			    struct err *e)
{
	struct db_param p[] = {P_INT(state), P_INT0(answered_at), P_INT(id)};
	return store_run(s, "UPDATE insights SET state = $1, answered_at = $2, answered_by ="
			 " CASE WHEN $1 = 2 THEN answered_by ELSE NULL END WHERE id = $3", p, 3,
			 NULL, e);
}

int store_insight_list(struct store *s, int state, int64_t customer_id, int64_t offset,
		       int64_t limit, struct insight_list *out, int64_t *total, struct err *e)
{
	/* -1 / 0 mean "any": written as always-true comparisons on bound
	 * values, so one statement text serves every filter */
	static const char where[] = " WHERE ($1 < 0 OR n.state = $1) AND ($2 = 0 OR n.customer_id = $2)";
	struct db_param p[] = {P_INT(state), P_INT(customer_id), P_INT(limit), P_INT(offset)};
	out->items = NULL;
	out->n = 0;
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM insights n%s", where);
	int rc = store_one_int(s, sql, p, 2, total, e);
	if (rc)
		return rc;
	snprintf(sql, sizeof sql, "SELECT " INSIGHT_COLS INSIGHT_FROM
		 "%s ORDER BY n.captured_at DESC, n.id DESC LIMIT $3 OFFSET $4", where);
	return collect(s, sql, p, 4, 0, out, e);
}

/* ---- links ----------------------------------------------------------------------- */

int store_link_set(struct store *s, int64_t insight_id, int64_t issue_id, int importance,
		   int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(insight_id), P_INT(issue_id), P_INT(importance), P_INT(now)};
	return store_run(s,
			 "INSERT INTO insight_links (insight_id, issue_id, importance, created_at)"
			 " VALUES ($1, $2, $3, $4) ON CONFLICT (insight_id, issue_id)"
			 " DO UPDATE SET importance = excluded.importance",
			 p, 4, NULL, e);
}

int store_links_move(struct store *s, int64_t from_issue, int64_t to_issue, int64_t *moved,
		     struct err *e)
{
	struct db_param p[] = {P_INT(from_issue), P_INT(to_issue)};
	int rc = store_run(s,
			   "INSERT INTO insight_links (insight_id, issue_id, importance, created_at)"
			   " SELECT l.insight_id, $2, l.importance, l.created_at FROM insight_links l"
			   " WHERE l.issue_id = $1 AND NOT EXISTS (SELECT 1 FROM insight_links k"
			   " WHERE k.issue_id = $2 AND k.insight_id = l.insight_id)",
			   p, 2, moved, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM insight_links WHERE issue_id = $1", p, 1, NULL, e);
	return rc;
}

int store_link_delete(struct store *s, int64_t insight_id, int64_t issue_id, int *removed,
		      struct err *e)
{
	struct db_param p[] = {P_INT(insight_id), P_INT(issue_id)};
	int64_t n = 0;
	int rc = store_run(s, "DELETE FROM insight_links WHERE insight_id = $1 AND issue_id = $2", p,
			   2, &n, e);
	*removed = n > 0;
	return rc;
}

int store_issue_insights(struct store *s, int64_t issue_id, struct insight_list *out,
			 struct err *e)
{
	struct db_param p[] = {P_INT(issue_id)};
	out->items = NULL;
	out->n = 0;
	return collect(s,
		       "SELECT " INSIGHT_COLS ", l.importance" INSIGHT_FROM
		       " JOIN insight_links l ON l.insight_id = n.id WHERE l.issue_id = $1"
		       " ORDER BY n.captured_at DESC, n.id DESC",
		       p, 1, 1, out, e);
}

static int store_links_of(struct store *s, int64_t insight_id, int64_t customer_id,
			  const struct visibility *v, struct insight_link **out, size_t *n,
			  struct err *e);

void insight_links_free(struct insight_link *l, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(l[k].title);
	free(l);
}

int store_insight_issues(struct store *s, int64_t insight_id, const struct visibility *v,
			 struct insight_link **out, size_t *n, struct err *e)
{
	return store_links_of(s, insight_id, 0, v, out, n, e);
}

int store_customer_links(struct store *s, int64_t customer_id, const struct visibility *v,
			 struct insight_link **out, size_t *n, struct err *e)
{
	return store_links_of(s, 0, customer_id, v, out, n, e);
}

/* Links of one insight, or of every insight of one customer, to the issues
 * v may see; each row names its insight. */
static int store_links_of(struct store *s, int64_t insight_id, int64_t customer_id,
			  const struct visibility *v, struct insight_link **out, size_t *n,
			  struct err *e)
{
	/* the privacy rule of store_sql.c: security issues only for privileged
	 * viewers and their reporter */
#define LINKS                                                                               \
	"SELECT i.number, l.importance, i.type, i.state, i.title, l.insight_id FROM insight_links l" \
	" JOIN issues i ON i.id = l.issue_id WHERE"
#define OF_INSIGHT " l.insight_id = $1"
#define OF_CUSTOMER " l.insight_id IN (SELECT id FROM insights WHERE customer_id = $1)"
#define MINE " AND " PRIVATE_RULE_HEAD "$2" PRIVATE_RULE_TAIL
	static const char *const sql[2][2] = {
		{LINKS OF_INSIGHT " ORDER BY i.number", LINKS OF_INSIGHT MINE " ORDER BY i.number"},
		{LINKS OF_CUSTOMER " ORDER BY l.insight_id, i.number",
		 LINKS OF_CUSTOMER MINE " ORDER BY l.insight_id, i.number"},
	};
#undef LINKS
#undef OF_INSIGHT
#undef OF_CUSTOMER
#undef MINE
	struct db_param p[] = {P_INT(customer_id ? customer_id : insight_id), P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc = s->drv->query(s->db, sql[customer_id != 0][!v->all_private], p,
				    v->all_private ? 1 : 2, &r, e);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		struct insight_link *x = &(*out)[(*n)++];
		x->issue_number = s->drv->get_int(r, 0);
		x->importance = (int)s->drv->get_int(r, 1);
		x->type = (int)s->drv->get_int(r, 2);
		x->state = (int)s->drv->get_int(r, 3);
		x->insight_id = s->drv->get_int(r, 5);
		if (!(x->title = dup_or_null(s->drv->get_text(r, 4)))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	if (rc) {
		insight_links_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_issue_answer(struct store *s, int64_t issue_id, int64_t now, int64_t actor_id,
		       int64_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(now), P_INT(issue_id), P_INT0(actor_id)};
	return store_run(s,
			 "UPDATE insights SET state = 2, answered_at = $1, answered_by = $3"
			 " WHERE state <> 2 AND id IN"
			 " (SELECT insight_id FROM insight_links WHERE issue_id = $2)",
			 p, 3, n, e);
}

int store_backlog_asks(struct store *s, const struct visibility *v, struct backlog_ask **out,
		       size_t *n, struct err *e)
{
#define ASKS                                                                              \
	"SELECT i.id, i.number, n.id, l.importance, n.captured_at, COALESCE(c.id, 0),"    \
	" COALESCE(c.arr, 0), COALESCE(c.strategic, 0), i.type,"                          \
	" CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END, i.title, n.title, c.name, c.tier," \
	" l.created_at, COALESCE(i.rice_reach, -1), COALESCE(i.rice_impact, 0),"          \
	" COALESCE(i.rice_confidence, 0)"                                                 \
	" FROM insight_links l JOIN issues i ON i.id = l.issue_id"                        \
	" JOIN insights n ON n.id = l.insight_id LEFT JOIN customers c ON c.id = n.customer_id" \
	" WHERE i.state = 0"
	static const char all[] = ASKS " ORDER BY i.id, n.id";
	static const char mine[] = ASKS " AND " PRIVATE_RULE_HEAD "$1" PRIVATE_RULE_TAIL
				   " ORDER BY i.id, n.id";
#undef ASKS
	struct db_param p[] = {P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc = s->drv->query(s->db, v->all_private ? all : mine, p, v->all_private ? 0 : 1,
				    &r, e);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		struct backlog_ask *a = &(*out)[(*n)++];
		a->issue_id = s->drv->get_int(r, 0);
		a->issue_number = s->drv->get_int(r, 1);
		a->insight_id = s->drv->get_int(r, 2);
		a->importance = (int)s->drv->get_int(r, 3);
		a->captured_at = s->drv->get_int(r, 4);
		a->customer_id = s->drv->get_int(r, 5);
		a->arr = s->drv->get_int(r, 6);
		a->strategic = (int)s->drv->get_int(r, 7);
		a->issue_type = (int)s->drv->get_int(r, 8);
		a->issue_size = (int)s->drv->get_int(r, 9);
		copy_text(a->issue_title, sizeof a->issue_title, s->drv->get_text(r, 10));
		copy_text(a->insight_title, sizeof a->insight_title, s->drv->get_text(r, 11));
		copy_text(a->customer, sizeof a->customer, s->drv->get_text(r, 12));
		copy_text(a->tier, sizeof a->tier, s->drv->get_text(r, 13));
		a->linked_at = s->drv->get_int(r, 14);
		a->rice_reach = (int)s->drv->get_int(r, 15);
		a->rice_impact = (int)s->drv->get_int(r, 16);
		a->rice_confidence = (int)s->drv->get_int(r, 17);
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_customer_issues(struct store *s, int64_t customer_id, const struct visibility *v,
			  struct customer_issue **out, size_t *n, struct err *e)
{
#define CI_SELECT                                                                          \
	"SELECT i.number, i.type, i.state, i.board, MAX(l.importance), i.title"              \
	" FROM insight_links l JOIN insights n ON n.id = l.insight_id"                       \
	" JOIN issues i ON i.id = l.issue_id WHERE n.customer_id = $1"
#define CI_GROUP " GROUP BY i.id, i.number, i.type, i.state, i.board, i.title ORDER BY i.number"
	static const char all[] = CI_SELECT CI_GROUP;
	static const char mine[] = CI_SELECT " AND " PRIVATE_RULE_HEAD "$2" PRIVATE_RULE_TAIL CI_GROUP;
#undef CI_SELECT
#undef CI_GROUP
	struct db_param p[] = {P_INT(customer_id), P_INT(v->user_id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc = s->drv->query(s->db, v->all_private ? all : mine, p, v->all_private ? 1 : 2,
				    &r, e);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		struct customer_issue *ci = &(*out)[(*n)++];
		ci->number = s->drv->get_int(r, 0);
		ci->type = (int)s->drv->get_int(r, 1);
		ci->state = (int)s->drv->get_int(r, 2);
		ci->board = (int)s->drv->get_int(r, 3);
		ci->importance = (int)s->drv->get_int(r, 4);
		copy_text(ci->title, sizeof ci->title, s->drv->get_text(r, 5));
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_customer_request(struct store *s, const int64_t *ids, size_t n, int *flags,
			   struct err *e)
{
	char sql[2048];
	struct db_param p[100];
	size_t len, np = 0;
	struct db_rows *r;
	int row, rc;

	for (size_t k = 0; k < n; k++)
		flags[k] = 0;
	if (!n)
		return 0;
	if (n > 100)
		return err_set(e, CAIRN_EINTERNAL, NULL, "too many issues at once");
	len = (size_t)snprintf(sql, sizeof sql,
			       "SELECT DISTINCT l.issue_id FROM insight_links l"
			       " JOIN insights n ON n.id = l.insight_id JOIN customers c ON c.id = n.customer_id"
			       " WHERE l.importance = 3 AND c.strategic = 1 AND l.issue_id IN (");
	for (size_t k = 0; k < n; k++) {
		p[np++] = P_INT(ids[k]);
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s$%zu", k ? ", " : "", np);
	}
	snprintf(sql + len, sizeof sql - len, ")");
	if ((rc = s->drv->query(s->db, sql, p, (int)np, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		int64_t id = s->drv->get_int(r, 0);
		for (size_t k = 0; k < n; k++)
			if (ids[k] == id)
				flags[k] = 1;
	}
	s->drv->finish(r);
	return rc;
}
