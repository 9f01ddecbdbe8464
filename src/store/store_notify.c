/*
 * store_notify.c — who watches an issue, and the in-app inbox (store.h).
 * Every read of the inbox applies the private-issue rule to the issue a
 * notification is about, at read time: a user who lost sight of an issue
 * no longer sees what they were told about it.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

int store_watch(struct store *s, int64_t issue_id, int64_t user_id, int64_t since, int explicit,
		struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_INT(user_id), P_INT(since)};
	return store_run(s,
			 explicit ? "INSERT INTO issue_watchers (issue_id, user_id, since, muted)"
				    " VALUES ($1, $2, $3, 0) ON CONFLICT (issue_id, user_id) DO UPDATE"
				    " SET muted = 0, since = CASE WHEN issue_watchers.muted = 1"
				    " THEN excluded.since ELSE issue_watchers.since END"
				  : "INSERT INTO issue_watchers (issue_id, user_id, since, muted)"
				    " VALUES ($1, $2, $3, 0) ON CONFLICT (issue_id, user_id) DO NOTHING",
			 p, 3, NULL, e);
}

int store_unwatch(struct store *s, int64_t issue_id, int64_t user_id, int64_t since,
		  struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_INT(user_id), P_INT(since)};
	return store_run(s,
			 "INSERT INTO issue_watchers (issue_id, user_id, since, muted)"
			 " VALUES ($1, $2, $3, 1) ON CONFLICT (issue_id, user_id) DO UPDATE"
			 " SET muted = 1",
			 p, 3, NULL, e);
}

static int read_watcher(struct store *s, struct db_rows *r, void *item)
{
	struct watcher *w = item;
	store_read_user(s, r, 0, &w->user);
	w->since = s->drv->get_int(r, USER_NCOLS);
	return 0;
}

int store_watchers(struct store *s, int64_t issue_id, struct watcher **out, size_t *n,
		   struct err *e)
{
	struct db_param p[] = {P_INT(issue_id)};
	return store_collect(s,
			     "SELECT " USER_COLS ", w.since FROM issue_watchers w"
			     " JOIN users u ON u.id = w.user_id WHERE w.issue_id = $1"
			     " AND w.muted = 0 AND u.disabled_at IS NULL ORDER BY u.login",
			     p, 1, sizeof **out, read_watcher, store_free_items, (void **)out, n, e);
}

int store_notify_add(struct store *s, int64_t user_id, int64_t issue_id, const char *kind,
		     int64_t actor_id, int64_t at, const char *detail, int64_t *id, struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_INT(issue_id), P_TEXT(kind),
			       P_INT0(actor_id), P_INT(at),	P_TEXT(detail ? detail : "")};
	return store_one_int(s,
			     "INSERT INTO notifications (user_id, issue_id, kind, actor_id, at, detail)"
			     " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			     p, 6, id, e);
}

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int store_read_notification(struct store *s, struct db_rows *r, void *item)
{
	const struct db_driver *d = s->drv;
	struct notification *x = item;
	x->id = d->get_int(r, 0);
	x->issue_number = d->get_int(r, 1);
	copy_text(x->title, sizeof x->title, d->get_text(r, 2));
	copy_text(x->kind, sizeof x->kind, d->get_text(r, 3));
	copy_text(x->actor, sizeof x->actor, d->get_text(r, 4));
	x->at = d->get_int(r, 5);
	x->read_at = d->get_int(r, 6);
	copy_text(x->detail, sizeof x->detail, d->get_text(r, 7));
	return 0;
}

/* The reader's notifications matching filter (SQL over n), newest first. */
static int collect(struct store *s, const struct visibility *v, const char *filter, int64_t limit,
		   int64_t offset, struct notification **out, size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id), P_INT(v->all_private ? 1 : 0), P_INT(limit),
			       P_INT(offset)};
	char sql[900];
	snprintf(sql, sizeof sql,
		 "SELECT " NOTIFICATION_COLS " FROM notifications n JOIN issues i ON i.id = n.issue_id"
		 " LEFT JOIN users a ON a.id = n.actor_id WHERE n.user_id = $1%s AND " READER_SEES
		 " ORDER BY n.id DESC LIMIT $3 OFFSET $4",
		 filter);
	return store_collect(s, sql, p, 4, sizeof **out, store_read_notification, store_free_items,
			     (void **)out, n, e);
}

int store_notifications(struct store *s, const struct visibility *v, int unread, int64_t limit,
			int64_t offset, struct notification **out, size_t *n, struct err *e)
{
	return collect(s, v, unread ? " AND n.read_at IS NULL" : "", limit, offset, out, n, e);
}

int store_watch_changes(struct store *s, const struct visibility *v, int64_t limit,
			struct notification **out, size_t *n, struct err *e)
{
	return collect(s, v, " AND n.kind IN ('state', 'changed')", limit, 0, out, n, e);
}

int store_notify_unread(struct store *s, const struct visibility *v, int64_t *count,
			struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id), P_INT(v->all_private ? 1 : 0)};
	return store_one_int(s,
			     "SELECT COUNT(*) FROM notifications n JOIN issues i ON i.id = n.issue_id"
			     " WHERE n.user_id = $1 AND n.read_at IS NULL AND " READER_SEES,
			     p, 2, count, e);
}

int store_notify_read(struct store *s, const struct visibility *v, int64_t id, int64_t at,
		      struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id), P_INT(v->all_private ? 1 : 0), P_INT(at),
			       P_INT(id)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE notifications SET read_at = COALESCE(read_at, $3)"
			   " WHERE user_id = $1 AND ($4 = 0 OR id = $4) AND (read_at IS NULL OR $4 <> 0)"
			   " AND EXISTS (SELECT 1 FROM issues i WHERE i.id = notifications.issue_id"
			   " AND " READER_SEES ")",
			   p, 4, &changed, e);
	if (!rc && id && !changed)
		rc = err_set(e, CAIRN_ENOTFOUND, "ids", "no notification %lld", (long long)id);
	return rc;
}

int store_watchers_add(struct store *s, int64_t issue_id, int64_t since, const int64_t *user_ids,
		       size_t n, int64_t *added_out, struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_INT(0), P_INT(since)};
	int rc = 0;
	*added_out = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		int64_t added = 0;
		p[1] = P_INT(user_ids[k]);
		rc = store_run(s,
			       "INSERT INTO issue_watchers (issue_id, user_id, since, muted)"
			       " VALUES ($1, $2, $3, 0) ON CONFLICT (issue_id, user_id) DO NOTHING",
			       p, 3, &added, e);
		*added_out += added;
	}
	return rc;
}
