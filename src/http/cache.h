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

struct cached_reply {
	int status;
	char *body; /* malloc'd copy, len bytes */
	size_t len;
	char *hdrs; /* malloc'd copy: "name\0value\0" pairs, hlen bytes */
	size_t hlen;
};

/* 1 and a copy in *out (free body and hdrs) when key holds a reply stored
 * under state; 0 otherwise.  state "" never matches. */
int rcache_get(const char *key, const char *state, struct cached_reply *out);

/* Keep a copy of the reply under key and state (nothing when state is "",
 * or the reply is too large to keep). */
void rcache_put(const char *key, const char *state, int status, const char *body, size_t len,
		const char *hdrs, size_t hlen);

struct rcache_stats {
	unsigned long long hits; /* rcache_get found a reply */
	unsigned long long bytes; /* held now */
};
void rcache_stats(struct rcache_stats *out);

/* Drop every reply (at shutdown; tests). */
void rcache_clear(void);

#endif
