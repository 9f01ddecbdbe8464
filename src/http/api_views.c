/*
 * api_views.c — saved views of the issue list (docs/API.md, "Saved
 * views").  Parse the request, call the service, shape the reply; the
 * sharing rules are in service/svc_view.c.
 */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/service.h"
#include "service/view_json.h"

#define COLUMNS_MAX 16

int api_views_list(struct req *r, json_t **out)
{
	struct err e;
	struct saved_view *v;
	size_t n;
	int64_t counts;
	err_clear(&e);
	if (http_int_arg(r, "counts", 0, &counts, &e))
		return http_error(&e, out);
	if (counts != 0 && counts != 1) {
		err_set(&e, CAIRN_EINVALID, "counts", "counts must be 0 or 1");
		return http_error(&e, out);
	}
	if (svc_views_list(req_op(r), (int)counts, &v, &n, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o}", "items", saved_views_to_json(v, n, req_op(r)->actor, (int)counts));
	free(v);
	return *out ? 200 : 500;
}

/* {name, query, sort: string, columns: [string], shared: bool}; any may
 * be left out; nothing else.  Types only: the service checks the rest. */
static int read_body(struct req *r, struct view_input *in, char **cols, struct err *e)
{
	json_t *b = req_json(r, e), *v;
	const char *key;
	memset(in, 0, sizeof *in);
	in->ncolumns = -1;
	in->shared = -1;
	in->columns = cols;
	if (!b)
		return e->code;
	json_object_foreach(b, key, v) {
		if (!strcmp(key, "name") || !strcmp(key, "query") || !strcmp(key, "sort")) {
			if (!json_is_string(v))
				return err_set(e, CAIRN_EINVALID, key, "%s must be a string", key);
			*(!strcmp(key, "name")	  ? &in->name
			  : !strcmp(key, "query") ? &in->query
						  : &in->sort) = json_string_value(v);
		} else if (!strcmp(key, "shared")) {
			if (!json_is_boolean(v))
				return err_set(e, CAIRN_EINVALID, key, "shared must be true or false");
			in->shared = json_is_true(v);
		} else if (!strcmp(key, "columns")) {
			size_t k;
			json_t *c;
			if (!json_is_array(v) || json_array_size(v) > COLUMNS_MAX)
				return err_set(e, CAIRN_EINVALID, key,
					       "columns must be a list of column names");
			in->ncolumns = 0;
			json_array_foreach(v, k, c) {
				if (!json_is_string(c))
					return err_set(e, CAIRN_EINVALID, key,
						       "columns must be a list of column names");
				cols[in->ncolumns++] = (char *)json_string_value(c);
			}
		} else {
			return err_set(e, CAIRN_EINVALID, key, "unknown field %s", key);
		}
	}
	return 0;
}

static int save(struct req *r, int64_t id, json_t **out)
{
	struct err e;
	struct view_input in;
	struct saved_view v;
	char *cols[COLUMNS_MAX];
	err_clear(&e);
	if (read_body(r, &in, cols, &e) || svc_view_save(req_op(r), id, &in, &v, &e))
		return http_error(&e, out);
	*out = saved_view_to_json(&v, req_op(r)->actor, 0);
	return *out ? (id ? 200 : 201) : 500;
}

int api_views_create(struct req *r, json_t **out)
{
	return save(r, 0, out);
}

int api_view_patch(struct req *r, json_t **out)
{
	return save(r, req_path_number(r), out);
}

int api_view_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_view_delete(req_op(r), req_path_number(r), &e))
		return http_error(&e, out);
	*out = json_pack("{s:b}", "deleted", 1);
	return *out ? 200 : 500;
}
