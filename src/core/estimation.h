/*
 * estimation.h — planning poker rules, no I/O: the statistics of a revealed
 * round (spread, median, outliers, consensus) on the size scale
 * XS S M L XL XXL, and the names of a session's mode, stage and status.
 */
#ifndef CAIRN_ESTIMATION_H
#define CAIRN_ESTIMATION_H

#include <stddef.h>

/* A vote is a size in points (1 2 3 5 8 13) or VOTE_UNSURE ("?"). */
#define VOTE_UNSURE 0
#define VOTES_ALLOWED "XS, S, M, L, XL, XXL or ?"

enum est_mode { EST_LIVE = 0, EST_ASYNC = 1 };
enum est_stage { EST_DEV = 0, EST_PM = 1 };      /* the final size goes to size / pm_size */
enum est_status { EST_OPEN = 0, EST_CLOSED = 1 };

const char *est_mode_name(int m);   /* "live", "async" */
const char *est_stage_name(int s);  /* "dev", "pm" */
const char *est_status_name(int s); /* "open", "closed" */
int est_mode_parse(const char *s, int *out);  /* 0 or -1 */
int est_stage_parse(const char *s, int *out);
int est_status_parse(const char *s, int *out);

/* "?" -> VOTE_UNSURE, else a size (letter or points); 0 or -1. */
int vote_parse(const char *s, int *points);
const char *vote_text(int points); /* "?" for VOTE_UNSURE */

/* Steps on the scale: XS 0 .. XXL 5; -1 for anything else. */
int size_step(int points);

struct vote_stats {
	int count;          /* votes with a size */
	int unsure;         /* "?" votes */
	int min, max;       /* points; 0 when count is 0 */
	int median;         /* points: the upper middle of the sorted sized votes */
	int spread;         /* steps from min to max */
	int consensus;      /* every sized vote the same (and at least one) */
};

/* Statistics of n votes (points or VOTE_UNSURE; out of memory counts
 * every vote unsure).  outlier[k] (n entries,
 * may be NULL) is set to 1 for a sized vote at least two steps from the
 * median. */
void vote_stats(const int *votes, size_t n, struct vote_stats *out, int *outlier);

#endif
