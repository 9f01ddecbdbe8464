/*
 * store_sql.c — the domain operations of store.h, written once in portable
 * SQL with bound `$N` parameters and run through the driver chosen by the
 * database URL.  No user text is ever spliced into SQL: dynamic queries
 * (the issue list) are assembled from fixed fragments, with every value
 * bound as a parameter.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/timeutil.h"
#include "core/triage.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/store_int.h"


static const struct db_driver *const drivers[] = {
	&db_pg_driver, /* postgres:// and postgresql:// */
	&db_sqlite_driver, /* sqlite:PATH or a bare path */
};

/* ---- small helpers ------------------------------------------------------ */

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int store_run(struct store *s, const char *sql, const struct db_param *p, int np,
	       int64_t *changes, struct err *e)
{
	struct db_rows *r;
	int row, rc = s->drv->query(s->db, sql, p, np, &r, e);
	if (rc)
		return rc;
	do
		rc = s->drv->next(r, &row, e);
	while (!rc && row);
	if (!rc && changes)
		*changes = s->drv->changes(r);
	s->drv->finish(r);
	return rc;
}

int store_one_int(struct store *s, const char *sql, const struct db_param *p, int np,
		   int64_t *out, struct err *e)
{
	struct db_rows *r;
	int row, rc = s->drv->query(s->db, sql, p, np, &r, e);
	if (rc)
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_ENOTFOUND, NULL, "not found");
	if (!rc)
		*out = s->drv->get_int(r, 0);
	s->drv->finish(r);
	return rc;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* ---- connection and schema ---------------------------------------------- */

int store_open(const char *url, struct store **out, struct err *e)
{
	if (!url || !*url)
		return err_set(e, CAIRN_EUSAGE, "db", "no database given (--db or CAIRN_DB)");
	for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
		if (!drivers[i]->accepts(url))
			continue;
		struct store *s = calloc(1, sizeof *s);
		if (!s)
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		s->drv = drivers[i];
		int rc = s->drv->open(url, &s->db, e);
		if (rc) {
			free(s);
			return rc;
		}
		if (!(s->url = strdup(url))) {
			store_close(s);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		*out = s;
		return 0;
	}
	return err_set(e, CAIRN_EUSAGE, "db",
		       "unsupported database URL (use sqlite:PATH, a path, or postgres://...)");
}

void store_close(struct store *s)
{
	if (!s)
		return;
	s->drv->close(s->db);
	free(s->parents);
	free(s->url);
	free(s);
}

const char *store_backend(const struct store *s)
{
	return s->drv->name;
}

int store_schema_latest(void)
{
	return migrations[migrations_count - 1].version;
}

/* Replace {{WORD}} tokens with the driver's dialect words; caller frees. */
static char *translate(const struct db_driver *drv, const char *sql)
{
	static const struct {
		const char *token;
		enum db_word w;
		const char *(*expand)(const struct db_driver *drv); /* instead of w */
	} words[] = {{"{{ID}}", DB_W_ID, NULL},
		     {"{{SEARCH_SCHEMA}}", DB_W_ID, store_search_schema}};
	size_t cap = strlen(sql) * 2 + 1024 + strlen(store_search_schema(drv)), n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (const char *p = sql; *p;) {
		int matched = 0;
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
			size_t tl = strlen(words[i].token);
			if (strncmp(p, words[i].token, tl) == 0) {
				const char *w = words[i].expand ? words[i].expand(drv)
								: drv->word(words[i].w);
				size_t wl = strlen(w);
				if (n + wl + 1 >= cap)
					goto overflow;
				memcpy(out + n, w, wl);
				n += wl;
				p += tl;
				matched = 1;
				break;
			}
		}
		if (!matched) {
			if (n + 2 >= cap)
				goto overflow;
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
overflow:
	free(out);
	return NULL;
}

static int current_version(struct store *s, int *version, struct err *e)
{
	int64_t v = 0;
	int rc = s->drv->exec(s->db,
			      "CREATE TABLE IF NOT EXISTS schema_migrations ("
			      " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
			      " applied_at BIGINT NOT NULL)",
			      e);
	if (rc)
		return rc;
	rc = store_one_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v, e);
	*version = (int)v;
	return rc;
}

int store_migrate(struct store *s, struct err *e)
{
	int version, rc;
	rc = store_begin(s, 1, e);
	if (rc)
		return rc;
	rc = s->drv->lock(s->db, DB_LOCK_MIGRATIONS, e);
	if (!rc)
		rc = current_version(s, &version, e);
	if (rc)
		goto out;
	if (version > store_schema_latest()) {
		rc = err_set(e, CAIRN_ESCHEMA, NULL,
			     "database schema %d is newer than this cairn (knows %d); upgrade cairn",
			     version, store_schema_latest());
		goto out;
	}
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		if (m->version <= version)
			continue;
		char *sql = translate(s->drv, m->sql);
		if (!sql) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		rc = s->drv->exec(s->db, sql, e);
		free(sql);
		if (rc)
			goto out;
		struct db_param p[] = {P_INT(m->version), P_TEXT(m->name), P_INT(now_ms())};
		rc = store_run(s,
			 "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			 p, 3, NULL, e);
		if (rc)
			goto out;
	}
	rc = store_commit(s, e);
	return rc;
out:
	store_rollback(s);
	return rc;
}

int store_check_schema(struct store *s, int *version, struct err *e)
{
	int64_t v = 0;
	int rc = store_one_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v,
			 e);
	if (rc == CAIRN_EBUSY || rc == CAIRN_ENOMEM)
		return rc; /* the database is unreachable, not uninitialized */
	if (rc) {
		err_clear(e);
		return err_set(e, CAIRN_ESTORE, "db", "database is not initialized: run cairn init");
	}
	*version = (int)v;
	if (v > store_schema_latest())
		return err_set(e, CAIRN_ESCHEMA, "db",
			       "database schema %d is newer than this cairn (knows %d); upgrade cairn",
			       (int)v, store_schema_latest());
	if (v < store_schema_latest())
		return err_set(e, CAIRN_ESTORE, "db",
			       "database schema %d is older than %d: run cairn init to migrate",
			       (int)v, store_schema_latest());
	return 0;
}

/* ---- transactions --------------------------------------------------------- */

/* ---- a database that cannot be written ---------------------------------------------- */

static pthread_mutex_t degraded_mu = PTHREAD_MUTEX_INITIALIZER;
static char degraded_reason[160];

void db_degraded_note(const char *reason)
{
	pthread_mutex_lock(&degraded_mu);
	snprintf(degraded_reason, sizeof degraded_reason, "%s", reason);
	pthread_mutex_unlock(&degraded_mu);
}

void db_degraded_clear(void)
{
	pthread_mutex_lock(&degraded_mu);
	degraded_reason[0] = '\0';
	pthread_mutex_unlock(&degraded_mu);
}

int db_degraded(char *reason, size_t cap)
{
	pthread_mutex_lock(&degraded_mu);
	int on = degraded_reason[0] != '\0';
	snprintf(reason, cap, "%s", degraded_reason);
	pthread_mutex_unlock(&degraded_mu);
	return on;
}

int store_degraded(char *reason, size_t cap)
{
	return db_degraded(reason, cap);
}

/* SQLite's data version only compares with the same connection's earlier
 * ones, so the token is a process-wide generation that a connection moves
 * on when its data version has moved since it last looked.  The generation
 * is read before the look: a reply stored under generation g was then
 * computed after g began, and a commit is seen (and g moved on) by every
 * connection's next look after it. */
static _Atomic uint64_t generation = 1;

void store_state(struct store *s, char *buf, size_t cap)
{
	struct err e;
	uint64_t g = atomic_load(&generation);
	err_clear(&e);
	buf[0] = '\0';
	int global = s->drv->state ? s->drv->state(s->db, buf, cap, &e) : -1;
	if (global != 0) {
		if (global < 0)
			buf[0] = '\0'; /* no token: nothing is reused */
		return;
	}
	if (strcmp(buf, s->seen)) {
		snprintf(s->seen, sizeof s->seen, "%s", buf);
		g = atomic_fetch_add(&generation, 1) + 1;
	}
	snprintf(buf, cap, "g%llu", (unsigned long long)g);
}

int store_begin(struct store *s, int write, struct err *e)
{
	int rc = s->drv->begin(s->db, write, e);
	s->writing = !rc && write;
	return rc;
}

int store_commit(struct store *s, struct err *e)
{
	int rc = s->search_queued ? store_search_flush(s, e) : 0;
	if (rc)
		return rc;
	rc = s->drv->commit(s->db, e);
	if (!rc && s->writing)
		db_degraded_clear(); /* a write went through: writable again */
	s->writing = 0;
	return rc;
}

void store_rollback(struct store *s)
{
	s->search_queued = 0;
	store_bulk_reset(s); /* what it dropped comes back with the rollback */
	s->drv->rollback(s->db);
}

/* One savepoint at a time: group commit puts each write in its own.  A
 * rolled-back write's queued search changes go with it (search_queue is a
 * table), so search_queued may stay set: the flush then finds less. */
int store_savepoint(struct store *s, struct err *e)
{
	return s->drv->exec(s->db, "SAVEPOINT one_write", e);
}

int store_release(struct store *s, struct err *e)
{
	return s->drv->exec(s->db, "RELEASE one_write", e);
}

int store_rollback_to(struct store *s, struct err *e)
{
	return s->drv->exec(s->db, "ROLLBACK TO one_write; RELEASE one_write", e);
}

int store_group_commit(const struct store *s)
{
	/* an in-memory database is one per connection: nothing to share */
	return !strcmp(s->drv->name, "sqlite") && !strstr(s->url, ":memory:") &&
	       !strstr(s->url, "mode=memory");
}

int store_writer_tune(struct store *s, int cache_kib, struct err *e)
{
	char sql[128];
	if (strcmp(s->drv->name, "sqlite"))
		return 0;
	/* temp_store: each write of a group runs in its SAVEPOINT, whose
	 * journal (the pages it changes, ~100 KiB for a create) spilled past
	 * 64 KiB to a temp file made, written and unlinked once a group:
	 * 80 % of the writer's pwrites.  In memory it is a copy. */
	snprintf(sql, sizeof sql,
		 "PRAGMA cache_size=-%d; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY", cache_kib);
	return s->drv->exec(s->db, sql, e);
}

int store_same_db(const struct store *a, const struct store *b)
{
	return a->drv == b->drv && !strcmp(a->url, b->url);
}

/* ---- users, tokens, sessions ------------------------------------------------ */

void store_read_user(struct store *s, struct db_rows *r, int col, struct user *u)
{
	u->id = s->drv->get_int(r, col);
	copy_text(u->login, sizeof u->login, s->drv->get_text(r, col + 1));
	copy_text(u->name, sizeof u->name, s->drv->get_text(r, col + 2));
	u->role = (enum role)s->drv->get_int(r, col + 3);
	u->created_at = s->drv->get_int(r, col + 4);
	u->disabled_at = s->drv->get_int(r, col + 5);
	u->scope = SCOPE_ALL;
}

int store_one_user(struct store *s, const char *sql, const struct db_param *p, int np,
		   struct user *out, char *extra, size_t extra_cap, enum cairn_rc missing,
		   struct err *e)
{
	struct db_rows *r;
	int row, rc = s->drv->query(s->db, sql, p, np, &r, e);
	if (rc)
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, missing, NULL,
			     missing == CAIRN_EUNAUTH ? "invalid or expired credentials" : "no such user");
	if (!rc) {
		store_read_user(s, r, 0, out);
		if (extra)
			copy_text(extra, extra_cap, s->drv->get_text(r, USER_NCOLS));
	}
	s->drv->finish(r);
	return rc;
}

int store_user_insert(struct store *s, struct user *u, const char *pwhash, int64_t now,
		      struct err *e)
{
	struct db_param p[] = {P_TEXT(u->login), P_TEXT(u->name), P_INT(u->role), P_TEXT(pwhash),
			       P_INT(now)};
	int rc = store_one_int(s,
			 "INSERT INTO users (login, name, role, password_hash, created_at)"
			 " VALUES ($1, $2, $3, $4, $5) RETURNING id",
			 p, 5, &u->id, e);
	if (rc == CAIRN_ECONFLICT)
		return err_set(e, CAIRN_ECONFLICT, "login", "login '%s' is taken", u->login);
	u->created_at = now;
	return rc;
}

int store_user_by_login(struct store *s, const char *login, struct user *out, char *pwhash,
			size_t pwhash_cap, struct err *e)
{
	struct db_param p[] = {P_TEXT(login)};
	/* a copying bulk load looks each assignee up once (store_bulk_pg.c) */
	int cache = s->copy && !pwhash, rc;
	if (cache && store_copy_user(s, login, out) == 0)
		return 0;
	rc = store_one_user(s, "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.login = $1",
			    p, 1, out, pwhash, pwhash_cap, CAIRN_ENOTFOUND, e);
	if (cache && !rc)
		store_copy_user_keep(s, out);
	return rc;
}

int store_user_first_admin(struct store *s, struct user *out, struct err *e)
{
	struct db_param p[] = {P_INT(ROLE_ADMIN)};
	return store_one_user(s, "SELECT " USER_COLS " FROM users u WHERE u.role = $1 ORDER BY u.id LIMIT 1",
			p, 1, out, NULL, 0, CAIRN_ENOTFOUND, e);
}

int store_user_list(struct store *s, struct user **out, size_t *n, struct err *e)
{
	struct db_rows *r;
	size_t cap = 16;
	int row, rc;
	*out = NULL;
	*n = 0;
	struct user *v = malloc(cap * sizeof *v);
	if (!v)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	rc = s->drv->query(s->db, "SELECT " USER_COLS " FROM users u ORDER BY u.login", NULL, 0, &r,
			   e);
	if (rc) {
		free(v);
		return rc;
	}
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (*n == cap) {
			struct user *nv = realloc(v, 2 * cap * sizeof *v);
			if (!nv) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			v = nv;
			cap *= 2;
		}
		store_read_user(s, r, 0, &v[(*n)++]);
	}
	s->drv->finish(r);
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

/* ---- issues ---------------------------------------------------------------- */

void issue_list_release(struct issue_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		issue_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int store_issue_next_number(struct store *s, int64_t *number, struct err *e)
{
	if (s->bulk) { /* counted in memory, the counter row locked (store_bulk.c) */
		*number = ++s->bulk_number;
		return 0;
	}
	return store_one_int(s, "UPDATE counters SET value = value + 1 WHERE name = 'issue' RETURNING value",
		       NULL, 0, number, e);
}

static int insert_labels(struct store *s, int64_t issue_id, char *const *labels, size_t n,
			 struct err *e)
{
	for (size_t k = 0; k < n; k++) {
		struct db_param p[] = {P_INT(issue_id), P_TEXT(labels[k])};
		int rc = s->bulk_buf ? store_bulk_row(s, BULK_LABELS, p, e)
				     : store_insert_row(s, "INSERT INTO issue_labels (issue_id, label) VALUES ($1, $2)",
							"COPY issue_labels (issue_id, label) FROM STDIN", p, 2, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* The hand-set RICE inputs as parameters (NULL = default). */
#define RICE_PARAMS(i)                                                                   \
	(i)->rice_reach >= 0 ? P_INT((i)->rice_reach) : P_NULL, P_INT0((i)->rice_impact), \
		P_INT0((i)->rice_confidence)

int store_issue_insert(struct store *s, struct issue *i, struct err *e)
{
	char *fold = utf8_fold(i->title);
	if (!fold)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	struct db_param p[] = {
		P_NULL /* the id, given with COPY */,
		P_INT(i->number),     P_INT(i->type),        P_TEXT(i->title),
		P_TEXT(i->body ? i->body : ""), P_INT(i->state), P_INT(i->priority),
		P_INT(i->pm_size),    P_INT(i->size),        P_INT0(i->parent),
		P_INT0(i->assignee_id), P_INT0(i->reporter_id), P_INT(i->created_at),
		P_INT(i->updated_at), P_INT0(i->closed_at),  P_INT(i->version),
		P_TEXT(fold), P_TEXT(i->body_html ? i->body_html : ""),
		P_INT(i->board), P_INT(i->bug_severity), P_TEXT(i->cvss),
		i->cvss_score >= 0 ? P_INT(i->cvss_score) : P_NULL, P_INT(i->severity),
		P_INT0(i->fix_by), P_INT0(i->triaged_at), P_INT0(i->duplicate_of),
		P_TEXT(i->close_reason), RICE_PARAMS(i),
		P_INT(i->dev_status), P_INT(i->board_position ? i->board_position : i->number * 1024),
		P_INT(i->dev_position), P_INT0(i->milestone_id), P_INT0(i->area_id),
		P_INT0(i->started_at), P_INT0(i->expected_day), P_INT0(i->done_at), P_INT(i->dod),
	};
	_Static_assert(sizeof p / sizeof p[0] == ISSUE_INSERT_N + 1, "ISSUE_INSERT_COLS");
	int rc;
	if (s->copy) { /* a bulk load on PostgreSQL streams the row (store_bulk_pg.c) */
		if (!(rc = store_copy_id(s, &i->id, e)) && !(rc = store_copy_note(s, i, e))) {
			p[0] = P_INT(i->id);
			rc = s->drv->copy_row(s->db, "COPY issues (id, " ISSUE_INSERT_COLS ") FROM STDIN",
					      p, ISSUE_INSERT_N + 1, e);
		}
	} else if (s->bulk_buf) { /* a bulk load on SQLite: with others (store_bulk.c) */
		rc = store_bulk_issue(s, i, p + 1, e);
	} else {
		rc = store_one_int(s,
				   "INSERT INTO issues (" ISSUE_INSERT_COLS ")"
				   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
				   " $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28,"
				   " $29, $30, $31, $32, $33, $34, $35, $36, $37, $38)"
				   " RETURNING id",
				   p + 1, ISSUE_INSERT_N, &i->id, e);
	}
	free(fold);
	/* a bulk load derives the search rows at its end (store_bulk.c) */
	if (rc || (!s->bulk && (rc = store_search_issue_insert(s, i->id, i->title, i->body, e))))
		return rc;
	return insert_labels(s, i->id, i->labels, i->nlabels, e);
}

#define ISSUE_COLS                                                                      \
	"i.id, i.number, i.type, i.title, i.state, i.priority, i.pm_size, i.size,"      \
	" i.parent_number, i.assignee_id, a.login, i.reporter_id, r.login, i.created_at," \
	" i.updated_at, i.closed_at, i.version, i.board, i.bug_severity, i.cvss,"      \
	" i.cvss_score, i.severity, i.fix_by, i.triaged_at, i.duplicate_of, i.close_reason,"  \
	" i.rice_reach, i.rice_impact, i.rice_confidence, i.dev_status, i.board_position," \
	" i.dev_position, i.milestone_id, m.title, i.area_id, i.started_at, i.expected_day," \
	" i.done_at, i.dod"
#define ISSUE_NCOLS 39
#define ISSUE_JOINS                                          \
	" LEFT JOIN users a ON a.id = i.assignee_id"        \
	" LEFT JOIN users r ON r.id = i.reporter_id"        \
	" LEFT JOIN milestones m ON m.id = i.milestone_id"
#define ISSUE_FROM " FROM issues i" ISSUE_JOINS


static int read_issue(struct store *s, struct db_rows *r, struct issue *i)
{
	const struct db_driver *d = s->drv;
	memset(i, 0, sizeof *i);
	i->id = d->get_int(r, 0);
	i->number = d->get_int(r, 1);
	i->type = (enum issue_type)d->get_int(r, 2);
	i->title = xstrdup(d->get_text(r, 3));
	i->state = (enum issue_state)d->get_int(r, 4);
	i->priority = (enum priority)d->get_int(r, 5);
	i->pm_size = (int)d->get_int(r, 6);
	i->size = (int)d->get_int(r, 7);
	i->parent = d->get_int(r, 8);
	i->assignee_id = d->get_int(r, 9);
	i->assignee = xstrdup(d->get_text(r, 10));
	i->reporter_id = d->get_int(r, 11);
	i->reporter = xstrdup(d->get_text(r, 12));
	i->created_at = d->get_int(r, 13);
	i->updated_at = d->get_int(r, 14);
	i->closed_at = d->get_int(r, 15);
	i->version = d->get_int(r, 16);
	i->board = (int)d->get_int(r, 17);
	i->bug_severity = (int)d->get_int(r, 18);
	i->cvss = xstrdup(d->get_text(r, 19));
	i->cvss_score = d->is_null(r, 20) ? -1 : (int)d->get_int(r, 20);
	i->severity = (int)d->get_int(r, 21);
	i->fix_by = d->get_int(r, 22);
	i->triaged_at = d->get_int(r, 23);
	i->duplicate_of = d->get_int(r, 24);
	i->close_reason = xstrdup(d->get_text(r, 25));
	i->rice_reach = d->is_null(r, 26) ? -1 : (int)d->get_int(r, 26);
	i->rice_impact = (int)d->get_int(r, 27);
	i->rice_confidence = (int)d->get_int(r, 28);
	i->dev_status = (int)d->get_int(r, 29);
	i->board_position = d->get_int(r, 30);
	i->dev_position = d->get_int(r, 31);
	i->milestone_id = d->get_int(r, 32);
	i->milestone = xstrdup(d->get_text(r, 33));
	i->area_id = d->get_int(r, 34);
	i->started_at = d->get_int(r, 35);
	i->expected_day = d->get_int(r, 36);
	i->done_at = d->get_int(r, 37);
	i->dod = (int)d->get_int(r, 38);
	if (!i->title || (d->get_text(r, 10) && !i->assignee) || (d->get_text(r, 33) && !i->milestone) ||
	    (d->get_text(r, 12) && !i->reporter) || (d->get_text(r, 19) && !i->cvss) ||
	    (d->get_text(r, 25) && !i->close_reason))
		return CAIRN_ENOMEM;
	return 0;
}

static int push_label(struct issue *i, const char *label)
{
	char **nl = realloc(i->labels, (i->nlabels + 1) * sizeof *nl);
	if (!nl)
		return CAIRN_ENOMEM;
	i->labels = nl;
	if (!(nl[i->nlabels] = strdup(label ? label : "")))
		return CAIRN_ENOMEM;
	i->nlabels++;
	return 0;
}

/* hidden[k] = 1 for each of numbers[0..n) (n <= 100) that is a private
 * issue the viewer v may not see. */
static int hidden_chunk(struct store *s, const struct visibility *v, const int64_t *numbers,
			size_t n, int *hidden, struct err *e)
{
	char sql[2048];
	struct db_param p[101];
	size_t len, np = 0;
	struct db_rows *r;
	int row, rc;

	for (size_t k = 0; k < n; k++)
		hidden[k] = 0;
	len = (size_t)snprintf(sql, sizeof sql,
			       "SELECT number FROM issues WHERE type = " SECURITY_TYPE
			       " AND (reporter_id IS NULL OR reporter_id <> $1) AND number IN (");
	p[np++] = P_INT(v->user_id);
	for (size_t k = 0; k < n && np < 101; k++) {
		if (numbers[k] <= 0)
			continue;
		p[np] = P_INT(numbers[k]);
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s$%zu", np > 1 ? ", " : "",
					np + 1);
		np++;
	}
	if (np == 1)
		return 0;
	if (len + 2 >= sizeof sql)
		return err_set(e, CAIRN_EINTERNAL, NULL, "too many numbers to check");
	snprintf(sql + len, sizeof sql - len, ")");
	if ((rc = s->drv->query(s->db, sql, p, (int)np, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		int64_t x = s->drv->get_int(r, 0);
		for (size_t k = 0; k < n; k++)
			if (numbers[k] == x)
				hidden[k] = 1;
	}
	s->drv->finish(r);
	return rc;
}

int store_hidden_numbers(struct store *s, const struct visibility *v, const int64_t *numbers,
			 size_t n, int *hidden, struct err *e)
{
	for (size_t at = 0; at < n; at += 100) {
		size_t m = n - at < 100 ? n - at : 100;
		if (v->all_private) {
			memset(hidden + at, 0, m * sizeof *hidden);
			continue;
		}
		int rc = hidden_chunk(s, v, numbers + at, m, hidden + at, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* For a viewer who does not see every issue: a parent, or the issue this
 * one duplicates, that is a private issue they cannot see is shown as
 * none (its number would reveal it), and so is the number in the close
 * reason.  One query per 50 items, and only when some item refers. */
static int mask_private_parents(struct store *s, const struct visibility *v, struct issue *items,
				size_t n, struct err *e)
{
	int64_t nums[100];
	int hidden[100];
	if (v->all_private || v->raw)
		return 0;
	for (size_t at = 0; at < n; at += 50) {
		size_t m = n - at < 50 ? n - at : 50;
		int any = 0;
		for (size_t k = 0; k < m; k++) {
			nums[2 * k] = items[at + k].parent;
			nums[2 * k + 1] = items[at + k].duplicate_of;
			any |= nums[2 * k] || nums[2 * k + 1];
		}
		if (!any)
			continue;
		int rc = hidden_chunk(s, v, nums, 2 * m, hidden, e);
		if (rc)
			return rc;
		for (size_t k = 0; k < m; k++) {
			struct issue *i = &items[at + k];
			if (hidden[2 * k])
				i->parent = 0;
			if (hidden[2 * k + 1]) {
				i->duplicate_of = 0;
				free(i->close_reason);
				if (!(i->close_reason = strdup(PRIVATE_DUPLICATE)))
					return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			}
		}
	}
	return 0;
}

/* The derived label: an issue a strategic customer critically asked for
 * reads as labelled "Customer Request" (not stored: it comes and goes with
 * the insight links).  Skipped for raw reads, which are written back. */
#define CUSTOMER_REQUEST "Customer Request"
static int derive_labels(struct store *s, const struct visibility *v, struct issue *items,
			 size_t n, struct err *e)
{
	int64_t ids[100];
	int flags[100];
	if (v->raw)
		return 0;
	for (size_t at = 0; at < n; at += 100) {
		size_t m = n - at < 100 ? n - at : 100;
		for (size_t k = 0; k < m; k++)
			ids[k] = items[at + k].id;
		int rc = store_customer_request(s, ids, m, flags, e);
		if (rc)
			return rc;
		for (size_t k = 0; k < m; k++) {
			struct issue *i = &items[at + k];
			int has = 0;
			for (size_t j = 0; j < i->nlabels && !has; j++)
				has = !strcmp(i->labels[j], CUSTOMER_REQUEST);
			if (!flags[k] || has)
				continue;
			if (push_label(i, CUSTOMER_REQUEST))
				return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			i->nlabels = labels_normalize(i->labels, i->nlabels, 1);
		}
	}
	return 0;
}

int store_issue_get(struct store *s, int64_t number, const struct visibility *v,
		    struct issue *out, struct err *e)
{
	static const char sql_all[] = "SELECT " ISSUE_COLS ", i.body, i.body_html" ISSUE_FROM
				      " WHERE i.number = $1";
	static const char sql_mine[] = "SELECT " ISSUE_COLS ", i.body, i.body_html" ISSUE_FROM
				       " WHERE i.number = $1 AND " PRIVATE_RULE_HEAD "$2"
				       PRIVATE_RULE_TAIL;
	struct db_param p[] = {P_INT(number), P_INT(v->user_id)};
	struct db_rows *r;
	int row, rc;

	memset(out, 0, sizeof *out);
	if (v->all_private)
		rc = s->drv->query(s->db, sql_all, p, 1, &r, e);
	else
		rc = s->drv->query(s->db, sql_mine, p, 2, &r, e);
	if (rc)
		return rc;
	rc = s->drv->next(r, &row, e);
	if (!rc && !row)
		rc = err_set(e, CAIRN_ENOTFOUND, NULL, "issue #%lld not found", (long long)number);
	if (!rc && read_issue(s, r, out) == 0) {
		out->body = xstrdup(s->drv->get_text(r, ISSUE_NCOLS));
		out->body_html = xstrdup(s->drv->get_text(r, ISSUE_NCOLS + 1));
		if (!out->body || !out->body_html)
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	} else if (!rc) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	s->drv->finish(r);
	if (rc)
		goto fail;

	struct db_param lp[] = {P_INT(out->id)};
	rc = s->drv->query(s->db, "SELECT label FROM issue_labels WHERE issue_id = $1 ORDER BY label",
			   lp, 1, &r, e);
	if (rc)
		goto fail;
	while (!(rc = s->drv->next(r, &row, e)) && row)
		if (push_label(out, s->drv->get_text(r, 0))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	s->drv->finish(r);
	if (rc)
		goto fail;
	/* byte order, whatever the database's collation */
	out->nlabels = labels_normalize(out->labels, out->nlabels, 1);
	if ((rc = mask_private_parents(s, v, out, 1, e)) || (rc = derive_labels(s, v, out, 1, e)))
		goto fail;
	return 0;
fail:
	issue_release(out);
	return rc;
}

int store_issue_link(struct store *s, int64_t number, const struct visibility *v,
		     enum issue_type *type, int64_t *parent, struct err *e)
{
	static const char sql_all[] =
		"SELECT i.type, COALESCE(i.parent_number, 0) FROM issues i WHERE i.number = $1";
	static const char sql_mine[] = "SELECT i.type, COALESCE(i.parent_number, 0) FROM issues i"
				       " WHERE i.number = $1 AND " PRIVATE_RULE_HEAD "$2" PRIVATE_RULE_TAIL;
	struct db_param p[] = {P_INT(number), P_INT(v->user_id)};
	struct db_rows *r;
	int row, rc;
	/* an issue a bulk load wrote is known without a round trip (its rows
	 * may still wait: store_bulk_pg.c's COPY, store_bulk.c's INSERTs) */
	if (s->copy && (rc = store_copy_link(s, number, v, type, parent)) <= 0)
		return rc ? err_set(e, CAIRN_ENOTFOUND, NULL, "issue #%lld not found",
				    (long long)number)
			  : 0;
	rc = s->bulk_buf ? store_bulk_issue_link(s, number, v, type, parent) : -1;
	if (rc == CAIRN_ENOTFOUND)
		return err_set(e, CAIRN_ENOTFOUND, NULL, "issue #%lld not found", (long long)number);
	if (rc >= 0)
		return rc;
	if ((rc = v->all_private ? s->drv->query(s->db, sql_all, p, 1, &r, e)
				 : s->drv->query(s->db, sql_mine, p, 2, &r, e)))
		return rc;
	if (!(rc = s->drv->next(r, &row, e)) && !row)
		rc = err_set(e, CAIRN_ENOTFOUND, NULL, "issue #%lld not found", (long long)number);
	if (!rc) {
		*type = (enum issue_type)s->drv->get_int(r, 0);
		*parent = s->drv->get_int(r, 1);
	}
	s->drv->finish(r);
	return rc;
}

int store_issue_update(struct store *s, struct issue *i, int64_t expected_version,
		       int labels_changed, struct err *e)
{
	char *fold = utf8_fold(i->title);
	if (!fold)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	struct db_param p[] = {
		P_INT(i->type),    P_TEXT(i->title),      P_TEXT(i->body ? i->body : ""),
		P_INT(i->state),   P_INT(i->priority),    P_INT(i->pm_size),
		P_INT(i->size),    P_INT0(i->parent),     P_INT0(i->assignee_id),
		P_INT(i->updated_at), P_INT0(i->closed_at), P_INT(i->id),
		P_INT(expected_version), P_TEXT(fold), P_TEXT(i->body_html ? i->body_html : ""),
		P_INT(i->board), P_INT(i->bug_severity), P_TEXT(i->cvss),
		i->cvss_score >= 0 ? P_INT(i->cvss_score) : P_NULL, P_INT(i->severity),
		P_INT0(i->fix_by), P_INT0(i->triaged_at), P_INT0(i->duplicate_of),
		P_TEXT(i->close_reason), RICE_PARAMS(i),
		P_INT(i->dev_status), P_INT(i->board_position), P_INT(i->dev_position),
		P_INT0(i->milestone_id), P_INT0(i->area_id), P_INT0(i->started_at),
		P_INT0(i->expected_day), P_INT0(i->done_at), P_INT(i->dod),
	};
	int rc = store_one_int(s,
			 "UPDATE issues SET type = $1, title = $2, body = $3, state = $4,"
			 " priority = $5, pm_size = $6, size = $7, parent_number = $8,"
			 " assignee_id = $9, updated_at = $10, closed_at = $11, title_fold = $14,"
			 " body_html = $15, board = $16, bug_severity = $17, cvss = $18,"
			 " cvss_score = $19, severity = $20, fix_by = $21, triaged_at = $22,"
			 " duplicate_of = $23, close_reason = $24, rice_reach = $25, rice_impact = $26,"
			 " rice_confidence = $27, dev_status = $28, board_position = $29,"
			 " dev_position = $30, milestone_id = $31, area_id = $32, started_at = $33,"
			 " expected_day = $34, done_at = $35, dod = $36, version = version + 1"
			 " WHERE id = $12 AND version = $13 RETURNING version",
			 p, 36, &i->version, e);
	free(fold);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_ESTALE, "version",
			       "issue #%lld was changed by someone else (expected version %lld)",
			       (long long)i->number, (long long)expected_version);
	}
	if (!rc)
		rc = store_search_issue_update(s, i->id, i->title, i->body, e);
	if (rc || !labels_changed)
		return rc;
	struct db_param lp[] = {P_INT(i->id)};
	rc = store_run(s, "DELETE FROM issue_labels WHERE issue_id = $1", lp, 1, NULL, e);
	if (rc)
		return rc;
	return insert_labels(s, i->id, i->labels, i->nlabels, e);
}

/* ---- issue list: SQL assembled from fixed fragments, values bound ---------- */

/* visibility + state/type/priority + labels + words + limit/offset, the
 * version-2 conditions (a value may bind twice: a title or an id) and
 * the sort (demand binds now twice) */
#define LIST_MAX_PARAMS (1 + 10 + 2 * QUERY_MAX_TERMS + 2 + QUERY_MAX_CONDS * (2 * QUERY_MAX_OR + 2) + 2)

/* A statement assembled from fixed fragments.  Running out of room is
 * sticky (b->overflow) and makes the caller fail the whole query: a dropped
 * fragment must never silently change what a query means. */
struct sqlbuf {
	char text[16384];
	size_t n;
	struct db_param p[LIST_MAX_PARAMS];
	int np;
	char *owned[QUERY_MAX_TERMS]; /* LIKE patterns */
	int nowned;
	int overflow;
};

static void sb_add(struct sqlbuf *b, const char *frag)
{
	size_t l = strlen(frag);
	if (b->overflow || b->n + l >= sizeof b->text) {
		b->overflow = 1;
		return;
	}
	memcpy(b->text + b->n, frag, l + 1);
	b->n += l;
}

/* Append before, the next parameter's placeholder, then after. */
static void sb_param(struct sqlbuf *b, const char *before, struct db_param p, const char *after)
{
	char num[16];
	if (b->np >= LIST_MAX_PARAMS) {
		b->overflow = 1;
		return;
	}
	b->p[b->np++] = p;
	snprintf(num, sizeof num, "$%d", b->np);
	sb_add(b, before);
	sb_add(b, num);
	sb_add(b, after);
}

/* '%word%' over the case-folded word, LIKE's wildcards escaped by '\'. */
char *store_like_pattern(const char *word)
{
	char *w = utf8_fold(word);
	if (!w)
		return NULL;
	size_t n = strlen(w);
	char *p = malloc(2 * n + 3), *o = p;
	if (p) {
		*o++ = '%';
		for (const char *c = w; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '%';
		*o = '\0';
	}
	free(w);
	return p;
}

/* Start the next condition: " WHERE " first, " AND " after. */
static void sb_cond(struct sqlbuf *b, int *n)
{
	sb_add(b, (*n)++ ? " AND " : " WHERE ");
}

/* ---- the version-2 conditions (struct query_cond) ------------------------------ */

/* Each key's positive form over a list of values: before the list, the
 * column or subquery the values are compared with.  A nullable reference
 * is COALESCEd to 0 (no row has id 0) so that its negation keeps the rows
 * without one: -assignee:bob lists the unassigned issues too. */
#define INSIGHT_CUSTOMERS                                                                  \
	"i.id IN (SELECT l.issue_id FROM insight_links l JOIN insights n ON n.id = l.insight_id" \
	" JOIN customers c ON c.id = n.customer_id WHERE "

static const struct {
	const char *head;  /* up to the IN list of texts or codes */
	const char *by_id; /* for keys whose values may be ids: " OR x.id IN " */
	const char *tail;
	const char *none;  /* no:key */
} cond_sql[] = {
	[QK_STATE] = {"i.state IN ", NULL, "", NULL},
	[QK_TYPE] = {"i.type IN ", NULL, "", NULL},
	[QK_PRIORITY] = {"i.priority IN ", NULL, "", NULL},
	[QK_BOARD] = {"i.board IN ", NULL, "", NULL},
	[QK_DEV] = {"i.dev_status IN ", NULL, "", NULL},
	[QK_LABEL] = {"i.id IN (SELECT l.issue_id FROM issue_labels l WHERE l.label IN ", NULL, ")",
		      "i.id NOT IN (SELECT l.issue_id FROM issue_labels l)"},
	[QK_ASSIGNEE] = {"COALESCE(i.assignee_id, 0) IN (SELECT u.id FROM users u WHERE u.login IN ",
			 NULL, ")", "i.assignee_id IS NULL"},
	[QK_REPORTER] = {"COALESCE(i.reporter_id, 0) IN (SELECT u.id FROM users u WHERE u.login IN ",
			 NULL, ")", "i.reporter_id IS NULL"},
	[QK_MILESTONE] = {"COALESCE(i.milestone_id, 0) IN (SELECT m.id FROM milestones m WHERE m.title IN ",
			  " OR m.id IN ", ")", "i.milestone_id IS NULL"},
	[QK_AREA] = {"COALESCE(i.area_id, 0) IN (SELECT a.id FROM areas a WHERE a.name IN ", " OR a.id IN ",
		     ")", "i.area_id IS NULL"},
	[QK_INITIATIVE] = {"i.id IN (SELECT e.issue_id FROM initiative_epics e JOIN initiatives x"
			   " ON x.id = e.initiative_id WHERE x.title IN ",
			   " OR x.id IN ", ")", "i.id NOT IN (SELECT e.issue_id FROM initiative_epics e)"},
	[QK_CUSTOMER] = {INSIGHT_CUSTOMERS "c.name IN ", NULL, ")",
			 "i.id NOT IN (SELECT l.issue_id FROM insight_links l JOIN insights n"
			 " ON n.id = l.insight_id WHERE n.customer_id IS NOT NULL)"},
	[QK_TIER] = {INSIGHT_CUSTOMERS "LOWER(c.tier) IN ", NULL, ")",
		     "i.id NOT IN (SELECT l.issue_id FROM insight_links l JOIN insights n"
		     " ON n.id = l.insight_id JOIN customers c ON c.id = n.customer_id WHERE c.tier <> '')"},
};

enum list_of { LIST_TEXTS, LIST_CODES, LIST_IDS };

/* "($a, $b, ...)" over the values: the texts (without @me), the enum
 * codes, or the ids (without the 0s: texts that are not ids). */
static void sb_list(struct sqlbuf *b, const struct query_cond *k, enum list_of what)
{
	int first = 1, numbers = what != LIST_TEXTS;
	for (int j = 0; j < k->nvals; j++) {
		if (what == LIST_IDS ? k->nums[j] <= 0 : !numbers && !strcmp(k->vals[j], "@me"))
			continue;
		sb_param(b, first ? "(" : ", ", numbers ? P_INT(k->nums[j]) : P_TEXT(k->vals[j]), "");
		first = 0;
	}
	sb_add(b, first ? "(NULL)" : ")");
}

static int has_me(const struct query_cond *k)
{
	for (int j = 0; j < k->nvals; j++)
		if (!strcmp(k->vals[j], "@me"))
			return 1;
	return 0;
}

/* size:/created:/updated:/fix_by: */
static void sb_compare(struct sqlbuf *b, const struct query_cond *k)
{
	static const char *const ops[] = {[QOP_EQ] = " = ", [QOP_LT] = " < ", [QOP_LE] = " <= ",
					  [QOP_GT] = " > ", [QOP_GE] = " >= "};
	const char *col = k->key == QK_SIZE	     ? "(CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END)"
			  : k->key == QK_CREATED ? "i.created_at"
			  : k->key == QK_UPDATED ? "i.updated_at"
						 : "i.fix_by";
	if (k->key == QK_SIZE && k->none) {
		sb_add(b, "i.size = 0 AND i.pm_size = 0");
		return;
	}
	sb_add(b, "(");
	/* an overdue item is a security issue: the private rule still
	 * decides who sees it */
	if (k->key == QK_FIX_BY)
		sb_add(b, "i.type = " SECURITY_TYPE " AND i.fix_by IS NOT NULL AND ");
	sb_add(b, col);
	if (k->op == QOP_EQ && k->nums[1]) { /* a whole day */
		sb_param(b, " >= ", P_INT(k->nums[0]), " AND ");
		sb_add(b, col);
		sb_param(b, " < ", P_INT(k->nums[1]), ")");
		return;
	}
	sb_param(b, ops[k->op], P_INT(k->nums[0]), ")");
}

/* One condition, with its negation; v gives @me. */
static void sb_query_cond(struct sqlbuf *b, const struct query_cond *k, const struct visibility *v)
{
	if (k->key >= QK_SIZE) {
		sb_compare(b, k);
		return;
	}
	if (k->none) {
		sb_add(b, cond_sql[k->key].none);
		return;
	}
	sb_add(b, k->neg ? "NOT (" : "(");
	sb_add(b, cond_sql[k->key].head);
	sb_list(b, k, k->key < QK_LABEL ? LIST_CODES : LIST_TEXTS);
	if (cond_sql[k->key].by_id) {
		sb_add(b, cond_sql[k->key].by_id);
		sb_list(b, k, LIST_IDS);
	}
	if ((k->key == QK_ASSIGNEE || k->key == QK_REPORTER) && has_me(k))
		/* no signed-in user: @me is nobody (ids start at 1) */
		sb_param(b, " OR u.id = ", P_INT(v->user_id > 0 ? v->user_id : -1), "");
	sb_add(b, cond_sql[k->key].tail);
	sb_add(b, ")");
}

static void build_conds(struct sqlbuf *b, const struct issue_query *q, const struct visibility *v,
			int *n)
{
	for (int k = 0; k < q->nconds; k++) {
		sb_cond(b, n);
		sb_query_cond(b, &q->conds[k], v);
	}
}

/* Append the WHERE clause of q for viewer v; *n counts the conditions so a
 * caller can add more with sb_cond(b, n). */
static int build_where(struct sqlbuf *b, const struct issue_query *q, const struct visibility *v,
		       int *np)
{
	int n = 0;
	/* Private issues: only privileged viewers and the reporter see them.
	 * The clause is left out for privileged viewers so indexes stay usable
	 * (and an unfiltered count is SQLite's fast b-tree count). */
	if (!v->all_private) {
		sb_cond(b, &n);
		sb_param(b, PRIVATE_RULE_HEAD, P_INT(v->user_id), PRIVATE_RULE_TAIL);
	}
	if (q->state >= 0) {
		sb_cond(b, &n);
		sb_param(b, "i.state = ", P_INT(q->state), "");
	}
	if (q->type >= 0) {
		sb_cond(b, &n);
		sb_param(b, "i.type = ", P_INT(q->type), "");
	}
	if (q->priority >= 0) {
		sb_cond(b, &n);
		sb_param(b, "i.priority = ", P_INT(q->priority), "");
	}
	if (q->board >= 0) {
		sb_cond(b, &n);
		sb_param(b, "i.board = ", P_INT(q->board), "");
	}
	if (q->severity >= 0) {
		sb_cond(b, &n);
		sb_param(b, "i.type = " SECURITY_TYPE " AND i.severity = ", P_INT(q->severity), "");
	}
	if (q->bug_severity >= 0) {
		sb_cond(b, &n);
		sb_param(b, "i.bug_severity = ", P_INT(q->bug_severity), "");
	}
	if (q->dev >= 0) { /* "> 0" lets the partial index serve a column */
		sb_cond(b, &n);
		sb_param(b, q->dev ? "i.dev_status > 0 AND i.dev_status = " : "i.dev_status = ",
			 P_INT(q->dev), "");
	}
	if (q->milestone == 0) {
		sb_cond(b, &n);
		sb_add(b, "i.milestone_id IS NULL");
	} else if (q->milestone > 0) {
		sb_cond(b, &n);
		sb_param(b, "i.milestone_id = ", P_INT(q->milestone), "");
	}
	build_conds(b, q, v, &n);
	if (q->inbox) {
		/* open, and either on No Status or labelled needs-triage */
		sb_cond(b, &n);
		sb_add(b, IN_INBOX);
	}
	for (int k = 0; k < q->nlabels; k++) {
		sb_cond(b, &n);
		sb_param(b, "i.id IN (SELECT l.issue_id FROM issue_labels l WHERE l.label = ",
			 P_TEXT(q->labels[k]), ")");
	}
	/* the free words (q->words): store_issue_list adds them, through the
	 * full-text index (sb_search) */
	*np = n;
	return 0;
}

static int sb_check(struct sqlbuf *b, struct err *e)
{
	if (b->overflow)
		return err_set(e, CAIRN_EINTERNAL, NULL, "query too complex to build");
	return 0;
}

static void sb_release(struct sqlbuf *b)
{
	for (int k = 0; k < b->nowned; k++)
		free(b->owned[k]);
}

/* Fill labels for a page of issues with one query (no N+1). */
static int page_labels(struct store *s, struct issue_list *l, struct err *e)
{
	struct sqlbuf *b;
	struct db_rows *r;
	int row, rc;
	if (l->n == 0)
		return 0;
	if (!(b = calloc(1, sizeof *b)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	struct db_param *p = calloc(l->n, sizeof *p);
	if (!p) {
		free(b);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	sb_add(b, "SELECT issue_id, label FROM issue_labels WHERE issue_id IN (");
	for (size_t k = 0; k < l->n; k++) {
		char num[24];
		p[k] = P_INT(l->items[k].id);
		snprintf(num, sizeof num, "%s$%zu", k ? ", " : "", k + 1);
		sb_add(b, num);
	}
	sb_add(b, ") ORDER BY issue_id, label");
	rc = sb_check(b, e);
	if (!rc)
		rc = s->drv->query(s->db, b->text, p, (int)l->n, &r, e);
	if (!rc) {
		while (!(rc = s->drv->next(r, &row, e)) && row) {
			int64_t id = s->drv->get_int(r, 0);
			for (size_t k = 0; k < l->n; k++)
				if (l->items[k].id == id) {
					if (push_label(&l->items[k], s->drv->get_text(r, 1)))
						rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
					break;
				}
			if (rc)
				break;
		}
		s->drv->finish(r);
	}
	for (size_t k = 0; k < l->n; k++)
		l->items[k].nlabels = labels_normalize(l->items[k].labels, l->items[k].nlabels, 1);
	free(p);
	free(b);
	return rc;
}

/* RICE = reach x impact x confidence / effort (core/scores.h), NULL when
 * unsized; reach is the distinct customers asking unless set by hand. */
#define RICE_SQL                                                                               \
	"(CASE WHEN i.size > 0 OR i.pm_size > 0 THEN COALESCE(i.rice_reach, (SELECT"           \
	" COUNT(DISTINCT n.customer_id) FROM insight_links l JOIN insights n ON n.id ="          \
	" l.insight_id WHERE l.issue_id = i.id)) * COALESCE(i.rice_impact, 100) *"               \
	" COALESCE(i.rice_confidence, 80) * 1.0 / (CASE WHEN i.size > 0 THEN i.size ELSE"        \
	" i.pm_size END) END)"

/* An ask's importance x decay (half-life 180 days = 15552000000 ms) at
 * now, which the caller binds twice between the three parts. */
#define ASK_1 "l.importance * POWER(0.5, (CASE WHEN "
#define ASK_2 " - n.captured_at > 0 THEN "
#define ASK_3 " - n.captured_at ELSE 0 END) / 15552000000.0)"

/* Demand (core/scores.h): per customer their loudest ask x the customer's
 * weight, plus half of each ask without a customer. */
static void sb_demand(struct sqlbuf *b, int64_t now)
{
	sb_param(b, "(SELECT COALESCE(SUM(d.w), 0) FROM (SELECT MAX(" ASK_1, P_INT(now), "");
	sb_param(b, ASK_2, P_INT(now),
		 ASK_3 ") * (1 + LOG10(1 + (CASE WHEN c.arr > 0 THEN c.arr ELSE 0 END) / 1000.0))"
		       " * (CASE WHEN c.strategic <> 0 THEN 2 ELSE 1 END) AS w"
		       " FROM insight_links l JOIN insights n ON n.id = l.insight_id JOIN customers c"
		       " ON c.id = n.customer_id WHERE l.issue_id = i.id GROUP BY c.id, c.arr, c.strategic"
		       " UNION ALL SELECT 0.5 * " ASK_1);
	sb_param(b, "", P_INT(now), "");
	sb_param(b, ASK_2, P_INT(now),
		 ASK_3 " AS w FROM insight_links l JOIN insights n ON n.id = l.insight_id"
		       " WHERE l.issue_id = i.id AND n.customer_id IS NULL) d)");
}

/* The list's ORDER BY for q's sort:K: ties newest first.  By number and
 * by priority an index serves it (issues_*_number); the other keys sort
 * the rows the filter keeps; unscored issues (no RICE) come last. */
static void sb_order(struct sqlbuf *b, const struct issue_query *q)
{
	static const char *const keys[] = {
		[QS_TITLE] = "i.title_fold",
		[QS_TYPE] = "i.type",
		/* high, medium, low, then none */
		[QS_PRIORITY] = "CASE i.priority WHEN 0 THEN 4 ELSE i.priority END",
		[QS_STATE] = "i.state",
		[QS_UPDATED] = "i.updated_at",
		[QS_CREATED] = "i.created_at",
		[QS_SIZE] = "CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END",
	};
	const char *dir = q->sort_desc ? " DESC, i.number DESC" : ", i.number DESC";
	if (q->sort_by == QS_RICE) {
		sb_add(b, " ORDER BY " RICE_SQL " IS NULL, " RICE_SQL);
		sb_add(b, dir);
	} else if (q->sort_by == QS_DEMAND) {
		sb_add(b, " ORDER BY ");
		sb_demand(b, q->now);
		sb_add(b, dir);
	} else if (q->sort_by > QS_NUMBER && q->sort_by <= QS_SIZE) {
		sb_add(b, " ORDER BY ");
		sb_add(b, keys[q->sort_by]);
		sb_add(b, dir);
	} else {
		sb_add(b, q->oldest_first ? " ORDER BY i.number" : " ORDER BY i.number DESC");
	}
}

static int collect_issues(struct store *s, const struct sqlbuf *b, struct issue_list *out,
			  struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc = s->drv->query(s->db, b->text, b->p, b->np, &r, e);
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)&out->items, &cap, out->n, sizeof *out->items)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		if (read_issue(s, r, &out->items[out->n++])) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	return rc;
}

/* What every page of issues gets after its rows: labels (one query), a
 * private parent hidden, the derived Customer Request label. */
static int finish_page(struct store *s, const struct visibility *v, struct issue_list *out,
		       struct err *e)
{
	int rc = page_labels(s, out, e);
	if (!rc)
		rc = mask_private_parents(s, v, out->items, out->n, e);
	if (!rc)
		rc = derive_labels(s, v, out->items, out->n, e);
	return rc;
}

/* How many issues wait in the triage inbox, as v may see them: the tally
 * kept on write (migration 23) — every row for those who see every issue,
 * else the public row and their own security reports' row.  Counting the
 * inbox itself walked ~220,000 rows at 1M issues. */
static int inbox_count(struct store *s, const struct visibility *v, int64_t *out, struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id)};
	return v->all_private
		       ? store_one_int(s, "SELECT COALESCE(SUM(n), 0) FROM triage_tally", NULL, 0, out, e)
		       : store_one_int(s,
				       "SELECT COALESCE(SUM(n), 0) FROM triage_tally WHERE secure = 0"
				       " OR (secure = 1 AND reporter_id = $1)",
				       p, 1, out, e);
}

/* The free words of a list query as a condition on issue i (see
 * store_search.c): matched through the full-text index. */
static void sb_search(struct sqlbuf *b, const struct search_plan *sp, int *n)
{
	if (!sp->active)
		return;
	sb_cond(b, n);
	if (sp->none)
		sb_add(b, "1 = 0");
	else
		sb_param(b, sp->sql->in_head, P_TEXT(sp->match), sp->sql->in_tail);
}

/* Searches are ordered by relevance unless the query asks for an order
 * (sort:K or sort:oldest; sort:newest is the default and cannot be told
 * from it). */
static int by_relevance(const struct issue_query *q, const struct search_plan *sp)
{
	return sp->active && !sp->none && q->sort_by == QS_NUMBER && !q->oldest_first;
}

/* ---- ranked search ------------------------------------------------------------- */

/* A search ordered by relevance (issue #17).  Ranking in the database
 * meant a visit to every match's issue row (the privacy rule, is:open, the
 * tie order) and a sort of them all; at a million issues a two-word search
 * matches 10-35,000.  Instead the index gives every match's score alone,
 * and the matches are taken here in the list's order, score then the
 * newest first (the higher id: ids and numbers are both given in the order
 * issues are made, and a restore keeps both), which needs no issue row.
 * Only as many of them are put in order as are checked: their issues are
 * checked in batches only until the page and the capped count are known:
 *  - the page is the first offset + limit matches that pass;
 *  - the count stops after count_cap + 1 passing matches; with no
 *    condition besides the words it is the number of matches. */
struct match {
	int64_t id;
	double score;
	int pass; /* the issue passes q's other conditions for the viewer */
};

/* The list's order: score, ties newest first. */
static int match_by_rank(const void *a, const void *b)
{
	const struct match *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

static int match_by_id(const void *a, const void *b)
{
	const struct match *const *x = a, *const *y = b;
	return ((*x)->id > (*y)->id) - ((*x)->id < (*y)->id);
}

static void match_swap(struct match *m, size_t a, size_t b)
{
	struct match t = m[a];
	m[a] = m[b];
	m[b] = t;
}

/* Put the k first of m[0..n) in the list's order (k <= n) first, in any
 * order among themselves (quickselect). */
static void match_select(struct match *m, size_t n, size_t k)
{
	size_t lo = 0, hi = n, seed = n;
	while (hi - lo > 1 && k > lo && k < hi) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		match_swap(m, lo + (size_t)(seed >> 33) % (hi - lo), hi - 1);
		size_t store = lo;
		for (size_t j = lo; j + 1 < hi; j++)
			if (match_by_rank(&m[j], &m[hi - 1]) < 0)
				match_swap(m, store++, j);
		match_swap(m, store, hi - 1);
		if (store == k || store + 1 == k)
			return;
		if (store > k)
			hi = store;
		else
			lo = store + 1;
	}
}

/* m[0..sorted) holds the first matches in order: make it m[0..upto). */
static void match_order(struct match *m, size_t n, size_t *sorted, size_t upto)
{
	if (upto <= *sorted)
		return;
	if (upto < n)
		match_select(m + *sorted, n - *sorted, upto - *sorted);
	qsort(m + *sorted, upto - *sorted, sizeof *m, match_by_rank);
	*sorted = upto;
}

#define SEARCH_BATCH_MIN 128
#define SEARCH_BATCH_MAX 4096

/* m[0..n)'s ids as a JSON array (malloc'd), NULL when out of memory. */
static char *ids_json(const struct match *m, size_t n)
{
	size_t cap = n * 21 + 3, len = 1;
	char *j = malloc(cap);
	if (!j)
		return NULL;
	j[0] = '[';
	for (size_t k = 0; k < n; k++)
		len += (size_t)snprintf(j + len, cap - len, "%s%lld", k ? "," : "", (long long)m[k].id);
	snprintf(j + len, cap - len, "]");
	return j;
}

/* Every match of the words with its score, in no order. */
static int read_matches(struct store *s, const struct search_plan *sp, struct match **out,
			size_t *nout, struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	struct db_rows *r;
	size_t cap = 0, n = 0;
	int row, rc;
	*out = NULL;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	sb_add(b, "SELECT f.sid, f.score FROM ");
	sb_param(b, sp->sql->from_head, P_TEXT(sp->match), sp->sql->from_tail);
	if (!(rc = sb_check(b, e)) && !(rc = s->drv->query(s->db, b->text, b->p, b->np, &r, e))) {
		while (!(rc = s->drv->next(r, &row, e)) && row) {
			if (store_grow((void **)out, &cap, n, sizeof **out)) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			(*out)[n++] = (struct match){.id = s->drv->get_int(r, 0),
						     .score = s->drv->get_double(r, 1)};
		}
		s->drv->finish(r);
	}
	free(b);
	*nout = n;
	return rc;
}

/* Mark which of m[0..n) pass q's conditions for v. */
static int check_matches(struct store *s, const struct issue_query *q, const struct visibility *v,
			 const struct search_plan *sp, struct match *m, size_t n, struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	struct match **by_id = malloc(n * sizeof *by_id);
	char *ids = ids_json(m, n);
	struct db_rows *r;
	int row, rc, conds = 0;
	if (!b || !by_id || !ids) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < n; k++)
		by_id[k] = &m[k];
	qsort(by_id, n, sizeof *by_id, match_by_id);
	sb_add(b, "SELECT i.id FROM ");
	sb_param(b, sp->sql->ids_head, P_TEXT(ids), sp->sql->ids_tail);
	if ((rc = build_where(b, q, v, &conds)) || (rc = sb_check(b, e)) ||
	    (rc = s->drv->query(s->db, b->text, b->p, b->np, &r, e)))
		goto out;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		struct match key = {.id = s->drv->get_int(r, 0)}, *kp = &key, **hit;
		if ((hit = bsearch(&kp, by_id, n, sizeof *by_id, match_by_id)))
			(*hit)->pass = 1;
	}
	s->drv->finish(r);
out:
	if (b)
		sb_release(b);
	free(b);
	free(by_id);
	free(ids);
	return rc;
}

/* The page m[0..n) (in order) as full issues into out. */
static int read_page(struct store *s, const struct search_plan *sp, const struct match *m,
		     size_t n, struct issue_list *out, struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	char *ids = ids_json(m, n);
	int rc;
	if (!b || !ids) {
		free(b);
		free(ids);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	sb_add(b, "SELECT " ISSUE_COLS " FROM ");
	sb_param(b, sp->sql->ids_head, P_TEXT(ids), sp->sql->ids_tail);
	sb_add(b, ISSUE_JOINS);
	if (!(rc = sb_check(b, e)))
		rc = collect_issues(s, b, out, e);
	/* into the page's order (the rows came in any order) */
	for (size_t k = 0; !rc && k < n && k < out->n; k++)
		for (size_t j = k; j < out->n; j++)
			if (out->items[j].id == m[k].id) {
				struct issue t = out->items[k];
				out->items[k] = out->items[j];
				out->items[j] = t;
				break;
			}
	free(b);
	free(ids);
	return rc;
}

/* Whether q has conditions for v besides its words. */
static int has_conditions(const struct issue_query *q, const struct visibility *v, int *yes,
			  struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	int n = 0, rc;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	rc = build_where(b, q, v, &n);
	*yes = n > 0;
	sb_release(b);
	free(b);
	return rc;
}

static int ranked_search(struct store *s, const struct issue_query *q, const struct visibility *v,
			 const struct search_plan *sp, int64_t offset, int64_t limit,
			 struct issue_list *out, int64_t *total, struct err *e)
{
	struct match *m = NULL, *page = NULL;
	size_t nm = 0, pos = 0, sorted = 0, passed = 0, npage = 0;
	int conds = 0, rc;
	int64_t need = offset > INT64_MAX - limit ? INT64_MAX : offset + limit;
	size_t batch = need < SEARCH_BATCH_MIN / 2 ? SEARCH_BATCH_MIN : (size_t)need * 2;

	if ((rc = has_conditions(q, v, &conds, e)) || (rc = read_matches(s, sp, &m, &nm, e)))
		goto out;
	while (pos < nm) {
		int page_done = (int64_t)passed >= need;
		int count_done = !conds || (q->count_cap > 0 && (int64_t)passed > q->count_cap);
		if (page_done && count_done)
			break;
		if (page_done && q->count_cap > 0 && passed) {
			/* only the count is left: as many as the share that
			 * passed so far says it takes, and a tenth more */
			double want = (double)(q->count_cap + 1 - (int64_t)passed) * (double)pos /
				      (double)passed * 1.1 + 16;
			batch = want < (double)SEARCH_BATCH_MAX ? (size_t)want : SEARCH_BATCH_MAX;
		}
		size_t n = batch < nm - pos ? batch : nm - pos;
		match_order(m, nm, &sorted, pos + n);
		if ((rc = check_matches(s, q, v, sp, m + pos, n, e)))
			goto out;
		for (size_t k = pos; k < pos + n; k++)
			passed += m[k].pass != 0;
		pos += n;
		if (batch < SEARCH_BATCH_MAX)
			batch *= 2;
	}
	*total = conds ? (int64_t)passed : (int64_t)nm;
	if (q->count_cap > 0 && *total > q->count_cap) {
		*total = q->count_cap;
		out->capped = 1;
	}
	/* the page: the passing matches seen, in the list's order */
	if (!(page = malloc((passed ? passed : 1) * sizeof *page))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < pos; k++)
		if (m[k].pass)
			page[npage++] = m[k];
	if (offset < (int64_t)npage) {
		size_t n = (size_t)(npage - (size_t)offset);
		if ((int64_t)n > limit)
			n = (size_t)limit;
		if (n && !(rc = read_page(s, sp, page + offset, n, out, e)))
			rc = finish_page(s, v, out, e);
	}
	if (!rc)
		rc = store_search_snippets(s, sp, out->items, out->n, e);
out:
	free(m);
	free(page);
	return rc;
}

int store_issue_list(struct store *s, const struct issue_query *q, const struct visibility *v,
		     int64_t offset, int64_t limit, struct issue_list *out, int64_t *total,
		     struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	struct search_plan sp;
	int rc;

	out->items = NULL;
	out->n = 0;
	out->capped = 0;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	if ((rc = store_search_plan(s, q->words, q->nwords, &sp, e))) {
		free(b);
		return rc;
	}
	int n = 0;
	if (by_relevance(q, &sp)) { /* ranked: the page and the count at once */
		rc = ranked_search(s, q, v, &sp, offset, limit, out, total, e);
		goto out;
	}
	if (q->inbox) { /* the triage inbox: nothing else filters it */
		if ((rc = inbox_count(s, v, total, e)))
			goto out;
	} else {
		/* a capped count stops after cap + 1 rows: a page of a million
		 * matches costs what a page of ten thousand does */
		sb_add(b, q->count_cap > 0 ? "SELECT COUNT(*) FROM (SELECT 1 FROM issues i"
					   : "SELECT COUNT(*) FROM issues i");
		if ((rc = build_where(b, q, v, &n)))
			goto out;
		if (n == 0 && sp.active && !sp.none) {
			/* a search and nothing else (a reader who sees every issue):
			 * the index alone counts, without a visit to each issue */
			sb_release(b);
			memset(b, 0, sizeof *b);
			sb_add(b, "SELECT COUNT(*) FROM (");
			sb_param(b, sp.sql->count_head, P_TEXT(sp.match), sp.sql->count_tail);
			if (q->count_cap > 0)
				sb_param(b, " LIMIT ", P_INT(q->count_cap + 1), "");
			sb_add(b, ") x");
		} else {
			sb_search(b, &sp, &n);
			if (q->count_cap > 0)
				sb_param(b, " LIMIT ", P_INT(q->count_cap + 1), ") x");
		}
		if ((rc = sb_check(b, e)))
			goto out;
		rc = store_one_int(s, b->text, b->p, b->np, total, e);
		if (rc)
			goto out;
	}
	if (q->count_cap > 0 && *total > q->count_cap) {
		*total = q->count_cap;
		out->capped = 1;
	}
	sb_release(b);
	memset(b, 0, sizeof *b);

	sb_add(b, "SELECT " ISSUE_COLS ISSUE_FROM);
	if ((rc = build_where(b, q, v, &n)))
		goto out;
	sb_search(b, &sp, &n);
	sb_order(b, q);
	sb_param(b, " LIMIT ", P_INT(limit), "");
	sb_param(b, " OFFSET ", P_INT(offset), "");
	if (!(rc = sb_check(b, e)) && !(rc = collect_issues(s, b, out, e)))
		rc = finish_page(s, v, out, e);
	if (!rc)
		rc = store_search_snippets(s, &sp, out->items, out->n, e);
out:
	store_search_plan_release(&sp);
	sb_release(b);
	free(b);
	if (rc)
		issue_list_release(out);
	return rc;
}

/* ---- triage -------------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int store_triage_stats(struct store *s, const struct visibility *v, int64_t overdue_before,
		       int64_t since, struct triage_stats *out, struct err *e)
{
	struct issue_query q;
	struct sqlbuf *b = calloc(1, sizeof *b);
	int64_t *ms = NULL;
	size_t n = 0, cap = 0;
	struct db_rows *r;
	int row, rc;

	memset(out, 0, sizeof *out);
	out->median_ms = -1;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	query_any(&q);
	int nc;
	if ((rc = inbox_count(s, v, &out->inbox_size, e)))
		goto out;

	/* security issues only: the visibility rule comes down to "reported
	 * them" (the reporter's index) for those who do not see them all; the
	 * others count the open ones' partial index (migration 23) */
	struct db_param bp[] = {P_INT(overdue_before), P_INT(v->user_id)};
	if ((rc = store_one_int(s,
				v->all_private
					? "SELECT COUNT(*) FROM issues i WHERE i.type = " SECURITY_TYPE
					  " AND i.state = 0 AND i.fix_by < $1"
					: "SELECT COUNT(*) FROM issues i WHERE i.type = " SECURITY_TYPE
					  " AND i.state = 0 AND i.fix_by < $1 AND i.reporter_id = $2",
				bp, v->all_private ? 1 : 2, &out->sla_breaches, e)))
		goto out;

	memset(b, 0, sizeof *b);
	sb_add(b, "SELECT i.triaged_at - i.created_at FROM issues i");
	build_where(b, &q, v, &nc);
	sb_cond(b, &nc);
	sb_param(b, "i.triaged_at >= ", P_INT(since), "");
	if ((rc = sb_check(b, e)) || (rc = s->drv->query(s->db, b->text, b->p, b->np, &r, e)))
		goto out;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 256;
			int64_t *nm = realloc(ms, ncap * sizeof *nm);
			if (!nm) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			ms = nm;
			cap = ncap;
		}
		ms[n++] = s->drv->get_int(r, 0);
	}
	s->drv->finish(r);
	if (!rc && n) {
		qsort(ms, n, sizeof *ms, cmp_i64);
		out->median_ms = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
	}
out:
	free(ms);
	sb_release(b);
	free(b);
	return rc;
}

int store_security_due(struct store *s, const struct visibility *v, int64_t until,
		       struct issue_list *out, struct err *e)
{
	struct issue_query q;
	struct sqlbuf *b = calloc(1, sizeof *b);
	int rc;

	out->items = NULL;
	out->n = 0;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	query_any(&q);
	int nc;
	sb_add(b, "SELECT " ISSUE_COLS ISSUE_FROM);
	build_where(b, &q, v, &nc);
	sb_cond(b, &nc);
	sb_param(b, "i.type = " SECURITY_TYPE " AND i.state = 0 AND i.fix_by < ", P_INT(until),
		 " ORDER BY i.fix_by, i.number");
	if (!(rc = sb_check(b, e)) && !(rc = collect_issues(s, b, out, e)))
		rc = finish_page(s, v, out, e);
	if (rc)
		issue_list_release(out);
	free(b);
	return rc;
}

int store_issues_assigned(struct store *s, const struct visibility *v, int64_t user_id,
			  int64_t limit, struct issue_list *out, int64_t *total, struct err *e)
{
	struct issue_query q;
	struct sqlbuf *b = calloc(1, sizeof *b);
	int rc, nc;

	out->items = NULL;
	out->n = 0;
	*total = 0;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	query_any(&q); /* (a zeroed one left out what is on the dev board or planned) */
	q.state = ISSUE_OPEN;
	sb_add(b, "SELECT COUNT(*) FROM issues i");
	build_where(b, &q, v, &nc);
	sb_cond(b, &nc);
	sb_param(b, "i.assignee_id = ", P_INT(user_id), "");
	if ((rc = sb_check(b, e)) || (rc = store_one_int(s, b->text, b->p, b->np, total, e)))
		goto out;
	memset(b, 0, sizeof *b);
	sb_add(b, "SELECT " ISSUE_COLS ISSUE_FROM);
	build_where(b, &q, v, &nc);
	sb_cond(b, &nc);
	sb_param(b, "i.assignee_id = ", P_INT(user_id), " ORDER BY i.updated_at DESC, i.number DESC");
	sb_param(b, " LIMIT ", P_INT(limit), "");
	if (!(rc = sb_check(b, e)) && !(rc = collect_issues(s, b, out, e)))
		rc = finish_page(s, v, out, e);
out:
	if (rc)
		issue_list_release(out);
	free(b);
	return rc;
}

int store_setting_get(struct store *s, const char *name, char *buf, size_t cap, int *found,
		      struct err *e)
{
	struct db_param p[] = {P_TEXT(name)};
	struct db_rows *r;
	/* a copying bulk load reads each setting once (store_bulk_pg.c) */
	if (s->copy && store_copy_setting(s, name, buf, cap, found) == 0)
		return 0;
	int row, rc = s->drv->query(s->db, "SELECT value FROM settings WHERE name = $1", p, 1, &r, e);
	*found = 0;
	if (rc)
		return rc;
	const char *value = NULL;
	if (!(rc = s->drv->next(r, &row, e)) && row) {
		*found = 1;
		value = s->drv->get_text(r, 0) ? s->drv->get_text(r, 0) : "";
		snprintf(buf, cap, "%s", value);
	}
	if (!rc && s->copy) /* the whole value, whatever this caller's cap */
		store_copy_setting_keep(s, name, value);
	s->drv->finish(r);
	return rc;
}

int store_setting_set(struct store *s, const char *name, const char *value, struct err *e)
{
	struct db_param p[] = {P_TEXT(name), P_TEXT(value)};
	if (s->copy)
		store_copy_setting_keep(s, name, value);
	return store_run(s,
			 "INSERT INTO settings (name, value) VALUES ($1, $2)"
			 " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
			 p, 2, NULL, e);
}

int store_setting_insert_new(struct store *s, const char *name, const char *value, struct err *e)
{
	struct db_param p[] = {P_TEXT(name), P_TEXT(value)};
	return store_run(s,
			 "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
			 p, 2, NULL, e);
}

/* Every row of sql into a malloc'd array of elem-sized items: read fills
 * one (zeroed) item and returns nonzero when out of memory; on failure
 * release frees what was read and *out is NULL. */
int store_collect(struct store *s, const char *sql, const struct db_param *p, int np,
		   size_t elem, row_fn read, release_fn release, void **out, size_t *n,
		   struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;
	*out = NULL;
	*n = 0;
	if ((rc = s->drv->query(s->db, sql, p, np, &r, e)))
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow(out, &cap, *n, elem)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		void *item = (char *)*out + elem * (*n)++;
		memset(item, 0, elem);
		if (read(s, r, item)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	if (rc) {
		release(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void store_free_items(void *items, size_t n)
{
	(void)n;
	free(items);
}

/* ---- history ------------------------------------------------------------------ */

void history_list_release(struct history_list *l)
{
	for (size_t k = 0; k < l->n; k++) {
		free(l->items[k].actor);
		free(l->items[k].field);
		free(l->items[k].old_value);
		free(l->items[k].new_value);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

int store_history_add(struct store *s, int64_t issue_id, int64_t actor_id, int64_t at,
		      const char *field, const char *old_value, const char *new_value,
		      struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_INT0(actor_id), P_INT(at), P_TEXT(field),
			       P_TEXT(old_value), P_TEXT(new_value)};
	if (s->bulk_buf) /* a SQLite bulk load's: with others (store_bulk.c) */
		return store_bulk_row(s, BULK_HISTORY, p, e);
	return store_insert_row(s,
				"INSERT INTO history (issue_id, actor_id, at, field, old_value, new_value)"
				" VALUES ($1, $2, $3, $4, $5, $6)",
				"COPY history (issue_id, actor_id, at, field, old_value, new_value) FROM STDIN",
				p, 6, e);
}

int store_history_list(struct store *s, int64_t issue_id, struct history_list *out,
		       struct err *e)
{
	return store_history_read(s,
				  "SELECT h.id, u.login, h.at, h.field, h.old_value, h.new_value"
				  " FROM history h LEFT JOIN users u ON u.id = h.actor_id"
				  " WHERE h.issue_id = $1 ORDER BY h.id",
				  issue_id, out, e);
}

int store_history_read(struct store *s, const char *sql, int64_t id, struct history_list *out,
		       struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	struct db_rows *r;
	size_t cap = 0;
	int row, rc;

	out->items = NULL;
	out->n = 0;
	rc = s->drv->query(s->db, sql, p, 1, &r, e);
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (store_grow((void **)&out->items, &cap, out->n, sizeof *out->items)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
		struct history_entry *h = &out->items[out->n++];
		h->id = s->drv->get_int(r, 0);
		h->actor = xstrdup(s->drv->get_text(r, 1));
		h->at = s->drv->get_int(r, 2);
		h->field = xstrdup(s->drv->get_text(r, 3));
		h->old_value = xstrdup(s->drv->get_text(r, 4));
		h->new_value = xstrdup(s->drv->get_text(r, 5));
		if (!h->actor != !s->drv->get_text(r, 1) || !h->field ||
		    !h->old_value != !s->drv->get_text(r, 4) ||
		    !h->new_value != !s->drv->get_text(r, 5)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	s->drv->finish(r);
	if (rc)
		history_list_release(out);
	return rc;
}

/* ---- boards (the page queries share the list's builder) ---------------------- */

#define EFF_SIZE "(CASE WHEN i.size > 0 THEN i.size ELSE i.pm_size END)"

/* The column condition of a board, and the visibility and milestone rules. */
static void board_where(struct sqlbuf *b, const struct visibility *v, int dev, int64_t milestone,
			int *n)
{
	if (!v->all_private) {
		sb_cond(b, n);
		sb_param(b, PRIVATE_RULE_HEAD, P_INT(v->user_id), PRIVATE_RULE_TAIL);
	}
	if (dev) {
		sb_cond(b, n);
		sb_add(b, "i.dev_status > 0");
	}
	if (dev && milestone > 0) {
		sb_cond(b, n);
		sb_param(b, "i.milestone_id = ", P_INT(milestone), "");
	}
}

/* One column's tally row moved by (dn, dp); the row is made on first use. */
static int tally_add(struct store *s, int board, int secure, int64_t dn, int64_t dp,
		     struct err *e)
{
	struct db_param p[] = {P_INT(board), P_INT(secure), P_INT(dn), P_INT(dp)};
	return store_run(s,
			 "INSERT INTO board_tally (board, secure, n, points) VALUES ($1, $2, $3, $4)"
			 " ON CONFLICT (board, secure) DO UPDATE SET n = board_tally.n + excluded.n,"
			 " points = board_tally.points + excluded.points",
			 p, 4, NULL, e);
}

int store_board_tally(struct store *s, const struct issue *was, const struct issue *is,
		      struct err *e)
{
	int ob = was ? was->board : -1, os = was && was->type == ISSUE_SECURITY;
	int nb = is->board, ns = is->type == ISSUE_SECURITY;
	int64_t op = was ? issue_effective_size(was) : 0, np = issue_effective_size(is);
	if (was && ob == nb && os == ns) /* the same row: one write, if any */
		return np == op ? 0 : tally_add(s, nb, ns, 0, np - op, e);
	/* two rows, always in (board, secure) order, so that concurrent
	 * writers on PostgreSQL lock them in one order (no lock cycle) */
	int rc = 0, new_first = !was || nb < ob || (nb == ob && ns < os);
	if (new_first && (rc = tally_add(s, nb, ns, 1, np, e)))
		return rc;
	if (was && (rc = tally_add(s, ob, os, -1, -op, e)))
		return rc;
	return new_first ? 0 : tally_add(s, nb, ns, 1, np, e);
}

int store_board_tally_rebuild(struct store *s, struct err *e)
{
	int rc = store_run(s, "DELETE FROM board_tally", NULL, 0, NULL, e);
	return rc ? rc
		  : store_run(s,
			      "INSERT INTO board_tally (board, secure, n, points)"
			      " SELECT i.board, CASE WHEN i.type = " SECURITY_TYPE " THEN 1 ELSE 0 END,"
			      " COUNT(*), SUM(" EFF_SIZE ") FROM issues i GROUP BY i.board,"
			      " CASE WHEN i.type = " SECURITY_TYPE " THEN 1 ELSE 0 END",
			      NULL, 0, NULL, e);
}

int store_board_tally_read(struct store *s, int recount, int64_t out[9][2][2], struct err *e)
{
	struct db_rows *r;
	int row, rc = s->drv->query(
		s->db,
		recount ? "SELECT i.board, CASE WHEN i.type = " SECURITY_TYPE " THEN 1 ELSE 0 END,"
			  " COUNT(*), SUM(" EFF_SIZE ") FROM issues i GROUP BY i.board,"
			  " CASE WHEN i.type = " SECURITY_TYPE " THEN 1 ELSE 0 END"
			: "SELECT board, secure, n, points FROM board_tally",
		NULL, 0, &r, e);
	memset(out, 0, 9 * sizeof *out);
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		int64_t col = s->drv->get_int(r, 0), sec = s->drv->get_int(r, 1);
		if (col >= 0 && col < 9 && (sec == 0 || sec == 1)) {
			out[col][sec][0] += s->drv->get_int(r, 2);
			out[col][sec][1] += s->drv->get_int(r, 3);
		}
	}
	s->drv->finish(r);
	return rc;
}

/* ---- the triage inbox's tally (migration 23) ---------------------------------- */

/* The tally's row of issue i: public issues share one (reporter 0);
 * security issues are counted per reporter (a reader who may not see
 * them sees the ones they reported). */
struct inbox_row {
	int secure;
	int64_t reporter;
};

static struct inbox_row inbox_row_of(const struct issue *i)
{
	struct inbox_row r = {i->type == ISSUE_SECURITY, 0};
	if (r.secure)
		r.reporter = i->reporter_id > 0 ? i->reporter_id : 0;
	return r;
}

static int inbox_add(struct store *s, struct inbox_row r, int64_t dn, struct err *e)
{
	struct db_param p[] = {P_INT(r.secure), P_INT(r.reporter), P_INT(dn)};
	return store_run(s,
			 "INSERT INTO triage_tally (secure, reporter_id, n) VALUES ($1, $2, $3)"
			 " ON CONFLICT (secure, reporter_id) DO UPDATE SET n = triage_tally.n + excluded.n",
			 p, 3, NULL, e);
}

int store_triage_tally(struct store *s, const struct issue *was, const struct issue *is,
		       struct err *e)
{
	int win = was && issue_in_inbox(was), iin = issue_in_inbox(is);
	struct inbox_row wr = {0, 0}, ir = inbox_row_of(is);
	if (was)
		wr = inbox_row_of(was);
	int same = wr.secure == ir.secure && wr.reporter == ir.reporter;
	if (win == iin && (!iin || same))
		return 0; /* in or out as before, and in the same row */
	if (win && iin) { /* moved between rows: in (secure, reporter) order,
			   * so concurrent writers on PostgreSQL lock them in one
			   * order, after board_tally's rows */
		int old_first = wr.secure < ir.secure ||
				(wr.secure == ir.secure && wr.reporter < ir.reporter);
		int rc = inbox_add(s, old_first ? wr : ir, old_first ? -1 : 1, e);
		return rc ? rc : inbox_add(s, old_first ? ir : wr, old_first ? 1 : -1, e);
	}
	return iin ? inbox_add(s, ir, 1, e) : inbox_add(s, wr, -1, e);
}

#define INBOX_ROW "CASE WHEN i.type = " SECURITY_TYPE " THEN 1 ELSE 0 END, " \
	"CASE WHEN i.type = " SECURITY_TYPE " THEN COALESCE(i.reporter_id, 0) ELSE 0 END"
#define TRIAGE_RECOUNT \
	"SELECT " INBOX_ROW ", COUNT(*) FROM issues i WHERE " IN_INBOX " GROUP BY " INBOX_ROW

int store_triage_tally_rebuild(struct store *s, struct err *e)
{
	int rc = store_run(s, "DELETE FROM triage_tally", NULL, 0, NULL, e);
	return rc ? rc
		  : store_run(s, "INSERT INTO triage_tally (secure, reporter_id, n) " TRIAGE_RECOUNT,
			      NULL, 0, NULL, e);
}

int store_triage_tally_read(struct store *s, int recount, struct triage_tally_row **out,
			    size_t *n, struct err *e)
{
	struct db_rows *r;
	size_t cap = 0;
	int row, rc = s->drv->query(s->db,
				    recount ? TRIAGE_RECOUNT " ORDER BY 1, 2"
					    : "SELECT secure, reporter_id, n FROM triage_tally"
					      " WHERE n <> 0 ORDER BY 1, 2",
				    NULL, 0, &r, e);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct triage_tally_row *m = realloc(*out, ncap * sizeof *m);
			if (!m) {
				rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
				break;
			}
			*out = m;
			cap = ncap;
		}
		(*out)[(*n)++] = (struct triage_tally_row){(int)s->drv->get_int(r, 0),
							    s->drv->get_int(r, 1), s->drv->get_int(r, 2)};
	}
	s->drv->finish(r);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* The product board's counts from the tally: every row for those who see
 * every issue; the public rows and the security issues they reported
 * themselves for everyone else. */
static int tally_counts(struct store *s, const struct visibility *v, int only,
			struct board_count *counts, int ncols, struct err *e)
{
	struct db_param p[] = {P_INT(v->user_id)};
	struct db_rows *r;
	int row, rc;
	for (int k = 0; k < 2; k++) {
		if (k == 1 && v->all_private)
			break;
		rc = k == 0 ? s->drv->query(s->db,
					    v->all_private ? "SELECT board, n, points FROM board_tally"
						       : "SELECT board, n, points FROM board_tally"
							 " WHERE secure = 0",
					    NULL, 0, &r, e)
			    : s->drv->query(s->db,
					    "SELECT i.board, COUNT(*), SUM(" EFF_SIZE ") FROM issues i"
					    " WHERE i.type = " SECURITY_TYPE " AND i.reporter_id = $1"
					    " GROUP BY i.board",
					    p, 1, &r, e);
		if (rc)
			return rc;
		while (!(rc = s->drv->next(r, &row, e)) && row) {
			int64_t col = s->drv->get_int(r, 0);
			if (col >= 0 && col < ncols && (only < 0 || col == only)) {
				counts[col].count += s->drv->get_int(r, 1);
				counts[col].points += s->drv->get_int(r, 2);
			}
		}
		s->drv->finish(r);
		if (rc)
			return rc;
	}
	return 0;
}

int store_board_counts(struct store *s, const struct visibility *v, int dev, int64_t milestone,
		       int only, struct board_count *counts, int ncols, struct err *e)
{
	if (!dev) {
		memset(counts, 0, (size_t)ncols * sizeof *counts);
		return tally_counts(s, v, only, counts, ncols, e);
	}
	struct sqlbuf *b = calloc(1, sizeof *b);
	struct db_rows *r;
	int n = 0, row, rc;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	memset(counts, 0, (size_t)ncols * sizeof *counts);
	sb_add(b, dev ? "SELECT i.dev_status, COUNT(*), SUM(" EFF_SIZE ") FROM issues i"
		      : "SELECT i.board, COUNT(*), SUM(" EFF_SIZE ") FROM issues i");
	board_where(b, v, dev, milestone, &n);
	if (only >= 0) {
		sb_cond(b, &n);
		sb_param(b, dev ? "i.dev_status = " : "i.board = ", P_INT(only), "");
	}
	sb_add(b, dev ? " GROUP BY i.dev_status" : " GROUP BY i.board");
	if (!(rc = sb_check(b, e)) && !(rc = s->drv->query(s->db, b->text, b->p, b->np, &r, e))) {
		while (!(rc = s->drv->next(r, &row, e)) && row) {
			int64_t col = s->drv->get_int(r, 0);
			if (col >= 0 && col < ncols) {
				counts[col].count = s->drv->get_int(r, 1);
				counts[col].points = s->drv->get_int(r, 2);
			}
		}
		s->drv->finish(r);
	}
	sb_release(b);
	free(b);
	return rc;
}

int store_board_page(struct store *s, const struct visibility *v, int dev, int column,
		     int64_t milestone, int64_t offset, int64_t limit, struct issue_list *out,
		     struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	int n = 0, rc;
	out->items = NULL;
	out->n = 0;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	sb_add(b, "SELECT " ISSUE_COLS ISSUE_FROM);
	board_where(b, v, dev, milestone, &n);
	sb_cond(b, &n);
	sb_param(b, dev ? "i.dev_status = " : "i.board = ", P_INT(column), "");
	if (dev && column == DEV_DONE) /* most recently done first */
		sb_add(b, " ORDER BY i.dev_position DESC, i.number DESC");
	else if (!dev && column == 8 /* closed */)
		sb_add(b, " ORDER BY i.board_position DESC, i.number DESC");
	else
		sb_add(b, dev ? " ORDER BY i.dev_position, i.number" : " ORDER BY i.board_position, i.number");
	sb_param(b, " LIMIT ", P_INT(limit), "");
	sb_param(b, " OFFSET ", P_INT(offset), "");
	if (!(rc = sb_check(b, e)) && !(rc = collect_issues(s, b, out, e)))
		rc = finish_page(s, v, out, e);
	sb_release(b);
	free(b);
	if (rc)
		issue_list_release(out);
	return rc;
}

int store_lock_board(struct store *s, struct err *e)
{
	return s->drv->lock(s->db, DB_LOCK_BOARD, e);
}

int store_lock_row(struct store *s, enum store_row what, int64_t key, struct err *e)
{
	static const char *const sql[] = {
		[ROW_ISSUE] = "SELECT 1 FROM issues WHERE number = $1 FOR UPDATE",
		[ROW_MILESTONE] = "SELECT 1 FROM milestones WHERE id = $1 FOR UPDATE",
		[ROW_INSIGHT] = "SELECT 1 FROM insights WHERE id = $1 FOR UPDATE",
		[ROW_OBJECTIVE] = "SELECT 1 FROM objectives WHERE id = $1 FOR UPDATE",
		[ROW_KEY_RESULT] = "SELECT 1 FROM key_results WHERE id = $1 FOR UPDATE",
		[ROW_PILLAR] = "SELECT 1 FROM pillars WHERE id = $1 FOR UPDATE",
		[ROW_CUSTOMER] = "SELECT 1 FROM customers WHERE id = $1 FOR UPDATE",
		[ROW_PERSONA] = "SELECT 1 FROM personas WHERE id = $1 FOR UPDATE",
	};
	struct db_param p[] = {P_INT(key)};
	int64_t one;
	if (!*s->drv->word(DB_W_FOR_UPDATE))
		return 0;
	int rc = store_one_int(s, sql[what], p, 1, &one, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		rc = 0;
	}
	return rc;
}

int store_lock_settings(struct store *s, struct err *e)
{
	return s->drv->lock(s->db, DB_LOCK_SETTINGS, e);
}

int store_lock_throttle(struct store *s, struct err *e)
{
	return s->drv->lock(s->db, DB_LOCK_THROTTLE, e);
}

int store_throttle_get(struct store *s, const char *key, struct throttle_row *out,
		       struct err *e)
{
	struct db_param p[] = {P_TEXT(key)};
	struct db_rows *r;
	int row, rc = s->drv->query(s->db,
				    "SELECT failures, last_at, locked_until FROM login_throttle"
				    " WHERE key = $1",
				    p, 1, &r, e);
	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	if (!(rc = s->drv->next(r, &row, e)) && row) {
		out->failures = (int)s->drv->get_int(r, 0);
		out->last_at = s->drv->get_int(r, 1);
		out->locked_until = s->drv->get_int(r, 2);
	}
	s->drv->finish(r);
	return rc;
}

int store_throttle_put(struct store *s, const char *key, const struct throttle_row *x,
		       struct err *e)
{
	struct db_param p[] = {P_TEXT(key), P_INT(x->failures), P_INT(x->last_at),
			       P_INT(x->locked_until)};
	return store_run(s,
			 "INSERT INTO login_throttle (key, failures, last_at, locked_until)"
			 " VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET"
			 " failures = excluded.failures, last_at = excluded.last_at,"
			 " locked_until = excluded.locked_until",
			 p, 4, NULL, e);
}

int store_throttle_prune(struct store *s, int64_t before, int64_t now, struct err *e)
{
	struct db_param p[] = {P_INT(before), P_INT(now)};
	return store_run(s, "DELETE FROM login_throttle WHERE last_at < $1 AND locked_until <= $2", p,
			 2, NULL, e);
}

int store_throttle_clear(struct store *s, const char *key, struct err *e)
{
	struct db_param p[] = {P_TEXT(key)};
	return store_run(s, "DELETE FROM login_throttle WHERE key = $1", p, 1, NULL, e);
}

int store_todo_load(struct store *s, int64_t exclude_id, int64_t *points, struct err *e)
{
	struct db_param p[] = {P_INT(DEV_TODO), P_INT(exclude_id)};
	/* every open item but security issues, whoever asks: the limit is
	 * the team's, and private work must not show through its numbers */
	return store_one_int(s,
			     "SELECT COALESCE(SUM(" EFF_SIZE "), 0) FROM issues i WHERE i.dev_status > 0 AND i.dev_status = $1"
			     " AND i.state = 0 AND i.type <> " SECURITY_TYPE " AND i.id <> $2",
			     p, 2, points, e);
}

/* The descendants of an issue, as full issues (the tree view). */
int store_issue_subtree(struct store *s, const struct visibility *v, int64_t number,
			struct issue_list *out, struct err *e)
{
	struct sqlbuf *b = calloc(1, sizeof *b);
	int rc;
	out->items = NULL;
	out->n = 0;
	if (!b)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	/* UNION (not UNION ALL) stops at a cycle; the rule applies at every
	 * step so a hidden item hides its subtree */
	sb_param(b, "WITH RECURSIVE t(number, depth) AS (SELECT i.number, 0 FROM issues i"
		    " WHERE i.parent_number = ", P_INT(number), "");
	if (!v->all_private)
		sb_param(b, " AND " PRIVATE_RULE_HEAD, P_INT(v->user_id), PRIVATE_RULE_TAIL);
	/* one path to each node in a tree; the depth cap stops a cycle in old data */
	sb_add(b, " UNION ALL SELECT i.number, t.depth + 1 FROM issues i JOIN t ON"
		  " i.parent_number = t.number WHERE t.depth < 16");
	if (!v->all_private)
		sb_param(b, " AND " PRIVATE_RULE_HEAD, P_INT(v->user_id), PRIVATE_RULE_TAIL);
	sb_add(b, ") SELECT " ISSUE_COLS ISSUE_FROM " JOIN t ON t.number = i.number"
		  " ORDER BY i.number LIMIT 5000");
	if (!(rc = sb_check(b, e)) && !(rc = collect_issues(s, b, out, e)))
		rc = finish_page(s, v, out, e);
	sb_release(b);
	free(b);
	if (rc)
		issue_list_release(out);
	return rc;
}
