/*
 * tiers.h — pricing tiers, no I/O: the buyer-based open-core suggestion of
 * a tier for a feature from the buyers behind its asks, with its reason
 * stated in numbers, and the parsing of a tier list.
 *
 * The rule (DESIGN.md §2): a feature whose demand comes mostly from
 * individual contributors belongs in the lowest tier, from managers in the
 * middle one, from executives in the top one.  Without any ask from a known
 * buyer level, the tiers of the customers who asked decide (the tier most of
 * them are on); without either, there is no suggestion.
 */
#ifndef CAIRN_TIERS_H
#define CAIRN_TIERS_H

#include <stddef.h>

#define TIERS_MAX 8
#define TIER_NAME_MAX 32

/* The evidence behind one feature: asks by buyer level (individual,
 * manager, executive) and asks by the asking customer's tier (index into
 * the tier list; customers on no listed tier are not counted). */
struct tier_evidence {
	int by_level[3];
	int by_tier[TIERS_MAX];
};

/* The suggested tier index (0 = lowest) for ntiers tiers, or -1 when there
 * is no evidence; reason gets one sentence with the numbers, e.g. "7 of 9
 * asks come from managers → Premium" or "no asks with a known buyer or a
 * customer on a tier".  Levels map onto the tiers evenly: with 3 tiers
 * individual/manager/executive are 0/1/2; with 2, 0/0/1 (round down from
 * the middle); with 4, 0/1/3 (ends pinned, the middle rounded).  A tie
 * between levels goes to the lower tier (the cheaper plan, the open core). */
int tier_suggest(const struct tier_evidence *ev, const char *const *tiers, int ntiers, char *reason,
		 size_t cap);

/* A tier list "Starter,Premium,Enterprise" (or one per line) into names
 * (each 1..TIER_NAME_MAX bytes, unique, at most TIERS_MAX): the count, or -1
 * with a reason in why. */
int tiers_parse(const char *text, char names[TIERS_MAX][TIER_NAME_MAX + 1], char *why, size_t cap);

#endif
