/*
 * fuzz_http.c — libFuzzer target for the request bodies of every endpoint:
 * each input is one request run in-process through http_handle (server.c),
 * the code path of a real request once libmicrohttpd has parsed it:
 * routing, Content-Type and body checks, authentication (a Bearer token or
 * a session cookie with its CSRF token), the handler in src/http/api_*.c,
 * the service layer and the store, on a real SQLite file.
 *
 * The database: once per process, `cairn demo --issues 200` into a base
 * file in a directory of $TMPDIR (default /dev/shm, else /tmp), plus a
 * token or session per actor below.
 * After each input that may write (not a GET) the working file becomes a
 * fresh copy of the base again, so an input's effect (a deactivated admin,
 * a revoked token, a changed password) never leaks into the next and a
 * reproducer replays alone.  GETs skip the copy, for speed: what a read
 * writes (a token's or session's last-use time) changes nothing the next
 * input sees.
 *
 * Input layout (the first 6 bytes are a header, padded with zeros):
 *   [0] route: index into routes[] (mod the count)
 *   [1] actor: see actors[] (mod the count)
 *   [2] flags: bits 0-1 If-Match none / "*" / "1" / W/"1"; bit 2 a wrong
 *       Content-Type; bit 3 no Content-Type at all
 *   [3] [4] the path's first and second {n}: the byte + 1, or >= 250: huge
 *   [5] the path's {s}: one of words[]
 *   then, if the next byte is '?', a query string up to '\n' (name=value
 *   pairs split on '&', not decoded), then the body (the rest).
 *
 * Invariants besides ASan/UBSan/LSan:
 *   - the status is 200..599, never 5xx (a 503 only with the documented
 *     codes "busy"/"unavailable");
 *   - a JSON Content-Type comes with a valid JSON body;
 *   - a status >= 400 with JSON is {"error":{"code":s,"message":s[,"field":s]
 *     [,"position":n]}}, nothing else, with non-empty strings and a
 *     position of 1 or more (the query language's parse errors);
 *   - 204 has no body.
 *
 * Password hashing: argon2id costs ~0.1 s of CPU on purpose; this file
 * defines crypto_pwhash_str / crypto_pwhash_str_verify (the executable's
 * definitions win over libsodium's), so a login or a password change costs
 * microseconds.  The service code calling them is unchanged.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "http/events.h"
#include "http/http.h"
#include "service/service.h"

#include "fuzz_demo.h"
#include "fuzz_util.h"

/* ---- fast password hashing (see the comment above) ----------------------- */

static void fake_hash(char out[crypto_pwhash_STRBYTES], const char *pw, unsigned long long len)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)pw, len, NULL, 0);
	memcpy(out, "$fuzz$", 6);
	sodium_bin2hex(out + 6, crypto_pwhash_STRBYTES - 6, h, sizeof h);
}

int crypto_pwhash_str(char out[crypto_pwhash_STRBYTES], const char *const passwd,
		      unsigned long long passwdlen, unsigned long long opslimit, size_t memlimit)
{
	(void)opslimit, (void)memlimit;
	fake_hash(out, passwd, passwdlen);
	return 0;
}

int crypto_pwhash_str_verify(const char *str, const char *const passwd,
			     unsigned long long passwdlen)
{
	char h[crypto_pwhash_STRBYTES];
	fake_hash(h, passwd, passwdlen);
	return strcmp(h, str) == 0 ? 0 : -1;
}

/* ---- the database -------------------------------------------------------- */

#define PASSWORD "cairn-demo" /* cmd_demo's */

static char dir[64], base_db[128], work_db[160];
static struct store_pool *pool;
static int verbose;

/* Who sends the request. */
enum cred { TOKEN, READ_TOKEN, SESSION, SESSION_NO_CSRF, NOBODY };
static struct actor {
	const char *login;
	enum cred cred;
	char secret[128]; /* a token, or a session id */
	char csrf[128];
} actors[] = {
	{"admin", TOKEN, "", ""}, {"pia", TOKEN, "", ""},	  {"cora", TOKEN, "", ""},
	{"emil", TOKEN, "", ""},  {"eli", TOKEN, "", ""},	  {"vic", TOKEN, "", ""},
	{"eli", READ_TOKEN, "", ""}, {"pete", SESSION, "", ""}, {"noor", SESSION_NO_CSRF, "", ""},
	{NULL, NOBODY, "", ""},
};
#define NACTORS (sizeof actors / sizeof actors[0])

static const char *const words[] = {"eli",  "pia",  "admin", "vic",	"nobody",
				    "todo", "done", "next",  "icebox", "under_review"};
#define NWORDS (sizeof words / sizeof words[0])

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, e ? e->msg : "");
	abort();
}

static void copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n;
	if (in < 0 || out < 0)
		die("open", NULL);
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write", NULL);
	close(in);
	close(out);
}

/* Remove directory d with the databases in it. */
static void remove_dir(const char *d)
{
	char p[200];
	static const char *const files[] = {"base.db", "work.db"};
	for (size_t k = 0; k < 2; k++)
		for (int s = 0; s < 3; s++) {
			snprintf(p, sizeof p, "%s/%s%s", d, files[k], s == 0 ? "" : s == 1 ? "-wal" : "-shm");
			unlink(p);
		}
	rmdir(d);
}

static void cleanup(void)
{
	events_stop();
	events_free();
	svc_pool_free(pool);
	pool = NULL;
	remove_dir(dir);
}

/* libFuzzer does not always leave through exit() (a crash, -runs with
 * files, a timeout): remove the directories of processes that are gone. */
static void remove_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	char p[200];
	long pid;
	while (d && (de = readdir(d)))
		if (sscanf(de->d_name, "cairn-fuzz-http.%ld", &pid) == 1 && pid > 0 &&
		    kill((pid_t)pid, 0) && errno == ESRCH) {
			snprintf(p, sizeof p, "%s/%s", tmp, de->d_name);
			remove_dir(p);
		}
	if (d)
		closedir(d);
}

/* The working database: a fresh copy of the base, a fresh pool. */
static void reset_db(void)
{
	char p[200];
	svc_pool_free(pool);
	snprintf(p, sizeof p, "%s-wal", work_db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", work_db);
	unlink(p);
	copy_file(base_db, work_db);
	pool = svc_pool_new(work_db, 1);
	if (!pool)
		die("svc_pool_new", NULL);
}

static void credentials(struct store *st)
{
	struct err e;
	for (size_t k = 0; k < NACTORS; k++) {
		struct actor *a = &actors[k];
		struct user u;
		int64_t retry;
		err_clear(&e);
		if (a->cred == TOKEN || a->cred == READ_TOKEN) {
			struct token_input in = {a->login, "fuzz", a->cred == READ_TOKEN ? "read" : NULL,
						 NULL};
			struct token_row row;
			if (svc_user_get(OP(st, NULL), a->login, &u, &e) ||
			    svc_token_create(OP(st, &u), &in, a->secret, sizeof a->secret, &row, &e))
				die("token", &e);
		} else if (a->cred == SESSION || a->cred == SESSION_NO_CSRF) {
			if (svc_session_login(OP(st, NULL), a->login, PASSWORD, "127.0.0.1", &u, a->secret,
					      a->csrf, sizeof a->csrf, &retry, &e))
				die("login", &e);
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	verbose = getenv("FUZZ_HTTP_VERBOSE") != NULL;
	setenv("CAIRN_NOW", "2026-12-07T12:00:00Z", 0); /* the clock of the test suites */
	if (svc_init())
		die("svc_init", NULL);
	/* tmpfs by default: SQLite's fsyncs on a disk cost 5x the speed */
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	remove_stale(tmp);
	snprintf(dir, sizeof dir, "%s/cairn-fuzz-http.%ld", tmp, (long)getpid());
	remove_dir(dir);
	if (mkdir(dir, 0700))
		die("mkdir", NULL);
	snprintf(base_db, sizeof base_db, "%s/base.db", dir);
	snprintf(work_db, sizeof work_db, "%s/work.db", dir);
	atexit(cleanup);
	if (fuzz_demo(base_db))
		die("cairn demo failed", NULL);
	struct store *st;
	struct err e;
	err_clear(&e);
	if (svc_open(base_db, &st, &e))
		die("svc_open", &e);
	credentials(st);
	svc_close(st);
	/* GET /api/v1/events needs the broker; it reads the base, which no
	 * input changes (its 200 is the start of a stream, not run here) */
	if (events_start(base_db))
		die("events_start", NULL);
	reset_db();
	return 0;
}

/* ---- one input ------------------------------------------------------------- */

/* routes[k]'s pattern with {n} and {s} filled in. */
static void build_path(const char *pattern, const uint8_t *hdr, char *out, size_t cap)
{
	size_t o = 0;
	int nth = 0;
	for (const char *p = pattern; *p && o + 24 < cap;) {
		if (!strncmp(p, "{n}", 3)) {
			uint8_t b = hdr[3 + (nth++ & 1)];
			long long v = b >= 250 ? 999999999999LL + b : b + 1;
			o += (size_t)snprintf(out + o, cap - o, "%lld", v);
			p += 3;
		} else if (!strncmp(p, "{s}", 3)) {
			o += (size_t)snprintf(out + o, cap - o, "%s", words[hdr[5] % NWORDS]);
			p += 3;
		} else
			out[o++] = *p++;
	}
	out[o] = '\0';
}

/* "a=b&c&d=" into args (at most max - 1, NULL-terminated); q is cut up. */
static void split_query(char *q, struct http_kv *args, size_t max)
{
	size_t n = 0;
	for (char *tok = q; tok && n + 1 < max;) {
		char *amp = strchr(tok, '&');
		if (amp)
			*amp = '\0';
		if (*tok) {
			char *eq = strchr(tok, '=');
			if (eq)
				*eq = '\0';
			args[n].name = tok;
			args[n].value = eq ? eq + 1 : NULL; /* MHD: "?a" has no value */
			n++;
		}
		tok = amp ? amp + 1 : NULL;
	}
	args[n].name = NULL;
}

static const char *describe(const struct http_request *q)
{
	static char buf[300];
	snprintf(buf, sizeof buf, "%s %s", q->method, q->path);
	return buf;
}

static void check_response(const struct http_request *q, const struct http_response *o,
			   const char *input)
{
	const char *what = describe(q);
	FUZZ_ASSERT(o->status >= 200 && o->status <= 599, input, "%s: status %d", what, o->status);
	FUZZ_ASSERT(o->status != 204 || o->len == 0, input, "%s: 204 with a body", what);
	json_t *j = NULL;
	if (o->mime && !strncmp(o->mime, "application/json", 16)) {
		json_error_t je;
		j = json_loadb(o->body ? o->body : "", o->len, 0, &je);
		FUZZ_ASSERT(j, input, "%s: status %d, invalid JSON body: %s", what, o->status, je.text);
	}
	const char *code = NULL;
	if (j && o->status >= 400) {
		json_t *err = json_object_get(j, "error");
		FUZZ_ASSERT(json_is_object(j) && json_object_size(j) == 1 && json_is_object(err),
			    input, "%s: %d without the error shape", what, o->status);
		const char *key;
		json_t *v;
		json_object_foreach(err, key, v)
		{
			if (!strcmp(key, "position")) {
				FUZZ_ASSERT(json_is_integer(v) && json_integer_value(v) >= 1, input,
					    "%s: error position not a positive integer", what);
				continue;
			}
			FUZZ_ASSERT(!strcmp(key, "code") || !strcmp(key, "message") ||
					    !strcmp(key, "field"),
				    input, "%s: unknown error member %s", what, key);
			FUZZ_ASSERT(json_is_string(v) && json_string_length(v) > 0, input,
				    "%s: error member %s not a non-empty string", what, key);
		}
		code = json_string_value(json_object_get(err, "code"));
		FUZZ_ASSERT(code && json_is_string(json_object_get(err, "message")), input,
			    "%s: error without code or message", what);
	}
	FUZZ_ASSERT(o->status < 500 || (o->status == 503 && code &&
					(!strcmp(code, "busy") || !strcmp(code, "unavailable"))),
		    input, "%s: status %d (%s): %.*s", what, o->status, code ? code : "-",
		    (int)(o->len > 300 ? 300 : o->len), o->body ? o->body : "");
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[6] = {0};
	size_t h = size < 6 ? size : 6;
	memcpy(hdr, data, h);
	char *input = fuzz_cstr(data, size); /* for the messages */
	const uint8_t *p = data + h, *end = data + size;

	const struct route *rt = &routes[hdr[0] % routes_count];
	struct actor *a = &actors[hdr[1] % NACTORS];
	char path[256];
	build_path(rt->pattern, hdr, path, sizeof path);

	char *query = NULL, query_copy[120] = "";
	struct http_kv args[17];
	args[0].name = NULL;
	if (p < end && *p == '?') {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t qlen = (size_t)((nl ? nl : end) - (p + 1));
		query = fuzz_cstr(p + 1, qlen);
		snprintf(query_copy, sizeof query_copy, "%s", query);
		split_query(query, args, sizeof args / sizeof args[0]);
		p = nl ? nl + 1 : end;
	}

	struct http_kv headers[6], cookies[2] = {{NULL, NULL}, {NULL, NULL}};
	size_t nh = 0;
	char bearer[120];
	if (a->cred == TOKEN || a->cred == READ_TOKEN) {
		snprintf(bearer, sizeof bearer, "Bearer %s", a->secret);
		headers[nh++] = (struct http_kv){"Authorization", bearer};
	} else if (a->cred == SESSION || a->cred == SESSION_NO_CSRF) {
		cookies[0] = (struct http_kv){"cairn_session", a->secret};
		if (a->cred == SESSION)
			headers[nh++] = (struct http_kv){"X-CSRF-Token", a->csrf};
	}
	static const char *const if_match[] = {NULL, "*", "\"1\"", "W/\"1\""};
	if (if_match[hdr[2] & 3])
		headers[nh++] = (struct http_kv){"If-Match", if_match[hdr[2] & 3]};
	if (!(hdr[2] & 8))
		headers[nh++] = (struct http_kv){
			"Content-Type", hdr[2] & 4	 ? "text/plain"
					: rt->csv_body ? "text/csv; charset=utf-8"
						       : "application/json"};
	headers[nh].name = NULL;

	struct http_request q = {
		.method = rt->method,
		.path = path,
		.args = args,
		.headers = headers,
		.cookies = cookies,
		.body = (const char *)p,
		.len = (size_t)(end - p),
		.client = "127.0.0.1",
	};
	struct http_response o;
	static int dirty = 1;
	if (dirty)
		reset_db();
	dirty = strcmp(rt->method, "GET") != 0;
	FUZZ_ASSERT(http_handle(pool, &q, &o) == 0, input, "http_handle: out of memory");
	if (verbose) /* FUZZ_HTTP_VERBOSE=1: what each input did, for writing seeds */
		fprintf(stderr, "fuzz_http: %s %s%s%s as %s: %d %.*s\n", q.method, q.path,
			query ? "?" : "", query ? query_copy : "", a->login ? a->login : "nobody",
			o.status, (int)(o.len > 2000 ? 2000 : o.len), o.body ? o.body : "");
	check_response(&q, &o, input);
	http_response_free(&o);
	free(query);
	free(input);
	return 0;
}
