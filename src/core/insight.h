/*
 * insight.h — customers, personas and insights (product feedback): the
 * entities and their enums with wire names.  Pure; no I/O.  Stored
 * values never change meaning.
 */
#ifndef CAIRN_INSIGHT_H
#define CAIRN_INSIGHT_H

#include <stdint.h>

#include "core/err.h"

enum insight_source {
	SRC_CALL = 1, SRC_SUPPORT = 2, SRC_POLL = 3, SRC_COMMUNITY = 4, SRC_SALES = 5, SRC_OTHER = 6,
};
/* Support categories (0 = none). */
enum insight_category {
	CAT_NONE = 0, CAT_PRODUCT_ISSUE = 1, CAT_BILLING = 2, CAT_FEATURE_REQUEST = 3,
	CAT_GENERAL = 4, CAT_PERFORMANCE = 5, CAT_DASHBOARD = 6, CAT_HOW_TO = 7,
};
enum insight_state { INSIGHT_NEW = 0, INSIGHT_PROCESSED = 1, INSIGHT_ANSWERED = 2 };
enum buyer_level { BUYER_INDIVIDUAL = 1, BUYER_MANAGER = 2, BUYER_EXECUTIVE = 3 };

#define CUSTOMER_NAME_MAX 128
#define TIER_MAX 32
#define PERSONA_DESC_MAX 1024
#define URL_MAX 2048

struct customer {
	int64_t id;
	char name[CUSTOMER_NAME_MAX + 1];
	char tier[TIER_MAX + 1];
	int64_t arr; /* annual recurring revenue, whole currency units */
	int seats;
	int strategic;
	int64_t created_at;
};

struct persona {
	int64_t id;
	char name[CUSTOMER_NAME_MAX + 1];
	char description[PERSONA_DESC_MAX + 1];
	int buyer_level; /* enum buyer_level */
	int64_t created_at;
};

struct insight {
	int64_t id;
	int source, category, state;
	int64_t customer_id, persona_id; /* 0 = none */
	char *customer, *persona;        /* owned names or NULL */
	char *title, *body, *url;        /* owned; url may be NULL */
	int64_t captured_at, created_at, answered_at;
	char *answered_by; /* owned login of who told the customer, or NULL */
	int importance; /* when read through a link: that link's importance */
};
void insight_release(struct insight *i);

const char *insight_source_name(int v);
int insight_source_parse(const char *s, int *out);
const char *insight_category_name(int v); /* "" for none */
int insight_category_parse(const char *s, int *out); /* "" -> none */
const char *insight_state_name(int v);
int insight_state_parse(const char *s, int *out);
const char *buyer_level_name(int v);
int buyer_level_parse(const char *s, int *out);
/* The default tiers, lowest first: Starter, Premium, Enterprise. */
int tier_parse(const char *s, const char **canonical);

#endif
