/*
 * home_json.c — a user's home page as JSON (home_json.h).
 */
#include "service/home_json.h"

#include "core/estimation.h"
#include "core/plan.h"
#include "service/issue_json.h"
#include "service/notify_json.h"
#include "service/plan_json.h"
#include "service/strategy_json.h"

static json_t *issues_json(const struct issue_list *l, int64_t now, int days_left)
{
	json_t *a = json_array();
	for (size_t k = 0; k < l->n; k++) {
		json_t *j = issue_to_json(&l->items[k], 0);
		if (j && days_left)
			json_object_set_new(j, "days_left",
					    json_integer(sla_days_left(l->items[k].fix_by, now)));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *mentions_json(const struct home_view *h)
{
	json_t *a = json_array();
	for (size_t k = 0; k < h->nmentions; k++) {
		const struct back_ref *m = &h->mentions[k];
		json_array_append_new(a, json_pack("{s:I,s:s,s:I,s:s?,s:o}", "number",
						   (json_int_t)m->number, "title", m->title,
						   "comment_id", (json_int_t)m->comment_id, "author",
						   m->author[0] ? m->author : NULL, "at", json_time(m->at)));
	}
	return json_pack("{s:o}", "items", a);
}

static json_t *changelog_json(const struct home_view *h)
{
	if (!h->may_publish)
		return json_null();
	json_t *a = json_array();
	for (size_t k = 0; k < h->in_review.n; k++) {
		const struct changelog_row *r = &h->in_review.items[k];
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)r->id, "slug",
						   r->slug, "title", r->title, "date",
						   json_time(r->date_at)));
	}
	return json_pack("{s:I,s:o}", "total", (json_int_t)h->in_review_total, "items", a);
}

static json_t *decisions_json(const struct home_view *h)
{
	if (!h->may_decide)
		return json_null();
	json_t *a = json_array();
	for (size_t k = 0; k < h->decisions_due.n; k++) {
		const struct decision *d = &h->decisions_due.items[k];
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)d->id, "title",
						   d->title, "status", decision_status_name(d->status),
						   "review_date", json_day_or_null(d->review_day)));
	}
	return json_pack("{s:I,s:o}", "total", (json_int_t)h->decisions_due_total, "items", a);
}

static json_t *estimations_json(const struct home_view *h)
{
	if (!h->may_vote)
		return json_null();
	json_t *a = json_array();
	for (size_t k = 0; k < h->nestimations; k++) {
		const struct est_session *x = &h->estimations[k];
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:o,s:i}", "id", (json_int_t)x->id,
						   "title", x->title, "mode", est_mode_name(x->mode),
						   "closes_at", json_time(x->closes_at), "waiting", x->items));
	}
	return json_pack("{s:o}", "items", a);
}

static json_t *strategy_json(const struct home_view *h)
{
	if (!h->may_strategy)
		return json_null();
	return json_pack("{s:b,s:o,s:o}", "overdue", h->strategy_overdue, "last_reviewed",
			 json_time(h->strategy_reviewed_at), "review_due",
			 json_time(h->strategy_review_due));
}

static json_t *security_json(const struct home_view *h)
{
	if (!h->may_private)
		return json_null();
	return json_pack("{s:I,s:I,s:o,s:o}", "overdue_count", (json_int_t)h->overdue.n,
			 "due_soon_count", (json_int_t)h->due_soon.n, "overdue",
			 issues_json(&h->overdue, h->now, 1), "due_soon",
			 issues_json(&h->due_soon, h->now, 1));
}

/* The milestone in progress with its forecast: the day 85 % of the
 * trials finish by (null: not within the horizon), the chance of the due day. */
static json_t *milestone_json(const struct home_view *h)
{
	if (!h->has_milestone)
		return json_null();
	json_t *o = milestone_view_to_json(&h->milestone, h->velocity);
	const struct forecast_view *f = &h->forecast;
	if (o) {
		json_object_set_new(o, "forecast_p85",
				    f->f.p85 < 0 ? json_null() : json_day_or_null(f->today + f->f.p85));
		json_object_set_new(o, "forecast_probability",
				    json_real((double)(int64_t)(f->f.probability * 1000 + 0.5) / 1000));
	}
	return o;
}

json_t *home_to_json(const struct home_view *h)
{
	return json_pack("{s:{s:I,s:o},s:o,s:{s:o},s:{s:o,s:o,s:o,s:o},s:o,s:o,s:i}", "assigned",
			 "total",
			 (json_int_t)h->assigned_total, "items", issues_json(&h->assigned, h->now, 0),
			 "mentions", mentions_json(h), "watching", "items",
			 notifications_to_json(h->watching, h->nwatching), "reviews", "changelog", changelog_json(h),
			 "decisions", decisions_json(h), "strategy", strategy_json(h), "estimations",
			 estimations_json(h), "security", security_json(h), "milestone",
			 milestone_json(h),
			 "due_soon_days", HOME_DUE_SOON_DAYS);
}
