/*
 * search.c — search terms and safe snippets (see search.h).
 */
#include "core/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

void search_terms_release(struct search_terms *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->terms[k]);
	free(t->terms);
	memset(t, 0, sizeof *t);
}

/* Append the terms of one folded word. */
static int split_word(const char *w, struct search_terms *out, size_t *cap)
{
	const char *p = w;
	while (*p) {
		int len = utf8_alnum_len(p);
		if (!len) {
			p++;
			continue;
		}
		const char *start = p;
		while ((len = utf8_alnum_len(p)) > 0)
			p += len;
		if (out->n == *cap) {
			size_t nc = *cap ? 2 * *cap : 8;
			char **nt = realloc(out->terms, nc * sizeof *nt);
			if (!nt)
				return -1;
			out->terms = nt;
			*cap = nc;
		}
		char *t = strndup(start, (size_t)(p - start));
		if (!t)
			return -1;
		out->terms[out->n++] = t;
	}
	return 0;
}

int search_terms_split(char *const *words, int nwords, struct search_terms *out)
{
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	for (int k = 0; k < nwords; k++) {
		char *w = utf8_fold(words[k]);
		int rc = w ? split_word(w, out, &cap) : -1;
		free(w);
		if (rc) {
			search_terms_release(out);
			return -1;
		}
	}
	out->prefix = out->n > 0 && strlen(out->terms[out->n - 1]) >= SEARCH_PREFIX_MIN;
	return 0;
}

char *search_snippet_html(const char *raw)
{
	if (!raw)
		return NULL;
	/* the longest expansion: "&quot;" for one byte, "<mark>" / "</mark>" */
	char *out = malloc(7 * strlen(raw) + 8), *o = out;
	int open = 0, marked = 0;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
		const char *rep = NULL;
		switch (*p) {
		case SEARCH_MARK_ON:
			rep = open ? "" : "<mark>";
			open = marked = 1;
			break;
		case SEARCH_MARK_OFF:
			rep = open ? "</mark>" : "";
			open = 0;
			break;
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rep = " ";
		}
		if (rep) {
			size_t l = strlen(rep);
			memcpy(o, rep, l);
			o += l;
		} else {
			*o++ = (char)*p;
		}
	}
	if (open) {
		memcpy(o, "</mark>", 7);
		o += 7;
	}
	*o = '\0';
	if (!marked) {
		free(out);
		return NULL;
	}
	return out;
}

/* One word of a text: its bytes [start, end). */
struct span {
	size_t start, end;
};

/* Whether the word w (n bytes, not folded) is one of the terms. */
static int word_matches(const char *w, size_t n, const struct search_terms *t)
{
	char *raw = strndup(w, n);
	char *f = raw ? utf8_fold(raw) : NULL;
	int hit = 0;
	free(raw);
	if (!f)
		return 0;
	for (size_t k = 0; k < t->n && !hit; k++) {
		if (k + 1 == t->n && t->prefix)
			hit = strncmp(f, t->terms[k], strlen(t->terms[k])) == 0;
		else
			hit = strcmp(f, t->terms[k]) == 0;
	}
	free(f);
	return hit;
}

/* The next word of text at or after *pos, or 0 at the end. */
static int next_word(const char *text, size_t *pos, struct span *w)
{
	size_t p = *pos;
	int len;
	while (text[p] && !utf8_alnum_len(text + p))
		p++;
	if (!text[p])
		return 0;
	w->start = p;
	while ((len = utf8_alnum_len(text + p)) > 0)
		p += (size_t)len;
	w->end = *pos = p;
	return 1;
}

char *search_snippet_raw(const char *text, const struct search_terms *t)
{
	if (!text || t->n == 0)
		return NULL;
	/* the words before the first match (a ring of the last few), the
	 * match, then enough words after it */
	enum { BEFORE = 6 };
	struct span ring[BEFORE], w;
	size_t nseen = 0, pos = 0;
	int found = 0;
	while (next_word(text, &pos, &w)) {
		if (word_matches(text + w.start, w.end - w.start, t)) {
			found = 1;
			break;
		}
		ring[nseen++ % BEFORE] = w;
	}
	if (!found)
		return NULL;
	size_t first = nseen > BEFORE ? ring[nseen % BEFORE].start : nseen ? ring[0].start : w.start;
	int cut_before = nseen > BEFORE;
	/* the passage: from first, SEARCH_SNIPPET_WORDS words */
	size_t len = strlen(text);
	char *out = malloc(2 * len + 16), *o = out;
	if (!out)
		return NULL;
	if (cut_before)
		o += snprintf(o, 8, "… ");
	size_t copied = first;
	int words = 0;
	pos = first;
	while (words < SEARCH_SNIPPET_WORDS && next_word(text, &pos, &w)) {
		memcpy(o, text + copied, w.start - copied);
		o += w.start - copied;
		int hit = word_matches(text + w.start, w.end - w.start, t);
		if (hit)
			*o++ = SEARCH_MARK_ON;
		memcpy(o, text + w.start, w.end - w.start);
		o += w.end - w.start;
		if (hit)
			*o++ = SEARCH_MARK_OFF;
		copied = w.end;
		words++;
	}
	struct span more;
	size_t probe = pos;
	if (next_word(text, &probe, &more)) {
		o += snprintf(o, 8, " …");
	} else { /* the text's end: its closing punctuation too */
		memcpy(o, text + copied, len - copied);
		o += len - copied;
	}
	*o = '\0';
	return out;
}
