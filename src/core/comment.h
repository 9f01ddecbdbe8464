/*
 * comment.h — what a comment's markdown points at: the @logins it mentions
 * and the #N issues it references.  Pure text scanning (no I/O); the
 * service resolves what it finds against the users and the issues.
 */
#ifndef CAIRN_COMMENT_H
#define CAIRN_COMMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/issue.h"

/* At most this many mentions and references are kept per comment. */
#define COMMENT_MENTIONS_MAX 32
#define COMMENT_REFS_MAX 32

/* The distinct @logins in md, in order of appearance, into logins (at
 * most max); returns how many.  A mention is '@' not preceded by a
 * letter, digit or one of "._-@/" (so mail addresses are not mentions),
 * followed by a login (core/issue.h login_check, case-folded; a trailing
 * '.' is punctuation).  Text in code spans and fences is skipped. */
size_t comment_mentions(const char *md, char logins[][LOGIN_MAX + 1], size_t max);

/* The distinct #N issue numbers in md (N > 0, '#' not preceded by a
 * letter, digit, '&' or '#', not followed by more word characters), in
 * order of appearance; returns how many.  Code is skipped as above. */
size_t comment_refs(const char *md, int64_t *numbers, size_t max);

#endif
