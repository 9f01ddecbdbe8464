/*
 * store_mail.c — notification email (store.h): addresses, choices per
 * kind, the queue of outgoing mails and the notifications each tells of.
 * A mail's notifications are read through the private-issue rule of its
 * recipient when it is sent, not when it was queued.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

static int read_account(struct store *s, struct db_rows *r, void *item)
{
	struct mail_account *a = item;
	a->user_id = s->drv->get_int(r, 0);
	snprintf(a->address, sizeof a->address, "%s", s->drv->get_text(r, 1));
	a->since = s->drv->get_int(r, 2);
	a->last_digest_at = s->drv->get_int(r, 3);
	return 0;
}

int store_mail_account(struct store *s, int64_t user_id, struct mail_account *out, int *found,
		       struct err *e)
{
	struct db_param p[] = {P_INT(user_id)};
	struct mail_account *a = NULL;
	size_t n = 0;
	int rc = store_collect(s,
			       "SELECT user_id, address, since, last_digest_at FROM mail_accounts"
			       " WHERE user_id = $1",
			       p, 1, sizeof *a, read_account, store_free_items, (void **)&a, &n, e);
	memset(out, 0, sizeof *out);
	*found = !rc && n == 1;
	if (*found)
		*out = a[0];
	store_free_items(a, n);
	return rc;
}

int store_mail_account_set(struct store *s, int64_t user_id, const char *address, int64_t since,
			   struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_TEXT(address), P_INT(since)};
	if (!address)
		return store_run(s, "DELETE FROM mail_accounts WHERE user_id = $1", p, 1, NULL, e);
	return store_run(s,
			 "INSERT INTO mail_accounts (user_id, address, since, last_digest_at)"
			 " VALUES ($1, $2, $3, $3)"
			 " ON CONFLICT (user_id) DO UPDATE SET address = excluded.address",
			 p, 3, NULL, e);
}

static int read_pref(struct store *s, struct db_rows *r, void *item)
{
	struct mail_pref *m = item;
	snprintf(m->kind, sizeof m->kind, "%s", s->drv->get_text(r, 0));
	snprintf(m->mode, sizeof m->mode, "%s", s->drv->get_text(r, 1));
	return 0;
}

int store_mail_prefs(struct store *s, int64_t user_id, struct mail_pref **out, size_t *n,
		     struct err *e)
{
	struct db_param p[] = {P_INT(user_id)};
	return store_collect(s, "SELECT kind, mode FROM mail_prefs WHERE user_id = $1 ORDER BY kind",
			     p, 1, sizeof **out, read_pref, store_free_items, (void **)out, n, e);
}

int store_mail_pref(struct store *s, int64_t user_id, const char *kind, char *mode, size_t cap,
		    struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_TEXT(kind)};
	struct mail_pref *m = NULL;
	size_t n = 0;
	int rc = store_collect(s, "SELECT kind, mode FROM mail_prefs WHERE user_id = $1 AND kind = $2",
			       p, 2, sizeof *m, read_pref, store_free_items, (void **)&m, &n, e);
	snprintf(mode, cap, "%s", !rc && n ? m[0].mode : "");
	store_free_items(m, n);
	return rc;
}

int store_mail_pref_set(struct store *s, int64_t user_id, const char *kind, const char *mode,
			struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_TEXT(kind), P_TEXT(mode)};
	return store_run(s,
			 "INSERT INTO mail_prefs (user_id, kind, mode) VALUES ($1, $2, $3)"
			 " ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode",
			 p, 3, NULL, e);
}

int store_mail_enqueue(struct store *s, int64_t user_id, int digest, const int64_t *ids,
		       size_t n, int64_t next_at, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_INT(digest), P_INT(next_at), P_INT(now)};
	int64_t id;
	int rc = store_one_int(s,
			       "INSERT INTO mail_queue (user_id, digest, next_at, created_at, updated_at)"
			       " VALUES ($1, $2, $3, $4, $4) RETURNING id",
			       p, 4, &id, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct db_param q[] = {P_INT(id), P_INT(ids[k])};
		rc = store_run(s, "INSERT INTO mail_items (mail_id, notification_id) VALUES ($1, $2)", q,
			       2, NULL, e);
	}
	return rc;
}

int store_mail_digest_due(struct store *s, int64_t slot, int64_t limit, struct mail_account **out,
			  size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(slot), P_INT(limit)};
	return store_collect(s,
			     "SELECT m.user_id, m.address, m.since, m.last_digest_at FROM mail_accounts m"
			     " JOIN users u ON u.id = m.user_id WHERE m.last_digest_at < $1"
			     " AND u.disabled_at IS NULL ORDER BY m.user_id LIMIT $2",
			     p, 2, sizeof **out, read_account, store_free_items, (void **)out, n, e);
}

/* Run a conditional UPDATE of three parameters: *won 1 when it changed
 * the one row (this caller took it, no other). */
static int run_won(struct store *s, const char *sql, const struct db_param *p, int *won,
		   struct err *e)
{
	int64_t changed = 0;
	int rc = store_run(s, sql, p, 3, &changed, e);
	*won = !rc && changed == 1;
	return rc;
}

int store_mail_digest_claim(struct store *s, int64_t user_id, int64_t slot, int64_t now,
			    int *won, struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_INT(slot), P_INT(now)};
	return run_won(s,
		       "UPDATE mail_accounts SET last_digest_at = $3 WHERE user_id = $1"
		       " AND last_digest_at < $2",
		       p, won, e);
}

int store_mail_unsent(struct store *s, const struct visibility *v, int64_t since,
		      struct notification **out, size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id), P_INT(v->all_private ? 1 : 0), P_INT(since)};
	return store_collect(s,
			     "SELECT " NOTIFICATION_COLS " FROM notifications n"
			     " JOIN issues i ON i.id = n.issue_id LEFT JOIN users a ON a.id = n.actor_id"
			     " WHERE n.user_id = $1 AND n.read_at IS NULL AND n.at >= $3 AND " READER_SEES
			     " AND NOT EXISTS (SELECT 1 FROM mail_items mi WHERE mi.notification_id = n.id)"
			     " ORDER BY n.id LIMIT 500",
			     p, 3, sizeof **out, store_read_notification, store_free_items, (void **)out,
			     n, e);
}

static int read_job(struct store *s, struct db_rows *r, void *item)
{
	struct mail_job *j = item;
	j->id = s->drv->get_int(r, 0);
	j->user_id = s->drv->get_int(r, 1);
	j->digest = (int)s->drv->get_int(r, 2);
	j->attempts = (int)s->drv->get_int(r, 3);
	return 0;
}

int store_mail_due(struct store *s, int64_t wall, int64_t limit, struct mail_job **out, size_t *n,
		   struct err *e)
{
	struct db_param p[] = {P_INT(wall), P_INT(limit)};
	return store_collect(s,
			     "SELECT id, user_id, digest, attempts FROM mail_queue WHERE state = 0"
			     " AND next_at <= $1 AND claimed_until <= $1 ORDER BY next_at, id LIMIT $2",
			     p, 2, sizeof **out, read_job, store_free_items, (void **)out, n, e);
}

int store_mail_claim(struct store *s, int64_t id, int64_t wall, int64_t until, int *won,
		     struct err *e)
{
	struct db_param p[] = {P_INT(until), P_INT(id), P_INT(wall)};
	return run_won(s,
		       "UPDATE mail_queue SET claimed_until = $1 WHERE id = $2 AND state = 0"
		       " AND claimed_until <= $3",
		       p, won, e);
}

int store_mail_items(struct store *s, int64_t mail_id, const struct visibility *v,
		     struct notification **out, size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id), P_INT(v->all_private ? 1 : 0), P_INT(mail_id)};
	return store_collect(s,
			     "SELECT " NOTIFICATION_COLS " FROM mail_items mi"
			     " JOIN notifications n ON n.id = mi.notification_id"
			     " JOIN issues i ON i.id = n.issue_id LEFT JOIN users a ON a.id = n.actor_id"
			     " WHERE mi.mail_id = $3 AND n.user_id = $1 AND " READER_SEES " ORDER BY n.id",
			     p, 3, sizeof **out, store_read_notification, store_free_items, (void **)out,
			     n, e);
}

int store_mail_result(struct store *s, int64_t id, int state, int attempts, const char *error,
		      int64_t next_at, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(state), P_INT(attempts), P_TEXT(error), P_INT(next_at),
			       P_INT(now), P_INT(id)};
	return store_run(s,
			 "UPDATE mail_queue SET state = $1, attempts = $2, error = $3, next_at = $4,"
			 " updated_at = $5, claimed_until = 0 WHERE id = $6",
			 p, 6, NULL, e);
}

int store_mail_counts(struct store *s, int64_t counts[4], struct err *e)
{
	int rc = 0;
	for (int k = 0; k < 4 && !rc; k++) {
		struct db_param p[] = {P_INT(k)};
		rc = store_one_int(s, "SELECT COUNT(*) FROM mail_queue WHERE state = $1", p, 1,
				   &counts[k], e);
	}
	return rc;
}
