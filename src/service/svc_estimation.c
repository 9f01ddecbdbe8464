/*
 * svc_estimation.c — estimation sessions (planning poker, DESIGN.md §2):
 * validation, authorization, transactions, history and events.
 *
 * Rules:
 * - em, cto, pm and admin facilitate; the facilitator reveals, starts new
 *   rounds, picks the item a live session is on, closes the session and
 *   sets the final size.  The CTO may set or override any final size, and
 *   a final size the CTO set only the CTO changes.
 * - Everyone but viewers votes, or only the named participants (and the
 *   facilitator).  A vote's value is shown to nobody but its voter until
 *   its round is revealed; est_view masks it here, so no reply, event or
 *   history row can carry it.
 * - An async session takes votes until closes_at; after that every round
 *   counts as revealed.
 * - The final size is written to the issue (size, or pm_size for stage pm)
 *   with the issue's own rules and history, plus a row naming the session.
 * Every change writes a session history row and an event (in the same
 * transaction), and moves the session's version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "service/svc_int.h"


/* ---- events ------------------------------------------------------------------ */

static void (*on_commit)(void);

void svc_events_on_commit(void (*fn)(void))
{
	on_commit = fn;
}

static void events_committed(void)
{
	if (on_commit)
		on_commit();
}

int svc_event_visible(const struct event_row *ev, int64_t user_id, enum role role)
{
	if (!strcmp(ev->topic, NOTIFY_TOPIC)) /* one user's inbox count: theirs alone */
		return ev->owner_id == user_id;
	return !ev->private_ || perm_allows(role, P_PRIVATE_READ) || (ev->owner_id && ev->owner_id == user_id);
}

int svc_events_since(const struct op *op, int64_t after, int limit, struct event_row **out,
		     size_t *n, struct err *e)
{
	struct store *st = op->st;
	return store_events_since(st, after, limit, out, n, e);
}

int svc_events_last(const struct op *op, int64_t *id, struct err *e)
{
	struct store *st = op->st;
	return store_events_last(st, id, e);
}

/* An event of session x; it about an item (or NULL).  extra: more JSON
 * members (",\"round\":2") — never a vote's value before its reveal. */
static int add_event(struct store *st, const struct est_session *x, const struct est_item *it,
		     const char *kind, const char *extra, int64_t now, struct err *e)
{
	char topic[64], data[512];
	int priv = it && it->type == ISSUE_SECURITY;
	snprintf(topic, sizeof topic, "estimation/%lld", (long long)x->id);
	if (it)
		snprintf(data, sizeof data, "{\"session\":%lld,\"issue\":%lld%s}", (long long)x->id,
			 (long long)it->number, extra ? extra : "");
	else
		snprintf(data, sizeof data, "{\"session\":%lld%s}", (long long)x->id,
			 extra ? extra : "");
	return store_event_add(st, now, topic, kind, priv, priv ? it->reporter_id : 0, data, e);
}

/* ---- views ------------------------------------------------------------------- */

void est_view_release(struct est_view *v)
{
	free(v->people);
	free(v->items);
	free(v->votes);
	memset(v, 0, sizeof *v);
}

int est_round_revealed(const struct est_view *v, const struct est_item *it, int r)
{
	return r <= it->revealed_round || v->deadline_passed;
}

static int is_participant(const struct est_view *v, int64_t user_id)
{
	if (v->s.facilitator_id == user_id)
		return 1;
	if (!v->npeople)
		return 1;
	for (size_t k = 0; k < v->npeople; k++)
		if (v->people[k].user_id == user_id)
			return 1;
	return 0;
}

static const struct est_item *find_item(const struct est_view *v, int64_t number)
{
	for (size_t k = 0; k < v->nitems; k++)
		if (v->items[k].number == number)
			return &v->items[k];
	return NULL;
}

/* Read session id for actor inside the caller's transaction (lock: the
 * session row, for a write). */
static int load_view(const struct op *op, int64_t id, int lock,
		     struct est_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct est_vote *all = NULL;
	size_t nall = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_est_get(st, id, lock, &out->s, e)) ||
	    (rc = store_est_participants(st, id, &out->people, &out->npeople, e)) ||
	    (rc = store_est_items(st, id, &vis, &out->items, &out->nitems, e)) ||
	    (rc = store_est_votes(st, id, &all, &nall, e)))
		goto fail;
	int64_t now = op->now;
	out->reader_id = actor->id;
	out->deadline_passed = out->s.mode == EST_ASYNC && out->s.closes_at && now >= out->s.closes_at;
	out->voting_open = out->s.status == EST_OPEN && !out->deadline_passed;
	out->can_facilitate = out->s.facilitator_id == actor->id;
	out->can_vote = out->voting_open && svc_may(actor, P_EST_VOTE) && is_participant(out, actor->id);
	/* keep the votes of the items the reader sees; mask the unrevealed */
	size_t w = 0;
	for (size_t k = 0; k < nall; k++) {
		const struct est_item *it = NULL;
		for (size_t j = 0; j < out->nitems && !it; j++)
			if (out->items[j].issue_id == all[k].issue_id)
				it = &out->items[j];
		if (!it)
			continue;
		all[w] = all[k];
		if (!est_round_revealed(out, it, all[w].round) && all[w].user_id != actor->id)
			all[w].size = VOTE_HIDDEN;
		w++;
	}
	out->votes = all;
	out->nvotes = w;
	return 0;
fail:
	free(all);
	est_view_release(out);
	return rc;
}

static int read_view(const struct op *op, int64_t id,
		     struct est_view *out, struct err *e)
{
	struct store *st = op->st;
	int rc = store_begin(st, 0, e);
	if (rc)
		return rc;
	if ((rc = load_view(op, id, 0, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	if (rc)
		est_view_release(out);
	return rc;
}

int svc_est_get(const struct op *op, int64_t id, struct est_view *out,
		struct err *e)
{
	return read_view(op, id, out, e);
}

int svc_est_list(const struct op *op, const char *status,
		 struct est_session **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	int s = -1, rc;
	*out = NULL;
	*n = 0;
	if (status && *status && est_status_parse(status, &s))
		return err_set(e, CAIRN_EINVALID, "status", "status must be open or closed");
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_est_list(st, s, &vis, 200, out, n, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int svc_est_history(const struct op *op, int64_t id,
		    struct history_list *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct est_session x;
	int rc;
	/* everyone reads: values only once revealed, rows about hidden items left out */
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_est_get(st, id, 0, &x, e)) || (rc = store_est_history(st, id, &vis, out, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		history_list_release(out);
	}
	return rc;
}

/* ---- create ------------------------------------------------------------------ */

static int check_input(const struct op *op, const struct est_input *in,
		       struct est_session *x, int64_t *issue_ids, int64_t *people, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	int rc;
	int64_t now = op->now;
	if (!in->title || !*in->title)
		return err_set(e, CAIRN_EINVALID, "title", "title is required");
	if ((rc = title_check(in->title, e)))
		return rc;
	snprintf(x->title, sizeof x->title, "%s", in->title);
	if (in->mode && est_mode_parse(in->mode, &x->mode))
		return err_set(e, CAIRN_EINVALID, "mode", "mode must be live or async");
	/* the final size is written with the facilitator's own rights: a PM
	 * estimates pm_size, an EM size (the CTO and admins either) */
	int dev = svc_may(actor, P_ISSUE_SIZE), pm = svc_may(actor, P_ISSUE_PM_SIZE);
	x->stage = dev ? EST_DEV : EST_PM;
	if (in->stage && est_stage_parse(in->stage, &x->stage))
		return err_set(e, CAIRN_EINVALID, "stage",
			       "stage must be dev (the final size goes to size) or pm (to pm_size)");
	if (x->stage == EST_DEV && !dev)
		return err_set(e, CAIRN_EINVALID, "stage",
			       "a PM's session estimates pm_size (stage pm): size is set by an EM, CTO "
			       "or admin");
	if (x->stage == EST_PM && !pm)
		return err_set(e, CAIRN_EINVALID, "stage",
			       "an EM's session estimates size (stage dev): pm_size is set by a PM, CTO "
			       "or admin");
	if (in->nissues == 0)
		return err_set(e, CAIRN_EINVALID, "issues", "issues must name at least one issue");
	if (in->nissues > EST_ITEMS_MAX)
		return err_set(e, CAIRN_EINVALID, "issues", "a session holds at most %d issues",
			       EST_ITEMS_MAX);
	for (size_t k = 0; k < in->nissues; k++) {
		struct issue is;
		for (size_t j = 0; j < k; j++)
			if (in->issues[j] == in->issues[k])
				return err_set(e, CAIRN_EINVALID, "issues", "#%lld is named twice",
					       (long long)in->issues[k]);
		rc = store_issue_get(st, in->issues[k], &vis, &is, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return err_set(e, CAIRN_EINVALID, "issues", "no issue #%lld",
				       (long long)in->issues[k]);
		}
		if (rc)
			return rc;
		issue_ids[k] = is.id;
		issue_release(&is);
	}
	if (in->nparticipants > EST_PEOPLE_MAX)
		return err_set(e, CAIRN_EINVALID, "participants", "at most %d participants",
			       EST_PEOPLE_MAX);
	for (size_t k = 0; k < in->nparticipants; k++) {
		struct user u;
		const char *login = in->participants[k];
		rc = store_user_by_login(st, login ? login : "", &u, NULL, 0, e);
		if (rc == CAIRN_ENOTFOUND) {
			err_clear(e);
			return err_set(e, CAIRN_EINVALID, "participants", "no user '%.64s'",
				       login ? login : "");
		}
		if (rc)
			return rc;
		if (u.role == ROLE_VIEWER)
			return err_set(e, CAIRN_EINVALID, "participants",
				       "%s is a viewer: viewers do not vote", u.login);
		for (size_t j = 0; j < k; j++)
			if (people[j] == u.id)
				return err_set(e, CAIRN_EINVALID, "participants", "%s is named twice",
					       u.login);
		people[k] = u.id;
	}
	if (in->closes_at && x->mode != EST_ASYNC)
		return err_set(e, CAIRN_EINVALID, "closes_at",
			       "closes_at is for async sessions (a live one ends when it is closed)");
	if (x->mode == EST_ASYNC) {
		x->closes_at = now + DAY_MS;
		if (in->closes_at && parse_instant(in->closes_at, &x->closes_at))
			return err_set(e, CAIRN_EINVALID, "closes_at",
				       "closes_at must be YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD");
		if (x->closes_at <= now || x->closes_at > now + 30 * DAY_MS)
			return err_set(e, CAIRN_EINVALID, "closes_at",
				       "closes_at must be in the future, within 30 days");
	}
	return 0;
}

int svc_est_create(const struct op *op, const struct est_input *in,
		   struct est_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct est_session x = {0};
	int64_t issue_ids[EST_ITEMS_MAX], people[EST_PEOPLE_MAX];
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_EST_FACILITATE, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = check_input(op, in, &x, issue_ids, people, e)))
		goto fail;
	x.facilitator_id = actor->id;
	x.created_at = x.updated_at = op->now;
	if (x.mode == EST_LIVE) /* the room starts on the first issue */
		x.current_issue = in->issues[0];
	if ((rc = store_est_insert(st, &x, e)))
		goto fail;
	for (size_t k = 0; k < in->nissues && !rc; k++)
		rc = store_est_add_item(st, x.id, issue_ids[k], (int)k + 1, e);
	for (size_t k = 0; k < in->nparticipants && !rc; k++)
		rc = store_est_add_participant(st, x.id, people[k], e);
	if (rc || (rc = store_est_history_add(st, x.id, 0, actor->id, x.created_at, "created", NULL,
					      x.title, e)) ||
	    (rc = add_event(st, &x, NULL, "estimation.created", NULL, x.created_at, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	events_committed();
	return read_view(op, x.id, out, e);
fail:
	store_rollback(st);
	return rc;
}

/* ---- changes ------------------------------------------------------------------- */

static int facilitator_only(const struct est_view *v, const struct user *actor, const char *what,
			    struct err *e)
{
	if (v->s.facilitator_id != actor->id)
		return err_set(e, CAIRN_EFORBIDDEN, NULL, "only the facilitator (%s) %s",
			       v->s.facilitator, what);
	return 0;
}

/* Begin, lock and read session id for a change. */
static int begin_change(const struct op *op, int64_t id,
			struct est_view *v, struct err *e)
{
	struct store *st = op->st;
	int rc = store_begin(st, 1, e);
	if (rc)
		return rc;
	if ((rc = load_view(op, id, 1, v, e)))
		store_rollback(st);
	return rc;
}

/* Move the session's version, commit, wake the listeners, read it back. */
static int finish_change(const struct op *op, struct est_view *v,
			 int64_t now, struct est_view *out, struct err *e)
{
	struct store *st = op->st;
	int64_t id = v->s.id;
	int rc;
	v->s.updated_at = now;
	if ((rc = store_est_update(st, &v->s, v->s.version, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		est_view_release(v);
		return rc;
	}
	est_view_release(v);
	events_committed();
	return read_view(op, id, out, e);
}

static int abort_change(struct store *st, struct est_view *v, int rc)
{
	store_rollback(st);
	est_view_release(v);
	return rc;
}

int svc_est_current(const struct op *op, int64_t id, int64_t number,
		    int64_t if_match, struct est_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct est_view v;
	const struct est_item *it = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_EST_FACILITATE, e)) ||
	    (rc = begin_change(op, id, &v, e)))
		return rc;
	if ((rc = facilitator_only(&v, actor, "chooses the item under discussion", e)))
		return abort_change(st, &v, rc);
	if (if_match >= 0 && if_match != v.s.version)
		return abort_change(st, &v,
				    err_set(e, CAIRN_ESTALE, "version",
					    "the session is at version %lld, not %lld: reload it",
					    (long long)v.s.version, (long long)if_match));
	if (v.s.status != EST_OPEN)
		return abort_change(st, &v, err_set(e, CAIRN_ECONFLICT, NULL, "the session is closed"));
	if (number && !(it = find_item(&v, number)))
		return abort_change(st, &v, err_set(e, CAIRN_EINVALID, "current",
						    "#%lld is not in this session", (long long)number));
	int64_t now = op->now;
	char was[24] = "", is[24] = "";
	if (v.s.current_issue)
		snprintf(was, sizeof was, "#%lld", (long long)v.s.current_issue);
	if (number)
		snprintf(is, sizeof is, "#%lld", (long long)number);
	if (v.s.current_issue == number) { /* nothing changes: no history, no event */
		store_rollback(st);
		est_view_release(&v);
		return read_view(op, id, out, e);
	}
	v.s.current_issue = number;
	if ((rc = store_est_history_add(st, id, it ? it->issue_id : 0, actor->id, now, "current", was[0] ? was : NULL,
					is[0] ? is : NULL, e)) ||
	    (rc = add_event(st, &v.s, it, "estimation.current", NULL, now, e)))
		return abort_change(st, &v, rc);
	return finish_change(op, &v, now, out, e);
}

int svc_est_close(const struct op *op, int64_t id, struct est_view *out,
		  struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct est_view v;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_EST_FACILITATE, e)) ||
	    (rc = begin_change(op, id, &v, e)))
		return rc;
	if ((rc = facilitator_only(&v, actor, "closes the session", e)))
		return abort_change(st, &v, rc);
	if (v.s.status != EST_OPEN)
		return abort_change(st, &v,
				    err_set(e, CAIRN_ECONFLICT, NULL, "the session is already closed"));
	int64_t now = op->now;
	v.s.status = EST_CLOSED;
	if ((rc = store_est_history_add(st, id, 0, actor->id, now, "status", "open", "closed", e)) ||
	    (rc = add_event(st, &v.s, NULL, "estimation.closed", NULL, now, e)))
		return abort_change(st, &v, rc);
	return finish_change(op, &v, now, out, e);
}

/* The votes of one round of an item as "eng1 M, cto1 L" (revealed only). */
static void round_text(const struct est_view *v, const struct est_item *it, int round, char *buf,
		       size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < v->nvotes && n < cap; k++)
		if (v->votes[k].issue_id == it->issue_id && v->votes[k].round == round)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s %s", n ? ", " : "",
					      v->votes[k].login, vote_text(v->votes[k].size));
}

static int round_votes(const struct est_view *v, const struct est_item *it, int round)
{
	int c = 0;
	for (size_t k = 0; k < v->nvotes; k++)
		c += v->votes[k].issue_id == it->issue_id && v->votes[k].round == round;
	return c;
}

static int do_vote(const struct op *op, struct est_view *v,
		   struct est_item *it, const char *size, int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int points;
	char field[48], extra[96];
	int rc;
	if (!is_participant(v, actor->id))
		return err_set(e, CAIRN_EFORBIDDEN, NULL,
			       "only the participants of this session and its facilitator vote");
	if (v->s.status != EST_OPEN)
		return err_set(e, CAIRN_ECONFLICT, NULL, "the session is closed");
	if (v->deadline_passed) {
		char when[32];
		iso_time(v->s.closes_at, when, sizeof when);
		return err_set(e, CAIRN_ECONFLICT, NULL, "voting closed at %s", when);
	}
	if (vote_parse(size, &points))
		return err_set(e, CAIRN_EINVALID, "size", "size must be one of " VOTES_ALLOWED);
	if (it->final_size)
		return err_set(e, CAIRN_ECONFLICT, NULL, "the final size of #%lld is set",
			       (long long)it->number);
	if (est_round_revealed(v, it, it->round))
		return err_set(e, CAIRN_ECONFLICT, NULL,
			       "round %d of #%lld is revealed: the facilitator starts a new round to "
			       "vote again",
			       it->round, (long long)it->number);
	snprintf(field, sizeof field, "vote #%lld", (long long)it->number);
	snprintf(extra, sizeof extra, ",\"round\":%d,\"voter\":\"%s\"", it->round, actor->login);
	char round[24];
	snprintf(round, sizeof round, "round %d", it->round);
	/* the history and the event say who voted, never what */
	if ((rc = store_est_vote_put(st, v->s.id, it->issue_id, it->round, actor->id, points, now,
				     e)) ||
	    (rc = store_est_history_add(st, v->s.id, it->issue_id, actor->id, now, field, NULL, round, e)))
		return rc;
	return add_event(st, &v->s, it, "estimation.vote", extra, now, e);
}

static int do_reveal(const struct op *op, struct est_view *v,
		     struct est_item *it, int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char field[48], extra[32], text[2048];
	int rc;
	if ((rc = facilitator_only(v, actor, "reveals the votes", e)))
		return rc;
	if (v->s.status != EST_OPEN)
		return err_set(e, CAIRN_ECONFLICT, NULL, "the session is closed");
	if (est_round_revealed(v, it, it->round))
		return err_set(e, CAIRN_ECONFLICT, NULL, "round %d of #%lld is already revealed",
			       it->round, (long long)it->number);
	if (!round_votes(v, it, it->round))
		return err_set(e, CAIRN_ECONFLICT, NULL, "no votes in round %d of #%lld yet",
			       it->round, (long long)it->number);
	it->revealed_round = it->round;
	/* the facilitator's own read masked the others' votes: read them now */
	struct est_vote *all = NULL;
	size_t n = 0;
	if ((rc = store_est_votes(st, v->s.id, &all, &n, e)))
		return rc;
	free(v->votes);
	v->votes = all;
	v->nvotes = n;
	round_text(v, it, it->round, text, sizeof text);
	snprintf(field, sizeof field, "reveal #%lld round %d", (long long)it->number, it->round);
	snprintf(extra, sizeof extra, ",\"round\":%d", it->round);
	if ((rc = store_est_item_update(st, v->s.id, it, e)) ||
	    (rc = store_est_history_add(st, v->s.id, it->issue_id, actor->id, now, field, NULL, text, e)))
		return rc;
	return add_event(st, &v->s, it, "estimation.reveal", extra, now, e);
}

static int do_revote(const struct op *op, struct est_view *v,
		     struct est_item *it, int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char field[48], extra[32], was[16], is[16];
	int rc;
	if ((rc = facilitator_only(v, actor, "starts a new round", e)))
		return rc;
	if (!v->voting_open)
		return err_set(e, CAIRN_ECONFLICT, NULL, "voting is closed in this session");
	if (it->final_size)
		return err_set(e, CAIRN_ECONFLICT, NULL, "the final size of #%lld is set",
			       (long long)it->number);
	if (!est_round_revealed(v, it, it->round))
		return err_set(e, CAIRN_ECONFLICT, NULL,
			       "reveal round %d of #%lld before starting another", it->round,
			       (long long)it->number);
	snprintf(was, sizeof was, "%d", it->round);
	it->round++;
	snprintf(is, sizeof is, "%d", it->round);
	snprintf(field, sizeof field, "round #%lld", (long long)it->number);
	snprintf(extra, sizeof extra, ",\"round\":%d", it->round);
	if ((rc = store_est_item_update(st, v->s.id, it, e)) ||
	    (rc = store_est_history_add(st, v->s.id, it->issue_id, actor->id, now, field, was, is, e)))
		return rc;
	return add_event(st, &v->s, it, "estimation.revote", extra, now, e);
}

static int do_final(const struct op *op, struct est_view *v,
		    struct est_item *it, const char *size, int64_t now, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int points, rc, cto = svc_may(actor, P_EST_OVERRIDE);
	char field[48], extra[96], text[64], was[32] = "";
	if (v->s.facilitator_id != actor->id && !cto)
		return err_set(e, CAIRN_EFORBIDDEN, NULL,
			       "only the facilitator (%s) or the CTO set the final size",
			       v->s.facilitator);
	if (it->final_cto && !cto)
		return err_set(e, CAIRN_EFORBIDDEN, NULL,
			       "the CTO set the final size of #%lld; the CTO's word stands",
			       (long long)it->number);
	if (!size || vote_parse(size, &points) || points == VOTE_UNSURE)
		return err_set(e, CAIRN_EINVALID, "size", "size must be one of XS, S, M, L, XL, XXL");
	if (!it->final_size && !it->revealed_round && !v->deadline_passed)
		return err_set(e, CAIRN_ECONFLICT, NULL,
			       "reveal the votes of #%lld before setting its final size",
			       (long long)it->number);
	if (it->final_size)
		snprintf(was, sizeof was, "%s%s", size_letter(it->final_size),
			 it->final_cto ? " (cto)" : "");
	it->final_size = points;
	it->final_by_id = actor->id;
	it->final_at = now;
	it->final_cto = cto;
	snprintf(text, sizeof text, "%s%s", size_letter(points), cto ? " (cto)" : "");
	snprintf(field, sizeof field, "final #%lld", (long long)it->number);
	snprintf(extra, sizeof extra, ",\"size\":\"%s\",\"by\":\"%s\"", size_letter(points),
		 actor->login);

	struct issue_input in = {0};
	char session[64];
	if (v->s.stage == EST_PM) {
		in.set = IN_PM_SIZE;
		in.pm_size = size_letter(points);
	} else {
		in.set = IN_SIZE;
		in.size = size_letter(points);
	}
	snprintf(session, sizeof session, "estimation session %lld", (long long)v->s.id);
	if ((rc = store_est_item_update(st, v->s.id, it, e)) ||
	    (rc = svc_issue_update_in_tx(op, it->number, &in, e)) ||
	    (rc = store_history_add(st, it->issue_id, actor->id, now, "estimated_in", NULL, session,
				    e)) ||
	    (rc = store_est_history_add(st, v->s.id, it->issue_id, actor->id, now, field, was[0] ? was : NULL,
					text, e)))
		return rc;
	return add_event(st, &v->s, it, "estimation.final", extra, now, e);
}

int svc_est_act(const struct op *op, int64_t id, int64_t number,
		enum est_action act, const char *size, struct est_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct est_view v;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, act == EST_VOTE ? P_EST_VOTE : P_EST_FACILITATE, e)) ||
	    (rc = begin_change(op, id, &v, e)))
		return rc;
	struct est_item *it = (struct est_item *)find_item(&v, number);
	if (!it)
		return abort_change(st, &v,
				    err_set(e, CAIRN_ENOTFOUND, "issue",
					    "#%lld is not in estimation session %lld",
					    (long long)number, (long long)id));
	int64_t now = op->now;
	switch (act) {
	case EST_VOTE: rc = do_vote(op, &v, it, size, now, e); break;
	case EST_REVEAL: rc = do_reveal(op, &v, it, now, e); break;
	case EST_REVOTE: rc = do_revote(op, &v, it, now, e); break;
	case EST_FINAL: rc = do_final(op, &v, it, size, now, e); break;
	}
	if (rc)
		return abort_change(st, &v, rc);
	return finish_change(op, &v, now, out, e);
}
