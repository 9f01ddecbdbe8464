/*
 * fuzz_util.h — helpers shared by the libFuzzer targets in tests/fuzz/:
 * a NUL-terminated heap copy of the input (so ASan sees any read past the
 * terminator), a strict UTF-8 validator written independently of the code
 * under test, and an assertion that prints the input and aborts (libFuzzer
 * then saves the input as a crash-* reproducer).
 *
 * Header-only: every target includes it once.
 */
#ifndef CAIRN_FUZZ_UTIL_H
#define CAIRN_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A heap copy of data[0..size) plus a terminating NUL; caller frees.
 * Aborts on allocation failure (libFuzzer reports it). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Print what was violated and for which input (escaped, cut at 300
 * bytes), then abort: libFuzzer writes the reproducer. */
#define FUZZ_ASSERT(cond, input, ...)                                              \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "\nFUZZ INVARIANT VIOLATED %s:%d: %s\n  ", \
				__FILE__, __LINE__, #cond);                        \
			fprintf(stderr, __VA_ARGS__);                              \
			fprintf(stderr, "\n  input: ");                            \
			fuzz_dump(stderr, (input));                                \
			abort();                                                   \
		}                                                                  \
	} while (0)

/* Print s as a C string literal, cut at max bytes. */
static inline void fuzz_dump_n(FILE *f, const char *s, size_t max)
{
	size_t i = 0;
	fputc('"', f);
	for (; s && s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('"', f);
	if (s && s[i])
		fputs("...", f);
	fputc('\n', f);
}

static inline void fuzz_dump(FILE *f, const char *s)
{
	fuzz_dump_n(f, s, 300);
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF.  Checks s[0..n); embedded NULs count as characters. */
static inline int fuzz_utf8_valid_n(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p;
		size_t k;
		unsigned min;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			k = 1, min = 0x80, c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2, min = 0x800, c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3, min = 0x10000, c &= 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - p) < k + 1)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((p[j] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		p += k + 1;
	}
	return 1;
}

static inline int fuzz_utf8_valid(const char *s)
{
	return fuzz_utf8_valid_n(s, strlen(s));
}

#endif
