/*
 * svc_triage.c — the triage inbox, its numbers, the security due list and
 * the SLA setting.  (The triage action itself is an update: svc_issue.c.)
 * Everything is filtered by what the actor may see: a security issue the
 * actor cannot see is not in a list, not in a count, not in a median.
 */
#include <stdlib.h>
#include <string.h>

#include "core/query.h"
#include "core/timeutil.h"
#include "service/service.h"
#include "service/svc_int.h"

#define DAY_MS 86400000LL

int svc_triage_inbox(const struct op *op, int64_t page, int64_t per_page,
		     struct issue_list *out, int64_t *total, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct issue_query q;
	int rc;

	out->items = NULL;
	out->n = 0;
	*total = 0;
	if (page < 1 || page > 1000000)
		return err_set(e, CAIRN_EINVALID, "page", "page must be 1 or more");
	if (per_page < 1 || per_page > PER_PAGE_MAX)
		return err_set(e, CAIRN_EINVALID, "per_page", "per_page must be between 1 and %d",
			       PER_PAGE_MAX);
	if ((rc = query_parse(NULL, &q, e)))
		return rc;
	q.inbox = 1;
	q.oldest_first = 1;
	q.count_cap = page * per_page > ISSUE_COUNT_CAP ? page * per_page : ISSUE_COUNT_CAP;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	rc = store_issue_list(st, &q, &v, (page - 1) * per_page, per_page, out, total, e);
	if (rc)
		store_rollback(st);
	else
		rc = store_commit(st, e);
	return rc;
}

int svc_triage_stats(const struct op *op, struct triage_stats *out,
		     struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int64_t now = op->now;
	int rc = store_begin(st, 0, e);
	if (rc)
		return rc;
	rc = store_triage_stats(st, &v, day_start_ms(now), now - 30 * DAY_MS, out, e);
	if (rc)
		store_rollback(st);
	else
		rc = store_commit(st, e);
	return rc;
}

int svc_security_due(const struct op *op, int days,
		     struct issue_list *overdue, struct issue_list *soon, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct issue_list all = {0};
	int64_t now = op->now;
	int rc;

	overdue->items = soon->items = NULL;
	overdue->n = soon->n = 0;
	if (days < 0 || days > 3650)
		return err_set(e, CAIRN_EINVALID, "days", "days must be between 0 and 3650");
	if ((rc = store_begin(st, 0, e)))
		return rc;
	rc = store_security_due(st, &v, day_start_ms(now) + (days + 1) * DAY_MS, &all, e);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, e))) {
		issue_list_release(&all);
		return rc;
	}
	return svc_security_split(&all, now, overdue, soon, e);
}

int svc_security_split(struct issue_list *all, int64_t now, struct issue_list *overdue,
		       struct issue_list *soon, struct err *e)
{
	/* Split the soonest-first list at now; both halves keep the order.  The
	 * items after the cut move (shallowly) into soon, which then owns them;
	 * overdue keeps the array and owns the first `cut`. */
	size_t cut = 0;
	while (cut < all->n && all->items[cut].fix_by < day_start_ms(now))
		cut++;
	overdue->items = all->items;
	overdue->n = cut;
	if (cut < all->n) {
		soon->items = calloc(all->n - cut, sizeof *soon->items);
		if (!soon->items) {
			issue_list_release(all);
			overdue->items = NULL;
			overdue->n = 0;
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		memcpy(soon->items, all->items + cut, (all->n - cut) * sizeof *soon->items);
		soon->n = all->n - cut;
	}
	return 0;
}

int svc_sla_set(const struct op *op, const char *text, struct sla *out,
		struct err *e)
{
	struct settings_input in = SETTINGS_UNCHANGED;
	in.sla_text = text;
	return svc_settings_set(op, &in, out, e);
}

int svc_session_idle_minutes(const struct op *op, int64_t *out, struct err *e)
{
	struct store *st = op->st;
	char text[32];
	int found;
	int rc = store_setting_get(st, "session_idle_minutes", text, sizeof text, &found, e);
	*out = SESSION_IDLE_DEFAULT_MIN;
	if (!rc && found)
		*out = strtoll(text, NULL, 10);
	if (*out < 5)
		*out = SESSION_IDLE_DEFAULT_MIN;
	return rc;
}

int svc_settings_set(const struct op *op, const struct settings_input *in,
		     struct sla *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	const char *sla_text = in->sla_text, *public_url = in->public_url;
	int64_t todo_limit = in->todo_limit, idle = in->session_idle_minutes;
	int public_changelog = in->public_changelog, public_roadmap = in->public_roadmap;
	char buf[128];
	int rc;
	/* actor NULL: the local operator (cairn settings) */
	if (actor && (rc = svc_allow(actor, P_SETTINGS_WRITE, e)))
		return rc;
	if (actor && (public_changelog >= 0 || public_url) &&
	    (rc = svc_allow_field(actor, P_SETTINGS_ADMIN,
				  public_url ? "public_url" : "public_changelog", e)))
		return rc;
	if (actor && public_roadmap >= 0 &&
	    (rc = svc_allow_field(actor, P_SETTINGS_ADMIN, "public_roadmap", e)))
		return rc;
	if (actor && idle != SVC_UNSET &&
	    (rc = svc_allow_field(actor, P_SETTINGS_ADMIN, "session_idle_minutes", e)))
		return rc;
	if (idle != SVC_UNSET && (idle < 5 || idle > 43200))
		return err_set(e, CAIRN_EINVALID, "session_idle_minutes",
			       "session_idle_minutes must be 5..43200 (30 days)");
	if (public_url && *public_url &&
	    ((strncmp(public_url, "https://", 8) && strncmp(public_url, "http://", 7)) ||
	     strlen(public_url) > 200 || strpbrk(public_url, " \t\r\n\"'<>\\`?#")))
		return err_set(e, CAIRN_EINVALID, "public_url",
			       "public_url must be an http(s) URL like https://cairn.example.com");
	if (todo_limit != SVC_UNSET && (todo_limit < 1 || todo_limit > 10000))
		return err_set(e, CAIRN_EINVALID, "todo_limit", "todo_limit must be 1..10000 points");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_lock_settings(st, e)) || (rc = svc_sla_get(op, out, e)))
		goto fail;
	if (sla_text) {
		if ((rc = sla_parse(sla_text, out, e)))
			goto fail;
		sla_format(out, buf, sizeof buf);
		if ((rc = store_setting_set(st, "sla_days", buf, e)))
			goto fail;
	}
	if (todo_limit != SVC_UNSET) {
		snprintf(buf, sizeof buf, "%lld", (long long)todo_limit);
		if ((rc = store_setting_set(st, "todo_limit", buf, e)))
			goto fail;
	}
	if (public_roadmap >= 0 &&
	    (rc = store_setting_set(st, "public_roadmap", public_roadmap ? "1" : "0", e)))
		goto fail;
	if (idle != SVC_UNSET) {
		snprintf(buf, sizeof buf, "%lld", (long long)idle);
		if ((rc = store_setting_set(st, "session_idle_minutes", buf, e)))
			goto fail;
		svc_session_idle_forget(); /* other servers see it within 10 s */
	}
	/* both change what the public changelog shows: a new version */
	if ((public_changelog >= 0 &&
	     (rc = store_setting_set(st, "public_changelog", public_changelog ? "1" : "0", e))) ||
	    (public_url && (rc = store_setting_set(st, "public_url", public_url, e))) ||
	    ((public_changelog >= 0 || public_url) && (rc = store_changelog_bump(st, op->now, e))))
		goto fail;
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}
