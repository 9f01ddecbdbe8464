/*
 * comment.c — finding @mentions and #N references in a comment's markdown
 * (see comment.h).
 */
#include "core/comment.h"

#include <string.h>

static int word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

static int login_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* Past a run of backticks at p: the length of the run. */
static size_t ticks(const char *p)
{
	size_t n = 0;
	while (p[n] == '`')
		n++;
	return n;
}

/* Calls each(pos, ctx) for every position of md outside code (a run of N
 * backticks opens code that the next run of N closes). */
typedef void (*scan_fn)(const char *md, size_t at, void *ctx);

static void scan(const char *md, scan_fn each, void *ctx)
{
	size_t open = 0;
	for (size_t k = 0; md[k];) {
		if (md[k] == '`') {
			size_t n = ticks(md + k);
			if (!open)
				open = n;
			else if (open == n)
				open = 0;
			k += n;
			continue;
		}
		if (!open)
			each(md, k, ctx);
		k++;
	}
}

struct mentions {
	char (*logins)[LOGIN_MAX + 1];
	size_t n, max;
};

static void mention_at(const char *md, size_t at, void *ctx)
{
	struct mentions *m = ctx;
	unsigned char before = at ? (unsigned char)md[at - 1] : ' ';
	if (md[at] != '@' || m->n >= m->max || word_char(before) || strchr("._-@/", before))
		return;
	size_t len = 0;
	while (login_char((unsigned char)md[at + 1 + len]))
		len++;
	while (len && md[at + len] == '.') /* a sentence's full stop */
		len--;
	if (len == 0 || len > LOGIN_MAX || md[at + 1] == '-' || md[at + 1] == '_' ||
	    md[at + 1] == '.')
		return;
	char login[LOGIN_MAX + 1];
	for (size_t k = 0; k < len; k++) {
		char c = md[at + 1 + k];
		login[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	login[len] = 0;
	for (size_t k = 0; k < m->n; k++)
		if (!strcmp(m->logins[k], login))
			return;
	memcpy(m->logins[m->n++], login, len + 1);
}

size_t comment_mentions(const char *md, char logins[][LOGIN_MAX + 1], size_t max)
{
	struct mentions m = {logins, 0, max};
	if (md)
		scan(md, mention_at, &m);
	return m.n;
}

struct refs {
	int64_t *numbers;
	size_t n, max;
};

static void ref_at(const char *md, size_t at, void *ctx)
{
	struct refs *r = ctx;
	unsigned char before = at ? (unsigned char)md[at - 1] : ' ';
	if (md[at] != '#' || r->n >= r->max || word_char(before) || before == '&' || before == '#')
		return;
	int64_t v = 0;
	size_t k = at + 1;
	for (; md[k] >= '0' && md[k] <= '9'; k++) {
		if (v > 1000000000000LL)
			return;
		v = v * 10 + (md[k] - '0');
	}
	if (k == at + 1 || v <= 0 || word_char((unsigned char)md[k]))
		return;
	for (size_t j = 0; j < r->n; j++)
		if (r->numbers[j] == v)
			return;
	r->numbers[r->n++] = v;
}

size_t comment_refs(const char *md, int64_t *numbers, size_t max)
{
	struct refs r = {numbers, 0, max};
	if (md)
		scan(md, ref_at, &r);
	return r.n;
}
