/*
 * api_notify.c — the notification inbox and watching an issue
 * (docs/API.md, "Notifications").  Parse the request, call the service,
 * shape the reply; the rules are in service/svc_notify.c.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/notify_json.h"
#include "service/service.h"

#define READ_IDS_MAX 500 /* ids one POST /notifications/read may name */

int api_notifications(struct req *r, json_t **out)
{
	struct err e;
	struct notification *x;
	size_t n;
	int more;
	int64_t page, unread_only, unread;
	err_clear(&e);
	if (http_int_arg(r, "page", 1, &page, &e) || http_int_arg(r, "unread", 0, &unread_only, &e))
		return http_error(&e, out);
	if (unread_only != 0 && unread_only != 1) {
		err_set(&e, CAIRN_EINVALID, "unread", "unread must be 0 or 1");
		return http_error(&e, out);
	}
	if (svc_notify_list(req_op(r), (int)unread_only, page, &x, &n, &more, &unread, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o,s:I,s:I,s:b}", "items", notifications_to_json(x, n), "unread",
			 (json_int_t)unread, "page", (json_int_t)page, "more", more);
	free(x);
	return *out ? 200 : 500;
}

int api_notifications_count(struct req *r, json_t **out)
{
	struct err e;
	int64_t unread;
	err_clear(&e);
	if (svc_notify_count(req_op(r), &unread, &e))
		return http_error(&e, out);
	*out = json_pack("{s:I}", "unread", (json_int_t)unread);
	return *out ? 200 : 500;
}

/* {"ids": [positive integers]} or {"all": true}, nothing else. */
static int read_body(struct req *r, int64_t *ids, size_t *n, int *all, struct err *e)
{
	json_t *b = req_json(r, e), *v;
	const char *key;
	*n = 0;
	*all = 0;
	if (!b)
		return CAIRN_EINVALID;
	json_object_foreach(b, key, v) {
		if (!strcmp(key, "all")) {
			if (!json_is_boolean(v))
				return err_set(e, CAIRN_EINVALID, "all", "all must be true or false");
			*all = json_is_true(v);
		} else if (!strcmp(key, "ids")) {
			size_t k;
			json_t *id;
			if (!json_is_array(v) || json_array_size(v) > READ_IDS_MAX)
				return err_set(e, CAIRN_EINVALID, "ids",
					       "ids must be a list of at most %d notification ids",
					       READ_IDS_MAX);
			json_array_foreach(v, k, id) {
				if (!json_is_integer(id) || json_integer_value(id) < 1)
					return err_set(e, CAIRN_EINVALID, "ids",
						       "ids must be positive integers");
				ids[(*n)++] = json_integer_value(id);
			}
		} else {
			return err_set(e, CAIRN_EINVALID, key, "unknown field %s", key);
		}
	}
	if (!*all && !*n)
		return err_set(e, CAIRN_EINVALID, "ids", "name the ids to mark read, or all: true");
	return 0;
}

int api_notifications_read(struct req *r, json_t **out)
{
	struct err e;
	int64_t *ids = malloc(READ_IDS_MAX * sizeof *ids), unread = 0;
	size_t n;
	int all;
	err_clear(&e);
	if (!ids)
		return 500;
	if (read_body(r, ids, &n, &all, &e) || svc_notify_read(req_op(r), ids, n, all, &unread, &e)) {
		free(ids);
		return http_error(&e, out);
	}
	free(ids);
	*out = json_pack("{s:I}", "unread", (json_int_t)unread);
	return *out ? 200 : 500;
}

static int reply_watch(struct watch_state *w, json_t **out)
{
	*out = watch_state_to_json(w);
	watch_state_release(w);
	return *out ? 200 : 500;
}

int api_issue_watchers(struct req *r, json_t **out)
{
	struct err e;
	struct watch_state w;
	err_clear(&e);
	if (svc_watchers(req_op(r), req_path_number(r), &w, &e))
		return http_error(&e, out);
	return reply_watch(&w, out);
}

static int watch(struct req *r, int on, json_t **out)
{
	struct err e;
	struct watch_state w;
	err_clear(&e);
	if (svc_watch(req_op(r), req_path_number(r), on, &w, &e))
		return http_error(&e, out);
	return reply_watch(&w, out);
}

int api_issue_watch(struct req *r, json_t **out)
{
	return watch(r, 1, out);
}

int api_issue_unwatch(struct req *r, json_t **out)
{
	return watch(r, 0, out);
}
