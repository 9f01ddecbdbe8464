/*
 * api_changelog.c — changelog entries, their review and files, closing the
 * loop, a milestone's checklist and release notes, notification hooks
 * (docs/API.md, "Releases").  Parse the request, call the service, shape
 * the reply; the rules are in service/svc_changelog.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/changelog_json.h"
#include "service/issue_json.h"
#include "service/service.h"

/* The strings of a JSON array field (borrowed from the request). */
#define LIST_CAP 64
struct str_list {
	const char *v[LIST_CAP];
	char nums[LIST_CAP][24]; /* numbers given as JSON integers */
	size_t n;
};

static int str_array(json_t *a, const char *field, int numbers_ok, struct str_list *out,
		     struct err *e)
{
	size_t k;
	json_t *v;
	out->n = 0;
	if (!json_is_array(a))
		return err_set(e, CAIRN_EINVALID, field, "%s must be an array", field);
	if (json_array_size(a) > LIST_CAP)
		return err_set(e, CAIRN_EINVALID, field, "%s has too many items", field);
	json_array_foreach(a, k, v)
	{
		if (json_is_string(v)) {
			out->v[out->n++] = json_string_value(v);
		} else if (numbers_ok && json_is_integer(v)) {
			snprintf(out->nums[out->n], sizeof out->nums[out->n], "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			out->v[out->n] = out->nums[out->n];
			out->n++;
		} else {
			return err_set(e, CAIRN_EINVALID, field, "%s must hold only strings", field);
		}
	}
	return 0;
}

struct entry_body {
	struct cl_input in;
	struct str_list authors, tags, issues;
	char milestone[24];
};

/* The fields of a create/update body into b->in. */
static int parse_entry(struct req *r, struct entry_body *b, struct err *e)
{
	static const struct text_member strings[] = {
		{"title", CL_IN_TITLE, offsetof(struct cl_input, title)},
		{"description", CL_IN_DESCRIPTION, offsetof(struct cl_input, description)},
		{"body", CL_IN_BODY, offsetof(struct cl_input, body)},
		{"date", CL_IN_DATE, offsetof(struct cl_input, date)},
		{"slug", CL_IN_SLUG, offsetof(struct cl_input, slug)}};
	const char *key;
	json_t *v;
	memset(b, 0, sizeof *b);
	json_t *o = req_json(r, e);
	if (!o)
		return e->code;
	json_object_foreach(o, key, v)
	{
		int rc = json_text_member(strings, sizeof strings / sizeof strings[0], key, v, &b->in,
					  &b->in.set, e);
		if (rc < 0)
			return -rc;
		if (rc)
			continue;
		if (!strcmp(key, "milestone")) {
			if (json_is_integer(v))
				snprintf(b->milestone, sizeof b->milestone, "%" JSON_INTEGER_FORMAT,
					 json_integer_value(v));
			else if (!json_is_null(v))
				return err_set(e, CAIRN_EINVALID, key, "milestone must be a milestone id");
			b->in.set |= CL_IN_MILESTONE;
			b->in.milestone = json_is_null(v) ? NULL : b->milestone;
		} else if (!strcmp(key, "authors")) {
			if (str_array(v, key, 0, &b->authors, e))
				return e->code;
			b->in.set |= CL_IN_AUTHORS;
		} else if (!strcmp(key, "tags")) {
			if (str_array(v, key, 0, &b->tags, e))
				return e->code;
			b->in.set |= CL_IN_TAGS;
		} else if (!strcmp(key, "issues")) {
			if (str_array(v, key, 1, &b->issues, e))
				return e->code;
			b->in.set |= CL_IN_ISSUES;
		} else {
			return err_set(e, CAIRN_EINVALID, key, "unknown field '%s'", key);
		}
	}
	b->in.authors = b->authors.v;
	b->in.nauthors = b->authors.n;
	b->in.tags = b->tags.v;
	b->in.ntags = b->tags.n;
	b->in.issues = b->issues.v;
	b->in.nissues = b->issues.n;
	return 0;
}

/* The entry as the reply, with its ETag; releases r. */
static int reply_entry(struct req *r, struct changelog_row *row, int status, json_t **out)
{
	req_set_version(r, row->version, status == 201, "/api/v1/changelog", row->id);
	*out = cl_row_to_json(row, 1);
	changelog_row_release(row);
	return *out ? status : 500;
}

int api_changelog_list(struct req *r, json_t **out)
{
	struct err e;
	struct changelog_list l;
	int64_t page, per_page, milestone, total = 0;
	err_clear(&e);
	if (http_int_arg(r, "page", 1, &page, &e) ||
	    http_int_arg(r, "per_page", PER_PAGE_DEFAULT, &per_page, &e) ||
	    http_int_arg(r, "milestone", 0, &milestone, &e) ||
	    svc_cl_list(req_op(r), req_arg(r, "state"), milestone, page, per_page, &l,
			&total, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o,s:I,s:I,s:I}", "items", cl_list_to_json(&l), "total",
			 (json_int_t)total, "page", (json_int_t)page, "per_page", (json_int_t)per_page);
	changelog_list_release(&l);
	return 200;
}

int api_changelog_create(struct req *r, json_t **out)
{
	struct err e;
	struct entry_body b;
	struct changelog_row row;
	err_clear(&e);
	if (parse_entry(r, &b, &e) || svc_cl_create(req_op(r), &b.in, &row, &e))
		return http_error(&e, out);
	return reply_entry(r, &row, 201, out);
}

int api_changelog_get(struct req *r, json_t **out)
{
	struct err e;
	struct changelog_row row;
	err_clear(&e);
	if (svc_cl_get(req_op(r), req_path_number(r), &row, &e))
		return http_error(&e, out);
	return reply_entry(r, &row, 200, out);
}

int api_changelog_patch(struct req *r, json_t **out)
{
	struct err e;
	struct entry_body b;
	struct changelog_row row;
	int64_t if_match;
	err_clear(&e);
	if (http_if_match(r, 0, &if_match, &e) || parse_entry(r, &b, &e) ||
	    svc_cl_update(req_op(r), req_path_number(r), &b.in, if_match, &row, &e))
		return http_error(&e, out);
	return reply_entry(r, &row, 200, out);
}

int api_changelog_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_cl_delete(req_op(r), req_path_number(r), &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

static const char *base_url(struct req *r, const struct cl_config *cfg, char *buf, size_t cap)
{
	if (cfg->public_url[0]) {
		snprintf(buf, cap, "%s", cfg->public_url);
	} else {
		const char *host = req_header(r, "Host");
		const char *proto = req_header(r, "X-Forwarded-Proto");
		int ok = host && *host && !strpbrk(host, " \"<>\\'\r\n") && strlen(host) < 200;
		snprintf(buf, cap, "%s://%s", proto && !strcmp(proto, "https") ? "https" : "http",
			 ok ? host : "localhost");
	}
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return buf;
}

/* The "who to tell" list of an entry as the reply. */
static int reply_tell(struct req *r, int64_t id, struct cl_tell_list *t, json_t **out)
{
	struct err e;
	struct changelog_row row;
	struct cl_config cfg;
	char base[300];
	err_clear(&e);
	if (svc_cl_get(req_op(r), id, &row, &e) ||
	    svc_cl_config(req_op(r), &cfg, &e)) {
		cl_tell_release(t);
		return http_error(&e, out);
	}
	*out = cl_tell_to_json(t, &row, base_url(r, &cfg, base, sizeof base));
	changelog_row_release(&row);
	cl_tell_release(t);
	return 200;
}

int api_changelog_state(struct req *r, json_t **out)
{
	static const char *const keys[] = {"state"};
	const char *v[1];
	struct err e;
	struct changelog_row row;
	int64_t if_match;
	err_clear(&e);
	if (http_if_match(r, 0, &if_match, &e) || req_json_strings(r, keys, 1, v, &e) ||
	    svc_cl_transition(req_op(r), req_path_number(r), v[0], if_match, &row,
			      &e))
		return http_error(&e, out);
	int published = row.state == CL_PUBLISHED;
	int64_t id = row.id;
	int status = reply_entry(r, &row, 200, out);
	if (published && status == 200) {
		struct cl_tell_list t;
		json_t *tell = NULL;
		if (!svc_cl_tell_list(req_op(r), id, &t, &e) &&
		    reply_tell(r, id, &t, &tell) == 200)
			json_object_set_new(*out, "tell", json_object_get(tell, "customers")
								? json_incref(json_object_get(tell, "customers"))
								: json_array());
		json_decref(tell);
	}
	return status;
}

int api_changelog_history(struct req *r, json_t **out)
{
	struct err e;
	struct history_list h;
	err_clear(&e);
	if (svc_cl_history(req_op(r), req_path_number(r), &h, &e))
		return http_error(&e, out);
	*out = history_items_json(&h);
	return *out ? 200 : 500;
}

int api_changelog_comments(struct req *r, json_t **out)
{
	struct err e;
	struct cl_comment *c;
	size_t n;
	err_clear(&e);
	if (svc_cl_comments(req_op(r), req_path_number(r), &c, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, cl_comment_to_json(&c[k]));
	cl_comments_free(c, n);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_changelog_comment_add(struct req *r, json_t **out)
{
	struct err e;
	const char *key, *body = NULL;
	json_t *v;
	int64_t parent = 0, id;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "body") && json_is_string(v))
			body = json_string_value(v);
		else if (!strcmp(key, "parent") && (json_is_integer(v) || json_is_null(v)))
			parent = json_is_null(v) ? 0 : json_integer_value(v);
		else {
			err_set(&e, CAIRN_EINVALID, key,
				strcmp(key, "body") && strcmp(key, "parent") ? "unknown field '%s'"
									     : "%s has the wrong type",
				key);
			return http_error(&e, out);
		}
	}
	if (svc_cl_comment_add(req_op(r), req_path_number(r), body, parent, &id, &e))
		return http_error(&e, out);
	struct cl_comment *c;
	size_t n;
	if (svc_cl_comments(req_op(r), req_path_number(r), &c, &n, &e))
		return http_error(&e, out);
	for (size_t k = 0; k < n; k++)
		if (c[k].id == id)
			*out = cl_comment_to_json(&c[k]);
	cl_comments_free(c, n);
	return *out ? 201 : 500;
}

int api_changelog_comment_patch(struct req *r, json_t **out)
{
	struct err e;
	const char *key;
	json_t *v;
	int resolved = -1;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "resolved") && json_is_boolean(v))
			resolved = json_is_true(v);
		else {
			err_set(&e, CAIRN_EINVALID, key,
				strcmp(key, "resolved") ? "unknown field '%s'" : "%s must be true or false",
				key);
			return http_error(&e, out);
		}
	}
	if (resolved < 0) {
		err_set(&e, CAIRN_EINVALID, "resolved", "send {\"resolved\": true|false}");
		return http_error(&e, out);
	}
	int64_t cid = req_path_number2(r);
	if (svc_cl_comment_resolve(req_op(r), req_path_number(r), cid, resolved, &e))
		return http_error(&e, out);
	struct cl_comment *c;
	size_t n;
	if (svc_cl_comments(req_op(r), req_path_number(r), &c, &n, &e))
		return http_error(&e, out);
	for (size_t k = 0; k < n; k++)
		if (c[k].id == cid)
			*out = cl_comment_to_json(&c[k]);
	cl_comments_free(c, n);
	return *out ? 200 : 500;
}

int api_changelog_export(struct req *r, json_t **out)
{
	struct err e;
	char *text, name[128], disp[200];
	err_clear(&e);
	if (svc_cl_export(req_op(r), req_path_number(r), &text, name, sizeof name,
			  &e))
		return http_error(&e, out);
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	req_set_header(r, "Content-Disposition", disp);
	req_set_text(r, "text/markdown; charset=utf-8", text, strlen(text));
	free(text);
	*out = NULL;
	return 200;
}

int api_changelog_import(struct req *r, json_t **out)
{
	struct err e;
	struct cl_import_result res;
	struct cl_file files[256];
	size_t n = 0, k;
	json_t *f;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_t *a = json_object_get(o, "files");
	if (json_object_size(o) != 1 || !json_is_array(a)) {
		err_set(&e, CAIRN_EINVALID, "files", "send {\"files\":[{\"name\",\"content\"}...]}");
		return http_error(&e, out);
	}
	if (json_array_size(a) > sizeof files / sizeof files[0]) {
		err_set(&e, CAIRN_EINVALID, "files", "at most %zu files a request",
			sizeof files / sizeof files[0]);
		return http_error(&e, out);
	}
	json_array_foreach(a, k, f)
	{
		json_t *name = json_object_get(f, "name"), *content = json_object_get(f, "content");
		if (!json_is_string(name) || !json_is_string(content) || json_object_size(f) != 2) {
			err_set(&e, CAIRN_EINVALID, "files",
				"files[%zu] must be {\"name\": \"...\", \"content\": \"...\"}", k);
			return http_error(&e, out);
		}
		files[n++] = (struct cl_file){json_string_value(name), json_string_value(content),
					      json_string_length(content), 0};
	}
	if (svc_cl_import(req_op(r), files, n, &res, &e))
		return http_error(&e, out);
	json_t *imported = json_array(), *skipped = json_array(), *errors = json_array();
	for (k = 0; k < res.n; k++) {
		const struct cl_import_item *it = &res.items[k];
		if (it->id)
			json_array_append_new(imported, json_pack("{s:s,s:I,s:s}", "file", it->file, "id",
								  (json_int_t)it->id, "slug", it->slug));
		else if (it->slug[0])
			json_array_append_new(skipped, json_pack("{s:s,s:s,s:s}", "file", it->file,
								 "slug", it->slug, "reason",
								 it->message));
		else
			json_array_append_new(errors, json_pack("{s:s,s:i,s:s}", "file", it->file, "line",
								it->line, "message", it->message));
	}
	cl_import_result_free(&res);
	*out = json_pack("{s:o,s:o,s:o}", "imported", imported, "skipped", skipped, "errors", errors);
	return 200;
}

int api_changelog_tell_get(struct req *r, json_t **out)
{
	struct err e;
	struct cl_tell_list t;
	err_clear(&e);
	if (svc_cl_tell_list(req_op(r), req_path_number(r), &t, &e))
		return http_error(&e, out);
	return reply_tell(r, req_path_number(r), &t, out);
}

int api_changelog_tell_post(struct req *r, json_t **out)
{
	struct err e;
	struct cl_tell_list t;
	int64_t ids[64];
	size_t n = 0, k;
	json_t *v;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_t *a = json_object_get(o, "customers");
	if (json_object_size(o) > 1 || (json_object_size(o) == 1 && !json_is_array(a)) ||
	    json_array_size(a) > 64) {
		err_set(&e, CAIRN_EINVALID, "customers", "send {\"customers\": [customer ids]}");
		return http_error(&e, out);
	}
	json_array_foreach(a, k, v)
	{
		if (!json_is_integer(v)) {
			err_set(&e, CAIRN_EINVALID, "customers", "customers must be customer ids");
			return http_error(&e, out);
		}
		ids[n++] = json_integer_value(v);
	}
	if (a && n == 0) {
		err_set(&e, CAIRN_EINVALID, "customers", "name at least one customer (or leave it out for all)");
		return http_error(&e, out);
	}
	if (svc_cl_tell(req_op(r), req_path_number(r), ids, n, &t, &e))
		return http_error(&e, out);
	return reply_tell(r, req_path_number(r), &t, out);
}

int api_milestone_changelog(struct req *r, json_t **out)
{
	struct err e;
	struct cl_checklist c;
	err_clear(&e);
	if (svc_cl_checklist(req_op(r), req_path_number(r), &c, &e))
		return http_error(&e, out);
	*out = cl_checklist_to_json(&c);
	cl_checklist_release(&c);
	return 200;
}

int api_milestone_changelog_draft(struct req *r, json_t **out)
{
	struct err e;
	struct changelog_list created;
	int64_t existing;
	size_t len;
	err_clear(&e);
	req_body(r, &len);
	if (len) {
		json_t *o = req_json(r, &e);
		if (!o)
			return http_error(&e, out);
		if (json_object_size(o)) {
			err_set(&e, CAIRN_EINVALID, NULL, "this takes no fields");
			return http_error(&e, out);
		}
	}
	if (svc_cl_milestone_draft(req_op(r), req_path_number(r), &created, &existing,
				   &e))
		return http_error(&e, out);
	*out = json_pack("{s:o,s:I}", "created", cl_list_to_json(&created), "existing",
			 (json_int_t)existing);
	changelog_list_release(&created);
	return 200;
}

int api_milestone_release_notes(struct req *r, json_t **out)
{
	struct err e;
	struct cl_notes n;
	const char *format = req_arg(r, "format");
	err_clear(&e);
	if (format && strcmp(format, "markdown") && strcmp(format, "json")) {
		err_set(&e, CAIRN_EINVALID, "format", "format must be markdown or json");
		return http_error(&e, out);
	}
	if (svc_cl_notes(req_op(r), req_path_number(r), &n, &e))
		return http_error(&e, out);
	if (format && !strcmp(format, "markdown")) {
		char *md = cl_notes_markdown(&n);
		cl_notes_release(&n);
		if (!md)
			return 500;
		req_set_text(r, "text/markdown; charset=utf-8", md, strlen(md));
		free(md);
		*out = NULL;
		return 200;
	}
	*out = cl_notes_to_json(&n);
	cl_notes_release(&n);
	return 200;
}

/* ---- hooks ------------------------------------------------------------------------------ */

int api_hooks_list(struct req *r, json_t **out)
{
	struct err e;
	struct hook *h;
	size_t n;
	err_clear(&e);
	if (svc_hook_list(req_op(r), &h, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, hook_to_json(&h[k]));
	free(h);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_hooks_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"url", "secret"};
	const char *v[2];
	struct err e;
	struct hook h;
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e) ||
	    svc_hook_add(req_op(r), v[0], v[1], &h, &e))
		return http_error(&e, out);
	*out = hook_to_json(&h);
	return 201;
}

int api_hook_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_hook_delete(req_op(r), req_path_number(r), &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

int api_hook_deliveries(struct req *r, json_t **out)
{
	struct err e;
	struct hook_delivery *d;
	size_t n;
	err_clear(&e);
	if (svc_hook_deliveries(req_op(r), &d, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, hook_delivery_to_json(&d[k]));
	hook_deliveries_free(d, n);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}
