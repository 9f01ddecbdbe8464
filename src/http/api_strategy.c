/*
 * api_strategy.c — the strategy document, objectives and key results,
 * pillars' shares, initiatives, allocation and the roadmap (docs/API.md,
 * "Strategy and roadmap"), and the public roadmap page.  Parse, call the
 * service, shape the reply; the rules are in service/svc_strategy.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/changelog.h"
#include "http/http.h"
#include "service/strategy_json.h"
#include "web_assets.h"

/* A JSON body's fields: strings (or null), checked against names; numbers
 * are accepted where numeric[k] and given back as text in buf. */
struct fields {
	const char *v[16];
	int given[16];
	char buf[16][32];
};

static int parse_fields(struct req *r, const char *const *names, const int *numeric, int n,
			struct fields *f, json_t **arrays, const char *array_name, struct err *e)
{
	const char *key;
	json_t *val;
	memset(f, 0, sizeof *f);
	if (arrays)
		*arrays = NULL;
	json_t *o = req_json(r, e);
	if (!o)
		return e->code;
	json_object_foreach(o, key, val)
	{
		int k = 0;
		while (k < n && strcmp(names[k], key))
			k++;
		if (k == n) {
			if (array_name && !strcmp(key, array_name) && json_is_array(val)) {
				*arrays = val;
				continue;
			}
			return err_set(e, CAIRN_EINVALID, key,
				       array_name && !strcmp(key, array_name) ? "%s must be an array"
									       : "unknown field '%s'",
				       key);
		}
		f->given[k] = 1;
		if (numeric && numeric[k] == 2 && !json_is_boolean(val))
			return err_set(e, CAIRN_EINVALID, key, "%s must be true or false", key);
		if (json_is_string(val))
			f->v[k] = json_string_value(val);
		else if (json_is_null(val))
			f->v[k] = NULL;
		else if (numeric && numeric[k] == 1 && json_is_integer(val)) {
			snprintf(f->buf[k], sizeof f->buf[k], "%" JSON_INTEGER_FORMAT, json_integer_value(val));
			f->v[k] = f->buf[k];
		} else if (numeric && numeric[k] == 1 && json_is_real(val)) {
			/* as written, so more than 3 decimals is refused, not rounded */
			snprintf(f->buf[k], sizeof f->buf[k], "%.15g", json_real_value(val));
			f->v[k] = f->buf[k];
		} else if (numeric && numeric[k] == 2 && json_is_boolean(val)) {
			f->v[k] = json_is_true(val) ? "1" : "0";
		} else {
			return err_set(e, CAIRN_EINVALID, key, "%s has the wrong type", key);
		}
	}
	return 0;
}

/* An array of ids into out (at most cap). */
static int id_array(json_t *a, const char *field, int64_t *out, size_t cap, size_t *n,
		    struct err *e)
{
	size_t k;
	json_t *v;
	*n = 0;
	if (json_array_size(a) > cap)
		return err_set(e, CAIRN_EINVALID, field, "at most %zu %s", cap, field);
	json_array_foreach(a, k, v)
	{
		if (!json_is_integer(v))
			return err_set(e, CAIRN_EINVALID, field, "%s must be ids", field);
		out[(*n)++] = json_integer_value(v);
	}
	return 0;
}

/* ---- the document ------------------------------------------------------------------------ */

int api_strategy_get(struct req *r, json_t **out)
{
	struct err e;
	struct strategy_view v;
	err_clear(&e);
	if (svc_strategy(req_op(r), &v, &e))
		return http_error(&e, out);
	*out = strategy_to_json(&v);
	strategy_view_release(&v);
	return 200;
}

int api_strategy_put(struct req *r, json_t **out)
{
	static const char *const keys[] = {"body", "note"};
	const char *v[2];
	struct err e;
	struct strategy_version sv;
	int64_t id;
	int created;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e) ||
	    svc_strategy_save(req_op(r), v[0], v[1], &id, &created, &e) ||
	    svc_strategy_version(req_op(r), id, &sv, &e))
		return http_error(&e, out);
	*out = version_to_json(&sv, 1);
	free(sv.body);
	free(sv.author);
	free(sv.note);
	return created ? 201 : 200;
}

int api_strategy_versions(struct req *r, json_t **out)
{
	struct err e;
	struct strategy_version *v;
	size_t n;
	err_clear(&e);
	if (svc_strategy_versions(req_op(r), &v, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, version_to_json(&v[k], 0));
	strategy_versions_free(v, n);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_strategy_version(struct req *r, json_t **out)
{
	struct err e;
	struct strategy_version sv;
	err_clear(&e);
	if (svc_strategy_version(req_op(r), req_path_number(r), &sv, &e))
		return http_error(&e, out);
	*out = version_to_json(&sv, 1);
	free(sv.body);
	free(sv.author);
	free(sv.note);
	return 200;
}

int api_strategy_diff(struct req *r, json_t **out)
{
	struct err e;
	struct strategy_version a, b;
	struct diff_line *lines;
	size_t n;
	int64_t from, to;
	err_clear(&e);
	if (http_int_arg(r, "from", 0, &from, &e) || http_int_arg(r, "to", 0, &to, &e))
		return http_error(&e, out);
	if (from <= 0 || to <= 0) {
		err_set(&e, CAIRN_EINVALID, from <= 0 ? "from" : "to", "give from=ID&to=ID (version ids)");
		return http_error(&e, out);
	}
	if (svc_strategy_diff(req_op(r), from, to, &a, &b, &lines, &n, &e))
		return http_error(&e, out);
	*out = diff_to_json(&a, &b, lines, n);
	free(lines);
	free(a.body), free(a.author), free(a.note);
	free(b.body), free(b.author), free(b.note);
	return 200;
}

int api_strategy_review(struct req *r, json_t **out)
{
	struct err e;
	int64_t days = SVC_UNSET;
	size_t len;
	err_clear(&e);
	req_body(r, &len);
	if (len) {
		json_t *o = req_json(r, &e), *d;
		if (!o)
			return http_error(&e, out);
		d = json_object_get(o, "review_every_days");
		if (json_object_size(o) > (d ? 1u : 0u) || (d && !json_is_integer(d))) {
			err_set(&e, CAIRN_EINVALID, "review_every_days",
				"send {} or {\"review_every_days\": N}");
			return http_error(&e, out);
		}
		if (d)
			days = json_integer_value(d);
	}
	if (svc_strategy_review(req_op(r), days, &e))
		return http_error(&e, out);
	return api_strategy_get(r, out);
}

int api_strategy_history(struct req *r, json_t **out)
{
	struct err e;
	struct strategy_change *c;
	size_t n;
	err_clear(&e);
	if (svc_strategy_history(req_op(r), &c, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, strategy_change_to_json(&c[k]));
	strategy_changes_free(c, n);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_strategy_allocation(struct req *r, json_t **out)
{
	struct err e;
	struct allocation_view a;
	int64_t last;
	const char *by = req_arg(r, "by");
	err_clear(&e);
	if (by && strcmp(by, "milestone") && strcmp(by, "quarter")) {
		err_set(&e, CAIRN_EINVALID, "by", "by must be milestone or quarter");
		return http_error(&e, out);
	}
	int q = by && !strcmp(by, "quarter");
	if (http_int_arg(r, "last", q ? 4 : 6, &last, &e) ||
	    svc_allocation(req_op(r), q, last, &a, &e))
		return http_error(&e, out);
	*out = allocation_to_json(&a, q);
	allocation_view_release(&a);
	return 200;
}

/* ---- objectives, key results, pillars ---------------------------------------------------- */

static int objective_reply(struct req *r, int64_t id, int status, json_t **out)
{
	struct err e;
	struct strategy_view v;
	err_clear(&e);
	if (svc_strategy(req_op(r), &v, &e))
		return http_error(&e, out);
	for (size_t k = 0; k < v.nobjectives; k++)
		if (v.objectives[k].id == id)
			*out = objective_to_json(&v, k);
	strategy_view_release(&v);
	return *out ? status : 500;
}

static int objective_save(struct req *r, int64_t id, json_t **out)
{
	static const char *const names[] = {"title", "description", "period"};
	struct fields f;
	struct err e;
	json_t *pillars;
	int64_t ids[32];
	size_t n = 0;
	struct objective o;
	err_clear(&e);
	if (parse_fields(r, names, NULL, 3, &f, &pillars, "pillars", &e) ||
	    (pillars && id_array(pillars, "pillars", ids, 32, &n, &e)))
		return http_error(&e, out);
	struct objective_input in = {f.given[0] ? (f.v[0] ? f.v[0] : "") : NULL,
				     f.given[1] ? (f.v[1] ? f.v[1] : "") : NULL,
				     f.given[2] ? (f.v[2] ? f.v[2] : "") : NULL, ids, n, pillars != NULL};
	if (svc_objective_save(req_op(r), id, &in, &o, &e))
		return http_error(&e, out);
	return objective_reply(r, o.id, id ? 200 : 201, out);
}

int api_objectives_create(struct req *r, json_t **out)
{
	return objective_save(r, 0, out);
}

int api_objective_patch(struct req *r, json_t **out)
{
	return objective_save(r, req_path_number(r), out);
}

static int kr_save(struct req *r, int64_t objective, int64_t id, json_t **out)
{
	static const char *const names[] = {"metric", "baseline", "target", "current", "measured_at"};
	static const int numeric[] = {0, 1, 1, 1, 0};
	struct fields f;
	struct err e;
	struct key_result k;
	err_clear(&e);
	if (parse_fields(r, names, numeric, 5, &f, NULL, NULL, &e))
		return http_error(&e, out);
	for (int j = 1; j < 4; j++)
		if (f.given[j] && !f.v[j]) {
			err_set(&e, CAIRN_EINVALID, names[j], "%s must be a number", names[j]);
			return http_error(&e, out);
		}
	struct kr_input in = {f.v[0], f.v[1], f.v[2], f.v[3], f.v[4]};
	if (svc_kr_save(req_op(r), objective, id, &in, &k, &e))
		return http_error(&e, out);
	return objective_reply(r, k.objective_id, id ? 200 : 201, out);
}

int api_kr_create(struct req *r, json_t **out)
{
	return kr_save(r, req_path_number(r), 0, out);
}

int api_kr_patch(struct req *r, json_t **out)
{
	return kr_save(r, 0, req_path_number(r), out);
}

int api_pillar_patch(struct req *r, json_t **out)
{
	static const char *const names[] = {"name", "description", "target_share"};
	static const int numeric[] = {0, 0, 1};
	struct fields f;
	struct err e;
	struct pillar p;
	struct strategy_view v;
	err_clear(&e);
	if (parse_fields(r, names, numeric, 3, &f, NULL, NULL, &e))
		return http_error(&e, out);
	if (f.given[0] && !f.v[0]) {
		err_set(&e, CAIRN_EINVALID, "name", "name must not be empty");
		return http_error(&e, out);
	}
	if (svc_pillar_update(req_op(r), req_path_number(r), f.v[0],
			      f.given[1] ? (f.v[1] ? f.v[1] : "") : NULL,
			      f.given[2] ? (f.v[2] ? f.v[2] : "") : NULL, &p, &e) ||
	    svc_strategy(req_op(r), &v, &e))
		return http_error(&e, out);
	for (size_t k = 0; k < v.npillars; k++)
		if (v.pillars[k].id == p.id)
			*out = pillar_strategy_json(&v, k);
	strategy_view_release(&v);
	return *out ? 200 : 500;
}

/* ---- initiatives ------------------------------------------------------------------------ */

static int initiative_reply(struct req *r, int64_t id, int status, int detail, json_t **out)
{
	struct err e;
	struct strategy_view v;
	err_clear(&e);
	if (svc_strategy(req_op(r), &v, &e))
		return http_error(&e, out);
	const struct initiative_view *iv = strategy_initiative(&v, id);
	if (!iv) {
		strategy_view_release(&v);
		err_set(&e, CAIRN_ENOTFOUND, "initiative", "no initiative #%lld", (long long)id);
		return http_error(&e, out);
	}
	*out = initiative_to_json(&v, iv);
	req_set_version(r, iv->i.version, status == 201, "/api/v1/initiatives", id);
	if (detail) {
		json_t *epics = json_array(), *updates = json_array();
		for (size_t k = 0; k < v.nepics; k++) {
			struct issue is;
			if (v.epics[k].a != id || svc_issue_get(req_op(r), v.epics[k].b, &is, &e))
				continue;
			json_array_append_new(epics, json_pack("{s:I,s:s,s:s,s:s,s:i,s:i}", "number",
							       (json_int_t)is.number, "title", is.title,
							       "state", issue_state_name(is.state), "board",
							       board_name((enum board)is.board), "points",
							       v.epic_points[k], "done_points",
							       v.epic_done[k]));
			issue_release(&is);
		}
		struct initiative_update *u;
		size_t n;
		if (!svc_initiative_updates(req_op(r), id, &u, &n, &e)) {
			for (size_t k = 0; k < n; k++)
				json_array_append_new(updates, initiative_update_to_json(&u[k]));
			initiative_updates_free(u, n);
		}
		json_object_set_new(*out, "epics", epics);
		json_object_set_new(*out, "updates", updates);
	}
	strategy_view_release(&v);
	return status;
}

int api_initiatives_list(struct req *r, json_t **out)
{
	struct err e;
	struct strategy_view v;
	const char *pillar = req_arg(r, "pillar"), *horizon = req_arg(r, "horizon"),
		   *status = req_arg(r, "status");
	int lane = -1;
	err_clear(&e);
	if (horizon && lane_parse(horizon, &lane)) {
		err_set(&e, CAIRN_EINVALID, "horizon", "horizon must be now, next or later");
		return http_error(&e, out);
	}
	if (status && strcmp(status, "planned") && strcmp(status, "active") && strcmp(status, "done") &&
	    strcmp(status, "dropped")) {
		err_set(&e, CAIRN_EINVALID, "status", "status must be planned, active, done or dropped");
		return http_error(&e, out);
	}
	if (svc_strategy(req_op(r), &v, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < v.ninits; k++) {
		const struct initiative *i = &v.inits[k].i;
		if ((pillar && strtoll(pillar, NULL, 10) != i->pillar_id) ||
		    (horizon && i->horizon != lane) ||
		    (status && strcmp(status, initiative_status_name(i->status))))
			continue;
		json_array_append_new(a, initiative_to_json(&v, &v.inits[k]));
	}
	strategy_view_release(&v);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

static int initiative_save(struct req *r, int64_t id, json_t **out)
{
	static const char *const names[] = {"title",  "description", "owner",  "pillar",
					    "horizon", "start",	      "target", "status",
					    "position", "public"};
	static const int numeric[] = {0, 0, 0, 1, 0, 0, 0, 0, 1, 2};
	static const unsigned bits[] = {INI_TITLE,   INI_DESCRIPTION, INI_OWNER,  INI_PILLAR,
					INI_HORIZON, INI_START,	      INI_TARGET, INI_STATUS,
					INI_POSITION, INI_PUBLIC};
	struct fields f;
	struct err e;
	json_t *objectives;
	int64_t ids[32], if_match;
	size_t n = 0;
	struct initiative ini;
	err_clear(&e);
	if (http_if_match(r, 0, &if_match, &e) ||
	    parse_fields(r, names, numeric, 10, &f, &objectives, "objectives", &e) ||
	    (objectives && id_array(objectives, "objectives", ids, 32, &n, &e)))
		return http_error(&e, out);
	struct initiative_input in = {0};
	for (int k = 0; k < 10; k++)
		if (f.given[k])
			in.set |= bits[k];
	if ((in.set & INI_PUBLIC) && !f.v[9]) {
		err_set(&e, CAIRN_EINVALID, "public", "public must be true or false");
		return http_error(&e, out);
	}
	in.title = f.v[0];
	in.description = f.v[1];
	in.owner = f.v[2];
	in.pillar = f.v[3];
	in.horizon = f.v[4];
	in.start = f.v[5];
	in.target = f.v[6];
	in.status = f.v[7];
	in.position = f.v[8];
	in.is_public = f.v[9] && !strcmp(f.v[9], "1");
	if (objectives) {
		in.set |= INI_OBJECTIVES;
		in.objectives = ids;
		in.nobjectives = n;
	}
	if (svc_initiative_save(req_op(r), id, &in, if_match, &ini, &e))
		return http_error(&e, out);
	return initiative_reply(r, ini.id, id ? 200 : 201, 1, out);
}

int api_initiatives_create(struct req *r, json_t **out)
{
	return initiative_save(r, 0, out);
}

int api_initiative_patch(struct req *r, json_t **out)
{
	return initiative_save(r, req_path_number(r), out);
}

int api_initiative_get(struct req *r, json_t **out)
{
	return initiative_reply(r, req_path_number(r), 200, 1, out);
}

int api_initiative_post_update(struct req *r, json_t **out)
{
	static const char *const keys[] = {"health", "text"};
	const char *v[2];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e) ||
	    svc_initiative_post(req_op(r), req_path_number(r), v[0], v[1], &e))
		return http_error(&e, out);
	return initiative_reply(r, req_path_number(r), 201, 1, out);
}

int api_initiative_epic_add(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	json_t *o = req_json(r, &e), *num;
	if (!o)
		return http_error(&e, out);
	num = json_object_get(o, "number");
	if (json_object_size(o) != 1 || !json_is_integer(num)) {
		err_set(&e, CAIRN_EINVALID, "number", "send {\"number\": epic number}");
		return http_error(&e, out);
	}
	if (svc_initiative_epic(req_op(r), req_path_number(r),
				json_integer_value(num), 1, &e))
		return http_error(&e, out);
	return initiative_reply(r, req_path_number(r), 200, 1, out);
}

int api_initiative_epic_remove(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_initiative_epic(req_op(r), req_path_number(r), req_path_number2(r), 0,
				&e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

/* ---- the roadmap -------------------------------------------------------------------------- */

int api_roadmap(struct req *r, json_t **out)
{
	struct err e;
	struct roadmap_view rv;
	const char *format = req_arg(r, "format");
	err_clear(&e);
	if (format && strcmp(format, "markdown") && strcmp(format, "json")) {
		err_set(&e, CAIRN_EINVALID, "format", "format must be markdown or json");
		return http_error(&e, out);
	}
	if (svc_roadmap(req_op(r), &rv, &e))
		return http_error(&e, out);
	if (format && !strcmp(format, "markdown")) {
		char *md = roadmap_markdown(&rv);
		roadmap_view_release(&rv);
		if (!md)
			return 500;
		req_set_text(r, "text/markdown; charset=utf-8", md, strlen(md));
		free(md);
		*out = NULL;
		return 200;
	}
	*out = roadmap_to_json(&rv);
	roadmap_view_release(&rv);
	return 200;
}

static void put_html(FILE *f, const char *s)
{
	char *x = cl_xml_escape(s);
	if (x)
		fputs(x, f);
	free(x);
}

/* The public roadmap: only initiatives marked public, never an issue. */
int api_public_roadmap(struct req *r, json_t **out)
{
	static const char *const titles[] = {"", "Now", "Next", "Later"};
	static const struct user anonymous = {.role = ROLE_VIEWER};
	struct err e;
	struct roadmap_view rv;
	int authed = req_try_auth(r);
	err_clear(&e);
	/* what the public sees does not depend on who asks */
	if (svc_roadmap(&(struct op){.st = req_store(r), .actor = &anonymous, .now = req_now(r)}, &rv, &e))
		return http_error(&e, out);
	if (!rv.public_on && !authed) {
		roadmap_view_release(&rv);
		err_set(&e, CAIRN_ENOTFOUND, NULL, "no public roadmap here");
		return http_error(&e, out);
	}
	char *html = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&html, &len);
	if (!f) {
		roadmap_view_release(&rv);
		return 500;
	}
	fprintf(f, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>Roadmap</title>\n<link rel=\"stylesheet\" href=\"/assets/public.css?v=%s\">\n"
		   "</head>\n<body><main class=\"roadmap\">\n<header><h1>Roadmap</h1><p>What we are "
		   "working on, and what comes after.</p></header>\n",
		web_assets_version);
	for (int lane = 1; lane <= 3; lane++) {
		fprintf(f, "<section class=\"lane\"><h2>%s</h2>\n", titles[lane]);
		int any = 0;
		for (size_t k = 0; k < rv.s.ninits; k++) {
			const struct initiative *i = &rv.s.inits[k].i;
			if (!i->is_public || i->horizon != lane || i->status >= 2)
				continue;
			fputs("<article class=\"entry\"><h3>", f);
			put_html(f, i->title);
			fprintf(f, "</h3><p class=\"meta\">%s</p>", initiative_status_name(i->status));
			if (i->description[0]) {
				fputs("<p>", f);
				put_html(f, i->description);
				fputs("</p>", f);
			}
			fputs("</article>\n", f);
			any = 1;
		}
		if (!any)
			fputs("<p class=\"empty\">Nothing to show yet.</p>\n", f);
		fputs("</section>\n", f);
	}
	fputs("</main></body></html>\n", f);
	fclose(f);
	roadmap_view_release(&rv);
	if (!html)
		return 500;
	req_set_header(r, "Cache-Control", "no-cache");
	req_set_text(r, "text/html; charset=utf-8", html, len);
	free(html);
	*out = NULL;
	return 200;
}
