/*
 * svc_comment.c — comments on issues: write, edit (every edit kept in the
 * comment's history), delete, and what a comment points at: the users it
 * @mentions and the issues it references (#N), which list it as "mentioned
 * in".  A comment is as visible as its issue; a reference to an issue the
 * reader may not see is left out of what they read.
 *
 * An issue's body references issues the same way (svc_body_refs, called by
 * the issue writes).
 *
 * Deletion is soft: the row stays as a "comment deleted" placeholder (who
 * deleted it and when) so the conversation keeps its shape, but its text,
 * its history, mentions and references are wiped in the same transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "core/comment.h"
#include "core/markdown.h"
#include "service/svc_int.h"

static int check_body(const char *body, struct err *e)
{
	int rc;
	if (!body)
		return err_set(e, CAIRN_EINVALID, "body", "body is required");
	if ((rc = body_check(body, e)))
		return rc;
	if (!body[strspn(body, " \t\r\n")])
		return err_set(e, CAIRN_EINVALID, "body", "body must not be empty");
	return 0;
}

/* Render body into c (its text and HTML). */
static int set_body(struct comment *c, const char *body, struct err *e)
{
	char *copy = strdup(body), *html = markdown_to_html(body, strlen(body));
	if (!copy || !html) {
		free(copy);
		free(html);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory rendering the comment");
	}
	free(c->body);
	free(c->body_html);
	c->body = copy;
	c->body_html = html;
	return 0;
}

/* Add id to ids[0..*n) unless there or full. */
static void add_ref(int64_t *ids, size_t *n, int64_t id)
{
	for (size_t k = 0; k < *n; k++)
		if (ids[k] == id)
			return;
	if (*n < COMMENT_REFS_MAX)
		ids[(*n)++] = id;
}

/* The ids of the existing issues other than number self that text
 * references (#N), private ones too: who reads a reference is filtered on
 * read.  A reference to an issue closed as a duplicate references the
 * issue kept too (the merge, svc_watch.c).  ids has room for
 * COMMENT_REFS_MAX. */
static int resolve_refs(const struct op *op, const char *text, int64_t self, int64_t *ids,
			size_t *n, struct err *e)
{
	int64_t numbers[COMMENT_REFS_MAX];
	size_t nn = comment_refs(text, numbers, COMMENT_REFS_MAX);
	struct visibility all = {0, 1, 0};
	int rc = 0;
	*n = 0;
	for (size_t k = 0; k < nn && !rc; k++) {
		struct issue i;
		if (numbers[k] == self)
			continue;
		rc = store_issue_get(op->st, numbers[k], &all, &i, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			rc = 0;
		} else if (!rc) {
			int64_t kept = i.state == ISSUE_CLOSED ? i.duplicate_of : 0;
			add_ref(ids, n, i.id);
			issue_release(&i);
			if (kept && kept != self && !(rc = store_issue_get(op->st, kept, &all, &i, e))) {
				add_ref(ids, n, i.id);
				issue_release(&i);
			} else if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				rc = 0;
			}
		}
	}
	return rc;
}

int svc_body_refs(const struct op *op, const struct issue *i, struct err *e)
{
	int64_t ids[COMMENT_REFS_MAX];
	size_t n;
	int rc = resolve_refs(op, i->body, i->number, ids, &n, e);
	return rc ? rc : store_issue_refs_set(op->st, i->id, op->actor ? op->actor->id : 0, op->now,
					      ids, n, e);
}

/* Record what c's body mentions and references: logins of active users,
 * numbers of existing issues other than the comment's own (private ones
 * too: who reads a reference is filtered on read).  The mentioned users
 * into mentioned[0..*nmentioned) when asked. */
static int set_links(const struct op *op, const struct comment *c,
		     struct user mentioned[COMMENT_MENTIONS_MAX], size_t *nmentioned, struct err *e)
{
	struct store *st = op->st;
	char logins[COMMENT_MENTIONS_MAX][LOGIN_MAX + 1];
	int64_t users[COMMENT_MENTIONS_MAX], issues[COMMENT_REFS_MAX];
	size_t nl = comment_mentions(c->body, logins, COMMENT_MENTIONS_MAX);
	size_t nu = 0, ni = 0;
	int rc = 0;
	for (size_t k = 0; k < nl && !rc; k++) {
		struct user u;
		rc = store_user_by_login(st, logins[k], &u, NULL, 0, e);
		if (rc == CAIRN_ENOTFOUND || (!rc && u.disabled_at)) {
			err_clear(e);
			rc = 0;
		} else if (!rc) {
			if (mentioned)
				mentioned[nu] = u;
			users[nu++] = u.id;
		}
	}
	if (nmentioned)
		*nmentioned = nu;
	if (!rc)
		rc = resolve_refs(op, c->body, c->issue_number, issues, &ni, e);
	return rc ? rc : store_comment_links(st, c->id, users, nu, issues, ni, e);
}

/* A read of issue number's conversation: P_READ, a read transaction, the
 * issue as actor may see it (its id into *issue_id).  Ends with svc_end. */
static int begin_read(const struct op *op, int64_t number, int64_t *issue_id, struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	struct issue i;
	int rc;
	if ((rc = svc_allow(op->actor, P_READ, e)) || (rc = store_begin(op->st, 0, e)))
		return rc;
	if ((rc = store_issue_get(op->st, number, &v, &i, e))) {
		store_rollback(op->st);
		return rc;
	}
	*issue_id = i.id;
	issue_release(&i);
	return 0;
}

int svc_comment_list(const struct op *op, int64_t number, struct comment_list *out,
		     struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	int64_t id;
	int rc;
	out->items = NULL;
	out->n = 0;
	if ((rc = begin_read(op, number, &id, e)))
		return rc;
	return svc_end(op, store_comment_list(op->st, id, &v, out, e), e);
}

int svc_comment_get(const struct op *op, int64_t id, struct comment *out, struct err *e)
{
	struct store *st = op->st;
	struct visibility v = visibility_of(op->actor);
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_READ, e)) || (rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_comment_get(st, id, &v, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* The end of a write: comment id read back into *out and commit, or on
 * any failure (rc) roll back with *out released. */
static int finish_write(const struct op *op, int rc, int64_t id, struct comment *out,
			struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	if (!rc && !(rc = store_comment_get(op->st, id, &v, out, e)))
		rc = store_commit(op->st, e);
	if (rc) {
		store_rollback(op->st);
		comment_release(out);
	}
	return rc;
}

/* Insert a comment by op->actor on issue i inside the caller's
 * transaction; *id gets its id. */
static int add_in_tx(const struct op *op, const struct issue *i, const char *body, int64_t *id,
		     struct err *e)
{
	struct comment c = {0};
	struct user mentioned[COMMENT_MENTIONS_MAX];
	size_t nm = 0;
	int rc;
	c.issue_id = i->id;
	c.issue_number = i->number;
	c.author_id = op->actor->id;
	c.created_at = op->now;
	if (!(rc = set_body(&c, body, e)) && !(rc = store_comment_insert(op->st, &c, e)) &&
	    !(rc = set_links(op, &c, mentioned, &nm, e)))
		rc = notify_comment(op, i, c.id, mentioned, nm, e);
	*id = c.id;
	comment_release(&c);
	return rc;
}

int svc_comment_add(const struct op *op, int64_t number, const char *body, struct comment *out,
		    struct err *e)
{
	struct store *st = op->st;
	struct visibility v = visibility_of(op->actor);
	struct issue i;
	int64_t id = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_COMMENT_WRITE, e)) || (rc = check_body(body, e)) ||
	    (rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_issue_get(st, number, &v, &i, e))) {
		store_rollback(st);
		return rc;
	}
	rc = add_in_tx(op, &i, body, &id, e);
	issue_release(&i);
	return finish_write(op, rc, id, out, e);
}

int svc_comment_add_in_tx(const struct op *op, int64_t number, const char *body, int64_t *id,
			  struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	struct issue i;
	int rc;
	if ((rc = svc_allow(op->actor, P_COMMENT_WRITE, e)) || (rc = check_body(body, e)) ||
	    (rc = store_issue_get(op->st, number, &v, &i, e)))
		return rc;
	rc = add_in_tx(op, &i, body, id, e);
	issue_release(&i);
	return rc;
}

/* After an edit of c: the users it mentions now (users[0..nu)) but did not
 * before (c->mentions, as read) get `mention`; the others were told. */
static int notify_new_mentions(const struct op *op, const struct comment *c, struct user *users,
			       size_t nu, struct err *e)
{
	struct visibility all = {0, 1, 0};
	struct issue i;
	size_t m = 0;
	int rc;
	for (size_t k = 0; k < nu; k++) {
		int before = 0;
		for (size_t j = 0; j < c->nmentions && !before; j++)
			before = !strcmp(c->mentions[j], users[k].login);
		if (!before)
			users[m++] = users[k];
	}
	if (!m)
		return 0;
	if ((rc = store_issue_get(op->st, c->issue_number, &all, &i, e)))
		return rc;
	rc = notify_mentions(op, &i, c->id, users, m, e);
	issue_release(&i);
	return rc;
}

/* Read comment id for a change by actor: visible, not deleted, at the
 * version If-Match asked for (if_match < 0: any), and actor's own (or, to
 * delete, an admin's to remove). */
static int load_for_change(const struct op *op, int64_t id, int64_t if_match, int deleting,
			   struct comment *c, struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	int rc = store_comment_get(op->st, id, &v, c, e);
	if (rc)
		return rc;
	if (c->deleted_at)
		return err_set(e, CAIRN_ECONFLICT, "comment", "comment %lld was deleted",
			       (long long)id);
	if (c->author_id != op->actor->id && !(deleting && svc_may(op->actor, P_ADMIN)))
		return err_set(e, CAIRN_EFORBIDDEN, "comment",
			       deleting ? "only its author or an admin may delete comment %lld"
				        : "only its author may edit comment %lld",
			       (long long)id);
	if (if_match >= 0 && c->version != if_match)
		return err_set(e, CAIRN_ESTALE, "version",
			       "comment %lld is at version %lld, not %lld; reload it", (long long)id,
			       (long long)c->version, (long long)if_match);
	return 0;
}

/* The edit of svc_comment_edit inside the caller's transaction. */
static int edit_in_tx(const struct op *op, int64_t id, const char *body, int64_t if_match,
		      struct err *e)
{
	struct store *st = op->st;
	struct comment c = {0};
	int rc;
	if (!(rc = load_for_change(op, id, if_match, 0, &c, e)) && strcmp(c.body, body)) {
		int64_t version = c.version;
		struct user mentioned[COMMENT_MENTIONS_MAX];
		size_t nm = 0;
		if (!(rc = store_comment_history_add(st, id, op->actor->id, op->now, "body", c.body,
						     body, e)) &&
		    !(rc = set_body(&c, body, e)) && !(rc = set_links(op, &c, mentioned, &nm, e))) {
			c.updated_at = op->now;
			c.edits++;
			if (!(rc = store_comment_update(st, &c, version, e)))
				rc = notify_new_mentions(op, &c, mentioned, nm, e);
		}
	}
	comment_release(&c);
	return rc;
}

int svc_comment_edit(const struct op *op, int64_t id, const char *body, int64_t if_match,
		     struct comment *out, struct err *e)
{
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_COMMENT_WRITE, e)) || (rc = check_body(body, e)) ||
	    (rc = store_begin(op->st, 1, e)))
		return rc;
	rc = edit_in_tx(op, id, body, if_match, e);
	return finish_write(op, rc, id, out, e);
}

/* The delete of svc_comment_delete inside the caller's transaction. */
static int delete_in_tx(const struct op *op, int64_t id, int64_t if_match, struct err *e)
{
	struct store *st = op->st;
	struct comment c = {0};
	int rc;
	if (!(rc = load_for_change(op, id, if_match, 1, &c, e))) {
		c.body[0] = c.body_html[0] = 0;
		c.deleted_at = op->now;
		c.deleted_by_id = op->actor->id;
		if (!(rc = store_comment_history_clear(st, id, e)) &&
		    !(rc = store_comment_links(st, id, NULL, 0, NULL, 0, e)))
			rc = store_comment_update(st, &c, c.version, e);
	}
	comment_release(&c);
	return rc;
}

int svc_comment_set_in_tx(const struct op *op, int64_t id, const char *body, struct err *e)
{
	int rc;
	if ((rc = svc_allow(op->actor, P_COMMENT_WRITE, e)))
		return rc;
	if (!body)
		return delete_in_tx(op, id, -1, e);
	if ((rc = check_body(body, e)))
		return rc;
	return edit_in_tx(op, id, body, -1, e);
}

int svc_comment_delete(const struct op *op, int64_t id, int64_t if_match, struct err *e)
{
	struct store *st = op->st;
	int rc;
	if ((rc = svc_allow(op->actor, P_COMMENT_WRITE, e)) || (rc = store_begin(st, 1, e)))
		return rc;
	if (!(rc = delete_in_tx(op, id, if_match, e)))
		rc = store_commit(st, e);
	if (rc)
		store_rollback(st);
	return rc;
}

int svc_comment_history(const struct op *op, int64_t id, struct history_list *out,
			struct err *e)
{
	struct store *st = op->st;
	struct visibility v = visibility_of(op->actor);
	struct comment c = {0};
	int rc;
	out->items = NULL;
	out->n = 0;
	if ((rc = svc_allow(op->actor, P_READ, e)) || (rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_comment_get(st, id, &v, &c, e)) ||
	    (rc = store_comment_history(st, id, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	comment_release(&c);
	return rc;
}

int svc_issue_back_refs(const struct op *op, int64_t number, struct back_ref **out, size_t *n,
			struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	int64_t id;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = begin_read(op, number, &id, e)))
		return rc;
	return svc_end(op, store_back_refs(op->st, id, &v, out, n, e), e);
}
