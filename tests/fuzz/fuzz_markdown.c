/*
 * fuzz_markdown.c — libFuzzer target for markdown_to_html (core/markdown.h):
 * whatever a user writes in an issue body, the HTML we serve must be inert.
 *
 * The output is scanned as a browser would tokenize it (tags, attribute
 * names, quoted or bare values, entities in values) and must satisfy:
 *   - no "<script" anywhere (any case);
 *   - every tag is one cmark-gfm itself emits for GFM (an allowlist); any
 *     other tag means raw HTML leaked through;
 *   - no attribute whose name starts with "on" (event handlers), and only
 *     attributes cmark-gfm emits;
 *   - no href/src whose scheme, as a browser parses it (entities decoded,
 *     leading C0/space stripped, tab/CR/LF removed, any case), is
 *     javascript:, vbscript: or file:, nor data: unless an image type
 *     (png, gif, jpeg, webp: what markdown.h promises to keep);
 *   - every '<' starts a tag or cmark's "<!-- raw HTML omitted -->";
 *   - the output is valid UTF-8 (CMARK_OPT_VALIDATE_UTF8 is on).
 * A violation aborts with the offending HTML printed: report it as a
 * security bug.
 */
#include "core/markdown.h"

#include <ctype.h>
#include <strings.h>

#include "fuzz_util.h"

static const char *const tags[] = {
	"a",  "blockquote", "br", "code", "del",   "em",    "h1",    "h2", "h3", "h4",
	"h5", "h6",         "hr", "img",  "input", "li",    "ol",    "p",  "pre", "strong",
	"table", "tbody",   "td", "th",   "thead", "tr",    "ul",
};

static const char *const attrs[] = {
	"align", "alt", "aria-label", "checked", "class", "disabled", "href", "src", "start", "title", "type",
};

static const char *html_out; /* for messages */
static const char *md_in;

#define HTML_ASSERT(cond, ...)                                                        \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "\nUNSAFE MARKDOWN OUTPUT (%s)\n  html: ", #cond); \
			fuzz_dump_n(stderr, html_out, 4096);                          \
		}                                                                     \
		FUZZ_ASSERT(cond, md_in, __VA_ARGS__);                                \
	} while (0)

static int in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

/* Decode the entities cmark-gfm emits in attribute values (and the numeric
 * forms a browser would honour) into out; returns its length. */
static size_t decode_entities(const char *v, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 4 < cap;) {
		if (v[i] != '&') {
			out[n++] = v[i++];
			continue;
		}
		const char *semi = memchr(v + i, ';', len - i);
		size_t elen = semi ? (size_t)(semi - (v + i)) + 1 : 0;
		unsigned long cp = 0;
		int ok = 0;
		if (elen > 2 && v[i + 1] == '#') {
			char num[16];
			size_t nl = elen - 3;
			if (nl && nl < sizeof num) {
				memcpy(num, v + i + 2, nl);
				num[nl] = '\0';
				char *end;
				cp = num[0] == 'x' || num[0] == 'X' ? strtoul(num + 1, &end, 16)
								    : strtoul(num, &end, 10);
				ok = *end == '\0' && cp < 0x80;
			}
		} else if (elen == 5 && strncmp(v + i, "&amp;", 5) == 0) {
			cp = '&', ok = 1;
		} else if (elen == 4 && strncmp(v + i, "&lt;", 4) == 0) {
			cp = '<', ok = 1;
		} else if (elen == 4 && strncmp(v + i, "&gt;", 4) == 0) {
			cp = '>', ok = 1;
		} else if (elen == 6 && strncmp(v + i, "&quot;", 6) == 0) {
			cp = '"', ok = 1;
		} else if (elen == 5 && strncasecmp(v + i, "&tab;", 5) == 0) {
			cp = '\t', ok = 1;
		} else if (elen == 9 && strncasecmp(v + i, "&newline;", 9) == 0) {
			cp = '\n', ok = 1;
		} else if (elen == 7 && strncasecmp(v + i, "&colon;", 7) == 0) {
			cp = ':', ok = 1;
		}
		if (ok) {
			out[n++] = (char)cp;
			i += elen;
		} else {
			out[n++] = v[i++];
		}
	}
	out[n] = '\0';
	return n;
}

/* The URL a browser would see in an attribute value: entities decoded,
 * leading C0 controls and spaces stripped, tab/CR/LF removed; into url. */
static void browser_url(const char *v, size_t len, char *url, size_t cap)
{
	char dec[4200];
	size_t n = decode_entities(v, len, dec, sizeof dec), m = 0, i = 0;
	while (i < n && (unsigned char)dec[i] <= 0x20)
		i++;
	for (; i < n && m + 1 < cap; i++)
		if (dec[i] != '\t' && dec[i] != '\n' && dec[i] != '\r')
			url[m++] = dec[i];
	url[m] = '\0';
}

/* Its scheme with the colon, lower-cased, into scheme ("" for none). */
static void url_scheme(const char *url, char *scheme, size_t cap)
{
	size_t k = 0;
	scheme[0] = '\0';
	if (!isalpha((unsigned char)url[0]))
		return;
	while (isalnum((unsigned char)url[k]) || url[k] == '+' || url[k] == '-' || url[k] == '.')
		k++;
	if (url[k] != ':' || k + 2 > cap)
		return;
	for (size_t j = 0; j < k; j++)
		scheme[j] = (char)tolower((unsigned char)url[j]);
	scheme[k] = ':';
	scheme[k + 1] = '\0';
}

/* data: URLs that cannot run script (what markdown.h promises to keep).
 * cmark-gfm matches a prefix, so "data:image/png3..." passes too: an
 * unknown image type, inert in <img> and blocked as a top-level
 * navigation, so it is accepted here as well. */
static int data_image(const char *url)
{
	static const char *const ok[] = {"data:image/png", "data:image/gif", "data:image/jpeg",
					 "data:image/webp"};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (strncasecmp(url, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

static void check_url(const char *name, size_t nlen, const char *v, size_t vlen)
{
	int href = nlen == 4 && strncasecmp(name, "href", 4) == 0;
	int src = nlen == 3 && strncasecmp(name, "src", 3) == 0;
	if (!href && !src)
		return;
	char url[4200], scheme[64];
	browser_url(v, vlen, url, sizeof url);
	url_scheme(url, scheme, sizeof scheme);
	HTML_ASSERT(strcmp(scheme, "javascript:") != 0, "javascript: URL in %.*s: %.200s",
		    (int)nlen, name, url);
	HTML_ASSERT(strcmp(scheme, "vbscript:") != 0, "vbscript: URL in %.*s: %.200s", (int)nlen,
		    name, url);
	HTML_ASSERT(strcmp(scheme, "file:") != 0, "file: URL in %.*s: %.200s", (int)nlen, name,
		    url);
	HTML_ASSERT(strcmp(scheme, "data:") != 0 || data_image(url),
		    "non-image data: URL in %.*s: %.200s", (int)nlen, name, url);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Scan the attributes of a start tag from p; returns the position after
 * its '>'. */
static const char *scan_attrs(const char *p)
{
	for (;;) {
		while (is_space(*p) || *p == '/')
			p++;
		HTML_ASSERT(*p != '\0', "unterminated tag");
		if (*p == '>')
			return p + 1;
		const char *name = p;
		while (*p && !is_space(*p) && *p != '/' && *p != '>' && *p != '=')
			p++;
		size_t nlen = (size_t)(p - name);
		HTML_ASSERT(nlen < 2 || strncasecmp(name, "on", 2) != 0, "event handler %.*s",
			    (int)nlen, name);
		HTML_ASSERT(in_list(attrs, sizeof attrs / sizeof *attrs, name, nlen),
			    "unexpected attribute %.*s", (int)nlen, name);
		while (is_space(*p))
			p++;
		if (*p != '=')
			continue;
		p++;
		while (is_space(*p))
			p++;
		const char *v;
		size_t vlen;
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			v = p;
			while (*p && *p != q)
				p++;
			HTML_ASSERT(*p == q, "unterminated attribute value");
			vlen = (size_t)(p - v);
			p++;
		} else {
			v = p;
			while (*p && !is_space(*p) && *p != '>')
				p++;
			vlen = (size_t)(p - v);
		}
		check_url(name, nlen, v, vlen);
	}
}

static void check_html(const char *html)
{
	static const char omitted[] = "<!-- raw HTML omitted -->";
	HTML_ASSERT(strcasestr(html, "<script") == NULL, "<script in output");
	HTML_ASSERT(fuzz_utf8_valid(html), "output not valid UTF-8");
	for (const char *p = html; (p = strchr(p, '<')) != NULL;) {
		if (strncmp(p, omitted, sizeof omitted - 1) == 0) {
			p += sizeof omitted - 1;
			continue;
		}
		int closing = p[1] == '/';
		const char *name = p + 1 + closing, *q = name;
		while (isalnum((unsigned char)*q))
			q++;
		HTML_ASSERT(q > name, "'<' that starts no known tag");
		HTML_ASSERT(in_list(tags, sizeof tags / sizeof *tags, name, (size_t)(q - name)),
			    "unexpected tag <%s%.*s>", closing ? "/" : "", (int)(q - name), name);
		if (closing) {
			while (is_space(*q))
				q++;
			HTML_ASSERT(*q == '>', "junk in an end tag");
			p = q + 1;
		} else {
			p = scan_attrs(q);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	char *html = markdown_to_html(in, size);
	FUZZ_ASSERT(html != NULL, in, "markdown_to_html returned NULL");
	md_in = in;
	html_out = html;
	check_html(html);
	free(html);
	free(in);
	return 0;
}
