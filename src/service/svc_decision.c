/*
 * svc_decision.c — the product decision log: a decision's context, the
 * options weighed (pros and cons), the decision and its consequences, who
 * was responsible, accountable, consulted and informed, and the issues,
 * initiatives and insights it is about.  PMs and admins write decisions;
 * only a proposed one can change (with history); accepting it freezes its
 * evidence — the linked issues' demand, RICE, insights by customer tier,
 * size and milestone — so a later reader sees what it was based on, beside
 * today's numbers and the differences worth a second look.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/decision.h"
#include "core/timeutil.h"
#include "service/svc_int.h"

static const char *const status_names[] = {"proposed", "accepted", "rejected", "superseded"};
static const char *const role_names[] = {"responsible", "accountable", "consulted", "informed"};

const char *decision_status_name(int s)
{
	return s >= 0 && s <= 3 ? status_names[s] : "";
}

static int text_ok(const char *s, size_t max, int multiline)
{
	if (!s || strlen(s) > max)
		return 0;
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && !(multiline && (*s == '\n' || *s == '\r' || *s == '\t'))) ||
		    *s == 0x7f)
			return 0;
	return 1;
}

void decision_view_release(struct decision_view *v)
{
	decision_release(&v->d);
	free(v->people);
	free(v->links);
	free(v->snapshot);
	free(v->today);
	free(v->signals);
	memset(v, 0, sizeof *v);
}

/* The options: a JSON array of {title, pros, cons}, normalized. */
static int options_check(const char *text, char **out, struct err *e)
{
	json_error_t je;
	json_t *a = json_loads(text ? text : "[]", 0, &je), *o;
	size_t k;
	*out = NULL;
	if (!json_is_array(a) || json_array_size(a) > 20) {
		json_decref(a);
		return err_set(e, CAIRN_EINVALID, "options",
			       "options must be an array of at most 20 {title, pros, cons}");
	}
	json_t *norm = json_array();
	json_array_foreach(a, k, o)
	{
		const char *key;
		json_t *v;
		const char *f[3] = {NULL, "", ""};
		static const char *const names[] = {"title", "pros", "cons"};
		int bad = !json_is_object(o);
		json_object_foreach(o, key, v)
		{
			int j = 0;
			while (j < 3 && strcmp(names[j], key))
				j++;
			if (j == 3 || !json_is_string(v)) {
				bad = 1;
				break;
			}
			f[j] = json_string_value(v);
		}
		if (bad || !f[0] || !*f[0] || !text_ok(f[0], 200, 0) || !text_ok(f[1], 4000, 1) ||
		    !text_ok(f[2], 4000, 1)) {
			json_decref(a);
			json_decref(norm);
			return err_set(e, CAIRN_EINVALID, "options",
				       "options[%zu] must be {title (1..200 bytes), pros, cons}", k);
		}
		json_array_append_new(norm, json_pack("{s:s,s:s,s:s}", "title", f[0], "pros", f[1],
						       "cons", f[2]));
	}
	*out = json_dumps(norm, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	json_decref(norm);
	return *out ? 0 : err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
}

/* The words a search finds: title, context, decision, consequences, folded. */
static char *search_fold(const struct decision *d)
{
	size_t n = strlen(d->title) + strlen(d->context) + strlen(d->decision) +
		   strlen(d->consequences) + 4;
	char *all = malloc(n), *f;
	if (!all)
		return NULL;
	snprintf(all, n, "%s\n%s\n%s\n%s", d->title, d->context, d->decision, d->consequences);
	f = utf8_fold(all);
	free(all);
	return f;
}

static int history(const struct op *op, int64_t id, int64_t now,
		   const char *field, const char *old_value, const char *new_value, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	return store_decision_history_add(st, id, actor->id, now, field, old_value, new_value, e);
}

static int replace_text(char **field, const char *value, struct err *e)
{
	char *c = strdup(value ? value : "");
	if (!c)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	free(*field);
	*field = c;
	return 0;
}

/* Validate and write the links and people of in (in the transaction). */
static int apply_links(const struct op *op, int64_t id,
		       const struct decision_input *in, int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	int rc;
	if (in->set & DEC_RACI) {
		struct decision_person people[4 * 20];
		size_t n = 0;
		for (int r = 0; r < 4; r++) {
			if (in->nraci[r] > 20)
				return err_set(e, CAIRN_EINVALID, role_names[r], "at most 20 people");
			for (size_t k = 0; k < in->nraci[r]; k++) {
				struct user u = {0};
				if ((rc = store_user_by_login(st, in->raci[r][k] ? in->raci[r][k] : "", &u, NULL,
							      0, e))) {
					if (rc != CAIRN_ENOTFOUND)
						return rc;
					err_clear(e);
					return err_set(e, CAIRN_EINVALID, "raci", "raci.%s: no user '%.64s'",
						       role_names[r], in->raci[r][k] ? in->raci[r][k] : "");
				}
				int dup = 0;
				for (size_t j = 0; j < n; j++)
					dup |= people[j].role == r && people[j].user_id == u.id;
				if (!dup)
					people[n++] = (struct decision_person){r, u.id, ""};
			}
		}
		if ((rc = store_decision_set_people(st, id, people, n, e)) ||
		    (rc = history(op, id, now, "raci", NULL, NULL, e)))
			return rc;
	}
	if (in->set & DEC_ISSUES) {
		int64_t ids[DECISION_LINKS_MAX];
		size_t nids = 0;
		if (in->nissues > DECISION_LINKS_MAX)
			return err_set(e, CAIRN_EINVALID, "issues", "at most %d issues", DECISION_LINKS_MAX);
		for (size_t k = 0; k < in->nissues; k++) {
			struct issue i = {0};
			if ((rc = store_issue_get(st, in->issues[k], &vis, &i, e))) {
				if (rc != CAIRN_ENOTFOUND)
					return rc;
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "issues", "no issue #%" PRId64, in->issues[k]);
			}
			int64_t iid = i.id;
			issue_release(&i);
			int dup = 0;
			for (size_t j = 0; j < nids && !dup; j++)
				dup = ids[j] == iid;
			if (!dup)
				ids[nids++] = iid;
		}
		if ((rc = store_decision_set_links(st, id, DLINK_ISSUE, ids, nids, e)) ||
		    (rc = history(op, id, now, "issues", NULL, NULL, e)))
			return rc;
	}
	if (in->set & DEC_INITIATIVES) {
		if (in->ninitiatives > DECISION_LINKS_MAX)
			return err_set(e, CAIRN_EINVALID, "initiatives", "at most %d", DECISION_LINKS_MAX);
		for (size_t k = 0; k < in->ninitiatives; k++) {
			struct initiative x;
			if ((rc = store_initiative_get(st, in->initiatives[k], &x, e))) {
				if (rc != CAIRN_ENOTFOUND)
					return rc;
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "initiatives", "no initiative #%" PRId64,
					       in->initiatives[k]);
			}
		}
		int64_t uniq[DECISION_LINKS_MAX];
		size_t nu = 0;
		for (size_t k = 0; k < in->ninitiatives; k++) {
			int dup = 0;
			for (size_t j = 0; j < nu && !dup; j++)
				dup = uniq[j] == in->initiatives[k];
			if (!dup)
				uniq[nu++] = in->initiatives[k];
		}
		if ((rc = store_decision_set_links(st, id, DLINK_INITIATIVE, uniq, nu, e)) ||
		    (rc = history(op, id, now, "initiatives", NULL, NULL, e)))
			return rc;
	}
	if (in->set & DEC_INSIGHTS) {
		if (in->ninsights > DECISION_LINKS_MAX)
			return err_set(e, CAIRN_EINVALID, "insights", "at most %d", DECISION_LINKS_MAX);
		for (size_t k = 0; k < in->ninsights; k++) {
			struct insight x;
			if ((rc = store_insight_get(st, in->insights[k], &x, e))) {
				if (rc != CAIRN_ENOTFOUND)
					return rc;
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "insights", "no insight #%" PRId64,
					       in->insights[k]);
			}
			insight_release(&x);
		}
		int64_t uniq[DECISION_LINKS_MAX];
		size_t nu = 0;
		for (size_t k = 0; k < in->ninsights; k++) {
			int dup = 0;
			for (size_t j = 0; j < nu && !dup; j++)
				dup = uniq[j] == in->insights[k];
			if (!dup)
				uniq[nu++] = in->insights[k];
		}
		if ((rc = store_decision_set_links(st, id, DLINK_INSIGHT, uniq, nu, e)) ||
		    (rc = history(op, id, now, "insights", NULL, NULL, e)))
			return rc;
	}
	return 0;
}

/* ---- evidence ---------------------------------------------------------------------------- */

/* The evidence of issues (their numbers) as the actor sees them now: a JSON
 * array of {number,title,state,size,milestone,demand,rice,insights,customers,by_tier}. */
static json_t *evidence(const struct op *op, const int64_t *numbers,
			size_t n, struct err *e)
{
	struct customer *cust = NULL;
	size_t ncust = 0;
	int64_t now = op->now;
	json_t *a = json_array();
	if (svc_customer_list(op, &cust, &ncust, e)) {
		json_decref(a);
		return NULL;
	}
	/* each issue's asks through the demand and RICE formulas of the
	 * backlog, whether it is open or closed */
	for (size_t k = 0; k < n; k++) {
		struct issue i;
		struct insight_list l = {0};
		struct err e2;
		err_clear(&e2);
		if (svc_issue_get(op, numbers[k], &i, &e2))
			continue; /* gone from view */
		if (svc_issue_insights(op, numbers[k], &l, &e2)) {
			issue_release(&i);
			continue;
		}
		struct demand_ask *asks = calloc(l.n + 1, sizeof *asks);
		json_t *tiers = json_object();
		for (size_t j = 0; asks && j < l.n; j++) {
			const struct customer *c = NULL;
			for (size_t x = 0; x < ncust && !c; x++)
				if (cust[x].id == l.items[j].customer_id)
					c = &cust[x];
			asks[j].importance = l.items[j].importance;
			asks[j].age_ms = now - l.items[j].captured_at;
			asks[j].customer_id = c ? c->id : 0;
			asks[j].arr = c ? c->arr : 0;
			asks[j].strategic = c ? c->strategic : 0;
			if (c) {
				const char *t = c->tier[0] ? c->tier : "(no tier)";
				json_t *cnt = json_object_get(tiers, t);
				json_object_set_new(tiers, t,
						    json_integer((cnt ? json_integer_value(cnt) : 0) + 1));
			}
		}
		struct demand_result d = asks ? demand_score(asks, l.n) : (struct demand_result){0};
		int size = issue_effective_size(&i);
		struct rice rc = {i.rice_reach >= 0 ? i.rice_reach : d.customers,
				  i.rice_impact ? i.rice_impact : RICE_DEFAULT_IMPACT,
				  i.rice_confidence ? i.rice_confidence : RICE_DEFAULT_CONFIDENCE, size, 0};
		rice_score(&rc);
		json_array_append_new(
			a, json_pack("{s:I,s:s,s:s,s:o,s:o,s:f,s:o,s:i,s:i,s:o}", "number",
				     (json_int_t)i.number, "title", i.title, "state",
				     issue_state_name(i.state), "size", size ? json_integer(size) : json_null(),
				     "milestone", i.milestone ? json_string(i.milestone) : json_null(),
				     "demand", d.score, "rice",
				     rc.score >= 0 && l.n ? json_real(rc.score) : json_null(), "insights",
				     d.asks, "customers", d.customers, "by_tier", tiers));
		free(asks);
		insight_list_release(&l);
		issue_release(&i);
	}
	free(cust);
	return a;
}

static json_t *by_number(json_t *a, int64_t number)
{
	size_t k;
	json_t *x;
	json_array_foreach(a, k, x) if (json_integer_value(json_object_get(x, "number")) == number)
		return x;
	return NULL;
}

static void evidence_of(json_t *x, struct evidence_item *it)
{
	json_t *z = json_object_get(x, "size");
	it->number = json_integer_value(json_object_get(x, "number"));
	it->state = json_string_value(json_object_get(x, "state"));
	it->demand = json_number_value(json_object_get(x, "demand"));
	it->size = json_is_integer(z) ? (int)json_integer_value(z) : 0;
	it->milestone = json_string_value(json_object_get(x, "milestone"));
}

/* What changed between the snapshot and today, as sentences (the rules
 * in core/decision.c). */
static json_t *signals(json_t *snap, json_t *today)
{
	json_t *out = json_array();
	size_t k;
	json_t *s;
	json_array_foreach(snap, k, s)
	{
		struct evidence_item then, now;
		char lines[4][EVIDENCE_SENTENCE];
		json_t *t = by_number(today, json_integer_value(json_object_get(s, "number")));
		if (!t)
			continue;
		evidence_of(s, &then);
		evidence_of(t, &now);
		int n = evidence_changes(&then, &now, lines, 4);
		for (int j = 0; j < n; j++)
			json_array_append_new(out, json_string(lines[j]));
	}
	return out;
}

/* ---- reading ------------------------------------------------------------------------------ */

static int read_view(const struct op *op, int64_t id,
		     struct decision_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_decision_get(st, id, &out->d, e)) ||
	    (rc = store_decision_people(st, id, &out->people, &out->npeople, e)) ||
	    (rc = store_decision_links(st, id, &vis, &out->links, &out->nlinks, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		decision_view_release(out);
		return rc;
	}
	/* the evidence of the issues this reader may see: then and now */
	int64_t numbers[DECISION_LINKS_MAX];
	size_t n = 0;
	for (size_t k = 0; k < out->nlinks && n < DECISION_LINKS_MAX; k++)
		if (out->links[k].kind == DLINK_ISSUE)
			numbers[n++] = out->links[k].number;
	json_t *today = evidence(op, numbers, n, e), *snap = NULL;
	if (!today) {
		decision_view_release(out);
		return e->code ? e->code : CAIRN_ENOMEM;
	}
	if (out->d.snapshot) {
		json_error_t je;
		json_t *all = json_loads(out->d.snapshot, 0, &je), *x;
		size_t k;
		snap = json_array();
		out->snapshot_at = json_integer_value(json_object_get(all, "taken_at"));
		json_array_foreach(json_object_get(all, "issues"), k, x)
		{
			int64_t number = json_integer_value(json_object_get(x, "number"));
			int seen = 0;
			for (size_t j = 0; j < n && !seen; j++)
				seen = numbers[j] == number;
			if (seen)
				json_array_append(snap, x);
		}
		json_decref(all);
	}
	json_t *sig = snap ? signals(snap, today) : json_array();
	out->today = json_dumps(today, JSON_COMPACT | JSON_PRESERVE_ORDER);
	out->signals = json_dumps(sig, JSON_COMPACT);
	if (snap)
		out->snapshot = json_dumps(snap, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(today);
	json_decref(snap);
	json_decref(sig);
	if (!out->today || !out->signals || (snap && !out->snapshot)) {
		decision_view_release(out);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	return 0;
}

int svc_decision_get(const struct op *op, int64_t id,
		     struct decision_view *out, struct err *e)
{
	return read_view(op, id, out, e);
}

int svc_decision_list(const struct op *op, const char *q, const char *status,
		      int64_t issue, const char *involving, struct decision_list *out,
		      int64_t *total, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	char *words[8], *copy = NULL;
	size_t nw = 0;
	int s = -1, rc;
	int64_t issue_id = 0, user_id = 0;
	out->items = NULL;
	out->n = 0;
	if (status && *status) {
		for (s = 0; s < 4 && strcmp(status, status_names[s]); s++)
			;
		if (s == 4)
			return err_set(e, CAIRN_EINVALID, "status",
				       "status must be proposed, accepted, rejected or superseded");
	}
	if (q && strlen(q) > 200)
		return err_set(e, CAIRN_EINVALID, "q", "q is at most 200 bytes");
	if (q && !(copy = strdup(q)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (char *save = NULL, *w = copy ? strtok_r(copy, " \t", &save) : NULL; w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (nw == 8) {
			free(copy);
			return err_set(e, CAIRN_EINVALID, "q", "at most 8 words");
		}
		words[nw++] = w;
	}
	if ((rc = store_begin(st, 0, e))) {
		free(copy);
		return rc;
	}
	if (issue > 0) {
		struct issue i = {0};
		if ((rc = store_issue_get(st, issue, &vis, &i, e)))
			goto fail;
		issue_id = i.id;
		issue_release(&i);
	}
	if (involving && *involving) {
		struct user u;
		if ((rc = store_user_by_login(st, involving, &u, NULL, 0, e))) {
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				rc = err_set(e, CAIRN_EINVALID, "involving", "no user '%.64s'", involving);
			}
			goto fail;
		}
		user_id = u.id;
	}
	if ((rc = store_decision_list(st, (const char *const *)words, nw, s, issue_id, user_id, 200,
				      out, total, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	free(copy);
	return 0;
fail:
	store_rollback(st);
	free(copy);
	return rc;
}

int svc_decision_history(const struct op *op, int64_t id,
			 struct history_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct decision d;
	int rc;
	(void)actor;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_decision_get(st, id, &d, e)) || (rc = store_decision_history(st, id, out, e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	decision_release(&d);
	return rc;
}

/* ---- writing ---------------------------------------------------------------------------- */

static int check_input(const struct decision_input *in, int creating, int64_t *review, struct err *e)
{
	if ((creating || (in->set & DEC_TITLE)) &&
	    (!in->title || !*in->title || !text_ok(in->title, 200, 0)))
		return err_set(e, CAIRN_EINVALID, "title", "title must be 1..200 bytes of one line");
	static const struct {
		unsigned bit;
		const char *name;
	} texts[] = {{DEC_CONTEXT, "context"}, {DEC_DECISION, "decision"}, {DEC_CONSEQUENCES, "consequences"}};
	const char *vals[] = {in->context, in->decision, in->consequences};
	for (int k = 0; k < 3; k++)
		if ((in->set & texts[k].bit) && vals[k] && !text_ok(vals[k], DECISION_TEXT_MAX, 1))
			return err_set(e, CAIRN_EINVALID, texts[k].name, "%s is at most %d bytes of text",
				       texts[k].name, DECISION_TEXT_MAX);
	*review = STRAT_NONE;
	if ((in->set & DEC_REVIEW) && in->review_date && *in->review_date &&
	    day_parse(in->review_date, review))
		return err_set(e, CAIRN_EINVALID, "review_date", "review_date must be a date YYYY-MM-DD");
	return 0;
}

int svc_decision_save(const struct op *op, int64_t id,
		      const struct decision_input *in, int64_t if_match, struct decision_view *out,
		      struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct decision d = {0};
	char *options = NULL, *fold = NULL;
	int64_t review, now = op->now;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_DECISION_WRITE, e)))
		return rc;
	if ((rc = check_input(in, !id, &review, e)))
		return rc;
	if ((in->set & DEC_OPTIONS) && (rc = options_check(in->options, &options, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		goto done;
	if (id) {
		if ((rc = store_decision_lock(st, id, e)) || (rc = store_decision_get(st, id, &d, e)))
			goto fail;
		if (if_match >= 0 && d.version != if_match) {
			rc = err_set(e, CAIRN_ESTALE, "version",
				     "decision #%lld is at version %lld, not %lld; reload it", (long long)id,
				     (long long)d.version, (long long)if_match);
			goto fail;
		}
		if (d.status != DEC_PROPOSED) {
			rc = err_set(e, CAIRN_ECONFLICT, "status",
				     "decision #%lld is %s and cannot change: record a new decision that "
				     "supersedes it",
				     (long long)id, status_names[d.status]);
			goto fail;
		}
	} else {
		d.review_day = STRAT_NONE;
		d.created_by = actor->id;
		d.created_at = now;
		if ((rc = replace_text(&d.title, "", e)) || (rc = replace_text(&d.context, "", e)) ||
		    (rc = replace_text(&d.options, "[]", e)) || (rc = replace_text(&d.decision, "", e)) ||
		    (rc = replace_text(&d.consequences, "", e)))
			goto fail;
	}
	struct {
		unsigned bit;
		const char *name, *value;
		char **field;
	} texts[] = {{DEC_TITLE, "title", in->title, &d.title},
		     {DEC_CONTEXT, "context", in->context, &d.context},
		     {DEC_DECISION, "decision", in->decision, &d.decision},
		     {DEC_CONSEQUENCES, "consequences", in->consequences, &d.consequences},
		     {DEC_OPTIONS, "options", options, &d.options}};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		if (!(in->set & texts[k].bit))
			continue;
		const char *v = texts[k].value ? texts[k].value : "";
		if (id && strcmp(*texts[k].field, v) &&
		    (rc = history(op, id, now, texts[k].name,
				  k == 0 ? *texts[k].field : NULL, k == 0 ? v : NULL, e)))
			goto fail;
		if ((rc = replace_text(texts[k].field, v, e)))
			goto fail;
	}
	if ((in->set & DEC_REVIEW) && review != d.review_day) {
		char a[16] = "", b2[16] = "";
		if (d.review_day != STRAT_NONE)
			day_format(d.review_day, a, sizeof a);
		if (review != STRAT_NONE)
			day_format(review, b2, sizeof b2);
		if (id && (rc = history(op, id, now, "review_date", a[0] ? a : NULL,
					b2[0] ? b2 : NULL, e)))
			goto fail;
		d.review_day = review;
	}
	if (in->set & DEC_SUPERSEDES) {
		if (in->supersedes) {
			struct decision old = {0};
			rc = store_decision_get(st, in->supersedes, &old, e);
			int status = old.status;
			decision_release(&old);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				rc = err_set(e, CAIRN_EINVALID, "supersedes", "no decision #%" PRId64,
					     in->supersedes);
			}
			if (rc)
				goto fail;
			if (status != DEC_ACCEPTED || (id && in->supersedes >= id)) {
				rc = err_set(e, CAIRN_EINVALID, "supersedes",
					     "a decision supersedes an earlier accepted one (#%" PRId64
					     " is %s)",
					     in->supersedes, status_names[status]);
				goto fail;
			}
		}
		if (id && d.supersedes != in->supersedes) {
			char a[24] = "", b2[24] = "";
			if (d.supersedes)
				snprintf(a, sizeof a, "#%" PRId64, d.supersedes);
			if (in->supersedes)
				snprintf(b2, sizeof b2, "#%" PRId64, in->supersedes);
			if ((rc = history(op, id, now, "supersedes", a[0] ? a : NULL,
					  b2[0] ? b2 : NULL, e)))
				goto fail;
		}
		d.supersedes = in->supersedes;
	}
	d.updated_at = now;
	if (!(fold = search_fold(&d))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if (!id) {
		if ((rc = store_decision_insert(st, &d, fold, e)) ||
		    (rc = history(op, d.id, now, "created", NULL, d.title, e)))
			goto fail;
	} else if ((rc = store_decision_update(st, &d, fold, d.version, e))) {
		goto fail;
	}
	if ((rc = apply_links(op, d.id, in, now, e)) || (rc = store_commit(st, e)))
		goto fail;
	rc = read_view(op, d.id, out, e);
	goto done;
fail:
	store_rollback(st);
done:
	decision_release(&d);
	free(options);
	free(fold);
	return rc;
}

int svc_decision_status(const struct op *op, int64_t id, const char *status,
			int64_t if_match, struct decision_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct decision d = {0};
	struct decision_view pre = {0};
	int64_t now = op->now;
	int next, rc;
	char *fold = NULL, *snap = NULL;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_DECISION_WRITE, e)))
		return rc;
	if (!status || (strcmp(status, "accepted") && strcmp(status, "rejected")))
		return err_set(e, CAIRN_EINVALID, "status", "status must be accepted or rejected");
	next = !strcmp(status, "accepted") ? DEC_ACCEPTED : DEC_REJECTED;
	/* the evidence as the deciding PM sees it now (its own transactions) */
	if (next == DEC_ACCEPTED) {
		if ((rc = read_view(op, id, &pre, e)))
			return rc;
		json_error_t je;
		json_t *today = json_loads(pre.today, 0, &je);
		json_t *all = json_pack("{s:I,s:o}", "taken_at", (json_int_t)now, "issues",
					today ? today : json_array());
		snap = all ? json_dumps(all, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(all);
		decision_view_release(&pre);
		if (!snap)
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	if ((rc = store_begin(st, 1, e)))
		goto done;
	if ((rc = store_decision_lock(st, id, e)) || (rc = store_decision_get(st, id, &d, e)))
		goto fail;
	if (if_match >= 0 && d.version != if_match) {
		rc = err_set(e, CAIRN_ESTALE, "version", "decision #%lld is at version %lld, not %lld",
			     (long long)id, (long long)d.version, (long long)if_match);
		goto fail;
	}
	if (d.status != DEC_PROPOSED) {
		rc = err_set(e, CAIRN_ECONFLICT, "status", "decision #%lld is already %s", (long long)id,
			     status_names[d.status]);
		goto fail;
	}
	d.status = next;
	d.decided_at = now;
	d.updated_at = now;
	if (snap) {
		free(d.snapshot);
		d.snapshot = snap;
		snap = NULL;
	}
	if (!(fold = search_fold(&d))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((rc = store_decision_update(st, &d, fold, d.version, e)) ||
	    (rc = history(op, id, now, "status", "proposed", status, e)))
		goto fail;
	if (next == DEC_ACCEPTED && d.supersedes) {
		struct decision old = {0};
		char *f2 = NULL;
		char note[48];
		if (!(rc = store_decision_lock(st, d.supersedes, e)) &&
		    !(rc = store_decision_get(st, d.supersedes, &old, e)) && old.status == DEC_ACCEPTED) {
			old.status = DEC_SUPERSEDED;
			old.updated_at = now;
			snprintf(note, sizeof note, "superseded by #%" PRId64, id);
			if (!(f2 = search_fold(&old)))
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			if (!rc)
				rc = store_decision_update(st, &old, f2, old.version, e);
			if (!rc)
				rc = history(op, old.id, now, "status", "accepted", note, e);
		}
		free(f2);
		decision_release(&old);
		if (rc)
			goto fail;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	rc = read_view(op, id, out, e);
	goto done;
fail:
	store_rollback(st);
done:
	decision_release(&d);
	free(fold);
	free(snap);
	return rc;
}
