/*
 * test_github.c — core/github.c: label mapping, closing keywords, reference
 * qualification, times and the webhook signature.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/github.h"

Test(github, labels_map_the_conventions_and_keep_the_rest)
{
	const char *in[] = {"Bug", "5", "priority: High", "area:search", "Customer Request",
			    "needs-triage", "story", "8", "priority:urgent", "a,b"};
	struct gh_label_map m;
	gh_labels_map(in, sizeof in / sizeof in[0], &m);
	cr_assert_str_eq(m.type, "bug");
	cr_assert_eq(m.pm_size, 5);
	cr_assert_str_eq(m.priority, "high");
	/* the second type and size are kept as labels; an unknown priority too */
	cr_assert_eq(m.nkept, 6);
	cr_assert_str_eq(m.kept[0], "area:search");
	cr_assert_str_eq(m.kept[3], "story");
	cr_assert_str_eq(m.kept[4], "8");
	cr_assert_str_eq(m.kept[5], "priority:urgent");
	cr_assert_eq(m.dropped, 1, "a label with a comma cannot be a Cairn label");
	const char *h[] = {"horizon:next", "blocked"};
	gh_labels_map(h, 2, &m);
	cr_assert_eq(m.nkept, 1, "horizon labels are Cairn's own, not kept");
	const char *feat[] = {"enhancement"};
	gh_labels_map(feat, 1, &m);
	cr_assert_str_eq(m.type, "feature");
}

Test(github, closing_refs_follow_githubs_keywords)
{
	int64_t n[8];
	size_t k = gh_closing_refs("Fixes #12, closes: #7 and resolved #12; prefix#3 unfixes #4 fix #x", n, 8);
	cr_assert_eq(k, 2);
	cr_assert_eq(n[0], 12);
	cr_assert_eq(n[1], 7);
	cr_assert_eq(gh_closing_refs(NULL, n, 8), 0);
	cr_assert_eq(gh_closing_refs("see #5", n, 8), 0, "a mention closes nothing");
	cr_assert_eq(gh_closing_refs("FIXED #9", n, 8), 1);
}

Test(github, references_are_qualified_with_the_repository)
{
	char *s = gh_qualify_refs("See #12 and x#3, &#39; ##4 #a a/b#5 (#6)", "acme/w");
	cr_assert_str_eq(s, "See acme/w#12 and x#3, &#39; ##4 #a a/b#5 (acme/w#6)");
	free(s);
}

Test(github, times_are_githubs_format_only)
{
	int64_t t;
	cr_assert_eq(gh_time("2019-05-15T15:20:18Z", &t), 0);
	cr_assert_eq(t, 1557933618000LL);
	cr_assert_neq(gh_time("2019-05-15", &t), 0);
	cr_assert_neq(gh_time(NULL, &t), 0);
	cr_assert_neq(gh_time("2019-02-30T00:00:00Z", &t), 0);
}

Test(github, signature_is_hmac_sha256_of_the_body)
{
	/* printf '{"a":1}' | openssl dgst -sha256 -hmac secret-secret-1234 */
	const char *body = "{\"a\":1}";
	const char *good = "sha256=05755b432920d8993efd752de4d5494e2b835dcd57e46707ea705435b181ae22";
	const char *key = "secret-secret-1234";
	char bad[80];
	cr_assert_eq(gh_signature_ok(key, body, strlen(body), good), 1);
	cr_assert_eq(gh_signature_ok("secret-secret-1235", body, strlen(body), good), 0);
	cr_assert_eq(gh_signature_ok(key, "{\"a\":2}", 7, good), 0, "a tampered body");
	cr_assert_eq(gh_signature_ok(key, body, strlen(body), NULL), 0);
	cr_assert_eq(gh_signature_ok(key, body, strlen(body), "sha256=zz"), 0);
	cr_assert_eq(gh_signature_ok("", body, strlen(body), good), 0, "no secret, no trust");
	snprintf(bad, sizeof bad, "%s", good);
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	cr_assert_eq(gh_signature_ok(key, body, strlen(body), bad), 0);
	snprintf(bad, sizeof bad, "sha1=%s", good + 7);
	cr_assert_eq(gh_signature_ok(key, body, strlen(body), bad), 0);
}
