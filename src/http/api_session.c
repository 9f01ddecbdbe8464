/*
 * api_session.c — login sessions, users and API tokens over HTTP.
 * The session id travels only in an HttpOnly, SameSite=Strict cookie; the
 * CSRF token is returned in the body and must come back as X-CSRF-Token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "http/http.h"
#include "service/issue_json.h"
#include "service/service.h"

#define COOKIE_ATTRS "; HttpOnly; SameSite=Strict; Path=/"

static int reply_session(const struct user *u, const char *csrf, json_t **out)
{
	*out = json_pack("{s:o,s:o,s:s}", "user", user_to_json(u), "permissions",
			 user_permissions_json(u), "csrf", csrf);
	return 200;
}

static const char *const login_keys[] = {"login", "password"};

/* On the password thread (req_defer): the password check and the session. */
static int session_create_deferred(struct req *r, json_t **out)
{
	struct err e;
	struct user u;
	char sid[SESSION_TEXT_LEN + 1], csrf[CSRF_TEXT_LEN + 1], cookie[160];
	const char *v[2];
	int64_t retry = 0;
	err_clear(&e);
	if (req_json_strings(r, login_keys, 2, v, &e))
		return http_error(&e, out);
	if (svc_session_login(req_op(r), v[0], v[1], req_client(r), &u, sid, csrf, sizeof sid,
			      &retry, &e)) {
		if (retry > 0) {
			char s[24];
			snprintf(s, sizeof s, "%lld", (long long)retry);
			req_set_header(r, "Retry-After", s);
		}
		return http_error(&e, out);
	}
	snprintf(cookie, sizeof cookie, "cairn_session=%s; Max-Age=%lld" COOKIE_ATTRS "%s", sid,
		 SESSION_TTL_MS / 1000, req_https(r) ? "; Secure" : "");
	req_set_header(r, "Set-Cookie", cookie);
	return reply_session(&u, csrf, out);
}

int api_session_create(struct req *r, json_t **out)
{
	struct err e;
	const char *v[2];
	err_clear(&e);
	/* the body is checked here; the password off the request threads */
	if (req_json_strings(r, login_keys, 2, v, &e))
		return http_error(&e, out);
	if (!v[0] || !v[1]) {
		err_set(&e, CAIRN_EINVALID, v[0] ? "password" : "login",
			"login and password are required strings");
		return http_error(&e, out);
	}
	req_defer(r, session_create_deferred);
	*out = NULL;
	return 0;
}

int api_session_get(struct req *r, json_t **out)
{
	const char *csrf = req_csrf(r);
	*out = json_pack("{s:o,s:o,s:s?}", "user", user_to_json(req_user(r)), "permissions",
			 user_permissions_json(req_user(r)), "csrf", csrf);
	return 200;
}

int api_permissions(struct req *r, json_t **out)
{
	json_t *ops = json_array();
	for (int k = 0; k < routes_count; k++)
		if (routes[k].auth == ROUTE_AUTH)
			json_array_append_new(ops, json_pack("{s:s,s:s,s:s}", "method",
							     routes[k].method, "path",
							     routes[k].pattern, "permission",
							     perm_def(routes[k].perm)->name));
	*out = permissions_to_json();
	json_object_set_new(*out, "operations", ops);
	json_object_set_new(*out, "you", user_permissions_json(req_user(r)));
	return 200;
}

int api_session_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (req_session_id(r) && svc_session_logout(req_op(r), req_session_id(r), &e))
		return http_error(&e, out);
	req_set_header(r, "Set-Cookie", req_https(r) ? "cairn_session=; Max-Age=0" COOKIE_ATTRS "; Secure"
						      : "cairn_session=; Max-Age=0" COOKIE_ATTRS);
	*out = NULL;
	return 204;
}

int api_users_list(struct req *r, json_t **out)
{
	struct err e;
	struct user *users;
	size_t n;
	err_clear(&e);
	if (svc_user_list(req_op(r), &users, &n, &e))
		return http_error(&e, out);
	json_t *items = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(items, user_to_json(&users[k]));
	free(users);
	*out = json_pack("{s:o}", "items", items);
	return 200;
}

int api_users_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"login", "name", "role", "password"};
	const char *v[4];
	struct err e;
	struct user u;
	err_clear(&e);
	if (req_json_strings(r, keys, 4, v, &e) ||
	    svc_user_add(req_op(r), v[0], v[1], v[2], v[3], &u, &e))
		return http_error(&e, out);
	*out = user_to_json(&u);
	return 201;
}

int api_tokens_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"name", "login", "scope", "expires_at"};
	const char *v[4];
	struct err e;
	struct token_row t;
	char token[TOKEN_TEXT_LEN + 1];
	err_clear(&e);
	if (req_json_strings(r, keys, 4, v, &e))
		return http_error(&e, out);
	struct token_input in = {v[1], v[0], v[2], v[3]};
	if (svc_token_create(req_op(r), &in, token, sizeof token, &t, &e))
		return http_error(&e, out);
	*out = token_to_json(&t, req_now(r));
	json_object_set_new(*out, "token", json_string(token)); /* shown this once */
	return 201;
}

int api_tokens_list(struct req *r, json_t **out)
{
	struct err e;
	struct token_row *rows;
	size_t n;
	err_clear(&e);
	if (svc_tokens_list(req_op(r), req_arg(r, "user"), &rows, &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, token_to_json(&rows[k], req_now(r)));
	free(rows);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_token_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (svc_token_revoke(req_op(r), req_path_number(r), &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

int api_user_patch(struct req *r, json_t **out)
{
	struct err e;
	struct user u;
	const char *key, *role = NULL;
	json_t *v;
	int disabled = -1;
	err_clear(&e);
	json_t *o = req_json(r, &e);
	if (!o)
		return http_error(&e, out);
	json_object_foreach(o, key, v)
	{
		if (!strcmp(key, "role") && json_is_string(v))
			role = json_string_value(v);
		else if (!strcmp(key, "disabled") && json_is_boolean(v))
			disabled = json_is_true(v);
		else {
			err_set(&e, CAIRN_EINVALID, key,
				!strcmp(key, "role")	   ? "role must be a role name"
				: !strcmp(key, "disabled") ? "disabled must be true or false"
							   : "unknown field (role, disabled)");
			return http_error(&e, out);
		}
	}
	if (svc_user_change(req_op(r), req_path_word(r), role, disabled, &u, &e))
		return http_error(&e, out);
	*out = user_to_json(&u);
	return 200;
}

static const char *const reset_keys[] = {"password"};

static int user_password_deferred(struct req *r, json_t **out)
{
	const char *v[1];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, reset_keys, 1, v, &e) ||
	    svc_password_reset(req_op(r), req_path_word(r), v[0], &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

/* An admin sets a user's password (argon2id: on the password thread). */
int api_user_password(struct req *r, json_t **out)
{
	const char *v[1];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, reset_keys, 1, v, &e))
		return http_error(&e, out);
	if (!svc_may_administer(req_user(r))) { /* refused without hashing anything */
		err_set(&e, CAIRN_EFORBIDDEN, NULL, "only admins reset passwords");
		return http_error(&e, out);
	}
	req_defer(r, user_password_deferred);
	*out = NULL;
	return 0;
}

int api_user_sessions_delete(struct req *r, json_t **out)
{
	struct err e;
	int64_t n;
	err_clear(&e);
	if (svc_sessions_end(req_op(r), req_path_word(r), &n, &e))
		return http_error(&e, out);
	*out = json_pack("{s:I}", "ended", (json_int_t)n);
	return 200;
}

/* Log out everywhere: every session of mine, this one too. */
int api_sessions_delete(struct req *r, json_t **out)
{
	struct err e;
	int64_t n;
	err_clear(&e);
	if (svc_sessions_end(req_op(r), NULL, &n, &e))
		return http_error(&e, out);
	req_set_header(r, "Set-Cookie", req_https(r) ? "cairn_session=; Max-Age=0" COOKIE_ATTRS "; Secure"
						      : "cairn_session=; Max-Age=0" COOKIE_ATTRS);
	*out = json_pack("{s:I}", "ended", (json_int_t)n);
	return 200;
}

static const char *const change_keys[] = {"old_password", "new_password"};

static int password_change_deferred(struct req *r, json_t **out)
{
	const char *v[2];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, change_keys, 2, v, &e) ||
	    svc_password_change(req_op(r), req_session_id(r), v[0], v[1], &e))
		return http_error(&e, out);
	*out = NULL;
	return 204;
}

int api_session_password(struct req *r, json_t **out)
{
	const char *v[2];
	struct err e;
	err_clear(&e);
	if (req_json_strings(r, change_keys, 2, v, &e))
		return http_error(&e, out);
	req_defer(r, password_change_deferred);
	*out = NULL;
	return 0;
}

int api_audit(struct req *r, json_t **out)
{
	struct err e;
	struct audit_row *rows;
	size_t n;
	int64_t before, limit;
	err_clear(&e);
	if (http_int_arg(r, "before", 0, &before, &e) || http_int_arg(r, "limit", 100, &limit, &e) ||
	    svc_audit_list(req_op(r), before, (int)(limit > 100000 ? 0 : limit), &rows,
			   &n, &e))
		return http_error(&e, out);
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(a, audit_to_json(&rows[k]));
	free(rows);
	*out = json_pack("{s:o}", "items", a);
	return 200;
}

int api_healthz(struct req *r, json_t **out)
{
	struct err e;
	int version = 0;
	char degraded[160];
	err_clear(&e);
	if (svc_health(req_op(r), &version, &e))
		return http_error(&e, out);
	svc_degraded(degraded, sizeof degraded);
	/* reads work, writes do not: a load balancer should know */
	if (degraded[0]) {
		*out = json_pack("{s:s,s:s,s:i,s:s}", "status", "degraded", "reason", degraded, "schema",
				 version, "store", svc_backend(req_store(r)));
		return 503;
	}
	*out = json_pack("{s:s,s:i,s:s}", "status", "ok", "schema", version, "store",
			 svc_backend(req_store(r)));
	return 200;
}

int api_metrics(struct req *r, json_t **out)
{
	char *text, *triage = NULL;
	*out = NULL;
	if (!req_try_auth(r)) { /* a scraper uses a token (scope read is enough) */
		struct err e;
		err_clear(&e);
		err_set(&e, CAIRN_EUNAUTH, NULL, "/metrics needs a token or a session");
		return http_error(&e, out);
	}
	if (!(text = metrics_render()))
		return 500;
	/* Triage numbers count private security issues: only for a scraper
	 * that authenticates as a role allowed to see them. */
	if (svc_may(req_user(r), P_PRIVATE_READ))
		triage = api_triage_metrics(r);
	size_t a = strlen(text), b = triage ? strlen(triage) : 0;
	char *all = malloc(a + b + 1);
	if (all) {
		memcpy(all, text, a);
		memcpy(all + a, triage ? triage : "", b + 1);
		req_set_text(r, "text/plain; version=0.0.4; charset=utf-8", all, a + b);
	}
	free(all);
	free(text);
	free(triage);
	return all ? 200 : 500;
}
