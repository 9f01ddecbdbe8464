/*
 * db_sqlite.c — the SQLite driver (the embedded default).
 *
 * Each connection runs in WAL mode with foreign keys on and a busy
 * timeout, and keeps a small cache of prepared statements keyed by SQL
 * text.  `$N` placeholders are SQLite named parameters; they are bound
 * by name so their order in the text does not matter.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"
#include "store/db.h"

#define CACHE_SLOTS 96

struct cached {
	char *sql; /* owned copy, NULL = empty slot */
	uint64_t hash;
	sqlite3_stmt *stmt;
	int in_use;
	int in_order; /* $1..$n sit at indexes 1..n (checked once, at prepare) */
	const char *from; /* the caller's text at its last use (compared, never trusted) */
	uint64_t last_used;
};

struct db {
	sqlite3 *h;
	struct cached cache[CACHE_SLOTS];
	uint64_t tick;
	/* the wal-index (the -shm file's first page) once mapped, for state();
	 * shm_tried once the mapping was asked for */
	volatile const unsigned char *shm;
	int shm_tried;
};

struct db_rows {
	struct db *db;
	sqlite3_stmt *stmt;
	struct cached *slot; /* NULL when the statement is not cached */
	int done;
	int64_t changes;
};

static int accepts(const char *url)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		return 1;
	return strstr(url, "://") == NULL;
}

static int map_rc(sqlite3 *h, int rc, struct err *e)
{
	int ext = h ? sqlite3_extended_errcode(h) : rc;
	const char *msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return err_set(e, CAIRN_ECONFLICT, NULL, "already exists (%s)", msg);
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(e, CAIRN_EINVALID, NULL, "refers to something that does not exist");
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return err_set(e, CAIRN_EBUSY, NULL, "database is busy, try again");
	if ((rc & 0xff) == SQLITE_NOMEM)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_FULL ||
	    (rc & 0xff) == SQLITE_IOERR) {
		char why[160];
		snprintf(why, sizeof why, "%s",
			 (rc & 0xff) == SQLITE_READONLY ? "the database is read-only"
			 : (rc & 0xff) == SQLITE_FULL	? "the disk holding the database is full"
							: "the database cannot be written (I/O error)");
		db_degraded_note(why);
		return err_set(e, CAIRN_EUNAVAIL, NULL, "%s: %s", why, msg);
	}
	return err_set(e, CAIRN_ESTORE, NULL, "sqlite: %s", msg);
}

/* A statement that may change the journal mode may close the WAL, and its
 * wal-index mapping with it (state() maps it again when it is asked). */
static void journal_guard(struct db *db, const char *sql)
{
	if (db->shm_tried && strstr(sql, "journal_mode")) {
		db->shm = NULL;
		db->shm_tried = 0;
	}
}

static int exec(struct db *db, const char *sql, struct err *e)
{
	journal_guard(db, sql);
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : map_rc(db->h, rc, e);
}

static void close_db(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(db->cache[i].stmt);
		free(db->cache[i].sql);
	}
	sqlite3_close_v2(db->h);
	free(db);
}

/* ---- cairn_rank: the search's relevance (store_search.c) ---------------------- */

/* cairn_rank(fts, w0, w1, ...): for each term of the query, the weights of
 * the columns it occurs in, summed and negated ("lower is better", as
 * bm25).  Where a term occurs, not how often nor in how long a text, so
 * no column size is read: bm25 looks up each match's sizes in the index's
 * docsize table: at a million issues, 40 ms of CPU for the 24,000 matches
 * of "csv export*" in the sqlite3 shell; this takes 15 (issue #17). */
static void cairn_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		       int nargs, sqlite3_value **args)
{
	double score = 0;
	int nphrases = api->xPhraseCount(fts);
	for (int p = 0; p < nphrases; p++) {
		Fts5PhraseIter it;
		int col;
		for (api->xPhraseFirstColumn(fts, p, &it, &col); col >= 0;
		     api->xPhraseNextColumn(fts, &it, &col))
			if (col < nargs)
				score += sqlite3_value_double(args[col]);
	}
	sqlite3_result_double(ctx, -score);
}

/* FTS5's extension interface for h, NULL without FTS5. */
static fts5_api *fts5_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return api;
}

static int add_functions(struct db *db, struct err *e)
{
	fts5_api *api = fts5_of(db->h);
	if (!api || api->iVersion < 2 ||
	    api->xCreateFunction(api, "cairn_rank", NULL, cairn_rank, NULL) != SQLITE_OK)
		return err_set(e, CAIRN_ESTORE, NULL, "SQLite without FTS5 (full-text search)");
	return 0;
}

static int open_db(const char *url, struct db **out, struct err *e)
{
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	/* a new database file is the owner's alone (0600): it holds password
	 * hashes and private issues; SQLite gives its -wal and -shm files the
	 * same mode */
	if (strcmp(path, ":memory:") && strncmp(path, "file:", 5)) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	int rc = sqlite3_open_v2(path, &db->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, CAIRN_ESTORE, NULL, "cannot open %s: %s", path,
			db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		close_db(db);
		return CAIRN_ESTORE;
	}
	sqlite3_busy_timeout(db->h, 5000);
	sqlite3_extended_result_codes(db->h, 1);
	rc = exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
		      "PRAGMA synchronous=NORMAL;", e);
	if (!rc)
		rc = add_functions(db, e);
	if (rc) {
		close_db(db);
		return rc;
	}
	*out = db;
	return 0;
}

static int begin(struct db *db, int write, struct err *e)
{
	return exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN", e);
}

static int commit(struct db *db, struct err *e)
{
	return exec(db, "COMMIT", e);
}

static void rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* "$n" into name (16 bytes), without printf: a bulk load binds millions. */
static void param_name(int n, char *name)
{
	char digits[12];
	int k = 0;
	do
		digits[k++] = (char)('0' + n % 10);
	while ((n /= 10) && k < 11);
	*name++ = '$';
	while (k)
		*name++ = digits[--k];
	*name = '\0';
}

/* Find a free cached statement for sql, or prepare one into the least
 * recently used free slot.  *slot is NULL when every slot is busy and
 * the statement must be finalized after use. */
static int prepare(struct db *db, const char *sql, sqlite3_stmt **stmt, struct cached **slot,
		   struct err *e)
{
	/* the same text at the same address as the last use of a slot (a
	 * literal, most often): one strcmp, not a hash of the text (hashing
	 * byte by byte was 3 % of a bulk load) */
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cached *c = &db->cache[i];
		if (c->from == sql && c->sql && !c->in_use && strcmp(c->sql, sql) == 0) {
			c->in_use = 1;
			c->last_used = ++db->tick;
			*stmt = c->stmt;
			*slot = c;
			return 0;
		}
	}
	uint64_t h = hash_bytes(sql, strlen(sql));
	struct cached *victim = NULL;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cached *c = &db->cache[i];
		if (c->sql && !c->in_use && c->hash == h && strcmp(c->sql, sql) == 0) {
			c->in_use = 1;
			c->from = sql;
			c->last_used = ++db->tick;
			*stmt = c->stmt;
			*slot = c;
			return 0;
		}
		if (!c->in_use && (!victim || !c->sql || (victim->sql && c->last_used < victim->last_used)))
			victim = c;
	}
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
	if (rc != SQLITE_OK)
		return map_rc(db->h, rc, e);
	*slot = NULL;
	int in_order = 1;
	for (int i = 1, n = sqlite3_bind_parameter_count(*stmt); i <= n && in_order; i++) {
		char name[16];
		const char *at = sqlite3_bind_parameter_name(*stmt, i);
		param_name(i, name);
		in_order = at && !strcmp(at, name);
	}
	if (victim) {
		char *copy = strdup(sql);
		if (copy) {
			sqlite3_finalize(victim->stmt);
			free(victim->sql);
			victim->sql = copy;
			victim->hash = h;
			victim->stmt = *stmt;
			victim->in_use = 1;
			victim->in_order = in_order;
			victim->from = sql;
			victim->last_used = ++db->tick;
			*slot = victim;
		}
	}
	return 0;
}

static void release_stmt(struct db_rows *r)
{
	if (r->slot) { /* every use binds every parameter again (query) */
		sqlite3_reset(r->stmt);
		r->slot->in_use = 0;
	} else {
		sqlite3_finalize(r->stmt);
	}
	r->stmt = NULL;
}

static int query(struct db *db, const char *sql, const struct db_param *p, int np,
		 struct db_rows **out, struct err *e)
{
	struct db_rows *r = calloc(1, sizeof *r);
	if (!r)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	r->db = db;
	journal_guard(db, sql);
	int rc = prepare(db, sql, &r->stmt, &r->slot, e);
	if (rc) {
		free(r);
		return rc;
	}
	/* Every parameter given must be used and every placeholder bound: a
	 * mismatch is a bug in the caller, never something to paper over. */
	if (sqlite3_bind_parameter_count(r->stmt) != np) {
		rc = err_set(e, CAIRN_EINTERNAL, NULL, "statement takes %d parameters, got %d",
			     sqlite3_bind_parameter_count(r->stmt), np);
		release_stmt(r);
		free(r);
		return rc;
	}
	int in_order = r->slot && r->slot->in_order;
	for (int i = 0; i < np; i++) {
		char name[16];
		int idx = i + 1;
		/* $1..$n in order of first use sit at indexes 1..n (known for a
		 * cached statement; the name lookup walks a list) */
		if (!in_order) {
			param_name(i + 1, name);
			const char *at = sqlite3_bind_parameter_name(r->stmt, i + 1);
			idx = at && strcmp(at, name) == 0 ? i + 1 : sqlite3_bind_parameter_index(r->stmt, name);
		}
		if (idx == 0) {
			rc = err_set(e, CAIRN_EINTERNAL, NULL, "statement has no $%d", i + 1);
			release_stmt(r);
			free(r);
			return rc;
		}
		int brc;
		switch (p[i].type) {
		case DB_INT:
			brc = sqlite3_bind_int64(r->stmt, idx, p[i].i);
			break;
		case DB_TEXT:
			brc = sqlite3_bind_text(r->stmt, idx, p[i].s, -1, SQLITE_TRANSIENT);
			break;
		default:
			brc = sqlite3_bind_null(r->stmt, idx);
		}
		if (brc != SQLITE_OK) {
			rc = map_rc(db->h, brc, e);
			release_stmt(r);
			free(r);
			return rc;
		}
	}
	*out = r;
	return 0;
}

static int next(struct db_rows *r, int *row, struct err *e)
{
	*row = 0;
	if (r->done)
		return 0;
	int rc = sqlite3_step(r->stmt);
	if (rc == SQLITE_ROW) {
		*row = 1;
		return 0;
	}
	r->done = 1;
	if (rc == SQLITE_DONE) {
		r->changes = sqlite3_changes64(r->db->h);
		return 0;
	}
	rc = map_rc(r->db->h, rc, e);
	return rc;
}

static int is_null(struct db_rows *r, int col)
{
	return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static int64_t get_int(struct db_rows *r, int col)
{
	return sqlite3_column_int64(r->stmt, col);
}

static const char *get_text(struct db_rows *r, int col)
{
	return (const char *)sqlite3_column_text(r->stmt, col);
}

static double get_double(struct db_rows *r, int col)
{
	return sqlite3_column_double(r->stmt, col);
}

static int64_t changes(struct db_rows *r)
{
	return r->changes;
}

static void finish(struct db_rows *r)
{
	if (!r)
		return;
	release_stmt(r);
	free(r);
}

static const char *word(enum db_word w)
{
	switch (w) {
	case DB_W_ID:
		return "INTEGER PRIMARY KEY";
	case DB_W_BINARY:
		return "BINARY";
	case DB_W_FOR_UPDATE:
	case DB_W_LOCK_ROW:
		return ""; /* BEGIN IMMEDIATE: the writer holds the database */
	}
	return "";
}

/* BEGIN IMMEDIATE already serializes every writer. */
static int lock(struct db *db, enum db_lock key, struct err *e)
{
	(void)db, (void)key, (void)e;
	return 0;
}

/* INTEGER PRIMARY KEY continues after the largest id by itself. */
static int after_restore(struct db *db, const char *table, struct err *e)
{
	(void)db, (void)table, (void)e;
	return 0;
}

/* The wal-index header (https://sqlite.org/walformat.html, "The WAL-Index
 * Header"): 48 bytes, kept twice at the start of the -shm file that every
 * connection of every process maps.  A commit rewrites it (its change
 * counter, last frame, checksums; a restarted log its salts) before the
 * commit returns, the second copy first, so two equal copies read first to
 * second are one committed state, and equal headers mean no commit in
 * between, by any connection or process.  On a torn read (a writer between
 * the two copies) or a header not yet built, 0: the caller asks the pager. */
#define WAL_HDR 48

static const unsigned char *wal_index(struct db *db)
{
	if (!db->shm_tried) {
		sqlite3_file *f = NULL;
		volatile void *p = NULL;
		sqlite3_stmt *stmt = NULL;
		int wal = 0;
		db->shm_tried = 1;
		/* only a database in WAL mode has a wal-index: mapping one would
		 * otherwise create a -shm file */
		if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
		    sqlite3_step(stmt) == SQLITE_ROW)
			wal = !strcmp((const char *)sqlite3_column_text(stmt, 0), "wal");
		sqlite3_finalize(stmt);
		if (wal &&
		    sqlite3_file_control(db->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) == SQLITE_OK &&
		    f && f->pMethods && f->pMethods->iVersion >= 2 && f->pMethods->xShmMap &&
		    f->pMethods->xShmMap(f, 0, 32768, 0, &p) == SQLITE_OK)
			db->shm = p;
	}
	return (const unsigned char *)db->shm;
}

static int wal_header(struct db *db, char *buf, size_t cap)
{
	const volatile unsigned char *h = wal_index(db);
	unsigned char a[WAL_HDR], b[WAL_HDR];
	if (!h || cap < 2 * WAL_HDR + 2)
		return 0;
	for (int k = 0; k < WAL_HDR; k++)
		a[k] = h[k];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int k = 0; k < WAL_HDR; k++)
		b[k] = h[WAL_HDR + k];
	if (memcmp(a, b, WAL_HDR) || !a[12]) /* torn, or isInit not set */
		return 0;
	static const char hex[] = "0123456789abcdef";
	buf[0] = 'w';
	for (int k = 0; k < WAL_HDR; k++) {
		buf[1 + 2 * k] = hex[a[k] >> 4];
		buf[2 + 2 * k] = hex[a[k] & 15];
	}
	buf[1 + 2 * WAL_HDR] = '\0';
	return 1;
}

/* The wal-index header when it reads whole (equal for every connection);
 * else the pager's data version after a read of the header: it moves with
 * every commit to the file, this connection's own included (PRAGMA
 * data_version alone misses those), and other processes' (the CLI writing
 * beside a server). */
static int state(struct db *db, char *buf, size_t cap, struct err *e)
{
	if (db->shm_tried && wal_header(db, buf, cap))
		return 1;
	sqlite3_stmt *stmt;
	struct cached *slot;
	unsigned v = 0;
	int rc = prepare(db, "PRAGMA data_version", &stmt, &slot, e);
	if (rc)
		return -1;
	rc = sqlite3_step(stmt);
	if (slot) {
		sqlite3_reset(stmt);
		slot->in_use = 0;
	} else {
		sqlite3_finalize(stmt);
	}
	if (rc != SQLITE_ROW) {
		map_rc(db->h, rc, e);
		return -1;
	}
	if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) {
		err_set(e, CAIRN_ESTORE, NULL, "no data version");
		return -1;
	}
	snprintf(buf, cap, "%u", v);
	if (!db->shm_tried) /* after the first read: the log is open */
		(void)wal_index(db);
	return 0;
}

const struct db_driver db_sqlite_driver = {
	.version = DB_DRIVER_VERSION,
	.name = "sqlite",
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
};
