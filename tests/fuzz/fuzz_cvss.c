/*
 * fuzz_cvss.c — libFuzzer target for CVSS v3.1 vector parsing and scoring
 * (core/cvss.h).
 *
 * Invariants:
 *   - on success: score 0..100, severity == cvss_severity(score), the
 *     normalized vector is "CVSS:3.1/" + the eight base metrics, and it
 *     parses again to the same score, severity and vector (idempotent);
 *     the accepted input held exactly the same eight NAME:VALUE components
 *     (only the order and the 3.0/3.1 prefix may differ);
 *   - on error: CAIRN_EINVALID, field "cvss", a message in printable ASCII
 *     (cvss.c promises quoted caller text is reduced to it).
 */
#include "core/cvss.h"

#include "fuzz_util.h"

#define PREFIX_LEN 9 /* "CVSS:3.1/" */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split s on '/' into sorted parts in buf; returns the count (<= max). */
static int sorted_parts(const char *s, char *buf, size_t cap, char **parts, int max)
{
	int n = 0;
	snprintf(buf, cap, "%s", s);
	for (char *save = NULL, *p = strtok_r(buf, "/", &save); p && n < max;
	     p = strtok_r(NULL, "/", &save))
		parts[n++] = p;
	qsort(parts, (size_t)n, sizeof *parts, cmp_str);
	return n;
}

static void check_same_components(const char *in, const char *norm)
{
	char a[CVSS_VECTOR_MAX], b[CVSS_VECTOR_MAX];
	char *pa[CVSS_VECTOR_MAX], *pb[CVSS_VECTOR_MAX];
	int na = sorted_parts(in + PREFIX_LEN, a, sizeof a, pa, CVSS_VECTOR_MAX);
	int nb = sorted_parts(norm + PREFIX_LEN, b, sizeof b, pb, CVSS_VECTOR_MAX);
	FUZZ_ASSERT(na == 8 && nb == 8, in, "components: input %d, normalized %d (%s)", na, nb,
		    norm);
	for (int i = 0; i < 8; i++)
		FUZZ_ASSERT(strcmp(pa[i], pb[i]) == 0, in, "component '%s' became '%s' (%s)", pa[i],
			    pb[i], norm);
}

static void check_success(const struct cvss *c, const char *in)
{
	FUZZ_ASSERT(c->score10 >= 0 && c->score10 <= 100, in, "score10=%d", c->score10);
	FUZZ_ASSERT(c->severity == cvss_severity(c->score10), in, "severity %d for score %d",
		    c->severity, c->score10);
	FUZZ_ASSERT(memchr(c->vector, '\0', sizeof c->vector) != NULL, in,
		    "vector not terminated");
	FUZZ_ASSERT(strncmp(c->vector, "CVSS:3.1/", PREFIX_LEN) == 0, in, "vector '%s'",
		    c->vector);
	FUZZ_ASSERT(strlen(in) < CVSS_VECTOR_MAX, in, "accepted %zu bytes", strlen(in));
	FUZZ_ASSERT(strncmp(in, "CVSS:3.1/", PREFIX_LEN) == 0 ||
			    strncmp(in, "CVSS:3.0/", PREFIX_LEN) == 0,
		    in, "accepted without a CVSS:3.x/ prefix");
	check_same_components(in, c->vector);

	struct cvss again;
	struct err e2;
	memset(&again, 0x5a, sizeof again);
	err_clear(&e2);
	int rc = cvss_parse(c->vector, &again, &e2);
	FUZZ_ASSERT(rc == 0, in, "normalized '%s' refused: %s", c->vector, e2.msg);
	FUZZ_ASSERT(again.score10 == c->score10, in, "score %d then %d for '%s'", c->score10,
		    again.score10, c->vector);
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
