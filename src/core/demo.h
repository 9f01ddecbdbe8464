/*
 * demo.h — a deterministic generator of a believable demo product: epics
 * with stories and tasks, bugs, feature requests and security issues,
 * with markdown bodies, labels, sizes, priorities and dates.  Pure: the
 * same seed gives the same records; cmd_demo stores them through the
 * service layer.
 */
#ifndef CAIRN_DEMO_H
#define CAIRN_DEMO_H

#include <stddef.h>
#include <stdint.h>

/* The demo's milestone calendar: a year of 4-week milestones (13 past, 364
 * days), the current one and the next.  Issues are filed from a week before
 * the first one starts, so a year of shipped work shows in the allocation. */
#define DEMO_MILESTONES 15
#define DEMO_CURRENT 13
#define DEMO_SPAN_DAYS (DEMO_CURRENT * 28 + 17)

#define DEMO_AREAS_MAX 8

struct demo_issue {
	int64_t number; /* the number it will get (generated in order from 1) */
	const char *type;
	char title[160];
	char body[1200];
	const char *priority; /* "" for none */
	const char *pm_size;  /* "" for none */
	const char *size;     /* "" for none */
	char labels[4][40];
	size_t nlabels;
	int64_t parent;       /* 0 for none */
	const char *assignee; /* login or NULL */
	const char *reporter; /* login */
	int64_t created_at;   /* unix ms */
	int closed;
	/* triage: most older issues are triaged; the newest wait in the inbox */
	const char *board;        /* "no_status", "next", ... */
	int64_t triaged_at;       /* unix ms, 0 = not triaged */
	const char *bug_severity; /* "S1".."S4" or "" */
	const char *cvss;         /* a CVSS 3.1 vector or "" */
	/* planning */
	int area;                 /* epics: index into demo_area_name, -1 none */
	const char *dev_status;   /* "" = not on the development board */
	int64_t started_at, done_at; /* unix ms, 0 = none */
	int points;               /* effective size (0 = unsized) */
	int dod;                  /* definition-of-done items ticked (enum dod_bit) */
	struct demo_scope {
		int milestone;    /* index into the demo calendar */
		int64_t added_at, removed_at; /* removed_at 0 = still in */
		const char *slip_reason;      /* NULL = none */
	} scope[DEMO_MILESTONES];
	int nscope;
};

struct demo_user {
	const char *login;
	const char *name;
	const char *role;
};

/* The demo team (several users of every role); ends with a NULL login. */
extern const struct demo_user demo_users[];

struct demo_gen {
	uint64_t state, seed;
	int64_t next_number;
	int64_t total;
	int64_t now_ms;
	/* current block */
	int64_t epic, story;
	int block_left;
	int area;
	char story_title[160]; /* the current story: its tasks are named after it */
	int story_parts;       /* tasks filed under it so far */
	char deck[32];         /* the kinds of the block's items (demo.c: deal) */
	int dealt;
	/* areas come round in a shuffled order, each block the next one; each
	 * area's hand-written titles are used in turn (see demo.c: qualify) */
	int order[DEMO_AREAS_MAX], order_left;
	int64_t used[DEMO_AREAS_MAX][5]; /* per area: epics, stories, features, bugs, security */
	/* planning: the calendar (UTC days) and the points given to each */
	uint64_t plan_state; /* a separate stream: planning never shifts the issues */
	int64_t ms_start[DEMO_MILESTONES], ms_due[DEMO_MILESTONES];
	int ms_capacity[DEMO_MILESTONES], ms_load[DEMO_MILESTONES];
	int ms_security[DEMO_MILESTONES]; /* points of security fixes shipped in each */
	int current_k; /* the current milestone's work, dealt over the columns in turn */
	int current_n; /* items placed in the current milestone so far */
};

/* The demo's pillars and their areas (the area:* labels). */
int demo_area_count(void);
const char *demo_area_name(int k);
int demo_area_pillar(int k); /* index into demo_pillars */
extern const char *const demo_pillars[]; /* ends with NULL */
/* Milestone k's title ("2.18" ... "2.32": the current one is "2.31"). */
void demo_milestone_title(int k, char *buf, size_t cap);

struct demo_customer {
	const char *name, *tier;
	long long arr;
	int seats, strategic;
};
struct demo_persona {
	const char *name, *description, *buyer_level;
};
extern const struct demo_customer demo_customers[]; /* ends with a NULL name */
extern const struct demo_persona demo_personas[];   /* ends with a NULL name */

/* One piece of customer feedback, linked to an existing issue. */
struct demo_insight {
	const char *source, *category, *customer, *persona, *importance;
	const char *opener; /* "Customer asks", ... (to title a linked ask) */
	char title[160];
	char body[600];
	int64_t captured_at;
	int64_t issue; /* the issue number it asks for */
	int hot;       /* >= 0: ask for the hot-th most wanted open feature instead */
	int bug_ok;    /* it may stay on a bug (customers report bugs too, seldom) */
	int processed;
};
/* Word a linked insight after the issue it asks for: the customer's words
 * about that feature, story or bug (found by its title).  Returns 0 when
 * the title is not one of the demo's (then d keeps its own words). */
int demo_insight_about(struct demo_insight *d, const char *issue_title);
/* The next insight about one of total_issues issues (after demo_next). */
void demo_insight_next(struct demo_gen *g, int64_t total_issues, struct demo_insight *out);

/* Start generating total issues from seed; now_ms anchors the dates. */
void demo_init(struct demo_gen *g, uint64_t seed, int64_t total, int64_t now_ms);
/* Fill *out with the next issue; returns 0 when all were generated. */
int demo_next(struct demo_gen *g, struct demo_issue *out);

#endif
