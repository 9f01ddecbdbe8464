/*
 * cache.h — replies kept for reuse while the data they were read from is
 * unchanged.
 *
 * A reply is stored under a key that names everything it was computed
 * from besides the data (the route, the path and query, the reader) and a
 * data token from store_state (via svc_data_state) taken before it was
 * computed.  A later request with the same key and the same token gets the
 * same bytes back without running its handler.  The token changes with
 * every commit from anywhere (this server, the CLI, another server on the
 * same PostgreSQL database), so a reply is never older than the last write
 * a reader could have seen acknowledged.
 *
 * Bounded: a fixed table of 65,536 slots (a newer reply replaces whatever held its
 * slot), at most CACHE_ENTRY_MAX bytes a reply and CACHE_TOTAL_MAX in all; a
 * reply that does not fit evicts others, a clock hand going round the slots
 * (replies of an old state are never asked for again, so they must not hold
 * the room).
 */
#ifndef CAIRN_HTTP_CACHE_H
#define CAIRN_HTTP_CACHE_H

#include <stddef.h>

#define CACHE_ENTRY_MAX (1u << 20)
#define CACHE_TOTAL_MAX (64u << 20)
/* What an entry holds beyond its bytes, counted in its cost: the server's
 * ready reply (its header lines, each an allocation or three) and the
 * allocator's own words; about 2 KiB with the ready reply (BENCHMARKS.md). */
#define CACHE_ENTRY_SHARED 2048
#define CACHE_ENTRY_PLAIN 256

struct cached_reply {
	int status;
	const char *body; /* len bytes */
	size_t len;
	const char *hdrs; /* "name\0value\0" pairs, hlen bytes */
	size_t hlen;
	void *shared; /* the server's reply ready to send again, or NULL */
};

/* When key holds a reply stored under state: use(reply, ctx) under the
 * reply's lock (what it keeps, it copies; it may hand shared on to what
 * takes its own reference) and its return value; -1 otherwise.  A value
 * >= 0 counts as a hit.  state "" never matches. */
int rcache_with(const char *key, const char *state,
		int (*use)(const struct cached_reply *c, void *ctx), void *ctx);

/* Keep a copy of the reply under key and state (nothing when state is "",
 * or the reply is too large to keep).  shared (may be NULL) is the server's
 * ready reply for it, whose own bytes body then is (not copied: they live as
 * long as it): the cache owns it from here and lets it go with the function
 * given to rcache_on_free. */
void rcache_put(const char *key, const char *state, int status, const char *body, size_t len,
		const char *hdrs, size_t hlen, void *shared);
void rcache_on_free(void (*fn)(void *shared));

struct rcache_stats {
	unsigned long long hits; /* rcache_get found a reply */
	unsigned long long bytes; /* held now */
};
void rcache_stats(struct rcache_stats *out);

/* Drop every reply (at shutdown; tests). */
void rcache_clear(void);

#endif
