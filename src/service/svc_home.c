/*
 * svc_home.c — a user's home page (issue #14): the open issues assigned to
 * them, the comments that mention them, the changes to issues they watch
 * (their change notifications, read or not), what waits for their review or
 * vote, the security issues due (for those who may see them) and the
 * milestone in progress.  One read transaction; every list is one query.
 */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "service/svc_int.h"

void home_view_release(struct home_view *h)
{
	issue_list_release(&h->assigned);
	free(h->mentions);
	changelog_list_release(&h->in_review);
	decision_list_release(&h->decisions_due);
	free(h->estimations);
	issue_list_release(&h->overdue);
	issue_list_release(&h->due_soon);
	free(h->watching);
	memset(h, 0, sizeof *h);
}

/* The parts gated by a permission, in the caller's transaction. */
static int home_reviews(const struct op *op, const struct visibility *vis, struct home_view *h,
			struct err *e)
{
	struct store *st = op->st;
	int rc = 0, has_doc = 0;
	if (h->may_publish &&
	    (rc = store_changelog_list(st, vis, 1, 0, 0, HOME_LIST_MAX, &h->in_review,
				       &h->in_review_total, e)))
		return rc;
	if (h->may_decide && (rc = store_decisions_due(st, day_of_ms(op->now), HOME_LIST_MAX,
						      &h->decisions_due, &h->decisions_due_total, e)))
		return rc;
	if (h->may_strategy) {
		if ((rc = svc_strategy_review_state(st, &has_doc, &h->strategy_reviewed_at,
						    &h->strategy_review_due, e)))
			return rc;
		/* the strategy page's rule: never reviewed, or past the interval */
		h->strategy_overdue = has_doc && (!h->strategy_reviewed_at ||
						  h->strategy_review_due < op->now);
	}
	if (h->may_vote && (rc = store_est_waiting(st, op->actor->id, vis, op->now, HOME_LIST_MAX,
						   &h->estimations, &h->nestimations, e)))
		return rc;
	return 0;
}

/* Open security issues past their fix-by day (overdue) and due within
 * HOME_DUE_SOON_DAYS (due_soon), soonest first, as svc_security_due. */
static int home_security(const struct op *op, const struct visibility *vis, struct home_view *h,
			 struct err *e)
{
	struct issue_list all = {0};
	int64_t until = day_start_ms(op->now) + (HOME_DUE_SOON_DAYS + 1) * DAY_MS;
	int rc = store_security_due(op->st, vis, until, &all, e);
	return rc ? rc : svc_security_split(&all, op->now, &h->overdue, &h->due_soon, e);
}

int svc_home(const struct op *op, struct home_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_READ, e)))
		return rc;
	struct visibility vis = visibility_of(actor);
	out->now = op->now;
	out->may_publish = svc_may(actor, P_CHANGELOG_PUBLISH);
	out->may_decide = svc_may(actor, P_DECISION_WRITE);
	out->may_strategy = svc_may(actor, P_STRATEGY_WRITE);
	out->may_vote = svc_may(actor, P_EST_VOTE);
	out->may_private = svc_may(actor, P_PRIVATE_READ);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_issues_assigned(st, &vis, actor->id, HOME_LIST_MAX, &out->assigned,
					&out->assigned_total, e)) ||
	    (rc = store_mentions_of(st, &vis, HOME_LIST_MAX, &out->mentions, &out->nmentions, e)) ||
	    (rc = store_watch_changes(st, &vis, HOME_LIST_MAX, &out->watching, &out->nwatching, e)) ||
	    (rc = home_reviews(op, &vis, out, e)) ||
	    (out->may_private && (rc = home_security(op, &vis, out, e))) ||
	    (rc = svc_milestone_active_in_tx(op, &out->milestone, &out->has_milestone,
						 &out->velocity, &out->forecast, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		home_view_release(out);
		return rc;
	}
	return 0;
}
