/*
 * svc_view.c — saved views of the issue list (issue #17).
 *
 * The sharing rules:
 *   - anyone signed in sees their own views and every shared view; nobody
 *     sees another user's personal view (not even an admin: a 404);
 *   - anyone with a write credential saves personal views (view.write,
 *     viewers included: it is their own state), at most
 *     VIEW_MAX_PER_OWNER each;
 *   - sharing (shared: true, on create or change) needs view.share
 *     (admins, PMs, CTOs, EMs);
 *   - a view is changed or deleted by its owner, or by an admin when it
 *     is shared;
 *   - a name is unique among its owner's views and among shared views
 *     (409 on name), so `cairn issue list --view NAME` finds one view.
 * Counts come from the capped count of the issue list (ISSUE_COUNT_CAP),
 * under the reader's visibility: a private issue is never counted for
 * someone who may not see it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/svc_int.h"

static int owner_or_admin(const struct op *op, const struct saved_view *v)
{
	return v->owner_id == op->actor->id || (v->shared && svc_may(op->actor, P_ADMIN));
}

static int visible(const struct op *op, const struct saved_view *v)
{
	return v->shared || v->owner_id == op->actor->id;
}

/* The query (as q of the issue list) and sort of a view. */
static int view_query(const struct op *op, const struct saved_view *v, struct issue_query *q,
		      struct err *e)
{
	char text[QUERY_MAX_LEN + VIEW_SORT_MAX + 8];
	if (svc_view_query_text(v, text, sizeof text))
		return err_set(e, CAIRN_EINVALID, "query", "the view's query is too long");
	return query_parse_at(text, op->now, q, e);
}

static void count_one(const struct op *op, const struct visibility *vis, struct saved_view *v)
{
	struct issue_query q;
	struct issue_list l;
	struct err e;
	err_clear(&e);
	v->count = 0;
	v->count_capped = 0;
	v->count_error = 1;
	if (view_query(op, v, &q, &e))
		return;
	q.count_cap = ISSUE_COUNT_CAP;
	q.sort_by = QS_NUMBER; /* the count needs no order */
	if (!store_issue_list(op->st, &q, vis, 0, 0, &l, &v->count, &e)) {
		v->count_capped = l.capped;
		v->count_error = 0;
		issue_list_release(&l);
	}
	query_release(&q);
}

int svc_views_list(const struct op *op, int counts, struct saved_view **out, size_t *n,
		   struct err *e)
{
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(op->actor, P_READ, e)) || (rc = store_begin(op->st, 0, e)))
		return rc;
	rc = store_views_visible(op->st, op->actor->id, out, n, e);
	if (!rc && counts) {
		struct visibility vis = visibility_of(op->actor);
		for (size_t k = 0; k < *n; k++)
			count_one(op, &vis, &(*out)[k]);
	}
	rc = svc_end(op, rc, e);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* Check and apply in's fields to v. */
static int apply_input(const struct op *op, const struct view_input *in, struct saved_view *v,
		       struct err *e)
{
	int rc;
	if (in->name) {
		if ((rc = view_name_check(in->name, e)))
			return rc;
		snprintf(v->name, sizeof v->name, "%s", in->name);
	}
	if (in->query) {
		struct issue_query q;
		if ((rc = query_parse_at(in->query, op->now, &q, e))) {
			if (rc == CAIRN_EINVALID)
				snprintf(e->field, sizeof e->field, "query");
			return rc;
		}
		query_release(&q);
		snprintf(v->query, sizeof v->query, "%s", in->query);
	}
	if (in->sort) {
		if ((rc = view_sort_check(in->sort, e)))
			return rc;
		snprintf(v->sort, sizeof v->sort, "%s", in->sort);
	}
	if (in->ncolumns >= 0 &&
	    (rc = view_columns_canon((const char *const *)in->columns, in->ncolumns, v->columns, e)))
		return rc;
	if (in->shared >= 0)
		v->shared = in->shared;
	return 0;
}

int svc_view_save(const struct op *op, int64_t id, const struct view_input *in,
		  struct saved_view *out, struct err *e)
{
	struct saved_view v;
	int64_t clash = 0, mine = 0;
	int rc;
	if ((rc = svc_allow(op->actor, P_VIEW_WRITE, e)))
		return rc;
	if (in->shared == 1 && (rc = svc_allow_field(op->actor, P_VIEW_SHARE, "shared", e)))
		return rc;
	if (!id && !in->name)
		return err_set(e, CAIRN_EINVALID, "name", "name is required");
	if ((rc = store_begin(op->st, 1, e)))
		return rc;
	memset(&v, 0, sizeof v);
	if (id && !(rc = store_view_get(op->st, id, &v, e))) {
		if (!visible(op, &v))
			rc = err_set(e, CAIRN_ENOTFOUND, NULL, "no such view");
		else if (!owner_or_admin(op, &v))
			rc = err_set(e, CAIRN_EFORBIDDEN, NULL,
				     "only its owner (%s) or an admin may change a shared view", v.owner);
	}
	if (!rc && !id) {
		v.owner_id = op->actor->id;
		v.created_at = op->now;
		if (!(rc = store_view_count_owner(op->st, v.owner_id, &mine, e)) &&
		    mine >= VIEW_MAX_PER_OWNER)
			rc = err_set(e, CAIRN_ECONFLICT, NULL, "you have %d views: delete one first",
				     VIEW_MAX_PER_OWNER);
	}
	if (!rc)
		rc = apply_input(op, in, &v, e);
	if (!rc)
		rc = store_view_clash(op->st, &v, &clash, e);
	if (!rc && clash)
		rc = err_set(e, CAIRN_ECONFLICT, "name", "%s view is named '%s' already",
			     v.shared ? "a shared or your own" : "your own", v.name);
	v.updated_at = op->now;
	if (!rc)
		rc = id ? store_view_update(op->st, &v, e) : store_view_insert(op->st, &v, e);
	if (!rc)
		rc = store_view_get(op->st, v.id, out, e);
	return svc_end(op, rc, e);
}

int svc_view_delete(const struct op *op, int64_t id, struct err *e)
{
	struct saved_view v;
	int rc;
	if ((rc = svc_allow(op->actor, P_VIEW_WRITE, e)) || (rc = store_begin(op->st, 1, e)))
		return rc;
	if (!(rc = store_view_get(op->st, id, &v, e))) {
		if (!visible(op, &v))
			rc = err_set(e, CAIRN_ENOTFOUND, NULL, "no such view");
		else if (!owner_or_admin(op, &v))
			rc = err_set(e, CAIRN_EFORBIDDEN, NULL,
				     "only its owner (%s) or an admin may delete a shared view", v.owner);
		else
			rc = store_view_delete(op->st, id, e);
	}
	return svc_end(op, rc, e);
}

int svc_view_find(const struct op *op, const char *name, struct saved_view *out, struct err *e)
{
	struct saved_view *all = NULL;
	size_t n = 0;
	int rc = svc_views_list(op, 0, &all, &n, e);
	if (rc)
		return rc;
	rc = err_set(e, CAIRN_ENOTFOUND, "view", "no view named '%s' (cairn view list shows them)",
		     name);
	/* personal views come first: one's own name wins over a shared one */
	for (size_t k = 0; k < n; k++)
		if (!strcmp(all[k].name, name)) {
			*out = all[k];
			err_clear(e);
			rc = 0;
			break;
		}
	free(all);
	return rc;
}

int svc_view_query_text(const struct saved_view *v, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s%s%s", v->query, v->sort[0] ? " sort:" : "", v->sort);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}
