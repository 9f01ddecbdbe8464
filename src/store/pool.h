/*
 * pool.h — a fixed-size pool of store connections shared by the threads of
 * one server process.  Connections open lazily; a thread borrows one for a
 * request and gives it back (rolled back if a transaction was left open).
 */
#ifndef CAIRN_POOL_H
#define CAIRN_POOL_H

#include "store/store.h"

struct store_pool;

/* url is copied.  size >= 1.  NULL on allocation failure. */
struct store_pool *store_pool_new(const char *url, int size);
void store_pool_free(struct store_pool *p);
/* Borrow a connection, waiting while all are in use. */
int store_pool_get(struct store_pool *p, struct store **out, struct err *e);
void store_pool_put(struct store_pool *p, struct store *s);

#endif
