/*
 * svc_strategy.c — the PM's first responsibility: the strategy document
 * (versioned, compared, reviewed), objectives with key results, pillars'
 * intended shares, initiatives between pillars and epics with their stated
 * health, and what is computed from the real work: progress, a forecast
 * and a suggested health per initiative, the customers behind it, where
 * the shipped points went (allocation), and the roadmap.
 *
 * Who may do what: PMs and admins own the strategy; an initiative's owner
 * also posts its health updates; PMs, CTOs and admins put epics into
 * initiatives; everyone reads.  Every change is in the strategy history.
 */
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/markdown.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "service/svc_int.h"

static int owns_strategy(const struct user *a)
{
	return svc_may(a, P_STRATEGY_WRITE);
}

static int history(struct store *st, const char *object, const struct user *actor, int64_t now,
		   const char *field, const char *old_value, const char *new_value, struct err *e)
{
	return store_strategy_history_add(st, object, actor ? actor->id : 0, now, field, old_value,
					  new_value, e);
}

static int one_line(const char *s, size_t max)
{
	if (!s || strlen(s) > max)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int text_ok(const char *s, size_t max)
{
	if (!s || strlen(s) > max)
		return 0;
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n' && *s != '\r' && *s != '\t') || *s == 0x7f)
			return 0;
	return 1;
}

/* "12", "-3.5", "0.125" into thousandths; -1 when not such a number. */
static int parse_milli(const char *s, int64_t *out)
{
	int neg = 0, decimals = 0, digits = 0;
	int64_t v = 0;
	if (!s)
		return -1;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s && *s != '.'; s++) {
		if (!isdigit((unsigned char)*s) || ++digits > 12)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s; s++) {
			if (!isdigit((unsigned char)*s) || ++decimals > 3)
				return -1;
			v = v * 10 + (*s - '0');
			digits++;
		}
	if (!digits)
		return -1;
	for (; decimals < 3; decimals++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

static void milli_text(int64_t v, char *buf, size_t cap)
{
	if (v == STRAT_NONE) {
		snprintf(buf, cap, "none");
		return;
	}
	int64_t a = v < 0 ? -v : v;
	snprintf(buf, cap, "%s%" PRId64 ".%03" PRId64, v < 0 ? "-" : "", a / 1000, a % 1000);
	/* 12.500 -> 12.5, 12.000 -> 12 */
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

/* ---- reading and computing --------------------------------------------------------------- */

void strategy_view_release(struct strategy_view *v)
{
	free(v->doc.body);
	free(v->doc.author);
	free(v->doc.note);
	free(v->objectives);
	free(v->objective_progress);
	free(v->krs);
	free(v->objective_pillars);
	free(v->pillars);
	free(v->pillar_progress);
	free(v->inits);
	free(v->initiative_objectives);
	free(v->epics);
	free(v->epic_points);
	free(v->epic_done);
	initiative_updates_free(v->updates, v->nupdates);
	free(v->demand);
	memset(v, 0, sizeof *v);
}

static int setting_int(struct store *st, const char *name, int64_t def, int64_t *out,
		       struct err *e)
{
	char buf[64];
	int found, rc = store_setting_get(st, name, buf, sizeof buf, &found, e);
	*out = def;
	if (!rc && found)
		*out = strtoll(buf, NULL, 10);
	return rc;
}

int svc_strategy_review_state(struct store *st, int *has_doc, int64_t *last, int64_t *due,
			      struct err *e)
{
	struct strategy_version *versions = NULL;
	size_t n = 0;
	int64_t days;
	int rc;
	*has_doc = 0;
	*last = *due = 0;
	if ((rc = store_strategy_list(st, &versions, &n, e)))
		return rc;
	strategy_versions_free(versions, n);
	*has_doc = n > 0;
	if ((rc = setting_int(st, "strategy_reviewed_at", 0, last, e)) ||
	    (rc = setting_int(st, "strategy_review_days", 90, &days, e)))
		return rc;
	if (*last)
		*due = *last + days * DAY_MS;
	return 0;
}

/* Each epic's own progress (its roll-up and the counts below it), from
 * the stored roll-ups (scope >= 0) or computed on read over its tree. */
static int epic_progress(struct store *st, const struct visibility *vis, int scope,
			 const int64_t *numbers, size_t n, struct strat_progress *out,
			 struct err *e)
{
	struct plan_node *nodes = NULL;
	size_t nn = 0;
	int rc;
	if (scope >= 0) {
		struct rollup_item *items = calloc(n, sizeof *items);
		struct rollup_sums *kids = calloc(n, sizeof *kids);
		if (!items || !kids)
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		else
			rc = store_rollup_read(st, scope, numbers, n, items, kids, e);
		for (size_t k = 0; !rc && k < n; k++) {
			struct rollup_sums t;
			memset(&out[k], 0, sizeof out[k]);
			if (!items[k].number)
				continue; /* not there: counts nothing */
			rollup_eval(&items[k], &kids[k], &t, NULL);
			out[k] = (struct strat_progress){t.points, t.done, t.items, t.done_items,
							 t.unsized};
		}
		free(items);
		free(kids);
		return rc;
	}
	int *group = malloc(n * sizeof *group);
	if (!group)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < n; k++)
		group[k] = (int)k;
	if (!(rc = store_plan_nodes(st, vis, numbers, n, &nodes, &nn, e))) {
		if (nn && plan_rollup(nodes, nn))
			rc = err_set(e, CAIRN_EINTERNAL, NULL, "the issue tree has a cycle");
		else if (strategy_progress(nodes, nn, numbers, group, n, out, n))
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	free(group);
	free(nodes);
	return rc;
}

/* Read everything in one snapshot; per_epic[k]: v->epics[k]'s progress. */
static int strategy_read(const struct op *op, struct strategy_view *v,
			 struct strat_progress **per_epic, int64_t **done_at, int **points,
			 size_t *ndone, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct strategy_version *versions = NULL;
	struct initiative *inits = NULL;
	int64_t *numbers = NULL, days;
	int found, scope, rc;
	if ((rc = store_strategy_get(st, 0, &v->doc, &found, e)))
		return rc;
	v->has_doc = found;
	if ((rc = store_strategy_list(st, &versions, &v->versions, e)))
		return rc;
	strategy_versions_free(versions, v->versions);
	if ((rc = setting_int(st, "strategy_reviewed_at", 0, &v->last_reviewed, e)) ||
	    (rc = setting_int(st, "strategy_review_days", 90, &days, e)))
		return rc;
	v->review_days = (int)days;
	if ((rc = store_objective_list(st, &v->objectives, &v->nobjectives, e)) ||
	    (rc = store_kr_list(st, &v->krs, &v->nkrs, e)) ||
	    (rc = store_objective_pillars(st, &v->objective_pillars, &v->nobjective_pillars, e)) ||
	    (rc = store_pillar_list(st, &v->pillars, &v->npillars, e)) ||
	    (rc = store_initiative_list(st, &inits, &v->ninits, e)) ||
	    (rc = store_initiative_objectives(st, &v->initiative_objectives,
					      &v->ninitiative_objectives, e)) ||
	    (rc = store_initiative_epics(st, &vis, &v->epics, &v->nepics, e)) ||
	    (rc = store_initiative_updates(st, 0, &v->updates, &v->nupdates, e)) ||
	    (rc = store_initiative_demand(st, &vis, &v->demand, &v->ndemand, e)))
		goto out;
	if (v->ninits && !(v->inits = calloc(v->ninits, sizeof *v->inits))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < v->ninits; k++)
		v->inits[k].i = inits[k];
	if (v->nepics) {
		if (!(numbers = malloc(v->nepics * sizeof *numbers))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < v->nepics; k++)
			numbers[k] = v->epics[k].b;
		if (!(*per_epic = calloc(v->nepics, sizeof **per_epic))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		if ((rc = rollup_scope(op, &scope, e)) ||
		    (rc = epic_progress(st, &vis, scope, numbers, v->nepics, *per_epic, e)))
			goto out;
	}
	rc = store_done_since(st, &vis, (v->today - THROUGHPUT_DAYS) * 86400000LL, done_at, points,
			      ndone, e);
out:
	free(inits);
	free(numbers);
	return rc;
}

static size_t index_of_initiative(const struct strategy_view *v, int64_t id)
{
	for (size_t k = 0; k < v->ninits; k++)
		if (v->inits[k].i.id == id)
			return k;
	return (size_t)-1;
}

/* The sum of the progress of each root for its group (roots[k] indexes
 * per_epic and counts for group[k]). */
static void progress_sum(const struct strat_progress *per_epic, const size_t *roots,
			 const int *group, size_t nr, struct strat_progress *out, size_t ngroups)
{
	memset(out, 0, ngroups * sizeof *out);
	for (size_t k = 0; k < nr; k++) {
		const struct strat_progress *x = &per_epic[roots[k]];
		struct strat_progress *p = &out[group[k]];
		p->points += x->points;
		p->done_points += x->done_points;
		p->items += x->items;
		p->done_items += x->done_items;
		p->unsized += x->unsized;
	}
}

/* The initiatives' forecasts: a Monte Carlo run is a pure function of its
 * inputs (a fixed seed), and ~78 % of a strategy page's time (6 initiatives
 * x 2,000 trials of up to years of days each at 1M issues).  A page asked
 * again with the same throughput and remaining work gets the last run's
 * result: a small table keyed by every input, one lock. */
#define FORECAST_SLOTS 64
struct forecast_slot {
	int used, remaining, trials;
	int daily[THROUGHPUT_DAYS];
	int64_t days_to_due;
	uint64_t seed;
	struct forecast f;
};
static struct forecast_slot forecast_slots[FORECAST_SLOTS];
static pthread_mutex_t forecast_lock = PTHREAD_MUTEX_INITIALIZER;

static int forecast_cached(const int *daily, int remaining, int64_t days_to_due, uint64_t seed,
			   int trials, struct forecast *out)
{
	int64_t in[] = {remaining, days_to_due, (int64_t)seed, trials};
	uint64_t h = hash_bytes(daily, THROUGHPUT_DAYS * sizeof *daily) ^ hash_bytes(in, sizeof in);
	struct forecast_slot *sl = &forecast_slots[h % FORECAST_SLOTS];
	pthread_mutex_lock(&forecast_lock);
	int hit = sl->used && sl->remaining == remaining && sl->trials == trials &&
		  sl->days_to_due == days_to_due && sl->seed == seed &&
		  !memcmp(sl->daily, daily, sizeof sl->daily);
	if (hit)
		*out = sl->f;
	pthread_mutex_unlock(&forecast_lock);
	if (hit)
		return 0;
	if (forecast_run(daily, THROUGHPUT_DAYS, remaining, days_to_due, seed, trials, out))
		return -1;
	pthread_mutex_lock(&forecast_lock);
	sl->used = 1;
	sl->remaining = remaining;
	sl->trials = trials;
	sl->days_to_due = days_to_due;
	sl->seed = seed;
	memcpy(sl->daily, daily, sizeof sl->daily);
	sl->f = *out;
	pthread_mutex_unlock(&forecast_lock);
	return 0;
}

/* Progress by initiative, pillar and objective; forecasts; demand.
 * per_epic[k]: the progress of v->epics[k] alone (an epic has no parent,
 * so no epic is under another and each counts once per group). */
static int strategy_compute(struct strategy_view *v, const struct strat_progress *per_epic,
			    const int64_t *done_at, const int *points, size_t ndone, struct err *e)
{
	int daily[THROUGHPUT_DAYS] = {0};
	int rc = 0;
	v->epic_points = calloc(v->nepics + 1, sizeof *v->epic_points);
	v->epic_done = calloc(v->nepics + 1, sizeof *v->epic_done);
	if (!v->epic_points || !v->epic_done)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < v->nepics; k++) {
		v->epic_points[k] = per_epic[k].points;
		v->epic_done[k] = per_epic[k].done_points;
	}
	for (size_t k = 0; k < ndone; k++) {
		int64_t day = day_of_ms(done_at[k]);
		if (day >= v->today - THROUGHPUT_DAYS && day < v->today)
			daily[day - (v->today - THROUGHPUT_DAYS)] += points[k];
	}
	/* roots by group: initiatives, then pillars, then objectives */
	size_t cap = v->nepics * (2 + v->ninitiative_objectives) + 1;
	size_t *roots = calloc(cap, sizeof *roots);
	int *group = calloc(cap, sizeof *group);
	struct strat_progress *ip = calloc(v->ninits + 1, sizeof *ip);
	v->pillar_progress = calloc(v->npillars + 1, sizeof *v->pillar_progress);
	v->objective_progress = calloc(v->nobjectives + 1, sizeof *v->objective_progress);
	if (!roots || !group || !ip || !v->pillar_progress || !v->objective_progress) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	size_t nr = 0;
	for (size_t k = 0; k < v->nepics; k++) {
		size_t x = index_of_initiative(v, v->epics[k].a);
		if (x == (size_t)-1)
			continue;
		roots[nr] = k;
		group[nr++] = (int)x;
		v->inits[x].epics++;
	}
	progress_sum(per_epic, roots, group, nr, ip, v->ninits + 1);
	/* pillars: the epics of their initiatives */
	nr = 0;
	for (size_t k = 0; k < v->nepics; k++) {
		size_t x = index_of_initiative(v, v->epics[k].a);
		if (x == (size_t)-1)
			continue;
		for (size_t p = 0; p < v->npillars; p++)
			if (v->pillars[p].id == v->inits[x].i.pillar_id) {
				roots[nr] = k;
				group[nr++] = (int)p;
			}
	}
	progress_sum(per_epic, roots, group, nr, v->pillar_progress, v->npillars + 1);
	/* objectives: the epics of the initiatives serving them */
	nr = 0;
	for (size_t k = 0; k < v->nepics; k++)
		for (size_t j = 0; j < v->ninitiative_objectives; j++) {
			if (v->initiative_objectives[j].a != v->epics[k].a)
				continue;
			for (size_t o = 0; o < v->nobjectives && nr < cap; o++)
				if (v->objectives[o].id == v->initiative_objectives[j].b) {
					roots[nr] = k;
					group[nr++] = (int)o;
				}
		}
	progress_sum(per_epic, roots, group, nr, v->objective_progress, v->nobjectives + 1);
	for (size_t k = 0; k < v->ninits; k++) {
		struct initiative_view *iv = &v->inits[k];
		iv->progress = ip[k];
		iv->remaining = ip[k].points - ip[k].done_points;
		int64_t target = iv->i.target_day == STRAT_NONE ? INT64_MIN : iv->i.target_day - v->today;
		if (forecast_cached(daily, iv->remaining, target == INT64_MIN ? 0 : target, 1, 2000,
				    &iv->f)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		iv->suggested = iv->i.status == 3 /* dropped */
					? HEALTH_NONE
					: health_suggest(iv->remaining, iv->f.p50, iv->f.p85, target);
		for (size_t u = 0; u < v->nupdates; u++)
			if (v->updates[u].initiative_id == iv->i.id)
				iv->update = &v->updates[u];
		for (size_t d = 0; d < v->ndemand; d++) {
			if (v->demand[d].initiative_id != iv->i.id)
				continue;
			if (!iv->demand)
				iv->demand = &v->demand[d];
			iv->ndemand++;
			iv->demand_insights += v->demand[d].insights;
			iv->demand_arr += v->demand[d].arr;
		}
	}
out:
	free(roots);
	free(group);
	free(ip);
	return rc;
}

int svc_strategy(const struct op *op, struct strategy_view *out,
		 struct err *e)
{
	struct store *st = op->st;
	struct strat_progress *per_epic = NULL;
	int64_t *done_at = NULL;
	int *points = NULL;
	size_t ndone = 0;
	int rc;
	memset(out, 0, sizeof *out);
	out->today = day_of_ms(op->now);
	out->now = op->now;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = strategy_read(op, out, &per_epic, &done_at, &points, &ndone, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		goto out;
	}
	if (out->last_reviewed)
		out->review_due = out->last_reviewed + (int64_t)out->review_days * 86400000LL;
	rc = strategy_compute(out, per_epic, done_at, points, ndone, e);
out:
	free(per_epic);
	free(done_at);
	free(points);
	if (rc)
		strategy_view_release(out);
	return rc;
}

/* ---- the document --------------------------------------------------------------------------- */

int svc_strategy_save(const struct op *op, const char *body,
		      const char *note, int64_t *version, int *created, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct strategy_version cur = {0};
	int64_t now = op->now;
	int found, rc;
	char what[64];
	*created = 0;
	*version = 0;
	if ((rc = svc_allow(actor, P_STRATEGY_WRITE, e)))
		return rc;
	if (!body || !text_ok(body, STRATEGY_BODY_MAX))
		return err_set(e, CAIRN_EINVALID, "body",
			       "body must be markdown text of at most %d bytes", STRATEGY_BODY_MAX);
	if (note && !one_line(note, 200))
		return err_set(e, CAIRN_EINVALID, "note", "note is one line of at most 200 bytes");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_strategy_get(st, 0, &cur, &found, e)))
		goto fail;
	if (found && strcmp(cur.body, body) == 0) {
		*version = cur.id;
		rc = store_commit(st, e);
		goto done;
	}
	if ((rc = store_strategy_insert(st, body, actor->id, note, now, version, e)))
		goto fail;
	char was[64];
	snprintf(what, sizeof what, "version %" PRId64, *version);
	snprintf(was, sizeof was, "version %" PRId64, cur.id);
	if ((rc = history(st, "strategy", actor, now, "document", found ? was : NULL, what, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	*created = 1;
	goto done;
fail:
	store_rollback(st);
done:
	free(cur.body);
	free(cur.author);
	free(cur.note);
	return rc;
}

int svc_strategy_versions(const struct op *op, struct strategy_version **out, size_t *n,
			  struct err *e)
{
	struct store *st = op->st;
	int rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_strategy_list(st, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_strategy_version(const struct op *op, int64_t id, struct strategy_version *out,
			 struct err *e)
{
	struct store *st = op->st;
	int found, rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_strategy_get(st, id > 0 ? id : -1, out, &found, e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_strategy_diff(const struct op *op, int64_t from, int64_t to, struct strategy_version *a,
		      struct strategy_version *b, struct diff_line **lines, size_t *n,
		      struct err *e)
{
	int rc;
	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	*lines = NULL;
	*n = 0;
	if ((rc = svc_strategy_version(op, from, a, e)))
		return rc;
	if ((rc = svc_strategy_version(op, to, b, e)))
		goto fail;
	if (text_diff(a->body, b->body, lines, n)) {
		rc = err_set(e, CAIRN_EINVALID, NULL, "the versions are too long to compare (%d lines)",
			     DIFF_MAX_LINES);
		goto fail;
	}
	return 0;
fail:
	free(a->body), free(a->author), free(a->note);
	free(b->body), free(b->author), free(b->note);
	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	return rc;
}

int svc_strategy_review(const struct op *op, int64_t review_days,
			struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char buf[32];
	int64_t now = op->now;
	int rc;
	if ((rc = svc_allow(actor, P_STRATEGY_WRITE, e)))
		return rc;
	if (review_days != SVC_UNSET && (review_days < 1 || review_days > 730))
		return err_set(e, CAIRN_EINVALID, "review_every_days", "review_every_days must be 1..730");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	snprintf(buf, sizeof buf, "%" PRId64, now);
	if ((rc = store_setting_set(st, "strategy_reviewed_at", buf, e)))
		goto fail;
	if (review_days != SVC_UNSET) {
		snprintf(buf, sizeof buf, "%" PRId64, review_days);
		if ((rc = store_setting_set(st, "strategy_review_days", buf, e)))
			goto fail;
	}
	iso_time(now, buf, sizeof buf);
	if ((rc = history(st, "strategy", actor, now, "reviewed", NULL, buf, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int svc_strategy_history(const struct op *op,
			 struct strategy_change **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	(void)actor;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_strategy_history(st, 200, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* ---- objectives, key results, pillars -------------------------------------------------- */

int svc_objective_save(const struct op *op, int64_t id,
		       const struct objective_input *in, struct objective *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int64_t now = op->now;
	char object[48];
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_STRATEGY_WRITE, e)))
		return rc;
	if ((!id || in->title) && (!in->title || !*in->title || !one_line(in->title, TITLE_MAX)))
		return err_set(e, CAIRN_EINVALID, "title", "title must be 1..%d bytes of one line",
			       TITLE_MAX);
	if (in->description && !text_ok(in->description, DESCRIPTION_MAX))
		return err_set(e, CAIRN_EINVALID, "description",
			       "description is at most %d bytes of text", DESCRIPTION_MAX);
	if (in->period && !one_line(in->period, 64))
		return err_set(e, CAIRN_EINVALID, "period", "period is one line of at most 64 bytes");
	if (in->npillars > 32)
		return err_set(e, CAIRN_EINVALID, "pillars", "at most 32 pillars");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	for (size_t k = 0; k < in->npillars; k++) {
		struct pillar p;
		if ((rc = store_pillar_get(st, in->pillars[k], &p, e))) {
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				rc = err_set(e, CAIRN_EINVALID, "pillars", "no pillar #%lld",
					     (long long)in->pillars[k]);
			}
			goto fail;
		}
	}
	if (id && ((rc = store_lock_row(st, ROW_OBJECTIVE, id, e)) ||
		   (rc = store_objective_get(st, id, out, e))))
		goto fail;
	snprintf(object, sizeof object, "objective %" PRId64, id);
	if (in->title) {
		if (id && strcmp(out->title, in->title) &&
		    (rc = history(st, object, actor, now, "title", out->title, in->title, e)))
			goto fail;
		snprintf(out->title, sizeof out->title, "%s", in->title);
	}
	if (in->description)
		snprintf(out->description, sizeof out->description, "%s", in->description);
	if (in->period) {
		if (id && strcmp(out->period, in->period) &&
		    (rc = history(st, object, actor, now, "period", out->period, in->period, e)))
			goto fail;
		snprintf(out->period, sizeof out->period, "%s", in->period);
	}
	out->updated_at = now;
	if (!id) {
		out->created_at = now;
		if ((rc = store_objective_insert(st, out, e)))
			goto fail;
		snprintf(object, sizeof object, "objective %" PRId64, out->id);
		if ((rc = history(st, object, actor, now, "created", NULL, out->title, e)))
			goto fail;
	} else if ((rc = store_objective_update(st, out, e))) {
		goto fail;
	}
	if (in->set_pillars &&
	    ((rc = store_objective_set_pillars(st, out->id, in->pillars, in->npillars, e)) ||
	     (id && (rc = history(st, object, actor, now, "pillars", NULL, NULL, e)))))
		goto fail;
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int svc_kr_save(const struct op *op, int64_t objective, int64_t id,
		const struct kr_input *in, struct key_result *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct objective o;
	int64_t now = op->now, v;
	char object[48], a[40], b[40];
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_STRATEGY_WRITE, e)))
		return rc;
	if ((!id || in->metric) && (!in->metric || !*in->metric || !one_line(in->metric, TITLE_MAX)))
		return err_set(e, CAIRN_EINVALID, "metric", "metric must be 1..%d bytes of one line",
			       TITLE_MAX);
	static const char *const names[] = {"baseline", "target", "current"};
	const char *vals[] = {in->baseline, in->target, in->current};
	for (int k = 0; k < 3; k++)
		if ((vals[k] || (!id && k < 2)) && (!vals[k] || parse_milli(vals[k], &v)))
			return err_set(e, CAIRN_EINVALID, names[k],
				       "%s must be a number with at most 3 decimals", names[k]);
	int64_t measured = 0;
	if (in->measured_at && *in->measured_at) {
		int64_t day;
		if (day_parse(in->measured_at, &day))
			return err_set(e, CAIRN_EINVALID, "measured_at",
				       "measured_at must be a date YYYY-MM-DD");
		measured = day * 86400000LL;
	}
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (id) {
		if ((rc = store_lock_row(st, ROW_KEY_RESULT, id, e)) ||
		    (rc = store_kr_get(st, id, out, e)))
			goto fail;
	} else {
		if ((rc = store_objective_get(st, objective, &o, e)))
			goto fail;
		out->objective_id = objective;
		out->current = STRAT_NONE;
		out->created_at = now;
	}
	snprintf(object, sizeof object, "key result %" PRId64, id);
	if (in->metric)
		snprintf(out->metric, sizeof out->metric, "%s", in->metric);
	if (in->baseline)
		parse_milli(in->baseline, &out->baseline);
	if (in->target)
		parse_milli(in->target, &out->target);
	if (in->current) {
		parse_milli(in->current, &v);
		milli_text(out->current, a, sizeof a);
		milli_text(v, b, sizeof b);
		if (id && (rc = history(st, object, actor, now, "current", a, b, e)))
			goto fail;
		out->current = v;
		out->measured_at = measured ? measured : now;
	} else if (measured) {
		out->measured_at = measured;
	}
	if (out->target == out->baseline) {
		rc = err_set(e, CAIRN_EINVALID, "target", "target must differ from the baseline");
		goto fail;
	}
	if (!id) {
		if ((rc = store_kr_insert(st, out, e)))
			goto fail;
		snprintf(object, sizeof object, "objective %" PRId64, objective);
		if ((rc = history(st, object, actor, now, "key result", NULL, out->metric, e)))
			goto fail;
	} else if ((rc = store_kr_update(st, out, e))) {
		goto fail;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int svc_pillar_update(const struct op *op, int64_t id, const char *name,
		      const char *description, const char *target_share, struct pillar *out,
		      struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct pillar *all = NULL;
	size_t n = 0;
	int64_t now = op->now;
	int share = -2, rc;
	char object[48], a[16], b[16];
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_STRATEGY_WRITE, e)))
		return rc;
	if (name && (!*name || !one_line(name, NAME_MAX_LEN)))
		return err_set(e, CAIRN_EINVALID, "name", "name must be 1..%d bytes of one line",
			       NAME_MAX_LEN);
	if (description && !text_ok(description, DESCRIPTION_MAX))
		return err_set(e, CAIRN_EINVALID, "description", "description is at most %d bytes",
			       DESCRIPTION_MAX);
	if (target_share) {
		char *end;
		long v = strtol(target_share, &end, 10);
		if (!*target_share)
			share = -1;
		else if (*end || v < 0 || v > 100)
			return err_set(e, CAIRN_EINVALID, "target_share",
				       "target_share must be a percentage 0..100");
		else
			share = (int)v;
	}
	if ((rc = store_begin(st, 1, e)))
		return rc;
	/* the target shares of all pillars add up to at most 100: one writer */
	if ((rc = store_lock_settings(st, e)) || (rc = store_pillar_get(st, id, out, e)) ||
	    (rc = store_pillar_list(st, &all, &n, e)))
		goto fail;
	snprintf(object, sizeof object, "pillar %" PRId64, id);
	if (share != -2) {
		int sum = share > 0 ? share : 0;
		for (size_t k = 0; k < n; k++)
			if (all[k].id != id && all[k].target_share > 0)
				sum += all[k].target_share;
		if (sum > 100) {
			rc = err_set(e, CAIRN_EINVALID, "target_share",
				     "the pillars' shares would add up to %d%%; at most 100%%", sum);
			goto fail;
		}
		snprintf(a, sizeof a, "%d", out->target_share);
		snprintf(b, sizeof b, "%d", share);
		if (share != out->target_share &&
		    (rc = history(st, object, actor, now, "target_share",
				  out->target_share < 0 ? NULL : a, share < 0 ? NULL : b, e)))
			goto fail;
		out->target_share = share;
	}
	if (name) {
		if (strcmp(out->name, name) &&
		    (rc = history(st, object, actor, now, "name", out->name, name, e)))
			goto fail;
		snprintf(out->name, sizeof out->name, "%s", name);
	}
	if (description)
		snprintf(out->description, sizeof out->description, "%s", description);
	if ((rc = store_pillar_update(st, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	free(all);
	return 0;
fail:
	store_rollback(st);
	free(all);
	return rc;
}

/* ---- initiatives ------------------------------------------------------------------------------ */

static const char *const status_names[] = {"planned", "active", "done", "dropped"};

const char *initiative_status_name(int s)
{
	return s >= 0 && s <= 3 ? status_names[s] : "";
}

static int status_parse(const char *s, int *out)
{
	for (int k = 0; s && k <= 3; k++)
		if (!strcmp(s, status_names[k])) {
			*out = k;
			return 0;
		}
	return -1;
}

static void day_text(int64_t day, char *buf, size_t cap)
{
	if (day == STRAT_NONE)
		snprintf(buf, cap, "none");
	else
		day_format(day, buf, cap);
}

/* Apply in to *i, recording each change; validation first (no writes). */
static int initiative_apply(const struct op *op, const char *object,
			    const struct initiative_input *in, struct initiative *i, int creating,
			    int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc, v;
	char a[64], b[64];
	if ((creating || (in->set & INI_TITLE)) &&
	    (!in->title || !*in->title || !one_line(in->title, TITLE_MAX)))
		return err_set(e, CAIRN_EINVALID, "title", "title must be 1..%d bytes of one line",
			       TITLE_MAX);
	if ((in->set & INI_DESCRIPTION) && in->description && !text_ok(in->description, DESCRIPTION_MAX))
		return err_set(e, CAIRN_EINVALID, "description", "description is at most %d bytes",
			       DESCRIPTION_MAX);
	if (in->set & INI_TITLE) {
		if (!creating && strcmp(i->title, in->title) &&
		    (rc = history(st, object, actor, now, "title", i->title, in->title, e)))
			return rc;
		snprintf(i->title, sizeof i->title, "%s", in->title);
	}
	if (in->set & INI_DESCRIPTION)
		snprintf(i->description, sizeof i->description, "%s", in->description ? in->description : "");
	if (in->set & INI_OWNER) {
		struct user u = {0};
		if (in->owner && *in->owner) {
			if ((rc = store_user_by_login(st, in->owner, &u, NULL, 0, e))) {
				if (rc != CAIRN_ENOTFOUND)
					return rc;
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "owner", "no user '%.64s'", in->owner);
			}
		}
		if (!creating && u.id != i->owner_id &&
		    (rc = history(st, object, actor, now, "owner", i->owner[0] ? i->owner : NULL,
				  u.id ? u.login : NULL, e)))
			return rc;
		i->owner_id = u.id;
		snprintf(i->owner, sizeof i->owner, "%s", u.id ? u.login : "");
	}
	if (in->set & INI_PILLAR) {
		struct pillar p = {0};
		if (in->pillar && *in->pillar) {
			char *end;
			long long id = strtoll(in->pillar, &end, 10);
			if (*end || id <= 0)
				return err_set(e, CAIRN_EINVALID, "pillar", "pillar must be a pillar id");
			if ((rc = store_pillar_get(st, id, &p, e))) {
				if (rc != CAIRN_ENOTFOUND)
					return rc;
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "pillar", "no pillar #%lld", id);
			}
		}
		if (!creating && p.id != i->pillar_id &&
		    (rc = history(st, object, actor, now, "pillar", i->pillar[0] ? i->pillar : NULL,
				  p.id ? p.name : NULL, e)))
			return rc;
		i->pillar_id = p.id;
		snprintf(i->pillar, sizeof i->pillar, "%s", p.id ? p.name : "");
	}
	if (in->set & INI_HORIZON) {
		v = LANE_NONE;
		if (in->horizon && *in->horizon && lane_parse(in->horizon, &v))
			return err_set(e, CAIRN_EINVALID, "horizon", "horizon must be now, next or later");
		if (!creating && v != i->horizon &&
		    (rc = history(st, object, actor, now, "horizon",
				  i->horizon ? lane_name(i->horizon) : NULL, v ? lane_name(v) : NULL, e)))
			return rc;
		i->horizon = v;
	}
	struct {
		unsigned bit;
		const char *field, *text;
		int64_t *day;
	} days[] = {{INI_START, "start", in->start, &i->start_day},
		    {INI_TARGET, "target", in->target, &i->target_day}};
	for (int k = 0; k < 2; k++) {
		if (!(in->set & days[k].bit))
			continue;
		int64_t d = STRAT_NONE;
		if (days[k].text && *days[k].text && day_parse(days[k].text, &d))
			return err_set(e, CAIRN_EINVALID, days[k].field, "%s must be a date YYYY-MM-DD",
				       days[k].field);
		day_text(*days[k].day, a, sizeof a);
		day_text(d, b, sizeof b);
		if (!creating && d != *days[k].day &&
		    (rc = history(st, object, actor, now, days[k].field, a, b, e)))
			return rc;
		*days[k].day = d;
	}
	if (i->start_day != STRAT_NONE && i->target_day != STRAT_NONE && i->target_day < i->start_day)
		return err_set(e, CAIRN_EINVALID, "target", "target must not be before start");
	if (in->set & INI_STATUS) {
		if (!in->status || status_parse(in->status, &v))
			return err_set(e, CAIRN_EINVALID, "status",
				       "status must be planned, active, done or dropped");
		if (!creating && v != i->status &&
		    (rc = history(st, object, actor, now, "status", status_names[i->status],
				  status_names[v], e)))
			return rc;
		i->status = v;
	}
	if (in->set & INI_PUBLIC) {
		if (!creating && in->is_public != i->is_public &&
		    (rc = history(st, object, actor, now, "public", i->is_public ? "yes" : "no",
				  in->is_public ? "yes" : "no", e)))
			return rc;
		i->is_public = in->is_public;
	}
	if (in->set & INI_POSITION) {
		char *end;
		long long p = in->position ? strtoll(in->position, &end, 10) : 0;
		if (!in->position || *end || p < 0 || p > 1000000000000000LL)
			return err_set(e, CAIRN_EINVALID, "position", "position must be a number 0..10^15");
		i->position = p;
	}
	return 0;
}

int svc_initiative_save(const struct op *op, int64_t id,
			const struct initiative_input *in, int64_t if_match, struct initiative *out,
			struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int64_t now = op->now;
	char object[48];
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_STRATEGY_WRITE, e)))
		return rc;
	if (in->nobjectives > 32)
		return err_set(e, CAIRN_EINVALID, "objectives", "at most 32 objectives");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (id) {
		if ((rc = store_initiative_lock(st, id, e)) ||
		    (rc = store_initiative_get(st, id, out, e)))
			goto fail;
		if (if_match >= 0 && out->version != if_match) {
			rc = err_set(e, CAIRN_ESTALE, "version",
				     "initiative #%lld is at version %lld, not %lld; reload it",
				     (long long)id, (long long)out->version, (long long)if_match);
			goto fail;
		}
	} else {
		out->start_day = out->target_day = STRAT_NONE;
		out->position = now; /* new ones go last */
	}
	snprintf(object, sizeof object, "initiative %" PRId64, id);
	if ((rc = initiative_apply(op, object, in, out, !id, now, e)))
		goto fail;
	for (size_t k = 0; k < in->nobjectives; k++) {
		struct objective o;
		if ((rc = store_objective_get(st, in->objectives[k], &o, e))) {
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				rc = err_set(e, CAIRN_EINVALID, "objectives", "no objective #%lld",
					     (long long)in->objectives[k]);
			}
			goto fail;
		}
	}
	out->updated_at = now;
	if (!id) {
		out->created_at = now;
		if ((rc = store_initiative_insert(st, out, e)))
			goto fail;
		snprintf(object, sizeof object, "initiative %" PRId64, out->id);
		if ((rc = history(st, object, actor, now, "created", NULL, out->title, e)))
			goto fail;
	} else if ((rc = store_initiative_update(st, out, out->version, e))) {
		goto fail;
	}
	if ((in->set & INI_OBJECTIVES) &&
	    ((rc = store_initiative_set_objectives(st, out->id, in->objectives, in->nobjectives, e)) ||
	     (id && (rc = history(st, object, actor, now, "objectives", NULL, NULL, e)))))
		goto fail;
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int svc_initiative_epic_gone(const struct op *op, const struct issue *is, struct err *e)
{
	char object[48], ref[32];
	int64_t was;
	int rc = store_initiative_epic_set(op->st, is->id, 0, &was, e);
	if (rc || !was)
		return rc;
	snprintf(object, sizeof object, "initiative %" PRId64, was);
	snprintf(ref, sizeof ref, "#%" PRId64, is->number);
	return history(op->st, object, op->actor, op->now, "epic removed", NULL, ref, e);
}

int svc_initiative_epic(const struct op *op, int64_t id, int64_t number,
			int add, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct initiative ini;
	struct issue is = {0};
	int64_t was, now = op->now;
	char object[48], ref[32], old[48];
	int rc;
	if ((rc = svc_allow(actor, P_INITIATIVE_EPICS, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_initiative_get(st, id, &ini, e)))
		goto fail;
	if ((rc = store_issue_get(st, number, &vis, &is, e))) {
		if (rc == CAIRN_ENOTFOUND && add) {
			err_clear(e);
			rc = err_set(e, CAIRN_EINVALID, "number", "no issue #%lld", (long long)number);
		}
		goto fail;
	}
	if (is.type != ISSUE_EPIC) {
		rc = err_set(e, CAIRN_EINVALID, "number",
			     "#%lld is a %s: initiatives hold epics (put its epic in instead)",
			     (long long)number, issue_type_name(is.type));
		goto fail;
	}
	if ((rc = store_initiative_epic_set(st, is.id, add ? id : 0, &was, e)))
		goto fail;
	if (!add && was != id) {
		rc = err_set(e, CAIRN_ENOTFOUND, "number", "#%lld is not in initiative #%lld",
			     (long long)number, (long long)id);
		goto fail;
	}
	snprintf(object, sizeof object, "initiative %" PRId64, id);
	snprintf(ref, sizeof ref, "#%" PRId64, number);
	snprintf(old, sizeof old, "from initiative %" PRId64, was);
	if (was != (add ? id : 0) &&
	    (rc = history(st, object, actor, now, add ? "epic added" : "epic removed",
			  add && was ? old : NULL, ref, e)))
		goto fail;
	if ((rc = store_commit(st, e)))
		goto fail;
	issue_release(&is);
	return 0;
fail:
	store_rollback(st);
	issue_release(&is);
	return rc;
}

int svc_initiative_post(const struct op *op, int64_t id,
			const char *health, const char *text, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct initiative ini;
	int64_t now = op->now;
	char object[48];
	int h, rc;
	if ((rc = svc_allow(actor, P_INITIATIVE_HEALTH, e)))
		return rc;
	if (!health || health_parse(health, &h) || h == HEALTH_NONE)
		return err_set(e, CAIRN_EINVALID, "health", "health must be on_track, at_risk or off_track");
	if (!text || !*text || !text_ok(text, 2000))
		return err_set(e, CAIRN_EINVALID, "text", "text must be 1..2000 bytes");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_initiative_lock(st, id, e)) || (rc = store_initiative_get(st, id, &ini, e)))
		goto fail;
	if (!owns_strategy(actor) && ini.owner_id != actor->id) {
		rc = err_set(e, CAIRN_EFORBIDDEN, NULL,
			     "only the initiative's owner, PMs and admins post its health");
		goto fail;
	}
	snprintf(object, sizeof object, "initiative %" PRId64, id);
	if ((rc = store_initiative_update_insert(st, id, actor->id, now, h, text, e)) ||
	    (h != ini.health && (rc = history(st, object, actor, now, "health",
					      ini.health ? health_name(ini.health) : NULL,
					      health_name(h), e))))
		goto fail;
	ini.health = h;
	ini.updated_at = now;
	if ((rc = store_initiative_update(st, &ini, ini.version, e)) || (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int svc_initiative_updates(const struct op *op, int64_t id, struct initiative_update **out,
			   size_t *n, struct err *e)
{
	struct store *st = op->st;
	struct initiative ini;
	int rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_initiative_get(st, id, &ini, e)) ||
	    (rc = store_initiative_updates(st, id, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* ---- allocation ------------------------------------------------------------------------------ */

void allocation_view_release(struct allocation_view *a)
{
	free(a->shares);
	free(a->buckets);
	free(a->milestones);
	free(a->pillars);
	free(a->inits);
	memset(a, 0, sizeof *a);
}

static int cmp_node_number(const void *x, const void *y)
{
	const struct plan_node *a = x, *b = y;
	return a->number < b->number ? -1 : a->number > b->number;
}

int svc_allocation(const struct op *op, int by_quarter, int64_t last,
		   struct allocation_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct id_pair *epics = NULL;
	struct plan_node *nodes = NULL;
	struct done_item *done = NULL;
	struct alloc_item *items = NULL;
	int64_t *numbers = NULL, *root_of = NULL;
	size_t nepics = 0, nn = 0, ndone = 0, ni = 0;
	int64_t today = day_of_ms(op->now);
	int rc;
	memset(out, 0, sizeof *out);
	if (last < 1 || last > 24)
		return err_set(e, CAIRN_EINVALID, "last", "last must be 1..24");
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_milestone_list(st, &out->milestones, &out->nmilestones, e)) ||
	    (rc = store_pillar_list(st, &out->pillars, &out->npillars, e)) ||
	    (rc = store_initiative_list(st, &out->inits, &out->ninits, e)) ||
	    (rc = store_initiative_epics(st, &vis, &epics, &nepics, e)))
		goto fail;
	/* the buckets: the last milestones that have started, or quarters */
	out->buckets = calloc((size_t)last, sizeof *out->buckets);
	if (!out->buckets) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	int64_t since_day;
	if (by_quarter) {
		int64_t q = quarter_of_day(today);
		for (int64_t k = last - 1; k >= 0; k--) {
			out->buckets[k] = q;
			q = q % 10 == 1 ? (q / 10 - 1) * 10 + 4 : q - 1;
		}
		out->nbuckets = (size_t)last;
		/* the first day of the first quarter */
		int64_t y = out->buckets[0] / 10, m = (out->buckets[0] % 10 - 1) * 3 + 1;
		char ymd[48];
		snprintf(ymd, sizeof ymd, "%04lld-%02lld-01", (long long)y, (long long)m);
		day_parse(ymd, &since_day);
	} else {
		/* milestones by start day; take the last `last` that have started */
		size_t started = 0;
		for (size_t k = 0; k < out->nmilestones; k++)
			if (out->milestones[k].start_day <= today)
				started = k + 1;
		size_t from = started > (size_t)last ? started - (size_t)last : 0;
		since_day = today;
		for (size_t k = from; k < started; k++) {
			out->buckets[out->nbuckets++] = out->milestones[k].id;
			if (out->milestones[k].start_day < since_day)
				since_day = out->milestones[k].start_day;
		}
	}
	if ((rc = by_quarter ? store_done_items(st, &vis, since_day * 86400000LL, &done, &ndone, e)
			     : store_done_in_milestones(st, &vis, out->buckets, out->nbuckets, &done,
							&ndone, e)))
		goto fail;
	if (nepics) {
		if (!(numbers = malloc(nepics * sizeof *numbers))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		for (size_t k = 0; k < nepics; k++)
			numbers[k] = epics[k].b;
		if ((rc = store_plan_nodes(st, &vis, numbers, nepics, &nodes, &nn, e)))
			goto fail;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	/* each node's root epic, then its initiative */
	if (nn) {
		qsort(nodes, nn, sizeof *nodes, cmp_node_number);
		if (!(root_of = malloc(nn * sizeof *root_of))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < nn; k++) {
			int64_t n = nodes[k].number;
			const struct plan_node *x = &nodes[k];
			for (int depth = 0; x && x->parent && depth < 64; depth++) {
				struct plan_node key = {.number = x->parent};
				const struct plan_node *p =
					bsearch(&key, nodes, nn, sizeof *nodes, cmp_node_number);
				if (!p)
					break;
				x = p;
			}
			root_of[k] = x ? x->number : n;
		}
	}
	if (ndone && !(items = calloc(ndone, sizeof *items))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < ndone; k++) {
		const struct done_item *d = &done[k];
		int64_t bucket = by_quarter ? quarter_of_day(day_of_ms(d->done_at)) : d->milestone_id;
		int in = 0;
		for (size_t b = 0; b < out->nbuckets && !in; b++)
			in = out->buckets[b] == bucket;
		if (!in || d->points <= 0)
			continue;
		struct alloc_item *it = &items[ni++];
		it->bucket = bucket;
		it->points = d->points;
		struct plan_node key = {.number = d->number};
		const struct plan_node *x = nn ? bsearch(&key, nodes, nn, sizeof *nodes, cmp_node_number) : NULL;
		int64_t initiative = 0;
		if (x) {
			int64_t root = root_of[x - nodes];
			for (size_t j = 0; j < nepics && !initiative; j++)
				if (epics[j].b == root)
					initiative = epics[j].a;
		}
		if (initiative) {
			it->kind = ALLOC_INITIATIVE;
			it->initiative = initiative;
			for (size_t j = 0; j < out->ninits; j++)
				if (out->inits[j].id == initiative)
					it->pillar = out->inits[j].pillar_id;
		} else {
			it->kind = d->type == ISSUE_SECURITY ? ALLOC_SECURITY
				   : d->type == ISSUE_BUG    ? ALLOC_BUGS
							     : ALLOC_UNPLANNED;
		}
	}
	if (allocation_sum(items, ni, &out->shares, &out->nshares))
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	goto out;
fail:
	store_rollback(st);
out:
	free(epics);
	free(nodes);
	free(done);
	free(items);
	free(numbers);
	free(root_of);
	if (rc)
		allocation_view_release(out);
	return rc;
}

/* ---- the roadmap ------------------------------------------------------------------------------ */

void roadmap_view_release(struct roadmap_view *r)
{
	strategy_view_release(&r->s);
	issue_list_release(&r->free_epics);
	free(r->milestones);
	memset(r, 0, sizeof *r);
}

int svc_roadmap(const struct op *op, struct roadmap_view *out,
		struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct issue_list all = {0};
	char buf[8];
	int found, rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_strategy(op, &out->s, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		goto out;
	if ((rc = store_free_epics(st, &vis, 500, &all, e)) ||
	    (rc = store_milestone_list(st, &out->milestones, &out->nmilestones, e)) ||
	    (rc = store_setting_get(st, "public_roadmap", buf, sizeof buf, &found, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		goto out;
	}
	out->public_on = found && !strcmp(buf, "1");
	/* keep the epics with a lane that are in no initiative (compacted in place) */
	size_t kept = 0;
	for (size_t k = 0; k < all.n; k++) {
		int drop = lane_of_board(all.items[k].board) == LANE_NONE;
		for (size_t j = 0; j < out->s.nepics && !drop; j++)
			drop = out->s.epics[j].b == all.items[k].number;
		if (drop)
			issue_release(&all.items[k]);
		else
			all.items[kept++] = all.items[k];
	}
	all.n = kept;
	out->free_epics = all;
out:
	if (rc)
		roadmap_view_release(out);
	return rc;
}
