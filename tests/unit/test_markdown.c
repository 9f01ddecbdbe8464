/*
 * test_markdown.c — unit tests of core/markdown: GitHub-flavoured
 * rendering works, and nothing a reader could be attacked with (raw HTML,
 * script URLs) reaches the page.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <ctype.h>

#include "builders.h"
#include "core/markdown.h"

TestSuite(markdown, .fini = fail_on_leaks);
TestSuite(markdown_safety, .fini = fail_on_leaks);

/* Render a NUL-terminated markdown string; caller frees. */
static char *render(const char *md)
{
	char *html = markdown_to_html(md, strlen(md));
	cr_assert(html != NULL, "markdown_to_html returned NULL for: %s", md);
	return html;
}

/* Case-insensitive strstr: attackers vary case, so must the checks. */
static int contains_ci(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

#define expect_contains(html, needle) \
	cr_expect(strstr((html), (needle)) != NULL, "expected %s in:\n%s", (needle), (html))
#define expect_lacks_ci(html, needle) \
	cr_expect(contains_ci((html), (needle)) == 0, "must not contain %s:\n%s", (needle), (html))

/* ------------------------------------------------------------ rendering */

Test(markdown, bold_becomes_strong)
{
	char *html = render("This is **important**.");
	expect_contains(html, "<strong>important</strong>");
	free(html);
}

Test(markdown, gfm_table_renders_a_table)
{
	char *html = render("| Size | Points |\n|------|-------:|\n| M | 3 |\n| XL | 8 |\n");
	expect_contains(html, "<table>");
	expect_contains(html, "<th>Size</th>");
	expect_contains(html, "<td>XL</td>");
	free(html);
}

Test(markdown, strikethrough_becomes_del)
{
	char *html = render("~~dropped from 2.31~~");
	expect_contains(html, "<del>dropped from 2.31</del>");
	free(html);
}

Test(markdown, angle_bracket_urls_become_links)
{
	char *html = render("See <https://example.com/docs> and <support@example.com>.");
	expect_contains(html, "<a href=\"https://example.com/docs\">https://example.com/docs</a>");
	expect_contains(html, "href=\"mailto:support@example.com\"");
	free(html);
}

/* The GFM autolink extension is off: Debian 12's cmark-gfm over-reads on
 * "o:@x" (CVE-2023-22485).  Bare addresses stay text, and that input is safe. */
Test(markdown, bare_urls_stay_text_while_autolink_is_off)
{
	char *html = render("See https://example.com/docs and www.example.org, o:@x and to:@x.");
	cr_expect(strstr(html, "<a ") == NULL, "no link in: %s", html);
	expect_contains(html, "o:@x");
	free(html);
}

Test(markdown, task_list_renders_checkboxes)
{
	char *html = render("- [x] code merged\n- [ ] docs\n");
	expect_contains(html, "type=\"checkbox\"");
	expect_contains(html, "checked");
	/* each named for screen readers (axe: form elements must have labels) */
	expect_contains(html, "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" /> code merged</li>");
	expect_contains(html, "<li><input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" /> docs</li>");
	free(html);
}

Test(markdown, ordinary_links_keep_their_href)
{
	char *html = render("[the handbook](https://example.com/handbook)");
	expect_contains(html, "<a href=\"https://example.com/handbook\">the handbook</a>");
	free(html);
}

Test(markdown, text_is_html_escaped)
{
	char *html = render("if a < b && c > d then \"quote\"");
	expect_contains(html, "a &lt; b &amp;&amp; c &gt; d");
	free(html);
}

Test(markdown, empty_input_gives_empty_string)
{
	char *html = markdown_to_html("", 0);
	cr_assert(html != NULL);
	cr_expect(eq(str, html, ""));
	free(html);
}

Test(markdown, respects_the_length_argument)
{
	const char *md = "**bold** and more text after";
	char *html = markdown_to_html(md, 8); /* only "**bold**" */
	cr_assert(html != NULL);
	expect_contains(html, "<strong>bold</strong>");
	cr_expect(strstr(html, "more") == NULL, "bytes past len must not be read:\n%s", html);
	free(html);
}

Test(markdown, invalid_utf8_does_not_pass_through)
{
	char *html = render("bad \xff\xfe bytes");
	cr_expect(strstr(html, "\xff") == NULL, "invalid bytes are replaced:\n%s", html);
	expect_contains(html, "\xef\xbf\xbd"); /* U+FFFD */
	free(html);
}

/* --------------------------------------------------------------- safety */

Test(markdown_safety, raw_script_block_is_not_passed_through)
{
	char *html = render("<script>alert(1)</script>");
	expect_lacks_ci(html, "<script");
	free(html);
}

Test(markdown_safety, inline_script_is_not_passed_through)
{
	char *html = render("hello <script>alert(1)</script> world\n\n<SCRIPT SRC=//evil.example/x.js></SCRIPT>");
	expect_lacks_ci(html, "<script");
	expect_contains(html, "hello");
	free(html);
}

Test(markdown_safety, raw_img_with_event_handler_is_not_passed_through)
{
	char *html = render("look <img src=x onerror=alert(1)> here\n\n<img src=x onerror=\"alert(2)\">\n");
	expect_lacks_ci(html, "<img");
	expect_lacks_ci(html, "onerror");
	free(html);
}

Test(markdown_safety, other_raw_html_is_not_passed_through)
{
	char *html = render("<iframe src=\"https://evil.example\"></iframe>\n\n"
			    "<a href=\"javascript:alert(1)\">x</a>\n\n"
			    "<svg onload=alert(1)>\n\n"
			    "text <b onmouseover=alert(1)>hover</b>\n");
	expect_lacks_ci(html, "<iframe");
	expect_lacks_ci(html, "<svg");
	expect_lacks_ci(html, "onload");
	expect_lacks_ci(html, "onmouseover");
	expect_lacks_ci(html, "javascript:");
	free(html);
}

Test(markdown_safety, javascript_link_gets_no_javascript_href)
{
	const char *attacks[] = {
		"[x](javascript:alert(1))",
		"[x](JavaScript:alert(1))",
		"[x](  javascript:alert(1)  )",
		"[x](<javascript:alert(1)>)",
		"[x](java&#115;cript:alert(1))",
		"[x](&#106;avascript:alert(1))",
		"<javascript:alert(1)>",
		"[x][ref]\n\n[ref]: javascript:alert(1)\n",
		"![x](javascript:alert(1))",
	};
	for (size_t k = 0; k < sizeof attacks / sizeof attacks[0]; k++) {
		char *html = render(attacks[k]);
		cr_expect(contains_ci(html, "href=\"javascript:") + contains_ci(html, "src=\"javascript:") == 0,
			  "%s\nrendered as:\n%s", attacks[k], html);
		free(html);
	}
}

Test(markdown_safety, whitespace_hidden_in_the_scheme_stays_escaped)
{
	/* Browsers strip raw tabs and newlines from URLs, so "java<TAB>script:"
	 * would run; cmark must percent-encode them instead. */
	const char *attacks[] = {"[x](<java\tscript:alert(1)>)", "[x](jav&#x09;ascript:alert(1))",
				 "[x](jav&#x0A;ascript:alert(1))"};
	for (size_t k = 0; k < sizeof attacks / sizeof attacks[0]; k++) {
		char *html = render(attacks[k]);
		const char *href = strstr(html, "href=\"");
		cr_assert(href != NULL, "%s\nrendered as:\n%s", attacks[k], html);
		const char *end = strchr(href + 6, '"');
		cr_assert(end != NULL);
		for (const char *p = href + 6; p < end; p++)
			cr_expect(eq(int, (*p == '\t' || *p == '\n' || *p == '\r'), 0),
				  "raw whitespace in href: %s\nrendered as:\n%s", attacks[k], html);
		free(html);
	}
}

Test(markdown_safety, other_dangerous_schemes_are_dropped)
{
	const char *attacks[] = {
		"[x](vbscript:msgbox(1))",
		"[x](file:///etc/passwd)",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	};
	const char *schemes[] = {"vbscript:", "file:", "data:"};
	for (size_t k = 0; k < sizeof attacks / sizeof attacks[0]; k++) {
		char *html = render(attacks[k]);
		cr_expect(contains_ci(html, schemes[k]) == 0, "%s\nrendered as:\n%s", attacks[k], html);
		free(html);
	}
}

Test(markdown_safety, link_titles_and_text_cannot_break_out_of_attributes)
{
	char *html = render("[x](https://example.com \"a\\\" onmouseover=\\\"alert(1)\")");
	expect_lacks_ci(html, "\" onmouseover");
	free(html);
}
