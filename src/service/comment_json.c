/*
 * comment_json.c — comments and back-references as JSON (comment_json.h).
 */
#include "service/comment_json.h"

#include "service/issue_json.h"

static json_t *login_or_null(const char *login)
{
	return login[0] ? json_string(login) : json_null();
}

json_t *comment_to_json(const struct comment *c)
{
	json_t *o = json_object(), *mentions = json_array(), *refs = json_array();
	if (!o || !mentions || !refs) {
		json_decref(o);
		json_decref(mentions);
		json_decref(refs);
		return NULL;
	}
	for (size_t k = 0; k < c->nmentions; k++)
		json_array_append_new(mentions, json_string(c->mentions[k]));
	for (size_t k = 0; k < c->nrefs; k++)
		json_array_append_new(refs, json_pack("{s:I,s:s}", "number", (json_int_t)c->refs[k].number,
						      "title", c->refs[k].title));
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "issue", json_integer(c->issue_number));
	json_object_set_new(o, "author", login_or_null(c->author));
	json_object_set_new(o, "body", json_string(c->body ? c->body : ""));
	json_object_set_new(o, "body_html", json_string(c->body_html ? c->body_html : ""));
	json_object_set_new(o, "created_at", json_time(c->created_at));
	json_object_set_new(o, "updated_at", json_time(c->updated_at));
	json_object_set_new(o, "edited", json_boolean(c->edits > 0));
	json_object_set_new(o, "edits", json_integer(c->edits));
	json_object_set_new(o, "deleted", json_boolean(c->deleted_at != 0));
	json_object_set_new(o, "deleted_by", login_or_null(c->deleted_by));
	json_object_set_new(o, "deleted_at", json_time(c->deleted_at));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "mentions", mentions);
	json_object_set_new(o, "references", refs);
	return o;
}

json_t *comment_list_to_json(const struct comment_list *l)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < l->n; k++)
		json_array_append_new(a, comment_to_json(&l->items[k]));
	return a;
}

json_t *back_refs_to_json(const struct back_ref *b, size_t n)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < n; k++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:o,s:o,s:o}", "number",
						   (json_int_t)b[k].number, "title", b[k].title,
						   "comment", b[k].comment_id ? json_integer(b[k].comment_id)
									      : json_null(),
						   "author", login_or_null(b[k].author), "at",
						   json_time(b[k].at)));
	return a;
}
