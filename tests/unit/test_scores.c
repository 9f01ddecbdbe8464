/*
 * test_scores.c — demand and RICE on hand-computed cases (the arithmetic
 * is written out beside each expectation; formulas in core/scores.h).
 */
#include <criterion/criterion.h>
#include <math.h>

#include "builders.h"
#include "core/scores.h"

TestSuite(scores, .fini = fail_on_leaks);

#define DAY 86400000LL
#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

Test(scores, decay_halves_every_180_days)
{
	cr_expect(NEAR(demand_decay(0), 1.0));
	cr_expect(NEAR(demand_decay(180 * DAY), 0.5));
	cr_expect(NEAR(demand_decay(360 * DAY), 0.25));
	cr_expect(NEAR(demand_decay(-5 * DAY), 1.0), "a future capture date counts as fresh");
}

Test(scores, customer_weight_grows_with_arr_and_doubles_when_strategic)
{
	/* 1 + log10(1 + 0/1000) = 1 */
	cr_expect(NEAR(demand_customer_weight(0, 0), 1.0));
	/* 1 + log10(1 + 9000/1000) = 1 + log10(10) = 2 */
	cr_expect(NEAR(demand_customer_weight(9000, 0), 2.0));
	/* 1 + log10(1 + 99000/1000) = 1 + 2 = 3; strategic x2 = 6 */
	cr_expect(NEAR(demand_customer_weight(99000, 1), 6.0));
}

Test(scores, one_customer_counts_once_with_its_loudest_ask)
{
	/* Customer 7 (ARR 9000 -> w 2) asks twice today: nice (1x1x2 = 2) and
	 * critical (3x1x2 = 6); it counts once, with 6.
	 * Customer 8 (ARR 0 -> w 1, strategic -> 2) asks important 180 days ago:
	 * 2 x 0.5 x 2 = 2.
	 * An anonymous poll answer, important, today: 0.5 x 2 x 1 = 1.
	 * demand = 6 + 2 + 1 = 9; 2 distinct customers; 4 asks. */
	struct demand_ask a[] = {
		{.importance = IMP_NICE, .age_ms = 0, .customer_id = 7, .arr = 9000},
		{.importance = IMP_IMPORTANT, .age_ms = 0, .customer_id = 0},
		{.importance = IMP_CRITICAL, .age_ms = 0, .customer_id = 7, .arr = 9000},
		{.importance = IMP_IMPORTANT, .age_ms = 180 * DAY, .customer_id = 8, .strategic = 1},
	};
	struct demand_result r = demand_score(a, 4);
	cr_expect(NEAR(r.score, 9.0), "score %f", r.score);
	cr_expect(r.customers == 2);
	cr_expect(r.asks == 4);
	cr_expect(NEAR(a[0].weight, 2.0) && NEAR(a[2].weight, 6.0), "per-ask weights, order kept");
	cr_expect(NEAR(a[1].weight, 1.0));
	cr_expect(NEAR(a[3].weight, 2.0));
}

Test(scores, no_asks_no_demand)
{
	struct demand_result r = demand_score(NULL, 0);
	cr_expect(NEAR(r.score, 0) && r.customers == 0 && r.asks == 0);
}

Test(scores, rice_is_reach_times_impact_times_confidence_over_effort)
{
	/* 4 customers x 2 (high) x 0.8 / 5 points = 1.28 */
	struct rice r = {.reach = 4, .impact100 = 200, .confidence = 80, .effort = 5};
	rice_score(&r);
	cr_expect(NEAR(r.score, 1.28), "rice %f", r.score);
	/* 10 x 0.25 x 0.5 / 1 = 1.25 */
	struct rice s = {.reach = 10, .impact100 = 25, .confidence = 50, .effort = 1};
	rice_score(&s);
	cr_expect(NEAR(s.score, 1.25));
	struct rice u = {.reach = 10, .impact100 = 100, .confidence = 100, .effort = 0};
	rice_score(&u);
	cr_expect(u.score < 0, "an unsized issue has no RICE score");
}

Test(scores, parsers_accept_the_documented_forms)
{
	int v;
	cr_expect(importance_parse("critical", &v) == 0 && v == IMP_CRITICAL);
	cr_expect(importance_parse("2", &v) == 0 && v == IMP_IMPORTANT);
	cr_expect(importance_parse("urgent", &v) == -1);
	cr_expect(impact_parse("0.25", &v) == 0 && v == 25);
	cr_expect(impact_parse("massive", &v) == 0 && v == 300);
	cr_expect(impact_parse("4", &v) == -1);
	cr_expect(confidence_parse("80%", &v) == 0 && v == 80);
	cr_expect(confidence_parse("100", &v) == 0 && v == 100);
	cr_expect(confidence_parse("90", &v) == -1);
}
