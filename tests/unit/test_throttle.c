/*
 * test_throttle.c — the login backoff on hand-computed cases.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/throttle.h"

TestSuite(throttle, .fini = fail_on_leaks);

Test(throttle, free_failures_then_doubling_then_capped)
{
	cr_expect(eq(i64, throttle_wait_ms(0, 5), 0));
	cr_expect(eq(i64, throttle_wait_ms(4, 5), 0), "the first four are free");
	cr_expect(eq(i64, throttle_wait_ms(5, 5), 1000), "the fifth: one second");
	cr_expect(eq(i64, throttle_wait_ms(6, 5), 2000));
	cr_expect(eq(i64, throttle_wait_ms(9, 5), 16000));
	cr_expect(eq(i64, throttle_wait_ms(14, 5), 512000));
	cr_expect(eq(i64, throttle_wait_ms(15, 5), THROTTLE_MAX_MS), "1024 s is past 15 min");
	cr_expect(eq(i64, throttle_wait_ms(1000, 5), THROTTLE_MAX_MS), "no overflow");
	cr_expect(eq(i64, throttle_wait_ms(19, 20), 0));
	cr_expect(eq(i64, throttle_wait_ms(20, 20), 1000));
}

Test(throttle, failures_are_forgotten_after_a_quiet_while)
{
	int64_t t = 1800000000000LL;
	cr_expect(eq(int, throttle_carry(7, t, t + THROTTLE_FORGET_MS - 1), 7));
	cr_expect(eq(int, throttle_carry(7, t, t + THROTTLE_FORGET_MS), 0));
	cr_expect(eq(int, throttle_carry(-3, t, t), 0));
}

Test(throttle, retry_after_rounds_up_to_whole_seconds)
{
	cr_expect(eq(i64, throttle_retry_after_s(10000, 10000), 1), "never 0");
	cr_expect(eq(i64, throttle_retry_after_s(10001, 10000), 1));
	cr_expect(eq(i64, throttle_retry_after_s(12001, 10000), 3));
}
