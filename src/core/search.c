/*
 * search.c — search terms and safe snippets (see search.h).
 */
#include "core/search.h"

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
