/*
 * test_query.c — unit tests of core/query: the issue-list query language
 * (filters, quoting, free words, limits and error reporting).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/query.h"

TestSuite(query, .fini = fail_on_leaks);
TestSuite(query_errors, .fini = fail_on_leaks);

/* Assert q is the empty query ("match everything"). */
static void expect_empty(const struct issue_query *q, const char *ctx)
{
	cr_expect(eq(int, q->state, -1), "%s: state", ctx);
	cr_expect(eq(int, q->type, -1), "%s: type", ctx);
	cr_expect(eq(int, q->priority, -1), "%s: priority", ctx);
	cr_expect(eq(int, q->nlabels, 0), "%s: nlabels", ctx);
	cr_expect(eq(int, q->nwords, 0), "%s: nwords", ctx);
}

/* Parse text that must be accepted.  The struct starts as garbage, as
 * query_parse promises not to need an initialized one. */
static struct issue_query parse_ok(const char *text)
{
	struct issue_query q;
	struct err e = {0};
	memset(&q, 0xA5, sizeof q);
	int rc = query_parse(text, &q, &e);
	cr_assert(eq(int, rc, 0), "'%s' should parse, got: %s", text ? text : "(null)", e.msg);
	return q;
}

/* Parse text that must be refused: checks the error is a validation
 * error on field "q" and that the struct was left empty. */
static struct err parse_refused(const char *text)
{
	struct issue_query q;
	struct err e = {0};
	memset(&q, 0xA5, sizeof q);
	int rc = query_parse(text, &q, &e);
	cr_assert(eq(int, rc, CAIRN_EINVALID), "'%.60s' should be refused", text);
	cr_expect(eq(int, e.code, CAIRN_EINVALID));
	cr_expect(eq(str, e.field, "q"), "error is reported on the q parameter");
	cr_expect(e.msg[0] != '\0', "error carries a message");
	expect_empty(&q, "after an error");
	query_release(&q); /* must be harmless on the emptied struct */
	return e;
}

/* -------------------------------------------------------------- filters */

Test(query, null_empty_and_blank_queries_match_everything)
{
	const char *texts[] = {NULL, "", "   ", "\t\n\r "};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		struct issue_query q = parse_ok(texts[k]);
		expect_empty(&q, "blank query");
		query_release(&q);
	}
}

Test(query, is_open_and_is_closed_filter_by_state)
{
	struct issue_query q = parse_ok("is:open");
	cr_expect(eq(int, q.state, ISSUE_OPEN));
	query_release(&q);
	q = parse_ok("is:closed");
	cr_expect(eq(int, q.state, ISSUE_CLOSED));
	cr_expect(eq(int, q.type, -1), "other filters stay 'any'");
	cr_expect(eq(int, q.priority, -1));
	query_release(&q);
}

Test(query, type_filter_accepts_every_issue_type)
{
	const char *names[] = {"epic", "story", "task", "bug", "feature", "security"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		char text[32];
		snprintf(text, sizeof text, "type:%s", names[k]);
		struct issue_query q = parse_ok(text);
		enum issue_type t;
		cr_assert(eq(int, issue_type_parse(names[k], &t), 0));
		cr_expect(eq(int, q.type, (int)t), "%s", text);
		query_release(&q);
	}
}

Test(query, priority_filter_including_none)
{
	struct issue_query q = parse_ok("priority:high");
	cr_expect(eq(int, q.priority, PRIO_HIGH));
	query_release(&q);
	q = parse_ok("priority:low");
	cr_expect(eq(int, q.priority, PRIO_LOW));
	query_release(&q);
	q = parse_ok("priority:none");
	cr_expect(eq(int, q.priority, PRIO_NONE), "priority:none means 'has no priority', not 'any'");
	query_release(&q);
}

Test(query, label_filter_collects_every_label)
{
	struct issue_query q = parse_ok("label:bug label:area:auth");
	cr_assert(eq(int, q.nlabels, 2));
	cr_expect(eq(str, q.labels[0], "bug"));
	cr_expect(eq(str, q.labels[1], "area:auth"), "only the first colon separates the key");
	query_release(&q);
}

Test(query, quoted_label_value_keeps_its_spaces)
{
	struct issue_query q = parse_ok("label:\"Customer Request\" is:open");
	cr_assert(eq(int, q.nlabels, 1));
	cr_expect(eq(str, q.labels[0], "Customer Request"));
	cr_expect(eq(int, q.state, ISSUE_OPEN));
	cr_expect(eq(int, q.nwords, 0), "the quoted words are not free words");
	query_release(&q);
}

Test(query, quoted_label_with_several_spaces)
{
	struct issue_query q = parse_ok("label:\"good first issue\"");
	cr_assert(eq(int, q.nlabels, 1));
	cr_expect(eq(str, q.labels[0], "good first issue"));
	query_release(&q);
}

Test(query, term_starting_with_a_quote_is_text)
{
	struct issue_query q = parse_ok("\"a:b\"");
	cr_expect(eq(int, q.nlabels, 0));
	cr_assert(eq(int, q.nwords, 1));
	cr_expect(eq(str, q.words[0], "a:b"));
	query_release(&q);

	q = parse_ok("\"label:bug\"");
	cr_expect(eq(int, q.nlabels, 0), "a quoted filter is searched as text");
	cr_assert(eq(int, q.nwords, 1));
	cr_expect(eq(str, q.words[0], "label:bug"));
	query_release(&q);
}

Test(query, quoted_phrase_is_one_word)
{
	struct issue_query q = parse_ok("\"dark mode\" toggle");
	cr_assert(eq(int, q.nwords, 2));
	cr_expect(eq(str, q.words[0], "dark mode"));
	cr_expect(eq(str, q.words[1], "toggle"));
	query_release(&q);
}

Test(query, free_words_must_all_occur)
{
	struct issue_query q = parse_ok("export  board\tCSV");
	cr_assert(eq(int, q.nwords, 3));
	cr_expect(eq(str, q.words[0], "export"));
	cr_expect(eq(str, q.words[1], "board"));
	cr_expect(eq(str, q.words[2], "CSV"));
	cr_expect(eq(int, q.state, -1), "words alone set no filter");
	cr_expect(eq(int, q.nlabels, 0));
	query_release(&q);
}

Test(query, filters_and_words_combine)
{
	struct issue_query q =
		parse_ok("  is:open type:bug priority:medium label:ui login crash  ");
	cr_expect(eq(int, q.state, ISSUE_OPEN));
	cr_expect(eq(int, q.type, ISSUE_BUG));
	cr_expect(eq(int, q.priority, PRIO_MEDIUM));
	cr_assert(eq(int, q.nlabels, 1));
	cr_expect(eq(str, q.labels[0], "ui"));
	cr_assert(eq(int, q.nwords, 2));
	cr_expect(eq(str, q.words[0], "login"));
	cr_expect(eq(str, q.words[1], "crash"));
	query_release(&q);
}

Test(query, keys_and_values_ignore_case)
{
	struct issue_query q = parse_ok("IS:Open Type:BUG PRIORITY:High Label:ui");
	cr_expect(eq(int, q.state, ISSUE_OPEN));
	cr_expect(eq(int, q.type, ISSUE_BUG));
	cr_expect(eq(int, q.priority, PRIO_HIGH));
	cr_assert(eq(int, q.nlabels, 1));
	cr_expect(eq(str, q.labels[0], "ui"), "label values are kept as typed");
	query_release(&q);
}

Test(query, contradicting_or_empty_terms_are_refused)
{
	const char *bad[] = {"is:open is:closed", "type:bug type:task", "priority:high priority:none",
			     "priority:", "is:", "type:"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct err e = parse_refused(bad[k]);
		cr_expect(eq(str, e.field, "q"), "%s", bad[k]);
	}
	struct issue_query q = parse_ok("is:open is:open");
	cr_expect(eq(int, q.state, ISSUE_OPEN), "repeating the same value is harmless");
	query_release(&q);
}

Test(query, sixteen_words_and_sixteen_labels_are_allowed)
{
	char text[QUERY_MAX_LEN];
	size_t n = 0;
	for (int k = 0; k < QUERY_MAX_TERMS; k++)
		n += (size_t)snprintf(text + n, sizeof text - n, "w%d label:l%d ", k, k);
	struct issue_query q = parse_ok(text);
	cr_expect(eq(int, q.nwords, QUERY_MAX_TERMS));
	cr_expect(eq(int, q.nlabels, QUERY_MAX_TERMS));
	cr_expect(eq(str, q.words[QUERY_MAX_TERMS - 1], "w15"));
	cr_expect(eq(str, q.labels[QUERY_MAX_TERMS - 1], "l15"));
	query_release(&q);
}

Test(query, query_of_exactly_max_length_is_accepted)
{
	char *text = str_of_len("a", QUERY_MAX_LEN);
	struct issue_query q = parse_ok(text);
	cr_assert(eq(int, q.nwords, 1));
	cr_expect(eq(sz, strlen(q.words[0]), QUERY_MAX_LEN), "the whole word is kept");
	query_release(&q);
	free(text);
}

Test(query, release_leaves_a_reusable_empty_query)
{
	struct issue_query q = parse_ok("is:open type:task priority:low label:a label:b x y");
	query_release(&q);
	expect_empty(&q, "after release");
	query_release(&q); /* twice: no double free */
	expect_empty(&q, "after a second release");

	struct err e = {0};
	cr_assert(eq(int, query_parse("label:c z", &q, &e), 0), "%s", e.msg);
	cr_expect(eq(int, q.state, -1), "nothing carried over from the first query");
	cr_assert(eq(int, q.nlabels, 1));
	cr_expect(eq(str, q.labels[0], "c"));
	cr_assert(eq(int, q.nwords, 1));
	cr_expect(eq(str, q.words[0], "z"));
	query_release(&q);
}

Test(query, error_pointer_may_be_null)
{
	struct issue_query q;
	cr_expect(eq(int, query_parse("nope:x", &q, NULL), CAIRN_EINVALID));
	expect_empty(&q, "refused with e == NULL");
	query_release(&q);
}

/* --------------------------------------------------------------- errors */

Test(query_errors, unknown_filter_names_the_key)
{
	struct err e = parse_refused("is:open watcher:pat");
	cr_expect(strstr(e.msg, "watcher") != NULL, "message names the key: %s", e.msg);
}

Test(query_errors, bad_state_value)
{
	struct err e = parse_refused("is:done");
	cr_expect(strstr(e.msg, "done") != NULL, "message quotes the value: %s", e.msg);
	parse_refused("is:");
}

Test(query_errors, bad_type_value)
{
	struct err e = parse_refused("type:spike");
	cr_expect(strstr(e.msg, "spike") != NULL, "message quotes the value: %s", e.msg);
	parse_refused("type:");
}

Test(query_errors, bad_priority_value)
{
	struct err e = parse_refused("priority:urgent");
	cr_expect(strstr(e.msg, "urgent") != NULL, "message quotes the value: %s", e.msg);
}

Test(query_errors, empty_label_value)
{
	parse_refused("label:");
	parse_refused("label:\"\"");
}

Test(query_errors, unterminated_quote)
{
	struct err e = parse_refused("crash label:\"Customer Request");
	cr_expect(strstr(e.msg, "quote") != NULL, "message explains: %s", e.msg);
	parse_refused("\"");
	parse_refused("word \"other");
}

Test(query_errors, error_after_labels_and_words_frees_them)
{
	/* Terms parsed before the bad one were allocated: LSan checks they
	 * are freed and the struct is emptied. */
	parse_refused("one two label:a label:b is:open type:nope");
	parse_refused("one two label:a label:b \"unterminated");
}

Test(query_errors, seventeen_words_are_too_many)
{
	char text[QUERY_MAX_LEN];
	size_t n = 0;
	for (int k = 0; k <= QUERY_MAX_TERMS; k++)
		n += (size_t)snprintf(text + n, sizeof text - n, "w%d ", k);
	struct err e = parse_refused(text);
	cr_expect(strstr(e.msg, "16") != NULL, "message names the limit: %s", e.msg);
}

Test(query_errors, seventeen_labels_are_too_many)
{
	char text[QUERY_MAX_LEN];
	size_t n = 0;
	for (int k = 0; k <= QUERY_MAX_TERMS; k++)
		n += (size_t)snprintf(text + n, sizeof text - n, "label:l%d ", k);
	parse_refused(text);
}

Test(query_errors, over_long_query)
{
	char *text = str_of_len("ab ", QUERY_MAX_LEN + 1);
	struct err e = parse_refused(text);
	cr_expect(strstr(e.msg, "1024") != NULL, "message names the limit: %s", e.msg);
	free(text);
	text = str_of_len("label:x ", 100000);
	parse_refused(text);
	free(text);
}

/* ----------------------------------------------------------------- sort */

Test(query, sort_keys_and_directions)
{
	struct { const char *text; int by, desc, oldest; } cases[] = {
		{"sort:oldest", QS_NUMBER, 0, 1}, {"sort:newest", QS_NUMBER, 0, 0},
		{"sort:number", QS_NUMBER, 0, 1}, {"sort:-number", QS_NUMBER, 0, 0},
		{"sort:title", QS_TITLE, 0, 0}, {"sort:-TITLE", QS_TITLE, 1, 0},
		{"sort:type", QS_TYPE, 0, 0}, {"sort:priority", QS_PRIORITY, 0, 0},
		{"sort:-priority", QS_PRIORITY, 1, 0}, {"sort:state", QS_STATE, 0, 0},
		{"sort:-updated", QS_UPDATED, 1, 0},
		{"sort:title sort:oldest", QS_NUMBER, 0, 1}, /* the last sort: wins */
		{"is:open crash sort:-updated", QS_UPDATED, 1, 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct issue_query q = parse_ok(cases[k].text);
		cr_expect(eq(int, q.sort_by, cases[k].by), "%s: sort_by", cases[k].text);
		cr_expect(eq(int, q.sort_desc, cases[k].desc), "%s: sort_desc", cases[k].text);
		cr_expect(eq(int, q.oldest_first, cases[k].oldest), "%s: oldest_first", cases[k].text);
		query_release(&q);
	}
	const char *bad[] = {"sort:", "sort:-", "sort:points", "sort:--title", "sort:title,number"};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct err e = parse_refused(bad[k]);
		cr_expect(strstr(e.msg, "sort:") != NULL, "%s: %s", bad[k], e.msg);
	}
}
