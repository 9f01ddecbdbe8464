/*
 * api_insights.c — customers, personas, insights, their links to issues,
 * closing the loop, and the ranked backlog with its evidence.
 */
#include <inttypes.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "http/http.h"
#include "service/issue_json.h"
#include "service/service.h"

int api_customers_list(struct req *r, json_t **out)
{
	struct err e;
	struct customer *c;
	size_t n;
	err_clear(&e);
	if (svc_customer_list(req_op(r), &c, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, customer_to_json(&c[k]));
	free(c);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

/* A customer's fields from the JSON body; absent ones stay unset. */
static int customer_fields(struct req *r, struct customer_input *in, struct err *e)
{
	const char *key;
	json_t *v;
	json_t *o = req_json(r, e);
	if (!o)
		return e->code;
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "name") && json_is_string(v))
			in->name = json_string_value(v);
		else if (!strcmp(key, "tier") && json_is_string(v))
			in->tier = json_string_value(v);
		else if (!strcmp(key, "arr") && json_is_integer(v)) {
			in->arr = json_integer_value(v);
			in->has_arr = 1;
		} else if (!strcmp(key, "seats") && json_is_integer(v) &&
			   json_integer_value(v) <= 10000000) {
			in->seats = (int)json_integer_value(v);
			in->has_seats = 1;
		} else if (!strcmp(key, "strategic") && json_is_boolean(v))
			in->strategic = json_is_true(v);
		else {
			int known = !strcmp(key, "name") || !strcmp(key, "tier") || !strcmp(key, "arr") ||
				    !strcmp(key, "seats") || !strcmp(key, "strategic");
			return err_set(e, CAIRN_EINVALID, key,
				       known ? "%s has the wrong type" : "unknown field '%s'", key);
		}
	}
	return 0;
}

int api_customers_create(struct req *r, json_t **out)
{
	struct err e;
	struct customer_input in = {.strategic = -1};
	struct customer c;
	err_clear(&e);
	if (customer_fields(r, &in, &e) || svc_customer_add(req_op(r), &in, &c, &e))
		return http_error(&e, out);
	*out = customer_to_json(&c);
	return 201;
}

int api_customer_patch(struct req *r, json_t **out)
{
	struct err e;
	struct customer_input in = {.strategic = -1};
	struct customer c;
	err_clear(&e);
	if (customer_fields(r, &in, &e) ||
	    svc_customer_update(req_op(r), req_path_number(r), &in, &c, &e))
		return http_error(&e, out);
	*out = customer_to_json(&c);
	return 200;
}

int api_personas_list(struct req *r, json_t **out)
{
	struct err e;
	struct persona *p;
	size_t n;
	err_clear(&e);
	if (svc_persona_list(req_op(r), &p, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, persona_to_json(&p[k]));
	free(p);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

/* POST (update 0) or PATCH a persona: the same three fields. */
static int persona_write(struct req *r, json_t **out, int update)
{
	static const char *const keys[] = {"name", "description", "buyer_level"};
	const char *v[3];
	struct persona p;
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, keys, 3, v, &e))
		return http_error(&e, out);
	struct persona_input in = {v[0], v[1], v[2]};
	if (update ? svc_persona_update(req_op(r), req_path_number(r), &in, &p, &e)
		   : svc_persona_add(req_op(r), &in, &p, &e))
		return http_error(&e, out);
	*out = persona_to_json(&p);
	return update ? 200 : 201;
}

int api_personas_create(struct req *r, json_t **out)
{
	return persona_write(r, out, 0);
}

int api_persona_patch(struct req *r, json_t **out)
{
	return persona_write(r, out, 1);
}

int api_insights_list(struct req *r, json_t **out)
{
	struct err e;
	struct insight_list l;
	int64_t page, per_page, total;
	err_clear(&e);
	if (http_int_arg(r, "page", 1, &page, &e) ||
	    http_int_arg(r, "per_page", PER_PAGE_DEFAULT, &per_page, &e) ||
	    svc_insight_list(req_op(r), req_arg(r, "state"), req_arg(r, "customer"), page,
			     per_page, &l, &total, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < l.n; k++)
		json_array_append_new(a, insight_to_json(&l.items[k]));
	insight_list_release(&l);
	*out = json_pack("{s:o,s:I,s:I,s:I}", "items", a, "total", (json_int_t)total, "page",
			 (json_int_t)page, "per_page", (json_int_t)per_page);
	return 200;
}

int api_insights_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"source", "category", "customer", "persona", "title",
					   "body",   "url",      "captured_at", "state"};
	const char *v[9];
	struct insight i;
	struct err e;
	char loc[64];
	err_clear(&e);
	if (req_json_strings(r, keys, 9, v, &e))
		return http_error(&e, out);
	struct insight_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
	if (svc_insight_add(req_op(r), &in, &i, &e))
		return http_error(&e, out);
	snprintf(loc, sizeof loc, "/api/v1/insights/%" PRId64, i.id);
	req_set_header(r, "Location", loc);
	*out = insight_to_json(&i);
	insight_release(&i);
	return 201;
}

static json_t *links_json(struct insight_link *l, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(
			a, json_pack("{s:I,s:s,s:s,s:s,s:s}", "issue", (json_int_t)l[k].issue_number,
				     "title", l[k].title, "type", issue_type_name(l[k].type), "state",
				     issue_state_name(l[k].state), "importance",
				     importance_name(l[k].importance)));
	insight_links_free(l, n);
	return a;
}

int api_insight_get(struct req *r, json_t **out)
{
	struct err e;
	struct insight i;
	struct insight_link *l;
	size_t n;
	err_clear(&e);
	if (svc_insight_get(req_op(r), req_path_number(r), &i, &e))
		return http_error(&e, out);
	if (svc_insight_issues(req_op(r), i.id, &l, &n, &e)) {
		insight_release(&i);
		return http_error(&e, out);
	}
	*out = insight_to_json(&i);
	json_object_set_new(*out, "links", links_json(l, n));
	insight_release(&i);
	return 200;
}

int api_insight_link(struct req *r, json_t **out)
{
	struct err e;
	const char *key;
	json_t *v;
	int64_t issue = 0;
	const char *importance = NULL;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "issue") && json_is_integer(v))
			issue = json_integer_value(v);
		else if (!strcmp(key, "importance") && json_is_string(v))
			importance = json_string_value(v);
		else {
			err_set(&e, CAIRN_EINVALID, key,
				!strcmp(key, "issue") || !strcmp(key, "importance") ? "%s has the wrong type"
										    : "unknown field '%s'",
				key);
			return http_error(&e, out);
		}
	}
	if (issue <= 0) {
		err_set(&e, CAIRN_EINVALID, "issue", "issue must be an issue number");
		return http_error(&e, out);
	}
	if (svc_insight_link(req_op(r), req_path_number(r), issue, importance, &e))
		return http_error(&e, out);
	return api_insight_get(r, out);
}

int api_insight_unlink(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_insight_unlink(req_op(r), req_path_number(r), req_path_number2(r),
			       &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

int api_issue_insights(struct req *r, json_t **out)
{
	struct err e;
	struct insight_list l;
	err_clear(&e);
	if (svc_issue_insights(req_op(r), req_path_number(r), &l, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < l.n; k++)
		json_array_append_new(a, insight_to_json(&l.items[k]));
	insight_list_release(&l);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_issue_answer(struct req *r, json_t **out)
{
	struct err e;
	int64_t n;
	err_clear(&e);
	if (svc_issue_answer(req_op(r), req_path_number(r), &n, &e))
		return http_error(&e, out);
	*out = json_pack("{s:I}", "answered", (json_int_t)n);
	return 200;
}

/* One ranked item with the numbers that produced its score. */
static json_t *backlog_item_json(const struct backlog_item *it, int64_t now)
{
	json_t *ev = json_array();
	for (size_t k = 0; k < it->nasks; k++) {
		const struct backlog_ask *row = &it->evidence[k];
		const struct demand_ask *a = &it->asks[k];
		json_t *x = json_pack("{s:I,s:s,s:s,s:I,s:f}", "insight", (json_int_t)row->insight_id,
				      "title", row->insight_title, "importance",
				      importance_name(a->importance), "age_days",
				      (json_int_t)((now - row->captured_at) / 86400000LL), "weight",
				      a->weight);
		if (row->customer_id)
			json_object_set_new(x, "customer",
					    json_pack("{s:s,s:s,s:I,s:b}", "name", row->customer, "tier",
						      row->tier, "arr", (json_int_t)row->arr,
						      "strategic", row->strategic));
		json_array_append_new(ev, x);
	}
	json_t *rice = json_pack("{s:i,s:f,s:i,s:i}", "reach", it->rice.reach, "impact",
				 it->rice.impact100 / 100.0, "confidence", it->rice.confidence,
				 "effort", it->rice.effort);
	json_object_set_new(rice, "score", it->rice.score < 0 ? json_null() : json_real(it->rice.score));
	return json_pack("{s:I,s:s,s:s,s:o,s:{s:f,s:i,s:i},s:o,s:o}", "number",
			 (json_int_t)it->number, "title", it->title, "type", issue_type_name(it->type),
			 "score", it->score < 0 ? json_null() : json_real(it->score), "demand",
			 "score", it->demand.score, "customers", it->demand.customers, "insights",
			 it->demand.asks, "rice", rice, "evidence", ev);
}

int api_backlog(struct req *r, json_t **out)
{
	struct err e;
	struct backlog b;
	int64_t limit;
	err_clear(&e);
	if (http_int_arg(r, "limit", 50, &limit, &e))
		return http_error(&e, out);
	if (limit < 1 || limit > 500) {
		err_set(&e, CAIRN_EINVALID, "limit", "limit must be between 1 and 500");
		return http_error(&e, out);
	}
	const char *rank = req_arg(r, "rank");
	if (svc_backlog(req_op(r), rank, &b, &e))
		return http_error(&e, out);
	int64_t now = req_now(r);
	json_t *a = json_array();
	for (size_t k = 0; k < b.n && (int64_t)k < limit; k++)
		json_array_append_new(a, backlog_item_json(&b.items[k], now));
	*out = json_pack("{s:s,s:o,s:I}", "rank", rank ? rank : "demand", "items", a, "total",
			 (json_int_t)b.n);
	backlog_release(&b);
	return 200;
}

int api_customer_get(struct req *r, json_t **out)
{
	struct err e;
	struct customer c;
	struct insight_list l;
	struct customer_issue *ci;
	struct insight_link *links;
	size_t n, nlinks;
	err_clear(&e);
	if (svc_customer_page(req_op(r), req_path_number(r), &c, &l, &links, &nlinks,
			      &ci, &n, &e))
		return http_error(&e, out);
	json_t *ins = json_array(), *iss = json_array();
	for (size_t k = 0; k < l.n; k++) {
		json_t *j = insight_to_json(&l.items[k]), *lj = json_array();
		for (size_t x = 0; x < nlinks; x++)
			if (links[x].insight_id == l.items[k].id)
				json_array_append_new(
					lj, json_pack("{s:I,s:s,s:s,s:s,s:s}", "issue",
						      (json_int_t)links[x].issue_number, "title",
						      links[x].title, "type", issue_type_name(links[x].type),
						      "state", issue_state_name(links[x].state),
						      "importance", importance_name(links[x].importance)));
		json_object_set_new(j, "links", lj);
		json_array_append_new(ins, j);
	}
	insight_links_free(links, nlinks);
	for (size_t k = 0; k < n; k++)
		json_array_append_new(
			iss, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "number", (json_int_t)ci[k].number,
				       "title", ci[k].title, "type", issue_type_name(ci[k].type), "state",
				       issue_state_name(ci[k].state), "board",
				       board_name((enum board)ci[k].board), "importance",
				       importance_name(ci[k].importance)));
	insight_list_release(&l);
	free(ci);
	/* what shipped for them: published entries behind their asks */
	struct cl_shipped *sh = NULL;
	size_t nsh = 0;
	json_t *shipped = json_array();
	if (svc_customer_shipped(req_op(r), c.id, &sh, &nsh, &e)) {
		json_decref(ins);
		json_decref(iss);
		json_decref(shipped);
		return http_error(&e, out);
	}
	for (size_t k = 0; k < nsh; k++) {
		char date[32], pub[32];
		iso_time(sh[k].date_at, date, sizeof date);
		iso_time(sh[k].published_at ? sh[k].published_at : sh[k].date_at, pub, sizeof pub);
		json_array_append_new(shipped, json_pack("{s:I,s:s,s:s,s:s,s:s}", "entry",
							 (json_int_t)sh[k].entry_id, "slug", sh[k].slug,
							 "title", sh[k].title, "date", date,
							 "published_at", pub));
	}
	cl_shipped_free(sh, nsh);
	*out = json_pack("{s:o,s:o,s:o,s:o}", "customer", customer_to_json(&c), "insights", ins,
			 "issues", iss, "shipped", shipped);
	return 200;
}

int api_insight_patch(struct req *r, json_t **out)
{
	static const char *const keys[] = {"state"};
	const char *v[1];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, keys, 1, v, &e) ||
	    svc_insight_set_state(req_op(r), req_path_number(r), v[0], &e))
		return http_error(&e, out);
	return api_insight_get(r, out);
}

int api_insights_import(struct req *r, json_t **out)
{
	struct err e;
	struct import_result res;
	struct import_opts opts = {req_arg(r, "map"), 0, 0};
	int64_t create, dry;
	size_t len;
	const char *body = req_body(r, &len);
	err_clear(&e);
	if (http_int_arg(r, "create_customers", 0, &create, &e) ||
	    http_int_arg(r, "dry_run", 0, &dry, &e))
		return http_error(&e, out);
	if ((create != 0 && create != 1) || (dry != 0 && dry != 1)) {
		err_set(&e, CAIRN_EINVALID, create != 0 && create != 1 ? "create_customers" : "dry_run",
			"%s must be 0 or 1", create != 0 && create != 1 ? "create_customers" : "dry_run");
		return http_error(&e, out);
	}
	opts.create_customers = (int)create;
	opts.dry_run = (int)dry;
	if (svc_insight_import(req_op(r), body, len, &opts, &res, &e))
		return http_error(&e, out);
	json_t *errs = json_array();
	for (size_t k = 0; k < res.nerrors; k++)
		json_array_append_new(errs, json_pack("{s:I,s:s}", "line", (json_int_t)res.errors[k].line,
						      "message", res.errors[k].message));
	json_t *ignored = json_array();
	for (size_t k = 0; k < res.nignored; k++)
		json_array_append_new(ignored, json_string(res.ignored[k]));
	json_t *created = json_array();
	for (size_t k = 0; k < res.ncreated; k++)
		json_array_append_new(created, json_string(res.created[k]));
	*out = json_pack("{s:I,s:o,s:o,s:o,s:b}", "imported", (json_int_t)res.imported, "errors",
			 errs, "ignored", ignored, "created_customers", created, "dry_run",
			 opts.dry_run);
	import_result_free(&res);
	return 200;
}

int api_insights_export(struct req *r, json_t **out)
{
	struct err e;
	char *csv;
	size_t len;
	err_clear(&e);
	*out = NULL;
	if (svc_insight_export(req_op(r), &csv, &len, &e))
		return http_error(&e, out);
	req_set_header(r, "Content-Disposition", "attachment; filename=\"insights.csv\"");
	req_set_text(r, "text/csv; charset=utf-8", csv, len);
	free(csv);
	return 200;
}

int api_backlog_movers(struct req *r, json_t **out)
{
	struct err e;
	struct mover *m;
	size_t n;
	const char *since = req_arg(r, "since");
	struct tm tm = {0};
	int64_t since_ms = 0;
	err_clear(&e);
	if (since) {
		const char *end = strptime(since, "%Y-%m-%d", &tm);
		if (end && !*end)
			since_ms = (int64_t)timegm(&tm) * 1000;
	}
	if (!since_ms) {
		err_set(&e, CAIRN_EINVALID, "since", "since must be a date like 2026-10-01");
		return http_error(&e, out);
	}
	if (svc_backlog_movers(req_op(r), since_ms, &m, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n && k < 50; k++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:f,s:f,s:f}", "number", (json_int_t)m[k].number,
						   "title", m[k].title, "before", m[k].before, "now",
						   m[k].now, "delta", m[k].now - m[k].before));
	free(m);
	*out = json_pack("{s:s,s:o}", "since", since, "items", a);
	return 200;
}
