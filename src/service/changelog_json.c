/*
 * changelog_json.c — the JSON shapes of releases (see changelog_json.h).
 */
#include "service/changelog_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cvss.h"
#include "core/markdown.h"
#include "core/timeutil.h"
#include "service/issue_json.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *cl_row_to_json(const struct changelog_row *r, int with_body)
{
	json_t *o = json_object(), *authors = json_array(), *tags = json_array(),
	       *issues = json_array();
	char name[128];
	if (!o || !authors || !tags || !issues) {
		json_decref(o);
		json_decref(authors);
		json_decref(tags);
		json_decref(issues);
		return NULL;
	}
	for (size_t k = 0; k < r->nauthors; k++)
		json_array_append_new(authors, json_string(r->authors[k].handle));
	for (const char *p = r->tags; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		json_array_append_new(tags, json_stringn(p, len));
		p = nl ? nl + 1 : p + len;
	}
	for (size_t k = 0; k < r->nlinks; k++) {
		const struct cl_link *l = &r->links[k];
		json_t *j = json_pack("{s:s}", "ref", l->ref);
		if (l->number) {
			json_object_set_new(j, "number", json_integer(l->number));
			json_object_set_new(j, "title", str_or_null(l->title));
			json_object_set_new(j, "type", json_string(issue_type_name(l->type)));
			json_object_set_new(j, "state", json_string(issue_state_name(l->state)));
		} else if (l->ref[0] != '#') {
			json_object_set_new(j, "url", json_string(l->ref));
		}
		json_array_append_new(issues, j);
	}
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "slug", json_string(r->slug));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "description", json_string(r->description));
	if (with_body) {
		json_object_set_new(o, "body", json_string(r->body));
		json_object_set_new(o, "body_html", json_string(r->body_html));
	}
	json_object_set_new(o, "date", json_time(r->date_at));
	json_object_set_new(o, "date_set", json_boolean(r->date_set));
	json_object_set_new(o, "authors", authors);
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "issues", issues);
	json_object_set_new(o, "milestone",
			    r->milestone_id ? json_pack("{s:I,s:s}", "id", (json_int_t)r->milestone_id,
							"title", r->milestone ? r->milestone : "")
					    : json_null());
	json_object_set_new(o, "state", json_string(cl_state_name(r->state)));
	json_object_set_new(o, "created_by", str_or_null(r->created_by_login));
	json_object_set_new(o, "created_at", json_time(r->created_at));
	json_object_set_new(o, "updated_at", json_time(r->updated_at));
	json_object_set_new(o, "published_at", json_time(r->published_at));
	json_object_set_new(o, "approved_by", str_or_null(r->approved_by_login));
	json_object_set_new(o, "version", json_integer(r->version));
	cl_filename(r->date_at, r->slug, name, sizeof name);
	json_object_set_new(o, "filename", json_string(name));
	json_object_set_new(o, "open_comments", json_integer(r->open_comments));
	return o;
}

json_t *cl_list_to_json(const struct changelog_list *l)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < l->n; k++)
		json_array_append_new(a, cl_row_to_json(&l->items[k], 0));
	return a;
}

json_t *cl_comment_to_json(const struct cl_comment *c)
{
	char *html = markdown_to_html(c->body, strlen(c->body));
	json_t *o = json_object();
	if (!o || !html) {
		free(html);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "parent", c->parent_id ? json_integer(c->parent_id) : json_null());
	json_object_set_new(o, "author", str_or_null(c->author));
	json_object_set_new(o, "body", json_string(c->body));
	json_object_set_new(o, "body_html", json_string(html));
	json_object_set_new(o, "created_at", json_time(c->created_at));
	json_object_set_new(o, "resolved", json_boolean(c->resolved_at != 0));
	json_object_set_new(o, "resolved_by", str_or_null(c->resolved_by));
	json_object_set_new(o, "resolved_at", json_time(c->resolved_at));
	free(html);
	return o;
}

json_t *cl_tell_to_json(const struct cl_tell_list *t, const struct changelog_row *r,
			const char *base_url)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < t->n; k++) {
		const struct cl_tell_customer *c = &t->customers[k];
		json_t *ins = json_array();
		for (size_t j = 0; j < c->nasks; j++) {
			const struct cl_ask *x = &c->asks[j];
			json_array_append_new(ins, json_pack("{s:I,s:s,s:s,s:o,s:o}", "id",
							     (json_int_t)x->insight_id, "title",
							     x->insight_title, "state",
							     insight_state_name(x->state), "answered_at",
							     json_time(x->answered_at), "answered_by",
							     str_or_null(x->answered_by)));
		}
		char *msg = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&msg, &len);
		if (f) {
			fprintf(f, "Hi %s,\n\nyou asked us for this, and it has shipped: %s.\n", c->name,
				r->title);
			if (r->description[0])
				fprintf(f, "\n%s\n", r->description);
			fprintf(f, "\nRead more: %s/changelog?entry=%s\n\nThank you for telling us what you "
				   "need.\n",
				base_url, r->slug);
			fclose(f);
		}
		json_array_append_new(
			a, json_pack("{s:I,s:s,s:s,s:I,s:b,s:b,s:o,s:s}", "id", (json_int_t)c->id, "name",
				     c->name, "tier", c->tier, "arr", (json_int_t)c->arr, "strategic",
				     c->strategic, "told", c->told, "insights", ins, "message",
				     msg ? msg : ""));
		free(msg);
	}
	return json_pack("{s:o}", "customers", a);
}

json_t *cl_checklist_to_json(const struct cl_checklist *c)
{
	json_t *hl = json_array(), *by[4];
	for (int s = 0; s < 4; s++)
		by[s] = json_array();
	for (size_t k = 0; k < c->headline_without_entry.n; k++) {
		const struct issue *i = &c->headline_without_entry.items[k];
		json_array_append_new(hl, json_pack("{s:I,s:s}", "number", (json_int_t)i->number,
						     "title", i->title));
	}
	for (size_t k = 0; k < c->entries.n; k++) {
		int s = c->entries.items[k].state;
		if (s >= 0 && s < 4)
			json_array_append_new(by[s], cl_row_to_json(&c->entries.items[k], 0));
	}
	return json_pack("{s:o,s:o,s:o,s:o,s:o}", "headline_without_entry", hl, "draft", by[0],
			 "in_review", by[1], "approved", by[2], "published", by[3]);
}

json_t *cl_notes_to_json(const struct cl_notes *n)
{
	static const char *const groups[] = {"Added", "Changed", "Fixed", "Security"};
	json_t *items[4];
	char start[16], due[16];
	for (int g = 0; g < 4; g++)
		items[g] = json_array();
	for (size_t k = 0; k < n->items.n; k++) {
		const struct issue *i = &n->items.items[k];
		int g = i->type == ISSUE_BUG			       ? 2
			: i->type == ISSUE_SECURITY || n->redacted[k] ? 3
			: i->type == ISSUE_TASK			       ? 1
								       : 0;
		json_t *j;
		if (n->redacted[k]) {
			j = json_pack("{s:s,s:s,s:o}", "type", "security", "title", "Security fix",
				      "severity", i->severity ? json_string(severity_name(i->severity))
							      : json_null());
		} else {
			json_t *a = json_array();
			if (i->assignee)
				json_array_append_new(a, json_string(i->assignee));
			if (i->reporter && (!i->assignee || strcmp(i->assignee, i->reporter)))
				json_array_append_new(a, json_string(i->reporter));
			j = json_pack("{s:I,s:s,s:s,s:o}", "number", (json_int_t)i->number, "title",
				      i->title, "type", issue_type_name(i->type), "authors", a);
			if (i->type == ISSUE_SECURITY && i->severity)
				json_object_set_new(j, "severity", json_string(severity_name(i->severity)));
		}
		json_array_append_new(items[g], j);
	}
	json_t *ga = json_array();
	for (int g = 0; g < 4; g++) {
		if (json_array_size(items[g]))
			json_array_append_new(ga, json_pack("{s:s,s:o}", "name", groups[g], "items",
							    items[g]));
		else
			json_decref(items[g]);
	}
	day_format(n->m.start_day, start, sizeof start);
	day_format(n->m.due_day, due, sizeof due);
	return json_pack("{s:{s:I,s:s,s:s,s:s},s:o}", "milestone", "id", (json_int_t)n->m.id, "title",
			 n->m.title, "start", start, "due", due, "groups", ga);
}

json_t *hook_to_json(const struct hook *h)
{
	return json_pack("{s:I,s:s,s:o}", "id", (json_int_t)h->id, "url", h->url, "created_at",
			 json_time(h->created_at));
}

json_t *hook_delivery_to_json(const struct hook_delivery *d)
{
	static const char *const states[] = {"pending", "delivered", "failed"};
	return json_pack("{s:I,s:I,s:s,s:s,s:o,s:s,s:i,s:o,s:o,s:o,s:o}", "id", (json_int_t)d->id,
			 "hook", (json_int_t)d->hook_id, "url", d->url, "event", d->event, "entry",
			 d->entry_id ? json_integer(d->entry_id) : json_null(), "state",
			 d->state >= 0 && d->state <= 2 ? states[d->state] : "", "attempts",
			 d->attempts, "status", d->status ? json_integer(d->status) : json_null(),
			 "error", str_or_null(d->error), "next_at",
			 d->state == 0 ? json_time(d->next_at) : json_null(), "updated_at",
			 json_time(d->updated_at));
}
