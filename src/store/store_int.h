/*
 * store_int.h — private to src/store/: the connection struct and the small
 * query helpers shared by store_sql.c (domain operations) and
 * store_dump.c (backup and restore).
 */
#ifndef CAIRN_STORE_INT_H
#define CAIRN_STORE_INT_H

#include "store/db.h"
#include "store/store.h"

struct restore_parent {
	int64_t number, parent;
};

struct store {
	const struct db_driver *drv;
	struct db *db;
	/* issue parents seen during a restore, linked at the end */
	struct restore_parent *parents;
	size_t nparents, cap_parents;
};

/* Run a statement to completion; *changes (optional) gets rows changed. */
int store_run(struct store *s, const char *sql, const struct db_param *p, int np,
	      int64_t *changes, struct err *e);
/* First column of the first row as an integer; CAIRN_ENOTFOUND if no row. */
int store_one_int(struct store *s, const char *sql, const struct db_param *p, int np,
		  int64_t *out, struct err *e);

#endif
