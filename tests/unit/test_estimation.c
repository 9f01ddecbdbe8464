/*
 * test_estimation.c — planning poker statistics on hand-computed rounds.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/estimation.h"

TestSuite(estimation, .fini = fail_on_leaks);

Test(estimation, votes_parse_sizes_and_unsure)
{
	int p = -1;
	cr_expect(eq(int, vote_parse("?", &p), 0));
	cr_expect(eq(int, p, VOTE_UNSURE));
	cr_expect(eq(int, vote_parse("xl", &p), 0));
	cr_expect(eq(int, p, 8));
	cr_expect(eq(int, vote_parse("13", &p), 0));
	cr_expect(eq(int, p, 13));
	cr_expect(eq(int, vote_parse("", &p), -1), "an empty vote is no vote");
	cr_expect(eq(int, vote_parse("4", &p), -1));
	cr_expect(eq(int, vote_parse("??", &p), -1));
	cr_expect(eq(int, vote_parse(NULL, &p), -1));
	cr_expect(eq(str, (char *)vote_text(VOTE_UNSURE), "?"));
	cr_expect(eq(str, (char *)vote_text(5), "L"));
}

Test(estimation, spread_median_outliers)
{
	/* S M M XL: sorted 2 3 3 8, upper middle = 3 (M); XL is 2 steps
	 * from M -> outlier; S is one step -> not; spread S..XL = 3 steps */
	int v[] = {2, 3, 3, 8}, out[4];
	struct vote_stats s;
	vote_stats(v, 4, &s, out);
	cr_expect(eq(int, s.count, 4));
	cr_expect(eq(int, s.unsure, 0));
	cr_expect(eq(int, s.min, 2));
	cr_expect(eq(int, s.max, 8));
	cr_expect(eq(int, s.median, 3));
	cr_expect(eq(int, s.spread, 3));
	cr_expect(eq(int, s.consensus, 0));
	cr_expect(eq(int, out[0], 0));
	cr_expect(eq(int, out[1], 0));
	cr_expect(eq(int, out[2], 0));
	cr_expect(eq(int, out[3], 1));
}

Test(estimation, even_count_takes_the_upper_middle)
{
	/* XS L: sorted 1 5 -> upper middle 5 (L); XS is 3 steps away */
	int v[] = {1, 5}, out[2];
	struct vote_stats s;
	vote_stats(v, 2, &s, out);
	cr_expect(eq(int, s.median, 5));
	cr_expect(eq(int, s.spread, 3));
	cr_expect(eq(int, out[0], 1));
	cr_expect(eq(int, out[1], 0));
}

Test(estimation, unsure_votes_are_counted_apart)
{
	int v[] = {VOTE_UNSURE, 5, 5, VOTE_UNSURE}, out[4];
	struct vote_stats s;
	vote_stats(v, 4, &s, out);
	cr_expect(eq(int, s.count, 2));
	cr_expect(eq(int, s.unsure, 2));
	cr_expect(eq(int, s.consensus, 1), "the sized votes agree");
	cr_expect(eq(int, s.spread, 0));
	cr_expect(eq(int, out[0] + out[1] + out[2] + out[3], 0), "? is never an outlier");
}

Test(estimation, only_unsure_or_no_votes)
{
	int v[] = {VOTE_UNSURE};
	struct vote_stats s;
	vote_stats(v, 1, &s, NULL);
	cr_expect(eq(int, s.count, 0));
	cr_expect(eq(int, s.unsure, 1));
	cr_expect(eq(int, s.consensus, 0), "no sized vote is no consensus");
	cr_expect(eq(int, s.median, 0));
	vote_stats(NULL, 0, &s, NULL);
	cr_expect(eq(int, s.count + s.unsure, 0));
}
