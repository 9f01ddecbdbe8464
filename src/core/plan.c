/*
 * plan.c — planning rules (see plan.h).
 */
#include "core/plan.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/issue.h"

/* ---- development board ------------------------------------------------------ */

static const char *const dev_names[] = {"",	      "todo",   "up_next", "in_design",
					"in_progress", "review", "verify",  "done"};
static const char *const dev_labels[] = {"",	       "Todo",   "Up Next", "In Design",
					 "In Progress", "Review", "Verify",  "Done"};

const char *dev_status_name(enum dev_status d)
{
	return (int)d >= 0 && (int)d <= DEV_COLUMNS ? dev_names[d] : "";
}

const char *dev_status_label(enum dev_status d)
{
	return (int)d >= 0 && (int)d <= DEV_COLUMNS ? dev_labels[d] : "";
}

/* Compare ignoring case and treating ' ' and '-' as '_'. */
static int loose_equal(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
		if (x == ' ' || x == '-')
			x = '_';
		if (y == ' ' || y == '-')
			y = '_';
		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
}

int dev_status_parse(const char *s, enum dev_status *out)
{
	if (!s)
		return -1;
	if (!*s) {
		*out = DEV_NONE;
		return 0;
	}
	for (int k = 1; k <= DEV_COLUMNS; k++)
		if (loose_equal(s, dev_names[k])) {
			*out = (enum dev_status)k;
			return 0;
		}
	return -1;
}

const char *board_label(int board)
{
	static const char *const labels[] = {"No Status", "Support & Under Review", "Next",
					     "Short",     "Medium",		      "Long",
					     "Icebox",    "Started",		      "Closed"};
	return board >= 0 && board < 9 ? labels[board] : "";
}

/* ---- hierarchy ------------------------------------------------------------------ */

int parent_allowed(int child, int parent)
{
	switch (child) {
	case ISSUE_EPIC:
		return 0;
	case ISSUE_STORY:
		return parent == ISSUE_EPIC;
	case ISSUE_TASK:
	case ISSUE_BUG:
	case ISSUE_FEATURE:
	case ISSUE_SECURITY:
		return parent == ISSUE_EPIC || parent == ISSUE_STORY;
	}
	return 0;
}

const char *parent_rule(int child)
{
	switch (child) {
	case ISSUE_EPIC:
		return "an epic has no issue parent: link it to an area instead";
	case ISSUE_STORY:
		return "a story's parent must be an epic";
	case ISSUE_TASK:
		return "a task's parent must be a story or an epic";
	default:
		return "this issue's parent must be an epic or a story";
	}
}

/* ---- roll-up -------------------------------------------------------------------- */

static int by_number(const void *a, const void *b)
{
	const struct plan_node *x = *(struct plan_node *const *)a, *y = *(struct plan_node *const *)b;
	return (x->number > y->number) - (x->number < y->number);
}

static struct plan_node *find(struct plan_node **idx, size_t n, int64_t number)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idx[mid]->number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && idx[lo]->number == number ? idx[lo] : NULL;
}

int plan_rollup(struct plan_node *nodes, size_t n)
{
	struct plan_node **idx = n ? calloc(n, sizeof *idx) : NULL;
	int *depth = n ? calloc(n, sizeof *depth) : NULL;
	int rc = 0, maxd = 0;
	if (n && (!idx || !depth)) {
		rc = -1;
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		idx[k] = &nodes[k];
		nodes[k].rollup = nodes[k].children_points = nodes[k].double_booked = 0;
		nodes[k].done_rollup = 0;
		nodes[k].booked_below = 0;
	}
	if (n)
		qsort(idx, n, sizeof *idx, by_number);
	/* depth of each node within the set; a chain longer than n is a cycle */
	for (size_t k = 0; k < n; k++) {
		int d = 0;
		for (struct plan_node *p = find(idx, n, nodes[k].parent); p;
		     p = find(idx, n, p->parent)) {
			if (++d > (int)n) {
				rc = -1;
				goto out;
			}
		}
		depth[k] = d;
		if (d > maxd)
			maxd = d;
	}
	/* deepest first: every child is final before its parent adds it up */
	for (int d = maxd; d >= 0; d--) {
		for (size_t k = 0; k < n; k++) {
			struct plan_node *x = &nodes[k];
			if (depth[k] != d)
				continue;
			/* done_rollup holds the children's done points until now */
			int kids_done = x->done_rollup, own;
			if (x->type == ISSUE_EPIC) {
				own = !x->children_points;
				x->rollup = own ? x->points : x->children_points;
			} else {
				own = x->points != 0;
				x->rollup = own ? x->points : x->children_points;
				x->double_booked = x->points && x->children_points;
			}
			x->done_rollup = x->done ? x->rollup : own ? 0 : kids_done;
			struct plan_node *p = find(idx, n, x->parent);
			if (p) {
				p->children_points += x->rollup;
				p->done_rollup += x->done_rollup;
				p->booked_below += x->booked_below + x->double_booked;
			}
		}
	}
out:
	free(idx);
	free(depth);
	return rc;
}

/* ---- maintained roll-ups ---------------------------------------------------------- */

int rollup_counts(const struct rollup_item *x, int scope)
{
	return !x->gone && !(scope == ROLLUP_PUBLIC && x->type == ISSUE_SECURITY);
}

void rollup_eval(const struct rollup_item *x, const struct rollup_sums *kids,
		 struct rollup_sums *out, int *double_booked)
{
	/* the same rule as plan_rollup, for one node */
	int epic = x->type == ISSUE_EPIC, own, rollup, booked;
	if (epic) {
		own = !kids->points;
		booked = 0;
	} else {
		own = x->points != 0;
		booked = x->points && kids->points;
	}
	rollup = own ? x->points : kids->points;
	out->points = rollup;
	out->done = x->done ? rollup : own ? 0 : kids->done;
	out->booked = kids->booked + booked;
	/* strategy_progress's counts: a node whose own size counts covers the
	 * unsized work below it (and itself) */
	out->items = kids->items + !epic;
	out->done_items = kids->done_items + (!epic && x->done);
	if (x->points && (!epic || !kids->points))
		out->unsized = 0;
	else
		out->unsized = kids->unsized + (!epic && !x->done && !rollup);
	if (double_booked)
		*double_booked = booked;
}

void rollup_add(struct rollup_sums *a, const struct rollup_sums *b, int sign)
{
	a->points += sign * b->points;
	a->done += sign * b->done;
	a->booked += sign * b->booked;
	a->items += sign * b->items;
	a->done_items += sign * b->done_items;
	a->unsized += sign * b->unsized;
}

int rollup_is_zero(const struct rollup_sums *a)
{
	return !a->points && !a->done && !a->booked && !a->items && !a->done_items && !a->unsized;
}

struct item_ref {
	int64_t number;
	size_t k;
};

static int by_item_number(const void *a, const void *b)
{
	const struct item_ref *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

static long find_item(const struct item_ref *idx, size_t n, int64_t number)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idx[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && idx[lo].number == number ? (long)idx[lo].k : -1;
}

#define ROLLUP_DEPTH_MAX 64

int rollup_forest(const struct rollup_item *items, size_t n, int scope, struct rollup_sums *kids)
{
	struct item_ref *idx = n ? malloc(n * sizeof *idx) : NULL;
	long *par = n ? malloc(n * sizeof *par) : NULL;
	int *depth = n ? malloc(n * sizeof *depth) : NULL;
	int rc = -1, maxd = 0;
	if (n && (!idx || !par || !depth))
		goto out;
	for (size_t k = 0; k < n; k++) {
		idx[k] = (struct item_ref){items[k].number, k};
		memset(&kids[k], 0, sizeof kids[k]);
	}
	if (n)
		qsort(idx, n, sizeof *idx, by_item_number);
	for (size_t k = 0; k < n; k++)
		par[k] = items[k].parent ? find_item(idx, n, items[k].parent) : -1;
	for (size_t k = 0; k < n; k++) {
		int d = 0;
		for (long p = par[k]; p >= 0 && d <= ROLLUP_DEPTH_MAX; p = par[p])
			d++;
		if (d > ROLLUP_DEPTH_MAX) { /* a cycle: cut it here */
			par[k] = -1;
			d = 0;
		}
		depth[k] = d;
	}
	/* depths again: a cut may have shortened chains through k */
	for (size_t k = 0; k < n; k++) {
		int d = 0;
		for (long p = par[k]; p >= 0 && d <= ROLLUP_DEPTH_MAX; p = par[p])
			d++;
		depth[k] = d;
		if (d > maxd)
			maxd = d;
	}
	/* deepest first: a node's children are final before it passes up */
	for (int d = maxd; d >= 1; d--)
		for (size_t k = 0; k < n; k++) {
			if (depth[k] != d || !rollup_counts(&items[k], scope))
				continue;
			struct rollup_sums own;
			rollup_eval(&items[k], &kids[k], &own, NULL);
			rollup_add(&kids[par[k]], &own, 1);
		}
	rc = 0;
out:
	free(idx);
	free(par);
	free(depth);
	return rc;
}

/* ---- the Todo limit -------------------------------------------------------------- */

int todo_over_limit(int load, int size, int limit)
{
	return (int64_t)load + size > limit;
}

void todo_refusal(char *buf, size_t cap, int64_t number, int load, int size, int limit)
{
	snprintf(buf, cap,
		 "Todo holds %d of %d points; #%lld (%d point%s) would make it %d: finish or move "
		 "something first, or force it (PM, CTO)",
		 load, limit, (long long)number, size, size == 1 ? "" : "s", load + size);
}

/* ---- dates ---------------------------------------------------------------------- */

int size_working_days(int points)
{
	switch (points) {
	case 1:
	case 2:
		return 1;
	case 3:
		return 3;
	case 5:
		return 5;
	case 8:
		return 10;
	case 13:
		return 15;
	}
	return 0;
}

int day_weekday(int64_t day)
{
	/* day 0 (1970-01-01) was a Thursday (3) */
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int64_t add_working_days(int64_t day, int n)
{
	while (n > 0) {
		day++;
		if (day_weekday(day) < 5)
			n--;
	}
	return day;
}

int64_t day_of_ms(int64_t ms)
{
	return ms >= 0 ? ms / DAY_MS : -((-ms + DAY_MS - 1) / DAY_MS);
}

int64_t expected_day(int64_t started_ms, int points)
{
	int n = size_working_days(points);
	if (!n)
		return -1;
	return add_working_days(day_of_ms(started_ms), n);
}

/* Days from the civil date (proleptic Gregorian), eras of 400 years. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int day_parse(const char *s, int64_t *day)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int k = 0; k < 10; k++)
		if (k != 4 && k != 7 && !isdigit((unsigned char)s[k]))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return -1;
	int64_t z = days_from_civil(y, m, d);
	int yy, mm, dd;
	civil_from_days(z, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d) /* 2026-02-30 */
		return -1;
	*day = z;
	return 0;
}

void day_format(int64_t day, char *buf, size_t cap)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

int weekday_parse(const char *s)
{
	static const char *const names[] = {"monday", "tuesday", "wednesday", "thursday",
					    "friday", "saturday", "sunday"};
	size_t len = s ? strlen(s) : 0;
	if (len < 3)
		return -1;
	for (int k = 0; k < 7; k++)
		if (len <= strlen(names[k]) && strncasecmp(s, names[k], len) == 0)
			return k;
	return -1;
}

/* ---- definition of done -------------------------------------------------------------- */

const char *const dod_names[DOD_ITEMS] = {"merged", "tests", "docs", "acceptance", "demo"};

int dod_count(int bits)
{
	int n = 0;
	for (int k = 0; k < DOD_ITEMS; k++)
		n += (bits >> k) & 1;
	return n;
}

void dod_format(int bits, char *buf, size_t cap)
{
	size_t used = 0;
	if (cap)
		buf[0] = '\0';
	for (int k = 0; k < DOD_ITEMS && used < cap; k++)
		if (bits & (1 << k))
			used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
						 dod_names[k]);
}

/* ---- milestones ------------------------------------------------------------------------ */

int cadence_every_parse(const char *s)
{
	char *end;
	if (!s || !isdigit((unsigned char)*s))
		return -1;
	long n = strtol(s, &end, 10);
	if (n > 1000)
		return -1;
	while (*end == ' ')
		end++;
	long days;
	if (!strcasecmp(end, "w") || !strcasecmp(end, "week") || !strcasecmp(end, "weeks"))
		days = n * 7;
	else if (!strcasecmp(end, "d") || !strcasecmp(end, "day") || !strcasecmp(end, "days"))
		days = n;
	else
		return -1;
	return n > 0 && days >= 7 && days <= 182 ? (int)days : -1;
}

void cadence_plan(int64_t from_day, int every_days, int weekday, int count, int64_t *starts,
		  int64_t *dues)
{
	int64_t start = from_day, due = from_day + every_days - 6;
	while (day_weekday(due) != weekday)
		due++;
	for (int k = 0; k < count; k++) {
		starts[k] = start;
		dues[k] = due;
		start = due + 1;
		due += every_days;
	}
}

void milestone_next_title(const char *last, int seq, char *buf, size_t cap)
{
	if (last) {
		/* the last run of digits is bumped: "2.31" -> "2.32", "M3" -> "M4" */
		size_t len = strlen(last), end = len;
		while (end > 0 && !isdigit((unsigned char)last[end - 1]))
			end--;
		size_t begin = end;
		while (begin > 0 && isdigit((unsigned char)last[begin - 1]))
			begin--;
		if (end > begin && end - begin < 9 && end == len) {
			long v = strtol(last + begin, NULL, 10);
			snprintf(buf, cap, "%.*s%ld", (int)begin, last, v + 1);
			return;
		}
	}
	snprintf(buf, cap, "M%d", seq);
}

const char *milestone_state_name(enum milestone_state s)
{
	switch (s) {
	case MS_PLANNED:
		return "planned";
	case MS_ACTIVE:
		return "active";
	case MS_CLOSED:
		return "closed";
	}
	return "";
}

enum milestone_state milestone_state_at(int64_t start_day, int64_t due_day, int64_t now)
{
	if (now < start_day * DAY_MS)
		return MS_PLANNED;
	if (now < (due_day + 1) * DAY_MS)
		return MS_ACTIVE;
	return MS_CLOSED;
}

double velocity(const int *done, size_t n)
{
	if (!n)
		return -1;
	size_t from = n > 3 ? n - 3 : 0;
	double sum = 0;
	for (size_t k = from; k < n; k++)
		sum += done[k];
	return sum / (double)(n - from);
}

void scope_classify(const struct scope_row *r, int64_t start_day, int64_t due_day, int64_t now,
		    struct scope_class *out)
{
	int64_t start = start_day * DAY_MS, due_end = (due_day + 1) * DAY_MS;
	memset(out, 0, sizeof *out);
	if (r->removed_ms && r->removed_ms <= start)
		return; /* joined and left before the scope froze */
	out->counted = 1;
	out->committed = r->added_ms <= start;
	out->added = !out->committed;
	out->removed = r->removed_ms != 0;
	out->shipped = r->done_ms && r->done_ms < due_end &&
		       (!r->removed_ms || r->done_ms <= r->removed_ms);
	out->slipped = !out->shipped && (out->removed || now >= due_end);
}

void burnup(const struct scope_row *rows, size_t n, int64_t start_day, int64_t end_day, int *scope,
	    int *done)
{
	for (int64_t d = start_day; d <= end_day; d++) {
		int64_t end = (d + 1) * DAY_MS;
		int s = 0, x = 0;
		for (size_t k = 0; k < n; k++) {
			const struct scope_row *r = &rows[k];
			if (r->added_ms >= end || (r->removed_ms && r->removed_ms < end))
				continue;
			s += r->points;
			if (r->done_ms && r->done_ms < end)
				x += r->points;
		}
		scope[d - start_day] = s;
		done[d - start_day] = x;
	}
}

/* ---- forecast ------------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void plan_rng_seed(struct plan_rng *r, uint64_t seed)
{
	for (int k = 0; k < 4; k++)
		r->s[k] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t plan_rng_next(struct plan_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t plan_rng_below(struct plan_rng *r, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;
	do
		x = plan_rng_next(r);
	while (x >= limit);
	return x % n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The trial at quantile q of sorted days (-1 past the horizon). */
static int quantile(const int *sorted, int trials, double q)
{
	int k = (int)ceil(q * trials) - 1;
	if (k < 0)
		k = 0;
	return sorted[k];
}

int forecast_run(const int *daily, size_t ndays, int remaining, int64_t days_to_due,
		 uint64_t seed, int trials, struct forecast *out)
{
	memset(out, 0, sizeof *out);
	if (trials < 1 || trials > FORECAST_TRIALS_MAX || (ndays && !daily))
		return -1;
	int64_t sum = 0;
	for (size_t k = 0; k < ndays; k++) {
		if (daily[k] < 0)
			return -1;
		sum += daily[k];
	}
	out->mean_daily = ndays ? (double)sum / (double)ndays : 0;
	if (remaining <= 0) {
		out->probability = 1.0;
		return 0;
	}
	if (sum == 0) {
		out->p50 = out->p85 = out->p95 = -1;
		return 0;
	}
	int *days = malloc((size_t)trials * sizeof *days);
	if (!days)
		return -1;
	struct plan_rng rng;
	plan_rng_seed(&rng, seed);
	int hits = 0;
	for (int t = 0; t < trials; t++) {
		int64_t acc = 0;
		int d = 0;
		while (acc < remaining && d < FORECAST_HORIZON_DAYS) {
			acc += daily[plan_rng_below(&rng, ndays)];
			d++;
		}
		days[t] = acc >= remaining ? d : -1;
		if (days[t] >= 0 && days[t] <= days_to_due)
			hits++;
	}
	/* unfinished trials sort last */
	for (int t = 0; t < trials; t++)
		if (days[t] < 0)
			days[t] = FORECAST_HORIZON_DAYS + 1;
	qsort(days, (size_t)trials, sizeof *days, cmp_int);
	out->probability = (double)hits / trials;
	out->p50 = quantile(days, trials, 0.50);
	out->p85 = quantile(days, trials, 0.85);
	out->p95 = quantile(days, trials, 0.95);
	if (out->p50 > FORECAST_HORIZON_DAYS)
		out->p50 = -1;
	if (out->p85 > FORECAST_HORIZON_DAYS)
		out->p85 = -1;
	if (out->p95 > FORECAST_HORIZON_DAYS)
		out->p95 = -1;
	free(days);
	return 0;
}
