/*
 * store_github.c — the tables of the GitHub integration (migration 19):
 * repositories, login mapping, issue and comment links, deliveries.
 * Names are matched case-folded (ASCII, as GitHub does): the caller
 * passes the folded form where a *_fold column is compared.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* A bound text that is never NULL (a local array). */
#define P_STR(x) ((struct db_param){.type = DB_TEXT, .s = (x)})

static void fold(const char *s, char *out, size_t cap)
{
	size_t k = 0;
	for (; s && s[k] && k + 1 < cap; k++)
		out[k] = (char)tolower((unsigned char)s[k]);
	out[k] = '\0';
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* ---- repositories ------------------------------------------------------- */

#define REPO_COLS                                                                          \
	"r.id, r.full_name, COALESCE(r.gh_id, 0), r.secret, r.token, COALESCE(r.area_id, 0),"  \
	" COALESCE(a.name, ''), r.created_at, r.updated_at"
#define REPO_FROM " FROM gh_repos r LEFT JOIN areas a ON a.id = r.area_id"

static int read_repo(struct store *s, struct db_rows *r, void *item)
{
	struct gh_repo *g = item;
	g->id = s->drv->get_int(r, 0);
	copy(g->full_name, sizeof g->full_name, s->drv->get_text(r, 1));
	g->gh_id = s->drv->get_int(r, 2);
	copy(g->secret, sizeof g->secret, s->drv->get_text(r, 3));
	copy(g->token, sizeof g->token, s->drv->get_text(r, 4));
	g->area_id = s->drv->get_int(r, 5);
	copy(g->area, sizeof g->area, s->drv->get_text(r, 6));
	g->created_at = s->drv->get_int(r, 7);
	g->updated_at = s->drv->get_int(r, 8);
	return 0;
}

int store_gh_repo_insert(struct store *s, struct gh_repo *g, struct err *e)
{
	char f[GH_NAME_MAX + 1];
	fold(g->full_name, f, sizeof f);
	struct db_param p[] = {P_STR(g->full_name), P_STR(f),          P_INT0(g->gh_id),
			       P_STR(g->secret),    P_STR(g->token),   P_INT0(g->area_id),
			       P_INT(g->created_at), P_INT(g->updated_at)};
	int64_t exists = 0;
	if (!store_one_int(s, "SELECT id FROM gh_repos WHERE full_name_fold = $1", &p[1], 1, &exists,
			   e))
		return err_set(e, CAIRN_ECONFLICT, "full_name", "%s is already configured",
			       g->full_name);
	err_clear(e);
	return store_one_int(s,
			     "INSERT INTO gh_repos (full_name, full_name_fold, gh_id, secret, token,"
			     " area_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
			     " RETURNING id",
			     p, 8, &g->id, e);
}

int store_gh_repo_update(struct store *s, const struct gh_repo *g, struct err *e)
{
	char f[GH_NAME_MAX + 1];
	fold(g->full_name, f, sizeof f);
	struct db_param p[] = {P_INT(g->id),       P_STR(g->full_name), P_STR(f),
			       P_INT0(g->gh_id),   P_STR(g->secret),    P_STR(g->token),
			       P_INT0(g->area_id), P_INT(g->updated_at)};
	int64_t other = 0;
	int rc = store_one_int(s, "SELECT id FROM gh_repos WHERE full_name_fold = $1 AND id <> $2",
			       (struct db_param[]){P_STR(f), P_INT(g->id)}, 2, &other, e);
	if (!rc)
		return err_set(e, CAIRN_ECONFLICT, "full_name", "%s is already configured",
			       g->full_name);
	err_clear(e);
	return store_run(s,
			 "UPDATE gh_repos SET full_name = $2, full_name_fold = $3, gh_id = $4,"
			 " secret = $5, token = $6, area_id = $7, updated_at = $8 WHERE id = $1",
			 p, 8, NULL, e);
}

int store_gh_repo_delete(struct store *s, int64_t id, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	int64_t changed = 0;
	int rc = store_run(s, "UPDATE gh_deliveries SET repo_id = NULL WHERE repo_id = $1", p, 1,
			   NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM gh_issues WHERE repo_id = $1", p, 1, NULL, e);
	if (!rc)
		rc = store_run(s, "DELETE FROM gh_repos WHERE id = $1", p, 1, &changed, e);
	if (!rc && !changed)
		rc = err_set(e, CAIRN_ENOTFOUND, "repo", "no repository #%lld", (long long)id);
	return rc;
}

int store_gh_repo_list(struct store *s, struct gh_repo **out, size_t *n, struct err *e)
{
	return store_collect(s, "SELECT " REPO_COLS REPO_FROM " ORDER BY r.id", NULL, 0,
			     sizeof **out, read_repo, store_free_items, (void **)out, n, e);
}

int store_gh_repo_get(struct store *s, int64_t id, struct gh_repo *out, struct err *e)
{
	struct gh_repo *all = NULL;
	size_t n = 0;
	struct db_param p[] = {P_INT(id)};
	int rc = store_collect(s, "SELECT " REPO_COLS REPO_FROM " WHERE r.id = $1", p, 1,
			       sizeof *all, read_repo, store_free_items, (void **)&all, &n, e);
	if (!rc && !n)
		rc = err_set(e, CAIRN_ENOTFOUND, "repo", "no repository #%lld", (long long)id);
	if (!rc)
		*out = all[0];
	free(all);
	return rc;
}

int store_gh_repo_find(struct store *s, int64_t gh_id, const char *full_name,
		       struct gh_repo **out, size_t *n, struct err *e)
{
	char f[GH_NAME_MAX + 1];
	fold(full_name, f, sizeof f);
	struct db_param p[] = {P_INT(gh_id), P_STR(f)};
	return store_collect(s,
			     "SELECT " REPO_COLS REPO_FROM
			     " WHERE (r.gh_id IS NOT NULL AND r.gh_id = $1) OR r.full_name_fold = $2"
			     " ORDER BY r.id",
			     p, 2, sizeof **out, read_repo, store_free_items, (void **)out, n, e);
}

/* ---- logins ------------------------------------------------------------- */

int store_gh_login_set(struct store *s, const char *login, int64_t user_id, struct err *e)
{
	char f[LOGIN_MAX + 1];
	fold(login, f, sizeof f);
	struct db_param p[] = {P_STR(f), P_TEXT(login), P_INT(user_id)};
	int rc = store_run(s, "DELETE FROM gh_logins WHERE login_fold = $1", p, 1, NULL, e);
	if (!rc && user_id)
		rc = store_run(s, "INSERT INTO gh_logins (login_fold, login, user_id) VALUES ($1, $2, $3)",
			       p, 3, NULL, e);
	return rc;
}

static int read_login(struct store *s, struct db_rows *r, void *item)
{
	struct gh_login *l = item;
	copy(l->login, sizeof l->login, s->drv->get_text(r, 0));
	copy(l->user, sizeof l->user, s->drv->get_text(r, 1));
	l->user_id = s->drv->get_int(r, 2);
	return 0;
}

int store_gh_login_list(struct store *s, struct gh_login **out, size_t *n, struct err *e)
{
	return store_collect(s,
			     "SELECT g.login, u.login, u.id FROM gh_logins g JOIN users u ON u.id = g.user_id"
			     " ORDER BY g.login_fold",
			     NULL, 0, sizeof **out, read_login, store_free_items, (void **)out, n, e);
}

int store_gh_login_user(struct store *s, const char *login, struct user *out, struct err *e)
{
	char f[LOGIN_MAX + 1];
	fold(login, f, sizeof f);
	struct db_param p[] = {P_STR(f)};
	return store_one_user(s,
			      "SELECT " USER_COLS " FROM gh_logins g JOIN users u ON u.id = g.user_id"
			      " WHERE g.login_fold = $1",
			      p, 1, out, NULL, 0, CAIRN_ENOTFOUND, e);
}

/* ---- issue and comment links ----------------------------------------------- */

int store_gh_issue_find(struct store *s, int64_t repo_id, int64_t gh_number, int64_t *number,
			struct err *e)
{
	struct db_param p[] = {P_INT(repo_id), P_INT(gh_number)};
	return store_one_int(s,
			     "SELECT i.number FROM gh_issues g JOIN issues i ON i.id = g.issue_id"
			     " WHERE g.repo_id = $1 AND g.gh_number = $2",
			     p, 2, number, e);
}

int store_gh_issue_link(struct store *s, const struct gh_link *l, struct err *e)
{
	struct db_param p[] = {P_INT(l->issue_id), P_INT(l->repo_id),    P_INT(l->gh_number),
			       P_STR(l->url),     P_STR(l->assignees), P_INT0(l->deleted_at)};
	int rc = store_run(s, "DELETE FROM gh_issues WHERE issue_id = $1 OR (repo_id = $2 AND gh_number = $3)",
			   p, 3, NULL, e);
	if (!rc)
		rc = store_run(s,
			       "INSERT INTO gh_issues (issue_id, repo_id, gh_number, url, assignees,"
			       " deleted_at) VALUES ($1, $2, $3, $4, $5, $6)",
			       p, 6, NULL, e);
	return rc;
}

int store_gh_issue_get(struct store *s, int64_t issue_id, struct gh_link *out, struct err *e)
{
	struct db_param p[] = {P_INT(issue_id)};
	struct db_rows *r;
	int row, rc = s->drv->query(s->db,
				    "SELECT g.repo_id, r.full_name, g.gh_number, g.url, g.assignees,"
				    " COALESCE(g.deleted_at, 0) FROM gh_issues g"
				    " JOIN gh_repos r ON r.id = g.repo_id WHERE g.issue_id = $1",
				    p, 1, &r, e);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	if (!(rc = s->drv->next(r, &row, e)) && !row)
		rc = CAIRN_ENOTFOUND;
	if (!rc) {
		out->issue_id = issue_id;
		out->repo_id = s->drv->get_int(r, 0);
		copy(out->repo, sizeof out->repo, s->drv->get_text(r, 1));
		out->gh_number = s->drv->get_int(r, 2);
		copy(out->url, sizeof out->url, s->drv->get_text(r, 3));
		copy(out->assignees, sizeof out->assignees, s->drv->get_text(r, 4));
		out->deleted_at = s->drv->get_int(r, 5);
	}
	s->drv->finish(r);
	return rc;
}

int store_gh_repo_moved(struct store *s, int64_t repo_id, const char *old_prefix,
			const char *new_prefix, struct err *e)
{
	struct db_param p[] = {P_INT(repo_id), P_TEXT(old_prefix), P_TEXT(new_prefix)};
	return store_run(s,
			 "UPDATE gh_issues SET url = $3 || SUBSTR(url, LENGTH($2) + 1)"
			 " WHERE repo_id = $1 AND SUBSTR(url, 1, LENGTH($2)) = $2",
			 p, 3, NULL, e);
}

static int read_number(struct store *s, struct db_rows *r, void *item)
{
	*(int64_t *)item = s->drv->get_int(r, 0);
	return 0;
}

int store_gh_issues_labelled(struct store *s, int64_t repo_id, const char *label, int64_t **out,
			     size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(repo_id), P_TEXT(label)};
	return store_collect(s,
			     "SELECT i.number FROM gh_issues g JOIN issues i ON i.id = g.issue_id"
			     " JOIN issue_labels l ON l.issue_id = i.id AND l.label = $2"
			     " WHERE g.repo_id = $1 ORDER BY i.number",
			     p, 2, sizeof **out, read_number, store_free_items, (void **)out, n, e);
}

int store_gh_comment_find(struct store *s, int64_t gh_id, int64_t *comment_id, struct err *e)
{
	struct db_param p[] = {P_INT(gh_id)};
	return store_one_int(s, "SELECT comment_id FROM gh_comments WHERE gh_id = $1", p, 1,
			     comment_id, e);
}

int store_gh_comment_link(struct store *s, int64_t comment_id, int64_t gh_id, struct err *e)
{
	struct db_param p[] = {P_INT(comment_id), P_INT(gh_id)};
	return store_run(s, "INSERT INTO gh_comments (comment_id, gh_id) VALUES ($1, $2)", p, 2,
			 NULL, e);
}

/* When Cairn (anyone but actor_id) last changed field of the issue; 0: never. */
int store_gh_last_change(struct store *s, int64_t issue_id, const char *field, int64_t actor_id,
			 int64_t *at, struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_TEXT(field), P_INT(actor_id)};
	return store_one_int(s,
			     "SELECT COALESCE(MAX(at), 0) FROM history WHERE issue_id = $1 AND field = $2"
			     " AND COALESCE(actor_id, 0) <> $3",
			     p, 3, at, e);
}

int store_gh_milestone_by_title(struct store *s, const char *title, int64_t *id, struct err *e)
{
	struct db_param p[] = {P_TEXT(title)};
	return store_one_int(s, "SELECT id FROM milestones WHERE title = $1", p, 1, id, e);
}

/* ---- deliveries ----------------------------------------------------------- */

void gh_deliveries_free(struct gh_delivery *d, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(d[k].body);
	free(d);
}

static void release_deliveries(void *items, size_t n)
{
	gh_deliveries_free(items, n);
}

#define DELIVERY_COLS                                                                        \
	"id, guid, COALESCE(repo_id, 0), repository, event, action, result, message,"          \
	" received_at, processed_at, attempts"

static int read_delivery(struct store *s, struct db_rows *r, void *item)
{
	struct gh_delivery *d = item;
	d->id = s->drv->get_int(r, 0);
	copy(d->guid, sizeof d->guid, s->drv->get_text(r, 1));
	d->repo_id = s->drv->get_int(r, 2);
	copy(d->repository, sizeof d->repository, s->drv->get_text(r, 3));
	copy(d->event, sizeof d->event, s->drv->get_text(r, 4));
	copy(d->action, sizeof d->action, s->drv->get_text(r, 5));
	copy(d->result, sizeof d->result, s->drv->get_text(r, 6));
	copy(d->message, sizeof d->message, s->drv->get_text(r, 7));
	d->received_at = s->drv->get_int(r, 8);
	d->processed_at = s->drv->get_int(r, 9);
	d->attempts = (int)s->drv->get_int(r, 10);
	const char *body = s->drv->is_null(r, 11) ? NULL : s->drv->get_text(r, 11);
	if (body && !(d->body = strdup(body)))
		return -1;
	return 0;
}

int store_gh_delivery_save(struct store *s, struct gh_delivery *d, struct err *e)
{
	struct db_param p[] = {P_STR(d->guid),        P_INT0(d->repo_id),   P_STR(d->repository),
			       P_STR(d->event),       P_STR(d->action),    P_STR(d->result),
			       P_STR(d->message),     P_TEXT(d->body ? d->body : ""),
			       P_INT(d->received_at),  P_INT(d->processed_at), P_INT(d->attempts)};
	int64_t id = 0;
	int rc = store_one_int(s, "SELECT id FROM gh_deliveries WHERE guid = $1", p, 1, &id, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return store_one_int(s,
				     "INSERT INTO gh_deliveries (guid, repo_id, repository, event, action,"
				     " result, message, body, received_at, processed_at, attempts)"
				     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
				     p, 11, &d->id, e);
	}
	if (rc)
		return rc;
	d->id = id;
	return store_run(s,
			 "UPDATE gh_deliveries SET repo_id = $2, repository = $3, event = $4,"
			 " action = $5, result = $6, message = $7, body = $8, received_at = $9, processed_at = $10,"
			 " attempts = $11 WHERE guid = $1",
			 p, 11, NULL, e);
}

int store_gh_delivery_by_guid(struct store *s, const char *guid, struct gh_delivery *out,
			      struct err *e)
{
	struct gh_delivery *all = NULL;
	size_t n = 0;
	struct db_param p[] = {P_TEXT(guid)};
	int rc = store_collect(s, "SELECT " DELIVERY_COLS ", NULL FROM gh_deliveries WHERE guid = $1",
			       p, 1, sizeof *all, read_delivery, release_deliveries, (void **)&all,
			       &n, e);
	if (!rc && !n)
		rc = CAIRN_ENOTFOUND;
	if (!rc)
		*out = all[0];
	free(all);
	return rc;
}

int store_gh_delivery_get(struct store *s, int64_t id, struct gh_delivery *out, struct err *e)
{
	struct gh_delivery *all = NULL;
	size_t n = 0;
	struct db_param p[] = {P_INT(id)};
	int rc = store_collect(s, "SELECT " DELIVERY_COLS ", body FROM gh_deliveries WHERE id = $1",
			       p, 1, sizeof *all, read_delivery, release_deliveries, (void **)&all,
			       &n, e);
	if (!rc && !n)
		rc = err_set(e, CAIRN_ENOTFOUND, "delivery", "no delivery #%lld", (long long)id);
	if (!rc)
		*out = all[0];
	free(all);
	return rc;
}

int store_gh_delivery_list(struct store *s, int64_t limit, struct gh_delivery **out, size_t *n,
			   struct err *e)
{
	struct db_param p[] = {P_INT(limit)};
	return store_collect(s,
			     "SELECT " DELIVERY_COLS ", NULL FROM gh_deliveries ORDER BY id DESC LIMIT $1",
			     p, 1, sizeof **out, read_delivery, release_deliveries, (void **)out, n, e);
}

/* ---- the outbox ------------------------------------------------------------- */

void gh_calls_free(struct gh_call *c, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(c[k].body);
	free(c);
}

static void release_calls(void *items, size_t n)
{
	gh_calls_free(items, n);
}

int store_gh_out_enqueue(struct store *s, const struct gh_call *c, struct err *e)
{
	struct db_param p[] = {P_INT(c->repo_id), P_INT0(c->issue_id), P_STR(c->kind),
			       P_STR(c->method),  P_STR(c->path),      P_TEXT(c->body ? c->body : ""),
			       P_INT(c->next_at), P_INT(c->created_at)};
	int rc = 0;
	if (c->issue_id && strcmp(c->kind, "comment"))
		rc = store_run(s,
			       "DELETE FROM gh_outbox WHERE issue_id = $2 AND kind = $3 AND state = 0"
			       " AND claimed_until = 0 AND repo_id = $1",
			       p, 3, NULL, e);
	if (!rc)
		rc = store_run(s,
			       "INSERT INTO gh_outbox (repo_id, issue_id, kind, method, path, body,"
			       " next_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
			       p, 8, NULL, e);
	return rc;
}

#define CALL_COLS                                                                           \
	"o.id, o.repo_id, COALESCE(o.issue_id, 0), o.kind, o.method, o.path, o.state,"          \
	" o.attempts, o.next_at, o.status, o.error, o.created_at, o.updated_at, r.full_name"

static int read_call(struct store *s, struct db_rows *r, void *item)
{
	struct gh_call *c = item;
	c->id = s->drv->get_int(r, 0);
	c->repo_id = s->drv->get_int(r, 1);
	c->issue_id = s->drv->get_int(r, 2);
	copy(c->kind, sizeof c->kind, s->drv->get_text(r, 3));
	copy(c->method, sizeof c->method, s->drv->get_text(r, 4));
	copy(c->path, sizeof c->path, s->drv->get_text(r, 5));
	c->state = (int)s->drv->get_int(r, 6);
	c->attempts = (int)s->drv->get_int(r, 7);
	c->next_at = s->drv->get_int(r, 8);
	c->status = (int)s->drv->get_int(r, 9);
	copy(c->error, sizeof c->error, s->drv->get_text(r, 10));
	c->created_at = s->drv->get_int(r, 11);
	c->updated_at = s->drv->get_int(r, 12);
	copy(c->repo, sizeof c->repo, s->drv->get_text(r, 13));
	if (!s->drv->is_null(r, 14)) {
		copy(c->token, sizeof c->token, s->drv->get_text(r, 14));
		if (!(c->body = strdup(s->drv->get_text(r, 15))))
			return -1;
	}
	return 0;
}

int store_gh_out_due(struct store *s, int64_t wall, int64_t limit, struct gh_call **out,
		     size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(wall), P_INT(limit)};
	return store_collect(s,
			     "SELECT " CALL_COLS ", r.token, o.body FROM gh_outbox o"
			     " JOIN gh_repos r ON r.id = o.repo_id WHERE o.state = 0 AND o.next_at <= $1"
			     " AND o.claimed_until <= $1 AND r.token <> '' ORDER BY o.id LIMIT $2",
			     p, 2, sizeof **out, read_call, release_calls, (void **)out, n, e);
}

int store_gh_out_claim(struct store *s, int64_t id, int64_t wall, int64_t until, int *won,
		       struct err *e)
{
	struct db_param p[] = {P_INT(until), P_INT(id), P_INT(wall)};
	int64_t changed = 0;
	int rc = store_run(s,
			   "UPDATE gh_outbox SET claimed_until = $1 WHERE id = $2 AND state = 0"
			   " AND claimed_until <= $3",
			   p, 3, &changed, e);
	*won = !rc && changed == 1;
	return rc;
}

int store_gh_out_result(struct store *s, const struct gh_call *c, struct err *e)
{
	struct db_param p[] = {P_INT(c->state), P_INT(c->attempts), P_INT(c->status),
			       P_STR(c->error),  P_INT(c->next_at),  P_INT(c->updated_at),
			       P_INT(c->id)};
	return store_run(s,
			 "UPDATE gh_outbox SET state = $1, attempts = $2, status = $3, error = $4,"
			 " next_at = $5, updated_at = $6, claimed_until = 0 WHERE id = $7",
			 p, 7, NULL, e);
}

int store_gh_out_hold(struct store *s, int64_t repo_id, int64_t until, struct err *e)
{
	struct db_param p[] = {P_INT(repo_id), P_INT(until)};
	return store_run(s,
			 "UPDATE gh_outbox SET next_at = $2 WHERE repo_id = $1 AND state = 0"
			 " AND next_at < $2",
			 p, 2, NULL, e);
}

int store_gh_out_list(struct store *s, int64_t issue_id, int64_t limit, struct gh_call **out,
		      size_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(issue_id), P_INT(limit)};
	return store_collect(s,
			     "SELECT " CALL_COLS ", NULL, NULL FROM gh_outbox o"
			     " JOIN gh_repos r ON r.id = o.repo_id WHERE ($1 = 0 OR o.issue_id = $1)"
			     " ORDER BY o.id DESC LIMIT $2",
			     p, 2, sizeof **out, read_call, release_calls, (void **)out, n, e);
}

int store_gh_out_counts(struct store *s, int64_t issue_id, int64_t counts[3], struct err *e)
{
	struct db_param p[] = {P_INT(issue_id)};
	struct db_rows *r;
	int row, rc = s->drv->query(s->db,
				    "SELECT state, COUNT(*) FROM gh_outbox WHERE issue_id = $1 GROUP BY state",
				    p, 1, &r, e);
	counts[0] = counts[1] = counts[2] = 0;
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &row, e)) && row) {
		int64_t st = s->drv->get_int(r, 0);
		if (st >= 0 && st <= 2)
			counts[st] = s->drv->get_int(r, 1);
	}
	s->drv->finish(r);
	return rc;
}
