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

static void forget(struct store *s)
{
	for (size_t k = 0; k < s->bulk_n; k++)
		free(s->bulk_sql[k]);
	free(s->bulk_sql);
	s->bulk_sql = NULL;
	s->bulk_n = 0;
	s->bulk = 0;
	store_copy_forget(s);
}

void store_bulk_reset(struct store *s)
{
	struct err e;
	if (s->bulk && is_sqlite(s)) /* the cache as it was (store_bulk_begin) */
		(void)s->drv->exec(s->db, "PRAGMA cache_size = -2000", &e);
	forget(s);
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
	/* a cache that holds the load's pages spares writing them out twice */
	if (is_sqlite(s) && ((rc = s->drv->exec(s->db, "PRAGMA cache_size = -262144", e)) ||
			     (rc = sqlite_defer(s, e)))) {
		forget(s);
		return rc;
	}
	s->bulk = 1;
	store_copy_begin(s); /* PostgreSQL: the rows go with COPY (store_bulk_pg.c) */
	if ((rc = store_copy_defer(s, e)))
		forget(s);
	return rc;
}

int store_bulk_end(struct store *s, struct err *e)
{
	int rc = 0;
	if (!s->bulk)
		return 0;
	s->bulk = 0;
	struct db_param n[] = {P_INT(s->bulk_number)};
	if ((s->copy && (rc = store_copy_end(s, e))) ||
	    (rc = store_run(s, "UPDATE counters SET value = $1 WHERE name = 'issue'", n, 1, NULL, e))) {
		forget(s);
		return rc;
	}
	struct db_param p[] = {P_INT(s->bulk_from)};
	char sql[2048];
	snprintf(sql, sizeof sql, "%s WHERE i.id > $1", store_search_fill_sql(s));
	if (!(rc = store_run(s, sql, p, 1, NULL, e)) && is_sqlite(s))
		rc = store_run(s, "INSERT INTO issue_fts (issue_fts) VALUES ('rebuild')", NULL, 0, NULL,
			       e);
	for (size_t k = 0; k < s->bulk_n && !rc; k++)
		rc = s->drv->exec(s->db, s->bulk_sql[k], e);
	if (!rc && is_sqlite(s))
		rc = s->drv->exec(s->db, "PRAGMA cache_size = -2000", e);
	forget(s);
	return rc;
}
