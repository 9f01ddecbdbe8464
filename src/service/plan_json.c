/*
 * plan_json.c — planning as JSON (see plan_json.h).
 */
#include "service/plan_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calibration.h"
#include "core/plan.h"
#include "core/triage.h"
#include "service/issue_json.h"

static json_t *day_json(int64_t day)
{
	char buf[16];
	day_format(day, buf, sizeof buf);
	return json_string(buf);
}

/* days from today (-1 = never) as a date or null */
static json_t *offset_day_json(int64_t today, int days)
{
	return days < 0 ? json_null() : day_json(today + days);
}

json_t *board_column_to_json(const struct board_view *b, const struct board_column *c,
			     int64_t offset)
{
	json_t *items = json_array();
	for (size_t k = 0; k < c->items.n; k++)
		json_array_append_new(items, issue_to_json(&c->items.items[k], 0));
	json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o}", "key",
			      b->dev ? dev_status_name((enum dev_status)c->key)
				     : board_name((enum board)c->key),
			      "name", b->dev ? dev_status_label((enum dev_status)c->key) : board_label(c->key),
			      "count", (json_int_t)c->count, "points", (json_int_t)c->points, "offset",
			      (json_int_t)offset, "items", items);
	if (o && b->dev && c->key == DEV_TODO) {
		json_object_set_new(o, "limit", json_integer(b->todo_limit));
		json_object_set_new(o, "load", json_integer(b->todo_load));
	}
	return o;
}

json_t *board_to_json(const struct board_view *b, int64_t milestone)
{
	json_t *cols = json_array();
	for (int k = 0; k < b->ncols; k++)
		json_array_append_new(cols, board_column_to_json(b, &b->cols[k], 0));
	json_t *o = json_pack("{s:s,s:i,s:o}", "board", b->dev ? "dev" : "product", "todo_limit",
			      b->todo_limit, "columns", cols);
	if (o && milestone)
		json_object_set_new(o, "milestone", json_integer(milestone));
	return o;
}

static json_t *node_json(const struct issue *i)
{
	json_t *o = issue_to_json(i, 0);
	if (o)
		json_object_set_new(o, "children", json_array());
	return o;
}

/* The children of number among the descendants, recursively (depth-capped). */
static void add_children(json_t *parent, int64_t number, const struct issue_list *d, int depth)
{
	if (depth > 16)
		return;
	json_t *kids = json_object_get(parent, "children");
	for (size_t k = 0; k < d->n; k++) {
		if (d->items[k].parent != number)
			continue;
		json_t *c = node_json(&d->items[k]);
		if (!c)
			continue;
		add_children(c, d->items[k].number, d, depth + 1);
		json_array_append_new(kids, c);
	}
}

json_t *tree_to_json(const struct issue_tree *t)
{
	json_t *anc = json_array();
	for (size_t k = 0; k < t->ancestors.n; k++)
		json_array_append_new(anc, issue_to_json(&t->ancestors.items[k], 0));
	json_t *root = node_json(&t->root);
	if (root)
		add_children(root, t->root.number, &t->descendants, 0);
	return json_pack("{s:o,s:o,s:o,s:o}", "pillar",
			 t->has_pillar ? json_pack("{s:I,s:s}", "id", (json_int_t)t->pillar.id, "name",
						   t->pillar.name)
				       : json_null(),
			 "area",
			 t->has_area ? json_pack("{s:I,s:s}", "id", (json_int_t)t->area.id, "name",
						 t->area.name)
				     : json_null(),
			 "ancestors", anc, "root", root ? root : json_null());
}

json_t *double_bookings_to_json(const struct double_booking *d, size_t n, size_t total)
{
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++) {
		json_t *kids = json_array();
		for (int j = 0; j < d[k].nchildren; j++)
			json_array_append_new(kids, json_integer(d[k].children[j]));
		json_array_append_new(
			items, json_pack("{s:I,s:s,s:s,s:i,s:i,s:o,s:o}", "number", (json_int_t)d[k].number,
					 "title", d[k].title, "type",
					 issue_type_name((enum issue_type)d[k].type), "size", d[k].points,
					 "children_points", d[k].children_points, "children", kids, "epic",
					 d[k].epic ? json_integer(d[k].epic) : json_null()));
	}
	return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

json_t *pillars_to_json(const struct pillar *p, size_t np, const struct area_stats *a, size_t na)
{
	json_t *items = json_array();
	for (size_t k = 0; k < np; k++) {
		json_t *areas = json_array();
		for (size_t j = 0; j < na; j++) {
			if (a[j].area.pillar_id != p[k].id)
				continue;
			json_array_append_new(
				areas, json_pack("{s:I,s:s,s:s,s:i,s:i,s:i}", "id",
						 (json_int_t)a[j].area.id, "name", a[j].area.name,
						 "description", a[j].area.description, "epics", a[j].epics,
						 "points", a[j].points, "done_points", a[j].done_points));
		}
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)p[k].id,
						       "name", p[k].name, "description",
						       p[k].description, "areas", areas));
	}
	return json_pack("{s:o}", "items", items);
}

json_t *milestone_to_json(const struct milestone *m)
{
	return json_pack("{s:I,s:s,s:o,s:o,s:i}", "id", (json_int_t)m->id, "title", m->title,
			 "start", day_json(m->start_day), "due", day_json(m->due_day), "capacity",
			 m->capacity);
}

static json_t *velocity_json(double v)
{
	return v < 0 ? json_null() : json_real((double)(int64_t)(v * 10 + 0.5) / 10);
}

json_t *milestone_view_to_json(const struct milestone_view *v, double vel)
{
	json_t *o = milestone_to_json(&v->m);
	if (!o)
		return NULL;
	json_object_set_new(o, "state", json_string(milestone_state_name(v->state)));
	json_object_set_new(o, "load", json_integer(v->load));
	json_object_set_new(o, "done_points", json_integer(v->done_points));
	json_object_set_new(o, "items", json_integer(v->items));
	json_object_set_new(o, "scope_points", json_integer(v->scope_points));
	json_object_set_new(o, "shipped_points", json_integer(v->shipped_points));
	json_object_set_new(o, "slipped_points", json_integer(v->slipped_points));
	json_object_set_new(o, "remaining", json_integer(v->remaining));
	json_object_set_new(o, "capacity_left", json_integer(v->m.capacity - v->load));
	json_object_set_new(o, "velocity", velocity_json(vel));
	return o;
}

json_t *milestones_to_json(const struct milestone_view *v, size_t n, double vel)
{
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(items, milestone_view_to_json(&v[k], vel));
	return json_pack("{s:o,s:o}", "items", items, "velocity", velocity_json(vel));
}

static json_t *scope_json(const struct scope_entry *s)
{
	const struct scope_item *x = &s->item;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:i,s:o,s:o}", "number", (json_int_t)x->number,
			      "title", x->title, "type", issue_type_name((enum issue_type)x->type),
			      "state", issue_state_name((enum issue_state)x->state), "points",
			      x->row.points, "dev_status",
			      x->dev_status ? json_string(dev_status_name((enum dev_status)x->dev_status))
					    : json_null(),
			      "assignee", x->assignee[0] ? json_string(x->assignee) : json_null());
	if (!o)
		return NULL;
	json_object_set_new(o, "committed", json_boolean(s->cls.committed));
	json_object_set_new(o, "added", json_boolean(s->cls.added));
	json_object_set_new(o, "removed", json_boolean(s->cls.removed));
	json_object_set_new(o, "done", json_boolean(x->row.done_ms != 0));
	json_object_set_new(o, "shipped", json_boolean(s->cls.shipped));
	json_object_set_new(o, "slipped", json_boolean(s->cls.slipped));
	json_object_set_new(o, "slip_reason", x->slip_reason[0] ? json_string(x->slip_reason) : json_null());
	json_object_set_new(o, "slips", json_integer(s->slips));
	return o;
}

json_t *milestone_detail_to_json(const struct milestone_detail *d)
{
	json_t *o = milestone_view_to_json(&d->v, d->velocity), *scope = json_array();
	for (size_t k = 0; k < d->nscope; k++)
		json_array_append_new(scope, scope_json(&d->scope[k]));
	if (o)
		json_object_set_new(o, "scope", scope);
	return o;
}

json_t *burnup_to_json(const struct milestone_detail *d)
{
	json_t *days = json_array();
	for (int64_t day = d->burn_start; d->burn_scope && day <= d->burn_end; day++)
		json_array_append_new(days, json_pack("{s:o,s:i,s:i}", "date", day_json(day), "scope",
						      d->burn_scope[day - d->burn_start], "done",
						      d->burn_done[day - d->burn_start]));
	return json_pack("{s:I,s:s,s:o,s:o,s:i,s:o}", "id", (json_int_t)d->v.m.id, "title",
			 d->v.m.title, "start", day_json(d->v.m.start_day), "due",
			 day_json(d->v.m.due_day), "capacity", d->v.m.capacity, "days", days);
}

json_t *forecast_to_json(const struct forecast_view *f, int64_t seed, int trials)
{
	return json_pack("{s:i,s:i,s:i,s:f,s:f,s:o,s:o,s:o,s:I,s:i,s:o}", "remaining", f->remaining,
			 "ahead", f->ahead,
			 "throughput_days", f->history_days, "mean_daily",
			 (double)(int64_t)(f->f.mean_daily * 100 + 0.5) / 100, "probability",
			 (double)(int64_t)(f->f.probability * 1000 + 0.5) / 1000, "p50",
			 offset_day_json(f->today, f->f.p50), "p85", offset_day_json(f->today, f->f.p85),
			 "p95", offset_day_json(f->today, f->f.p95), "seed", (json_int_t)seed, "trials",
			 trials, "today", day_json(f->today));
}

json_t *report_to_json(const struct milestone_detail *d)
{
	json_t *items = json_array(), *slippers = json_array();
	for (size_t k = 0; k < d->nscope; k++)
		json_array_append_new(items, scope_json(&d->scope[k]));
	for (size_t k = 0; k < d->nslippers; k++) {
		json_t *titles = json_array();
		for (int j = 0; j < d->slippers[k].nmilestones; j++)
			json_array_append_new(titles, json_string(d->slippers[k].milestones[j]));
		json_array_append_new(slippers,
				      json_pack("{s:I,s:s,s:i,s:o}", "number",
						(json_int_t)d->slippers[k].number, "title",
						d->slippers[k].title, "slips", d->slippers[k].slips,
						"milestones", titles));
	}
	json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)d->v.m.id, "title",
			      d->v.m.title, "state", milestone_state_name(d->v.state), "items", items,
			      "repeat_slippers", slippers);
	for (int j = 0; o && j < SCOPE_TOTALS; j++)
		json_object_set_new(o, scope_total_names[j],
				    json_pack("{s:i,s:i}", "count", d->totals[j].count, "points",
					      d->totals[j].points));
	return o;
}

/* x to two decimals, or null when nothing was measured */
static json_t *measured(int n, double x)
{
	return n ? json_real(round(x * 100.0) / 100.0) : json_null();
}

json_t *calibration_to_json(int64_t days, size_t items, const struct cal_size c[6])
{
	json_t *a = json_array();
	for (int k = 0; k < 6; k++)
		json_array_append_new(
			a, json_pack("{s:s,s:i,s:i,s:i,s:o,s:o,s:o,s:o,s:s}", "size",
				     size_letter(c[k].points), "points", c[k].points, "expected_days",
				     c[k].expected_days, "n", c[k].n, "median", measured(c[k].n, c[k].median),
				     "p25", measured(c[k].n, c[k].p25), "p75", measured(c[k].n, c[k].p75),
				     "ratio", measured(c[k].n, c[k].ratio), "verdict",
				     cal_verdict_name(c[k].verdict)));
	return json_pack("{s:I,s:I,s:o}", "days", (json_int_t)days, "items", (json_int_t)items,
			 "sizes", a);
}
