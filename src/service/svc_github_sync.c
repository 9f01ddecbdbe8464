/*
 * svc_github_sync.c — Cairn's decisions written back to GitHub (issue #16):
 * when someone in Cairn changes a linked issue of a repository that has a
 * token, the calls that carry the change to GitHub are queued in the same
 * transaction (gh_outbox), and the server's worker makes them through
 * GitHub's REST API (integrations/github_api.c):
 *
 *   labels     PUT   /repos/R/issues/N/labels  type, pm_size, priority:*,
 *                    horizon:*, and the issue's other labels
 *   milestone  PATCH /repos/R/issues/N         {"milestone": number} (the
 *                    milestone found by title, created when missing)
 *   state      PATCH /repos/R/issues/N         closed with state_reason
 *                    completed / not_planned, or open
 *   comment    POST  /repos/R/issues/N/comments  when a PM triages it, and
 *                    when a changelog entry that links it is published
 *
 * A newer change of the same kind replaces a call still waiting.  Changes
 * made by the github user (coming from GitHub) are not sent back, and
 * security issues are never sent.  Retries: 5xx, timeouts and network
 * errors back off exponentially ($CAIRN_GITHUB_RETRY_MS, default 5000, then
 * doubling; failed after 8 attempts); a 403/429 that says the rate limit is
 * spent (x-ratelimit-remaining: 0, or Retry-After) holds every call of the
 * repository until GitHub's reset; other 4xx fail at once.  Times are the
 * wall clock (wall_ms), as for the outgoing hooks.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/timeutil.h"
#include "core/triage.h"
#include "integrations/github_api.h"
#include "service/svc_int.h"

#define SYNC_ATTEMPTS 8

static int queue(const struct op *op, const struct gh_repo *r, const struct gh_link *l,
		 const char *kind, const char *method, const char *suffix, json_t *body,
		 struct err *e)
{
	struct gh_call c = {0};
	c.repo_id = r->id;
	c.issue_id = l->issue_id;
	snprintf(c.kind, sizeof c.kind, "%s", kind);
	snprintf(c.method, sizeof c.method, "%s", method);
	snprintf(c.path, sizeof c.path, "/repos/%s/issues/%lld%s", r->full_name,
		 (long long)l->gh_number, suffix);
	c.body = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!c.body)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	c.next_at = wall_ms();
	c.created_at = op->now;
	int rc = store_gh_out_enqueue(op->st, &c, e);
	free(c.body);
	return rc;
}

/* The labels Cairn writes for issue i. */
static json_t *labels_of(const struct issue *i)
{
	json_t *a = json_array();
	char buf[64];
	json_array_append_new(a, json_string(issue_type_name(i->type)));
	if (i->pm_size) {
		snprintf(buf, sizeof buf, "%d", i->pm_size);
		json_array_append_new(a, json_string(buf));
	}
	if (i->priority) {
		snprintf(buf, sizeof buf, "priority:%s", priority_name(i->priority));
		json_array_append_new(a, json_string(buf));
	}
	if (i->board != BOARD_NO_STATUS && i->board != BOARD_STARTED && i->board != BOARD_CLOSED) {
		snprintf(buf, sizeof buf, "horizon:%s", board_name((enum board)i->board));
		json_array_append_new(a, json_string(buf));
	}
	for (size_t k = 0; k < i->nlabels; k++)
		if (strncmp(i->labels[k], "horizon:", 8))
			json_array_append_new(a, json_string(i->labels[k]));
	return a;
}

int svc_gh_issue_changed(const struct op *op, const struct issue *cur, const struct issue *next,
			 unsigned changed, int triaged, struct err *e)
{
	struct gh_link l;
	struct gh_repo r;
	int rc;
	const unsigned label_bits = IN_TYPE | IN_PRIORITY | IN_PM_SIZE | IN_LABELS | IN_BOARD;
	if ((!changed && !triaged) || !op->actor || !strcmp(op->actor->login, "github"))
		return 0;
	if (next->type == ISSUE_SECURITY || cur->type == ISSUE_SECURITY)
		return 0; /* private: never leaves Cairn */
	rc = store_gh_issue_get(op->st, next->id, &l, e);
	if (rc == CAIRN_ENOTFOUND)
		return 0;
	if (rc || l.deleted_at)
		return rc;
	if ((rc = store_gh_repo_get(op->st, l.repo_id, &r, e)) || !r.token[0])
		return rc;
	if ((changed & label_bits) &&
	    (rc = queue(op, &r, &l, "labels", "PUT", "/labels",
			json_pack("{s:o}", "labels", labels_of(next)), e)))
		return rc;
	if ((changed & IN_MILESTONE) &&
	    (rc = queue(op, &r, &l, "milestone", "PATCH", "",
			json_pack("{s:o}", "milestone_title",
				  next->milestone_id && next->milestone ? json_string(next->milestone)
									: json_null()),
			e)))
		return rc;
	if (changed & IN_STATE) {
		json_t *b = next->state == ISSUE_CLOSED
				    ? json_pack("{s:s,s:s}", "state", "closed", "state_reason",
						next->close_reason ? "not_planned" : "completed")
				    : json_pack("{s:s}", "state", "open");
		if ((rc = queue(op, &r, &l, "state", "PATCH", "", b, e)))
			return rc;
	}
	if (triaged) {
		char text[600];
		snprintf(text, sizeof text,
			 "Triaged in Cairn by %s: %s%s%s%s%s%s%s.", op->actor->login,
			 issue_type_name(next->type), next->priority ? ", priority " : "",
			 next->priority ? priority_name(next->priority) : "",
			 next->pm_size ? ", size " : "", next->pm_size ? size_letter(next->pm_size) : "",
			 next->close_reason ? ", closed: " : ", horizon ",
			 next->close_reason ? next->close_reason : board_name((enum board)next->board));
		rc = queue(op, &r, &l, "comment", "POST", "/comments", json_pack("{s:s}", "body", text),
			   e);
	}
	return rc;
}

int svc_gh_entry_published(const struct op *op, const struct changelog_row *r, struct err *e)
{
	for (size_t k = 0; k < r->nlinks; k++) {
		const struct cl_link *c = &r->links[k];
		struct gh_link l;
		struct gh_repo repo;
		char text[700];
		if (!c->issue_id || c->type == ISSUE_SECURITY)
			continue; /* private: never leaves Cairn */
		int rc = store_gh_issue_get(op->st, c->issue_id, &l, e);
		if (rc == CAIRN_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		if (l.deleted_at)
			continue;
		if ((rc = store_gh_repo_get(op->st, l.repo_id, &repo, e)))
			return rc;
		if (!repo.token[0])
			continue;
		snprintf(text, sizeof text, "Released: **%.250s**%s%.300s", r->title,
			 r->description && *r->description ? " — " : "",
			 r->description ? r->description : "");
		if ((rc = queue(op, &repo, &l, "comment", "POST", "/comments",
				json_pack("{s:s}", "body", text), e)))
			return rc;
	}
	return 0;
}

/* ---- the worker ----------------------------------------------------------------- */

static int64_t retry_base(void)
{
	const char *s = getenv("CAIRN_GITHUB_RETRY_MS");
	long long v = s ? strtoll(s, NULL, 10) : 0;
	return v >= 10 && v <= 3600000 ? v : 5000;
}

/* The number of the repository's milestone titled title, created when
 * GitHub has none; 0 and a->status set when a call failed. */
static int64_t milestone_number(const struct gh_call *c, const char *title, struct gh_answer *a)
{
	char path[400];
	int64_t number = 0;
	snprintf(path, sizeof path, "/repos/%s/milestones?state=all&per_page=100", c->repo);
	if (gh_api_call(c->token, "GET", path, NULL, a))
		return 0;
	json_t *list = a->body ? json_loads(a->body, 0, NULL) : NULL, *m;
	size_t k;
	json_array_foreach(list, k, m)
	{
		const char *t = json_string_value(json_object_get(m, "title"));
		if (t && !strcmp(t, title))
			number = json_integer_value(json_object_get(m, "number"));
	}
	json_decref(list);
	if (number > 0)
		return number;
	gh_answer_release(a);
	snprintf(path, sizeof path, "/repos/%s/milestones", c->repo);
	json_t *b = json_pack("{s:s}", "title", title);
	char *body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	int failed = !body || gh_api_call(c->token, "POST", path, body, a);
	free(body);
	if (failed)
		return 0;
	json_t *made = a->body ? json_loads(a->body, 0, NULL) : NULL;
	number = json_integer_value(json_object_get(made, "number"));
	json_decref(made);
	if (number <= 0)
		snprintf(a->error, sizeof a->error, "GitHub made the milestone without a number");
	return number;
}

/* Make the call of c; a gets the last answer.  0 when GitHub took it. */
static int make_call(const struct gh_call *c, struct gh_answer *a)
{
	if (strcmp(c->kind, "milestone"))
		return gh_api_call(c->token, c->method, c->path, c->body, a);
	json_t *b = json_loads(c->body, 0, NULL);
	const char *title = json_string_value(json_object_get(b, "milestone_title"));
	json_t *out = json_object();
	int rc = -1;
	if (!title) {
		json_object_set_new(out, "milestone", json_null());
	} else {
		int64_t number = milestone_number(c, title, a);
		if (number > 0) {
			json_object_set_new(out, "milestone", json_integer(number));
			gh_answer_release(a);
		} else {
			json_decref(b);
			json_decref(out);
			return -1;
		}
	}
	char *body = json_dumps(out, JSON_COMPACT);
	if (body)
		rc = gh_api_call(c->token, c->method, c->path, body, a);
	free(body);
	json_decref(out);
	json_decref(b);
	return rc;
}

/* Make one claimed call and record what came of it. */
static int send_call(struct store *st, void *item, struct err *e)
{
	struct gh_call *c = item;
	struct gh_answer a;
	int ok = make_call(c, &a) == 0;
	int64_t wall = wall_ms(), hold = 0;
	int limited = (a.status == 403 || a.status == 429) && (a.remaining == 0 || a.retry_after >= 0);
	if (a.remaining == 0 || limited) /* spent: nothing more until GitHub says so */
		hold = a.retry_after >= 0 ? wall + a.retry_after * 1000
		       : a.reset >= 0     ? a.reset * 1000
					  : wall + retry_base();
	c->attempts++;
	c->status = a.status;
	c->updated_at = now_ms();
	snprintf(c->error, sizeof c->error, "%s", ok ? "" : a.error);
	if (ok) {
		c->state = 1;
	} else if (limited) {
		c->state = 0; /* not the call's fault: it waits, however long */
		c->next_at = hold > wall ? hold : wall + retry_base();
	} else if (a.status >= 400 && a.status < 500) {
		c->state = 2; /* GitHub refused it: trying again will not help */
	} else {
		c->state = c->attempts >= SYNC_ATTEMPTS ? 2 : 0;
		c->next_at = wall + (retry_base() << (c->attempts - 1 < 20 ? c->attempts - 1 : 20));
	}
	gh_answer_release(&a);
	int rc = store_begin(st, 1, e);
	if (rc)
		return rc;
	if ((rc = store_gh_out_result(st, c, e)) ||
	    (hold > wall && (rc = store_gh_out_hold(st, c->repo_id, hold, e))) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_sync_run(const struct op *op, int limit, int *sent, struct err *e)
{
	struct store *st = op->st;
	struct gh_call *due = NULL;
	size_t n = 0;
	int rc;
	*sent = 0;
	int64_t wall = wall_ms();
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_gh_out_due(st, wall, limit, &due, &n, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	/* held longer than one call (with its milestone look-up) can take */
	rc = svc_send_claimed(st, due, n, sizeof *due, offsetof(struct gh_call, id), wall, 120000,
			      store_gh_out_claim, send_call, sent, e);
	gh_calls_free(due, n);
	return rc;
}

int svc_gh_outbox(const struct op *op, int64_t limit, struct gh_call **out, size_t *n,
		  struct err *e)
{
	struct store *st = op->st;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_gh_admin_log_begin(op, limit, e)))
		return rc;
	if ((rc = store_gh_out_list(st, 0, limit, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_issue_github(const struct op *op, int64_t number, struct gh_issue_view *out,
			struct err *e)
{
	struct store *st = op->st;
	struct visibility v = visibility_of(op->actor);
	struct issue i;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_READ, e)) || (rc = store_begin(st, 0, e)))
		return rc;
	if (!(rc = store_issue_get(st, number, &v, &i, e))) {
		rc = store_gh_issue_get(st, i.id, &out->link, e);
		if (rc == CAIRN_ENOTFOUND) {
			memset(&out->link, 0, sizeof out->link);
			rc = 0;
		} else if (!rc) {
			rc = store_gh_out_counts(st, i.id, out->calls, e);
		}
		issue_release(&i);
	}
	if (rc || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}
