/*
 * tiers.c — the buyer-based open-core suggestion (tiers.h).
 */
#include "core/tiers.h"

#include <stdio.h>
#include <string.h>

static const char *const level_plural[] = {"individual contributors", "managers", "executives"};

/* The tier of a buyer level (0..2) among n tiers. */
static int tier_of_level(int level, int n)
{
	if (n <= 1)
		return 0;
	if (level == 0)
		return 0;
	if (level == 2)
		return n - 1;
	return (n - 1) / 2; /* the middle, rounded down */
}

int tier_suggest(const struct tier_evidence *ev, const char *const *tiers, int ntiers, char *reason,
		 size_t cap)
{
	int total = 0, best = -1;
	if (cap)
		reason[0] = '\0';
	if (ntiers < 1 || ntiers > TIERS_MAX) {
		snprintf(reason, cap, "no tiers are defined");
		return -1;
	}
	for (int k = 0; k < 3; k++) {
		total += ev->by_level[k];
		if (ev->by_level[k] > 0 && (best < 0 || ev->by_level[k] > ev->by_level[best]))
			best = k; /* strict: a tie keeps the lower level */
	}
	if (best >= 0) {
		int t = tier_of_level(best, ntiers), ties = 0;
		for (int k = 0; k < 3; k++)
			ties += ev->by_level[k] == ev->by_level[best];
		if (ties > 1)
			snprintf(reason, cap,
				 "the asks are split (%d individual, %d manager, %d executive): the "
				 "lower tier → %s",
				 ev->by_level[0], ev->by_level[1], ev->by_level[2], tiers[t]);
		else
			snprintf(reason, cap, "%d of %d asks come from %s → %s", ev->by_level[best],
				 total, level_plural[best], tiers[t]);
		return t;
	}
	int ctotal = 0, cbest = -1;
	for (int k = 0; k < ntiers; k++) {
		ctotal += ev->by_tier[k];
		if (ev->by_tier[k] > 0 && (cbest < 0 || ev->by_tier[k] > ev->by_tier[cbest]))
			cbest = k;
	}
	if (cbest >= 0) {
		snprintf(reason, cap, "no ask names a buyer; %d of %d asking customers are on %s → %s",
			 ev->by_tier[cbest], ctotal, tiers[cbest], tiers[cbest]);
		return cbest;
	}
	snprintf(reason, cap, "no evidence: no ask from a known buyer or a customer on a tier");
	return -1;
}

int tiers_parse(const char *text, char names[TIERS_MAX][TIER_NAME_MAX + 1], char *why, size_t cap)
{
	int n = 0;
	const char *p = text ? text : "";
	if (cap)
		why[0] = '\0';
	while (*p) {
		const char *end = p + strcspn(p, ",\n");
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		const char *e = end;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		size_t len = (size_t)(e - p);
		if (len == 0 || len > TIER_NAME_MAX) {
			snprintf(why, cap, "a tier name is 1..%d bytes", TIER_NAME_MAX);
			return -1;
		}
		if (n == TIERS_MAX) {
			snprintf(why, cap, "at most %d tiers", TIERS_MAX);
			return -1;
		}
		for (size_t k = 0; k < len; k++)
			if ((unsigned char)p[k] < 0x20) {
				snprintf(why, cap, "a tier name is one line of text");
				return -1;
			}
		memcpy(names[n], p, len);
		names[n][len] = '\0';
		for (int k = 0; k < n; k++)
			if (!strcmp(names[k], names[n])) {
				snprintf(why, cap, "the tier '%s' is named twice", names[n]);
				return -1;
			}
		n++;
		p = *end ? end + 1 : end;
	}
	if (n == 0) {
		snprintf(why, cap, "at least one tier");
		return -1;
	}
	return n;
}
