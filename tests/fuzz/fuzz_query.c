/*
 * fuzz_query.c — libFuzzer target for the issue-list query language
 * (core/query.h).  Parses the input, checks the contract of query_parse,
 * then releases; LeakSanitizer catches anything query_release forgets.
 *
 * Invariants:
 *   - on error: a code and the field "q" (or ENOMEM), a message, and the
 *     struct is empty (every filter -1, no labels, no words);
 *   - on success: nlabels/nwords within 0..QUERY_MAX_TERMS, every label
 *     and word a non-NULL, non-empty string no longer than the query,
 *     every filter -1 or a known value;
 *   - error messages quote the query, so for valid UTF-8 input they are
 *     valid UTF-8 too (they go into JSON error bodies);
 *   - query_release leaves the struct empty and may be called twice;
 *   - version 2: nconds within 0..QUERY_MAX_CONDS, each condition's key
 *     known, its values 1..QUERY_MAX_OR non-empty strings (none for no:),
 *     its comparison known; an EINVALID error names a position within
 *     the query (1 .. characters + 1) and its message starts "at N: ".
 * That every accepted query also compiles to SQL and runs on a real
 * database is fuzz_query_sql's part.
 */
#include "core/query.h"

#include "core/cvss.h"
#include "core/triage.h"

#include "fuzz_util.h"

static int is_empty(const struct issue_query *q)
{
	return q->state == -1 && q->type == -1 && q->priority == -1 && q->board == -1 &&
	       q->severity == -1 && q->bug_severity == -1 && q->inbox == 0 &&
	       q->oldest_first == 0 && q->nlabels == 0 && q->nwords == 0 && q->nconds == 0;
}

static void check_strings(char *const *arr, int n, size_t qlen, const char *in)
{
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(arr[i] != NULL, in, "string %d of %d is NULL", i, n);
		size_t len = strlen(arr[i]);
		FUZZ_ASSERT(len > 0, in, "string %d of %d is empty", i, n);
		FUZZ_ASSERT(len <= qlen, in, "string %d longer (%zu) than the query (%zu)", i,
			    len, qlen);
	}
}

static void check_success(const struct issue_query *q, const char *in)
{
	size_t qlen = strlen(in);
	FUZZ_ASSERT(q->nlabels >= 0 && q->nlabels <= QUERY_MAX_TERMS, in, "nlabels=%d",
		    q->nlabels);
	FUZZ_ASSERT(q->nwords >= 0 && q->nwords <= QUERY_MAX_TERMS, in, "nwords=%d", q->nwords);
	check_strings(q->labels, q->nlabels, qlen, in);
	check_strings(q->words, q->nwords, qlen, in);
	FUZZ_ASSERT(q->state == -1 || q->state == ISSUE_OPEN || q->state == ISSUE_CLOSED, in,
		    "state=%d", q->state);
	FUZZ_ASSERT(q->type == -1 || issue_type_name((enum issue_type)q->type)[0], in,
		    "type=%d", q->type);
	FUZZ_ASSERT(q->priority == -1 || q->priority == PRIO_NONE ||
			    priority_name((enum priority)q->priority)[0],
		    in, "priority=%d", q->priority);
	FUZZ_ASSERT(q->board == -1 || board_name((enum board)q->board)[0], in, "board=%d",
		    q->board);
	FUZZ_ASSERT(q->severity >= -1 && q->severity <= SEV_CRITICAL, in, "severity=%d",
		    q->severity);
	FUZZ_ASSERT(q->bug_severity == -1 || (q->bug_severity >= 1 && q->bug_severity <= 4), in,
		    "bug_severity=%d", q->bug_severity);
	FUZZ_ASSERT(q->inbox == 0, in, "inbox set by the parser");
	FUZZ_ASSERT(q->oldest_first == 0 || q->oldest_first == 1, in, "oldest_first=%d",
		    q->oldest_first);
	FUZZ_ASSERT(q->sort_by >= QS_NUMBER && q->sort_by <= QS_DEMAND, in, "sort_by=%d", q->sort_by);
	FUZZ_ASSERT(q->nconds >= 0 && q->nconds <= QUERY_MAX_CONDS, in, "nconds=%d", q->nconds);
	for (int k = 0; k < q->nconds; k++) {
		const struct query_cond *c = &q->conds[k];
		FUZZ_ASSERT(c->key >= QK_STATE && c->key <= QK_FIX_BY, in, "cond %d key=%d", k, c->key);
		FUZZ_ASSERT(c->op >= QOP_EQ && c->op <= QOP_GE, in, "cond %d op=%d", k, c->op);
		FUZZ_ASSERT(c->none ? c->nvals == 0 : c->nvals >= 1 && c->nvals <= QUERY_MAX_OR, in,
			    "cond %d nvals=%d none=%d", k, c->nvals, c->none);
		check_strings(c->vals, c->nvals, strlen(in), in);
	}
}

/* Characters (UTF-8 lead bytes) of s. */
static int chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void check_error(int rc, const struct issue_query *q, const struct err *e,
			const char *in)
{
	FUZZ_ASSERT(rc == CAIRN_EINVALID || rc == CAIRN_ENOMEM, in, "rc=%d", rc);
	FUZZ_ASSERT((int)e->code == rc, in, "e->code=%d but rc=%d", e->code, rc);
	FUZZ_ASSERT(rc == CAIRN_ENOMEM || strcmp(e->field, "q") == 0, in, "field='%s'",
		    e->field);
	FUZZ_ASSERT(e->msg[0] != '\0', in, "no error message");
	FUZZ_ASSERT(memchr(e->msg, '\0', sizeof e->msg) != NULL, in, "msg not terminated");
	FUZZ_ASSERT(is_empty(q), in, "struct not empty after an error");
	if (rc == CAIRN_EINVALID && strlen(in) <= QUERY_MAX_LEN) {
		char at[24];
		snprintf(at, sizeof at, "at %d: ", e->position);
		FUZZ_ASSERT(e->position >= 1 && e->position <= chars(in) + 1, in,
			    "position %d outside 1..%d", e->position, chars(in) + 1);
		FUZZ_ASSERT(!strncmp(e->msg, at, strlen(at)), in, "message does not start with '%s': %s",
			    at, e->msg);
	}
	if (fuzz_utf8_valid(in))
		FUZZ_ASSERT(fuzz_utf8_valid(e->msg), in, "message not UTF-8 for UTF-8 input: %s",
			    e->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	struct issue_query q;
	struct err e;

	memset(&q, 0xa5, sizeof q); /* "need not be initialized" */
	err_clear(&e);
	int rc = query_parse_at(in, 1796644800000LL, &q, &e);
	if (rc == 0)
		check_success(&q, in);
	else
		check_error(rc, &q, &e, in);
	query_release(&q);
	FUZZ_ASSERT(is_empty(&q), in, "struct not empty after query_release");
	query_release(&q); /* releasing an empty query is harmless */
	free(in);
	return 0;
}
