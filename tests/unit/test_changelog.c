/*
 * test_changelog.c — changelog entries (core/changelog.h): the front-matter
 * file written byte for byte and read back, the looser files people write
 * by hand, every refusal with its line, slugs and file names, the Atom
 * feed and its escaping, and the release notes.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "builders.h"
#include "core/changelog.h"

TestSuite(changelog, .fini = fail_on_leaks);

#define JUNE_11_NOON 1749643200000LL /* 2025-06-11 12:00:00 UTC */

static struct cl_entry parse_ok(const char *text)
{
	struct cl_entry e;
	struct cl_parse_error pe;
	cr_assert_eq(cl_parse(text, strlen(text), &e, &pe), 0, "%s\n--- input:\n%s", pe.msg, text);
	return e;
}

/* cl_format(cl_parse(text)) == text, byte for byte. */
static void expect_round_trip(const char *text)
{
	struct cl_entry e = parse_ok(text);
	char *again = cl_format(&e);
	cr_assert_not_null(again);
	cr_expect_str_eq(again, text);
	free(again);
	cl_entry_release(&e);
}

static void expect_list(char *const *v, size_t n, const char *const *want, size_t nwant)
{
	cr_assert_eq(n, nwant, "%zu items, expected %zu", n, nwant);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_eq(v[i], want[i], "item %zu", i);
}

#define EXPECT_LIST(v, n, ...)                                                   \
	do {                                                                     \
		const char *const want_[] = {__VA_ARGS__};                       \
		expect_list(v, n, want_, sizeof want_ / sizeof want_[0]);        \
	} while (0)

/* ---------------------------------------------------------- the format */

static const char handbook[] = "---\n"
			       "title: \"Feature Title\"\n"
			       "description: \"Brief description of the feature or change\"\n"
			       "date: 2025-06-11 12:00:00.0\n"
			       "authors: [\"author-handle\", \"second\"]\n"
			       "tags:\n"
			       "  - changelog\n"
			       "issues:\n"
			       "  - \"https://github.com/Owner/repo/issues/185\"\n"
			       "  - \"#1234\"\n"
			       "---\n"
			       "\n"
			       "Markdown body here.\n";

Test(changelog, format_writes_the_handbook_shape)
{
	char *authors[] = {"author-handle", "second"}, *tags[] = {"changelog"};
	char *issues[] = {"https://github.com/Owner/repo/issues/185", "#1234"};
	struct cl_entry e = {
		.title = "Feature Title",
		.description = "Brief description of the feature or change",
		.body = "Markdown body here.", /* the final newline is added */
		.date_ms = JUNE_11_NOON + 999,  /* second precision */
		.authors = authors, .nauthors = 2,
		.tags = tags, .ntags = 1,
		.issues = issues, .nissues = 2,
	};
	char *out = cl_format(&e);
	cr_assert_not_null(out);
	cr_expect_str_eq(out, handbook);
	free(out);
}

Test(changelog, format_of_empty_lists_and_body)
{
	struct cl_entry e = {.title = "T", .date_ms = 0};
	char *out = cl_format(&e);
	cr_assert_not_null(out);
	cr_expect_str_eq(out, "---\ntitle: \"T\"\ndescription: \"\"\ndate: 1970-01-01 00:00:00.0\n"
			      "authors: []\ntags: []\nissues: []\n---\n");
	free(out);
}

Test(changelog, format_quotes_tags_only_when_needed)
{
	char *tags[] = {"changelog", "ui_v2.x", "2.31", "yes", "Off", "-x", "with space", "a:b", ""};
	struct cl_entry e = {.title = "T", .tags = tags, .ntags = 9};
	char *out = cl_format(&e);
	cr_assert_not_null(out);
	cr_expect(strstr(out, "tags:\n  - changelog\n  - ui_v2.x\n  - \"2.31\"\n  - \"yes\"\n"
			      "  - \"Off\"\n  - \"-x\"\n  - \"with space\"\n  - \"a:b\"\n  - \"\"\n"),
		  "%s", out);
	free(out);
}

Test(changelog, round_trip_of_the_handbook_entry)
{
	expect_round_trip(handbook);
	struct cl_entry e = parse_ok(handbook);
	cr_expect_str_eq(e.title, "Feature Title");
	cr_expect_eq(e.date_ms, JUNE_11_NOON);
	EXPECT_LIST(e.authors, e.nauthors, "author-handle", "second");
	EXPECT_LIST(e.tags, e.ntags, "changelog");
	EXPECT_LIST(e.issues, e.nissues, "https://github.com/Owner/repo/issues/185", "#1234");
	cr_expect_str_eq(e.body, "Markdown body here.\n");
	cl_entry_release(&e);
}

Test(changelog, round_trip_of_quotes_colons_and_backslashes)
{
	static const char text[] =
		"---\n"
		"title: \"Fix: \\\"quoted\\\" paths like C:\\\\Users\\\\me and key: value\"\n"
		"description: \"Windows paths\\\\, 'single' quotes, # not a comment\"\n"
		"date: 2026-12-24 09:30:15.0\n"
		"authors: [\"o'brien\", \"zoë\", \"x\\\"y\"]\n"
		"tags:\n"
		"  - changelog\n"
		"  - fix\n"
		"issues:\n"
		"  - \"https://github.com/Owner/repo/issues/7\"\n"
		"---\n"
		"\n"
		"Use `C:\\Users` now.\n";
	expect_round_trip(text);
	struct cl_entry e = parse_ok(text);
	cr_expect_str_eq(e.title, "Fix: \"quoted\" paths like C:\\Users\\me and key: value");
	cr_expect_str_eq(e.description, "Windows paths\\, 'single' quotes, # not a comment");
	cr_expect_eq(e.date_ms, 1798104615000LL);
	EXPECT_LIST(e.authors, e.nauthors, "o'brien", "zoë", "x\"y");
	cl_entry_release(&e);
}

Test(changelog, round_trip_of_unicode_and_several_authors)
{
	expect_round_trip("---\n"
			  "title: \"Ünïcödé — “smart” quotes\"\n"
			  "description: \"日本語のサポート 🎉\"\n"
			  "date: 2024-02-29 23:59:59.0\n"
			  "authors: [\"alice\", \"bob\", \"carol-dev\", \"d_e\"]\n"
			  "tags:\n"
			  "  - changelog\n"
			  "  - \"i18n ünï\"\n"
			  "  - \"2026\"\n"
			  "issues:\n"
			  "  - \"https://github.com/Owner/repo/issues/185\"\n"
			  "  - \"https://github.com/Owner/other-repo/pull/12\"\n"
			  "  - \"#1234\"\n"
			  "  - \"#7\"\n"
			  "---\n"
			  "\n"
			  "Les entrées accentuées — et “guillemets”.\n");
}

Test(changelog, round_trip_with_empty_body_and_lists)
{
	static const char text[] = "---\n"
				   "title: \"Nothing else\"\n"
				   "description: \"\"\n"
				   "date: 2025-06-11 00:00:00.0\n"
				   "authors: []\n"
				   "tags: []\n"
				   "issues: []\n"
				   "---\n";
	expect_round_trip(text);
	struct cl_entry e = parse_ok(text);
	cr_expect_eq(e.nauthors + e.ntags + e.nissues, 0);
	cr_expect_str_eq(e.body, "");
	cl_entry_release(&e);
}

Test(changelog, round_trip_of_a_body_with_its_own_rule)
{
	static const char body[] = "First paragraph.\n"
				   "\n"
				   "---\n"
				   "\n"
				   "title: \"not front matter\"\n"
				   "\n"
				   "```\n---\n```\n";
	static const char head[] = "---\n"
				   "title: \"Multi-paragraph\"\n"
				   "description: \"A body with rules\"\n"
				   "date: 2025-06-11 12:00:00.0\n"
				   "authors: [\"alice\"]\n"
				   "tags:\n"
				   "  - changelog\n"
				   "issues: []\n"
				   "---\n"
				   "\n";
	char text[sizeof head + sizeof body];
	snprintf(text, sizeof text, "%s%s", head, body);
	expect_round_trip(text);
	struct cl_entry e = parse_ok(text);
	cr_expect_str_eq(e.body, body);
	cl_entry_release(&e);
}

Test(changelog, round_trip_of_control_characters_and_blank_body_lines)
{
	static const char text[] = "---\n"
				   "title: \"Tabs\\tand\\nnewlines \\u001B\\u007F\\u000D\"\n"
				   "description: \"a\\\\nb\"\n"
				   "date: 1970-01-01 00:00:00.0\n"
				   "authors: [\"a\"]\n"
				   "tags:\n"
				   "  - release-notes\n"
				   "  - \"true\"\n"
				   "issues:\n"
				   "  - \"#1\"\n"
				   "---\n"
				   "\n"
				   "\n"
				   "\n"
				   "Two empty lines above belong to the body.\n";
	expect_round_trip(text);
	struct cl_entry e = parse_ok(text);
	cr_expect_str_eq(e.title, "Tabs\tand\nnewlines \x1b\x7f\r");
	cr_expect_str_eq(e.description, "a\\nb");
	cr_expect_str_eq(e.body, "\n\nTwo empty lines above belong to the body.\n");
	cl_entry_release(&e);
}

Test(changelog, round_trip_keeps_a_body_of_one_newline)
{
	expect_round_trip("---\ntitle: \"T\"\ndescription: \"\"\ndate: 2025-06-11 12:00:00.0\n"
			  "authors: []\ntags:\n  - changelog\nissues: []\n---\n\n\n");
}

/* ------------------------------------------------------ tolerant input */

Test(changelog, parse_reads_a_hand_written_file)
{
	static const char text[] = "\xEF\xBB\xBF---\r\n"
				   "# written by hand\r\n"
				   "date: 2025-06-11T12:00:00Z\r\n"
				   "\r\n"
				   "title: 'It''s plain: here'\r\n"
				   "authors:\r\n"
				   "- alice\r\n"
				   "  # between items\r\n"
				   "  - \"bob\"   # a comment\r\n"
				   "  - 'carol'\r\n"
				   "tags: [release, 'ui', \"x y\", ]\r\n"
				   "issues: [https://github.com/o/r/issues/1, \"#2\"]   # two\r\n"
				   "---\r\n"
				   "\r\n"
				   "Body line 1\r\n"
				   "Body line 2\r\n";
	struct cl_entry e = parse_ok(text);
	cr_expect_str_eq(e.title, "It's plain: here");
	cr_expect_str_eq(e.description, "");
	cr_expect_eq(e.date_ms, JUNE_11_NOON);
	EXPECT_LIST(e.authors, e.nauthors, "alice", "bob", "carol");
	EXPECT_LIST(e.tags, e.ntags, "release", "ui", "x y");
	EXPECT_LIST(e.issues, e.nissues, "https://github.com/o/r/issues/1", "#2");
	cr_expect_str_eq(e.body, "Body line 1\nBody line 2\n");
	cl_entry_release(&e);
}

Test(changelog, parse_defaults_and_plain_values)
{
	struct cl_entry e = parse_ok("---\n"
				     "title: Plain title: with a colon # and a comment\n"
				     "date: 2025-06-11\n"
				     "authors: alice\n"
				     "issues:\n"
				     "---\n"
				     "Body without the empty line");
	cr_expect_str_eq(e.title, "Plain title: with a colon");
	cr_expect_str_eq(e.description, "");
	cr_expect_eq(e.date_ms, 1749600000000LL, "a bare day is midnight UTC");
	EXPECT_LIST(e.authors, e.nauthors, "alice");
	EXPECT_LIST(e.tags, e.ntags, "changelog");
	cr_expect_eq(e.nissues, 0);
	cr_expect_null(e.issues);
	cr_expect_str_eq(e.body, "Body without the empty line");
	cl_entry_release(&e);
}

Test(changelog, parse_accepts_every_date_form)
{
	static const struct {
		const char *date;
		long long ms;
	} cases[] = {
		{"2025-06-11 12:00:00.0", JUNE_11_NOON},
		{"2025-06-11 12:00:00", JUNE_11_NOON},
		{"2025-06-11T12:00:00", JUNE_11_NOON},
		{"2025-06-11T12:00:00.987654Z", JUNE_11_NOON},
		{"2025-06-11 12:00:00 Z", JUNE_11_NOON},
		{"2025-06-11T14:30:00+02:30", JUNE_11_NOON},
		{"2025-06-11T07:00:00-05:00", JUNE_11_NOON},
		{"\"2025-06-11 12:00:00.0\"", JUNE_11_NOON},
		{"'2025-06-11'   # quoted", 1749600000000LL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "---\ntitle: T\ndate: %s\n---\n", cases[i].date);
		struct cl_entry e = parse_ok(text);
		cr_expect_eq(e.date_ms, cases[i].ms, "%s: %lld", cases[i].date, (long long)e.date_ms);
		cl_entry_release(&e);
	}
}

Test(changelog, parse_decodes_yaml_escapes)
{
	struct cl_entry e = parse_ok("---\ntitle: \"\\x41\\u00e9\\U0001F600\\/\\e\\ \"\n"
				     "date: 2025-06-11\n---\n");
	cr_expect_str_eq(e.title, "Aé😀/\x1b ");
	cl_entry_release(&e);
}

/* ------------------------------------------------------------ refusals */

Test(changelog, parse_refusals_name_the_line)
{
	static const struct {
		const char *in;
		int line;
		const char *msg;
	} cases[] = {
		{"", 1, "line 1: expected '---' to open the front matter"},
		{"title: \"T\"\n", 1, "line 1: expected '---' to open the front matter"},
		{"---\ntitle: \"T\"\ndate: 2025-06-11\n", 1,
		 "line 1: the front matter is never closed with '---'"},
		{"---\ntitle: \"T\"\ndescription: \"\"\ndate: 11/06/2025\n---\n", 4,
		 "line 4: expected 'date: YYYY-MM-DD HH:MM:SS[.f]'"},
		{"---\ntitle: T\ndate: 2025-06-11 12:00\n---\n", 3,
		 "line 3: expected 'date: YYYY-MM-DD HH:MM:SS[.f]'"},
		{"---\ntitle: T\ndate: 2027-02-29\n---\n", 3,
		 "line 3: no such date '2027-02-29' (UTC, years 1970-9999)"},
		{"---\ntitle: T\ndate: 2025-06-11 24:00:00\n---\n", 3,
		 "line 3: no such date '2025-06-11 24:00:00' (UTC, years 1970-9999)"},
		{"---\ndate: 2025-06-11\n---\n", 0, "missing 'title'"},
		{"---\ntitle: T\n---\n", 0, "missing 'date'"},
		{"---\ntitle: \"abc\ndate: 2025-06-11\n---\n", 2, "line 2: unterminated string"},
		{"---\ntitle: 'it''s\n---\n", 2, "line 2: unterminated string"},
		{"---\ntitle: T\n\n# note\nfoo: bar\n---\n", 5, "line 5: unknown key 'foo'"},
		{"---\ntitle: T\ndate: 2025-06-11\ntitle: U\n---\n", 4,
		 "line 4: 'title' repeated (first on line 2)"},
		{"---\ntitle: \"\"\n---\n", 2, "line 2: 'title' is empty"},
		{"---\ntitle: \"a\" b\n---\n", 2, "line 2: unexpected text after the value"},
		{"---\ntitle: \"a\\qb\"\n---\n", 2, "line 2: invalid escape sequence in a string"},
		{"---\ntitle: \"\\u0000\"\n---\n", 2, "line 2: invalid escape sequence in a string"},
		{"---\ntitle: \"\\ud800\"\n---\n", 2, "line 2: invalid escape sequence in a string"},
		{"---\ndescription: |\n  text\n---\n", 2,
		 "line 2: block scalars ('|', '>') are not supported: quote the string"},
		{"---\ntitle: T\n- alice\n---\n", 3, "line 3: expected a key, not a list item"},
		{"---\ntitle: T\n  date: 2025-06-11\n---\n", 3, "line 3: unexpected indentation"},
		{"---\ntitle: T\nthis is not a key\n---\n", 3, "line 3: expected 'key: value'"},
		{"---\nauthors: [alice, bob\n---\n", 2, "line 2: expected ']' to close the list"},
		{"---\nauthors: [\"a\" \"b\"]\n---\n", 2, "line 2: expected ',' or ']' in the list"},
		{"---\nauthors: [a, [b]]\n---\n", 2, "line 2: expected a string, not '['"},
		{"---\nauthors: [a, , b]\n---\n", 2, "line 2: expected a string, not ','"},
		{"---\nauthors:\n  - name: alice\n---\n", 3,
		 "line 3: expected a string in 'authors', not a mapping"},
		{"---\ntags:\n  -\n---\n", 3, "line 3: empty item in 'tags'"},
		{"---\ntitle: T\ndate: 2025-06-11\nissues:\n  - #1234\n---\n", 5,
		 "line 5: empty item in 'issues' ('#' starts a comment: quote \"#1234\")"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cl_entry e;
		struct cl_parse_error pe;
		memset(&e, 0x5a, sizeof e);
		cr_expect_eq(cl_parse(cases[i].in, strlen(cases[i].in), &e, &pe), -1, "case %zu", i);
		cr_expect_eq(pe.line, cases[i].line, "case %zu: line %d (%s)", i, pe.line, pe.msg);
		cr_expect_str_eq(pe.msg, cases[i].msg, "case %zu", i);
		cr_expect(e.title == NULL && e.authors == NULL && e.nauthors == 0 && e.ntags == 0 &&
				  e.body == NULL,
			  "case %zu: the entry is left empty", i);
	}
}

Test(changelog, parse_refuses_nul_bytes)
{
	static const char text[] = "---\ntitle: a\0b\ndate: 2025-06-11\n---\n";
	struct cl_entry e;
	struct cl_parse_error pe;
	cr_expect_eq(cl_parse(text, sizeof text - 1, &e, &pe), -1);
	cr_expect_str_eq(pe.msg, "line 2: a NUL byte");
	cr_expect_eq(cl_parse(text, sizeof text - 1, &e, NULL), -1, "no error struct is fine");
}

Test(changelog, parse_caps_input_lists_and_strings)
{
	struct cl_entry e;
	struct cl_parse_error pe;
	char *big = str_of_len("x", CL_MAX_INPUT + 1);
	cr_expect_eq(cl_parse(big, CL_MAX_INPUT + 1, &e, &pe), -1);
	cr_expect_eq(pe.line, 0);
	cr_expect_str_eq(pe.msg, "the file is larger than 1048576 bytes");
	free(big);

	char list[1024] = "---\ntitle: T\ntags: [";
	for (int i = 0; i <= CL_MAX_ITEMS; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "t%d,", i);
	snprintf(list + strlen(list), sizeof list - strlen(list), "]\n---\n");
	cr_expect_eq(cl_parse(list, strlen(list), &e, &pe), -1);
	cr_expect_str_eq(pe.msg, "line 3: more than 100 items in 'tags'");

	char *title = str_of_len("é", CL_MAX_STRING + 2);
	size_t n = strlen(title) + 64;
	char *text = malloc(n);
	snprintf(text, n, "---\ndate: 2025-06-11\ntitle: \"%s\"\n---\n", title);
	cr_expect_eq(cl_parse(text, strlen(text), &e, &pe), -1);
	cr_expect_str_eq(pe.msg, "line 3: a string is longer than 65536 bytes");
	title[CL_MAX_STRING] = '\0'; /* exactly at the cap: accepted */
	snprintf(text, n, "---\ndate: 2025-06-11\ntitle: \"%s\"\n---\n", title);
	cr_expect_eq(cl_parse(text, strlen(text), &e, &pe), 0, "%s", pe.msg);
	cr_expect_eq(strlen(e.title), CL_MAX_STRING);
	cl_entry_release(&e);
	cl_entry_release(&e); /* twice is harmless */
	free(text);
	free(title);
}

/* ------------------------------------------------------ slug and name */

Test(changelog, slug_cases)
{
	static const struct {
		const char *title, *slug;
	} cases[] = {
		{"Feature Title", "feature-title"},
		{"  Hello,   World!  ", "hello-world"},
		{"Ünïcödé — “smart” quotes", "unicode-smart-quotes"},
		{"Straße, Ærøskøbing & Ñandú à la Çava", "strasse-aeroskobing-nandu-a-la-cava"},
		{"Łódź, Œuvre, Þing, Ĳssel, ſ", "lodz-oeuvre-thing-ijssel-s"},
		{"100% CSV export in v2.31 (#12)", "100-csv-export-in-v2-31-12"},
		{"a×b÷c", "a-b-c"},
		{"日本語", "entry"},
		{"---", "entry"},
		{"", "entry"},
		{NULL, "entry"},
		{"\xff\xc3(bad utf-8)\xc3", "bad-utf-8"},
		{"Export boards, issues and milestones to CSV with one click from the settings page",
		 "export-boards-issues-and-milestones-to-csv-with-one-click"},
		{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
		{"exactly sixty bytes of slug text here ends right at the caps! and more",
		 "exactly-sixty-bytes-of-slug-text-here-ends-right-at-the-caps"},
		{"one two three four five six seven eight nine ten eleven twelve thirteen",
		 "one-two-three-four-five-six-seven-eight-nine-ten-eleven"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[CL_SLUG_MAX + 1];
		int n = cl_slug(cases[i].title, out, sizeof out);
		cr_expect_str_eq(out, cases[i].slug, "case %zu", i);
		cr_expect_eq(n, (int)strlen(cases[i].slug), "case %zu", i);
		cr_expect_leq(n, CL_SLUG_MAX);
	}
	char small[5];
	cr_expect_eq(cl_slug("Feature Title", small, sizeof small), -1);
	cr_expect_str_eq(small, "");
}

Test(changelog, filename_is_the_utc_day_and_the_slug)
{
	char out[11 + CL_SLUG_MAX + 4];
	cl_filename(JUNE_11_NOON, "feature-title", out, sizeof out);
	cr_expect_str_eq(out, "2025-06-11-feature-title.md");
	cl_filename(1749600000000LL - 1, "entry", out, sizeof out);
	cr_expect_str_eq(out, "2025-06-10-entry.md", "a millisecond before midnight UTC");
}

/* --------------------------------------------------------------- Atom */

Test(changelog, xml_escape_drops_what_xml_cannot_hold)
{
	char *s = cl_xml_escape("<a href=\"x\">&'\x01\x1f\tok\r\n\xff\xc3\xa9\xef\xbf\xbe</a>");
	cr_assert_not_null(s);
	cr_expect_str_eq(s, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\tok\r\n\xef\xbf\xbd\xc3\xa9"
			    "&lt;/a&gt;");
	free(s);
	s = cl_xml_escape(NULL);
	cr_expect_str_eq(s, "");
	free(s);
}

Test(changelog, atom_feed_exact)
{
	const char *const authors[] = {"alice", "bob"};
	const struct cl_feed_entry entries[] = {{
		.id = "urn:cairn:changelog:7",
		.title = "Export to CSV",
		.summary = "Boards as CSV",
		.url = "https://cairn.example/changelog/2026-12-07-export-to-csv",
		.html = "<p>Export &amp; more</p>",
		.published_ms = 1796644800000LL,
		.updated_ms = 1796644800000LL + 3600000,
		.authors = authors,
		.nauthors = 2,
	}};
	const struct cl_feed f = {
		.id = "https://cairn.example/changelog",
		.title = "Cairn changelog",
		.subtitle = "What shipped",
		.self_url = "https://cairn.example/changelog.atom",
		.alt_url = "https://cairn.example/changelog",
		.updated_ms = 1796644800000LL,
		.entries = entries,
		.n = 1,
	};
	char *xml = cl_atom(&f);
	cr_assert_not_null(xml);
	cr_expect_str_eq(
		xml,
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
		"  <id>https://cairn.example/changelog</id>\n"
		"  <title>Cairn changelog</title>\n"
		"  <subtitle>What shipped</subtitle>\n"
		"  <updated>2026-12-07T12:00:00Z</updated>\n"
		"  <link rel=\"self\" type=\"application/atom+xml\" href=\"https://cairn.example/changelog.atom\"/>\n"
		"  <link rel=\"alternate\" type=\"text/html\" href=\"https://cairn.example/changelog\"/>\n"
		"  <generator>Cairn</generator>\n"
		"  <entry>\n"
		"    <id>urn:cairn:changelog:7</id>\n"
		"    <title type=\"text\">Export to CSV</title>\n"
		"    <link rel=\"alternate\" type=\"text/html\" href=\"https://cairn.example/changelog/2026-12-07-export-to-csv\"/>\n"
		"    <published>2026-12-07T12:00:00Z</published>\n"
		"    <updated>2026-12-07T13:00:00Z</updated>\n"
		"    <author><name>alice</name></author>\n"
		"    <author><name>bob</name></author>\n"
		"    <summary type=\"text\">Boards as CSV</summary>\n"
		"    <content type=\"html\">&lt;p&gt;Export &amp;amp; more&lt;/p&gt;</content>\n"
		"  </entry>\n"
		"</feed>\n");
	free(xml);
}

Test(changelog, atom_escapes_and_falls_back_to_the_cairn_author)
{
	const struct cl_feed_entry entries[] = {{
		.id = "urn:x:1",
		.title = "<script>alert(1)</script> & \"q\" 'a'\x01",
		.url = "https://x.example/?a=1&b=\"2\"",
		.html = "<script>alert('x')</script>",
		.published_ms = 1796644800000LL,
	}};
	const struct cl_feed f = {.id = "urn:x", .title = "T & <T>", .updated_ms = 1796644800000LL,
				  .entries = entries, .n = 1};
	char *xml = cl_atom(&f);
	cr_assert_not_null(xml);
	cr_expect_null(strstr(xml, "<script"), "%s", xml);
	cr_expect_null(strchr(xml, '\x01'));
	cr_expect(strstr(xml, "<title type=\"text\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
			      "&quot;q&quot; &apos;a&apos;</title>"),
		  "%s", xml);
	cr_expect(strstr(xml, "href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\""), "%s", xml);
	cr_expect(strstr(xml, "<content type=\"html\">&lt;script&gt;alert(&apos;x&apos;)"
			      "&lt;/script&gt;</content>"),
		  "%s", xml);
	cr_expect(strstr(xml, "  <title>T &amp; &lt;T&gt;</title>\n"), "%s", xml);
	cr_expect(strstr(xml, "    <updated>2026-12-07T12:00:00Z</updated>\n"
			      "    <author><name>Cairn</name></author>\n"),
		  "no author: Cairn, and updated falls back to published\n%s", xml);
	cr_expect_null(strstr(xml, "<subtitle"), "no subtitle given");
	cr_expect_null(strstr(xml, "<summary"), "no summary given");
	cr_expect_null(strstr(xml, "rel=\"self\""), "no self URL given");
	free(xml);
}

/* ------------------------------------------------------ release notes */

Test(changelog, release_notes_group_redact_and_order)
{
	const char *const ab[] = {"alice", "bob"}, *const eli[] = {"eli"}, *const b[] = {"bob"};
	const struct cl_release_item items[] = {
		{.number = 9, .type = "security", .title = "Fix for CVE-like thing", .authors = b, .nauthors = 1},
		{.number = 7, .type = "bug", .title = "Crash on empty title", .authors = b, .nauthors = 1},
		{.number = 12, .type = "feature", .title = "Export to CSV", .authors = ab, .nauthors = 2},
		{.number = 40, .type = "task", .title = "Faster board", .authors = eli, .nauthors = 1},
		{.number = 41, .type = "security", .title = "Secret XSS in login", .authors = b,
		 .nauthors = 1, .redacted = 1, .severity = "high"},
		{.number = 3, .type = "epic", .title = "Planning poker"},
		{.number = 5, .type = "chore", .title = "Unknown types are changes"},
		{.number = 42, .type = "bug", .title = "Hidden one", .redacted = 1},
	};
	const struct cl_release r = {.title = "2.31", .date_ymd = "2026-12-24", .items = items, .n = 8};
	char *md = cl_release_notes_md(&r);
	cr_assert_not_null(md);
	cr_expect_str_eq(md, "## [2.31] - 2026-12-24\n"
			     "\n"
			     "### Added\n"
			     "- Export to CSV (#12) — @alice, @bob\n"
			     "- Planning poker (#3)\n"
			     "\n"
			     "### Changed\n"
			     "- Faster board (#40) — @eli\n"
			     "- Unknown types are changes (#5)\n"
			     "\n"
			     "### Fixed\n"
			     "- Crash on empty title (#7) — @bob\n"
			     "\n"
			     "### Security\n"
			     "- Fix for CVE-like thing (#9) — @bob\n"
			     "- Security fix (severity: high)\n"
			     "- Security fix\n");
	cr_expect_null(strstr(md, "Secret"));
	cr_expect_null(strstr(md, "#41"));
	free(md);
}

Test(changelog, release_notes_escape_markdown)
{
	const char *const who[] = {"john_doe"};
	const struct cl_release_item items[] = {
		{.number = 1, .type = "bug", .title = "[click](javascript:x) <img src=x> *b* _i_ `c` # \\",
		 .authors = who, .nauthors = 1},
		{.number = 2, .type = "bug", .title = "- not a list\nline two"},
		{.number = 3, .type = "bug", .title = "1986. A list marker"},
	};
	const struct cl_release r = {.title = "2.31", .items = items, .n = 3};
	char *md = cl_release_notes_md(&r);
	cr_assert_not_null(md);
	cr_expect_str_eq(md, "## [2.31] - Unreleased\n"
			     "\n"
			     "### Fixed\n"
			     "- \\[click\\](javascript:x) \\<img src=x\\> \\*b\\* \\_i\\_ \\`c\\` \\# \\\\"
			     " (#1) — @john\\_doe\n"
			     "- \\- not a list line two (#2)\n"
			     "- 1986\\. A list marker (#3)\n");
	free(md);
}

Test(changelog, release_notes_without_items)
{
	const struct cl_release r = {.title = "2.32", .date_ymd = NULL};
	char *md = cl_release_notes_md(&r);
	cr_assert_not_null(md);
	cr_expect_str_eq(md, "## [2.32] - Unreleased\n\nNo changes.\n");
	free(md);
}
