/*
 * api_tiers.c — pricing tiers (docs/API.md, "Pricing tiers"): the tier
 * list, a feature's tier with the suggestion beside it, the tier matrix
 * (JSON, Markdown, CSV) and the upsell and mismatch signals.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "core/timeutil.h"
#include "service/plan_json.h"
#include "service/service.h"

static json_t *tiers_json(const struct tier_list *t)
{
	json_t *a = json_array();
	for (int k = 0; k < t->n; k++)
		json_array_append_new(a, json_string(t->names[k]));
	return a;
}

int api_tiers_get(struct req *r, json_t **out)
{
	struct err e;
	struct tier_list t;
	err_clear(&e);
	if (svc_tiers(req_op(r), &t, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o}", "tiers", tiers_json(&t));
	return 200;
}

int api_tiers_put(struct req *r, json_t **out)
{
	struct err e;
	struct tier_list t;
	const char *names[TIERS_MAX + 1];
	size_t k, n = 0;
	json_t *v;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_t *a = json_object_get(o, "tiers");
	if (json_object_size(o) != 1 || !json_is_array(a) || json_array_size(a) > TIERS_MAX) {
		err_set(&e, CAIRN_EINVALID, "tiers", "send {\"tiers\": [names, lowest first]} (at most %d)",
			TIERS_MAX);
		return http_error(&e, out);
	}
	json_array_foreach(a, k, v)
	{
		if (!json_is_string(v)) {
			err_set(&e, CAIRN_EINVALID, "tiers", "tiers must be names");
			return http_error(&e, out);
		}
		names[n++] = json_string_value(v);
	}
	if (svc_tiers_set(req_op(r), names, n, &t, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o}", "tiers", tiers_json(&t));
	return 200;
}

static json_t *feature_tier_json(const struct feature_tier_view *v)
{
	static const char *const levels[] = {"individual", "manager", "executive"};
	json_t *by_level = json_object(), *by_tier = json_object();
	for (int k = 0; k < 3; k++)
		json_object_set_new(by_level, levels[k], json_integer(v->evidence.by_level[k]));
	for (int k = 0; k < v->tiers.n; k++)
		json_object_set_new(by_tier, v->tiers.names[k], json_integer(v->evidence.by_tier[k]));
	char at[32] = "";
	if (v->has_tier)
		iso_time(v->tier.set_at, at, sizeof at);
	return json_pack(
		"{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:{s:o,s:s,s:i,s:i,s:o,s:o},s:b}", "number",
		(json_int_t)v->issue.number, "title", v->issue.title, "type",
		issue_type_name(v->issue.type), "tier",
		v->has_tier ? json_string(v->tier.tier) : json_null(), "rationale",
		v->has_tier ? json_string(v->tier.rationale) : json_null(), "set_by",
		v->has_tier && v->tier.set_by[0] ? json_string(v->tier.set_by) : json_null(), "set_at",
		v->has_tier ? json_string(at) : json_null(), "suggestion", "tier",
		v->suggested >= 0 ? json_string(v->tiers.names[v->suggested]) : json_null(), "reason",
		v->reason, "asks", v->asks, "customers", v->customers, "by_level", by_level, "by_tier",
		by_tier, "disagrees", v->disagrees);
}

int api_issue_tier_get(struct req *r, json_t **out)
{
	struct err e;
	struct feature_tier_view v;
	err_clear(&e);
	if (svc_feature_tier(req_op(r), req_path_number(r), &v, &e))
		return http_error(&e, out);
	*out = feature_tier_json(&v);
	feature_tier_view_release(&v);
	return 200;
}

int api_issue_tier_put(struct req *r, json_t **out)
{
	static const char *const keys[] = {"tier", "rationale"};
	const char *v[2];
	struct err e;
	struct feature_tier_view fv;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e))
		return http_error(&e, out);
	if (!json_object_get(req_json(r, &e), "tier")) {
		err_set(&e, CAIRN_EINVALID, "tier", "give the tier (or null to clear it)");
		return http_error(&e, out);
	}
	if (svc_feature_tier_set(req_op(r), req_path_number(r), v[0], v[1], &fv, &e))
		return http_error(&e, out);
	*out = feature_tier_json(&fv);
	feature_tier_view_release(&fv);
	return 200;
}

int api_tier_matrix(struct req *r, json_t **out)
{
	struct err e;
	struct tier_matrix m;
	int64_t milestone;
	const char *format = req_arg(r, "format");
	err_clear(&e);
	if (format && strcmp(format, "json") && strcmp(format, "markdown") && strcmp(format, "csv")) {
		err_set(&e, CAIRN_EINVALID, "format", "format must be json, markdown or csv");
		return http_error(&e, out);
	}
	if (http_int_arg(r, "milestone", 0, &milestone, &e) ||
	    svc_tier_matrix(req_op(r), milestone, &m, &e))
		return http_error(&e, out);
	if (format && strcmp(format, "json")) {
		int csv = !strcmp(format, "csv");
		char *text = csv ? tier_matrix_csv(&m) : tier_matrix_markdown(&m);
		tier_matrix_release(&m);
		if (!text)
			return 500;
		req_set_text(r, csv ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8", text,
			     strlen(text));
		free(text);
		*out = NULL;
		return 200;
	}
	json_t *features = json_array(), *moves = json_array(), *by_tier = json_object();
	for (int t = 0; t < m.tiers.n; t++)
		json_object_set_new(by_tier, m.tiers.names[t], json_array());
	for (size_t k = 0; k < m.n; k++) {
		const struct feature_tier *f = &m.features[k];
		json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:b}", "number", (json_int_t)f->number,
				      "title", f->title, "type", issue_type_name(f->type), "state",
				      issue_state_name(f->state), "tier", f->tier, "suggested",
				      m.suggested[k] >= 0 ? json_string(m.tiers.names[m.suggested[k]])
							  : json_null(),
				      "disagrees", m.suggested[k] >= 0 && strcmp(m.tiers.names[m.suggested[k]], f->tier));
		json_t *list = json_object_get(by_tier, f->tier);
		if (list)
			json_array_append_new(list, json_integer(f->number));
		json_array_append_new(features, j);
	}
	for (size_t k = 0; k < m.nmoves; k++) {
		char at[32];
		iso_time(m.moves[k].at, at, sizeof at);
		json_array_append_new(moves, json_pack("{s:I,s:s,s:s,s:s,s:s}", "number",
						       (json_int_t)m.moves[k].number, "title",
						       m.moves[k].title, "from", m.moves[k].from, "to",
						       m.moves[k].to, "at", at));
	}
	*out = json_pack("{s:o,s:o,s:o,s:o,s:o}", "tiers", tiers_json(&m.tiers), "milestone",
			 m.has_milestone ? json_pack("{s:I,s:s}", "id", (json_int_t)m.m.id, "title",
						     m.m.title)
					 : json_null(),
			 "features", features, "by_tier", by_tier, "moved", moves);
	tier_matrix_release(&m);
	return 200;
}

int api_tier_signals(struct req *r, json_t **out)
{
	struct err e;
	struct tier_signals s;
	err_clear(&e);
	if (svc_tier_signals(req_op(r), &s, &e))
		return http_error(&e, out);
	json_t *up = json_array(), *mis = json_array();
	for (size_t k = 0; k < s.nupsell; k++) {
		json_t *f = json_array();
		for (int x = 0; x < s.upsell[k].nfeatures; x++)
			json_array_append_new(f, json_pack("{s:I,s:s}", "number",
							   (json_int_t)s.upsell[k].numbers[x], "tier",
							   s.upsell[k].feature_tiers[x]));
		json_array_append_new(up, json_pack("{s:I,s:s,s:s,s:I,s:o}", "id",
						    (json_int_t)s.upsell[k].customer_id, "customer",
						    s.upsell[k].customer, "tier", s.upsell[k].tier, "arr",
						    (json_int_t)s.upsell[k].arr, "features", f));
	}
	for (size_t k = 0; k < s.nmismatch; k++)
		json_array_append_new(mis, json_pack("{s:I,s:s,s:s,s:i,s:i}", "number",
						     (json_int_t)s.mismatch[k].number, "title",
						     s.mismatch[k].title, "tier", s.mismatch[k].tier,
						     "asks", s.mismatch[k].asks, "asks_from_lower_tiers",
						     s.mismatch[k].below));
	tier_signals_release(&s);
	*out = json_pack("{s:o,s:o}", "upsell", up, "mismatch", mis);
	return 200;
}

int api_calibration(struct req *r, json_t **out)
{
	struct err e;
	struct cal_size c[6];
	size_t items;
	int64_t days;
	err_clear(&e);
	if (http_int_arg(r, "days", 180, &days, &e) ||
	    svc_calibration(req_op(r), days, c, &items, &e))
		return http_error(&e, out);
	*out = calibration_to_json(days, items, c);
	return 200;
}

