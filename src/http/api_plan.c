/*
 * api_plan.c — planning resources: boards, issue trees, the double-booking
 * check, pillars and areas, milestones with burn-up, forecast and the
 * ship/slip report.  Parses, calls the service, renders JSON.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/timeutil.h"
#include "core/triage.h"
#include "http/http.h"
#include "service/issue_json.h"
#include "service/service.h"

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

/* ---- boards -------------------------------------------------------------------------- */

static json_t *column_json(const struct board_view *b, const struct board_column *c, int64_t offset)
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
	if (o && b->dev && c->key == DEV_TODO)
		json_object_set_new(o, "limit", json_integer(b->todo_limit));
	return o;
}

static int board_args(struct req *r, int64_t *milestone, int64_t *offset, int64_t *limit,
		      struct err *e)
{
	if (http_int_arg(r, "milestone", 0, milestone, e) || http_int_arg(r, "offset", 0, offset, e) ||
	    http_int_arg(r, "limit", BOARD_LIMIT_DEFAULT, limit, e))
		return e->code;
	return 0;
}

static int board(struct req *r, int dev, json_t **out)
{
	struct err e;
	struct board_view b;
	int64_t milestone, offset, limit;
	err_clear(&e);
	if (board_args(r, &milestone, &offset, &limit, &e) ||
	    svc_board(req_store(r), req_user(r), dev, milestone, limit, &b, &e))
		return http_error(&e, out);
	json_t *cols = json_array();
	for (int k = 0; k < b.ncols; k++)
		json_array_append_new(cols, column_json(&b, &b.cols[k], 0));
	*out = json_pack("{s:s,s:i,s:o}", "board", dev ? "dev" : "product", "todo_limit",
			 b.todo_limit, "columns", cols);
	if (milestone)
		json_object_set_new(*out, "milestone", json_integer(milestone));
	board_release(&b);
	return 200;
}

static int board_column(struct req *r, int dev, json_t **out)
{
	struct err e;
	struct board_view b;
	int64_t milestone, offset, limit;
	err_clear(&e);
	if (board_args(r, &milestone, &offset, &limit, &e) ||
	    svc_board_column(req_store(r), req_user(r), dev, req_path_word(r), milestone, offset,
			     limit, &b, &e))
		return http_error(&e, out);
	*out = column_json(&b, &b.cols[0], offset);
	board_release(&b);
	return 200;
}

int api_board_product(struct req *r, json_t **out) { return board(r, 0, out); }
int api_board_dev(struct req *r, json_t **out) { return board(r, 1, out); }
int api_board_product_column(struct req *r, json_t **out) { return board_column(r, 0, out); }
int api_board_dev_column(struct req *r, json_t **out) { return board_column(r, 1, out); }

/* ---- trees ------------------------------------------------------------------------------ */

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

int api_issue_tree(struct req *r, json_t **out)
{
	struct err e;
	struct issue_tree t;
	err_clear(&e);
	if (svc_issue_tree(req_store(r), req_user(r), req_path_number(r), &t, &e))
		return http_error(&e, out);
	json_t *anc = json_array();
	for (size_t k = 0; k < t.ancestors.n; k++)
		json_array_append_new(anc, issue_to_json(&t.ancestors.items[k], 0));
	json_t *root = node_json(&t.root);
	if (root)
		add_children(root, t.root.number, &t.descendants, 0);
	*out = json_pack("{s:o,s:o,s:o,s:o}", "pillar",
			 t.has_pillar ? json_pack("{s:I,s:s}", "id", (json_int_t)t.pillar.id, "name",
						  t.pillar.name)
				      : json_null(),
			 "area",
			 t.has_area ? json_pack("{s:I,s:s}", "id", (json_int_t)t.area.id, "name", t.area.name)
				    : json_null(),
			 "ancestors", anc, "root", root ? root : json_null());
	issue_tree_release(&t);
	return *out ? 200 : 500;
}

int api_plan_check(struct req *r, json_t **out)
{
	struct err e;
	struct double_booking *d;
	size_t n;
	err_clear(&e);
	if (svc_plan_check(req_store(r), req_user(r), &d, &n, &e))
		return http_error(&e, out);
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
	free(d);
	*out = json_pack("{s:o}", "items", items);
	return 200;
}

/* ---- pillars and areas ------------------------------------------------------------------- */

int api_pillars_list(struct req *r, json_t **out)
{
	struct err e;
	struct pillar *p;
	struct area_stats *a;
	size_t np, na;
	err_clear(&e);
	if (svc_pillars(req_store(r), req_user(r), &p, &np, &a, &na, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < np; k++) {
		json_t *areas = json_array();
		for (size_t j = 0; j < na; j++) {
			if (a[j].area.pillar_id != p[k].id)
				continue;
			json_array_append_new(
				areas, json_pack("{s:I,s:s,s:s,s:i,s:i}", "id", (json_int_t)a[j].area.id,
						 "name", a[j].area.name, "description",
						 a[j].area.description, "epics", a[j].epics, "points",
						 a[j].points));
		}
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)p[k].id,
						       "name", p[k].name, "description",
						       p[k].description, "areas", areas));
	}
	free(p);
	free(a);
	*out = json_pack("{s:o}", "items", items);
	return 200;
}

int api_pillars_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"name", "description"};
	const char *v[2];
	struct err e;
	struct pillar p;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e) ||
	    svc_pillar_add(req_store(r), req_user(r), v[0], v[1], &p, &e))
		return http_error(&e, out);
	*out = json_pack("{s:I,s:s,s:s,s:[]}", "id", (json_int_t)p.id, "name", p.name, "description",
			 p.description, "areas");
	return 201;
}

int api_areas_create(struct req *r, json_t **out)
{
	struct err e;
	struct area a;
	const char *key;
	json_t *v, *o;
	const char *name = NULL, *desc = NULL;
	int64_t pillar = 0;
	err_clear(&e);
	if (!(o = req_json(r, &e)))
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "pillar") && json_is_integer(v))
			pillar = json_integer_value(v);
		else if (!strcmp(key, "name") && json_is_string(v))
			name = json_string_value(v);
		else if (!strcmp(key, "description") && (json_is_string(v) || json_is_null(v)))
			desc = json_string_value(v);
		else {
			err_set(&e, CAIRN_EINVALID, key,
				!strcmp(key, "pillar") ? "pillar must be a pillar id"
				: !strcmp(key, "name") ? "name must be a string"
						       : "unknown field '%s'",
				key);
			return http_error(&e, out);
		}
	}
	if (svc_area_add(req_store(r), req_user(r), pillar, name, desc, &a, &e))
		return http_error(&e, out);
	*out = json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)a.id, "pillar",
			 (json_int_t)a.pillar_id, "name", a.name, "description", a.description);
	return 201;
}

/* ---- milestones ---------------------------------------------------------------------------- */

static json_t *milestone_json(const struct milestone *m)
{
	json_t *o = json_pack("{s:I,s:s,s:o,s:o,s:i}", "id", (json_int_t)m->id, "title", m->title,
			      "start", day_json(m->start_day), "due", day_json(m->due_day),
			      "capacity", m->capacity);
	return o;
}

static json_t *velocity_json(double v)
{
	return v < 0 ? json_null() : json_real((double)(int64_t)(v * 10 + 0.5) / 10);
}

static json_t *view_json(const struct milestone_view *v, double vel)
{
	json_t *o = milestone_json(&v->m);
	if (!o)
		return NULL;
	json_object_set_new(o, "state", json_string(milestone_state_name(v->state)));
	json_object_set_new(o, "load", json_integer(v->load));
	json_object_set_new(o, "done_points", json_integer(v->done_points));
	json_object_set_new(o, "items", json_integer(v->items));
	json_object_set_new(o, "capacity_left", json_integer(v->m.capacity - v->load));
	json_object_set_new(o, "velocity", velocity_json(vel));
	return o;
}

int api_milestones_list(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_view *v;
	size_t n;
	double vel;
	err_clear(&e);
	if (svc_milestones(req_store(r), req_user(r), &v, &n, &vel, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(items, view_json(&v[k], vel));
	free(v);
	*out = json_pack("{s:o,s:o}", "items", items, "velocity", velocity_json(vel));
	return 200;
}

/* {title, start, due, capacity}: strings, capacity a number too. */
static int milestone_input(struct req *r, struct milestone_input *in, char *cap, size_t capn,
			   struct err *e)
{
	const char *key;
	json_t *v, *o;
	memset(in, 0, sizeof *in);
	if (!(o = req_json(r, e)))
		return e->code;
	json_object_foreach(o, key, v)
	{
		const char **dst = !strcmp(key, "title")      ? &in->title
				   : !strcmp(key, "start")    ? &in->start
				   : !strcmp(key, "due")      ? &in->due
				   : !strcmp(key, "capacity") ? &in->capacity
							      : NULL;
		if (!dst) {
			static const char *const ro[] = {"id", "state", "load", "done_points", "items",
							 "velocity", "capacity_left"};
			int skip = 0;
			for (size_t k = 0; k < sizeof ro / sizeof ro[0]; k++)
				skip |= !strcmp(key, ro[k]);
			if (skip)
				continue;
			return err_set(e, CAIRN_EINVALID, key, "unknown field '%s'", key);
		}
		if (dst == &in->capacity && json_is_integer(v)) {
			snprintf(cap, capn, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			*dst = cap;
		} else if (json_is_string(v)) {
			*dst = json_string_value(v);
		} else {
			return err_set(e, CAIRN_EINVALID, key, "%s must be a %s", key,
				       dst == &in->capacity ? "number" : "string");
		}
	}
	return 0;
}

int api_milestones_create(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_input in;
	struct milestone m;
	char cap[32], loc[64];
	err_clear(&e);
	if (milestone_input(r, &in, cap, sizeof cap, &e) ||
	    svc_milestone_create(req_store(r), req_user(r), &in, &m, &e))
		return http_error(&e, out);
	snprintf(loc, sizeof loc, "/api/v1/milestones/%" PRId64, m.id);
	req_set_header(r, "Location", loc);
	*out = milestone_json(&m);
	return 201;
}

int api_milestone_patch(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_input in;
	struct milestone m;
	char cap[32];
	err_clear(&e);
	if (milestone_input(r, &in, cap, sizeof cap, &e) ||
	    svc_milestone_update(req_store(r), req_user(r), req_path_number(r), &in, &m, &e))
		return http_error(&e, out);
	*out = milestone_json(&m);
	return 200;
}

int api_milestone_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_milestone_delete(req_store(r), req_user(r), req_path_number(r), &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

int api_milestones_plan(struct req *r, json_t **out)
{
	struct err e;
	const char *key;
	json_t *v, *o;
	const char *every = NULL, *weekday = NULL, *from = NULL;
	int count = 1, capacity = -1;
	struct milestone *ms;
	size_t n;
	err_clear(&e);
	if (!(o = req_json(r, &e)))
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		int ok = 1;
		if (!strcmp(key, "every"))
			ok = (every = json_string_value(v)) != NULL;
		else if (!strcmp(key, "weekday"))
			ok = (weekday = json_string_value(v)) != NULL;
		else if (!strcmp(key, "from"))
			ok = (from = json_string_value(v)) != NULL || json_is_null(v);
		else if (!strcmp(key, "count"))
			ok = json_is_integer(v) && json_integer_value(v) > 0 &&
			     json_integer_value(v) <= 26 && (count = (int)json_integer_value(v));
		else if (!strcmp(key, "capacity"))
			ok = json_is_integer(v) && json_integer_value(v) >= 0 &&
			     json_integer_value(v) <= 100000 &&
			     ((capacity = (int)json_integer_value(v)) || 1);
		else {
			err_set(&e, CAIRN_EINVALID, key, "unknown field '%s'", key);
			return http_error(&e, out);
		}
		if (!ok) {
			err_set(&e, CAIRN_EINVALID, key,
				!strcmp(key, "count")	   ? "count must be 1..26"
				: !strcmp(key, "capacity") ? "capacity must be 0..100000 points"
							   : "%s must be a string",
				key);
			return http_error(&e, out);
		}
	}
	if (svc_milestone_plan(req_store(r), req_user(r), every, weekday, count, from, capacity, &ms,
			       &n, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(items, milestone_json(&ms[k]));
	free(ms);
	*out = json_pack("{s:o}", "items", items);
	return 201;
}

static json_t *scope_json(const struct scope_entry *s)
{
	const struct scope_item *x = &s->item;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:i,s:o,s:o}", "number", (json_int_t)x->number,
			      "title", x->title, "type", issue_type_name((enum issue_type)x->type),
			      "state", issue_state_name((enum issue_state)x->state), "points",
			      x->row.points,
			      "dev_status",
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

int api_milestone_get(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_detail d;
	err_clear(&e);
	if (svc_milestone_get(req_store(r), req_user(r), req_path_number(r), &d, &e))
		return http_error(&e, out);
	json_t *o = view_json(&d.v, d.velocity), *scope = json_array();
	for (size_t k = 0; k < d.nscope; k++)
		json_array_append_new(scope, scope_json(&d.scope[k]));
	json_object_set_new(o, "scope", scope);
	milestone_detail_release(&d);
	*out = o;
	return 200;
}

int api_milestone_burnup(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_detail d;
	err_clear(&e);
	if (svc_milestone_get(req_store(r), req_user(r), req_path_number(r), &d, &e))
		return http_error(&e, out);
	json_t *days = json_array();
	for (int64_t day = d.burn_start; day <= d.burn_end; day++)
		json_array_append_new(days, json_pack("{s:o,s:i,s:i}", "date", day_json(day), "scope",
						      d.burn_scope[day - d.burn_start], "done",
						      d.burn_done[day - d.burn_start]));
	*out = json_pack("{s:I,s:s,s:o,s:o,s:i,s:o}", "id", (json_int_t)d.v.m.id, "title", d.v.m.title,
			 "start", day_json(d.v.m.start_day), "due", day_json(d.v.m.due_day),
			 "capacity", d.v.m.capacity, "days", days);
	milestone_detail_release(&d);
	return 200;
}

int api_milestone_forecast(struct req *r, json_t **out)
{
	struct err e;
	struct forecast_view f;
	int64_t seed, trials;
	err_clear(&e);
	if (http_int_arg(r, "seed", 1, &seed, &e) ||
	    http_int_arg(r, "trials", FORECAST_TRIALS_DEFAULT, &trials, &e))
		return http_error(&e, out);
	if (trials < 1 || trials > FORECAST_TRIALS_MAX) {
		err_set(&e, CAIRN_EINVALID, "trials", "trials must be 1..%d", FORECAST_TRIALS_MAX);
		return http_error(&e, out);
	}
	if (svc_milestone_forecast(req_store(r), req_user(r), req_path_number(r), (uint64_t)seed,
				   (int)trials, &f, &e))
		return http_error(&e, out);
	*out = json_pack("{s:i,s:i,s:f,s:f,s:o,s:o,s:o,s:I,s:i,s:o}", "remaining", f.remaining,
			 "throughput_days", f.history_days, "mean_daily",
			 (double)(int64_t)(f.f.mean_daily * 100 + 0.5) / 100, "probability",
			 (double)(int64_t)(f.f.probability * 1000 + 0.5) / 1000, "p50",
			 offset_day_json(f.today, f.f.p50), "p85", offset_day_json(f.today, f.f.p85),
			 "p95", offset_day_json(f.today, f.f.p95), "seed", (json_int_t)seed, "trials",
			 (int)trials, "today", day_json(f.today));
	return 200;
}

int api_milestone_report(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_detail d;
	int cnt[5] = {0}, pts[5] = {0}; /* committed, shipped, slipped, added, removed */
	err_clear(&e);
	if (svc_milestone_get(req_store(r), req_user(r), req_path_number(r), &d, &e))
		return http_error(&e, out);
	json_t *items = json_array(), *slippers = json_array();
	for (size_t k = 0; k < d.nscope; k++) {
		const struct scope_entry *s = &d.scope[k];
		const int flags[5] = {s->cls.committed, s->cls.shipped, s->cls.slipped, s->cls.added,
				      s->cls.removed};
		for (int j = 0; j < 5; j++)
			if (flags[j]) {
				cnt[j]++;
				pts[j] += s->item.row.points;
			}
		json_array_append_new(items, scope_json(s));
	}
	for (size_t k = 0; k < d.nslippers; k++)
		json_array_append_new(slippers,
				      json_pack("{s:I,s:s,s:i,s:s}", "number",
						(json_int_t)d.slippers[k].number, "title",
						d.slippers[k].title, "slips", d.slippers[k].slips,
						"milestones", d.slippers[k].milestones));
	static const char *const names[5] = {"committed", "shipped", "slipped", "added", "removed"};
	json_t *o = json_pack("{s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)d.v.m.id, "title",
			      d.v.m.title, "state", milestone_state_name(d.v.state), "items", items,
			      "repeat_slippers", slippers);
	for (int j = 0; j < 5; j++)
		json_object_set_new(o, names[j], json_pack("{s:i,s:i}", "count", cnt[j], "points", pts[j]));
	milestone_detail_release(&d);
	*out = o;
	return 200;
}
