/*
 * cvss.c — CVSS 3.0, 3.1 and 4.0 vectors and scores (see cvss.h).
 *
 * Parsing is one routine for every version, driven by a table of metrics
 * per version: a vector is checked component by component, left to right,
 * and the first fault is reported; missing base metrics are reported once
 * every component has been read.
 *
 * CVSS 3.x.  The formulas are those of the 3.1 specification's section 7
 * (3.0: section 8) with the weights of section 7.4, evaluated in double
 * precision in the order FIRST's calculators use, then rounded with the
 * version's Roundup.  3.0 and 3.1 differ in two places: the environmental
 * Modified Impact when the modified scope is Changed (3.1 multiplies MISS
 * by 0.9731 and raises to the 13th power, 3.0 raises MISS - 0.02 to the
 * 15th), and Roundup (3.1's Appendix A counts in 1/100000ths; 3.0 takes
 * the mathematical ceiling to one decimal).  The two Roundups disagree only
 * for an input within 5e-6 above a tenth, and exact rational arithmetic over
 * every reachable input shows none comes that close: the nearest base or
 * (modified) impact-plus-exploitability sum lies 2.6e-5 above a tenth, and a
 * temporal product (a score to one decimal times three weights to two) is a
 * multiple of 1e-8 that never lands in (0, 5e-6] above one.  So both
 * versions score alike wherever their formulas agree.
 *
 * CVSS 4.0.  Section 8.2's MacroVector scoring: the six equivalence classes
 * (EQ1 ... EQ6) of the vector's effective values name a MacroVector, whose
 * score comes from FIRST's lookup table; the score is then lowered, by
 * interpolation, by the mean over the EQs of how far the vector lies below
 * the highest-severity vectors of its MacroVector, as a proportion of the
 * MacroVector's depth times the score gap to the next lower MacroVector.
 * The tables (MacroVector scores, highest-severity vectors, depths) are
 * FIRST's, transcribed below from the reference implementation.  The
 * arithmetic is done in double precision in the same order as FIRST's
 * calculator, with its round-half-up to one decimal, so that the result is
 * the calculator's to the last bit (tests/unit/test_cvss.c checks all
 * 104,976 base vectors against it).
 *
 * Messages may quote what the caller sent; quoted text is cut short and
 * reduced to printable ASCII so that an error body stays valid UTF-8.
 */
#include "core/cvss.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum group { G_BASE, G_THREAT, G_ENV, G_SUPP };

#define VALUES_MAX 5

struct metric {
	const char *name;
	enum group group;
	const char *values[VALUES_MAX]; /* X first for every non-base metric */
	double weight[VALUES_MAX];      /* 3.x weights, per value */
};

/* ------------------------------------------------------------- CVSS 3.x */

/* Table 15 order (3.1 section 6; 3.0 the same). */
enum {
	M3_AV, M3_AC, M3_PR, M3_UI, M3_S, M3_C, M3_I, M3_A,
	M3_E, M3_RL, M3_RC,
	M3_CR, M3_IR, M3_AR, M3_MAV, M3_MAC, M3_MPR, M3_MUI, M3_MS, M3_MC, M3_MI, M3_MA,
	M3_COUNT
};

/* Weights: 3.1 section 7.4 (3.0 section 8.4 has the same values).  PR's
 * are those of Scope Unchanged; a modified metric's values are X then the
 * base metric's, in the same order, so value k of MAV is value k-1 of AV. */
static const struct metric metrics3[M3_COUNT] = {
	[M3_AV] = {"AV", G_BASE, {"N", "A", "L", "P"}, {0.85, 0.62, 0.55, 0.2}},
	[M3_AC] = {"AC", G_BASE, {"L", "H"}, {0.77, 0.44}},
	[M3_PR] = {"PR", G_BASE, {"N", "L", "H"}, {0.85, 0.62, 0.27}},
	[M3_UI] = {"UI", G_BASE, {"N", "R"}, {0.85, 0.62}},
	[M3_S] = {"S", G_BASE, {"U", "C"}, {0, 0}},
	[M3_C] = {"C", G_BASE, {"H", "L", "N"}, {0.56, 0.22, 0}},
	[M3_I] = {"I", G_BASE, {"H", "L", "N"}, {0.56, 0.22, 0}},
	[M3_A] = {"A", G_BASE, {"H", "L", "N"}, {0.56, 0.22, 0}},
	[M3_E] = {"E", G_THREAT, {"X", "H", "F", "P", "U"}, {1, 1, 0.97, 0.94, 0.91}},
	[M3_RL] = {"RL", G_THREAT, {"X", "U", "W", "T", "O"}, {1, 1, 0.97, 0.96, 0.95}},
	[M3_RC] = {"RC", G_THREAT, {"X", "C", "R", "U"}, {1, 1, 0.96, 0.92}},
	[M3_CR] = {"CR", G_ENV, {"X", "H", "M", "L"}, {1, 1.5, 1, 0.5}},
	[M3_IR] = {"IR", G_ENV, {"X", "H", "M", "L"}, {1, 1.5, 1, 0.5}},
	[M3_AR] = {"AR", G_ENV, {"X", "H", "M", "L"}, {1, 1.5, 1, 0.5}},
	[M3_MAV] = {"MAV", G_ENV, {"X", "N", "A", "L", "P"}, {0}},
	[M3_MAC] = {"MAC", G_ENV, {"X", "L", "H"}, {0}},
	[M3_MPR] = {"MPR", G_ENV, {"X", "N", "L", "H"}, {0}},
	[M3_MUI] = {"MUI", G_ENV, {"X", "N", "R"}, {0}},
	[M3_MS] = {"MS", G_ENV, {"X", "U", "C"}, {0}},
	[M3_MC] = {"MC", G_ENV, {"X", "H", "L", "N"}, {0}},
	[M3_MI] = {"MI", G_ENV, {"X", "H", "L", "N"}, {0}},
	[M3_MA] = {"MA", G_ENV, {"X", "H", "L", "N"}, {0}},
};

/* PR when Scope is Changed (same value order as metrics3[M3_PR].values). */
static const double pr_changed[3] = {0.85, 0.68, 0.5};

#define SCOPE_CHANGED 1 /* index of 'C' in metrics3[M3_S].values */

/* ------------------------------------------------------------- CVSS 4.0 */

/* Table 23 order (4.0 section 7), which a 4.0 vector must follow. */
enum {
	M4_AV, M4_AC, M4_AT, M4_PR, M4_UI, M4_VC, M4_VI, M4_VA, M4_SC, M4_SI, M4_SA,
	M4_E,
	M4_CR, M4_IR, M4_AR, M4_MAV, M4_MAC, M4_MAT, M4_MPR, M4_MUI,
	M4_MVC, M4_MVI, M4_MVA, M4_MSC, M4_MSI, M4_MSA,
	M4_S, M4_AU, M4_R, M4_V, M4_RE, M4_U,
	M4_COUNT
};

static const struct metric metrics4[M4_COUNT] = {
	[M4_AV] = {"AV", G_BASE, {"N", "A", "L", "P"}, {0}},
	[M4_AC] = {"AC", G_BASE, {"L", "H"}, {0}},
	[M4_AT] = {"AT", G_BASE, {"N", "P"}, {0}},
	[M4_PR] = {"PR", G_BASE, {"N", "L", "H"}, {0}},
	[M4_UI] = {"UI", G_BASE, {"N", "P", "A"}, {0}},
	[M4_VC] = {"VC", G_BASE, {"H", "L", "N"}, {0}},
	[M4_VI] = {"VI", G_BASE, {"H", "L", "N"}, {0}},
	[M4_VA] = {"VA", G_BASE, {"H", "L", "N"}, {0}},
	[M4_SC] = {"SC", G_BASE, {"H", "L", "N"}, {0}},
	[M4_SI] = {"SI", G_BASE, {"H", "L", "N"}, {0}},
	[M4_SA] = {"SA", G_BASE, {"H", "L", "N"}, {0}},
	[M4_E] = {"E", G_THREAT, {"X", "A", "P", "U"}, {0}},
	[M4_CR] = {"CR", G_ENV, {"X", "H", "M", "L"}, {0}},
	[M4_IR] = {"IR", G_ENV, {"X", "H", "M", "L"}, {0}},
	[M4_AR] = {"AR", G_ENV, {"X", "H", "M", "L"}, {0}},
	[M4_MAV] = {"MAV", G_ENV, {"X", "N", "A", "L", "P"}, {0}},
	[M4_MAC] = {"MAC", G_ENV, {"X", "L", "H"}, {0}},
	[M4_MAT] = {"MAT", G_ENV, {"X", "N", "P"}, {0}},
	[M4_MPR] = {"MPR", G_ENV, {"X", "N", "L", "H"}, {0}},
	[M4_MUI] = {"MUI", G_ENV, {"X", "N", "P", "A"}, {0}},
	[M4_MVC] = {"MVC", G_ENV, {"X", "H", "L", "N"}, {0}},
	[M4_MVI] = {"MVI", G_ENV, {"X", "H", "L", "N"}, {0}},
	[M4_MVA] = {"MVA", G_ENV, {"X", "H", "L", "N"}, {0}},
	[M4_MSC] = {"MSC", G_ENV, {"X", "H", "L", "N"}, {0}},
	[M4_MSI] = {"MSI", G_ENV, {"X", "S", "H", "L", "N"}, {0}},
	[M4_MSA] = {"MSA", G_ENV, {"X", "S", "H", "L", "N"}, {0}},
	[M4_S] = {"S", G_SUPP, {"X", "N", "P"}, {0}},
	[M4_AU] = {"AU", G_SUPP, {"X", "N", "Y"}, {0}},
	[M4_R] = {"R", G_SUPP, {"X", "A", "U", "I"}, {0}},
	[M4_V] = {"V", G_SUPP, {"X", "D", "C"}, {0}},
	[M4_RE] = {"RE", G_SUPP, {"X", "L", "M", "H"}, {0}},
	[M4_U] = {"U", G_SUPP, {"X", "Clear", "Green", "Amber", "Red"}, {0}},
};

#define METRICS_MAX M4_COUNT

/* ------------------------------------------------------------- versions */

struct version {
	const char *prefix; /* with the '/' */
	enum cvss_version v;
	const struct metric *metrics;
	int count;
	int ordered; /* metrics must follow the table's order */
};

static const struct version versions[] = {
	{"CVSS:3.1/", CVSS_V3_1, metrics3, M3_COUNT, 0},
	{"CVSS:3.0/", CVSS_V3_0, metrics3, M3_COUNT, 0},
	{"CVSS:4.0/", CVSS_V4_0, metrics4, M4_COUNT, 1},
};
#define PREFIX_LEN 9

#define SHOWN_MAX 20 /* bytes of caller text quoted in a message */

/* Copy s[0..len) into buf for a message: at most SHOWN_MAX bytes, anything
 * but printable ASCII shown as '?', "..." when cut. */
static void shown(char *buf, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && i < SHOWN_MAX && n + 1 < cap; i++) {
		unsigned char ch = (unsigned char)s[i];
		buf[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	buf[n] = '\0';
	if (len > SHOWN_MAX && n + 4 <= cap)
		snprintf(buf + n, cap - n, "...");
}

static int name_is(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && memcmp(name, s, len) == 0;
}

static int find_metric(const struct version *ver, const char *s, size_t len)
{
	for (int m = 0; m < ver->count; m++)
		if (name_is(ver->metrics[m].name, s, len))
			return m;
	return -1;
}

/* "N,A,L,P" for a metric's allowed values. */
static void allowed_values(const struct metric *mt, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int k = 0; k < VALUES_MAX && mt->values[k] && n < cap; k++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? "," : "", mt->values[k]);
}

/* "AV, AC, PR, ..." for the metrics of a version (base ones only if asked). */
static void metric_list(const struct version *ver, int base_only, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int m = 0; m < ver->count && n < cap; m++)
		if (!base_only || ver->metrics[m].group == G_BASE)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", m ? ", " : "",
					      ver->metrics[m].name);
}

static int check_prefix(const char *vector, const struct version **ver, struct err *e)
{
	char got[SHOWN_MAX + 4];
	for (size_t k = 0; k < N(versions); k++)
		if (strncmp(vector, versions[k].prefix, PREFIX_LEN) == 0) {
			*ver = &versions[k];
			return 0;
		}
	size_t len = strcspn(vector, "/");
	shown(got, sizeof got, vector, len);
	if (strncmp(vector, "CVSS:", 5) == 0) {
		int known = 0;
		for (size_t k = 0; k < N(versions); k++)
			if (name_is(got, versions[k].prefix, PREFIX_LEN - 1))
				known = 1;
		if (!known)
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: unsupported version %s (expected CVSS:3.1/, CVSS:3.0/ "
				       "or CVSS:4.0/)",
				       got);
	} else if (strncasecmp(vector, "CVSS:", 5) == 0) {
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: missing prefix: '%s' must be upper case (CVSS:3.1/, CVSS:4.0/)",
			       got);
	}
	return err_set(e, CAIRN_EINVALID, "cvss",
		       "cvss: missing prefix: a vector starts with CVSS:3.1/ or CVSS:4.0/ then the "
		       "metrics");
}

static int unknown_metric(const struct version *ver, const char *s, size_t nlen, struct err *e)
{
	char got[SHOWN_MAX + 4], list[256];
	shown(got, sizeof got, s, nlen);
	for (int k = 0; k < ver->count; k++)
		if (strlen(ver->metrics[k].name) == nlen &&
		    strncasecmp(ver->metrics[k].name, s, nlen) == 0)
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: unknown metric '%s' (metric names are upper case: %s)",
				       got, ver->metrics[k].name);
	metric_list(ver, 0, list, sizeof list);
	return err_set(e, CAIRN_EINVALID, "cvss", "cvss: unknown metric '%s' (CVSS %s metrics are %s)",
		       got, cvss_version_name(ver->v), list);
}

/* Record one NAME:VALUE component s[0..len) into idx[]; *last is the table
 * position of the previous metric (for versions with a required order). */
static int parse_component(const struct version *ver, const char *s, size_t len,
			   int idx[METRICS_MAX], int *last, struct err *e)
{
	char got[SHOWN_MAX + 4];
	const char *colon = memchr(s, ':', len);
	if (!colon) {
		shown(got, sizeof got, s, len);
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: '%s' is not a metric (expected NAME:VALUE, e.g. AV:N)", got);
	}
	size_t nlen = (size_t)(colon - s), vlen = len - nlen - 1;
	const char *value = colon + 1;
	int m = find_metric(ver, s, nlen);
	if (m < 0)
		return unknown_metric(ver, s, nlen, e);
	const struct metric *mt = &ver->metrics[m];
	if (idx[m] >= 0)
		return err_set(e, CAIRN_EINVALID, "cvss", "cvss: duplicate metric %s", mt->name);
	if (ver->ordered && m < *last)
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: %s must come before %s (CVSS %s metrics go in the "
			       "specification's order)",
			       mt->name, ver->metrics[*last].name, cvss_version_name(ver->v));
	int hit = -1;
	for (int k = 0; k < VALUES_MAX && mt->values[k]; k++)
		if (name_is(mt->values[k], value, vlen))
			hit = k;
	if (hit < 0) {
		char allowed[48];
		allowed_values(mt, allowed, sizeof allowed);
		shown(got, sizeof got, value, vlen);
		return err_set(e, CAIRN_EINVALID, "cvss", "cvss: %s must be one of %s (got %s)",
			       mt->name, allowed, vlen ? got : "nothing");
	}
	idx[m] = hit;
	*last = m;
	return 0;
}

/* Split the text after the prefix on '/' and record every component. */
static int parse_components(const struct version *ver, const char *p, int idx[METRICS_MAX],
			    struct err *e)
{
	int last = 0;
	if (*p == '\0') {
		char list[128];
		metric_list(ver, 1, list, sizeof list);
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: no metrics after the prefix (expected %s)", list);
	}
	for (;;) {
		size_t len = strcspn(p, "/");
		if (len == 0)
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: empty component (two '/' in a row)");
		int rc = parse_component(ver, p, len, idx, &last, e);
		if (rc)
			return rc;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
		if (*p == '\0')
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: trailing '/' after the last metric");
	}
}

static int check_complete(const struct version *ver, const int idx[METRICS_MAX], struct err *e)
{
	char missing[96];
	size_t n = 0;
	int count = 0;
	missing[0] = '\0';
	for (int m = 0; m < ver->count; m++)
		if (ver->metrics[m].group == G_BASE && idx[m] < 0) {
			int w = snprintf(missing + n, sizeof missing - n, "%s%s", count ? ", " : "",
					 ver->metrics[m].name);
			if (w > 0 && (size_t)w < sizeof missing - n)
				n += (size_t)w;
			count++;
		}
	if (!count)
		return 0;
	return err_set(e, CAIRN_EINVALID, "cvss", "cvss: missing metric%s %s",
		       count > 1 ? "s" : "", missing);
}

/* Groups given: any non-base metric with a value other than X. */
static unsigned groups_given(const struct version *ver, const int idx[METRICS_MAX])
{
	unsigned g = 0;
	for (int m = 0; m < ver->count; m++)
		if (ver->metrics[m].group != G_BASE && idx[m] > 0)
			g |= ver->metrics[m].group == G_THREAT ? CVSS_G_THREAT
			   : ver->metrics[m].group == G_ENV  ? CVSS_G_ENVIRONMENTAL
							     : CVSS_G_SUPPLEMENTAL;
	return g;
}

/* The prefix, then every metric given other than X, in table order. */
static void format_vector(const struct version *ver, const int idx[METRICS_MAX], char *buf,
			  size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "%.*s", PREFIX_LEN - 1, ver->prefix);
	for (int m = 0; m < ver->count && n < cap; m++) {
		const struct metric *mt = &ver->metrics[m];
		if (idx[m] < 0 || (mt->group != G_BASE && idx[m] == 0))
			continue;
		n += (size_t)snprintf(buf + n, cap - n, "/%s:%s", mt->name, mt->values[idx[m]]);
	}
}

/* ------------------------------------------------------ CVSS 3.x scores */

static double w3(const int idx[METRICS_MAX], int m)
{
	return metrics3[m].weight[idx[m]];
}

/* The value index of a base metric as modified: MXX if defined, else XX. */
static int modified3(const int idx[METRICS_MAX], int base, int mod)
{
	return idx[mod] > 0 ? idx[mod] - 1 : idx[base];
}

static int roundup3(enum cvss_version v, double x)
{
	return v == CVSS_V3_0 ? cvss_roundup10_v30(x) : cvss_roundup10(x);
}

/* 3.1 section 7.1 (3.0 section 8.1): the base score x10. */
static int base3(enum cvss_version v, const int idx[METRICS_MAX])
{
	int changed = idx[M3_S] == SCOPE_CHANGED;
	double c = w3(idx, M3_C), i = w3(idx, M3_I), a = w3(idx, M3_A);
	double pr = changed ? pr_changed[idx[M3_PR]] : w3(idx, M3_PR);

	double iss = 1 - ((1 - c) * (1 - i) * (1 - a));
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15)
				: 6.42 * iss;
	double exploitability =
		8.22 * w3(idx, M3_AV) * w3(idx, M3_AC) * pr * w3(idx, M3_UI);
	if (impact <= 0)
		return 0;
	double total = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
	return roundup3(v, fmin(total, 10));
}

/* Section 7.2 (3.0: 8.2): a score x10 times the temporal weights. */
static int temporal3(enum cvss_version v, int score10, const int idx[METRICS_MAX])
{
	return roundup3(v, score10 / 10.0 * w3(idx, M3_E) * w3(idx, M3_RL) * w3(idx, M3_RC));
}

/* Section 7.3 (3.0: 8.3): the environmental score x10. */
static int environmental3(enum cvss_version v, const int idx[METRICS_MAX])
{
	int s = modified3(idx, M3_S, M3_MS);
	int changed = s == SCOPE_CHANGED;
	int pr_k = modified3(idx, M3_PR, M3_MPR);
	double mc = metrics3[M3_C].weight[modified3(idx, M3_C, M3_MC)];
	double mi = metrics3[M3_I].weight[modified3(idx, M3_I, M3_MI)];
	double ma = metrics3[M3_A].weight[modified3(idx, M3_A, M3_MA)];
	double mav = metrics3[M3_AV].weight[modified3(idx, M3_AV, M3_MAV)];
	double mac = metrics3[M3_AC].weight[modified3(idx, M3_AC, M3_MAC)];
	double mui = metrics3[M3_UI].weight[modified3(idx, M3_UI, M3_MUI)];
	double mpr = changed ? pr_changed[pr_k] : metrics3[M3_PR].weight[pr_k];

	double miss = fmin(1 - ((1 - mc * w3(idx, M3_CR)) * (1 - mi * w3(idx, M3_IR)) *
				(1 - ma * w3(idx, M3_AR))),
			   0.915);
	double impact;
	if (!changed)
		impact = 6.42 * miss;
	else if (v == CVSS_V3_0)
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
	else
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
	double exploitability = 8.22 * mav * mac * mpr * mui;
	if (impact <= 0)
		return 0;
	double total = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
	return temporal3(v, roundup3(v, fmin(total, 10)), idx);
}

static void score3(enum cvss_version v, const int idx[METRICS_MAX], unsigned groups,
		   struct cvss *out)
{
	out->base10 = base3(v, idx);
	out->temporal10 = groups & CVSS_G_THREAT ? temporal3(v, out->base10, idx) : -1;
	out->environmental10 = groups & CVSS_G_ENVIRONMENTAL ? environmental3(v, idx) : -1;
	out->score10 = out->environmental10 >= 0 ? out->environmental10
		     : out->temporal10 >= 0	 ? out->temporal10
						 : out->base10;
}

/* ------------------------------------------------------ CVSS 4.0 scores */

/*
 * MacroVector scores: FIRST's cvss_lookup.js (cvssLookup_global) in
 * https://github.com/FIRSTdotorg/cvss-v4-calculator at commit c5b0d40
 * (2024-08-19; BSD-2-Clause, Copyright FIRST, Red Hat, and contributors),
 * every one of its 270 entries: the MacroVector EQ1..EQ6 as digits, its
 * score x10.  Sorted by key (bsearch).
 */
static const struct macro_score {
	char key[7];
	int score10;
} macro_scores[] = {
	{"000000", 100}, {"000001", 99}, {"000010", 98}, {"000011", 95}, {"000020", 95},
	{"000021", 92}, {"000100", 100}, {"000101", 96}, {"000110", 93}, {"000111", 87},
	{"000120", 91}, {"000121", 81}, {"000200", 93}, {"000201", 90}, {"000210", 89}, {"000211", 80},
	{"000220", 81}, {"000221", 68}, {"001000", 98}, {"001001", 95}, {"001010", 95}, {"001011", 92},
	{"001020", 90}, {"001021", 84}, {"001100", 93}, {"001101", 92}, {"001110", 89}, {"001111", 81},
	{"001120", 81}, {"001121", 65}, {"001200", 88}, {"001201", 80}, {"001210", 78}, {"001211", 70},
	{"001220", 69}, {"001221", 48}, {"002001", 92}, {"002011", 82}, {"002021", 72}, {"002101", 79},
	{"002111", 69}, {"002121", 50}, {"002201", 69}, {"002211", 55}, {"002221", 27}, {"010000", 99},
	{"010001", 97}, {"010010", 95}, {"010011", 92}, {"010020", 92}, {"010021", 85}, {"010100", 95},
	{"010101", 91}, {"010110", 90}, {"010111", 83}, {"010120", 84}, {"010121", 71}, {"010200", 92},
	{"010201", 81}, {"010210", 82}, {"010211", 71}, {"010220", 72}, {"010221", 53}, {"011000", 95},
	{"011001", 93}, {"011010", 92}, {"011011", 85}, {"011020", 85}, {"011021", 73}, {"011100", 92},
	{"011101", 82}, {"011110", 80}, {"011111", 72}, {"011120", 70}, {"011121", 59}, {"011200", 84},
	{"011201", 70}, {"011210", 71}, {"011211", 52}, {"011220", 50}, {"011221", 30}, {"012001", 86},
	{"012011", 75}, {"012021", 52}, {"012101", 71}, {"012111", 52}, {"012121", 29}, {"012201", 63},
	{"012211", 29}, {"012221", 17}, {"100000", 98}, {"100001", 95}, {"100010", 94}, {"100011", 87},
	{"100020", 91}, {"100021", 81}, {"100100", 94}, {"100101", 89}, {"100110", 86}, {"100111", 74},
	{"100120", 77}, {"100121", 64}, {"100200", 87}, {"100201", 75}, {"100210", 74}, {"100211", 63},
	{"100220", 63}, {"100221", 49}, {"101000", 94}, {"101001", 89}, {"101010", 88}, {"101011", 77},
	{"101020", 76}, {"101021", 67}, {"101100", 86}, {"101101", 76}, {"101110", 74}, {"101111", 58},
	{"101120", 59}, {"101121", 50}, {"101200", 72}, {"101201", 57}, {"101210", 57}, {"101211", 52},
	{"101220", 52}, {"101221", 25}, {"102001", 83}, {"102011", 70}, {"102021", 54}, {"102101", 65},
	{"102111", 58}, {"102121", 26}, {"102201", 53}, {"102211", 21}, {"102221", 13}, {"110000", 95},
	{"110001", 90}, {"110010", 88}, {"110011", 76}, {"110020", 76}, {"110021", 70}, {"110100", 90},
	{"110101", 77}, {"110110", 75}, {"110111", 62}, {"110120", 61}, {"110121", 53}, {"110200", 77},
	{"110201", 66}, {"110210", 68}, {"110211", 59}, {"110220", 52}, {"110221", 30}, {"111000", 89},
	{"111001", 78}, {"111010", 76}, {"111011", 67}, {"111020", 62}, {"111021", 58}, {"111100", 74},
	{"111101", 59}, {"111110", 57}, {"111111", 57}, {"111120", 47}, {"111121", 23}, {"111200", 61},
	{"111201", 52}, {"111210", 57}, {"111211", 29}, {"111220", 24}, {"111221", 16}, {"112001", 71},
	{"112011", 59}, {"112021", 30}, {"112101", 58}, {"112111", 26}, {"112121", 15}, {"112201", 23},
	{"112211", 13}, {"112221", 6}, {"200000", 93}, {"200001", 87}, {"200010", 86}, {"200011", 72},
	{"200020", 75}, {"200021", 58}, {"200100", 86}, {"200101", 74}, {"200110", 74}, {"200111", 61},
	{"200120", 56}, {"200121", 34}, {"200200", 70}, {"200201", 54}, {"200210", 52}, {"200211", 40},
	{"200220", 40}, {"200221", 22}, {"201000", 85}, {"201001", 75}, {"201010", 74}, {"201011", 55},
	{"201020", 62}, {"201021", 51}, {"201100", 72}, {"201101", 57}, {"201110", 55}, {"201111", 41},
	{"201120", 46}, {"201121", 19}, {"201200", 53}, {"201201", 36}, {"201210", 34}, {"201211", 19},
	{"201220", 19}, {"201221", 8}, {"202001", 64}, {"202011", 51}, {"202021", 20}, {"202101", 47},
	{"202111", 21}, {"202121", 11}, {"202201", 24}, {"202211", 9}, {"202221", 4}, {"210000", 88},
	{"210001", 75}, {"210010", 73}, {"210011", 53}, {"210020", 60}, {"210021", 50}, {"210100", 73},
	{"210101", 55}, {"210110", 59}, {"210111", 40}, {"210120", 41}, {"210121", 20}, {"210200", 54},
	{"210201", 43}, {"210210", 45}, {"210211", 22}, {"210220", 20}, {"210221", 11}, {"211000", 75},
	{"211001", 55}, {"211010", 58}, {"211011", 45}, {"211020", 40}, {"211021", 21}, {"211100", 61},
	{"211101", 51}, {"211110", 48}, {"211111", 18}, {"211120", 20}, {"211121", 9}, {"211200", 46},
	{"211201", 18}, {"211210", 17}, {"211211", 7}, {"211220", 8}, {"211221", 2}, {"212001", 53},
	{"212011", 24}, {"212021", 14}, {"212101", 24}, {"212111", 12}, {"212121", 5}, {"212201", 10},
	{"212211", 3}, {"212221", 1},
};

/*
 * The highest-severity vectors of each EQ's levels (FIRST's max_composed.js,
 * same repository and commit), as the effective values of the EQ's metrics:
 * EQ1 AV PR UI; EQ2 AC AT; EQ3 with EQ6 VC VI VA CR IR AR; EQ4 SC SI SA;
 * EQ5 E.  Order matters: the first combination the vector does not exceed
 * is the one its distance is measured from.
 */
static const char *const max_eq1[3][3] = {
	{"NNN"}, {"ANN", "NLN", "NNP"}, {"PNN", "ALP"},
};
static const char *const max_eq2[2][2] = {{"LN"}, {"HN", "LP"}};
static const char *const max_eq3eq6[3][2][5] = {
	{{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
	{{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
	{{NULL}, {"LLLHHH"}},
};
static const char *const max_eq4[3][1] = {{"HSS"}, {"HHH"}, {"LLL"}};
static const char *const max_eq5[3][1] = {{"A"}, {"P"}, {"U"}};

/* The depth of each EQ level, in steps of 0.1, plus one (FIRST's
 * max_severity.js, same repository and commit).  EQ5 needs none. */
static const int depth_eq1[3] = {1, 4, 5};
static const int depth_eq2[2] = {1, 2};
static const int depth_eq3eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int depth_eq4[3] = {6, 5, 4};

/* The metrics that the severity distance is measured on, in the order the
 * distances are summed, and the level (0.0 = most severe, 0.1 a step less
 * ...) of each of their effective values. */
enum { D_AV, D_PR, D_UI, D_AC, D_AT, D_VC, D_VI, D_VA, D_CR, D_IR, D_AR, D_SC, D_SI, D_SA, D_COUNT };

static const struct level {
	const char *values; /* effective values, one letter each */
	double level[4];
} levels[D_COUNT] = {
	[D_AV] = {"NALP", {0.0, 0.1, 0.2, 0.3}}, [D_PR] = {"NLH", {0.0, 0.1, 0.2}},
	[D_UI] = {"NPA", {0.0, 0.1, 0.2}},       [D_AC] = {"LH", {0.0, 0.1}},
	[D_AT] = {"NP", {0.0, 0.1}},             [D_VC] = {"HLN", {0.0, 0.1, 0.2}},
	[D_VI] = {"HLN", {0.0, 0.1, 0.2}},       [D_VA] = {"HLN", {0.0, 0.1, 0.2}},
	[D_CR] = {"HML", {0.0, 0.1, 0.2}},       [D_IR] = {"HML", {0.0, 0.1, 0.2}},
	[D_AR] = {"HML", {0.0, 0.1, 0.2}},       [D_SC] = {"HLN", {0.1, 0.2, 0.3}},
	[D_SI] = {"SHLN", {0.0, 0.1, 0.2, 0.3}}, [D_SA] = {"SHLN", {0.0, 0.1, 0.2, 0.3}},
};

static double level_of(int d, char value)
{
	const char *p = strchr(levels[d].values, value);
	return p ? levels[d].level[p - levels[d].values] : 0.0;
}

/* The effective value (one letter) of a 4.0 metric: the modified metric if
 * given, else the base one; E, CR, IR, AR not given count as their most
 * severe value (A, H), as section 8.2 specifies. */
static char effective4(const int idx[METRICS_MAX], int m)
{
	static const struct {
		int base, mod;
	} mods[] = {
		{M4_AV, M4_MAV}, {M4_AC, M4_MAC}, {M4_AT, M4_MAT}, {M4_PR, M4_MPR},
		{M4_UI, M4_MUI}, {M4_VC, M4_MVC}, {M4_VI, M4_MVI}, {M4_VA, M4_MVA},
		{M4_SC, M4_MSC}, {M4_SI, M4_MSI}, {M4_SA, M4_MSA},
	};
	if (m == M4_E || m == M4_CR || m == M4_IR || m == M4_AR)
		return idx[m] > 0 ? metrics4[m].values[idx[m]][0] : metrics4[m].values[1][0];
	for (size_t k = 0; k < N(mods); k++)
		if (mods[k].base == m && idx[mods[k].mod] > 0)
			return metrics4[mods[k].mod].values[idx[mods[k].mod]][0];
	return metrics4[m].values[idx[m]][0];
}

static int macro_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct macro_score *)elem)->key);
}

/* The score of MacroVector eq[0..5], NAN if there is none. */
static double macro_value(const int eq[6])
{
	char key[7];
	for (int k = 0; k < 6; k++) {
		if (eq[k] < 0 || eq[k] > 9)
			return NAN;
		key[k] = (char)('0' + eq[k]);
	}
	key[6] = '\0';
	const struct macro_score *hit =
		bsearch(key, macro_scores, N(macro_scores), sizeof macro_scores[0], macro_cmp);
	return hit ? hit->score10 / 10.0 : NAN;
}

static double macro_value_at(const int eq[6], int k, int step_k, int k2, int step_k2)
{
	int next[6];
	memcpy(next, eq, sizeof next);
	next[k] += step_k;
	next[k2] += step_k2;
	return macro_value(next);
}

/* Round half up to an integer, as JavaScript's Math.round (FIRST's
 * calculator rounds with it); exact for any double in range. */
static double round_half_up(double x)
{
	double f = floor(x);
	return x - f >= 0.5 ? f + 1 : f;
}

static int score4(const int idx[METRICS_MAX])
{
	char v[M4_COUNT];
	for (int m = 0; m <= M4_AR; m++)
		v[m] = effective4(idx, m);
	/* EQ4 reads the modified SI/SA for Safety (S). */

	/* No impact at all on the vulnerable or subsequent systems: 0. */
	if (v[M4_VC] == 'N' && v[M4_VI] == 'N' && v[M4_VA] == 'N' && v[M4_SC] == 'N' &&
	    v[M4_SI] == 'N' && v[M4_SA] == 'N')
		return 0;

	/* The MacroVector: section 8.2, Tables 24-29. */
	int eq[6];
	int av_n = v[M4_AV] == 'N', pr_n = v[M4_PR] == 'N', ui_n = v[M4_UI] == 'N';
	eq[0] = av_n && pr_n && ui_n ? 0 : (av_n || pr_n || ui_n) && v[M4_AV] != 'P' ? 1 : 2;
	eq[1] = v[M4_AC] == 'L' && v[M4_AT] == 'N' ? 0 : 1;
	eq[2] = v[M4_VC] == 'H' && v[M4_VI] == 'H'			     ? 0
	      : v[M4_VC] == 'H' || v[M4_VI] == 'H' || v[M4_VA] == 'H' ? 1
								      : 2;
	eq[3] = v[M4_SI] == 'S' || v[M4_SA] == 'S'			     ? 0
	      : v[M4_SC] == 'H' || v[M4_SI] == 'H' || v[M4_SA] == 'H' ? 1
								      : 2;
	eq[4] = v[M4_E] == 'A' ? 0 : v[M4_E] == 'P' ? 1 : 2;
	eq[5] = (v[M4_CR] == 'H' && v[M4_VC] == 'H') || (v[M4_IR] == 'H' && v[M4_VI] == 'H') ||
				(v[M4_AR] == 'H' && v[M4_VA] == 'H')
		      ? 0
		      : 1;

	double value = macro_value(eq);

	/* The next lower MacroVector of each EQ (NAN where there is none).
	 * EQ3 and EQ6 move together: 00 goes to 01 or 10 (the higher of the
	 * two), 01 and 10 to 11, 11 to 21. */
	double lower1 = macro_value_at(eq, 0, 1, 0, 0);
	double lower2 = macro_value_at(eq, 1, 1, 1, 0);
	double lower36;
	if (eq[2] == 0 && eq[5] == 0) {
		double left = macro_value_at(eq, 5, 1, 5, 0), right = macro_value_at(eq, 2, 1, 2, 0);
		lower36 = left > right ? left : right;
	} else if (eq[2] == 1 && eq[5] == 0) {
		lower36 = macro_value_at(eq, 5, 1, 5, 0);
	} else if (eq[2] == 2) {
		lower36 = macro_value_at(eq, 2, 1, 5, 1);
	} else {
		lower36 = macro_value_at(eq, 2, 1, 2, 0);
	}
	double lower4 = macro_value_at(eq, 3, 1, 3, 0);
	double lower5 = macro_value_at(eq, 4, 1, 4, 0);

	/* The severity distance from the first highest-severity vector of the
	 * MacroVector that the vector does not exceed on any metric. */
	static const int d_metric[D_COUNT] = {
		[D_AV] = M4_AV, [D_PR] = M4_PR, [D_UI] = M4_UI, [D_AC] = M4_AC, [D_AT] = M4_AT,
		[D_VC] = M4_VC, [D_VI] = M4_VI, [D_VA] = M4_VA, [D_CR] = M4_CR, [D_IR] = M4_IR,
		[D_AR] = M4_AR, [D_SC] = M4_SC, [D_SI] = M4_SI, [D_SA] = M4_SA,
	};
	double mine[D_COUNT], dist[D_COUNT] = {0};
	for (int d = 0; d < D_COUNT; d++)
		mine[d] = level_of(d, v[d_metric[d]]);
	const char *const *m1 = max_eq1[eq[0]], *const *m2 = max_eq2[eq[1]];
	const char *const *m36 = max_eq3eq6[eq[2]][eq[5]];
	int found = 0;
	for (int a = 0; a < 3 && m1[a] && !found; a++)
		for (int b = 0; b < 2 && m2[b] && !found; b++)
			for (int c = 0; c < 5 && m36[c] && !found; c++) {
				/* EQ4 and EQ5 have one highest vector per level. */
				char mx[D_COUNT];
				const char *e4 = max_eq4[eq[3]][0];
				mx[D_AV] = m1[a][0], mx[D_PR] = m1[a][1], mx[D_UI] = m1[a][2];
				mx[D_AC] = m2[b][0], mx[D_AT] = m2[b][1];
				for (int k = 0; k < 6; k++)
					mx[D_VC + k] = m36[c][k];
				mx[D_SC] = e4[0], mx[D_SI] = e4[1], mx[D_SA] = e4[2];
				found = 1;
				for (int d = 0; d < D_COUNT; d++) {
					dist[d] = mine[d] - level_of(d, mx[d]);
					if (dist[d] < 0)
						found = 0;
				}
			}
	(void)max_eq5; /* EQ5's distance is 0 by definition: E is its whole class */

	double d1 = dist[D_AV] + dist[D_PR] + dist[D_UI];
	double d2 = dist[D_AC] + dist[D_AT];
	double d36 = dist[D_VC] + dist[D_VI] + dist[D_VA] + dist[D_CR] + dist[D_IR] + dist[D_AR];
	double d4 = dist[D_SC] + dist[D_SI] + dist[D_SA];

	/* Each EQ that has a lower MacroVector moves the score down by its
	 * proportion of the depth times the gap; the mean of those is taken. */
	const double step = 0.1;
	double sum = 0;
	int n = 0;
	double gap;
	if (!isnan(gap = value - lower1))
		sum += gap * (d1 / (depth_eq1[eq[0]] * step)), n++;
	if (!isnan(gap = value - lower2))
		sum += gap * (d2 / (depth_eq2[eq[1]] * step)), n++;
	if (!isnan(gap = value - lower36))
		sum += gap * (d36 / (depth_eq3eq6[eq[2]][eq[5]] * step)), n++;
	if (!isnan(gap = value - lower4))
		sum += gap * (d4 / (depth_eq4[eq[3]] * step)), n++;
	if (!isnan(gap = value - lower5))
		sum += gap * 0, n++;
	if (n)
		value -= sum / n;
	if (value < 0)
		value = 0;
	if (value > 10)
		value = 10;
	return (int)round_half_up(value * 10);
}

/* ------------------------------------------------------------------ API */

int cvss_parse(const char *vector, struct cvss *out, struct err *e)
{
	const struct version *ver = NULL;
	int idx[METRICS_MAX];
	struct cvss c;
	int rc;

	if (!vector || !*vector)
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: empty vector (expected e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)");
	if (strnlen(vector, CVSS_VECTOR_MAX) >= CVSS_VECTOR_MAX)
		return err_set(e, CAIRN_EINVALID, "cvss", "cvss: vector longer than %d bytes",
			       CVSS_VECTOR_MAX - 1);
	if ((rc = check_prefix(vector, &ver, e)))
		return rc;
	for (int m = 0; m < METRICS_MAX; m++)
		idx[m] = -1;
	if ((rc = parse_components(ver, vector + PREFIX_LEN, idx, e)))
		return rc;
	if ((rc = check_complete(ver, idx, e)))
		return rc;
	for (int m = 0; m < ver->count; m++)
		if (idx[m] < 0)
			idx[m] = 0; /* not given: X */

	memset(&c, 0, sizeof c);
	c.version = ver->v;
	c.groups = groups_given(ver, idx);
	if (ver->v == CVSS_V4_0) {
		c.score10 = c.base10 = score4(idx);
		c.temporal10 = c.environmental10 = -1;
	} else {
		score3(ver->v, idx, c.groups, &c);
	}
	c.severity = cvss_severity(c.score10);
	format_vector(ver, idx, c.vector, sizeof c.vector);
	*out = c;
	return CAIRN_OK;
}

const char *cvss_version_name(enum cvss_version v)
{
	switch (v) {
	case CVSS_V3_0:
		return "3.0";
	case CVSS_V3_1:
		return "3.1";
	case CVSS_V4_0:
		return "4.0";
	}
	return "";
}

const char *cvss_nomenclature(const struct cvss *c)
{
	static const char *const names[] = {"CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE"};
	if (c->version != CVSS_V4_0)
		return NULL;
	return names[c->groups & (CVSS_G_THREAT | CVSS_G_ENVIRONMENTAL)];
}

/*
 * Appendix A: int_input = round_to_nearest_integer(x * 100000); a multiple
 * of 10000 is already on a tenth, anything else goes up to the next tenth.
 * Counting in 1/100000ths first absorbs the tiny binary errors (4.0 computed
 * as 4.000000000000001 stays 4.0) that a plain ceil(x * 10) would round up.
 * Scores are never negative: a negative or NaN x gives 0, and x is capped at
 * 1e6 so the arithmetic stays in range.
 */
int cvss_roundup10(double x)
{
	if (!(x > 0))
		return 0;
	if (x > 1e6)
		x = 1e6;
	long long int_input = llround(x * 100000);
	if (int_input % 10000 == 0)
		return (int)(int_input / 10000);
	return (int)(int_input / 10000 + 1);
}

/*
 * 3.0 section 8.4: "the smallest number, specified to one decimal place,
 * that is equal to or higher than its input".  Taken literally on a binary
 * double, ceil(x * 10) turns 4.000000000000001 into 4.1; the exact value
 * the formulas mean is 4.0.  Counting in 1e-8ths of a tenth absorbs that
 * noise (about 1e-15) while staying far below the closest a real 3.0 input
 * comes to a tenth without being on it (2.6e-4 of a tenth, see the top).
 */
int cvss_roundup10_v30(double x)
{
	if (!(x > 0))
		return 0;
	if (x > 1e6)
		x = 1e6;
	long long n = llround(x * 1e9); /* 1e-8ths of a tenth */
	if (n % 100000000 == 0)
		return (int)(n / 100000000);
	return (int)(n / 100000000 + 1);
}

enum severity cvss_severity(int score10)
{
	if (score10 <= 0)
		return SEV_NONE;
	if (score10 < 40)
		return SEV_LOW;
	if (score10 < 70)
		return SEV_MEDIUM;
	if (score10 < 90)
		return SEV_HIGH;
	return SEV_CRITICAL;
}

static const char *const severity_names[] = {
	[SEV_NONE] = "none", [SEV_LOW] = "low", [SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high", [SEV_CRITICAL] = "critical",
};

const char *severity_name(enum severity s)
{
	if ((unsigned)s >= N(severity_names))
		return "";
	return severity_names[s];
}

int severity_parse(const char *s, enum severity *out)
{
	if (!s)
		return -1;
	for (size_t k = 0; k < N(severity_names); k++)
		if (strcasecmp(severity_names[k], s) == 0) {
			*out = (enum severity)k;
			return 0;
		}
	return -1;
}
