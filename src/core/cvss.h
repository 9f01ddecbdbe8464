/*
 * cvss.h — CVSS scores and severities, exactly as FIRST's specifications
 * define them.  Pure: no I/O.
 *
 * CVSS 3.0 and 3.1 (https://www.first.org/cvss/v3.1/specification-document,
 * https://www.first.org/cvss/v3.0/specification-document): the base,
 * temporal and environmental scores of section 7 (3.0: section 8), each
 * version with its own Roundup.  A vector is "CVSS:3.1/" (or "CVSS:3.0/")
 * then the eight base metrics, each exactly once, and any of the temporal
 * (E, RL, RC) and environmental (CR, IR, AR, MAV ... MA) metrics at most
 * once, in any order (section 6: the order of Table 15 is preferred, not
 * required).
 *
 * CVSS 4.0 (https://www.first.org/cvss/v4.0/specification-document): the
 * MacroVector scoring of section 8, one score named by the metric groups
 * given (CVSS-B, CVSS-BT, CVSS-BE, CVSS-BTE).  A vector is "CVSS:4.0/" then
 * the eleven base metrics, then any of the threat (E), environmental (CR ...
 * MSA) and supplemental (S, AU, R, V, RE, U) metrics, each at most once and
 * in the specification's order (section 7, Table 23).  Supplemental metrics
 * are accepted and kept in the vector but never change the score.
 *
 * In every version a metric given as X (Not Defined) is the same as the
 * metric left out; the normalized vector leaves it out.
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

enum cvss_version { CVSS_V3_0 = 30, CVSS_V3_1 = 31, CVSS_V4_0 = 40 };

/* Metric groups given with a value other than X (struct cvss .groups). */
enum {
	CVSS_G_THREAT = 1,        /* 3.x temporal (E, RL, RC); 4.0 threat (E) */
	CVSS_G_ENVIRONMENTAL = 2, /* CR, IR, AR and the modified base metrics */
	CVSS_G_SUPPLEMENTAL = 4,  /* 4.0 only: S, AU, R, V, RE, U */
};

/* Cap on a vector's length, plus one: the longest valid vector, 4.0 with
 * every metric given, is 178 bytes. */
#define CVSS_VECTOR_MAX 256

struct cvss {
	enum cvss_version version;
	/* The most specific score given, x10 (0..100): 3.x environmental if
	 * any environmental metric is given, else temporal if any temporal
	 * metric is, else base; 4.0 its one score.  It sets the severity and
	 * the security SLA. */
	int score10;
	enum severity severity; /* of score10 */
	int base10;             /* 3.x base score; 4.0 the score (= score10) */
	int temporal10;         /* 3.x, -1 unless a temporal metric is given */
	int environmental10;    /* 3.x, -1 unless an environmental metric is given */
	unsigned groups;        /* CVSS_G_* */
	char vector[CVSS_VECTOR_MAX]; /* normalized: prefix + defined metrics in spec order */
};

/* Parse and score a vector.  On error returns CAIRN_EINVALID with e->field
 * "cvss" and a message naming the offending metric or part, e.g.
 * "cvss: AV must be one of N,A,L,P (got X)" or "cvss: missing metric PR";
 * *out is then untouched. */
int cvss_parse(const char *vector, struct cvss *out, struct err *e);

/* "3.0", "3.1", "4.0". */
const char *cvss_version_name(enum cvss_version v);

/* 4.0: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE" (specification section
 * 1.3, from .groups); NULL for 3.x. */
const char *cvss_nomenclature(const struct cvss *c);

/* CVSS 3.1's Roundup (Appendix A): smallest number, to one decimal, >= x,
 * with x first counted in 1/100000ths; returned x10. */
int cvss_roundup10(double x);

/* CVSS 3.0's Roundup (section 8.4): the smallest number, to one decimal,
 * >= x, taken mathematically (binary noise below 1e-7 of a tenth absorbed);
 * returned x10.  Differs from the 3.1 one only for x within 5e-6 above a
 * tenth, which no 3.0 formula can produce (see cvss.c). */
int cvss_roundup10_v30(double x);

/* Severity of a score x10 (qualitative rating scale, the same in 3.x and 4.0). */
enum severity cvss_severity(int score10);

/* "none" "low" "medium" "high" "critical"; parse accepts any case. */
const char *severity_name(enum severity s);
int severity_parse(const char *s, enum severity *out);

#endif
