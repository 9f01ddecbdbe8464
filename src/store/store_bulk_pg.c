/*
 * store_bulk_pg.c — a bulk load through the driver's copy_row (issue #17:
 * PostgreSQL's COPY), beside store_bulk.c.
 *
 * While it is on, a new issue's own rows (the issue, its labels, its
 * history, its milestone scope) are not inserted one statement at a time
 * but handed to the driver, which streams them with COPY ... FROM STDIN
 * (db_pg.c): a round trip per table and a few megabytes instead of about
 * five per issue.  The rows wait in the driver until a statement could see
 * them, so every read the service makes meanwhile sees the load as it
 * would have.  The validation stays in the service, row by row.
 *
 * A child row needs its issue's id before the issue is written: the ids
 * come from the issues' own sequence, a block of them in one round trip,
 * and the ids left over at the end are given back (the issue counter row,
 * locked for the whole load, keeps other writers of issues waiting), so a
 * load gives the ids an insert per issue would have.
 *
 * Into an empty issues table (the demo, a first import) the load also
 * drops the plain secondary indexes of the tables it writes (the search
 * index, GIN, included) and their foreign keys, and store_bulk_end makes
 * them again after the search rows: one sort per index instead of an
 * index insert per row, one join per foreign key instead of a lookup per
 * row (the service checked every reference already; a bad one still fails
 * the load when its key is made again).  Not into a table that holds
 * issues: the rebuild would cost in proportion to what is there, and
 * DROP INDEX locks the tables against readers until the commit.  Unique
 * indexes stay (the rules they hold are checked row by row).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* A setting the load read (store_setting_get): value NULL when none. */
struct copy_setting {
	char *name, *value;
};

/* What store_issue_link reads of an issue the load wrote. */
struct copy_link {
	int64_t parent, reporter_id;
	int type;
};

/* ids taken from the sequence in one round trip */
#define ID_BLOCK 4096

void store_copy_begin(struct store *s)
{
	store_copy_forget(s);
	s->copy = s->drv->copy_row != NULL;
	s->copy_first = s->bulk_number + 1; /* the numbers it hands out */
}

void store_copy_forget(struct store *s)
{
	free(s->copy_ids);
	s->copy_ids = NULL;
	s->copy_nids = s->copy_next = 0;
	free(s->copy_links);
	s->copy_links = NULL;
	s->copy_nlinks = s->copy_caplinks = 0;
	free(s->copy_users);
	s->copy_users = NULL;
	s->copy_nusers = s->copy_capusers = 0;
	for (size_t k = 0; k < s->copy_nsettings; k++) {
		free(s->copy_settings[k].name);
		free(s->copy_settings[k].value);
	}
	free(s->copy_settings);
	s->copy_settings = NULL;
	s->copy_nsettings = s->copy_capsettings = 0;
	s->copy = 0;
}

/* Settings read during the load (the SLA of each scored issue), kept for
 * its next reads; a write of one during the load replaces it. */
#define COPY_SETTINGS_MAX 64

int store_copy_setting(struct store *s, const char *name, char *buf, size_t cap, int *found)
{
	for (size_t k = 0; k < s->copy_nsettings; k++) {
		const struct copy_setting *c = &s->copy_settings[k];
		if (strcmp(c->name, name) == 0) {
			*found = c->value != NULL;
			if (c->value)
				snprintf(buf, cap, "%s", c->value);
			return 0;
		}
	}
	return 1;
}

void store_copy_setting_keep(struct store *s, const char *name, const char *value)
{
	struct copy_setting *c = NULL;
	for (size_t k = 0; k < s->copy_nsettings && !c; k++)
		if (strcmp(s->copy_settings[k].name, name) == 0)
			c = &s->copy_settings[k];
	if (!c) {
		if (s->copy_nsettings >= COPY_SETTINGS_MAX ||
		    store_grow((void **)&s->copy_settings, &s->copy_capsettings, s->copy_nsettings,
			       sizeof *s->copy_settings) ||
		    !(name = strdup(name)))
			return;
		c = &s->copy_settings[s->copy_nsettings++];
		*c = (struct copy_setting){(char *)name, NULL};
	}
	free(c->value);
	/* out of memory: forgotten, read again next time */
	if (!(c->value = value ? strdup(value) : NULL) && value) {
		free(c->name);
		*c = s->copy_settings[--s->copy_nsettings];
	}
}

/* Users looked up by login during the load, kept for its next lookups (an
 * assignee per issue): a load writes no user, and the service keeps its
 * reporters the same way (svc_issue.c, login_cache). */
#define COPY_USERS_MAX 256

int store_copy_user(struct store *s, const char *login, struct user *out)
{
	for (size_t k = 0; k < s->copy_nusers; k++)
		if (strcmp(s->copy_users[k].login, login) == 0) {
			*out = s->copy_users[k];
			return 0;
		}
	return 1;
}

void store_copy_user_keep(struct store *s, const struct user *u)
{
	if (s->copy_nusers < COPY_USERS_MAX &&
	    !store_grow((void **)&s->copy_users, &s->copy_capusers, s->copy_nusers,
			sizeof *s->copy_users))
		s->copy_users[s->copy_nusers++] = *u;
}

int store_copy_note(struct store *s, const struct issue *i, struct err *e)
{
	/* numbers come in order from copy_first; any other is read back */
	if (i->number != s->copy_first + (int64_t)s->copy_nlinks)
		return 0;
	if (store_grow((void **)&s->copy_links, &s->copy_caplinks, s->copy_nlinks,
		       sizeof *s->copy_links))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	s->copy_links[s->copy_nlinks++] =
		(struct copy_link){i->parent, i->reporter_id, (int)i->type};
	return 0;
}

/* The load only inserts issues, so what it wrote is what a read would
 * give; the private rule is store_issue_link's (PRIVATE_RULE_HEAD). */
int store_copy_link(struct store *s, int64_t number, const struct visibility *v,
		    enum issue_type *type, int64_t *parent)
{
	if (number < s->copy_first || number - s->copy_first >= (int64_t)s->copy_nlinks)
		return 1;
	const struct copy_link *l = &s->copy_links[number - s->copy_first];
	if (!v->all_private && l->type == ISSUE_SECURITY &&
	    (!l->reporter_id || l->reporter_id != v->user_id))
		return -1;
	*type = (enum issue_type)l->type;
	*parent = l->parent;
	return 0;
}

/* What store_copy_defer drops, with the statements that make it again:
 * the plain indexes, then the foreign keys, of the tables the load
 * writes (names from the catalog, quoted by format()). */
#define LOADED_TABLES "('issues', 'issue_labels', 'history', 'milestone_scope', 'search_docs')"
#define PG_DEFERRED                                                                        \
	"SELECT pg_get_indexdef(x.indexrelid), format('DROP INDEX %I', c.relname), 0 AS k,"  \
	" c.relname::text AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid"   \
	" JOIN pg_class t ON t.oid = x.indrelid"                                           \
	" WHERE t.relnamespace = current_schema()::regnamespace AND NOT x.indisunique"     \
	" AND t.relname IN " LOADED_TABLES                                                 \
	" UNION ALL SELECT format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, o.conname," \
	" pg_get_constraintdef(o.oid)), format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname," \
	" o.conname), 1, o.conname::text FROM pg_constraint o JOIN pg_class t ON t.oid = o.conrelid" \
	" WHERE o.contype = 'f' AND t.relnamespace = current_schema()::regnamespace"       \
	" AND t.relname IN " LOADED_TABLES " ORDER BY 3, 4"

struct deferred {
	char *create, *drop;
};

static int read_deferred(struct store *s, struct db_rows *r, void *item)
{
	struct deferred *d = item;
	const char *c = s->drv->get_text(r, 0), *x = s->drv->get_text(r, 1);
	d->create = strdup(c ? c : "");
	d->drop = strdup(x ? x : "");
	return !d->create || !d->drop;
}

static void free_deferred(void *items, size_t n)
{
	struct deferred *v = items;
	for (size_t k = 0; k < n; k++) {
		free(v[k].create);
		free(v[k].drop);
	}
}

int store_copy_defer(struct store *s, struct err *e)
{
	int64_t any = 0;
	int rc = 0;
	if (!s->copy ||
	    (rc = store_one_int(s, "SELECT COUNT(*) FROM (SELECT 1 FROM issues LIMIT 1) x", NULL, 0,
				&any, e)) ||
	    any)
		return rc;
	void *got = NULL;
	size_t n = 0;
	if ((rc = store_collect(s, PG_DEFERRED, NULL, 0, sizeof(struct deferred), read_deferred,
				free_deferred, &got, &n, e)))
		return rc;
	struct deferred *d = got;
	if (!(s->bulk_sql = calloc(n + 1, sizeof *s->bulk_sql))) {
		free_deferred(d, n);
		free(d);
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	}
	/* store_bulk_end runs the CREATE statements, after the search rows */
	for (size_t k = 0; k < n; k++) {
		if (!rc)
			rc = s->drv->exec(s->db, d[k].drop, e);
		s->bulk_sql[s->bulk_n++] = d[k].create;
		free(d[k].drop);
	}
	free(d);
	/* room to sort each index in memory when it is made again */
	return rc ? rc : s->drv->exec(s->db, "SET LOCAL maintenance_work_mem = '256MB'", e);
}

int store_insert_row(struct store *s, const char *insert_sql, const char *copy_sql,
		     const struct db_param *p, int np, struct err *e)
{
	if (s->copy)
		return s->drv->copy_row(s->db, copy_sql, p, np, e);
	return store_run(s, insert_sql, p, np, NULL, e);
}

static int read_id(struct store *s, struct db_rows *r, void *item)
{
	*(int64_t *)item = s->drv->get_int(r, 0);
	return 0;
}

int store_copy_id(struct store *s, int64_t *id, struct err *e)
{
	if (s->copy_next == s->copy_nids) {
		struct db_param p[] = {P_INT(ID_BLOCK)};
		void *got = NULL;
		size_t n = 0;
		int rc = store_collect(s,
				       "SELECT nextval(pg_get_serial_sequence('issues', 'id'))"
				       " FROM generate_series(1, $1)",
				       p, 1, sizeof(int64_t), read_id, store_free_items, &got, &n, e);
		if (rc)
			return rc;
		if (!n) {
			free(got);
			return err_set(e, CAIRN_EINTERNAL, NULL, "no issue ids from the sequence");
		}
		free(s->copy_ids);
		s->copy_ids = got;
		s->copy_nids = n;
		s->copy_next = 0;
	}
	*id = s->copy_ids[s->copy_next++];
	return 0;
}

int store_copy_end(struct store *s, struct err *e)
{
	int rc = 0;
	size_t left = s->copy_nids - s->copy_next;
	/* the ids not used go back when they are the sequence's last ones
	 * (nobody else took any meanwhile: the counter row kept them waiting) */
	if (left && s->copy_ids[s->copy_nids - 1] - s->copy_ids[s->copy_next] == (int64_t)left - 1) {
		struct db_param p[] = {P_INT(s->copy_ids[s->copy_next]),
				       P_INT(s->copy_ids[s->copy_nids - 1])};
		rc = store_run(s,
			       "SELECT setval(q, $1, false) FROM (SELECT"
			       " pg_get_serial_sequence('issues', 'id')::regclass AS q) s"
			       " WHERE pg_sequence_last_value(q) = $2",
			       p, 2, NULL, e);
	}
	store_copy_forget(s);
	return rc;
}
