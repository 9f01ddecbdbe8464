/*
 * throttle.c — login backoff rules (throttle.h).
 */
#include "core/throttle.h"

int64_t throttle_wait_ms(int failures, int free)
{
	if (failures < free)
		return 0;
	int doublings = failures - free;
	if (doublings > 20)
		return THROTTLE_MAX_MS;
	int64_t ms = 1000LL << doublings;
	return ms < THROTTLE_MAX_MS ? ms : THROTTLE_MAX_MS;
}

int throttle_carry(int failures, int64_t last_at, int64_t now)
{
	if (failures < 0 || now - last_at >= THROTTLE_FORGET_MS)
		return 0;
	return failures;
}

int64_t throttle_retry_after_s(int64_t until, int64_t now)
{
	int64_t ms = until - now;
	int64_t s = (ms + 999) / 1000;
	return s < 1 ? 1 : s;
}
