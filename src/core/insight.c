/*
 * insight.c — names of the insight enums (see insight.h).
 */
#include "core/insight.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sources[] = {"", "call", "support", "poll", "community", "sales", "other"};
static const char *const categories[] = {"",	     "product_issue", "billing",	"feature_request",
					 "general", "performance",   "dashboard", "how_to"};
static const char *const states[] = {"new", "processed", "answered"};
static const char *const buyers[] = {"", "individual", "manager", "executive"};
static const char *const tiers[] = {"Starter", "Premium", "Enterprise"};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int find(const char *const *names, int n, int from, const char *s, int *out)
{
	if (!s)
		return -1;
	for (int k = from; k < n; k++)
		if (!strcasecmp(s, names[k])) {
			*out = k;
			return 0;
		}
	return -1;
}

const char *insight_source_name(int v) { return v > 0 && v < N(sources) ? sources[v] : ""; }
int insight_source_parse(const char *s, int *out) { return find(sources, N(sources), 1, s, out); }
const char *insight_category_name(int v) { return v > 0 && v < N(categories) ? categories[v] : ""; }
int insight_category_parse(const char *s, int *out)
{
	if (s && !*s) {
		*out = CAT_NONE;
		return 0;
	}
	return find(categories, N(categories), 1, s, out);
}
const char *insight_state_name(int v) { return v >= 0 && v < N(states) ? states[v] : ""; }
int insight_state_parse(const char *s, int *out) { return find(states, N(states), 0, s, out); }
const char *buyer_level_name(int v) { return v > 0 && v < N(buyers) ? buyers[v] : ""; }
int buyer_level_parse(const char *s, int *out) { return find(buyers, N(buyers), 1, s, out); }

int tier_parse(const char *s, const char **canonical)
{
	int k;
	if (find(tiers, N(tiers), 0, s, &k))
		return -1;
	*canonical = tiers[k];
	return 0;
}

void insight_release(struct insight *i)
{
	if (!i)
		return;
	free(i->customer);
	free(i->persona);
	free(i->title);
	free(i->body);
	free(i->url);
	free(i->answered_by);
	memset(i, 0, sizeof *i);
}
