/*
 * timeutil.h — wall clock in unix milliseconds and ISO-8601 UTC formatting.
 */
#ifndef CAIRN_TIMEUTIL_H
#define CAIRN_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t now_ms(void);
/* "2026-11-29T16:40:00Z" into buf (>= 32 bytes); "" for 0. */
void iso_time(int64_t ms, char *buf, size_t n);

#endif
