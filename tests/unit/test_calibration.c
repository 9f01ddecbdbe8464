/*
 * test_calibration.c — cycle times per size on hand-computed cases.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/calibration.h"
#include "core/plan.h"

TestSuite(calibration, .fini = fail_on_leaks);

/* 2026-12-07 is a Monday */
#define MON 20794

Test(calibration, working_days_skip_weekends)
{
	cr_assert(eq(int, day_weekday(MON), 0), "the fixture day is a Monday");
	cr_expect(eq(int, working_days_between(MON, MON), 1));
	cr_expect(eq(int, working_days_between(MON, MON + 4), 5), "Mon..Fri");
	cr_expect(eq(int, working_days_between(MON, MON + 7), 6), "Mon..next Mon");
	cr_expect(eq(int, working_days_between(MON + 5, MON + 6), 1), "a weekend counts one day");
	cr_expect(eq(int, working_days_between(MON + 3, MON), 1), "done before start");
}

Test(calibration, median_quartiles_and_verdicts_per_size)
{
	/* M (3 points, 3 working days): 3, 4, 10, 11 -> median 7 > 4.5: under;
	 * L (5, 5 days): 1, 2, 2 -> median 2 < 3.35: over;
	 * S (2, 1 day): 1 -> few;  XS: none */
	struct cal_item items[] = {
		{3, MON, MON + 2}, {3, MON, MON + 3}, {3, MON, MON + 11}, {3, MON, MON + 14},
		{5, MON, MON}, {5, MON, MON + 1}, {5, MON + 1, MON + 2}, {2, MON, MON}, {4, MON, MON},
	};
	struct cal_size out[6];
	calibration_compute(items, sizeof items / sizeof items[0], out);
	cr_expect(eq(int, out[0].n, 0));
	cr_expect(eq(int, out[1].n, 1));
	cr_expect(eq(int, out[1].verdict, CAL_FEW));
	struct cal_size *m = &out[2];
	cr_expect(eq(int, m->n, 4));
	cr_expect(eq(int, m->expected_days, 3));
	cr_expect(eq(dbl, m->median, 7.0));
	cr_expect(eq(dbl, m->p25, 3.75));
	cr_expect(eq(dbl, m->p75, 10.25));
	cr_expect(eq(int, m->verdict, CAL_UNDER));
	struct cal_size *l = &out[3];
	cr_expect(eq(int, l->n, 3));
	cr_expect(eq(dbl, l->median, 2.0));
	cr_expect(eq(int, l->verdict, CAL_OVER));
	cr_expect(eq(str, (char *)cal_verdict_name(CAL_UNDER), "under"));
}

Test(calibration, on_target_within_the_band)
{
	struct cal_item items[] = {{8, MON, MON + 11}, {8, MON, MON + 13}, {8, MON, MON + 9}};
	struct cal_size out[6];
	calibration_compute(items, 3, out);
	cr_expect(eq(int, out[4].expected_days, 10));
	cr_expect(eq(dbl, out[4].median, 10.0));
	cr_expect(eq(int, out[4].verdict, CAL_ON_TARGET));
}
