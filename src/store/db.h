/*
 * db.h — the driver interface under store_sql.c (private to src/store/).
 *
 * A driver is a versioned table of functions for one database engine.  It
 * runs parameterized SQL written with `$1..$N` placeholders, caches
 * prepared statements per connection, maps engine errors onto cairn_rc
 * (unique violation -> CAIRN_ECONFLICT, lock timeout -> CAIRN_EBUSY) and
 * supplies the dialect words used by migrations (db_dialect).
 */
#ifndef CAIRN_DB_H
#define CAIRN_DB_H

#include <stdint.h>

#include "core/err.h"

enum db_type { DB_NULL = 0, DB_INT, DB_TEXT };

struct db_param {
	enum db_type type;
	int64_t i;
	const char *s; /* borrowed for the duration of the query */
};

#define P_INT(x) ((struct db_param){.type = DB_INT, .i = (int64_t)(x)})
#define P_TEXT(x) ((struct db_param){.type = (x) ? DB_TEXT : DB_NULL, .s = (x)})
#define P_NULL ((struct db_param){.type = DB_NULL})
/* An integer where 0 means NULL (optional foreign keys, timestamps). */
#define P_INT0(x) ((x) ? P_INT(x) : P_NULL)

struct db;      /* one connection, owned by the driver */
struct db_rows; /* one running statement */

enum db_word {
	DB_W_ID,     /* an auto-increment 64-bit primary key column type */
	DB_W_BINARY, /* the byte-order collation name, for ORDER BY x COLLATE ... */
	DB_W_FOR_UPDATE, /* " FOR UPDATE" where a read must lock its rows ("" where
			  * the write transaction already holds every row) */
	DB_W_LOCK_ROW, /* " FOR NO KEY UPDATE": lock a row against writers without
			* blocking foreign-key checks ("" where writers serialize) */
};

#define DB_DRIVER_VERSION 1

/* The database could not be written (read-only, full, an I/O error): the
 * drivers note why; a write transaction that commits clears it.  Read by
 * GET /healthz (store_degraded). */
void db_degraded_note(const char *reason);
void db_degraded_clear(void);
int db_degraded(char *reason, size_t cap);

/* Named locks of db_driver.lock. */
enum db_lock { DB_LOCK_MIGRATIONS = 7239457, DB_LOCK_BOARD = 7239458, DB_LOCK_SLUGS = 7239459,
	       DB_LOCK_EVENTS = 7239460, DB_LOCK_SETTINGS = 7239461,
	       DB_LOCK_THROTTLE = 7239462 };

struct db_driver {
	int version; /* DB_DRIVER_VERSION */
	const char *name;
	/* 1 if this driver handles url */
	int (*accepts)(const char *url);
	int (*open)(const char *url, struct db **out, struct err *e);
	void (*close)(struct db *db);
	/* Run a script of statements without parameters or rows (DDL). */
	int (*exec)(struct db *db, const char *sql, struct err *e);
	int (*begin)(struct db *db, int write, struct err *e);
	int (*commit)(struct db *db, struct err *e);
	void (*rollback)(struct db *db);
	/* Start a statement; *out must be finished with finish(). */
	int (*query)(struct db *db, const char *sql, const struct db_param *p, int np,
		     struct db_rows **out, struct err *e);
	/* Advance: *row = 1 when a row is available, 0 at the end. */
	int (*next)(struct db_rows *r, int *row, struct err *e);
	int (*is_null)(struct db_rows *r, int col);
	int64_t (*get_int)(struct db_rows *r, int col);
	/* Borrowed until the next next()/finish(); NULL for SQL NULL. */
	const char *(*get_text)(struct db_rows *r, int col);
	/* A floating-point column exactly as the engine holds it (0 for NULL). */
	double (*get_double)(struct db_rows *r, int col);
	/* Rows changed by a finished INSERT/UPDATE/DELETE without RETURNING. */
	int64_t (*changes)(struct db_rows *r);
	void (*finish)(struct db_rows *r);
	const char *(*word)(enum db_word w);
	/* Inside a write transaction: wait until no other transaction holds
	 * key, and hold it until this one ends (one migrator at a time; one
	 * move into Todo at a time, so two cannot pass the limit together). */
	int (*lock)(struct db *db, enum db_lock key, struct err *e);
	/* After a restore inserted explicit ids into table: let new rows
	 * continue after them.  table is one of the store's own names. */
	int (*after_restore)(struct db *db, const char *table, struct err *e);
	/* Outside a transaction: a token in buf (cap bytes, "" when it does
	 * not fit) that changes whenever the committed data may have changed.
	 * 1 when equal tokens mean equal data for every connection (a
	 * PostgreSQL snapshot, SQLite's wal-index header), 0 when the token only compares with the same
	 * connection's earlier tokens (SQLite's data version), -1 on error. */
	int (*state)(struct db *db, char *buf, size_t cap, struct err *e);
	/* A bulk load's rows through the engine's bulk path (NULL where there is
	 * none): one row of np values for copy_sql, "COPY table (col, ...) FROM
	 * STDIN" (the store's own text, never input).  Rows wait in memory and
	 * go out in the order their statements first came (a table's parents
	 * first), before any statement that could see or need them (anything
	 * but a SELECT, or a SELECT that names one of their tables), before a
	 * commit, and whenever many are waiting.  A rollback drops them.  An
	 * error of theirs may surface at that later statement: the caller's
	 * transaction is then lost, as after any failed write. */
	int (*copy_row)(struct db *db, const char *copy_sql, const struct db_param *p, int np,
			struct err *e);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
