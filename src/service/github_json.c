/*
 * github_json.c — the GitHub integration as JSON (github_json.h).
 */
#include "service/github_json.h"

#include "service/issue_json.h"

json_t *gh_repo_to_json(const struct gh_repo *r)
{
	return json_pack("{s:I,s:s,s:o,s:o,s:b,s:b,s:s,s:o,s:o}", "id", (json_int_t)r->id,
			 "full_name", r->full_name, "github_id",
			 r->gh_id ? json_integer(r->gh_id) : json_null(), "area",
			 r->area_id ? json_pack("{s:I,s:s}", "id", (json_int_t)r->area_id, "name", r->area)
				    : json_null(),
			 "has_secret", r->secret[0] != 0, "has_token", r->token[0] != 0, "webhook_path",
			 "/hooks/github", "created_at", json_time(r->created_at), "updated_at",
			 json_time(r->updated_at));
}

json_t *gh_logins_to_json(const struct gh_login *l, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < n; k++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "github", l[k].login, "user", l[k].user));
	return a;
}

json_t *gh_delivery_to_json(const struct gh_delivery *d)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o}", "id", (json_int_t)d->id, "guid",
			 d->guid, "repository", d->repository, "event", d->event, "action", d->action,
			 "result", d->result, "message", d->message, "attempts", d->attempts,
			 "received_at", json_time(d->received_at), "processed_at",
			 json_time(d->processed_at));
}

json_t *gh_result_to_json(const struct gh_result *r)
{
	return json_pack("{s:s,s:o}", "result", r->result, "delivery",
			 r->delivery ? json_integer(r->delivery) : json_null());
}

json_t *gh_import_to_json(const struct gh_import_result *r)
{
	json_t *errors = json_array();
	for (size_t k = 0; errors && k < r->nerrors; k++)
		json_array_append_new(errors, json_pack("{s:o,s:I,s:s}", "number",
							r->errors[k].number ? json_integer(r->errors[k].number)
									    : json_null(),
							"index", (json_int_t)r->errors[k].index,
							"message", r->errors[k].message));
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:o}", "repository", r->repo, "total",
			 (json_int_t)r->total, "pull_requests", (json_int_t)r->pulls, "created",
			 (json_int_t)r->created, "updated", (json_int_t)r->updated, "errors", errors);
}

json_t *gh_link_to_json(const struct gh_link *l)
{
	if (!l->issue_id)
		return json_null();
	return json_pack("{s:s,s:I,s:s,s:b}", "repository", l->repo, "number",
			 (json_int_t)l->gh_number, "url", l->url, "deleted", l->deleted_at != 0);
}

json_t *gh_call_to_json(const struct gh_call *c)
{
	static const char *const states[] = {"pending", "done", "failed"};
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:s,s:o,s:o}", "id", (json_int_t)c->id,
			 "repository", c->repo, "kind", c->kind, "method", c->method, "path", c->path,
			 "state", states[c->state >= 0 && c->state <= 2 ? c->state : 0], "attempts",
			 c->attempts, "status", c->status ? json_integer(c->status) : json_null(),
			 "error", c->error, "next_at", c->state == 0 ? json_time(c->next_at) : json_null(),
			 "updated_at", json_time(c->updated_at));
}

json_t *gh_issue_view_to_json(const struct gh_issue_view *v)
{
	const char *sync = !v->link.issue_id ? "none"
			   : v->calls[2]    ? "failed"
			   : v->calls[0]    ? "pending"
			   : v->calls[1]    ? "synced"
					    : "none";
	return json_pack("{s:o,s:s,s:I,s:I}", "link", gh_link_to_json(&v->link), "sync", sync,
			 "pending", (json_int_t)v->calls[0], "failed", (json_int_t)v->calls[2]);
}
