/*
 * store_decision.c — the decision log: decisions with their RACI people,
 * links to issues, initiatives and insights, and history (store.h).
 * Portable SQL with bound parameters; a linked issue the reader may not see
 * is left out of what is read for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int lost(const char *src, const char *copy)
{
	return src && !copy;
}

void decision_release(struct decision *d)
{
	if (!d)
		return;
	free(d->title);
	free(d->context);
	free(d->options);
	free(d->decision);
	free(d->consequences);
	free(d->snapshot);
	free(d->creator);
	memset(d, 0, sizeof *d);
}

void decision_list_release(struct decision_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		decision_release(&l->items[k]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

#define DECISION_COLS                                                                         \
	"d.id, d.title, d.context, d.options, d.decision, d.consequences, d.status,"          \
	" COALESCE(d.decided_at, 0), d.review_day, COALESCE(d.supersedes_id, 0),"             \
	" COALESCE((SELECT MIN(x.id) FROM decisions x WHERE x.supersedes_id = d.id AND"      \
	" x.status IN (1, 3)), 0), d.snapshot, COALESCE(d.created_by, 0), u.login, d.created_at,"   \
	" d.updated_at, d.version"
#define DECISION_FROM " FROM decisions d LEFT JOIN users u ON u.id = d.created_by"

static int read_decision(struct store *s, struct db_rows *r, void *item)
{
	struct decision *d = item;
	const struct db_driver *x = s->drv;
	d->id = x->get_int(r, 0);
	d->title = dup_or_null(x->get_text(r, 1));
	d->context = dup_or_null(x->get_text(r, 2));
	d->options = dup_or_null(x->get_text(r, 3));
	d->decision = dup_or_null(x->get_text(r, 4));
	d->consequences = dup_or_null(x->get_text(r, 5));
	d->status = (int)x->get_int(r, 6);
	d->decided_at = x->get_int(r, 7);
	d->review_day = x->is_null(r, 8) ? STRAT_NONE : x->get_int(r, 8);
	d->supersedes = x->get_int(r, 9);
	d->superseded_by = x->get_int(r, 10);
	d->snapshot = dup_or_null(x->get_text(r, 11));
	d->created_by = x->get_int(r, 12);
	d->creator = dup_or_null(x->get_text(r, 13));
	d->created_at = x->get_int(r, 14);
	d->updated_at = x->get_int(r, 15);
	d->version = x->get_int(r, 16);
	return !d->title || !d->context || !d->options || !d->decision || !d->consequences ||
	       lost(x->get_text(r, 11), d->snapshot) || lost(x->get_text(r, 13), d->creator);
}

static void release_decisions(void *items, size_t n)
{
	struct decision_list l = {items, n};
	decision_list_release(&l);
}

#define P_DAY(x) ((x) == STRAT_NONE ? P_NULL : P_INT(x))

int store_decision_insert(struct store *s, struct decision *d, const char *fold, struct err *e)
{
	struct db_param p[] = {P_TEXT(d->title),	P_TEXT(d->context),	 P_TEXT(d->options),
			       P_TEXT(d->decision),	P_TEXT(d->consequences), P_INT(d->status),
			       P_INT0(d->decided_at),	P_DAY(d->review_day),	 P_INT0(d->supersedes),
			       P_TEXT(d->snapshot),	P_TEXT(fold),		 P_INT0(d->created_by),
			       P_INT(d->created_at),	P_INT(d->updated_at)};
	int rc = store_one_int(s,
			       "INSERT INTO decisions (title, context, options, decision, consequences,"
			       " status, decided_at, review_day, supersedes_id, snapshot, search_fold,"
			       " created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5,"
			       " $6, $7, $8, $9, $10, $11, $12, $13, $14, 1) RETURNING id",
			       p, 14, &d->id, e);
	if (!rc)
		d->version = 1;
	return rc;
}

int store_decision_update(struct store *s, struct decision *d, const char *fold, int64_t expected,
			  struct err *e)
{
	struct db_param p[] = {P_TEXT(d->title),    P_TEXT(d->context),	     P_TEXT(d->options),
			       P_TEXT(d->decision), P_TEXT(d->consequences), P_INT(d->status),
			       P_INT0(d->decided_at), P_DAY(d->review_day), P_INT0(d->supersedes),
			       P_TEXT(d->snapshot), P_TEXT(fold),	     P_INT(d->updated_at),
			       P_INT(d->id),	    P_INT(expected)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE decisions SET title = $1, context = $2, options = $3, decision = $4,"
			   " consequences = $5, status = $6, decided_at = $7, review_day = $8,"
			   " supersedes_id = $9, snapshot = $10, search_fold = $11, updated_at = $12,"
			   " version = version + 1 WHERE id = $13 AND version = $14",
			   p, 14, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ESTALE, "version", "decision #%lld changed since version %lld; reload it",
			     (long long)d->id, (long long)expected);
	if (!rc)
		d->version = expected + 1;
	return rc;
}

int store_decision_lock(struct store *s, int64_t id, struct err *e)
{
	char sql[128];
	struct db_param p[] = {P_INT(id)};
	int64_t got;
	snprintf(sql, sizeof sql, "SELECT id FROM decisions WHERE id = $1%s",
		 s->drv->word(DB_W_FOR_UPDATE));
	int rc = store_one_int(s, sql, p, 1, &got, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		rc = err_set(e, CAIRN_ENOTFOUND, "decision", "no decision #%lld", (long long)id);
	}
	return rc;
}

int store_decision_get(struct store *s, int64_t id, struct decision *out, struct err *e)
{
	struct decision *rows = NULL;
	size_t n = 0;
	struct db_param p[] = {P_INT(id)};
	int rc = store_collect(s, "SELECT " DECISION_COLS DECISION_FROM " WHERE d.id = $1", p, 1,
			       sizeof *rows, read_decision, release_decisions, (void **)&rows, &n, e);
	memset(out, 0, sizeof *out);
	if (!rc && n == 0)
		rc = err_set(e, CAIRN_ENOTFOUND, "decision", "no decision #%lld", (long long)id);
	if (!rc)
		*out = rows[0];
	else if (n)
		release_decisions(rows, n), rows = NULL;
	free(rows);
	return rc;
}

int store_decision_list(struct store *s, const char *const *words, size_t nwords, int status,
			int64_t issue_id, int64_t user_id, int64_t limit, struct decision_list *out,
			int64_t *total, struct err *e)
{
	char sql[2048], *pats[8] = {0};
	struct db_param p[12];
	int np = 0, rc;
	size_t len;
	out->items = NULL;
	out->n = 0;
	if (nwords > 8)
		return err_set(e, CAIRN_EINVALID, "q", "at most 8 words");
	char where[1024];
	len = (size_t)snprintf(where, sizeof where, " WHERE 1 = 1");
	for (size_t k = 0; k < nwords; k++) {
		if (!(pats[k] = store_like_pattern(words[k]))) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		p[np++] = P_TEXT(pats[k]);
		len += (size_t)snprintf(where + len, sizeof where - len,
					" AND d.search_fold LIKE $%d ESCAPE '\\'", np);
	}
	if (status >= 0) {
		p[np++] = P_INT(status);
		len += (size_t)snprintf(where + len, sizeof where - len, " AND d.status = $%d", np);
	}
	if (issue_id) {
		p[np++] = P_INT(issue_id);
		len += (size_t)snprintf(where + len, sizeof where - len,
					" AND d.id IN (SELECT decision_id FROM decision_links WHERE"
					" kind = 0 AND target_id = $%d)",
					np);
	}
	if (user_id) {
		p[np++] = P_INT(user_id);
		len += (size_t)snprintf(where + len, sizeof where - len,
					" AND d.id IN (SELECT decision_id FROM decision_people WHERE"
					" user_id = $%d)",
					np);
	}
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM decisions d%s", where);
	if ((rc = store_one_int(s, sql, p, np, total, e)))
		goto out;
	p[np++] = P_INT(limit);
	snprintf(sql, sizeof sql, "SELECT " DECISION_COLS DECISION_FROM "%s ORDER BY d.id DESC LIMIT $%d",
		 where, np);
	rc = store_collect(s, sql, p, np, sizeof *out->items, read_decision, release_decisions,
			   (void **)&out->items, &out->n, e);
out:
	for (size_t k = 0; k < 8; k++)
		free(pats[k]);
	return rc;
}

static int read_person(struct store *s, struct db_rows *r, void *item)
{
	struct decision_person *p = item;
	p->role = (int)s->drv->get_int(r, 0);
	p->user_id = s->drv->get_int(r, 1);
	snprintf(p->login, sizeof p->login, "%s", s->drv->get_text(r, 2) ? s->drv->get_text(r, 2) : "");
	return 0;
}

int store_decision_people(struct store *s, int64_t id, struct decision_person **out, size_t *n,
			  struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	return store_collect(s,
			     "SELECT dp.role, dp.user_id, u.login FROM decision_people dp"
			     " JOIN users u ON u.id = dp.user_id WHERE dp.decision_id = $1"
			     " ORDER BY dp.role, u.login",
			     p, 1, sizeof **out, read_person, store_free_items, (void **)out, n, e);
}

int store_decision_set_people(struct store *s, int64_t id, const struct decision_person *people,
			      size_t n, struct err *e)
{
	struct db_param d[] = {P_INT(id)};
	int rc = store_run(s, "DELETE FROM decision_people WHERE decision_id = $1", d, 1, NULL, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct db_param p[] = {P_INT(id), P_INT(people[k].role), P_INT(people[k].user_id)};
		rc = store_run(s,
			       "INSERT INTO decision_people (decision_id, role, user_id) VALUES ($1, $2, $3)",
			       p, 3, NULL, e);
	}
	return rc;
}

static int read_link(struct store *s, struct db_rows *r, void *item)
{
	struct decision_link *l = item;
	l->kind = (int)s->drv->get_int(r, 0);
	l->target_id = s->drv->get_int(r, 1);
	l->number = s->drv->get_int(r, 2);
	l->state = (int)s->drv->get_int(r, 3);
	snprintf(l->title, sizeof l->title, "%s", s->drv->get_text(r, 4) ? s->drv->get_text(r, 4) : "");
	return 0;
}

int store_decision_links(struct store *s, int64_t id, const struct visibility *v,
			 struct decision_link **out, size_t *n, struct err *e)
{
	char sql[1024], rule[160];
	struct db_param p[] = {P_INT(id)};
	if (v->all_private)
		snprintf(rule, sizeof rule, "1 = 1");
	else
		snprintf(rule, sizeof rule, PRIVATE_RULE_HEAD "%lld" PRIVATE_RULE_TAIL,
			 (long long)v->user_id);
	snprintf(sql, sizeof sql,
		 "SELECT 0, i.id, i.number, i.state, i.title FROM decision_links l"
		 " JOIN issues i ON i.id = l.target_id WHERE l.decision_id = $1 AND l.kind = 0 AND %s"
		 " UNION ALL SELECT 1, n.id, 0, n.status, n.title FROM decision_links l"
		 " JOIN initiatives n ON n.id = l.target_id WHERE l.decision_id = $1 AND l.kind = 1"
		 " UNION ALL SELECT 2, n.id, 0, n.state, n.title FROM decision_links l"
		 " JOIN insights n ON n.id = l.target_id WHERE l.decision_id = $1 AND l.kind = 2"
		 " ORDER BY 1, 2",
		 rule);
	return store_collect(s, sql, p, 1, sizeof **out, read_link, store_free_items, (void **)out,
			     n, e);
}

int store_decision_set_links(struct store *s, int64_t id, int kind, const int64_t *targets,
			     size_t n, struct err *e)
{
	struct db_param d[] = {P_INT(id), P_INT(kind)};
	int rc = store_run(s, "DELETE FROM decision_links WHERE decision_id = $1 AND kind = $2", d, 2,
			   NULL, e);
	for (size_t k = 0; k < n && !rc; k++) {
		struct db_param p[] = {P_INT(id), P_INT(kind), P_INT(targets[k])};
		rc = store_run(s,
			       "INSERT INTO decision_links (decision_id, kind, target_id) VALUES ($1, $2, $3)",
			       p, 3, NULL, e);
	}
	return rc;
}

int store_decision_history_add(struct store *s, int64_t id, int64_t actor, int64_t at,
			       const char *field, const char *old_value, const char *new_value,
			       struct err *e)
{
	struct db_param p[] = {P_INT(id), P_INT0(actor), P_INT(at), P_TEXT(field), P_TEXT(old_value),
			       P_TEXT(new_value)};
	return store_run(s,
			 "INSERT INTO decision_history (decision_id, actor_id, at, field, old_value,"
			 " new_value) VALUES ($1, $2, $3, $4, $5, $6)",
			 p, 6, NULL, e);
}

int store_decision_history(struct store *s, int64_t id, struct history_list *out, struct err *e)
{
	return store_history_read(s,
				  "SELECT h.id, u.login, h.at, h.field, h.old_value, h.new_value"
				  " FROM decision_history h LEFT JOIN users u ON u.id = h.actor_id"
				  " WHERE h.decision_id = $1 ORDER BY h.id",
				  id, out, e);
}

int store_decisions_due(struct store *s, int64_t today, int64_t limit, struct decision_list *out,
			int64_t *total, struct err *e)
{
	struct db_param p[] = {P_INT(today), P_INT(limit)};
	int rc;
	out->items = NULL;
	out->n = 0;
	if ((rc = store_one_int(s,
				"SELECT COUNT(*) FROM decisions WHERE review_day <= $1"
				" AND status IN (0, 1)",
				p, 1, total, e)))
		return rc;
	return store_collect(s,
			     "SELECT " DECISION_COLS DECISION_FROM " WHERE d.review_day <= $1"
			     " AND d.status IN (0, 1) ORDER BY d.review_day, d.id LIMIT $2",
			     p, 2, sizeof *out->items, read_decision, release_decisions,
			     (void **)&out->items, &out->n, e);
}
