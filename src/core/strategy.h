/*
 * strategy.h — the pure rules of product strategy (issue #12), no I/O:
 * a line diff of two versions of the strategy document, the progress of
 * initiatives from the roll-ups of their epics, a health suggestion from a
 * forecast against a target date, the roadmap lane of a horizon or board
 * column, and the investment allocation of shipped points.
 */
#ifndef CAIRN_STRATEGY_H
#define CAIRN_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#include "core/plan.h"

/* ---- the strategy document: versions compared line by line -------------- */

enum diff_op { DIFF_SAME = 0, DIFF_DEL = 1, DIFF_ADD = 2 };

struct diff_line {
	enum diff_op op;
	const char *text; /* borrowed: points into a (SAME, DEL) or b (ADD); not NUL-terminated */
	size_t len;       /* without the newline */
	int old_no;       /* 1-based line in a (0 for ADD) */
	int new_no;       /* 1-based line in b (0 for DEL) */
};

#define DIFF_MAX_LINES 20000

/* The lines of a and b (NUL-terminated; "\n" separates lines, a final
 * newline ends the last line, "\r\n" counts as "\n") as a shortest edit
 * script: every line of a once (SAME or DEL) and of b once (SAME or ADD),
 * in order, deletions before additions where both happen at one place.
 * *out is malloc'd (caller frees), *n its length.  0, or -1 when out of
 * memory or either side has more than DIFF_MAX_LINES lines. */
int text_diff(const char *a, const char *b, struct diff_line **out, size_t *n);

/* ---- progress ------------------------------------------------------------ */

struct strat_progress {
	int points;      /* effective points of the work (the roots' roll-ups) */
	int done_points; /* of which done */
	int items;       /* stories, tasks, bugs ... under the roots (not epics) */
	int done_items;
	int unsized;     /* items with no size that nothing sized above them covers */
};

/* nodes after plan_rollup (any order); roots[k] an issue number whose tree
 * counts for group group[k] (0 <= group[k] < ngroups; a root missing from
 * nodes counts nothing; a root that is under another root of the same
 * group is not counted twice).  out[0..ngroups) is zeroed, then filled:
 * points and done_points add the roots' rollup and done_rollup; items,
 * done_items and unsized count the non-epic nodes below (and including) the
 * roots.  0, or -1 on bad arguments or out of memory. */
int strategy_progress(const struct plan_node *nodes, size_t n, const int64_t *roots,
		      const int *group, size_t nroots, struct strat_progress *out, size_t ngroups);

/* ---- health -------------------------------------------------------------- */

enum health { HEALTH_NONE = 0, HEALTH_ON_TRACK = 1, HEALTH_AT_RISK = 2, HEALTH_OFF_TRACK = 3 };
/* "", "on_track", "at_risk", "off_track". */
const char *health_name(int h);
/* Accepts the names above and "none"/"" (HEALTH_NONE); 0 or -1. */
int health_parse(const char *s, int *out);

/* The suggested health of work with `remaining` points whose forecast
 * finishes in p50 / p85 days from today (-1: never within the horizon),
 * against a target `target` days from today (INT64_MIN: no target):
 * nothing remaining -> on_track; no target -> none; never, or p50 past
 * the target -> off_track; p85 past the target -> at_risk; else on_track. */
int health_suggest(int remaining, int64_t p50, int64_t p85, int64_t target);

/* ---- the roadmap --------------------------------------------------------- */

enum lane { LANE_NONE = 0, LANE_NOW = 1, LANE_NEXT = 2, LANE_LATER = 3 };
/* "", "now", "next", "later". */
const char *lane_name(int l);
int lane_parse(const char *s, int *out);
/* The lane of an epic from its product-board column (enum board):
 * started and next -> now, short -> next, medium and long -> later,
 * anything else (inbox, under review, icebox, closed) -> none. */
int lane_of_board(int board);

/* ---- investment allocation ----------------------------------------------- */

/* What one shipped item counts towards. */
enum alloc_kind { ALLOC_INITIATIVE = 0, ALLOC_UNPLANNED = 1, ALLOC_BUGS = 2, ALLOC_SECURITY = 3 };

struct alloc_item {
	int64_t bucket;     /* a milestone id, or a quarter (year * 10 + q) */
	int64_t pillar;     /* 0: none */
	int64_t initiative; /* 0: none */
	int kind;           /* enum alloc_kind */
	int points;
};

struct alloc_share {
	int64_t bucket, pillar, initiative;
	int kind;
	int points;
	double share; /* points / all points of the bucket, 0..1 */
};

/* Sum items by (bucket, kind, pillar, initiative) and give each sum its share
 * of its bucket's points; *out malloc'd (caller frees), sorted by bucket,
 * kind, pillar, initiative.  0, or -1 when out of memory. */
int allocation_sum(const struct alloc_item *items, size_t n, struct alloc_share **out,
		   size_t *nout);

/* The quarter of a UTC day number as year * 10 + q (2026 Q4 -> 20264). */
int64_t quarter_of_day(int64_t day);

#endif
