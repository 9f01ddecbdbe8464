/*
 * store_search.c — full-text search over issues (issue #17), one query
 * language on both backends (core/search.h).
 *
 * search_docs holds per issue the text that is searched: its title, its
 * body, and the bodies of its live comments joined (capped at
 * SEARCH_COMMENTS_MAX characters).  It is derived (not in backups) and
 * kept in step by the store's issue and comment writes; a restore rebuilds
 * it (store_search_rebuild).
 *   SQLite: issue_fts, an FTS5 table with search_docs as its external
 *     content (so the text is stored once more, not twice), kept in step
 *     by triggers on search_docs; ranked by cairn_rank (db_sqlite.c): per
 *     term, the title counts 10, the body 4, the comments 2 (bm25 read
 *     every match's column sizes: too slow at a million issues).
 *   PostgreSQL: a generated tsvector column (title weight A, body B,
 *     comments C) with a GIN index; ts_rank.
 * Both split text at everything but letters and digits (unicode61 without
 * diacritics removal; PostgreSQL's "simple" configuration over the text
 * with non-alphanumerics replaced by spaces), so the same query finds the
 * same issues.  Ranking scales differ: score is "lower is better" on both
 * (-cairn_rank, -ts_rank), ties go newest first.  Snippets are cut in C from
 * search_docs (core/search.h), the same on both and cheaper than FTS5's
 * snippet(), which evaluates the whole query again for each row.
 */
#include <stdio.h>
#include <string.h>

#include "core/search.h"
#include "store/store_int.h"

#define SEARCH_COMMENTS_MAX "100000"

/* Text as search_docs holds it: the snippet markers (core/search.h) a
 * user may have typed become spaces, so only the backend's marks remain. */
#define SQLITE_CLEAN(x) "replace(replace(" x ", char(1), ' '), char(2), ' ')"
#define PG_CLEAN(x) "translate(" x ", chr(1) || chr(2), '  ')"

/* The live comments of issue i (aliased "i"), joined by spaces. */
#define SQLITE_COMMENTS                                                                  \
	"COALESCE((SELECT " SQLITE_CLEAN("substr(group_concat(c.body, ' '), 1, "         \
	SEARCH_COMMENTS_MAX ")") " FROM (SELECT body FROM issue_comments"                 \
	" WHERE issue_id = i.id AND deleted_at IS NULL ORDER BY id) c), '')"
#define PG_COMMENTS                                                                      \
	"COALESCE((SELECT " PG_CLEAN("substr(string_agg(c.body, ' ' ORDER BY c.id), 1, " \
	SEARCH_COMMENTS_MAX ")") " FROM issue_comments c WHERE c.issue_id = i.id"          \
	" AND c.deleted_at IS NULL), '')"

/* SQLite: the triggers queue each change of search_docs in search_queue,
 * and the store applies the queue to issue_fts in one statement before
 * each commit (store_search_flush).  FTS5 writes its pending terms out at
 * every statement, so an index write per statement made a segment per
 * issue: 37 µs an issue in a batch of 5,000 creates against 10 µs queued.
 * A 'delete' needs the values as they were indexed: old.* at the time. */
#define FTS_INSERT                                                           \
	"INSERT INTO search_queue (cmd, doc, title, body, comments) VALUES" \
	" (NULL, new.issue_id, new.title, new.body, new.comments);"
#define FTS_DELETE                                                           \
	"INSERT INTO search_queue (cmd, doc, title, body, comments) VALUES" \
	" ('delete', old.issue_id, old.title, old.body, old.comments);"
#define SQLITE_FLUSH                                                                      \
	"INSERT INTO issue_fts (issue_fts, rowid, title, body, comments)"                \
	" SELECT cmd, doc, title, body, comments FROM search_queue ORDER BY seq"

#define SQLITE_FILL                                                                       \
	"INSERT INTO search_docs (issue_id, title, body, comments)"                      \
	" SELECT i.id, " SQLITE_CLEAN("i.title") ", " SQLITE_CLEAN("i.body") ", " SQLITE_COMMENTS \
	" FROM issues i"
#define PG_FILL                                                                           \
	"INSERT INTO search_docs (issue_id, title, body, comments)"                      \
	" SELECT i.id, " PG_CLEAN("i.title") ", " PG_CLEAN("i.body") ", " PG_COMMENTS     \
	" FROM issues i"

/* Migration 18: the tables, filled from the existing issues. */
static const char sqlite_schema[] =
	"CREATE TABLE search_docs ("
	" issue_id INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,"
	" title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',"
	" comments TEXT NOT NULL DEFAULT '');"
	"CREATE VIRTUAL TABLE issue_fts USING fts5(title, body, comments,"
	" content='search_docs', content_rowid='issue_id',"
	" tokenize='unicode61 remove_diacritics 0');"
	SQLITE_FILL ";"
	/* one pass over the content beats a trigger per row */
	"INSERT INTO issue_fts (issue_fts) VALUES ('rebuild');"
	"CREATE TABLE search_queue (seq INTEGER PRIMARY KEY, cmd TEXT, doc INTEGER NOT NULL,"
	" title TEXT, body TEXT, comments TEXT);"
	"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN " FTS_INSERT " END;"
	"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN " FTS_DELETE " END;"
	"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN " FTS_DELETE FTS_INSERT
	" END;";

#define PG_TSV(col, w) \
	"setweight(to_tsvector('simple', regexp_replace(" col ", '[^[:alnum:]]+', ' ', 'g')), '" w "')"
static const char pg_schema[] =
	"CREATE TABLE search_docs ("
	" issue_id BIGINT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,"
	" title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',"
	" comments TEXT NOT NULL DEFAULT '',"
	" tsv tsvector GENERATED ALWAYS AS (" PG_TSV("title", "A") " || " PG_TSV("body", "B")
	" || " PG_TSV("comments", "C") ") STORED);"
	PG_FILL ";"
	"CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);";

/* How one backend says each part of a search. */
struct dialect {
	const char *driver; /* db_driver.name */
	const char *schema;
	const char *comments; /* the joined comments of issue i */
	const char *fill;     /* search_docs from every issue */
	struct search_sql sql;
	const char *flush; /* before a commit: the queued index changes (or NULL) */
	char quote;         /* around a term */
	const char *and;    /* between terms */
	const char *prefix; /* after the last term when it is a prefix */
};

static const struct dialect dialects[] = {
	{"sqlite", sqlite_schema, SQLITE_COMMENTS, SQLITE_FILL,
	 {"i.id IN (SELECT rowid FROM issue_fts WHERE issue_fts MATCH ", ")",
	 "(SELECT rowid AS sid, cairn_rank(issue_fts, 10.0, 4.0, 2.0) AS score FROM issue_fts"
	 " WHERE issue_fts MATCH ", ") f",
	 "SELECT 1 FROM issue_fts WHERE issue_fts MATCH ", "",
	 /* CROSS JOIN keeps the array outside: a filter's index (is:open)
	  * would otherwise walk every open issue and probe the array */
	 "json_each(", ") j CROSS JOIN issues i ON i.id = j.value"},
	 SQLITE_FLUSH, '"', " ", "*"},
	{"postgres", pg_schema, PG_COMMENTS, PG_FILL,
	 {"i.id IN (SELECT issue_id FROM search_docs WHERE tsv @@ to_tsquery('simple', ", "))",
	 "(SELECT d.issue_id AS sid, -ts_rank(d.tsv, q) AS score FROM search_docs d,"
	 " to_tsquery('simple', ", ") q WHERE d.tsv @@ q) f",
	 "SELECT 1 FROM search_docs WHERE tsv @@ to_tsquery('simple', ", ")",
	 "json_array_elements_text(CAST(", " AS json)) j(v) JOIN issues i ON i.id = CAST(j.v AS BIGINT)"},
	 NULL, '\'', " & ", ":*"},
};

static const struct dialect *dialect_of(const struct db_driver *drv)
{
	for (size_t k = 0; k < sizeof dialects / sizeof dialects[0]; k++)
		if (strcmp(dialects[k].driver, drv->name) == 0)
			return &dialects[k];
	return NULL;
}

const char *store_search_schema(const struct db_driver *drv)
{
	const struct dialect *d = dialect_of(drv);
	return d ? d->schema : "";
}

/* ---- queries ----------------------------------------------------------------- */

/* The backend's query text for the terms: each quoted (a term is letters
 * and digits only, so it holds no quote or operator), all required. */
static char *match_text(const struct dialect *d, const struct search_terms *t)
{
	size_t cap = 8, n = 0;
	for (size_t k = 0; k < t->n; k++)
		cap += strlen(t->terms[k]) + 8;
	char *m = malloc(cap);
	if (!m)
		return NULL;
	for (size_t k = 0; k < t->n; k++)
		n += (size_t)snprintf(m + n, cap - n, "%s%c%s%c%s", k ? d->and : "", d->quote,
				      t->terms[k], d->quote,
				      k + 1 == t->n && t->prefix ? d->prefix : "");
	return m;
}

int store_search_plan(struct store *s, char *const *words, int nwords, struct search_plan *p,
		      struct err *e)
{
	memset(p, 0, sizeof *p);
	if (nwords == 0)
		return 0;
	const struct dialect *d = dialect_of(s->drv);
	if (!d)
		return err_set(e, CAIRN_EINTERNAL, NULL, "no full-text search on %s", s->drv->name);
	if (search_terms_split(words, nwords, &p->terms))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	p->active = 1;
	p->none = p->terms.n == 0;
	p->sql = &d->sql;
	if (!p->none && !(p->match = match_text(d, &p->terms))) {
		store_search_plan_release(p);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	return 0;
}

void store_search_plan_release(struct search_plan *p)
{
	free(p->match);
	search_terms_release(&p->terms);
	memset(p, 0, sizeof *p);
}

int store_search_snippets(struct store *s, const struct search_plan *p, struct issue *items,
			  size_t n, struct err *e)
{
	if (!p->match)
		return 0;
	for (size_t k = 0; k < n; k++) {
		struct db_param prm[] = {P_INT(items[k].id)};
		struct db_rows *r;
		int row, rc = s->drv->query(s->db,
					    "SELECT body, comments FROM search_docs WHERE issue_id = $1",
					    prm, 1, &r, e);
		if (rc)
			return rc;
		if (!(rc = s->drv->next(r, &row, e)) && row) {
			/* the body's passage, else the comments' */
			char *raw = search_snippet_raw(s->drv->get_text(r, 0), &p->terms);
			if (!raw)
				raw = search_snippet_raw(s->drv->get_text(r, 1), &p->terms);
			free(items[k].snippet);
			items[k].snippet = search_snippet_html(raw);
			free(raw);
		}
		s->drv->finish(r);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- writes ------------------------------------------------------------------- */

int store_search_flush(struct store *s, struct err *e)
{
	const struct dialect *d = dialect_of(s->drv);
	s->search_queued = 0;
	if (!d || !d->flush)
		return 0;
	/* two cached statements (a script would be prepared every time) */
	int rc = store_run(s, d->flush, NULL, 0, NULL, e);
	return rc ? rc : store_run(s, "DELETE FROM search_queue", NULL, 0, NULL, e);
}

/* After a write to search_docs that changed `changed` rows: their index
 * changes wait for the commit; outside a transaction they are applied now. */
static int queued(struct store *s, int rc, int64_t changed, struct err *e)
{
	if (rc || !changed)
		return rc;
	if (s->writing) {
		s->search_queued = 1;
		return 0;
	}
	return store_search_flush(s, e);
}

/* A copy of s with the snippet markers turned into spaces; NULL when out
 * of memory. */
static char *clean(const char *s)
{
	char *c = strdup(s ? s : "");
	for (char *p = c; p && *p; p++)
		if (*p == SEARCH_MARK_ON || *p == SEARCH_MARK_OFF)
			*p = ' ';
	return c;
}

/* Run sql with $1 = id, $2 = title, $3 = body, both cleaned. */
static int write_doc(struct store *s, const char *sql, int64_t id, const char *title,
		     const char *body, struct err *e)
{
	char *t = clean(title), *b = clean(body);
	int64_t changed = 0;
	int rc;
	if (!t || !b) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	} else {
		struct db_param p[] = {P_INT(id), P_TEXT(t), P_TEXT(b)};
		rc = store_run(s, sql, p, 3, &changed, e);
	}
	free(t);
	free(b);
	return queued(s, rc, changed, e);
}

int store_search_issue_insert(struct store *s, int64_t id, const char *title, const char *body,
			      struct err *e)
{
	return write_doc(s, "INSERT INTO search_docs (issue_id, title, body) VALUES ($1, $2, $3)", id,
			 title, body, e);
}

int store_search_issue_update(struct store *s, int64_t id, const char *title, const char *body,
			      struct err *e)
{
	/* most updates move an issue on a board: its text, and the index,
	 * stay as they are */
	return write_doc(s,
			 "UPDATE search_docs SET title = $2, body = $3"
			 " WHERE issue_id = $1 AND (title <> $2 OR body <> $3)",
			 id, title, body, e);
}

int store_search_comments(struct store *s, int64_t comment_id, struct err *e)
{
	const struct dialect *d = dialect_of(s->drv);
	char sql[1024];
	if (!d)
		return 0;
	snprintf(sql, sizeof sql,
		 "UPDATE search_docs SET comments = (SELECT %s FROM issues i WHERE i.id = search_docs.issue_id)"
		 " WHERE issue_id = (SELECT issue_id FROM issue_comments WHERE id = $1)",
		 d->comments);
	struct db_param p[] = {P_INT(comment_id)};
	int64_t changed = 0;
	int rc = store_run(s, sql, p, 1, &changed, e);
	return queued(s, rc, changed, e);
}

const char *store_search_fill_sql(const struct store *s)
{
	const struct dialect *d = dialect_of(s->drv);
	return d ? d->fill : "SELECT 1 WHERE 0 = 1";
}

int store_search_rebuild(struct store *s, struct err *e)
{
	const struct dialect *d = dialect_of(s->drv);
	if (!d)
		return 0;
	int rc = store_run(s, "DELETE FROM search_docs", NULL, 0, NULL, e);
	if (!rc)
		rc = store_run(s, d->fill, NULL, 0, NULL, e);
	return queued(s, rc, 1, e);
}
