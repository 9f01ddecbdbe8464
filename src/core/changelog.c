/*
 * changelog.c — changelog entry files, feeds and release notes (see
 * changelog.h).  Pure: text in, text out.
 *
 * Writers print into a memory stream (open_memstream), so a failed
 * allocation anywhere shows once, as the stream's error at the end.
 *
 * The reader is line-based and knows a small YAML subset on purpose: it
 * makes CRLF and CR into LF, finds the front matter between two "---"
 * lines and reads one "key: value" per line, with the items of a block
 * list on the lines that follow.  What it does not know (another key,
 * a nested list, a multi-line string) is an error naming the line, never
 * data silently dropped: an entry read and written again loses nothing.
 */
#include "core/changelog.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Close a memory stream: its text, or NULL (nothing to free) if any write
 * failed for want of memory. */
static char *stream_done(FILE *f, char **buf)
{
	int bad = ferror(f);
	if (fclose(f) || bad) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

/* The UTC time of ms (floored to the second) through strftime's fmt;
 * "" if the time is beyond what gmtime can represent. */
static void fmt_time(int64_t ms, const char *fmt, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, n, fmt, &tm))
		buf[0] = '\0';
}

/* Length of the well-formed UTF-8 sequence at p (before end) and its code
 * point in *cp; 0 for a byte that starts none (overlong forms and
 * surrogates included). */
static size_t utf8_next(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
	unsigned c = *p;
	size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0 || (size_t)(end - p) < n)
		return 0;
	if (n > 1)
		c &= 0x7fu >> n;
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3f);
	}
	if (c < min[n - 1] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Write code point c (a valid scalar value) as UTF-8; returns the bytes. */
static size_t utf8_put(unsigned long c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	size_t n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	for (size_t k = n - 1; k > 0; k--, c >>= 6)
		o[k] = (char)(0x80 | (c & 0x3f));
	o[0] = (char)(lead[n] | c);
	return n;
}

void cl_entry_release(struct cl_entry *e)
{
	free(e->title);
	free(e->description);
	free(e->body);
	for (size_t i = 0; i < e->nauthors; i++)
		free(e->authors[i]);
	free(e->authors);
	for (size_t i = 0; i < e->ntags; i++)
		free(e->tags[i]);
	free(e->tags);
	for (size_t i = 0; i < e->nissues; i++)
		free(e->issues[i]);
	free(e->issues);
	memset(e, 0, sizeof *e);
}

/* ------------------------------------------------------------ writing */

static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)or_empty(s); *p; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04X", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Whether a tag must be quoted to stay a plain string in YAML: anything
 * but [A-Za-z0-9_.-], a start that could make a number (or "-", ".inf"),
 * or a word YAML 1.1 reads as a boolean or null. */
static int needs_quotes(const char *s)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on",
					    "off",  "y",     "n",   "null"};
	if (!*s || strchr("0123456789+-.", *s) ||
	    s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")])
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcasecmp(s, words[i]))
			return 1;
	return 0;
}

static void put_block_list(FILE *f, const char *key, char *const *v, size_t n, int plain)
{
	fprintf(f, "%s:%s\n", key, n ? "" : " []");
	for (size_t i = 0; i < n; i++) {
		fputs("  - ", f);
		if (plain && !needs_quotes(or_empty(v[i])))
			fputs(v[i], f);
		else
			put_quoted(f, v[i]);
		fputc('\n', f);
	}
}

char *cl_format(const struct cl_entry *e)
{
	char *buf = NULL, date[48];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fmt_time(e->date_ms, "%Y-%m-%d %H:%M:%S.0", date, sizeof date);
	fputs("---\ntitle: ", f);
	put_quoted(f, e->title);
	fputs("\ndescription: ", f);
	put_quoted(f, e->description);
	fprintf(f, "\ndate: %s\nauthors: [", date);
	for (size_t i = 0; i < e->nauthors; i++) {
		fputs(i ? ", " : "", f);
		put_quoted(f, e->authors[i]);
	}
	fputs("]\n", f);
	put_block_list(f, "tags", e->tags, e->ntags, 1);
	put_block_list(f, "issues", e->issues, e->nissues, 0);
	fputs("---\n", f);
	const char *body = or_empty(e->body);
	size_t blen = strlen(body);
	if (blen)
		fprintf(f, "\n%s%s", body, body[blen - 1] == '\n' ? "" : "\n");
	return stream_done(f, &buf);
}

/* ------------------------------------------------------------ reading */

enum key { K_TITLE, K_DESCRIPTION, K_DATE, K_AUTHORS, K_TAGS, K_ISSUES, NKEYS };
static const char *const key_names[NKEYS] = {"title", "description", "date",
					     "authors", "tags", "issues"};

struct reader {
	const char *p, *end; /* the unread rest of the normalized text */
	const char *s, *e;   /* the current line, without its '\n' */
	int line;            /* its number */
	struct cl_parse_error *pe;
};

__attribute__((format(printf, 3, 4))) static int fail(struct reader *r, int line,
						       const char *fmt, ...)
{
	if (r->pe) {
		char what[200];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(what, sizeof what, fmt, ap);
		va_end(ap);
		r->pe->line = line;
		if (line)
			snprintf(r->pe->msg, sizeof r->pe->msg, "line %d: %s", line, what);
		else
			snprintf(r->pe->msg, sizeof r->pe->msg, "%s", what);
	}
	return -1;
}

static int oom(struct reader *r)
{
	return fail(r, 0, "out of memory");
}

static int next_line(struct reader *r)
{
	if (r->p >= r->end)
		return 0;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	r->s = r->p;
	r->e = nl ? nl : r->end;
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blank(const char *s, const char *e)
{
	while (s < e && is_blank(*s))
		s++;
	return s;
}

static int is_fence(const struct reader *r)
{
	return r->e - r->s >= 3 && !memcmp(r->s, "---", 3) && skip_blank(r->s + 3, r->e) == r->e;
}

/* After a value only blanks and a comment may follow on its line. */
static int value_end(struct reader *r, const char *s)
{
	s = skip_blank(s, r->e);
	if (s < r->e && *s != '#')
		return fail(r, r->line, "unexpected text after the value");
	return 0;
}

/* Take buf (n bytes decoded) as the string *out, within the size cap. */
static int take_string(struct reader *r, char *buf, size_t n, char **out)
{
	if (n > CL_MAX_STRING) {
		free(buf);
		return fail(r, r->line, "a string is longer than %d bytes", CL_MAX_STRING);
	}
	buf[n] = '\0';
	char *shrunk = realloc(buf, n + 1);
	*out = shrunk ? shrunk : buf;
	return 0;
}

/* A "double-quoted" string at *s, YAML escapes decoded; *s moves past it.
 * Decoding never lengthens: the rest of the line is room enough. */
static int dquoted(struct reader *r, const char **s, char **out)
{
	static const char esc_in[] = "\\\"/ \tntrabvfe", esc_out[] = "\\\"/ \t\n\t\r\a\b\v\f\x1b";
	const char *p = *s + 1, *e = r->e;
	char *buf = malloc((size_t)(e - p) + 1), *o = buf;
	if (!buf)
		return oom(r);
	while (p < e && *p != '"') {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		if (++p == e)
			break;
		const char *k = strchr(esc_in, *p);
		if (k) {
			*o++ = esc_out[k - esc_in];
			p++;
			continue;
		}
		/* \xXX, \uXXXX, \UXXXXXXXX: a code point, written as UTF-8 */
		size_t w = *p == 'x' ? 2 : *p == 'u' ? 4 : *p == 'U' ? 8 : 0;
		char hex[9] = "";
		unsigned long c = 0;
		if (w && strspn(p + 1, "0123456789abcdefABCDEF") >= w) {
			memcpy(hex, p + 1, w);
			c = strtoul(hex, NULL, 16);
		}
		if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
			free(buf);
			return fail(r, r->line, "invalid escape sequence in a string");
		}
		o += utf8_put(c, o);
		p += 1 + w;
	}
	if (p == e) {
		free(buf);
		return fail(r, r->line, "unterminated string");
	}
	*s = p + 1;
	return take_string(r, buf, (size_t)(o - buf), out);
}

/* A 'single-quoted' string at *s ('' is a quote); *s moves past it. */
static int squoted(struct reader *r, const char **s, char **out)
{
	const char *p = *s + 1, *e = r->e;
	char *buf = malloc((size_t)(e - p) + 1), *o = buf;
	if (!buf)
		return oom(r);
	for (; p < e; p++) {
		if (*p == '\'' && (p + 1 == e || p[1] != '\''))
			break;
		*o++ = *p;
		p += *p == '\'';
	}
	if (p == e) {
		free(buf);
		return fail(r, r->line, "unterminated string");
	}
	*s = p + 1;
	return take_string(r, buf, (size_t)(o - buf), out);
}

/* A plain string at *s: up to the end of the line or a comment (a '#'
 * first or after a blank) or, in a flow list, a ',' or ']'; trailing
 * blanks dropped.  What YAML would read as something else is refused. */
static int plain(struct reader *r, const char **s, int flow, char **out)
{
	const char *p = *s, *e = r->e, *end = p;
	if (p < e && (*p == '|' || *p == '>'))
		return fail(r, r->line, "block scalars ('|', '>') are not supported: quote the string");
	if (p < e && (strchr("[]{}&*!%@`,", *p) ||
		      (strchr("-?:", *p) && (p + 1 == e || is_blank(p[1])))))
		return fail(r, r->line, "expected a string, not '%c'", *p);
	for (; end < e; end++)
		if ((*end == '#' && (end == p || is_blank(end[-1]))) ||
		    (flow && (*end == ',' || *end == ']')))
			break;
	*s = end;
	while (end > p && is_blank(end[-1]))
		end--;
	char *buf = malloc((size_t)(end - p) + 1);
	if (!buf)
		return oom(r);
	memcpy(buf, p, (size_t)(end - p));
	return take_string(r, buf, (size_t)(end - p), out);
}

static int scalar(struct reader *r, const char **s, int flow, char **out)
{
	return **s == '"' ? dquoted(r, s, out) : **s == '\'' ? squoted(r, s, out)
							     : plain(r, s, flow, out);
}

/* Append item (taken, even on error; NULL: out of memory) to list k. */
static int push(struct reader *r, struct cl_entry *e, enum key k, char *item)
{
	char ***v = k == K_AUTHORS ? &e->authors : k == K_TAGS ? &e->tags : &e->issues;
	size_t *n = k == K_AUTHORS ? &e->nauthors : k == K_TAGS ? &e->ntags : &e->nissues;
	char **grown = NULL;
	if (!item)
		return oom(r);
	if (*n == CL_MAX_ITEMS) {
		free(item);
		return fail(r, r->line, "more than %d items in '%s'", CL_MAX_ITEMS, key_names[k]);
	}
	if (!(grown = realloc(*v, (*n + 1) * sizeof *grown))) {
		free(item);
		return oom(r);
	}
	grown[(*n)++] = item;
	*v = grown;
	return 0;
}

/* One item of list k at *s (block, flow or a lone value); *s moves past. */
static int list_item(struct reader *r, const char **s, int flow, struct cl_entry *out, enum key k)
{
	int quoted = **s == '"' || **s == '\'', comment = **s == '#';
	char *item;
	if (scalar(r, s, flow, &item))
		return -1;
	if (!*item) {
		free(item);
		if (comment)
			return fail(r, r->line, "empty item in '%s' ('#' starts a comment: quote \"#1234\")",
				    key_names[k]);
		return fail(r, r->line, "empty item in '%s'", key_names[k]);
	}
	for (const char *c = quoted ? NULL : strchr(item, ':'); c; c = strchr(c + 1, ':'))
		if (!c[1] || is_blank(c[1])) {
			free(item);
			return fail(r, r->line, "expected a string in '%s', not a mapping", key_names[k]);
		}
	return push(r, out, k, item);
}

static int flow_list(struct reader *r, const char *s, struct cl_entry *out, enum key k)
{
	for (s = skip_blank(s + 1, r->e);;) {
		if (s == r->e)
			return fail(r, r->line, "expected ']' to close the list");
		if (*s == ']')
			return value_end(r, s + 1);
		if (list_item(r, &s, 1, out, k))
			return -1;
		s = skip_blank(s, r->e);
		if (s < r->e && *s == ',')
			s = skip_blank(s + 1, r->e);
		else if (s < r->e && *s != ']')
			return fail(r, r->line, "expected ',' or ']' in the list");
	}
}

/* The number in exactly n decimal digits at s (NUL-terminated), or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* YYYY-MM-DD[( |T)HH:MM:SS[.f][ ][Z|+HH:MM|-HH:MM]] into unix ms, whole
 * seconds.  -1: not that shape; -2: no such day or time, or outside
 * 1970-9999 (s then holds only characters of that shape). */
static int parse_date(const char *s, int64_t *ms)
{
	struct tm tm = {0};
	long off = 0;
	int y = digits(s, 4);
	if (y < 0 || s[4] != '-' || (tm.tm_mon = digits(s + 5, 2) - 1) < -1 || s[7] != '-' ||
	    (tm.tm_mday = digits(s + 8, 2)) < 0)
		return -1;
	s += 10;
	if (*s == ' ' || *s == 'T' || *s == 't') {
		if ((tm.tm_hour = digits(s + 1, 2)) < 0 || s[3] != ':' ||
		    (tm.tm_min = digits(s + 4, 2)) < 0 || s[6] != ':' ||
		    (tm.tm_sec = digits(s + 7, 2)) < 0)
			return -1;
		s += 9;
		if (*s == '.') {
			size_t f = strspn(s + 1, "0123456789");
			if (!f)
				return -1;
			s += 1 + f;
		}
		s += strspn(s, " ");
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			int oh = digits(s + 1, 2), om = oh < 0 || s[3] != ':' ? -1 : digits(s + 4, 2);
			if (om < 0 || oh > 23 || om > 59)
				return -1;
			off = (*s == '-' ? -60L : 60L) * (oh * 60 + om);
			s += 6;
		}
	}
	if (*s)
		return -1;
	tm.tm_year = y - 1900;
	struct tm want = tm;
	time_t t = timegm(&tm);
	/* timegm moves 2027-02-30 into March: refuse what moved */
	if (t == (time_t)-1 || tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
	    tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min ||
	    tm.tm_sec != want.tm_sec)
		return -2;
	int64_t utc = (int64_t)t - off;
	if (utc < 0 || utc > INT64_C(253402300799)) /* 9999-12-31T23:59:59Z */
		return -2;
	*ms = utc * 1000;
	return 0;
}

static int date_value(struct reader *r, const char *v, int64_t *ms)
{
	char *d;
	if (scalar(r, &v, 0, &d))
		return -1;
	int rc = parse_date(d, ms);
	if (rc == -2)
		fail(r, r->line, "no such date '%.40s' (UTC, years 1970-9999)", d);
	else if (rc)
		fail(r, r->line, "expected 'date: YYYY-MM-DD HH:MM:SS[.f]'");
	free(d);
	return rc ? -1 : value_end(r, v);
}

/* A "key: value" line; *list becomes the key of a block list that the
 * next lines hold. */
static int key_line(struct reader *r, struct cl_entry *out, int seen[], enum key *list)
{
	size_t n = strspn(r->s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
	const char *v = skip_blank(r->s + n, r->e);
	if (!n || v == r->e || *v != ':')
		return fail(r, r->line, "expected 'key: value'");
	enum key k = K_TITLE;
	while (k < NKEYS && !(strlen(key_names[k]) == n && !memcmp(r->s, key_names[k], n)))
		k++;
	if (k == NKEYS)
		return fail(r, r->line, "unknown key '%.*s'", n > 40 ? 40 : (int)n, r->s);
	if (seen[k])
		return fail(r, r->line, "'%s' repeated (first on line %d)", key_names[k], seen[k]);
	seen[k] = r->line;
	v = skip_blank(v + 1, r->e);
	if (k == K_DATE)
		return date_value(r, v, &out->date_ms);
	if (k == K_TITLE || k == K_DESCRIPTION) {
		char **dst = k == K_TITLE ? &out->title : &out->description;
		if (scalar(r, &v, 0, dst) || value_end(r, v))
			return -1;
		if (k == K_TITLE && !(*dst)[strspn(*dst, " \t\n")])
			return fail(r, r->line, "'title' is empty");
		return 0;
	}
	if (v == r->e || *v == '#') {
		*list = k;
		return 0;
	}
	if (*v == '[')
		return flow_list(r, v, out, k);
	return list_item(r, &v, 0, out, k) || value_end(r, v) ? -1 : 0;
}

static int front_matter(struct reader *r, struct cl_entry *out, int seen[])
{
	enum key list = NKEYS; /* the block list whose items may follow */
	if (!next_line(r) || !is_fence(r))
		return fail(r, 1, "expected '---' to open the front matter");
	while (next_line(r)) {
		const char *t = skip_blank(r->s, r->e);
		if (t == r->e || *t == '#')
			continue;
		if (is_fence(r))
			return 0;
		if (*t == '-' && (t + 1 == r->e || is_blank(t[1]))) {
			if (list == NKEYS)
				return fail(r, r->line, "expected a key, not a list item");
			t = skip_blank(t + 1, r->e);
			if (list_item(r, &t, 0, out, list) || value_end(r, t))
				return -1;
		} else if (t != r->s) {
			return fail(r, r->line, "unexpected indentation");
		} else {
			list = NKEYS;
			if (key_line(r, out, seen, &list))
				return -1;
		}
	}
	return fail(r, 1, "the front matter is never closed with '---'");
}

/* Required keys, defaults, and the body after the closing line. */
static int finish(struct reader *r, struct cl_entry *out, const int seen[])
{
	if (!seen[K_TITLE])
		return fail(r, 0, "missing 'title'");
	if (!seen[K_DATE])
		return fail(r, 0, "missing 'date'");
	if (!seen[K_DESCRIPTION] && !(out->description = strdup("")))
		return oom(r);
	if (!seen[K_TAGS] && push(r, out, K_TAGS, strdup("changelog")))
		return -1;
	const char *b = r->p;
	if (b < r->end && *b == '\n')
		b++;
	if (!(out->body = strndup(b, (size_t)(r->end - b))))
		return oom(r);
	return 0;
}

/* A copy of text without a byte order mark, CRLF and CR made LF. */
static char *normalize(const char *text, size_t len, size_t *n)
{
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		text += 3, len -= 3;
	char *t = malloc(len + 1);
	if (!t)
		return NULL;
	*n = 0;
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			t[(*n)++] = text[i] == '\r' ? '\n' : text[i];
	t[*n] = '\0';
	return t;
}

int cl_parse(const char *text, size_t len, struct cl_entry *out, struct cl_parse_error *pe)
{
	struct reader r = {.pe = pe};
	int seen[NKEYS] = {0}; /* the line of each key, 0 if absent */
	size_t n;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (pe)
		*pe = (struct cl_parse_error){0};
	if (len > CL_MAX_INPUT)
		return fail(&r, 0, "the file is larger than %d bytes", CL_MAX_INPUT);
	char *t = normalize(text, len, &n);
	if (!t)
		return oom(&r);
	r.p = t;
	r.end = t + n;
	const char *nul = memchr(t, '\0', n);
	if (nul) {
		int line = 1;
		for (const char *c = t; c < nul; c++)
			line += *c == '\n';
		fail(&r, line, "a NUL byte");
	} else if (!front_matter(&r, out, seen) && !finish(&r, out, seen)) {
		rc = 0;
	}
	free(t);
	if (rc)
		cl_entry_release(out);
	return rc;
}

/* --------------------------------------------------------------- names */

/* ASCII for U+00C0..U+017F: a letter, '_' for none (× ÷), or a capital
 * that stands for two letters (see digraph). */
static const char latin[] =
	/* U+00C0 À..ß */ "aaaaaaAceeeeiiiidnooooo_ouuuuyTS"
	/* U+00E0 à..ÿ */ "aaaaaaAceeeeiiiidnooooo_ouuuuyTy"
	/* U+0100 Ā..ĸ */ "aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "II" "jj" "kkk"
	/* U+0139 Ĺ..ų */ "llllllllll" "nnnnnnnnn" "oooooo" "OO" "rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu"
	/* U+0174 Ŵ..ſ */ "ww" "yyy" "zzzzzz" "s";
_Static_assert(sizeof latin - 1 == 0x180 - 0xc0, "one letter per code point");

static const char *const digraph[] = {['A'] = "ae", ['I'] = "ij", ['O'] = "oe",
				      ['S'] = "ss", ['T'] = "th"};

int cl_slug(const char *title, char *out, size_t n)
{
	char s[CL_SLUG_MAX + 1];
	size_t len = 0;
	int dash = 0; /* a '-' is due before the next letter */
	for (const unsigned char *p = (const unsigned char *)or_empty(title); *p;) {
		char one[2] = "";
		const char *word = one; /* what this character gives; NULL: a separator */
		if (*p < 0x80 && isalnum(*p)) {
			one[0] = (char)tolower(*p++);
		} else if (*p >= 0xc3 && *p <= 0xc5 && (p[1] & 0xc0) == 0x80) {
			char c = latin[((p[0] & 0x1f) << 6 | (p[1] & 0x3f)) - 0xc0];
			one[0] = c;
			word = c == '_' ? NULL : isupper((unsigned char)c) ? digraph[(unsigned char)c] : one;
			p += 2;
		} else {
			word = NULL;
			p++;
		}
		if (!word) {
			dash = len > 0;
			continue;
		}
		size_t k = strlen(word);
		if (len + (size_t)dash + k > CL_SLUG_MAX) {
			/* in the middle of a word: back to the last '-', if any */
			char *b = dash ? NULL : memrchr(s, '-', len);
			if (b)
				len = (size_t)(b - s);
			break;
		}
		if (dash)
			s[len++] = '-';
		dash = 0;
		memcpy(s + len, word, k);
		len += k;
	}
	if (!len)
		len = (size_t)snprintf(s, sizeof s, "entry");
	if (n <= len) {
		if (n)
			out[0] = '\0';
		return -1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return (int)len;
}

void cl_filename(int64_t date_ms, const char *slug, char *out, size_t n)
{
	char day[32];
	fmt_time(date_ms, "%Y-%m-%d", day, sizeof day);
	snprintf(out, n, "%s-%s.md", day, or_empty(slug));
}

/* ---------------------------------------------------------------- Atom */

static void put_xml(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)or_empty(s), *end = p + strlen(or_empty(s));
	while (p < end) {
		unsigned c;
		size_t n = utf8_next(p, end, &c);
		if (!n) {
			fputs("\xEF\xBF\xBD", f); /* U+FFFD for a byte that is not UTF-8 */
			p++;
			continue;
		}
		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if ((c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0xfffe && c != 0xffff)
			fwrite(p, 1, n, f);
		p += n;
	}
}

char *cl_xml_escape(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	put_xml(f, s);
	return stream_done(f, &buf);
}

/* <name attrs>text</name> on a line of its own. */
static void put_elem(FILE *f, const char *indent, const char *name, const char *attrs,
		     const char *text)
{
	fprintf(f, "%s<%s%s>", indent, name, attrs);
	put_xml(f, text);
	fprintf(f, "</%s>\n", name);
}

static void put_time(FILE *f, const char *indent, const char *name, int64_t ms)
{
	char t[48];
	fmt_time(ms, "%Y-%m-%dT%H:%M:%SZ", t, sizeof t);
	put_elem(f, indent, name, "", t);
}

static void put_link(FILE *f, const char *indent, const char *rel, const char *type,
		     const char *href)
{
	if (!*or_empty(href))
		return;
	fprintf(f, "%s<link rel=\"%s\" type=\"%s\" href=\"", indent, rel, type);
	put_xml(f, href);
	fputs("\"/>\n", f);
}

static void put_entry(FILE *f, const struct cl_feed_entry *e)
{
	int authors = 0;
	fputs("  <entry>\n", f);
	put_elem(f, "    ", "id", "", e->id);
	put_elem(f, "    ", "title", " type=\"text\"", e->title);
	put_link(f, "    ", "alternate", "text/html", e->url);
	put_time(f, "    ", "published", e->published_ms);
	put_time(f, "    ", "updated", e->updated_ms ? e->updated_ms : e->published_ms);
	for (size_t i = 0; i < e->nauthors; i++) {
		if (!*or_empty(e->authors[i]))
			continue;
		fputs("    <author><name>", f);
		put_xml(f, e->authors[i]);
		fputs("</name></author>\n", f);
		authors++;
	}
	if (!authors) /* Atom requires an author */
		fputs("    <author><name>Cairn</name></author>\n", f);
	if (*or_empty(e->summary))
		put_elem(f, "    ", "summary", " type=\"text\"", e->summary);
	put_elem(f, "    ", "content", " type=\"html\"", e->html);
	fputs("  </entry>\n", f);
}

char *cl_atom(const struct cl_feed *fd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n", f);
	put_elem(f, "  ", "id", "", fd->id);
	put_elem(f, "  ", "title", "", fd->title);
	if (*or_empty(fd->subtitle))
		put_elem(f, "  ", "subtitle", "", fd->subtitle);
	put_time(f, "  ", "updated", fd->updated_ms);
	put_link(f, "  ", "self", "application/atom+xml", fd->self_url);
	put_link(f, "  ", "alternate", "text/html", fd->alt_url);
	put_elem(f, "  ", "generator", "", "Cairn");
	for (size_t i = 0; i < fd->n; i++)
		put_entry(f, &fd->entries[i]);
	fputs("</feed>\n", f);
	return stream_done(f, &buf);
}

/* ------------------------------------------------------- release notes */

enum group { G_ADDED, G_CHANGED, G_FIXED, G_SECURITY, NGROUPS };
static const char *const group_names[NGROUPS] = {"Added", "Changed", "Fixed", "Security"};

static enum group group_of(const struct cl_release_item *it)
{
	const char *t = or_empty(it->type);
	if (it->redacted || !strcmp(t, "security"))
		return G_SECURITY;
	if (!strcmp(t, "feature") || !strcmp(t, "epic") || !strcmp(t, "story"))
		return G_ADDED;
	return !strcmp(t, "bug") ? G_FIXED : G_CHANGED;
}

/* s as inline markdown text: the characters that make links, HTML,
 * emphasis, code or headings backslash-escaped and, when s starts a list
 * item, a start that would make a nested list ("- x", "+ x", "1. x");
 * control characters become spaces so a title stays on its line. */
static void put_md(FILE *f, const char *s, int item_start)
{
	s = or_empty(s);
	size_t lead = item_start ? strspn(s, "0123456789") : 0;
	for (size_t i = 0; s[i]; i++) {
		if (strchr("\\*_[]<>#`", s[i]) ||
		    (item_start && i == 0 && (s[i] == '-' || s[i] == '+')) ||
		    (lead && i == lead && (s[i] == '.' || s[i] == ')')))
			fputc('\\', f);
		fputc((unsigned char)s[i] < 0x20 ? ' ' : s[i], f);
	}
}

static void put_item(FILE *f, const struct cl_release_item *it)
{
	fputs("- ", f);
	if (it->redacted) {
		fputs("Security fix", f);
		if (*or_empty(it->severity)) {
			fputs(" (severity: ", f);
			put_md(f, it->severity, 0);
			fputc(')', f);
		}
		fputc('\n', f);
		return;
	}
	put_md(f, it->title, 1);
	if (it->number > 0)
		fprintf(f, " (#%" PRId64 ")", it->number);
	for (size_t i = 0; i < it->nauthors; i++) {
		fputs(i ? ", @" : " — @", f);
		put_md(f, it->authors[i], 0);
	}
	fputc('\n', f);
}

char *cl_release_notes_md(const struct cl_release *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("## [", f);
	put_md(f, r->title, 0);
	fputs("] - ", f);
	if (*or_empty(r->date_ymd))
		put_md(f, r->date_ymd, 0);
	else
		fputs("Unreleased", f);
	fputc('\n', f);
	for (int g = 0; g < NGROUPS; g++) {
		int shown = 0;
		for (size_t i = 0; i < r->n; i++) {
			if (group_of(&r->items[i]) != (enum group)g)
				continue;
			if (!shown++)
				fprintf(f, "\n### %s\n", group_names[g]);
			put_item(f, &r->items[i]);
		}
	}
	if (!r->n)
		fputs("\nNo changes.\n", f);
	return stream_done(f, &buf);
}
