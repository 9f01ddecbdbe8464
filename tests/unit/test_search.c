/*
 * test_search.c — unit tests of core/search: how free words split into
 * search terms, and the snippet's HTML (escaped first, then <mark>).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/search.h"

TestSuite(search, .fini = fail_on_leaks);

/* Split words and compare with the expected terms joined by '|'. */
static void expect_terms(char *const *words, int n, const char *joined, int prefix)
{
	struct search_terms t;
	char buf[512] = "";
	cr_assert(search_terms_split(words, n, &t) == 0);
	for (size_t k = 0; k < t.n; k++) {
		strncat(buf, k ? "|" : "", sizeof buf - strlen(buf) - 1);
		strncat(buf, t.terms[k], sizeof buf - strlen(buf) - 1);
	}
	cr_expect(eq(str, buf, (char *)joined));
	cr_expect(eq(int, t.prefix, prefix), "prefix for %s", joined);
	search_terms_release(&t);
}

Test(search, splits_at_everything_but_letters_and_digits)
{
	char *w[] = {"Foo-Bar", "C++", "\"NEAR(x\"", "ÄRGER", "v2.3", "***"};
	expect_terms(w, 6, "foo|bar|c|near|x|ärger|v2|3", 0);
}

Test(search, last_term_is_a_prefix_from_three_characters)
{
	char *w[] = {"export", "repo"};
	expect_terms(w, 2, "export|repo", 1);
	char *short_[] = {"export", "re"};
	expect_terms(short_, 2, "export|re", 0);
	char *none[] = {"*", "\"", "'"};
	expect_terms(none, 3, "", 0);
}

static void expect_html(const char *raw, const char *html)
{
	char *h = search_snippet_html(raw);
	if (!html) {
		cr_expect(h == NULL, "no snippet for %s", raw);
	} else {
		cr_assert(h != NULL);
		cr_expect(eq(str, h, (char *)html));
	}
	free(h);
}

Test(search, snippet_escapes_then_marks)
{
	expect_html("a <b>&\"'\x01term\x02 x", "a &lt;b&gt;&amp;&quot;&#39;<mark>term</mark> x");
	expect_html("<script>\x01x\x02</script>", "&lt;script&gt;<mark>x</mark>&lt;/script&gt;");
}

Test(search, snippet_marks_stay_balanced)
{
	expect_html("\x01open", "<mark>open</mark>");
	expect_html("\x02\x01" "a\x01" "b\x02\x02", "<mark>ab</mark>");
	expect_html("line\nbreak \x01x\x02", "line break <mark>x</mark>");
}

Test(search, no_highlight_is_no_snippet)
{
	expect_html("plain text", NULL);
	expect_html(NULL, NULL);
}

/* The raw snippet of text for the words, markers shown as [ and ]. */
static void expect_raw(const char *text, char **words, int n, const char *expected)
{
	struct search_terms t;
	cr_assert(search_terms_split(words, n, &t) == 0);
	char *raw = search_snippet_raw(text, &t);
	if (!expected) {
		cr_expect(raw == NULL, "no passage in %s", text);
	} else {
		cr_assert(raw != NULL, "a passage in %s", text);
		for (char *c = raw; *c; c++)
			*c = *c == SEARCH_MARK_ON ? '[' : *c == SEARCH_MARK_OFF ? ']' : *c;
		cr_expect(eq(str, raw, (char *)expected));
	}
	free(raw);
	search_terms_release(&t);
}

Test(search, snippet_marks_whole_words_and_the_last_prefix)
{
	char *w[] = {"chart", "expo"};
	expect_raw("The Chart export charts exposure.", w, 2, "The [Chart] [export] charts [exposure].");
	char *none[] = {"missing"};
	expect_raw("nothing here", none, 1, NULL);
	expect_raw(NULL, none, 1, NULL);
}

Test(search, snippet_cuts_a_window_around_the_first_match)
{
	char *w[] = {"needle"};
	expect_raw("a b c d e f g h i j needle k l", w, 1, "… e f g h i j [needle] k l");
	expect_raw("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 needle w25 w26", w, 1,
		   "… w18 w19 w20 w21 w22 w23 [needle] w25 w26");
	expect_raw("needle w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26", w, 1,
		   "[needle] w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 …");
	char *u[] = {"ärger"};
	expect_raw("Viel ÄRGER, <b>heute</b>", u, 1, "Viel [ÄRGER], <b>heute</b>");
}
