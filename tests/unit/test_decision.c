/*
 * test_decision.c — a decision's evidence then and now, on hand-computed
 * cases: the sentences a reader sees beside the frozen snapshot.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/decision.h"

TestSuite(decision, .fini = fail_on_leaks);

static int changes(struct evidence_item then, struct evidence_item now,
		   char (*out)[EVIDENCE_SENTENCE])
{
	return evidence_changes(&then, &now, out, 4);
}

Test(decision, nothing_moved_says_nothing)
{
	char out[4][EVIDENCE_SENTENCE];
	struct evidence_item a = {12, "open", 6.0, 3, "2.31"};
	cr_expect(eq(int, changes(a, a, out), 0));
	struct evidence_item none = {12, "open", 0, 0, NULL};
	cr_expect(eq(int, changes(none, none, out), 0), "no demand then or now, no milestone");
}

Test(decision, demand_tripled_doubled_halved_new)
{
	char out[4][EVIDENCE_SENTENCE];
	struct evidence_item then = {12, "open", 6.0, 3, "2.31"}, now = then;
	now.demand = 18.0; /* 3x */
	cr_assert(eq(int, changes(then, now, out), 1));
	cr_expect(eq(str, out[0], "demand for #12 has tripled since this decision"));
	now.demand = 24.0; /* 4x */
	changes(then, now, out);
	cr_expect(eq(str, out[0], "demand for #12 has more than tripled since this decision"));
	now.demand = 12.0; /* 2x */
	changes(then, now, out);
	cr_expect(eq(str, out[0], "demand for #12 has doubled since this decision"));
	now.demand = 11.9; /* under 2x: nothing */
	cr_expect(eq(int, changes(then, now, out), 0));
	now.demand = 3.0; /* half */
	changes(then, now, out);
	cr_expect(eq(str, out[0], "demand for #12 has halved since this decision"));
	then.demand = 0;
	now.demand = 1.0;
	changes(then, now, out);
	cr_expect(eq(str, out[0], "#12 has demand now; it had none"));
}

Test(decision, state_size_and_milestone_each_a_sentence_in_order)
{
	char out[4][EVIDENCE_SENTENCE];
	struct evidence_item then = {7, "open", 2.0, 0, NULL};
	struct evidence_item now = {7, "closed", 8.0, 5, "2.32"};
	cr_assert(eq(int, changes(then, now, out), 4));
	cr_expect(eq(str, out[0], "#7 was closed since this decision"));
	cr_expect(eq(str, out[1], "demand for #7 has more than tripled since this decision"));
	cr_expect(eq(str, out[2], "#7 changed size unsized → 5"));
	cr_expect(eq(str, out[3], "#7 moved from no milestone to 2.32"));
	cr_expect(eq(int, changes(now, then, out), 4), "and back");
	cr_expect(eq(str, out[0], "#7 was reopened since this decision"));
	cr_expect(eq(str, out[2], "#7 changed size 5 → unsized"));
	cr_expect(eq(str, out[3], "#7 moved from 2.32 to no milestone"));
}

Test(decision, at_most_max_sentences)
{
	char out[2][EVIDENCE_SENTENCE];
	struct evidence_item then = {7, "open", 2.0, 0, NULL};
	struct evidence_item now = {7, "closed", 8.0, 5, "2.32"};
	cr_expect(eq(int, evidence_changes(&then, &now, out, 2), 2));
}
