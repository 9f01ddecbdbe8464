/*
 * svc_watch.c — what watching an issue brings beyond comments (issue #14):
 * a notification when a watched issue changes, the unread count pushed on
 * the event stream, and a duplicate's watchers and references following
 * the issue kept.  Everything runs inside the write's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_int.h"

int notify_watched_change(const struct op *op, const struct issue *cur, const struct issue *next,
			  struct err *e)
{
	char fields[48] = "", detail[64];
	size_t len = 0;
	int closed = cur->state != next->state;
	struct {
		int changed;
		const char *name;
	} f[] = {
		{closed, "state"},
		{cur->assignee_id != next->assignee_id, "assignee"},
		{cur->milestone_id != next->milestone_id, "milestone"},
		/* a close moves the board too: that is the state change */
		{!closed && cur->board != next->board, "board"},
		{cur->priority != next->priority, "priority"},
	};
	for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
		if (f[k].changed)
			len += (size_t)snprintf(fields + len, sizeof fields - len, "%s%s",
						len ? "," : "", f[k].name);
	if (!len)
		return 0;
	snprintf(detail, sizeof detail, "%s;%s",
		 closed ? (next->state == ISSUE_CLOSED ? "closed" : "reopened") : "", fields);
	/* a new assignee was told already (assigned) */
	struct user skip = {0};
	skip.id = cur->assignee_id != next->assignee_id ? next->assignee_id : 0;
	return tell_watchers(op, next, closed ? "state" : "changed", detail, &skip, skip.id ? 1 : 0,
			     e);
}

int notify_push(const struct op *op, const struct user *u, struct err *e)
{
	struct visibility v = visibility_of(u);
	int64_t unread = 0;
	char data[48];
	int rc = store_notify_unread(op->st, &v, &unread, e);
	if (rc)
		return rc;
	snprintf(data, sizeof data, "{\"unread\":%lld}", (long long)unread);
	/* private, owned by u: svc_event_visible gives it to u alone */
	return store_event_add(op->st, op->now, NOTIFY_TOPIC, "notifications", 1, u->id, data, e);
}

/* The pair of history rows of one kind of thing that moved: on kept
 * "<what>_from" (count, "#dup"), on dup "<what>_moved" (count). */
static int moved_rows(const struct op *op, const struct issue *dup, const struct issue *kept,
		      const char *what, int64_t n, struct err *e)
{
	char field[32], count[24], from[24];
	int64_t actor = op->actor ? op->actor->id : 0;
	int rc;
	if (!n)
		return 0;
	snprintf(count, sizeof count, "%lld", (long long)n);
	snprintf(from, sizeof from, "#%lld", (long long)dup->number);
	snprintf(field, sizeof field, "%s_from", what);
	if ((rc = store_history_add(op->st, kept->id, actor, op->now, field, count, from, e)))
		return rc;
	snprintf(field, sizeof field, "%s_moved", what);
	return store_history_add(op->st, dup->id, actor, op->now, field, NULL, count, e);
}

int dup_merge_follow(const struct op *op, const struct issue *dup, const struct issue *kept,
		     struct err *e)
{
	struct watcher *w = NULL;
	size_t n = 0, m = 0;
	int64_t watchers = 0, refs = 0;
	int rc = store_watchers(op->st, dup->id, &w, &n, e);
	int64_t *ids = rc ? NULL : calloc(n ? n : 1, sizeof *ids);
	if (!rc && !ids)
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	/* only those who may see the kept issue: a private one stays private */
	for (size_t k = 0; !rc && k < n; k++)
		if (may_see(&w[k].user, kept))
			ids[m++] = w[k].user.id;
	if (!rc)
		rc = store_watchers_add(op->st, kept->id, op->now, ids, m, &watchers, e);
	free(ids);
	free(w);
	if (!rc)
		rc = store_refs_follow(op->st, dup->id, kept->id, &refs, e);
	if (!rc)
		rc = moved_rows(op, dup, kept, "watchers", watchers, e);
	return rc ? rc : moved_rows(op, dup, kept, "references", refs, e);
}
