/*
 * github.c — label mapping, closing keywords, times and signatures of the
 * GitHub integration (github.h).
 */
#include "core/github.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"

static const char *type_of(const char *l)
{
	static const struct {
		const char *label, *type;
	} types[] = {{"epic", "epic"},       {"story", "story"},          {"task", "task"},
		     {"bug", "bug"},         {"feature", "feature"},      {"enhancement", "feature"},
		     {"feature request", "feature"}};
	for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
		if (strcasecmp(l, types[k].label) == 0)
			return types[k].type;
	return NULL;
}

static const char *priority_of(const char *l)
{
	if (strncasecmp(l, "priority:", 9) != 0)
		return NULL;
	l += 9;
	while (*l == ' ')
		l++;
	if (!strcasecmp(l, "high"))
		return "high";
	if (!strcasecmp(l, "medium"))
		return "medium";
	if (!strcasecmp(l, "low"))
		return "low";
	return NULL;
}

static int size_of(const char *l)
{
	static const char *const sizes[] = {"1", "2", "3", "5", "8", "13"};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		if (strcmp(l, sizes[k]) == 0)
			return (int)strtol(l, NULL, 10);
	return 0;
}

void gh_labels_map(const char *const *names, size_t n, struct gh_label_map *out)
{
	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < n; k++) {
		const char *l = names[k], *v;
		int s;
		if (!l)
			continue;
		if ((v = type_of(l)) && !out->type) {
			out->type = v;
			continue;
		}
		if ((v = priority_of(l)) && !out->priority) {
			out->priority = v;
			continue;
		}
		if (!strncasecmp(l, "horizon:", 8))
			continue; /* Cairn's own decision, written out by sync; never a label here */
		if ((s = size_of(l)) && !out->pm_size) {
			out->pm_size = s;
			continue;
		}
		if (label_check(l, NULL) || out->nkept == LABELS_MAX) {
			out->dropped++;
			continue;
		}
		out->kept[out->nkept++] = l;
	}
}

static const char *const keywords[] = {"closes", "closed", "close", "fixes", "fixed",
				       "fix",    "resolves", "resolved", "resolve"};

size_t gh_closing_refs(const char *body, int64_t *nums, size_t cap)
{
	size_t n = 0;
	if (!body)
		return 0;
	for (const char *p = body; *p && n < cap; p++) {
		if (p != body && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		size_t kl = 0;
		for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
			size_t l = strlen(keywords[k]);
			if (strncasecmp(p, keywords[k], l) == 0) {
				kl = l;
				break;
			}
		}
		if (!kl)
			continue;
		const char *q = p + kl;
		if (*q == ':')
			q++;
		if (*q != ' ' && *q != '\t')
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '#' || !isdigit((unsigned char)q[1]))
			continue;
		int64_t v = 0;
		for (q++; isdigit((unsigned char)*q) && v < 1000000000000LL; q++)
			v = v * 10 + (*q - '0');
		if (isalnum((unsigned char)*q) || v <= 0)
			continue;
		int seen = 0;
		for (size_t k = 0; k < n; k++)
			seen |= nums[k] == v;
		if (!seen)
			nums[n++] = v;
		p = q - 1;
	}
	return n;
}

/* '#' at p starts a plain "#N" reference (not "x#N", "&#N;" or "##"). */
static int plain_ref(const char *text, const char *p)
{
	unsigned char before = p > text ? (unsigned char)p[-1] : ' ';
	return *p == '#' && isdigit((unsigned char)p[1]) && !isalnum(before) && before != '_' &&
	       before != '&' && before != '#' && before != '/';
}

char *gh_qualify_refs(const char *text, const char *repo)
{
	size_t n = 0, rl = strlen(repo);
	for (const char *p = text; *p; p++)
		n += plain_ref(text, p);
	char *out = malloc(strlen(text) + n * rl + 1), *w = out;
	if (!out)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (plain_ref(text, p)) {
			memcpy(w, repo, rl);
			w += rl;
		}
		*w++ = *p;
	}
	*w = '\0';
	return out;
}

int gh_time(const char *s, int64_t *out)
{
	if (!s || strlen(s) != 20)
		return -1;
	return parse_instant(s, out);
}

int gh_signature_ok(const char *secret, const char *body, size_t len, const char *header)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES], sent[crypto_auth_hmacsha256_BYTES];
	size_t got = 0;
	crypto_auth_hmacsha256_state st;
	if (!secret || !*secret || !header || strncmp(header, "sha256=", 7) != 0 ||
	    strlen(header + 7) != 2 * sizeof sent)
		return 0;
	if (sodium_hex2bin(sent, sizeof sent, header + 7, 2 * sizeof sent, NULL, &got, NULL) ||
	    got != sizeof sent)
		return 0;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	return sodium_memcmp(mac, sent, sizeof mac) == 0;
}
