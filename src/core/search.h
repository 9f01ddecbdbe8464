/*
 * search.h — the full-text part of the issue-list query language, with no
 * I/O: the free words of a query split into search terms the same way on
 * every backend, and a highlighted snippet made safe for HTML.
 *
 * A term is a run of letters and digits (Unicode), case-folded; anything
 * else separates terms ("foo-bar" is foo and bar, "C++" is c).  An issue
 * matches when every term occurs in its title, body or comments; the last
 * term of the query also matches as a prefix ("expo" finds export) when
 * it has at least SEARCH_PREFIX_MIN bytes.  Words with no letter or digit
 * ("***") contribute no term; a query whose words give no term at all
 * matches nothing.
 */
#ifndef CAIRN_SEARCH_H
#define CAIRN_SEARCH_H

#include <stddef.h>

#define SEARCH_PREFIX_MIN 3
/* The markers a backend puts around a highlighted term in a raw snippet;
 * control characters, so they cannot be confused with the text's own. */
#define SEARCH_MARK_ON '\x01'
#define SEARCH_MARK_OFF '\x02'

struct search_terms {
	char **terms; /* owned array of owned strings, folded, in query order */
	size_t n;
	int prefix; /* 1: the last term also matches as a prefix */
};

/* Split words[0..nwords) into terms.  0, or -1 when out of memory (then
 * *out is empty).  Caller calls search_terms_release. */
int search_terms_split(char *const *words, int nwords, struct search_terms *out);
void search_terms_release(struct search_terms *t);

/* The passage of text around the first occurrence of a term (a term is
 * matched the way the index matches it: a whole word, the last one also as
 * a prefix when t->prefix), about SEARCH_SNIPPET_WORDS words, with
 * SEARCH_MARK_ON/OFF around each occurrence in it and "…" where it cuts
 * the text; raw, for search_snippet_html.  NULL when no term occurs in
 * text (or text is NULL) or when out of memory.  Caller frees.  Computed
 * here, not by the backend, so both backends show the same snippet. */
#define SEARCH_SNIPPET_WORDS 24
char *search_snippet_raw(const char *text, const struct search_terms *t);

/* A snippet as HTML: raw (text with SEARCH_MARK_ON/OFF around highlighted
 * terms, from the backend) is HTML-escaped first, then each marked run is
 * wrapped in <mark>…</mark>; the markers stay balanced whatever raw holds,
 * and line breaks and other control characters become spaces.  NULL when
 * raw is NULL or highlights nothing (no snippet to show), or when out of
 * memory.  Caller frees. */
char *search_snippet_html(const char *raw);

#endif
