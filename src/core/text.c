/*
 * text.c — Unicode case folding (see text.h), through glibc's towlower_l
 * in the C.UTF-8 locale (thread-safe: a locale object, not setlocale).
 */
#include "core/text.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

static locale_t utf8_locale;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_locale(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Decode one UTF-8 sequence at p; *len gets its length, 0 if invalid. */
static unsigned decode(const unsigned char *p, int *len)
{
	unsigned c = p[0];
	int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
	if (n < 0) {
		*len = 0;
		return 0;
	}
	static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
	c = n == 0 ? c : n == 1 ? c & 0x1f : n == 2 ? c & 0x0f : c & 0x07;
	for (int k = 1; k <= n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			*len = 0;
			return 0;
		}
		c = (c << 6) | (p[k] & 0x3f);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*len = 0; /* overlong, out of range or a surrogate: not a character */
		return 0;
	}
	*len = n + 1;
	return c;
}

static int encode(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

char *utf8_fold(const char *s)
{
	pthread_once(&once, init_locale);
	size_t n = strlen(s);
	/* A lower-case form never needs more than 4 bytes per input byte. */
	char *out = malloc(4 * n + 1), *o = out;
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int len;
		unsigned c = decode(p, &len);
		if (!len) {
			*o++ = (char)*p++;
			continue;
		}
		if (c < 0x80)
			c = (c >= 'A' && c <= 'Z') ? c + 32 : c;
		else if (utf8_locale)
			c = (unsigned)towlower_l((wint_t)c, utf8_locale);
		o += encode(c, o);
		p += len;
	}
	*o = '\0';
	return out;
}

int utf8_alnum_len(const char *s)
{
	pthread_once(&once, init_locale);
	int len;
	unsigned c = decode((const unsigned char *)s, &len);
	if (!len || !c)
		return 0;
	if (c < 0x80)
		return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
	return utf8_locale && iswalnum_l((wint_t)c, utf8_locale) ? len : 0;
}

unsigned long long hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned long long h = 1469598103934665603ULL;
	for (size_t k = 0; k < n; k++)
		h = (h ^ b[k]) * 1099511628211ULL;
	return h;
}
