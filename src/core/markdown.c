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

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
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
	return html;
}
