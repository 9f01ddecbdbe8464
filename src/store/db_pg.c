/*
 * db_pg.c — the PostgreSQL driver (libpq), for teams that run several
 * stateless `cairn serve` processes on one database.
 *
 * Statements are prepared once per connection (named "s<N>", cached by SQL
 * text) and run with text-format parameters; results are read whole.  A
 * connection that dropped (server restart) is reset before the next
 * statement outside a transaction, and the statement cache is cleared with
 * it.  Engine errors map onto cairn_rc by SQLSTATE.
 *
 * A bulk load's rows (copy_row) wait in memory per table, escaped for
 * COPY's text format, and are streamed with COPY ... FROM STDIN: one round
 * trip per table and a few megabytes instead of one per row.
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

#define CACHE_SLOTS 128
#define PARAMS_MAX 256
#define COPY_TABLES 8
/* rows waiting beyond this many bytes go out at once */
#define COPY_FLUSH_BYTES (8u << 20)
/* a COPY sends its data in pieces of at most this many bytes */
#define COPY_CHUNK (1 << 20)

/* The waiting rows of one COPY statement, in COPY's text format. */
struct copy_table {
	char *sql; /* owned; NULL = unused slot */
	char name[64]; /* its table, as the statement names it */
	char *buf;
	size_t len, cap;
};

struct cached {
	char *sql; /* owned copy; NULL = empty slot */
	uint64_t hash;
	char name[16];
};

struct db {
	PGconn *conn;
	struct cached cache[CACHE_SLOTS];
	int next_slot; /* round-robin replacement */
	unsigned stmt_seq;
	int in_tx;
	/* copy_row's rows, in the order their statements first came */
	struct copy_table copy[COPY_TABLES];
	size_t copy_bytes;
};

struct db_rows {
	PGresult *res;
	int row; /* current row, -1 before the first */
	int nrows;
	int64_t changes;
};

static int accepts(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

/* Map a failed result (or connection) onto a cairn_rc. */
static int map_error(struct db *db, PGresult *res, struct err *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn);
	if (!msg || !*msg)
		msg = PQerrorMessage(db->conn);
	if (state && strcmp(state, "23505") == 0)
		return err_set(e, CAIRN_ECONFLICT, NULL, "already exists");
	if (state && strcmp(state, "23503") == 0)
		return err_set(e, CAIRN_EINVALID, NULL, "refers to something that does not exist");
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		      strcmp(state, "55P03") == 0))
		return err_set(e, CAIRN_EBUSY, NULL, "database is busy, try again");
	if (state && (!strcmp(state, "53100") || !strcmp(state, "25006") || !strncmp(state, "58", 2))) {
		const char *why = !strcmp(state, "53100") ? "the disk holding the database is full"
				  : !strcmp(state, "25006") ? "the database is read-only"
							    : "the database cannot be written (I/O error)";
		db_degraded_note(why);
		return err_set(e, CAIRN_EUNAVAIL, NULL, "%s", why);
	}
	if (PQstatus(db->conn) == CONNECTION_BAD)
		return err_set(e, CAIRN_EBUSY, NULL, "lost the database connection, try again");
	/* first line of the server's message, without the trailing newline */
	char line[256];
	snprintf(line, sizeof line, "%s", msg ? msg : "unknown error");
	line[strcspn(line, "\n")] = '\0';
	return err_set(e, CAIRN_ESTORE, NULL, "postgres: %s", line);
}

static void clear_cache(struct db *db)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(db->cache[i].sql);
		db->cache[i].sql = NULL;
	}
}

/* Reset a dropped connection (only between transactions). */
static int ensure_connected(struct db *db, struct err *e)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->in_tx)
		return err_set(e, CAIRN_EBUSY, NULL, "lost the database connection, try again");
	PQreset(db->conn);
	clear_cache(db);
	if (PQstatus(db->conn) != CONNECTION_OK)
		return err_set(e, CAIRN_EBUSY, NULL, "cannot reach the database: %s",
			       PQerrorMessage(db->conn));
	return 0;
}

/* Forget every waiting row and statement (a rollback, a failed send). */
static void copy_drop(struct db *db)
{
	for (int k = 0; k < COPY_TABLES; k++) {
		struct copy_table *c = &db->copy[k];
		free(c->sql);
		free(c->buf);
		memset(c, 0, sizeof *c);
	}
	db->copy_bytes = 0;
}

/* Stream one table's waiting rows: COPY ... FROM STDIN, the data, the end. */
static int copy_send_one(struct db *db, struct copy_table *c, struct err *e)
{
	PGresult *r = PQexec(db->conn, c->sql);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = map_error(db, r, e);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	for (size_t off = 0; off < c->len;) {
		size_t n = c->len - off < COPY_CHUNK ? c->len - off : COPY_CHUNK;
		if (PQputCopyData(db->conn, c->buf + off, (int)n) != 1) {
			rc = map_error(db, NULL, e);
			break;
		}
		off += n;
	}
	if (PQputCopyEnd(db->conn, rc ? "cairn: the copy was cut short" : NULL) != 1 && !rc)
		rc = map_error(db, NULL, e);
	while ((r = PQgetResult(db->conn))) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = map_error(db, r, e);
		PQclear(r);
	}
	return rc;
}

/* Send every waiting row, table by table in the order they first came. */
static int copy_send(struct db *db, struct err *e)
{
	int rc = 0;
	for (int k = 0; k < COPY_TABLES && !rc; k++) {
		struct copy_table *c = &db->copy[k];
		if (c->sql && c->len)
			rc = copy_send_one(db, c, e);
		c->len = 0;
	}
	if (rc)
		copy_drop(db);
	db->copy_bytes = 0;
	return rc;
}

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* sql names table as a whole word. */
static int names_table(const char *sql, const char *table)
{
	size_t n = strlen(table);
	for (const char *p = sql; (p = strstr(p, table)); p += n)
		if ((p == sql || !ident_char(p[-1])) && !ident_char(p[n]))
			return 1;
	return 0;
}

/* Before sql runs: send the waiting rows if it could see or need them. */
static int copy_before(struct db *db, const char *sql, struct err *e)
{
	if (!db->copy_bytes)
		return 0;
	const char *p = sql;
	while (isspace((unsigned char)*p) || *p == '(')
		p++;
	if (strncasecmp(p, "SELECT", 6) != 0 || ident_char(p[6]))
		return copy_send(db, e);
	for (int k = 0; k < COPY_TABLES; k++)
		if (db->copy[k].sql && db->copy[k].len && names_table(sql, db->copy[k].name))
			return copy_send(db, e);
	return 0;
}

static void close_db(struct db *db)
{
	if (!db)
		return;
	copy_drop(db);
	clear_cache(db);
	PQfinish(db->conn);
	free(db);
}

static void quiet_notice(void *arg, const PGresult *res)
{
	(void)arg, (void)res; /* NOTICEs (e.g. "already exists, skipping") are not errors */
}

static int open_db(const char *url, struct db **out, struct err *e)
{
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	db->conn = PQconnectdb(url);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		char line[256];
		snprintf(line, sizeof line, "%s", db->conn ? PQerrorMessage(db->conn) : "out of memory");
		line[strcspn(line, "\n")] = '\0';
		/* busy (503 to clients, exit 4 for the CLI): a database that is
		 * down or restarting is worth retrying */
		err_set(e, CAIRN_EBUSY, "db", "cannot connect to PostgreSQL: %s", line);
		close_db(db);
		return CAIRN_EBUSY;
	}
	PQsetNoticeReceiver(db->conn, quiet_notice, NULL);
	PGresult *r = PQexec(db->conn, "SET TIME ZONE 'UTC'");
	PQclear(r);
	*out = db;
	return 0;
}

/* A statement failed because the connection dropped (server restart,
 * failover) and no transaction was open: safe to reconnect and retry once. */
static int retryable(struct db *db)
{
	return !db->in_tx && PQstatus(db->conn) == CONNECTION_BAD;
}

static int exec(struct db *db, const char *sql, struct err *e)
{
	int rc = ensure_connected(db, e);
	if (rc || (rc = copy_before(db, sql, e)))
		return rc;
	for (int attempt = 0;; attempt++) {
		PGresult *r = PQexec(db->conn, sql);
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			PQclear(r);
			return 0;
		}
		if (attempt == 0 && retryable(db)) {
			PQclear(r);
			if ((rc = ensure_connected(db, e)))
				return rc;
			continue;
		}
		rc = map_error(db, r, e);
		PQclear(r);
		return rc;
	}
}

static int begin(struct db *db, int write, struct err *e)
{
	/* Writers run READ COMMITTED and serialize on the rows they update
	 * (the issue counter, the version check); readers get one snapshot for
	 * the whole transaction, like SQLite's, so a count and its page agree. */
	int rc = exec(db, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", e);
	if (!rc)
		db->in_tx = 1;
	return rc;
}

static int commit(struct db *db, struct err *e)
{
	/* the waiting rows first: if they fail, the transaction is still open
	 * for the caller's rollback */
	int rc = db->copy_bytes ? copy_send(db, e) : 0;
	if (rc)
		return rc;
	rc = exec(db, "COMMIT", e);
	db->in_tx = 0;
	return rc;
}

static void rollback(struct db *db)
{
	copy_drop(db);
	if (!db->in_tx)
		return;
	PGresult *r = PQexec(db->conn, "ROLLBACK");
	PQclear(r);
	db->in_tx = 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The name of a prepared statement for sql, preparing it if needed. */
static int prepare(struct db *db, const char *sql, const char **name, struct err *e)
{
	uint64_t h = fnv1a(sql);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cached *c = &db->cache[i];
		if (c->sql && c->hash == h && strcmp(c->sql, sql) == 0) {
			*name = c->name;
			return 0;
		}
	}
	struct cached *slot = &db->cache[db->next_slot];
	db->next_slot = (db->next_slot + 1) % CACHE_SLOTS;
	if (slot->sql) {
		char dealloc[40];
		snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", slot->name);
		PGresult *r = PQexec(db->conn, dealloc);
		PQclear(r);
		free(slot->sql);
		slot->sql = NULL;
	}
	snprintf(slot->name, sizeof slot->name, "s%u", ++db->stmt_seq);
	PGresult *r = PQprepare(db->conn, slot->name, sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = map_error(db, r, e);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	if (!(slot->sql = strdup(sql)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	slot->hash = h;
	*name = slot->name;
	return 0;
}

static int query(struct db *db, const char *sql, const struct db_param *p, int np,
		 struct db_rows **out, struct err *e)
{
	const char *values[PARAMS_MAX];
	char ints[PARAMS_MAX][24];
	const char *name = NULL;
	int rc;

	if (np > PARAMS_MAX)
		return err_set(e, CAIRN_EINTERNAL, NULL, "too many parameters");
	if ((rc = copy_before(db, sql, e)))
		return rc;
	for (int i = 0; i < np; i++) {
		switch (p[i].type) {
		case DB_INT:
			snprintf(ints[i], sizeof ints[i], "%lld", (long long)p[i].i);
			values[i] = ints[i];
			break;
		case DB_TEXT:
			values[i] = p[i].s;
			break;
		default:
			values[i] = NULL;
		}
	}
	PGresult *res;
	for (int attempt = 0;; attempt++) {
		if ((rc = ensure_connected(db, e)) || (rc = prepare(db, sql, &name, e))) {
			if (attempt == 0 && retryable(db))
				continue;
			return rc;
		}
		res = PQexecPrepared(db->conn, name, np, values, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
			break;
		if (attempt == 0 && retryable(db)) {
			PQclear(res);
			continue;
		}
		rc = map_error(db, res, e);
		PQclear(res);
		return rc;
	}
	struct db_rows *r = calloc(1, sizeof *r);
	if (!r) {
		PQclear(res);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	const char *tuples = PQcmdTuples(res);
	r->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
	*out = r;
	return 0;
}

static int next(struct db_rows *r, int *row, struct err *e)
{
	(void)e;
	if (r->row + 1 < r->nrows) {
		r->row++;
		*row = 1;
	} else {
		r->row = r->nrows;
		*row = 0;
	}
	return 0;
}

static int is_null(struct db_rows *r, int col)
{
	return PQgetisnull(r->res, r->row, col);
}

static int64_t get_int(struct db_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	return strtoll(PQgetvalue(r->res, r->row, col), NULL, 10);
}

static const char *get_text(struct db_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

/* PostgreSQL writes floats in their shortest exact form (extra_float_digits
 * 1, the default since 12), so distinct values stay distinct and ordered. */
static double get_double(struct db_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	return strtod(PQgetvalue(r->res, r->row, col), NULL);
}

static int64_t changes(struct db_rows *r)
{
	return r->changes;
}

static void finish(struct db_rows *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

static const char *word(enum db_word w)
{
	switch (w) {
	case DB_W_ID:
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	case DB_W_BINARY:
		return "\"C\"";
	case DB_W_FOR_UPDATE:
		return " FOR UPDATE";
	case DB_W_LOCK_ROW:
		return " FOR NO KEY UPDATE";
	}
	return "";
}

/* READ COMMITTED writers do not serialize by themselves: a transaction-
 * scoped advisory lock does it where a rule reads then writes (several
 * servers starting at once on a new database: one migrates; moves into
 * Todo against its limit).  key is one of enum db_lock, never input. */
static int lock(struct db *db, enum db_lock key, struct err *e)
{
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d)", (int)key);
	return exec(db, sql, e);
}

/* Identity columns do not advance when a restore inserts explicit ids:
 * move each table's sequence past its largest id. */
static int after_restore(struct db *db, const char *table, struct err *e)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE(MAX(id), 0) + 1, false)"
		 " FROM %s",
		 table, table);
	return exec(db, sql, e);
}

/* The cluster's current snapshot (xmin:xmax:in-progress xids): equal text
 * means no transaction that wrote committed or began writing in between,
 * on any server of the database. */
static int state(struct db *db, char *buf, size_t cap, struct err *e)
{
	PGresult *r = PQexec(db->conn, "SELECT pg_current_snapshot()::text");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		err_set(e, CAIRN_ESTORE, NULL, "snapshot: %s", PQerrorMessage(db->conn));
		PQclear(r);
		return -1;
	}
	const char *v = PQgetvalue(r, 0, 0);
	if (strlen(v) < cap)
		memcpy(buf, v, strlen(v) + 1);
	else if (cap)
		buf[0] = '\0';
	PQclear(r);
	return 1;
}

/* Room for n more bytes in c's buffer. */
static int copy_room(struct copy_table *c, size_t n)
{
	if (c->len + n <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 1 << 16;
	while (cap < c->len + n)
		cap *= 2;
	char *nb = realloc(c->buf, cap);
	if (!nb)
		return -1;
	c->buf = nb;
	c->cap = cap;
	return 0;
}

/* One value in COPY's text format: \N for NULL; a backslash and the
 * characters that end a value or a row escaped (every other byte, UTF-8
 * included, stands for itself). */
static int copy_value(struct copy_table *c, const struct db_param *p)
{
	if (p->type == DB_INT) {
		if (copy_room(c, 24))
			return -1;
		c->len += (size_t)snprintf(c->buf + c->len, 24, "%lld", (long long)p->i);
		return 0;
	}
	if (p->type != DB_TEXT || !p->s) {
		if (copy_room(c, 2))
			return -1;
		memcpy(c->buf + c->len, "\\N", 2);
		c->len += 2;
		return 0;
	}
	size_t n = strlen(p->s);
	if (copy_room(c, 2 * n))
		return -1;
	char *o = c->buf + c->len;
	for (const char *s = p->s; *s; s++) {
		char esc = *s == '\\' ? '\\' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : *s == '\t' ? 't' : 0;
		if (esc) {
			*o++ = '\\';
			*o++ = esc;
		} else {
			*o++ = *s;
		}
	}
	c->len = (size_t)(o - c->buf);
	return 0;
}

/* The slot of copy_sql's table, taken on its first row. */
static struct copy_table *copy_slot(struct db *db, const char *copy_sql, struct err *e)
{
	struct copy_table *free_slot = NULL;
	for (int k = 0; k < COPY_TABLES; k++) {
		struct copy_table *c = &db->copy[k];
		if (c->sql && strcmp(c->sql, copy_sql) == 0)
			return c;
		if (!c->sql && !free_slot)
			free_slot = c;
	}
	const char *t = copy_sql;
	if (strncasecmp(t, "COPY ", 5) != 0 || !free_slot) {
		err_set(e, CAIRN_EINTERNAL, NULL, "copy: not a COPY statement, or too many tables");
		return NULL;
	}
	t += 5;
	size_t n = 0;
	while (ident_char(t[n]))
		n++;
	if (!n || n >= sizeof free_slot->name) {
		err_set(e, CAIRN_EINTERNAL, NULL, "copy: no table name");
		return NULL;
	}
	if (!(free_slot->sql = strdup(copy_sql))) {
		err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	memcpy(free_slot->name, t, n);
	free_slot->name[n] = '\0';
	return free_slot;
}

static int copy_row(struct db *db, const char *copy_sql, const struct db_param *p, int np,
		    struct err *e)
{
	if (!db->in_tx)
		return err_set(e, CAIRN_EINTERNAL, NULL, "copy: rows need a transaction");
	struct copy_table *c = copy_slot(db, copy_sql, e);
	if (!c)
		return e ? e->code : CAIRN_EINTERNAL;
	size_t before = c->len;
	for (int k = 0; k < np; k++) {
		/* values apart by a tab, the row ended by a newline */
		if (copy_value(c, &p[k]) || copy_room(c, 1)) {
			c->len = before;
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		c->buf[c->len++] = k + 1 < np ? '\t' : '\n';
	}
	db->copy_bytes += c->len - before;
	return db->copy_bytes >= COPY_FLUSH_BYTES ? copy_send(db, e) : 0;
}

const struct db_driver db_pg_driver = {
	.version = DB_DRIVER_VERSION,
	.name = "postgres",
	.accepts = accepts,
	.open = open_db,
	.close = close_db,
	.exec = exec,
	.begin = begin,
	.commit = commit,
	.rollback = rollback,
	.query = query,
	.next = next,
	.is_null = is_null,
	.get_int = get_int,
	.get_text = get_text,
	.get_double = get_double,
	.changes = changes,
	.finish = finish,
	.word = word,
	.lock = lock,
	.after_restore = after_restore,
	.state = state,
	.copy_row = copy_row,
};
