/*
 * svc_admin.c — database set-up and health: schema migration, the first
 * admin, and the health probe.
 */
#include <string.h>

#include "service/service.h"
#include "store/store.h"

int svc_db_init(const struct op *op, struct err *e)
{
	struct store *st = op->st;
	int rc = store_migrate(st, e);
	/* migration 12 leaves the roll-up tables to be computed from the issues */
	if (!rc)
		rc = svc_rollups_rebuild_if_stale(op, e);
	return rc;
}

int svc_health(const struct op *op, int *schema, struct err *e)
{
	struct store *st = op->st;
	return store_check_schema(st, schema, e);
}

int svc_degraded(char *reason, size_t cap)
{
	reason[0] = '\0';
	return store_degraded(reason, cap);
}

const char *svc_backend(const struct store *st)
{
	return store_backend(st);
}
