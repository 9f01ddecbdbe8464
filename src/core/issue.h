/*
 * issue.h — the issue entity and its pure rules: enums with their wire
 * names, size parsing (letter or number), field limits, validation of
 * titles and labels.  No I/O.
 *
 * Wire values are stable: never renumber the enums (they are stored).
 */
#ifndef CAIRN_ISSUE_H
#define CAIRN_ISSUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum issue_type {
	ISSUE_EPIC = 1,
	ISSUE_STORY = 2,
	ISSUE_TASK = 3,
	ISSUE_BUG = 4,
	ISSUE_FEATURE = 5,
	ISSUE_SECURITY = 6,
};

enum issue_state { ISSUE_OPEN = 0, ISSUE_CLOSED = 1 };

enum priority { PRIO_NONE = 0, PRIO_HIGH = 1, PRIO_MEDIUM = 2, PRIO_LOW = 3 };

enum role {
	ROLE_ADMIN = 1,
	ROLE_PM = 2,
	ROLE_CTO = 3,
	ROLE_EM = 4,
	ROLE_ENGINEER = 5,
	ROLE_VIEWER = 6,
};

#define TITLE_MAX 256      /* bytes */
#define BODY_MAX 65536     /* bytes */
#define LABEL_MAX 64       /* bytes per label */
#define LABELS_MAX 32      /* labels per issue */
#define LOGIN_MAX 64

struct issue {
	int64_t id;
	int64_t number;
	enum issue_type type;
	char *title; /* owned */
	char *body;  /* owned, markdown, may be "" */
	char *body_html; /* owned, body rendered safe (stored; NULL in lists) */
	enum issue_state state;
	enum priority priority;
	int pm_size; /* points, 0 = unset */
	int size;    /* points, 0 = unset */
	char **labels; /* owned array of owned strings, sorted, unique */
	size_t nlabels;
	int64_t parent;      /* parent issue number, 0 = none */
	int64_t assignee_id; /* 0 = none */
	char *assignee;      /* owned login or NULL */
	int64_t reporter_id;
	char *reporter;      /* owned login or NULL */
	int64_t created_at, updated_at, closed_at; /* unix ms, 0 = null */
	int64_t version;
	/* triage (core/triage.h, core/cvss.h) */
	int board;          /* enum board; 0 = no_status, the inbox */
	int bug_severity;   /* 0 none, 1..4 = S1..S4 */
	char *cvss;         /* owned normalized vector or NULL */
	int cvss_score;     /* x10; -1 = none */
	int severity;       /* enum severity (security issues) */
	int64_t fix_by;     /* unix ms, 0 = none */
	int64_t triaged_at; /* unix ms, 0 = never */
	int64_t duplicate_of; /* issue number, 0 = none */
	char *close_reason; /* owned or NULL */
	/* RICE inputs set by hand (core/scores.h); -1 / 0 = use the default */
	int rice_reach;      /* -1 = distinct customers from insights */
	int rice_impact;     /* x100 (25..300), 0 = default */
	int rice_confidence; /* percent (50, 80, 100), 0 = default */
	/* planning (core/plan.h) */
	int dev_status;          /* enum dev_status, 0 = not on the dev board */
	int64_t board_position;  /* order within the product board column */
	int64_t dev_position;    /* order within the development board column */
	int64_t milestone_id;    /* 0 = none */
	char *milestone;         /* owned title or NULL */
	int64_t area_id;         /* epics only, 0 = none */
	int64_t started_at, done_at; /* unix ms, 0 = null */
	int64_t expected_day;    /* UTC day number, 0 = none */
	int dod;                 /* enum dod_bit mask */
	/* derived when read for display (not stored) */
	int rollup;              /* see plan_rollup; 0 = not computed or none */
	int double_booked;
	int booked_below;        /* double-booked items in its subtree */
	char *snippet; /* owned: a search's highlighted match (HTML), or NULL */
};

/* Free what an issue owns and zero it.  Safe on a zeroed issue. */
void issue_release(struct issue *i);

/* Deep copy src into *dst (zeroed or released). */
int issue_copy(struct issue *dst, const struct issue *src);

/* Name <-> value.  *_name never returns NULL ("" for none/unknown).
 * *_parse return 0 and set *out, or -1 on an unknown name. */
const char *issue_type_name(enum issue_type t);
int issue_type_parse(const char *s, enum issue_type *out);
const char *issue_state_name(enum issue_state s);
int issue_state_parse(const char *s, enum issue_state *out);
const char *priority_name(enum priority p); /* PRIO_NONE -> "" */
int priority_parse(const char *s, enum priority *out); /* "" or "none" -> NONE */
const char *role_name(enum role r);
int role_parse(const char *s, enum role *out);

/* Sizes: accepts XS S M L XL XXL (any case) or 1 2 3 5 8 13; "" -> 0
 * (unset).  Returns 0 and *points, or -1. */
int size_parse(const char *s, int *points);
/* Letter for valid points ("" for 0 or invalid). */
const char *size_letter(int points);
/* The message used everywhere an invalid size is refused. */
#define SIZE_ALLOWED "XS,S,M,L,XL,XXL or 1,2,3,5,8,13"

/* Effective size: size if set, else pm_size. */
int issue_effective_size(const struct issue *i);

/* Validation: return 0 or set e (CAIRN_EINVALID, field) and return it. */
int title_check(const char *title, struct err *e);
int body_check(const char *body, struct err *e);
int label_check(const char *label, struct err *e);
int login_check(const char *login, struct err *e);

/* Sort and de-duplicate a label array in place; frees dropped duplicates
 * when owned != 0.  Returns the new count. */
size_t labels_normalize(char **labels, size_t n, int owned);

/* What each role may do: the permission table, core/perm.h. */

#endif
