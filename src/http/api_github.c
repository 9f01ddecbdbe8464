/*
 * api_github.c — the GitHub integration over HTTP: the webhook receiver
 * (POST /hooks/github, authenticated by its signature, not a session) and
 * the admin's repositories, login mapping and delivery log.
 */
#include <string.h>

#include "http/http.h"
#include "service/github_json.h"

int api_gh_hook(struct req *r, json_t **out)
{
	struct err e;
	struct gh_result res;
	size_t len;
	err_clear(&e);
	const char *body = req_body(r, &len);
	if (svc_gh_receive(req_op(r), req_header(r, "X-GitHub-Event"),
			   req_header(r, "X-GitHub-Delivery"), req_header(r, "X-Hub-Signature-256"),
			   body, len, &res, &e))
		return http_error(&e, out);
	*out = gh_result_to_json(&res);
	return res.status;
}

/* {full_name, secret, token, area}: strings, area an id or null. */
static int repo_input(struct req *r, struct gh_repo_input *in, struct err *e)
{
	static const struct {
		const char *name;
		unsigned bit;
	} keys[] = {{"full_name", GH_IN_FULL_NAME}, {"secret", GH_IN_SECRET}, {"token", GH_IN_TOKEN}};
	json_t *o = req_json(r, e), *v;
	const char *k;
	memset(in, 0, sizeof *in);
	if (!o)
		return e->code;
	json_object_foreach(o, k, v)
	{
		size_t j;
		if (!strcmp(k, "area")) {
			if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0))
				return err_set(e, CAIRN_EINVALID, "area", "area must be an area id or null");
			in->set |= GH_IN_AREA;
			in->area = json_is_integer(v) ? json_integer_value(v) : 0;
			continue;
		}
		for (j = 0; j < sizeof keys / sizeof keys[0]; j++)
			if (!strcmp(k, keys[j].name))
				break;
		if (j == sizeof keys / sizeof keys[0])
			return err_set(e, CAIRN_EINVALID, k, "unknown field %s", k);
		if (!json_is_string(v) && !(keys[j].bit == GH_IN_TOKEN && json_is_null(v)))
			return err_set(e, CAIRN_EINVALID, k, "%s must be a string", k);
		in->set |= keys[j].bit;
		const char *s = json_string_value(v);
		if (keys[j].bit == GH_IN_FULL_NAME)
			in->full_name = s;
		else if (keys[j].bit == GH_IN_SECRET)
			in->secret = s;
		else
			in->token = s;
	}
	return 0;
}

int api_gh_repos_list(struct req *r, json_t **out)
{
	struct err e;
	struct gh_repo *v;
	size_t n;
	err_clear(&e);
	if (svc_gh_repo_list(req_op(r), &v, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, gh_repo_to_json(&v[k]));
	free(v);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_gh_repos_create(struct req *r, json_t **out)
{
	struct err e;
	struct gh_repo_input in;
	struct gh_repo g;
	err_clear(&e);
	if (repo_input(r, &in, &e) || svc_gh_repo_add(req_op(r), &in, &g, &e))
		return http_error(&e, out);
	*out = gh_repo_to_json(&g);
	return 201;
}

int api_gh_repo_patch(struct req *r, json_t **out)
{
	struct err e;
	struct gh_repo_input in;
	struct gh_repo g;
	err_clear(&e);
	if (repo_input(r, &in, &e) || svc_gh_repo_update(req_op(r), req_path_number(r), &in, &g, &e))
		return http_error(&e, out);
	*out = gh_repo_to_json(&g);
	return 200;
}

int api_gh_repo_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_gh_repo_delete(req_op(r), req_path_number(r), &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

static int logins_reply(struct req *r, json_t **out)
{
	struct err e;
	struct gh_login *l;
	size_t n;
	err_clear(&e);
	if (svc_gh_login_list(req_op(r), &l, &n, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o}", "items", gh_logins_to_json(l, n));
	free(l);
	return 200;
}

int api_gh_logins_list(struct req *r, json_t **out)
{
	return logins_reply(r, out);
}

int api_gh_logins_set(struct req *r, json_t **out)
{
	static const char *const keys[] = {"github", "user"};
	const char *v[2];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e) || svc_gh_login_set(req_op(r), v[0], v[1], &e))
		return http_error(&e, out);
	return logins_reply(r, out);
}

int api_gh_deliveries(struct req *r, json_t **out)
{
	struct err e;
	struct gh_delivery *d;
	size_t n;
	int64_t limit;
	err_clear(&e);
	if (http_int_arg(r, "limit", 50, &limit, &e) ||
	    svc_gh_deliveries(req_op(r), limit, &d, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, gh_delivery_to_json(&d[k]));
	gh_deliveries_free(d, n);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_gh_reprocess(struct req *r, json_t **out)
{
	struct err e;
	struct gh_result res;
	err_clear(&e);
	if (svc_gh_reprocess(req_op(r), req_path_number(r), &res, &e))
		return http_error(&e, out);
	*out = gh_result_to_json(&res);
	return res.status;
}

int api_gh_outbox(struct req *r, json_t **out)
{
	struct err e;
	struct gh_call *c;
	size_t n;
	int64_t limit;
	err_clear(&e);
	if (http_int_arg(r, "limit", 50, &limit, &e) || svc_gh_outbox(req_op(r), limit, &c, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, gh_call_to_json(&c[k]));
	gh_calls_free(c, n);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_issue_github(struct req *r, json_t **out)
{
	struct err e;
	struct gh_issue_view v;
	err_clear(&e);
	if (svc_gh_issue_github(req_op(r), req_path_number(r), &v, &e))
		return http_error(&e, out);
	*out = gh_issue_view_to_json(&v);
	return 200;
}
