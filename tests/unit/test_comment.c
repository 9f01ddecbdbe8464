/*
 * test_comment.c — unit tests of core/comment: which @logins and #N a
 * comment's markdown mentions.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/comment.h"

TestSuite(comment, .fini = fail_on_leaks);

Test(comment, mentions_are_logins_not_mail_or_code)
{
	char l[8][LOGIN_MAX + 1];
	size_t n = comment_mentions("@Ann, ping @bob.smith. mail x@cd.org, `@code` ```\n@fence\n``` "
				    "@ann again (@eve_1) @-no @x.",
				    l, 8);
	cr_assert_eq(n, 4);
	cr_expect(eq(str, l[0], "ann"));
	cr_expect(eq(str, l[1], "bob.smith"));
	cr_expect(eq(str, l[2], "eve_1"));
	cr_expect(eq(str, l[3], "x"));
	cr_expect_eq(comment_mentions("@a @b @c", l, 2), 2, "capped at max");
	cr_expect_eq(comment_mentions(NULL, l, 2), 0);
}

Test(comment, refs_are_numbers_after_a_hash)
{
	int64_t v[8];
	size_t n = comment_refs("#12, see #3 and #12 again; not a#4, &#39;, ##5, #6x, #0, `#7`; (#8)",
				v, 8);
	cr_assert_eq(n, 3);
	cr_expect_eq(v[0], 12);
	cr_expect_eq(v[1], 3);
	cr_expect_eq(v[2], 8);
	cr_expect_eq(comment_refs("#99999999999999999999", v, 8), 0, "too large is no number");
}
