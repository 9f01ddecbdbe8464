/*
 * server.c — the libmicrohttpd server: request contexts, body limits,
 * routing, authentication, reply writing, static web assets, and the
 * serve loop.  This is the only file that includes microhttpd.h.
 *
 * Lifecycle of a request: MHD calls on_request first with no body (a
 * context is allocated), then once per body chunk (appended up to
 * BODY_MAX_BYTES, the rest discarded and answered with 413), then a last
 * time to reply.  on_completed tears the context down.  The event stream
 * (events.c, which also includes microhttpd.h) replies with a suspended
 * callback response instead.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "core/timeutil.h"
#include "http/cache.h"
#include "http/events.h"
#include "http/http.h"
#include "service/service.h"
#include "web_assets.h"

struct server {
	struct store_pool *pool;
	const char *trusted_proxy;
	int hsts;
};

struct hdr {
	char *name, *value;
};

struct req {
	struct MHD_Connection *conn;
	struct server *srv;
	char method[16];
	char *path;
	char *body;
	size_t len, cap;
	int too_large;
	json_t *json;
	int64_t num, num2;
	char word[33]; /* a "{s}" path segment */
	struct store *st;
	struct user user;
	struct op op; /* req_op: st, &user and the request's instant */
	int64_t now;
	int authed;
	char sid[SESSION_TEXT_LEN + 1];
	char csrf[CSRF_TEXT_LEN + 1];
	struct hdr hdrs[REQ_HEADERS_MAX];
	int nhdrs;
	char *text;
	size_t text_len;
	const char *text_mime;
	struct timespec t0;
	int stream; /* answer with the event stream (events_opts below) */
	struct events_opts events;
	char client[64];
	int https;
	/* deferred to the password thread: fn, then its answer */
	deferred_fn defer;
	int deferred_done, dstatus, droute;
	int dwrite; /* to the write threads, not the password thread */
	json_t *dout;
	struct req *dnext;
	const struct http_request *local; /* http_handle's request (conn is NULL) */
	/* the reply cache (cache.h): the key and data token of a cacheable
	 * read, a reply found under them, or a reply not to keep */
	char *ckey;
	char cstate[256];
	int no_store, has_hit, hit_sent;
	struct {
		int status;
		char *body, *hdrs; /* copies */
		size_t len, hlen;
	} hit;
	enum MHD_Result hit_result; /* when hit_sent: the kept reply was queued */
};

/* ---- accessors ---------------------------------------------------------- */

struct store *req_store(struct req *r) { return r->st; }
const char *req_body(struct req *r, size_t *len)
{
	*len = r->len;
	return r->body ? r->body : "";
}
const struct user *req_user(struct req *r) { return &r->user; }
int64_t req_now(struct req *r)
{
	if (!r->now)
		r->now = now_ms();
	return r->now;
}
const struct op *req_op(struct req *r)
{
	r->op = (struct op){r->st, &r->user, req_now(r), r->cstate};
	return &r->op;
}
int64_t req_path_number(struct req *r) { return r->num; }
int64_t req_path_number2(struct req *r) { return r->num2; }
const char *req_path_word(struct req *r) { return r->word; }
const char *req_session_id(struct req *r) { return r->sid[0] ? r->sid : NULL; }
const char *req_client(struct req *r) { return r->client; }
int req_https(struct req *r) { return r->https; }
void req_defer(struct req *r, deferred_fn fn) { r->defer = fn; }
void req_defer_write(struct req *r, deferred_fn fn)
{
	r->defer = fn;
	r->dwrite = 1;
}
const char *req_csrf(struct req *r) { return r->csrf[0] ? r->csrf : NULL; }
const char *req_secret(struct req *r, int *token)
{
	const char *authz = req_header(r, "Authorization");
	*token = authz && r->authed;
	if (*token)
		return authz + 7; /* authenticate took "Bearer " */
	return r->sid[0] ? r->sid : NULL;
}

/* A query argument, header or cookie: from the connection, or from
 * http_handle's lists (header names case-insensitive, like MHD's). */
static const char *lookup(struct req *r, enum MHD_ValueKind kind, const char *name)
{
	if (r->conn)
		return MHD_lookup_connection_value(r->conn, kind, name);
	const struct http_kv *kv = kind == MHD_GET_ARGUMENT_KIND ? r->local->args
				   : kind == MHD_HEADER_KIND	 ? r->local->headers
								 : r->local->cookies;
	for (; kv && kv->name; kv++)
		if (kind == MHD_HEADER_KIND ? !strcasecmp(kv->name, name) : !strcmp(kv->name, name))
			return kv->value;
	return NULL;
}

const char *req_arg(struct req *r, const char *name)
{
	return lookup(r, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
	return lookup(r, MHD_HEADER_KIND, name);
}

json_t *req_json(struct req *r, struct err *e)
{
	json_error_t je;
	if (r->json)
		return r->json;
	if (!r->body || r->len == 0) {
		err_set(e, CAIRN_EMALFORMED, NULL, "request body must be a JSON object");
		return NULL;
	}
	r->json = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
	if (!r->json) {
		err_set(e, CAIRN_EMALFORMED, NULL, "malformed JSON at line %d column %d: %s",
			je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(r->json)) {
		json_decref(r->json);
		r->json = NULL;
		err_set(e, CAIRN_EMALFORMED, NULL, "request body must be a JSON object");
		return NULL;
	}
	return r->json;
}

int req_json_strings(struct req *r, const char *const *keys, int n, const char **out,
		     struct err *e)
{
	const char *key;
	json_t *v, *o = req_json(r, e);
	if (!o)
		return e->code;
	for (int k = 0; k < n; k++)
		out[k] = NULL;
	json_object_foreach(o, key, v)
	{
		int k;
		for (k = 0; k < n && strcmp(keys[k], key) != 0; k++)
			;
		if (k == n)
			return err_set(e, CAIRN_EINVALID, key, "unknown field '%s'", key);
		if (!json_is_string(v) && !json_is_null(v))
			return err_set(e, CAIRN_EINVALID, key, "%s must be a string", key);
		out[k] = json_string_value(v);
	}
	return 0;
}

int json_text_member(const struct text_member *tab, size_t n, const char *key, json_t *v,
		     void *in, unsigned *set, struct err *e)
{
	for (size_t k = 0; k < n; k++) {
		if (strcmp(tab[k].name, key))
			continue;
		if (!json_is_string(v) && !json_is_null(v))
			return -err_set(e, CAIRN_EINVALID, key, "%s must be a string", key);
		*set |= tab[k].bit;
		*(const char **)((char *)in + tab[k].offset) = json_string_value(v);
		return 1;
	}
	return 0;
}

void req_set_version(struct req *r, int64_t version, int created, const char *collection,
		     int64_t id)
{
	char buf[160];
	snprintf(buf, sizeof buf, "\"%lld\"", (long long)version);
	req_set_header(r, "ETag", buf);
	if (created) {
		snprintf(buf, sizeof buf, "%s/%lld", collection, (long long)id);
		req_set_header(r, "Location", buf);
	}
}

void req_no_store(struct req *r) { r->no_store = 1; }

void req_stream_events(struct req *r, const struct events_opts *o)
{
	r->stream = 1;
	r->events = *o;
}

void req_set_header(struct req *r, const char *name, const char *value)
{
	if (r->nhdrs >= REQ_HEADERS_MAX)
		return;
	struct hdr *h = &r->hdrs[r->nhdrs];
	h->name = strdup(name);
	h->value = strdup(value);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return;
	}
	r->nhdrs++;
}

void req_set_text(struct req *r, const char *mime, const char *text, size_t len)
{
	free(r->text);
	r->text_len = 0;
	r->text = malloc(len ? len : 1);
	if (!r->text)
		return;
	memcpy(r->text, text, len);
	r->text_len = len;
	r->text_mime = mime;
}

/* A JSON string of s; bytes that are not UTF-8 (a message may quote
 * client input) become U+FFFD instead of losing the whole string. */
static json_t *lossy_string(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *clean = malloc(3 * n + 1), *o = clean;
	if (!clean)
		return json_string("?");
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
				     : (*p & 0xf8) == 0xf0 ? 4 : 0;
		for (int k = 1; k < len; k++)
			if ((p[k] & 0xc0) != 0x80) /* also stops at the NUL */
				len = 0;
		json_t *probe = len ? json_stringn((const char *)p, (size_t)len) : NULL;
		if (probe) { /* a well-formed character (no overlong, no surrogate) */
			json_decref(probe);
			memcpy(o, p, (size_t)len);
			o += len;
			p += len;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	j = json_string(clean);
	free(clean);
	return j ? j : json_string("?");
}

int http_error(const struct err *e, json_t **out)
{
	int status = err_http_status(e->code);
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(err_code_name(e->code)));
	if (status >= 500) {
		/* Server-side details (database host, socket paths, SQL errors)
		 * go to the operator's log, not to a possibly anonymous client. */
		fprintf(stderr, "cairn: %d %s: %s\n", status, err_code_name(e->code), e->msg);
		char why[160] = "";
		/* an unwritable database: its reason (read-only, full, I/O), not
		 * the driver's words */
		if (e->code == CAIRN_EUNAVAIL)
			svc_degraded(why, sizeof why);
		json_object_set_new(o, "message",
				    json_string(why[0]	       ? why
						: status == 503 ? "the database is unavailable, try again"
								: "internal error, see the server log"));
		*out = json_pack("{s:o}", "error", o);
		return status;
	}
	json_object_set_new(o, "message", lossy_string(e->msg[0] ? e->msg : err_code_name(e->code)));
	if (e->field[0])
		json_object_set_new(o, "field", lossy_string(e->field));
	if (e->position > 0)
		json_object_set_new(o, "position", json_integer(e->position));
	*out = json_pack("{s:o}", "error", o);
	return err_http_status(e->code);
}

/* ---- reply -------------------------------------------------------------- */

static const char *const security_headers[][2] = {
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "same-origin"},
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The reply with its headers: the content type, the security headers, the
 * request's own, HSTS where it applies. */
static struct MHD_Response *build_response(struct req *r, void *buf, size_t len,
					   enum MHD_ResponseMemoryMode mode, const char *mime)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, mode);
	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(buf);
		return NULL;
	}
	if (mime)
		MHD_add_response_header(resp, "Content-Type", mime);
	for (size_t k = 0; k < sizeof security_headers / sizeof security_headers[0]; k++)
		MHD_add_response_header(resp, security_headers[k][0], security_headers[k][1]);
	for (int k = 0; k < r->nhdrs; k++)
		MHD_add_response_header(resp, r->hdrs[k].name, r->hdrs[k].value);
	if (r->https && r->srv->hsts)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	return resp;
}

static enum MHD_Result send_buffer(struct req *r, int status, void *buf, size_t len,
				   enum MHD_ResponseMemoryMode mode, const char *mime, int route)
{
	struct MHD_Response *resp = build_response(r, buf, len, mode, mime);
	if (!resp)
		return MHD_NO;
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	metrics_record(route, status, elapsed(&r->t0));
	return ok;
}

/* The reply's body from the handler's JSON (consumed) or its text: *buf
 * (malloc'd; NULL for no body), *len, *mime.  -1 when
 * out of memory. */
static int render(struct req *r, json_t *body, char **buf, size_t *len, const char **mime)
{
	*buf = NULL, *len = 0, *mime = NULL;
	if (r->text) {
		json_decref(body);
		*buf = r->text, *len = r->text_len, *mime = r->text_mime;
		r->text = NULL;
		return 0;
	}
	if (!body)
		return 0;
	*buf = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(body);
	if (!*buf)
		return -1;
	*len = strlen(*buf);
	*mime = "application/json";
	return 0;
}

/* ---- the reply cache (cache.h) ------------------------------------------- */

/* The reads whose replies depend on the data, the reader and the request's
 * path and query, and on the clock at most to the minute: the pages every
 * visit asks for.  clock_ms is how long a reply may stand for the clock
 * (never for the data: a write moves the data token): 0 for the replies that
 * do not read it (a list whose query does calls req_no_store); a minute for
 * the triage inbox (ages in days, the last 30 days' statistics) and the
 * strategy pages (review overdue, forecasts from today), so those may be up
 * to a minute behind the clock, never behind a write. */
static const struct {
	int (*handler)(struct req *, json_t **);
	int64_t clock_ms;
} kept[] = {
	{api_issues_list, 0},
	{api_issue_get, 0},
	{api_board_product, 0},
	{api_board_dev, 0},
	{api_board_product_column, 0},
	{api_board_dev_column, 0},
	{api_pillars_list, 0},
	{api_triage_inbox, 60000},
	{api_strategy_get, 60000},
	{api_initiatives_list, 60000},
	{api_roadmap, 60000},
};

/* kept[]'s row for the route, or -1 */
static int cacheable(struct req *r, int route)
{
	if (!r->conn || strcmp(r->method, "GET") || routes[route].auth != ROUTE_AUTH)
		return -1;
	for (int k = 0; k < (int)(sizeof kept / sizeof kept[0]); k++)
		if (routes[route].handler == kept[k].handler)
			return k;
	return -1;
}

/* The cache key as it is built: bytes, numbers, length-prefixed strings
 * (no argument's bytes can pose as another's).  Built by hand: it is made
 * for every cacheable request, hits included. */
struct keybuf {
	char *p;
	size_t n, cap;
	int oom;
};

static void key_put(struct keybuf *k, const char *s, size_t len)
{
	if (k->oom)
		return;
	if (k->n + len + 1 > k->cap) {
		size_t cap = (k->n + len + 1) * 2;
		char *p = realloc(k->p, cap);
		if (!p) {
			k->oom = 1;
			return;
		}
		k->p = p, k->cap = cap;
	}
	memcpy(k->p + k->n, s, len);
	k->n += len;
	k->p[k->n] = '\0';
}

static void key_num(struct keybuf *k, char sep, int64_t v)
{
	char d[24];
	int n = (int)sizeof d;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		d[--n] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		d[--n] = '-';
	d[--n] = sep;
	key_put(k, d + n, sizeof d - (size_t)n);
}

static void key_str(struct keybuf *k, char sep, const char *s)
{
	size_t len = strlen(s);
	key_num(k, sep, (int64_t)len);
	key_put(k, ":", 1);
	key_put(k, s, len);
}

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	key_str(cls, '&', key);
	if (value)
		key_str(cls, '=', value);
	return MHD_YES;
}

/* route, reader, the clock's span (kept[]), path and every query argument
 * in order */
static char *cache_key(struct req *r, int route, int64_t clock_ms)
{
	struct keybuf k = {0};
	key_num(&k, 'r', route);
	key_num(&k, '/', r->user.id);
	key_num(&k, '/', clock_ms ? req_now(r) / clock_ms : 0);
	key_str(&k, '/', r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, &k);
	if (k.oom) {
		free(k.p);
		return NULL;
	}
	return k.p;
}

static const char *find_header(struct req *r, const char *name)
{
	for (int k = 0; k < r->nhdrs; k++)
		if (!strcasecmp(r->hdrs[k].name, name))
			return r->hdrs[k].value;
	return NULL;
}

/* A reply without a version of its own gets an ETag of its bytes ("c-…"),
 * which If-None-Match can name; then a copy goes into the cache. */
static void keep_reply(struct req *r, const char *body, size_t len)
{
	if (!find_header(r, "ETag")) {
		unsigned char h[16];
		char etag[40];
		crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
		int n = snprintf(etag, sizeof etag, "\"c-");
		for (size_t k = 0; k < sizeof h; k++)
			n += snprintf(etag + n, sizeof etag - (size_t)n, "%02x", h[k]);
		snprintf(etag + n, sizeof etag - (size_t)n, "\"");
		req_set_header(r, "ETag", etag);
		req_set_header(r, "Cache-Control", "private, no-cache");
	}
	char *hdrs = NULL;
	size_t hlen = 0;
	FILE *f = open_memstream(&hdrs, &hlen);
	if (!f)
		return;
	for (int k = 0; k < r->nhdrs; k++) {
		fputs(r->hdrs[k].name, f);
		fputc('\0', f);
		fputs(r->hdrs[k].value, f);
		fputc('\0', f);
	}
	if (fclose(f)) {
		free(hdrs);
		return;
	}
	/* and the reply ready to send as it is, headers and all, to the next
	 * reader under the same key (not where HSTS is added: https behind
	 * the proxy) */
	struct MHD_Response *shared = NULL;
	char *dup = r->https && r->srv->hsts ? NULL : malloc(len ? len : 1);
	if (dup) {
		memcpy(dup, body, len);
		shared = build_response(r, dup, len, MHD_RESPMEM_MUST_FREE, "application/json");
	}
	/* the cache keeps shared's own bytes (freed with it), or a copy */
	rcache_put(r->ckey, r->cstate, 200, shared ? dup : body, len, hdrs, hlen, shared);
	free(hdrs);
}

static void shared_free(void *shared)
{
	MHD_destroy_response(shared);
}

/* rcache_with's use: send the kept reply as it is when it can be (no
 * If-None-Match to answer, no HSTS to add), else copy it for send_cached. */
static int take_hit(const struct cached_reply *c, void *ctx)
{
	struct req *r = ctx;
	if (c->shared && !req_header(r, "If-None-Match") && !(r->https && r->srv->hsts)) {
		r->hit_result = MHD_queue_response(r->conn, (unsigned)c->status, c->shared);
		r->hit_sent = 1;
		r->hit.status = c->status;
		return 1;
	}
	char *body = malloc(c->len ? c->len : 1), *hdrs = malloc(c->hlen ? c->hlen : 1);
	if (!body || !hdrs) {
		free(body);
		free(hdrs);
		return -1;
	}
	memcpy(body, c->body, c->len);
	memcpy(hdrs, c->hdrs, c->hlen);
	r->hit.status = c->status;
	r->hit.body = body, r->hit.len = c->len;
	r->hit.hdrs = hdrs, r->hit.hlen = c->hlen;
	return 1;
}

/* If-None-Match names the reply's ETag of its bytes: the client's copy is
 * current.  (A version ETag "N" of an issue is for If-Match: the issue's
 * reply also shows things that change without its version, so it never
 * answers 304.) */
static int not_modified(struct req *r)
{
	const char *etag = find_header(r, "ETag");
	const char *inm = req_header(r, "If-None-Match");
	if (!etag || !inm || strncmp(etag, "\"c-", 3))
		return 0;
	for (const char *p = inm; (p = strstr(p, etag)); p++)
		if ((p == inm || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') &&
		    (p[strlen(etag)] == '\0' || p[strlen(etag)] == ',' || p[strlen(etag)] == ' '))
			return 1;
	return !strcmp(inm, "*");
}

static enum MHD_Result send_json(struct req *r, int status, json_t *body, int route)
{
	char *buf;
	size_t len;
	const char *mime;
	if (render(r, body, &buf, &len, &mime))
		return MHD_NO;
	if (buf && r->ckey && status == 200 && !r->no_store && !r->text_mime)
		keep_reply(r, buf, len);
	if (buf && status == 200 && not_modified(r)) {
		free(buf);
		return send_buffer(r, 304, (void *)"", 0, MHD_RESPMEM_PERSISTENT, NULL, route);
	}
	if (!buf)
		return send_buffer(r, status, (void *)"", 0, MHD_RESPMEM_PERSISTENT, NULL, route);
	return send_buffer(r, status, buf, len, MHD_RESPMEM_MUST_FREE, mime, route);
}

/* A reply from the cache: its headers, then its body (or a 304). */
static enum MHD_Result send_cached(struct req *r, int route)
{
	for (size_t at = 0; at < r->hit.hlen;) {
		const char *name = r->hit.hdrs + at;
		const char *value = name + strlen(name) + 1;
		req_set_header(r, name, value);
		at = (size_t)(value + strlen(value) + 1 - r->hit.hdrs);
	}
	free(r->hit.hdrs);
	r->hit.hdrs = NULL;
	char *body = r->hit.body;
	r->hit.body = NULL;
	if (not_modified(r)) {
		free(body);
		return send_buffer(r, 304, (void *)"", 0, MHD_RESPMEM_PERSISTENT, NULL, route);
	}
	return send_buffer(r, r->hit.status, body, r->hit.len, MHD_RESPMEM_MUST_FREE,
			   "application/json", route);
}

/* The event stream's response: no timeout (a ping every 15 s instead). */
static enum MHD_Result send_stream(struct req *r, int route)
{
	struct MHD_Response *resp = events_response(r->conn, &r->events);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	for (size_t k = 0; k < sizeof security_headers / sizeof security_headers[0]; k++)
		MHD_add_response_header(resp, security_headers[k][0], security_headers[k][1]);
	MHD_set_connection_option(r->conn, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
	enum MHD_Result ok = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	metrics_record(route, 200, elapsed(&r->t0));
	return ok;
}

/* An error reply's status, with its body in *out. */
static int fail(enum cairn_rc code, const char *field, const char *msg, json_t **out)
{
	struct err e;
	err_clear(&e);
	err_set(&e, code, field, "%s", msg);
	return http_error(&e, out);
}

static enum MHD_Result send_error(struct req *r, enum cairn_rc code, const char *field,
				  const char *msg, int route)
{
	json_t *out = NULL;
	int status = fail(code, field, msg, &out);
	return send_json(r, status, out, route);
}

/* ---- static assets -------------------------------------------------------- */

static const struct web_asset *find_asset(const char *name)
{
	for (const struct web_asset *a = web_assets; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

/* The web asset a GET outside the API asks for (Cache-Control set), or
 * NULL with the reason in *why. */
static const struct web_asset *static_asset(struct req *r, const char **why)
{
	const struct web_asset *a;
	int immutable = 0;
	if (strncmp(r->path, "/assets/", 8) == 0) {
		a = find_asset(r->path + 8);
		const char *v = req_arg(r, "v");
		immutable = v && strcmp(v, web_assets_version) == 0;
		*why = "no such asset";
	} else {
		a = find_asset("index.html");
		*why = "no web UI built";
	}
	if (a)
		req_set_header(r, "Cache-Control",
			       immutable ? "public, max-age=31536000, immutable" : "no-cache");
	return a;
}

static enum MHD_Result send_static(struct req *r)
{
	const char *why;
	const struct web_asset *a = static_asset(r, &why);
	if (!a)
		return send_error(r, CAIRN_ENOTFOUND, NULL, why, ROUTE_STATIC);
	return send_buffer(r, 200, (void *)a->data, a->len, MHD_RESPMEM_PERSISTENT, a->mime,
			   ROUTE_STATIC);
}

/* ---- routing and auth ------------------------------------------------------ */

/* Match path against pattern; each "{n}" segment takes a positive number
 * (the first into nums[0], the second into nums[1]); a "{s}" segment a
 * word of 1..32 letters, digits or '_' into word. */
static int match(const char *pattern, const char *path, int64_t nums[2], char word[33])
{
	int seen = 0;
	while (*pattern && *path) {
		if (strncmp(pattern, "{s}", 3) == 0) {
			int len = 0;
			while ((*path >= 'a' && *path <= 'z') || (*path >= 'A' && *path <= 'Z') ||
			       (*path >= '0' && *path <= '9') || *path == '_') {
				if (len >= 32)
					return 0;
				word[len++] = *path++;
			}
			word[len] = '\0';
			if (!len)
				return 0;
			pattern += 3;
			continue;
		}
		if (strncmp(pattern, "{n}", 3) == 0) {
			int64_t v = 0;
			int digits = 0;
			while (*path >= '0' && *path <= '9') {
				if (++digits > 15)
					return 0;
				v = v * 10 + (*path++ - '0');
			}
			if (!digits || v <= 0 || seen > 1)
				return 0;
			nums[seen++] = v;
			pattern += 3;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	if (*path == '/' && path[1] == '\0')
		path++; /* tolerate one trailing slash */
	return *pattern == '\0' && *path == '\0';
}

static int authenticate(struct req *r, struct err *e)
{
	const char *authz = req_header(r, "Authorization");
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return err_set(e, CAIRN_EUNAUTH, NULL, "use Authorization: Bearer <token>");
		int rc = svc_auth_token(req_op(r), authz + 7, &r->user, e);
		if (rc)
			return rc;
		r->authed = 1;
		/* every write is a POST, PUT, PATCH or DELETE */
		return svc_scope_allows(&r->user, strcmp(r->method, "GET") && strcmp(r->method, "HEAD"),
					e);
	}
	const char *sid = lookup(r, MHD_COOKIE_KIND, "cairn_session");
	if (!sid)
		return err_set(e, CAIRN_EUNAUTH, NULL,
			       "authentication required: a Bearer token or a session");
	int rc = svc_session_auth(req_op(r), sid, &r->user, r->csrf, sizeof r->csrf, e);
	if (rc)
		return rc;
	snprintf(r->sid, sizeof r->sid, "%s", sid);
	r->authed = 1;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		const char *h = req_header(r, "X-CSRF-Token");
		if (!h || strlen(h) != strlen(r->csrf) || sodium_memcmp(h, r->csrf, strlen(h)) != 0)
			return err_set(e, CAIRN_EFORBIDDEN, "X-CSRF-Token",
				       "missing or wrong X-CSRF-Token header");
	}
	return 0;
}

/* application/json, optionally with parameters (; charset=utf-8).  Also
 * what keeps cross-site HTML forms (which cannot send this type without a
 * CORS preflight) from posting to the API, a login included. */
static int is_type(const char *ct, const char *type)
{
	size_t n = strlen(type);
	if (!ct || strncasecmp(ct, type, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static int is_json(const char *ct)
{
	return is_type(ct, "application/json");
}

int req_try_auth(struct req *r)
{
	struct err e;
	const char *authz = req_header(r, "Authorization");
	err_clear(&e);
	if (r->authed)
		return 1;
	if (!r->st)
		return 0;
	if (!authz) {
		/* a session cookie: only on reads, which need no CSRF token */
		const char *sid = lookup(r, MHD_COOKIE_KIND, "cairn_session");
		if (!sid || (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) ||
		    svc_session_auth(req_op(r), sid, &r->user, r->csrf, sizeof r->csrf, &e))
			return 0;
		r->authed = 1;
		return 1;
	}
	if (strncasecmp(authz, "Bearer ", 7) != 0)
		return 0;
	if (svc_auth_token(req_op(r), authz + 7, &r->user, &e))
		return 0;
	r->authed = 1;
	return 1;
}

/* If-Match: one strong ETag "N" as sent by GET, or "*" (any version, -1).
 * A weak tag W/"N" never matches (RFC 9110 compares strongly): 412. */
int http_if_match(struct req *r, int required, int64_t *v, struct err *e)
{
	const char *h = req_header(r, "If-Match");
	*v = -1;
	if (!h && !required)
		return 0;
	if (!h)
		return err_set(e, CAIRN_EPRECOND, "If-Match",
			       "If-Match header with the ETag is required");
	if (strcmp(h, "*") == 0) {
		*v = -1;
		return 0;
	}
	if (strncmp(h, "W/", 2) == 0)
		return err_set(e, CAIRN_ESTALE, "If-Match",
			       "a weak ETag never matches: send the ETag exactly as GET returned it");
	size_t n = strlen(h);
	int64_t x = 0;
	if (n < 3 || n > 20 || h[0] != '"' || h[n - 1] != '"')
		return err_set(e, CAIRN_EMALFORMED, "If-Match", "If-Match must be one ETag like \"3\"");
	for (size_t k = 1; k + 1 < n; k++) {
		if (h[k] < '0' || h[k] > '9')
			return err_set(e, CAIRN_EMALFORMED, "If-Match",
				       "If-Match must be one ETag like \"3\"");
		x = x * 10 + (h[k] - '0');
	}
	*v = x;
	return 0;
}

/* ---- the deferred threads ---------------------------------------------------
 * A request whose work must not hold one of the few request threads is
 * suspended and queued to a pool of its own; the request threads keep
 * serving everyone else.  Two pools, each thread with its own database
 * connection; a full queue answers 503 at once.
 *  - the password thread: argon2id takes ~0.1 s of CPU by design.
 *  - the write threads (req_defer_write): a write waits for its group's
 *    commit (svc_write, group commit); while it waits, the request threads
 *    go on reading the next requests, whose writes join the next group. */

#define DEFER_QUEUE_MAX 256
#define WRITE_THREADS 16
#define WRITE_QUEUE_MAX 1024

struct defer_q {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t threads[WRITE_THREADS];
	int nthreads, max;
	struct req *head, *tail;
	int n, stop, running;
	const char *db_url;
	const char *full; /* the 503's message */
};

static struct defer_q D = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
			   .nthreads = 1, .max = DEFER_QUEUE_MAX,
			   .full = "too many logins at once: try again"};
static struct defer_q W = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
			   .nthreads = WRITE_THREADS, .max = WRITE_QUEUE_MAX,
			   .full = "too many writes at once: try again"};

static void *defer_main(void *arg)
{
	struct defer_q *q = arg;
	struct store *st = NULL;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		struct req *r = q->head;
		if (!r)
			break; /* stopping with nothing queued */
		q->head = r->dnext;
		if (!q->head)
			q->tail = NULL;
		q->n--;
		int stopping = q->stop;
		pthread_mutex_unlock(&q->mu);
		struct err e;
		json_t *out = NULL;
		int status;
		err_clear(&e);
		if (stopping) {
			err_set(&e, CAIRN_EBUSY, NULL, "the server is stopping");
			status = http_error(&e, &out);
		} else if (!st && svc_open(q->db_url, &st, &e)) {
			st = NULL;
			status = http_error(&e, &out);
		} else {
			r->st = st;
			status = r->defer(r, &out);
			r->st = NULL;
			if (status >= 500 && st) { /* maybe a lost connection: a new one next time */
				svc_close(st);
				st = NULL;
			}
		}
		r->dstatus = status;
		r->dout = out;
		r->deferred_done = 1;
		MHD_resume_connection(r->conn);
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	if (st)
		svc_close(st);
	return NULL;
}

static void defer_stop(struct defer_q *q);

static int defer_start(struct defer_q *q, const char *db_url)
{
	q->db_url = db_url;
	q->stop = 0;
	for (q->running = 0; q->running < q->nthreads; q->running++)
		if (pthread_create(&q->threads[q->running], NULL, defer_main, q)) {
			defer_stop(q);
			return -1;
		}
	return 0;
}

/* Answer what is queued (503) and end the threads: before the daemon
 * stops, which must find no connection suspended. */
static void defer_stop(struct defer_q *q)
{
	if (!q->running)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (int k = 0; k < q->running; k++)
		pthread_join(q->threads[k], NULL);
	q->running = 0;
}

static enum MHD_Result defer_enqueue(struct req *r, int route)
{
	struct defer_q *q = r->dwrite ? &W : &D;
	pthread_mutex_lock(&q->mu);
	if (!q->running || q->stop || q->n >= q->max) {
		pthread_mutex_unlock(&q->mu);
		r->defer = NULL;
		req_set_header(r, "Retry-After", "1");
		return send_error(r, CAIRN_EBUSY, NULL, q->full, route);
	}
	r->droute = route;
	r->dnext = NULL;
	/* suspended before a thread can see it, so its resume comes after */
	MHD_suspend_connection(r->conn);
	if (q->tail)
		q->tail->dnext = r;
	else
		q->head = r;
	q->tail = r;
	q->n++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return MHD_YES;
}

/* Route r and run its handler after the body checks and authentication:
 * the status, with the body in *out, and the route's index in *route
 * (ROUTE_NONE for none).  A GET outside the API gets *route ROUTE_STATIC
 * and no status: the caller serves a web asset.  Afterwards r->defer or
 * r->stream may ask the caller for a deferred run or the event stream. */
static int route_run(struct req *r, json_t **out, int *route)
{
	struct err e;
	int path_known = 0;
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;

	char allow[64] = "";
	err_clear(&e);
	*out = NULL;
	*route = ROUTE_NONE;
	int found = -1;
	for (int i = 0; i < routes_count; i++) {
		int64_t nums[2] = {0, 0};
		if (!match(routes[i].pattern, r->path, nums, r->word))
			continue;
		r->num = nums[0];
		r->num2 = nums[1];
		path_known = 1;
		if (strcmp(routes[i].method, method) == 0) {
			found = i;
			break;
		}
		size_t n = strlen(allow);
		snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", routes[i].method);
	}
	if (found < 0) {
		int api = strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0;
		if (!path_known && !api && strcmp(method, "GET") == 0) {
			*route = ROUTE_STATIC;
			return 0;
		}
		if (path_known) {
			req_set_header(r, "Allow", allow);
			return fail(CAIRN_EMETHOD, NULL, "method not allowed here", out);
		}
		return fail(CAIRN_ENOTFOUND, NULL, "no such endpoint", out);
	}
	*route = found;
	if (r->too_large)
		return fail(CAIRN_ETOOLARGE, NULL, "request body is larger than 1 MiB", out);
	if (r->len > 0 && !routes[found].csv_body && !is_json(req_header(r, "Content-Type")))
		return fail(CAIRN_EMEDIA, "Content-Type",
			    "send the body as Content-Type: application/json", out);
	if (routes[found].csv_body && !is_type(req_header(r, "Content-Type"), "text/csv"))
		return fail(CAIRN_EMEDIA, "Content-Type", "send the body as Content-Type: text/csv",
			    out);
	int rc = svc_pool_get(r->srv->pool, &r->st, &e);
	/* the data token first: the reader's rights below are read after it,
	 * so a reply kept under it never reflects rights older than it */
	int cache = rc ? -1 : cacheable(r, found);
	if (cache >= 0)
		svc_data_state(r->st, r->cstate, sizeof r->cstate);
	if (!rc && routes[found].auth == ROUTE_AUTH)
		rc = authenticate(r, &e);
	/* the operation's row of the permission table, before its body is
	 * looked at (the service asks it again, for every caller) */
	if (!rc && routes[found].auth == ROUTE_AUTH)
		rc = svc_allow(&r->user, routes[found].perm, &e);
	if (!rc && cache >= 0 && r->cstate[0] && (r->ckey = cache_key(r, found, kept[cache].clock_ms)) &&
	    rcache_with(r->ckey, r->cstate, take_hit, r) >= 0)
		r->has_hit = 1;
	int status;
	if (rc)
		status = http_error(&e, out);
	else if (r->has_hit)
		status = r->hit.status;
	else
		status = routes[found].handler(r, out);
	if (r->defer && r->dwrite && !svc_group_active()) {
		/* no group to wait for (PostgreSQL): the write here, its own transaction */
		deferred_fn fn = r->defer;
		r->defer = NULL;
		status = fn(r, out);
	}
	svc_pool_put(r->srv->pool, r->st);
	r->st = NULL;
	return status;
}

static enum MHD_Result dispatch(struct req *r)
{
	json_t *out;
	int route, status = route_run(r, &out, &route);
	if (route == ROUTE_STATIC)
		return send_static(r);
	if (r->hit_sent) { /* the kept reply, queued as it was */
		metrics_record(route, status, elapsed(&r->t0));
		return r->hit_result;
	}
	if (r->has_hit)
		return send_cached(r, route);
	if (r->defer) { /* only a handler that ran sets it */
		json_decref(out);
		return defer_enqueue(r, route);
	}
	if (r->stream && status == 200)
		return send_stream(r, route);
	return send_json(r, status, out, route);
}

/* Behind the trusted proxy: the client is the last hop it added to
 * X-Forwarded-For, and X-Forwarded-Proto says whether it was https. */
static void from_proxy(struct req *r)
{
	const char *proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							"X-Forwarded-Proto");
	const char *fwd = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	r->https = proto && !strcasecmp(proto, "https");
	if (fwd && *fwd) {
		const char *last = strrchr(fwd, ',');
		last = last ? last + 1 : fwd;
		while (*last == ' ')
			last++;
		struct in_addr a;
		char hop[64];
		snprintf(hop, sizeof hop, "%s", last);
		hop[strcspn(hop, " ")] = '\0';
		if (inet_pton(AF_INET, hop, &a) == 1)
			snprintf(r->client, sizeof r->client, "%s", hop);
	}
}

/* Request framing an intermediary could read differently from us: two
 * Content-Length headers, or Content-Length beside Transfer-Encoding
 * (request smuggling).  Counted over every header of the request. */
struct framing {
	int lengths, encodings, differ;
	const char *first;
	size_t bytes; /* of all header lines */
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct framing *f = cls;
	(void)kind;
	if (!strcasecmp(key, "Content-Length")) {
		if (f->lengths++ && value && f->first && strcmp(value, f->first))
			f->differ = 1;
		if (!f->first)
			f->first = value;
	} else if (!strcasecmp(key, "Transfer-Encoding"))
		f->encodings++;
	f->bytes += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
	return MHD_YES;
}

static enum MHD_Result count_args(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	size_t *n = cls;
	(void)kind;
	*n += strlen(key) + (value ? strlen(value) + 1 : 0) + 1; /* = and & or ? */
	return MHD_YES;
}

/* A refusal before the body is read, or NULL: the sizes of the request
 * line and headers, framing and Expect.  (Beyond CONNECTION_MEMORY
 * libmicrohttpd answers by itself, in HTML: the limits here come first.) */
static const char *refuse_early(struct MHD_Connection *conn, const char *url,
				enum cairn_rc *code)
{
	struct framing f = {0};
	size_t target = strlen(url);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, count_args, &target);
	*code = CAIRN_EURI;
	if (target > URI_MAX_BYTES)
		return "the request target is longer than 8 KiB";
	*code = CAIRN_EHEADERS;
	if (f.bytes > HEADERS_MAX_BYTES)
		return "the request headers are larger than 24 KiB";
	*code = CAIRN_EMALFORMED;
	if (f.lengths > 1)
		return "more than one Content-Length header";
	if (f.lengths && f.encodings)
		return "Content-Length and Transfer-Encoding together";
	const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
	if (expect && strcasecmp(expect, "100-continue")) {
		*code = CAIRN_EEXPECT;
		return "the only expectation served is Expect: 100-continue";
	}
	return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	(void)version;
	if (r && r->deferred_done) { /* resumed by a deferred thread */
		r->deferred_done = 0;
		json_t *out = r->dout;
		r->dout = NULL;
		return send_json(r, r->dstatus, out, r->droute);
	}
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &r->t0);
		r->conn = conn;
		r->srv = cls;
		snprintf(r->method, sizeof r->method, "%s", method);
		r->path = strdup(url);
		*con_cls = r;
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
				  r->client, sizeof r->client);
		if (r->srv->trusted_proxy && !strcmp(r->client, r->srv->trusted_proxy))
			from_proxy(r);
		if (!r->path)
			return MHD_NO;
		enum cairn_rc early;
		const char *why = refuse_early(conn, url, &early);
		if (why) {
			r->too_large = 1; /* the body, if any, is not read */
			return send_error(r, early, NULL, why, ROUTE_NONE);
		}
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > BODY_MAX_BYTES) {
			/* Answer before reading: no 100 Continue, and MHD closes
			 * the connection instead of receiving the body. */
			r->too_large = 1;
			return send_error(r, CAIRN_ETOOLARGE, NULL, "request body is larger than 1 MiB",
					  ROUTE_NONE);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (r->too_large)
			return MHD_YES;
		if (r->len + n > BODY_MAX_BYTES) {
			r->too_large = 1;
			free(r->body);
			r->body = NULL;
			r->len = r->cap = 0;
			return MHD_YES;
		}
		if (r->len + n + 1 > r->cap) {
			size_t cap = r->cap ? r->cap : 4096;
			while (cap < r->len + n + 1)
				cap *= 2;
			char *nb = realloc(r->body, cap);
			if (!nb)
				return MHD_NO;
			r->body = nb;
			r->cap = cap;
		}
		memcpy(r->body + r->len, upload_data, n);
		r->len += n;
		r->body[r->len] = '\0';
		return MHD_YES;
	}
	return dispatch(r);
}

/* Free what a request context owns (not the context). */
static void req_clear(struct req *r)
{
	free(r->ckey);
	free(r->hit.body);
	free(r->hit.hdrs);
	free(r->path);
	free(r->body);
	free(r->text);
	json_decref(r->json);
	json_decref(r->dout);
	for (int k = 0; k < r->nhdrs; k++) {
		free(r->hdrs[k].name);
		free(r->hdrs[k].value);
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	(void)cls, (void)conn, (void)toe;
	if (!r)
		return;
	req_clear(r);
	free(r);
	*con_cls = NULL;
}

/* ---- one request without a socket ------------------------------------------- */

int http_handle(struct store_pool *pool, const struct http_request *q, struct http_response *o)
{
	struct server srv = {.pool = pool};
	struct req *r = calloc(1, sizeof *r);
	memset(o, 0, sizeof *o);
	if (!r)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->srv = &srv;
	r->local = q;
	snprintf(r->method, sizeof r->method, "%s", q->method);
	snprintf(r->client, sizeof r->client, "%s", q->client ? q->client : "");
	r->path = strdup(q->path);
	if (q->len > BODY_MAX_BYTES)
		r->too_large = 1;
	else if (q->len) {
		r->body = malloc(q->len + 1);
		if (r->body) {
			memcpy(r->body, q->body, q->len);
			r->body[q->len] = '\0';
			r->len = r->cap = q->len;
		}
	}
	if (!r->path || (q->len && !r->too_large && !r->body)) {
		req_clear(r);
		free(r);
		return -1;
	}
	json_t *out;
	int route, status = route_run(r, &out, &route);
	if (route == ROUTE_STATIC) {
		const char *why;
		const struct web_asset *a = static_asset(r, &why);
		status = a ? 200 : fail(CAIRN_ENOTFOUND, NULL, why, &out);
		if (a)
			req_set_text(r, a->mime, (const char *)a->data, a->len);
	} else if (r->defer) { /* what a deferred thread does, here and now */
		struct err e;
		err_clear(&e);
		json_decref(out);
		out = NULL;
		if (svc_pool_get(pool, &r->st, &e))
			status = http_error(&e, &out);
		else {
			status = r->defer(r, &out);
			svc_pool_put(pool, r->st);
			r->st = NULL;
		}
	}
	o->status = status;
	o->stream = r->stream && status == 200;
	int rc = render(r, out, &o->body, &o->len, &o->mime);
	for (int k = 0; k < r->nhdrs; k++) { /* moved to the response */
		o->headers[k].name = r->hdrs[k].name;
		o->headers[k].value = r->hdrs[k].value;
	}
	o->nheaders = r->nhdrs;
	r->nhdrs = 0;
	metrics_record(route, status, elapsed(&r->t0));
	req_clear(r);
	free(r);
	return rc;
}

void http_response_free(struct http_response *o)
{
	free(o->body);
	for (int k = 0; k < o->nheaders; k++) {
		free(o->headers[k].name);
		free(o->headers[k].value);
	}
	memset(o, 0, sizeof *o);
}

/* Percent-decode in place, except "%00": a NUL would cut the path or an
 * argument short and make it mean something else, so it stays literal
 * (and matches no route). */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	(void)cls, (void)c;
	for (char *r = s; *r; r++) {
		int hi, lo;
		if (*r == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 &&
		    (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* ---- serve ------------------------------------------------------------------ */

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return err_set(e, CAIRN_EUSAGE, "listen", "listen address must be HOST:PORT");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return err_set(e, CAIRN_EUSAGE, "listen", "bad port in '%s'", listen);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return err_set(e, CAIRN_EUSAGE, "listen", "bad IPv4 address in '%s'", listen);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

/* Connections at once: event-stream listeners count (suspended ones too). */
#define CONNECTIONS_MAX 4096u

/* Room for CONNECTIONS_MAX sockets plus the database's files: raise the
 * soft limit on open files towards the hard one. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= CONNECTIONS_MAX + 256)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > CONNECTIONS_MAX + 256
			      ? CONNECTIONS_MAX + 256
			      : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* ---- the background worker: outgoing hook deliveries, mail and GitHub calls ---- */

struct worker {
	const char *db_url;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
};

/* Send due hook deliveries, queue due digests and send due mails every
 * quarter second on a connection of its own;
 * after a database error, reconnect on the next round. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct store *st = NULL;
	int64_t next_digests = 0;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		pthread_mutex_unlock(&w->lock);
		struct err e;
		int sent = 0;
		err_clear(&e);
		if (!st && svc_open(w->db_url, &st, &e))
			st = NULL;
		int mailed = 0, digests = 0, calls = 0;
		/* digests are looked for once a minute (at once on start) */
		int digest_round = st && wall_ms() >= next_digests;
		if (digest_round)
			next_digests = wall_ms() + 60000;
		if (st && (svc_hooks_run(OP(st, NULL), 20, &sent, &e) ||
			   (digest_round && svc_mail_digests(OP(st, NULL), &digests, &e)) ||
			   svc_mail_run(OP(st, NULL), 20, &mailed, &e) ||
			   svc_gh_sync_run(OP(st, NULL), 20, &calls, &e))) {
			svc_close(st);
			st = NULL;
		}
		sent += mailed + digests + calls;
		pthread_mutex_lock(&w->lock);
		if (sent || w->stop)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	if (st)
		svc_close(st);
	return NULL;
}

int http_serve(const struct server_opts *o, struct err *e)
{
	struct sockaddr_in sa;
	struct server srv = {0};
	sigset_t set;
	int sig, rc, threads = o->threads > 0 ? o->threads : 4;

	if ((rc = parse_listen(o->listen, &sa, e)))
		return rc;
	/* Block the stop signals in every thread; the main thread waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv.trusted_proxy = o->trusted_proxy && *o->trusted_proxy ? o->trusted_proxy : NULL;
	srv.hsts = o->hsts;
	/* Replies and their working memory of more than 128 KiB (a board's
	 * cards, a roadmap) come from mmap and go back to the system when
	 * freed.  glibc otherwise raises that threshold after the first such
	 * free and serves later ones from its arenas, which keep what they
	 * grew to: after cold reads of every page on the 1M demo the server
	 * held 162 MiB instead of 134 (BENCHMARKS.md). */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	rcache_on_free(shared_free);
	srv.pool = svc_pool_new(o->db_url, threads);
	if (!srv.pool)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	raise_fd_limit();
	if ((rc = svc_group_start(o->db_url, e))) {
		svc_pool_free(srv.pool);
		return rc;
	}
	if (events_start(o->db_url) || defer_start(&D, o->db_url) || defer_start(&W, o->db_url)) {
		defer_stop(&D);
		svc_group_stop();
		events_stop();
		events_free();
		svc_pool_free(srv.pool);
		return err_set(e, CAIRN_ENOMEM, NULL, "cannot start the event stream");
	}
	/* suspend/resume: the event stream's idle listeners hold no thread */
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME,
		0, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, &srv, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_CONNECTION_LIMIT, CONNECTIONS_MAX, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
		NULL, MHD_OPTION_END);
	if (!d) {
		defer_stop(&W);
		defer_stop(&D);
		svc_group_stop();
		events_stop();
		events_free();
		svc_pool_free(srv.pool);
		return err_set(e, CAIRN_EINTERNAL, "listen", "cannot listen on %s", o->listen);
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	if (clock_is_fixed()) {
		char when[32];
		iso_time(now_ms(), when, sizeof when);
		printf("cairn: the clock stands still at %s (CAIRN_NOW; for tests and demos)\n", when);
	}
	printf("cairn: listening on http://%s:%u\n", host, info ? info->port : ntohs(sa.sin_port));
	fflush(stdout);
	struct worker w = {o->db_url, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	pthread_t worker;
	int have_worker = pthread_create(&worker, NULL, worker_main, &w) == 0;
	sigwait(&set, &sig);
	pthread_mutex_lock(&w.lock);
	w.stop = 1;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
	if (have_worker)
		pthread_join(worker, NULL);
	fprintf(stderr, "cairn: %s received, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	defer_stop(&D); /* answers the queued logins */
	defer_stop(&W); /* and writes (unacknowledged: nothing was done) */
	events_stop(); /* ends the streams: no connection may be suspended at the stop */
	MHD_stop_daemon(d);
	svc_group_stop(); /* after the last request thread's write */
	events_free();
	rcache_clear();
	svc_pool_free(srv.pool);
	return 0;
}
