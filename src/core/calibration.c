/*
 * calibration.c — cycle times per size against what the size stands for
 * (calibration.h).
 */
#include "core/calibration.h"

#include <stdlib.h>
#include <string.h>

#include "core/plan.h"

static const int sizes[6] = {1, 2, 3, 5, 8, 13};

int working_days_between(int64_t started_day, int64_t done_day)
{
	if (done_day < started_day)
		return 1;
	int n = 0;
	for (int64_t d = started_day; d <= done_day && n < 100000; d++) {
		int wd = day_weekday(d);
		n += wd < 5; /* 0 = Monday .. 6 = Sunday */
	}
	return n > 0 ? n : 1; /* work over a weekend counts one day */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The q-quantile of sorted v[0..n) (linear between ranks). */
static double quantile(const double *v, int n, double q)
{
	if (n == 0)
		return 0;
	double pos = q * (n - 1);
	int lo = (int)pos;
	double frac = pos - lo;
	return lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
}

void calibration_compute(const struct cal_item *items, size_t n, struct cal_size out[6])
{
	double *v = malloc((n ? n : 1) * sizeof *v);
	for (int s = 0; s < 6; s++) {
		struct cal_size *c = &out[s];
		memset(c, 0, sizeof *c);
		c->points = sizes[s];
		c->expected_days = size_working_days(sizes[s]);
		for (size_t k = 0; v && k < n; k++)
			if (items[k].points == sizes[s])
				v[c->n++] = working_days_between(items[k].started_day, items[k].done_day);
		if (!c->n)
			continue;
		qsort(v, (size_t)c->n, sizeof *v, cmp_double);
		c->median = quantile(v, c->n, 0.5);
		c->p25 = quantile(v, c->n, 0.25);
		c->p75 = quantile(v, c->n, 0.75);
		c->ratio = c->expected_days ? c->median / c->expected_days : 0;
		c->verdict = c->n < 3			      ? CAL_FEW
			     : c->median > 1.5 * c->expected_days  ? CAL_UNDER
			     : c->median < 0.67 * c->expected_days ? CAL_OVER
								   : CAL_ON_TARGET;
	}
	free(v);
}

const char *cal_verdict_name(int v)
{
	static const char *const names[] = {"few", "on_target", "under", "over"};
	return v >= 0 && v <= 3 ? names[v] : "";
}
