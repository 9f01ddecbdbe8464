/*
 * scores.h — demand and RICE, the two ways the backlog is ranked.  Pure
 * arithmetic; every score comes with the numbers that produced it.
 *
 * Demand (from the insights linked to an issue):
 *
 *   demand = Σ over distinct customers c:  w(c) × max over c's insights i of imp(i) × decay(i)
 *          + Σ over insights without a customer:  0.5 × imp(i) × decay(i)
 *
 *   imp(i)   = 1 nice, 2 important, 3 critical
 *   decay(i) = 0.5 ^ (age in days / 180)          (an insight half as loud after ~6 months)
 *   w(c)     = (1 + log10(1 + ARR / 1000)) × (2 if strategic else 1)
 *
 * A customer asking five times counts once (their loudest, freshest ask);
 * ARR counts with diminishing returns; strategic customers count double.
 *
 * RICE = Reach × Impact × Confidence ÷ Effort
 *   Reach      distinct customers from the insights, unless set by hand
 *   Impact     0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive   (default 1)
 *   Confidence 50, 80 or 100 %                                        (default 80)
 *   Effort     the effective size in points; unsized -> no RICE score
 */
#ifndef CAIRN_SCORES_H
#define CAIRN_SCORES_H

#include <stddef.h>
#include <stdint.h>

#define DEMAND_HALF_LIFE_DAYS 180
#define RICE_DEFAULT_IMPACT 100     /* x100: 1.0 */
#define RICE_DEFAULT_CONFIDENCE 80  /* percent */

enum importance { IMP_NICE = 1, IMP_IMPORTANT = 2, IMP_CRITICAL = 3 };

/* One linked insight as the demand formula sees it. */
struct demand_ask {
	int importance;      /* enum importance */
	int64_t age_ms;      /* now - captured_at (negative counts as 0) */
	int64_t customer_id; /* 0 = no customer (a persona or anonymous) */
	int64_t arr;         /* the customer's ARR in whole currency units */
	int strategic;
	double weight;       /* out: this ask's contribution before the max per customer */
};

struct demand_result {
	double score;
	int customers; /* distinct customers */
	int asks;      /* insights counted */
};

double demand_decay(int64_t age_ms);
double demand_customer_weight(int64_t arr, int strategic);
/* Computes the score; fills asks[k].weight (imp x decay x customer
 * weight, or x 0.5 without a customer).  The order of asks is kept. */
struct demand_result demand_score(struct demand_ask *asks, size_t n);

struct rice {
	int reach;      /* people/customers */
	int impact100;  /* 25, 50, 100, 200, 300 */
	int confidence; /* 50, 80, 100 */
	int effort;     /* points; 0 = unsized */
	double score;   /* out; -1 when effort is 0 */
};
void rice_score(struct rice *r);

/* "nice" "important" "critical" (any case) or 1..3. */
int importance_parse(const char *s, int *out);
const char *importance_name(int imp);
/* 0.25/0.5/1/2/3 or minimal/low/medium/high/massive -> x100. */
int impact_parse(const char *s, int *out);
/* 50/80/100 with or without '%'. */
int confidence_parse(const char *s, int *out);

#endif
