/*
 * svc_account.c — the lifecycle of credentials (issue #15): tokens listed
 * and revoked, users' roles changed and accounts disabled, passwords
 * changed (with the old one) and reset (by an admin), sessions ended
 * everywhere — each written to the audit log in the same transaction.
 *
 * Administration needs an admin on a credential of full scope
 * (svc_may_administer): a "write" token of an admin does the admin's
 * product work but does not manage users.  The last active admin can be
 * neither demoted nor disabled.  Disabling a user stops their sessions and
 * tokens at once: authentication checks the account on every request, and
 * the sessions are deleted too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "service/svc_int.h"

int svc_scope_allows(const struct user *u, int writes, struct err *e)
{
	if (writes && u->scope == SCOPE_READ)
		return err_set(e, CAIRN_EFORBIDDEN, "Authorization",
			       "this token has scope read: it may only read");
	return 0;
}

int svc_may_administer(const struct user *a)
{
	return svc_may(a, P_ADMIN);
}

/* ---- tokens ------------------------------------------------------------------------ */

int svc_tokens_list(const struct op *op, const char *login,
		    struct token_row **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int64_t uid = actor->id;
	int rc;
	*out = NULL;
	*n = 0;
	if (login && strcmp(login, actor->login)) {
		if ((rc = svc_allow(actor, P_ADMIN, e)))
			return rc;
		if (!strcmp(login, "*"))
			uid = 0;
		else {
			struct user u;
			if ((rc = svc_user_get(op, login, &u, e)))
				return rc;
			uid = u.id;
		}
	}
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_token_list(st, uid, out, n, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int svc_token_revoke(const struct op *op, int64_t id, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct token_row t;
	char detail[200];
	int rc = store_begin(st, 1, e);
	if (rc)
		return rc;
	if ((rc = store_token_get(st, id, &t, e)))
		goto fail;
	if (t.user_id != actor->id && !svc_may_administer(actor)) {
		/* someone else's token does not exist for you */
		err_clear(e);
		rc = err_set(e, CAIRN_ENOTFOUND, "token", "no token %lld", (long long)id);
		goto fail;
	}
	snprintf(detail, sizeof detail, "\"%.120s\" (token %lld)", t.name, (long long)t.id);
	if ((rc = store_token_delete(st, id, e)) ||
	    (rc = store_audit_add(st, op->now, actor->id, "token.revoked", t.user_id, detail, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

/* ---- users ------------------------------------------------------------------------- */

int svc_user_change(const struct op *op, const char *login,
		    const char *role, int disabled, struct user *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct user u;
	enum role r = ROLE_VIEWER;
	int64_t now = op->now, admins;
	int rc;
	if ((rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if (role && role_parse(role, &r))
		return err_set(e, CAIRN_EINVALID, "role",
			       "role must be one of admin,pm,cto,em,engineer,viewer");
	if (!role && disabled < 0)
		return err_set(e, CAIRN_EINVALID, NULL, "give role and/or disabled");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	/* one change of users at a time: the last-admin rule reads them all */
	if ((rc = store_lock_settings(st, e)) || (rc = svc_user_get(op, login ? login : "", &u, e)) ||
	    (rc = store_admins_active(st, &admins, e)))
		goto fail;
	int was_active_admin = u.role == ROLE_ADMIN && !u.disabled_at;
	int stays_active_admin = (role ? r : u.role) == ROLE_ADMIN &&
				 (disabled < 0 ? !u.disabled_at : !disabled);
	if (was_active_admin && !stays_active_admin && admins <= 1) {
		rc = err_set(e, CAIRN_ECONFLICT, role ? "role" : "disabled",
			     "%s is the last active admin: make another admin first", u.login);
		goto fail;
	}
	if (disabled > 0 && u.id == actor->id) {
		rc = err_set(e, CAIRN_ECONFLICT, "disabled", "you cannot disable your own account");
		goto fail;
	}
	if (role && r != u.role) {
		char detail[64];
		snprintf(detail, sizeof detail, "%s -> %s", role_name(u.role), role_name(r));
		if ((rc = store_user_set_role(st, u.id, r, e)) ||
		    (rc = store_audit_add(st, now, actor->id, "user.role", u.id, detail, e)))
			goto fail;
		u.role = r;
	}
	if (disabled > 0 && !u.disabled_at) {
		int64_t ended;
		char detail[64];
		if ((rc = store_user_set_disabled(st, u.id, now, e)) ||
		    (rc = store_sessions_end(st, u.id, NULL, &ended, e)))
			goto fail;
		snprintf(detail, sizeof detail, "%lld session(s) ended", (long long)ended);
		if ((rc = store_audit_add(st, now, actor->id, "user.disabled", u.id, detail, e)))
			goto fail;
		u.disabled_at = now;
	} else if (disabled == 0 && u.disabled_at) {
		if ((rc = store_user_set_disabled(st, u.id, 0, e)) ||
		    (rc = store_audit_add(st, now, actor->id, "user.enabled", u.id, "", e)))
			goto fail;
		u.disabled_at = 0;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	if (out)
		*out = u;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

static int password_ok(const char *pw, const char *field, struct err *e)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		return err_set(e, CAIRN_EINVALID, field, "the new password must be %d to %d characters",
			       PASSWORD_MIN, PASSWORD_MAX);
	return 0;
}

/* Store hash as user u's password, end their sessions but keep_hash, and
 * record action: one transaction. */
static int set_password(const struct op *op, const struct user *u,
			const char *hash, const char *keep_hash, const char *action, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int64_t ended, now = op->now;
	char detail[64];
	int rc = store_begin(st, 1, e);
	if (rc)
		return rc;
	if ((rc = store_user_set_password(st, u->id, hash, e)) ||
	    (rc = store_sessions_end(st, u->id, keep_hash, &ended, e)))
		goto fail;
	snprintf(detail, sizeof detail, "%lld %ssession(s) ended", (long long)ended,
		 keep_hash ? "other " : "");
	if ((rc = store_audit_add(st, now, actor->id, action, u->id, detail, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

int svc_password_change(const struct op *op, const char *keep_sid,
			const char *old_password, const char *new_password, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	char stored[256], hash[256], keep[65];
	struct user u;
	int rc;
	if (actor->scope != SCOPE_ALL)
		return err_set(e, CAIRN_EFORBIDDEN, NULL,
			       "change your password in a session or with a token of scope admin");
	if (!old_password || !*old_password)
		return err_set(e, CAIRN_EINVALID, "old_password", "the current password is required");
	if ((rc = password_ok(new_password, "new_password", e)))
		return rc;
	if ((rc = store_user_get_id(st, actor->id, &u, stored, sizeof stored, e)))
		return rc;
	if (svc_verify_password(stored, old_password) != 0)
		return err_set(e, CAIRN_EFORBIDDEN, "old_password", "the current password is wrong");
	if (svc_hash_password(hash, new_password, strlen(new_password)) != 0)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory hashing the password");
	if (keep_sid)
		svc_secret_hash(keep_sid, keep);
	return set_password(op, &u, hash, keep_sid ? keep : NULL, "user.password_changed", e);
}

int svc_password_reset(const struct op *op, const char *login,
		       const char *new_password, struct err *e)
{
	const struct user *actor = op->actor;
	char hash[256];
	struct user u;
	int rc;
	if ((rc = svc_allow(actor, P_ADMIN, e)) ||
	    (rc = password_ok(new_password, "password", e)))
		return rc;
	if ((rc = svc_user_get(op, login ? login : "", &u, e)))
		return rc;
	if (svc_hash_password(hash, new_password, strlen(new_password)) != 0)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory hashing the password");
	return set_password(op, &u, hash, NULL, "user.password_reset", e);
}

int svc_sessions_end(const struct op *op, const char *login, int64_t *n,
		     struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct user u = *actor;
	int rc;
	*n = 0;
	if (login && strcmp(login, actor->login)) {
		if ((rc = svc_allow(actor, P_ADMIN, e)) ||
		    (rc = svc_user_get(op, login, &u, e)))
			return rc;
	}
	if ((rc = store_begin(st, 1, e)))
		return rc;
	char detail[64];
	if ((rc = store_sessions_end(st, u.id, NULL, n, e)))
		goto fail;
	snprintf(detail, sizeof detail, "%lld session(s) ended", (long long)*n);
	if ((rc = store_audit_add(st, op->now, actor->id, "user.sessions_ended", u.id, detail, e)) ||
	    (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return rc;
}

/* ---- the audit log ------------------------------------------------------------------ */

int svc_audit_list(const struct op *op, int64_t before, int limit,
		   struct audit_row **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(actor, P_ADMIN, e)))
		return rc;
	if (limit < 1 || limit > 500)
		return err_set(e, CAIRN_EINVALID, "limit", "limit must be 1..500");
	if (before < 0)
		return err_set(e, CAIRN_EINVALID, "before", "before must be an audit entry id");
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_audit_list(st, before, limit, out, n, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
