/*
 * events.c — GET /api/v1/events: server-sent events without a thread per
 * listener.
 *
 * The service layer writes an event row with every change it reports
 * (store: events), in the change's transaction.  One broker thread reads
 * the new rows (woken at once by a commit in this process, and every
 * quarter second for the commits of other servers on the same database),
 * formats each once, keeps the newest EVENT_RING in memory for clients
 * that reconnect with Last-Event-ID, and appends it to the buffer of every
 * subscriber allowed to see it (the private-issue rule, svc_event_visible).
 *
 * A subscriber is a libmicrohttpd callback response.  When its buffer is
 * empty the content reader suspends the connection (MHD_suspend_connection
 * and return 0: no worker thread waits, no socket is polled) and the
 * broker resumes it when there is something to send.  A ": ping" comment
 * every PING_MS keeps proxies from closing an idle stream and finds the
 * clients that went away (their write fails and MHD ends the response).
 * At each ping the broker also reads the users again: a disabled user's
 * streams end, and a changed role changes what a stream may see; and it
 * asks whether each stream's credential still authenticates: a stream
 * opened with a revoked token or a session logged out (log out everywhere,
 * a password change) or gone idle ends too.
 *
 * Locking: one mutex guards the ring and the subscribers.  MHD calls into
 * this file with none of its own locks held except when it frees a
 * response; that callback therefore takes no lock: it marks the subscriber
 * gone (atomically) and the broker frees it.  A suspended connection is
 * never freed by MHD before it is resumed, so resuming one that is marked
 * suspended is safe; events_stop resumes them all before the daemon stops.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"
#include "http/events.h"
#include "http/http.h"
#include "service/service.h"

#define EVENT_RING 1024
#define PING_MS 15000
#define POLL_MS 250
#define SUB_BUF_MAX (512 * 1024) /* a client this far behind is dropped */

struct ev {
	int64_t id, owner_id;
	int private_;
	char topic[64];
	char *text; /* "id: ..\nevent: ..\ndata: ..\n\n" */
	size_t len;
};

struct sub {
	struct MHD_Connection *conn;
	int64_t user_id;
	enum role role;
	char topic[64];
	char *buf;
	size_t len, off, cap;
	int suspended, dropped;
	atomic_int gone;
	char cred[65]; /* events_opts' */
	int cred_token;
	struct sub *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop, nudged;
	char *db_url;
	struct ev ring[EVENT_RING];
	size_t ring_start, ring_n; /* oldest slot, events held */
	int64_t last_id;           /* the newest event read */
	struct sub *subs;
	int nsubs;
} B = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* ---- subscriber buffers (B.mu held) --------------------------------------------- */

static void sub_append(struct sub *s, const char *text, size_t len)
{
	if (s->dropped)
		return;
	if (s->off && s->off == s->len)
		s->off = s->len = 0;
	if (s->len + len > SUB_BUF_MAX) {
		s->dropped = 1; /* it does not read: end the stream, it reconnects */
		return;
	}
	if (s->len + len > s->cap) {
		size_t cap = s->cap ? s->cap : 1024;
		while (cap < s->len + len)
			cap *= 2;
		char *nb = realloc(s->buf, cap);
		if (!nb) {
			s->dropped = 1;
			return;
		}
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, text, len);
	s->len += len;
}

static int topic_matches(const struct sub *s, const char *topic)
{
	return !s->topic[0] || strcmp(s->topic, topic) == 0;
}

static void sub_wake(struct sub *s)
{
	if (s->suspended && !atomic_load(&s->gone)) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

static struct ev *ring_at(size_t k)
{
	return &B.ring[(B.ring_start + k) % EVENT_RING];
}

static void deliver(const struct ev *ev)
{
	struct event_row row = {0};
	row.id = ev->id;
	row.private_ = ev->private_;
	row.owner_id = ev->owner_id;
	snprintf(row.topic, sizeof row.topic, "%s", ev->topic);
	for (struct sub *s = B.subs; s; s = s->next) {
		if (atomic_load(&s->gone) || !topic_matches(s, ev->topic) ||
		    !svc_event_visible(&row, s->user_id, s->role))
			continue;
		sub_append(s, ev->text, ev->len);
		sub_wake(s);
	}
}

/* Format and keep one row, and deliver it. */
static void ring_push(const struct event_row *r)
{
	char head[160];
	int n = snprintf(head, sizeof head, "id: %lld\nevent: %s\ndata: ", (long long)r->id, r->kind);
	size_t dl = strlen(r->data);
	char *text = malloc((size_t)n + dl + 3);
	if (!text)
		return;
	memcpy(text, head, (size_t)n);
	memcpy(text + n, r->data, dl); /* compact JSON: one line */
	memcpy(text + n + dl, "\n\n", 3);
	if (B.ring_n == EVENT_RING) {
		free(ring_at(0)->text);
		B.ring_start = (B.ring_start + 1) % EVENT_RING;
		B.ring_n--;
	}
	struct ev *ev = ring_at(B.ring_n++);
	ev->id = r->id;
	ev->owner_id = r->owner_id;
	ev->private_ = r->private_;
	snprintf(ev->topic, sizeof ev->topic, "%s", r->topic);
	ev->text = text;
	ev->len = (size_t)n + dl + 2;
	B.last_id = r->id;
	deliver(ev);
}

/* ---- the broker thread ---------------------------------------------------------- */

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void reap(void)
{
	struct sub **p = &B.subs;
	while (*p) {
		struct sub *s = *p;
		if (atomic_load(&s->gone)) {
			*p = s->next;
			B.nsubs--;
			free(s->buf);
			free(s);
		} else
			p = &s->next;
	}
}

/* users: the accounts as they are now (n of them, NULL when they could
 * not be read: then nobody is dropped). */
static void ping_all(const struct user *users, size_t n)
{
	static const char ping[] = ": ping\n\n";
	for (struct sub *s = B.subs; s; s = s->next) {
		if (atomic_load(&s->gone))
			continue;
		for (size_t k = 0; users && k < n; k++) {
			if (users[k].id != s->user_id)
				continue;
			if (users[k].disabled_at)
				s->dropped = 1; /* its reader ends the stream */
			s->role = users[k].role;
		}
		sub_append(s, ping, sizeof ping - 1);
		sub_wake(s);
	}
}

/* With B.mu held on entry and exit (released while the store is read):
 * the streams whose credential no longer authenticates end.  Only this
 * thread frees a subscriber, so the ones listed stay while the lock is
 * off; a credential that could not be read ends nothing. */
static void drop_ended(struct store *st)
{
	size_t n = 0, k = 0;
	for (struct sub *s = B.subs; s; s = s->next)
		n++;
	struct sub **list = n ? calloc(n, sizeof *list) : NULL;
	int *live = n ? calloc(n, sizeof *live) : NULL;
	if (!list || !live) {
		free(list);
		free(live);
		return;
	}
	for (struct sub *s = B.subs; s && k < n; s = s->next)
		if (!atomic_load(&s->gone) && s->cred[0])
			list[k++] = s;
	n = k;
	pthread_mutex_unlock(&B.mu);
	int64_t now = now_ms();
	for (k = 0; k < n; k++) {
		live[k] = -1;
		for (size_t j = 0; j < k && live[k] < 0; j++) /* several tabs, one session */
			if (list[j]->cred_token == list[k]->cred_token && !strcmp(list[j]->cred, list[k]->cred))
				live[k] = live[j];
		if (live[k] < 0)
			live[k] = svc_credential_live(&(struct op){.st = st, .now = now},
						      list[k]->cred_token, list[k]->cred);
	}
	pthread_mutex_lock(&B.mu);
	for (k = 0; k < n; k++)
		if (!live[k])
			list[k]->dropped = 1; /* its reader ends the stream */
	free(list);
	free(live);
}

static void *broker_main(void *arg)
{
	struct store *st = NULL;
	int64_t next_ping = mono_ms() + PING_MS;
	int first = 1;
	(void)arg;
	pthread_mutex_lock(&B.mu);
	while (!B.stop) {
		int64_t after = B.last_id;
		pthread_mutex_unlock(&B.mu);
		struct event_row *rows = NULL;
		size_t n = 0;
		struct err e;
		err_clear(&e);
		if (!st && svc_open(B.db_url, &st, &e))
			st = NULL;
		if (st && first) {
			/* start with the newest EVENT_RING rows, for reconnects */
			int64_t last = 0;
			if (!svc_events_last(OP(st, NULL), &last, &e)) {
				after = last > EVENT_RING ? last - EVENT_RING : 0;
				first = 0;
			}
		}
		if (st && !first && svc_events_since(OP(st, NULL), after, 256, &rows, &n, &e)) {
			svc_close(st);
			st = NULL;
			rows = NULL;
			n = 0;
		}
		pthread_mutex_lock(&B.mu);
		for (size_t k = 0; k < n; k++)
			if (rows[k].id > B.last_id)
				ring_push(&rows[k]);
		event_rows_release(rows, n);
		reap();
		if (mono_ms() >= next_ping) {
			struct user *users = NULL;
			size_t nu = 0;
			pthread_mutex_unlock(&B.mu);
			if (st && svc_user_list(OP(st, NULL), &users, &nu, &e)) {
				users = NULL;
				nu = 0;
			}
			pthread_mutex_lock(&B.mu);
			if (st)
				drop_ended(st);
			ping_all(users, nu);
			free(users);
			next_ping = mono_ms() + PING_MS;
		}
		if (n == 256 || B.stop)
			continue; /* more waiting */
		if (!B.nudged) {
			struct timespec until;
			wall_deadline(POLL_MS * 1000L, &until);
			pthread_cond_timedwait(&B.cv, &B.mu, &until);
		}
		B.nudged = 0;
	}
	pthread_mutex_unlock(&B.mu);
	if (st)
		svc_close(st);
	return NULL;
}

static void nudge(void)
{
	pthread_mutex_lock(&B.mu);
	B.nudged = 1;
	pthread_cond_signal(&B.cv);
	pthread_mutex_unlock(&B.mu);
}

int events_start(const char *db_url)
{
	if (!(B.db_url = strdup(db_url)))
		return -1;
	B.stop = 0;
	if (pthread_create(&B.thread, NULL, broker_main, NULL)) {
		free(B.db_url);
		B.db_url = NULL;
		return -1;
	}
	B.running = 1;
	svc_events_on_commit(nudge);
	return 0;
}

void events_stop(void)
{
	if (!B.running)
		return;
	svc_events_on_commit(NULL);
	pthread_mutex_lock(&B.mu);
	B.stop = 1;
	for (struct sub *s = B.subs; s; s = s->next)
		sub_wake(s); /* their reader now ends the stream */
	pthread_cond_signal(&B.cv);
	pthread_mutex_unlock(&B.mu);
	pthread_join(B.thread, NULL);
	B.running = 0;
}

void events_free(void)
{
	/* after the daemon stopped: every response is freed, every sub gone */
	pthread_mutex_lock(&B.mu);
	reap();
	for (struct sub *s = B.subs, *next; s; s = next) {
		next = s->next;
		free(s->buf);
		free(s);
	}
	B.subs = NULL;
	B.nsubs = 0;
	for (size_t k = 0; k < B.ring_n; k++)
		free(ring_at(k)->text);
	B.ring_n = B.ring_start = 0;
	pthread_mutex_unlock(&B.mu);
	free(B.db_url);
	B.db_url = NULL;
}

/* ---- the response ------------------------------------------------------------------ */

static ssize_t sub_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sub *s = cls;
	(void)pos;
	pthread_mutex_lock(&B.mu);
	if (s->off < s->len) {
		size_t n = s->len - s->off < max ? s->len - s->off : max;
		memcpy(buf, s->buf + s->off, n);
		s->off += n;
		pthread_mutex_unlock(&B.mu);
		return (ssize_t)n;
	}
	if (s->dropped || B.stop) {
		pthread_mutex_unlock(&B.mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	s->suspended = 1;
	MHD_suspend_connection(s->conn);
	pthread_mutex_unlock(&B.mu);
	return 0;
}

static void sub_free(void *cls)
{
	struct sub *s = cls;
	atomic_store(&s->gone, 1); /* the broker frees it (see the top) */
}

struct MHD_Response *events_response(struct MHD_Connection *conn, const struct events_opts *o)
{
	static const char hello[] = "retry: 3000\n\n";
	static const char reset[] = "event: reset\ndata: {}\n\n";
	struct sub *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->conn = conn;
	s->user_id = o->user_id;
	s->role = o->role;
	snprintf(s->topic, sizeof s->topic, "%s", o->topic);
	memcpy(s->cred, o->cred, sizeof s->cred);
	s->cred_token = o->cred_token;
	struct MHD_Response *resp =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, sub_read, s, sub_free);
	if (!resp) {
		free(s);
		return NULL;
	}
	pthread_mutex_lock(&B.mu);
	sub_append(s, hello, sizeof hello - 1);
	if (o->has_last) {
		/* replay what it missed, or tell it to reload when that is gone */
		size_t k = 0;
		while (k < B.ring_n && ring_at(k)->id <= o->last_id)
			k++;
		/* an id from before the ring, or one this database never had (it
		 * was reset or restored): what the client shows may be stale */
		if ((o->last_id < B.last_id && (B.ring_n == 0 || (k == 0 && ring_at(0)->id > o->last_id + 1))) ||
		    o->last_id > B.last_id)
			sub_append(s, reset, sizeof reset - 1);
		for (; k < B.ring_n; k++) {
			const struct ev *ev = ring_at(k);
			struct event_row row = {.id = ev->id, .owner_id = ev->owner_id,
						.private_ = ev->private_};
			snprintf(row.topic, sizeof row.topic, "%s", ev->topic);
			if (topic_matches(s, ev->topic) && svc_event_visible(&row, s->user_id, s->role))
				sub_append(s, ev->text, ev->len);
		}
	}
	s->next = B.subs;
	B.subs = s;
	B.nsubs++;
	pthread_mutex_unlock(&B.mu);
	return resp;
}

int events_subscribers(void)
{
	pthread_mutex_lock(&B.mu);
	int n = B.nsubs;
	pthread_mutex_unlock(&B.mu);
	return n;
}

/* ---- the handler --------------------------------------------------------------------- */

int api_events(struct req *r, json_t **out)
{
	struct events_opts o = {0};
	struct err e;
	const struct user *u = req_user(r);
	const char *topic = req_arg(r, "topic");
	const char *last = req_header(r, "Last-Event-ID");
	err_clear(&e);
	if (!last)
		last = req_arg(r, "last_event_id");
	if (topic && (strlen(topic) >= sizeof o.topic || !*topic)) {
		err_set(&e, CAIRN_EINVALID, "topic", "topic must be 1 to 63 characters, like estimation/3");
		return http_error(&e, out);
	}
	if (last && *last) {
		char *end;
		long long v = strtoll(last, &end, 10);
		if (*end || v < 0) {
			err_set(&e, CAIRN_EINVALID, "Last-Event-ID", "Last-Event-ID must be an event id");
			return http_error(&e, out);
		}
		o.last_id = v;
		o.has_last = 1;
	}
	if (!B.running) {
		err_set(&e, CAIRN_EINTERNAL, NULL, "the event stream is not running");
		return http_error(&e, out);
	}
	o.user_id = u->id;
	o.role = u->role;
	int token;
	const char *secret = req_secret(r, &token);
	if (secret) {
		svc_credential_hash(secret, o.cred);
		o.cred_token = token;
	}
	snprintf(o.topic, sizeof o.topic, "%s", topic ? topic : "");
	req_stream_events(r, &o);
	*out = NULL;
	return 200;
}
