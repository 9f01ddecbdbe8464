/*
 * strategy.c — the pure rules of product strategy (see strategy.h).
 *
 * The line diff is Myers' O(ND) algorithm in linear space (the middle
 * snake, divided and conquered, as in GNU diff's diffseq.h) run over line
 * ids: every distinct line gets a small integer through a hash table, the
 * common head and tail are matched first, and lines that occur nowhere on
 * the other side are set aside before the search (they can only be deleted
 * or added, so the script stays a shortest one).  The search marks which
 * lines are kept; the script is then read off those marks, deletions before
 * additions between two kept lines.
 *
 * Progress indexes the nodes once (sorted by number), walks the forest in
 * preorder so that every subtree is a range [tin, tout), sums each subtree
 * bottom-up, and drops a root that lies inside an earlier root's range of
 * the same group: O(n log n + roots log roots).
 */
#include "core/strategy.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/issue.h"
#include "core/triage.h"

/* ---- the line diff ---------------------------------------------------------- */

struct line {
	const char *text;
	size_t len;
};

/* The number of lines of s, or DIFF_MAX_LINES + 1 once there are more. */
static size_t count_lines(const char *s)
{
	size_t n = 0;
	const char *p = s;
	while (*p && n <= DIFF_MAX_LINES) {
		const char *nl = strchr(p, '\n');
		n++;
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

/* Split s into its n lines (n from count_lines). */
static void split_lines(const char *s, struct line *v, size_t n)
{
	const char *p = s;
	for (size_t k = 0; k < n; k++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (nl && len && p[len - 1] == '\r')
			len--;
		v[k].text = p;
		v[k].len = len;
		p = nl ? nl + 1 : p + len;
	}
}

static uint64_t hash_line(const struct line *l)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t k = 0; k < l->len; k++)
		h = (h ^ (unsigned char)l->text[k]) * 0x100000001b3ULL;
	return h;
}

/* Give every line of a and b an id, equal ids for equal lines; count how
 * often each id occurs on each side.  0 or -1 (out of memory). */
static int number_lines(const struct line *a, size_t na, const struct line *b, size_t nb,
			int *ida, int *idb, int **cnt_a, int **cnt_b)
{
	size_t cap = 16;
	while (cap < 2 * (na + nb))
		cap *= 2;
	int *slot = malloc(cap * sizeof *slot); /* id + 1, 0 = free */
	const struct line **first = malloc((na + nb + 1) * sizeof *first);
	int *ca = calloc(na + nb + 1, sizeof *ca), *cb = calloc(na + nb + 1, sizeof *cb);
	if (!slot || !first || !ca || !cb) {
		free(slot);
		free(first);
		free(ca);
		free(cb);
		return -1;
	}
	memset(slot, 0, cap * sizeof *slot);
	int ids = 0;
	for (size_t k = 0; k < na + nb; k++) {
		const struct line *l = k < na ? &a[k] : &b[k - na];
		size_t h = (size_t)hash_line(l) & (cap - 1);
		while (slot[h]) {
			const struct line *f = first[slot[h] - 1];
			if (f->len == l->len && memcmp(f->text, l->text, l->len) == 0)
				break;
			h = (h + 1) & (cap - 1);
		}
		if (!slot[h]) {
			first[ids] = l;
			slot[h] = ++ids;
		}
		int id = slot[h] - 1;
		if (k < na) {
			ida[k] = id;
			ca[id]++;
		} else {
			idb[k - na] = id;
			cb[id]++;
		}
	}
	free(slot);
	free(first);
	*cnt_a = ca;
	*cnt_b = cb;
	return 0;
}

/* The search over the lines both sides share: x indexes xs, y indexes ys. */
struct diff_search {
	const int *xs, *ys;
	char *keep_x, *keep_y;
	int *fd, *bd; /* furthest x on each diagonal, indexed by x - y */
};

/* A point where a shortest path from (xoff, yoff) to (xlim, ylim) crosses
 * the middle of its edits; both ranges non-empty, their first and last
 * elements differ, so the point is neither corner. */
static void middle_snake(struct diff_search *s, int xoff, int xlim, int yoff, int ylim, int *xmid,
			 int *ymid)
{
	const int *xv = s->xs, *yv = s->ys;
	int *fd = s->fd, *bd = s->bd;
	const int dmin = xoff - ylim, dmax = xlim - yoff;
	const int fmid = xoff - yoff, bmid = xlim - ylim;
	int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	const int odd = (fmid - bmid) & 1;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (;;) {
		/* one more edit forwards */
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			--fmax;
		for (int d = fmax; d >= fmin; d -= 2) {
			int tlo = fd[d - 1], thi = fd[d + 1];
			int x = tlo >= thi ? tlo + 1 : thi, y = x - d;
			while (x < xlim && y < ylim && xv[x] == yv[y])
				x++, y++;
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				*xmid = x;
				*ymid = y;
				return;
			}
		}
		/* one more edit backwards */
		if (bmin > dmin)
			bd[--bmin - 1] = INT_MAX;
		else
			++bmin;
		if (bmax < dmax)
			bd[++bmax + 1] = INT_MAX;
		else
			--bmax;
		for (int d = bmax; d >= bmin; d -= 2) {
			int tlo = bd[d - 1], thi = bd[d + 1];
			int x = tlo < thi ? tlo : thi - 1, y = x - d;
			while (x > xoff && y > yoff && xv[x - 1] == yv[y - 1])
				x--, y--;
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				*xmid = x;
				*ymid = y;
				return;
			}
		}
	}
}

/* Mark the lines a shortest script keeps.  Each split halves the edits, so
 * the recursion is O(log D) deep. */
static void compare(struct diff_search *s, int xoff, int xlim, int yoff, int ylim)
{
	while (xoff < xlim && yoff < ylim && s->xs[xoff] == s->ys[yoff]) {
		s->keep_x[xoff++] = 1;
		s->keep_y[yoff++] = 1;
	}
	while (xlim > xoff && ylim > yoff && s->xs[xlim - 1] == s->ys[ylim - 1]) {
		s->keep_x[--xlim] = 1;
		s->keep_y[--ylim] = 1;
	}
	if (xoff == xlim || yoff == ylim)
		return; /* the rest is only deleted or only added */
	int xmid, ymid;
	middle_snake(s, xoff, xlim, yoff, ylim, &xmid, &ymid);
	compare(s, xoff, xmid, yoff, ymid);
	compare(s, xmid, xlim, ymid, ylim);
}

/* Mark in keep_a / keep_b the lines of a shortest edit script that stay.
 * 0 or -1 (out of memory). */
static int diff_keep(const struct line *a, size_t na, const struct line *b, size_t nb,
		     char *keep_a, char *keep_b)
{
	int rc = -1;
	int *ida = malloc((na + 1) * sizeof *ida), *idb = malloc((nb + 1) * sizeof *idb);
	int *cnt_a = NULL, *cnt_b = NULL;
	int *map_a = malloc((na + 1) * sizeof *map_a), *map_b = malloc((nb + 1) * sizeof *map_b);
	int *xs = malloc((na + 1) * sizeof *xs), *ys = malloc((nb + 1) * sizeof *ys);
	int *diag = malloc(2 * (na + nb + 3) * sizeof *diag);
	char *kx = calloc(na + 1, 1), *ky = calloc(nb + 1, 1);
	if (!ida || !idb || !map_a || !map_b || !xs || !ys || !diag || !kx || !ky)
		goto out;
	if (number_lines(a, na, b, nb, ida, idb, &cnt_a, &cnt_b))
		goto out;

	/* only lines that occur on both sides can be kept */
	int nx = 0, ny = 0;
	for (size_t k = 0; k < na; k++)
		if (cnt_b[ida[k]]) {
			map_a[nx] = (int)k;
			xs[nx++] = ida[k];
		}
	for (size_t k = 0; k < nb; k++)
		if (cnt_a[idb[k]]) {
			map_b[ny] = (int)k;
			ys[ny++] = idb[k];
		}

	/* diagonals run from -ny - 1 to nx + 1 */
	struct diff_search s = {
		.xs = xs,
		.ys = ys,
		.keep_x = kx,
		.keep_y = ky,
		.fd = diag + ny + 1,
		.bd = diag + (na + nb + 3) + ny + 1,
	};
	compare(&s, 0, nx, 0, ny);
	for (int k = 0; k < nx; k++)
		keep_a[map_a[k]] = kx[k];
	for (int k = 0; k < ny; k++)
		keep_b[map_b[k]] = ky[k];
	rc = 0;
out:
	free(ida);
	free(idb);
	free(cnt_a);
	free(cnt_b);
	free(map_a);
	free(map_b);
	free(xs);
	free(ys);
	free(diag);
	free(kx);
	free(ky);
	return rc;
}

static void put_line(struct diff_line *d, enum diff_op op, const struct line *l, int old_no,
		     int new_no)
{
	d->op = op;
	d->text = l->text;
	d->len = l->len;
	d->old_no = old_no;
	d->new_no = new_no;
}

int text_diff(const char *a, const char *b, struct diff_line **out, size_t *n)
{
	if (!out || !n)
		return -1;
	*out = NULL;
	*n = 0;
	if (!a || !b)
		return -1;
	size_t na = count_lines(a), nb = count_lines(b);
	if (na > DIFF_MAX_LINES || nb > DIFF_MAX_LINES)
		return -1;

	int rc = -1;
	struct line *la = malloc((na + 1) * sizeof *la), *lb = malloc((nb + 1) * sizeof *lb);
	char *keep_a = calloc(na + 1, 1), *keep_b = calloc(nb + 1, 1);
	struct diff_line *d = malloc((na + nb + 1) * sizeof *d);
	if (!la || !lb || !keep_a || !keep_b || !d)
		goto out;
	split_lines(a, la, na);
	split_lines(b, lb, nb);
	if (diff_keep(la, na, lb, nb, keep_a, keep_b))
		goto out;

	/* kept lines pair up in order; between two pairs, deletions first */
	size_t i = 0, j = 0, m = 0;
	while (i < na || j < nb) {
		while (i < na && !keep_a[i]) {
			put_line(&d[m++], DIFF_DEL, &la[i], (int)i + 1, 0);
			i++;
		}
		while (j < nb && !keep_b[j]) {
			put_line(&d[m++], DIFF_ADD, &lb[j], 0, (int)j + 1);
			j++;
		}
		if (i < na && j < nb) {
			put_line(&d[m++], DIFF_SAME, &la[i], (int)i + 1, (int)j + 1);
			i++;
			j++;
		}
	}
	*out = d;
	*n = m;
	d = NULL;
	rc = 0;
out:
	free(la);
	free(lb);
	free(keep_a);
	free(keep_b);
	free(d);
	return rc;
}

/* ---- progress ---------------------------------------------------------------- */

/* The nodes' numbers, sorted, each with its index in the nodes. */
struct num_ref {
	int64_t number;
	size_t node;
};

static int by_number(const void *p, const void *q)
{
	const struct num_ref *x = p, *y = q;
	return (x->number > y->number) - (x->number < y->number);
}

/* The index of the node with this number, or -1. */
static long find_node(const struct num_ref *idx, size_t n, int64_t number)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idx[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && idx[lo].number == number ? (long)idx[lo].node : -1;
}

/* Per node: its subtree's preorder range and counts. */
struct subtree {
	size_t tin, tout; /* preorder numbers: the subtree is [tin, tout) */
	int items, done_items, unsized;
};

/* Whether a node's own size is what it counts (plan_rollup's rule), so
 * that it covers the unsized work below it. */
static int covers(const struct plan_node *x)
{
	if (!x->points)
		return 0;
	return x->type != ISSUE_EPIC || !x->children_points;
}

/* Counts of every subtree, bottom-up over the preorder order[] (a child
 * comes after its parent), and each subtree's end tout. */
static void sum_subtrees(const struct plan_node *v, size_t n, const long *par, const size_t *order,
			 struct subtree *t)
{
	for (size_t k = 0; k < n; k++) {
		const struct plan_node *x = &v[k];
		int item = x->type != ISSUE_EPIC;
		t[k].tout = t[k].tin + 1;
		t[k].items = item;
		t[k].done_items = item && x->done;
		t[k].unsized = item && !x->done && !x->rollup;
	}
	for (size_t r = n; r-- > 0;) {
		size_t x = order[r];
		if (covers(&v[x]))
			t[x].unsized = 0; /* its own size covers what is below (and itself) */
		if (par[x] < 0)
			continue;
		struct subtree *p = &t[par[x]];
		p->tout = t[x].tout > p->tout ? t[x].tout : p->tout;
		p->items += t[x].items;
		p->done_items += t[x].done_items;
		p->unsized += t[x].unsized;
	}
}

/* Fill t[] for the forest of nodes.  0, or -1 when out of memory or some
 * node is on a parent cycle (it is then never reached from a top). */
static int index_forest(const struct plan_node *v, size_t n, const struct num_ref *idx,
			struct subtree *t)
{
	int rc = -1;
	long *par = malloc(n * sizeof *par);
	size_t *first = calloc(n + 1, sizeof *first), *kids = malloc(n * sizeof *kids);
	size_t *order = malloc(n * sizeof *order), *stack = malloc(n * sizeof *stack);
	if (!par || !first || !kids || !order || !stack)
		goto out;
	/* children in CSR form: kids[first[p] .. first[p + 1]); stack[] fills it */
	for (size_t k = 0; k < n; k++) {
		par[k] = v[k].parent ? find_node(idx, n, v[k].parent) : -1;
		if (par[k] >= 0)
			first[par[k] + 1]++;
	}
	for (size_t k = 0; k < n; k++)
		first[k + 1] += first[k];
	memcpy(stack, first, n * sizeof *stack);
	for (size_t k = 0; k < n; k++)
		if (par[k] >= 0)
			kids[stack[par[k]]++] = k;

	/* preorder from every top: each subtree gets consecutive numbers */
	size_t seen = 0;
	for (size_t top = 0; top < n; top++) {
		if (par[top] >= 0)
			continue;
		size_t sp = 0;
		stack[sp++] = top;
		while (sp) {
			size_t x = stack[--sp];
			t[x].tin = seen;
			order[seen++] = x;
			for (size_t c = first[x]; c < first[x + 1]; c++)
				stack[sp++] = kids[c];
		}
	}
	if (seen != n)
		goto out; /* a cycle */
	sum_subtrees(v, n, par, order, t);
	rc = 0;
out:
	free(par);
	free(first);
	free(kids);
	free(order);
	free(stack);
	return rc;
}

struct root_ref {
	int group;
	size_t node;
	size_t tin, tout;
};

static int by_group_then_tin(const void *p, const void *q)
{
	const struct root_ref *x = p, *y = q;
	if (x->group != y->group)
		return (x->group > y->group) - (x->group < y->group);
	if (x->tin != y->tin)
		return (x->tin > y->tin) - (x->tin < y->tin);
	return 0;
}

int strategy_progress(const struct plan_node *nodes, size_t n, const int64_t *roots,
		      const int *group, size_t nroots, struct strat_progress *out, size_t ngroups)
{
	if (ngroups && !out)
		return -1;
	if (ngroups)
		memset(out, 0, ngroups * sizeof *out);
	if ((n && !nodes) || (nroots && (!roots || !group)))
		return -1;
	for (size_t k = 0; k < nroots; k++)
		if (group[k] < 0 || (size_t)group[k] >= ngroups)
			return -1;
	if (!n || !nroots)
		return 0;

	int rc = -1;
	struct num_ref *idx = malloc(n * sizeof *idx);
	struct subtree *t = calloc(n, sizeof *t);
	struct root_ref *r = malloc(nroots * sizeof *r);
	if (!idx || !t || !r)
		goto out;
	for (size_t k = 0; k < n; k++)
		idx[k] = (struct num_ref){nodes[k].number, k};
	qsort(idx, n, sizeof *idx, by_number);
	if (index_forest(nodes, n, idx, t))
		goto out;

	size_t nr = 0;
	for (size_t k = 0; k < nroots; k++) {
		long x = find_node(idx, n, roots[k]);
		if (x < 0)
			continue; /* not in the set: counts nothing */
		r[nr++] = (struct root_ref){group[k], (size_t)x, t[x].tin, t[x].tout};
	}
	qsort(r, nr, sizeof *r, by_group_then_tin);
	/* within a group, a root inside the range of the last counted root is
	 * under it (ranges nest or are apart), and so is a repeated root */
	for (size_t k = 0; k < nr; k++) {
		if (k && r[k].group == r[k - 1].group && r[k].tin < r[k - 1].tout) {
			r[k].tout = r[k - 1].tout; /* carry the enclosing range on */
			continue;
		}
		const struct plan_node *x = &nodes[r[k].node];
		const struct subtree *s = &t[r[k].node];
		struct strat_progress *p = &out[r[k].group];
		p->points += x->rollup;
		p->done_points += x->done_rollup;
		p->items += s->items;
		p->done_items += s->done_items;
		p->unsized += s->unsized;
	}
	rc = 0;
out:
	free(idx);
	free(t);
	free(r);
	return rc;
}

/* ---- health ---------------------------------------------------------------- */

static const char *const health_names[] = {"", "on_track", "at_risk", "off_track"};

const char *health_name(int h)
{
	return h >= HEALTH_NONE && h <= HEALTH_OFF_TRACK ? health_names[h] : "";
}

/* The index of s among names[1..count) (any case), "" and "none" -> 0. */
static int parse_name(const char *s, const char *const *names, int count, int *out)
{
	if (!s)
		return -1;
	if (!*s || strcasecmp(s, "none") == 0) {
		*out = 0;
		return 0;
	}
	for (int k = 1; k < count; k++)
		if (strcasecmp(s, names[k]) == 0) {
			*out = k;
			return 0;
		}
	return -1;
}

int health_parse(const char *s, int *out)
{
	return parse_name(s, health_names, 4, out);
}

int health_suggest(int remaining, int64_t p50, int64_t p85, int64_t target)
{
	if (remaining <= 0)
		return HEALTH_ON_TRACK;
	if (target == INT64_MIN)
		return HEALTH_NONE;
	if (p50 < 0 || p50 > target)
		return HEALTH_OFF_TRACK;
	if (p85 < 0 || p85 > target)
		return HEALTH_AT_RISK;
	return HEALTH_ON_TRACK;
}

/* ---- the roadmap ---------------------------------------------------------------- */

static const char *const lane_names[] = {"", "now", "next", "later"};

const char *lane_name(int l)
{
	return l >= LANE_NONE && l <= LANE_LATER ? lane_names[l] : "";
}

int lane_parse(const char *s, int *out)
{
	return parse_name(s, lane_names, 4, out);
}

int lane_of_board(int board)
{
	switch (board) {
	case BOARD_STARTED:
	case BOARD_NEXT:
		return LANE_NOW;
	case BOARD_SHORT:
		return LANE_NEXT;
	case BOARD_MEDIUM:
	case BOARD_LONG:
		return LANE_LATER;
	}
	return LANE_NONE;
}

/* ---- investment allocation --------------------------------------------------------- */

static int cmp_i64(int64_t x, int64_t y)
{
	return (x > y) - (x < y);
}

static int by_alloc_key(const void *p, const void *q)
{
	const struct alloc_share *x = p, *y = q;
	int c = cmp_i64(x->bucket, y->bucket);
	if (!c)
		c = cmp_i64(x->kind, y->kind);
	if (!c)
		c = cmp_i64(x->pillar, y->pillar);
	if (!c)
		c = cmp_i64(x->initiative, y->initiative);
	return c;
}

static int same_key(const struct alloc_share *x, const struct alloc_share *y)
{
	return x->bucket == y->bucket && x->kind == y->kind && x->pillar == y->pillar &&
	       x->initiative == y->initiative;
}

static int clamp_int(int64_t v)
{
	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

int allocation_sum(const struct alloc_item *items, size_t n, struct alloc_share **out,
		   size_t *nout)
{
	if (!out || !nout)
		return -1;
	*out = NULL;
	*nout = 0;
	if (n && !items)
		return -1;
	struct alloc_share *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return -1;
	for (size_t k = 0; k < n; k++)
		v[k] = (struct alloc_share){.bucket = items[k].bucket,
					    .pillar = items[k].pillar,
					    .initiative = items[k].initiative,
					    .kind = items[k].kind,
					    .points = items[k].points};
	if (n)
		qsort(v, n, sizeof *v, by_alloc_key);

	/* merge equal keys */
	size_t m = 0;
	for (size_t k = 0; k < n;) {
		int64_t sum = 0;
		size_t e = k;
		while (e < n && same_key(&v[e], &v[k]))
			sum += v[e++].points;
		v[m] = v[k];
		v[m++].points = clamp_int(sum);
		k = e;
	}
	/* shares of each bucket */
	for (size_t k = 0; k < m;) {
		int64_t total = 0;
		size_t e = k;
		while (e < m && v[e].bucket == v[k].bucket)
			total += v[e++].points;
		for (; k < e; k++)
			v[k].share = total > 0 ? (double)v[k].points / (double)total : 0;
	}
	*out = v;
	*nout = m;
	return 0;
}

/* ---- quarters ---------------------------------------------------------------------------- */

int64_t quarter_of_day(int64_t day)
{
	char buf[32], *end;
	day_format(day, buf, sizeof buf); /* "YYYY-MM-DD" (the year may be wider) */
	long long year = strtoll(buf, &end, 10);
	long month = *end == '-' ? strtol(end + 1, NULL, 10) : 1;
	return (int64_t)year * 10 + (month - 1) / 3 + 1;
}
