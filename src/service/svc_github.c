/*
 * svc_github.c — GitHub into Cairn: the repositories an admin configured,
 * the login mapping, signed webhook deliveries (verified, recorded, applied
 * in one transaction each) and the import of a repository's issues.
 *
 * Every change GitHub makes is made by the "github" user (created disabled
 * with the first repository: it cannot sign in), so history says where a
 * change came from.  A GitHub issue is mapped onto a Cairn issue by
 * apply_issue: title, body, state with its reason, labels (core/github.h),
 * milestone by title, assignees by the login mapping.  Labels and the
 * milestone follow "last writer wins": GitHub's change (at the issue's
 * updated_at) is applied unless someone in Cairn changed that field later;
 * then the GitHub value is recorded in the history as github_labels /
 * github_milestone (old: Cairn's kept value, new: GitHub's) and not applied.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/github.h"
#include "core/timeutil.h"
#include "service/svc_int.h"

#define BOT_LOGIN "github"
#define DAY_MS 86400000LL

/* ---- the bot user ---------------------------------------------------------- */

/* The "github" user, created (disabled, role pm) when missing.  An
 * existing user of that login is taken as it is (acting as a PM here):
 * admins should not give the login to a person. */
static int bot_user(struct store *st, int64_t now, struct user *out, struct err *e)
{
	char hash[8];
	int rc = store_user_by_login(st, BOT_LOGIN, out, hash, sizeof hash, e);
	if (!rc)
		out->role = ROLE_PM; /* GitHub's changes need a PM's rights, whatever the row says */
	if (rc != CAIRN_ENOTFOUND)
		return rc;
	err_clear(e);
	memset(out, 0, sizeof *out);
	snprintf(out->login, sizeof out->login, "%s", BOT_LOGIN);
	snprintf(out->name, sizeof out->name, "GitHub");
	out->role = ROLE_PM;
	/* "!" is no argon2id hash: no password ever verifies against it */
	if ((rc = store_user_insert(st, out, "!", now, e)) ||
	    (rc = store_user_set_disabled(st, out->id, now, e)))
		return rc;
	out->disabled_at = now;
	return 0;
}

/* ---- repositories and logins (admin) --------------------------------------- */

static int check_full_name(const char *s, struct err *e)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!s || !slash || slash == s || !slash[1] || strchr(slash + 1, '/') ||
	    strlen(s) > GH_NAME_MAX)
		return err_set(e, CAIRN_EINVALID, "full_name",
			       "full_name must be OWNER/REPO, as in github.com/OWNER/REPO");
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_./", *p))
			return err_set(e, CAIRN_EINVALID, "full_name",
				       "full_name may hold letters, digits, '-', '_' and '.' only");
	return 0;
}

static int check_secret(const char *field, const char *s, size_t min, struct err *e)
{
	if (!s || strlen(s) < min || strlen(s) > 255 || strpbrk(s, "\r\n"))
		return err_set(e, CAIRN_EINVALID, field, "%s must be %zu..255 bytes on one line", field,
			       min);
	return 0;
}

/* Apply in onto *r (validated); area ids are checked against the store. */
static int repo_apply(struct store *st, const struct gh_repo_input *in, struct gh_repo *r,
		      struct err *e)
{
	int rc;
	if ((in->set & GH_IN_FULL_NAME) && (rc = check_full_name(in->full_name, e)))
		return rc;
	if ((in->set & GH_IN_SECRET) && (rc = check_secret("secret", in->secret, 16, e)))
		return rc;
	if ((in->set & GH_IN_TOKEN) && in->token && *in->token &&
	    (rc = check_secret("token", in->token, 8, e)))
		return rc;
	if (in->set & GH_IN_FULL_NAME)
		snprintf(r->full_name, sizeof r->full_name, "%s", in->full_name);
	if (in->set & GH_IN_SECRET)
		snprintf(r->secret, sizeof r->secret, "%s", in->secret);
	if (in->set & GH_IN_TOKEN)
		snprintf(r->token, sizeof r->token, "%s", in->token ? in->token : "");
	if (in->set & GH_IN_AREA) {
		r->area_id = in->area;
		if (in->area) {
			struct area a;
			rc = store_area_get(st, in->area, &a, e);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "area", "area %lld does not exist",
					       (long long)in->area);
			}
			if (rc)
				return rc;
		}
	}
	return 0;
}

int svc_gh_repo_add(const struct op *op, const struct gh_repo_input *in, struct gh_repo *out,
		    struct err *e)
{
	struct store *st = op->st;
	struct user bot;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_ADMIN, e)))
		return rc;
	if (!(in->set & GH_IN_FULL_NAME))
		return err_set(e, CAIRN_EINVALID, "full_name", "full_name is required");
	if (!(in->set & GH_IN_SECRET))
		return err_set(e, CAIRN_EINVALID, "secret",
			       "secret is required (the webhook's secret on GitHub)");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	out->created_at = out->updated_at = op->now;
	if ((rc = repo_apply(st, in, out, e)) || (rc = bot_user(st, op->now, &bot, e)) ||
	    (rc = store_gh_repo_insert(st, out, e)) || (rc = store_gh_repo_get(st, out->id, out, e)) ||
	    (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_repo_update(const struct op *op, int64_t id, const struct gh_repo_input *in,
		       struct gh_repo *out, struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_ADMIN, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (!(rc = store_gh_repo_get(st, id, out, e)) && !(rc = repo_apply(st, in, out, e))) {
		out->updated_at = op->now;
		if (in->set & GH_IN_FULL_NAME)
			out->gh_id = 0; /* another repository: learn its id again */
		if (!(rc = store_gh_repo_update(st, out, e)) &&
		    !(rc = store_gh_repo_get(st, id, out, e)))
			rc = store_commit(st, e);
	}
	if (rc)
		store_rollback(st);
	return rc;
}

int svc_gh_repo_delete(const struct op *op, int64_t id, struct err *e)
{
	struct store *st = op->st;
	int rc;
	if ((rc = svc_allow(op->actor, P_ADMIN, e)) || (rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_gh_repo_delete(st, id, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_repo_list(const struct op *op, struct gh_repo **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(op->actor, P_ADMIN, e)) || (rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_gh_repo_list(st, out, n, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int svc_gh_login_set(const struct op *op, const char *github, const char *login, struct err *e)
{
	struct store *st = op->st;
	struct user u = {0};
	char hash[8];
	int rc;
	if ((rc = svc_allow(op->actor, P_ADMIN, e)))
		return rc;
	if (!github || !*github || strlen(github) > 39 || login_check(github, NULL))
		return err_set(e, CAIRN_EINVALID, "github", "github must be a GitHub login");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if (login && *login) {
		rc = store_user_by_login(st, login, &u, hash, sizeof hash, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			rc = err_set(e, CAIRN_EINVALID, "user", "no user %s", login);
		}
	}
	if (rc || (rc = store_gh_login_set(st, github, u.id, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_login_list(const struct op *op, struct gh_login **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(op->actor, P_ADMIN, e)) || (rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_gh_login_list(st, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_admin_log_begin(const struct op *op, int64_t limit, struct err *e)
{
	int rc;
	if ((rc = svc_allow(op->actor, P_ADMIN, e)))
		return rc;
	if (limit <= 0 || limit > 500)
		return err_set(e, CAIRN_EINVALID, "limit", "limit must be 1..500");
	return store_begin(op->st, 0, e);
}

int svc_gh_deliveries(const struct op *op, int64_t limit, struct gh_delivery **out, size_t *n,
		      struct err *e)
{
	struct store *st = op->st;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_gh_admin_log_begin(op, limit, e)))
		return rc;
	if ((rc = store_gh_delivery_list(st, limit, out, n, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_gh_issue_link(const struct op *op, int64_t issue_id, struct gh_link *out, struct err *e)
{
	int rc = store_gh_issue_get(op->st, issue_id, out, e);
	if (rc == CAIRN_ENOTFOUND)
		memset(out, 0, sizeof *out);
	return rc == CAIRN_ENOTFOUND ? 0 : rc;
}

/* ---- reading GitHub's JSON ------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A wrong type where a field must be: 422 naming it (JSON path). */
static int bad(struct err *e, const char *field, const char *what)
{
	return err_set(e, CAIRN_EINVALID, field, "%s must be %s", field, what);
}

/* Copy at most cap-1 bytes of s, cut at a UTF-8 boundary. */
static char *utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	char *out = malloc(n + 1);
	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

/* The GitHub issue an event or import item carries, read and checked. */
struct gh_issue {
	int64_t number, updated_at, created_at, closed_at;
	const char *url, *state, *state_reason, *author;
	char *title, *body;        /* owned (cut to Cairn's limits) */
	const char *labels[128];  /* borrowed names */
	size_t nlabels;
	int has_labels, has_assignees; /* those fields were present */
	int has_milestone;        /* the milestone field was present */
	const char *milestone;    /* title or NULL (none) */
	int64_t milestone_due;    /* unix ms or 0 */
	const char *assignees[16];
	size_t nassignees;
	const char *type;         /* the issue type's name, or NULL */
	int is_pull;
	json_t *comments;         /* an array of comment objects (import), or NULL */
};

static void gh_issue_release(struct gh_issue *g)
{
	free(g->title);
	free(g->body);
	memset(g, 0, sizeof *g);
}

static int read_time(json_t *o, const char *key, const char *field, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || gh_time(json_string_value(v), out))
		return bad(e, field, "a time like 2019-05-15T15:20:18Z");
	return 0;
}

static int read_issue(json_t *o, struct gh_issue *g, struct err *e)
{
	json_t *v;
	size_t k;
	int rc;
	memset(g, 0, sizeof *g);
	if (!json_is_object(o))
		return bad(e, "issue", "an object");
	v = json_object_get(o, "number");
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return bad(e, "issue.number", "a positive integer");
	g->number = json_integer_value(v);
	if (!(g->url = jstr(o, "html_url")) || strncmp(g->url, "https://", 8) ||
	    strlen(g->url) >= 512)
		return bad(e, "issue.html_url", "an https URL");
	const char *title = jstr(o, "title");
	if (!title)
		return bad(e, "issue.title", "a string");
	v = json_object_get(o, "body");
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(e, "issue.body", "a string or null");
	/* some payloads leave fields out (GitHub's pinned example has no state
	 * and no labels): what is absent is left as Cairn has it */
	v = json_object_get(o, "state");
	g->state = json_string_value(v);
	if (v && (!g->state || (strcmp(g->state, "open") && strcmp(g->state, "closed"))))
		return bad(e, "issue.state", "\"open\" or \"closed\"");
	if (!g->state)
		g->state = "";
	v = json_object_get(o, "state_reason");
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(e, "issue.state_reason", "a string or null");
	g->state_reason = json_string_value(v);
	if ((rc = read_time(o, "updated_at", "issue.updated_at", &g->updated_at, e)) ||
	    (rc = read_time(o, "created_at", "issue.created_at", &g->created_at, e)) ||
	    (rc = read_time(o, "closed_at", "issue.closed_at", &g->closed_at, e)))
		return rc;
	v = json_object_get(o, "labels");
	g->has_labels = v != NULL;
	if (v && !json_is_array(v))
		return bad(e, "issue.labels", "an array");
	if (json_array_size(v) > sizeof g->labels / sizeof g->labels[0])
		return bad(e, "issue.labels", "at most 128 labels");
	json_t *l;
	json_array_foreach(v, k, l)
	{
		const char *name = json_is_string(l) ? json_string_value(l) : jstr(l, "name");
		if (!name)
			return bad(e, "issue.labels", "an array of labels with names");
		g->labels[g->nlabels++] = name;
	}
	v = json_object_get(o, "milestone");
	g->has_milestone = v != NULL;
	if (v && !json_is_null(v)) {
		if (!json_is_object(v) || !(g->milestone = jstr(v, "title")) || !*g->milestone)
			return bad(e, "issue.milestone", "null or a milestone with a title");
		if ((rc = read_time(v, "due_on", "issue.milestone.due_on", &g->milestone_due, e)))
			return rc;
	}
	v = json_object_get(o, "assignees");
	g->has_assignees = v != NULL;
	if (v && !json_is_null(v) && !json_is_array(v))
		return bad(e, "issue.assignees", "an array");
	json_array_foreach(v, k, l)
	{
		const char *login = jstr(l, "login");
		if (!login)
			return bad(e, "issue.assignees", "an array of users with logins");
		if (g->nassignees < sizeof g->assignees / sizeof g->assignees[0])
			g->assignees[g->nassignees++] = login;
	}
	v = json_object_get(o, "user");
	g->author = json_is_object(v) ? jstr(v, "login") : NULL;
	v = json_object_get(o, "type");
	if (json_is_object(v))
		g->type = jstr(v, "name");
	g->is_pull = json_object_get(o, "pull_request") != NULL;
	v = json_object_get(o, "comments");
	if (json_is_array(v))
		g->comments = v;
	const char *body = json_string_value(json_object_get(o, "body"));
	if (!(g->title = utf8_cut(title, TITLE_MAX)) || !(g->body = utf8_cut(body ? body : "", BODY_MAX)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	/* a title Cairn cannot hold on one line: its control characters become spaces */
	for (char *p = g->title; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (!g->title[strspn(g->title, " ")]) {
		free(g->title);
		if (!(g->title = malloc(32)))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		snprintf(g->title, 32, "GitHub issue %lld", (long long)g->number);
	}
	return 0;
}

/* ---- mapping one issue ------------------------------------------------------- */

/* What of a GitHub issue an event applies to an issue Cairn already has. */
enum {
	A_TEXT = 1,      /* title and body */
	A_STATE = 2,     /* open / closed with its reason */
	A_LABELS = 4,    /* labels (and the fields they carry) */
	A_MILESTONE = 8, /* the milestone */
	A_ASSIGNEES = 16,
	A_TYPE = 32,     /* the issue type */
	A_ALL = 63,
};

/* Who applies GitHub's changes, and where. */
struct ctx {
	struct op op; /* st, the bot, now */
	struct user bot;
	struct gh_repo repo;
};

/* Cairn's type for GitHub's issue type name (Bug, Feature, Task...). */
static const char *type_from_gh(const char *name)
{
	const char *one[1] = {name};
	struct gh_label_map m;
	if (!name)
		return NULL;
	gh_labels_map(one, 1, &m);
	return m.type;
}

/* The milestone with that title, created (due at due, or in 4 weeks;
 * starting 4 weeks before) when Cairn has none. */
static int milestone_id(struct ctx *c, const char *title, int64_t due, int64_t *id, struct err *e)
{
	int rc = store_gh_milestone_by_title(c->op.st, title, id, e);
	if (rc != CAIRN_ENOTFOUND)
		return rc;
	err_clear(e);
	struct milestone m = {0};
	if (title_check(title, NULL))
		return err_set(e, CAIRN_EINVALID, "milestone.title",
			       "milestone title must be one line of at most %d bytes", TITLE_MAX);
	snprintf(m.title, sizeof m.title, "%s", title);
	m.due_day = (due ? due : c->op.now + 28 * DAY_MS) / DAY_MS;
	m.start_day = m.due_day - 28;
	m.created_at = c->op.now;
	if ((rc = store_milestone_insert(c->op.st, &m, e)))
		return rc;
	*id = m.id;
	return 0;
}

/* Last writer wins: 1 when GitHub's change at gh_at may overwrite field
 * (nobody in Cairn changed it later). */
static int github_wins(struct ctx *c, int64_t issue_id, const char *field, int64_t gh_at,
		       int *wins, struct err *e)
{
	int64_t at = 0;
	int rc = store_gh_last_change(c->op.st, issue_id, field, c->bot.id, &at, e);
	*wins = !rc && (!at || at <= gh_at);
	return rc;
}

static void join(const char *const *v, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t k = 0; k < n && len < cap; k++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? ", " : "", v[k]);
}

/* The first assignee Cairn knows by the login mapping (or NULL), into login. */
static int assignee_of(struct ctx *c, const struct gh_issue *g, char *login, size_t cap,
		       struct err *e)
{
	login[0] = '\0';
	for (size_t k = 0; k < g->nassignees; k++) {
		struct user u;
		int rc = store_gh_login_user(c->op.st, g->assignees[k], &u, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			continue;
		}
		if (rc)
			return rc;
		snprintf(login, cap, "%s", u.login);
		return 0;
	}
	return 0;
}

/* The issue_input of the fields in `what` from g, in bufs the caller owns. */
struct mapped {
	struct issue_input in;
	char *body; /* owned: the body, its references qualified */
	struct gh_label_map lm;
	char pm_size[8], milestone[24], assignee[LOGIN_MAX + 1], area[24];
	char area_label[LABEL_MAX + 1]; /* area:<the repository's area> */
};

static int map_fields(struct ctx *c, const struct gh_issue *g, unsigned what, struct mapped *m,
		      struct err *e)
{
	int rc;
	memset(m, 0, sizeof *m);
	if (what & A_TEXT) {
		if (!(m->body = gh_qualify_refs(g->body, c->repo.full_name)))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		if (strlen(m->body) > BODY_MAX) { /* room taken by the qualified references */
			char *cut = utf8_cut(m->body, BODY_MAX);
			free(m->body);
			if (!(m->body = cut))
				return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		m->in.set |= IN_TITLE | IN_BODY;
		m->in.title = g->title;
		m->in.body = m->body;
	}
	if ((what & A_LABELS) && g->has_labels) {
		gh_labels_map(g->labels, g->nlabels, &m->lm);
		int has_area = 0;
		for (size_t k = 0; k < m->lm.nkept; k++)
			has_area |= !strncmp(m->lm.kept[k], "area:", 5);
		if (strlen(c->repo.area) + 5 <= LABEL_MAX)
			snprintf(m->area_label, sizeof m->area_label, "area:%.*s", LABEL_MAX - 5, c->repo.area);
		/* a repository mapped onto an area labels its issues with it,
		 * unless GitHub names an area itself */
		if (c->repo.area_id && !has_area && m->area_label[0] && m->lm.nkept < LABELS_MAX &&
		    !label_check(m->area_label, NULL))
			m->lm.kept[m->lm.nkept++] = m->area_label;
		m->in.set |= IN_LABELS;
		m->in.labels = m->lm.kept;
		m->in.nlabels = m->lm.nkept;
		if (m->lm.type) {
			m->in.set |= IN_TYPE;
			m->in.type = m->lm.type;
		}
		if (m->lm.priority) {
			m->in.set |= IN_PRIORITY;
			m->in.priority = m->lm.priority;
		}
		if (m->lm.pm_size) {
			m->in.set |= IN_PM_SIZE;
			snprintf(m->pm_size, sizeof m->pm_size, "%d", m->lm.pm_size);
			m->in.pm_size = m->pm_size;
		}
	}
	if ((what & A_TYPE) && type_from_gh(g->type)) {
		m->in.set |= IN_TYPE;
		m->in.type = type_from_gh(g->type);
	}
	if ((what & A_MILESTONE) && g->has_milestone) {
		m->in.set |= IN_MILESTONE;
		if (g->milestone) {
			int64_t id;
			if ((rc = milestone_id(c, g->milestone, g->milestone_due, &id, e)))
				return rc;
			snprintf(m->milestone, sizeof m->milestone, "%lld", (long long)id);
			m->in.milestone = m->milestone;
		}
	}
	if ((what & A_ASSIGNEES) && g->has_assignees) {
		if ((rc = assignee_of(c, g, m->assignee, sizeof m->assignee, e)))
			return rc;
		m->in.set |= IN_ASSIGNEE;
		m->in.assignee = m->assignee[0] ? m->assignee : NULL;
	}
	return 0;
}

/* Labels and milestone that lose to a later change in Cairn are taken out
 * of in and recorded in the history as github_<field>. */
static int last_writer(struct ctx *c, const struct issue *cur, const struct gh_issue *g,
		       struct mapped *m, struct err *e)
{
	static const struct {
		unsigned bit;
		const char *field;
	} lww[] = {{IN_LABELS, "labels"},     {IN_TYPE, "type"},          {IN_PRIORITY, "priority"},
		   {IN_PM_SIZE, "pm_size"},   {IN_MILESTONE, "milestone"}};
	int64_t at = g->updated_at ? g->updated_at : c->op.now;
	for (size_t k = 0; k < sizeof lww / sizeof lww[0]; k++) {
		int wins, rc;
		char kept[2048], lost[2048], field[32];
		if (!(m->in.set & lww[k].bit))
			continue;
		if ((rc = github_wins(c, cur->id, lww[k].field, at, &wins, e)))
			return rc;
		if (wins)
			continue;
		m->in.set &= ~lww[k].bit;
		switch (lww[k].bit) {
		case IN_LABELS:
			join((const char *const *)cur->labels, cur->nlabels, kept, sizeof kept);
			join(m->in.labels, m->in.nlabels, lost, sizeof lost);
			break;
		case IN_MILESTONE:
			snprintf(kept, sizeof kept, "%s", cur->milestone_id ? cur->milestone : "");
			snprintf(lost, sizeof lost, "%s", g->milestone ? g->milestone : "");
			break;
		case IN_TYPE:
			snprintf(kept, sizeof kept, "%s", issue_type_name(cur->type));
			snprintf(lost, sizeof lost, "%s", m->in.type);
			break;
		case IN_PRIORITY:
			snprintf(kept, sizeof kept, "%s", priority_name(cur->priority));
			snprintf(lost, sizeof lost, "%s", m->in.priority);
			break;
		default:
			snprintf(kept, sizeof kept, "%d", cur->pm_size);
			snprintf(lost, sizeof lost, "%s", m->in.pm_size);
		}
		if (strcmp(kept, lost) == 0)
			continue;
		snprintf(field, sizeof field, "github_%s", lww[k].field);
		if ((rc = store_history_add(c->op.st, cur->id, c->bot.id, c->op.now, field, kept, lost,
					    e)))
			return rc;
	}
	return 0;
}

static int link_issue(struct ctx *c, int64_t number, const struct gh_issue *g, int64_t deleted_at,
		      struct err *e)
{
	struct visibility all = {c->bot.id, 1, 1};
	struct gh_link l = {0};
	struct issue i;
	all.raw = 1;
	int rc = store_issue_get(c->op.st, number, &all, &i, e);
	if (rc)
		return rc;
	l.issue_id = i.id;
	l.repo_id = c->repo.id;
	l.gh_number = g->number;
	l.deleted_at = deleted_at;
	snprintf(l.url, sizeof l.url, "%s", g->url);
	if (g->has_assignees) {
		join(g->assignees, g->nassignees, l.assignees, sizeof l.assignees);
	} else { /* not in this payload: as they were */
		struct gh_link was;
		if (!store_gh_issue_get(c->op.st, i.id, &was, e))
			snprintf(l.assignees, sizeof l.assignees, "%s", was.assignees);
	}
	issue_release(&i);
	return store_gh_issue_link(c->op.st, &l, e);
}

/* The won't-do reason of a GitHub issue closed as not done, or NULL when
 * it was closed as done (completed, or no reason). */
static const char *wont_do_reason(const struct gh_issue *g)
{
	if (!g->state_reason)
		return NULL;
	if (!strcmp(g->state_reason, "not_planned"))
		return "not planned (closed on GitHub)";
	if (!strcmp(g->state_reason, "duplicate"))
		return "a duplicate (closed on GitHub)";
	return NULL;
}

/* GitHub's state onto Cairn's issue number (currently cur_state). */
static int apply_state(struct ctx *c, int64_t number, enum issue_state cur_state,
		       const struct gh_issue *g, struct err *e)
{
	int closed = strcmp(g->state, "closed") == 0;
	if (!*g->state || closed == (cur_state == ISSUE_CLOSED))
		return 0;
	if (closed && wont_do_reason(g))
		return svc_issue_wont_do_in_tx(&c->op, number, wont_do_reason(g), e);
	struct issue_input in = {0};
	in.set = IN_STATE;
	in.state = closed ? "closed" : "open";
	return svc_issue_update_in_tx(&c->op, number, &in, e);
}

/* Comments of an imported issue (objects with id, body, user.login). */
static int apply_comments(struct ctx *c, int64_t number, json_t *comments, struct err *e);

/* Create or update the Cairn issue of GitHub issue g; *number gets it.
 * A new one gets every field (and lands in the triage inbox when open);
 * a known one the fields in `what`. */
static int apply_issue(struct ctx *c, const struct gh_issue *g, unsigned what, int64_t *number,
		       struct err *e)
{
	struct mapped m;
	int rc = store_gh_issue_find(c->op.st, c->repo.id, g->number, number, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		struct issue_import imp = {0};
		if ((rc = map_fields(c, g, A_ALL, &m, e))) {
			free(m.body);
			return rc;
		}
		if (c->repo.area_id && m.in.type && !strcmp(m.in.type, "epic")) {
			/* the repository's area: an epic is placed in it */
			snprintf(m.area, sizeof m.area, "%lld", (long long)c->repo.area_id);
			m.in.set |= IN_AREA;
			m.in.area = m.area;
		}
		imp.in = m.in;
		imp.created_at = g->created_at ? g->created_at : c->op.now;
		int closed = strcmp(g->state, "closed") == 0;
		if (closed) {
			imp.in.set |= IN_STATE;
			imp.in.state = "closed";
			imp.closed_at = g->closed_at ? g->closed_at : imp.created_at;
		}
		rc = svc_issue_create_in_tx(&c->op, &imp, number, e);
		free(m.body);
		if (rc || (rc = link_issue(c, *number, g, 0, e)))
			return rc;
		if (closed && wont_do_reason(g) &&
		    (rc = svc_issue_wont_do_in_tx(&c->op, *number, wont_do_reason(g), e)))
			return rc;
		return g->comments ? apply_comments(c, *number, g->comments, e) : 0;
	}
	if (rc)
		return rc;
	struct visibility all = {c->bot.id, 1, 1};
	struct issue cur;
	all.raw = 1;
	if ((rc = store_issue_get(c->op.st, *number, &all, &cur, e)))
		return rc;
	if (!(rc = map_fields(c, g, what, &m, e)) && !(rc = last_writer(c, &cur, g, &m, e)) &&
	    (!m.in.set || !(rc = svc_issue_update_in_tx(&c->op, *number, &m.in, e))) &&
	    (!(what & A_STATE) || !(rc = apply_state(c, *number, cur.state, g, e))) &&
	    !(rc = link_issue(c, *number, g, 0, e)) && g->comments)
		rc = apply_comments(c, *number, g->comments, e);
	free(m.body);
	issue_release(&cur);
	return rc;
}

/* A GitHub comment as Cairn keeps it: who wrote it there, then its text. */
static char *comment_text(const char *author, const char *url, const char *body)
{
	size_t cap = strlen(body) + 600;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	if (url && *url)
		snprintf(out, cap, "**%.64s** [on GitHub](%.400s):\n\n%s", author ? author : "someone",
			 url, body);
	else
		snprintf(out, cap, "**%.64s** on GitHub:\n\n%s", author ? author : "someone", body);
	return out;
}

/* One GitHub comment (created or edited; deleted when gone is set). */
static int apply_comment(struct ctx *c, int64_t number, json_t *jc, int gone, struct err *e)
{
	json_t *v = json_object_get(jc, "id");
	int64_t cid = 0;
	if (!json_is_object(jc))
		return bad(e, "comment", "an object");
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return bad(e, "comment.id", "a positive integer");
	const char *body = jstr(jc, "body");
	if (!body && !gone)
		return bad(e, "comment.body", "a string");
	json_t *user = json_object_get(jc, "user");
	const char *author = json_is_object(user) ? jstr(user, "login") : NULL;
	int rc = store_gh_comment_find(c->op.st, json_integer_value(v), &cid, e);
	if (rc && rc != CAIRN_ENOTFOUND)
		return rc;
	if (rc == CAIRN_ENOTFOUND)
		err_clear(e);
	if (gone) {
		rc = cid ? svc_comment_set_in_tx(&c->op, cid, NULL, e) : 0;
		if (rc == CAIRN_ECONFLICT) { /* deleted already */
			err_clear(e);
			rc = 0;
		}
		return rc;
	}
	char *q = gh_qualify_refs(body, c->repo.full_name);
	char *cut = q ? utf8_cut(q, BODY_MAX - 1024) : NULL;
	char *text = cut ? comment_text(author, jstr(jc, "html_url"), cut) : NULL;
	free(q);
	free(cut);
	if (!text)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	if (!*body || !body[strspn(body, " \t\r\n")]) {
		free(text);
		return 0; /* nothing said */
	}
	if (cid) {
		rc = svc_comment_set_in_tx(&c->op, cid, text, e);
		if (rc == CAIRN_ECONFLICT) { /* deleted in Cairn (or on GitHub before): it stays so */
			err_clear(e);
			rc = 0;
		}
	} else if (!(rc = svc_comment_add_in_tx(&c->op, number, text, &cid, e)))
		rc = store_gh_comment_link(c->op.st, cid, json_integer_value(v), e);
	free(text);
	return rc;
}

static int apply_comments(struct ctx *c, int64_t number, json_t *comments, struct err *e)
{
	size_t k;
	json_t *jc;
	json_array_foreach(comments, k, jc)
	{
		int rc = apply_comment(c, number, jc, 0, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- events ------------------------------------------------------------------ */

/* What a delivery did. */
enum outcome { O_APPLIED, O_UNCHANGED, O_IGNORED, O_PING };
static const char *const outcome_names[] = {"applied", "unchanged", "ignored", "ping"};

static int issue_history(struct ctx *c, int64_t number, const char *field, const char *old,
			 const char *new, struct err *e)
{
	struct visibility all = {c->bot.id, 1, 1};
	struct issue i;
	all.raw = 1;
	int rc = store_issue_get(c->op.st, number, &all, &i, e);
	if (!rc)
		rc = store_history_add(c->op.st, i.id, c->bot.id, c->op.now, field, old, new, e);
	issue_release(&i);
	return rc;
}

/* Issue number (GitHub's g) moved to `to` in new_repo: the link follows it
 * when Cairn knows that repository; otherwise it keeps its old place
 * (GitHub never reuses a number) with the new URL, marked gone from ours. */
static int transfer(struct ctx *c, int64_t number, const struct gh_issue *g,
		    const struct gh_issue *to, json_t *new_repo, struct err *e)
{
	json_t *id = json_object_get(new_repo, "id");
	const char *full = jstr(new_repo, "full_name");
	struct gh_repo *found = NULL;
	size_t n = 0;
	int rc = 0;
	if (full && (rc = store_gh_repo_find(c->op.st, json_is_integer(id) ? json_integer_value(id) : -1,
					     full, &found, &n, e)))
		return rc;
	struct ctx there = *c;
	if (n) {
		there.repo = found[0];
		rc = link_issue(&there, number, to, 0, e);
	} else {
		struct gh_issue kept = *g;
		kept.url = to->url;
		rc = link_issue(c, number, &kept, c->op.now, e);
	}
	free(found);
	return rc ? rc : issue_history(c, number, "github", g->url, to->url, e);
}

static int on_issues(struct ctx *c, json_t *p, const char *action, enum outcome *o,
		     struct err *e)
{
	static const struct {
		const char *action;
		unsigned what;
	} acts[] = {
		{"opened", A_ALL},           {"edited", A_TEXT},        {"closed", A_STATE},
		{"reopened", A_STATE},       {"labeled", A_LABELS},     {"unlabeled", A_LABELS},
		{"milestoned", A_MILESTONE}, {"demilestoned", A_MILESTONE},
		{"assigned", A_ASSIGNEES},   {"unassigned", A_ASSIGNEES}, {"typed", A_TYPE},
		{"untyped", 0},              {"pinned", 0},             {"unpinned", 0},
		{"locked", 0},               {"unlocked", 0},           {"transferred", 0},
		{"deleted", 0},
	};
	struct gh_issue g;
	int64_t number = 0;
	int rc, known = -1;
	for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
		if (strcmp(action, acts[k].action) == 0)
			known = (int)k;
	if (known < 0) {
		*o = O_IGNORED;
		return 0;
	}
	if ((rc = read_issue(json_object_get(p, "issue"), &g, e)))
		return rc;
	*o = O_APPLIED;
	if (!strcmp(action, "deleted") || !strcmp(action, "transferred")) {
		rc = store_gh_issue_find(c->op.st, c->repo.id, g.number, &number, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			*o = O_UNCHANGED; /* never seen here: nothing to keep */
			rc = 0;
		} else if (!rc && !strcmp(action, "deleted")) {
			if (!(rc = link_issue(c, number, &g, c->op.now, e)))
				rc = issue_history(c, number, "github", g.url, "deleted on GitHub", e);
		} else if (!rc) {
			json_t *ch = json_object_get(p, "changes");
			struct gh_issue to;
			if (!(rc = read_issue(json_object_get(ch, "new_issue"), &to, e))) {
				rc = transfer(c, number, &g, &to, json_object_get(ch, "new_repository"), e);
				gh_issue_release(&to);
			}
		}
		gh_issue_release(&g);
		return rc;
	}
	if (g.is_pull) {
		*o = O_UNCHANGED;
		gh_issue_release(&g);
		return 0;
	}
	rc = apply_issue(c, &g, acts[known].what, &number, e);
	gh_issue_release(&g);
	return rc;
}

static int on_issue_comment(struct ctx *c, json_t *p, const char *action, enum outcome *o,
			    struct err *e)
{
	int gone = !strcmp(action, "deleted");
	struct gh_issue g;
	int64_t number;
	int rc;
	if (strcmp(action, "created") && strcmp(action, "edited") && !gone) {
		*o = O_IGNORED;
		return 0;
	}
	if ((rc = read_issue(json_object_get(p, "issue"), &g, e)))
		return rc;
	*o = O_APPLIED;
	if (g.is_pull) {
		*o = O_UNCHANGED; /* a pull request's conversation stays on GitHub */
	} else {
		g.comments = NULL;
		/* an issue Cairn has not seen yet comes in with its comment */
		if (!(rc = apply_issue(c, &g, 0, &number, e)))
			rc = apply_comment(c, number, json_object_get(p, "comment"), gone, e);
	}
	gh_issue_release(&g);
	return rc;
}

/* Rename (to NULL: remove) a label on every linked issue of the repository. */
static int relabel(struct ctx *c, const char *from, const char *to, struct err *e)
{
	int64_t *numbers = NULL;
	size_t n = 0;
	int rc = store_gh_issues_labelled(c->op.st, c->repo.id, from, &numbers, &n, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct visibility all = {c->bot.id, 1, 1};
		struct issue i;
		const char *labels[LABELS_MAX + 1];
		size_t nl = 0;
		all.raw = 1;
		if ((rc = store_issue_get(c->op.st, numbers[k], &all, &i, e)))
			break;
		for (size_t j = 0; j < i.nlabels && nl < LABELS_MAX; j++)
			if (strcmp(i.labels[j], from))
				labels[nl++] = i.labels[j];
		if (to && !label_check(to, NULL) && nl < LABELS_MAX)
			labels[nl++] = to;
		struct issue_input in = {0};
		in.set = IN_LABELS;
		in.labels = labels;
		in.nlabels = nl;
		rc = svc_issue_update_in_tx(&c->op, numbers[k], &in, e);
		issue_release(&i);
	}
	free(numbers);
	return rc;
}

static int on_label(struct ctx *c, json_t *p, const char *action, enum outcome *o, struct err *e)
{
	json_t *label = json_object_get(p, "label");
	const char *name = jstr(label, "name");
	if (strcmp(action, "created") && strcmp(action, "edited") && strcmp(action, "deleted")) {
		*o = O_IGNORED;
		return 0;
	}
	if (!name)
		return bad(e, "label.name", "a string");
	*o = O_UNCHANGED;
	if (!strcmp(action, "deleted")) {
		*o = O_APPLIED;
		return relabel(c, name, NULL, e);
	}
	const char *from = jstr(json_object_get(json_object_get(p, "changes"), "name"), "from");
	if (!strcmp(action, "edited") && from && strcmp(from, name)) {
		*o = O_APPLIED;
		return relabel(c, from, name, e);
	}
	return 0; /* a new label, or a new colour: nothing Cairn keeps */
}

static int on_milestone(struct ctx *c, json_t *p, const char *action, enum outcome *o,
			struct err *e)
{
	json_t *m = json_object_get(p, "milestone");
	const char *title = jstr(m, "title");
	int64_t due = 0, id;
	int rc;
	if (strcmp(action, "created") && strcmp(action, "edited") && strcmp(action, "closed") &&
	    strcmp(action, "opened") && strcmp(action, "deleted")) {
		*o = O_IGNORED;
		return 0;
	}
	if (!title || !*title)
		return bad(e, "milestone.title", "a string");
	if ((rc = read_time(m, "due_on", "milestone.due_on", &due, e)))
		return rc;
	*o = O_UNCHANGED;
	if (!strcmp(action, "created")) {
		*o = O_APPLIED;
		return milestone_id(c, title, due, &id, e);
	}
	const char *from = jstr(json_object_get(json_object_get(p, "changes"), "title"), "from");
	if (!strcmp(action, "edited") && from && strcmp(from, title)) {
		struct milestone ms;
		rc = store_gh_milestone_by_title(c->op.st, from, &id, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return 0;
		}
		int64_t taken;
		if (rc || (rc = store_gh_milestone_by_title(c->op.st, title, &taken, e)) != CAIRN_ENOTFOUND)
			return rc ? rc : err_set(e, CAIRN_ECONFLICT, "milestone.title",
					 "Cairn already has a milestone %s", title);
		err_clear(e);
		if ((rc = store_milestone_get(c->op.st, id, &ms, e)))
			return rc;
		snprintf(ms.title, sizeof ms.title, "%s", title);
		*o = O_APPLIED;
		return store_milestone_update(c->op.st, &ms, e);
	}
	/* closed, opened, deleted: Cairn's milestones keep their own dates and plan */
	return 0;
}

static int on_pull_request(struct ctx *c, json_t *p, const char *action, enum outcome *o,
			   struct err *e)
{
	json_t *pr = json_object_get(p, "pull_request");
	int64_t refs[32];
	if (strcmp(action, "closed")) {
		*o = O_IGNORED;
		return 0;
	}
	if (!json_is_object(pr))
		return bad(e, "pull_request", "an object");
	*o = O_UNCHANGED;
	if (!json_is_true(json_object_get(pr, "merged")))
		return 0;
	size_t n = gh_closing_refs(jstr(pr, "body"), refs, 32);
	for (size_t k = 0; k < n; k++) {
		int64_t number;
		int rc = store_gh_issue_find(c->op.st, c->repo.id, refs[k], &number, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			continue;
		}
		struct issue_input in = {0};
		in.set = IN_DEV_STATUS;
		in.dev_status = "done";
		if (rc || (rc = svc_issue_update_in_tx(&c->op, number, &in, e)))
			return rc;
		*o = O_APPLIED;
	}
	return 0;
}

static int on_repository(struct ctx *c, json_t *p, const char *action, enum outcome *o,
			 struct err *e)
{
	json_t *r = json_object_get(p, "repository");
	const char *full = jstr(r, "full_name"), *html = jstr(r, "html_url");
	char old_prefix[GH_NAME_MAX + 64], new_prefix[600];
	int rc;
	if (strcmp(action, "renamed") && strcmp(action, "transferred")) {
		*o = O_IGNORED;
		return 0;
	}
	if (!full || check_full_name(full, NULL))
		return bad(e, "repository.full_name", "OWNER/REPO");
	if (!html || strncmp(html, "https://", 8) || strlen(html) > 500)
		return bad(e, "repository.html_url", "an https URL");
	*o = O_UNCHANGED;
	if (strcmp(full, c->repo.full_name) == 0)
		return 0;
	snprintf(old_prefix, sizeof old_prefix, "https://github.com/%s/", c->repo.full_name);
	snprintf(new_prefix, sizeof new_prefix, "%s/", html);
	snprintf(c->repo.full_name, sizeof c->repo.full_name, "%s", full);
	c->repo.updated_at = c->op.now;
	if ((rc = store_gh_repo_update(c->op.st, &c->repo, e)) ||
	    (rc = store_gh_repo_moved(c->op.st, c->repo.id, old_prefix, new_prefix, e)))
		return rc;
	*o = O_APPLIED;
	return 0;
}

/* Apply one verified payload of event for c->repo. */
static int dispatch(struct ctx *c, const char *event, json_t *p, const char *action,
		    enum outcome *o, struct err *e)
{
	if (!strcmp(event, "ping")) {
		*o = O_PING;
		return 0;
	}
	if (!strcmp(event, "issues"))
		return on_issues(c, p, action, o, e);
	if (!strcmp(event, "issue_comment"))
		return on_issue_comment(c, p, action, o, e);
	if (!strcmp(event, "label"))
		return on_label(c, p, action, o, e);
	if (!strcmp(event, "milestone"))
		return on_milestone(c, p, action, o, e);
	if (!strcmp(event, "pull_request"))
		return on_pull_request(c, p, action, o, e);
	if (!strcmp(event, "repository"))
		return on_repository(c, p, action, o, e);
	*o = O_IGNORED;
	return 0;
}

/* ---- receiving a delivery ------------------------------------------------------ */

/* The configured repository the payload names whose secret signed body;
 * CAIRN_EUNAUTH when none. */
static int find_signer(struct store *st, json_t *p, const char *body, size_t len,
		       const char *signature, struct gh_repo *out, struct err *e)
{
	json_t *r = json_object_get(p, "repository");
	const char *full = jstr(r, "full_name");
	json_t *id = json_object_get(r, "id");
	struct gh_repo *found = NULL;
	size_t n = 0;
	int rc;
	char old_name[GH_NAME_MAX + 1] = "";
	if (!signature)
		return err_set(e, CAIRN_EUNAUTH, "X-Hub-Signature-256",
			       "X-Hub-Signature-256 is missing: set a secret on the GitHub webhook");
	if (!full)
		return err_set(e, CAIRN_EUNAUTH, "X-Hub-Signature-256",
			       "the payload names no repository Cairn knows");
	if ((rc = store_gh_repo_find(st, json_is_integer(id) ? json_integer_value(id) : -1, full,
				     &found, &n, e)))
		return rc;
	if (!n) { /* renamed before Cairn learned its id: the old name */
		json_t *ch = json_object_get(json_object_get(p, "changes"), "repository");
		const char *from = jstr(json_object_get(ch, "name"), "from");
		const char *slash = strchr(full, '/');
		if (from && slash)
			snprintf(old_name, sizeof old_name, "%.*s/%s", (int)(slash - full), full, from);
		free(found);
		found = NULL;
		if (old_name[0] && (rc = store_gh_repo_find(st, -1, old_name, &found, &n, e)))
			return rc;
	}
	for (size_t k = 0; k < n; k++) {
		if (gh_signature_ok(found[k].secret, body, len, signature)) {
			*out = found[k];
			free(found);
			return 0;
		}
	}
	free(found);
	return err_set(e, CAIRN_EUNAUTH, "X-Hub-Signature-256",
		       "the signature does not match the body under this repository's secret");
}

/* Run the delivery d (its body set) for repo in one transaction, record it
 * with its outcome in the same one; on failure roll back and record the
 * failure alone.  out gets what happened. */
static int run_delivery(const struct op *op, struct gh_repo *repo, json_t *p,
			struct gh_delivery *d, struct gh_result *out, struct err *e)
{
	struct store *st = op->st;
	struct ctx c = {0};
	enum outcome o = O_IGNORED;
	struct err pe;
	int rc;
	err_clear(&pe);
	if ((rc = store_begin(st, 1, e)))
		return rc;
	c.repo = *repo;
	if ((rc = bot_user(st, op->now, &c.bot, e))) {
		store_rollback(st);
		return rc;
	}
	c.bot.scope = SCOPE_ALL;
	c.op = (struct op){.st = st, .actor = &c.bot, .now = op->now};
	json_t *rid = json_object_get(json_object_get(p, "repository"), "id");
	if (!c.repo.gh_id && json_is_integer(rid) && json_integer_value(rid) > 0) {
		c.repo.gh_id = json_integer_value(rid);
		rc = store_gh_repo_update(st, &c.repo, &pe);
	}
	if (!rc)
		rc = dispatch(&c, d->event, p, d->action, &o, &pe);
	d->processed_at = op->now;
	if (!rc) {
		snprintf(d->result, sizeof d->result, "%s", outcome_names[o]);
		d->message[0] = '\0';
		if (!(rc = store_gh_delivery_save(st, d, e)) && !(rc = store_commit(st, e))) {
			snprintf(out->result, sizeof out->result, "%s", d->result);
			out->delivery = d->id;
			out->status = o == O_IGNORED ? 202 : 200;
			return 0;
		}
		store_rollback(st);
		return rc;
	}
	store_rollback(st);
	if (rc == CAIRN_ENOMEM || rc == CAIRN_ESTORE || rc == CAIRN_EBUSY || rc == CAIRN_EUNAVAIL ||
	    rc == CAIRN_EINTERNAL) {
		*e = pe;
		return rc; /* not the payload's fault: GitHub may redeliver */
	}
	snprintf(d->result, sizeof d->result, "failed");
	int named = !pe.field[0] || !strncmp(pe.msg, pe.field, strlen(pe.field));
	snprintf(d->message, sizeof d->message, "%.60s%s%.440s", named ? "" : pe.field,
		 named ? "" : ": ", pe.msg);
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_gh_delivery_save(st, d, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		return rc;
	}
	out->delivery = d->id;
	snprintf(out->result, sizeof out->result, "failed");
	*e = pe;
	return pe.code ? (int)pe.code : CAIRN_EINVALID;
}

static int valid_guid(const char *g)
{
	size_t n = g ? strlen(g) : 0;
	if (!n || n >= 80)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (!isalnum((unsigned char)g[k]) && g[k] != '-')
			return 0;
	return 1;
}

static int valid_word(const char *s, size_t cap)
{
	size_t n = s ? strlen(s) : 0;
	if (!n || n >= cap)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (!islower((unsigned char)s[k]) && s[k] != '_')
			return 0;
	return 1;
}

int svc_gh_receive(const struct op *op, const char *event, const char *guid,
		   const char *signature, const char *body, size_t len, struct gh_result *out,
		   struct err *e)
{
	struct store *st = op->st;
	struct gh_delivery d = {0}, seen = {0};
	struct gh_repo repo;
	json_error_t je;
	int rc;
	memset(out, 0, sizeof *out);
	/* the signature first: nothing of an unsigned body is believed or kept */
	json_t *p = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if ((rc = store_begin(st, 0, e))) {
		json_decref(p);
		return rc;
	}
	rc = find_signer(st, p, body, len, signature, &repo, e);
	store_rollback(st);
	if (rc) {
		json_decref(p);
		return rc;
	}
	if (!json_is_object(p)) {
		json_decref(p);
		return err_set(e, CAIRN_EMALFORMED, NULL, "the payload is not a JSON object");
	}
	if (!valid_guid(guid)) {
		json_decref(p);
		return err_set(e, CAIRN_EINVALID, "X-GitHub-Delivery",
			       "X-GitHub-Delivery must be the delivery's GUID");
	}
	if (!valid_word(event, sizeof d.event)) {
		json_decref(p);
		return err_set(e, CAIRN_EINVALID, "X-GitHub-Event",
			       "X-GitHub-Event must name the event, like issues");
	}
	const char *action = jstr(p, "action");
	snprintf(d.guid, sizeof d.guid, "%s", guid);
	snprintf(d.event, sizeof d.event, "%s", event);
	snprintf(d.action, sizeof d.action, "%.63s", action ? action : "");
	snprintf(d.repository, sizeof d.repository, "%s", repo.full_name);
	d.repo_id = repo.id;
	d.received_at = op->now;
	d.attempts = 1;
	if (!(rc = store_begin(st, 0, e))) {
		rc = store_gh_delivery_by_guid(st, guid, &seen, e);
		store_rollback(st);
	}
	if (rc && rc != CAIRN_ENOTFOUND) {
		json_decref(p);
		return rc;
	}
	if (!rc && strcmp(seen.result, "failed") != 0) {
		/* a redelivery of what was done: done once */
		out->status = 200;
		out->delivery = seen.id;
		snprintf(out->result, sizeof out->result, "duplicate");
		json_decref(p);
		return 0;
	}
	if (!rc) {
		d.received_at = seen.received_at;
		d.attempts = seen.attempts + 1;
	}
	err_clear(e);
	if (!(d.body = malloc(len + 1))) {
		json_decref(p);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	memcpy(d.body, body, len);
	d.body[len] = '\0';
	if (strlen(d.body) != len) {
		free(d.body);
		json_decref(p);
		return err_set(e, CAIRN_EMALFORMED, NULL, "the payload holds a NUL byte");
	}
	rc = run_delivery(op, &repo, p, &d, out, e);
	free(d.body);
	json_decref(p);
	return rc;
}

int svc_gh_reprocess(const struct op *op, int64_t id, struct gh_result *out, struct err *e)
{
	struct store *st = op->st;
	struct gh_delivery d = {0};
	struct gh_repo repo;
	json_error_t je;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_ADMIN, e)) || (rc = store_begin(st, 0, e)))
		return rc;
	if (!(rc = store_gh_delivery_get(st, id, &d, e)) && !d.repo_id)
		rc = err_set(e, CAIRN_ECONFLICT, "delivery",
			     "delivery %lld came from a repository that is no longer configured",
			     (long long)id);
	if (!rc)
		rc = store_gh_repo_get(st, d.repo_id, &repo, e);
	store_rollback(st);
	if (rc) {
		free(d.body);
		return rc;
	}
	json_t *p = json_loads(d.body, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(p)) {
		free(d.body);
		json_decref(p);
		return err_set(e, CAIRN_ECONFLICT, "delivery", "delivery %lld is not a JSON object",
			       (long long)id);
	}
	d.attempts++;
	rc = run_delivery(op, &repo, p, &d, out, e);
	json_decref(p);
	free(d.body);
	return rc;
}

/* ---- import ------------------------------------------------------------------------- */

/* "https://github.com/OWNER/REPO/issues/N" -> "OWNER/REPO". */
static int repo_of_url(const char *url, char *out, size_t cap)
{
	const char *p = url && !strncmp(url, "https://github.com/", 19) ? url + 19 : NULL;
	const char *s1 = p ? strchr(p, '/') : NULL, *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	if (!s2 || (size_t)(s2 - p) >= cap)
		return -1;
	snprintf(out, cap, "%.*s", (int)(s2 - p), p);
	return check_full_name(out, NULL) ? -1 : 0;
}

void gh_import_result_release(struct gh_import_result *r)
{
	free(r->errors);
	memset(r, 0, sizeof *r);
}

static int add_error(struct gh_import_result *r, int64_t number, size_t index, const struct err *pe)
{
	if (r->nerrors == r->cap) {
		size_t nc = r->cap ? 2 * r->cap : 16;
		void *na = realloc(r->errors, nc * sizeof *r->errors);
		if (!na)
			return -1;
		r->errors = na;
		r->cap = nc;
	}
	struct gh_import_error *x = &r->errors[r->nerrors++];
	x->number = number;
	x->index = index;
	int named = !pe->field[0] || !strncmp(pe->msg, pe->field, strlen(pe->field));
	snprintf(x->message, sizeof x->message, "%.60s%s%.230s", named ? "" : pe->field,
		 named ? "" : ": ", pe->msg);
	return 0;
}

int svc_gh_import(const struct op *op, const char *text, size_t len, const char *repo_name,
		  gh_progress_fn progress, void *pctx, struct gh_import_result *out,
		  struct err *e)
{
	struct store *st = op->st;
	struct ctx c = {0};
	json_error_t je;
	char name[GH_NAME_MAX + 1] = "";
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(op->actor, P_ISSUE_IMPORT, e)))
		return rc;
	/* gh api --paginate writes one array per page, back to back: read
	 * the pages in turn */
	json_t *all = json_array(), *a;
	size_t off = 0;
	while (off < len && isspace((unsigned char)text[off]))
		off++;
	do {
		a = json_loadb(text + off, len - off, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &je);
		if (!a) {
			json_decref(all);
			return err_set(e, CAIRN_EMALFORMED, NULL, "not JSON (line %d, column %d): %s",
				       je.line, je.column, je.text);
		}
		if (!json_is_array(a)) {
			json_decref(a);
			json_decref(all);
			return err_set(e, CAIRN_EINVALID, NULL,
				       "the file must hold the JSON array GitHub's issues API returns");
		}
		json_array_extend(all, a);
		json_decref(a);
		off += je.position;
		while (off < len && isspace((unsigned char)text[off]))
			off++;
	} while (off < len);
	if (repo_name && (rc = check_full_name(repo_name, e))) {
		json_decref(all);
		return rc;
	}
	if (repo_name)
		snprintf(name, sizeof name, "%s", repo_name);
	size_t n = json_array_size(all), k;
	json_t *it;
	/* first pass: read every item; errors are per item, nothing written */
	struct gh_issue *items = calloc(n ? n : 1, sizeof *items);
	if (!items) {
		json_decref(all);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	char *ok = calloc(n ? n : 1, 1);
	json_array_foreach(all, k, it)
	{
		struct err pe;
		char from[GH_NAME_MAX + 1];
		err_clear(&pe);
		json_t *num = json_object_get(it, "number");
		int64_t gnum = json_is_integer(num) ? json_integer_value(num) : 0;
		if (!ok) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		if (json_is_object(it) && json_object_get(it, "pull_request")) {
			out->pulls++;
			continue;
		}
		if (read_issue(it, &items[k], &pe)) {
			if (add_error(out, gnum, k, &pe)) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			continue;
		}
		if (repo_of_url(items[k].url, from, sizeof from) ||
		    (name[0] && strcasecmp(from, name) != 0)) {
			err_set(&pe, CAIRN_EINVALID, "html_url", "%s is not an issue of %s", items[k].url,
				name[0] ? name : "github.com");
			if (add_error(out, gnum, k, &pe)) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			continue;
		}
		if (!name[0])
			snprintf(name, sizeof name, "%s", from);
		ok[k] = 1;
	}
	/* second pass: the good items in one transaction, or nothing */
	if (!rc && name[0] && !(rc = store_begin(st, 1, e))) {
		struct gh_repo *found = NULL;
		size_t nf = 0;
		if (!(rc = bot_user(st, op->now, &c.bot, e)) &&
		    !(rc = store_gh_repo_find(st, -1, name, &found, &nf, e))) {
			if (nf) {
				c.repo = found[0];
			} else { /* imported before any webhook: configured without a secret */
				snprintf(c.repo.full_name, sizeof c.repo.full_name, "%s", name);
				c.repo.created_at = c.repo.updated_at = op->now;
				rc = store_gh_repo_insert(st, &c.repo, e);
				out->repo_created = !rc;
			}
		}
		free(found);
		c.bot.scope = SCOPE_ALL;
		c.op = (struct op){.st = st, .actor = &c.bot, .now = op->now};
		for (k = 0; k < n && !rc; k++) {
			int64_t number, before = 0;
			if (!ok[k])
				continue;
			int known = !store_gh_issue_find(st, c.repo.id, items[k].number, &before, e);
			err_clear(e);
			if ((rc = apply_issue(&c, &items[k], A_ALL, &number, e))) {
				char msg[ERR_MSG_MAX];
				snprintf(msg, sizeof msg, "%s", e->msg);
				err_set(e, rc, e->field, "GitHub #%lld: %s", (long long)items[k].number,
					msg);
				break;
			}
			if (known)
				out->updated++;
			else
				out->created++;
			if (progress)
				progress(pctx, k + 1, n);
		}
		if (!rc)
			rc = store_commit(st, e);
		if (rc) {
			store_rollback(st);
			out->created = out->updated = 0;
		}
	}
	for (k = 0; k < n; k++)
		gh_issue_release(&items[k]);
	free(items);
	free(ok);
	json_decref(all);
	snprintf(out->repo, sizeof out->repo, "%s", name);
	out->total = n;
	return rc;
}
