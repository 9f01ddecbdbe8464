/*
 * plan.h — the planning rules of DESIGN.md §2: the development board, the
 * hierarchy (which parent a type may have), roll-ups and double booking,
 * the Todo limit, expected dates, the definition of done, milestone
 * cadences, velocity, burn-up, ship/slip and the Monte Carlo forecast.
 * Pure rules: no I/O, no clock (callers pass "now").
 *
 * Days are whole UTC days counted from 1970-01-01 (day 0); a day runs from
 * day * DAY_MS to (day + 1) * DAY_MS.  Times are unix milliseconds.
 */
#ifndef CAIRN_PLAN_H
#define CAIRN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define DAY_MS 86400000LL

/* ---- development board (stored values: never renumber) ---------------- */

enum dev_status {
	DEV_NONE = 0, /* not on the development board */
	DEV_TODO = 1,
	DEV_UP_NEXT = 2,
	DEV_IN_DESIGN = 3,
	DEV_IN_PROGRESS = 4,
	DEV_REVIEW = 5,
	DEV_VERIFY = 6,
	DEV_DONE = 7,
};
#define DEV_COLUMNS 7

/* "todo", "up_next", ... ("" for none/unknown); parse accepts those and
 * the display names in any case ("Up Next", "up-next"); "" -> DEV_NONE. */
const char *dev_status_name(enum dev_status d);
const char *dev_status_label(enum dev_status d); /* "Up Next" */
int dev_status_parse(const char *s, enum dev_status *out);

/* Product board column titles ("Support & Under Review"), by enum board. */
const char *board_label(int board);

/* ---- hierarchy ----------------------------------------------------------- */

/* Whether an issue of child_type may have a parent of parent_type
 * (enum issue_type values): story <- epic; task <- story, epic; bug,
 * feature, security <- epic, story; an epic has no issue parent. */
int parent_allowed(int child_type, int parent_type);
/* The refusal for a disallowed pair, e.g. "a task's parent must be a story
 * or an epic" (static text). */
const char *parent_rule(int child_type);

/* ---- sizes: roll-up and double booking ---------------------------------- */

struct plan_node {
	int64_t number;
	int64_t parent; /* 0 = none (or outside the set) */
	int type;       /* enum issue_type */
	int points;     /* effective size, 0 = unsized */
	int done;       /* finished (closed as done, not won't-do) */
	/* out */
	int rollup;        /* see plan_rollup */
	int children_points; /* sum of the children's roll-ups */
	int double_booked; /* sized, and so are some of its children */
	int done_rollup;   /* the part of rollup that is done */
	int booked_below;  /* double-booked items under it (reported on the epic) */
};

/* Fill rollup, children_points and double_booked for every node of a set
 * of trees (parents outside the set count as none).  An epic's roll-up is
 * the sum of its children's, or its own size when its children add
 * nothing; any other item counts its own size when it has one (sized
 * children are then double booking and do not add), else its children's
 * sum.  done_rollup counts the same way over finished work: all of a done
 * item, else what its counted children finished (nothing for a sized,
 * unfinished item: its own estimate is what counts).
 * Returns 0, or -1 when out of memory or a cycle is found. */
int plan_rollup(struct plan_node *nodes, size_t n);

/* ---- maintained roll-ups (issue #12) ------------------------------------ */

/* What a node passes up to its parent, and what its children add up to.
 * points and done are plan_rollup's rollup and done_rollup; booked counts
 * double-booked items at or below; items, done_items and unsized are
 * strategy_progress's counts (non-epic items; open, unsized ones that
 * nothing sized above them covers). */
struct rollup_sums {
	int points, done, booked, items, done_items, unsized;
};

/* One issue as roll-ups see it. */
struct rollup_item {
	int64_t number;
	int64_t parent; /* 0 = none */
	int64_t area;   /* 0 = none (only epics have one) */
	int type;       /* enum issue_type */
	int points;     /* effective size, 0 = unsized */
	int done;       /* closed (a won't-do is closed too, but gone) */
	int gone;       /* closed as won't do or duplicate: counts for nobody above it */
};

/* Two sets of numbers are kept: over every issue, and over public issues
 * only (security issues are private: their work counts for nobody who may
 * not see them).  Stored values: never renumber. */
enum rollup_scope { ROLLUP_ALL = 0, ROLLUP_PUBLIC = 1 };
#define ROLLUP_SCOPES 2

/* 1 when x counts towards its parent (and its area) in scope. */
int rollup_counts(const struct rollup_item *x, int scope);

/* x's own numbers from its fields and the sum of its children's (kids):
 * plan_rollup's rule for one node, and strategy_progress's counts.
 * double_booked (may be NULL): x is sized and so are its children. */
void rollup_eval(const struct rollup_item *x, const struct rollup_sums *kids,
		 struct rollup_sums *out, int *double_booked);

/* a += sign * b (sign 1 or -1). */
void rollup_add(struct rollup_sums *a, const struct rollup_sums *b, int sign);
int rollup_is_zero(const struct rollup_sums *a);

/* The children's sums of every item of a whole forest in scope, from
 * scratch: kids[k] for items[k] (any order; a parent outside the set counts
 * as none).  Chains deeper than 64 (a cycle in old data) are cut there.
 * Returns 0, or -1 when out of memory. */
int rollup_forest(const struct rollup_item *items, size_t n, int scope, struct rollup_sums *kids);

/* ---- the Todo limit ------------------------------------------------------ */

#define TODO_LIMIT_DEFAULT 40

/* 1 when moving an item of size points into a Todo holding load points
 * would exceed limit. */
int todo_over_limit(int load, int size, int limit);
/* The refusal message, stating the load, the item's size and the limit. */
void todo_refusal(char *buf, size_t cap, int64_t number, int load, int size, int limit);

/* ---- dates ---------------------------------------------------------------- */

/* Working days an item of this size is expected to take (XS 1, S 1, M 3,
 * L 5, XL 10, XXL 15); 0 for unsized. */
int size_working_days(int points);
/* The day n working days (Mon-Fri) after day (n = 0 -> day itself). */
int64_t add_working_days(int64_t day, int n);
/* An item started at started_ms with this size is expected on this day;
 * -1 when unsized. */
int64_t expected_day(int64_t started_ms, int points);

/* 0 = Monday .. 6 = Sunday. */
int day_weekday(int64_t day);
/* "YYYY-MM-DD" <-> day.  Parse returns 0 or -1 (strictly that shape, a
 * real calendar date, years 1970..9999). */
int day_parse(const char *s, int64_t *day);
void day_format(int64_t day, char *buf, size_t cap); /* cap >= 11 */
int64_t day_of_ms(int64_t ms);
/* "mon".."sun" (or full names, any case) -> 0..6; -1 otherwise. */
int weekday_parse(const char *s);

/* ---- definition of done -------------------------------------------------- */

enum dod_bit {
	DOD_MERGED = 1,
	DOD_TESTS = 2,
	DOD_DOCS = 4,
	DOD_ACCEPTANCE = 8,
	DOD_DEMO = 16,
};
#define DOD_ITEMS 5
extern const char *const dod_names[DOD_ITEMS]; /* "merged", "tests", ... */
int dod_count(int bits);
/* "merged, tests" (or "" for none) into buf. */
void dod_format(int bits, char *buf, size_t cap);

/* ---- milestones ------------------------------------------------------------ */

/* "4w", "28d", "2 weeks" -> days (7..182); -1 otherwise. */
int cadence_every_parse(const char *s);
/* Milestone k (0-based) of a cadence: the first starts on from_day and is
 * due on the first weekday at least every - 6 days later; each next one
 * starts the day after the previous due and is due every days later. */
void cadence_plan(int64_t from_day, int every_days, int weekday, int count, int64_t *starts,
		  int64_t *dues);
/* The title after last: "2.31" -> "2.32", "M3" -> "M4"; else "M<seq>". */
void milestone_next_title(const char *last, int seq, char *buf, size_t cap);

enum milestone_state { MS_PLANNED = 0, MS_ACTIVE = 1, MS_CLOSED = 2 };
const char *milestone_state_name(enum milestone_state s);
enum milestone_state milestone_state_at(int64_t start_day, int64_t due_day, int64_t now_ms);

/* Mean of the last (up to) 3 closed milestones' done points, given in
 * chronological order; -1 when n == 0. */
double velocity(const int *done_points, size_t n);

/* One item's membership of one milestone. */
struct scope_row {
	int64_t added_ms;   /* when it joined the milestone */
	int64_t removed_ms; /* when it left, 0 = still in */
	int64_t done_ms;    /* when it was done, 0 = not done */
	int points;
};

/* The classification of a scope row against its milestone (DESIGN §2):
 * scope is frozen at the start; what was in then is committed, what
 * joined later is added, what left after the start is removed. */
struct scope_class {
	int counted;   /* 0: joined and left before the start (not shown) */
	int committed, added, removed, shipped, slipped;
};
void scope_classify(const struct scope_row *r, int64_t start_day, int64_t due_day, int64_t now_ms,
		    struct scope_class *out);

/* Burn-up: for each day from start_day to end_day (inclusive), the points
 * in scope at the end of that day and the points of those done by then.
 * scope and done have end_day - start_day + 1 entries. */
void burnup(const struct scope_row *rows, size_t n, int64_t start_day, int64_t end_day, int *scope,
	    int *done);

/* ---- forecast ---------------------------------------------------------------- */

#define FORECAST_TRIALS_DEFAULT 10000
#define FORECAST_TRIALS_MAX 20000
#define FORECAST_HORIZON_DAYS (5 * 366)

struct forecast {
	double probability; /* of finishing by the due day */
	double mean_daily;  /* mean of the throughput history */
	int p50, p85, p95;  /* days from today; -1 = not within the horizon */
};

/* Monte Carlo: each trial draws days from the daily throughput history
 * (points done per day, with replacement) until remaining points are done;
 * the trial finishes on today + the days drawn.  days_to_due: due day -
 * today.  A fixed seed gives a fixed result.  No work left: probability
 * 1 and 0 days; no throughput at all: probability 0 and -1 days.
 * Returns 0 or -1 (bad arguments, out of memory). */
int forecast_run(const int *daily, size_t ndays, int remaining, int64_t days_to_due,
		 uint64_t seed, int trials, struct forecast *out);

/* The generator behind it (xoshiro-style, seeded with splitmix64). */
struct plan_rng {
	uint64_t s[4];
};
void plan_rng_seed(struct plan_rng *r, uint64_t seed);
uint64_t plan_rng_next(struct plan_rng *r);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t plan_rng_below(struct plan_rng *r, uint64_t n);

#endif
