/*
 * query.c — tokenizer and parser of the issue-list query language
 * (grammar in query.h).  Produces a struct issue_query; never SQL.
 *
 * Today's single-valued filters (is:, type:, priority:, board:, dev:,
 * severity:, label:) still fill their own fields, which the store turns
 * into index-friendly SQL; what version 2 added (negation, OR lists,
 * no:, the new keys) becomes a struct query_cond.  Every error names
 * where it starts (e->position, also at the front of the message) and
 * what was expected there.
 */
#include "core/query.h"
#include "core/plan.h"

#include "core/triage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAY_MS 86400000LL

void query_any(struct issue_query *q)
{
	memset(q, 0, sizeof *q);
	q->state = q->type = q->priority = q->board = q->severity = q->bug_severity = -1;
	q->dev = -1;
	q->milestone = -1;
}

void query_release(struct issue_query *q)
{
	for (int i = 0; i < q->nlabels; i++)
		free(q->labels[i]);
	for (int i = 0; i < q->nwords; i++)
		free(q->words[i]);
	for (int i = 0; i < q->nconds; i++)
		for (int k = 0; k < q->conds[i].nvals; k++)
			free(q->conds[i].vals[k]);
	query_any(q);
}

/* The parse in progress: the text (for positions), the result, now. */
struct pctx {
	const char *src;
	struct issue_query *q;
	struct err *e;
	int64_t now;
};

/* Refuse at byte offset off of the text: the message starts with the
 * position in characters (what an editor or a JS string counts, for the
 * BMP), e->position carries it. */
static int fail(const struct pctx *c, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(const struct pctx *c, size_t off, const char *fmt, ...)
{
	char what[ERR_MSG_MAX];
	int pos = 1;
	va_list ap;
	for (size_t k = 0; k < off && c->src[k]; k++)
		if (((unsigned char)c->src[k] & 0xc0) != 0x80)
			pos++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	err_set(c->e, CAIRN_EINVALID, "q", "at %d: %s", pos, what);
	if (c->e)
		c->e->position = pos;
	return CAIRN_EINVALID;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Read one term starting at *pp into buf: a run of non-blank characters
 * in which double-quoted sections may contain blanks (quotes removed).
 * *start is its byte offset in the text.  Returns 1 for a term, 0 at end,
 * -1 for an unterminated quote (*start then is that quote's offset). */
static int next_term(const struct pctx *c, const char **pp, char *buf, size_t cap, int *quoted,
		     size_t *start)
{
	const char *p = *pp;
	size_t n = 0;
	*quoted = 0;
	while (is_blank(*p))
		p++;
	*start = (size_t)(p - c->src);
	if (!*p) {
		*pp = p;
		return 0;
	}
	*quoted = *p == '"';
	while (*p && !is_blank(*p)) {
		if (*p == '"') {
			const char *open = p++;
			while (*p && *p != '"') {
				if (n + 1 < cap)
					buf[n++] = *p;
				p++;
			}
			if (*p != '"') {
				*start = (size_t)(open - c->src);
				return -1;
			}
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

static int add(const struct pctx *c, size_t at, char **arr, int *n, const char *s)
{
	if (*n >= QUERY_MAX_TERMS)
		return fail(c, at, "too many terms of a kind (at most %d)", QUERY_MAX_TERMS);
	arr[*n] = strdup(s);
	if (!arr[*n])
		return err_set(c->e, CAIRN_ENOMEM, NULL, "out of memory");
	(*n)++;
	return 0;
}

/* ---- sort ------------------------------------------------------------------ */

/* sort:oldest, sort:newest, sort:K, sort:-K, sort:K-asc, sort:K-desc. */
static int apply_sort(const struct pctx *c, size_t at, const char *val)
{
	static const char *const keys[] = {"number", "title", "type",	 "priority", "state",
					   "updated", "created", "size", "rice",	     "demand"};
	struct issue_query *q = c->q;
	char k[32];
	int desc = val[0] == '-', dir = -1; /* -1: the key's default */
	size_t n = strlen(desc ? val + 1 : val);

	if (n >= sizeof k)
		n = sizeof k - 1;
	memcpy(k, desc ? val + 1 : val, n);
	k[n] = '\0';
	if (!desc && n > 5 && !strcasecmp(k + n - 5, "-desc")) {
		k[n - 5] = '\0';
		dir = 1;
	} else if (!desc && n > 4 && !strcasecmp(k + n - 4, "-asc")) {
		k[n - 4] = '\0';
		dir = 0;
	} else if (desc) {
		dir = 1;
	}
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
		if (dir < 0) /* scores: best first; the rest ascending */
			dir = i == QS_RICE || i == QS_DEMAND;
		if (i == QS_NUMBER)
			q->oldest_first = !dir;
		else
			q->sort_desc = dir;
		return 0;
	}
	return fail(c, at,
		    "sort: expected oldest, newest, or number, title, type, priority, state, updated, "
		    "created, size, rice, demand (with -asc or -desc after it, or - before it: the "
		    "other way round), not '%s'",
		    val);
}

/* ---- version-2 conditions ------------------------------------------------------ */

static struct query_cond *new_cond(const struct pctx *c, size_t at, int key, int neg, int *rc)
{
	struct issue_query *q = c->q;
	if (q->nconds >= QUERY_MAX_CONDS) {
		*rc = fail(c, at, "too many filters (at most %d beyond the simple ones)",
			   QUERY_MAX_CONDS);
		return NULL;
	}
	struct query_cond *k = &q->conds[q->nconds++];
	memset(k, 0, sizeof *k);
	k->key = key;
	k->neg = neg;
	*rc = 0;
	return k;
}

static int cond_push(const struct pctx *c, size_t at, struct query_cond *k, const char *text,
		     int64_t num)
{
	if (k->nvals >= QUERY_MAX_OR)
		return fail(c, at, "expected at most %d values separated by ','", QUERY_MAX_OR);
	if (!(k->vals[k->nvals] = strdup(text)))
		return err_set(c->e, CAIRN_ENOMEM, NULL, "out of memory");
	k->nums[k->nvals++] = num;
	return 0;
}

/* An all-digits value as an id (titles that are numbers still match by
 * title too); 0 otherwise. */
static int64_t id_of(const char *s)
{
	char *end;
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return 0;
	return strtoll(s, &end, 10);
}

/* What each enumerated key accepts, for its message, and its parser. */
static int enum_code(int key, const char *v, int64_t *out)
{
	switch (key) {
	case QK_STATE: {
		enum issue_state s;
		if (issue_state_parse(v, &s))
			return -1;
		*out = s;
		return 0;
	}
	case QK_TYPE: {
		enum issue_type t;
		if (issue_type_parse(v, &t))
			return -1;
		*out = t;
		return 0;
	}
	case QK_PRIORITY: {
		enum priority p;
		if (priority_parse(v, &p))
			return -1;
		*out = p;
		return 0;
	}
	case QK_BOARD: {
		enum board b;
		if (board_parse(v, &b))
			return -1;
		*out = b;
		return 0;
	}
	case QK_DEV: {
		enum dev_status d = DEV_NONE;
		if (strcasecmp(v, "none") && dev_status_parse(v, &d))
			return -1;
		*out = d;
		return 0;
	}
	}
	return -1;
}

static const char *enum_expect(int key)
{
	switch (key) {
	case QK_STATE: return "open or closed";
	case QK_TYPE: return "one of epic,story,task,bug,feature,security";
	case QK_PRIORITY: return "one of high,medium,low,none";
	case QK_BOARD:
		return "one of no_status,under_review,next,short,medium,long,icebox,started,closed";
	case QK_DEV: return "one of todo,up_next,in_design,in_progress,review,verify,done,none";
	}
	return "a value";
}

/* The qualifiers by name; simple keys keep their own fields when given
 * one value without '-'. */
static const struct {
	const char *name;
	int key;
	int kind; /* 0 enumerated, 1 text, 2 comparison */
	int none; /* no:name allowed */
} keys[] = {
	{"is", QK_STATE, 0, 0},	       {"type", QK_TYPE, 0, 0},
	{"priority", QK_PRIORITY, 0, 1}, {"board", QK_BOARD, 0, 0},
	{"dev", QK_DEV, 0, 1},	       {"label", QK_LABEL, 1, 1},
	{"assignee", QK_ASSIGNEE, 1, 1}, {"reporter", QK_REPORTER, 1, 1},
	{"milestone", QK_MILESTONE, 1, 1}, {"area", QK_AREA, 1, 1},
	{"initiative", QK_INITIATIVE, 1, 1}, {"customer", QK_CUSTOMER, 1, 1},
	{"tier", QK_TIER, 1, 1},	       {"size", QK_SIZE, 2, 1},
	{"created", QK_CREATED, 2, 0},   {"updated", QK_UPDATED, 2, 0},
	{"fix_by", QK_FIX_BY, 2, 0},
};
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

static int key_index(const char *name)
{
	for (int i = 0; i < NKEYS; i++)
		if (!strcasecmp(name, keys[i].name))
			return i;
	return -1;
}

#define KNOWN                                                                              \
	"is, type, priority, board, dev, severity, label, assignee, reporter, milestone, area, " \
	"initiative, customer, tier, size, created, updated, fix_by, sort, no"

/* "<", "<=", ">", ">=" or nothing at the front of v; returns its length. */
static size_t read_op(const char *v, int *op)
{
	if (v[0] == '<' && v[1] == '=')
		return *op = QOP_LE, 2;
	if (v[0] == '>' && v[1] == '=')
		return *op = QOP_GE, 2;
	if (v[0] == '<')
		return *op = QOP_LT, 1;
	if (v[0] == '>')
		return *op = QOP_GT, 1;
	if (v[0] == '=')
		return *op = QOP_EQ, 1;
	return *op = QOP_EQ, 0;
}

/* A number of 1..6 digits; -1 otherwise. */
static int64_t small_number(const char *s, size_t len)
{
	int64_t n = 0;
	if (len == 0 || len > 6)
		return -1;
	for (size_t k = 0; k < len; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		n = n * 10 + (s[k] - '0');
	}
	return n;
}

/* HH:MM[:SS]Z after a date; -1 if it is not that. */
static int64_t clock_ms(const char *s)
{
	int h, m, sec = 0;
	size_t n = strlen(s);
	if ((n != 6 && n != 9) || s[2] != ':' || (s[n - 1] != 'Z' && s[n - 1] != 'z'))
		return -1;
	if ((h = (int)small_number(s, 2)) < 0 || (m = (int)small_number(s + 3, 2)) < 0)
		return -1;
	if (n == 9 && (s[5] != ':' || (sec = (int)small_number(s + 6, 2)) < 0))
		return -1;
	if (h > 23 || m > 59 || sec > 59)
		return -1;
	return ((int64_t)h * 3600 + m * 60 + sec) * 1000;
}

/* created:/updated:/fix_by: OP WHEN into k (see query.h). */
static int parse_time(const struct pctx *c, size_t at, const char *name, int op, const char *v,
		      struct query_cond *k)
{
	static const char expect[] =
		"a date (2026-01-31), an instant (2026-01-31T09:00Z), now, or an age (24h, 7d, 2w)";
	size_t n = strlen(v);
	int64_t day, t;
	char date[11];

	if (!strcasecmp(v, "now")) {
		k->op = op;
		k->nums[0] = c->now;
		c->q->uses_now = 1;
		return 0;
	}
	if (n >= 2 && strchr("hdwHDW", v[n - 1])) {
		int64_t amount = small_number(v, n - 1), unit;
		if (amount < 0)
			return fail(c, at, "%s: expected %s, not '%s'", name, expect, v);
		unit = (v[n - 1] | 0x20) == 'h' ? 3600000LL : (v[n - 1] | 0x20) == 'd' ? DAY_MS : 7 * DAY_MS;
		if (op == QOP_EQ)
			return fail(c, at, "%s: an age needs < or > before it (%s:<%s: less than %s ago)",
				    name, name, v, v);
		/* an age: younger than (<) is a later time (>) */
		static const int flip[] = {[QOP_LT] = QOP_GT, [QOP_LE] = QOP_GE, [QOP_GT] = QOP_LT,
					   [QOP_GE] = QOP_LE};
		k->op = flip[op];
		k->nums[0] = c->now - amount * unit;
		c->q->uses_now = 1;
		return 0;
	}
	if (n < 10)
		return fail(c, at, "%s: expected %s, not '%s'", name, expect, v);
	memcpy(date, v, 10);
	date[10] = '\0';
	if (day_parse(date, &day))
		return fail(c, at, "%s: expected %s, not '%s'", name, expect, v);
	t = day * DAY_MS;
	if (n > 10) {
		int64_t ms = v[10] == 'T' || v[10] == 't' ? clock_ms(v + 11) : -1;
		if (ms < 0)
			return fail(c, at + 10, "%s: expected a time like T09:00Z or T09:00:30Z after the date",
				    name);
		k->op = op;
		k->nums[0] = t + ms;
		return 0;
	}
	/* a whole UTC day */
	switch (op) {
	case QOP_EQ:
		k->op = QOP_EQ;
		k->nums[0] = t;
		k->nums[1] = t + DAY_MS;
		return 0;
	case QOP_GT:
		k->op = QOP_GE;
		k->nums[0] = t + DAY_MS;
		return 0;
	case QOP_LE:
		k->op = QOP_LT;
		k->nums[0] = t + DAY_MS;
		return 0;
	default:
		k->op = op;
		k->nums[0] = t;
		return 0;
	}
}

/* size:/created:/updated:/fix_by: with an optional comparison. */
static int parse_comparison(const struct pctx *c, size_t at, int ki, const char *val)
{
	int op, rc;
	size_t ol = read_op(val, &op);
	const char *v = val + ol;
	struct query_cond *k;

	if (!*v)
		return fail(c, at + ol, "%s: expected a value after '%s'", keys[ki].name, val);
	if (strchr(v, ','))
		return fail(c, at + ol + (size_t)(strchr(v, ',') - v),
			    "%s: takes one value (a comparison), not a list", keys[ki].name);
	if (!(k = new_cond(c, at, keys[ki].key, 0, &rc)))
		return rc;
	if (!(k->vals[0] = strdup(val)))
		return err_set(c->e, CAIRN_ENOMEM, NULL, "out of memory");
	k->nvals = 1;
	if (keys[ki].key == QK_SIZE) {
		int64_t pts = small_number(v, strlen(v));
		if (pts < 0 || pts > 1000)
			return fail(c, at + ol, "size: expected a number of points (0..1000), not '%s'", v);
		k->op = op;
		k->nums[0] = pts;
		return 0;
	}
	return parse_time(c, at + ol, keys[ki].name, op, v, k);
}

/* The single-valued, positive form of today's keys: their own fields;
 * a second, different value of a one-valued field is refused. */
static int apply_simple(const struct pctx *c, size_t at, int key, const char *val, int64_t code)
{
	struct issue_query *q = c->q;
	int *field = key == QK_STATE	  ? &q->state
		     : key == QK_TYPE	  ? &q->type
		     : key == QK_PRIORITY ? &q->priority
		     : key == QK_BOARD	  ? &q->board
		     : key == QK_DEV	  ? &q->dev
					  : NULL;
	static const char *const twice[] = {
		[QK_STATE] = "is:open and is:closed exclude each other",
		[QK_TYPE] = "an issue has one type: give type: once",
		[QK_PRIORITY] = "an issue has one priority: give priority: once",
		[QK_BOARD] = "an issue is on one board column: give board: once",
	};
	if (!field)
		return add(c, at, q->labels, &q->nlabels, val);
	if (key != QK_DEV && *field >= 0 && *field != code)
		return fail(c, at, "%s", twice[key]);
	*field = (int)code;
	return 0;
}

/* key:A,B,... (neg: -key:...) for an enumerated or text key. */
static int parse_set(const struct pctx *c, size_t at, int ki, int neg, const char *val)
{
	const char *name = keys[ki].name;
	int key = keys[ki].key, rc;
	int single = !strchr(val, ',');
	struct query_cond *k = NULL;

	if (key == QK_MILESTONE && single && !neg && !strcasecmp(val, "none")) {
		c->q->milestone = 0;
		return 0;
	}
	if (single && !neg && (keys[ki].kind == 0 || key == QK_LABEL)) {
		int64_t code = 0;
		if (keys[ki].kind == 0 && enum_code(key, val, &code))
			return fail(c, at, "%s: expected %s, not '%s'", name, enum_expect(key), val);
		return apply_simple(c, at, key, val, code);
	}
	if (!(k = new_cond(c, at, key, neg, &rc)))
		return rc;
	for (const char *p = val;;) {
		size_t len = strcspn(p, ",");
		char one[QUERY_MAX_LEN + 1];
		int64_t num = 0;
		size_t here = at + (size_t)(p - val);
		memcpy(one, p, len);
		one[len] = '\0';
		if (!len)
			return fail(c, here, "%s: expected a value %s", name,
				    p == val ? "after ':'" : "after ','");
		if (keys[ki].kind == 0 && enum_code(key, one, &num))
			return fail(c, here, "%s: expected %s, not '%s'", name, enum_expect(key), one);
		if (key == QK_MILESTONE || key == QK_AREA || key == QK_INITIATIVE)
			num = id_of(one);
		if (key == QK_TIER) /* tiers are ASCII names: any case */
			for (char *t = one; *t; t++)
				if (*t >= 'A' && *t <= 'Z')
					*t = (char)(*t - 'A' + 'a');
		if ((rc = cond_push(c, here, k, one, num)))
			return rc;
		if (!p[len])
			break;
		p += len + 1;
	}
	return 0;
}

/* no:K */
static int parse_no(const struct pctx *c, size_t at, const char *val)
{
	int ki = key_index(val), rc;
	struct query_cond *k;
	if (ki < 0 || !keys[ki].none)
		return fail(c, at,
			    "no: expected one of assignee, reporter, milestone, size, label, area, "
			    "initiative, customer, tier, priority, dev, not '%s'",
			    val);
	switch (keys[ki].key) {
	case QK_PRIORITY:
		return apply_simple(c, at, QK_PRIORITY, val, PRIO_NONE);
	case QK_DEV:
		return apply_simple(c, at, QK_DEV, val, DEV_NONE);
	case QK_MILESTONE:
		c->q->milestone = 0;
		return 0;
	}
	if (!(k = new_cond(c, at, keys[ki].key, 0, &rc)))
		return rc;
	k->none = 1;
	return 0;
}

static int apply_severity(const struct pctx *c, size_t at, const char *val)
{
	enum severity sv;
	int bs;
	if (severity_parse(val, &sv) == 0)
		c->q->severity = sv;
	else if (bug_severity_parse(val, &bs) == 0 && bs)
		c->q->bug_severity = bs;
	else
		return fail(c, at, "severity: expected none,low,medium,high,critical or S1..S4, not '%s'",
			    val);
	return 0;
}

/* One key:value term; at is where the key starts, vat where the value does. */
static int apply(const struct pctx *c, size_t at, size_t vat, int neg, const char *key,
		 const char *val)
{
	int ki = key_index(key);

	if (!*val)
		return fail(c, vat, "%s: expected a value after ':'", key);
	if (!strcasecmp(key, "sort") || !strcasecmp(key, "severity") || !strcasecmp(key, "no")) {
		if (neg)
			return fail(c, at, "-%s: cannot be negated", key);
		if (!strcasecmp(key, "sort"))
			return apply_sort(c, vat, val);
		if (!strcasecmp(key, "no"))
			return parse_no(c, vat, val);
		return apply_severity(c, vat, val);
	}
	if (ki < 0)
		return fail(c, at, "unknown filter '%s:' (expected one of " KNOWN ")", key);
	if (keys[ki].kind == 2) {
		if (neg)
			return fail(c, at, "-%s: cannot be negated: use the opposite comparison", key);
		return parse_comparison(c, vat, ki, val);
	}
	return parse_set(c, vat, ki, neg, val);
}

int query_parse_at(const char *s, int64_t now, struct issue_query *q, struct err *e)
{
	char term[QUERY_MAX_LEN + 1];
	int quoted, r, rc = 0;
	size_t start = 0;
	struct pctx c = {.src = s, .q = q, .e = e, .now = now};

	query_any(q);
	q->now = now;
	if (!s)
		return 0;
	if (strlen(s) > QUERY_MAX_LEN)
		return err_set(e, CAIRN_EINVALID, "q", "query must be at most %d bytes", QUERY_MAX_LEN);
	const char *p = s;
	while ((r = next_term(&c, &p, term, sizeof term, &quoted, &start)) == 1) {
		int neg = term[0] == '-' && !quoted;
		char *key = term + neg;
		char *colon = strchr(key, ':');
		/* "key:value" where key is a bare word; a term that opens
		 * with a quote ("a:b") is searched as text, and so is a
		 * word that merely starts with '-' */
		if (colon && colon != key && !quoted) {
			*colon = '\0';
			rc = apply(&c, start + (size_t)neg, start + (size_t)(colon - term) + 1, neg, key,
				   colon + 1);
		} else {
			rc = *term ? add(&c, start, q->words, &q->nwords, term) : 0;
		}
		if (rc)
			break;
	}
	if (r < 0)
		rc = fail(&c, start, "expected a closing '\"' for the quote opened here");
	if (q->sort_by == QS_DEMAND)
		q->uses_now = 1; /* demand decays with the insights' age */
	if (rc) {
		int pos = e ? e->position : 0;
		query_release(q);
		if (e)
			e->position = pos;
	}
	return rc;
}

int query_parse(const char *s, struct issue_query *q, struct err *e)
{
	return query_parse_at(s, 0, q, e);
}
