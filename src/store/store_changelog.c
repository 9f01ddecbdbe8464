/*
 * store_changelog.c — changelog entries with their authors, linked issues,
 * review comments and history; the customers behind an entry's issues
 * (closing the loop); outgoing notification hooks and their deliveries
 * (store.h).  Portable SQL with bound parameters, like store_sql.c.
 *
 * Links to issues are read through the privacy rule: a reader who may not
 * see a security issue does not get the link at all (not even its "#N").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* 1 when a non-NULL source failed to copy. */
static int lost(const char *src, const char *copy)
{
	return src && !copy;
}

/* ---- entries ----------------------------------------------------------------------- */

void changelog_row_release(struct changelog_row *r)
{
	if (!r)
		return;
	free(r->slug);
	free(r->title);
	free(r->description);
	free(r->body);
	free(r->body_html);
	free(r->tags);
	free(r->milestone);
	free(r->created_by_login);
	free(r->approved_by_login);
	for (size_t k = 0; k < r->nauthors; k++)
		free(r->authors[k].handle);
	free(r->authors);
	for (size_t k = 0; k < r->nlinks; k++) {
		free(r->links[k].ref);
		free(r->links[k].title);
	}
	free(r->links);
	memset(r, 0, sizeof *r);
}

void changelog_list_release(struct changelog_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		changelog_row_release(&l->items[k]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

#define ENTRY_COLS                                                                           \
	"e.id, e.slug, e.title, e.description, e.body, e.body_html, e.date_at, e.date_set,"  \
	" e.tags, e.milestone_id, m.title, e.state, e.created_by, cu.login, e.approved_by,"  \
	" au.login, e.created_at, e.updated_at, e.published_at, e.version,"                  \
	" (SELECT COUNT(*) FROM changelog_comments c WHERE c.entry_id = e.id AND"            \
	" c.resolved_at IS NULL)"
#define ENTRY_FROM                                                                           \
	" FROM changelog_entries e LEFT JOIN milestones m ON m.id = e.milestone_id"         \
	" LEFT JOIN users cu ON cu.id = e.created_by LEFT JOIN users au ON au.id = e.approved_by"

static int read_entry(struct store *s, struct db_rows *r, struct changelog_row *o)
{
	const struct db_driver *d = s->drv;
	memset(o, 0, sizeof *o);
	o->id = d->get_int(r, 0);
	o->slug = dup_or_null(d->get_text(r, 1));
	o->title = dup_or_null(d->get_text(r, 2));
	o->description = dup_or_null(d->get_text(r, 3));
	o->body = dup_or_null(d->get_text(r, 4));
	o->body_html = dup_or_null(d->get_text(r, 5));
	o->date_at = d->get_int(r, 6);
	o->date_set = (int)d->get_int(r, 7);
	o->tags = dup_or_null(d->get_text(r, 8));
	o->milestone_id = d->get_int(r, 9);
	o->milestone = dup_or_null(d->get_text(r, 10));
	o->state = (int)d->get_int(r, 11);
	o->created_by = d->get_int(r, 12);
	o->created_by_login = dup_or_null(d->get_text(r, 13));
	o->approved_by = d->get_int(r, 14);
	o->approved_by_login = dup_or_null(d->get_text(r, 15));
	o->created_at = d->get_int(r, 16);
	o->updated_at = d->get_int(r, 17);
	o->published_at = d->get_int(r, 18);
	o->version = d->get_int(r, 19);
	o->open_comments = d->get_int(r, 20);
	if (!o->slug || !o->title || !o->description || !o->body || !o->body_html || !o->tags ||
	    lost(d->get_text(r, 10), o->milestone) || lost(d->get_text(r, 13), o->created_by_login) ||
	    lost(d->get_text(r, 15), o->approved_by_login))
		return CAIRN_ENOMEM;
	return 0;
}

int store_changelog_insert(struct store *s, struct changelog_row *r, struct err *e)
{
	struct db_param p[] = {P_TEXT(r->slug),	       P_TEXT(r->title),      P_TEXT(r->description),
			       P_TEXT(r->body),	       P_TEXT(r->body_html),  P_INT(r->date_at),
			       P_INT(r->date_set),     P_TEXT(r->tags),	      P_INT0(r->milestone_id),
			       P_INT(r->state),	       P_INT0(r->created_by), P_INT0(r->approved_by),
			       P_INT(r->created_at),   P_INT(r->updated_at),  P_INT0(r->published_at)};
	int rc = store_one_int(s,
			       "INSERT INTO changelog_entries (slug, title, description, body, body_html,"
			       " date_at, date_set, tags, milestone_id, state, created_by, approved_by,"
			       " created_at, updated_at, published_at, version) VALUES ($1, $2, $3, $4,"
			       " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id",
			       p, 15, &r->id, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "slug", "an entry with the slug '%s' exists", r->slug);
	}
	if (!rc)
		r->version = 1;
	if (!rc)
		rc = store_changelog_set_authors(s, r->id, r->authors, r->nauthors, e);
	if (!rc)
		rc = store_changelog_set_links(s, r->id, r->links, r->nlinks, e);
	return rc;
}

int store_changelog_update(struct store *s, struct changelog_row *r, int64_t expected,
			   struct err *e)
{
	struct db_param p[] = {P_TEXT(r->slug),	     P_TEXT(r->title),	   P_TEXT(r->description),
			       P_TEXT(r->body),	     P_TEXT(r->body_html), P_INT(r->date_at),
			       P_INT(r->date_set),   P_TEXT(r->tags),	   P_INT0(r->milestone_id),
			       P_INT(r->state),	     P_INT0(r->approved_by), P_INT(r->updated_at),
			       P_INT0(r->published_at), P_INT(r->id),	   P_INT(expected)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE changelog_entries SET slug = $1, title = $2, description = $3,"
			   " body = $4, body_html = $5, date_at = $6, date_set = $7, tags = $8,"
			   " milestone_id = $9, state = $10, approved_by = $11, updated_at = $12,"
			   " published_at = $13, version = version + 1 WHERE id = $14 AND version = $15",
			   p, 15, &changed, e);
	if (rc == CAIRN_ECONFLICT) {
		err_clear(e);
		return err_set(e, CAIRN_ECONFLICT, "slug", "an entry with the slug '%s' exists", r->slug);
	}
	if (rc)
		return rc;
	if (changed == 0)
		return err_set(e, CAIRN_ESTALE, "version",
			       "entry #%lld changed since version %lld; reload it", (long long)r->id,
			       (long long)expected);
	r->version = expected + 1;
	return 0;
}

int store_changelog_set_authors(struct store *s, int64_t id, const struct cl_author *a, size_t n,
				struct err *e)
{
	struct db_param d[] = {P_INT(id)};
	int rc = store_run(s, "DELETE FROM changelog_authors WHERE entry_id = $1", d, 1, NULL, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct db_param p[] = {P_INT(id), P_INT(k), P_TEXT(a[k].handle), P_INT0(a[k].user_id)};
		rc = store_run(s,
			       "INSERT INTO changelog_authors (entry_id, position, handle, user_id)"
			       " VALUES ($1, $2, $3, $4)",
			       p, 4, NULL, e);
	}
	return rc;
}

int store_changelog_set_links(struct store *s, int64_t id, const struct cl_link *l, size_t n,
			      struct err *e)
{
	struct db_param d[] = {P_INT(id)};
	int rc = store_run(s, "DELETE FROM changelog_issues WHERE entry_id = $1", d, 1, NULL, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct db_param p[] = {P_INT(id), P_INT(k), P_TEXT(l[k].ref), P_INT0(l[k].issue_id)};
		rc = store_run(s,
			       "INSERT INTO changelog_issues (entry_id, position, ref, issue_id)"
			       " VALUES ($1, $2, $3, $4)",
			       p, 4, NULL, e);
	}
	return rc;
}

/* The privacy rule for the links' issues, for v (into buf). */
static void link_rule(const struct visibility *v, char *buf, size_t cap)
{
	if (v->all_private)
		snprintf(buf, cap, "1 = 1");
	else
		snprintf(buf, cap, "(l.issue_id IS NULL OR " PRIVATE_RULE_HEAD "%lld" PRIVATE_RULE_TAIL ")",
			 (long long)v->user_id);
}

/* Authors and links of the entries rows[0..n) (ids ascending or not), in
 * two queries whatever n is. */
static int fill_parts(struct store *s, const struct visibility *v, struct changelog_row *rows,
		      size_t n, struct err *e)
{
	char sql[4096], rule[160], in[2048];
	struct db_param p[100];
	struct db_rows *r;
	size_t len = 0;
	int row, rc = 0;
	if (n == 0)
		return 0;
	if (n > 100)
		return err_set(e, CAIRN_EINTERNAL, NULL, "too many entries at once");
	for (size_t k = 0; k < n; k++) {
		p[k] = P_INT(rows[k].id);
		len += (size_t)snprintf(in + len, sizeof in - len, "%s$%zu", k ? ", " : "", k + 1);
	}
	snprintf(sql, sizeof sql,
		 "SELECT entry_id, handle, COALESCE(user_id, 0) FROM changelog_authors"
		 " WHERE entry_id IN (%s) ORDER BY entry_id, position",
		 in);
	if ((rc = s->drv->query(s->db, sql, p, (int)n, &r, e)))
		return rc;
	while (!rc && !(rc = s->drv->next(r, &row, e)) && row) {
		int64_t id = s->drv->get_int(r, 0);
		for (size_t k = 0; k < n; k++) {
			if (rows[k].id != id)
				continue;
			struct changelog_row *o = &rows[k];
			struct cl_author *na = realloc(o->authors, (o->nauthors + 1) * sizeof *na);
			if (!na) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			o->authors = na;
			na[o->nauthors].handle = dup_or_null(s->drv->get_text(r, 1));
			na[o->nauthors].user_id = s->drv->get_int(r, 2);
			if (!na[o->nauthors++].handle)
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	if (rc)
		return rc;
	link_rule(v, rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT l.entry_id, l.ref, COALESCE(l.issue_id, 0), COALESCE(i.number, 0), i.title,"
		 " COALESCE(i.type, 0), COALESCE(i.state, 0), COALESCE(i.severity, 0)"
		 " FROM changelog_issues l LEFT JOIN issues i ON i.id = l.issue_id"
		 " WHERE l.entry_id IN (%s) AND %s ORDER BY l.entry_id, l.position",
		 in, rule);
	if ((rc = s->drv->query(s->db, sql, p, (int)n, &r, e)))
		return rc;
	while (!rc && !(rc = s->drv->next(r, &row, e)) && row) {
		int64_t id = s->drv->get_int(r, 0);
		for (size_t k = 0; k < n; k++) {
			if (rows[k].id != id)
				continue;
			struct changelog_row *o = &rows[k];
			struct cl_link *nl = realloc(o->links, (o->nlinks + 1) * sizeof *nl);
			if (!nl) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			o->links = nl;
			struct cl_link *l = &nl[o->nlinks++];
			memset(l, 0, sizeof *l);
			l->ref = dup_or_null(s->drv->get_text(r, 1));
			l->issue_id = s->drv->get_int(r, 2);
			l->number = s->drv->get_int(r, 3);
			l->title = dup_or_null(s->drv->get_text(r, 4));
			l->type = (int)s->drv->get_int(r, 5);
			l->state = (int)s->drv->get_int(r, 6);
			l->severity = (int)s->drv->get_int(r, 7);
			if (!l->ref || lost(s->drv->get_text(r, 4), l->title))
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	return rc;
}

int store_changelog_get(struct store *s, int64_t id, const struct visibility *v,
			struct changelog_row *out, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	struct db_rows *r;
	int row, rc;
	memset(out, 0, sizeof *out);
	if ((rc = s->drv->query(s->db, "SELECT " ENTRY_COLS ENTRY_FROM " WHERE e.id = $1", p, 1, &r,
				e)))
		return rc;
	if (!(rc = s->drv->next(r, &row, e))) {
		if (!row)
			rc = err_set(e, CAIRN_ENOTFOUND, "entry", "no changelog entry #%lld", (long long)id);
		else if (read_entry(s, r, out))
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	s->drv->finish(r);
	if (!rc)
		rc = fill_parts(s, v, out, 1, e);
	if (rc)
		changelog_row_release(out);
	return rc;
}

int store_changelog_lock(struct store *s, int64_t id, struct err *e)
{
	char sql[128];
	struct db_param p[] = {P_INT(id)};
	int64_t got;
	snprintf(sql, sizeof sql, "SELECT id FROM changelog_entries WHERE id = $1%s",
		 s->drv->word(DB_W_FOR_UPDATE));
	int rc = store_one_int(s, sql, p, 1, &got, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		rc = err_set(e, CAIRN_ENOTFOUND, "entry", "no changelog entry #%lld", (long long)id);
	}
	return rc;
}

int store_changelog_lock_slugs(struct store *s, struct err *e)
{
	return s->drv->lock(s->db, DB_LOCK_SLUGS, e);
}

int store_changelog_by_slug(struct store *s, const char *slug, int64_t *id, struct err *e)
{
	struct db_param p[] = {P_TEXT(slug)};
	*id = 0;
	int rc = store_one_int(s, "SELECT id FROM changelog_entries WHERE slug = $1", p, 1, id, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		*id = 0;
		return 0;
	}
	return rc;
}

int store_changelog_list(struct store *s, const struct visibility *v, int state,
			 int64_t milestone_id, int64_t offset, int64_t limit,
			 struct changelog_list *out, int64_t *total, struct err *e)
{
	char where[160], sql[1536];
	struct db_param p[4];
	struct db_rows *r;
	size_t cap = 0;
	int np = 0, row, rc;
	out->items = NULL;
	out->n = 0;
	snprintf(where, sizeof where, " WHERE 1 = 1%s%s",
		 state >= 0 ? " AND e.state = $1" : " AND $1 < 0",
		 milestone_id > 0 ? " AND e.milestone_id = $2" : " AND $2 = 0");
	p[np++] = P_INT(state);
	p[np++] = P_INT(milestone_id > 0 ? milestone_id : 0);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM changelog_entries e%s", where);
	if (total && (rc = store_one_int(s, sql, p, np, total, e)))
		return rc;
	p[np++] = P_INT(limit);
	p[np++] = P_INT(offset);
	snprintf(sql, sizeof sql,
		 "SELECT " ENTRY_COLS ENTRY_FROM "%s ORDER BY e.date_at DESC, e.id DESC LIMIT $3 OFFSET $4",
		 where);
	if ((rc = s->drv->query(s->db, sql, p, np, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)&out->items, &cap, out->n, sizeof *out->items)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		if (read_entry(s, r, &out->items[out->n++])) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	if (!rc)
		rc = fill_parts(s, v, out->items, out->n, e);
	if (rc)
		changelog_list_release(out);
	return rc;
}

int store_changelog_delete(struct store *s, int64_t id, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	int rc = store_run(s, "DELETE FROM changelog_history WHERE entry_id = $1", p, 1, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM changelog_comments WHERE entry_id = $1", p, 1, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM changelog_authors WHERE entry_id = $1", p, 1, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM changelog_issues WHERE entry_id = $1", p, 1, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM changelog_entries WHERE id = $1", p, 1, NULL, e);
	return rc;
}

static int read_id(struct store *s, struct db_rows *r, void *item)
{
	*(int64_t *)item = s->drv->get_int(r, 0);
	return 0;
}

int store_changelog_for_issue(struct store *s, int64_t issue_id, int64_t **ids, size_t *n,
			      struct err *e)
{
	struct db_param p[] = {P_INT(issue_id)};
	return store_collect(s,
		       "SELECT DISTINCT entry_id FROM changelog_issues WHERE issue_id = $1"
		       " ORDER BY entry_id",
		       p, 1, sizeof **ids, read_id, store_free_items, (void **)ids, n, e);
}

int store_changelog_bump(struct store *s, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(now)};
	int rc = store_run(s, "UPDATE counters SET value = value + 1 WHERE name = 'changelog'", NULL,
			   0, NULL, e);
	if (!rc)
		rc = store_run(s, "UPDATE counters SET value = $1 WHERE name = 'changelog_at'", p, 1,
			       NULL, e);
	return rc;
}

int store_changelog_stamp(struct store *s, int64_t *version, int64_t *last_modified,
			  int *public_on, struct err *e)
{
	struct db_rows *r;
	int row, rc = s->drv->query(
		s->db,
		"SELECT c.value, a.value, (SELECT COUNT(*) FROM settings WHERE name ="
		" 'public_changelog' AND value = '1') FROM counters c, counters a"
		" WHERE c.name = 'changelog' AND a.name = 'changelog_at'",
		NULL, 0, &r, e);
	if (rc)
		return rc;
	if (!(rc = s->drv->next(r, &row, e)) && !row)
		rc = err_set(e, CAIRN_ESTORE, NULL, "the changelog counters are missing");
	if (!rc) {
		*version = s->drv->get_int(r, 0);
		*last_modified = s->drv->get_int(r, 1);
		*public_on = s->drv->get_int(r, 2) > 0;
	}
	s->drv->finish(r);
	return rc;
}

/* ---- history and comments -------------------------------------------------------- */

int store_changelog_history_add(struct store *s, int64_t entry_id, int64_t actor_id, int64_t at,
				const char *field, const char *old_value, const char *new_value,
				struct err *e)
{
	struct db_param p[] = {P_INT(entry_id), P_INT0(actor_id), P_INT(at), P_TEXT(field),
			       P_TEXT(old_value), P_TEXT(new_value)};
	return store_run(s,
			 "INSERT INTO changelog_history (entry_id, actor_id, at, field, old_value,"
			 " new_value) VALUES ($1, $2, $3, $4, $5, $6)",
			 p, 6, NULL, e);
}

int store_changelog_history(struct store *s, int64_t entry_id, struct history_list *out,
			    struct err *e)
{
	return store_history_read(s,
				  "SELECT h.id, u.login, h.at, h.field, h.old_value, h.new_value"
				  " FROM changelog_history h LEFT JOIN users u ON u.id = h.actor_id"
				  " WHERE h.entry_id = $1 ORDER BY h.id",
				  entry_id, out, e);
}

void cl_comments_free(struct cl_comment *c, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(c[k].author);
		free(c[k].resolved_by);
		free(c[k].body);
	}
	free(c);
}

int store_cl_comment_insert(struct store *s, int64_t entry_id, int64_t parent_id,
			    int64_t author_id, const char *body, int64_t at, int64_t *id,
			    struct err *e)
{
	if (parent_id) {
		struct db_param q[] = {P_INT(parent_id), P_INT(entry_id)};
		int64_t found;
		int rc = store_one_int(s,
				       "SELECT id FROM changelog_comments WHERE id = $1 AND entry_id = $2",
				       q, 2, &found, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return err_set(e, CAIRN_EINVALID, "parent",
				       "no comment #%lld on this entry to reply to", (long long)parent_id);
		}
		if (rc)
			return rc;
	}
	struct db_param p[] = {P_INT(entry_id), P_INT0(parent_id), P_INT0(author_id), P_TEXT(body),
			       P_INT(at)};
	return store_one_int(s,
			     "INSERT INTO changelog_comments (entry_id, parent_id, author_id, body,"
			     " created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			     p, 5, id, e);
}

int store_cl_comment_resolve(struct store *s, int64_t entry_id, int64_t id, int64_t resolved_at,
			     int64_t by, struct err *e)
{
	struct db_param p[] = {P_INT0(resolved_at), P_INT0(resolved_at ? by : 0), P_INT(id),
			       P_INT(entry_id)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE changelog_comments SET resolved_at = $1, resolved_by = $2"
			   " WHERE id = $3 AND entry_id = $4",
			   p, 4, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ENOTFOUND, "comment", "no comment #%lld on this entry",
			     (long long)id);
	return rc;
}

static int read_comment(struct store *s, struct db_rows *r, void *item)
{
	struct cl_comment *c = item;
	c->id = s->drv->get_int(r, 0);
	c->entry_id = s->drv->get_int(r, 7);
	c->parent_id = s->drv->get_int(r, 1);
	c->author = dup_or_null(s->drv->get_text(r, 2));
	c->body = dup_or_null(s->drv->get_text(r, 3));
	c->created_at = s->drv->get_int(r, 4);
	c->resolved_at = s->drv->get_int(r, 5);
	c->resolved_by = dup_or_null(s->drv->get_text(r, 6));
	return lost(s->drv->get_text(r, 2), c->author) || !c->body ||
	       lost(s->drv->get_text(r, 6), c->resolved_by);
}

static void release_comments(void *items, size_t n)
{
	cl_comments_free(items, n);
}

int store_cl_comments(struct store *s, int64_t entry_id, struct cl_comment **out, size_t *n,
		      struct err *e)
{
	struct db_param p[] = {P_INT(entry_id)};
	return store_collect(s,
		       "SELECT c.id, COALESCE(c.parent_id, 0), a.login, c.body, c.created_at,"
		       " COALESCE(c.resolved_at, 0), rb.login, c.entry_id FROM changelog_comments c"
		       " LEFT JOIN users a ON a.id = c.author_id"
		       " LEFT JOIN users rb ON rb.id = c.resolved_by"
		       " WHERE c.entry_id = $1 ORDER BY c.id",
		       p, 1, sizeof **out, read_comment, release_comments, (void **)out, n, e);
}

/* ---- closing the loop ------------------------------------------------------------ */

void cl_asks_free(struct cl_ask *a, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(a[k].customer);
		free(a[k].tier);
		free(a[k].insight_title);
		free(a[k].answered_by);
	}
	free(a);
}

/* " IN ($first, ...)" for n ids into buf, their params into p. */
static int id_list(const int64_t *ids, size_t n, int first, struct db_param *p, char *buf,
		   size_t cap)
{
	size_t len = (size_t)snprintf(buf, cap, " IN (");
	for (size_t k = 0; k < n && len < cap; k++) {
		p[k] = P_INT(ids[k]);
		len += (size_t)snprintf(buf + len, cap - len, "%s$%zu", k ? ", " : "", k + (size_t)first);
	}
	if (len + 2 >= cap)
		return -1;
	snprintf(buf + len, cap - len, ")");
	return 0;
}

#define ISSUES_AT_ONCE 64

static int read_ask(struct store *s, struct db_rows *r, void *item)
{
	struct cl_ask *a = item;
	a->customer_id = s->drv->get_int(r, 0);
	a->insight_id = s->drv->get_int(r, 1);
	a->answered_at = s->drv->get_int(r, 2);
	a->arr = s->drv->get_int(r, 3);
	a->strategic = (int)s->drv->get_int(r, 4);
	a->state = (int)s->drv->get_int(r, 5);
	a->customer = dup_or_null(s->drv->get_text(r, 6));
	a->tier = dup_or_null(s->drv->get_text(r, 7));
	a->insight_title = dup_or_null(s->drv->get_text(r, 8));
	a->answered_by = dup_or_null(s->drv->get_text(r, 9));
	return !a->customer || !a->tier || !a->insight_title ||
	       lost(s->drv->get_text(r, 9), a->answered_by);
}

static void release_asks(void *items, size_t n)
{
	cl_asks_free(items, n);
}

int store_cl_asks(struct store *s, const int64_t *issue_ids, size_t n, struct cl_ask **out,
		  size_t *nout, struct err *e)
{
	struct db_param p[ISSUES_AT_ONCE];
	char in[1024], sql[2048];
	*out = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	if (n > ISSUES_AT_ONCE || id_list(issue_ids, n, 1, p, in, sizeof in))
		return err_set(e, CAIRN_EINVALID, "issues", "at most %d issues", ISSUES_AT_ONCE);
	snprintf(sql, sizeof sql,
		 "SELECT DISTINCT c.id, n.id, COALESCE(n.answered_at, 0), c.arr, c.strategic, n.state,"
		 " c.name, c.tier, n.title, ab.login FROM insight_links l"
		 " JOIN insights n ON n.id = l.insight_id JOIN customers c ON c.id = n.customer_id"
		 " LEFT JOIN users ab ON ab.id = n.answered_by"
		 " WHERE l.issue_id%s ORDER BY c.name, c.id, n.id",
		 in);
	return store_collect(s, sql, p, (int)n, sizeof **out, read_ask, release_asks, (void **)out, nout, e);
}

int store_cl_tell(struct store *s, int64_t customer_id, const int64_t *issue_ids, size_t n,
		  int64_t now, int64_t actor_id, int64_t *changed, struct err *e)
{
	struct db_param p[ISSUES_AT_ONCE + 3];
	char in[1024], sql[1536];
	*changed = 0;
	if (n == 0)
		return 0;
	if (n > ISSUES_AT_ONCE || id_list(issue_ids, n, 4, p + 3, in, sizeof in))
		return err_set(e, CAIRN_EINVALID, "issues", "at most %d issues", ISSUES_AT_ONCE);
	p[0] = P_INT(now);
	p[1] = P_INT0(actor_id);
	p[2] = P_INT(customer_id);
	snprintf(sql, sizeof sql,
		 "UPDATE insights SET state = 2, answered_at = $1, answered_by = $2"
		 " WHERE state <> 2 AND customer_id = $3 AND id IN"
		 " (SELECT insight_id FROM insight_links WHERE issue_id%s)",
		 in);
	return store_run(s, sql, p, (int)n + 3, changed, e);
}

void cl_shipped_free(struct cl_shipped *x, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(x[k].slug);
		free(x[k].title);
	}
	free(x);
}

static int read_shipped(struct store *s, struct db_rows *r, void *item)
{
	struct cl_shipped *x = item;
	x->entry_id = s->drv->get_int(r, 0);
	x->published_at = s->drv->get_int(r, 1);
	x->date_at = s->drv->get_int(r, 2);
	x->slug = dup_or_null(s->drv->get_text(r, 3));
	x->title = dup_or_null(s->drv->get_text(r, 4));
	return !x->slug || !x->title;
}

static void release_shipped(void *items, size_t n)
{
	cl_shipped_free(items, n);
}

int store_cl_shipped(struct store *s, int64_t customer_id, const struct visibility *v,
		     struct cl_shipped **out, size_t *n, struct err *e)
{
	char sql[1536], rule[160];
	struct db_param p[] = {P_INT(customer_id)};
	link_rule(v, rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT e.id, COALESCE(e.published_at, 0), e.date_at, e.slug, e.title"
		 " FROM changelog_entries e WHERE e.state = 3 AND e.id IN"
		 " (SELECT l.entry_id FROM changelog_issues l JOIN issues i ON i.id = l.issue_id"
		 " JOIN insight_links k ON k.issue_id = l.issue_id"
		 " JOIN insights n ON n.id = k.insight_id WHERE n.customer_id = $1 AND %s)"
		 " ORDER BY e.date_at DESC, e.id DESC",
		 rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_shipped, release_shipped, (void **)out, n, e);
}

/* ---- hooks ------------------------------------------------------------------------- */

int store_hook_insert(struct store *s, struct hook *h, struct err *e)
{
	struct db_param p[] = {P_TEXT(h->url), P_TEXT(h->secret), P_INT(h->created_at)};
	return store_one_int(s,
			     "INSERT INTO hooks (url, secret, created_at) VALUES ($1, $2, $3) RETURNING id",
			     p, 3, &h->id, e);
}

static int read_hook(struct store *s, struct db_rows *r, void *item)
{
	struct hook *h = item;
	h->id = s->drv->get_int(r, 0);
	snprintf(h->url, sizeof h->url, "%s", s->drv->get_text(r, 1));
	snprintf(h->secret, sizeof h->secret, "%s", s->drv->get_text(r, 2));
	h->created_at = s->drv->get_int(r, 3);
	return 0;
}

int store_hook_list(struct store *s, struct hook **out, size_t *n, struct err *e)
{
	return store_collect(s, "SELECT id, url, secret, created_at FROM hooks ORDER BY id", NULL, 0,
		       sizeof **out, read_hook, store_free_items, (void **)out, n, e);
}

int store_hook_delete(struct store *s, int64_t id, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	int64_t changed = 0;
	int rc = store_run(s, "DELETE FROM hook_deliveries WHERE hook_id = $1", p, 1, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM hooks WHERE id = $1", p, 1, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ENOTFOUND, "hook", "no hook #%lld", (long long)id);
	return rc;
}

void hook_deliveries_free(struct hook_delivery *d, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(d[k].event);
		free(d[k].payload);
		free(d[k].error);
		free(d[k].url);
		free(d[k].secret);
	}
	free(d);
}

int store_hook_enqueue(struct store *s, const char *event, int64_t entry_id, const char *payload,
		       int64_t next_at, int64_t now, struct err *e)
{
	struct db_param p[] = {P_TEXT(event), P_INT0(entry_id), P_TEXT(payload), P_INT(next_at),
			       P_INT(now)};
	return store_run(s,
			 "INSERT INTO hook_deliveries (hook_id, event, entry_id, payload, next_at,"
			 " created_at, updated_at) SELECT id, $1, $2, $3, $4, $5, $5 FROM hooks",
			 p, 5, NULL, e);
}

#define DELIVERY_COLS                                                                   \
	"d.id, d.hook_id, COALESCE(d.entry_id, 0), d.next_at, d.created_at, d.updated_at," \
	" d.state, d.attempts, d.status, d.event, d.payload, d.error, h.url, h.secret"

static int read_delivery(struct store *s, struct db_rows *r, void *item)
{
	struct hook_delivery *d = item;
	d->id = s->drv->get_int(r, 0);
	d->hook_id = s->drv->get_int(r, 1);
	d->entry_id = s->drv->get_int(r, 2);
	d->next_at = s->drv->get_int(r, 3);
	d->created_at = s->drv->get_int(r, 4);
	d->updated_at = s->drv->get_int(r, 5);
	d->state = (int)s->drv->get_int(r, 6);
	d->attempts = (int)s->drv->get_int(r, 7);
	d->status = (int)s->drv->get_int(r, 8);
	d->event = dup_or_null(s->drv->get_text(r, 9));
	d->payload = dup_or_null(s->drv->get_text(r, 10));
	d->error = dup_or_null(s->drv->get_text(r, 11));
	d->url = dup_or_null(s->drv->get_text(r, 12));
	d->secret = dup_or_null(s->drv->get_text(r, 13));
	return !d->event || !d->payload || lost(s->drv->get_text(r, 11), d->error) || !d->url ||
	       !d->secret;
}

static void release_deliveries(void *items, size_t n)
{
	hook_deliveries_free(items, n);
}

static int read_deliveries(struct store *s, const char *sql, const struct db_param *p, int np,
			   struct hook_delivery **out, size_t *n, struct err *e)
{
	return store_collect(s, sql, p, np, sizeof **out, read_delivery, release_deliveries, (void **)out,
		       n, e);
}

int store_hook_deliveries(struct store *s, int64_t limit, struct hook_delivery **out, size_t *n,
			  struct err *e)
{
	struct db_param p[] = {P_INT(limit)};
	return read_deliveries(s,
			       "SELECT " DELIVERY_COLS " FROM hook_deliveries d JOIN hooks h ON"
			       " h.id = d.hook_id ORDER BY d.id DESC LIMIT $1",
			       p, 1, out, n, e);
}

int store_hook_due(struct store *s, int64_t wall, int64_t limit, struct hook_delivery **out,
		   size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(wall), P_INT(limit)};
	return read_deliveries(s,
			       "SELECT " DELIVERY_COLS " FROM hook_deliveries d JOIN hooks h ON"
			       " h.id = d.hook_id WHERE d.state = 0 AND d.next_at <= $1 AND"
			       " d.claimed_until <= $1 ORDER BY d.next_at, d.id LIMIT $2",
			       p, 2, out, n, e);
}

int store_hook_claim(struct store *s, int64_t id, int64_t wall, int64_t until, int *won,
		     struct err *e)
{
	struct db_param p[] = {P_INT(until), P_INT(id), P_INT(wall)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE hook_deliveries SET claimed_until = $1 WHERE id = $2 AND state = 0"
			   " AND claimed_until <= $3",
			   p, 3, &changed, e);
	*won = !rc && changed == 1;
	return rc;
}

int store_hook_result(struct store *s, int64_t id, int state, int attempts, int status,
		      const char *error, int64_t next_at, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(state), P_INT(attempts), P_INT(status), P_TEXT(error),
			       P_INT(next_at), P_INT(now), P_INT(id)};
	return store_run(s,
			 "UPDATE hook_deliveries SET state = $1, attempts = $2, status = $3, error = $4,"
			 " next_at = $5, updated_at = $6, claimed_until = 0 WHERE id = $7",
			 p, 7, NULL, e);
}
