/*
 * text.h — text helpers with no I/O: Unicode-aware case folding used for
 * case-insensitive search, computed in C so every store backend agrees
 * regardless of its collation or locale.
 */
#ifndef CAIRN_TEXT_H
#define CAIRN_TEXT_H

#include <stddef.h>

/* A new string: s (UTF-8) lower-cased character by character (ÄRGER ->
 * ärger); invalid bytes are copied as they are.  Caller frees; NULL on
 * allocation failure. */
char *utf8_fold(const char *s);

/* The length in bytes of the character at s if it is a letter or a digit
 * (Unicode, as iswalnum in C.UTF-8), else 0 (also at the end of s and on
 * an invalid byte).  Full-text search splits words at everything else. */
int utf8_alnum_len(const char *s);

/* FNV-1a (64 bits) of n bytes: a fast, stable hash for tables and
 * ETags (not a defence against chosen collisions). */
unsigned long long hash_bytes(const void *p, size_t n);

#endif
