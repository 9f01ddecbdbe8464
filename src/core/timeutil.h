/*
 * timeutil.h — the clock in unix milliseconds, and ISO-8601 UTC formatting.
 */
#ifndef CAIRN_TIMEUTIL_H
#define CAIRN_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Now: the wall clock, or the instant in CAIRN_NOW (the clock then stands
 * still; for tests and demos only). */
int64_t now_ms(void);
/* The wall clock, whatever CAIRN_NOW says: for scheduling work in real
 * time (retries), never for a rule about dates. */
int64_t wall_ms(void);
/* The wall clock us microseconds from now, as pthread_cond_timedwait takes
 * it (the real-time clock, whatever CAIRN_NOW says). */
struct timespec;
void wall_deadline(int64_t us, struct timespec *at);
/* 0: CAIRN_NOW unset or empty; 1: set and valid; -1: set and invalid.
 * *value is the variable's text (or NULL). */
int clock_env_check(const char **value);
/* Stop the clock at ms (0: the wall clock again); for tests. */
void clock_fix(int64_t ms);
int clock_is_fixed(void);
/* "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ" into unix ms;
 * -1 for anything else, including days that do not exist. */
int parse_instant(const char *s, int64_t *out);
/* "2026-11-29T16:40:00Z" into buf (>= 32 bytes); "" for 0. */
void iso_time(int64_t ms, char *buf, size_t n);

#endif
