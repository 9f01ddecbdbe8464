/*
 * view_json.c — saved views as JSON (view_json.h).
 */
#include "service/view_json.h"

#include <string.h>

#include "service/issue_json.h"

static json_t *columns(const char *list)
{
	json_t *a = json_array();
	for (int k = 0; a && k < view_column_count; k++) {
		const char *key = view_column_keys[k];
		size_t n = strlen(key);
		const char *p = list;
		int on = !*list; /* "": every column */
		while (!on && (p = strstr(p, key)))
			if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
				on = 1;
			else
				p += n;
		if (on)
			json_array_append_new(a, json_string(key));
	}
	return a;
}

json_t *saved_view_to_json(const struct saved_view *v, const struct user *reader, int counts)
{
	int mine = reader && v->owner_id == reader->id;
	int editable = mine || (v->shared && svc_may(reader, P_ADMIN));
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:s,s:b,s:b,s:o,s:o}", "id",
			      (json_int_t)v->id, "name", v->name, "query", v->query, "sort", v->sort,
			      "columns", columns(v->columns), "shared", v->shared, "owner", v->owner,
			      "mine", mine, "editable", editable, "created_at", json_time(v->created_at),
			      "updated_at", json_time(v->updated_at));
	if (o && counts) {
		json_object_set_new(o, "count",
				    v->count_error ? json_null() : json_integer(v->count));
		json_object_set_new(o, "count_capped", json_boolean(v->count_capped));
	}
	return o;
}

json_t *saved_views_to_json(const struct saved_view *v, size_t n, const struct user *reader,
			    int counts)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < n; k++)
		if (json_array_append_new(a, saved_view_to_json(&v[k], reader, counts))) {
			json_decref(a);
			return NULL;
		}
	return a;
}
