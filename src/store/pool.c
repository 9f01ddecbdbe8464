/*
 * pool.c — connection pool (see pool.h).
 */
#include "store/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct store_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *url;
	int size;
	int opened;  /* connections in all[] */
	int opening; /* connections being opened outside the lock */
	int nfree;
	struct store **free_list; /* size slots */
	struct store **all;       /* every opened connection */
};

struct store_pool *store_pool_new(const char *url, int size)
{
	struct store_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->url = strdup(url);
	p->size = size < 1 ? 1 : size;
	p->free_list = calloc((size_t)p->size, sizeof *p->free_list);
	p->all = calloc((size_t)p->size, sizeof *p->all);
	if (!p->url || !p->free_list || !p->all) {
		free(p->url);
		free(p->free_list);
		free(p->all);
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	return p;
}

void store_pool_free(struct store_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->opened; i++)
		store_close(p->all[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->url);
	free(p->free_list);
	free(p->all);
	free(p);
}

int store_pool_get(struct store_pool *p, struct store **out, struct err *e)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->nfree > 0) {
			*out = p->free_list[--p->nfree];
			pthread_mutex_unlock(&p->mu);
			return 0;
		}
		if (p->opened + p->opening < p->size) {
			/* Reserve a slot, then connect without holding the lock
			 * (a connect may wait on the network or a busy file). */
			struct store *s = NULL;
			p->opening++;
			pthread_mutex_unlock(&p->mu);
			int rc = store_open(p->url, &s, e);
			pthread_mutex_lock(&p->mu);
			p->opening--;
			if (!rc)
				p->all[p->opened++] = s;
			else
				pthread_cond_signal(&p->cv); /* the slot is free again */
			pthread_mutex_unlock(&p->mu);
			if (!rc)
				*out = s;
			return rc;
		}
		pthread_cond_wait(&p->cv, &p->mu);
	}
}

void store_pool_put(struct store_pool *p, struct store *s)
{
	if (!s)
		return;
	store_rollback(s); /* no-op unless a transaction was left open */
	pthread_mutex_lock(&p->mu);
	p->free_list[p->nfree++] = s;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
