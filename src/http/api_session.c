/*
 * api_session.c — login sessions, users and API tokens over HTTP.
 * The session id travels only in an HttpOnly, SameSite=Strict cookie; the
 * CSRF token is returned in the body and must come back as X-CSRF-Token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "service/issue_json.h"
#include "service/service.h"

#define COOKIE_ATTRS "; HttpOnly; SameSite=Strict; Path=/"

static int reply_session(const struct user *u, const char *csrf, json_t **out)
{
	*out = json_pack("{s:o,s:s}", "user", user_to_json(u), "csrf", csrf);
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
	if (svc_session_login(req_store(r), v[0], v[1], req_client(r), &u, sid, csrf, sizeof sid,
			      &retry, &e)) {
		if (retry > 0) {
			char s[24];
			snprintf(s, sizeof s, "%lld", (long long)retry);
			req_set_header(r, "Retry-After", s);
		}
		return http_error(&e, out);
	}
	snprintf(cookie, sizeof cookie, "cairn_session=%s; Max-Age=%lld" COOKIE_ATTRS, sid,
		 SESSION_TTL_MS / 1000);
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
	*out = json_pack("{s:o,s:s?}", "user", user_to_json(req_user(r)), "csrf", csrf);
	return 200;
}

int api_session_delete(struct req *r, json_t **out)
{
	struct err e;
	err_clear(&e);
	if (req_session_id(r) && svc_session_logout(req_store(r), req_session_id(r), &e))
		return http_error(&e, out);
	req_set_header(r, "Set-Cookie", "cairn_session=; Max-Age=0" COOKIE_ATTRS);
	*out = NULL;
	return 204;
}

int api_users_list(struct req *r, json_t **out)
{
	struct err e;
	struct user *users;
	size_t n;
	err_clear(&e);
	if (svc_user_list(req_store(r), req_user(r), &users, &n, &e))
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
	    svc_user_add(req_store(r), req_user(r), v[0], v[1], v[2], v[3], &u, &e))
		return http_error(&e, out);
	*out = user_to_json(&u);
	return 201;
}

int api_tokens_create(struct req *r, json_t **out)
{
	static const char *const keys[] = {"name", "login"};
	const char *v[2];
	struct err e;
	char token[TOKEN_TEXT_LEN + 1];
	err_clear(&e);
	if (req_json_strings(r, keys, 2, v, &e))
		return http_error(&e, out);
	const char *name = v[0], *login = v[1];
	if (svc_token_new(req_store(r), req_user(r), login ? login : req_user(r)->login, name,
			  token, sizeof token, &e))
		return http_error(&e, out);
	*out = json_pack("{s:s,s:s}", "token", token, "name", name ? name : "token");
	return 201;
}

int api_healthz(struct req *r, json_t **out)
{
	struct err e;
	int version = 0;
	err_clear(&e);
	if (svc_health(req_store(r), &version, &e))
		return http_error(&e, out);
	*out = json_pack("{s:s,s:i,s:s}", "status", "ok", "schema", version, "store",
			 svc_backend(req_store(r)));
	return 200;
}

int api_metrics(struct req *r, json_t **out)
{
	char *text = metrics_render(), *triage = NULL;
	*out = NULL;
	if (!text)
		return 500;
	/* Triage numbers count private security issues: only for a scraper
	 * that authenticates as a role allowed to see them. */
	if (req_try_auth(r) && role_sees_private(req_user(r)->role))
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
