/*
 * builders.h — shared helpers of the unit tests: test-data builders (an
 * issue with sensible defaults, strings of an exact byte length) and a
 * per-test leak check.
 *
 * Everything here is `static inline` because every test file (tests/unit, *.c) is
 * compiled into one binary: plain statics would warn when unused and
 * non-static definitions would clash at link time.
 */
#ifndef CAIRN_TEST_BUILDERS_H
#define CAIRN_TEST_BUILDERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/issue.h"

/* ---------------------------------------------------------------- leaks */

#if defined(__SANITIZE_ADDRESS__)
#define CAIRN_TEST_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAIRN_TEST_LSAN 1
#endif
#endif

#ifdef CAIRN_TEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/*
 * Suite teardown: fail loudly when the test leaked.  LeakSanitizer's own
 * report at worker exit is printed but does not fail a Criterion test, so
 * check here and abort: Criterion then flags the test ("crashed during
 * its setup or teardown") and the run exits non-zero.
 *
 * Use as: TestSuite(name, .fini = fail_on_leaks);
 */
static inline void fail_on_leaks(void)
{
#ifdef CAIRN_TEST_LSAN
	if (__lsan_do_recoverable_leak_check()) {
		fprintf(stderr, "unit test leaked memory (LeakSanitizer report above)\n");
		abort();
	}
#endif
}

/* -------------------------------------------------------------- strings */

/*
 * A malloc'd string of exactly `len` bytes made by repeating `unit`
 * (the last repetition is cut if needed, so pick a unit whose length
 * divides len when the text must stay valid UTF-8).  Caller frees.
 */
static inline char *str_of_len(const char *unit, size_t len)
{
	size_t ulen = strlen(unit);
	char *s = malloc(len + 1);
	cr_assert(s != NULL, "out of memory building a %zu-byte string", len);
	for (size_t i = 0; i < len; i++)
		s[i] = unit[i % ulen];
	s[len] = '\0';
	return s;
}

/* A malloc'd copy of s (NULL stays NULL).  Caller frees. */
static inline char *test_strdup(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	cr_assert(d != NULL, "out of memory");
	return d;
}

/* --------------------------------------------------------------- issues */

/*
 * What a test cares about in an issue; every unset member gets a default
 * that passes validation.  Build with designated initializers:
 *
 *     struct issue i = an_issue(.title = "Fix login", .size = 3,
 *                               .labels = {"bug", "area:auth"});
 *     ...
 *     issue_release(&i);
 */
struct issue_spec {
	int64_t number;
	enum issue_type type;
	const char *title;
	const char *body;
	enum issue_state state;
	enum priority priority;
	int pm_size;
	int size;
	const char *labels[LABELS_MAX]; /* NULL-terminated unless full */
	const char *assignee;
	const char *reporter;
	int64_t parent;
	int64_t created_at;
};

static inline struct issue issue_from_spec(struct issue_spec s)
{
	struct issue i;
	memset(&i, 0, sizeof i);
	i.id = s.number ? s.number : 1;
	i.number = s.number ? s.number : 1;
	i.type = s.type ? s.type : ISSUE_STORY;
	i.title = test_strdup(s.title ? s.title : "Export the product board as CSV");
	i.body = test_strdup(s.body ? s.body : "");
	i.state = s.state;
	i.priority = s.priority;
	i.pm_size = s.pm_size;
	i.size = s.size;
	i.parent = s.parent;
	i.assignee = test_strdup(s.assignee);
	i.reporter = test_strdup(s.reporter ? s.reporter : "pat.pm");
	i.reporter_id = 7;
	i.created_at = s.created_at ? s.created_at : 1700000000000;
	i.updated_at = i.created_at;
	i.version = 1;

	while (i.nlabels < LABELS_MAX && s.labels[i.nlabels])
		i.nlabels++;
	if (i.nlabels) {
		i.labels = calloc(i.nlabels, sizeof *i.labels);
		cr_assert(i.labels != NULL, "out of memory");
		for (size_t k = 0; k < i.nlabels; k++)
			i.labels[k] = test_strdup(s.labels[k]);
	}
	return i;
}

#define an_issue(...) issue_from_spec((struct issue_spec){__VA_ARGS__})

#endif
