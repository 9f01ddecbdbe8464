/*
 * svc_db.c — the database as http/ and cmd/ reach it: open and close a
 * connection, borrow one from a pool.  They never call the store
 * themselves (they do not include store.h); every read and write goes
 * through an operation of service.h.
 */
#include "service/svc_int.h"
#include "store/pool.h"

int svc_open(const char *url, struct store **out, struct err *e)
{
	return store_open(url, out, e);
}

void svc_close(struct store *st)
{
	store_close(st);
}

int svc_schema_latest(void)
{
	return store_schema_latest();
}

struct store_pool *svc_pool_new(const char *url, int size)
{
	return store_pool_new(url, size);
}

void svc_pool_free(struct store_pool *p)
{
	store_pool_free(p);
}

int svc_pool_get(struct store_pool *p, struct store **out, struct err *e)
{
	return store_pool_get(p, out, e);
}

void svc_pool_put(struct store_pool *p, struct store *st)
{
	store_pool_put(p, st);
}

void svc_data_state(struct store *st, char *buf, size_t cap)
{
	store_state(st, buf, cap);
}
