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
enum query_sort { QS_NUMBER = 0, QS_TITLE, QS_TYPE, QS_PRIORITY, QS_STATE, QS_UPDATED };

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
};

/* Parse q (may be NULL or "") into *out (which need not be initialized).
 * On error sets e (CAIRN_EINVALID, field "q") and leaves *out empty.
 * Caller calls query_release. */
int query_parse(const char *q, struct issue_query *out, struct err *e);
void query_release(struct issue_query *q);

#endif
