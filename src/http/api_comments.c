/*
 * api_comments.c — comments on issues, their history, and the issues that
 * mention an issue (docs/API.md, "Comments").  Parse the request, call the
 * service, shape the reply; the rules are in service/svc_comment.c.
 */
#include <stdlib.h>

#include "http/http.h"
#include "service/comment_json.h"
#include "service/issue_json.h"
#include "service/service.h"

/* The one comment of a reply, with its ETag (and Location when created). */
static int reply_comment(struct req *r, struct comment *c, int status, json_t **out)
{
	req_set_version(r, c->version, status == 201, "/api/v1/comments", c->id);
	*out = comment_to_json(c);
	comment_release(c);
	return *out ? status : 500;
}

/* The body of a write: {"body": "..."} and nothing else. */
static int comment_body(struct req *r, const char **body, struct err *e)
{
	static const char *const keys[] = {"body"};
	return req_json_strings(r, keys, 1, body, e);
}

int api_issue_comments(struct req *r, json_t **out)
{
	struct err e;
	struct comment_list l;
	err_clear(&e);
	if (svc_comment_list(req_op(r), req_path_number(r), &l, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o}", "items", comment_list_to_json(&l));
	comment_list_release(&l);
	return *out ? 200 : 500;
}

int api_issue_comment_add(struct req *r, json_t **out)
{
	struct err e;
	struct comment c;
	const char *body;
	err_clear(&e);
	if (comment_body(r, &body, &e) || svc_comment_add(req_op(r), req_path_number(r), body, &c, &e))
		return http_error(&e, out);
	return reply_comment(r, &c, 201, out);
}

int api_comment_get(struct req *r, json_t **out)
{
	struct err e;
	struct comment c;
	err_clear(&e);
	if (svc_comment_get(req_op(r), req_path_number(r), &c, &e))
		return http_error(&e, out);
	return reply_comment(r, &c, 200, out);
}

int api_comment_patch(struct req *r, json_t **out)
{
	struct err e;
	struct comment c;
	const char *body;
	int64_t if_match;
	err_clear(&e);
	if (http_if_match(r, 0, &if_match, &e) || comment_body(r, &body, &e) ||
	    svc_comment_edit(req_op(r), req_path_number(r), body, if_match, &c, &e))
		return http_error(&e, out);
	return reply_comment(r, &c, 200, out);
}

int api_comment_delete(struct req *r, json_t **out)
{
	struct err e;
	int64_t if_match;
	err_clear(&e);
	if (http_if_match(r, 0, &if_match, &e) ||
	    svc_comment_delete(req_op(r), req_path_number(r), if_match, &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

int api_comment_history(struct req *r, json_t **out)
{
	struct err e;
	struct history_list h;
	err_clear(&e);
	if (svc_comment_history(req_op(r), req_path_number(r), &h, &e))
		return http_error(&e, out);
	*out = history_items_json(&h);
	return *out ? 200 : 500;
}

int api_issue_references(struct req *r, json_t **out)
{
	struct err e;
	struct back_ref *b;
	size_t n;
	err_clear(&e);
	if (svc_issue_back_refs(req_op(r), req_path_number(r), &b, &n, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o}", "items", back_refs_to_json(b, n));
	free(b);
	return *out ? 200 : 500;
}
