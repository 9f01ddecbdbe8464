/*
 * store_estimation.c — planning poker sessions, their items, votes and
 * history, and the event log read by the event stream (store.h).
 * Portable SQL with bound parameters; an item whose issue the reader may
 * not see is left out of what is read for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* "1 = 1" or the private-issue rule for v (issues aliased i). */
static void visible_rule(const struct visibility *v, char *rule, size_t cap)
{
	if (v->all_private)
		snprintf(rule, cap, "1 = 1");
	else
		snprintf(rule, cap, PRIVATE_RULE_HEAD "%lld" PRIVATE_RULE_TAIL, (long long)v->user_id);
}

#define SESSION_COLS                                                                         \
	"s.id, s.title, s.facilitator_id, u.login, s.mode, s.stage, s.status,"               \
	" COALESCE(s.closes_at, 0), COALESCE(s.current_issue, 0), s.created_at, s.updated_at," \
	" s.version"
#define SESSION_FROM " FROM estimation_sessions s JOIN users u ON u.id = s.facilitator_id"

static void read_session_row(struct store *s, struct db_rows *r, struct est_session *x)
{
	const struct db_driver *d = s->drv;
	x->id = d->get_int(r, 0);
	copy(x->title, sizeof x->title, d->get_text(r, 1));
	x->facilitator_id = d->get_int(r, 2);
	copy(x->facilitator, sizeof x->facilitator, d->get_text(r, 3));
	x->mode = (int)d->get_int(r, 4);
	x->stage = (int)d->get_int(r, 5);
	x->status = (int)d->get_int(r, 6);
	x->closes_at = d->get_int(r, 7);
	x->current_issue = d->get_int(r, 8);
	x->created_at = d->get_int(r, 9);
	x->updated_at = d->get_int(r, 10);
	x->version = d->get_int(r, 11);
}

static int read_summary(struct store *s, struct db_rows *r, void *item)
{
	struct est_session *x = item;
	read_session_row(s, r, x);
	x->items = (int)s->drv->get_int(r, 12);
	x->estimated = (int)s->drv->get_int(r, 13);
	return 0;
}

int store_est_insert(struct store *s, struct est_session *x, struct err *e)
{
	struct db_param p[] = {P_TEXT(x->title),     P_INT(x->facilitator_id), P_INT(x->mode),
			       P_INT(x->stage),	     P_INT0(x->closes_at),     P_INT(x->created_at),
			       P_INT(x->updated_at), P_INT0(x->current_issue)};
	int rc = store_one_int(s,
			       "INSERT INTO estimation_sessions (title, facilitator_id, mode, stage,"
			       " status, closes_at, created_at, updated_at, current_issue, version)"
			       " VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, 1) RETURNING id",
			       p, 8, &x->id, e);
	if (!rc)
		x->version = 1;
	return rc;
}

int store_est_update(struct store *s, struct est_session *x, int64_t expected, struct err *e)
{
	struct db_param p[] = {P_INT(x->status), P_INT0(x->current_issue), P_INT(x->updated_at),
			       P_INT(x->id), P_INT(expected)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE estimation_sessions SET status = $1, current_issue = $2,"
			   " updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5",
			   p, 5, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ESTALE, "version",
			     "estimation session %lld changed since version %lld; reload it",
			     (long long)x->id, (long long)expected);
	if (!rc)
		x->version = expected + 1;
	return rc;
}

int store_est_get(struct store *s, int64_t id, int lock, struct est_session *out, struct err *e)
{
	char sql[512];
	struct db_param p[] = {P_INT(id)};
	struct db_rows *r;
	int row, rc;
	/* FOR UPDATE OF s: lock the session row, not the facilitator's */
	snprintf(sql, sizeof sql, "SELECT " SESSION_COLS SESSION_FROM " WHERE s.id = $1%s",
		 lock && *s->drv->word(DB_W_FOR_UPDATE) ? " FOR UPDATE OF s" : "");
	if ((rc = s->drv->query(s->db, sql, p, 1, &r, e)))
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_ENOTFOUND, "session", "no estimation session %lld",
			     (long long)id);
	if (!rc)
		read_session_row(s, r, out);
	s->drv->finish(r);
	return rc;
}

int store_est_list(struct store *s, int status, const struct visibility *v, int limit,
		   struct est_session **out, size_t *n, struct err *e)
{
	char sql[1536], rule[160], where[64] = "";
	struct db_param p[2];
	int np = 0;
	visible_rule(v, rule, sizeof rule);
	if (status >= 0) {
		p[np++] = P_INT(status);
		snprintf(where, sizeof where, " WHERE s.status = $1");
	}
	p[np++] = P_INT(limit);
	snprintf(sql, sizeof sql,
		 "SELECT " SESSION_COLS ","
		 " (SELECT COUNT(*) FROM estimation_items t JOIN issues i ON i.id = t.issue_id"
		 "  WHERE t.session_id = s.id AND %s),"
		 " (SELECT COUNT(*) FROM estimation_items t JOIN issues i ON i.id = t.issue_id"
		 "  WHERE t.session_id = s.id AND t.final_size > 0 AND %s)" SESSION_FROM
		 "%s ORDER BY s.status, s.id DESC LIMIT $%d",
		 rule, rule, where, np);
	return store_collect(s, sql, p, np, sizeof **out, read_summary, store_free_items,
			     (void **)out, n, e);
}

int store_est_waiting(struct store *s, int64_t user_id, const struct visibility *v, int64_t now,
		      int limit, struct est_session **out, size_t *n, struct err *e)
{
	char sql[4096], rule[160], waiting[1024];
	struct db_param p[] = {P_INT(user_id), P_INT(now), P_INT(limit)};
	visible_rule(v, rule, sizeof rule);
	/* the items of an open session still taking votes (async: until
	 * closes_at; live: the current one), in a round not revealed, without
	 * user_id's vote in that round */
	snprintf(waiting, sizeof waiting,
		 "(SELECT COUNT(*) FROM estimation_items t JOIN issues i ON i.id = t.issue_id"
		 " WHERE t.session_id = s.id AND %s AND t.final_size = 0"
		 " AND t.revealed_round < t.round AND (s.mode = 1 OR s.current_issue = i.number)"
		 " AND NOT EXISTS (SELECT 1 FROM estimation_votes x WHERE x.session_id = t.session_id"
		 " AND x.issue_id = t.issue_id AND x.round = t.round AND x.user_id = $1))",
		 rule);
	snprintf(sql, sizeof sql,
		 "SELECT " SESSION_COLS ", %s, 0" SESSION_FROM
		 " WHERE s.status = 0 AND (EXISTS (SELECT 1 FROM estimation_participants p"
		 " WHERE p.session_id = s.id AND p.user_id = $1) OR NOT EXISTS (SELECT 1"
		 " FROM estimation_participants p WHERE p.session_id = s.id)) AND (s.mode = 0 OR s.closes_at IS NULL OR s.closes_at > $2)"
		 " AND %s > 0 ORDER BY s.id LIMIT $3",
		 waiting, waiting);
	return store_collect(s, sql, p, 3, sizeof **out, read_summary, store_free_items,
			     (void **)out, n, e);
}

static int read_person(struct store *s, struct db_rows *r, void *item)
{
	struct est_person *x = item;
	x->user_id = s->drv->get_int(r, 0);
	copy(x->login, sizeof x->login, s->drv->get_text(r, 1));
	x->role = (int)s->drv->get_int(r, 2);
	return 0;
}

int store_est_participants(struct store *s, int64_t id, struct est_person **out, size_t *n,
			   struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	return store_collect(s,
			     "SELECT u.id, u.login, u.role FROM estimation_participants x"
			     " JOIN users u ON u.id = x.user_id WHERE x.session_id = $1 ORDER BY u.login",
			     p, 1, sizeof **out, read_person, store_free_items, (void **)out, n, e);
}

int store_est_add_participant(struct store *s, int64_t id, int64_t user_id, struct err *e)
{
	struct db_param p[] = {P_INT(id), P_INT(user_id)};
	return store_run(s, "INSERT INTO estimation_participants (session_id, user_id) VALUES ($1, $2)",
			 p, 2, NULL, e);
}

int store_est_add_item(struct store *s, int64_t id, int64_t issue_id, int position,
		       struct err *e)
{
	struct db_param p[] = {P_INT(id), P_INT(issue_id), P_INT(position)};
	return store_run(s,
			 "INSERT INTO estimation_items (session_id, issue_id, position) VALUES ($1, $2, $3)",
			 p, 3, NULL, e);
}

static int read_item(struct store *s, struct db_rows *r, void *item)
{
	struct est_item *x = item;
	const struct db_driver *d = s->drv;
	x->issue_id = d->get_int(r, 0);
	x->number = d->get_int(r, 1);
	copy(x->title, sizeof x->title, d->get_text(r, 2));
	x->type = (int)d->get_int(r, 3);
	x->state = (int)d->get_int(r, 4);
	x->size = (int)d->get_int(r, 5);
	x->pm_size = (int)d->get_int(r, 6);
	x->reporter_id = d->get_int(r, 7);
	x->position = (int)d->get_int(r, 8);
	x->round = (int)d->get_int(r, 9);
	x->revealed_round = (int)d->get_int(r, 10);
	x->final_size = (int)d->get_int(r, 11);
	x->final_by_id = d->get_int(r, 12);
	copy(x->final_by, sizeof x->final_by, d->get_text(r, 13));
	x->final_at = d->get_int(r, 14);
	x->final_cto = (int)d->get_int(r, 15);
	return 0;
}

int store_est_items(struct store *s, int64_t id, const struct visibility *v,
		    struct est_item **out, size_t *n, struct err *e)
{
	char sql[1024], rule[160];
	struct db_param p[] = {P_INT(id)};
	visible_rule(v, rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT i.id, i.number, i.title, i.type, i.state, i.size, i.pm_size,"
		 " COALESCE(i.reporter_id, 0), t.position, t.round, t.revealed_round, t.final_size,"
		 " COALESCE(t.final_by, 0), u.login, COALESCE(t.final_at, 0), t.final_cto"
		 " FROM estimation_items t JOIN issues i ON i.id = t.issue_id"
		 " LEFT JOIN users u ON u.id = t.final_by WHERE t.session_id = $1 AND %s"
		 " ORDER BY t.position",
		 rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_item, store_free_items, (void **)out,
			     n, e);
}

int store_est_item_update(struct store *s, int64_t id, const struct est_item *it, struct err *e)
{
	struct db_param p[] = {P_INT(it->round),      P_INT(it->revealed_round),
			       P_INT(it->final_size), P_INT0(it->final_by_id),
			       P_INT0(it->final_at),  P_INT(it->final_cto),
			       P_INT(id),	      P_INT(it->issue_id)};
	return store_run(s,
			 "UPDATE estimation_items SET round = $1, revealed_round = $2, final_size = $3,"
			 " final_by = $4, final_at = $5, final_cto = $6"
			 " WHERE session_id = $7 AND issue_id = $8",
			 p, 8, NULL, e);
}

static int read_vote(struct store *s, struct db_rows *r, void *item)
{
	struct est_vote *x = item;
	x->issue_id = s->drv->get_int(r, 0);
	x->round = (int)s->drv->get_int(r, 1);
	x->user_id = s->drv->get_int(r, 2);
	copy(x->login, sizeof x->login, s->drv->get_text(r, 3));
	x->size = (int)s->drv->get_int(r, 4);
	x->voted_at = s->drv->get_int(r, 5);
	return 0;
}

int store_est_votes(struct store *s, int64_t id, struct est_vote **out, size_t *n,
		    struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	return store_collect(s,
			     "SELECT v.issue_id, v.round, v.user_id, u.login, v.size, v.voted_at"
			     " FROM estimation_votes v JOIN users u ON u.id = v.user_id"
			     " WHERE v.session_id = $1 ORDER BY v.issue_id, v.round, u.login",
			     p, 1, sizeof **out, read_vote, store_free_items, (void **)out, n, e);
}

int store_est_vote_put(struct store *s, int64_t id, int64_t issue_id, int round, int64_t user_id,
		       int size, int64_t at, struct err *e)
{
	struct db_param p[] = {P_INT(id), P_INT(issue_id), P_INT(round), P_INT(user_id), P_INT(size),
			       P_INT(at)};
	return store_run(s,
			 "INSERT INTO estimation_votes (session_id, issue_id, round, user_id, size,"
			 " voted_at) VALUES ($1, $2, $3, $4, $5, $6)"
			 " ON CONFLICT (session_id, issue_id, round, user_id)"
			 " DO UPDATE SET size = excluded.size, voted_at = excluded.voted_at",
			 p, 6, NULL, e);
}

int store_est_history_add(struct store *s, int64_t id, int64_t issue_id, int64_t actor,
			  int64_t at, const char *field, const char *old_value,
			  const char *new_value, struct err *e)
{
	struct db_param p[] = {P_INT(id),     P_INT0(issue_id),	    P_INT0(actor),
			       P_INT(at),     P_TEXT(field),	    P_TEXT(old_value),
			       P_TEXT(new_value)};
	return store_run(s,
			 "INSERT INTO estimation_history (session_id, issue_id, actor_id, at, field,"
			 " old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			 p, 7, NULL, e);
}

int store_est_history(struct store *s, int64_t id, const struct visibility *v,
		      struct history_list *out, struct err *e)
{
	char sql[768], rule[160];
	visible_rule(v, rule, sizeof rule);
	snprintf(sql, sizeof sql,
		 "SELECT h.id, u.login, h.at, h.field, h.old_value, h.new_value"
		 " FROM estimation_history h LEFT JOIN users u ON u.id = h.actor_id"
		 " LEFT JOIN issues i ON i.id = h.issue_id"
		 " WHERE h.session_id = $1 AND (h.issue_id IS NULL OR %s) ORDER BY h.id",
		 rule);
	return store_history_read(s, sql, id, out, e);
}

/* ---- events ------------------------------------------------------------------ */

#define EVENTS_KEEP 10000

void event_rows_release(struct event_row *rows, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(rows[k].data);
	free(rows);
}

static void release_events(void *items, size_t n)
{
	event_rows_release(items, n);
}

int store_event_add(struct store *s, int64_t at, const char *topic, const char *kind, int priv,
		    int64_t owner_id, const char *data, struct err *e)
{
	struct db_param p[] = {P_INT(at), P_TEXT(topic), P_TEXT(kind), P_INT(priv != 0),
			       P_INT0(owner_id), P_TEXT(data)};
	int64_t id;
	int rc = s->drv->lock(s->db, DB_LOCK_EVENTS, e);
	if (!rc)
		rc = store_one_int(s,
				   "INSERT INTO events (at, topic, kind, private, owner_id, data)"
				   " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
				   p, 6, &id, e);
	if (!rc && id % 1000 == 0) {
		struct db_param q[] = {P_INT(id - EVENTS_KEEP)};
		rc = store_run(s, "DELETE FROM events WHERE id <= $1", q, 1, NULL, e);
	}
	return rc;
}

static int read_event(struct store *s, struct db_rows *r, void *item)
{
	struct event_row *x = item;
	const char *data = s->drv->get_text(r, 6);
	x->id = s->drv->get_int(r, 0);
	x->at = s->drv->get_int(r, 1);
	copy(x->topic, sizeof x->topic, s->drv->get_text(r, 2));
	copy(x->kind, sizeof x->kind, s->drv->get_text(r, 3));
	x->private_ = (int)s->drv->get_int(r, 4);
	x->owner_id = s->drv->get_int(r, 5);
	x->data = strdup(data ? data : "{}");
	return !x->data;
}

int store_events_since(struct store *s, int64_t after, int limit, struct event_row **out,
		       size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(after), P_INT(limit)};
	return store_collect(s,
			     "SELECT id, at, topic, kind, private, COALESCE(owner_id, 0), data"
			     " FROM events WHERE id > $1 ORDER BY id LIMIT $2",
			     p, 2, sizeof **out, read_event, release_events, (void **)out, n, e);
}

int store_events_last(struct store *s, int64_t *id, struct err *e)
{
	return store_one_int(s, "SELECT COALESCE(MAX(id), 0) FROM events", NULL, 0, id, e);
}
