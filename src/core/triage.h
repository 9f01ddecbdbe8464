/*
 * triage.h — the product board (the planning horizon every issue has; the
 * triage inbox is its No Status column), bug severities, and the security
 * fix-by rule (severity -> SLA days).  Pure rules, no I/O.
 */
#ifndef CAIRN_TRIAGE_H
#define CAIRN_TRIAGE_H

#include <stdint.h>

#include "core/cvss.h"
#include "core/err.h"

/* Stored values: never renumber. */
enum board {
	BOARD_NO_STATUS = 0, /* the triage inbox: every new issue lands here */
	BOARD_UNDER_REVIEW = 1,
	BOARD_NEXT = 2,
	BOARD_SHORT = 3,
	BOARD_MEDIUM = 4,
	BOARD_LONG = 5,
	BOARD_ICEBOX = 6,
	BOARD_STARTED = 7,
	BOARD_CLOSED = 8,
};

/* "no_status", "under_review", "next", ... ("" for an unknown value). */
const char *board_name(enum board b);
int board_parse(const char *s, enum board *out);
/* The horizons a triage decision may set (next, short, medium, long). */
int board_is_horizon(enum board b);

/* The label that puts an issue back in the triage inbox from any column. */
#define INBOX_LABEL "needs-triage"
struct issue;
/* In the triage inbox: open, and on No Status or labelled INBOX_LABEL. */
int issue_in_inbox(const struct issue *i);

/* Bug severity: 0 none, 1..4 = S1 (critical) .. S4 (minor).
 * Accepts "S1".."S4" (any case) or "1".."4"; "" -> 0. */
int bug_severity_parse(const char *s, int *out);
const char *bug_severity_name(int sev); /* "S1".."S4", "" for 0 */

/* Days to fix a security issue, by severity (index = enum severity). */
struct sla {
	int days[5];
};
#define SLA_DEFAULTS {{0, 180, 90, 30, 7}}

/* Parse "critical=7,high=30,medium=90,low=180" (any subset, any order)
 * over *sla.  Days must be 1..3650.  Error field "sla_days". */
int sla_parse(const char *text, struct sla *sla, struct err *e);
/* Format as "critical=7,high=30,medium=90,low=180" into buf. */
void sla_format(const struct sla *sla, char *buf, unsigned long cap);

/* The fix-by time for a security issue reported at reported_ms with this
 * severity; 0 when there is none (severity none). */
int64_t sla_fix_by(const struct sla *sla, enum severity s, int64_t reported_ms);

/* A fix-by date is met until the end of that day (UTC): an issue is
 * overdue when its fix_by is before the start of today.  Days left counts
 * calendar days from today to the fix-by day (negative when overdue). */
int64_t day_start_ms(int64_t ms);
int64_t sla_days_left(int64_t fix_by_ms, int64_t now_ms);

#endif
