/*
 * estimation.c — planning poker rules (estimation.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/estimation.h"
#include "core/issue.h"

static const char *const modes[] = {"live", "async"};
static const char *const stages[] = {"dev", "pm"};
static const char *const statuses[] = {"open", "closed"};

static int parse_name(const char *s, const char *const *names, int n, int *out)
{
	for (int k = 0; s && k < n; k++)
		if (strcmp(s, names[k]) == 0) {
			*out = k;
			return 0;
		}
	return -1;
}

const char *est_mode_name(int m) { return m == EST_ASYNC ? modes[1] : modes[0]; }
const char *est_stage_name(int s) { return s == EST_PM ? stages[1] : stages[0]; }
const char *est_status_name(int s) { return s == EST_CLOSED ? statuses[1] : statuses[0]; }
int est_mode_parse(const char *s, int *out) { return parse_name(s, modes, 2, out); }
int est_stage_parse(const char *s, int *out) { return parse_name(s, stages, 2, out); }
int est_status_parse(const char *s, int *out) { return parse_name(s, statuses, 2, out); }

int vote_parse(const char *s, int *points)
{
	if (s && strcmp(s, "?") == 0) {
		*points = VOTE_UNSURE;
		return 0;
	}
	if (!s || !*s || size_parse(s, points))
		return -1;
	return 0;
}

const char *vote_text(int points)
{
	return points == VOTE_UNSURE ? "?" : size_letter(points);
}

int size_step(int points)
{
	static const int scale[] = {1, 2, 3, 5, 8, 13};
	for (int k = 0; k < 6; k++)
		if (scale[k] == points)
			return k;
	return -1;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void vote_stats(const int *votes, size_t n, struct vote_stats *out, int *outlier)
{
	int *sized = n ? malloc(n * sizeof *sized) : NULL;
	size_t m = 0;
	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < n; k++) {
		if (outlier)
			outlier[k] = 0;
		if (size_step(votes[k]) < 0)
			out->unsure++;
		else if (sized)
			sized[m++] = votes[k];
	}
	out->count = (int)m;
	if (!m) {
		free(sized);
		return;
	}
	qsort(sized, m, sizeof sized[0], cmp_int);
	out->min = sized[0];
	out->max = sized[m - 1];
	out->median = sized[m / 2];
	out->spread = size_step(out->max) - size_step(out->min);
	out->consensus = out->min == out->max;
	free(sized);
	int mid = size_step(out->median);
	for (size_t k = 0; outlier && k < n; k++) {
		int s = size_step(votes[k]);
		outlier[k] = s >= 0 && abs(s - mid) >= 2;
	}
}
