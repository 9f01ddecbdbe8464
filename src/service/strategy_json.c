/*
 * strategy_json.c — the JSON and Markdown shapes of strategy (see
 * strategy_json.h).
 */
#include "service/strategy_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/markdown.h"
#include "core/timeutil.h"
#include "service/issue_json.h"

json_t *json_day_or_null(int64_t day)
{
	char buf[16];
	if (day == STRAT_NONE)
		return json_null();
	day_format(day, buf, sizeof buf);
	return json_string(buf);
}

/* Days from today as a date, or null when never. */
static json_t *forecast_day(int64_t today, int days)
{
	return days < 0 ? json_null() : json_day_or_null(today + days);
}

static json_t *milli_json(int64_t v)
{
	if (v == STRAT_NONE)
		return json_null();
	if (v % 1000 == 0)
		return json_integer(v / 1000);
	return json_real((double)v / 1000.0);
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *progress_json(const struct strat_progress *p)
{
	return json_pack("{s:i,s:i,s:i,s:i,s:i,s:f}", "points", p->points, "done_points",
			 p->done_points, "items", p->items, "done_items", p->done_items, "unsized",
			 p->unsized, "ratio",
			 p->points ? (double)p->done_points / (double)p->points : 0.0);
}

static json_t *health_json(int h)
{
	return h ? json_string(health_name(h)) : json_null();
}

const struct initiative_view *strategy_initiative(const struct strategy_view *v, int64_t id)
{
	for (size_t k = 0; k < v->ninits; k++)
		if (v->inits[k].i.id == id)
			return &v->inits[k];
	return NULL;
}

json_t *initiative_update_to_json(const struct initiative_update *u)
{
	return json_pack("{s:I,s:o,s:o,s:s,s:s}", "id", (json_int_t)u->id, "at", json_time(u->at),
			 "author", str_or_null(u->author), "health", health_name(u->health), "text",
			 u->text);
}

json_t *initiative_to_json(const struct strategy_view *v, const struct initiative_view *iv)
{
	const struct initiative *i = &iv->i;
	json_t *o = json_object(), *objectives = json_array(), *top = json_array();
	for (size_t k = 0; k < v->ninitiative_objectives; k++)
		if (v->initiative_objectives[k].a == i->id)
			json_array_append_new(objectives, json_integer(v->initiative_objectives[k].b));
	for (size_t k = 0; k < iv->ndemand && k < 5; k++) {
		const struct initiative_demand *d = &iv->demand[k];
		json_array_append_new(top, json_pack("{s:I,s:s,s:s,s:I,s:b,s:I}", "id",
						     (json_int_t)d->customer_id, "name", d->name, "tier",
						     d->tier, "arr", (json_int_t)d->arr, "strategic",
						     d->strategic, "insights", (json_int_t)d->insights));
	}
	json_object_set_new(o, "id", json_integer(i->id));
	json_object_set_new(o, "title", json_string(i->title));
	json_object_set_new(o, "description", json_string(i->description));
	json_object_set_new(o, "owner", str_or_null(i->owner));
	json_object_set_new(o, "pillar", i->pillar_id ? json_pack("{s:I,s:s}", "id",
								  (json_int_t)i->pillar_id, "name",
								  i->pillar)
						       : json_null());
	json_object_set_new(o, "objectives", objectives);
	json_object_set_new(o, "horizon", i->horizon ? json_string(lane_name(i->horizon)) : json_null());
	json_object_set_new(o, "start", json_day_or_null(i->start_day));
	json_object_set_new(o, "target", json_day_or_null(i->target_day));
	json_object_set_new(o, "status", json_string(initiative_status_name(i->status)));
	json_object_set_new(o, "health", health_json(i->health));
	json_object_set_new(o, "health_update", iv->update ? initiative_update_to_json(iv->update)
							   : json_null());
	json_object_set_new(o, "suggested_health", health_json(iv->suggested));
	json_object_set_new(o, "public", json_boolean(i->is_public));
	json_object_set_new(o, "position", json_integer(i->position));
	json_object_set_new(o, "version", json_integer(i->version));
	json_object_set_new(o, "updated_at", json_time(i->updated_at));
	json_t *p = progress_json(&iv->progress);
	json_object_set_new(p, "epics", json_integer(iv->epics));
	json_object_set_new(o, "progress", p);
	json_object_set_new(
		o, "forecast",
		json_pack("{s:i,s:f,s:f,s:o,s:o,s:o}", "remaining", iv->remaining, "mean_daily",
			  iv->f.mean_daily, "probability", i->target_day == STRAT_NONE ? 0.0 : iv->f.probability,
			  "p50", forecast_day(v->today, iv->remaining ? iv->f.p50 : 0), "p85",
			  forecast_day(v->today, iv->remaining ? iv->f.p85 : 0), "p95",
			  forecast_day(v->today, iv->remaining ? iv->f.p95 : 0)));
	if (i->target_day == STRAT_NONE)
		json_object_set_new(json_object_get(o, "forecast"), "probability", json_null());
	json_object_set_new(o, "demand",
			    json_pack("{s:I,s:I,s:I,s:o}", "customers", (json_int_t)iv->ndemand,
				      "insights", (json_int_t)iv->demand_insights, "arr",
				      (json_int_t)iv->demand_arr, "top", top));
	return o;
}

json_t *objective_to_json(const struct strategy_view *v, size_t k)
{
	const struct objective *ob = &v->objectives[k];
	json_t *pillars = json_array(), *krs = json_array();
	for (size_t j = 0; j < v->nobjective_pillars; j++)
		if (v->objective_pillars[j].a == ob->id)
			json_array_append_new(pillars, json_integer(v->objective_pillars[j].b));
	for (size_t j = 0; j < v->nkrs; j++) {
		const struct key_result *kr = &v->krs[j];
		if (kr->objective_id != ob->id)
			continue;
		json_t *progress = json_null();
		if (kr->current != STRAT_NONE && kr->target != kr->baseline) {
			double p = (double)(kr->current - kr->baseline) / (double)(kr->target - kr->baseline);
			progress = json_real(p < 0 ? 0 : p > 1 ? 1 : p);
		}
		json_array_append_new(
			krs, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)kr->id, "metric",
				       kr->metric, "baseline", milli_json(kr->baseline), "target",
				       milli_json(kr->target), "current", milli_json(kr->current),
				       "measured_at", json_time(kr->measured_at), "progress", progress));
	}
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)ob->id, "title", ob->title,
			 "description", ob->description, "period", ob->period, "pillars", pillars,
			 "key_results", krs, "progress", progress_json(&v->objective_progress[k]));
}

json_t *pillar_strategy_json(const struct strategy_view *v, size_t k)
{
	const struct pillar *p = &v->pillars[k];
	json_t *objectives = json_array();
	for (size_t j = 0; j < v->nobjective_pillars; j++)
		if (v->objective_pillars[j].b == p->id)
			json_array_append_new(objectives, json_integer(v->objective_pillars[j].a));
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)p->id, "name", p->name,
			 "description", p->description, "target_share",
			 p->target_share < 0 ? json_null() : json_integer(p->target_share),
			 "objectives", objectives, "progress", progress_json(&v->pillar_progress[k]));
}

json_t *version_to_json(const struct strategy_version *sv, int with_body)
{
	json_t *o = json_pack("{s:I,s:o,s:o,s:s,s:I}", "id", (json_int_t)sv->id, "author",
			      str_or_null(sv->author), "created_at", json_time(sv->created_at),
			      "note", sv->note ? sv->note : "", "bytes", (json_int_t)sv->bytes);
	if (with_body && sv->body) {
		char *html = markdown_to_html(sv->body, strlen(sv->body));
		json_object_set_new(o, "body", json_string(sv->body));
		json_object_set_new(o, "body_html", json_string(html ? html : ""));
		free(html);
	}
	return o;
}

json_t *diff_to_json(const struct strategy_version *a, const struct strategy_version *b,
		     const struct diff_line *lines, size_t n)
{
	static const char *const ops[] = {"same", "del", "add"};
	json_t *arr = json_array();
	int added = 0, removed = 0;
	for (size_t k = 0; k < n; k++) {
		added += lines[k].op == DIFF_ADD;
		removed += lines[k].op == DIFF_DEL;
		json_array_append_new(arr, json_pack("{s:s,s:s%,s:o,s:o}", "op", ops[lines[k].op], "text",
						     lines[k].text, lines[k].len, "old",
						     lines[k].old_no ? json_integer(lines[k].old_no) : json_null(),
						     "new",
						     lines[k].new_no ? json_integer(lines[k].new_no) : json_null()));
	}
	return json_pack("{s:o,s:o,s:o,s:i,s:i}", "from", version_to_json(a, 0), "to",
			 version_to_json(b, 0), "lines", arr, "added", added, "removed", removed);
}

json_t *strategy_change_to_json(const struct strategy_change *c)
{
	return json_pack("{s:o,s:o,s:s,s:s,s:o,s:o}", "actor", str_or_null(c->actor), "at",
			 json_time(c->at), "object", c->object, "field", c->field, "old",
			 c->old_value ? json_string(c->old_value) : json_null(), "new",
			 c->new_value ? json_string(c->new_value) : json_null());
}

json_t *strategy_to_json(const struct strategy_view *v)
{
	json_t *objectives = json_array(), *pillars = json_array(), *inits = json_array();
	for (size_t k = 0; k < v->nobjectives; k++)
		json_array_append_new(objectives, objective_to_json(v, k));
	for (size_t k = 0; k < v->npillars; k++)
		json_array_append_new(pillars, pillar_strategy_json(v, k));
	for (size_t k = 0; k < v->ninits; k++)
		json_array_append_new(inits, initiative_to_json(v, &v->inits[k]));
	return json_pack("{s:o,s:I,s:o,s:i,s:o,s:b,s:o,s:o,s:o}", "version",
			 v->has_doc ? version_to_json(&v->doc, 1) : json_null(), "versions",
			 (json_int_t)v->versions, "last_reviewed", json_time(v->last_reviewed),
			 "review_every_days", v->review_days, "review_due",
			 json_time(v->review_due), "review_overdue",
			 !v->last_reviewed || (v->review_due && v->review_due < v->now), "objectives",
			 objectives, "pillars", pillars, "initiatives", inits);
}

/* ---- allocation ------------------------------------------------------------------------ */

static const char *const kind_names[] = {"initiative", "unplanned", "bugs", "security"};

json_t *allocation_to_json(const struct allocation_view *a, int by_quarter)
{
	json_t *buckets = json_array(), *intended = json_array();
	for (size_t b = 0; b < a->nbuckets; b++) {
		char key[TITLE_MAX + 8] = "";
		json_t *shares = json_array();
		int points = 0;
		if (by_quarter)
			snprintf(key, sizeof key, "%" PRId64 "-Q%" PRId64, a->buckets[b] / 10,
				 a->buckets[b] % 10);
		else
			for (size_t m = 0; m < a->nmilestones; m++)
				if (a->milestones[m].id == a->buckets[b])
					snprintf(key, sizeof key, "%s", a->milestones[m].title);
		for (size_t k = 0; k < a->nshares; k++) {
			const struct alloc_share *s = &a->shares[k];
			if (s->bucket != a->buckets[b])
				continue;
			points += s->points;
			json_t *pillar = json_null(), *ini = json_null();
			for (size_t p = 0; p < a->npillars && s->pillar; p++)
				if (a->pillars[p].id == s->pillar)
					pillar = json_pack("{s:I,s:s}", "id", (json_int_t)s->pillar, "name",
							   a->pillars[p].name);
			for (size_t i = 0; i < a->ninits && s->initiative; i++)
				if (a->inits[i].id == s->initiative)
					ini = json_pack("{s:I,s:s}", "id", (json_int_t)s->initiative, "title",
							a->inits[i].title);
			json_array_append_new(shares, json_pack("{s:s,s:o,s:o,s:i,s:f}", "kind",
								kind_names[s->kind], "pillar", pillar,
								"initiative", ini, "points", s->points,
								"share", s->share));
		}
		json_array_append_new(buckets, json_pack("{s:s,s:i,s:o}", "key", key, "points", points,
							 "shares", shares));
	}
	for (size_t p = 0; p < a->npillars; p++)
		if (a->pillars[p].target_share >= 0)
			json_array_append_new(intended,
					      json_pack("{s:{s:I,s:s},s:i}", "pillar", "id",
							(json_int_t)a->pillars[p].id, "name",
							a->pillars[p].name, "target_share",
							a->pillars[p].target_share));
	return json_pack("{s:s,s:o,s:o}", "by", by_quarter ? "quarter" : "milestone", "buckets",
			 buckets, "intended", intended);
}

/* ---- the roadmap ------------------------------------------------------------------------ */

json_t *roadmap_to_json(const struct roadmap_view *r)
{
	const struct strategy_view *v = &r->s;
	json_t *lanes[4] = {NULL, json_array(), json_array(), json_array()};
	json_t *ms = json_array(), *timeline = json_array();
	for (size_t k = 0; k < v->ninits; k++) {
		const struct initiative_view *iv = &v->inits[k];
		if (iv->i.status == 2 || iv->i.status == 3)
			continue; /* done and dropped leave the roadmap */
		json_t *j = initiative_to_json(v, iv);
		json_object_set_new(j, "kind", json_string("initiative"));
		if (iv->i.horizon)
			json_array_append(lanes[iv->i.horizon], j);
		if (iv->i.start_day != STRAT_NONE || iv->i.target_day != STRAT_NONE)
			json_array_append(timeline, j);
		json_decref(j);
	}
	for (size_t k = 0; k < r->free_epics.n; k++) {
		const struct issue *i = &r->free_epics.items[k];
		int lane = lane_of_board(i->board);
		json_array_append_new(lanes[lane], json_pack("{s:s,s:I,s:s,s:s}", "kind", "epic", "number",
							     (json_int_t)i->number, "title", i->title,
							     "board", board_name((enum board)i->board)));
	}
	for (size_t k = 0; k < r->nmilestones; k++) {
		char s[16], d[16];
		day_format(r->milestones[k].start_day, s, sizeof s);
		day_format(r->milestones[k].due_day, d, sizeof d);
		json_array_append_new(ms, json_pack("{s:I,s:s,s:s,s:s}", "id",
						    (json_int_t)r->milestones[k].id, "title",
						    r->milestones[k].title, "start", s, "due", d));
	}
	return json_pack("{s:{s:o,s:o,s:o},s:{s:o,s:o},s:b}", "lanes", "now", lanes[1], "next",
			 lanes[2], "later", lanes[3], "timeline", "milestones", ms, "initiatives",
			 timeline, "public", r->public_on);
}

/* One line of markdown text: no newlines, markdown's specials escaped. */
static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else {
			if (strchr("\\`*_[]<>#|", *s))
				fputc('\\', f);
			fputc(*s, f);
		}
	}
}

char *roadmap_markdown(const struct roadmap_view *r)
{
	static const char *const titles[] = {"", "Now", "Next", "Later"};
	const struct strategy_view *v = &r->s;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs("# Roadmap\n", f);
	for (int lane = 1; lane <= 3; lane++) {
		fprintf(f, "\n## %s\n\n", titles[lane]);
		int any = 0;
		for (size_t k = 0; k < v->ninits; k++) {
			const struct initiative_view *iv = &v->inits[k];
			if (iv->i.horizon != lane || iv->i.status >= 2)
				continue;
			char t[16] = "";
			if (iv->i.target_day != STRAT_NONE)
				day_format(iv->i.target_day, t, sizeof t);
			fputs("- **", f);
			md_text(f, iv->i.title);
			fputs("**", f);
			if (iv->i.pillar[0]) {
				fputs(" (", f);
				md_text(f, iv->i.pillar);
				fputs(")", f);
			}
			fprintf(f, " — %d of %d points done", iv->progress.done_points, iv->progress.points);
			if (t[0])
				fprintf(f, ", target %s", t);
			if (iv->i.health)
				fprintf(f, ", %s", health_name(iv->i.health));
			fputs("\n", f);
			any = 1;
		}
		for (size_t k = 0; k < r->free_epics.n; k++) {
			const struct issue *i = &r->free_epics.items[k];
			if (lane_of_board(i->board) != lane)
				continue;
			fprintf(f, "- #%" PRId64 " ", i->number);
			md_text(f, i->title);
			fputs("\n", f);
			any = 1;
		}
		if (!any)
			fputs("Nothing here yet.\n", f);
	}
	fclose(f);
	return out;
}
