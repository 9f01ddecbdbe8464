/*
 * calibration.h — how long work of each size really took, no I/O: for the
 * items finished with a size, their cycle time (start of work to done, in
 * working days) per size — count, median, quartiles — against the working
 * days the size stands for, and a verdict on whether the team under- or
 * over-estimates that size.
 */
#ifndef CAIRN_CALIBRATION_H
#define CAIRN_CALIBRATION_H

#include <stddef.h>
#include <stdint.h>

/* One finished item: its effective size in points and its cycle time. */
struct cal_item {
	int points;
	int64_t started_day, done_day; /* UTC day numbers */
};

enum cal_verdict { CAL_FEW = 0, CAL_ON_TARGET = 1, CAL_UNDER = 2, CAL_OVER = 3 };

struct cal_size {
	int points;        /* 1 2 3 5 8 13 */
	int expected_days; /* working days the size stands for (size_working_days) */
	int n;             /* items finished with this size */
	double median, p25, p75; /* cycle time in working days */
	double ratio;      /* median / expected */
	int verdict;       /* under: median > 1.5 x expected; over: < 0.67 x; few: n < 3 */
};

/* Working days from started_day to done_day (Mon-Fri; the same day = 1,
 * a day before start = 1). */
int working_days_between(int64_t started_day, int64_t done_day);

/* out[6] for sizes 1 2 3 5 8 13, from n items (others are ignored). */
void calibration_compute(const struct cal_item *items, size_t n, struct cal_size out[6]);
const char *cal_verdict_name(int v); /* "few", "on_target", "under", "over" */

#endif
