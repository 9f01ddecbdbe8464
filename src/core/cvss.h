/*
 * cvss.h — CVSS v3.1 base scores and severities, exactly as FIRST's
 * specification defines them (https://www.first.org/cvss/v3.1/specification-document),
 * including its Roundup function (section 7.4 / Appendix A: the integer
 * formulation that avoids floating-point surprises).  Pure: no I/O.
 *
 * A vector looks like "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H": the
 * prefix, then the eight base metrics, each exactly once, in any order.
 * "CVSS:3.0/" prefixes are accepted and scored with the 3.1 formula (as
 * FIRST's calculator does for base scores).  Temporal/environmental metrics
 * are refused for now (base score only).
 */
#ifndef CAIRN_CVSS_H
#define CAIRN_CVSS_H

#include "core/err.h"

enum severity {
	SEV_NONE = 0,     /* 0.0 */
	SEV_LOW = 1,      /* 0.1 - 3.9 */
	SEV_MEDIUM = 2,   /* 4.0 - 6.9 */
	SEV_HIGH = 3,     /* 7.0 - 8.9 */
	SEV_CRITICAL = 4, /* 9.0 - 10.0 */
};

#define CVSS_VECTOR_MAX 128

struct cvss {
	int score10;            /* base score x 10: 0..100 (9.8 -> 98) */
	enum severity severity; /* from the score */
	char vector[CVSS_VECTOR_MAX]; /* normalized: prefix + metrics in spec order */
};

/* Parse and score a vector.  On error returns CAIRN_EINVALID with e->field
 * "cvss" and a message naming the offending metric or part, e.g.
 * "cvss: AV must be one of N,A,L,P (got X)" or "cvss: missing metric PR". */
int cvss_parse(const char *vector, struct cvss *out, struct err *e);

/* The spec's Roundup: smallest number, to one decimal, >= x; returned x10. */
int cvss_roundup10(double x);

/* Severity of a score x10 (qualitative rating scale, spec section 5). */
enum severity cvss_severity(int score10);

/* "none" "low" "medium" "high" "critical"; parse accepts any case. */
const char *severity_name(enum severity s);
int severity_parse(const char *s, enum severity *out);

#endif
