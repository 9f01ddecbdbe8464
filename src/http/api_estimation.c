/*
 * api_estimation.c — estimation sessions, planning poker (docs/API.md,
 * "Estimation sessions"): parse, call the service, shape the reply.  The
 * rules are in service/svc_estimation.c; the event stream is http/events.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/estimation_json.h"
#include "service/issue_json.h"

struct est_body {
	struct est_input in;
	int64_t issues[EST_ITEMS_MAX + 1];
	const char *logins[EST_PEOPLE_MAX + 1];
};

static int parse_create(struct req *r, struct est_body *b, struct err *e)
{
	static const struct text_member texts[] = {
		{"title", EST_IN_TITLE, offsetof(struct est_input, title)},
		{"mode", EST_IN_MODE, offsetof(struct est_input, mode)},
		{"stage", EST_IN_STAGE, offsetof(struct est_input, stage)},
		{"closes_at", EST_IN_CLOSES, offsetof(struct est_input, closes_at)}};
	const char *key;
	json_t *v;
	memset(b, 0, sizeof *b);
	json_t *o = req_json(r, e);
	if (!o)
		return e->code;
	json_object_foreach(o, key, v)
	{
		size_t k;
		json_t *x;
		int rc = json_text_member(texts, sizeof texts / sizeof texts[0], key, v, &b->in,
					  &b->in.set, e);
		if (rc < 0)
			return -rc;
		if (rc)
			continue;
		if (!strcmp(key, "issues")) {
			if (!json_is_array(v) || json_array_size(v) > EST_ITEMS_MAX)
				return err_set(e, CAIRN_EINVALID, key,
					       "issues must be an array of 1 to %d issue numbers",
					       EST_ITEMS_MAX);
			json_array_foreach(v, k, x)
			{
				if (!json_is_integer(x) || json_integer_value(x) <= 0)
					return err_set(e, CAIRN_EINVALID, key,
						       "issues must hold issue numbers");
				b->issues[k] = json_integer_value(x);
			}
			b->in.issues = b->issues;
			b->in.nissues = json_array_size(v);
		} else if (!strcmp(key, "participants")) {
			if (!json_is_array(v) || json_array_size(v) > EST_PEOPLE_MAX)
				return err_set(e, CAIRN_EINVALID, key,
					       "participants must be an array of at most %d logins",
					       EST_PEOPLE_MAX);
			json_array_foreach(v, k, x)
			{
				if (!json_is_string(x))
					return err_set(e, CAIRN_EINVALID, key,
						       "participants must hold logins");
				b->logins[k] = json_string_value(x);
			}
			b->in.participants = b->logins;
			b->in.nparticipants = json_array_size(v);
		} else {
			return err_set(e, CAIRN_EINVALID, key, "unknown field '%s'", key);
		}
	}
	return 0;
}

static int reply(struct req *r, struct est_view *v, int status, json_t **out)
{
	req_set_version(r, v->s.version, status == 201, "/api/v1/estimation/sessions", v->s.id);
	*out = est_view_to_json(v);
	est_view_release(v);
	return *out ? status : 500;
}

int api_est_create(struct req *r, json_t **out)
{
	struct err e;
	struct est_body b;
	struct est_view v;
	err_clear(&e);
	if (parse_create(r, &b, &e) || svc_est_create(req_op(r), &b.in, &v, &e))
		return http_error(&e, out);
	return reply(r, &v, 201, out);
}

int api_est_list(struct req *r, json_t **out)
{
	struct err e;
	struct est_session *l;
	size_t n;
	err_clear(&e);
	if (svc_est_list(req_op(r), req_arg(r, "status"), &l, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, est_summary_to_json(&l[k], req_now(r)));
	free(l);
	*out = json_pack("{s:o}", "sessions", a);
	return 200;
}

int api_est_get(struct req *r, json_t **out)
{
	struct err e;
	struct est_view v;
	err_clear(&e);
	if (svc_est_get(req_op(r), req_path_number(r), &v, &e))
		return http_error(&e, out);
	return reply(r, &v, 200, out);
}

int api_est_patch(struct req *r, json_t **out)
{
	struct err e;
	struct est_view v;
	int64_t if_match, current = -1;
	const char *key;
	json_t *x;
	err_clear(&e);
	json_t *o = NULL;
	if (http_if_match(r, 0, &if_match, &e) || !(o = req_json(r, &e)))
		return http_error(&e, out);
	json_object_foreach(o, key, x)
	{
		if (strcmp(key, "current")) {
			err_set(&e, CAIRN_EINVALID, key, "unknown field '%s' (a session changes only its current item)", key);
			return http_error(&e, out);
		}
		if (!json_is_null(x) && (!json_is_integer(x) || json_integer_value(x) <= 0)) {
			err_set(&e, CAIRN_EINVALID, key, "current must be an issue number or null");
			return http_error(&e, out);
		}
		current = json_is_null(x) ? 0 : json_integer_value(x);
	}
	if (current < 0) {
		err_set(&e, CAIRN_EINVALID, "current", "send {\"current\": N}");
		return http_error(&e, out);
	}
	if (svc_est_current(req_op(r), req_path_number(r), current, if_match, &v, &e))
		return http_error(&e, out);
	return reply(r, &v, 200, out);
}

int api_est_close(struct req *r, json_t **out)
{
	struct err e;
	struct est_view v;
	err_clear(&e);
	if (svc_est_close(req_op(r), req_path_number(r), &v, &e))
		return http_error(&e, out);
	return reply(r, &v, 200, out);
}

/* A POST on an item: the body {"size": ...} for a vote or a final size,
 * none (or {}) for a reveal or a new round. */
static int act(struct req *r, enum est_action a, json_t **out)
{
	static const char *const keys[] = {"size"};
	const char *size[1] = {NULL};
	struct err e;
	struct est_view v;
	size_t len;
	err_clear(&e);
	req_body(r, &len);
	if ((a == EST_VOTE || a == EST_FINAL || len) && req_json_strings(r, keys, 1, size, &e))
		return http_error(&e, out);
	if ((a == EST_REVEAL || a == EST_REVOTE) && size[0]) {
		err_set(&e, CAIRN_EINVALID, "size", "a reveal or a new round takes no size");
		return http_error(&e, out);
	}
	if (svc_est_act(req_op(r), req_path_number(r), req_path_number2(r), a,
			size[0], &v, &e))
		return http_error(&e, out);
	return reply(r, &v, 200, out);
}

int api_est_vote(struct req *r, json_t **out) { return act(r, EST_VOTE, out); }
int api_est_reveal(struct req *r, json_t **out) { return act(r, EST_REVEAL, out); }
int api_est_revote(struct req *r, json_t **out) { return act(r, EST_REVOTE, out); }
int api_est_final(struct req *r, json_t **out) { return act(r, EST_FINAL, out); }

int api_est_history(struct req *r, json_t **out)
{
	struct err e;
	struct history_list h;
	err_clear(&e);
	if (svc_est_history(req_op(r), req_path_number(r), &h, &e))
		return http_error(&e, out);
	*out = history_items_json(&h);
	return *out ? 200 : 500;
}
