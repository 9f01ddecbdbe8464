/*
 * svc_plan.c — planning operations: the planning fields of an issue update
 * (dev board moves, the Todo limit, positions, milestone scope), boards,
 * trees, pillars and areas, milestones with velocity, burn-up, forecast
 * and the ship/slip report.  The rules themselves are in core/plan.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "service/service.h"
#include "service/svc_int.h"

/* Make room for item n of a malloc'd array (doubling *cap); 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? 2 * *cap : 16;
	void *na = realloc(*arr, nc * elem);
	if (!na)
		return -1;
	*arr = na;
	*cap = nc;
	return 0;
}

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	long long v = strtoll(s[0] == '#' ? s + 1 : s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* ---- settings -------------------------------------------------------------------- */

int svc_todo_limit(const struct op *op, int *out, struct err *e)
{
	struct store *st = op->st;
	char text[32];
	int found, rc;
	*out = TODO_LIMIT_DEFAULT;
	if ((rc = store_setting_get(st, "todo_limit", text, sizeof text, &found, e)))
		return rc;
	if (found) {
		long v = strtol(text, NULL, 10);
		if (v >= 1 && v <= 10000)
			*out = (int)v;
	}
	return 0;
}

/* ---- the planning fields of an issue write --------------------------------------- */

/* Parse and check the planning fields of in onto next (apply_input's
 * part).  Role rules apply to changes of an existing issue; a new issue's
 * reporter may propose sizes. */
int plan_fields(const struct op *op, const struct issue *cur,
		const struct issue_input *in, struct issue *next, int creating, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	if (!creating && next->pm_size != cur->pm_size &&
	    (rc = svc_allow_field(actor, P_ISSUE_PM_SIZE, "pm_size", e)))
		return rc;
	if (!creating && next->size != cur->size &&
	    (rc = svc_allow_field(actor, P_ISSUE_SIZE, "size", e)))
		return rc;
	if (in->set & IN_DEV_STATUS) {
		enum dev_status d;
		if (dev_status_parse(in->dev_status ? in->dev_status : "", &d))
			return err_set(e, CAIRN_EINVALID, "dev_status",
				       "dev_status must be one of todo,up_next,in_design,in_progress,"
				       "review,verify,done or null");
		next->dev_status = d;
	}
	if (in->set & IN_MILESTONE) {
		int64_t id = 0;
		if ((rc = svc_allow_field(actor, P_ISSUE_MILESTONE, "milestone", e)))
			return rc;
		if (in->milestone && *in->milestone && (parse_id(in->milestone, &id) || id <= 0))
			return err_set(e, CAIRN_EINVALID, "milestone", "milestone must be a milestone id or null");
		free(next->milestone);
		next->milestone = NULL;
		next->milestone_id = id;
		if (id) {
			struct milestone m;
			rc = store_milestone_get(st, id, &m, e);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "milestone", "milestone %lld does not exist",
					       (long long)id);
			}
			if (rc)
				return rc;
			if (!(next->milestone = strdup(m.title)))
				return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
	}
	if (in->set & IN_AREA) {
		int64_t id = 0;
		if ((rc = svc_allow_field(actor, P_ISSUE_AREA, "area", e)))
			return rc;
		if (in->area && *in->area && (parse_id(in->area, &id) || id <= 0))
			return err_set(e, CAIRN_EINVALID, "area", "area must be an area id or null");
		if (id) {
			struct area a;
			rc = store_area_get(st, id, &a, e);
			if (rc == CAIRN_ENOTFOUND) {
				err_clear(e);
				return err_set(e, CAIRN_EINVALID, "area", "area %lld does not exist",
					       (long long)id);
			}
			if (rc)
				return rc;
		}
		next->area_id = id;
	}
	if (next->area_id && next->type != ISSUE_EPIC) {
		if ((in->set & IN_AREA) && next->area_id)
			return err_set(e, CAIRN_EINVALID, "area",
				       "only epics link to an area (stories and tasks belong to their epic)");
		next->area_id = 0; /* no longer an epic */
	}
	if (in->set & IN_EXPECTED) {
		int64_t day = 0;
		if ((rc = svc_allow_field(actor, P_ISSUE_EXPECTED, "expected_at", e)))
			return rc;
		if (in->expected && *in->expected && day_parse(in->expected, &day))
			return err_set(e, CAIRN_EINVALID, "expected_at", "expected_at must be a date YYYY-MM-DD or null");
		next->expected_day = day;
	}
	if (in->set & IN_DOD)
		next->dod = (next->dod & ~in->dod_mask) | (in->dod_bits & in->dod_mask);
	if ((in->set & IN_SLIP_REASON) && in->slip_reason) {
		if (strlen(in->slip_reason) > 250)
			return err_set(e, CAIRN_EINVALID, "slip_reason", "slip_reason must be at most 250 bytes");
		if (*in->slip_reason && title_check(in->slip_reason, NULL))
			return err_set(e, CAIRN_EINVALID, "slip_reason",
				       "slip_reason must be one line of UTF-8 text");
	}
	return 0;
}

/* The position for next in its column: after issue `after` (0 = top), or
 * at the end it enters from when it changes column.  Columns read in
 * position order, except Done and Closed, which read backwards (most
 * recent first): there "after N" means a smaller position than N's. */
static int place(const struct op *op, const struct issue *cur,
		 struct issue *next, int dev, const char *after, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int column = dev ? next->dev_status : next->board;
	int64_t *pos = dev ? &next->dev_position : &next->board_position;
	int64_t own = dev ? cur->dev_position : cur->board_position;
	int same = dev ? cur->dev_status == next->dev_status : cur->board == next->board;
	int desc = dev ? column == DEV_DONE : column == BOARD_CLOSED;
	int64_t a = -1, p, q;
	int found, rc;

	if (dev && column == DEV_NONE) {
		if (after)
			return err_set(e, CAIRN_EINVALID, "after", "after needs a development board column");
		return 0;
	}
	if (after && parse_id(after, &a))
		return err_set(e, CAIRN_EINVALID, "after", "after must be an issue number (0 = top)");
	if (a == next->number && a)
		return err_set(e, CAIRN_EINVALID, "after", "an issue cannot be placed after itself");
	/* one placement at a time (on PostgreSQL two could read the same end) */
	if ((rc = store_lock_board(st, e)))
		return rc;
	if (a < 0 && same && next->number)
		return 0; /* stays where it is */
	if (a < 0 || (a == 0 && desc)) { /* the end a new item enters at */
		if ((rc = store_position_step(st, dev, column, INT64_MAX, -1, &p, &found, e)))
			return rc;
		if (found && same && p == own) /* already there */
			return 0;
		*pos = found ? p + 1024 : 1024;
		return 0;
	}
	if (a == 0) { /* top of an ascending column */
		if ((rc = store_position_step(st, dev, column, INT64_MIN, 1, &q, &found, e)))
			return rc;
		if (found && same && q == own)
			return 0;
		*pos = found ? q - 1024 : 1024;
		return 0;
	}
	struct visibility v = visibility_of(actor);
	struct issue ai;
	rc = store_issue_get(st, a, &v, &ai, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		return err_set(e, CAIRN_EINVALID, "after", "issue #%lld does not exist", (long long)a);
	}
	if (rc)
		return rc;
	int in_col = dev ? ai.dev_status == column : ai.board == column;
	p = dev ? ai.dev_position : ai.board_position;
	issue_release(&ai);
	if (!in_col)
		return err_set(e, CAIRN_EINVALID, "after", "#%lld is not in that column", (long long)a);
	/* the neighbour on the far side of N, skipping the item itself */
	int dir = desc ? -1 : 1;
	if ((rc = store_position_step(st, dev, column, p, dir, &q, &found, e)))
		return rc;
	if (found && same && q == own &&
	    (rc = store_position_step(st, dev, column, q, dir, &q, &found, e)))
		return rc;
	int64_t gap = desc ? p - q : q - p;
	if (!found) {
		*pos = desc ? p - 1024 : p + 1024;
	} else if (gap >= 2) {
		*pos = desc ? q + gap / 2 : p + gap / 2;
	} else if (!desc) {
		/* no room: open a gap above N (order only; versions stay) */
		if ((rc = store_position_shift(st, dev, column, p, 1 << 20, e)))
			return rc;
		*pos = p + (1 << 19);
	} else {
		/* no room below N: lift N and everything above it */
		if ((rc = store_position_shift(st, dev, column, p - 1, 1 << 20, e)))
			return rc;
		*pos = p + (1 << 19);
	}
	return 0;
}

/* Board moves and their consequences, after board and state are in step:
 * the Todo limit, started/done times, expected date, closing and
 * reopening, and positions.  closing_done: a close that counts as done
 * (not a won't-do or duplicate). */
int plan_apply(const struct op *op, const struct issue *cur,
	       struct issue *next, const struct issue_input *in, int64_t now, int closing_done,
	       int *forced, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	*forced = 0;
	int dev_moved = next->dev_status != cur->dev_status;
	if (dev_moved && next->dev_status == DEV_DONE) {
		next->state = ISSUE_CLOSED;
		next->board = BOARD_CLOSED;
		next->done_at = now;
	} else if (dev_moved && cur->dev_status == DEV_DONE) {
		next->done_at = 0;
		if (next->state == ISSUE_CLOSED) {
			next->state = ISSUE_OPEN;
			next->board = BOARD_STARTED;
		}
	} else if (next->state != cur->state && next->state == ISSUE_CLOSED) {
		if (closing_done) {
			next->done_at = now;
			if (next->dev_status != DEV_NONE)
				next->dev_status = DEV_DONE;
		}
	} else if (next->state != cur->state && next->state == ISSUE_OPEN) {
		next->done_at = 0;
		if (next->dev_status == DEV_DONE)
			next->dev_status = DEV_UP_NEXT; /* reopened: back in line for work */
	}
	if (next->dev_status == DEV_IN_PROGRESS && cur->dev_status != DEV_IN_PROGRESS) {
		if (!next->started_at)
			next->started_at = now;
		if (!next->expected_day) {
			int64_t d = expected_day(next->started_at, issue_effective_size(next));
			next->expected_day = d > 0 ? d : 0;
		}
		if (next->state == ISSUE_OPEN && next->board != BOARD_STARTED) {
			next->board = BOARD_STARTED;
			if (!next->triaged_at)
				next->triaged_at = now;
		}
	}
	/* The Todo limit, once state and columns are settled: whenever an item
	 * comes to count towards Todo (moved in, reopened there, turned from a
	 * security issue into one that counts).  Security issues run on their
	 * SLA clock, outside the limit. */
	int counted_before = cur->dev_status == DEV_TODO && cur->state == ISSUE_OPEN &&
			     cur->type != ISSUE_SECURITY && cur->number;
	int counted_after = next->dev_status == DEV_TODO && next->state == ISSUE_OPEN &&
			    next->type != ISSUE_SECURITY;
	if (counted_after && !counted_before) {
		int64_t load;
		int limit, size = issue_effective_size(next);
		if ((rc = store_lock_board(st, e)) || (rc = svc_todo_limit(op, &limit, e)) ||
		    (rc = store_todo_load(st, next->id, &load, e)))
			return rc;
		if (todo_over_limit((int)load, size, limit)) {
			char msg[ERR_MSG_MAX];
			if (!in->force) {
				todo_refusal(msg, sizeof msg, next->number, (int)load, size, limit);
				return err_set(e, CAIRN_ECONFLICT, "dev_status", "%s", msg);
			}
			if (!svc_may(actor, P_ISSUE_FORCE)) {
				char who[96];
				return err_set(e, CAIRN_EFORBIDDEN, "force",
					       "only %s may force Todo past its limit (%d + %d > %d points)",
					       perm_holders(P_ISSUE_FORCE, who, sizeof who), (int)load,
					       size, limit);
			}
			*forced = 1;
		}
	}
	const char *after = (in->set & IN_AFTER) ? (in->after ? in->after : "0") : NULL;
	if (after && !(in->set & (IN_DEV_STATUS | IN_BOARD)))
		return err_set(e, CAIRN_EINVALID, "after",
			       "after places an item in the column given by dev_status or board in the "
			       "same request");
	if ((next->dev_status != cur->dev_status || (after && (in->set & IN_DEV_STATUS))) &&
	    (rc = place(op, cur, next, 1, (in->set & IN_DEV_STATUS) ? after : NULL, e)))
		return rc;
	if ((next->board != cur->board || (after && !(in->set & IN_DEV_STATUS))) && next->number &&
	    (rc = place(op, cur, next, 0, (in->set & IN_DEV_STATUS) ? NULL : after, e)))
		return rc;
	return 0;
}

/* After the issue row is written: milestone scope rows and the record of
 * a forced move. */
int plan_record(const struct op *op, const struct issue *cur,
		const struct issue *next, const struct issue_input *in, int64_t now, int forced,
		struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	const char *reason = (in->set & IN_SLIP_REASON) && in->slip_reason && *in->slip_reason
				     ? in->slip_reason : NULL;
	int pts = issue_effective_size(next);
	if (next->milestone_id != cur->milestone_id) {
		if (cur->milestone_id &&
		    (rc = store_scope_leave(st, cur->milestone_id, next->id, now, reason, next->done_at,
					    pts, e)))
			return rc;
		if (next->milestone_id &&
		    (rc = store_scope_join(st, next->milestone_id, next->id, now, next->done_at, pts, e)))
			return rc;
		if (!cur->milestone_id && reason)
			return err_set(e, CAIRN_EINVALID, "slip_reason",
				       "slip_reason goes with moving an item out of a milestone");
	} else if (reason) {
		if (!next->milestone_id)
			return err_set(e, CAIRN_EINVALID, "slip_reason",
				       "#%lld is in no milestone: a slip reason needs one",
				       (long long)next->number);
		if ((rc = store_scope_reason(st, next->milestone_id, next->id, reason, e)))
			return rc;
	}
	/* the live scope rows follow the item; finished milestones keep theirs */
	if (next->milestone_id == cur->milestone_id && next->milestone_id &&
	    (next->done_at != cur->done_at || pts != issue_effective_size(cur)) &&
	    (rc = store_scope_sync(st, next->id, next->done_at, pts, now, e)))
		return rc;
	if (forced) {
		char what[96];
		snprintf(what, sizeof what, "Todo past its limit by %s", role_name(actor->role));
		if ((rc = store_history_add(st, next->id, actor->id, now, "forced", NULL, what, e)))
			return rc;
	}
	if (reason && (rc = store_history_add(st, next->id, actor->id, now, "slip_reason", NULL, reason, e)))
		return rc;
	return 0;
}

static int node_cmp(const void *a, const void *b)
{
	const struct plan_node *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

/* ---- roll-ups --------------------------------------------------------------------------- */

/* The maintained path of svc_fill_rollups: the stored children's sums of
 * items (numbers[k] is items[k].number), and rollup_eval over them. */
static int fill_stored(struct store *st, int scope, struct issue *items, size_t n,
		       const int64_t *numbers, size_t m, struct err *e)
{
	struct rollup_sums *kids = calloc(m, sizeof *kids);
	int rc;
	if (!kids)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	if ((rc = store_rollup_read(st, scope, numbers, m, NULL, kids, e)))
		goto out;
	for (size_t k = 0; k < n && k < m; k++) {
		struct rollup_item x = {.number = items[k].number,
					.type = items[k].type,
					.points = issue_effective_size(&items[k]),
					.done = items[k].state == ISSUE_CLOSED};
		struct rollup_sums t;
		rollup_eval(&x, &kids[k], &t, &items[k].double_booked);
		items[k].rollup = t.points;
		items[k].booked_below = kids[k].booked;
	}
out:
	free(kids);
	return rc;
}

int svc_fill_rollups(const struct op *op, struct issue *items, size_t n,
		     struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct plan_node *nodes;
	size_t nn, m = 0;
	int64_t *numbers;
	int scope, rc;
	if (!n)
		return 0;
	if (!(numbers = malloc(n * sizeof *numbers)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	/* every item: not only epics and stories have children.  A type change
	 * is checked against the children its author sees (a refusal over a
	 * hidden one would reveal it), so an epic or story with a security
	 * issue under it can become a task or a feature and keep that child */
	for (size_t k = 0; k < n; k++) {
		items[k].rollup = issue_effective_size(&items[k]);
		items[k].double_booked = items[k].booked_below = 0;
		numbers[m++] = items[k].number;
	}
	if ((rc = rollup_scope(op, &scope, e)) || scope >= 0) {
		if (!rc)
			rc = fill_stored(st, scope, items, n, numbers, m, e);
		free(numbers);
		return rc;
	}
	/* computed on read: the reader sees private work inside the trees */
	rc = store_plan_nodes(st, &v, numbers, m, &nodes, &nn, e);
	free(numbers);
	if (rc)
		return rc;
	if (plan_rollup(nodes, nn)) {
		free(nodes);
		return err_set(e, CAIRN_EINTERNAL, NULL, "the issue tree has a cycle");
	}
	if (nn)
		qsort(nodes, nn, sizeof *nodes, node_cmp);
	for (size_t k = 0; k < n; k++) {
		struct plan_node key = {.number = items[k].number};
		const struct plan_node *x =
			nn ? bsearch(&key, nodes, nn, sizeof *nodes, node_cmp) : NULL;
		if (x) {
			items[k].rollup = x->rollup;
			items[k].double_booked = x->double_booked;
			items[k].booked_below = x->booked_below;
		}
	}
	free(nodes);
	return 0;
}

/* ---- boards --------------------------------------------------------------------------------- */

static const int product_cols[] = {BOARD_NO_STATUS, BOARD_UNDER_REVIEW, BOARD_NEXT,
				   BOARD_SHORT,     BOARD_MEDIUM,       BOARD_LONG,
				   BOARD_ICEBOX,    BOARD_STARTED,      BOARD_CLOSED};

void board_release(struct board_view *b)
{
	for (int k = 0; k < 9; k++)
		issue_list_release(&b->cols[k].items);
	memset(b, 0, sizeof *b);
}

static int check_page(int64_t offset, int64_t limit, struct err *e)
{
	if (limit < 1 || limit > BOARD_LIMIT_MAX)
		return err_set(e, CAIRN_EINVALID, "limit", "limit must be between 1 and %d", BOARD_LIMIT_MAX);
	if (offset < 0)
		return err_set(e, CAIRN_EINVALID, "offset", "offset must be 0 or more");
	return 0;
}

/* Counts and one page of each listed column, in one read transaction. */
static int board_read(const struct op *op, int dev, int64_t milestone,
		      const int *keys, int ncols, int64_t offset, int64_t limit, struct board_view *out,
		      struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct board_count counts[9];
	int rc;
	memset(out, 0, sizeof *out);
	out->dev = dev;
	if ((rc = check_page(offset, limit, e)))
		return rc;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = svc_todo_limit(op, &out->todo_limit, e)) ||
	    (rc = store_board_counts(st, &v, dev, milestone, ncols == 1 ? keys[0] : -1, counts, 9, e)))
		goto fail;
	if (dev) { /* the limit counts the whole column, whatever the filter */
		int64_t load;
		if ((rc = store_todo_load(st, 0, &load, e)))
			goto fail;
		out->todo_load = (int)load;
	}
	for (int k = 0; k < ncols; k++) {
		struct board_column *c = &out->cols[k];
		c->key = keys[k];
		c->count = counts[keys[k]].count;
		c->points = counts[keys[k]].points;
		out->ncols = k + 1;
		if ((rc = store_board_page(st, &v, dev, keys[k], milestone, offset, limit, &c->items, e)) ||
		    (rc = svc_fill_rollups(op, c->items.items, c->items.n, e)))
			goto fail;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	board_release(out);
	return rc;
}

int svc_board(const struct op *op, int dev, int64_t milestone,
	      int64_t limit, struct board_view *out, struct err *e)
{
	int keys[9];
	int n = dev ? DEV_COLUMNS : 9;
	for (int k = 0; k < n; k++)
		keys[k] = dev ? k + 1 : product_cols[k];
	return board_read(op, dev, milestone, keys, n, 0, limit, out, e);
}

int svc_board_column(const struct op *op, int dev, const char *column,
		     int64_t milestone, int64_t offset, int64_t limit, struct board_view *out,
		     struct err *e)
{
	int key;
	if (dev) {
		enum dev_status d;
		if (dev_status_parse(column, &d) || d == DEV_NONE)
			return err_set(e, CAIRN_ENOTFOUND, "column", "no development board column '%s'",
				       column);
		key = d;
	} else {
		enum board b;
		if (board_parse(column, &b))
			return err_set(e, CAIRN_ENOTFOUND, "column", "no product board column '%s'", column);
		key = b;
	}
	return board_read(op, dev, milestone, &key, 1, offset, limit, out, e);
}

/* ---- trees ------------------------------------------------------------------------------------ */

void issue_tree_release(struct issue_tree *t)
{
	issue_release(&t->root);
	issue_list_release(&t->ancestors);
	issue_list_release(&t->descendants);
	memset(t, 0, sizeof *t);
}

int svc_issue_tree(const struct op *op, int64_t number,
		   struct issue_tree *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	size_t cap = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_issue_get(st, number, &v, &out->root, e)))
		goto fail;
	/* ancestors, nearest first, then reversed; a parent chain is short */
	for (int64_t at = out->root.parent; at && out->ancestors.n < 16;) {
		struct issue p;
		if ((rc = store_issue_get(st, at, &v, &p, e)) == CAIRN_ENOTFOUND) {
			err_clear(e);
			rc = 0;
			break;
		}
		if (rc)
			goto fail;
		if (grow((void **)&out->ancestors.items, &cap, out->ancestors.n,
			       sizeof *out->ancestors.items)) {
			issue_release(&p);
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		out->ancestors.items[out->ancestors.n++] = p;
		at = p.parent;
	}
	for (size_t a = 0, b = out->ancestors.n; a + 1 < b; a++, b--) {
		struct issue t = out->ancestors.items[a];
		out->ancestors.items[a] = out->ancestors.items[b - 1];
		out->ancestors.items[b - 1] = t;
	}
	if ((rc = store_issue_subtree(st, &v, number, &out->descendants, e)))
		goto fail;
	/* roll-ups for the root and every descendant from one node set */
	if ((rc = svc_fill_rollups(op, &out->root, 1, e)) ||
	    (rc = svc_fill_rollups(op, out->descendants.items, out->descendants.n, e)))
		goto fail;
	/* the area: the root's, or its nearest epic ancestor's */
	int64_t area = out->root.area_id;
	for (size_t k = out->ancestors.n; !area && k > 0; k--)
		area = out->ancestors.items[k - 1].area_id;
	if (area && (rc = store_area_get(st, area, &out->area, e)) == 0) {
		out->has_area = 1;
		if ((rc = store_pillar_get(st, out->area.pillar_id, &out->pillar, e)) == 0)
			out->has_pillar = 1;
	}
	if (rc || (rc = store_commit(st, e)))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	issue_tree_release(out);
	return rc;
}

int svc_plan_check(const struct op *op, struct double_booking **out,
		   size_t *n, size_t *total, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int rc = store_begin(st, 0, e);
	if (rc)
		return rc;
	if ((rc = store_double_booked(st, &v, out, n, total, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* ---- pillars and areas ---------------------------------------------------------------------- */

static int check_name(const char *name, const char *description, struct err *e)
{
	if (!name || !*name || strlen(name) > NAME_MAX_LEN || title_check(name, NULL))
		return err_set(e, CAIRN_EINVALID, "name", "name must be 1..%d bytes of one-line text",
			       NAME_MAX_LEN);
	if (description && strlen(description) > DESCRIPTION_MAX)
		return err_set(e, CAIRN_EINVALID, "description", "description must be at most %d bytes",
			       DESCRIPTION_MAX);
	return 0;
}

int svc_pillar_add(const struct op *op, const char *name,
		   const char *description, struct pillar *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_PLAN, e)))
		return rc;
	if ((rc = check_name(name, description, e)))
		return rc;
	snprintf(out->name, sizeof out->name, "%s", name);
	snprintf(out->description, sizeof out->description, "%s", description ? description : "");
	out->created_at = op->now;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_pillar_insert(st, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_area_add(const struct op *op, int64_t pillar_id, const char *name,
		 const char *description, struct area *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct pillar p;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_PLAN, e)))
		return rc;
	if ((rc = check_name(name, description, e)))
		return rc;
	out->pillar_id = pillar_id;
	snprintf(out->name, sizeof out->name, "%s", name);
	snprintf(out->description, sizeof out->description, "%s", description ? description : "");
	out->created_at = op->now;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	rc = store_pillar_get(st, pillar_id, &p, e);
	if (rc == CAIRN_ENOTFOUND) {
		err_clear(e);
		rc = err_set(e, CAIRN_EINVALID, "pillar", "pillar %lld does not exist", (long long)pillar_id);
	}
	if (rc || (rc = store_area_insert(st, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_pillars(const struct op *op, struct pillar **pillars, size_t *np,
		struct area_stats **areas, size_t *na, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	struct area *list = NULL;
	int64_t *area_of = NULL, *numbers = NULL;
	struct plan_node *nodes = NULL;
	size_t ne = 0, nn = 0;
	int scope, rc;
	*pillars = NULL;
	*areas = NULL;
	*np = *na = 0;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = store_pillar_list(st, pillars, np, e)) || (rc = store_area_list(st, &list, na, e)) ||
	    (rc = rollup_scope(op, &scope, e)))
		goto out;
	if (*na && !(*areas = calloc(*na, sizeof **areas))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t a = 0; a < *na; a++)
		(*areas)[a].area = list[a];
	if (scope >= 0) { /* one stored row per area */
		struct area_rollup *rows = NULL;
		size_t nrows = 0;
		if ((rc = store_area_rollups(st, scope, &rows, &nrows, e)))
			goto out;
		for (size_t r = 0; r < nrows; r++)
			for (size_t a = 0; a < *na; a++) {
				struct area_stats *s = &(*areas)[a];
				if (rows[r].area != list[a].id)
					continue;
				s->epics = rows[r].epics;
				s->points = rows[r].points;
				s->done_points = rows[r].done;
			}
		free(rows);
		rc = store_commit(st, e);
		goto out;
	}
	/* computed on read: the reader sees private work inside the trees */
	if ((rc = store_area_epics(st, &v, &area_of, &numbers, &ne, e)) ||
	    (rc = store_plan_nodes(st, &v, NULL, 0, &nodes, &nn, e)))
		goto out;
	if (plan_rollup(nodes, nn)) {
		rc = err_set(e, CAIRN_EINTERNAL, NULL, "the issue tree has a cycle");
		goto out;
	}
	/* nodes by number, so each epic is found in log time */
	if (nn)
		qsort(nodes, nn, sizeof *nodes, node_cmp);
	for (size_t k = 0; k < ne; k++) {
		struct plan_node key = {.number = numbers[k]};
		const struct plan_node *x =
			nn ? bsearch(&key, nodes, nn, sizeof *nodes, node_cmp) : NULL;
		for (size_t a = 0; a < *na; a++) {
			struct area_stats *s = &(*areas)[a];
			if (area_of[k] != list[a].id)
				continue;
			s->epics++;
			if (x) {
				s->points += x->rollup;
				s->done_points += x->done_rollup;
			}
		}
	}
	rc = store_commit(st, e);
out:
	if (rc) {
		store_rollback(st);
		free(*pillars);
		free(*areas);
		*pillars = NULL;
		*areas = NULL;
		*np = *na = 0;
	}
	free(list);
	free(area_of);
	free(numbers);
	free(nodes);
	return rc;
}

/* ---- milestones ------------------------------------------------------------------------------- */

/* Apply in over *m (validated): title, dates, capacity. */
static int milestone_fields(const struct milestone_input *in, struct milestone *m, struct err *e)
{
	if (in->title) {
		if (!*in->title || strlen(in->title) > 64 || title_check(in->title, NULL))
			return err_set(e, CAIRN_EINVALID, "title", "title must be 1..64 bytes of one-line text");
		snprintf(m->title, sizeof m->title, "%s", in->title);
	}
	if (in->start && day_parse(in->start, &m->start_day))
		return err_set(e, CAIRN_EINVALID, "start", "start must be a date YYYY-MM-DD");
	if (in->due && day_parse(in->due, &m->due_day))
		return err_set(e, CAIRN_EINVALID, "due", "due must be a date YYYY-MM-DD");
	if (in->capacity) {
		char *end;
		long c = strtol(in->capacity, &end, 10);
		if (!*in->capacity || *end || c < 0 || c > 100000)
			return err_set(e, CAIRN_EINVALID, "capacity", "capacity must be 0..100000 points");
		m->capacity = (int)c;
	}
	if (!m->title[0])
		return err_set(e, CAIRN_EINVALID, "title", "title is required");
	if (!m->start_day || !m->due_day)
		return err_set(e, CAIRN_EINVALID, m->start_day ? "due" : "start",
			       "start and due dates are required");
	if (m->due_day < m->start_day)
		return err_set(e, CAIRN_EINVALID, "due", "due must not be before start");
	if (m->due_day - m->start_day > 366)
		return err_set(e, CAIRN_EINVALID, "due", "a milestone spans at most a year");
	return 0;
}

int svc_milestone_create(const struct op *op,
			 const struct milestone_input *in, struct milestone *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_PLAN, e)))
		return rc;
	if ((rc = milestone_fields(in, out, e)))
		return rc;
	out->created_at = op->now;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_milestone_insert(st, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_milestone_update(const struct op *op, int64_t id,
			 const struct milestone_input *in, struct milestone *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = svc_allow(actor, P_PLAN, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_lock_row(st, ROW_MILESTONE, id, e)) ||
	    (rc = store_milestone_get(st, id, out, e)) || (rc = milestone_fields(in, out, e)) ||
	    (rc = store_milestone_update(st, out, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

int svc_milestone_delete(const struct op *op, int64_t id, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int rc;
	if ((rc = svc_allow(actor, P_PLAN, e)))
		return rc;
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = store_milestone_delete(st, id, e)) || (rc = store_commit(st, e)))
		store_rollback(st);
	return rc;
}

/* Load, done points and item counts per milestone, and the velocity, from
 * every scope row (one query). */
static int milestone_views(const struct op *op, struct milestone **ms,
			   size_t nm, struct milestone_view **views, double *vel,
			   struct scope_item **rows, size_t *nrows, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility v = visibility_of(actor);
	int64_t now = op->now;
	int rc;
	*views = NULL;
	if ((rc = store_scope_list(st, &v, 0, rows, nrows, e)))
		return rc;
	if (nm && !(*views = calloc(nm, sizeof **views)))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	int *closed_done = nm ? calloc(nm, sizeof *closed_done) : NULL;
	size_t nclosed = 0;
	if (nm && !closed_done)
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	for (size_t k = 0; k < nm; k++) {
		struct milestone_view *mv = &(*views)[k];
		mv->m = (*ms)[k];
		mv->state = milestone_state_at(mv->m.start_day, mv->m.due_day, now);
		for (size_t j = 0; j < *nrows; j++) {
			const struct scope_item *x = &(*rows)[j];
			struct scope_class c;
			if (x->milestone_id != mv->m.id)
				continue;
			scope_classify(&x->row, mv->m.start_day, mv->m.due_day, now, &c);
			if (!c.counted)
				continue;
			mv->scope_points += x->row.points;
			mv->shipped_points += c.shipped ? x->row.points : 0;
			mv->slipped_points += c.slipped ? x->row.points : 0;
			if (x->row.removed_ms)
				continue; /* load: what is in it now */
			mv->items++;
			mv->load += x->row.points;
			if (x->row.done_ms)
				mv->done_points += x->row.points;
		}
		mv->remaining = mv->state == MS_CLOSED ? 0 : mv->load - mv->done_points;
		/* shipped points (done by the due day) make the velocity */
		if (mv->state == MS_CLOSED)
			closed_done[nclosed++] = mv->shipped_points;
	}
	/* milestones are ordered by start; closed ones are the earliest */
	*vel = velocity(closed_done, nclosed);
	free(closed_done);
	return 0;
}

/* Every milestone with its figures and every scope row, in the caller's
 * transaction (one read of the scope for all of a milestone's reports). */
struct plan_state {
	struct milestone *ms;
	struct milestone_view *views;
	struct scope_item *rows;
	size_t nm, nrows;
	double velocity;
};

static void plan_state_release(struct plan_state *p)
{
	free(p->ms);
	free(p->views);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

static int plan_state_read(const struct op *op, struct plan_state *p,
			   struct err *e)
{
	struct store *st = op->st;
	int rc;
	memset(p, 0, sizeof *p);
	if ((rc = store_milestone_list(st, &p->ms, &p->nm, e)) ||
	    (rc = milestone_views(op, &p->ms, p->nm, &p->views, &p->velocity, &p->rows,
				  &p->nrows, e)))
		plan_state_release(p);
	return rc;
}

/* The view of milestone id, or NULL. */
static const struct milestone_view *view_of(const struct plan_state *p, int64_t id)
{
	for (size_t k = 0; k < p->nm; k++)
		if (p->views[k].m.id == id)
			return &p->views[k];
	return NULL;
}

int svc_milestones(const struct op *op, struct milestone_view **out,
		   size_t *n, double *vel, struct err *e)
{
	struct store *st = op->st;
	struct plan_state p;
	int rc;
	*out = NULL;
	*n = 0;
	*vel = -1;
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = plan_state_read(op, &p, e)) || (rc = store_commit(st, e))) {
		store_rollback(st);
		plan_state_release(&p);
		return rc;
	}
	*out = p.views; /* handed over */
	*n = p.nm;
	*vel = p.velocity;
	p.views = NULL;
	plan_state_release(&p);
	return 0;
}

int svc_milestone_plan(const struct op *op, const char *every,
		       const char *weekday, int64_t count, const char *from, int64_t capacity,
		       struct milestone **out, size_t *n, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	int every_days = cadence_every_parse(every ? every : "4w");
	int wd = weekday_parse(weekday ? weekday : "thu");
	int64_t from_day = 0, starts[26], dues[26];
	struct plan_state p = {0};
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = svc_allow(actor, P_PLAN, e)))
		return rc;
	if (every_days < 0)
		return err_set(e, CAIRN_EINVALID, "every",
			       "every must be weeks or days like 4w or 28d (1 to 26 weeks)");
	if (wd < 0)
		return err_set(e, CAIRN_EINVALID, "weekday", "weekday must be mon, tue, wed, thu, fri, sat or sun");
	if (count == SVC_UNSET)
		count = 1;
	if (count < 1 || count > 26)
		return err_set(e, CAIRN_EINVALID, "count", "count must be 1..26");
	if (from && day_parse(from, &from_day))
		return err_set(e, CAIRN_EINVALID, "from", "from must be a date YYYY-MM-DD");
	if (capacity != SVC_UNSET && (capacity < 0 || capacity > 100000))
		return err_set(e, CAIRN_EINVALID, "capacity", "capacity must be 0..100000 points");
	if ((rc = store_begin(st, 1, e)))
		return rc;
	if ((rc = plan_state_read(op, &p, e)))
		goto fail;
	const struct milestone *ms = p.ms;
	size_t nm = p.nm;
	if (!from) {
		int64_t last_due = -1;
		for (size_t k = 0; k < nm; k++)
			if (ms[k].due_day > last_due)
				last_due = ms[k].due_day;
		from_day = last_due >= 0 ? last_due + 1 : day_of_ms(op->now);
	}
	if (capacity == SVC_UNSET)
		capacity = p.velocity > 0 ? (int)(p.velocity + 0.5) : 0;
	cadence_plan(from_day, every_days, wd, (int)count, starts, dues);
	/* titles continue the latest by start */
	char last[TITLE_MAX + 1] = "";
	if (nm)
		snprintf(last, sizeof last, "%s", ms[nm - 1].title);
	if (!(*out = calloc((size_t)count, sizeof **out))) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (int k = 0; k < count; k++) {
		struct milestone *m = &(*out)[k];
		milestone_next_title(last[0] ? last : NULL, (int)nm + k + 1, m->title, sizeof m->title);
		m->start_day = starts[k];
		m->due_day = dues[k];
		m->capacity = (int)capacity;
		m->created_at = op->now;
		/* the same rules as a milestone made by hand */
		char start[16], due[16], cap[16];
		day_format(m->start_day, start, sizeof start);
		day_format(m->due_day, due, sizeof due);
		snprintf(cap, sizeof cap, "%lld", (long long)capacity);
		struct milestone check = {0};
		struct milestone_input in = {m->title, start, due, cap};
		if ((rc = milestone_fields(&in, &check, e))) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof msg, "%s", e ? e->msg : "");
			err_set(e, rc, "from", "milestone %d of the plan (%s): %s", k + 1, m->title, msg);
			goto fail;
		}
		if ((rc = store_milestone_insert(st, m, e)))
			goto fail;
		snprintf(last, sizeof last, "%s", m->title);
		*n = (size_t)k + 1;
	}
	if ((rc = store_commit(st, e)))
		goto fail;
	plan_state_release(&p);
	return 0;
fail:
	store_rollback(st);
	free(*out);
	*out = NULL;
	*n = 0;
	plan_state_release(&p);
	return rc;
}

void milestone_detail_release(struct milestone_detail *d)
{
	free(d->scope);
	free(d->slippers);
	free(d->burn_scope);
	free(d->burn_done);
	memset(d, 0, sizeof *d);
}

const char *const scope_total_names[SCOPE_TOTALS] = {"committed", "shipped", "slipped", "added",
						      "removed"};

/* Fill d (its view already set) from the state: scope entries with their
 * slip counts, repeat slippers, burn-up. */
static int detail_fill(const struct plan_state *p, int64_t now, struct milestone_detail *d,
		       struct err *e)
{
	const struct milestone *m = &d->v.m;
	size_t cap = 0, scap = 0, nburn = 0;
	/* each row classified once against its own milestone: did it slip? */
	const struct milestone_view **of = p->nrows ? calloc(p->nrows, sizeof *of) : NULL;
	char *slipped = p->nrows ? calloc(p->nrows, 1) : NULL;
	struct scope_row *burn_rows = p->nrows ? calloc(p->nrows, sizeof *burn_rows) : NULL;
	int rc = 0;
	if (p->nrows && (!of || !slipped || !burn_rows)) {
		rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < p->nrows; j++) {
		struct scope_class c;
		if (!(of[j] = view_of(p, p->rows[j].milestone_id)))
			continue;
		scope_classify(&p->rows[j].row, of[j]->m.start_day, of[j]->m.due_day, now, &c);
		slipped[j] = c.counted && c.slipped;
	}
	for (size_t j = 0; j < p->nrows; j++) {
		const struct scope_item *x = &p->rows[j];
		struct scope_class c;
		if (x->milestone_id != m->id)
			continue;
		burn_rows[nburn++] = x->row;
		scope_classify(&x->row, m->start_day, m->due_day, now, &c);
		if (!c.counted)
			continue;
		if (grow((void **)&d->scope, &cap, d->nscope, sizeof *d->scope)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		struct scope_entry *se = &d->scope[d->nscope++];
		se->item = *x;
		se->cls = c;
		se->slips = 0;
		const int in[SCOPE_TOTALS] = {c.committed, c.shipped, c.slipped, c.added, c.removed};
		for (int t = 0; t < SCOPE_TOTALS; t++)
			if (in[t]) {
				d->totals[t].count++;
				d->totals[t].points += x->row.points;
			}
		for (size_t i = 0; i < p->nrows; i++) /* across every milestone */
			se->slips += p->rows[i].issue_id == x->issue_id && slipped[i];
		/* a repeat slipper, listed once with the milestones it slipped from */
		int listed = 0;
		for (size_t k = 0; k < d->nslippers && !listed; k++)
			listed = d->slippers[k].number == x->number;
		if (se->slips < 2 || listed)
			continue;
		if (grow((void **)&d->slippers, &scap, d->nslippers, sizeof *d->slippers)) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		struct repeat_slipper *rs = &d->slippers[d->nslippers++];
		memset(rs, 0, sizeof *rs);
		rs->number = x->number;
		rs->slips = se->slips;
		snprintf(rs->title, sizeof rs->title, "%s", x->title);
		for (size_t i = 0; i < p->nrows && rs->nmilestones < 8; i++)
			if (p->rows[i].issue_id == x->issue_id && slipped[i])
				snprintf(rs->milestones[rs->nmilestones++], sizeof rs->milestones[0],
					 "%.64s", of[i]->m.title);
	}
	/* burn-up: from the start to today (or the due day once past) */
	d->burn_start = m->start_day;
	d->burn_end = day_of_ms(now) < m->due_day ? day_of_ms(now) : m->due_day;
	if (d->burn_end >= d->burn_start) {
		size_t days = (size_t)(d->burn_end - d->burn_start + 1);
		d->burn_scope = calloc(days, sizeof *d->burn_scope);
		d->burn_done = calloc(days, sizeof *d->burn_done);
		if (!d->burn_scope || !d->burn_done) {
			rc = err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
			goto out;
		}
		burnup(burn_rows, nburn, d->burn_start, d->burn_end, d->burn_scope, d->burn_done);
	}
out:
	free(of);
	free(slipped);
	free(burn_rows);
	return rc;
}

int svc_milestone_get(const struct op *op, int64_t id,
		      struct milestone_detail *out, struct err *e)
{
	struct store *st = op->st;
	struct plan_state p;
	const struct milestone_view *v;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = plan_state_read(op, &p, e)))
		goto fail;
	if (!(v = view_of(&p, id))) {
		rc = err_set(e, CAIRN_ENOTFOUND, "milestone", "no milestone #%lld", (long long)id);
		goto fail;
	}
	out->v = *v;
	out->velocity = p.velocity;
	if ((rc = detail_fill(&p, op->now, out, e)) || (rc = store_commit(st, e)))
		goto fail;
	plan_state_release(&p);
	return 0;
fail:
	store_rollback(st);
	milestone_detail_release(out);
	plan_state_release(&p);
	return rc;
}

/* The forecast of milestone id from the plan p and the items done (at,
 * points) in the THROUGHPUT_DAYS whole days before today. */
static int forecast_compute(const struct plan_state *p, int64_t id, int64_t today,
			    const int64_t *done_at, const int *points, size_t n, uint64_t seed,
			    int trials, struct forecast_view *out, struct err *e)
{
	const struct milestone_view *v;
	int daily[THROUGHPUT_DAYS] = {0};
	if (!(v = view_of(p, id)))
		return err_set(e, CAIRN_ENOTFOUND, "milestone", "no milestone #%lld", (long long)id);
	for (size_t k = 0; k < n; k++) {
		int64_t day = day_of_ms(done_at[k]);
		if (day >= today - THROUGHPUT_DAYS && day < today)
			daily[day - (today - THROUGHPUT_DAYS)] += points[k];
	}
	/* the team works milestone by milestone: what is still open in the
	 * ones before this (by start) comes first */
	for (size_t k = 0; k < p->nm; k++) {
		const struct milestone_view *w = &p->views[k];
		if (w->m.id != id && w->remaining > 0 &&
		    (w->m.start_day < v->m.start_day ||
		     (w->m.start_day == v->m.start_day && w->m.id < id)))
			out->ahead += w->remaining;
	}
	out->remaining = v->remaining;
	out->today = today;
	out->history_days = THROUGHPUT_DAYS;
	if (forecast_run(daily, THROUGHPUT_DAYS, out->remaining ? out->ahead + out->remaining : 0,
			 v->m.due_day - today, seed, trials, &out->f))
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	return 0;
}

int svc_milestone_active_in_tx(const struct op *op, struct milestone_view *out, int *found,
			       double *velocity, struct forecast_view *fc, struct err *e)
{
	struct visibility vis = visibility_of(op->actor);
	struct plan_state p;
	int64_t *done_at = NULL, today = day_of_ms(op->now);
	int *points = NULL;
	size_t n = 0;
	int rc;
	*found = 0;
	memset(fc, 0, sizeof *fc);
	if ((rc = plan_state_read(op, &p, e)))
		return rc;
	*velocity = p.velocity;
	for (size_t k = 0; k < p.nm && !*found; k++)
		if (p.views[k].state == MS_ACTIVE) {
			*out = p.views[k];
			*found = 1;
		}
	if (*found &&
	    !(rc = store_done_since(op->st, &vis, (today - THROUGHPUT_DAYS) * DAY_MS, &done_at, &points,
				    &n, e)))
		rc = forecast_compute(&p, out->m.id, today, done_at, points, n, 1,
				      FORECAST_TRIALS_DEFAULT, fc, e);
	free(done_at);
	free(points);
	plan_state_release(&p);
	return rc;
}

int svc_milestone_forecast(const struct op *op, int64_t id, uint64_t seed,
			   int64_t trials, struct forecast_view *out, struct err *e)
{
	struct store *st = op->st;
	const struct user *actor = op->actor;
	struct visibility vis = visibility_of(actor);
	struct plan_state p = {0};
	int64_t *done_at = NULL;
	int *points = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (trials < 1 || trials > FORECAST_TRIALS_MAX)
		return err_set(e, CAIRN_EINVALID, "trials", "trials must be 1..%d", FORECAST_TRIALS_MAX);
	int64_t today = day_of_ms(op->now);
	/* one snapshot: the milestones, and the last THROUGHPUT_DAYS whole days
	 * before today */
	if ((rc = store_begin(st, 0, e)))
		return rc;
	if ((rc = plan_state_read(op, &p, e)) ||
	    (rc = store_done_since(st, &vis, (today - THROUGHPUT_DAYS) * DAY_MS, &done_at, &points,
				   &n, e)) ||
	    (rc = store_commit(st, e))) {
		store_rollback(st);
		goto out;
	}
	rc = forecast_compute(&p, id, today, done_at, points, n, seed, (int)trials, out, e);
out:
	free(done_at);
	free(points);
	plan_state_release(&p);
	return rc;
}
