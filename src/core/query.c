/*
 * query.c — tokenizer and parser of the issue-list query language
 * (grammar in query.h).  Produces a struct issue_query; never SQL.
 */
#include "core/query.h"
#include "core/plan.h"

#include "core/triage.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void query_release(struct issue_query *q)
{
	for (int i = 0; i < q->nlabels; i++)
		free(q->labels[i]);
	for (int i = 0; i < q->nwords; i++)
		free(q->words[i]);
	memset(q, 0, sizeof *q);
	q->state = q->type = q->priority = q->board = q->severity = q->bug_severity = -1;
	q->dev = -1;
	q->milestone = -1;
}

/* Read one term starting at *pp into buf: a run of non-blank characters
 * in which double-quoted sections may contain blanks (quotes removed).
 * Returns 1 for a term, 0 at end, -1 for an unterminated quote. */
static int next_term(const char **pp, char *buf, size_t cap, int *quoted)
{
	const char *p = *pp;
	size_t n = 0;
	*quoted = 0;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (!*p) {
		*pp = p;
		return 0;
	}
	*quoted = *p == '"';
	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (n + 1 < cap)
					buf[n++] = *p;
				p++;
			}
			if (*p != '"')
				return -1;
			p++;
			continue;
		}
		if (n + 1 < cap)
			buf[n++] = *p;
		p++;
	}
	buf[n] = '\0';
	*pp = p;
	return 1;
}

static int add(char **arr, int *n, const char *s, struct err *e)
{
	if (*n >= QUERY_MAX_TERMS)
		return err_set(e, CAIRN_EINVALID, "q", "query has too many terms (at most %d of a kind)",
			       QUERY_MAX_TERMS);
	arr[*n] = strdup(s);
	if (!arr[*n])
		return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
	(*n)++;
	return 0;
}

/* sort:oldest, sort:newest, sort:K or sort:-K (K a key of enum query_sort). */
static int apply_sort(struct issue_query *q, const char *val, struct err *e)
{
	static const char *const keys[] = {"number", "title", "type", "priority", "state", "updated"};
	int desc = val[0] == '-';
	const char *k = desc ? val + 1 : val;

	q->sort_by = QS_NUMBER;
	q->sort_desc = 0;
	if (strcasecmp(val, "oldest") == 0) {
		q->oldest_first = 1;
		return 0;
	}
	if (strcasecmp(val, "newest") == 0) {
		q->oldest_first = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcasecmp(k, keys[i]) != 0)
			continue;
		q->sort_by = (int)i;
		if (i == QS_NUMBER)
			q->oldest_first = !desc;
		else
			q->sort_desc = desc;
		return 0;
	}
	return err_set(e, CAIRN_EINVALID, "q",
		       "sort: must be oldest, newest, or number, title, type, priority, state, updated "
		       "(with - before it: the other way round), not '%s'",
		       val);
}

static int apply(struct issue_query *q, const char *key, const char *val, struct err *e)
{
	if (strcasecmp(key, "label") != 0 && !*val)
		return err_set(e, CAIRN_EINVALID, "q", "%s: needs a value", key);
	if (strcasecmp(key, "is") == 0) {
		enum issue_state s;
		if (issue_state_parse(val, &s))
			return err_set(e, CAIRN_EINVALID, "q", "is: must be open or closed, not '%s'", val);
		if (q->state >= 0 && q->state != (int)s)
			return err_set(e, CAIRN_EINVALID, "q", "is:open and is:closed exclude each other");
		q->state = s;
	} else if (strcasecmp(key, "type") == 0) {
		enum issue_type t;
		if (issue_type_parse(val, &t))
			return err_set(e, CAIRN_EINVALID, "q",
				       "type: must be one of epic,story,task,bug,feature,security, not '%s'", val);
		if (q->type >= 0 && q->type != (int)t)
			return err_set(e, CAIRN_EINVALID, "q", "an issue has one type: give type: once");
		q->type = t;
	} else if (strcasecmp(key, "priority") == 0) {
		enum priority p;
		if (priority_parse(val, &p))
			return err_set(e, CAIRN_EINVALID, "q",
				       "priority: must be one of high,medium,low,none, not '%s'", val);
		if (q->priority >= 0 && q->priority != (int)p)
			return err_set(e, CAIRN_EINVALID, "q", "an issue has one priority: give priority: once");
		q->priority = p;
	} else if (strcasecmp(key, "board") == 0) {
		enum board b;
		if (board_parse(val, &b))
			return err_set(e, CAIRN_EINVALID, "q",
				       "board: must be one of no_status,under_review,next,short,medium,"
				       "long,icebox,started,closed, not '%s'", val);
		if (q->board >= 0 && q->board != (int)b)
			return err_set(e, CAIRN_EINVALID, "q", "an issue is on one board column: give board: once");
		q->board = b;
	} else if (strcasecmp(key, "dev") == 0) {
		enum dev_status d = DEV_NONE;
		if (strcasecmp(val, "none") && (!*val || dev_status_parse(val, &d)))
			return err_set(e, CAIRN_EINVALID, "q",
				       "dev: must be one of todo,up_next,in_design,in_progress,review,"
				       "verify,done,none, not '%s'", val);
		q->dev = d;
	} else if (strcasecmp(key, "milestone") == 0) {
		char *end;
		long long m = strtoll(val, &end, 10);
		if (!strcasecmp(val, "none"))
			m = 0;
		else if (!*val || *end || m <= 0)
			return err_set(e, CAIRN_EINVALID, "q",
				       "milestone: must be a milestone id or none, not '%s'", val);
		q->milestone = m;
	} else if (strcasecmp(key, "severity") == 0) {
		enum severity sv;
		int bs;
		if (severity_parse(val, &sv) == 0)
			q->severity = sv;
		else if (bug_severity_parse(val, &bs) == 0 && bs)
			q->bug_severity = bs;
		else
			return err_set(e, CAIRN_EINVALID, "q",
				       "severity: must be none,low,medium,high,critical or S1..S4, not '%s'",
				       val);
	} else if (strcasecmp(key, "sort") == 0) {
		return apply_sort(q, val, e);
	} else if (strcasecmp(key, "label") == 0) {
		if (!*val)
			return err_set(e, CAIRN_EINVALID, "q", "label: needs a value");
		return add(q->labels, &q->nlabels, val, e);
	} else {
		return err_set(e, CAIRN_EINVALID, "q",
			       "unknown filter '%s:' (known: is, type, priority, board, dev, milestone, severity, label, sort)",
			       key);
	}
	return 0;
}

int query_parse(const char *s, struct issue_query *q, struct err *e)
{
	char term[QUERY_MAX_LEN + 1];
	int quoted, r, rc = 0;

	memset(q, 0, sizeof *q);
	q->state = q->type = q->priority = q->board = q->severity = q->bug_severity = -1;
	q->dev = -1;
	q->milestone = -1;
	if (!s)
		return 0;
	if (strlen(s) > QUERY_MAX_LEN)
		return err_set(e, CAIRN_EINVALID, "q", "query must be at most %d bytes", QUERY_MAX_LEN);
	while ((r = next_term(&s, term, sizeof term, &quoted)) == 1) {
		char *colon = strchr(term, ':');
		/* "key:value" where key is a bare word; a term that opens
		 * with a quote ("a:b") is searched as text. */
		if (colon && colon != term && !quoted) {
			*colon = '\0';
			rc = apply(q, term, colon + 1, e);
		} else {
			rc = *term ? add(q->words, &q->nwords, term, e) : 0;
		}
		if (rc)
			break;
	}
	if (r < 0)
		rc = err_set(e, CAIRN_EINVALID, "q", "query has an unterminated quote");
	if (rc)
		query_release(q);
	return rc;
}
