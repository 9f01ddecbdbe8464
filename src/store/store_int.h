/*
 * store_int.h — private to src/store/: the connection struct and the small
 * query helpers shared by store_sql.c (domain operations) and
 * store_dump.c (backup and restore).
 */
#ifndef CAIRN_STORE_INT_H
#define CAIRN_STORE_INT_H

#include <stdlib.h>

#include "core/search.h"
#include "core/triage.h"
#include "store/db.h"
#include "store/store.h"

/* Private issues (type security) are visible to privileged roles and to
 * their reporter.  The number is the stored value of ISSUE_SECURITY. */
#define SECURITY_TYPE "6"
_Static_assert(ISSUE_SECURITY == 6, "SECURITY_TYPE must match ISSUE_SECURITY");
/* The one statement of the rule, for viewers who do not see every issue
 * (the issue table aliased "i"): PRIVATE_RULE_HEAD <their user id>
 * PRIVATE_RULE_TAIL.  Every query that reads issues for a user goes
 * through it (get, list, counts, links, the backlog). */
#define PRIVATE_RULE_HEAD "(i.type <> " SECURITY_TYPE " OR i.reporter_id = "
#define PRIVATE_RULE_TAIL ")"
/* Issue i is in the triage inbox (core/triage.h, issue_in_inbox). */
#define IN_INBOX                                                                      \
	"i.state = 0 AND (i.board = 0 OR EXISTS (SELECT 1 FROM issue_labels l"         \
	" WHERE l.issue_id = i.id AND l.label = '" INBOX_LABEL "'))"

struct restore_parent {
	int64_t number, parent;
};

struct store {
	const struct db_driver *drv;
	struct db *db;
	/* issue parents seen during a restore, linked at the end */
	struct restore_parent *parents;
	size_t nparents, cap_parents;
	int writing; /* in a write transaction */
	int search_queued; /* search index changes wait for the commit (store_search.c) */
	char seen[24]; /* the connection's last data token (store_state) */
	char *url; /* as opened: which database (store_same_db) */
	/* a bulk load (store_bulk.c): on, the issue id it loads after, and
	 * the CREATE statements it dropped */
	int bulk;
	int64_t bulk_from;
	int64_t bulk_number; /* the last issue number handed out */
	char **bulk_sql;
	size_t bulk_n;
	/* a bulk load through the driver's copy_row (PostgreSQL's COPY,
	 * store_bulk_pg.c): on, and the issue ids taken from the sequence */
	int copy;
	int64_t *copy_ids;
	size_t copy_nids, copy_next;
	/* what a parent check reads of the issues it wrote, numbers from
	 * copy_first on (store_issue_link) */
	struct copy_link *copy_links;
	int64_t copy_first;
	size_t copy_nlinks, copy_caplinks;
	/* users it looked up by login (store_user_by_login) */
	struct user *copy_users;
	size_t copy_nusers, copy_capusers;
	/* settings it read (store_setting_get) */
	struct copy_setting *copy_settings;
	size_t copy_nsettings, copy_capsettings;
	int bulk_journal; /* SQLite: switched to a rollback journal (store_bulk_open) */
	struct bulk_buf *bulk_buf; /* SQLite: rows waiting for a multi-row INSERT */
};

/* ---- a bulk load through COPY (store_bulk_pg.c) ------------------------------ */

/* One new row: insert_sql run now, or, during a bulk load that copies,
 * the same values as a row of copy_sql (db_driver.copy_row). */
int store_insert_row(struct store *s, const char *insert_sql, const char *copy_sql,
		     const struct db_param *p, int np, struct err *e);
/* The id of the next issue a copying bulk load writes. */
int store_copy_id(struct store *s, int64_t *id, struct err *e);
/* Remember what store_issue_link reads of an issue being written. */
int store_copy_note(struct store *s, const struct issue *i, struct err *e);
/* store_issue_link for an issue the load wrote: 0 (type and parent set),
 * -1 when v may not see it, 1 when the load did not write it. */
int store_copy_link(struct store *s, int64_t number, const struct visibility *v,
		    enum issue_type *type, int64_t *parent);
/* A user a copying load looked up by login before: 0 (out set), or 1;
 * and keep one found. */
int store_copy_user(struct store *s, const char *login, struct user *out);
void store_copy_user_keep(struct store *s, const struct user *u);
/* A setting a copying load read before: 0 (*found and buf set, as
 * store_setting_get), or 1; and keep one read or written (value NULL: none). */
int store_copy_setting(struct store *s, const char *name, char *buf, size_t cap, int *found);
void store_copy_setting_keep(struct store *s, const char *name, const char *value);
/* Begin, end and forget the copying part of a bulk load (store_bulk.c). */
void store_copy_begin(struct store *s);
/* Drop the indexes a load into an empty table makes again at its end,
 * their CREATE statements kept in s->bulk_sql. */
int store_copy_defer(struct store *s, struct err *e);
int store_copy_end(struct store *s, struct err *e);
void store_copy_forget(struct store *s);


/* During a SQLite bulk load (s->bulk_buf set), a row of one of these tables
 * waits to go in with others (store_bulk.c); p holds the table's columns in
 * the order of its INSERT. */
enum bulk_table { BULK_ISSUES, BULK_LABELS, BULK_HISTORY, BULK_SCOPE, BULK_TABLES };
int store_bulk_row(struct store *s, enum bulk_table t, const struct db_param *p, struct err *e);
/* An issue's row (p: its ISSUE_INSERT_COLS), given its id (i->id). */
int store_bulk_issue(struct store *s, struct issue *i, const struct db_param *p, struct err *e);
/* store_issue_link over the issues waiting: 0, CAIRN_ENOTFOUND (one the
 * viewer may not see), or -1 (not waiting: ask the database). */
int store_bulk_issue_link(struct store *s, int64_t number, const struct visibility *v,
			  enum issue_type *type, int64_t *parent);

/* The columns of a new issue's row, in the order store_issue_insert binds
 * them, and the places of those store_bulk_issue_link reads. */
#define ISSUE_INSERT_COLS                                                              \
	"number, type, title, body, state, priority, pm_size, size, parent_number,"    \
	" assignee_id, reporter_id, created_at, updated_at, closed_at, version,"       \
	" title_fold, body_html, board, bug_severity, cvss, cvss_score, severity,"     \
	" fix_by, triaged_at, duplicate_of, close_reason, rice_reach, rice_impact,"     \
	" rice_confidence, dev_status, board_position, dev_position, milestone_id,"    \
	" area_id, started_at, expected_day, done_at, dod"
#define ISSUE_INSERT_N 38
enum { ISSUE_COL_NUMBER = 0, ISSUE_COL_TYPE = 1, ISSUE_COL_PARENT = 8, ISSUE_COL_REPORTER = 10 };

/* The INSERT ... SELECT that fills search_docs from issues aliased i
 * (store_search.c); a caller may append a WHERE. */
const char *store_search_fill_sql(const struct store *s);

/* Make room for item n of a malloc'd array of elem-sized items (doubling
 * *cap).  0, or -1 on allocation failure (the array is left as it was). */
static inline int store_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? 2 * *cap : 32;
	void *na = realloc(*arr, nc * elem);
	if (!na)
		return -1;
	*arr = na;
	*cap = nc;
	return 0;
}

/* Run a statement to completion; *changes (optional) gets rows changed. */
int store_run(struct store *s, const char *sql, const struct db_param *p, int np,
	      int64_t *changes, struct err *e);
/* First column of the first row as an integer; CAIRN_ENOTFOUND if no row. */
int store_one_int(struct store *s, const char *sql, const struct db_param *p, int np,
		  int64_t *out, struct err *e);

/* Every row of sql into a malloc'd array of elem-sized items: read fills
 * one (zeroed) item and returns nonzero when out of memory; on failure
 * release frees what was read and *out is NULL. */
typedef int (*row_fn)(struct store *s, struct db_rows *r, void *item);
typedef void (*release_fn)(void *items, size_t n);
int store_collect(struct store *s, const char *sql, const struct db_param *p, int np, size_t elem,
		  row_fn read, release_fn release, void **out, size_t *n, struct err *e);
/* '%word%' over the case-folded word, LIKE's wildcards escaped by '\\'
 * (use with ESCAPE '\\'); caller frees; NULL when out of memory. */
char *store_like_pattern(const char *word);
/* release_fn for arrays that own nothing. */
void store_free_items(void *items, size_t n);

/* The columns of a user (table aliased u), read by store_read_user. */
#define USER_COLS "u.id, u.login, u.name, u.role, u.created_at, COALESCE(u.disabled_at, 0)"
#define USER_NCOLS 6
void store_read_user(struct store *s, struct db_rows *r, int col, struct user *u);
/* Run a query expected to yield at most one user row (columns USER_COLS
 * first, then an optional text column copied into extra); missing is the
 * code when there is no row. */
int store_one_user(struct store *s, const char *sql, const struct db_param *p, int np,
		   struct user *out, char *extra, size_t extra_cap, enum cairn_rc missing,
		   struct err *e);

/* History rows (id, actor login, at, field, old, new) of sql with $1 = id. */
int store_history_read(struct store *s, const char *sql, int64_t id, struct history_list *out,
		       struct err *e);

/* The private-issue rule over issues aliased i for the reader in $1 ($2 =
 * 1: they see every issue). */
#define READER_SEES "(" PRIVATE_RULE_HEAD "$1" PRIVATE_RULE_TAIL " OR $2 = 1)"
/* A notification n with its issue i and actor a, read by
 * store_read_notification into a struct notification (store_notify.c). */
#define NOTIFICATION_COLS \
	"n.id, i.number, i.title, n.kind, a.login, n.at, COALESCE(n.read_at, 0), n.detail"
int store_read_notification(struct store *s, struct db_rows *r, void *item);
/* ---- full-text search (store_search.c; issue #17) ---------------------------- */

/* Migration 18's SQL for drv's dialect (the {{SEARCH_SCHEMA}} token). */
const char *store_search_schema(const struct db_driver *drv);

/* How a backend says the parts of a search, around its query text. */
struct search_sql {
	/* a condition on issue i: in_head $N in_tail */
	const char *in_head, *in_tail;
	/* a ranked source of (sid, score), aliased f, lower score first */
	const char *from_head, *from_tail;
	/* the matches from the index alone: count_head $N count_tail */
	const char *count_head, *count_tail;
	/* the issues (aliased i) whose ids a JSON array names, looked up one by
	 * one from the array: ids_head $N ids_tail */
	const char *ids_head, *ids_tail;
};

/* The free words of a list query, compiled for this backend. */
struct search_plan {
	int active;  /* words were given */
	int none;    /* ...but no term: nothing matches */
	char *match; /* owned: the backend's query text, bound as one parameter */
	struct search_terms terms; /* owned: what the snippets mark */
	const struct search_sql *sql; /* borrowed, static */
};
int store_search_plan(struct store *s, char *const *words, int nwords, struct search_plan *p,
		      struct err *e);
void store_search_plan_release(struct search_plan *p);
/* Set items[k].snippet (HTML, or NULL) for a page that p matched. */
int store_search_snippets(struct store *s, const struct search_plan *p, struct issue *items,
			  size_t n, struct err *e);
/* Keep search_docs in step: a new issue, an issue's title and body (a
 * no-op when neither changed), the comments of a comment's issue. */
int store_search_issue_insert(struct store *s, int64_t id, const char *title, const char *body,
			      struct err *e);
int store_search_issue_update(struct store *s, int64_t id, const char *title, const char *body,
			      struct err *e);
int store_search_comments(struct store *s, int64_t comment_id, struct err *e);
/* Apply the index changes queued by the writes above (store_commit calls
 * it before committing). */
int store_search_flush(struct store *s, struct err *e);

#endif
