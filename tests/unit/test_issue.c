/*
 * test_issue.c — unit tests of core/issue: sizes, enum names, field
 * validation (titles, bodies, labels, logins), label normalization,
 * deep copy and role capabilities.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/issue.h"

TestSuite(size, .fini = fail_on_leaks);
TestSuite(enums, .fini = fail_on_leaks);
TestSuite(title, .fini = fail_on_leaks);
TestSuite(body, .fini = fail_on_leaks);
TestSuite(label, .fini = fail_on_leaks);
TestSuite(login, .fini = fail_on_leaks);
TestSuite(labels_normalize, .fini = fail_on_leaks);
TestSuite(issue_copy, .fini = fail_on_leaks);
TestSuite(roles, .fini = fail_on_leaks);

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The planning-poker scale of DESIGN §2, as users type it. */
static const struct {
	const char *letter;
	const char *number;
	int points;
} scale[] = {
	{"XS", "1", 1}, {"S", "2", 2}, {"M", "3", 3},
	{"L", "5", 5}, {"XL", "8", 8}, {"XXL", "13", 13},
};

/* Assert that a validator refused with CAIRN_EINVALID on `field`. */
static void expect_refused(int rc, const struct err *e, const char *field, const char *input_desc)
{
	cr_expect(eq(int, rc, CAIRN_EINVALID), "%s: should be refused", input_desc);
	cr_expect(eq(int, e->code, CAIRN_EINVALID), "%s: err code", input_desc);
	cr_expect(eq(str, (char *)e->field, (char *)field), "%s: err field", input_desc);
	cr_expect(e->msg[0] != '\0', "%s: refusal carries a message", input_desc);
}

/* ----------------------------------------------------------------- size */

Test(size, accepts_letters_and_numbers)
{
	for (size_t k = 0; k < N(scale); k++) {
		int pts = -1;
		cr_expect(eq(int, size_parse(scale[k].letter, &pts), 0), "letter %s", scale[k].letter);
		cr_expect(eq(int, pts, scale[k].points), "letter %s", scale[k].letter);
		pts = -1;
		cr_expect(eq(int, size_parse(scale[k].number, &pts), 0), "number %s", scale[k].number);
		cr_expect(eq(int, pts, scale[k].points), "number %s", scale[k].number);
	}
}

Test(size, accepts_letters_in_any_case)
{
	const struct {
		const char *s;
		int points;
	} cases[] = {{"xs", 1}, {"Xs", 1}, {"s", 2}, {"m", 3}, {"l", 5},
		     {"xl", 8}, {"xL", 8}, {"xxl", 13}, {"XxL", 13}};
	for (size_t k = 0; k < N(cases); k++) {
		int pts = -1;
		cr_expect(eq(int, size_parse(cases[k].s, &pts), 0), "'%s'", cases[k].s);
		cr_expect(eq(int, pts, cases[k].points), "'%s'", cases[k].s);
	}
}

Test(size, empty_string_means_unset)
{
	int pts = 99;
	cr_assert(eq(int, size_parse("", &pts), 0));
	cr_expect(eq(int, pts, 0));
}

Test(size, refuses_values_off_the_scale)
{
	const char *bad[] = {"7", "4", "0", "-1", "21", "XXXL", "XXS", "SM", "medium",
			     " M", "M ", "03", "+3", "3.0", "1e1", "0x3", "x"};
	for (size_t k = 0; k < N(bad); k++) {
		int pts = 0;
		cr_expect(eq(int, size_parse(bad[k], &pts), -1), "'%s' must be refused", bad[k]);
	}
}

Test(size, refuses_null)
{
	int pts = 0;
	cr_expect(eq(int, size_parse(NULL, &pts), -1));
}

Test(size, letter_names_each_point_value)
{
	for (size_t k = 0; k < N(scale); k++)
		cr_expect(eq(str, (char *)size_letter(scale[k].points), (char *)scale[k].letter),
			  "%d points", scale[k].points);
}

Test(size, letter_is_empty_for_unset_and_off_scale_points)
{
	const int off[] = {0, -1, 4, 7, 21, 1000};
	for (size_t k = 0; k < N(off); k++)
		cr_expect(eq(str, (char *)size_letter(off[k]), ""), "%d points", off[k]);
}

Test(size, letter_and_parse_round_trip)
{
	for (size_t k = 0; k < N(scale); k++) {
		int pts = -1;
		cr_expect(eq(int, size_parse(size_letter(scale[k].points), &pts), 0));
		cr_expect(eq(int, pts, scale[k].points));
	}
}

Test(size, effective_size_prefers_em_size_over_pm_size)
{
	struct issue i = an_issue(.pm_size = 8, .size = 3);
	cr_expect(eq(int, issue_effective_size(&i), 3));
	issue_release(&i);
}

Test(size, effective_size_falls_back_to_pm_size)
{
	struct issue i = an_issue(.pm_size = 8);
	cr_expect(eq(int, issue_effective_size(&i), 8));
	issue_release(&i);
}

Test(size, effective_size_is_zero_when_nothing_is_estimated)
{
	struct issue i = an_issue();
	cr_expect(eq(int, issue_effective_size(&i), 0));
	issue_release(&i);
}

Test(size, effective_size_uses_size_without_pm_size)
{
	struct issue i = an_issue(.size = 13);
	cr_expect(eq(int, issue_effective_size(&i), 13));
	issue_release(&i);
}

/* ---------------------------------------------------------------- enums */

Test(enums, issue_type_names_round_trip)
{
	const struct {
		enum issue_type t;
		const char *name;
	} all[] = {{ISSUE_EPIC, "epic"}, {ISSUE_STORY, "story"}, {ISSUE_TASK, "task"},
		   {ISSUE_BUG, "bug"}, {ISSUE_FEATURE, "feature"}, {ISSUE_SECURITY, "security"}};
	for (size_t k = 0; k < N(all); k++) {
		enum issue_type t = 0;
		cr_expect(eq(str, (char *)issue_type_name(all[k].t), (char *)all[k].name));
		cr_expect(eq(int, issue_type_parse(all[k].name, &t), 0), "%s", all[k].name);
		cr_expect(eq(int, (int)t, (int)all[k].t), "%s", all[k].name);
	}
}

Test(enums, issue_type_wire_values_never_change)
{
	/* Stored in the database: renumbering would corrupt existing data. */
	cr_expect(eq(int, ISSUE_EPIC, 1));
	cr_expect(eq(int, ISSUE_STORY, 2));
	cr_expect(eq(int, ISSUE_TASK, 3));
	cr_expect(eq(int, ISSUE_BUG, 4));
	cr_expect(eq(int, ISSUE_FEATURE, 5));
	cr_expect(eq(int, ISSUE_SECURITY, 6));
	cr_expect(eq(int, ISSUE_OPEN, 0));
	cr_expect(eq(int, ISSUE_CLOSED, 1));
	cr_expect(eq(int, PRIO_NONE, 0));
	cr_expect(eq(int, PRIO_HIGH, 1));
	cr_expect(eq(int, PRIO_MEDIUM, 2));
	cr_expect(eq(int, PRIO_LOW, 3));
	cr_expect(eq(int, ROLE_ADMIN, 1));
	cr_expect(eq(int, ROLE_VIEWER, 6));
}

Test(enums, issue_type_parse_ignores_case)
{
	enum issue_type t = 0;
	cr_expect(eq(int, issue_type_parse("Security", &t), 0));
	cr_expect(eq(int, (int)t, ISSUE_SECURITY));
	cr_expect(eq(int, issue_type_parse("BUG", &t), 0));
	cr_expect(eq(int, (int)t, ISSUE_BUG));
}

Test(enums, issue_type_parse_refuses_unknown_names)
{
	const char *bad[] = {"", "spike", "bugs", " bug", "feature request", "pillar", "area"};
	for (size_t k = 0; k < N(bad); k++) {
		enum issue_type t = ISSUE_TASK;
		cr_expect(eq(int, issue_type_parse(bad[k], &t), -1), "'%s'", bad[k]);
		cr_expect(eq(int, (int)t, ISSUE_TASK), "'%s' must not touch *out", bad[k]);
	}
	enum issue_type t;
	cr_expect(eq(int, issue_type_parse(NULL, &t), -1));
}

Test(enums, unknown_values_have_an_empty_name_never_null)
{
	cr_expect(eq(str, (char *)issue_type_name((enum issue_type)0), ""));
	cr_expect(eq(str, (char *)issue_type_name((enum issue_type)99), ""));
	cr_expect(eq(str, (char *)issue_state_name((enum issue_state)7), ""));
	cr_expect(eq(str, (char *)priority_name((enum priority)9), ""));
	cr_expect(eq(str, (char *)role_name((enum role)0), ""));
	cr_expect(eq(str, (char *)role_name((enum role)42), ""));
}

Test(enums, state_names_round_trip)
{
	enum issue_state s = ISSUE_CLOSED;
	cr_expect(eq(str, (char *)issue_state_name(ISSUE_OPEN), "open"));
	cr_expect(eq(str, (char *)issue_state_name(ISSUE_CLOSED), "closed"));
	cr_expect(eq(int, issue_state_parse("open", &s), 0));
	cr_expect(eq(int, (int)s, ISSUE_OPEN));
	cr_expect(eq(int, issue_state_parse("CLOSED", &s), 0));
	cr_expect(eq(int, (int)s, ISSUE_CLOSED));
	cr_expect(eq(int, issue_state_parse("done", &s), -1));
	cr_expect(eq(int, issue_state_parse("", &s), -1));
	cr_expect(eq(int, issue_state_parse(NULL, &s), -1));
}

Test(enums, priority_names_round_trip)
{
	const struct {
		enum priority p;
		const char *name;
	} all[] = {{PRIO_NONE, ""}, {PRIO_HIGH, "high"}, {PRIO_MEDIUM, "medium"}, {PRIO_LOW, "low"}};
	for (size_t k = 0; k < N(all); k++) {
		enum priority p = 77;
		cr_expect(eq(str, (char *)priority_name(all[k].p), (char *)all[k].name));
		cr_expect(eq(int, priority_parse(priority_name(all[k].p), &p), 0), "'%s'", all[k].name);
		cr_expect(eq(int, (int)p, (int)all[k].p), "'%s'", all[k].name);
	}
}

Test(enums, priority_none_and_empty_mean_no_priority)
{
	const char *none[] = {"", "none", "None", "NONE"};
	for (size_t k = 0; k < N(none); k++) {
		enum priority p = PRIO_HIGH;
		cr_expect(eq(int, priority_parse(none[k], &p), 0), "'%s'", none[k]);
		cr_expect(eq(int, (int)p, PRIO_NONE), "'%s'", none[k]);
	}
}

Test(enums, priority_parse_ignores_case_and_refuses_unknown)
{
	enum priority p = PRIO_NONE;
	cr_expect(eq(int, priority_parse("High", &p), 0));
	cr_expect(eq(int, (int)p, PRIO_HIGH));
	const char *bad[] = {"urgent", "p1", "hi", " high", "priority:high"};
	for (size_t k = 0; k < N(bad); k++)
		cr_expect(eq(int, priority_parse(bad[k], &p), -1), "'%s'", bad[k]);
	cr_expect(eq(int, priority_parse(NULL, &p), -1));
}

Test(enums, role_names_round_trip)
{
	const struct {
		enum role r;
		const char *name;
	} all[] = {{ROLE_ADMIN, "admin"}, {ROLE_PM, "pm"}, {ROLE_CTO, "cto"},
		   {ROLE_EM, "em"}, {ROLE_ENGINEER, "engineer"}, {ROLE_VIEWER, "viewer"}};
	for (size_t k = 0; k < N(all); k++) {
		enum role r = 0;
		cr_expect(eq(str, (char *)role_name(all[k].r), (char *)all[k].name));
		cr_expect(eq(int, role_parse(all[k].name, &r), 0), "%s", all[k].name);
		cr_expect(eq(int, (int)r, (int)all[k].r), "%s", all[k].name);
	}
	enum role r;
	cr_expect(eq(int, role_parse("Admin", &r), 0));
	cr_expect(eq(int, (int)r, ROLE_ADMIN));
	cr_expect(eq(int, role_parse("root", &r), -1));
	cr_expect(eq(int, role_parse("", &r), -1));
	cr_expect(eq(int, role_parse(NULL, &r), -1));
}

/* ---------------------------------------------------------------- title */

Test(title, accepts_a_plain_title)
{
	struct err e = {0};
	cr_expect(eq(int, title_check("Export the board as CSV", &e), 0));
	cr_expect(eq(int, e.code, CAIRN_OK), "an accepted title leaves the error untouched");
}

Test(title, refuses_empty_and_blank_titles)
{
	const char *blank[] = {"", " ", "   ", "\t", " \t "};
	for (size_t k = 0; k < N(blank); k++) {
		struct err e = {0};
		expect_refused(title_check(blank[k], &e), &e, "title", "blank title");
	}
	struct err e = {0};
	expect_refused(title_check(NULL, &e), &e, "title", "NULL title");
}

Test(title, accepts_256_bytes_and_refuses_257)
{
	char *t256 = str_of_len("abcd", TITLE_MAX);
	char *t257 = str_of_len("abcd", TITLE_MAX + 1);
	struct err e = {0};
	cr_expect(eq(int, title_check(t256, &e), 0), "256 bytes is the limit");
	expect_refused(title_check(t257, &e), &e, "title", "257-byte title");
	cr_expect(strstr(e.msg, "256") != NULL, "message names the limit: %s", e.msg);
	free(t256);
	free(t257);
}

Test(title, limit_counts_bytes_not_characters)
{
	/* 128 x "é" (2 bytes each) = 256 bytes: allowed; one more is not. */
	char *t256 = str_of_len("\xc3\xa9", 256);
	char *t258 = str_of_len("\xc3\xa9", 258);
	struct err e = {0};
	cr_expect(eq(int, title_check(t256, &e), 0));
	expect_refused(title_check(t258, &e), &e, "title", "129 x e-acute");
	free(t256);
	free(t258);
}

Test(title, refuses_control_characters)
{
	const char *bad[] = {"line\nbreak", "carriage\rreturn", "tab\tinside", "bell\a",
			     "escape\x1b[31m", "delete\x7f", "\x01start"};
	for (size_t k = 0; k < N(bad); k++) {
		struct err e = {0};
		expect_refused(title_check(bad[k], &e), &e, "title", "title with a control char");
	}
}

Test(title, accepts_valid_multibyte_utf8)
{
	const char *good[] = {
		"Café au lait",                        /* 2-byte */
		"\xe2\x82\xac 10 per seat",            /* U+20AC euro, 3-byte */
		"日本語のタイトル",                      /* CJK, 3-byte */
		"Ship it \xf0\x9f\x9a\x80",            /* U+1F680 rocket, 4-byte */
		"\xc2\xa9 2024 Cairn",                  /* U+00A9, 2-byte */
		"\xed\x9f\xbf below surrogates",       /* U+D7FF */
		"\xee\x80\x80 above surrogates",       /* U+E000 */
		"\xf4\x8f\xbf\xbf highest code point", /* U+10FFFF */
	};
	for (size_t k = 0; k < N(good); k++) {
		struct err e = {0};
		cr_expect(eq(int, title_check(good[k], &e), 0), "'%s': %s", good[k], e.msg);
	}
}

Test(title, refuses_invalid_utf8)
{
	const struct {
		const char *s;
		const char *why;
	} bad[] = {
		{"\xff title", "0xFF is never UTF-8"},
		{"caf\xe9", "Latin-1 e-acute"},
		{"\x80 lone continuation", "lone continuation byte"},
		{"trunc \xc3", "truncated 2-byte sequence at the end"},
		{"trunc \xe2\x82 x", "truncated 3-byte sequence"},
		{"trunc \xf0\x9f\x9a", "truncated 4-byte sequence at the end"},
		{"\xc0\xaf", "overlong '/' (2 bytes)"},
		{"\xc1\xbf", "overlong 2-byte"},
		{"\xe0\x80\xaf", "overlong '/' (3 bytes)"},
		{"\xe0\x9f\xbf", "overlong U+07FF (3 bytes)"},
		{"\xf0\x80\x80\xaf", "overlong '/' (4 bytes)"},
		{"\xf0\x8f\xbf\xbf", "overlong U+FFFF (4 bytes)"},
		{"\xed\xa0\x80", "high surrogate U+D800"},
		{"\xed\xbf\xbf", "low surrogate U+DFFF"},
		{"\xed\xa0\xbd\xed\xb8\x80", "CESU-8 surrogate pair"},
		{"\xf4\x90\x80\x80", "above U+10FFFF"},
		{"\xf5\x80\x80\x80", "lead byte 0xF5"},
		{"\xf8\x88\x80\x80\x80", "5-byte form"},
		{"\xfc\x84\x80\x80\x80\x80", "6-byte form"},
	};
	for (size_t k = 0; k < N(bad); k++) {
		struct err e = {0};
		expect_refused(title_check(bad[k].s, &e), &e, "title", bad[k].why);
	}
}

Test(title, error_pointer_may_be_null)
{
	cr_expect(eq(int, title_check("", NULL), CAIRN_EINVALID));
	cr_expect(eq(int, title_check("ok", NULL), 0));
}

/* ----------------------------------------------------------------- body */

Test(body, accepts_markdown_with_newlines_and_empty_or_missing_body)
{
	struct err e = {0};
	cr_expect(eq(int, body_check("## Steps\n\n1. open\n2. click\r\n\n```\tcode\n```", &e), 0));
	cr_expect(eq(int, body_check("", &e), 0));
	cr_expect(eq(int, body_check(NULL, &e), 0));
	cr_expect(eq(int, e.code, CAIRN_OK));
}

Test(body, accepts_64k_and_refuses_one_byte_more)
{
	char *ok = str_of_len("lorem ipsum\n", BODY_MAX);
	char *big = str_of_len("lorem ipsum\n", BODY_MAX + 1);
	struct err e = {0};
	cr_expect(eq(int, body_check(ok, &e), 0));
	expect_refused(body_check(big, &e), &e, "body", "65537-byte body");
	free(ok);
	free(big);
}

Test(body, refuses_invalid_utf8)
{
	struct err e = {0};
	expect_refused(body_check("good start \xed\xa0\x80 surrogate", &e), &e, "body", "surrogate");
	expect_refused(body_check("\xc0\x80", &e), &e, "body", "overlong NUL");
}

/* ---------------------------------------------------------------- label */

Test(label, accepts_conventional_labels)
{
	const char *good[] = {"bug", "area:auth", "Customer Request", "good first issue",
			      "priority:high", "13", "needs-triage", "équipe"};
	for (size_t k = 0; k < N(good); k++) {
		struct err e = {0};
		cr_expect(eq(int, label_check(good[k], &e), 0), "'%s': %s", good[k], e.msg);
	}
}

Test(label, refuses_commas)
{
	struct err e = {0};
	expect_refused(label_check("bug,ui", &e), &e, "labels", "label with a comma");
	expect_refused(label_check(",", &e), &e, "labels", "lone comma");
}

Test(label, refuses_empty_and_blank)
{
	const char *blank[] = {"", " ", "\t"};
	for (size_t k = 0; k < N(blank); k++) {
		struct err e = {0};
		expect_refused(label_check(blank[k], &e), &e, "labels", "blank label");
	}
	struct err e = {0};
	expect_refused(label_check(NULL, &e), &e, "labels", "NULL label");
}

Test(label, accepts_64_bytes_and_refuses_65)
{
	char *l64 = str_of_len("x", LABEL_MAX);
	char *l65 = str_of_len("x", LABEL_MAX + 1);
	struct err e = {0};
	cr_expect(eq(int, label_check(l64, &e), 0));
	expect_refused(label_check(l65, &e), &e, "labels", "65-byte label");
	free(l64);
	free(l65);
}

Test(label, refuses_control_characters_and_invalid_utf8)
{
	struct err e = {0};
	expect_refused(label_check("a\nb", &e), &e, "labels", "newline");
	expect_refused(label_check("a\tb", &e), &e, "labels", "tab");
	expect_refused(label_check("\xff", &e), &e, "labels", "invalid UTF-8");
}

/* ---------------------------------------------------------------- login */

Test(login, accepts_lowercase_digits_dash_underscore_dot)
{
	const char *good[] = {"pat", "pat.pm", "dev-42", "a_b", "0", "x.y-z_9"};
	for (size_t k = 0; k < N(good); k++) {
		struct err e = {0};
		cr_expect(eq(int, login_check(good[k], &e), 0), "'%s': %s", good[k], e.msg);
	}
}

Test(login, refuses_other_characters)
{
	const char *bad[] = {"Pat", "pat pm", "pat@example.com", "pät", "a/b", "a:b", "tab\t",
			     "-x", ".", "..", "_a"};
	for (size_t k = 0; k < N(bad); k++) {
		struct err e = {0};
		expect_refused(login_check(bad[k], &e), &e, "login", bad[k]);
	}
}

Test(login, length_is_1_to_64)
{
	char *l64 = str_of_len("a", LOGIN_MAX);
	char *l65 = str_of_len("a", LOGIN_MAX + 1);
	struct err e = {0};
	cr_expect(eq(int, login_check(l64, &e), 0));
	expect_refused(login_check(l65, &e), &e, "login", "65-char login");
	expect_refused(login_check("", &e), &e, "login", "empty login");
	expect_refused(login_check(NULL, &e), &e, "login", "NULL login");
	free(l64);
	free(l65);
}

/* ----------------------------------------------------- labels_normalize */

/* A heap array of heap strings, as the store hands it over. */
static char **owned_labels(const char *const *src, size_t n)
{
	char **a = calloc(n ? n : 1, sizeof *a);
	cr_assert(a != NULL);
	for (size_t k = 0; k < n; k++)
		a[k] = test_strdup(src[k]);
	return a;
}

static void free_labels(char **a, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(a[k]);
	free(a);
}

Test(labels_normalize, sorts_labels)
{
	const char *in[] = {"ui", "bug", "area:auth"};
	char **a = owned_labels(in, N(in));
	size_t n = labels_normalize(a, N(in), 1);
	cr_assert(eq(sz, n, 3));
	cr_expect(eq(str, a[0], "area:auth"));
	cr_expect(eq(str, a[1], "bug"));
	cr_expect(eq(str, a[2], "ui"));
	free_labels(a, n);
}

Test(labels_normalize, drops_duplicates_and_frees_them_when_owned)
{
	/* ASan/LSan catch a leak of a dropped copy or a double free. */
	const char *in[] = {"bug", "ui", "bug", "area:auth", "ui", "bug"};
	char **a = owned_labels(in, N(in));
	size_t n = labels_normalize(a, N(in), 1);
	cr_assert(eq(sz, n, 3));
	cr_expect(eq(str, a[0], "area:auth"));
	cr_expect(eq(str, a[1], "bug"));
	cr_expect(eq(str, a[2], "ui"));
	free_labels(a, n);
}

Test(labels_normalize, leaves_borrowed_strings_alone)
{
	/* owned == 0: string literals must not be freed. */
	const char *a[] = {"ui", "bug", "ui", "bug"};
	size_t n = labels_normalize((char **)a, N(a), 0);
	cr_assert(eq(sz, n, 2));
	cr_expect(eq(str, (char *)a[0], "bug"));
	cr_expect(eq(str, (char *)a[1], "ui"));
}

Test(labels_normalize, all_duplicates_collapse_to_one)
{
	const char *in[] = {"bug", "bug", "bug", "bug"};
	char **a = owned_labels(in, N(in));
	size_t n = labels_normalize(a, N(in), 1);
	cr_assert(eq(sz, n, 1));
	cr_expect(eq(str, a[0], "bug"));
	free_labels(a, n);
}

Test(labels_normalize, empty_and_single_are_unchanged)
{
	cr_expect(eq(sz, labels_normalize(NULL, 0, 1), 0));
	const char *in[] = {"bug"};
	char **a = owned_labels(in, 1);
	cr_expect(eq(sz, labels_normalize(a, 1, 1), 1));
	cr_expect(eq(str, a[0], "bug"));
	free_labels(a, 1);
}

Test(labels_normalize, handles_the_per_issue_maximum)
{
	const char *in[LABELS_MAX];
	char names[LABELS_MAX][16];
	for (int k = 0; k < LABELS_MAX; k++) {
		snprintf(names[k], sizeof names[k], "l%02d", (LABELS_MAX - 1 - k) / 2);
		in[k] = names[k];
	}
	char **a = owned_labels(in, LABELS_MAX);
	size_t n = labels_normalize(a, LABELS_MAX, 1);
	cr_assert(eq(sz, n, LABELS_MAX / 2));
	for (size_t k = 1; k < n; k++)
		cr_expect(strcmp(a[k - 1], a[k]) < 0, "sorted and unique at %zu", k);
	free_labels(a, n);
}

/* ----------------------------------------------------------- issue_copy */

Test(issue_copy, copies_every_field)
{
	struct issue src = an_issue(.number = 42, .type = ISSUE_BUG, .title = "Login fails",
				    .body = "Steps:\n1. log in", .priority = PRIO_HIGH,
				    .pm_size = 5, .size = 3, .labels = {"area:auth", "bug"},
				    .assignee = "dev-1", .reporter = "pat.pm", .parent = 7);
	struct issue dst;
	memset(&dst, 0, sizeof dst);
	cr_assert(eq(int, issue_copy(&dst, &src), 0));
	cr_expect(eq(i64, dst.number, 42));
	cr_expect(eq(int, (int)dst.type, ISSUE_BUG));
	cr_expect(eq(str, dst.title, "Login fails"));
	cr_expect(eq(str, dst.body, "Steps:\n1. log in"));
	cr_expect(eq(int, (int)dst.priority, PRIO_HIGH));
	cr_expect(eq(int, dst.pm_size, 5));
	cr_expect(eq(int, dst.size, 3));
	cr_assert(eq(sz, dst.nlabels, 2));
	cr_expect(eq(str, dst.labels[0], "area:auth"));
	cr_expect(eq(str, dst.labels[1], "bug"));
	cr_expect(eq(str, dst.assignee, "dev-1"));
	cr_expect(eq(str, dst.reporter, "pat.pm"));
	cr_expect(eq(i64, dst.parent, 7));
	cr_expect(eq(i64, dst.created_at, src.created_at));
	cr_expect(eq(i64, dst.version, src.version));
	issue_release(&src);
	issue_release(&dst);
}

Test(issue_copy, copy_is_independent_of_the_original)
{
	struct issue src = an_issue(.title = "Original", .labels = {"bug"}, .assignee = "dev-1");
	struct issue dst;
	memset(&dst, 0, sizeof dst);
	cr_assert(eq(int, issue_copy(&dst, &src), 0));

	cr_expect(dst.title != src.title, "title must be a new allocation");
	cr_expect(dst.body != src.body, "body must be a new allocation");
	cr_expect(dst.labels != src.labels, "label array must be a new allocation");
	cr_expect(dst.labels[0] != src.labels[0], "each label must be a new allocation");
	cr_expect(dst.assignee != src.assignee, "assignee must be a new allocation");

	src.title[0] = 'X';
	src.labels[0][0] = 'X';
	cr_expect(eq(str, dst.title, "Original"));
	cr_expect(eq(str, dst.labels[0], "bug"));

	/* Releasing the original must leave the copy usable (ASan checks). */
	issue_release(&src);
	cr_expect(eq(str, dst.title, "Original"));
	cr_expect(eq(str, dst.assignee, "dev-1"));
	issue_release(&dst);
}

Test(issue_copy, keeps_missing_optional_strings_missing)
{
	struct issue src = an_issue();
	free(src.reporter);
	src.reporter = NULL;
	struct issue dst;
	memset(&dst, 0, sizeof dst);
	cr_assert(eq(int, issue_copy(&dst, &src), 0));
	cr_expect(dst.assignee == NULL);
	cr_expect(dst.reporter == NULL);
	cr_expect(dst.labels == NULL);
	cr_expect(eq(sz, dst.nlabels, 0));
	issue_release(&src);
	issue_release(&dst);
}

Test(issue_copy, release_zeroes_and_is_safe_twice)
{
	struct issue i = an_issue(.labels = {"a", "b"}, .assignee = "dev-1");
	issue_release(&i);
	cr_expect(i.title == NULL);
	cr_expect(i.labels == NULL);
	cr_expect(eq(sz, i.nlabels, 0));
	cr_expect(eq(i64, i.number, 0));
	issue_release(&i); /* zeroed issue: no double free */
	issue_release(NULL);
}

