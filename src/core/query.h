/*
 * query.h — the issue-list query language, parsed into a structure.
 *
 * Grammar (whitespace separated terms, values may be double-quoted):
 *   is:open | is:closed | type:T | priority:P (or priority:none) |
 *   board:B (no_status, next, ...) | severity:S (none..critical for
 *   security issues, S1..S4 for bugs) | sort:oldest | sort:newest |
 *   sort:K or sort:-K (K number, title, type, priority, state, updated;
 *   "-" the other way round: descending, priority low to high) |
 *   dev:S (todo, in_progress, ..., none) | milestone:ID (or none) |
 *   label:L | free words (a full-text search of titles, bodies and
 *   comments: see core/search.h).
 *
 * Version 2 adds (docs/API.md "Query language" is the user's reference):
 *   assignee:@me | assignee:LOGIN | reporter:@me | reporter:LOGIN |
 *   milestone:TITLE (or an id) | initiative:TITLE (or an id) | area:NAME |
 *   customer:NAME (issues with insights from that customer) |
 *   tier:T (issues with insights from customers of that tier) |
 *   size:N, size:>=N, size:<N ... (the effective size in points) |
 *   created:OP WHEN | updated:OP WHEN | fix_by:OP WHEN, where OP is one of
 *   > >= < <= (or nothing: equal, a whole day for a date) and WHEN is a
 *   date YYYY-MM-DD (UTC), an instant YYYY-MM-DDTHH:MM[:SS]Z, "now", or
 *   an age Nh/Nd/Nw (updated:<7d: updated less than 7 days ago) |
 *   no:K (K one of assignee, reporter, milestone, size, label, area,
 *   initiative, customer, tier, priority, dev) |
 *   -K:V (negation of any filter but sort and the comparisons) |
 *   K:A,B (OR within a qualifier: label:a,b matches either) |
 *   sort:K-asc | sort:K-desc (K also created, size, rice, demand; rice
 *   and demand alone mean highest first; unscored issues come last).
 * Every error sets e->position to where the offending text starts.
 * The store turns a parsed query into SQL with bound parameters only;
 * user text never reaches the SQL string.
 */
#ifndef CAIRN_QUERY_H
#define CAIRN_QUERY_H

#include "core/err.h"
#include <stdint.h>

#include "core/issue.h"

#define QUERY_MAX_LEN 1024
#define QUERY_MAX_TERMS 16

/* The list's order: the key of sort:K.  Ties go newest first. */
enum query_sort {
	QS_NUMBER = 0, QS_TITLE, QS_TYPE, QS_PRIORITY, QS_STATE, QS_UPDATED,
	QS_CREATED, QS_SIZE, QS_RICE, QS_DEMAND
};

#define QUERY_MAX_OR 8    /* values in one K:A,B,... */
#define QUERY_MAX_CONDS 16 /* version-2 conditions in one query */

/* The qualifiers kept as conditions (struct query_cond). */
enum query_key {
	QK_STATE = 0, QK_TYPE, QK_PRIORITY, QK_BOARD, QK_DEV, QK_LABEL, QK_ASSIGNEE,
	QK_REPORTER, QK_MILESTONE, QK_AREA, QK_INITIATIVE, QK_CUSTOMER, QK_TIER,
	QK_SIZE, QK_CREATED, QK_UPDATED, QK_FIX_BY
};

enum query_op { QOP_EQ = 0, QOP_LT, QOP_LE, QOP_GT, QOP_GE };

/* One version-2 condition: key (not) in {values}, no:key, or key OP value.
 * For set keys vals[k] holds the text (a login, "@me", a title, a name)
 * and nums[k] its number (an enum code, or an id when the text is all
 * digits, else 0).  For size nums[0] is points; for the times nums[0] is
 * unix ms and, for a whole day compared for equality, nums[1] the end of
 * the day (exclusive).  Times are resolved against the parse's now. */
struct query_cond {
	int key;  /* enum query_key */
	int neg;  /* -key:... */
	int none; /* no:key */
	int op;   /* enum query_op (size and the times) */
	int nvals;
	char *vals[QUERY_MAX_OR]; /* owned */
	int64_t nums[QUERY_MAX_OR];
};

struct issue_query {
	int state;    /* -1 any, else enum issue_state */
	int type;     /* -1 any, else enum issue_type */
	int priority; /* -1 any, else enum priority (PRIO_NONE = no priority) */
	int board;    /* -1 any, else enum board */
	int severity; /* -1 any, else enum severity (security issues) */
	int bug_severity; /* -1 any, else 1..4 */
	int dev;      /* -1 any, else enum dev_status (0 = not on the dev board) */
	int64_t milestone; /* -1 any, 0 = none, else a milestone id */
	int inbox;    /* set by the service: the triage inbox (not in the language) */
	int oldest_first; /* order by number ascending instead of newest first */
	int sort_by;      /* enum query_sort; QS_NUMBER: by number (oldest_first) */
	int sort_desc;    /* sort_by other than QS_NUMBER: the other way round */
	int64_t count_cap; /* set by the service: count at most this many (0: exact) */
	char *labels[QUERY_MAX_TERMS]; /* owned; all must be present */
	int nlabels;
	char *words[QUERY_MAX_TERMS]; /* owned; full-text search terms (core/search.h) */
	int nwords;
	struct query_cond conds[QUERY_MAX_CONDS]; /* all must hold */
	int nconds;
	int64_t now; /* the parse's now (unix ms): demand's age of an insight */
	int uses_now; /* a condition or the order depends on now: the result
			 * may change with the clock alone, without a write */
};

/* *q matching every issue (no condition, newest first): what a store
 * query that is not parsed from text starts from.  A zeroed query is not
 * that: its dev 0 and milestone 0 mean "not on the dev board" and "no
 * milestone". */
void query_any(struct issue_query *q);

/* Parse q (may be NULL or "") into *out (which need not be initialized).
 * On error sets e (CAIRN_EINVALID, field "q") and leaves *out empty.
 * Caller calls query_release. */
int query_parse(const char *q, struct issue_query *out, struct err *e);
/* The same, with now (unix ms, the op's clock) for the relative times
 * (updated:<7d, fix_by:<now) and for sort:demand. */
int query_parse_at(const char *q, int64_t now, struct issue_query *out, struct err *e);
void query_release(struct issue_query *q);

#endif
