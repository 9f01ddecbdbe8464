/*
 * api_issues.c — /api/v1/issues: list, create, get, patch, history.
 * Parses JSON into a struct issue_input (raw strings) and leaves every
 * rule to the service layer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/issue_json.h"
#include "service/service.h"
#include "core/plan.h"

static const struct {
	const char *key;
	unsigned bit;
	size_t off;  /* offset of the const char * in struct issue_input */
	int numeric; /* a JSON number is accepted too (sizes, parent) */
} writable[] = {
	{"type", IN_TYPE, offsetof(struct issue_input, type), 0},
	{"title", IN_TITLE, offsetof(struct issue_input, title), 0},
	{"body", IN_BODY, offsetof(struct issue_input, body), 0},
	{"state", IN_STATE, offsetof(struct issue_input, state), 0},
	{"priority", IN_PRIORITY, offsetof(struct issue_input, priority), 0},
	{"pm_size", IN_PM_SIZE, offsetof(struct issue_input, pm_size), 1},
	{"size", IN_SIZE, offsetof(struct issue_input, size), 1},
	{"parent", IN_PARENT, offsetof(struct issue_input, parent), 1},
	{"assignee", IN_ASSIGNEE, offsetof(struct issue_input, assignee), 0},
	{"board", IN_BOARD, offsetof(struct issue_input, board), 0},
	{"bug_severity", IN_BUG_SEVERITY, offsetof(struct issue_input, bug_severity), 0},
	{"cvss", IN_CVSS, offsetof(struct issue_input, cvss), 0},
	{"rice_reach", IN_RICE_REACH, offsetof(struct issue_input, rice_reach), 1},
	{"rice_impact", IN_RICE_IMPACT, offsetof(struct issue_input, rice_impact), 1},
	{"rice_confidence", IN_RICE_CONFIDENCE, offsetof(struct issue_input, rice_confidence), 1},
	{"dev_status", IN_DEV_STATUS, offsetof(struct issue_input, dev_status), 0},
	{"milestone", IN_MILESTONE, offsetof(struct issue_input, milestone), 1},
	{"area", IN_AREA, offsetof(struct issue_input, area), 1},
	{"expected_at", IN_EXPECTED, offsetof(struct issue_input, expected), 0},
	{"slip_reason", IN_SLIP_REASON, offsetof(struct issue_input, slip_reason), 0},
	{"after", IN_AFTER, offsetof(struct issue_input, after), 1},
};

#define NWRITABLE (sizeof writable / sizeof writable[0])

/* Owner of the strings an issue_input borrows from: a number given for a
 * field is printed into that field's own slot. */
struct input_buf {
	struct issue_input in;
	char nums[NWRITABLE][24];
	const char *labels[LABELS_MAX + 1];
	struct triage_input *triage; /* non-NULL: route, duplicate_of, reason too */
	char dup[24];
};

/* Fields a client may send back from a GET; ignored on write. */
static const char *const readonly[] = {
	"number",     "version",    "created_at", "updated_at",   "closed_at",
	"reporter",   "effective_size", "size_letter", "body_html", "cvss_score", "cvss_scores",
	"severity",   "fix_by",     "triaged_at", "duplicate_of", "close_reason",
	"age_days",   "milestone_title", "rollup_size", "double_booked", "double_booked_below",
	"started_at",
	"done_at",    "dod_done",   "position",   "dev_position",
};

/* The definition-of-done checklist: {"merged": true, ...}, any subset. */
static int parse_dod(json_t *v, struct input_buf *b, struct err *e)
{
	const char *key;
	json_t *x;
	if (!json_is_object(v))
		return err_set(e, CAIRN_EINVALID, "dod",
			       "dod must be an object like {\"merged\": true, \"tests\": false}");
	json_object_foreach(v, key, x)
	{
		int bit = -1;
		for (int k = 0; k < DOD_ITEMS; k++)
			if (!strcmp(key, dod_names[k]))
				bit = k;
		if (bit < 0 || !json_is_boolean(x))
			return err_set(e, CAIRN_EINVALID, "dod",
				       "dod items are merged, tests, docs, acceptance, demo: true or false");
		b->in.dod_mask |= 1 << bit;
		if (json_is_true(x))
			b->in.dod_bits |= 1 << bit;
	}
	b->in.set |= IN_DOD;
	return 0;
}

static int parse_labels(json_t *v, struct input_buf *b, struct err *e)
{
	size_t i;
	json_t *x;
	b->in.set |= IN_LABELS;
	if (json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return err_set(e, CAIRN_EINVALID, "labels", "labels must be an array of strings");
	if (json_array_size(v) > LABELS_MAX)
		return err_set(e, CAIRN_EINVALID, "labels", "at most %d labels", LABELS_MAX);
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x))
			return err_set(e, CAIRN_EINVALID, "labels", "labels must be an array of strings");
		b->labels[i] = json_string_value(x);
	}
	b->in.labels = b->labels;
	b->in.nlabels = json_array_size(v);
	return 0;
}

static int parse_field(const char *key, json_t *v, struct input_buf *b, struct err *e)
{
	for (size_t k = 0; k < NWRITABLE; k++) {
		if (strcmp(key, writable[k].key) != 0)
			continue;
		const char **dst = (const char **)((char *)&b->in + writable[k].off);
		b->in.set |= writable[k].bit;
		if (json_is_null(v))
			*dst = NULL;
		else if (json_is_string(v))
			*dst = json_string_value(v);
		else if (json_is_integer(v) && writable[k].numeric) {
			snprintf(b->nums[k], sizeof b->nums[k], "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			*dst = b->nums[k];
		} else if (json_is_real(v) && writable[k].bit == IN_RICE_IMPACT) {
			snprintf(b->nums[k], sizeof b->nums[k], "%g", json_real_value(v)); /* 0.25 */
			*dst = b->nums[k];
		} else
			return err_set(e, CAIRN_EINVALID, key, "%s must be a string%s", key,
				       writable[k].numeric ? " or a number" : "");
		return 0;
	}
	if (strcmp(key, "labels") == 0)
		return parse_labels(v, b, e);
	if (strcmp(key, "dod") == 0 && !b->triage)
		return parse_dod(v, b, e);
	if (strcmp(key, "force") == 0 && !b->triage) {
		if (!json_is_boolean(v))
			return err_set(e, CAIRN_EINVALID, "force", "force must be true or false");
		b->in.force = json_is_true(v);
		return 0;
	}
	if (b->triage && (!strcmp(key, "route") || !strcmp(key, "reason") ||
			  !strcmp(key, "duplicate_of"))) {
		const char *sv = json_string_value(v);
		if (!strcmp(key, "duplicate_of") && json_is_integer(v)) {
			snprintf(b->dup, sizeof b->dup, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			sv = b->dup;
		} else if (!sv && !json_is_null(v))
			return err_set(e, CAIRN_EINVALID, key, "%s must be a string", key);
		if (!strcmp(key, "route"))
			b->triage->route = sv;
		else if (!strcmp(key, "reason"))
			b->triage->reason = sv;
		else
			b->triage->duplicate_of = sv;
		return 0;
	}
	for (size_t k = 0; k < sizeof readonly / sizeof readonly[0]; k++)
		if (strcmp(key, readonly[k]) == 0)
			return 0;
	return err_set(e, CAIRN_EINVALID, key, "unknown field '%s'", key);
}

static int parse_input(struct req *r, struct input_buf *b, struct triage_input *t, struct err *e)
{
	const char *key;
	json_t *v;
	memset(b, 0, sizeof *b);
	b->triage = t;
	json_t *o = req_json(r, e);
	if (!o)
		return e->code;
	json_object_foreach(o, key, v)
	{
		int rc = parse_field(key, v, b, e);
		if (rc)
			return rc;
	}
	return 0;
}

static void set_etag(struct req *r, int64_t version)
{
	char etag[32];
	snprintf(etag, sizeof etag, "\"%" PRId64 "\"", version);
	req_set_header(r, "ETag", etag);
}

/* One issue as the reply, with its ETag. */
static int reply_issue(struct req *r, struct issue *i, int status, json_t **out)
{
	set_etag(r, i->version);
	*out = issue_to_json(i, 1);
	issue_release(i);
	return *out ? status : 500;
}

/* A positive integer query argument, or def when absent. */
int http_int_arg(struct req *r, const char *name, int64_t def, int64_t *out, struct err *e)
{
	const char *s = req_arg(r, name);
	char *end;
	*out = def;
	if (!s)
		return 0;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return err_set(e, CAIRN_EINVALID, name, "%s must be a number", name);
	*out = v;
	return 0;
}

/* Append one Link relation for page p. */
static void link_rel(FILE *f, int *first, const char *q, int64_t p, int64_t per_page,
		     const char *rel)
{
	fprintf(f, "%s</api/v1/issues?", *first ? "" : ", ");
	*first = 0;
	if (q && *q) {
		fputs("q=", f);
		for (const unsigned char *c = (const unsigned char *)q; *c; c++) {
			if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || strchr("-_.~", *c))
				fputc(*c, f);
			else
				fprintf(f, "%%%02X", *c);
		}
		fputc('&', f);
	}
	fprintf(f, "page=%" PRId64 "&per_page=%" PRId64 ">; rel=\"%s\"", p, per_page, rel);
}

/* capped: the total is a lower bound, so there is no "last" and "next"
 * follows a full page. */
static void set_link(struct req *r, const char *q, int64_t page, int64_t per_page,
		     int64_t total, int capped, size_t got)
{
	char *buf = NULL;
	size_t len = 0;
	int64_t last = total ? (total + per_page - 1) / per_page : 1;
	int first = 1;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	link_rel(f, &first, q, 1, per_page, "first");
	if (page > 1)
		link_rel(f, &first, q, capped || page - 1 <= last ? page - 1 : last, per_page, "prev");
	if (capped ? got == (size_t)per_page : page < last)
		link_rel(f, &first, q, page + 1, per_page, "next");
	if (!capped)
		link_rel(f, &first, q, last, per_page, "last");
	fclose(f);
	req_set_header(r, "Link", buf);
	free(buf);
}

int api_issues_list(struct req *r, json_t **out)
{
	struct err e;
	struct issue_list l = {0};
	int64_t page, per_page, total;
	const char *q = req_arg(r, "q");
	err_clear(&e);
	if (http_int_arg(r, "page", 1, &page, &e) ||
	    http_int_arg(r, "per_page", PER_PAGE_DEFAULT, &per_page, &e) ||
	    svc_issue_list(req_op(r), q, page, per_page, &l, &total, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < l.n; k++)
		json_array_append_new(items, issue_to_json(&l.items[k], 0));
	int capped = l.capped;
	if (l.timed)
		req_no_store(r);
	set_link(r, q, page, per_page, total, capped, l.n);
	issue_list_release(&l);
	char tot[24];
	snprintf(tot, sizeof tot, "%" PRId64 "%s", total, capped ? "+" : "");
	req_set_header(r, "X-Total-Count", tot);
	*out = json_pack("{s:o,s:I,s:b,s:I,s:I}", "items", items, "total", (json_int_t)total,
			 "total_capped", capped, "page", (json_int_t)page, "per_page",
			 (json_int_t)per_page);
	return 200;
}

/* On a write thread (req_defer_write): the create joins a group commit. */
static int issues_create_deferred(struct req *r, json_t **out)
{
	struct err e;
	struct input_buf b;
	struct issue i;
	err_clear(&e);
	if (parse_input(r, &b, NULL, &e) ||
	    svc_issue_create(req_op(r), &b.in, &i, &e))
		return http_error(&e, out);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/issues/%" PRId64, i.number);
	req_set_header(r, "Location", loc);
	return reply_issue(r, &i, 201, out);
}

int api_issues_create(struct req *r, json_t **out)
{
	req_defer_write(r, issues_create_deferred);
	*out = NULL;
	return 0;
}

int api_issue_get(struct req *r, json_t **out)
{
	struct err e;
	struct issue i;
	err_clear(&e);
	if (svc_issue_get(req_op(r), req_path_number(r), &i, &e))
		return http_error(&e, out);
	return reply_issue(r, &i, 200, out);
}

/* On a write thread, as a create. */
static int issue_patch_deferred(struct req *r, json_t **out)
{
	struct err e;
	struct input_buf b;
	struct issue i;
	int64_t if_match = -1;
	err_clear(&e);
	if (http_if_match(r, 1, &if_match, &e) ||
	    parse_input(r, &b, NULL, &e) ||
	    svc_issue_update(req_op(r), req_path_number(r), &b.in, if_match, &i,
			     &e))
		return http_error(&e, out);
	return reply_issue(r, &i, 200, out);
}

int api_issue_patch(struct req *r, json_t **out)
{
	req_defer_write(r, issue_patch_deferred);
	*out = NULL;
	return 0;
}

int api_issue_history(struct req *r, json_t **out)
{
	struct err e;
	struct history_list l;
	err_clear(&e);
	if (svc_issue_history(req_op(r), req_path_number(r), &l, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < l.n; k++)
		json_array_append_new(items, history_entry_to_json(&l.items[k]));
	history_list_release(&l);
	*out = json_pack("{s:o}", "items", items);
	return 200;
}

int api_issue_triage(struct req *r, json_t **out)
{
	struct err e;
	struct input_buf b;
	struct triage_input t;
	struct issue i;
	int64_t if_match = -1;
	err_clear(&e);
	memset(&t, 0, sizeof t);
	if (http_if_match(r, 0, &if_match, &e) || parse_input(r, &b, &t, &e))
		return http_error(&e, out);
	t.in = b.in;
	if (svc_issue_triage(req_op(r), req_path_number(r), &t, if_match, &i, &e))
		return http_error(&e, out);
	return reply_issue(r, &i, 200, out);
}
