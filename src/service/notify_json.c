/*
 * notify_json.c — notifications and watchers as JSON (notify_json.h).
 */
#include "service/notify_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/issue_json.h"

/* The fields a change notification names: detail "closed;state,priority"
 * (";" and the list; older rows have the state alone). */
static json_t *changes(const struct notification *x)
{
	const char *semi = strchr(x->detail, ';');
	json_t *a;
	if (strcmp(x->kind, "state") && strcmp(x->kind, "changed"))
		return json_null();
	if (!(a = json_array()))
		return NULL;
	if (!semi) /* before the list was kept */
		json_array_append_new(a, json_string("state"));
	for (const char *p = semi ? semi + 1 : ""; *p;) {
		size_t len = strcspn(p, ",");
		json_array_append_new(a, json_stringn(p, len));
		p += len + (p[len] == ',');
	}
	return a;
}

static json_t *one(const struct notification *x)
{
	int comment = !strcmp(x->kind, "comment") || !strcmp(x->kind, "mention");
	char state[16];
	snprintf(state, sizeof state, "%.*s", (int)strcspn(x->detail, ";"), x->detail);
	return json_pack("{s:I,s:s,s:{s:I,s:s},s:o,s:o,s:b,s:o,s:o,s:o,s:o}", "id", (json_int_t)x->id,
			 "kind", x->kind, "issue", "number", (json_int_t)x->issue_number, "title",
			 x->title, "actor", x->actor[0] ? json_string(x->actor) : json_null(), "at",
			 json_time(x->at), "read", x->read_at != 0, "read_at", json_time(x->read_at),
			 "comment",
			 comment && x->detail[0] ? json_integer(strtoll(x->detail, NULL, 10))
						 : json_null(),
			 "state", !strcmp(x->kind, "state") ? json_string(state) : json_null(), "changes",
			 changes(x));
}

json_t *notifications_to_json(const struct notification *x, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < n; k++)
		if (json_array_append_new(a, one(&x[k]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *watch_state_to_json(const struct watch_state *w)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < w->n; k++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:o}", "login", w->list[k].user.login,
						   "name", w->list[k].user.name, "since",
						   json_time(w->list[k].since)));
	return a ? json_pack("{s:b,s:I,s:o}", "watching", w->watching, "count", (json_int_t)w->n,
			     "watchers", a)
		 : NULL;
}
