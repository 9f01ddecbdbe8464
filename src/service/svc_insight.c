/*
 * svc_insight.c — customers, personas, insights and their links to issues,
 * closing the loop, and the ranked backlog (demand or RICE, core/scores.h).
 * Issues are always reached through the actor's visibility: an insight
 * cannot be linked to, or rank, a security issue the actor cannot see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <strings.h>
#include <time.h>

#include "core/csv.h"
#include "core/scores.h"
#include "core/timeutil.h"
#include "service/service.h"
#include "service/svc_int.h"

/* A write in its own transaction: begin, fn, commit (or roll back). */
#define IN_TX(st, e, body)                                 \
	do {                                               \
		int rc_ = store_begin((st), 1, (e));       \
		if (rc_)                                   \
			return rc_;                        \
		rc_ = (body);                              \
		if (!rc_)                                  \
			rc_ = store_commit((st), (e));     \
		if (rc_)                                   \
			store_rollback(st);                \
		return rc_;                                \
	} while (0)

static int name_ok(const char *name, const char *field, struct err *e)
{
	if (!name || title_check(name, NULL) || strlen(name) > CUSTOMER_NAME_MAX)
		return err_set(e, CAIRN_EINVALID, field,
			       "%s must be 1 to %d bytes of text without control characters", field,
			       CUSTOMER_NAME_MAX);
	return 0;
}

/* Fill *out from the fields present in in (NULL / has_* 0 = keep). */
static int customer_apply(const struct customer_input *in, struct customer *out, struct err *e)
{
	const char *tier;
	if (in->name) {
		if (name_ok(in->name, "name", e))
			return CAIRN_EINVALID;
		snprintf(out->name, sizeof out->name, "%s", in->name);
	}
	if (in->tier) {
		if (tier_parse(in->tier, &tier))
			return err_set(e, CAIRN_EINVALID, "tier",
				       "tier must be Starter, Premium or Enterprise");
		snprintf(out->tier, sizeof out->tier, "%s", tier);
	}
	if (in->has_arr) {
		if (in->arr < 0 || in->arr > 1000000000000LL)
			return err_set(e, CAIRN_EINVALID, "arr",
				       "arr must be 0 or more (whole currency units)");
		out->arr = in->arr;
	}
	if (in->has_seats) {
		if (in->seats < 0)
			return err_set(e, CAIRN_EINVALID, "seats", "seats must be 0 or more");
		out->seats = in->seats;
	}
	if (in->strategic >= 0)
		out->strategic = in->strategic != 0;
	return 0;
}

/* Add a customer inside the caller's transaction (strategic -1 = no). */
static int customer_add_tx(const struct op *op, const struct customer_input *in,
			   struct customer *out, struct err *e)
{
	struct customer_input all = *in; /* adding: arr and seats always count */
	all.has_arr = all.has_seats = 1;
	memset(out, 0, sizeof *out);
	snprintf(out->tier, sizeof out->tier, "%s", "Starter");
	if (!in->name)
		return err_set(e, CAIRN_EINVALID, "name", "name is required");
	if (customer_apply(&all, out, e))
		return CAIRN_EINVALID;
	out->created_at = op->now;
	return store_customer_insert(op->st, out, e);
}

int svc_customer_add(const struct op *op, const struct customer_input *in,
		     struct customer *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_CUSTOMER_WRITE, e)))
		return rc;
	IN_TX(st, e, customer_add_tx(op, in, out, e));
}

int svc_customer_request(struct store *st, int64_t issue_id, int *flag, struct err *e)
{
	return store_customer_request(st, &issue_id, 1, flag, e);
}

int svc_customer_request_history(struct store *st, int64_t actor_id, int64_t at, int64_t issue_id,
				 int before, int after, const char *cause, struct err *e)
{
	char what[320];
	if (before == after)
		return 0;
	snprintf(what, sizeof what, "%s (%s)", after ? "Customer Request" : "none", cause);
	return store_history_add(st, issue_id, actor_id, at, "labels",
				 before ? "Customer Request" : NULL, what, e);
}

/* The same, for this operation's actor and time. */
static int customer_request_history(const struct op *op, int64_t issue_id, int before, int after,
				    const char *cause, struct err *e)
{
	return svc_customer_request_history(op->st, op->actor->id, op->now, issue_id, before, after,
					    cause, e);
}

static int customer_update_tx(const struct op *op, int64_t id, const struct customer_input *in,
			      struct customer *out, struct err *e)
{
	struct store *st = op->st;
	int64_t *ids = NULL;
	size_t n = 0;
	int *before = NULL, rc;
	/* PostgreSQL: two PATCHes of different fields must not undo each other */
	if ((rc = store_lock_row(st, ROW_CUSTOMER, id, e)) ||
	    (rc = store_customer_get(st, id, NULL, out, e)))
		return rc;
	if (customer_apply(in, out, e))
		return CAIRN_EINVALID;
	/* strategic decides the derived label of the issues asked for critically */
	if ((rc = store_customer_critical_issues(st, id, &ids, &n, e)))
		return rc;
	if (!(before = calloc(n ? n : 1, sizeof *before))) {
		free(ids);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	for (size_t k = 0; k < n && !rc; k++)
		rc = svc_customer_request(st, ids[k], &before[k], e);
	if (!rc)
		rc = store_customer_update(st, out, e);
	for (size_t k = 0; k < n && !rc; k++) {
		char cause[200];
		int after;
		snprintf(cause, sizeof cause, "customer %s %s strategic", out->name,
			 out->strategic ? "made" : "no longer");
		if (!(rc = svc_customer_request(st, ids[k], &after, e)))
			rc = customer_request_history(op, ids[k], before[k], after, cause, e);
	}
	free(ids);
	free(before);
	return rc;
}

int svc_customer_update(const struct op *op, int64_t id, const struct customer_input *in,
			struct customer *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_CUSTOMER_WRITE, e)))
		return rc;
	IN_TX(st, e, customer_update_tx(op, id, in, out, e));
}

int svc_customer_list(const struct op *op, struct customer **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	return store_customer_list(st, out, n, e);
}

/* Fill *out from the fields present in in (NULL = keep). */
static int persona_apply(const struct persona_input *in, struct persona *out, struct err *e)
{
	if (in->name) {
		if (name_ok(in->name, "name", e))
			return CAIRN_EINVALID;
		snprintf(out->name, sizeof out->name, "%s", in->name);
	}
	if (in->buyer_level && buyer_level_parse(in->buyer_level, &out->buyer_level))
		return err_set(e, CAIRN_EINVALID, "buyer_level",
			       "buyer_level must be individual, manager or executive");
	if (in->description) {
		if (strlen(in->description) > PERSONA_DESC_MAX || body_check(in->description, NULL))
			return err_set(e, CAIRN_EINVALID, "description",
				       "description must be UTF-8 text of at most %d bytes",
				       PERSONA_DESC_MAX);
		snprintf(out->description, sizeof out->description, "%s", in->description);
	}
	return 0;
}

int svc_persona_add(const struct op *op, const struct persona_input *in,
		    struct persona *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_CUSTOMER_WRITE, e)))
		return rc;
	if (!in->name)
		return err_set(e, CAIRN_EINVALID, "name", "name is required");
	if (buyer_level_parse(in->buyer_level, &out->buyer_level))
		return err_set(e, CAIRN_EINVALID, "buyer_level",
			       "buyer_level must be individual, manager or executive");
	if (persona_apply(in, out, e))
		return CAIRN_EINVALID;
	out->created_at = op->now;
	IN_TX(st, e, store_persona_insert(st, out, e));
}

static int persona_update_tx(struct store *st, int64_t id, const struct persona_input *in,
			     struct persona *out, struct err *e)
{
	int rc = store_lock_row(st, ROW_PERSONA, id, e);
	if (rc || (rc = store_persona_get(st, id, NULL, out, e)))
		return rc;
	if (persona_apply(in, out, e))
		return CAIRN_EINVALID;
	return store_persona_update(st, out, e);
}

int svc_persona_update(const struct op *op, int64_t id, const struct persona_input *in,
		       struct persona *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_CUSTOMER_WRITE, e)))
		return rc;
	IN_TX(st, e, persona_update_tx(st, id, in, out, e));
}

int svc_persona_list(const struct op *op, struct persona **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	return store_persona_list(st, out, n, e);
}

/* YYYY-MM-DD, or an ISO-8601 time: YYYY-MM-DD[T ]HH:MM[:SS[.fff]] with Z,
 * +HH:MM or -HH:MM (none = UTC), to unix ms; -1 if malformed. */
static int64_t parse_date(const char *s)
{
	struct tm tm = {0};
	int64_t ms = 0, offset = 0;
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end)
		return -1;
	if (*end == 'T' || *end == ' ') {
		const char *t = strptime(end + 1, "%H:%M", &tm);
		if (!t)
			return -1;
		end = t;
		if (*end == ':' && (t = strptime(end + 1, "%S", &tm)))
			end = t;
		if (*end == '.') {
			int digits = 0;
			for (end++; *end >= '0' && *end <= '9'; end++, digits++)
				if (digits < 3)
					ms = ms * 10 + (*end - '0');
			if (!digits)
				return -1;
			for (; digits < 3; digits++)
				ms *= 10;
		}
		if (*end == 'Z') {
			end++;
		} else if ((*end == '+' || *end == '-') && strlen(end) == 6 && end[3] == ':') {
			int hh = (end[1] - '0') * 10 + (end[2] - '0');
			int mm = (end[4] - '0') * 10 + (end[5] - '0');
			for (int k = 1; k <= 5; k++)
				if (k != 3 && (end[k] < '0' || end[k] > '9'))
					return -1;
			if (hh > 14 || mm > 59)
				return -1;
			offset = (*end == '+' ? 1 : -1) * (hh * 3600 + mm * 60) * 1000LL;
			end += 6;
		}
	}
	if (*end)
		return -1;
	int y = tm.tm_year, mo = tm.tm_mon, d = tm.tm_mday;
	time_t t = timegm(&tm);
	/* timegm turns 2026-02-30 into March 2nd: refuse a day that moved */
	if (tm.tm_year != y || tm.tm_mon != mo || tm.tm_mday != d)
		return -1;
	return t < 0 ? -1 : (int64_t)t * 1000 + ms - offset;
}

static int url_ok(const char *url)
{
	return (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) &&
	       strlen(url) <= URL_MAX && !title_check(url, NULL) && !strchr(url, ' ');
}

/* Validate an insight input into *i (strings borrowed from in). */
static int insight_from(struct store *st, const struct insight_input *in, int64_t now,
			struct insight *i, int *missing_customer, struct err *e)
{
	int rc;
	memset(i, 0, sizeof *i);
	if (insight_source_parse(in->source, &i->source))
		return err_set(e, CAIRN_EINVALID, "source",
			       "source must be one of call,support,poll,community,sales,other");
	if (insight_category_parse(in->category ? in->category : "", &i->category))
		return err_set(e, CAIRN_EINVALID, "category",
			       "category must be one of product_issue,billing,feature_request,general,"
			       "performance,dashboard,how_to");
	if (in->state && insight_state_parse(in->state, &i->state))
		return err_set(e, CAIRN_EINVALID, "state", "state must be new, processed or answered");
	if (title_check(in->title, e))
		return CAIRN_EINVALID;
	if (body_check(in->body, e))
		return CAIRN_EINVALID;
	if (in->url && *in->url && !url_ok(in->url))
		return err_set(e, CAIRN_EINVALID, "url", "url must be an http(s) address");
	i->captured_at = now;
	if (in->captured_at && *in->captured_at &&
	    (i->captured_at = parse_date(in->captured_at)) < 0)
		return err_set(e, CAIRN_EINVALID, "captured_at",
			       "captured_at must be a date like 2026-11-29");
	if (in->customer && *in->customer) {
		struct customer c;
		rc = store_customer_get(st, 0, in->customer, &c, e);
		if (rc == CAIRN_ENOTFOUND && missing_customer) {
			err_clear(e);
			if (name_ok(in->customer, "customer", e))
				return CAIRN_EINVALID;
			*missing_customer = 1; /* the caller adds it */
			rc = 0;
			c.id = 0;
		} else if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return err_set(e, CAIRN_EINVALID, "customer", "no customer '%s' (add it first)",
				       in->customer);
		}
		if (rc)
			return rc;
		i->customer_id = c.id;
	}
	if (in->persona && *in->persona) {
		struct persona p;
		if ((rc = store_persona_get(st, 0, in->persona, &p, e)) == CAIRN_ENOTFOUND) {
			err_clear(e);
			return err_set(e, CAIRN_EINVALID, "persona", "no persona '%s' (add it first)",
				       in->persona);
		}
		if (rc)
			return rc;
		i->persona_id = p.id;
	}
	i->title = (char *)in->title;
	i->body = (char *)(in->body ? in->body : "");
	i->url = in->url && *in->url ? (char *)in->url : NULL;
	return 0;
}

int svc_insight_add(const struct op *op, const struct insight_input *in,
		    struct insight *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct insight i;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_INSIGHT_WRITE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = insight_from(st, in, op->now, &i, NULL, e)))
		goto fail;
	i.created_at = op->now;
	if ((rc = store_insight_insert(st, &i, actor->id, e)) ||
	    (rc = store_insight_get(st, i.id, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	insight_release(out);
	return rc;
}

int svc_insight_get(const struct op *op, int64_t id, struct insight *out, struct err *e)
{
	struct store *st = op->st;
	return store_insight_get(st, id, out, e);
}

int svc_insight_list(const struct op *op, const char *state, const char *customer, int64_t page,
		     int64_t per_page, struct insight_list *out, int64_t *total, struct err *e)
{
	struct store *st = op->st;
	int s = -1, rc;
	int64_t cid = 0;
	out->items = NULL;
	out->n = 0;
	*total = 0;
	if (page < 1 || page > 1000000)
		return err_set(e, CAIRN_EINVALID, "page", "page must be 1 or more");
	if (per_page < 1 || per_page > PER_PAGE_MAX)
		return err_set(e, CAIRN_EINVALID, "per_page", "per_page must be between 1 and %d",
			       PER_PAGE_MAX);
	if (state && *state && insight_state_parse(state, &s))
		return err_set(e, CAIRN_EINVALID, "state", "state must be new, processed or answered");
	if (customer && *customer) {
		struct customer c;
		if ((rc = store_customer_get(st, 0, customer, &c, e)))
			return rc;
		cid = c.id;
	}
	return store_insight_list(st, s, cid, (page - 1) * per_page, per_page, out, total, e);
}

/* The visible issue with this number, for linking. */
static int visible_issue(const struct op *op, int64_t number,
			 struct issue *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int rc = store_issue_get(st, number, &v, out, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_EINVALID, "issue", "issue #%lld does not exist",
			       (long long)number);
	}
	return rc;
}

int svc_insight_link(const struct op *op, int64_t insight_id,
		     int64_t number, const char *importance, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct insight ins;
	struct issue issue = {0};
	int imp, rc;
	if ((rc = svc_allow(actor, P_INSIGHT_WRITE, e)))
		return rc;
	if (importance_parse(importance ? importance : "important", &imp))
		return err_set(e, CAIRN_EINVALID, "importance",
			       "importance must be nice, important or critical");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_insight_get(st, insight_id, &ins, e)))
		goto out;
	int before = 0, after = 0;
	char cause[200];
	snprintf(cause, sizeof cause, "insight #%lld%s%s linked as %s", (long long)insight_id,
		 ins.customer ? " from " : "", ins.customer ? ins.customer : "", importance_name(imp));
	if ((rc = visible_issue(op, number, &issue, e)) ||
	    (rc = svc_customer_request(st, issue.id, &before, e)) ||
	    (rc = store_link_set(st, insight_id, issue.id, imp, op->now, e)) ||
	    (rc = svc_customer_request(st, issue.id, &after, e)) ||
	    (rc = customer_request_history(op, issue.id, before, after, cause, e)))
		goto out;
	/* a linked new insight has been processed */
	if (ins.state == INSIGHT_NEW &&
	    (rc = store_insight_set_state(st, insight_id, INSIGHT_PROCESSED, 0, e)))
		goto out;
	rc = store_commit(st, e);
out:
	if (rc)
		store_rollback(st);
	insight_release(&ins);
	issue_release(&issue);
	return rc;
}

int svc_insight_unlink(const struct op *op, int64_t insight_id,
		       int64_t number, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct issue issue = {0};
	int removed = 0, rc;
	if ((rc = svc_allow(actor, P_INSIGHT_WRITE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	int before = 0, after = 0;
	char cause[64];
	snprintf(cause, sizeof cause, "insight #%lld unlinked", (long long)insight_id);
	if ((rc = visible_issue(op, number, &issue, e)) ||
	    (rc = svc_customer_request(st, issue.id, &before, e)) ||
	    (rc = store_link_delete(st, insight_id, issue.id, &removed, e)) ||
	    (rc = svc_customer_request(st, issue.id, &after, e)) ||
	    (rc = customer_request_history(op, issue.id, before, after, cause, e)))
		goto out;
	if (!removed) {
		rc = err_set(e, CAIRN_ENOTFOUND, NULL, "insight %lld is not linked to #%lld",
			     (long long)insight_id, (long long)number);
		goto out;
	}
	rc = store_commit(st, e);
out:
	if (rc)
		store_rollback(st);
	issue_release(&issue);
	return rc;
}

int svc_insight_issues(const struct op *op, int64_t insight_id,
		       struct insight_link **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct insight ins;
	int rc = store_insight_get(st, insight_id, &ins, e);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	insight_release(&ins);
	return store_insight_issues(st, insight_id, &v, out, n, e);
}

int svc_issue_insights(const struct op *op, int64_t number,
		       struct insight_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct issue issue;
	out->items = NULL;
	out->n = 0;
	int rc = store_issue_get(st, number, &v, &issue, e);
	if (rc)
		return rc;
	rc = store_issue_insights(st, issue.id, out, e);
	issue_release(&issue);
	return rc;
}

int svc_issue_answer(const struct op *op, int64_t number, int64_t *n,
		     struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct issue issue = {0};
	int rc;
	*n = 0;
	if ((rc = svc_allow(actor, P_LOOP_CLOSE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (!(rc = store_issue_get(st, number, &v, &issue, e)) &&
	    !(rc = store_issue_answer(st, issue.id, op->now, actor->id, n, e)))
		rc = store_commit(st, e);
	if (rc)
		store_rollback(st);
	issue_release(&issue);
	return rc;
}

void backlog_release(struct backlog *b)
{
	free(b->items);
	free(b->rows);
	free(b->asks);
	memset(b, 0, sizeof *b);
}

static int by_score(const void *a, const void *b)
{
	const struct backlog_item *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->number > y->number) - (x->number < y->number);
}

int svc_backlog(const struct op *op, const char *rank, struct backlog *out,
		struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	size_t nrows;
	int rice, rc;

	memset(out, 0, sizeof *out);
	if (!rank || !strcmp(rank, "demand"))
		rice = 0;
	else if (!strcmp(rank, "rice"))
		rice = 1;
	else
		return err_set(e, CAIRN_EINVALID, "rank", "rank must be demand or rice");
	if ((rc = store_begin(st, 0, e)))
		return rc;
	rc = store_backlog_asks(st, &v, &out->rows, &nrows, e);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	out->asks = calloc(nrows ? nrows : 1, sizeof *out->asks);
	out->items = calloc(nrows ? nrows : 1, sizeof *out->items);
	if (!out->asks || !out->items) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	int64_t now = op->now;
	/* rows come grouped by issue: one item per group */
	for (size_t k = 0; k < nrows;) {
		size_t j = k;
		struct backlog_item *it = &out->items[out->n++];
		const struct backlog_ask *r0 = &out->rows[k];
		it->number = r0->issue_number;
		it->type = r0->issue_type;
		it->size = r0->issue_size;
		snprintf(it->title, sizeof it->title, "%s", r0->issue_title);
		for (; j < nrows && out->rows[j].issue_id == r0->issue_id; j++) {
			struct demand_ask *a = &out->asks[j];
			a->importance = out->rows[j].importance;
			a->age_ms = now - out->rows[j].captured_at;
			a->customer_id = out->rows[j].customer_id;
			a->arr = out->rows[j].arr;
			a->strategic = out->rows[j].strategic;
		}
		it->asks = &out->asks[k];
		it->evidence = &out->rows[k];
		it->nasks = j - k;
		it->demand = demand_score(it->asks, it->nasks);
		it->rice.reach = r0->rice_reach >= 0 ? r0->rice_reach : it->demand.customers;
		it->rice.impact100 = r0->rice_impact ? r0->rice_impact : RICE_DEFAULT_IMPACT;
		it->rice.confidence = r0->rice_confidence ? r0->rice_confidence : RICE_DEFAULT_CONFIDENCE;
		it->rice.effort = it->size;
		rice_score(&it->rice);
		it->score = rice ? it->rice.score : it->demand.score;
		k = j;
	}
	qsort(out->items, out->n, sizeof *out->items, by_score);
	return 0;
fail:
	backlog_release(out);
	return rc;
}

int svc_insight_set_state(const struct op *op, int64_t id,
			  const char *state, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct insight ins;
	int s, rc;
	if ((rc = svc_allow(actor, P_INSIGHT_WRITE, e)))
		return rc;
	if (insight_state_parse(state, &s))
		return err_set(e, CAIRN_EINVALID, "state", "state must be new, processed or answered");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (!(rc = store_lock_row(st, ROW_INSIGHT, id, e)) &&
	    !(rc = store_insight_get(st, id, &ins, e))) {
		int64_t answered = s == INSIGHT_ANSWERED ? (ins.answered_at ? ins.answered_at : op->now) : 0;
		insight_release(&ins);
		if (!(rc = store_insight_set_state(st, id, s, answered, e)))
			rc = store_commit(st, e);
	}
	if (rc)
		store_rollback(st);
	return rc;
}

int svc_customer_page(const struct op *op, int64_t id, struct customer *c,
		      struct insight_list *insights, struct insight_link **links, size_t *nlinks,
		      struct customer_issue **issues, size_t *nissues, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int64_t total;
	int rc;
	insights->items = NULL;
	insights->n = 0;
	*issues = NULL;
	*nissues = 0;
	*links = NULL;
	*nlinks = 0;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_customer_get(st, id, NULL, c, e)) ||
	    (rc = store_insight_list(st, -1, id, 0, 500, insights, &total, e)) ||
	    (rc = store_customer_links(st, id, &v, links, nlinks, e)) ||
	    (rc = store_customer_issues(st, id, &v, issues, nissues, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		insight_list_release(insights);
		insight_links_free(*links, *nlinks);
		*links = NULL;
		*nlinks = 0;
		free(*issues);
		*issues = NULL;
		*nissues = 0;
	}
	return rc;
}

/* ---- CSV ------------------------------------------------------------------------- */


static const char *const csv_fields[] = {"title", "body", "source", "category", "customer",
					 "persona", "url", "captured_at", "state"};
#define NCSV ((int)(sizeof csv_fields / sizeof csv_fields[0]))

void import_result_free(struct import_result *r)
{
	free(r->errors);
	r->errors = NULL;
	r->nerrors = 0;
	free(r->ignored);
	r->ignored = NULL;
	r->nignored = 0;
	free(r->created);
	r->created = NULL;
	r->ncreated = 0;
}

/* Add the customer a valid row names, in the import's transaction. */
static int import_customer(const struct op *op, const char *name, struct import_result *r,
			   int64_t *id, struct err *e)
{
	struct customer_input in = {.name = name};
	struct customer c;
	int rc = customer_add_tx(op, &in, &c, e);
	if (rc)
		return rc;
	char(*nc)[CUSTOMER_NAME_MAX + 1] = realloc(r->created, (r->ncreated + 1) * sizeof *nc);
	if (!nc)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	r->created = nc;
	snprintf(nc[r->ncreated++], sizeof *nc, "%s", c.name);
	*id = c.id;
	return 0;
}

static int add_ignored(struct import_result *r, const char *fmt, const char *a, const char *b)
{
	char(*ni)[160] = realloc(r->ignored, (r->nignored + 1) * sizeof *ni);
	if (!ni)
		return -1;
	r->ignored = ni;
	snprintf(ni[r->nignored], sizeof ni[r->nignored], fmt, a, b);
	r->nignored++;
	return 0;
}

static int is_field(const char *name)
{
	for (int f = 0; f < NCSV; f++)
		if (!strcasecmp(name, csv_fields[f]))
			return 1;
	return 0;
}

/* What the import will not use: each map entry whose target is no field
 * or whose header is no column, and each column that feeds no field. */
static int report_ignored(const struct csv_row *header, const char *map, const int cols[NCSV],
			  struct import_result *out)
{
	for (const char *p = map ? map : ""; *p;) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		const char *colon = memchr(p, ':', (size_t)(end - p));
		char head[64] = "", target[64] = "";
		if (colon) {
			snprintf(head, sizeof head, "%.*s", (int)(colon - p), p);
			snprintf(target, sizeof target, "%.*s", (int)(end - colon - 1), colon + 1);
		} else
			snprintf(head, sizeof head, "%.*s", (int)(end - p), p);
		int present = 0;
		for (size_t k = 0; k < header->n && !present; k++)
			present = !strcasecmp(header->fields[k], head);
		if (!colon || !*target) {
			if (add_ignored(out, "map entry '%s%s' names no field (use Header:field)", head,
					""))
				return -1;
		} else if (!is_field(target)) {
			if (add_ignored(out, "map entry for '%s': '%s' is not an insight field", head,
					target))
				return -1;
		} else if (!present && add_ignored(out, "map entry for '%s': no such column%s", head,
						   ""))
			return -1;
		p = comma ? comma + 1 : end;
	}
	for (size_t k = 0; k < header->n; k++) {
		int used = 0;
		for (int f = 0; f < NCSV; f++)
			used |= cols[f] == (int)k;
		if (!used && add_ignored(out, "column '%s' feeds no insight field%s",
					 header->fields[k], ""))
			return -1;
	}
	return 0;
}

static int add_error(struct import_result *r, long line, const char *msg)
{
	struct import_error *ne = realloc(r->errors, (r->nerrors + 1) * sizeof *ne);
	if (!ne)
		return -1;
	r->errors = ne;
	ne[r->nerrors].line = line;
	snprintf(ne[r->nerrors].message, sizeof ne[r->nerrors].message, "%s", msg);
	r->nerrors++;
	return 0;
}

/* Which CSV column feeds each insight field (-1 none), from the header
 * and the optional "Header:field,..." map. */
static int map_columns(const struct csv_row *header, const char *map, int cols[NCSV], struct err *e)
{
	for (int f = 0; f < NCSV; f++)
		cols[f] = -1;
	for (size_t k = 0; k < header->n; k++) {
		const char *name = header->fields[k];
		const char *target = name;
		char buf[128];
		if (map && *map) {
			/* find "name:field" in the map */
			target = NULL;
			const char *p = map;
			while (*p && !target) {
				const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
				const char *colon = memchr(p, ':', (size_t)(end - p));
				if (colon && (size_t)(colon - p) == strlen(name) &&
				    !strncasecmp(p, name, strlen(name)) && (size_t)(end - colon - 1) < sizeof buf) {
					memcpy(buf, colon + 1, (size_t)(end - colon - 1));
					buf[end - colon - 1] = '\0';
					target = buf;
				}
				p = comma ? comma + 1 : end;
			}
			if (!target)
				target = name; /* unmapped headers may still be field names */
		}
		for (int f = 0; f < NCSV; f++)
			if (!strcasecmp(target, csv_fields[f])) {
				if (cols[f] >= 0)
					return err_set(e, CAIRN_EINVALID, "csv",
						       "two columns feed %s", csv_fields[f]);
				cols[f] = (int)k;
			}
	}
	if (cols[0] < 0)
		return err_set(e, CAIRN_EINVALID, "csv",
			       "no title column (name one 'title', or map it: ?map=Subject:title)");
	return 0;
}

int svc_insight_import(const struct op *op, const char *csv, size_t len,
		       const struct import_opts *opts, struct import_result *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	const char *map = opts->map;
	struct csv_table t;
	int cols[NCSV], rc;

	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_INSIGHT_WRITE, e)) ||
	    (opts->create_customers && (rc = svc_allow(actor, P_CUSTOMER_WRITE, e))))
		return rc;
	if (len >= 3 && !memcmp(csv, "\xef\xbb\xbf", 3)) { /* a BOM from spreadsheet exports */
		csv += 3;
		len -= 3;
	}
	if ((rc = csv_read(csv, len, &t, e)))
		return rc;
	if (t.n == 0) {
		csv_table_free(&t);
		return err_set(e, CAIRN_EINVALID, "csv", "the CSV is empty (a header row is needed)");
	}
	if ((rc = map_columns(&t.rows[0], map, cols, e)))
		goto out;
	if (report_ignored(&t.rows[0], map, cols, out)) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((rc = store_begin(st, 1, e)))
		goto out;
	for (size_t k = 1; k < t.n && !rc; k++) {
		const struct csv_row *row = &t.rows[k];
		const char *v[NCSV];
		struct insight ins;
		struct err re;
		if (row->nul) { /* its text would stop at the NUL: refused, not cut */
			if (add_error(out, row->line, "a field holds a NUL byte"))
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			continue;
		}
		for (int f = 0; f < NCSV; f++)
			v[f] = cols[f] >= 0 && (size_t)cols[f] < row->n
				       ? csv_unguard(row->fields[cols[f]])
				       : NULL;
		struct insight_input in = {v[2] && *v[2] ? v[2] : "support", v[3], v[4], v[5], v[0],
					   v[1], v[6], v[7], v[8] && *v[8] ? v[8] : NULL};
		err_clear(&re);
		/* validation first, then one insert: a bad row writes nothing */
		int missing = 0;
		if (insight_from(st, &in, op->now, &ins, opts->create_customers ? &missing : NULL,
				 &re) == 0) {
			ins.created_at = op->now;
			if (missing)
				rc = import_customer(op, in.customer, out, &ins.customer_id, e);
			if (!rc)
				rc = store_insight_insert(st, &ins, actor->id, e);
			if (!rc)
				out->imported++;
		} else if (re.code == CAIRN_EINVALID) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof msg, "%s", re.msg);
			if (add_error(out, row->line, msg))
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		} else {
			*e = re;
			rc = re.code;
		}
	}
	if (!rc && opts->dry_run)
		store_rollback(st); /* everything checked, nothing written */
	else if (!rc)
		rc = store_commit(st, e);
	if (rc) {
		store_rollback(st);
		import_result_free(out);
		out->imported = 0;
	}
out:
	csv_table_free(&t);
	return rc;
}

int svc_insight_export(const struct op *op, char **csv, size_t *len, struct err *e)
{
	struct store *st = op->st;
	size_t cap = 0;
	int rc;
	*csv = NULL;
	*len = 0;
	for (int f = 0; f < NCSV; f++)
		if (csv_append_field(csv, len, &cap, csv_fields[f], f == 0))
			goto nomem;
	if (csv_append_eol(csv, len, &cap))
		goto nomem;
	if ((rc = store_begin(st, 0, e)))
		goto fail;
	for (int64_t page = 0;; page++) {
		struct insight_list l;
		int64_t total;
		if ((rc = store_insight_list(st, -1, 0, page * 500, 500, &l, &total, e)))
			goto fail_tx;
		for (size_t k = 0; k < l.n; k++) {
			const struct insight *i = &l.items[k];
			char date[32];
			iso_time(i->captured_at, date, sizeof date);
			const char *v[NCSV] = {i->title, i->body, insight_source_name(i->source),
					       insight_category_name(i->category), i->customer ? i->customer : "",
					       i->persona ? i->persona : "", i->url ? i->url : "", date,
					       insight_state_name(i->state)};
			for (int f = 0; f < NCSV; f++)
				if (csv_append_field(csv, len, &cap, v[f], f == 0))
					rc = CAIRN_ENOMEM;
			if (!rc && csv_append_eol(csv, len, &cap))
				rc = CAIRN_ENOMEM;
		}
		size_t got = l.n;
		insight_list_release(&l);
		if (rc) {
			err_set(e, rc, NULL, "out of memory");
			goto fail_tx;
		}
		if (got < 500)
			break;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail_tx:
	store_rollback(st);
fail:
	free(*csv);
	*csv = NULL;
	*len = 0;
	return rc;
nomem:
	free(*csv);
	*csv = NULL;
	*len = 0;
	return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
}

/* ---- movers ------------------------------------------------------------------------ */

static int by_delta(const void *a, const void *b)
{
	const struct mover *x = a, *y = b;
	double dx = fabs(x->now - x->before), dy = fabs(y->now - y->before);
	if (dx != dy)
		return dx < dy ? 1 : -1;
	return (x->number > y->number) - (x->number < y->number);
}

int svc_backlog_movers(const struct op *op, int64_t since_ms,
		       struct mover **out, size_t *n, struct err *e)
{
	struct backlog b;
	int64_t now = op->now;
	int rc;
	*out = NULL;
	*n = 0;
	if (since_ms <= 0 || since_ms > now)
		return err_set(e, CAIRN_EINVALID, "since", "since must be a past date like 2026-10-01");
	if ((rc = svc_backlog(op, "demand", &b, e)))
		return rc;
	struct mover *m = calloc(b.n ? b.n : 1, sizeof *m);
	struct demand_ask *then = calloc(b.n ? 64 : 1, sizeof *then);
	if (!m || !then) {
		free(m);
		free(then);
		backlog_release(&b);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	size_t cap_then = b.n ? 64 : 1;
	for (size_t k = 0; k < b.n; k++) {
		const struct backlog_item *it = &b.items[k];
		size_t nt = 0;
		/* demand as it stood at since: asks captured and linked by then,
		 * aged as of then */
		for (size_t j = 0; j < it->nasks; j++) {
			const struct backlog_ask *row = &it->evidence[j];
			if (row->captured_at > since_ms || row->linked_at > since_ms)
				continue;
			if (nt == cap_then) {
				struct demand_ask *nt2 = realloc(then, 2 * cap_then * sizeof *then);
				if (!nt2) {
					rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
					break;
				}
				then = nt2;
				cap_then *= 2;
			}
			then[nt] = it->asks[j];
			then[nt].age_ms = since_ms - row->captured_at;
			nt++;
		}
		if (rc)
			break;
		m[k].number = it->number;
		snprintf(m[k].title, sizeof m[k].title, "%s", it->title);
		m[k].now = it->demand.score;
		m[k].before = demand_score(then, nt).score;
	}
	size_t count = b.n;
	free(then);
	backlog_release(&b);
	if (rc) {
		free(m);
		return rc;
	}
	qsort(m, count, sizeof *m, by_delta);
	*out = m;
	*n = count;
	return 0;
}
