/*
 * test_rollup.c — unit tests of the maintained roll-ups' rules in
 * core/plan.c (rollup_eval, rollup_forest; issue #12): a few trees worked
 * out by hand, then random forests where one node's numbers from its
 * children's sums must equal what plan_rollup and strategy_progress (the
 * code that computes on read) find over the whole forest, in both scopes.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "builders.h"
#include "core/issue.h"
#include "core/plan.h"
#include "core/strategy.h"

TestSuite(rollup, .fini = fail_on_leaks);

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct rollup_item item_done(int64_t number, int64_t parent, int type, int points,
				    int done)
{
	return (struct rollup_item){.number = number, .parent = parent, .type = type,
				    .points = points, .done = done};
}

static struct rollup_item item(int64_t number, int64_t parent, int type, int points)
{
	return item_done(number, parent, type, points, 0);
}

/* The node's own numbers after rollup_forest. */
static struct rollup_sums own_of(const struct rollup_item *v, const struct rollup_sums *kids,
				 size_t n, int64_t number, int *db)
{
	struct rollup_sums t = {0};
	for (size_t k = 0; k < n; k++)
		if (v[k].number == number)
			rollup_eval(&v[k], &kids[k], &t, db);
	return t;
}

Test(rollup, a_sized_story_counts_itself_and_its_sized_tasks_are_double_booking)
{
	/* epic 1: story 2 (size 5; its tasks 3 and 2 are double booking) and
	 * story 3 (unsized; task 6 of 1 point, done, and task 7, unsized) */
	struct rollup_item v[] = {
		item(1, 0, ISSUE_EPIC, 0),     item(2, 1, ISSUE_STORY, 5), item(3, 1, ISSUE_STORY, 0),
		item(4, 2, ISSUE_TASK, 3),     item(5, 2, ISSUE_TASK, 2),  item(6, 3, ISSUE_TASK, 1),
		item(7, 3, ISSUE_TASK, 0),
	};
	v[5].done = 1;
	struct rollup_sums kids[N(v)];
	int db;
	cr_assert(rollup_forest(v, N(v), ROLLUP_ALL, kids) == 0);
	struct rollup_sums s2 = own_of(v, kids, N(v), 2, &db);
	cr_expect(s2.points == 5 && db == 1 && s2.booked == 1, "story 2: own 5, double booked");
	cr_expect(s2.unsized == 0, "its own size covers what is below");
	struct rollup_sums s3 = own_of(v, kids, N(v), 3, &db);
	/* unsized story: 1 + 0; done: task 6's 1; task 7 open and unsized */
	cr_expect(s3.points == 1 && s3.done == 1 && db == 0 && s3.unsized == 1);
	struct rollup_sums e = own_of(v, kids, N(v), 1, &db);
	cr_expect(e.points == 6, "epic: 5 + 1, got %d", e.points);
	cr_expect(e.done == 1 && e.booked == 1);
	/* items: stories 2, 3 and tasks 4..7 = 6; done: task 6 */
	cr_expect(e.items == 6 && e.done_items == 1 && e.unsized == 1);
}

Test(rollup, won_t_do_items_and_private_ones_count_for_nobody_above_them)
{
	struct rollup_item v[] = {
		item(1, 0, ISSUE_EPIC, 0),
		item(2, 1, ISSUE_STORY, 3),
		item(3, 1, ISSUE_SECURITY, 8),
		item(4, 1, ISSUE_TASK, 5),
	};
	v[3].gone = 1; /* won't do */
	struct rollup_sums kids[N(v)];
	cr_assert(rollup_forest(v, N(v), ROLLUP_ALL, kids) == 0);
	cr_expect(own_of(v, kids, N(v), 1, NULL).points == 3 + 8);
	cr_assert(rollup_forest(v, N(v), ROLLUP_PUBLIC, kids) == 0);
	cr_expect(own_of(v, kids, N(v), 1, NULL).points == 3, "public: not the security issue");
	cr_expect(rollup_counts(&v[2], ROLLUP_ALL) && !rollup_counts(&v[2], ROLLUP_PUBLIC));
	cr_expect(!rollup_counts(&v[3], ROLLUP_ALL));
}

Test(rollup, an_epic_whose_children_add_nothing_keeps_its_own_size)
{
	struct rollup_item v[] = {item(1, 0, ISSUE_EPIC, 8), item(2, 1, ISSUE_STORY, 0)};
	struct rollup_sums kids[N(v)];
	int db;
	cr_assert(rollup_forest(v, N(v), ROLLUP_ALL, kids) == 0);
	struct rollup_sums e = own_of(v, kids, N(v), 1, &db);
	cr_expect(e.points == 8 && db == 0);
	cr_expect(e.unsized == 0, "the epic's own size covers its unsized story");
}

Test(rollup, a_cycle_in_old_data_is_cut_not_followed)
{
	struct rollup_item v[] = {item(1, 2, ISSUE_STORY, 1), item(2, 1, ISSUE_STORY, 2)};
	struct rollup_sums kids[N(v)];
	cr_assert(rollup_forest(v, N(v), ROLLUP_ALL, kids) == 0);
}

/* ---- random forests against the on-read code ------------------------------- */

static int rnd(unsigned *seed, int n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (int)((*seed >> 16) % (unsigned)n);
}

Test(rollup, random_forests_agree_with_plan_rollup_and_strategy_progress)
{
	static const int sizes[] = {0, 0, 1, 2, 3, 5, 8, 13};
	static const int leaves[] = {ISSUE_TASK, ISSUE_BUG, ISSUE_FEATURE, ISSUE_SECURITY};
	enum { M = 300 };
	unsigned seed = 12;
	for (int round = 0; round < 40; round++) {
		struct rollup_item v[M];
		struct rollup_sums kids[M];
		struct plan_node nodes[M];
		struct strat_progress prog[M];
		int64_t roots[M];
		int group[M];
		int64_t epics[M], stories[M];
		int ne = 0, ns = 0;
		/* numbers shuffled against creation order: parents are not always first */
		for (int k = 0; k < M; k++) {
			int64_t number = (int64_t)((k * 7919) % M) + 1;
			int r = rnd(&seed, 10), type, parent = 0;
			if (r < 2 || !ne) {
				type = ISSUE_EPIC;
			} else if (r < 5) {
				type = ISSUE_STORY;
				parent = rnd(&seed, 5) ? 1 : 0;
			} else {
				type = leaves[rnd(&seed, 4)];
				parent = rnd(&seed, 6) ? 1 + (ns && rnd(&seed, 2)) : 0;
			}
			v[k] = item_done(number, 0, type, sizes[rnd(&seed, 8)], rnd(&seed, 3) == 0);
			v[k].gone = rnd(&seed, 12) == 0;
			if (parent == 1)
				v[k].parent = epics[rnd(&seed, ne)];
			else if (parent == 2)
				v[k].parent = stories[rnd(&seed, ns)];
			if (type == ISSUE_EPIC)
				epics[ne++] = number;
			if (type == ISSUE_STORY)
				stories[ns++] = number;
		}
		for (int scope = 0; scope < ROLLUP_SCOPES; scope++) {
			cr_assert(rollup_forest(v, M, scope, kids) == 0);
			/* what does not count is read as the root of its own tree */
			for (int k = 0; k < M; k++) {
				nodes[k] = (struct plan_node){.number = v[k].number,
							      .parent = rollup_counts(&v[k], scope) ? v[k].parent : 0,
							      .type = v[k].type,
							      .points = v[k].points,
							      .done = v[k].done};
				roots[k] = v[k].number;
				group[k] = k;
			}
			cr_assert(plan_rollup(nodes, M) == 0);
			cr_assert(strategy_progress(nodes, M, roots, group, M, prog, M) == 0);
			for (int k = 0; k < M; k++) {
				struct rollup_sums t;
				int db;
				rollup_eval(&v[k], &kids[k], &t, &db);
				cr_assert_eq(t.points, nodes[k].rollup, "round %d scope %d #%lld points", round,
					     scope, (long long)v[k].number);
				cr_assert_eq(t.done, nodes[k].done_rollup, "done of #%lld", (long long)v[k].number);
				cr_assert_eq(kids[k].booked, nodes[k].booked_below);
				cr_assert_eq(db, nodes[k].double_booked);
				cr_assert_eq(t.items, prog[k].items);
				cr_assert_eq(t.done_items, prog[k].done_items);
				cr_assert_eq(t.unsized, prog[k].unsized, "unsized of #%lld", (long long)v[k].number);
			}
		}
	}
}

Test(rollup, sums_add_and_subtract)
{
	struct rollup_sums a = {1, 2, 3, 4, 5, 6}, b = {1, 1, 1, 1, 1, 1};
	rollup_add(&a, &b, -1);
	cr_expect(a.points == 0 && a.unsized == 5);
	rollup_add(&a, &b, 1);
	cr_expect(a.done == 2);
	struct rollup_sums z = {0};
	cr_expect(rollup_is_zero(&z) && !rollup_is_zero(&a));
}
