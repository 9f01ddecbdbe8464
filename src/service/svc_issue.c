/*
 * svc_issue.c — issue operations: create, read, update (with optimistic
 * concurrency), list, history.  Validation turns raw input into a
 * candidate issue without touching data; the store is written only after
 * everything checked out, inside one transaction with its history rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cvss.h"
#include "core/markdown.h"
#include "core/plan.h"
#include "core/query.h"
#include "core/scores.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "service/service.h"
#include "service/svc_int.h"

static int parse_number(const char *s, int64_t *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	long long v = strtoll(s[0] == '#' ? s + 1 : s, &end, 10);
	if (errno || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int set_string(char **dst, const char *src, struct err *e)
{
	char *copy = strdup(src ? src : "");
	if (!copy)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	free(*dst);
	*dst = copy;
	return 0;
}

/* Render the markdown body once, when it is written: reads serve the stored
 * HTML (rendering is the costly part, and some inputs are slow in cmark). */
static int render_body(struct issue *i, struct err *e)
{
	const char *body = i->body ? i->body : "";
	char *html = markdown_to_html(body, strlen(body));
	if (!html)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory rendering the body");
	free(i->body_html);
	i->body_html = html;
	return 0;
}

/* Bodies rendered during an import, by their text: an import repeats
 * bodies (templates, the demo's generated text), and markdown is the
 * dearest part of a create.  Direct-mapped; a slot keeps the last body
 * that hashed to it. */
#define MEMO_SLOTS 4096
struct body_memo {
	struct {
		unsigned long long hash;
		char *body, *html;
	} slot[MEMO_SLOTS];
};

static void body_memo_free(struct body_memo *m)
{
	if (!m)
		return;
	for (size_t k = 0; k < MEMO_SLOTS; k++) {
		free(m->slot[k].body);
		free(m->slot[k].html);
	}
	free(m);
}

/* render_body through the memo (NULL: no memo). */
static int render_body_memo(struct issue *i, struct body_memo *m, struct err *e)
{
	if (!m)
		return render_body(i, e);
	const char *body = i->body ? i->body : "";
	size_t len = strlen(body);
	unsigned long long h = hash_bytes(body, len);
	__typeof__(m->slot[0]) *s = &m->slot[h % MEMO_SLOTS];
	if (!(s->body && s->hash == h && !strcmp(s->body, body))) {
		char *copy = strdup(body), *html = markdown_to_html(body, len);
		if (!copy || !html) {
			free(copy);
			free(html);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory rendering the body");
		}
		free(s->body);
		free(s->html);
		s->hash = h, s->body = copy, s->html = html;
	}
	free(i->body_html);
	if (!(i->body_html = strdup(s->html)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory rendering the body");
	return 0;
}

static int set_labels(struct issue *next, const struct issue_input *in, struct err *e)
{
	if (in->nlabels > LABELS_MAX)
		return err_set(e, CAIRN_EINVALID, "labels", "at most %d labels", LABELS_MAX);
	for (size_t k = 0; k < in->nlabels; k++)
		if (label_check(in->labels[k], e))
			return e ? e->code : CAIRN_EINVALID;
	for (size_t k = 0; k < next->nlabels; k++)
		free(next->labels[k]);
	free(next->labels);
	next->labels = NULL;
	next->nlabels = 0;
	if (in->nlabels == 0)
		return 0;
	next->labels = calloc(in->nlabels, sizeof(char *));
	if (!next->labels)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < in->nlabels; k++) {
		if (!(next->labels[k] = strdup(in->labels[k])))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		next->nlabels = k + 1;
	}
	next->nlabels = labels_normalize(next->labels, next->nlabels, 1);
	return 0;
}

/* The parent must exist and be visible to the actor; its ancestors (which
 * the actor need not see) must not lead back to this issue. */
static int check_parent(const struct op *op, struct issue *next,
			struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	/* the chain as stored, for the cycle check (store_issue_link) */
	struct visibility mine = visibility_of(actor), all = {actor->id, 1, 1};
	int64_t at = next->parent;
	for (int depth = 0; at; depth++) {
		const struct visibility *v = depth == 0 ? &mine : &all;
		enum issue_type ptype;
		int64_t up;
		if (at == next->number && next->number)
			return err_set(e, CAIRN_EINVALID, "parent",
				       "parent #%lld would make a cycle", (long long)next->parent);
		if (depth > 64)
			return err_set(e, CAIRN_EINVALID, "parent", "parent chain is too deep");
		int rc = store_issue_link(st, at, v, &ptype, &up, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return err_set(e, CAIRN_EINVALID, "parent", "parent #%lld does not exist",
				       (long long)at);
		}
		if (rc)
			return rc;
		int allowed = depth > 0 || parent_allowed(next->type, ptype);
		at = up;
		if (!allowed)
			return err_set(e, CAIRN_EINVALID, "parent", "%s (#%lld is a %s)",
				       parent_rule(next->type), (long long)next->parent,
				       issue_type_name(ptype));
	}
	return 0;
}

/* A type change must keep the issue's children valid under it: those the
 * actor can see (a refusal over a hidden child would reveal it). */
static int check_children(const struct op *op, const struct issue *next,
			  struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int *types;
	size_t n;
	int rc = store_child_types(st, &v, next->number, &types, &n, e);
	if (rc)
		return rc;
	for (size_t k = 0; k < n && !rc; k++)
		if (!parent_allowed(types[k], next->type))
			rc = err_set(e, CAIRN_EINVALID, "type",
				     "#%lld has a %s under it, which cannot sit under a %s",
				     (long long)next->number, issue_type_name(types[k]),
				     issue_type_name(next->type));
	free(types);
	return rc;
}

/* The SLA in force: defaults overlaid with the stored setting. */
int svc_sla_get(const struct op *op, struct sla *out, struct err *e)
{
	struct store *st = op->st;
	struct sla defaults = SLA_DEFAULTS;
	char text[256];
	int found, rc;
	*out = defaults;
	if ((rc = store_setting_get(st, "sla_days", text, sizeof text, &found, e)))
		return rc;
	if (found && sla_parse(text, out, NULL))
		*out = defaults; /* a bad stored value falls back, never blocks work */
	return 0;
}

/* Board, bug severity and CVSS: parsed here, then checked against the
 * issue's (possibly new) type.  A type change clears what no longer
 * applies; giving it explicitly for the wrong type is refused. */
static int apply_triage_fields(const struct op *op, const struct issue *cur,
			       const struct issue_input *in, struct issue *next, struct err *e)
{
	const struct user *actor = op->actor;
	int rc;
	if (in->set & IN_BOARD) {
		enum board b;
		if ((rc = svc_allow_field(actor, P_BOARD_PRODUCT, "board", e)))
			return rc;
		if (board_parse(in->board ? in->board : "", &b))
			return err_set(e, CAIRN_EINVALID, "board",
				       "board must be one of no_status,under_review,next,short,medium,"
				       "long,icebox,started,closed");
		next->board = b;
	}
	if ((in->set & IN_BUG_SEVERITY) &&
	    bug_severity_parse(in->bug_severity ? in->bug_severity : "", &next->bug_severity))
		return err_set(e, CAIRN_EINVALID, "bug_severity", "bug_severity must be S1, S2, S3, S4 or null");
	if (next->bug_severity && next->type != ISSUE_BUG) {
		if ((in->set & IN_BUG_SEVERITY) && in->bug_severity && *in->bug_severity)
			return err_set(e, CAIRN_EINVALID, "bug_severity", "bug_severity applies to bugs only");
		next->bug_severity = 0;
	}
	if ((in->set & IN_CVSS) && in->cvss && *in->cvss) {
		struct cvss c;
		struct sla sla;
		if (next->type != ISSUE_SECURITY)
			return err_set(e, CAIRN_EINVALID, "cvss", "cvss applies to security issues only");
		if (cvss_parse(in->cvss, &c, e))
			return e ? e->code : CAIRN_EINVALID;
		if ((rc = svc_sla_get(op, &sla, e)))
			return rc;
		free(next->cvss);
		if (!(next->cvss = strdup(c.vector)))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		next->cvss_score = c.score10;
		next->severity = c.severity;
		next->fix_by = sla_fix_by(&sla, c.severity, cur->created_at ? cur->created_at : op->now);
	} else if (((in->set & IN_CVSS) || next->type != ISSUE_SECURITY) && next->cvss) {
		free(next->cvss); /* cleared, or no longer a security issue */
		next->cvss = NULL;
		next->cvss_score = -1;
		next->severity = SEV_NONE;
		next->fix_by = 0;
	}
	return 0;
}

/* The RICE inputs a PM sets by hand (NULL/"" returns to the default). */
static int apply_rice(const struct user *actor, const struct issue_input *in, struct issue *next,
		      struct err *e)
{
	const unsigned bits = IN_RICE_REACH | IN_RICE_IMPACT | IN_RICE_CONFIDENCE;
	if (!(in->set & bits))
		return 0;
	if (svc_allow_field(actor, P_ISSUE_RICE, "rice", e))
		return CAIRN_EFORBIDDEN;
	if (in->set & IN_RICE_REACH) {
		char *end;
		long v = in->rice_reach && *in->rice_reach ? strtol(in->rice_reach, &end, 10) : -1;
		if (in->rice_reach && *in->rice_reach && (*end || v < 0 || v > 100000000))
			return err_set(e, CAIRN_EINVALID, "rice_reach",
				       "rice_reach must be a number of people or customers, or null");
		next->rice_reach = (int)v;
	}
	if (in->set & IN_RICE_IMPACT) {
		next->rice_impact = 0;
		if (in->rice_impact && *in->rice_impact && impact_parse(in->rice_impact, &next->rice_impact))
			return err_set(e, CAIRN_EINVALID, "rice_impact",
				       "rice_impact must be 0.25, 0.5, 1, 2 or 3 (minimal..massive), or null");
	}
	if (in->set & IN_RICE_CONFIDENCE) {
		next->rice_confidence = 0;
		if (in->rice_confidence && *in->rice_confidence &&
		    confidence_parse(in->rice_confidence, &next->rice_confidence))
			return err_set(e, CAIRN_EINVALID, "rice_confidence",
				       "rice_confidence must be 50, 80 or 100 (percent), or null");
	}
	return 0;
}

/* Keep state and board in step, and stamp the first triage. */
static void sync_board(const struct issue *cur, struct issue *next, const struct issue_input *in,
		       int64_t now)
{
	if (next->state != cur->state) {
		if (next->state == ISSUE_CLOSED)
			next->board = BOARD_CLOSED;
		else if (next->board == BOARD_CLOSED && !(in->set & IN_BOARD))
			next->board = BOARD_NO_STATUS; /* reopened: back to the inbox */
	} else if (next->board != cur->board) {
		if (next->board == BOARD_CLOSED)
			next->state = ISSUE_CLOSED;
		else if (cur->board == BOARD_CLOSED)
			next->state = ISSUE_OPEN;
	}
	if (next->board != BOARD_NO_STATUS && next->board != BOARD_CLOSED && !next->triaged_at)
		next->triaged_at = now;
}

/* Validate in against the current issue and build the candidate *next
 * (a copy of cur with the changes).  Touches no data. */
static int apply_input(const struct op *op, const struct issue *cur,
		       const struct issue_input *in, struct issue *next, int creating,
		       struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc = issue_copy(next, cur);
	if (rc)
		return err_set(e, rc, NULL, "out of memory");
	if (in->set & IN_TYPE) {
		enum issue_type t;
		if (issue_type_parse(in->type, &t))
			return err_set(e, CAIRN_EINVALID, "type",
				       "type must be one of epic,story,task,bug,feature,security");
		next->type = t;
	}
	if (in->set & IN_TITLE) {
		if (title_check(in->title, e))
			return e ? e->code : CAIRN_EINVALID;
		if ((rc = set_string(&next->title, in->title, e)))
			return rc;
	}
	if (in->set & IN_BODY) {
		if (body_check(in->body, e))
			return e ? e->code : CAIRN_EINVALID;
		if ((rc = set_string(&next->body, in->body, e)))
			return rc;
	}
	if (in->set & IN_STATE) {
		enum issue_state s;
		if (issue_state_parse(in->state, &s))
			return err_set(e, CAIRN_EINVALID, "state", "state must be open or closed");
		next->state = s;
	}
	if (in->set & IN_PRIORITY) {
		enum priority p;
		if (priority_parse(in->priority ? in->priority : "", &p))
			return err_set(e, CAIRN_EINVALID, "priority",
				       "priority must be one of high,medium,low or null");
		next->priority = p;
	}
	if ((in->set & IN_PM_SIZE) && size_parse(in->pm_size ? in->pm_size : "", &next->pm_size))
		return err_set(e, CAIRN_EINVALID, "pm_size", "pm_size must be one of " SIZE_ALLOWED);
	if ((in->set & IN_SIZE) && size_parse(in->size ? in->size : "", &next->size))
		return err_set(e, CAIRN_EINVALID, "size", "size must be one of " SIZE_ALLOWED);
	if (in->set & IN_LABELS && (rc = set_labels(next, in, e)))
		return rc;
	if (in->set & IN_PARENT) {
		next->parent = 0;
		if (in->parent && parse_number(in->parent, &next->parent))
			return err_set(e, CAIRN_EINVALID, "parent", "parent must be an issue number");
	}
	if (next->parent && (next->parent != cur->parent || next->type != cur->type)) {
		if (next->type == ISSUE_EPIC)
			return err_set(e, (in->set & IN_PARENT) ? CAIRN_EINVALID : CAIRN_EINVALID,
				       (in->set & IN_PARENT) ? "parent" : "type", "%s",
				       parent_rule(ISSUE_EPIC));
		if ((rc = check_parent(op, next, e)))
			return rc;
	}
	if (!creating && next->type != cur->type && (rc = check_children(op, next, e)))
		return rc;
	if (in->set & IN_ASSIGNEE) {
		next->assignee_id = 0;
		free(next->assignee);
		next->assignee = NULL;
		if (in->assignee && *in->assignee) {
			struct user u;
			rc = store_user_by_login(st, in->assignee, &u, NULL, 0, e);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "assignee", "no user '%s'",
					       in->assignee);
			}
			if (rc)
				return rc;
			next->assignee_id = u.id;
			if (!(next->assignee = strdup(u.login)))
				return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
	}
	if ((rc = apply_triage_fields(op, cur, in, next, e)) ||
	    (rc = plan_fields(op, cur, in, next, creating, e)))
		return rc;
	return apply_rice(actor, in, next, e);
}

/* The history text of one field of an issue; NULL for "none".  buf holds
 * formatted values. */
static const char *field_text(const struct issue *i, unsigned bit, char *buf, size_t cap)
{
	switch (bit) {
	case IN_TYPE:
		return issue_type_name(i->type);
	case IN_TITLE:
		return i->title;
	case IN_BODY:
		return i->body ? i->body : "";
	case IN_STATE:
		return issue_state_name(i->state);
	case IN_PRIORITY:
		return i->priority ? priority_name(i->priority) : NULL;
	case IN_PM_SIZE:
		return i->pm_size ? size_letter(i->pm_size) : NULL;
	case IN_SIZE:
		return i->size ? size_letter(i->size) : NULL;
	case IN_PARENT:
		if (!i->parent)
			return NULL;
		snprintf(buf, cap, "#%lld", (long long)i->parent);
		return buf;
	case IN_ASSIGNEE:
		return i->assignee;
	case IN_BOARD:
		return board_name((enum board)i->board);
	case IN_BUG_SEVERITY:
		return i->bug_severity ? bug_severity_name(i->bug_severity) : NULL;
	case IN_CVSS:
		return i->cvss;
	case IN_RICE_REACH:
		if (i->rice_reach < 0)
			return NULL;
		snprintf(buf, cap, "%d", i->rice_reach);
		return buf;
	case IN_RICE_IMPACT:
		if (!i->rice_impact)
			return NULL;
		snprintf(buf, cap, "%g", i->rice_impact / 100.0);
		return buf;
	case IN_RICE_CONFIDENCE:
		if (!i->rice_confidence)
			return NULL;
		snprintf(buf, cap, "%d%%", i->rice_confidence);
		return buf;
	case IN_DEV_STATUS:
		return i->dev_status ? dev_status_name((enum dev_status)i->dev_status) : NULL;
	case IN_MILESTONE:
		return i->milestone_id ? i->milestone : NULL;
	case IN_AREA:
		if (!i->area_id)
			return NULL;
		snprintf(buf, cap, "%lld", (long long)i->area_id);
		return buf;
	case IN_EXPECTED:
		if (!i->expected_day)
			return NULL;
		day_format(i->expected_day, buf, cap);
		return buf;
	case IN_DOD:
		if (!i->dod)
			return NULL;
		dod_format(i->dod, buf, cap);
		return buf;
	case IN_LABELS: {
		size_t n = 0;
		buf[0] = '\0';
		if (!i->nlabels)
			return NULL;
		for (size_t k = 0; k < i->nlabels && n < cap; k++)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? ", " : "", i->labels[k]);
		return buf;
	}
	}
	return NULL;
}

static const struct {
	unsigned bit;
	const char *name;
} fields[] = {
	{IN_TYPE, "type"},       {IN_TITLE, "title"},     {IN_BODY, "body"},
	{IN_STATE, "state"},     {IN_PRIORITY, "priority"}, {IN_PM_SIZE, "pm_size"},
	{IN_SIZE, "size"},       {IN_LABELS, "labels"},   {IN_PARENT, "parent"},
	{IN_ASSIGNEE, "assignee"}, {IN_BOARD, "board"}, {IN_BUG_SEVERITY, "bug_severity"},
	{IN_CVSS, "cvss"}, {IN_RICE_REACH, "rice_reach"}, {IN_RICE_IMPACT, "rice_impact"},
	{IN_RICE_CONFIDENCE, "rice_confidence"}, {IN_DEV_STATUS, "dev_status"},
	{IN_MILESTONE, "milestone"}, {IN_AREA, "area"}, {IN_EXPECTED, "expected_at"},
	{IN_DOD, "dod"},
};

static int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Write one history row per changed field; *changed gets a bit mask. */
static int record_changes(const struct op *op, const struct issue *old,
			  const struct issue *new, int64_t now, unsigned *changed, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char *ba = malloc(4096), *bb = malloc(4096);
	int rc = 0;
	*changed = 0;
	if (!ba || !bb) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
		const char *a = field_text(old, fields[k].bit, ba, 4096);
		const char *b = field_text(new, fields[k].bit, bb, 4096);
		if (same(a, b))
			continue;
		*changed |= fields[k].bit;
		rc = store_history_add(st, new->id, actor->id, now, fields[k].name, a, b, e);
		if (rc)
			break;
	}
out:
	free(ba);
	free(bb);
	return rc;
}

/* The private-issue rule applied to a change: an actor may not turn an
 * issue into one they could no longer see (the write would vanish). */
static int check_still_visible(const struct user *actor, const struct issue *next,
			       struct err *e)
{
	if (next->type == ISSUE_SECURITY && !svc_may(actor, P_PRIVATE_READ) &&
	    next->reporter_id != actor->id)
		return err_set(e, CAIRN_EFORBIDDEN, "type",
			       "only admin, pm, cto or the reporter may make this a security issue "
			       "(security issues are private)");
	return 0;
}

/* Validate and insert one new issue inside the caller's transaction, with
 * its "created" history row; next gets the stored issue (caller releases). */
static int create_one(const struct op *op, const struct user *reporter,
		      const struct issue_input *in, int64_t created_at, int64_t closed_at,
		      int64_t triaged_at, const struct issue_import *imp, struct body_memo *memo,
		      struct issue *next, struct err *e)
{
	struct store *st = op->st;
	struct issue blank = {0};
	int imported = imp != NULL, forced = 0;
	int rc;
	blank.type = ISSUE_STORY;
	blank.cvss_score = -1;
	blank.rice_reach = -1;
	if (!(in->set & IN_TITLE))
		return err_set(e, CAIRN_EINVALID, "title", "title is required");
	if (!imported && (in->set & IN_BOARD) && in->board && strcmp(in->board, "no_status") != 0)
		return err_set(e, CAIRN_EINVALID, "board",
			       "new issues land in no_status (the triage inbox); triage them to move them");
	if ((rc = apply_input(op, &blank, in, next, 1, e)))
		return rc;
	if (!imported && next->dev_status != DEV_NONE && next->dev_status != DEV_TODO &&
	    next->dev_status != DEV_UP_NEXT)
		return err_set(e, CAIRN_EINVALID, "dev_status",
			       "new issues enter the development board in todo or up_next; move them on "
			       "from there");
	next->reporter_id = reporter->id;
	next->created_at = next->updated_at = created_at;
	if (next->cvss) { /* scored at creation: the SLA runs from the report */
		struct sla sla;
		if ((rc = svc_sla_get(op, &sla, e)))
			return rc;
		next->fix_by = sla_fix_by(&sla, (enum severity)next->severity, created_at);
	}
	if (next->board != BOARD_NO_STATUS)
		next->triaged_at = triaged_at ? triaged_at : created_at;
	if (next->state == ISSUE_CLOSED) {
		next->closed_at = next->updated_at = closed_at ? closed_at : created_at;
		next->board = BOARD_CLOSED;
	}
	if (imported) { /* planning history as recorded */
		next->started_at = imp->started_at;
		next->done_at = imp->done_at ? imp->done_at
			      : next->state == ISSUE_CLOSED ? next->closed_at : 0;
		if (next->dev_status == DEV_IN_PROGRESS && !next->started_at)
			next->started_at = created_at;
		if (next->started_at && !next->expected_day) {
			int64_t d = expected_day(next->started_at, issue_effective_size(next));
			next->expected_day = d > 0 ? d : 0;
		}
		if (next->dev_status) /* placed in creation order */
			next->dev_position = (int64_t)next->number * 1024;
	} else if ((rc = plan_apply(op, &blank, next, in, created_at, 1, &forced, e))) {
		return rc;
	}
	next->version = 1;
	if ((!next->body && (rc = set_string(&next->body, "", e))) ||
	    (!next->body_html && (rc = render_body_memo(next, memo, e))))
		return rc;
	if ((rc = store_issue_next_number(st, &next->number, e)))
		return rc;
	if (imported && next->dev_status)
		next->dev_position = next->number * 1024;
	/* a bulk load rebuilds the roll-ups and the tallies at its end */
	int derive = !store_bulk_on(st);
	if ((derive && (rc = rollup_lock(st, NULL, next, e))) || (rc = store_issue_insert(st, next, e)) ||
	    (derive && ((rc = rollup_write(st, NULL, next, e)) ||
			(rc = store_board_tally(st, NULL, next, e)) ||
			(rc = store_triage_tally(st, NULL, next, e)))) ||
	    (rc = store_history_add(st, next->id, reporter->id, created_at, "created", NULL,
				    next->title, e)))
		return rc;
	if (!imported)
		return (*next->body && (rc = svc_body_refs(op, next, e)))
			       ? rc
			       : plan_record(op, &blank, next, in, created_at, forced, e);
	for (size_t k = 0; k < imp->nscope; k++) {
		const struct scope_import *sc = &imp->scope[k];
		if ((rc = store_scope_insert(st, sc->milestone_id, next->id, sc->added_at,
					     sc->removed_at, sc->slip_reason, sc->done_at, sc->points, e)))
			return rc;
	}
	return 0;
}

/* A create or an update as one write (svc_write): its input and answer. */
struct issue_write {
	const struct issue_input *in;
	int64_t number, if_match;
	const struct triage_extra *x;
	struct issue *out;
};

static void issue_write_undo(void *ctx)
{
	issue_release(((struct issue_write *)ctx)->out);
}

static int create_write(const struct op *op, void *ctx, struct err *e)
{
	struct issue_write *w = ctx;
	struct visibility v = visibility_of(op->actor);
	struct issue next = {0};
	int rc;
	if ((rc = create_one(op, op->actor, w->in, op->now, 0, 0, NULL, NULL, &next, e)) ||
	    (rc = notify_issue(op, NULL, &next, e)) ||
	    (rc = store_issue_get(op->st, next.number, &v, w->out, e)))
		issue_release(w->out);
	issue_release(&next);
	return rc;
}

int svc_issue_create(const struct op *op, const struct issue_input *in,
		     struct issue *out, struct err *e)
{
	struct issue_write w = {.in = in, .out = out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_ISSUE_WRITE, e)))
		return rc;
	return svc_write(op, create_write, issue_write_undo, &w, e);
}

int svc_issue_get(const struct op *op, int64_t number, struct issue *out,
		  struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int rc = store_begin(st, 0, e);
	if (rc)
		return rc;
	/* one snapshot: the row and its labels belong to the same version */
	if ((rc = store_issue_get(st, number, &v, out, e)) ||
	    (rc = svc_fill_rollups(op, out, 1, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		issue_release(out);
	}
	return rc;
}

/* Extra work of a triage inside the update transaction (see update_issue). */
struct triage_extra {
	const struct triage_input *t;
	int64_t dup; /* the duplicate's target, 0 for none */
	int close_only; /* record the won't-do reason, but it is no triage
			 * (closed elsewhere: labels and triaged_at stay) */
};

/* After a triage decision or route: the needs-triage label goes, the
 * triage is stamped, a won't-do or duplicate records why it closed. */
static int apply_triage_extra(const struct op *op, struct issue *next,
			      const struct triage_extra *x, int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	size_t w = 0;
	for (size_t k = 0; k < next->nlabels && !x->close_only; k++) {
		if (strcmp(next->labels[k], INBOX_LABEL) == 0)
			free(next->labels[k]);
		else
			next->labels[w++] = next->labels[k];
	}
	if (!x->close_only)
		next->nlabels = w;
	if (!next->triaged_at && !x->close_only)
		next->triaged_at = now;
	const char *route = x->t->route;
	if (route && (!strcmp(route, "wont_do") || !strcmp(route, "duplicate"))) {
		char reason[300];
		if (!strcmp(route, "duplicate"))
			snprintf(reason, sizeof reason, "duplicate of #%lld", (long long)x->dup);
		else
			snprintf(reason, sizeof reason, "won't do%s%.250s",
				 x->t->reason && *x->t->reason ? ": " : "",
				 x->t->reason ? x->t->reason : "");
		free(next->close_reason);
		if (!(next->close_reason = strdup(reason)))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		next->duplicate_of = x->dup;
		if (x->dup) {
			/* the kept issue records that it absorbed this one */
			struct visibility all = {actor->id, 1, 1};
			struct issue target;
			char what[32];
			int rc = store_issue_get(st, x->dup, &all, &target, e);
			if (rc)
				return rc;
			snprintf(what, sizeof what, "#%lld", (long long)next->number);
			rc = store_history_add(st, target.id, actor->id, now, "duplicate", NULL, what, e);
			/* the demand goes with it: the kept issue is what customers
			 * now wait for (both sides keep a history row) */
			int64_t moved = 0;
			int had[2] = {0, 0}, has[2] = {0, 0};
			char cause[2][64];
			snprintf(cause[0], sizeof cause[0], "insights moved to #%lld", (long long)x->dup);
			snprintf(cause[1], sizeof cause[1], "insights moved from #%lld",
				 (long long)next->number);
			if (!rc && !(rc = svc_customer_request(st, next->id, &had[0], e)) &&
			    !(rc = svc_customer_request(st, target.id, &had[1], e)))
				rc = store_links_move(st, next->id, target.id, &moved, e);
			if (!rc && !(rc = svc_customer_request(st, next->id, &has[0], e)) &&
			    !(rc = svc_customer_request(st, target.id, &has[1], e)) &&
			    !(rc = svc_customer_request_history(st, actor->id, now, next->id, had[0],
								has[0], cause[0], e)))
				rc = svc_customer_request_history(st, actor->id, now, target.id, had[1],
								  has[1], cause[1], e);
			if (!rc && moved) {
				char n[32];
				snprintf(n, sizeof n, "%lld", (long long)moved);
				rc = store_history_add(st, target.id, actor->id, now, "insights_from", n,
						       what, e);
				if (!rc)
					rc = store_history_add(st, next->id, actor->id, now,
							       "insights_moved", NULL, n, e);
			}
			/* and so do its watchers and what referenced it */
			if (!rc)
				rc = dup_merge_follow(op, next, &target, e);
			issue_release(&target);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* The one update path: read, check the version, validate, keep board and
 * state in step, record history, write, and read the reply back, all in
 * one transaction.  x is NULL for a plain edit. */
/* The write of update_issue inside the caller's transaction. */
static int update_in_tx(const struct op *op, int64_t number,
			const struct issue_input *in, int64_t if_match,
			const struct triage_extra *x, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility raw = visibility_of(actor);
	struct issue cur = {0}, next = {0};
	unsigned changed = 0;
	int rc;

	raw.raw = 1; /* cur is written back: read what is stored, not what is shown */
	if ((rc = store_lock_row(st, ROW_ISSUE, number, e)) ||
	    (rc = store_issue_get(st, number, &raw, &cur, e)))
		goto fail;
	if (if_match >= 0 && if_match != cur.version) {
		rc = err_set(e, CAIRN_ESTALE, "version",
			     "issue #%lld is at version %lld, not %lld: reload and try again",
			     (long long)number, (long long)cur.version, (long long)if_match);
		goto fail;
	}
	if ((rc = apply_input(op, &cur, in, &next, 0, e)) ||
	    (rc = check_still_visible(actor, &next, e)))
		goto fail;
	int64_t now = op->now;
	int forced = 0;
	sync_board(&cur, &next, in, now);
	const char *route = x ? x->t->route : NULL;
	int closing_done = !route || (strcmp(route, "wont_do") && strcmp(route, "duplicate"));
	if ((rc = plan_apply(op, &cur, &next, in, now, closing_done, &forced, e)))
		goto fail;
	if (x && (rc = apply_triage_extra(op, &next, x, now, e)))
		goto fail;
	if (next.state != cur.state)
		next.closed_at = next.state == ISSUE_CLOSED ? now : 0;
	if (next.state == ISSUE_OPEN && cur.state == ISSUE_CLOSED && next.close_reason) {
		/* reopened: it is no longer won't-do or a duplicate */
		if ((rc = store_history_add(st, next.id, actor->id, now, "close_reason",
					    cur.close_reason, NULL, e)))
			goto fail;
		free(next.close_reason);
		next.close_reason = NULL; /* written with the state change below */
	}
	if ((rc = record_changes(op, &cur, &next, now, &changed, e)))
		goto fail;
	if (x && next.close_reason && !same(cur.close_reason, next.close_reason) &&
	    (rc = store_history_add(st, next.id, actor->id, now, "close_reason", cur.close_reason,
				    next.close_reason, e)))
		goto fail;
	if (x && next.duplicate_of != cur.duplicate_of) {
		char was[24] = "", is[24];
		if (cur.duplicate_of)
			snprintf(was, sizeof was, "%lld", (long long)cur.duplicate_of);
		snprintf(is, sizeof is, "%lld", (long long)next.duplicate_of);
		if ((rc = store_history_add(st, next.id, actor->id, now, "duplicate_of",
					    cur.duplicate_of ? was : NULL, is, e)))
			goto fail;
	}
	int moved = next.dev_position != cur.dev_position ||
		    next.board_position != cur.board_position;
	/* a slip reason is history of this issue too: its version moves */
	int noted = (in->set & IN_SLIP_REASON) && in->slip_reason && *in->slip_reason;
	if (changed || moved || noted ||
	    (x && (next.triaged_at != cur.triaged_at || !same(cur.close_reason, next.close_reason)))) {
		next.updated_at = now;
		if ((changed & IN_BODY) && (rc = render_body(&next, e)))
			goto fail;
		if ((rc = rollup_lock(st, &cur, &next, e)) ||
		    (rc = store_issue_update(st, &next, cur.version, (changed & IN_LABELS) != 0, e)) ||
		    (rc = rollup_write(st, &cur, &next, e)) ||
		    (cur.type == ISSUE_EPIC && next.type != ISSUE_EPIC &&
		     (rc = svc_initiative_epic_gone(op, &next, e))) ||
		    (rc = store_board_tally(st, &cur, &next, e)) ||
		    (rc = store_triage_tally(st, &cur, &next, e)) ||
		    ((changed & IN_BODY) && (rc = svc_body_refs(op, &next, e))))
			goto fail;
	}
	/* a linked GitHub issue hears of it (svc_github_sync.c) */
	if ((rc = svc_gh_issue_changed(op, &cur, &next, changed, x && !x->close_only, e)))
		goto fail;
	if (!(rc = plan_record(op, &cur, &next, in, now, forced, e)))
		rc = notify_issue(op, &cur, &next, e);
fail:
	issue_release(&cur);
	issue_release(&next);
	return rc;
}

int svc_issue_update_in_tx(const struct op *op, int64_t number,
			   const struct issue_input *in, struct err *e)
{
	return update_in_tx(op, number, in, -1, NULL, e);
}

int svc_issue_wont_do_in_tx(const struct op *op, int64_t number, const char *reason,
			    struct err *e)
{
	struct triage_input t = {.route = "wont_do", .reason = reason};
	struct triage_extra x = {&t, 0, 1};
	t.in.set = IN_BOARD;
	t.in.board = "closed";
	return update_in_tx(op, number, &t.in, -1, &x, e);
}

int svc_issue_create_in_tx(const struct op *op, const struct issue_import *r, int64_t *number,
			   struct err *e)
{
	struct issue next = {0};
	int rc = create_one(op, op->actor, &r->in, r->created_at ? r->created_at : op->now,
			    r->closed_at, r->triaged_at, r, NULL, &next, e);
	*number = next.number;
	issue_release(&next);
	return rc;
}

static int update_write(const struct op *op, void *ctx, struct err *e)
{
	struct issue_write *w = ctx;
	struct visibility v = visibility_of(op->actor);
	int rc;
	if ((rc = update_in_tx(op, w->number, w->in, w->if_match, w->x, e)) ||
	    (rc = store_issue_get(op->st, w->number, &v, w->out, e)) ||
	    (rc = svc_fill_rollups(op, w->out, 1, e)))
		issue_release(w->out);
	return rc;
}

static int update_issue(const struct op *op, int64_t number,
			const struct issue_input *in, int64_t if_match,
			const struct triage_extra *x, struct issue *out, struct err *e)
{
	struct issue_write w = {in, number, if_match, x, out};
	return svc_write(op, update_write, issue_write_undo, &w, e);
}

int svc_issue_update(const struct op *op, int64_t number,
		     const struct issue_input *in, int64_t if_match, struct issue *out,
		     struct err *e)
{
	const struct user *actor = op->actor;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_ISSUE_WRITE, e)))
		return rc;
	return update_issue(op, number, in, if_match, NULL, out, e);
}

int svc_issue_triage(const struct op *op, int64_t number,
		     const struct triage_input *t, int64_t if_match, struct issue *out,
		     struct err *e)
{
	const struct user *actor = op->actor;
	struct triage_extra x = {t, 0, 0};
	struct issue_input in = t->in;
	const unsigned decision = IN_TYPE | IN_PRIORITY | IN_PM_SIZE | IN_BOARD | IN_BUG_SEVERITY |
				  IN_CVSS;

	memset(out, 0, sizeof *out);
	int rc;
	if ((rc = svc_allow(actor, P_ISSUE_TRIAGE, e)))
		return rc;
	if (in.set & ~decision)
		return err_set(e, CAIRN_EINVALID, NULL,
			       "a triage sets only type, priority, pm_size, board, bug_severity and cvss");
	if (!t->route) {
		enum board b;
		if (!(in.set & IN_BOARD) || !in.board)
			return err_set(e, CAIRN_EINVALID, "board",
				       "a triage decision needs a horizon: board next, short, medium or long");
		if (board_parse(in.board, &b) || !board_is_horizon(b))
			return err_set(e, CAIRN_EINVALID, "board",
				       "board must be next, short, medium or long (or use a route)");
	} else {
		if (in.set)
			return err_set(e, CAIRN_EINVALID, "route",
				       "a route (%s) takes no decision fields", t->route);
		in.set = IN_BOARD;
		if (!strcmp(t->route, "under_review") || !strcmp(t->route, "icebox")) {
			in.board = t->route;
		} else if (!strcmp(t->route, "wont_do") || !strcmp(t->route, "duplicate")) {
			in.board = "closed";
			if (!strcmp(t->route, "duplicate")) {
				char *end;
				long long n = t->duplicate_of ? strtoll(t->duplicate_of, &end, 10) : 0;
				struct issue target;
				if (!t->duplicate_of || *end || n <= 0)
					return err_set(e, CAIRN_EINVALID, "duplicate_of",
						       "duplicate_of must be the number of the issue to keep");
				if (n == number)
					return err_set(e, CAIRN_EINVALID, "duplicate_of",
						       "an issue cannot duplicate itself");
				rc = svc_issue_get(op, n, &target, e);
				if (rc == CAIRN_ENOTFOUND) {
					err_clear(e);
					return err_set(e, CAIRN_EINVALID, "duplicate_of",
						       "issue #%lld does not exist", n);
				}
				if (rc)
					return rc;
				int loops = target.duplicate_of == number;
				issue_release(&target);
				if (loops)
					return err_set(e, CAIRN_EINVALID, "duplicate_of",
						       "#%lld is already a duplicate of #%lld", n,
						       (long long)number);
				x.dup = n;
			}
		} else {
			return err_set(e, CAIRN_EINVALID, "route",
				       "route must be under_review, icebox, wont_do or duplicate");
		}
	}
	if (t->reason && strlen(t->reason) > 250)
		return err_set(e, CAIRN_EINVALID, "reason", "reason must be at most 250 bytes");
	if (t->reason && title_check(t->reason, NULL) && *t->reason)
		return err_set(e, CAIRN_EINVALID, "reason", "reason must be one line of UTF-8 text");
	return update_issue(op, number, &in, if_match, &x, out, e);
}

int svc_issue_list(const struct op *op, const char *q, int64_t page,
		   int64_t per_page, struct issue_list *out, int64_t *total, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct issue_query query;
	int rc;

	out->items = NULL;
	out->n = 0;
	*total = 0;
	if (page < 1)
		return err_set(e, CAIRN_EINVALID, "page", "page must be 1 or more");
	if (per_page < 1 || per_page > PER_PAGE_MAX)
		return err_set(e, CAIRN_EINVALID, "per_page", "per_page must be between 1 and %d",
			       PER_PAGE_MAX);
	if (page > INT64_MAX / per_page)
		return err_set(e, CAIRN_EINVALID, "page", "page is too large");
	if ((rc = query_parse_at(q, op->now, &query, e)))
		return rc;
	int64_t cap = query.nwords > 0 ? SEARCH_COUNT_CAP : ISSUE_COUNT_CAP;
	query.count_cap = page * per_page > cap ? page * per_page : cap;
	if ((rc = store_begin(st, 0, e)) == 0) {
		rc = store_issue_list(st, &query, &v, (page - 1) * per_page, per_page, out, total, e);
		out->timed = query.uses_now;
		if (!rc)
			rc = svc_fill_rollups(op, out->items, out->n, e);
		if (rc)
			store_rollback(st);
		else
			rc = store_commit(st, e);
		if (rc)
			issue_list_release(out);
	}
	query_release(&query);
	return rc;
}

/* The issue a history value refers to: "12" (parent, duplicate_of), "#12"
 * (duplicate), "duplicate of #12" (close_reason); 0 for anything else. */
static int64_t history_ref(const char *field, const char *value)
{
	static const char *const refs[] = {"parent",	 "duplicate_of",    "duplicate",
					   "insights_from", "watchers_from", "references_from",
					   "close_reason"};
	const size_t nrefs = sizeof refs / sizeof refs[0];
	int64_t n = 0;
	size_t k = 0;
	while (k < nrefs && strcmp(refs[k], field))
		k++;
	if (k == nrefs || !value)
		return 0;
	if (!strncmp(value, "duplicate of ", 13))
		value += 13;
	else if (k == nrefs - 1)
		return 0;
	if (*value == '#')
		value++;
	if (!*value)
		return 0;
	for (; *value; value++) {
		if (*value < '0' || *value > '9' || n > 100000000000LL)
			return 0;
		n = n * 10 + (*value - '0');
	}
	return n;
}

/* A private issue's number never shows through another issue's history
 * (a parent, a duplicate, the close reason naming it): for a viewer who may
 * not see it, the value says "a private issue" instead. */
static int mask_history(struct store *st, const struct visibility *v, struct history_list *h,
			struct err *e)
{
	int64_t *nums;
	int *hidden;
	int rc;
	if (v->all_private || !h->n)
		return 0;
	nums = calloc(2 * h->n, sizeof *nums);
	hidden = calloc(2 * h->n, sizeof *hidden);
	if (!nums || !hidden) {
		free(nums);
		free(hidden);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	for (size_t k = 0; k < h->n; k++) {
		nums[2 * k] = history_ref(h->items[k].field, h->items[k].old_value);
		nums[2 * k + 1] = history_ref(h->items[k].field, h->items[k].new_value);
	}
	rc = store_hidden_numbers(st, v, nums, 2 * h->n, hidden, e);
	for (size_t k = 0; !rc && k < h->n; k++) {
		struct history_entry *x = &h->items[k];
		int reason = !strcmp(x->field, "close_reason");
		for (int side = 0; side < 2 && !rc; side++) {
			char **val = side ? &x->new_value : &x->old_value;
			if (!hidden[2 * k + side])
				continue;
			free(*val);
			if (!(*val = strdup(reason ? PRIVATE_DUPLICATE : PRIVATE_ISSUE)))
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
	}
	free(nums);
	free(hidden);
	return rc;
}

int svc_issue_history(const struct op *op, int64_t number,
		      struct history_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct issue cur;
	out->items = NULL;
	out->n = 0;
	struct visibility v = visibility_of(actor);
	int rc = store_begin(st, 0, e);
	if (rc)
		return rc;
	if ((rc = store_issue_get(st, number, &v, &cur, e)) == 0 &&
	    (rc = store_history_list(st, cur.id, out, e)) == 0)
		rc = mask_history(st, &v, out, e);
	issue_release(&cur);
	if (rc || (rc = store_commit(st, e))) {
		store_rollback(st);
		history_list_release(out);
	}
	return rc;
}

/* Small cache of login -> user id for a batch (a handful of reporters),
 * and the bodies rendered (a bulk load's). */
struct login_cache {
	struct user users[32];
	int n;
	struct body_memo *memo;
};

static int cached_user(struct store *st, struct login_cache *c, const char *login,
		       struct user *out, struct err *e)
{
	for (int k = 0; k < c->n; k++)
		if (strcmp(c->users[k].login, login) == 0) {
			*out = c->users[k];
			return 0;
		}
	int rc = store_user_by_login(st, login, out, NULL, 0, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_EINVALID, "reporter", "no user '%s'", login);
	}
	if (!rc && c->n < 32)
		c->users[c->n++] = *out;
	return rc;
}

/* Create recs[0..n) inside the caller's write transaction; record numbers
 * in errors count from base + 1. */
static int import_records(const struct op *op, struct login_cache *cache,
			  const struct issue_import *recs, size_t n, size_t base, struct err *e)
{
	int rc = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		const struct issue_import *r = &recs[k];
		struct issue next = {0};
		struct user reporter = *op->actor;
		if (r->reporter)
			rc = cached_user(op->st, cache, r->reporter, &reporter, e);
		if (!rc)
			rc = create_one(op, &reporter, &r->in, r->created_at ? r->created_at : op->now,
					r->closed_at, r->triaged_at, r, cache->memo, &next, e);
		if (rc && e && (int)e->code == rc) {
			char msg[ERR_MSG_MAX], field[ERR_FIELD_MAX];
			snprintf(msg, sizeof msg, "%s", e->msg);
			snprintf(field, sizeof field, "%s", e->field);
			err_set(e, rc, field, "record %zu: %s", base + k + 1, msg);
		}
		issue_release(&next);
	}
	return rc;
}

/* Every batch next gives, in one transaction; as a bulk load (the derived
 * data built once at the end) when bulk is set. */
static int import_tx(const struct op *op, svc_import_next next, void *ctx, int bulk,
		     struct err *e)
{
	struct store *st = op->st;
	struct login_cache *cache;
	size_t done = 0;
	int rc = 0;

	if ((rc = svc_allow(op->actor, P_ISSUE_IMPORT, e)))
		return rc;
	if (!(cache = calloc(1, sizeof *cache)) || !(cache->memo = calloc(1, sizeof *cache->memo))) {
		free(cache);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	if ((bulk && (rc = store_bulk_open(st, e))) || (rc = store_begin(st, 1, e))) {
		if (bulk)
			store_bulk_close(st);
		body_memo_free(cache->memo);
		free(cache);
		return rc;
	}
	if (bulk)
		rc = store_bulk_begin(st, e);
	while (!rc) {
		const struct issue_import *recs = NULL;
		size_t n = 0;
		if ((rc = next(ctx, &recs, &n, e)) || !n)
			break;
		rc = import_records(op, cache, recs, n, done, e);
		done += n;
	}
	/* what a bulk load left out, once: search rows and indexes, then the
	 * roll-ups and the tallies from all issues */
	if (!rc && bulk && !(rc = store_bulk_end(st, e)))
		rc = rollup_rebuild(st, e);
	if (!rc)
		rc = store_commit(st, e);
	if (rc)
		store_rollback(st);
	if (bulk)
		store_bulk_close(st);
	body_memo_free(cache->memo);
	free(cache);
	return rc;
}

/* svc_import_next over one array, given once. */
struct one_batch {
	const struct issue_import *recs;
	size_t n;
};

static int one_batch(void *ctx, const struct issue_import **recs, size_t *n, struct err *e)
{
	struct one_batch *b = ctx;
	(void)e;
	*recs = b->recs;
	*n = b->n;
	b->n = 0;
	return 0;
}

int svc_issue_import(const struct op *op,
		     const struct issue_import *recs, size_t n, struct err *e)
{
	struct one_batch b = {recs, n};
	return import_tx(op, one_batch, &b, 0, e);
}

int svc_issue_import_bulk(const struct op *op, svc_import_next next, void *ctx, struct err *e)
{
	return import_tx(op, next, ctx, 1, e);
}
