/*
 * store_comment.c — comments on issues: the rows, their edit history, the
 * users they mention and the issues they reference, and the issues an
 * issue's body references (store.h).  Every read
 * applies the private-issue rule to the issue a comment is on and to the
 * issues it references.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* The private-issue rule over issues aliased i, for $2 (the reader's id)
 * and $3 (1: the reader sees every issue). */
#define VISIBLE "(" PRIVATE_RULE_HEAD "$2" PRIVATE_RULE_TAIL " OR $3 = 1)"

#define COMMENT_SELECT                                                                      \
	"SELECT c.id, c.issue_id, i.number, COALESCE(c.author_id, 0), a.login, d.login,"    \
	" c.body, c.body_html, c.created_at, c.updated_at, COALESCE(c.deleted_at, 0),"      \
	" c.version, c.edits, COALESCE(c.deleted_by, 0) FROM issue_comments c JOIN issues i ON i.id = c.issue_id"      \
	" LEFT JOIN users a ON a.id = c.author_id LEFT JOIN users d ON d.id = c.deleted_by"

void comment_release(struct comment *c)
{
	free(c->body);
	free(c->body_html);
	free(c->mentions);
	free(c->refs);
	memset(c, 0, sizeof *c);
}

void comment_list_release(struct comment_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		comment_release(&l->items[k]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static int read_comment(struct store *s, struct db_rows *r, void *item)
{
	const struct db_driver *d = s->drv;
	struct comment *c = item;
	c->id = d->get_int(r, 0);
	c->issue_id = d->get_int(r, 1);
	c->issue_number = d->get_int(r, 2);
	c->author_id = d->get_int(r, 3);
	c->deleted_by_id = d->get_int(r, 13);
	copy_text(c->author, sizeof c->author, d->get_text(r, 4));
	copy_text(c->deleted_by, sizeof c->deleted_by, d->get_text(r, 5));
	c->body = strdup(d->get_text(r, 6) ? d->get_text(r, 6) : "");
	c->body_html = strdup(d->get_text(r, 7) ? d->get_text(r, 7) : "");
	c->created_at = d->get_int(r, 8);
	c->updated_at = d->get_int(r, 9);
	c->deleted_at = d->get_int(r, 10);
	c->version = d->get_int(r, 11);
	c->edits = (int)d->get_int(r, 12);
	return !c->body || !c->body_html;
}

static void release_comments(void *items, size_t n)
{
	struct comment_list l = {items, n};
	comment_list_release(&l);
}

static struct comment *find(struct comment_list *l, int64_t id)
{
	for (size_t k = 0; k < l->n; k++)
		if (l->items[k].id == id)
			return &l->items[k];
	return NULL;
}

/* The mentions and the visible references of the comments in l, read by
 * `where` over issue_comments c with $1 (and the visibility in $2, $3). */
static int attach(struct store *s, struct comment_list *l, const char *where,
		  const struct db_param *p, struct err *e)
{
	const struct db_driver *d = s->drv;
	char sql[800];
	struct db_rows *r;
	int row, rc;
	snprintf(sql, sizeof sql,
		 "SELECT m.comment_id, u.login, '' FROM comment_mentions m"
		 " JOIN issue_comments c ON c.id = m.comment_id JOIN users u ON u.id = m.user_id"
		 " WHERE %s ORDER BY m.comment_id, u.login",
		 where);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			snprintf(sql, sizeof sql,
				 "SELECT r.comment_id, i.number, i.title FROM comment_refs r"
				 " JOIN issue_comments c ON c.id = r.comment_id"
				 " JOIN issues i ON i.id = r.target_id WHERE %s AND " VISIBLE
				 " ORDER BY r.comment_id, i.number",
				 where);
		if ((rc = d->query(s->db, sql, p, pass ? 3 : 1, &r, e)))
			return rc;
		while (!(rc = d->next(r, &row, e)) && row) {
			struct comment *c = find(l, d->get_int(r, 0));
			if (!c)
				continue;
			void *grown;
			if (pass == 0) {
				grown = realloc(c->mentions, (c->nmentions + 1) * sizeof *c->mentions);
				if (!grown)
					break;
				c->mentions = grown;
				copy_text(c->mentions[c->nmentions++], sizeof *c->mentions,
					  d->get_text(r, 1));
			} else {
				grown = realloc(c->refs, (c->nrefs + 1) * sizeof *c->refs);
				if (!grown)
					break;
				c->refs = grown;
				c->refs[c->nrefs].number = d->get_int(r, 1);
				copy_text(c->refs[c->nrefs].title, sizeof c->refs[c->nrefs].title,
					  d->get_text(r, 2));
				c->nrefs++;
			}
		}
		if (!rc && row)
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		d->finish(r);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_comments(struct store *s, int64_t key, const char *where,
			 const struct visibility *v, struct comment_list *out, struct err *e)
{
	struct db_param p[] = {P_INT(key), P_INT(v->user_id), P_INT(v->all_private ? 1 : 0)};
	char sql[1024];
	snprintf(sql, sizeof sql, COMMENT_SELECT " WHERE %s AND " VISIBLE " ORDER BY c.id", where);
	int rc = store_collect(s, sql, p, 3, sizeof *out->items, read_comment, release_comments,
			       (void **)&out->items, &out->n, e);
	if (!rc && out->n && (rc = attach(s, out, where, p, e)))
		comment_list_release(out);
	return rc;
}

int store_comment_list(struct store *s, int64_t issue_id, const struct visibility *v,
		       struct comment_list *out, struct err *e)
{
	return read_comments(s, issue_id, "c.issue_id = $1", v, out, e);
}

int store_comment_get(struct store *s, int64_t id, const struct visibility *v,
		      struct comment *out, struct err *e)
{
	struct comment_list l = {0};
	int rc = read_comments(s, id, "c.id = $1", v, &l, e);
	if (rc)
		return rc;
	if (l.n != 1) {
		comment_list_release(&l);
		return err_set(e, CAIRN_ENOTFOUND, "comment", "no comment %lld", (long long)id);
	}
	*out = l.items[0];
	free(l.items);
	return 0;
}

int store_comment_insert(struct store *s, struct comment *c, struct err *e)
{
	struct db_param p[] = {P_INT(c->issue_id), P_INT0(c->author_id), P_TEXT(c->body),
			       P_TEXT(c->body_html), P_INT(c->created_at)};
	c->version = 1;
	int rc = store_one_int(s,
			       "INSERT INTO issue_comments (issue_id, author_id, body, body_html,"
			       " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
			       p, 5, &c->id, e);
	return rc ? rc : store_search_comments(s, c->id, e);
}

int store_comment_update(struct store *s, struct comment *c, int64_t expected_version,
			 struct err *e)
{
	struct db_param p[] = {P_TEXT(c->body),	      P_TEXT(c->body_html), P_INT(c->updated_at),
			       P_INT(c->edits),	      P_INT0(c->deleted_at), P_INT0(c->deleted_by_id),
			       P_INT(c->id),	      P_INT(expected_version)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE issue_comments SET body = $1, body_html = $2, updated_at = $3,"
			   " edits = $4, deleted_at = $5, deleted_by = $6, version = version + 1"
			   " WHERE id = $7 AND version = $8",
			   p, 8, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ESTALE, "version", "comment %lld changed meanwhile; reload it",
			     (long long)c->id);
	if (!rc)
		c->version = expected_version + 1;
	if (!rc)
		rc = store_search_comments(s, c->id, e);
	return rc;
}

int store_comment_links(struct store *s, int64_t comment_id, const int64_t *user_ids, size_t nu,
			const int64_t *issue_ids, size_t ni, struct err *e)
{
	struct db_param p[] = {P_INT(comment_id), P_INT(0)};
	int rc;
	if ((rc = store_run(s, "DELETE FROM comment_mentions WHERE comment_id = $1", p, 1, NULL,
			    e)) ||
	    (rc = store_run(s, "DELETE FROM comment_refs WHERE comment_id = $1", p, 1, NULL, e)))
		return rc;
	for (size_t k = 0; k < nu && !rc; k++) {
		p[1] = P_INT(user_ids[k]);
		rc = store_run(s, "INSERT INTO comment_mentions (comment_id, user_id) VALUES ($1, $2)",
			       p, 2, NULL, e);
	}
	for (size_t k = 0; k < ni && !rc; k++) {
		p[1] = P_INT(issue_ids[k]);
		rc = store_run(s, "INSERT INTO comment_refs (comment_id, target_id) VALUES ($1, $2)",
			       p, 2, NULL, e);
	}
	return rc;
}

int store_issue_refs_set(struct store *s, int64_t source_id, int64_t actor_id, int64_t at,
			 const int64_t *issue_ids, size_t n, struct err *e)
{
	struct db_param p[] = {P_INT(source_id), P_INT(0), P_INT0(actor_id), P_INT(at)};
	int rc = store_run(s, "DELETE FROM issue_refs WHERE source_id = $1", p, 1, NULL, e);
	for (size_t k = 0; k < n && !rc; k++) {
		p[1] = P_INT(issue_ids[k]);
		rc = store_run(s,
			       "INSERT INTO issue_refs (source_id, target_id, actor_id, at)"
			       " VALUES ($1, $2, $3, $4)",
			       p, 4, NULL, e);
	}
	return rc;
}

int store_comment_history_add(struct store *s, int64_t comment_id, int64_t actor_id, int64_t at,
			      const char *field, const char *old_value, const char *new_value,
			      struct err *e)
{
	struct db_param p[] = {P_INT(comment_id), P_INT0(actor_id), P_INT(at), P_TEXT(field),
			       P_TEXT(old_value), P_TEXT(new_value)};
	return store_run(s,
			 "INSERT INTO comment_history (comment_id, actor_id, at, field, old_value,"
			 " new_value) VALUES ($1, $2, $3, $4, $5, $6)",
			 p, 6, NULL, e);
}

int store_comment_history_clear(struct store *s, int64_t comment_id, struct err *e)
{
	struct db_param p[] = {P_INT(comment_id)};
	return store_run(s, "DELETE FROM comment_history WHERE comment_id = $1", p, 1, NULL, e);
}

int store_comment_history(struct store *s, int64_t comment_id, struct history_list *out,
			  struct err *e)
{
	return store_history_read(s,
				  "SELECT h.id, u.login, h.at, h.field, h.old_value, h.new_value"
				  " FROM comment_history h LEFT JOIN users u ON u.id = h.actor_id"
				  " WHERE h.comment_id = $1 ORDER BY h.id",
				  comment_id, out, e);
}

static int read_back_ref(struct store *s, struct db_rows *r, void *item)
{
	struct back_ref *b = item;
	b->number = s->drv->get_int(r, 0);
	copy_text(b->title, sizeof b->title, s->drv->get_text(r, 1));
	b->comment_id = s->drv->get_int(r, 2);
	copy_text(b->author, sizeof b->author, s->drv->get_text(r, 3));
	b->at = s->drv->get_int(r, 4);
	return 0;
}

int store_back_refs(struct store *s, int64_t issue_id, const struct visibility *v,
		    struct back_ref **out, size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_INT(v->user_id), P_INT(v->all_private ? 1 : 0)};
	return store_collect(s,
			     "SELECT i.number, i.title, c.id, a.login, c.created_at FROM comment_refs r"
			     " JOIN issue_comments c ON c.id = r.comment_id"
			     " JOIN issues i ON i.id = c.issue_id"
			     " LEFT JOIN users a ON a.id = c.author_id"
			     " WHERE r.target_id = $1 AND c.deleted_at IS NULL AND c.issue_id <> $1"
			     " AND " VISIBLE
			     " UNION ALL SELECT i.number, i.title, 0, a.login, r.at FROM issue_refs r"
			     " JOIN issues i ON i.id = r.source_id LEFT JOIN users a ON a.id = r.actor_id"
			     " WHERE r.target_id = $1 AND " VISIBLE " ORDER BY 5, 3, 1",
			     p, 3, sizeof **out, read_back_ref, store_free_items, (void **)out, n, e);
}

int store_mentions_of(struct store *s, const struct visibility *v, int64_t limit,
		      struct back_ref **out, size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(limit), P_INT(v->user_id), P_INT(v->all_private ? 1 : 0)};
	return store_collect(s,
			     "SELECT i.number, i.title, c.id, a.login, c.created_at FROM comment_mentions m"
			     " JOIN issue_comments c ON c.id = m.comment_id"
			     " JOIN issues i ON i.id = c.issue_id"
			     " LEFT JOIN users a ON a.id = c.author_id"
			     " WHERE m.user_id = $2 AND c.deleted_at IS NULL AND " VISIBLE
			     " ORDER BY c.id DESC LIMIT $1",
			     p, 3, sizeof **out, read_back_ref, store_free_items, (void **)out, n, e);
}

int store_refs_follow(struct store *s, int64_t from_issue, int64_t to_issue, int64_t *added,
		      struct err *e)
{
	struct db_param p[] = {P_INT(from_issue), P_INT(to_issue)};
	int64_t a = 0, b = 0;
	int rc = store_run(s,
			   "INSERT INTO comment_refs (comment_id, target_id)"
			   " SELECT r.comment_id, $2 FROM comment_refs r"
			   " JOIN issue_comments c ON c.id = r.comment_id"
			   " WHERE r.target_id = $1 AND c.issue_id <> $2 AND NOT EXISTS (SELECT 1"
			   " FROM comment_refs k WHERE k.comment_id = r.comment_id AND k.target_id = $2)",
			   p, 2, &a, e);
	if (!rc)
		rc = store_run(s,
			       "INSERT INTO issue_refs (source_id, target_id, actor_id, at)"
			       " SELECT r.source_id, $2, r.actor_id, r.at FROM issue_refs r"
			       " WHERE r.target_id = $1 AND r.source_id <> $2 AND NOT EXISTS (SELECT 1"
			       " FROM issue_refs k WHERE k.source_id = r.source_id AND k.target_id = $2)",
			       p, 2, &b, e);
	*added = a + b;
	return rc;
}
