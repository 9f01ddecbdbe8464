/*
 * markdown.c — markdown to safe HTML through cmark-gfm with the GitHub
 * extensions tables, strikethrough and task lists.  Raw HTML is not passed
 * through: cmark-gfm's default (no CMARK_OPT_UNSAFE) replaces it with a
 * comment and drops javascript:/vbscript:/file:/data: links.
 *
 * The "autolink" extension (bare www./https:// and e-mail addresses become
 * links) is left out on purpose: the cmark-gfm of Debian 12 (0.29.0.gfm.6)
 * reads before its buffer on inputs like "o:@x" (CVE-2023-22485, fixed in
 * gfm.7; found by tests/fuzz/fuzz_markdown).  Links in <angle brackets> and
 * [text](url) work as in CommonMark.  Put it back with a fixed library.
 */
#include "core/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* A task list's checkboxes as cmark-gfm writes them, and the name each
 * gets so a screen reader says what it is (axe: "Form elements must have
 * labels").  Raw HTML in the text is escaped, so only the renderer writes
 * these. */
static const struct {
	const char *from, *to;
} boxes[] = {
	{"<input type=\"checkbox\" disabled=\"\" />",
	 "<input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" />"},
	{"<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
	 "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" />"},
};

/* html with every task-list checkbox named; frees html.  NULL when out of
 * memory. */
static char *name_checkboxes(char *html)
{
	size_t n = 0, len = strlen(html);
	for (size_t b = 0; b < 2; b++)
		for (const char *p = html; (p = strstr(p, boxes[b].from)); p += strlen(boxes[b].from))
			n++;
	if (!n)
		return html;
	char *out = malloc(len + n * sizeof " aria-label=\"to do\"" + 1), *o = out;
	if (!out) {
		free(html);
		return NULL;
	}
	for (const char *p = html; *p;) {
		size_t b = 0;
		while (b < 2 && strncmp(p, boxes[b].from, strlen(boxes[b].from)))
			b++;
		if (b < 2) {
			size_t m = strlen(boxes[b].to);
			memcpy(o, boxes[b].to, m);
			o += m;
			p += strlen(boxes[b].from);
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	free(html);
	return out;
}

char *markdown_to_html(const char *md, size_t len)
{
	static const char *const exts[] = {"table", "strikethrough", "tasklist"};
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

	pthread_once(&once, register_extensions);
	cmark_parser *parser = cmark_parser_new(opts);
	if (!parser)
		return NULL;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *x = cmark_find_syntax_extension(exts[i]);
		if (x)
			cmark_parser_attach_syntax_extension(parser, x);
	}
	cmark_parser_feed(parser, md, len);
	cmark_node *doc = cmark_parser_finish(parser);
	char *html = NULL;
	if (doc) {
		html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(parser));
		cmark_node_free(doc);
	}
	cmark_parser_free(parser);
	return html ? name_checkboxes(html) : NULL;
}
