/*
 * fuzz_text.c — libFuzzer target for the small text parsers and
 * validators: utf8_fold (core/text.h), title_check, label_check,
 * login_check, size_parse (core/issue.h), bug_severity_parse and sla_parse
 * (core/triage.h), all on the same input.
 *
 * Invariants:
 *   - utf8_fold: never NULL, at most 4 bytes out per byte in; valid UTF-8
 *     in => valid UTF-8 out (checked by our own validator and by jansson,
 *     which is what later encodes it); ASCII in => ASCII lower-cased;
 *   - title_check/label_check accept only what jansson can encode as a JSON
 *     string, within the byte limits, without control bytes (and, for
 *     labels, commas); login_check only [a-z0-9][a-z0-9._-]{0,63};
 *   - size_parse yields 0,1,2,3,5,8,13 and size_letter round-trips;
 *   - bug_severity_parse yields 0..4 and bug_severity_name round-trips;
 *   - sla_parse: on success every day count is 1..3650 (or untouched) and
 *     sla_format's output parses back to the same SLA; on error *sla is
 *     untouched;
 *   - every error message is valid UTF-8 when the input is (error bodies
 *     are JSON).
 */
#include "core/issue.h"
#include "core/text.h"
#include "core/triage.h"

#include <jansson.h>

#include "fuzz_util.h"

static void check_msg(const struct err *e, const char *in, int in_valid)
{
	FUZZ_ASSERT(e->code == CAIRN_EINVALID, in, "code=%d", e->code);
	FUZZ_ASSERT(e->msg[0] && e->field[0], in, "message or field missing");
	FUZZ_ASSERT(memchr(e->msg, '\0', sizeof e->msg) != NULL, in, "msg not terminated");
	if (in_valid)
		FUZZ_ASSERT(fuzz_utf8_valid(e->msg), in, "message not UTF-8: %s", e->msg);
}

static int json_ok(const char *s)
{
	json_t *j = json_stringn(s, strlen(s));
	int ok = j != NULL;
	json_decref(j);
	return ok;
}

static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

static void fuzz_fold(const char *in, int in_valid)
{
	size_t n = strlen(in);
	char *f = utf8_fold(in);
	FUZZ_ASSERT(f != NULL, in, "utf8_fold returned NULL");
	size_t fn = strlen(f);
	FUZZ_ASSERT(fn <= 4 * n, in, "folded %zu bytes into %zu", n, fn);
	if (in_valid) {
		FUZZ_ASSERT(fuzz_utf8_valid(f), in, "fold of valid UTF-8 is invalid");
		FUZZ_ASSERT(json_ok(f), in, "jansson refuses the fold of valid UTF-8");
	}
	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)in[i] < 0x80;
	if (ascii) {
		FUZZ_ASSERT(fn == n, in, "ASCII changed length");
		for (size_t i = 0; i < n; i++) {
			char want = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] + 32) : in[i];
			FUZZ_ASSERT(f[i] == want, in, "byte %zu folded to 0x%02x", i,
				    (unsigned char)f[i]);
		}
	}
	free(f);
}

static int is_blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

static void fuzz_checks(const char *in, int in_valid)
{
	size_t n = strlen(in);
	struct err e;

	err_clear(&e);
	if (title_check(in, &e) == 0) {
		FUZZ_ASSERT(n > 0 && n <= TITLE_MAX && !is_blank(in), in, "title length %zu", n);
		FUZZ_ASSERT(in_valid && json_ok(in), in, "title accepted but not UTF-8");
		FUZZ_ASSERT(!has_control(in), in, "title accepted with a control byte");
	} else {
		check_msg(&e, in, in_valid);
	}

	err_clear(&e);
	if (label_check(in, &e) == 0) {
		FUZZ_ASSERT(n > 0 && n <= LABEL_MAX && !is_blank(in), in, "label length %zu", n);
		FUZZ_ASSERT(in_valid && json_ok(in), in, "label accepted but not UTF-8");
		FUZZ_ASSERT(!has_control(in) && !strchr(in, ','), in, "label accepted with , or control");
	} else {
		check_msg(&e, in, in_valid);
	}

	err_clear(&e);
	if (login_check(in, &e) == 0) {
		FUZZ_ASSERT(n >= 1 && n <= LOGIN_MAX, in, "login length %zu", n);
		FUZZ_ASSERT(strspn(in, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n, in,
			    "login accepted with a foreign byte");
		FUZZ_ASSERT(in[0] != '.' && in[0] != '_' && in[0] != '-', in,
			    "login accepted starting with punctuation");
	} else {
		check_msg(&e, in, in_valid);
	}
}

static void fuzz_enums(const char *in)
{
	int points = -7;
	if (size_parse(in, &points) == 0) {
		FUZZ_ASSERT(points == 0 || points == 1 || points == 2 || points == 3 || points == 5 ||
				    points == 8 || points == 13,
			    in, "size %d", points);
		int again = -7;
		FUZZ_ASSERT(size_parse(size_letter(points), &again) == 0 && again == points, in,
			    "size %d letter '%s' does not round-trip", points, size_letter(points));
	}

	int sev = -7;
	if (bug_severity_parse(in, &sev) == 0) {
		FUZZ_ASSERT(sev >= 0 && sev <= 4, in, "bug severity %d", sev);
		int again = -7;
		FUZZ_ASSERT(bug_severity_parse(bug_severity_name(sev), &again) == 0 && again == sev,
			    in, "bug severity %d does not round-trip", sev);
	}
}

static void fuzz_sla(const char *in, int in_valid)
{
	const struct sla defaults = SLA_DEFAULTS;
	struct sla sla = defaults;
	struct err e;

	err_clear(&e);
	if (sla_parse(in, &sla, &e) != 0) {
		check_msg(&e, in, in_valid);
		FUZZ_ASSERT(memcmp(&sla, &defaults, sizeof sla) == 0, in,
			    "sla changed by a refused parse");
		return;
	}
	FUZZ_ASSERT(sla.days[SEV_NONE] == 0, in, "days[none]=%d", sla.days[SEV_NONE]);
	for (int s = SEV_LOW; s <= SEV_CRITICAL; s++)
		FUZZ_ASSERT(sla.days[s] >= 1 && sla.days[s] <= 3650, in, "days[%d]=%d", s,
			    sla.days[s]);

	char buf[128];
	struct sla back = {{0, 0, 0, 0, 0}};
	sla_format(&sla, buf, sizeof buf);
	err_clear(&e);
	FUZZ_ASSERT(sla_parse(buf, &back, &e) == 0, in, "formatted '%s' refused: %s", buf,
		    e.msg);
	FUZZ_ASSERT(memcmp(&back, &sla, sizeof sla) == 0, in, "'%s' does not round-trip", buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	int in_valid = fuzz_utf8_valid(in);

	/* Our validator and jansson's must agree: they are both strict. */
	FUZZ_ASSERT(in_valid == json_ok(in), in, "validator %d, jansson %d", in_valid, !in_valid);
	fuzz_fold(in, in_valid);
	fuzz_checks(in, in_valid);
	fuzz_enums(in);
	fuzz_sla(in, in_valid);
	free(in);
	return 0;
}
