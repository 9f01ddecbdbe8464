/*
 * svc_notify.c — watchers and the in-app notification inbox.
 *
 * Watching by default: the reporter of a new issue, its assignee when set,
 * a commenter, each user a comment mentions — unless they unwatched the
 * issue (that sticks until they watch it again).  Anyone who may read the
 * issue may watch or unwatch it themselves.
 *
 * Notifications are written in the transaction of the change they tell
 * of, so a refused or failed write leaves none behind: `comment` to the
 * watchers, `mention` to a mentioned user (watching or not), `assigned`
 * to a new assignee, `state` (closed / reopened) and `changed` to the
 * watchers (svc_watch.c), `mention` to a user an edit newly mentions.  Never
 * to the actor, to a disabled user, or to a user who may not see the
 * issue; and the inbox applies the private-issue rule again when read, so
 * an issue turned private vanishes from the inboxes of those it hides from.
 * tell() records each one through notify_record (svc_mail.c), which applies
 * the user's choice for its kind: not at all, the inbox, or also by email.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_int.h"

void watch_state_release(struct watch_state *w)
{
	free(w->list);
	memset(w, 0, sizeof *w);
}

int may_see(const struct user *u, const struct issue *i)
{
	return i->type != ISSUE_SECURITY || i->reporter_id == u->id || visibility_of(u).all_private;
}

static int64_t actor_id(const struct op *op)
{
	return op->actor ? op->actor->id : 0;
}

/* Tell u of kind on issue i, unless it is their own act or they may not
 * see the issue. */
static int tell(const struct op *op, const struct issue *i, const struct user *u,
		const char *kind, const char *detail, struct err *e)
{
	if (u->id == actor_id(op) || u->disabled_at || !may_see(u, i))
		return 0;
	int rc = notify_record(op, u, i->id, kind, detail, e);
	return rc ? rc : notify_push(op, u, e);
}

static int mentioned(const struct user *users, size_t nu, int64_t id)
{
	for (size_t k = 0; k < nu; k++)
		if (users[k].id == id)
			return 1;
	return 0;
}

/* Tell every watcher of i but those in skip[0..nskip). */
int tell_watchers(const struct op *op, const struct issue *i, const char *kind,
		  const char *detail, const struct user *skip, size_t nskip, struct err *e)
{
	struct watcher *w = NULL;
	size_t n = 0;
	int rc = store_watchers(op->st, i->id, &w, &n, e);
	for (size_t k = 0; k < n && !rc; k++)
		if (!mentioned(skip, nskip, w[k].user.id))
			rc = tell(op, i, &w[k].user, kind, detail, e);
	free(w);
	return rc;
}

int notify_issue(const struct op *op, const struct issue *cur, const struct issue *next,
		 struct err *e)
{
	struct store *st = op->st;
	int rc = 0;
	if (!cur && (rc = store_watch(st, next->id, next->reporter_id, op->now, 0, e)))
		return rc;
	if (next->assignee_id && (!cur || cur->assignee_id != next->assignee_id)) {
		struct user u;
		if ((rc = store_user_get_id(st, next->assignee_id, &u, NULL, 0, e)) ||
		    (may_see(&u, next) && (rc = store_watch(st, next->id, u.id, op->now, 0, e))) ||
		    (rc = tell(op, next, &u, "assigned", "", e)))
			return rc;
	}
	return cur ? notify_watched_change(op, cur, next, e) : 0;
}

int notify_comment(const struct op *op, const struct issue *i, int64_t comment_id,
		   const struct user *users, size_t nu, struct err *e)
{
	struct store *st = op->st;
	char detail[24];
	int rc = 0;
	snprintf(detail, sizeof detail, "%lld", (long long)comment_id);
	if (op->actor && (rc = store_watch(st, i->id, op->actor->id, op->now, 0, e)))
		return rc;
	rc = notify_mentions(op, i, comment_id, users, nu, e);
	return rc ? rc : tell_watchers(op, i, "comment", detail, users, nu, e);
}

int notify_mentions(const struct op *op, const struct issue *i, int64_t comment_id,
		    const struct user *users, size_t nu, struct err *e)
{
	char detail[24];
	int rc = 0;
	snprintf(detail, sizeof detail, "%lld", (long long)comment_id);
	for (size_t k = 0; k < nu && !rc; k++)
		if (may_see(&users[k], i))
			rc = store_watch(op->st, i->id, users[k].id, op->now, 0, e);
	for (size_t k = 0; k < nu && !rc; k++)
		rc = tell(op, i, &users[k], "mention", detail, e);
	return rc;
}

/* A read transaction after the check of P_READ. */
static int begin(const struct op *op, int write, struct err *e)
{
	int rc = svc_allow(op->actor, P_READ, e);
	return rc ? rc : store_begin(op->st, write, e);
}

int svc_notify_list(const struct op *op, int unread, int64_t page, struct notification **out,
		    size_t *n, int *more, int64_t *unread_count, struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	int rc;
	*out = NULL;
	*n = 0;
	*more = 0;
	if ((rc = svc_allow(op->actor, P_READ, e)))
		return rc;
	if (page < 1 || page > 100000)
		return err_set(e, CAIRN_EINVALID, "page", "page must be from 1 to 100000");
	if ((rc = store_begin(op->st, 0, e)))
		return rc;
	if (!(rc = store_notifications(op->st, &v, unread, NOTIFY_PAGE + 1, (page - 1) * NOTIFY_PAGE,
				       out, n, e)) &&
	    *n > NOTIFY_PAGE) {
		*more = 1;
		*n = NOTIFY_PAGE;
	}
	if (!rc)
		rc = store_notify_unread(op->st, &v, unread_count, e);
	if ((rc = svc_end(op, rc, e))) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int svc_notify_count(const struct op *op, int64_t *unread, struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	int rc = begin(op, 0, e);
	return rc ? rc : svc_end(op, store_notify_unread(op->st, &v, unread, e), e);
}

int svc_notify_read(const struct op *op, const int64_t *ids, size_t n, int all, int64_t *unread,
		    struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	int rc = begin(op, 1, e);
	if (rc)
		return rc;
	if (all)
		rc = store_notify_read(op->st, &v, 0, op->now, e);
	for (size_t k = 0; k < n && !rc; k++)
		rc = ids[k] > 0 ? store_notify_read(op->st, &v, ids[k], op->now, e)
				: err_set(e, CAIRN_ENOTFOUND, "ids", "no notification %lld",
					  (long long)ids[k]);
	if (!rc)
		rc = store_notify_unread(op->st, &v, unread, e);
	if (!rc)
		rc = notify_push(op, op->actor, e); /* the user's other tabs */
	return svc_end(op, rc, e);
}

/* Issue number as actor may see it (its id and the rule's inputs). */
static int visible_issue(const struct op *op, int64_t number, struct issue *i, struct err *e)
{
	struct visibility v = visibility_of(op->actor);
	return store_issue_get(op->st, number, &v, i, e);
}

static int read_state(const struct op *op, int64_t issue_id, struct watch_state *out,
		      struct err *e)
{
	int rc = store_watchers(op->st, issue_id, &out->list, &out->n, e);
	for (size_t k = 0; !rc && k < out->n; k++)
		if (out->list[k].user.id == op->actor->id)
			out->watching = 1;
	return rc;
}

int svc_watch(const struct op *op, int64_t number, int on, struct watch_state *out,
	      struct err *e)
{
	struct issue i;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = begin(op, 1, e)))
		return rc;
	if (!(rc = visible_issue(op, number, &i, e))) {
		rc = on ? store_watch(op->st, i.id, op->actor->id, op->now, 1, e)
			: store_unwatch(op->st, i.id, op->actor->id, op->now, e);
		if (!rc)
			rc = read_state(op, i.id, out, e);
		issue_release(&i);
	}
	if ((rc = svc_end(op, rc, e)))
		watch_state_release(out);
	return rc;
}

int svc_watchers(const struct op *op, int64_t number, struct watch_state *out, struct err *e)
{
	struct issue i;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = begin(op, 0, e)))
		return rc;
	if (!(rc = visible_issue(op, number, &i, e))) {
		rc = read_state(op, i.id, out, e);
		issue_release(&i);
	}
	if ((rc = svc_end(op, rc, e)))
		watch_state_release(out);
	return rc;
}
