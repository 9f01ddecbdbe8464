/*
 * timeutil.c — the clock and ISO-8601 formatting (UTC).
 *
 * The clock is the wall clock unless CAIRN_NOW names an instant: then it
 * stands still there, for the whole process.  Tests and demos use that to
 * run on any date they choose (every rule that depends on "today" asks
 * now_ms()), and to find code that assumes two writes fall in different
 * seconds.  main() checks the variable first (clock_env_check), so a typo
 * is an error, not a silent fall back to the wall clock.
 */
#include "core/timeutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t fixed_ms; /* 0: the wall clock */
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

static void env_read(void)
{
	int64_t ms;
	const char *s = getenv("CAIRN_NOW");
	if (s && *s && parse_instant(s, &ms) == 0)
		atomic_store(&fixed_ms, ms);
}

int parse_instant(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
	size_t len = strlen(s);
	if (len == 10) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
			return -1;
	} else if (len == 20) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
		    used != 20)
			return -1;
	} else {
		return -1;
	}
	if (s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999 || h > 23 || mi > 59 || sec > 59 ||
	    h < 0 || mi < 0 || sec < 0)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			.tm_hour = h, .tm_min = mi, .tm_sec = sec};
	time_t t = timegm(&tm);
	/* timegm normalizes 2027-02-29 to March 1st: refuse what moved */
	if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d)
		return -1;
	*out = (int64_t)t * 1000;
	return 0;
}

int clock_env_check(const char **value)
{
	const char *s = getenv("CAIRN_NOW");
	int64_t ms;
	*value = s;
	if (!s || !*s)
		return 0;
	return parse_instant(s, &ms) ? -1 : 1;
}

void clock_fix(int64_t ms)
{
	pthread_once(&env_once, env_read);
	atomic_store(&fixed_ms, ms);
}

int clock_is_fixed(void)
{
	pthread_once(&env_once, env_read);
	return atomic_load(&fixed_ms) != 0;
}

int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wall_deadline(int64_t us, struct timespec *at)
{
	clock_gettime(CLOCK_REALTIME, at);
	at->tv_sec += us / 1000000;
	at->tv_nsec += (long)(us % 1000000) * 1000L;
	if (at->tv_nsec >= 1000000000L) {
		at->tv_sec++;
		at->tv_nsec -= 1000000000L;
	}
}

int64_t now_ms(void)
{
	pthread_once(&env_once, env_read);
	int64_t f = atomic_load(&fixed_ms);
	if (f)
		return f;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void iso_time(int64_t ms, char *buf, size_t n)
{
	if (ms == 0) {
		if (n)
			buf[0] = '\0';
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
