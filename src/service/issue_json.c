/*
 * issue_json.c — issue, history and user as JSON (see issue_json.h).
 */
#include "service/issue_json.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "core/insight.h"
#include "core/scores.h"
#include "core/plan.h"
#include "core/triage.h"
#include "service/service.h"
#include "store/store.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_time(int64_t ms)
{
	char buf[32];
	if (!ms)
		return json_null();
	iso_time(ms, buf, sizeof buf);
	return json_string(buf);
}

static json_t *date_or_null(int64_t ms)
{
	char buf[32];
	if (!ms)
		return json_null();
	iso_time(ms, buf, sizeof buf);
	buf[10] = '\0'; /* YYYY-MM-DD (UTC) */
	return json_string(buf);
}

/* The scores of a stored (normalized) vector, recomputed: core/cvss is pure
 * and cheap, and the row keeps only the one score that drives the SLA.
 * 3.x: {"version","base","temporal","environmental"}, temporal and
 * environmental null unless their metrics are given; 4.0: {"version",
 * "score","nomenclature"}.  null without a vector (or, defensively, with a
 * stored one that no longer parses). */
static json_t *cvss_scores_json(const char *vector)
{
	struct cvss c;
	if (!vector || cvss_parse(vector, &c, NULL))
		return json_null();
	if (c.version == CVSS_V4_0)
		return json_pack("{s:s, s:f, s:s}", "version", cvss_version_name(c.version), "score",
				 c.score10 / 10.0, "nomenclature", cvss_nomenclature(&c));
	return json_pack("{s:s, s:f, s:o, s:o}", "version", cvss_version_name(c.version), "base",
			 c.base10 / 10.0, "temporal",
			 c.temporal10 >= 0 ? json_real(c.temporal10 / 10.0) : json_null(),
			 "environmental",
			 c.environmental10 >= 0 ? json_real(c.environmental10 / 10.0) : json_null());
}

static json_t *int_or_null(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

json_t *issue_to_json(const struct issue *i, int with_body)
{
	json_t *o = json_object();
	json_t *labels = json_array();
	if (!o || !labels)
		goto fail;
	for (size_t k = 0; k < i->nlabels; k++)
		json_array_append_new(labels, json_string(i->labels[k]));
	int eff = issue_effective_size(i);
	json_object_set_new(o, "number", json_integer(i->number));
	json_object_set_new(o, "type", json_string(issue_type_name(i->type)));
	json_object_set_new(o, "title", json_string(i->title ? i->title : ""));
	json_object_set_new(o, "state", json_string(issue_state_name(i->state)));
	json_object_set_new(o, "priority",
			    i->priority ? json_string(priority_name(i->priority)) : json_null());
	json_object_set_new(o, "pm_size", int_or_null(i->pm_size));
	json_object_set_new(o, "size", int_or_null(i->size));
	json_object_set_new(o, "effective_size", int_or_null(eff));
	json_object_set_new(o, "size_letter", eff ? json_string(size_letter(eff)) : json_null());
	json_object_set_new(o, "labels", labels);
	labels = NULL;
	json_object_set_new(o, "parent", int_or_null(i->parent));
	json_object_set_new(o, "assignee", str_or_null(i->assignee));
	json_object_set_new(o, "reporter", str_or_null(i->reporter));
	json_object_set_new(o, "created_at", json_time(i->created_at));
	json_object_set_new(o, "updated_at", json_time(i->updated_at));
	json_object_set_new(o, "closed_at", json_time(i->closed_at));
	json_object_set_new(o, "version", json_integer(i->version));
	json_object_set_new(o, "board", json_string(board_name((enum board)i->board)));
	json_object_set_new(o, "bug_severity",
			    i->bug_severity ? json_string(bug_severity_name(i->bug_severity))
					    : json_null());
	json_object_set_new(o, "cvss", str_or_null(i->cvss));
	json_object_set_new(o, "cvss_score",
			    i->cvss_score >= 0 ? json_real(i->cvss_score / 10.0) : json_null());
	json_object_set_new(o, "cvss_scores", cvss_scores_json(i->cvss));
	json_object_set_new(o, "severity",
			    i->cvss ? json_string(severity_name((enum severity)i->severity)) : json_null());
	json_object_set_new(o, "fix_by", date_or_null(i->fix_by));
	json_object_set_new(o, "triaged_at", json_time(i->triaged_at));
	json_object_set_new(o, "duplicate_of", int_or_null(i->duplicate_of));
	json_object_set_new(o, "close_reason", str_or_null(i->close_reason));
	json_object_set_new(o, "rice_reach", i->rice_reach >= 0 ? json_integer(i->rice_reach) : json_null());
	json_object_set_new(o, "rice_impact", i->rice_impact ? json_real(i->rice_impact / 100.0) : json_null());
	json_object_set_new(o, "rice_confidence",
			    i->rice_confidence ? json_integer(i->rice_confidence) : json_null());
	json_object_set_new(o, "dev_status",
			    i->dev_status ? json_string(dev_status_name((enum dev_status)i->dev_status))
					  : json_null());
	json_object_set_new(o, "milestone", int_or_null(i->milestone_id));
	json_object_set_new(o, "milestone_title", str_or_null(i->milestone_id ? i->milestone : NULL));
	json_object_set_new(o, "area", int_or_null(i->area_id));
	json_object_set_new(o, "rollup_size", json_integer(i->rollup ? i->rollup : eff));
	json_object_set_new(o, "double_booked", json_boolean(i->double_booked));
	json_object_set_new(o, "double_booked_below", json_integer(i->booked_below));
	json_object_set_new(o, "started_at", json_time(i->started_at));
	json_object_set_new(o, "done_at", json_time(i->done_at));
	if (i->expected_day) {
		char day[16];
		day_format(i->expected_day, day, sizeof day);
		json_object_set_new(o, "expected_at", json_string(day));
	} else {
		json_object_set_new(o, "expected_at", json_null());
	}
	json_t *dod = json_object();
	for (int k = 0; dod && k < DOD_ITEMS; k++)
		json_object_set_new(dod, dod_names[k], json_boolean(i->dod & (1 << k)));
	json_object_set_new(o, "dod", dod ? dod : json_null());
	json_object_set_new(o, "dod_done", json_integer(dod_count(i->dod)));
	json_object_set_new(o, "position", json_integer(i->board_position));
	json_object_set_new(o, "dev_position", json_integer(i->dev_position));
	if (i->snippet)
		json_object_set_new(o, "snippet", json_string(i->snippet));
	if (with_body) {
		json_object_set_new(o, "body", json_string(i->body ? i->body : ""));
		json_object_set_new(o, "body_html", json_string(i->body_html ? i->body_html : ""));
	}
	return o;
fail:
	json_decref(labels);
	json_decref(o);
	return NULL;
}

json_t *history_entry_to_json(const struct history_entry *h)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "actor", str_or_null(h->actor));
	json_object_set_new(o, "at", json_time(h->at));
	json_object_set_new(o, "field", json_string(h->field ? h->field : ""));
	json_object_set_new(o, "old", str_or_null(h->old_value));
	json_object_set_new(o, "new", str_or_null(h->new_value));
	return o;
}

json_t *history_items_json(struct history_list *h)
{
	json_t *a = json_array();
	for (size_t k = 0; a && k < h->n; k++)
		json_array_append_new(a, history_entry_to_json(&h->items[k]));
	history_list_release(h);
	return json_pack("{s:o}", "items", a);
}

json_t *customer_to_json(const struct customer *c)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:i,s:b}", "id", (json_int_t)c->id, "name", c->name,
			 "tier", c->tier, "arr", (json_int_t)c->arr, "seats", c->seats, "strategic",
			 c->strategic);
}

json_t *persona_to_json(const struct persona *p)
{
	return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)p->id, "name", p->name,
			 "description", p->description, "buyer_level",
			 buyer_level_name(p->buyer_level));
}

json_t *insight_to_json(const struct insight *i)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(i->id));
	json_object_set_new(o, "source", json_string(insight_source_name(i->source)));
	json_object_set_new(o, "category", i->category ? json_string(insight_category_name(i->category))
						       : json_null());
	json_object_set_new(o, "customer", str_or_null(i->customer));
	json_object_set_new(o, "persona", str_or_null(i->persona));
	json_object_set_new(o, "title", json_string(i->title ? i->title : ""));
	json_object_set_new(o, "body", json_string(i->body ? i->body : ""));
	json_object_set_new(o, "url", str_or_null(i->url));
	json_object_set_new(o, "captured_at", json_time(i->captured_at));
	json_object_set_new(o, "state", json_string(insight_state_name(i->state)));
	json_object_set_new(o, "answered_at", json_time(i->answered_at));
	json_object_set_new(o, "answered_by", str_or_null(i->answered_by));
	if (i->importance > 0)
		json_object_set_new(o, "importance", json_string(importance_name(i->importance)));
	return o;
}

json_t *user_to_json(const struct user *u)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "login", json_string(u->login));
	json_object_set_new(o, "name", json_string(u->name));
	json_object_set_new(o, "role", json_string(role_name(u->role)));
	json_object_set_new(o, "disabled", json_boolean(u->disabled_at != 0));
	return o;
}

json_t *permissions_to_json(void)
{
	json_t *roles = json_array(), *perms = json_array();
	for (int r = ROLE_ADMIN; r <= ROLE_VIEWER; r++)
		json_array_append_new(roles, json_string(role_name((enum role)r)));
	for (int p = 0; p < P__COUNT; p++) {
		const struct perm_def *d = perm_def((enum perm)p);
		json_t *who = json_array();
		for (int r = ROLE_ADMIN; r <= ROLE_VIEWER; r++)
			if (perm_allows((enum role)r, (enum perm)p))
				json_array_append_new(who, json_string(role_name((enum role)r)));
		json_array_append_new(perms, json_pack("{s:s,s:o,s:s,s:s}", "name", d->name, "roles",
						       who, "credential", perm_cred_name(d->cred),
						       "what", d->what));
	}
	return json_pack("{s:o,s:o}", "roles", roles, "permissions", perms);
}

json_t *user_permissions_json(const struct user *u)
{
	json_t *a = json_array();
	for (int p = 0; p < P__COUNT; p++)
		if (svc_may(u, (enum perm)p))
			json_array_append_new(a, json_string(perm_def((enum perm)p)->name));
	return a;
}

json_t *token_to_json(const struct token_row *t, int64_t now)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:b}", "id", (json_int_t)t->id, "name",
			 t->name, "login", t->login, "scope", scope_name(t->scope), "created_at",
			 json_time(t->created_at), "expires_at", json_time(t->expires_at),
			 "last_used_at", json_time(t->last_used_at), "expired",
			 t->expires_at && t->expires_at <= now);
}

json_t *audit_to_json(const struct audit_row *a)
{
	return json_pack("{s:I,s:o,s:s?,s:s,s:s?,s:s}", "id", (json_int_t)a->id, "at",
			 json_time(a->at), "actor", a->actor[0] ? a->actor : NULL, "action",
			 a->action, "target", a->target[0] ? a->target : NULL, "detail", a->detail);
}
