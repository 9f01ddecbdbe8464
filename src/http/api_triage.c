/*
 * api_triage.c — the triage inbox, the security due list, settings, and
 * the triage gauges of /metrics.  (POST /issues/{n}/triage is in
 * api_issues.c with the other issue writes.)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "http/http.h"
#include "service/issue_json.h"
#include "service/service.h"

#define DAY_MS 86400000LL

static json_t *stats_json(const struct triage_stats *s)
{
	return json_pack("{s:I,s:o,s:I}", "inbox_size", (json_int_t)s->inbox_size,
			 "median_time_to_triage_hours",
			 s->median_ms < 0 ? json_null() : json_real(s->median_ms / 3600000.0),
			 "sla_breaches", (json_int_t)s->sla_breaches);
}

int api_triage_inbox(struct req *r, json_t **out)
{
	struct err e;
	struct issue_list l = {0};
	struct triage_stats stats;
	int64_t page, per_page, total, with_stats, now = req_now(r);
	err_clear(&e);
	/* ?stats=0: the inbox without its statistics (every page's top bar
	 * asks for the count; the stats read the whole inbox's history) */
	if (http_int_arg(r, "page", 1, &page, &e) ||
	    http_int_arg(r, "per_page", PER_PAGE_DEFAULT, &per_page, &e) ||
	    http_int_arg(r, "stats", 1, &with_stats, &e) ||
	    svc_triage_inbox(req_op(r), page, per_page, &l, &total, &e) ||
	    (with_stats && svc_triage_stats(req_op(r), &stats, &e))) {
		issue_list_release(&l);
		return http_error(&e, out);
	}
	json_t *items = json_array();
	for (size_t k = 0; k < l.n; k++) {
		json_t *j = issue_to_json(&l.items[k], 0);
		json_object_set_new(j, "age_days",
				    json_integer((now - l.items[k].created_at) / DAY_MS));
		json_array_append_new(items, j);
	}
	int capped = l.capped;
	issue_list_release(&l);
	*out = json_pack("{s:o,s:I,s:b,s:I,s:I,s:o}", "items", items, "total", (json_int_t)total,
			 "total_capped", capped, "page", (json_int_t)page, "per_page",
			 (json_int_t)per_page, "stats", with_stats ? stats_json(&stats) : json_null());
	return 200;
}

static json_t *due_items(const struct issue_list *l, int64_t now)
{
	json_t *a = json_array();
	for (size_t k = 0; k < l->n; k++) {
		json_t *j = issue_to_json(&l->items[k], 0);
		json_object_set_new(j, "days_left",
				    json_integer(sla_days_left(l->items[k].fix_by, now)));
		json_array_append_new(a, j);
	}
	return a;
}

int api_security_due(struct req *r, json_t **out)
{
	struct err e;
	struct issue_list overdue, soon;
	int64_t days, now = req_now(r);
	err_clear(&e);
	if (http_int_arg(r, "days", 14, &days, &e) ||
	    svc_security_due(req_op(r), (int)(days > 3650 || days < 0 ? -1 : days),
			     &overdue, &soon, &e))
		return http_error(&e, out);
	*out = json_pack("{s:o,s:o}", "overdue", due_items(&overdue, now), "due_soon",
			 due_items(&soon, now));
	issue_list_release(&overdue);
	issue_list_release(&soon);
	return 200;
}

/* Every setting, as GET /settings shows them. */
static int settings_reply(struct req *r, const struct sla *s, json_t **out)
{
	struct err e;
	struct cl_config cfg;
	int limit;
	int64_t idle;
	err_clear(&e);
	if (svc_todo_limit(req_op(r), &limit, &e) || svc_cl_config(req_op(r), &cfg, &e) ||
	    svc_session_idle_minutes(req_op(r), &idle, &e))
		return http_error(&e, out);
	*out = json_pack("{s:{s:i,s:i,s:i,s:i},s:i,s:b,s:s,s:b,s:I}", "sla_days", "critical",
			 s->days[SEV_CRITICAL], "high", s->days[SEV_HIGH], "medium", s->days[SEV_MEDIUM],
			 "low", s->days[SEV_LOW], "todo_limit", limit, "public_changelog", cfg.public_on,
			 "public_url", cfg.public_url, "public_roadmap", cfg.public_roadmap,
			 "session_idle_minutes", (json_int_t)idle);
	return 200;
}

int api_settings_get(struct req *r, json_t **out)
{
	struct err e;
	struct sla sla;
	err_clear(&e);
	if (svc_sla_get(req_op(r), &sla, &e))
		return http_error(&e, out);
	return settings_reply(r, &sla, out);
}

int api_settings_patch(struct req *r, json_t **out)
{
	struct err e;
	struct sla sla;
	char text[256] = "";
	size_t n = 0;
	const char *key;
	json_t *v;
	struct settings_input in = SETTINGS_UNCHANGED;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "public_changelog")) {
			if (!json_is_boolean(v)) {
				err_set(&e, CAIRN_EINVALID, key, "public_changelog must be true or false");
				return http_error(&e, out);
			}
			in.public_changelog = json_is_true(v);
		} else if (!strcmp(key, "public_roadmap")) {
			if (!json_is_boolean(v)) {
				err_set(&e, CAIRN_EINVALID, key, "public_roadmap must be true or false");
				return http_error(&e, out);
			}
			in.public_roadmap = json_is_true(v);
		} else if (!strcmp(key, "public_url")) {
			if (!json_is_string(v)) {
				err_set(&e, CAIRN_EINVALID, key, "public_url must be a URL (or \"\")");
				return http_error(&e, out);
			}
			in.public_url = json_string_value(v);
		} else if (!strcmp(key, "session_idle_minutes")) {
			if (!json_is_integer(v)) {
				err_set(&e, CAIRN_EINVALID, key, "session_idle_minutes must be minutes");
				return http_error(&e, out);
			}
			in.session_idle_minutes = json_integer_value(v);
		} else if (strcmp(key, "sla_days") != 0 && strcmp(key, "todo_limit") != 0) {
			err_set(&e, CAIRN_EINVALID, key, "unknown setting '%s'", key);
			return http_error(&e, out);
		}
	}
	json_t *days = json_object_get(o, "sla_days"), *todo = json_object_get(o, "todo_limit");
	if (todo) { /* the service checks the range */
		if (!json_is_integer(todo)) {
			err_set(&e, CAIRN_EINVALID, "todo_limit", "todo_limit must be a number of points");
			return http_error(&e, out);
		}
		in.todo_limit = json_integer_value(todo);
	}
	if (days && (!json_is_object(days) || json_object_size(days) == 0)) {
		err_set(&e, CAIRN_EINVALID, "sla_days",
			"sla_days must be an object like {\"critical\": 7, \"high\": 30}");
		return http_error(&e, out);
	}
	json_object_foreach(days, key, v)
	{
		if (!json_is_integer(v) || strlen(key) > 16) {
			err_set(&e, CAIRN_EINVALID, "sla_days", "sla_days.%.16s must be a number of days",
				key);
			return http_error(&e, out);
		}
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%s=%" JSON_INTEGER_FORMAT,
				      n ? "," : "", key, json_integer_value(v));
		if (n >= sizeof text) {
			err_set(&e, CAIRN_EINVALID, "sla_days", "too many sla_days entries");
			return http_error(&e, out);
		}
	}
	if (!days && !todo && in.public_changelog < 0 && !in.public_url && in.public_roadmap < 0 &&
	    in.session_idle_minutes == SVC_UNSET) {
		err_set(&e, CAIRN_EINVALID, NULL,
			"give sla_days, todo_limit, public_changelog, public_url, public_roadmap and/or "
			"session_idle_minutes");
		return http_error(&e, out);
	}
	in.sla_text = days ? text : NULL;
	if (svc_settings_set(req_op(r), &in, &sla, &e))
		return http_error(&e, out);
	return settings_reply(r, &sla, out);
}

char *api_triage_metrics(struct req *r)
{
	struct err e;
	struct triage_stats s;
	char *buf = NULL;
	size_t len = 0;
	err_clear(&e);
	if (svc_triage_stats(req_op(r), &s, &e))
		return NULL;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f,
		"# HELP cairn_triage_inbox_size Open issues waiting in the triage inbox.\n"
		"# TYPE cairn_triage_inbox_size gauge\ncairn_triage_inbox_size %" PRId64 "\n"
		"# HELP cairn_triage_median_seconds Median time from report to triage, last 30 days.\n"
		"# TYPE cairn_triage_median_seconds gauge\ncairn_triage_median_seconds %.3f\n"
		"# HELP cairn_security_sla_breaches Open security issues past their fix-by date.\n"
		"# TYPE cairn_security_sla_breaches gauge\ncairn_security_sla_breaches %" PRId64 "\n",
		s.inbox_size, s.median_ms < 0 ? 0.0 : s.median_ms / 1000.0, s.sla_breaches);
	fclose(f);
	return buf;
}
