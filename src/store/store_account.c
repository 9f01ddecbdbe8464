/*
 * store_account.c — credentials: API tokens (scope, expiry, last use),
 * sessions (idle and absolute expiry), a user's role, password and
 * disabling, and the audit log of these changes (store.h).  Only hashes of
 * tokens and session ids are stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* ---- tokens -------------------------------------------------------------------- */

#define TOKEN_COLS                                                                        \
	"t.id, t.user_id, t.created_at, COALESCE(t.expires_at, 0), COALESCE(t.last_used_at, 0)," \
	" t.scope, t.name, u.login"
#define TOKEN_NCOLS 8

static void read_token(struct store *s, struct db_rows *r, int col, struct token_row *t)
{
	const struct db_driver *d = s->drv;
	t->id = d->get_int(r, col);
	t->user_id = d->get_int(r, col + 1);
	t->created_at = d->get_int(r, col + 2);
	t->expires_at = d->get_int(r, col + 3);
	t->last_used_at = d->get_int(r, col + 4);
	t->scope = (enum scope)d->get_int(r, col + 5);
	copy(t->name, sizeof t->name, d->get_text(r, col + 6));
	copy(t->login, sizeof t->login, d->get_text(r, col + 7));
}

static int read_token_item(struct store *s, struct db_rows *r, void *item)
{
	read_token(s, r, 0, item);
	return 0;
}

int store_token_insert(struct store *s, struct token_row *t, const char *hash, struct err *e)
{
	struct db_param p[] = {P_INT(t->user_id), P_TEXT(t->name),	   P_TEXT(hash),
			       P_INT(t->created_at), P_INT0(t->expires_at), P_INT(t->scope)};
	return store_one_int(s,
			     "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at,"
			     " scope) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			     p, 6, &t->id, e);
}

int store_token_user(struct store *s, const char *hash, int64_t now, struct user *out,
		     struct token_row *token, struct err *e)
{
	struct db_param p[] = {P_TEXT(hash), P_INT(now)};
	struct db_rows *r;
	int row, rc = s->drv->query(s->db,
				    "SELECT " USER_COLS ", " TOKEN_COLS
				    " FROM api_tokens t JOIN users u ON u.id = t.user_id"
				    " WHERE t.token_hash = $1 AND u.disabled_at IS NULL"
				    " AND (t.expires_at IS NULL OR t.expires_at > $2)",
				    p, 2, &r, e);
	if (rc)
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_EUNAUTH, NULL, "invalid or expired credentials");
	if (!rc) {
		store_read_user(s, r, 0, out);
		read_token(s, r, USER_NCOLS, token);
		out->scope = token->scope;
	}
	s->drv->finish(r);
	return rc;
}

int store_token_touch(struct store *s, int64_t id, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(now), P_INT(id)};
	return store_run(s, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", p, 2, NULL, e);
}

int store_token_list(struct store *s, int64_t user_id, struct token_row **out, size_t *n,
		     struct err *e)
{
	struct db_param p[] = {P_INT(user_id)};
	return store_collect(s,
			     "SELECT " TOKEN_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id"
			     " WHERE $1 = 0 OR t.user_id = $1 ORDER BY t.id DESC",
			     p, 1, sizeof **out, read_token_item, store_free_items, (void **)out, n, e);
}

int store_token_get(struct store *s, int64_t id, struct token_row *out, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	struct token_row *rows = NULL;
	size_t n = 0;
	int rc = store_collect(s,
			       "SELECT " TOKEN_COLS " FROM api_tokens t JOIN users u ON u.id = t.user_id"
			       " WHERE t.id = $1",
			       p, 1, sizeof *rows, read_token_item, store_free_items, (void **)&rows, &n,
			       e);
	if (!rc && !n)
		rc = err_set(e, CAIRN_ENOTFOUND, "token", "no token %lld", (long long)id);
	if (!rc)
		*out = rows[0];
	free(rows);
	return rc;
}

int store_token_delete(struct store *s, int64_t id, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	return store_run(s, "DELETE FROM api_tokens WHERE id = $1", p, 1, NULL, e);
}

/* ---- sessions -------------------------------------------------------------------- */

int store_session_insert(struct store *s, int64_t user_id, const char *hash, const char *csrf,
			 int64_t now, int64_t expires, struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_TEXT(hash), P_TEXT(csrf), P_INT(now),
			       P_INT(expires)};
	int rc = store_run(s, "DELETE FROM sessions WHERE expires_at < $1", &p[3], 1, NULL, e);
	if (rc)
		return rc;
	return store_run(s,
			 "INSERT INTO sessions (user_id, token_hash, csrf, created_at, expires_at,"
			 " last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)",
			 p, 5, NULL, e);
}

int store_session_user(struct store *s, const char *hash, int64_t now, int64_t idle_after,
		       struct user *out, char *csrf, size_t csrf_cap, int64_t *session_id,
		       int64_t *last_seen, struct err *e)
{
	struct db_param p[] = {P_TEXT(hash), P_INT(now), P_INT(idle_after)};
	struct db_rows *r;
	int row, rc = s->drv->query(s->db,
				    "SELECT " USER_COLS ", x.csrf, x.id, x.last_seen_at"
				    " FROM sessions x JOIN users u ON u.id = x.user_id"
				    " WHERE x.token_hash = $1 AND x.expires_at > $2"
				    " AND x.last_seen_at > $3 AND u.disabled_at IS NULL",
				    p, 3, &r, e);
	if (rc)
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_EUNAUTH, NULL, "invalid or expired credentials");
	if (!rc) {
		store_read_user(s, r, 0, out);
		copy(csrf, csrf_cap, s->drv->get_text(r, USER_NCOLS));
		*session_id = s->drv->get_int(r, USER_NCOLS + 1);
		*last_seen = s->drv->get_int(r, USER_NCOLS + 2);
	}
	s->drv->finish(r);
	return rc;
}

int store_session_touch(struct store *s, int64_t id, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(now), P_INT(id)};
	return store_run(s, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2", p, 2, NULL, e);
}

int store_session_delete(struct store *s, const char *hash, struct err *e)
{
	struct db_param p[] = {P_TEXT(hash)};
	return store_run(s, "DELETE FROM sessions WHERE token_hash = $1", p, 1, NULL, e);
}

int store_sessions_end(struct store *s, int64_t user_id, const char *keep_hash, int64_t *n,
		       struct err *e)
{
	struct db_param p[] = {P_INT(user_id), P_TEXT(keep_hash ? keep_hash : "")};
	return store_run(s, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", p, 2, n,
			 e);
}

/* ---- users ------------------------------------------------------------------------ */

int store_user_set_role(struct store *s, int64_t id, enum role role, struct err *e)
{
	struct db_param p[] = {P_INT(role), P_INT(id)};
	return store_run(s, "UPDATE users SET role = $1 WHERE id = $2", p, 2, NULL, e);
}

int store_user_set_disabled(struct store *s, int64_t id, int64_t at, struct err *e)
{
	struct db_param p[] = {P_INT0(at), P_INT(id)};
	return store_run(s, "UPDATE users SET disabled_at = $1 WHERE id = $2", p, 2, NULL, e);
}

int store_user_set_password(struct store *s, int64_t id, const char *hash, struct err *e)
{
	struct db_param p[] = {P_TEXT(hash), P_INT(id)};
	return store_run(s, "UPDATE users SET password_hash = $1 WHERE id = $2", p, 2, NULL, e);
}

int store_user_get_id(struct store *s, int64_t id, struct user *out, char *pwhash,
		      size_t pwhash_cap, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	return store_one_user(s,
			      "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.id = $1", p,
			      1, out, pwhash, pwhash_cap, CAIRN_ENOTFOUND, e);
}

int store_admins_active(struct store *s, int64_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(ROLE_ADMIN)};
	return store_one_int(s,
			     "SELECT COUNT(*) FROM users WHERE role = $1 AND disabled_at IS NULL", p,
			     1, n, e);
}

/* ---- the audit log -------------------------------------------------------------------- */

int store_audit_add(struct store *s, int64_t at, int64_t actor_id, const char *action,
		    int64_t target_id, const char *detail, struct err *e)
{
	struct db_param p[] = {P_INT(at), P_INT0(actor_id), P_TEXT(action), P_INT0(target_id),
			       P_TEXT(detail ? detail : "")};
	return store_run(s,
			 "INSERT INTO audit_log (at, actor_id, action, target_id, detail)"
			 " VALUES ($1, $2, $3, $4, $5)",
			 p, 5, NULL, e);
}

static int read_audit(struct store *s, struct db_rows *r, void *item)
{
	struct audit_row *a = item;
	const struct db_driver *d = s->drv;
	a->id = d->get_int(r, 0);
	a->at = d->get_int(r, 1);
	copy(a->actor, sizeof a->actor, d->get_text(r, 2));
	copy(a->action, sizeof a->action, d->get_text(r, 3));
	copy(a->target, sizeof a->target, d->get_text(r, 4));
	copy(a->detail, sizeof a->detail, d->get_text(r, 5));
	return 0;
}

int store_audit_list(struct store *s, int64_t before, int limit, struct audit_row **out,
		     size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(before), P_INT(limit)};
	return store_collect(s,
			     "SELECT a.id, a.at, x.login, a.action, t.login, a.detail FROM audit_log a"
			     " LEFT JOIN users x ON x.id = a.actor_id LEFT JOIN users t ON"
			     " t.id = a.target_id WHERE $1 = 0 OR a.id < $1 ORDER BY a.id DESC LIMIT $2",
			     p, 2, sizeof **out, read_audit, store_free_items, (void **)out, n, e);
}
