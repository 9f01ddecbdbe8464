/*
 * cache.c — the reply cache (see cache.h): a direct-mapped table of slots
 * chosen by the key's hash, a lock per group of slots.
 */
#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define SLOTS 65536
#define STRIPES 256

struct slot {
	uint64_t hash;
	char *key, *state;
	int status;
	char *body, *hdrs;
	size_t len, hlen;
	void *shared;
};

static struct slot slots[SLOTS];
static pthread_mutex_t locks[STRIPES];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_size_t total;
static atomic_uint hand; /* the next slot to evict when room is needed */
static atomic_ullong hits;
static void (*shared_free)(void *);

static void init(void)
{
	for (int k = 0; k < STRIPES; k++)
		pthread_mutex_init(&locks[k], NULL);
}

static size_t cost(const struct slot *s)
{
	return s->key ? s->len + s->hlen + strlen(s->key) + strlen(s->state) +
				(s->shared ? CACHE_ENTRY_SHARED : CACHE_ENTRY_PLAIN)
		      : 0;
}

void rcache_on_free(void (*fn)(void *shared))
{
	shared_free = fn;
}

static void drop_shared(void *shared)
{
	if (shared && shared_free)
		shared_free(shared);
}

static void empty(struct slot *s)
{
	atomic_fetch_sub(&total, cost(s));
	free(s->key);
	free(s->state);
	if (s->shared)
		drop_shared(s->shared); /* its body too */
	else
		free(s->body);
	free(s->hdrs);
	memset(s, 0, sizeof *s);
}

static char *copy(const char *p, size_t n)
{
	char *c = malloc(n ? n : 1);
	if (c && n)
		memcpy(c, p, n);
	return c;
}

/* Evict slots in turn until need more bytes fit (or a round found none:
 * the reply is then not kept).  One stripe lock at a time, none held on
 * entry: no order between stripes to get wrong. */
static void make_room(size_t need)
{
	for (unsigned k = 0; k < SLOTS && atomic_load(&total) + need > CACHE_TOTAL_MAX; k++) {
		unsigned i = atomic_fetch_add(&hand, 1) % SLOTS;
		pthread_mutex_lock(&locks[i % STRIPES]);
		empty(&slots[i]);
		pthread_mutex_unlock(&locks[i % STRIPES]);
	}
}

void rcache_stats(struct rcache_stats *out)
{
	out->hits = atomic_load(&hits);
	out->bytes = atomic_load(&total);
}

int rcache_with(const char *key, const char *state,
		int (*use)(const struct cached_reply *c, void *ctx), void *ctx)
{
	if (!state[0])
		return -1;
	pthread_once(&once, init);
	uint64_t h = hash_bytes(key, strlen(key));
	struct slot *s = &slots[h % SLOTS];
	pthread_mutex_t *mu = &locks[h % STRIPES];
	int rc = -1;
	pthread_mutex_lock(mu);
	if (s->key && s->hash == h && !strcmp(s->key, key) && !strcmp(s->state, state)) {
		struct cached_reply c = {s->status, s->body, s->len, s->hdrs, s->hlen, s->shared};
		if ((rc = use(&c, ctx)) >= 0)
			atomic_fetch_add(&hits, 1);
	}
	pthread_mutex_unlock(mu);
	return rc;
}

void rcache_put(const char *key, const char *state, int status, const char *body, size_t len,
		const char *hdrs, size_t hlen, void *shared)
{
	if (!state[0] || len + hlen > CACHE_ENTRY_MAX) {
		drop_shared(shared);
		return;
	}
	pthread_once(&once, init);
	uint64_t h = hash_bytes(key, strlen(key));
	struct slot *s = &slots[h % SLOTS];
	pthread_mutex_t *mu = &locks[h % STRIPES];
	struct slot n = {h,		  strdup(key),	    strdup(state), status,
			 shared ? (char *)body : copy(body, len), copy(hdrs, hlen), len,
			 hlen,		  shared};
	int kept = 0, whole = n.key && n.state && n.body && n.hdrs;
	if (whole)
		make_room(cost(&n));
	pthread_mutex_lock(mu);
	empty(s);
	if (whole && atomic_load(&total) + cost(&n) <= CACHE_TOTAL_MAX) {
		atomic_fetch_add(&total, cost(&n));
		*s = n;
		kept = 1;
	}
	pthread_mutex_unlock(mu);
	if (!kept) {
		free(n.key);
		free(n.state);
		if (!shared)
			free(n.body);
		free(n.hdrs);
		drop_shared(shared);
	}
}

void rcache_clear(void)
{
	pthread_once(&once, init);
	for (int k = 0; k < SLOTS; k++) {
		pthread_mutex_lock(&locks[k % STRIPES]);
		empty(&slots[k]);
		pthread_mutex_unlock(&locks[k % STRIPES]);
	}
}
