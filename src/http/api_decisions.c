/*
 * api_decisions.c — the decision log (docs/API.md, "Product decisions"):
 * parse, call the service, shape the reply.  The rules are in
 * service/svc_decision.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/decision_json.h"
#include "service/issue_json.h"

#define IDS_MAX 64

struct decision_body {
	struct decision_input in;
	char *options; /* owned JSON text */
	const char *logins[4][20];
	int64_t issues[IDS_MAX], inits[IDS_MAX], insights[IDS_MAX];
};

static int ids_of(json_t *a, const char *field, int64_t *out, size_t *n, struct err *e)
{
	size_t k;
	json_t *v;
	*n = 0;
	if (!json_is_array(a) || json_array_size(a) > IDS_MAX)
		return err_set(e, CAIRN_EINVALID, field, "%s must be an array of at most %d ids", field,
			       IDS_MAX);
	json_array_foreach(a, k, v)
	{
		if (!json_is_integer(v))
			return err_set(e, CAIRN_EINVALID, field, "%s must hold numbers", field);
		out[(*n)++] = json_integer_value(v);
	}
	return 0;
}

static int parse_decision(struct req *r, struct decision_body *b, struct err *e)
{
	static const struct text_member texts[] = {
		{"title", DEC_TITLE, offsetof(struct decision_input, title)},
		{"context", DEC_CONTEXT, offsetof(struct decision_input, context)},
		{"decision", DEC_DECISION, offsetof(struct decision_input, decision)},
		{"consequences", DEC_CONSEQUENCES, offsetof(struct decision_input, consequences)},
		{"review_date", DEC_REVIEW, offsetof(struct decision_input, review_date)}};
	static const char *const roles[] = {"responsible", "accountable", "consulted", "informed"};
	const char *key;
	json_t *v;
	memset(b, 0, sizeof *b);
	json_t *o = req_json(r, e);
	if (!o)
		return e->code;
	json_object_foreach(o, key, v)
	{
		int rc = json_text_member(texts, sizeof texts / sizeof texts[0], key, v, &b->in,
					  &b->in.set, e);
		if (rc < 0)
			return -rc;
		if (rc)
			continue;
		if (!strcmp(key, "options")) {
			if (!json_is_array(v))
				return err_set(e, CAIRN_EINVALID, key, "options must be an array");
			free(b->options);
			if (!(b->options = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER)))
				return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			b->in.set |= DEC_OPTIONS;
			b->in.options = b->options;
		} else if (!strcmp(key, "raci")) {
			const char *role;
			json_t *list;
			if (!json_is_object(v))
				return err_set(e, CAIRN_EINVALID, key,
					       "raci must be {responsible, accountable, consulted, informed}");
			json_object_foreach(v, role, list)
			{
				int x = 0;
				while (x < 4 && strcmp(roles[x], role))
					x++;
				if (x == 4 || !json_is_array(list) || json_array_size(list) > 20)
					return err_set(e, CAIRN_EINVALID, "raci",
						       "raci.%.16s must be one of responsible, accountable, "
						       "consulted, informed: an array of at most 20 logins",
						       role);
				size_t k2;
				json_t *login;
				json_array_foreach(list, k2, login)
				{
					if (!json_is_string(login))
						return err_set(e, CAIRN_EINVALID, roles[x], "%s must be logins",
							       roles[x]);
					b->logins[x][k2] = json_string_value(login);
				}
				b->in.raci[x] = b->logins[x];
				b->in.nraci[x] = json_array_size(list);
			}
			b->in.set |= DEC_RACI;
		} else if (!strcmp(key, "issues")) {
			if (ids_of(v, key, b->issues, &b->in.nissues, e))
				return e->code;
			b->in.issues = b->issues;
			b->in.set |= DEC_ISSUES;
		} else if (!strcmp(key, "initiatives")) {
			if (ids_of(v, key, b->inits, &b->in.ninitiatives, e))
				return e->code;
			b->in.initiatives = b->inits;
			b->in.set |= DEC_INITIATIVES;
		} else if (!strcmp(key, "insights")) {
			if (ids_of(v, key, b->insights, &b->in.ninsights, e))
				return e->code;
			b->in.insights = b->insights;
			b->in.set |= DEC_INSIGHTS;
		} else if (!strcmp(key, "supersedes")) {
			if (!json_is_integer(v) && !json_is_null(v))
				return err_set(e, CAIRN_EINVALID, key, "supersedes must be a decision id");
			b->in.supersedes = json_is_null(v) ? 0 : json_integer_value(v);
			b->in.set |= DEC_SUPERSEDES;
		} else {
			return err_set(e, CAIRN_EINVALID, key, "unknown field '%s'", key);
		}
	}
	return 0;
}

static int reply(struct req *r, struct decision_view *v, int status, json_t **out)
{
	req_set_version(r, v->d.version, status == 201, "/api/v1/decisions", v->d.id);
	*out = decision_to_json(&v->d, v);
	decision_view_release(v);
	return *out ? status : 500;
}

static int save(struct req *r, int64_t id, json_t **out)
{
	struct err e;
	struct decision_body b;
	struct decision_view v;
	int64_t if_match;
	err_clear(&e);
	b.options = NULL; /* freed below even when If-Match is refused before the body is parsed */
	int rc = http_if_match(r, 0, &if_match, &e) || parse_decision(r, &b, &e) ||
		 svc_decision_save(req_op(r), id, &b.in, if_match, &v, &e);
	free(b.options);
	if (rc)
		return http_error(&e, out);
	return reply(r, &v, id ? 200 : 201, out);
}

int api_decisions_create(struct req *r, json_t **out)
{
	return save(r, 0, out);
}

int api_decision_patch(struct req *r, json_t **out)
{
	return save(r, req_path_number(r), out);
}

int api_decision_get(struct req *r, json_t **out)
{
	struct err e;
	struct decision_view v;
	err_clear(&e);
	if (svc_decision_get(req_op(r), req_path_number(r), &v, &e))
		return http_error(&e, out);
	return reply(r, &v, 200, out);
}

int api_decision_status(struct req *r, json_t **out)
{
	static const char *const keys[] = {"status"};
	const char *v[1];
	struct err e;
	struct decision_view dv;
	int64_t if_match;
	err_clear(&e);
	if (http_if_match(r, 0, &if_match, &e) || req_json_strings(r, keys, 1, v, &e) ||
	    svc_decision_status(req_op(r), req_path_number(r), v[0], if_match, &dv, &e))
		return http_error(&e, out);
	return reply(r, &dv, 200, out);
}

static int list_reply(struct req *r, int64_t issue, json_t **out)
{
	struct err e;
	struct decision_list l;
	int64_t total = 0;
	err_clear(&e);
	if (svc_decision_list(req_op(r), req_arg(r, "q"), req_arg(r, "status"), issue,
			      req_arg(r, "involving"), &l, &total, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < l.n; k++)
		json_array_append_new(a, decision_to_json(&l.items[k], NULL));
	decision_list_release(&l);
	*out = json_pack("{s:o,s:I}", "items", a, "total", (json_int_t)total);
	return 200;
}

int api_decisions_list(struct req *r, json_t **out)
{
	struct err e;
	int64_t issue;
	err_clear(&e);
	if (http_int_arg(r, "issue", 0, &issue, &e))
		return http_error(&e, out);
	return list_reply(r, issue, out);
}

int api_issue_decisions(struct req *r, json_t **out)
{
	return list_reply(r, req_path_number(r), out);
}

int api_decision_history(struct req *r, json_t **out)
{
	struct err e;
	struct history_list h;
	err_clear(&e);
	if (svc_decision_history(req_op(r), req_path_number(r), &h, &e))
		return http_error(&e, out);
	*out = history_items_json(&h);
	return *out ? 200 : 500;
}
