/*
 * scores.c — demand and RICE (formulas in scores.h).
 */
#include "core/scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>

double demand_decay(int64_t age_ms)
{
	double days = age_ms > 0 ? (double)age_ms / 86400000.0 : 0.0;
	return pow(0.5, days / DEMAND_HALF_LIFE_DAYS);
}

double demand_customer_weight(int64_t arr, int strategic)
{
	double w = 1.0 + log10(1.0 + (double)(arr > 0 ? arr : 0) / 1000.0);
	return strategic ? 2.0 * w : w;
}

struct demand_result demand_score(struct demand_ask *asks, size_t n)
{
	struct demand_result r = {0, 0, 0};
	for (size_t k = 0; k < n; k++) {
		struct demand_ask *a = &asks[k];
		a->weight = 0;
		if (a->importance < IMP_NICE || a->importance > IMP_CRITICAL)
			continue;
		r.asks++;
		if (!a->customer_id) {
			a->weight = 0.5 * a->importance * demand_decay(a->age_ms);
			r.score += a->weight;
			continue;
		}
		a->weight = a->importance * demand_decay(a->age_ms) *
			    demand_customer_weight(a->arr, a->strategic);
	}
	/* each customer counts once: their loudest, freshest ask */
	for (size_t k = 0; k < n; k++) {
		const struct demand_ask *a = &asks[k];
		if (!a->customer_id || a->weight <= 0)
			continue;
		int first = 1;
		double best = a->weight;
		for (size_t j = 0; j < n; j++) {
			if (j == k || asks[j].customer_id != a->customer_id)
				continue;
			if (j < k)
				first = 0;
			if (asks[j].weight > best)
				best = asks[j].weight;
		}
		if (first) {
			r.score += best;
			r.customers++;
		}
	}
	return r;
}

void rice_score(struct rice *r)
{
	if (r->effort <= 0) {
		r->score = -1;
		return;
	}
	r->score = (double)r->reach * (r->impact100 / 100.0) * (r->confidence / 100.0) / r->effort;
}

int importance_parse(const char *s, int *out)
{
	static const char *const names[] = {"", "nice", "important", "critical"};
	if (!s)
		return -1;
	for (int k = 1; k <= 3; k++)
		if (!strcasecmp(s, names[k]) || (s[0] == '0' + k && !s[1])) {
			*out = k;
			return 0;
		}
	return -1;
}

const char *importance_name(int imp)
{
	static const char *const names[] = {"", "nice", "important", "critical"};
	return imp >= 1 && imp <= 3 ? names[imp] : "";
}

int impact_parse(const char *s, int *out)
{
	static const struct {
		const char *num, *word;
		int v;
	} t[] = {{"0.25", "minimal", 25}, {"0.5", "low", 50},    {"1", "medium", 100},
		 {"2", "high", 200},      {"3", "massive", 300}};
	if (!s)
		return -1;
	for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
		if (!strcmp(s, t[k].num) || !strcasecmp(s, t[k].word) ||
		    (!strcmp(t[k].num, "0.5") && !strcmp(s, "0.50")) ||
		    (t[k].v >= 100 && strlen(s) == 3 && s[0] == t[k].num[0] && !strcmp(s + 1, ".0"))) {
			*out = t[k].v;
			return 0;
		}
	return -1;
}

int confidence_parse(const char *s, int *out)
{
	static const int ok[] = {50, 80, 100};
	if (!s)
		return -1;
	for (size_t k = 0; k < 3; k++) {
		char a[8], b[8];
		snprintf(a, sizeof a, "%d", ok[k]);
		snprintf(b, sizeof b, "%d%%", ok[k]);
		if (!strcmp(s, a) || !strcmp(s, b)) {
			*out = ok[k];
			return 0;
		}
	}
	return -1;
}
