/*
 * markdown.h — GitHub-flavoured markdown to safe HTML (cmark-gfm).
 * Raw HTML is omitted and dangerous URLs (javascript:, vbscript:, file:,
 * data: other than images) are dropped: the output is safe to insert.
 */
#ifndef CAIRN_MARKDOWN_H
#define CAIRN_MARKDOWN_H

#include <stddef.h>

/* Render md (len bytes) to a NUL-terminated HTML string; caller frees
 * with free().  Returns NULL on allocation failure. */
char *markdown_to_html(const char *md, size_t len);

#endif
