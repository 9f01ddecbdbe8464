/*
 * http.h — the HTTP layer: a libmicrohttpd server, a route table, and the
 * request context handlers work with.
 *
 * A handler never touches libmicrohttpd: it reads the request through the
 * req_* accessors, calls the service layer, and returns a status with a
 * JSON body (new reference, or NULL for no body).  The dispatcher (server.c)
 * authenticates, writes the reply, and records metrics.  A request context
 * owns everything allocated for the request and is torn down once.
 */
#ifndef CAIRN_HTTP_H
#define CAIRN_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/perm.h"
#include "service/service.h"

#define BODY_MAX_BYTES (1024 * 1024)
/* The request line's target and the header lines: larger is 414 / 431
 * (JSON).  libmicrohttpd holds them in a per-connection pool of
 * CONNECTION_MEMORY bytes; beyond it, it answers by itself with its own
 * HTML page.  The pool is resident for every open connection (1,000 idle
 * event streams: 61 MB at 64 KiB, 155 MB at 256 KiB; BENCHMARKS.md). */
#define URI_MAX_BYTES (8 * 1024)
#define HEADERS_MAX_BYTES (24 * 1024)
#define CONNECTION_MEMORY (64 * 1024)
#define REQ_HEADERS_MAX 8

struct req;

enum route_auth {
	ROUTE_PUBLIC = 0, /* no credentials needed */
	ROUTE_AUTH = 1,   /* a token or session */
};

typedef int (*handler_fn)(struct req *r, json_t **out);

struct route {
	const char *method;
	const char *pattern; /* segments; "{n}" matches a positive number */
	handler_fn handler;
	enum route_auth auth;
	const char *name; /* metrics label */
	int csv_body;     /* the body is text/csv, not application/json */
	enum perm perm;   /* what the operation needs (the service checks it) */
};

/* Routes, in routes.c. */
extern const struct route routes[];
extern const int routes_count;

/* --- request accessors (server.c) --- */
struct store *req_store(struct req *r);
const struct user *req_user(struct req *r);
/* The operation context of this request: its connection, its user (zero
 * until authenticated) and one instant for all its rules. */
const struct op *req_op(struct req *r);
int64_t req_now(struct req *r);
int64_t req_path_number(struct req *r);
int64_t req_path_number2(struct req *r); /* the second {n}, e.g. /insights/{n}/links/{n} */
const char *req_path_word(struct req *r); /* the {s} segment, e.g. /boards/dev/{s} */
/* A query-string argument or NULL (borrowed). */
const char *req_arg(struct req *r, const char *name);
/* A request header or NULL (borrowed). */
const char *req_header(struct req *r, const char *name);
/* The parsed JSON object body; on failure sets e (400) and returns NULL.
 * Borrowed: owned by the request. */
json_t *req_json(struct req *r, struct err *e);
/* A JSON object body whose fields are all strings (or null): out[k] gets
 * the value of keys[k] or NULL (borrowed, owned by the request).  Unknown
 * fields and other types are refused (422 naming the field). */
int req_json_strings(struct req *r, const char *const *keys, int n, const char **out,
		     struct err *e);
/* The text fields of a JSON body: each, a string or null, sets `bit` in
 * the input's set mask and the const char * member at `offset` of the
 * input (borrowed from the request; NULL for null). */
struct text_member {
	const char *name;
	unsigned bit;
	size_t offset;
};
/* When key names one of tab's n members: 1 with it stored, or minus the
 * error code (e: 422 naming the field) when v is not a string or null;
 * otherwise 0. */
int json_text_member(const struct text_member *tab, size_t n, const char *key, json_t *v,
		     void *in, unsigned *set, struct err *e);
/* The client's address ("127.0.0.1"), "" when unknown: the peer's, or
 * behind the trusted proxy the last hop of its X-Forwarded-For. */
const char *req_client(struct req *r);
/* The request came over https (through the trusted proxy). */
int req_https(struct req *r);
/* Run fn instead, on the server's password thread, and answer with what it
 * returns (a handler calls this and returns 0).  For work that must not
 * hold a request thread: argon2id password checks.  fn reads the request
 * as a handler does; req_store is the password thread's own connection. */
typedef int (*deferred_fn)(struct req *r, json_t **out);
void req_defer(struct req *r, deferred_fn fn);
/* The same on the server's write threads: for a write that joins a group
 * commit (svc_write), so that the request threads do not wait for it.
 * Without group commit (PostgreSQL) fn runs at once, on this thread. */
void req_defer_write(struct req *r, deferred_fn fn);

struct events_opts;
/* Answer with the event stream instead of a JSON body (api_events). */
void req_stream_events(struct req *r, const struct events_opts *o);
/* The reply depends on more than the data, the reader and the request
 * (the clock): the reply cache must not keep it. */
void req_no_store(struct req *r);
/* ETag "version"; with created (a 201), also Location: collection/id. */
void req_set_version(struct req *r, int64_t version, int created, const char *collection,
		     int64_t id);
/* Add a response header (copied). */
void req_set_header(struct req *r, const char *name, const char *value);
/* Reply with a non-JSON body (copied), e.g. /metrics. */
void req_set_text(struct req *r, const char *mime, const char *text, size_t len);
/* On a public route: authenticate from a Bearer token if one is sent.
 * Returns 1 when req_user() is now a real user. */
int req_try_auth(struct req *r);
/* Session plumbing for api_session.c. */
const char *req_session_id(struct req *r);
const char *req_csrf(struct req *r);
/* The credential the request authenticated with (*token: a Bearer token,
 * else the session id), or NULL. */
const char *req_secret(struct req *r, int *token);

/* If-Match: one strong ETag "N" as sent by GET ("*" or, when not required,
 * no header: *v = -1, no check); 428 when required and missing, 412 for a
 * weak tag, 400 when malformed. */
int http_if_match(struct req *r, int required, int64_t *v, struct err *e);
/* An integer query argument (def when absent); 422 naming it otherwise. */
int http_int_arg(struct req *r, const char *name, int64_t def, int64_t *out, struct err *e);

/* An error reply: fills *out with {"error":{...}} and returns the status. */
int http_error(const struct err *e, json_t **out);

/* --- server --- */
struct server_opts {
	const char *db_url;
	const char *listen; /* "HOST:PORT"; port 0 = any free port */
	int threads;
	/* A reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are
	 * believed (its address, NULL: none); HSTS on what came over https. */
	const char *trusted_proxy;
	int hsts;
};
/* Run until SIGINT/SIGTERM.  Prints the URL on stdout when ready. */
int http_serve(const struct server_opts *o, struct err *e);

/* One request without a socket, as the server runs it once libmicrohttpd
 * has parsed it: routing, body checks, authentication from the headers
 * (Authorization, or the cairn_session cookie with X-CSRF-Token), the
 * handler, and a deferred part (a password check) run at once.  For
 * in-process drivers such as tests/fuzz/fuzz_http.c. */
struct http_kv {
	const char *name, *value;
};
struct http_request {
	const char *method, *path; /* path without the query string, decoded */
	/* each ends with a NULL name; NULL for none */
	const struct http_kv *args, *headers, *cookies;
	const char *body;
	size_t len;
	const char *client; /* the peer's address, NULL for unknown */
};
struct http_response {
	int status;
	char *body; /* NULL for no body; not NUL-terminated */
	size_t len;
	const char *mime; /* Content-Type, NULL without a body */
	int stream;       /* a 200 that would go on as the event stream */
	struct {
		char *name, *value;
	} headers[REQ_HEADERS_MAX]; /* what the handler set (ETag, Location, ...) */
	int nheaders;
};
/* 0, or -1 when out of memory; free the response with http_response_free. */
int http_handle(struct store_pool *pool, const struct http_request *q, struct http_response *o);
void http_response_free(struct http_response *o);

/* Metrics (metrics.c). */
void metrics_record(int route, int status, double seconds);
/* Prometheus exposition text; caller frees. */
char *metrics_render(void);
#define ROUTE_STATIC (-1)
#define ROUTE_NONE (-2)

/* Handlers. */
int api_issues_list(struct req *r, json_t **out);
int api_issues_create(struct req *r, json_t **out);
int api_issue_get(struct req *r, json_t **out);
int api_issue_patch(struct req *r, json_t **out);
int api_issue_history(struct req *r, json_t **out);
int api_issue_triage(struct req *r, json_t **out);
int api_triage_inbox(struct req *r, json_t **out);
int api_security_due(struct req *r, json_t **out);
int api_home(struct req *r, json_t **out);
int api_mail_prefs(struct req *r, json_t **out);
int api_mail_prefs_patch(struct req *r, json_t **out);
int api_mail_settings(struct req *r, json_t **out);
int api_mail_settings_patch(struct req *r, json_t **out);
int api_mail_digests(struct req *r, json_t **out);
int api_settings_get(struct req *r, json_t **out);
int api_settings_patch(struct req *r, json_t **out);
int api_customers_list(struct req *r, json_t **out);
int api_customers_create(struct req *r, json_t **out);
int api_customer_patch(struct req *r, json_t **out);
int api_personas_list(struct req *r, json_t **out);
int api_personas_create(struct req *r, json_t **out);
int api_persona_patch(struct req *r, json_t **out);
int api_insights_list(struct req *r, json_t **out);
int api_insights_create(struct req *r, json_t **out);
int api_insight_get(struct req *r, json_t **out);
int api_insight_link(struct req *r, json_t **out);
int api_insight_unlink(struct req *r, json_t **out);
int api_issue_insights(struct req *r, json_t **out);
int api_issue_answer(struct req *r, json_t **out);
int api_backlog(struct req *r, json_t **out);
int api_customer_get(struct req *r, json_t **out);
int api_insight_patch(struct req *r, json_t **out);
int api_insights_import(struct req *r, json_t **out);
int api_insights_export(struct req *r, json_t **out);
int api_backlog_movers(struct req *r, json_t **out);
/* planning (api_plan.c) */
int api_board_product(struct req *r, json_t **out);
int api_board_dev(struct req *r, json_t **out);
int api_board_product_column(struct req *r, json_t **out);
int api_board_dev_column(struct req *r, json_t **out);
int api_issue_tree(struct req *r, json_t **out);
int api_plan_check(struct req *r, json_t **out);
int api_pillars_list(struct req *r, json_t **out);
int api_pillars_create(struct req *r, json_t **out);
int api_areas_create(struct req *r, json_t **out);
int api_milestones_list(struct req *r, json_t **out);
int api_milestones_create(struct req *r, json_t **out);
int api_milestones_plan(struct req *r, json_t **out);
int api_milestone_get(struct req *r, json_t **out);
int api_milestone_patch(struct req *r, json_t **out);
int api_milestone_delete(struct req *r, json_t **out);
int api_milestone_burnup(struct req *r, json_t **out);
int api_milestone_forecast(struct req *r, json_t **out);
int api_milestone_report(struct req *r, json_t **out);
/* The raw request body (borrowed) and its length. */
const char *req_body(struct req *r, size_t *len);
/* Triage gauges for /metrics, when the caller may see them; caller frees. */
char *api_triage_metrics(struct req *r);
/* releases (api_changelog.c, public_changelog.c) */
int api_changelog_list(struct req *r, json_t **out);
int api_changelog_create(struct req *r, json_t **out);
int api_changelog_import(struct req *r, json_t **out);
int api_changelog_get(struct req *r, json_t **out);
int api_changelog_patch(struct req *r, json_t **out);
int api_changelog_delete(struct req *r, json_t **out);
int api_changelog_state(struct req *r, json_t **out);
int api_changelog_history(struct req *r, json_t **out);
int api_issue_comments(struct req *r, json_t **out);
int api_issue_comment_add(struct req *r, json_t **out);
int api_comment_get(struct req *r, json_t **out);
int api_comment_patch(struct req *r, json_t **out);
int api_comment_delete(struct req *r, json_t **out);
int api_comment_history(struct req *r, json_t **out);
int api_issue_references(struct req *r, json_t **out);
int api_notifications(struct req *r, json_t **out);
int api_notifications_count(struct req *r, json_t **out);
int api_notifications_read(struct req *r, json_t **out);
int api_issue_watchers(struct req *r, json_t **out);
int api_issue_watch(struct req *r, json_t **out);
int api_issue_unwatch(struct req *r, json_t **out);
int api_views_list(struct req *r, json_t **out);
int api_views_create(struct req *r, json_t **out);
int api_view_patch(struct req *r, json_t **out);
int api_view_delete(struct req *r, json_t **out);
int api_changelog_comments(struct req *r, json_t **out);
int api_changelog_comment_add(struct req *r, json_t **out);
int api_changelog_comment_patch(struct req *r, json_t **out);
int api_changelog_export(struct req *r, json_t **out);
int api_changelog_tell_get(struct req *r, json_t **out);
int api_changelog_tell_post(struct req *r, json_t **out);
int api_milestone_changelog(struct req *r, json_t **out);
int api_milestone_changelog_draft(struct req *r, json_t **out);
int api_milestone_release_notes(struct req *r, json_t **out);
int api_hooks_list(struct req *r, json_t **out);
int api_hooks_create(struct req *r, json_t **out);
int api_hook_delete(struct req *r, json_t **out);
int api_hook_deliveries(struct req *r, json_t **out);
int api_gh_hook(struct req *r, json_t **out);
int api_gh_repos_list(struct req *r, json_t **out);
int api_gh_repos_create(struct req *r, json_t **out);
int api_gh_repo_patch(struct req *r, json_t **out);
int api_gh_repo_delete(struct req *r, json_t **out);
int api_gh_logins_list(struct req *r, json_t **out);
int api_gh_logins_set(struct req *r, json_t **out);
int api_gh_deliveries(struct req *r, json_t **out);
int api_gh_reprocess(struct req *r, json_t **out);
int api_gh_outbox(struct req *r, json_t **out);
int api_issue_github(struct req *r, json_t **out);
int api_public_changelog(struct req *r, json_t **out);
int api_public_feed(struct req *r, json_t **out);
/* strategy (api_strategy.c) */
int api_strategy_get(struct req *r, json_t **out);
int api_strategy_put(struct req *r, json_t **out);
int api_strategy_versions(struct req *r, json_t **out);
int api_strategy_version(struct req *r, json_t **out);
int api_strategy_diff(struct req *r, json_t **out);
int api_strategy_review(struct req *r, json_t **out);
int api_strategy_history(struct req *r, json_t **out);
int api_strategy_allocation(struct req *r, json_t **out);
int api_objectives_create(struct req *r, json_t **out);
int api_objective_patch(struct req *r, json_t **out);
int api_kr_create(struct req *r, json_t **out);
int api_kr_patch(struct req *r, json_t **out);
int api_pillar_patch(struct req *r, json_t **out);
int api_initiatives_list(struct req *r, json_t **out);
int api_initiatives_create(struct req *r, json_t **out);
int api_initiative_get(struct req *r, json_t **out);
int api_initiative_patch(struct req *r, json_t **out);
int api_initiative_post_update(struct req *r, json_t **out);
int api_initiative_epic_add(struct req *r, json_t **out);
int api_initiative_epic_remove(struct req *r, json_t **out);
int api_roadmap(struct req *r, json_t **out);
int api_public_roadmap(struct req *r, json_t **out);
/* decisions (api_decisions.c) */
int api_decisions_list(struct req *r, json_t **out);
int api_decisions_create(struct req *r, json_t **out);
int api_decision_get(struct req *r, json_t **out);
int api_decision_patch(struct req *r, json_t **out);
int api_decision_status(struct req *r, json_t **out);
int api_decision_history(struct req *r, json_t **out);
int api_issue_decisions(struct req *r, json_t **out);
/* pricing tiers (api_tiers.c) */
int api_tiers_get(struct req *r, json_t **out);
int api_tiers_put(struct req *r, json_t **out);
int api_tier_matrix(struct req *r, json_t **out);
int api_tier_signals(struct req *r, json_t **out);
int api_issue_tier_get(struct req *r, json_t **out);
int api_issue_tier_put(struct req *r, json_t **out);
int api_calibration(struct req *r, json_t **out);
int api_session_create(struct req *r, json_t **out);
int api_session_get(struct req *r, json_t **out);
int api_session_delete(struct req *r, json_t **out);
int api_users_list(struct req *r, json_t **out);
int api_users_create(struct req *r, json_t **out);
int api_tokens_create(struct req *r, json_t **out);
int api_tokens_list(struct req *r, json_t **out);
int api_token_delete(struct req *r, json_t **out);
int api_user_patch(struct req *r, json_t **out);
int api_user_password(struct req *r, json_t **out);
int api_user_sessions_delete(struct req *r, json_t **out);
int api_sessions_delete(struct req *r, json_t **out);
int api_session_password(struct req *r, json_t **out);
int api_audit(struct req *r, json_t **out);
int api_permissions(struct req *r, json_t **out);
int api_healthz(struct req *r, json_t **out);
/* api_estimation.c */
int api_est_create(struct req *r, json_t **out);
int api_est_list(struct req *r, json_t **out);
int api_est_get(struct req *r, json_t **out);
int api_est_patch(struct req *r, json_t **out);
int api_est_close(struct req *r, json_t **out);
int api_est_vote(struct req *r, json_t **out);
int api_est_reveal(struct req *r, json_t **out);
int api_est_revote(struct req *r, json_t **out);
int api_est_final(struct req *r, json_t **out);
int api_est_history(struct req *r, json_t **out);
/* events.c: GET /api/v1/events, the server-sent event stream */
int api_events(struct req *r, json_t **out);
int api_metrics(struct req *r, json_t **out);
/* api_openapi.c: GET /api/v1/openapi.json, the embedded docs/openapi.json */
int api_openapi(struct req *r, json_t **out);

#endif
