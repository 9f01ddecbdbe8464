/*
 * test_timeutil.c — unit tests of core/timeutil: ISO-8601 UTC formatting
 * of unix milliseconds and the wall clock.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/timeutil.h"

TestSuite(iso_time, .fini = fail_on_leaks);
TestSuite(now_ms, .fini = fail_on_leaks);

Test(iso_time, zero_means_no_time_and_gives_empty_string)
{
	char buf[32];
	memset(buf, 'x', sizeof buf);
	iso_time(0, buf, sizeof buf);
	cr_expect(eq(str, buf, ""));
}

Test(iso_time, known_instants_format_exactly)
{
	const struct {
		int64_t ms;
		const char *iso;
	} cases[] = {
		{1700000000000, "2023-11-14T22:13:20Z"},
		{1795970400000, "2026-11-29T16:40:00Z"}, /* the header's example */
		{951782400000, "2000-02-29T00:00:00Z"},  /* leap day */
		{1704067199000, "2023-12-31T23:59:59Z"}, /* end of year */
		{4102444800000, "2100-01-01T00:00:00Z"}, /* past 2038 */
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char buf[32];
		iso_time(cases[k].ms, buf, sizeof buf);
		cr_expect(eq(str, buf, (char *)cases[k].iso), "%lld ms", (long long)cases[k].ms);
	}
}

Test(iso_time, milliseconds_are_truncated_not_rounded)
{
	char buf[32];
	iso_time(1700000000999, buf, sizeof buf);
	cr_expect(eq(str, buf, "2023-11-14T22:13:20Z"));
}

Test(iso_time, first_millisecond_after_epoch_is_a_real_time)
{
	char buf[32];
	iso_time(1, buf, sizeof buf);
	cr_expect(eq(str, buf, "1970-01-01T00:00:00Z"), "only exactly 0 means 'no time'");
}

Test(iso_time, zero_with_zero_sized_buffer_writes_nothing)
{
	char c = 'x';
	iso_time(0, &c, 0);
	cr_expect(eq(chr, c, 'x'));
}

Test(now_ms, is_a_plausible_current_time_in_milliseconds)
{
	int64_t a = now_ms();
	cr_expect(a > 1700000000000LL, "after Nov 2023: %lld", (long long)a);
	cr_expect(a < 4102444800000LL, "before 2100, so it is ms not us: %lld", (long long)a);
}

/* ---------- parse_instant: what CAIRN_NOW accepts ---------- */

TestSuite(parse_instant, .fini = fail_on_leaks);

Test(parse_instant, a_day_is_midnight_utc_and_an_instant_is_to_the_second)
{
	int64_t ms = 0;
	cr_assert(eq(int, parse_instant("2026-12-07", &ms), 0));
	cr_expect(eq(i64, ms, 1796601600000LL));
	cr_assert(eq(int, parse_instant("2026-12-07T12:00:00Z", &ms), 0));
	cr_expect(eq(i64, ms, 1796601600000LL + 12 * 3600000LL));
	cr_assert(eq(int, parse_instant("2028-02-29T23:59:59Z", &ms), 0), "a leap day exists");
	char buf[32];
	iso_time(ms, buf, sizeof buf);
	cr_expect(eq(str, buf, "2028-02-29T23:59:59Z"));
}

Test(parse_instant, refuses_days_that_do_not_exist_and_other_shapes)
{
	const char *bad[] = {"2027-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-12-07T24:00:00Z",
			     "2026-12-07T12:60:00Z", "2026-12-07T12:00:00", "2026-12-07 12:00:00Z",
			     "2026-12-07T12:00:00+01:00", "26-12-07", "2026-12-7", "", "now", "1969-12-31",
			     "2026-12-07T12:00:00Zjunk", "+2026-12-07"};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		int64_t ms = 42;
		cr_expect(eq(int, parse_instant(bad[k], &ms), -1), "'%s' refused", bad[k]);
		cr_expect(eq(i64, ms, 42), "'%s' leaves the output alone", bad[k]);
	}
}

Test(now_ms, a_fixed_clock_stands_still_and_can_be_released)
{
	int64_t was_fixed = clock_is_fixed() ? now_ms() : 0;
	clock_fix(1796601600000LL);
	cr_expect(eq(i64, now_ms(), 1796601600000LL));
	cr_expect(eq(i64, now_ms(), 1796601600000LL), "two reads, one instant");
	cr_expect(clock_is_fixed());
	clock_fix(0);
	cr_expect(not(clock_is_fixed()));
	cr_expect(gt(i64, now_ms(), 1700000000000LL), "the wall clock again");
	clock_fix(was_fixed); /* as CAIRN_NOW left it, for the other tests */
}
