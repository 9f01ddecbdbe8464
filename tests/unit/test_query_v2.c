/*
 * test_query_v2.c — unit tests of the query language's version 2 (issue
 * #17): each new qualifier, negation, OR lists, no:, comparisons, times
 * against the parse's now, the new sort keys, and each error with the
 * position it names.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "builders.h"
#include "core/query.h"
#include "core/triage.h"

TestSuite(query_v2, .fini = fail_on_leaks);
TestSuite(query_v2_errors, .fini = fail_on_leaks);

#define NOW 1796644800000LL /* 2026-12-07T12:00:00Z */
#define DAY 86400000LL
#define JAN1 1767225600000LL /* 2026-01-01T00:00:00Z */

static struct issue_query ok(const char *text)
{
	struct issue_query q;
	struct err e = {0};
	memset(&q, 0x5A, sizeof q);
	int rc = query_parse_at(text, NOW, &q, &e);
	cr_assert(eq(int, rc, 0), "'%s' should parse, got: %s", text, e.msg);
	return q;
}

/* Refused at position pos, the message naming the position and holding
 * want (what was expected). */
static void refused(const char *text, int pos, const char *want)
{
	struct issue_query q;
	struct err e = {0};
	char at[32];
	int rc = query_parse_at(text, NOW, &q, &e);
	cr_assert(eq(int, rc, CAIRN_EINVALID), "'%s' should be refused", text);
	cr_expect(eq(str, e.field, "q"));
	cr_expect(eq(int, e.position, pos), "'%s': position (%s)", text, e.msg);
	snprintf(at, sizeof at, "at %d: ", pos);
	cr_expect(strncmp(e.msg, at, strlen(at)) == 0, "'%s': message starts with '%s': %s", text, at,
		  e.msg);
	cr_expect(strstr(e.msg, want) != NULL, "'%s': message says '%s': %s", text, want, e.msg);
	cr_expect(eq(int, q.nconds, 0), "nothing kept after an error");
	query_release(&q);
}

static const struct query_cond *only_cond(const struct issue_query *q, int key)
{
	cr_assert(eq(int, q->nconds, 1), "one condition");
	cr_expect(eq(int, q->conds[0].key, key));
	return &q->conds[0];
}

Test(query_v2, assignee_and_reporter_take_logins_and_me)
{
	struct issue_query q = ok("assignee:@me");
	const struct query_cond *k = only_cond(&q, QK_ASSIGNEE);
	cr_expect(eq(int, k->nvals, 1));
	cr_expect(eq(str, k->vals[0], "@me"));
	query_release(&q);
	q = ok("reporter:pm1,eng2");
	k = only_cond(&q, QK_REPORTER);
	cr_expect(eq(int, k->nvals, 2));
	cr_expect(eq(str, k->vals[1], "eng2"));
	cr_expect(eq(int, k->neg, 0));
	query_release(&q);
	q = ok("no:assignee");
	k = only_cond(&q, QK_ASSIGNEE);
	cr_expect(eq(int, k->none, 1));
	query_release(&q);
}

Test(query_v2, milestone_area_initiative_take_titles_or_ids)
{
	struct issue_query q = ok("milestone:2.31");
	const struct query_cond *k = only_cond(&q, QK_MILESTONE);
	cr_expect(eq(str, k->vals[0], "2.31"));
	cr_expect(eq(i64, k->nums[0], 0), "2.31 is a title, not an id");
	query_release(&q);
	q = ok("milestone:12");
	k = only_cond(&q, QK_MILESTONE);
	cr_expect(eq(i64, k->nums[0], 12), "digits are also an id");
	query_release(&q);
	q = ok("milestone:none");
	cr_expect(eq(i64, q.milestone, 0));
	cr_expect(eq(int, q.nconds, 0));
	query_release(&q);
	q = ok("no:milestone");
	cr_expect(eq(i64, q.milestone, 0));
	query_release(&q);
	q = ok("area:\"Billing & invoices\"");
	k = only_cond(&q, QK_AREA);
	cr_expect(eq(str, k->vals[0], "Billing & invoices"));
	query_release(&q);
	q = ok("initiative:Mobile");
	k = only_cond(&q, QK_INITIATIVE);
	cr_expect(eq(str, k->vals[0], "Mobile"));
	query_release(&q);
}

Test(query_v2, customer_and_tier)
{
	struct issue_query q = ok("customer:\"Acme Corp\" tier:Premium");
	cr_assert(eq(int, q.nconds, 2));
	cr_expect(eq(int, q.conds[0].key, QK_CUSTOMER));
	cr_expect(eq(str, q.conds[0].vals[0], "Acme Corp"));
	cr_expect(eq(int, q.conds[1].key, QK_TIER));
	cr_expect(eq(str, q.conds[1].vals[0], "premium"), "tiers compare in any case");
	query_release(&q);
}

Test(query_v2, negation_and_or_lists)
{
	struct issue_query q = ok("-label:wontfix");
	const struct query_cond *k = only_cond(&q, QK_LABEL);
	cr_expect(eq(int, k->neg, 1));
	cr_expect(eq(int, q.nlabels, 0), "a negated label is not a required label");
	query_release(&q);
	q = ok("label:a,b");
	k = only_cond(&q, QK_LABEL);
	cr_expect(eq(int, k->nvals, 2));
	query_release(&q);
	q = ok("label:a"); /* today's form stays a required label */
	cr_expect(eq(int, q.nlabels, 1));
	cr_expect(eq(int, q.nconds, 0));
	query_release(&q);
	q = ok("type:bug,feature -board:icebox -is:closed");
	cr_assert(eq(int, q.nconds, 3));
	cr_expect(eq(i64, q.conds[0].nums[0], ISSUE_BUG));
	cr_expect(eq(i64, q.conds[0].nums[1], ISSUE_FEATURE));
	cr_expect(eq(int, q.conds[1].neg, 1));
	cr_expect(eq(i64, q.conds[1].nums[0], BOARD_ICEBOX));
	cr_expect(eq(int, q.conds[2].key, QK_STATE));
	cr_expect(eq(int, q.type, -1), "a list is a condition, not the single type");
	query_release(&q);
	q = ok("-crash"); /* a word that starts with '-' is still a word */
	cr_expect(eq(int, q.nwords, 1));
	cr_expect(eq(str, q.words[0], "-crash"));
	query_release(&q);
}

Test(query_v2, size_comparisons)
{
	struct { const char *text; int op; int64_t n; } cases[] = {
		{"size:>=5", QOP_GE, 5}, {"size:<3", QOP_LT, 3}, {"size:>8", QOP_GT, 8},
		{"size:<=2", QOP_LE, 2}, {"size:5", QOP_EQ, 5}, {"size:=0", QOP_EQ, 0},
	};
	for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
		struct issue_query q = ok(cases[j].text);
		const struct query_cond *k = only_cond(&q, QK_SIZE);
		cr_expect(eq(int, k->op, cases[j].op), "%s", cases[j].text);
		cr_expect(eq(i64, k->nums[0], cases[j].n), "%s", cases[j].text);
		query_release(&q);
	}
	struct issue_query q = ok("no:size");
	cr_expect(eq(int, only_cond(&q, QK_SIZE)->none, 1));
	query_release(&q);
}

Test(query_v2, dates_days_instants_and_ages_against_now)
{
	struct issue_query q = ok("created:>2026-01-01");
	const struct query_cond *k = only_cond(&q, QK_CREATED);
	cr_expect(eq(int, k->op, QOP_GE), "after a day: from the next day on");
	cr_expect(eq(i64, k->nums[0], JAN1 + DAY));
	query_release(&q);
	q = ok("created:2026-01-01");
	k = only_cond(&q, QK_CREATED);
	cr_expect(eq(int, k->op, QOP_EQ));
	cr_expect(eq(i64, k->nums[0], JAN1));
	cr_expect(eq(i64, k->nums[1], JAN1 + DAY), "a date is its whole UTC day");
	query_release(&q);
	q = ok("created:<=2026-01-01");
	k = only_cond(&q, QK_CREATED);
	cr_expect(eq(int, k->op, QOP_LT));
	cr_expect(eq(i64, k->nums[0], JAN1 + DAY));
	query_release(&q);
	q = ok("updated:>=2026-01-01T09:30Z");
	k = only_cond(&q, QK_UPDATED);
	cr_expect(eq(int, k->op, QOP_GE));
	cr_expect(eq(i64, k->nums[0], JAN1 + 9 * 3600000LL + 30 * 60000LL));
	query_release(&q);
	q = ok("updated:<7d");
	k = only_cond(&q, QK_UPDATED);
	cr_expect(eq(int, k->op, QOP_GT), "less than 7 days ago: after now - 7d");
	cr_expect(eq(i64, k->nums[0], NOW - 7 * DAY));
	query_release(&q);
	q = ok("updated:>2w");
	k = only_cond(&q, QK_UPDATED);
	cr_expect(eq(int, k->op, QOP_LT));
	cr_expect(eq(i64, k->nums[0], NOW - 14 * DAY));
	query_release(&q);
	q = ok("fix_by:<now");
	k = only_cond(&q, QK_FIX_BY);
	cr_expect(eq(int, k->op, QOP_LT));
	cr_expect(eq(i64, k->nums[0], NOW), "now is the parse's now, not the wall clock");
	query_release(&q);
}

Test(query_v2, sort_keys_v2)
{
	struct { const char *text; int by, desc; } cases[] = {
		{"sort:rice-desc", QS_RICE, 1},	     {"sort:rice", QS_RICE, 1},
		{"sort:rice-asc", QS_RICE, 0},	     {"sort:demand-desc", QS_DEMAND, 1},
		{"sort:updated-asc", QS_UPDATED, 0}, {"sort:created-desc", QS_CREATED, 1},
		{"sort:size", QS_SIZE, 0},	     {"sort:-size", QS_SIZE, 1},
	};
	for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
		struct issue_query q = ok(cases[j].text);
		cr_expect(eq(int, q.sort_by, cases[j].by), "%s", cases[j].text);
		cr_expect(eq(int, q.sort_desc, cases[j].desc), "%s", cases[j].text);
		query_release(&q);
	}
	struct issue_query q = ok("sort:number-asc");
	cr_expect(eq(int, q.oldest_first, 1));
	query_release(&q);
	q = ok("sort:rice");
	cr_expect(eq(i64, q.now, NOW));
	query_release(&q);
}

/* ---------------------------------------------------------- errors and positions */

Test(query_v2_errors, each_error_names_its_position_and_what_was_expected)
{
	refused("is:open watcher:pat", 9, "unknown filter 'watcher:'");
	refused("size:big", 6, "a number of points");
	refused("size:>=", 8, "expected a value after '>='");
	refused("size:>x", 7, "a number of points");
	refused("-size:>3", 2, "cannot be negated");
	refused("size:1,2", 7, "one value");
	refused("created:yesterday", 9, "a date (2026-01-31)");
	refused("created:>2026-02-30", 10, "a date");
	refused("created:2026-01-01T25:00Z", 19, "a time like T09:00Z");
	refused("updated:7d", 9, "an age needs < or >");
	refused("label:a,,b", 9, "expected a value after ','");
	refused("label:,a", 7, "expected a value after ':'");
	refused("type:bug,spike", 10, "one of epic,story");
	refused("-board:nowhere", 8, "one of no_status");
	refused("no:title", 4, "no: expected one of assignee");
	refused("sort:rice-up", 6, "sort: expected");
	refused("-sort:rice", 2, "cannot be negated");
	refused("assignee:", 10, "expected a value after ':'");
	refused("is:open customer:\"Acme", 18, "closing '\"'");
	refused("label:a,b,c,d,e,f,g,h,i", 23, "at most 8 values");
	/* a multi-byte character before the error counts once */
	refused("caf\xc3\xa9 size:x", 11, "a number of points");
}

Test(query_v2_errors, too_many_conditions)
{
	char text[QUERY_MAX_LEN];
	size_t n = 0;
	for (int k = 0; k <= QUERY_MAX_CONDS; k++)
		n += (size_t)snprintf(text + n, sizeof text - n, "-label:l%d ", k);
	struct issue_query q;
	struct err e = {0};
	cr_assert(eq(int, query_parse_at(text, NOW, &q, &e), CAIRN_EINVALID));
	cr_expect(strstr(e.msg, "too many filters") != NULL, "%s", e.msg);
	/* at the value of the 17th: "-label:" is 7 bytes */
	cr_expect(eq(int, e.position, (int)(strstr(text, "-label:l16") - text) + 8), "%s", e.msg);
	query_release(&q);
}
