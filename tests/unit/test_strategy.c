/*
 * test_strategy.c — unit tests of core/strategy: the line diff of strategy
 * document versions, initiative progress from epic roll-ups, health
 * suggestions, roadmap lanes, investment allocation and quarters.
 *
 * Every expectation was worked out by hand from the contracts in
 * core/strategy.h; the arithmetic is written beside it.  Calendar anchors
 * (as in test_plan.c): 2026-01-01 is day 20454 (56 * 365 + 14 leap days);
 * 2024-01-01 is day 19723 (54 * 365 + 13 leap days, 1972 .. 2020).
 *
 * Suites: strategy_diff, strategy_progress, strategy_health, strategy_lane,
 * strategy_alloc, strategy_quarter: run them all with the filter
 * strategy_<star>/<star>.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "builders.h"
#include "core/issue.h"
#include "core/plan.h"
#include "core/strategy.h"
#include "core/triage.h"

TestSuite(strategy_diff, .fini = fail_on_leaks);
TestSuite(strategy_progress, .fini = fail_on_leaks);
TestSuite(strategy_health, .fini = fail_on_leaks);
TestSuite(strategy_lane, .fini = fail_on_leaks);
TestSuite(strategy_alloc, .fini = fail_on_leaks);
TestSuite(strategy_quarter, .fini = fail_on_leaks);

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* ------------------------------------------------------------------ diff */

struct want_line {
	enum diff_op op;
	const char *text;
	int old_no, new_no;
};

static const char *op_name(enum diff_op op)
{
	return op == DIFF_SAME ? "SAME" : op == DIFF_DEL ? "DEL" : op == DIFF_ADD ? "ADD" : "?";
}

/* Diff a and b and expect exactly the script want[0..nwant); also that
 * SAME and DEL point into a and ADD into b. */
static void expect_diff(const char *a, const char *b, const struct want_line *want, size_t nwant)
{
	struct diff_line *d = NULL;
	size_t n = 99;
	cr_assert(text_diff(a, b, &d, &n) == 0);
	cr_assert(d != NULL, "the script is allocated even when empty");
	cr_expect(n == nwant, "%zu lines in the script, want %zu", n, nwant);
	for (size_t k = 0; k < n && k < nwant; k++) {
		const struct diff_line *x = &d[k];
		cr_expect(x->op == want[k].op, "line %zu: %s, want %s", k, op_name(x->op),
			  op_name(want[k].op));
		cr_expect(x->len == strlen(want[k].text) &&
				  memcmp(x->text, want[k].text, x->len) == 0,
			  "line %zu: \"%.*s\", want \"%s\"", k, (int)x->len, x->text, want[k].text);
		cr_expect(x->old_no == want[k].old_no && x->new_no == want[k].new_no,
			  "line %zu: old %d new %d, want %d %d", k, x->old_no, x->new_no,
			  want[k].old_no, want[k].new_no);
		const char *base = x->op == DIFF_ADD ? b : a;
		cr_expect(x->text >= base && x->text + x->len <= base + strlen(base),
			  "line %zu is borrowed from its side", k);
	}
	free(d);
}

Test(strategy_diff, identical_texts_are_all_same)
{
	static const struct want_line w[] = {
		{DIFF_SAME, "Vision", 1, 1},
		{DIFF_SAME, "", 2, 2},
		{DIFF_SAME, "- win SMB", 3, 3},
	};
	expect_diff("Vision\n\n- win SMB\n", "Vision\n\n- win SMB\n", w, N(w));
}

Test(strategy_diff, empty_texts_have_no_lines)
{
	expect_diff("", "", NULL, 0);
}

Test(strategy_diff, all_new)
{
	static const struct want_line w[] = {
		{DIFF_ADD, "x", 0, 1},
		{DIFF_ADD, "y", 0, 2},
	};
	expect_diff("", "x\ny\n", w, N(w));
}

Test(strategy_diff, all_deleted)
{
	static const struct want_line w[] = {
		{DIFF_DEL, "x", 1, 0},
		{DIFF_DEL, "y", 2, 0},
	};
	expect_diff("x\ny", "", w, N(w));
}

Test(strategy_diff, a_lone_newline_is_one_empty_line)
{
	static const struct want_line w[] = {{DIFF_DEL, "", 1, 0}};
	expect_diff("\n", "", w, N(w));
}

Test(strategy_diff, changed_line_in_the_middle_is_del_then_add)
{
	static const struct want_line w[] = {
		{DIFF_SAME, "a", 1, 1},
		{DIFF_DEL, "b", 2, 0},
		{DIFF_ADD, "B", 0, 2},
		{DIFF_SAME, "c", 3, 3},
	};
	expect_diff("a\nb\nc\n", "a\nB\nc\n", w, N(w));
}

Test(strategy_diff, everything_replaced_deletes_first)
{
	/* no line in common: 2 deletions, then 3 additions */
	static const struct want_line w[] = {
		{DIFF_DEL, "a", 1, 0}, {DIFF_DEL, "b", 2, 0}, {DIFF_ADD, "x", 0, 1},
		{DIFF_ADD, "y", 0, 2}, {DIFF_ADD, "z", 0, 3},
	};
	expect_diff("a\nb\n", "x\ny\nz\n", w, N(w));
}

Test(strategy_diff, insertions_at_start_and_end)
{
	static const struct want_line w[] = {
		{DIFF_ADD, "a", 0, 1},
		{DIFF_SAME, "b", 1, 2},
		{DIFF_SAME, "c", 2, 3},
		{DIFF_ADD, "d", 0, 4},
	};
	expect_diff("b\nc\n", "a\nb\nc\nd\n", w, N(w));
}

Test(strategy_diff, deletions_at_start_and_end)
{
	static const struct want_line w[] = {
		{DIFF_DEL, "a", 1, 0},
		{DIFF_SAME, "b", 2, 1},
		{DIFF_DEL, "c", 3, 0},
	};
	expect_diff("a\nb\nc\n", "b\n", w, N(w));
}

Test(strategy_diff, crlf_is_a_newline)
{
	/* "\r\n" and "\n" end the same lines; the "\r" is not in the text */
	static const struct want_line w[] = {
		{DIFF_SAME, "a", 1, 1},
		{DIFF_SAME, "b", 2, 2},
	};
	expect_diff("a\r\nb\r\n", "a\nb\n", w, N(w));
	static const struct want_line w2[] = {
		{DIFF_SAME, "a", 1, 1},
		{DIFF_DEL, "b", 2, 0},
		{DIFF_ADD, "c", 0, 2},
	};
	expect_diff("a\r\nb\r\n", "a\nc", w2, N(w2));
	/* a "\r" not followed by "\n" stays in the line */
	static const struct want_line w3[] = {
		{DIFF_DEL, "a\r", 1, 0},
		{DIFF_ADD, "a", 0, 1},
	};
	expect_diff("a\r", "a\r\n", w3, N(w3));
}

Test(strategy_diff, missing_final_newline_is_still_a_line)
{
	static const struct want_line same[] = {
		{DIFF_SAME, "a", 1, 1},
		{DIFF_SAME, "b", 2, 2},
	};
	expect_diff("a\nb", "a\nb\n", same, N(same));
	static const struct want_line changed[] = {
		{DIFF_SAME, "a", 1, 1},
		{DIFF_DEL, "b", 2, 0},
		{DIFF_ADD, "c", 0, 2},
	};
	expect_diff("a\nb", "a\nc", changed, N(changed));
	/* "a\n\n" has two lines, the second empty */
	static const struct want_line blank[] = {
		{DIFF_SAME, "a", 1, 1},
		{DIFF_DEL, "", 2, 0},
	};
	expect_diff("a\n\n", "a\n", blank, N(blank));
}

Test(strategy_diff, repeated_lines_take_a_shortest_script)
{
	/* a b c a b b a -> c b a b a c (Myers' paper): LCS 4, so 3 + 2 edits */
	struct diff_line *d = NULL;
	size_t n = 0;
	cr_assert(text_diff("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n", &d, &n) == 0);
	int edits = 0, same = 0;
	for (size_t k = 0; k < n; k++)
		d[k].op == DIFF_SAME ? same++ : edits++;
	cr_expect(same == 4 && edits == 5, "same %d edits %d", same, edits);
	free(d);
}

Test(strategy_diff, bad_arguments)
{
	struct diff_line *d = (struct diff_line *)1;
	size_t n = 7;
	cr_expect(text_diff(NULL, "a", &d, &n) == -1);
	cr_expect(d == NULL && n == 0, "outputs cleared on failure");
	cr_expect(text_diff("a", NULL, &d, &n) == -1);
	cr_expect(text_diff("a", "a", NULL, &n) == -1);
	cr_expect(text_diff("a", "a", &d, NULL) == -1);
}

/* A document of lines "line 1" .. "line count", each ending in "\n". */
static char *numbered_doc(int count)
{
	size_t cap = (size_t)count * 16 + 1, used = 0;
	char *s = malloc(cap);
	cr_assert(s);
	s[0] = '\0';
	for (int k = 1; k <= count; k++)
		used += (size_t)snprintf(s + used, cap - used, "line %d\n", k);
	return s;
}

Test(strategy_diff, more_than_the_maximum_lines_is_refused)
{
	struct diff_line *d = NULL;
	size_t n = 0;
	char *max = numbered_doc(DIFF_MAX_LINES);
	cr_expect(text_diff(max, max, &d, &n) == 0, "exactly DIFF_MAX_LINES is fine");
	cr_expect(n == DIFF_MAX_LINES);
	free(d);

	/* one more line, without a final newline */
	size_t len = strlen(max);
	char *over = malloc(len + 2);
	cr_assert(over);
	memcpy(over, max, len);
	over[len] = 'x';
	over[len + 1] = '\0';
	d = NULL;
	cr_expect(text_diff(over, "", &d, &n) == -1);
	cr_expect(text_diff("", over, &d, &n) == -1);
	cr_expect(d == NULL);
	free(over);
	free(max);
}

/* 20,000 lines, three edits: line 5000 changed, line 10000 deleted, a line
 * inserted after line 15000.  Old line k is new line k - 1 for k in
 * 10001 .. 15000 and new line k again after the insertion. */
Test(strategy_diff, twenty_thousand_lines_with_three_edits, .timeout = 20)
{
	const int count = 20000;
	char *a = numbered_doc(count);
	size_t cap = strlen(a) + 64, used = 0;
	char *b = malloc(cap);
	cr_assert(b);
	for (int k = 1; k <= count; k++) {
		if (k == 5000)
			used += (size_t)snprintf(b + used, cap - used, "changed 5000\n");
		else if (k != 10000)
			used += (size_t)snprintf(b + used, cap - used, "line %d\n", k);
		if (k == 15000)
			used += (size_t)snprintf(b + used, cap - used, "inserted\n");
	}

	struct diff_line *d = NULL;
	size_t n = 0;
	cr_assert(text_diff(a, b, &d, &n) == 0);
	/* 19,998 SAME + 2 DEL + 2 ADD */
	cr_assert(n == 20002, "%zu", n);
	int dels = 0, adds = 0;
	for (size_t k = 0; k < n; k++) {
		/* before the change at 5000 the index is old - 1; each edit shifts it */
		char buf[32];
		const struct diff_line *x = &d[k];
		if (x->op == DIFF_DEL)
			dels++;
		else if (x->op == DIFF_ADD)
			adds++;
		else {
			int old = x->old_no;
			int want_new = old < 10000 ? old : old <= 15000 ? old - 1 : old;
			size_t want_k = old < 5000 ? (size_t)old - 1
				      : old < 10000 ? (size_t)old       /* + the ADD at 5000 */
				      : old <= 15000 ? (size_t)old      /* + ADD, + DEL */
						     : (size_t)old + 1; /* + the inserted ADD */
			cr_assert(x->new_no == want_new, "old %d new %d", old, x->new_no);
			cr_assert(k == want_k, "old %d at %zu, want %zu", old, k, want_k);
			snprintf(buf, sizeof buf, "line %d", old);
			cr_assert(x->len == strlen(buf) && memcmp(x->text, buf, x->len) == 0);
		}
	}
	cr_expect(dels == 2 && adds == 2);
	/* the edits, at their hand-computed places */
	cr_expect(d[4999].op == DIFF_DEL && d[4999].old_no == 5000 && d[4999].new_no == 0);
	cr_expect(d[5000].op == DIFF_ADD && d[5000].new_no == 5000 && d[5000].old_no == 0 &&
		  d[5000].len == 12 && memcmp(d[5000].text, "changed 5000", 12) == 0);
	cr_expect(d[10000].op == DIFF_DEL && d[10000].old_no == 10000 &&
		  d[10000].len == 10 && memcmp(d[10000].text, "line 10000", 10) == 0);
	cr_expect(d[15001].op == DIFF_ADD && d[15001].new_no == 15000 && d[15001].len == 8 &&
		  memcmp(d[15001].text, "inserted", 8) == 0);
	cr_expect(d[15000].op == DIFF_SAME && d[15000].old_no == 15000 &&
		  d[15000].new_no == 14999);
	cr_expect(d[15002].op == DIFF_SAME && d[15002].old_no == 15001 &&
		  d[15002].new_no == 15001);
	free(d);
	free(a);
	free(b);
}

/* Large documents built only from a few repeated lines keep every line a
 * candidate match, so the middle-snake search does the work. */
Test(strategy_diff, twenty_thousand_repetitive_lines_with_edits, .timeout = 20)
{
	const int count = 20000;
	size_t cap = (size_t)count * 4 + 64, ua = 0, ub = 0;
	char *a = malloc(cap), *b = malloc(cap);
	cr_assert(a && b);
	for (int k = 0; k < count; k++) {
		char c = (char)('a' + k % 7);
		ua += (size_t)snprintf(a + ua, cap - ua, "%c\n", c);
		if (k == 3000)
			continue; /* deleted */
		if (k == 9000)
			c = c == 'a' ? 'b' : 'a'; /* changed to another known line */
		ub += (size_t)snprintf(b + ub, cap - ub, "%c\n", c);
		if (k == 16000)
			ub += (size_t)snprintf(b + ub, cap - ub, "z\n"); /* inserted */
	}
	struct diff_line *d = NULL;
	size_t n = 0;
	cr_assert(text_diff(a, b, &d, &n) == 0);
	/* at most 1 + 2 + 1 edits; every line of a and b once, in order */
	int same = 0, ia = 0, ib = 0;
	for (size_t k = 0; k < n; k++) {
		if (d[k].op != DIFF_ADD) {
			ia++;
			cr_assert(d[k].old_no == ia && d[k].text == a + 2 * (ia - 1));
		}
		if (d[k].op != DIFF_DEL) {
			ib++;
			cr_assert(d[k].new_no == ib && d[k].len == 1);
		}
		if (d[k].op == DIFF_SAME) {
			same++;
			cr_assert(memcmp(d[k].text, b + 2 * (ib - 1), 1) == 0);
		}
	}
	cr_expect(ia == count && ib == count);
	cr_expect(same >= count - 2, "%d same lines, want at least %d", same, count - 2);
	free(d);
	free(a);
	free(b);
}

/* Longest common subsequence by dynamic programming (small inputs). */
static int lcs(const char *x, int nx, const char *y, int ny)
{
	int t[16][16] = {{0}};
	for (int i = nx - 1; i >= 0; i--)
		for (int j = ny - 1; j >= 0; j--)
			t[i][j] = x[i] == y[j] ? t[i + 1][j + 1] + 1
			       : t[i + 1][j] > t[i][j + 1] ? t[i + 1][j] : t[i][j + 1];
	return t[0][0];
}

Test(strategy_diff, random_small_texts_give_valid_shortest_scripts)
{
	/* 3000 pairs of up to 12 lines over 3 distinct lines: the script keeps
	 * exactly an LCS, lists every line once in order, and never puts an
	 * addition right before a deletion */
	struct plan_rng rng;
	plan_rng_seed(&rng, 12);
	for (int trial = 0; trial < 3000; trial++) {
		char x[16], y[16], a[40], b[40];
		int nx = (int)plan_rng_below(&rng, 13), ny = (int)plan_rng_below(&rng, 13);
		size_t la = 0, lb = 0;
		for (int k = 0; k < nx; k++) {
			x[k] = (char)('a' + plan_rng_below(&rng, 3));
			a[la++] = x[k];
			a[la++] = '\n';
		}
		for (int k = 0; k < ny; k++) {
			y[k] = (char)('a' + plan_rng_below(&rng, 3));
			b[lb++] = y[k];
			b[lb++] = '\n';
		}
		a[la] = b[lb] = '\0';
		struct diff_line *d = NULL;
		size_t n = 0;
		cr_assert(text_diff(a, b, &d, &n) == 0);
		int same = 0, ia = 0, ib = 0;
		for (size_t k = 0; k < n; k++) {
			if (d[k].op != DIFF_ADD) {
				cr_assert(d[k].old_no == ia + 1 && d[k].text[0] == x[ia]);
				ia++;
			}
			if (d[k].op != DIFF_DEL) {
				cr_assert(d[k].new_no == ib + 1);
				cr_assert(d[k].op == DIFF_SAME || d[k].text[0] == y[ib]);
				ib++;
			}
			if (d[k].op == DIFF_SAME) {
				cr_assert(x[ia - 1] == y[ib - 1]);
				same++;
			}
			if (k && d[k].op == DIFF_DEL)
				cr_assert(d[k - 1].op != DIFF_ADD, "\"%s\" vs \"%s\": ADD then DEL",
					  a, b);
		}
		cr_assert(ia == nx && ib == ny);
		cr_assert(same == lcs(x, nx, y, ny), "\"%s\" vs \"%s\": kept %d, LCS %d", a, b,
			  same, lcs(x, nx, y, ny));
		free(d);
	}
}

/* -------------------------------------------------------------- progress */

#define NODE(num, par, typ, pts, dn)                                                             \
	{.number = (num), .parent = (par), .type = (typ), .points = (pts), .done = (dn)}

#define EXPECT_PROGRESS(p, pts, dpts, it, dit, uns)                                              \
	do {                                                                                     \
		const struct strat_progress *p_ = &(p);                                          \
		cr_expect(p_->points == (pts) && p_->done_points == (dpts) &&                    \
				  p_->items == (it) && p_->done_items == (dit) &&                \
				  p_->unsized == (uns),                                          \
			  #p ": points %d/%d items %d/%d unsized %d, want %d/%d %d/%d %d",       \
			  p_->points, p_->done_points, p_->items, p_->done_items, p_->unsized,   \
			  (pts), (dpts), (it), (dit), (uns));                                    \
	} while (0)

/*
 * The initiative's two epics (children listed before parents on purpose):
 *
 *   epic 1 (unsized)                                   rollup 18, done 7
 *     story 2 (5, done)                                  5, done 5
 *     story 3 (unsized)                                  3 + 2 = 5, done 2
 *       task 4 (3)
 *       task 5 (unsized)          <- the one unsized item
 *       task 6 (2, done)
 *     story 7 (8)                                        8, done 0
 *       task 8 (unsized)          covered by story 7's size
 *       task 9 (unsized, done)
 *   epic 10 (5)                                        children add 0: rollup 5, done 0
 *     story 11 (unsized)          covered by the epic's own size
 *     bug 12 (unsized, done)
 *
 * Epic 1: items 2..9 = 8, done 2, 6, 9 = 3, unsized 1.
 * Epic 10: items 11, 12 = 2, done 1, unsized 0.
 */
static const struct plan_node initiative[] = {
	NODE(4, 3, ISSUE_TASK, 3, 0),   NODE(5, 3, ISSUE_TASK, 0, 0),
	NODE(6, 3, ISSUE_TASK, 2, 1),   NODE(8, 7, ISSUE_TASK, 0, 0),
	NODE(9, 7, ISSUE_TASK, 0, 1),   NODE(2, 1, ISSUE_STORY, 5, 1),
	NODE(3, 1, ISSUE_STORY, 0, 0),  NODE(7, 1, ISSUE_STORY, 8, 0),
	NODE(11, 10, ISSUE_STORY, 0, 0), NODE(12, 10, ISSUE_BUG, 0, 1),
	NODE(1, 0, ISSUE_EPIC, 0, 0),   NODE(10, 0, ISSUE_EPIC, 5, 0),
};

Test(strategy_progress, an_initiative_of_two_epics)
{
	struct plan_node v[N(initiative)];
	memcpy(v, initiative, sizeof v);
	cr_assert(plan_rollup(v, N(v)) == 0);
	int64_t roots[] = {10, 1};
	int group[] = {0, 0};
	struct strat_progress out[1];
	memset(out, 0x55, sizeof out);
	cr_assert(strategy_progress(v, N(v), roots, group, N(roots), out, N(out)) == 0);
	/* 18 + 5 = 23 points, 7 + 0 done; 8 + 2 items, 3 + 1 done; 1 + 0 unsized */
	EXPECT_PROGRESS(out[0], 23, 7, 10, 4, 1);
}

Test(strategy_progress, several_groups_nested_missing_and_repeated_roots)
{
	struct plan_node v[N(initiative)];
	memcpy(v, initiative, sizeof v);
	cr_assert(plan_rollup(v, N(v)) == 0);
	/*
	 * group 0: 3 and 5 lie under 1 (listed first), 99 is missing, 1 twice
	 *          -> epic 1 alone: 18/7, 8/3, 1
	 * group 1: stories 3 and 7 -> 5 + 8 = 13, done 2 + 0; items 4 + 3 = 7,
	 *          done 6 and 9 = 2, unsized task 5 = 1
	 * group 2: only the missing 99 -> nothing
	 * group 3: epic 10 -> 5/0, 2/1, 0
	 * group 4: no roots at all -> nothing
	 */
	int64_t roots[] = {3, 5, 99, 1, 7, 99, 1, 10, 3};
	int group[] = {0, 0, 0, 0, 1, 2, 0, 3, 1};
	struct strat_progress out[5];
	memset(out, 0x55, sizeof out);
	cr_assert(strategy_progress(v, N(v), roots, group, N(roots), out, N(out)) == 0);
	EXPECT_PROGRESS(out[0], 18, 7, 8, 3, 1);
	EXPECT_PROGRESS(out[1], 13, 2, 7, 2, 1);
	EXPECT_PROGRESS(out[2], 0, 0, 0, 0, 0);
	EXPECT_PROGRESS(out[3], 5, 0, 2, 1, 0);
	EXPECT_PROGRESS(out[4], 0, 0, 0, 0, 0);
}

Test(strategy_progress, what_counts_as_unsized)
{
	/*
	 * story 20 (3): tasks 21, 22 unsized    -> covered by the story: 0
	 * story 30 (unsized): tasks 31, 32 too  -> 30, 31, 32: 3
	 * story 40 (unsized): task 41 (2), 42   -> 40 has 2 points from 41: only 42: 1
	 * epic 50 (8): story 51 (3), story 52   -> the epic's 8 gives way to 3: 52: 1
	 * epic 60 (unsized): story 61 (unsized, done): 0 (done is not unsized)
	 */
	struct plan_node v[] = {
		NODE(20, 0, ISSUE_STORY, 3, 0), NODE(21, 20, ISSUE_TASK, 0, 0),
		NODE(22, 20, ISSUE_TASK, 0, 0), NODE(30, 0, ISSUE_STORY, 0, 0),
		NODE(31, 30, ISSUE_TASK, 0, 0), NODE(32, 30, ISSUE_TASK, 0, 0),
		NODE(40, 0, ISSUE_STORY, 0, 0), NODE(41, 40, ISSUE_TASK, 2, 0),
		NODE(42, 40, ISSUE_TASK, 0, 0), NODE(50, 0, ISSUE_EPIC, 8, 0),
		NODE(51, 50, ISSUE_STORY, 3, 0), NODE(52, 50, ISSUE_STORY, 0, 0),
		NODE(60, 0, ISSUE_EPIC, 0, 0),  NODE(61, 60, ISSUE_STORY, 0, 1),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	int64_t roots[] = {20, 30, 40, 50, 60};
	int group[] = {0, 1, 2, 3, 4};
	struct strat_progress out[5];
	cr_assert(strategy_progress(v, N(v), roots, group, N(roots), out, N(out)) == 0);
	EXPECT_PROGRESS(out[0], 3, 0, 3, 0, 0);
	EXPECT_PROGRESS(out[1], 0, 0, 3, 0, 3);
	EXPECT_PROGRESS(out[2], 2, 0, 3, 0, 1);
	EXPECT_PROGRESS(out[3], 3, 0, 2, 0, 1);
	EXPECT_PROGRESS(out[4], 0, 0, 1, 1, 0);
}

Test(strategy_progress, coverage_is_within_the_roots_tree)
{
	/* task 8 counted on its own: story 7's size is outside this group's
	 * tree, and the group's points (task 8's roll-up) are 0 */
	struct plan_node v[N(initiative)];
	memcpy(v, initiative, sizeof v);
	cr_assert(plan_rollup(v, N(v)) == 0);
	int64_t roots[] = {8};
	int group[] = {0};
	struct strat_progress out[1];
	cr_assert(strategy_progress(v, N(v), roots, group, 1, out, 1) == 0);
	EXPECT_PROGRESS(out[0], 0, 0, 1, 0, 1);
}

Test(strategy_progress, done_work)
{
	/* epic 1 done with everything: all of it is done (plan_rollup) */
	struct plan_node v[] = {
		NODE(1, 0, ISSUE_EPIC, 0, 1),
		NODE(2, 1, ISSUE_STORY, 3, 1),
		NODE(3, 1, ISSUE_STORY, 0, 1),
		NODE(4, 3, ISSUE_TASK, 5, 1),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	int64_t roots[] = {1};
	int group[] = {0};
	struct strat_progress out[1];
	cr_assert(strategy_progress(v, N(v), roots, group, 1, out, 1) == 0);
	EXPECT_PROGRESS(out[0], 8, 8, 3, 3, 0);
}

Test(strategy_progress, nothing_and_bad_arguments)
{
	struct plan_node v[N(initiative)];
	memcpy(v, initiative, sizeof v);
	cr_assert(plan_rollup(v, N(v)) == 0);
	struct strat_progress out[2];
	int64_t roots[] = {1};
	int group[] = {0};

	memset(out, 0x55, sizeof out);
	cr_expect(strategy_progress(v, N(v), NULL, NULL, 0, out, 2) == 0, "no roots");
	EXPECT_PROGRESS(out[0], 0, 0, 0, 0, 0);
	EXPECT_PROGRESS(out[1], 0, 0, 0, 0, 0);
	memset(out, 0x55, sizeof out);
	cr_expect(strategy_progress(NULL, 0, roots, group, 1, out, 2) == 0, "no nodes");
	EXPECT_PROGRESS(out[0], 0, 0, 0, 0, 0);
	cr_expect(strategy_progress(NULL, 0, NULL, NULL, 0, NULL, 0) == 0, "nothing at all");

	int bad_high[] = {2}, bad_low[] = {-1};
	memset(out, 0x55, sizeof out);
	cr_expect(strategy_progress(v, N(v), roots, bad_high, 1, out, 2) == -1, "group 2 of 2");
	EXPECT_PROGRESS(out[0], 0, 0, 0, 0, 0);
	cr_expect(strategy_progress(v, N(v), roots, bad_low, 1, out, 2) == -1);
	cr_expect(strategy_progress(v, N(v), NULL, group, 1, out, 2) == -1);
	cr_expect(strategy_progress(v, N(v), roots, NULL, 1, out, 2) == -1);
	cr_expect(strategy_progress(NULL, 3, roots, group, 1, out, 2) == -1);
	cr_expect(strategy_progress(v, N(v), roots, group, 1, NULL, 2) == -1);
	cr_expect(strategy_progress(v, N(v), roots, group, 1, out, 0) == -1, "no groups");

	/* a parent cycle is refused */
	struct plan_node cyc[] = {
		NODE(1, 0, ISSUE_EPIC, 0, 0),
		NODE(2, 3, ISSUE_STORY, 1, 0),
		NODE(3, 2, ISSUE_STORY, 1, 0),
	};
	cr_expect(strategy_progress(cyc, N(cyc), roots, group, 1, out, 1) == -1);
}

Test(strategy_progress, a_hundred_thousand_nodes_and_thousands_of_roots, .timeout = 20)
{
	/*
	 * 2000 epics (1..2000), each with 24 stories of 1 point, each story
	 * with one unsized task: 2000 + 48000 + 48000 = 98000 nodes.  Epic e
	 * belongs to group e % 2; the first story of every epic is done.
	 * Per group: 1000 epics * 24 = 24000 points, 1000 done; 48000 items,
	 * 1000 done; no unsized (the stories cover their tasks).
	 */
	const size_t epics = 2000, stories = 24;
	size_t n = epics * (1 + 2 * stories), m = 0;
	struct plan_node *v = calloc(n, sizeof *v);
	int64_t *roots = malloc(epics * sizeof *roots);
	int *group = malloc(epics * sizeof *group);
	cr_assert(v && roots && group);
	for (size_t e = 1; e <= epics; e++) {
		v[m++] = (struct plan_node)NODE((int64_t)e, 0, ISSUE_EPIC, 0, 0);
		for (size_t s = 0; s < stories; s++) {
			int64_t story = 100000 + (int64_t)(e * stories + s);
			v[m++] = (struct plan_node)NODE(story, (int64_t)e, ISSUE_STORY, 1, s == 0);
			v[m++] = (struct plan_node)NODE(story + 1000000, story, ISSUE_TASK, 0, 0);
		}
		roots[epics - e] = (int64_t)e; /* listed backwards */
		group[epics - e] = (int)(e % 2);
	}
	cr_assert(m == n);
	cr_assert(plan_rollup(v, n) == 0);
	struct strat_progress out[2];
	cr_assert(strategy_progress(v, n, roots, group, epics, out, 2) == 0);
	EXPECT_PROGRESS(out[0], 24000, 1000, 48000, 1000, 0);
	EXPECT_PROGRESS(out[1], 24000, 1000, 48000, 1000, 0);
	free(v);
	free(roots);
	free(group);
}

/* ---------------------------------------------------------------- health */

Test(strategy_health, names)
{
	cr_expect_str_eq(health_name(HEALTH_NONE), "");
	cr_expect_str_eq(health_name(HEALTH_ON_TRACK), "on_track");
	cr_expect_str_eq(health_name(HEALTH_AT_RISK), "at_risk");
	cr_expect_str_eq(health_name(HEALTH_OFF_TRACK), "off_track");
	cr_expect_str_eq(health_name(4), "");
	cr_expect_str_eq(health_name(-1), "");
}

Test(strategy_health, parse)
{
	static const struct {
		const char *s;
		int h;
	} ok[] = {
		{"", HEALTH_NONE},	    {"none", HEALTH_NONE},
		{"on_track", HEALTH_ON_TRACK}, {"at_risk", HEALTH_AT_RISK},
		{"off_track", HEALTH_OFF_TRACK}, {"AT_RISK", HEALTH_AT_RISK},
	};
	for (size_t k = 0; k < N(ok); k++) {
		int h = 99;
		cr_expect(health_parse(ok[k].s, &h) == 0 && h == ok[k].h, "\"%s\" -> %d", ok[k].s,
			  h);
	}
	static const char *const bad[] = {"on track", "ontrack", "red", "1", " at_risk"};
	for (size_t k = 0; k < N(bad); k++) {
		int h = 99;
		cr_expect(health_parse(bad[k], &h) == -1 && h == 99, "\"%s\" accepted", bad[k]);
	}
	int h = 99;
	cr_expect(health_parse(NULL, &h) == -1);
	/* every name parses back */
	for (int k = HEALTH_NONE; k <= HEALTH_OFF_TRACK; k++) {
		h = 99;
		cr_expect(health_parse(health_name(k), &h) == 0 && h == k);
	}
}

Test(strategy_health, suggest_every_branch)
{
	/* nothing remaining: on track, whatever else */
	cr_expect(health_suggest(0, -1, -1, INT64_MIN) == HEALTH_ON_TRACK);
	cr_expect(health_suggest(0, 50, 90, 10) == HEALTH_ON_TRACK);
	cr_expect(health_suggest(-3, -1, -1, 0) == HEALTH_ON_TRACK);
	/* no target: none */
	cr_expect(health_suggest(5, 10, 20, INT64_MIN) == HEALTH_NONE);
	cr_expect(health_suggest(5, -1, -1, INT64_MIN) == HEALTH_NONE);
	/* never within the horizon: off track */
	cr_expect(health_suggest(5, -1, -1, 30) == HEALTH_OFF_TRACK);
	/* p50 past the target: off track */
	cr_expect(health_suggest(5, 31, 40, 30) == HEALTH_OFF_TRACK);
	cr_expect(health_suggest(5, 0, 0, -2) == HEALTH_OFF_TRACK, "target already passed");
	/* p50 by the target, p85 past it: at risk */
	cr_expect(health_suggest(5, 30, 31, 30) == HEALTH_AT_RISK);
	cr_expect(health_suggest(5, 10, -1, 30) == HEALTH_AT_RISK, "p85 never");
	/* both by the target: on track (on the target day itself counts) */
	cr_expect(health_suggest(5, 10, 30, 30) == HEALTH_ON_TRACK);
	cr_expect(health_suggest(5, 0, 0, 0) == HEALTH_ON_TRACK);
}

/* ----------------------------------------------------------------- lanes */

Test(strategy_lane, names_and_parse)
{
	cr_expect_str_eq(lane_name(LANE_NONE), "");
	cr_expect_str_eq(lane_name(LANE_NOW), "now");
	cr_expect_str_eq(lane_name(LANE_NEXT), "next");
	cr_expect_str_eq(lane_name(LANE_LATER), "later");
	cr_expect_str_eq(lane_name(4), "");
	cr_expect_str_eq(lane_name(-1), "");
	for (int k = LANE_NONE; k <= LANE_LATER; k++) {
		int l = 99;
		cr_expect(lane_parse(lane_name(k), &l) == 0 && l == k, "lane %d", k);
	}
	int l = 99;
	cr_expect(lane_parse("none", &l) == 0 && l == LANE_NONE);
	cr_expect(lane_parse("Later", &l) == 0 && l == LANE_LATER);
	l = 99;
	cr_expect(lane_parse("soon", &l) == -1 && l == 99);
	cr_expect(lane_parse("now ", &l) == -1);
	cr_expect(lane_parse(NULL, &l) == -1);
}

Test(strategy_lane, of_every_board_column)
{
	static const int want[] = {
		[BOARD_NO_STATUS] = LANE_NONE, [BOARD_UNDER_REVIEW] = LANE_NONE,
		[BOARD_NEXT] = LANE_NOW,       [BOARD_SHORT] = LANE_NEXT,
		[BOARD_MEDIUM] = LANE_LATER,   [BOARD_LONG] = LANE_LATER,
		[BOARD_ICEBOX] = LANE_NONE,    [BOARD_STARTED] = LANE_NOW,
		[BOARD_CLOSED] = LANE_NONE,
	};
	cr_assert(N(want) == 9, "every column of enum board");
	for (int b = 0; b < (int)N(want); b++)
		cr_expect(lane_of_board(b) == want[b], "%s -> %d, want %d", board_name(b),
			  lane_of_board(b), want[b]);
	cr_expect(lane_of_board(-1) == LANE_NONE);
	cr_expect(lane_of_board(9) == LANE_NONE);
}

/* ------------------------------------------------------------ allocation */

#define SHARE(b, k, p, i, pts, sh) {.bucket = (b), .kind = (k), .pillar = (p), .initiative = (i), .points = (pts), .share = (sh)}

Test(strategy_alloc, sums_and_shares_by_bucket_and_kind)
{
	/*
	 * bucket 20264 (2026 Q4): initiative 10 of pillar 1: 5 + 3 = 8;
	 *   initiative 11 of pillar 2: 6; initiative 12 of pillar 1: 0;
	 *   unplanned 4; bugs 2 -> total 20: 0.4, 0.3, 0, 0.2, 0.1
	 * bucket 20263: initiative 10: 3, security 1 -> total 4: 0.75, 0.25
	 * bucket 7 (a milestone): bugs 0 -> total 0: share 0
	 */
	static const struct alloc_item items[] = {
		{20264, 2, 11, ALLOC_INITIATIVE, 6}, {20263, 0, 0, ALLOC_SECURITY, 1},
		{20264, 0, 0, ALLOC_BUGS, 2},	     {20264, 1, 10, ALLOC_INITIATIVE, 5},
		{7, 0, 0, ALLOC_BUGS, 0},	     {20264, 0, 0, ALLOC_UNPLANNED, 4},
		{20263, 1, 10, ALLOC_INITIATIVE, 3}, {20264, 1, 12, ALLOC_INITIATIVE, 0},
		{20264, 1, 10, ALLOC_INITIATIVE, 3},
	};
	static const struct alloc_share want[] = {
		SHARE(7, ALLOC_BUGS, 0, 0, 0, 0.0),
		SHARE(20263, ALLOC_INITIATIVE, 1, 10, 3, 0.75),
		SHARE(20263, ALLOC_SECURITY, 0, 0, 1, 0.25),
		SHARE(20264, ALLOC_INITIATIVE, 1, 10, 8, 0.4),
		SHARE(20264, ALLOC_INITIATIVE, 1, 12, 0, 0.0),
		SHARE(20264, ALLOC_INITIATIVE, 2, 11, 6, 0.3),
		SHARE(20264, ALLOC_UNPLANNED, 0, 0, 4, 0.2),
		SHARE(20264, ALLOC_BUGS, 0, 0, 2, 0.1),
	};
	struct alloc_share *out = NULL;
	size_t n = 0;
	cr_assert(allocation_sum(items, N(items), &out, &n) == 0);
	cr_assert(n == N(want), "%zu sums", n);
	for (size_t k = 0; k < n; k++) {
		const struct alloc_share *x = &out[k], *w = &want[k];
		cr_expect(x->bucket == w->bucket && x->kind == w->kind && x->pillar == w->pillar &&
				  x->initiative == w->initiative,
			  "row %zu: %lld/%d/%lld/%lld", k, (long long)x->bucket, x->kind,
			  (long long)x->pillar, (long long)x->initiative);
		cr_expect(x->points == w->points && NEAR(x->share, w->share),
			  "row %zu: %d points, share %f; want %d, %f", k, x->points, x->share,
			  w->points, w->share);
	}
	free(out);
}

Test(strategy_alloc, nothing_and_bad_arguments)
{
	struct alloc_share *out = NULL;
	size_t n = 9;
	cr_expect(allocation_sum(NULL, 0, &out, &n) == 0);
	cr_expect(n == 0);
	free(out);
	static const struct alloc_item one = {1, 0, 0, ALLOC_BUGS, 3};
	cr_expect(allocation_sum(NULL, 1, &out, &n) == -1);
	cr_expect(allocation_sum(&one, 1, NULL, &n) == -1);
	cr_expect(allocation_sum(&one, 1, &out, NULL) == -1);
	cr_assert(allocation_sum(&one, 1, &out, &n) == 0);
	cr_expect(n == 1 && out[0].points == 3 && NEAR(out[0].share, 1.0), "all of its bucket");
	free(out);
}

/* -------------------------------------------------------------- quarters */

Test(strategy_quarter, year_boundaries_and_a_leap_day)
{
	static const struct {
		int64_t day;
		int64_t q;
		const char *what;
	} want[] = {
		{0, 19701, "1970-01-01"},
		{-1, 19694, "1969-12-31"},
		{19723, 20241, "2024-01-01 (54 * 365 + 13)"},
		{19782, 20241, "2024-02-29 (+ 31 + 28)"},
		{19813, 20241, "2024-03-31 (+ 31 + 29 + 30)"},
		{19814, 20242, "2024-04-01"},
		{20088, 20244, "2024-12-31 (+ 365: a leap year)"},
		{20089, 20251, "2025-01-01"},
		{20453, 20254, "2025-12-31"},
		{20454, 20261, "2026-01-01"},
		{20634, 20262, "2026-06-30 (+ 181 - 1)"},
		{20635, 20263, "2026-07-01"},
		{20726, 20263, "2026-09-30 (+ 31 + 31 + 30 - 1)"},
		{20727, 20264, "2026-10-01"},
		{20787, 20264, "2026-11-30"},
	};
	for (size_t k = 0; k < N(want); k++) {
		int64_t q = quarter_of_day(want[k].day);
		cr_expect(q == want[k].q, "%s: %lld, want %lld", want[k].what, (long long)q,
			  (long long)want[k].q);
		/* the hand-computed day numbers agree with plan's calendar */
		char buf[16];
		day_format(want[k].day, buf, sizeof buf);
		cr_expect(strncmp(buf, want[k].what, 10) == 0, "day %lld is %s",
			  (long long)want[k].day, buf);
	}
}
