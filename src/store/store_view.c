/*
 * store_view.c — saved views of the issue list (store.h).  The rules
 * (who sees, saves, shares, edits) are the service's; this file reads and
 * writes rows.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define VIEW_COLS                                                                          \
	"v.id, v.owner_id, COALESCE(u.login, ''), v.name, v.query, v.sort, v.columns, v.shared," \
	" v.created_at, v.updated_at FROM saved_views v LEFT JOIN users u ON u.id = v.owner_id"

static void copy(struct store *s, struct db_rows *r, int col, char *dst, size_t cap)
{
	const char *t = s->drv->get_text(r, col);
	snprintf(dst, cap, "%s", t ? t : "");
}

static int read_view(struct store *s, struct db_rows *r, void *item)
{
	struct saved_view *v = item;
	v->id = s->drv->get_int(r, 0);
	v->owner_id = s->drv->get_int(r, 1);
	copy(s, r, 2, v->owner, sizeof v->owner);
	copy(s, r, 3, v->name, sizeof v->name);
	copy(s, r, 4, v->query, sizeof v->query);
	copy(s, r, 5, v->sort, sizeof v->sort);
	copy(s, r, 6, v->columns, sizeof v->columns);
	v->shared = (int)s->drv->get_int(r, 7);
	v->created_at = s->drv->get_int(r, 8);
	v->updated_at = s->drv->get_int(r, 9);
	return 0;
}

int store_views_visible(struct store *s, int64_t user_id, struct saved_view **out, size_t *n,
			struct err *e)
{
	struct db_param p[] = {P_INT(user_id)};
	return store_collect(s,
			     "SELECT " VIEW_COLS " WHERE v.owner_id = $1 OR v.shared = 1"
			     " ORDER BY CASE WHEN v.owner_id = $1 AND v.shared = 0 THEN 0 ELSE 1 END,"
			     " v.name, v.id",
			     p, 1, sizeof **out, read_view, store_free_items, (void **)out, n, e);
}

int store_view_get(struct store *s, int64_t id, struct saved_view *out, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	struct saved_view *v = NULL;
	size_t n = 0;
	int rc = store_collect(s, "SELECT " VIEW_COLS " WHERE v.id = $1", p, 1, sizeof *v,
			       read_view, store_free_items, (void **)&v, &n, e);
	if (rc)
		return rc;
	if (n == 1)
		*out = v[0];
	free(v);
	return n == 1 ? 0 : err_set(e, CAIRN_ENOTFOUND, NULL, "no such view");
}

int store_view_clash(struct store *s, const struct saved_view *v, int64_t *clash, struct err *e)
{
	struct db_param p[] = {P_INT(v->owner_id), P_TEXT(v->name), P_INT(v->shared), P_INT(v->id)};
	int rc = store_one_int(s,
			       "SELECT id FROM saved_views WHERE name = $2 AND id <> $4"
			       " AND (owner_id = $1 OR ($3 = 1 AND shared = 1)) ORDER BY id LIMIT 1",
			       p, 4, clash, e);
	if (rc == CAIRN_ENOTFOUND) {
		*clash = 0;
		return 0;
	}
	return rc;
}

int store_view_count_owner(struct store *s, int64_t owner_id, int64_t *n, struct err *e)
{
	struct db_param p[] = {P_INT(owner_id)};
	return store_one_int(s, "SELECT COUNT(*) FROM saved_views WHERE owner_id = $1", p, 1, n, e);
}

int store_view_insert(struct store *s, struct saved_view *v, struct err *e)
{
	struct db_param p[] = {P_INT(v->owner_id), P_TEXT(v->name),	 P_TEXT(v->query),
			       P_TEXT(v->sort),	   P_TEXT(v->columns), P_INT(v->shared),
			       P_INT(v->created_at), P_INT(v->updated_at)};
	return store_one_int(s,
			     "INSERT INTO saved_views (owner_id, name, query, sort, columns, shared,"
			     " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
			     p, 8, &v->id, e);
}

int store_view_update(struct store *s, const struct saved_view *v, struct err *e)
{
	struct db_param p[] = {P_INT(v->id),	P_TEXT(v->name),    P_TEXT(v->query),
			       P_TEXT(v->sort), P_TEXT(v->columns), P_INT(v->shared),
			       P_INT(v->updated_at)};
	return store_run(s,
			 "UPDATE saved_views SET name = $2, query = $3, sort = $4, columns = $5,"
			 " shared = $6, updated_at = $7 WHERE id = $1",
			 p, 7, NULL, e);
}

int store_view_delete(struct store *s, int64_t id, struct err *e)
{
	struct db_param p[] = {P_INT(id)};
	return store_run(s, "DELETE FROM saved_views WHERE id = $1", p, 1, NULL, e);
}
