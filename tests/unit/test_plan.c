/*
 * test_plan.c — unit tests of core/plan: the planning rules of DESIGN.md §2
 * (development board, hierarchy, roll-up and double booking, the Todo
 * limit, expected dates, definition of done, milestone cadences, velocity,
 * scope classification, burn-up and the Monte Carlo forecast).
 *
 * Every expectation was worked out by hand from the rule in core/plan.h
 * and DESIGN.md §2; the arithmetic is written beside it.  Calendar
 * anchors used throughout (checked by hand):
 *   2025-01-01 was a Wednesday and 2025 has 365 days, so 2026-01-01 is a
 *   Thursday.  Days 1970-01-01 .. 2026-01-01: 56 years, 14 of them leap
 *   (1972 .. 2024) -> 56 * 365 + 14 = 20454.  2026-11-30 is 304 + 29 = 333
 *   days later: day 20787, and 333 = 47 * 7 + 4 -> Thursday + 4 = Monday.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "builders.h"
#include "core/issue.h"
#include "core/plan.h"

TestSuite(plan, .fini = fail_on_leaks);

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)
#define HOUR 3600000LL

/* Day number of a "YYYY-MM-DD" that must parse. */
static int64_t D(const char *s)
{
	int64_t d = -12345;
	int rc = day_parse(s, &d);
	cr_assert(rc == 0, "day_parse(\"%s\") refused", s);
	return d;
}

/* Day numbers worked out by hand (see the header comment). */
#define MON_2026_11_30 20787
#define THU_2026_12_03 20790

/* ---------------------------------------------------------------- board */

Test(plan, dev_status_names_and_labels)
{
	static const struct {
		enum dev_status d;
		const char *name, *label;
	} want[] = {
		{DEV_NONE, "", ""},
		{DEV_TODO, "todo", "Todo"},
		{DEV_UP_NEXT, "up_next", "Up Next"},
		{DEV_IN_DESIGN, "in_design", "In Design"},
		{DEV_IN_PROGRESS, "in_progress", "In Progress"},
		{DEV_REVIEW, "review", "Review"},
		{DEV_VERIFY, "verify", "Verify"},
		{DEV_DONE, "done", "Done"},
	};
	for (size_t k = 0; k < N(want); k++) {
		cr_expect_str_eq(dev_status_name(want[k].d), want[k].name);
		cr_expect_str_eq(dev_status_label(want[k].d), want[k].label);
	}
	cr_expect_str_eq(dev_status_name((enum dev_status)8), "", "out of range -> \"\"");
	cr_expect_str_eq(dev_status_label((enum dev_status)8), "");
	cr_expect_str_eq(dev_status_name((enum dev_status)-1), "");
	cr_expect_str_eq(dev_status_label((enum dev_status)-1), "");
}

Test(plan, dev_status_parse_accepts_names_and_labels_in_any_case)
{
	static const struct {
		const char *s;
		enum dev_status d;
	} ok[] = {
		{"todo", DEV_TODO},
		{"Todo", DEV_TODO},
		{"up_next", DEV_UP_NEXT},
		{"Up Next", DEV_UP_NEXT},
		{"up-next", DEV_UP_NEXT},
		{"UP NEXT", DEV_UP_NEXT},
		{"in_design", DEV_IN_DESIGN},
		{"In Design", DEV_IN_DESIGN},
		{"IN_PROGRESS", DEV_IN_PROGRESS},
		{"In Progress", DEV_IN_PROGRESS},
		{"in-progress", DEV_IN_PROGRESS},
		{"review", DEV_REVIEW},
		{"Verify", DEV_VERIFY},
		{"DONE", DEV_DONE},
		{"", DEV_NONE},
	};
	for (size_t k = 0; k < N(ok); k++) {
		enum dev_status d = (enum dev_status)99;
		cr_expect(dev_status_parse(ok[k].s, &d) == 0, "\"%s\" refused", ok[k].s);
		cr_expect(d == ok[k].d, "\"%s\" -> %d, want %d", ok[k].s, (int)d, (int)ok[k].d);
	}
	/* every name and every label parses back to itself */
	for (int k = 1; k <= DEV_COLUMNS; k++) {
		enum dev_status d = DEV_NONE;
		cr_expect(dev_status_parse(dev_status_name((enum dev_status)k), &d) == 0 &&
			  (int)d == k);
		d = DEV_NONE;
		cr_expect(dev_status_parse(dev_status_label((enum dev_status)k), &d) == 0 &&
			  (int)d == k);
	}
}

Test(plan, dev_status_parse_refuses_junk)
{
	static const char *const bad[] = {"junk", "none", "upnext", "up next ", " todo",
					  "in progres", "done!", "0", "7"};
	for (size_t k = 0; k < N(bad); k++) {
		enum dev_status d = DEV_REVIEW;
		cr_expect(dev_status_parse(bad[k], &d) == -1, "\"%s\" accepted", bad[k]);
	}
	enum dev_status d = DEV_REVIEW;
	cr_expect(dev_status_parse(NULL, &d) == -1);
}

Test(plan, board_labels)
{
	cr_expect_str_eq(board_label(0), "No Status");
	cr_expect_str_eq(board_label(1), "Support & Under Review");
	cr_expect_str_eq(board_label(2), "Next");
	cr_expect_str_eq(board_label(6), "Icebox");
	cr_expect_str_eq(board_label(7), "Started");
	cr_expect_str_eq(board_label(8), "Closed");
	cr_expect_str_eq(board_label(9), "");
	cr_expect_str_eq(board_label(-1), "");
}

/* ------------------------------------------------------------ hierarchy */

Test(plan, parent_allowed_for_every_type_pair)
{
	/* rows: child, columns: parent (epic story task bug feature security) */
	static const int allowed[7][7] = {
		[ISSUE_EPIC] = {0},
		[ISSUE_STORY] = {[ISSUE_EPIC] = 1},
		[ISSUE_TASK] = {[ISSUE_EPIC] = 1, [ISSUE_STORY] = 1},
		[ISSUE_BUG] = {[ISSUE_EPIC] = 1, [ISSUE_STORY] = 1},
		[ISSUE_FEATURE] = {[ISSUE_EPIC] = 1, [ISSUE_STORY] = 1},
		[ISSUE_SECURITY] = {[ISSUE_EPIC] = 1, [ISSUE_STORY] = 1},
	};
	int pairs = 0, yes = 0;
	for (int c = ISSUE_EPIC; c <= ISSUE_SECURITY; c++)
		for (int p = ISSUE_EPIC; p <= ISSUE_SECURITY; p++) {
			cr_expect(parent_allowed(c, p) == allowed[c][p],
				  "child %d parent %d: got %d want %d", c, p, parent_allowed(c, p),
				  allowed[c][p]);
			pairs++;
			yes += allowed[c][p];
		}
	cr_expect(pairs == 36 && yes == 1 + 2 + 3 * 2, "9 allowed pairs of 36");
	/* unknown types on either side */
	cr_expect(parent_allowed(0, ISSUE_EPIC) == 0);
	cr_expect(parent_allowed(7, ISSUE_EPIC) == 0);
	cr_expect(parent_allowed(ISSUE_TASK, 0) == 0);
	cr_expect(parent_allowed(ISSUE_TASK, 7) == 0);
}

Test(plan, parent_rule_texts)
{
	cr_expect_str_eq(parent_rule(ISSUE_TASK), "a task's parent must be a story or an epic");
	cr_expect_str_eq(parent_rule(ISSUE_STORY), "a story's parent must be an epic");
	cr_expect(strstr(parent_rule(ISSUE_EPIC), "epic") != NULL);
	cr_expect(strstr(parent_rule(ISSUE_BUG), "epic or a story") != NULL);
}

/* --------------------------------------------------------------- roll-up */

#define NODE(num, par, typ, pts) {.number = (num), .parent = (par), .type = (typ), .points = (pts)}

/* The node with this number (the tests keep numbers unique). */
static const struct plan_node *node(const struct plan_node *v, size_t n, int64_t number)
{
	for (size_t k = 0; k < n; k++)
		if (v[k].number == number)
			return &v[k];
	cr_assert_fail("no node #%lld", (long long)number);
	return NULL;
}

#define EXPECT_NODE(v, num, roll, kids, dbl)                                                     \
	do {                                                                                     \
		const struct plan_node *x_ = node((v), N(v), (num));                             \
		cr_expect(x_->rollup == (roll), "#%d rollup %d want %d", (num), x_->rollup,     \
			  (roll));                                                               \
		cr_expect(x_->children_points == (kids), "#%d children_points %d want %d",      \
			  (num), x_->children_points, (kids));                                   \
		cr_expect(x_->double_booked == (dbl), "#%d double_booked %d want %d", (num),    \
			  x_->double_booked, (dbl));                                             \
	} while (0)

Test(plan, rollup_epic_is_the_sum_of_its_children_and_may_exceed_xxl)
{
	/* 8 + 8 + 13 = 29 > 13 */
	struct plan_node v[] = {
		NODE(1, 0, ISSUE_EPIC, 0),
		NODE(2, 1, ISSUE_STORY, 8),
		NODE(3, 1, ISSUE_STORY, 8),
		NODE(4, 1, ISSUE_STORY, 13),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 1, 29, 29, 0);
	EXPECT_NODE(v, 2, 8, 0, 0);
	EXPECT_NODE(v, 3, 8, 0, 0);
	EXPECT_NODE(v, 4, 13, 0, 0);
}

Test(plan, rollup_sized_epic_with_sized_children_takes_the_childrens_sum)
{
	/* the epic's own 5 gives way to its children's 3 + 1 = 4 */
	struct plan_node v[] = {
		NODE(1, 0, ISSUE_EPIC, 5),
		NODE(2, 1, ISSUE_STORY, 3),
		NODE(3, 1, ISSUE_BUG, 1),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 1, 4, 4, 0);
}

Test(plan, rollup_epic_without_sized_children_uses_its_own_size)
{
	struct plan_node v[] = {
		NODE(1, 0, ISSUE_EPIC, 5), /* unsized children: 0 + 0 -> its own 5 */
		NODE(2, 1, ISSUE_STORY, 0),
		NODE(3, 1, ISSUE_TASK, 0),
		NODE(4, 0, ISSUE_EPIC, 8), /* no children at all -> 8 */
		NODE(5, 0, ISSUE_EPIC, 0), /* nothing anywhere -> 0 */
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 1, 5, 0, 0);
	EXPECT_NODE(v, 2, 0, 0, 0);
	EXPECT_NODE(v, 3, 0, 0, 0);
	EXPECT_NODE(v, 4, 8, 0, 0);
	EXPECT_NODE(v, 5, 0, 0, 0);
}

Test(plan, rollup_sized_story_with_sized_tasks_is_double_booked)
{
	/* story 5 with tasks 2 and 1: it counts 5 (not 5 + 3 nor 3), its
	 * children show 2 + 1 = 3, and it is double booked */
	struct plan_node v[] = {
		NODE(10, 0, ISSUE_STORY, 5),
		NODE(11, 10, ISSUE_TASK, 2),
		NODE(12, 10, ISSUE_TASK, 1),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 10, 5, 3, 1);
	EXPECT_NODE(v, 11, 2, 0, 0);
	EXPECT_NODE(v, 12, 1, 0, 0);
}

Test(plan, rollup_sized_story_with_unsized_tasks_is_not_double_booked)
{
	struct plan_node v[] = {
		NODE(10, 0, ISSUE_STORY, 5),
		NODE(11, 10, ISSUE_TASK, 0),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 10, 5, 0, 0);
}

Test(plan, rollup_unsized_story_sums_its_tasks)
{
	/* 2 + 3 = 5 */
	struct plan_node v[] = {
		NODE(10, 0, ISSUE_STORY, 0),
		NODE(11, 10, ISSUE_TASK, 2),
		NODE(12, 10, ISSUE_TASK, 3),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 10, 5, 5, 0);
}

Test(plan, rollup_nested_epic_story_task_in_any_order)
{
	/*
	 * epic 1 (unsized)
	 *   story 2 (unsized): task 3 (3) + task 4 (5)        -> 8
	 *   story 5 (8): task 6 (2)                           -> 8, double booked, children 2
	 *   task 7 (1)                                        -> 1
	 *   bug 8 (unsized)                                   -> 0
	 * epic = 8 + 8 + 1 + 0 = 17
	 * Children come before their parents in the array on purpose.
	 */
	struct plan_node v[] = {
		NODE(6, 5, ISSUE_TASK, 2),    NODE(3, 2, ISSUE_TASK, 3),
		NODE(8, 1, ISSUE_BUG, 0),     NODE(5, 1, ISSUE_STORY, 8),
		NODE(4, 2, ISSUE_TASK, 5),    NODE(7, 1, ISSUE_TASK, 1),
		NODE(2, 1, ISSUE_STORY, 0),   NODE(1, 0, ISSUE_EPIC, 0),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 1, 17, 17, 0);
	EXPECT_NODE(v, 2, 8, 8, 0);
	EXPECT_NODE(v, 3, 3, 0, 0);
	EXPECT_NODE(v, 4, 5, 0, 0);
	EXPECT_NODE(v, 5, 8, 2, 1);
	EXPECT_NODE(v, 6, 2, 0, 0);
	EXPECT_NODE(v, 7, 1, 0, 0);
	EXPECT_NODE(v, 8, 0, 0, 0);
}

Test(plan, rollup_two_trees_side_by_side)
{
	/* epic 1: story 2 (3) -> 3; epic 20: story 21 (unsized): task 22 (13) -> 13 */
	struct plan_node v[] = {
		NODE(1, 0, ISSUE_EPIC, 0),   NODE(2, 1, ISSUE_STORY, 3),
		NODE(20, 0, ISSUE_EPIC, 0),  NODE(21, 20, ISSUE_STORY, 0),
		NODE(22, 21, ISSUE_TASK, 13),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 1, 3, 3, 0);
	EXPECT_NODE(v, 20, 13, 13, 0);
	EXPECT_NODE(v, 21, 13, 13, 0);
}

Test(plan, rollup_parent_outside_the_set_counts_as_none)
{
	/* story 2's parent epic 99 is not in the set: story 2 is a root, 3 + 2 = 5;
	 * task 4's parent 98 is missing too: it is a root of its own size */
	struct plan_node v[] = {
		NODE(2, 99, ISSUE_STORY, 0),
		NODE(3, 2, ISSUE_TASK, 3),
		NODE(5, 2, ISSUE_TASK, 2),
		NODE(4, 98, ISSUE_TASK, 1),
	};
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 2, 5, 5, 0);
	EXPECT_NODE(v, 4, 1, 0, 0);
}

Test(plan, rollup_resets_previous_outputs)
{
	struct plan_node v[] = {
		NODE(1, 0, ISSUE_STORY, 3),
	};
	v[0].rollup = 77;
	v[0].children_points = 66;
	v[0].double_booked = 1;
	cr_assert(plan_rollup(v, N(v)) == 0);
	EXPECT_NODE(v, 1, 3, 0, 0);
	/* and running twice gives the same */
	struct plan_node w[] = {
		NODE(1, 0, ISSUE_EPIC, 0),
		NODE(2, 1, ISSUE_STORY, 5),
	};
	cr_assert(plan_rollup(w, N(w)) == 0);
	cr_assert(plan_rollup(w, N(w)) == 0);
	EXPECT_NODE(w, 1, 5, 5, 0);
}

Test(plan, rollup_cycle_is_refused)
{
	struct plan_node two[] = {
		NODE(1, 2, ISSUE_STORY, 1),
		NODE(2, 1, ISSUE_STORY, 2),
	};
	cr_expect(plan_rollup(two, N(two)) == -1);

	struct plan_node self[] = {
		NODE(1, 1, ISSUE_TASK, 1),
	};
	cr_expect(plan_rollup(self, N(self)) == -1);

	/* a healthy tree beside a three-node cycle: still refused */
	struct plan_node mixed[] = {
		NODE(1, 0, ISSUE_EPIC, 0), NODE(2, 1, ISSUE_STORY, 3),
		NODE(5, 7, ISSUE_TASK, 1), NODE(6, 5, ISSUE_TASK, 1), NODE(7, 6, ISSUE_TASK, 1),
	};
	cr_expect(plan_rollup(mixed, N(mixed)) == -1);
}

Test(plan, rollup_of_nothing)
{
	struct plan_node one = NODE(1, 0, ISSUE_STORY, 3);
	cr_expect(plan_rollup(&one, 0) == 0, "an empty set");
	cr_expect(one.rollup == 0, "nothing written past n");
	cr_expect(plan_rollup(NULL, 0) == 0, "no array at all");
}

/* -------------------------------------------------------------- Todo limit */

Test(plan, todo_limit)
{
	cr_expect(todo_over_limit(30, 13, 40) == 1, "30 + 13 = 43 > 40");
	cr_expect(todo_over_limit(27, 13, 40) == 0, "27 + 13 = 40: exactly at the limit is allowed");
	cr_expect(todo_over_limit(28, 13, 40) == 1, "41 > 40");
	cr_expect(todo_over_limit(0, 0, 40) == 0);
	cr_expect(todo_over_limit(0, 13, 12) == 1);
	cr_expect(todo_over_limit(40, 0, TODO_LIMIT_DEFAULT) == 0);
	cr_expect(todo_over_limit(2000000000, 2000000000, 40) == 1, "no int overflow");
}

Test(plan, todo_refusal_states_load_size_limit_and_total)
{
	char buf[256];
	todo_refusal(buf, sizeof buf, 1234, 30, 13, 40);
	cr_expect(strstr(buf, "30") != NULL, "%s", buf);
	cr_expect(strstr(buf, "13") != NULL, "%s", buf);
	cr_expect(strstr(buf, "40") != NULL, "%s", buf);
	cr_expect(strstr(buf, "43") != NULL, "30 + 13 = 43: %s", buf);
	cr_expect(strstr(buf, "#1234") != NULL, "%s", buf);

	/* a small buffer is truncated, never overrun */
	char *small = malloc(12);
	cr_assert(small);
	todo_refusal(small, 12, 1234, 30, 13, 40);
	cr_expect(strlen(small) == 11);
	cr_expect(strncmp(small, buf, 11) == 0);
	free(small);
}

/* ------------------------------------------------------------------ dates */

Test(plan, size_working_days)
{
	static const int pts[] = {1, 2, 3, 5, 8, 13, 0};
	static const int days[] = {1, 1, 3, 5, 10, 15, 0};
	for (size_t k = 0; k < N(pts); k++)
		cr_expect(size_working_days(pts[k]) == days[k], "%d points -> %d, want %d", pts[k],
			  size_working_days(pts[k]), days[k]);
}

Test(plan, day_weekday)
{
	cr_expect(day_weekday(0) == 3, "1970-01-01 was a Thursday");
	cr_expect(day_weekday(D("2026-11-30")) == 0, "Monday");
	cr_expect(day_weekday(D("2026-12-03")) == 3, "Thursday");
	cr_expect(day_weekday(D("2026-12-05")) == 5, "Saturday");
	cr_expect(day_weekday(D("2026-12-06")) == 6, "Sunday");
	cr_expect(day_weekday(D("2026-01-01")) == 3, "Thursday");
	cr_expect(day_weekday(-1) == 2, "1969-12-31 was a Wednesday");
	cr_expect(day_weekday(-4) == 6, "1969-12-28 was a Sunday");
}

Test(plan, add_working_days_skips_weekends)
{
	int64_t fri = D("2026-12-04"), sat = D("2026-12-05"), sun = D("2026-12-06");
	cr_expect(day_weekday(fri) == 4);
	cr_expect(add_working_days(fri, 0) == fri, "n = 0 -> the day itself");
	cr_expect(add_working_days(sun, 0) == sun, "n = 0 -> the day itself, even a Sunday");
	cr_expect(add_working_days(fri, 1) == D("2026-12-07"), "Friday + 1 = Monday");
	cr_expect(add_working_days(sat, 1) == D("2026-12-07"), "Saturday + 1 = Monday");
	cr_expect(add_working_days(sun, 1) == D("2026-12-07"), "Sunday + 1 = Monday");
	cr_expect(add_working_days(fri, 5) == D("2026-12-11"), "Friday + 5 = next Friday");
	cr_expect(add_working_days(D("2026-12-02"), 3) == D("2026-12-07"),
		  "Wednesday + 3: Thu, Fri, Mon");
	cr_expect(add_working_days(D("2026-12-03"), 10) == D("2026-12-17"),
		  "Thursday + 10 = two weeks later");
	cr_expect(add_working_days(D("2026-12-28"), 4) == D("2027-01-01"),
		  "Mon 28 Dec + 4 = Friday 1 Jan (across the year)");
}

Test(plan, expected_day_from_size)
{
	/* started Thursday 2026-12-03 at 15:30 UTC */
	int64_t thu = D("2026-12-03");
	cr_assert(thu == THU_2026_12_03);
	int64_t started = thu * DAY_MS + 15 * HOUR + 30 * 60000LL;
	/* 5 working days: Fri 4, Mon 7, Tue 8, Wed 9, Thu 10 */
	cr_expect(expected_day(started, 5) == D("2026-12-10"), "size 5 -> next Thursday");
	cr_expect(expected_day(started, 1) == D("2026-12-04"), "size 1 -> Friday");
	cr_expect(expected_day(started, 2) == D("2026-12-04"), "size 2 -> Friday");
	cr_expect(expected_day(started, 3) == D("2026-12-08"), "size 3: Fri, Mon, Tue");
	cr_expect(expected_day(started, 8) == D("2026-12-17"), "size 8: 10 working days");
	cr_expect(expected_day(started, 13) == D("2026-12-24"), "size 13: 15 working days");
	cr_expect(expected_day(started, 0) == -1, "unsized");
	/* the last millisecond of Thursday is still Thursday */
	cr_expect(expected_day((thu + 1) * DAY_MS - 1, 5) == D("2026-12-10"));
	/* the first millisecond of Friday is Friday: Mon 7 .. Fri 11 */
	cr_expect(expected_day((thu + 1) * DAY_MS, 5) == D("2026-12-11"));
}

Test(plan, day_of_ms_floors)
{
	cr_expect(day_of_ms(0) == 0);
	cr_expect(day_of_ms(DAY_MS - 1) == 0);
	cr_expect(day_of_ms(DAY_MS) == 1);
	cr_expect(day_of_ms(-1) == -1);
	cr_expect(day_of_ms(-DAY_MS) == -1);
	cr_expect(day_of_ms(-DAY_MS - 1) == -2);
	cr_expect(day_of_ms(MON_2026_11_30 * DAY_MS + 5 * HOUR) == MON_2026_11_30);
}

Test(plan, day_parse_accepts_real_dates)
{
	static const struct {
		const char *s;
		int64_t day;
	} ok[] = {
		{"1970-01-01", 0},
		{"1970-01-02", 1},
		{"1970-12-31", 364},
		{"1971-01-01", 365},
		{"2000-01-01", 10957},   /* 30 * 365 + 7 leap days (1972..1996) */
		{"2000-02-29", 11016},   /* 10957 + 31 + 28; 2000 is a leap year */
		{"2026-01-01", 20454},   /* see the header comment */
		{"2026-11-30", 20787},   /* 20454 + 333 */
		{"2026-12-03", 20790},
		{"2028-02-29", 21243},   /* 20454 + 365 + 365 + 31 + 28 */
		{"2028-03-01", 21244},
	};
	for (size_t k = 0; k < N(ok); k++) {
		int64_t d = -1;
		cr_expect(day_parse(ok[k].s, &d) == 0, "\"%s\" refused", ok[k].s);
		cr_expect(d == ok[k].day, "\"%s\" -> %lld, want %lld", ok[k].s, (long long)d,
			  (long long)ok[k].day);
	}
	int64_t d;
	cr_expect(day_parse("9999-12-31", &d) == 0, "the last year accepted");
}

Test(plan, day_parse_refuses_everything_else)
{
	static const char *const bad[] = {
		"2026-02-30", /* no such day */
		"2026-02-29", /* 2026 is not a leap year */
		"2100-02-29", /* 2100 is not a leap year */
		"2026-04-31",
		"2026-13-01",
		"2026-00-10",
		"2026-01-00",
		"2026-01-32",
		"2026-1-01",
		"2026-01-1",
		"26-01-01",
		"2026-01-01x",
		"2026-01-01 ",
		"2026-01-01T00:00",
		" 2026-01-01",
		"2026/01/01",
		"2026-0a-01",
		"+026-01-01",
		"1969-12-31", /* before 1970 */
		"0000-01-01",
		"",
		"junk",
	};
	for (size_t k = 0; k < N(bad); k++) {
		int64_t d = 0;
		cr_expect(day_parse(bad[k], &d) == -1, "\"%s\" accepted", bad[k]);
	}
	int64_t d = 0;
	cr_expect(day_parse(NULL, &d) == -1);
}

Test(plan, day_format_round_trips)
{
	char buf[11];
	day_format(0, buf, sizeof buf);
	cr_expect_str_eq(buf, "1970-01-01");
	day_format(MON_2026_11_30, buf, sizeof buf);
	cr_expect_str_eq(buf, "2026-11-30");
	day_format(21243, buf, sizeof buf);
	cr_expect_str_eq(buf, "2028-02-29");
	day_format(11016, buf, sizeof buf);
	cr_expect_str_eq(buf, "2000-02-29");

	/* every day from 1970 to past 2100 survives format -> parse */
	int64_t last = D("2101-01-01");
	for (int64_t day = 0; day <= last; day++) {
		int64_t back = -1;
		day_format(day, buf, sizeof buf);
		if (day_parse(buf, &back) != 0 || back != day) {
			cr_expect_fail("day %lld -> \"%s\" -> %lld", (long long)day, buf,
				       (long long)back);
			break;
		}
	}
}

Test(plan, weekday_parse)
{
	cr_expect(weekday_parse("thu") == 3);
	cr_expect(weekday_parse("Thursday") == 3);
	cr_expect(weekday_parse("THURS") == 3);
	cr_expect(weekday_parse("mon") == 0);
	cr_expect(weekday_parse("Monday") == 0);
	cr_expect(weekday_parse("tue") == 1);
	cr_expect(weekday_parse("wed") == 2);
	cr_expect(weekday_parse("fri") == 4);
	cr_expect(weekday_parse("sat") == 5);
	cr_expect(weekday_parse("SUNDAY") == 6);
	cr_expect(weekday_parse("t") == -1, "too short");
	cr_expect(weekday_parse("th") == -1, "too short");
	cr_expect(weekday_parse("xyz") == -1);
	cr_expect(weekday_parse("thursdays") == -1);
	cr_expect(weekday_parse("thx") == -1);
	cr_expect(weekday_parse("") == -1);
	cr_expect(weekday_parse(NULL) == -1);
}

/* --------------------------------------------------------- definition of done */

Test(plan, dod_count)
{
	cr_expect(dod_count(0) == 0);
	cr_expect(dod_count(DOD_MERGED) == 1);
	cr_expect(dod_count(DOD_MERGED | DOD_DOCS) == 2);
	cr_expect(dod_count(DOD_MERGED | DOD_TESTS | DOD_DOCS | DOD_ACCEPTANCE | DOD_DEMO) == 5);
	cr_expect(dod_count(31) == 5);
	cr_expect(dod_count(32) == 0, "bits past the five are not items");
	cr_expect(dod_count(0xff) == 5);
}

Test(plan, dod_names_and_format)
{
	cr_expect_str_eq(dod_names[0], "merged");
	cr_expect_str_eq(dod_names[1], "tests");
	cr_expect_str_eq(dod_names[2], "docs");
	cr_expect_str_eq(dod_names[3], "acceptance");
	cr_expect_str_eq(dod_names[4], "demo");

	char buf[128];
	dod_format(0, buf, sizeof buf);
	cr_expect_str_eq(buf, "");
	dod_format(DOD_MERGED | DOD_TESTS, buf, sizeof buf);
	cr_expect_str_eq(buf, "merged, tests");
	dod_format(DOD_DEMO, buf, sizeof buf);
	cr_expect_str_eq(buf, "demo");
	dod_format(DOD_DOCS | DOD_DEMO, buf, sizeof buf);
	cr_expect_str_eq(buf, "docs, demo");
	dod_format(31, buf, sizeof buf);
	cr_expect_str_eq(buf, "merged, tests, docs, acceptance, demo");
}

Test(plan, dod_format_truncates_without_overrun)
{
	/* "merged, tests, docs, acceptance, demo" is 37 characters; every
	 * smaller heap buffer gets a terminated prefix (ASan checks the bounds) */
	const char *full = "merged, tests, docs, acceptance, demo";
	for (size_t cap = 1; cap <= 38; cap++) {
		char *b = malloc(cap);
		cr_assert(b);
		dod_format(31, b, cap);
		cr_expect(strlen(b) == cap - 1, "cap %zu: \"%s\"", cap, b);
		cr_expect(strncmp(b, full, cap - 1) == 0, "cap %zu: \"%s\"", cap, b);
		free(b);
	}
}

/* -------------------------------------------------------------- milestones */

Test(plan, cadence_every_parse)
{
	cr_expect(cadence_every_parse("4w") == 28);
	cr_expect(cadence_every_parse("28d") == 28);
	cr_expect(cadence_every_parse("2 weeks") == 14);
	cr_expect(cadence_every_parse("1 week") == 7);
	cr_expect(cadence_every_parse("4W") == 28);
	cr_expect(cadence_every_parse("10 days") == 10);
	cr_expect(cadence_every_parse("7d") == 7, "the shortest");
	cr_expect(cadence_every_parse("26w") == 182, "the longest: 26 * 7 = 182");
	cr_expect(cadence_every_parse("182d") == 182);

	cr_expect(cadence_every_parse("0w") == -1);
	cr_expect(cadence_every_parse("6d") == -1, "below 7 days");
	cr_expect(cadence_every_parse("183d") == -1, "above 182 days");
	cr_expect(cadence_every_parse("27w") == -1, "27 * 7 = 189 > 182");
	cr_expect(cadence_every_parse("w") == -1);
	cr_expect(cadence_every_parse("-4w") == -1);
	cr_expect(cadence_every_parse("+4w") == -1);
	cr_expect(cadence_every_parse("4") == -1, "no unit");
	cr_expect(cadence_every_parse("4x") == -1);
	cr_expect(cadence_every_parse("4 wk") == -1);
	cr_expect(cadence_every_parse("") == -1);
	cr_expect(cadence_every_parse(NULL) == -1);
}

Test(plan, cadence_every_parse_huge_numbers_are_refused)
{
	/* 2e18 weeks: 2e18 * 7 overflows a 64-bit long; 1e20 is out of range
	 * for strtol (LONG_MAX * 7 overflows too).  Both are simply too long. */
	cr_expect(cadence_every_parse("99999999999999999999d") == -1);
	cr_expect(cadence_every_parse("2000000000000000000w") == -1);
}

Test(plan, cadence_every_parse_out_of_range_weeks_are_refused)
{
	cr_expect(cadence_every_parse("99999999999999999999w") == -1);
}

Test(plan, cadence_plan_every_four_weeks_on_thursday)
{
	/*
	 * From Monday 2026-11-30, every 28 days, on Thursdays.
	 * First due: the first Thursday at least 28 - 6 = 22 days later:
	 *   2026-11-30 + 22 = 2026-12-22 (Tuesday) -> Thursday 2026-12-24.
	 * Next: starts the day after the previous due, due 28 days later:
	 *   start 2026-12-25, due 2026-12-24 + 28 = 2027-01-21
	 *   start 2027-01-22, due 2027-01-21 + 28 = 2027-02-18
	 */
	int64_t from = D("2026-11-30");
	int64_t starts[3] = {-1, -1, -1}, dues[3] = {-1, -1, -1};
	cadence_plan(from, 28, 3, 3, starts, dues);
	cr_expect(starts[0] == D("2026-11-30"));
	cr_expect(starts[1] == D("2026-12-25"));
	cr_expect(starts[2] == D("2027-01-22"));
	cr_expect(dues[0] == D("2026-12-24"));
	cr_expect(dues[1] == D("2027-01-21"));
	cr_expect(dues[2] == D("2027-02-18"));
	for (int k = 0; k < 3; k++) {
		cr_expect(day_weekday(dues[k]) == 3, "due %d is a Thursday", k);
		if (k) {
			cr_expect(dues[k] - dues[k - 1] == 28);
			cr_expect(starts[k] == dues[k - 1] + 1);
		}
	}
}

Test(plan, cadence_plan_other_shapes)
{
	int64_t starts[2], dues[2];
	/* from Thursday 2026-12-03, every 14 days, Thursday: at least 8 days
	 * later is Friday 12-11 -> Thursday 12-17; then 12-18 .. 12-31 */
	cadence_plan(D("2026-12-03"), 14, 3, 2, starts, dues);
	cr_expect(starts[0] == D("2026-12-03") && dues[0] == D("2026-12-17"));
	cr_expect(starts[1] == D("2026-12-18") && dues[1] == D("2026-12-31"));

	/* from Monday 2026-11-30, every 28 days, Tuesday: at least 22 days later
	 * is Tuesday 2026-12-22 itself */
	cadence_plan(D("2026-11-30"), 28, 1, 1, starts, dues);
	cr_expect(dues[0] == D("2026-12-22"));

	/* count 0 writes nothing */
	int64_t s0 = 7, d0 = 7;
	cadence_plan(D("2026-11-30"), 28, 3, 0, &s0, &d0);
	cr_expect(s0 == 7 && d0 == 7);
}

Test(plan, milestone_next_title)
{
	char buf[64];
	milestone_next_title("2.31", 9, buf, sizeof buf);
	cr_expect_str_eq(buf, "2.32");
	milestone_next_title("2.9", 9, buf, sizeof buf);
	cr_expect_str_eq(buf, "2.10");
	milestone_next_title("M3", 9, buf, sizeof buf);
	cr_expect_str_eq(buf, "M4");
	milestone_next_title("Sprint 41", 9, buf, sizeof buf);
	cr_expect_str_eq(buf, "Sprint 42");
	milestone_next_title("v1.99", 9, buf, sizeof buf);
	cr_expect_str_eq(buf, "v1.100");
	milestone_next_title("Release", 5, buf, sizeof buf);
	cr_expect_str_eq(buf, "M5");
	milestone_next_title("", 2, buf, sizeof buf);
	cr_expect_str_eq(buf, "M2");
	milestone_next_title(NULL, 1, buf, sizeof buf);
	cr_expect_str_eq(buf, "M1");
}

Test(plan, milestone_state_at_boundaries)
{
	int64_t start = MON_2026_11_30, due = start + 24; /* 2026-12-24 */
	cr_expect(milestone_state_at(start, due, start * DAY_MS - 1) == MS_PLANNED);
	cr_expect(milestone_state_at(start, due, start * DAY_MS) == MS_ACTIVE,
		  "the start of the start day");
	cr_expect(milestone_state_at(start, due, due * DAY_MS + 12 * HOUR) == MS_ACTIVE);
	cr_expect(milestone_state_at(start, due, (due + 1) * DAY_MS - 1) == MS_ACTIVE,
		  "the last ms of the due day");
	cr_expect(milestone_state_at(start, due, (due + 1) * DAY_MS) == MS_CLOSED,
		  "the end of the due day");
	cr_expect(milestone_state_at(start, start, start * DAY_MS + 1) == MS_ACTIVE,
		  "a one-day milestone");
	cr_expect_str_eq(milestone_state_name(MS_PLANNED), "planned");
	cr_expect_str_eq(milestone_state_name(MS_ACTIVE), "active");
	cr_expect_str_eq(milestone_state_name(MS_CLOSED), "closed");
	cr_expect_str_eq(milestone_state_name((enum milestone_state)9), "");
}

Test(plan, velocity_is_the_mean_of_the_last_three)
{
	static const int one[] = {10}, two[] = {10, 20}, four[] = {10, 20, 30, 40};
	static const int three[] = {0, 5, 7};
	cr_expect(velocity(NULL, 0) == -1);
	cr_expect(NEAR(velocity(one, 1), 10));
	cr_expect(NEAR(velocity(two, 2), 15), "(10 + 20) / 2");
	cr_expect(NEAR(velocity(four, 4), 30), "(20 + 30 + 40) / 3");
	cr_expect(NEAR(velocity(three, 3), 4), "(0 + 5 + 7) / 3");
}

/* ------------------------------------------------------------------ scope */

/* A five-day milestone: Monday 2026-11-30 .. Friday 2026-12-04. */
#define S_DAY MON_2026_11_30
#define D_DAY (MON_2026_11_30 + 4)
#define S_MS (S_DAY * DAY_MS)
#define DUE_END ((D_DAY + 1) * DAY_MS)
#define RUNNING (S_MS + 2 * DAY_MS + 9 * HOUR) /* Wednesday morning */
#define AFTER (DUE_END + 3 * DAY_MS)

static void expect_class(const struct scope_row r, int64_t now, struct scope_class want,
			 const char *what)
{
	struct scope_class got;
	memset(&got, 0x5a, sizeof got);
	scope_classify(&r, S_DAY, D_DAY, now, &got);
	cr_expect(got.counted == want.counted && got.committed == want.committed &&
			  got.added == want.added && got.removed == want.removed &&
			  got.shipped == want.shipped && got.slipped == want.slipped,
		  "%s: got counted %d committed %d added %d removed %d shipped %d slipped %d; "
		  "want %d %d %d %d %d %d",
		  what, got.counted, got.committed, got.added, got.removed, got.shipped,
		  got.slipped, want.counted, want.committed, want.added, want.removed,
		  want.shipped, want.slipped);
}

Test(plan, scope_committed_and_shipped)
{
	struct scope_row r = {.added_ms = S_MS - DAY_MS, .done_ms = S_MS + 3 * DAY_MS, .points = 3};
	expect_class(r, AFTER, (struct scope_class){.counted = 1, .committed = 1, .shipped = 1},
		     "committed, done Thursday");
	/* done on the due day's last ms still ships */
	r.done_ms = DUE_END - 1;
	expect_class(r, AFTER, (struct scope_class){.counted = 1, .committed = 1, .shipped = 1},
		     "done at the last ms of the due day");
	/* and it counts as shipped while the milestone is still running */
	r.done_ms = S_MS + 1 * DAY_MS;
	expect_class(r, RUNNING, (struct scope_class){.counted = 1, .committed = 1, .shipped = 1},
		     "done Tuesday, now Wednesday");
}

Test(plan, scope_added_after_the_start)
{
	struct scope_row r = {.added_ms = S_MS + 1 * HOUR, .points = 2};
	expect_class(r, RUNNING, (struct scope_class){.counted = 1, .added = 1},
		     "added Monday 01:00, open, milestone running");
	r.done_ms = S_MS + 2 * DAY_MS;
	expect_class(r, AFTER, (struct scope_class){.counted = 1, .added = 1, .shipped = 1},
		     "added then done");
	/* in at the very instant of the start: it was in when scope froze */
	struct scope_row at = {.added_ms = S_MS, .points = 1};
	expect_class(at, RUNNING, (struct scope_class){.counted = 1, .committed = 1},
		     "added exactly at the start");
}

Test(plan, scope_removed_after_the_start_while_open_slips)
{
	struct scope_row r = {.added_ms = S_MS - DAY_MS, .removed_ms = S_MS + 2 * DAY_MS,
			      .points = 5};
	expect_class(r, RUNNING,
		     (struct scope_class){.counted = 1, .committed = 1, .removed = 1, .slipped = 1},
		     "committed, removed Wednesday, not done");
	/* added later and removed later */
	struct scope_row a = {.added_ms = S_MS + DAY_MS, .removed_ms = S_MS + 2 * DAY_MS,
			      .points = 5};
	expect_class(a, RUNNING,
		     (struct scope_class){.counted = 1, .added = 1, .removed = 1, .slipped = 1},
		     "added Tuesday, removed Wednesday");
}

Test(plan, scope_joined_and_left_before_the_start_is_not_counted)
{
	struct scope_row r = {.added_ms = S_MS - 5 * DAY_MS, .removed_ms = S_MS - DAY_MS,
			      .points = 8};
	expect_class(r, AFTER, (struct scope_class){0}, "in and out before the start");
	r.done_ms = S_MS - 2 * DAY_MS;
	expect_class(r, AFTER, (struct scope_class){0}, "even when done");
}

Test(plan, scope_open_past_due_slips_and_open_while_running_does_neither)
{
	struct scope_row r = {.added_ms = S_MS - DAY_MS, .points = 3};
	expect_class(r, RUNNING, (struct scope_class){.counted = 1, .committed = 1},
		     "open, milestone running");
	expect_class(r, DUE_END - 1, (struct scope_class){.counted = 1, .committed = 1},
		     "open, last ms of the due day");
	expect_class(r, DUE_END, (struct scope_class){.counted = 1, .committed = 1, .slipped = 1},
		     "open, the due day is over");
	expect_class(r, AFTER, (struct scope_class){.counted = 1, .committed = 1, .slipped = 1},
		     "open, days after");
}

Test(plan, scope_done_after_due_slips)
{
	struct scope_row r = {.added_ms = S_MS - DAY_MS, .done_ms = DUE_END, .points = 3};
	expect_class(r, AFTER, (struct scope_class){.counted = 1, .committed = 1, .slipped = 1},
		     "done at the first ms after the due day");
	r.done_ms = DUE_END + 2 * DAY_MS;
	expect_class(r, AFTER, (struct scope_class){.counted = 1, .committed = 1, .slipped = 1},
		     "done two days late");
}

Test(plan, burnup_over_five_days)
{
	/*
	 * Milestone Monday S (day 0) .. Friday (day 4).  "end of day k" is
	 * (S + k + 1) * DAY_MS; a row is in scope at that instant when it was
	 * added before it and not removed before it.
	 *   A 3 pts: added before the start, done day 1 10:00
	 *   B 5 pts: added before the start, removed day 3 01:00, never done
	 *   C 2 pts: added day 2 02:00, done day 4 05:00
	 *   D 8 pts: added before the start, done at the first ms of day 2
	 *   E 13 pts: added and removed before the start
	 *   F 1 pt : added day 4 23:00, open
	 * day 0: scope A B D = 3+5+8 = 16; done 0
	 * day 1: scope 16; done A = 3 (D is done at the end instant, not before it)
	 * day 2: scope A B C D = 18; done A D = 11
	 * day 3: scope A C D = 13 (B left); done 11
	 * day 4: scope A C D F = 14; done A C D = 13
	 */
	struct scope_row rows[] = {
		{.added_ms = S_MS - DAY_MS, .done_ms = S_MS + DAY_MS + 10 * HOUR, .points = 3},
		{.added_ms = S_MS - DAY_MS, .removed_ms = S_MS + 3 * DAY_MS + HOUR, .points = 5},
		{.added_ms = S_MS + 2 * DAY_MS + 2 * HOUR, .done_ms = S_MS + 4 * DAY_MS + 5 * HOUR,
		 .points = 2},
		{.added_ms = S_MS - 3 * DAY_MS, .done_ms = S_MS + 2 * DAY_MS, .points = 8},
		{.added_ms = S_MS - 9 * DAY_MS, .removed_ms = S_MS - 2 * DAY_MS, .points = 13},
		{.added_ms = S_MS + 4 * DAY_MS + 23 * HOUR, .points = 1},
	};
	static const int want_scope[5] = {16, 16, 18, 13, 14};
	static const int want_done[5] = {0, 3, 11, 11, 13};
	int scope[5], done[5];
	memset(scope, 0x7f, sizeof scope);
	memset(done, 0x7f, sizeof done);
	burnup(rows, N(rows), S_DAY, S_DAY + 4, scope, done);
	for (int k = 0; k < 5; k++) {
		cr_expect(scope[k] == want_scope[k], "scope day %d: %d want %d", k, scope[k],
			  want_scope[k]);
		cr_expect(done[k] == want_done[k], "done day %d: %d want %d", k, done[k],
			  want_done[k]);
	}

	/* one day, no rows */
	int s1 = -1, d1 = -1;
	burnup(NULL, 0, S_DAY, S_DAY, &s1, &d1);
	cr_expect(s1 == 0 && d1 == 0);
}

/* ---------------------------------------------------------------- forecast */

Test(plan, forecast_nothing_left)
{
	static const int hist[] = {3, 4};
	struct forecast f;
	memset(&f, 0x5a, sizeof f);
	cr_assert(forecast_run(hist, N(hist), 0, 10, 1, 1000, &f) == 0);
	cr_expect(NEAR(f.probability, 1.0));
	cr_expect(f.p50 == 0 && f.p85 == 0 && f.p95 == 0);
	cr_expect(NEAR(f.mean_daily, 3.5), "(3 + 4) / 2");
	/* even with no history, and with the due day already past */
	memset(&f, 0x5a, sizeof f);
	cr_assert(forecast_run(NULL, 0, 0, -3, 1, 1000, &f) == 0);
	cr_expect(NEAR(f.probability, 1.0));
	cr_expect(f.p50 == 0 && f.p85 == 0 && f.p95 == 0);
}

Test(plan, forecast_no_throughput)
{
	static const int zeros[] = {0, 0, 0, 0};
	struct forecast f;
	memset(&f, 0x5a, sizeof f);
	cr_assert(forecast_run(zeros, N(zeros), 10, 100, 1, 1000, &f) == 0);
	cr_expect(NEAR(f.probability, 0.0));
	cr_expect(f.p50 == -1 && f.p85 == -1 && f.p95 == -1);
	cr_expect(NEAR(f.mean_daily, 0.0));
	memset(&f, 0x5a, sizeof f);
	cr_assert(forecast_run(NULL, 0, 10, 100, 1, 1000, &f) == 0, "no history at all");
	cr_expect(NEAR(f.probability, 0.0));
	cr_expect(f.p50 == -1 && f.p85 == -1 && f.p95 == -1);
}

Test(plan, forecast_constant_throughput)
{
	/* 5 points every day, 20 left: every trial takes exactly 20 / 5 = 4 days */
	static const int fives[] = {5, 5, 5, 5, 5};
	struct forecast f;
	cr_assert(forecast_run(fives, N(fives), 20, 4, 7, 2000, &f) == 0);
	cr_expect(NEAR(f.probability, 1.0), "due in 4 days: %f", f.probability);
	cr_expect(f.p50 == 4 && f.p85 == 4 && f.p95 == 4, "%d %d %d", f.p50, f.p85, f.p95);
	cr_expect(NEAR(f.mean_daily, 5.0));
	cr_assert(forecast_run(fives, N(fives), 20, 30, 7, 2000, &f) == 0);
	cr_expect(NEAR(f.probability, 1.0), "due in 30 days");
	cr_expect(f.p50 == 4 && f.p85 == 4 && f.p95 == 4);
	cr_assert(forecast_run(fives, N(fives), 20, 3, 7, 2000, &f) == 0);
	cr_expect(NEAR(f.probability, 0.0), "due in 3 days: %f", f.probability);
	cr_expect(f.p50 == 4 && f.p85 == 4 && f.p95 == 4);
	/* 21 left: 5 days (4 days give 20) */
	cr_assert(forecast_run(fives, N(fives), 21, 4, 7, 2000, &f) == 0);
	cr_expect(NEAR(f.probability, 0.0));
	cr_expect(f.p50 == 5 && f.p85 == 5 && f.p95 == 5);
	/* a single trial works too */
	cr_assert(forecast_run(fives, 1, 20, 4, 7, 1, &f) == 0);
	cr_expect(NEAR(f.probability, 1.0) && f.p50 == 4 && f.p95 == 4);
}

Test(plan, forecast_beyond_the_horizon)
{
	/* one point a day: 1830 = 5 * 366 points take exactly the horizon;
	 * one more point is never reached */
	static const int one[] = {1};
	struct forecast f;
	cr_assert(forecast_run(one, 1, FORECAST_HORIZON_DAYS, 100000, 3, 50, &f) == 0);
	cr_expect(NEAR(f.probability, 1.0));
	cr_expect(f.p50 == FORECAST_HORIZON_DAYS && f.p95 == FORECAST_HORIZON_DAYS);
	cr_assert(forecast_run(one, 1, FORECAST_HORIZON_DAYS + 1, 100000, 3, 50, &f) == 0);
	cr_expect(NEAR(f.probability, 0.0), "%f", f.probability);
	cr_expect(f.p50 == -1 && f.p85 == -1 && f.p95 == -1, "%d %d %d", f.p50, f.p85, f.p95);
}

Test(plan, forecast_is_reproducible_and_ordered)
{
	static const int hist[] = {0, 3, 5, 8, 0, 2};
	struct forecast a, b, c;
	memset(&a, 0, sizeof a);
	memset(&b, 0xff, sizeof b);
	cr_assert(forecast_run(hist, N(hist), 40, 12, 42, FORECAST_TRIALS_DEFAULT, &a) == 0);
	cr_assert(forecast_run(hist, N(hist), 40, 12, 42, FORECAST_TRIALS_DEFAULT, &b) == 0);
	cr_expect(a.probability == b.probability && a.p50 == b.p50 && a.p85 == b.p85 &&
		  a.p95 == b.p95 && a.mean_daily == b.mean_daily,
		  "same seed, same answer");
	cr_expect(NEAR(a.mean_daily, 3.0), "(0+3+5+8+0+2) / 6 = 18 / 6");
	cr_expect(a.p50 <= a.p85 && a.p85 <= a.p95, "%d %d %d", a.p50, a.p85, a.p95);
	/* 40 points at best 8 a day need at least 5 days */
	cr_expect(a.p50 >= 5, "%d", a.p50);
	cr_expect(a.probability >= 0.0 && a.probability <= 1.0);

	/* a different seed still respects the order */
	cr_assert(forecast_run(hist, N(hist), 40, 12, 43, FORECAST_TRIALS_DEFAULT, &c) == 0);
	cr_expect(c.p50 <= c.p85 && c.p85 <= c.p95);
}

Test(plan, forecast_quantiles_agree_with_the_probability)
{
	/*
	 * Same seed -> same trials, so the probability of finishing by day x is
	 * the share of trials taking <= x days.  By the definition of the
	 * q-quantile: at least q of the trials finish by p_q, fewer than q by
	 * p_q - 1.
	 */
	static const int hist[] = {0, 3, 5, 8, 0, 2};
	const int trials = 4000;
	struct forecast f, g;
	cr_assert(forecast_run(hist, N(hist), 40, 0, 9, trials, &f) == 0);
	const int p[3] = {f.p50, f.p85, f.p95};
	const double q[3] = {0.50, 0.85, 0.95};
	for (int k = 0; k < 3; k++) {
		cr_assert(forecast_run(hist, N(hist), 40, p[k], 9, trials, &g) == 0);
		cr_expect(g.probability >= q[k], "P(<= %d) = %f < %f", p[k], g.probability, q[k]);
		cr_assert(forecast_run(hist, N(hist), 40, p[k] - 1, 9, trials, &g) == 0);
		cr_expect(g.probability < q[k], "P(<= %d) = %f >= %f", p[k] - 1, g.probability,
			  q[k]);
	}
	/* the due day already passed: nothing finishes by then */
	cr_assert(forecast_run(hist, N(hist), 40, -1, 9, trials, &g) == 0);
	cr_expect(NEAR(g.probability, 0.0));
}

Test(plan, forecast_refuses_bad_arguments)
{
	static const int hist[] = {1, 2};
	static const int negative[] = {1, -2};
	struct forecast f;
	cr_expect(forecast_run(hist, N(hist), 10, 5, 1, 0, &f) == -1, "0 trials");
	cr_expect(forecast_run(hist, N(hist), 10, 5, 1, -1, &f) == -1, "negative trials");
	cr_expect(forecast_run(hist, N(hist), 10, 5, 1, FORECAST_TRIALS_MAX + 1, &f) == -1);
	cr_expect(forecast_run(hist, N(hist), 10, 5, 1, FORECAST_TRIALS_MAX, &f) == 0,
		  "the maximum itself is fine");
	cr_expect(forecast_run(hist, N(hist), 10, 5, 1, 1, &f) == 0, "one trial is fine");
	cr_expect(forecast_run(NULL, 3, 10, 5, 1, 100, &f) == -1, "NULL history of 3 days");
	cr_expect(forecast_run(negative, N(negative), 10, 5, 1, 100, &f) == -1,
		  "negative throughput");
}

Test(plan, rng_is_seeded_and_bounded)
{
	struct plan_rng a, b, c;
	plan_rng_seed(&a, 123);
	plan_rng_seed(&b, 123);
	plan_rng_seed(&c, 124);
	int same = 1, differ = 0;
	for (int k = 0; k < 100; k++) {
		uint64_t x = plan_rng_next(&a), y = plan_rng_next(&b), z = plan_rng_next(&c);
		same &= x == y;
		differ += x != z;
	}
	cr_expect(same, "same seed, same stream");
	cr_expect(differ > 90, "another seed, another stream");

	static const uint64_t ns[] = {1, 2, 3, 7, 10, 1000, (1ULL << 63) + 1, UINT64_MAX};
	for (size_t i = 0; i < N(ns); i++) {
		uint64_t n = ns[i];
		for (int k = 0; k < 20000; k++) {
			uint64_t x = plan_rng_below(&a, n);
			if (x >= n) {
				cr_expect_fail("plan_rng_below(%llu) gave %llu", (unsigned long long)n,
					       (unsigned long long)x);
				break;
			}
		}
	}

	/* every value of a small range turns up, roughly evenly: 30000 draws
	 * over 3 values expect 10000 each (sd ~ 82) */
	int hist[3] = {0, 0, 0};
	for (int k = 0; k < 30000; k++)
		hist[plan_rng_below(&a, 3)]++;
	for (int k = 0; k < 3; k++)
		cr_expect(hist[k] > 9500 && hist[k] < 10500, "value %d drawn %d times", k, hist[k]);
	int seen7 = 0;
	for (int k = 0; k < 1000; k++)
		seen7 |= 1 << plan_rng_below(&a, 7);
	cr_expect(seen7 == 0x7f);
}

/* Progress: done points roll up like points do (worked by hand). */
Test(plan, rollup_done_points)
{
	struct plan_node n[] = {
		{.number = 1, .type = ISSUE_EPIC},
		{.number = 2, .parent = 1, .type = ISSUE_STORY, .points = 5, .done = 1},
		{.number = 3, .parent = 1, .type = ISSUE_STORY},                 /* unsized */
		{.number = 4, .parent = 3, .type = ISSUE_TASK, .points = 3, .done = 1},
		{.number = 5, .parent = 3, .type = ISSUE_TASK, .points = 2},
		{.number = 6, .parent = 1, .type = ISSUE_STORY, .points = 8},  /* sized, open */
		{.number = 7, .parent = 6, .type = ISSUE_TASK, .points = 1, .done = 1},
	};
	cr_assert_eq(plan_rollup(n, 7), 0);
	cr_assert_eq(n[0].rollup, 5 + 5 + 8);
	cr_assert_eq(n[2].done_rollup, 3, "an unsized story counts its done tasks");
	cr_assert_eq(n[5].done_rollup, 0, "a sized open story counts its own estimate, not done tasks");
	cr_assert_eq(n[0].done_rollup, 5 + 3, "the epic: the done story and the done task");
	n[0].done = 1;
	cr_assert_eq(plan_rollup(n, 7), 0);
	cr_assert_eq(n[0].done_rollup, 18, "a done epic is done in full");
}

/* Double booking is reported on the epic above it. */
Test(plan, rollup_reports_double_booking_on_the_epic)
{
	struct plan_node n[] = {
		{.number = 1, .type = ISSUE_EPIC},
		{.number = 2, .parent = 1, .type = ISSUE_STORY, .points = 5},
		{.number = 3, .parent = 2, .type = ISSUE_TASK, .points = 2},
		{.number = 4, .parent = 1, .type = ISSUE_STORY, .points = 3},
		{.number = 5, .parent = 4, .type = ISSUE_TASK, .points = 1},
		{.number = 6, .parent = 1, .type = ISSUE_STORY},
		{.number = 7, .parent = 6, .type = ISSUE_TASK, .points = 1},
	};
	cr_assert_eq(plan_rollup(n, 7), 0);
	cr_assert_eq(n[0].booked_below, 2, "stories 2 and 4 are double booked");
	cr_assert_eq(n[5].booked_below, 0);
	cr_assert(!n[5].double_booked, "an unsized story with sized tasks is fine");
}
