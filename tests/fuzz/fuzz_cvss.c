/*
 * fuzz_cvss.c — libFuzzer target for CVSS 3.0, 3.1 and 4.0 vector parsing
 * and scoring (core/cvss.h): base, temporal/threat, environmental and
 * supplemental metrics.
 *
 * Invariants:
 *   - on success: every score 0..100 (temporal and environmental -1 or in
 *     range, -1 exactly when their group is not given; always -1 in 4.0),
 *     score10 the most specific score, severity == cvss_severity(score10),
 *     a nomenclature for 4.0 only; the normalized vector has the input's
 *     prefix, and it parses again to the same scores, groups and vector
 *     (idempotent); the accepted input held the same NAME:VALUE components
 *     plus any NAME:X ones (only the order may differ, and not in 4.0);
 *   - on error: CAIRN_EINVALID, field "cvss", a message in printable ASCII
 *     (cvss.c promises quoted caller text is reduced to it).
 */
#include "core/cvss.h"

#include "fuzz_util.h"

#define PREFIX_LEN 9 /* "CVSS:3.1/" */

static int is_not_defined(const char *part)
{
	size_t n = strlen(part);
	return n >= 2 && strcmp(part + n - 2, ":X") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split s on '/' into parts in buf, leaving out NAME:X ones, sorted unless
 * the order must be kept; returns the count (<= max). */
static int split_parts(const char *s, char *buf, size_t cap, char **parts, int max, int sort)
{
	int n = 0;
	snprintf(buf, cap, "%s", s);
	for (char *save = NULL, *p = strtok_r(buf, "/", &save); p && n < max;
	     p = strtok_r(NULL, "/", &save))
		if (!is_not_defined(p))
			parts[n++] = p;
	if (sort)
		qsort(parts, (size_t)n, sizeof *parts, cmp_str);
	return n;
}

static void check_same_components(const char *in, const struct cvss *c)
{
	char a[CVSS_VECTOR_MAX], b[CVSS_VECTOR_MAX];
	char *pa[CVSS_VECTOR_MAX], *pb[CVSS_VECTOR_MAX];
	int v4 = c->version == CVSS_V4_0, base = v4 ? 11 : 8;
	int na = split_parts(in + PREFIX_LEN, a, sizeof a, pa, CVSS_VECTOR_MAX, !v4);
	int nb = split_parts(c->vector + PREFIX_LEN, b, sizeof b, pb, CVSS_VECTOR_MAX, !v4);
	FUZZ_ASSERT(na == nb && nb >= base, in, "components: input %d, normalized %d (%s)", na,
		    nb, c->vector);
	for (int i = 0; i < na; i++)
		FUZZ_ASSERT(strcmp(pa[i], pb[i]) == 0, in, "component '%s' became '%s' (%s)", pa[i],
			    pb[i], c->vector);
	if (v4) /* the base metrics come first, in the specification's order */
		FUZZ_ASSERT(strncmp(c->vector, "CVSS:4.0/AV:", 12) == 0, in, "'%s'", c->vector);
}

static void check_scores(const struct cvss *c, const char *in)
{
	FUZZ_ASSERT(c->score10 >= 0 && c->score10 <= 100, in, "score10=%d", c->score10);
	FUZZ_ASSERT(c->base10 >= 0 && c->base10 <= 100, in, "base10=%d", c->base10);
	FUZZ_ASSERT(c->temporal10 >= -1 && c->temporal10 <= 100, in, "temporal10=%d",
		    c->temporal10);
	FUZZ_ASSERT(c->environmental10 >= -1 && c->environmental10 <= 100, in,
		    "environmental10=%d", c->environmental10);
	FUZZ_ASSERT(c->severity == cvss_severity(c->score10), in, "severity %d for score %d",
		    c->severity, c->score10);
	if (c->version == CVSS_V4_0) {
		FUZZ_ASSERT(c->temporal10 == -1 && c->environmental10 == -1, in, "4.0 has one score");
		FUZZ_ASSERT(c->base10 == c->score10, in, "4.0 base %d score %d", c->base10,
			    c->score10);
		FUZZ_ASSERT(cvss_nomenclature(c) != NULL, in, "4.0 without a nomenclature");
		return;
	}
	FUZZ_ASSERT(c->version == CVSS_V3_0 || c->version == CVSS_V3_1, in, "version %d",
		    (int)c->version);
	FUZZ_ASSERT(cvss_nomenclature(c) == NULL, in, "3.x with a nomenclature");
	FUZZ_ASSERT(!(c->groups & CVSS_G_SUPPLEMENTAL), in, "3.x has no supplemental metrics");
	FUZZ_ASSERT((c->temporal10 >= 0) == !!(c->groups & CVSS_G_THREAT), in,
		    "temporal %d, groups %u", c->temporal10, c->groups);
	FUZZ_ASSERT((c->environmental10 >= 0) == !!(c->groups & CVSS_G_ENVIRONMENTAL), in,
		    "environmental %d, groups %u", c->environmental10, c->groups);
	int want = c->environmental10 >= 0 ? c->environmental10
		 : c->temporal10 >= 0	   ? c->temporal10
					   : c->base10;
	FUZZ_ASSERT(c->score10 == want, in, "score10 %d is not the most specific (%d)", c->score10,
		    want);
	if (c->temporal10 >= 0)
		FUZZ_ASSERT(c->temporal10 <= c->base10, in, "temporal %d above base %d",
			    c->temporal10, c->base10);
}

static void check_success(const struct cvss *c, const char *in)
{
	check_scores(c, in);
	FUZZ_ASSERT(memchr(c->vector, '\0', sizeof c->vector) != NULL, in,
		    "vector not terminated");
	FUZZ_ASSERT(strlen(in) < CVSS_VECTOR_MAX, in, "accepted %zu bytes", strlen(in));
	FUZZ_ASSERT(strncmp(in, "CVSS:3.1/", PREFIX_LEN) == 0 ||
			    strncmp(in, "CVSS:3.0/", PREFIX_LEN) == 0 ||
			    strncmp(in, "CVSS:4.0/", PREFIX_LEN) == 0,
		    in, "accepted without a CVSS:3.x/ or CVSS:4.0/ prefix");
	FUZZ_ASSERT(strncmp(in, c->vector, PREFIX_LEN) == 0, in, "prefix changed: '%s'",
		    c->vector);
	check_same_components(in, c);

	struct cvss again;
	struct err e2;
	memset(&again, 0x5a, sizeof again);
	err_clear(&e2);
	int rc = cvss_parse(c->vector, &again, &e2);
	FUZZ_ASSERT(rc == 0, in, "normalized '%s' refused: %s", c->vector, e2.msg);
	FUZZ_ASSERT(again.score10 == c->score10 && again.base10 == c->base10 &&
			    again.temporal10 == c->temporal10 &&
			    again.environmental10 == c->environmental10 && again.groups == c->groups &&
			    again.version == c->version,
		    in, "scores %d/%d/%d/%d then %d/%d/%d/%d for '%s'", c->score10, c->base10,
		    c->temporal10, c->environmental10, again.score10, again.base10,
		    again.temporal10, again.environmental10, c->vector);
	FUZZ_ASSERT(again.severity == c->severity, in, "severity %d then %d", c->severity,
		    again.severity);
	FUZZ_ASSERT(strcmp(again.vector, c->vector) == 0, in, "'%s' normalized to '%s'",
		    c->vector, again.vector);
}

static void check_error(int rc, const struct err *e, const char *in)
{
	FUZZ_ASSERT(rc == CAIRN_EINVALID, in, "rc=%d", rc);
	FUZZ_ASSERT((int)e->code == rc, in, "e->code=%d", e->code);
	FUZZ_ASSERT(strcmp(e->field, "cvss") == 0, in, "field='%s'", e->field);
	FUZZ_ASSERT(e->msg[0] != '\0', in, "no message");
	FUZZ_ASSERT(memchr(e->msg, '\0', sizeof e->msg) != NULL, in, "msg not terminated");
	for (const unsigned char *p = (const unsigned char *)e->msg; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p < 0x7f, in, "byte 0x%02x in message: %s", *p, e->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	struct cvss c;
	struct err e;

	memset(&c, 0xa5, sizeof c);
	err_clear(&e);
	int rc = cvss_parse(in, &c, &e);
	if (rc == 0)
		check_success(&c, in);
	else
		check_error(rc, &e, in);
	free(in);
	return 0;
}
