/*
 * cvss.c — CVSS v3.1 base scores (see cvss.h).
 *
 * A vector is checked component by component, left to right, and the first
 * fault is reported; missing metrics are reported once every component has
 * been read.  The score follows the specification's section 7.1 formulas
 * with the weights of section 7.4, evaluated in double precision in the
 * same order as FIRST's reference calculator, then rounded with Appendix
 * A's integer Roundup.  (Every one of the 2,592 base vectors was checked
 * against exact rational arithmetic: the nearest score lies 4e-5 of a tenth
 * away from a rounding boundary, far beyond any floating-point error.)
 *
 * Messages may quote what the caller sent; quoted text is cut short and
 * reduced to printable ASCII so that an error body stays valid UTF-8.
 */
#include "core/cvss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The eight base metrics, in the specification's vector order. */
enum { M_AV, M_AC, M_PR, M_UI, M_S, M_C, M_I, M_A, M_COUNT };

static const struct metric {
	const char *name;
	const char *values; /* the allowed values, one letter each */
	double weight[4];   /* per value; PR's are those of Scope Unchanged */
} metrics[M_COUNT] = {
	[M_AV] = {"AV", "NALP", {0.85, 0.62, 0.55, 0.2}},
	[M_AC] = {"AC", "LH", {0.77, 0.44}},
	[M_PR] = {"PR", "NLH", {0.85, 0.62, 0.27}},
	[M_UI] = {"UI", "NR", {0.85, 0.62}},
	[M_S] = {"S", "UC", {0, 0}},
	[M_C] = {"C", "HLN", {0.56, 0.22, 0}},
	[M_I] = {"I", "HLN", {0.56, 0.22, 0}},
	[M_A] = {"A", "HLN", {0.56, 0.22, 0}},
};

/* PR when Scope is Changed (same value order as metrics[M_PR].values). */
static const double pr_changed[3] = {0.85, 0.68, 0.5};

#define SCOPE_CHANGED 1 /* index of 'C' in metrics[M_S].values */

/* Temporal and environmental metric names: known, but not scored here. */
static const char *const other_metrics[] = {
	"E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
};

static const char *const prefixes[] = {"CVSS:3.1/", "CVSS:3.0/"};
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

static int find_metric(const char *s, size_t len)
{
	for (int m = 0; m < M_COUNT; m++)
		if (name_is(metrics[m].name, s, len))
			return m;
	return -1;
}

static int is_other_metric(const char *s, size_t len)
{
	for (size_t k = 0; k < N(other_metrics); k++)
		if (name_is(other_metrics[k], s, len))
			return 1;
	return 0;
}

/* "N,A,L,P" for a metric's allowed values. */
static void allowed_values(int m, char *buf, size_t cap)
{
	size_t n = 0;
	for (const char *v = metrics[m].values; *v && n + 2 < cap; v++) {
		if (n)
			buf[n++] = ',';
		buf[n++] = *v;
	}
	buf[n] = '\0';
}

static int check_prefix(const char *vector, struct err *e)
{
	for (size_t k = 0; k < N(prefixes); k++)
		if (strncmp(vector, prefixes[k], PREFIX_LEN) == 0)
			return 0;
	if (strncmp(vector, "CVSS:", 5) == 0) {
		char got[SHOWN_MAX + 4];
		size_t len = strcspn(vector, "/");
		shown(got, sizeof got, vector, len);
		if (strcmp(got, "CVSS:3.1") != 0 && strcmp(got, "CVSS:3.0") != 0)
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: unsupported version %s (expected CVSS:3.1/ or CVSS:3.0/)",
				       got);
	}
	return err_set(e, CAIRN_EINVALID, "cvss",
		       "cvss: missing prefix: a vector starts with CVSS:3.1/ then the metrics");
}

/* Record one NAME:VALUE component s[0..len) into idx[]. */
static int parse_component(const char *s, size_t len, int idx[M_COUNT], struct err *e)
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
	int m = find_metric(s, nlen);
	if (m < 0) {
		shown(got, sizeof got, s, nlen);
		if (is_other_metric(s, nlen))
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: %s is a temporal/environmental metric; only base metrics are supported",
				       got);
		for (int k = 0; k < M_COUNT; k++)
			if (strlen(metrics[k].name) == nlen && strncasecmp(metrics[k].name, s, nlen) == 0)
				return err_set(e, CAIRN_EINVALID, "cvss",
					       "cvss: unknown metric '%s' (metric names are upper case: %s)",
					       got, metrics[k].name);
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: unknown metric '%s' (base metrics are AV, AC, PR, UI, S, C, I, A)",
			       got);
	}
	if (idx[m] >= 0)
		return err_set(e, CAIRN_EINVALID, "cvss", "cvss: duplicate metric %s",
			       metrics[m].name);
	const char *hit = vlen == 1 ? strchr(metrics[m].values, value[0]) : NULL;
	if (!hit || value[0] == '\0') {
		char allowed[16];
		allowed_values(m, allowed, sizeof allowed);
		shown(got, sizeof got, value, vlen);
		return err_set(e, CAIRN_EINVALID, "cvss", "cvss: %s must be one of %s (got %s)",
			       metrics[m].name, allowed, vlen ? got : "nothing");
	}
	idx[m] = (int)(hit - metrics[m].values);
	return 0;
}

/* Split the text after the prefix on '/' and record every component. */
static int parse_components(const char *p, int idx[M_COUNT], struct err *e)
{
	if (*p == '\0')
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: no metrics after the prefix (expected AV, AC, PR, UI, S, C, I, A)");
	for (;;) {
		size_t len = strcspn(p, "/");
		if (len == 0)
			return err_set(e, CAIRN_EINVALID, "cvss",
				       "cvss: empty component (two '/' in a row)");
		int rc = parse_component(p, len, idx, e);
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

static int check_complete(const int idx[M_COUNT], struct err *e)
{
	char missing[64];
	size_t n = 0;
	int count = 0;
	missing[0] = '\0';
	for (int m = 0; m < M_COUNT; m++)
		if (idx[m] < 0) {
			int w = snprintf(missing + n, sizeof missing - n, "%s%s", count ? ", " : "",
					 metrics[m].name);
			if (w > 0 && (size_t)w < sizeof missing - n)
				n += (size_t)w;
			count++;
		}
	if (!count)
		return 0;
	return err_set(e, CAIRN_EINVALID, "cvss", "cvss: missing metric%s %s",
		       count > 1 ? "s" : "", missing);
}

/* Section 7.1: the base score x10 of a complete set of metric values. */
static int base_score10(const int idx[M_COUNT])
{
	int changed = idx[M_S] == SCOPE_CHANGED;
	double c = metrics[M_C].weight[idx[M_C]];
	double i = metrics[M_I].weight[idx[M_I]];
	double a = metrics[M_A].weight[idx[M_A]];
	double pr = changed ? pr_changed[idx[M_PR]] : metrics[M_PR].weight[idx[M_PR]];

	double iss = 1 - ((1 - c) * (1 - i) * (1 - a));
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15)
				: 6.42 * iss;
	double exploitability = 8.22 * metrics[M_AV].weight[idx[M_AV]] *
				metrics[M_AC].weight[idx[M_AC]] * pr *
				metrics[M_UI].weight[idx[M_UI]];
	if (impact <= 0)
		return 0;
	double total = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
	return cvss_roundup10(fmin(total, 10));
}

static void format_vector(const int idx[M_COUNT], char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "CVSS:3.1");
	for (int m = 0; m < M_COUNT && n < cap; m++)
		n += (size_t)snprintf(buf + n, cap - n, "/%s:%c", metrics[m].name,
				      metrics[m].values[idx[m]]);
}

int cvss_parse(const char *vector, struct cvss *out, struct err *e)
{
	int idx[M_COUNT];
	int rc;

	if (!vector || !*vector)
		return err_set(e, CAIRN_EINVALID, "cvss",
			       "cvss: empty vector (expected e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)");
	if (strnlen(vector, CVSS_VECTOR_MAX) >= CVSS_VECTOR_MAX)
		return err_set(e, CAIRN_EINVALID, "cvss", "cvss: vector longer than %d bytes",
			       CVSS_VECTOR_MAX - 1);
	rc = check_prefix(vector, e);
	if (rc)
		return rc;
	for (int m = 0; m < M_COUNT; m++)
		idx[m] = -1;
	rc = parse_components(vector + PREFIX_LEN, idx, e);
	if (rc)
		return rc;
	rc = check_complete(idx, e);
	if (rc)
		return rc;

	out->score10 = base_score10(idx);
	out->severity = cvss_severity(out->score10);
	format_vector(idx, out->vector, sizeof out->vector);
	return CAIRN_OK;
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
