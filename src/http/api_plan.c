/*
 * api_plan.c — planning resources: boards, issue trees, the double-booking
 * check, pillars and areas, milestones with burn-up, forecast and the
 * ship/slip report.  Parses, calls the service, renders with plan_json.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/plan_json.h"
#include "service/service.h"

/* ---- boards -------------------------------------------------------------------------- */

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
	    svc_board(req_op(r), dev, milestone, limit, &b, &e))
		return http_error(&e, out);
	*out = board_to_json(&b, milestone);
	board_release(&b);
	return *out ? 200 : 500;
}

static int board_column(struct req *r, int dev, json_t **out)
{
	struct err e;
	struct board_view b;
	int64_t milestone, offset, limit;
	err_clear(&e);
	if (board_args(r, &milestone, &offset, &limit, &e) ||
	    svc_board_column(req_op(r), dev, req_path_word(r), milestone, offset,
			     limit, &b, &e))
		return http_error(&e, out);
	*out = board_column_to_json(&b, &b.cols[0], offset);
	board_release(&b);
	return *out ? 200 : 500;
}

int api_board_product(struct req *r, json_t **out) { return board(r, 0, out); }
int api_board_dev(struct req *r, json_t **out) { return board(r, 1, out); }
int api_board_product_column(struct req *r, json_t **out) { return board_column(r, 0, out); }
int api_board_dev_column(struct req *r, json_t **out) { return board_column(r, 1, out); }

/* ---- trees, check, pillars --------------------------------------------------------------- */

int api_issue_tree(struct req *r, json_t **out)
{
	struct err e;
	struct issue_tree t;
	err_clear(&e);
	if (svc_issue_tree(req_op(r), req_path_number(r), &t, &e))
		return http_error(&e, out);
	*out = tree_to_json(&t);
	issue_tree_release(&t);
	return *out ? 200 : 500;
}

int api_plan_check(struct req *r, json_t **out)
{
	struct err e;
	struct double_booking *d;
	size_t n, total;
	err_clear(&e);
	if (svc_plan_check(req_op(r), &d, &n, &total, &e))
		return http_error(&e, out);
	*out = double_bookings_to_json(d, n, total);
	free(d);
	return *out ? 200 : 500;
}

int api_pillars_list(struct req *r, json_t **out)
{
	struct err e;
	struct pillar *p;
	struct area_stats *a;
	size_t np, na;
	err_clear(&e);
	if (svc_pillars(req_op(r), &p, &np, &a, &na, &e))
		return http_error(&e, out);
	*out = pillars_to_json(p, np, a, na);
	free(p);
	free(a);
	return *out ? 200 : 500;
}

int api_pillars_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"name", "description"};
	const char *v[2];
	struct err e;
	struct pillar p;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e) ||
	    svc_pillar_add(req_op(r), v[0], v[1], &p, &e))
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
	if (svc_area_add(req_op(r), pillar, name, desc, &a, &e))
		return http_error(&e, out);
	*out = json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)a.id, "pillar",
			 (json_int_t)a.pillar_id, "name", a.name, "description", a.description);
	return 201;
}

/* ---- milestones ---------------------------------------------------------------------------- */

int api_milestones_list(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_view *v;
	size_t n;
	double vel;
	err_clear(&e);
	if (svc_milestones(req_op(r), &v, &n, &vel, &e))
		return http_error(&e, out);
	*out = milestones_to_json(v, n, vel);
	free(v);
	return *out ? 200 : 500;
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

/* A written milestone, answered the way GET shows it. */
static int reply_milestone(struct req *r, int64_t id, int status, json_t **out)
{
	struct err e;
	struct milestone_detail d;
	err_clear(&e);
	if (svc_milestone_get(req_op(r), id, &d, &e))
		return http_error(&e, out);
	*out = milestone_detail_to_json(&d);
	milestone_detail_release(&d);
	return *out ? status : 500;
}

int api_milestones_create(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_input in;
	struct milestone m;
	char cap[32], loc[64];
	err_clear(&e);
	if (milestone_input(r, &in, cap, sizeof cap, &e) ||
	    svc_milestone_create(req_op(r), &in, &m, &e))
		return http_error(&e, out);
	snprintf(loc, sizeof loc, "/api/v1/milestones/%" PRId64, m.id);
	req_set_header(r, "Location", loc);
	return reply_milestone(r, m.id, 201, out);
}

int api_milestone_patch(struct req *r, json_t **out)
{
	struct err e;
	struct milestone_input in;
	struct milestone m;
	char cap[32];
	err_clear(&e);
	if (milestone_input(r, &in, cap, sizeof cap, &e) ||
	    svc_milestone_update(req_op(r), req_path_number(r), &in, &m, &e))
		return http_error(&e, out);
	return reply_milestone(r, m.id, 200, out);
}

int api_milestone_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_milestone_delete(req_op(r), req_path_number(r), &e))
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
	int64_t count = SVC_UNSET, capacity = SVC_UNSET;
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
		else if (!strcmp(key, "count") || !strcmp(key, "capacity")) {
			ok = json_is_integer(v); /* the service checks the range */
			if (ok)
				*(!strcmp(key, "count") ? &count : &capacity) = json_integer_value(v);
		} else {
			err_set(&e, CAIRN_EINVALID, key, "unknown field '%s'", key);
			return http_error(&e, out);
		}
		if (!ok) {
			err_set(&e, CAIRN_EINVALID, key, "%s must be a %s", key,
				!strcmp(key, "count") || !strcmp(key, "capacity") ? "number" : "string");
			return http_error(&e, out);
		}
	}
	if (svc_milestone_plan(req_op(r), every, weekday, count, from, capacity, &ms,
			       &n, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(items, milestone_to_json(&ms[k]));
	free(ms);
	*out = json_pack("{s:o}", "items", items);
	return 201;
}

/* One milestone read, rendered by fn. */
static int detail(struct req *r, json_t *(*fn)(const struct milestone_detail *), json_t **out)
{
	struct err e;
	struct milestone_detail d;
	err_clear(&e);
	if (svc_milestone_get(req_op(r), req_path_number(r), &d, &e))
		return http_error(&e, out);
	*out = fn(&d);
	milestone_detail_release(&d);
	return *out ? 200 : 500;
}

int api_milestone_get(struct req *r, json_t **out) { return detail(r, milestone_detail_to_json, out); }
int api_milestone_burnup(struct req *r, json_t **out) { return detail(r, burnup_to_json, out); }
int api_milestone_report(struct req *r, json_t **out) { return detail(r, report_to_json, out); }

int api_milestone_forecast(struct req *r, json_t **out)
{
	struct err e;
	struct forecast_view f;
	int64_t seed, trials;
	err_clear(&e);
	if (http_int_arg(r, "seed", 1, &seed, &e) ||
	    http_int_arg(r, "trials", FORECAST_TRIALS_DEFAULT, &trials, &e))
		return http_error(&e, out);
	if (svc_milestone_forecast(req_op(r), req_path_number(r), (uint64_t)seed,
				   trials, &f, &e))
		return http_error(&e, out);
	*out = forecast_to_json(&f, seed, (int)trials);
	return *out ? 200 : 500;
}
