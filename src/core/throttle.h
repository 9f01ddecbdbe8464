/*
 * throttle.h — how long to refuse logins after failures, no I/O.  Counted
 * per account and per client address; each key is free for its first
 * failures, then waits 1 s, 2 s, 4 s ... (doubling per failure) up to
 * THROTTLE_MAX_MS.  Failures are forgotten THROTTLE_FORGET_MS after the
 * last one.
 */
#ifndef CAIRN_THROTTLE_H
#define CAIRN_THROTTLE_H

#include <stdint.h>

#define THROTTLE_ACCOUNT_FREE 5  /* failed logins to one account before a wait */
#define THROTTLE_ADDRESS_FREE 20 /* failed logins from one address before a wait */
#define THROTTLE_MAX_MS (15LL * 60 * 1000)
#define THROTTLE_FORGET_MS (15LL * 60 * 1000)

/* The wait after the failures-th failure of a key that is free for `free`
 * failures: 0 while failures < free, then 1 s doubling, capped. */
int64_t throttle_wait_ms(int failures, int free);

/* The failure count to build on: the stored one, or 0 when the last
 * failure was long enough ago (now - last_at >= THROTTLE_FORGET_MS). */
int throttle_carry(int failures, int64_t last_at, int64_t now);

/* Whole seconds to announce in Retry-After for a lock until `until`
 * (at least 1). */
int64_t throttle_retry_after_s(int64_t until, int64_t now);

#endif
