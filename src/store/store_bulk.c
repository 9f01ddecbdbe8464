/*
 * store_bulk.c — the bulk load of many new issues (issue #17: the demo and
 * imports), inside one write transaction of the service's.
 *
 * While a bulk load is on, the store writes each issue's own rows (the
 * issue, its labels, its history, its milestone scope) and nothing derived
 * from them: no search_docs row (store_issue_insert), and the service
 * keeps neither roll-ups nor the board tally per row.  store_bulk_end
 * derives all of it once, in the same transaction:
 *   search_docs for every issue loaded (one INSERT ... SELECT), and on
 *     SQLite the FTS5 index rebuilt in one pass instead of a segment merge
 *     per batch (the trigger that feeds it row by row is off meanwhile);
 *   on SQLite the secondary indexes of issues, labels, history and scope.
 * DDL is transactional on both backends, so a failed or killed load rolls
 * back to the database as it was, indexes and triggers included.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* What a SQLite bulk load drops and makes again at its end, from their own
 * CREATE statements: the secondary indexes of the tables it writes (a sort
 * per index at the end instead of a B-tree insert per row and index: 20 on
 * issues alone), and the trigger that queues each new search row for the
 * FTS5 index (rebuilt in one pass instead). */
#define DEFERRED_WHERE                                                                     \
	" FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN"    \
	" ('issues', 'issue_labels', 'history', 'milestone_scope')) OR (type = 'trigger'"  \
	" AND name = 'search_docs_ai')) ORDER BY type, name"
#define SQLITE_DEFERRED "SELECT sql" DEFERRED_WHERE
#define SQLITE_DROP "SELECT type, name" DEFERRED_WHERE

static int is_sqlite(const struct store *s)
{
	return strcmp(s->drv->name, "sqlite") == 0;
}

/* ---- rows gathered into multi-row INSERTs (SQLite) -------------------------
 * On SQLite the loaded issues and their labels, history and scope rows wait
 * here and go in ROWS at a time, one statement for many rows instead of one
 * each (a statement's fixed cost, binding, stepping and resetting, was most
 * of such a row's).  An issue gets its id here: the one SQLite would give
 * (the largest so far + 1).  The order of every table's rows is kept, so
 * ids are the same as row by row, and an issue goes in before the rows that
 * refer to it: the other tables go in, ROWS rows a statement, after each
 * statement of issues.  The one read of loaded issues during the load (a
 * parent's type and parent: store_issue_link) looks here first.  A row
 * refused by the database (a constraint) is reported when its statement
 * runs, a few rows later. */
#define ROWS 50
#define CAP 2000 /* rows waiting in one of the other tables, at most */

static const struct {
	const char *head;
	int ncols;
} bulk_tables[BULK_TABLES] = {
	[BULK_ISSUES] = {"INSERT INTO issues (" ISSUE_INSERT_COLS ", id) VALUES ", ISSUE_INSERT_N + 1},
	[BULK_LABELS] = {"INSERT INTO issue_labels (issue_id, label) VALUES ", 2},
	[BULK_HISTORY] = {"INSERT INTO history (issue_id, actor_id, at, field, old_value, new_value)"
			  " VALUES ", 6},
	[BULK_SCOPE] = {"INSERT INTO milestone_scope (milestone_id, issue_id, added_at, removed_at,"
			" slip_reason, done_at, points) VALUES ", 7},
};

struct tbuf {
	struct db_param *p;
	char **owned; /* the copies of p's texts */
	int rows, cap;
	char *sql; /* the statement for ROWS rows */
};

struct bulk_buf {
	struct tbuf t[BULK_TABLES];
	int64_t id; /* the last issue id given */
};

/* Forget rows [0, n) of b (gone in, or given up), the rest moved down. */
static void buf_drop(struct tbuf *b, int nc, int n)
{
	for (int k = 0; k < n * nc; k++)
		free(b->owned[k]);
	memmove(b->p, b->p + n * nc, (size_t)(b->rows - n) * nc * sizeof *b->p);
	memmove(b->owned, b->owned + n * nc, (size_t)(b->rows - n) * nc * sizeof *b->owned);
	memset(b->owned + (b->rows - n) * nc, 0, (size_t)n * nc * sizeof *b->owned);
	b->rows -= n;
	/* the moved texts are where their copies are */
	for (int k = 0; k < b->rows * nc; k++)
		if (b->owned[k])
			b->p[k].s = b->owned[k];
}

static void buf_free(struct bulk_buf *b)
{
	if (!b)
		return;
	for (int t = 0; t < BULK_TABLES; t++) {
		struct tbuf *x = &b->t[t];
		if (x->owned)
			buf_drop(x, bulk_tables[t].ncols, x->rows);
		free(x->p);
		free(x->owned);
		free(x->sql);
	}
	free(b);
}

/* INSERT ... VALUES ($1, ..), ($n+1, ..), .. for rows rows of table t. */
static char *values_sql(int t, int rows)
{
	int nc = bulk_tables[t].ncols;
	size_t cap = strlen(bulk_tables[t].head) + (size_t)rows * nc * 10 + 8, len;
	char *sql = malloc(cap);
	if (!sql)
		return NULL;
	len = (size_t)snprintf(sql, cap, "%s", bulk_tables[t].head);
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < nc; c++)
			len += (size_t)snprintf(sql + len, cap - len, "%s$%d%s", c ? "" : r ? ", (" : "(",
						r * nc + c + 1, c + 1 < nc ? ", " : ")");
	return sql;
}

/* The first n rows of table t in one statement. */
static int buf_put(struct store *s, int t, int n, struct err *e)
{
	struct tbuf *b = &s->bulk_buf->t[t];
	int nc = bulk_tables[t].ncols, rc;
	char *sql = n == ROWS ? b->sql : values_sql(t, n);
	if (!sql)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	rc = store_run(s, sql, b->p, n * nc, NULL, e);
	if (sql != b->sql)
		free(sql);
	buf_drop(b, nc, n);
	return rc;
}

/* Every issue waiting, then of the other tables what fills statements
 * (all: every row). */
static int buf_flush(struct store *s, int all, struct err *e)
{
	struct bulk_buf *b = s->bulk_buf;
	int rc = 0;
	if (b->t[BULK_ISSUES].rows)
		rc = buf_put(s, BULK_ISSUES, b->t[BULK_ISSUES].rows, e);
	for (int t = BULK_ISSUES + 1; t < BULK_TABLES && !rc; t++) {
		while (!rc && b->t[t].rows >= ROWS)
			rc = buf_put(s, t, ROWS, e);
		if (!rc && all && b->t[t].rows)
			rc = buf_put(s, t, b->t[t].rows, e);
	}
	return rc;
}

static int buf_flush_all(struct store *s, struct err *e)
{
	return s->bulk_buf ? buf_flush(s, 1, e) : 0;
}

int store_bulk_row(struct store *s, enum bulk_table t, const struct db_param *p, struct err *e)
{
	struct tbuf *b = &s->bulk_buf->t[t];
	int nc = bulk_tables[t].ncols, at = b->rows * nc;
	if (t != BULK_ISSUES && b->rows == CAP) { /* the issues they need go first */
		int rc = buf_flush(s, 1, e);
		if (rc)
			return rc;
		at = 0;
	}
	for (int c = 0; c < nc; c++) {
		b->p[at + c] = p[c];
		if (p[c].type == DB_TEXT && !(b->p[at + c].s = b->owned[at + c] = strdup(p[c].s))) {
			b->rows++; /* what was copied is freed with the rest */
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
	}
	b->rows++;
	return t == BULK_ISSUES && b->rows == ROWS ? buf_flush(s, 0, e) : 0;
}

int store_bulk_issue(struct store *s, struct issue *i, const struct db_param *p, struct err *e)
{
	struct db_param row[ISSUE_INSERT_N + 1];
	memcpy(row, p, ISSUE_INSERT_N * sizeof *p);
	i->id = ++s->bulk_buf->id;
	row[ISSUE_INSERT_N] = P_INT(i->id);
	return store_bulk_row(s, BULK_ISSUES, row, e);
}

int store_bulk_issue_link(struct store *s, int64_t number, const struct visibility *v,
			  enum issue_type *type, int64_t *parent)
{
	struct tbuf *b = &s->bulk_buf->t[BULK_ISSUES];
	int nc = bulk_tables[BULK_ISSUES].ncols;
	for (int r = 0; r < b->rows; r++) {
		const struct db_param *q = &b->p[r * nc];
		if (q[ISSUE_COL_NUMBER].i != number)
			continue;
		/* the private rule as PRIVATE_RULE_HEAD says it */
		if (!v->all_private && q[ISSUE_COL_TYPE].i == ISSUE_SECURITY &&
		    (q[ISSUE_COL_REPORTER].type != DB_INT || q[ISSUE_COL_REPORTER].i != v->user_id))
			return CAIRN_ENOTFOUND;
		*type = (enum issue_type)q[ISSUE_COL_TYPE].i;
		*parent = q[ISSUE_COL_PARENT].type == DB_INT ? q[ISSUE_COL_PARENT].i : 0;
		return 0;
	}
	return -1;
}

static int buf_new(struct store *s, struct err *e)
{
	struct bulk_buf *b = calloc(1, sizeof *b);
	if (!(s->bulk_buf = b))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	b->id = s->bulk_from;
	for (int t = 0; t < BULK_TABLES; t++) {
		struct tbuf *x = &b->t[t];
		size_t n = (size_t)(t == BULK_ISSUES ? ROWS : CAP) * bulk_tables[t].ncols;
		x->cap = t == BULK_ISSUES ? ROWS : CAP;
		if (!(x->p = calloc(n, sizeof *x->p)) || !(x->owned = calloc(n, sizeof *x->owned)) ||
		    !(x->sql = values_sql(t, ROWS)))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	return 0;
}

static void forget(struct store *s)
{
	buf_free(s->bulk_buf);
	s->bulk_buf = NULL;
	for (size_t k = 0; k < s->bulk_n; k++)
		free(s->bulk_sql[k]);
	free(s->bulk_sql);
	s->bulk_sql = NULL;
	s->bulk_n = 0;
	s->bulk = 0;
	store_copy_forget(s);
}

/* The connection's settings as they were before store_bulk_begin. */
#define SQLITE_SETTLE "PRAGMA cache_size = -2000; PRAGMA mmap_size = 0"

void store_bulk_reset(struct store *s)
{
	struct err e;
	if (s->bulk && is_sqlite(s))
		(void)s->drv->exec(s->db, SQLITE_SETTLE, &e);
	forget(s);
}

/* A load into SQLite writes its pages once, into the database file, under
 * a rollback journal: in WAL mode every page of the load went to the WAL
 * first (a cache spill appends a page again each time it changes) and
 * was copied into the file at the checkpoint, and every read looked the
 * page up in the WAL's index first.  The journal holds the pages the load
 * overwrites (a new database's few): a load killed half-way leaves a hot
 * journal that the next open rolls back, the database as it was.
 * synchronous=FULL while it lasts: the journal is synced before the file
 * is written.  While another connection has the database open (a server)
 * it stays in WAL mode (the switch answers "busy") and the load goes
 * through the WAL as before; a connection opening it during the load is
 * refused as busy (its own switch to WAL needs the lock). */
int store_bulk_open(struct store *s, struct err *e)
{
	struct db_rows *r;
	struct err busy;
	int row, rc;
	s->bulk_journal = 0;
	if (!is_sqlite(s) || s->writing)
		return 0;
	/* busy: another connection has the database open */
	if (s->drv->query(s->db, "PRAGMA journal_mode = DELETE", NULL, 0, &r, &busy))
		return 0;
	rc = s->drv->next(r, &row, &busy);
	s->bulk_journal = !rc && row && !strcmp(s->drv->get_text(r, 0), "delete");
	s->drv->finish(r);
	return s->bulk_journal ? s->drv->exec(s->db, "PRAGMA synchronous = FULL", e) : 0;
}

void store_bulk_close(struct store *s)
{
	struct err e;
	if (s->bulk_journal && !s->writing)
		(void)s->drv->exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", &e);
	s->bulk_journal = 0;
}

int store_bulk_on(const struct store *s)
{
	return s->bulk;
}

static int read_sql(struct store *s, struct db_rows *r, void *item)
{
	char **sql = item;
	const char *t = s->drv->get_text(r, 0);
	return !(*sql = strdup(t ? t : ""));
}

static void free_sql(void *items, size_t n)
{
	char **v = items;
	for (size_t k = 0; k < n; k++)
		free(v[k]);
}

/* Drop what SQLITE_DEFERRED lists, its CREATE statements kept. */
static int sqlite_defer(struct store *s, struct err *e)
{
	void *got = NULL;
	size_t n = 0;
	int rc = store_collect(s, SQLITE_DEFERRED, NULL, 0, sizeof(char *), read_sql, free_sql,
			       &got, &n, e);
	if (rc)
		return rc;
	s->bulk_sql = got;
	s->bulk_n = n;
	struct db_rows *r;
	int row;
	char **drops = calloc(n + 1, sizeof *drops);
	size_t nd = 0;
	if (!drops)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	if (!(rc = s->drv->query(s->db, SQLITE_DROP, NULL, 0, &r, e))) {
		while (!(rc = s->drv->next(r, &row, e)) && row && nd < n) {
			const char *type = s->drv->get_text(r, 0), *name = s->drv->get_text(r, 1);
			size_t len = strlen(type) + strlen(name) + 32;
			if (!(drops[nd] = malloc(len))) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			/* names are the schema's own (migrations.c), never user text */
			snprintf(drops[nd++], len, "DROP %s \"%s\"", !strcmp(type, "index") ? "INDEX" : "TRIGGER",
				 name);
		}
		s->drv->finish(r);
	}
	for (size_t k = 0; k < nd; k++) {
		if (!rc)
			rc = s->drv->exec(s->db, drops[k], e);
		free(drops[k]);
	}
	free(drops);
	return rc;
}

int store_bulk_begin(struct store *s, struct err *e)
{
	int rc;
	if (!s->writing)
		return err_set(e, CAIRN_EINTERNAL, NULL, "a bulk load needs a write transaction");
	forget(s);
	if ((rc = store_one_int(s, "SELECT COALESCE(MAX(id), 0) FROM issues", NULL, 0, &s->bulk_from,
				e)))
		return rc;
	/* the issue counter, locked until the commit as each create would
	 * lock it, counted here and written back once (store_bulk_end) */
	if ((rc = store_one_int(s, "UPDATE counters SET value = value WHERE name = 'issue' RETURNING value",
				NULL, 0, &s->bulk_number, e)))
		return rc;
	/* a cache that holds the load's pages spares writing them out twice;
	 * the file mapped, a page that was spilled is read back without a copy
	 * (each index build below reads all of issues again) */
	if (is_sqlite(s) && ((rc = s->drv->exec(s->db, "PRAGMA cache_size = -262144;"
						    " PRAGMA mmap_size = 17179869184", e)) ||
			     (rc = sqlite_defer(s, e)) || (rc = buf_new(s, e)))) {
		forget(s);
		return rc;
	}
	s->bulk = 1;
	store_copy_begin(s); /* PostgreSQL: the rows go with COPY (store_bulk_pg.c) */
	if ((rc = store_copy_defer(s, e)))
		forget(s);
	return rc;
}

/* The FTS5 index in one pass.  FTS5 gathers terms in a hash and writes a
 * segment whenever it holds "hashsize" bytes (1 MB by default), then
 * merges the segments again and again as they pile up: a hash the size of
 * the load's text makes few segments and spares most of the merging.  The
 * setting goes back to its default after. */
static int fts_rebuild(struct store *s, struct err *e)
{
	int rc = store_run(s, "INSERT INTO issue_fts (issue_fts, rank) VALUES ('hashsize', 268435456)",
			   NULL, 0, NULL, e);
	if (!rc)
		rc = store_run(s, "INSERT INTO issue_fts (issue_fts) VALUES ('rebuild')", NULL, 0, NULL, e);
	if (!rc)
		rc = store_run(s, "INSERT INTO issue_fts (issue_fts, rank) VALUES ('hashsize', 1048576)",
			       NULL, 0, NULL, e);
	return rc;
}

int store_bulk_end(struct store *s, struct err *e)
{
	int rc = 0;
	if (!s->bulk)
		return 0;
	s->bulk = 0;
	struct db_param n[] = {P_INT(s->bulk_number)};
	if ((s->copy && (rc = store_copy_end(s, e))) || (rc = buf_flush_all(s, e)) ||
	    (rc = store_run(s, "UPDATE counters SET value = $1 WHERE name = 'issue'", n, 1, NULL, e))) {
		forget(s);
		return rc;
	}
	struct db_param p[] = {P_INT(s->bulk_from)};
	char sql[2048];
	snprintf(sql, sizeof sql, "%s WHERE i.id > $1", store_search_fill_sql(s));
	if (!(rc = store_run(s, sql, p, 1, NULL, e)) && is_sqlite(s))
		rc = fts_rebuild(s, e);
	for (size_t k = 0; k < s->bulk_n && !rc; k++)
		rc = s->drv->exec(s->db, s->bulk_sql[k], e);
	if (!rc && is_sqlite(s))
		rc = s->drv->exec(s->db, SQLITE_SETTLE, e);
	forget(s);
	return rc;
}
