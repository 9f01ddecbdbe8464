/*
 * decision_json.c — the JSON shape of decisions (see decision_json.h).
 */
#include "service/decision_json.h"

#include <stdlib.h>
#include <string.h>

#include "core/markdown.h"
#include "core/timeutil.h"
#include "service/issue_json.h"

static json_t *md_html(const char *md)
{
	char *html = markdown_to_html(md, strlen(md));
	json_t *j = json_string(html ? html : "");
	free(html);
	return j;
}

/* Parsed JSON text, or an empty array. */
static json_t *loads_or_array(const char *text)
{
	json_error_t je;
	json_t *j = text ? json_loads(text, 0, &je) : NULL;
	return j ? j : json_array();
}

json_t *decision_to_json(const struct decision *d, const struct decision_view *view)
{
	static const char *const roles[] = {"responsible", "accountable", "consulted", "informed"};
	char day[16];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "title", json_string(d->title));
	json_object_set_new(o, "status", json_string(decision_status_name(d->status)));
	json_object_set_new(o, "decided_at", json_time(d->decided_at));
	if (d->review_day != STRAT_NONE)
		day_format(d->review_day, day, sizeof day);
	json_object_set_new(o, "review_date", d->review_day != STRAT_NONE ? json_string(day) : json_null());
	json_object_set_new(o, "supersedes", d->supersedes ? json_integer(d->supersedes) : json_null());
	json_object_set_new(o, "superseded_by",
			    d->superseded_by ? json_integer(d->superseded_by) : json_null());
	json_object_set_new(o, "created_by", d->creator ? json_string(d->creator) : json_null());
	json_object_set_new(o, "created_at", json_time(d->created_at));
	json_object_set_new(o, "updated_at", json_time(d->updated_at));
	json_object_set_new(o, "version", json_integer(d->version));
	if (!view)
		return o;
	json_object_set_new(o, "context", json_string(d->context));
	json_object_set_new(o, "context_html", md_html(d->context));
	json_object_set_new(o, "options", loads_or_array(d->options));
	json_object_set_new(o, "decision", json_string(d->decision));
	json_object_set_new(o, "decision_html", md_html(d->decision));
	json_object_set_new(o, "consequences", json_string(d->consequences));
	json_object_set_new(o, "consequences_html", md_html(d->consequences));
	json_t *raci = json_object();
	for (int r = 0; r < 4; r++)
		json_object_set_new(raci, roles[r], json_array());
	for (size_t k = 0; k < view->npeople; k++)
		json_array_append_new(json_object_get(raci, roles[view->people[k].role & 3]),
				      json_string(view->people[k].login));
	json_object_set_new(o, "raci", raci);
	json_t *issues = json_array(), *inits = json_array(), *insights = json_array();
	for (size_t k = 0; k < view->nlinks; k++) {
		const struct decision_link *l = &view->links[k];
		if (l->kind == DLINK_ISSUE)
			json_array_append_new(issues, json_pack("{s:I,s:s,s:s}", "number", (json_int_t)l->number,
								"title", l->title, "state",
								issue_state_name(l->state)));
		else
			json_array_append_new(l->kind == DLINK_INITIATIVE ? inits : insights,
					      json_pack("{s:I,s:s}", "id", (json_int_t)l->target_id, "title",
							l->title));
	}
	json_object_set_new(o, "issues", issues);
	json_object_set_new(o, "initiatives", inits);
	json_object_set_new(o, "insights", insights);
	json_object_set_new(o, "snapshot",
			    view->snapshot ? json_pack("{s:o,s:o}", "taken_at",
						       json_time(view->snapshot_at), "issues",
						       loads_or_array(view->snapshot))
					   : json_null());
	json_object_set_new(o, "today", loads_or_array(view->today));
	json_object_set_new(o, "signals", loads_or_array(view->signals));
	return o;
}
