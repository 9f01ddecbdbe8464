/*
 * github_api.c — GitHub's REST API over libcurl (github_api.h).
 */
#include "integrations/github_api.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ANSWER_MAX (1024 * 1024)

struct buf {
	char *p;
	size_t n;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	size_t len = size * n;
	if (b->n + len > ANSWER_MAX)
		return len; /* read and dropped past the cap */
	char *np = realloc(b->p, b->n + len + 1);
	if (!np)
		return 0;
	memcpy(np + b->n, p, len);
	b->n += len;
	np[b->n] = '\0';
	b->p = np;
	return len;
}

/* A header "name: number" into *out. */
static void header_number(const char *line, size_t len, const char *name, int64_t *out)
{
	size_t nl = strlen(name);
	if (len <= nl + 1 || strncasecmp(line, name, nl) || line[nl] != ':')
		return;
	const char *v = line + nl + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	int64_t x = 0;
	int digits = 0;
	while (v < line + len && isdigit((unsigned char)*v) && x < 100000000000LL) {
		x = x * 10 + (*v++ - '0');
		digits++;
	}
	if (digits)
		*out = x;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct gh_answer *a = ctx;
	size_t len = size * n;
	header_number(p, len, "retry-after", &a->retry_after);
	header_number(p, len, "x-ratelimit-remaining", &a->remaining);
	header_number(p, len, "x-ratelimit-reset", &a->reset);
	return len;
}

static const char *base_url(void)
{
	const char *b = getenv("CAIRN_GITHUB_API");
	return b && *b ? b : "https://api.github.com";
}

static long timeout_ms(void)
{
	const char *s = getenv("CAIRN_GITHUB_TIMEOUT_MS");
	long v = s ? strtol(s, NULL, 10) : 0;
	return v >= 100 && v <= 600000 ? v : 10000;
}

void gh_answer_release(struct gh_answer *a)
{
	free(a->body);
	a->body = NULL;
}

int gh_api_call(const char *token, const char *method, const char *path, const char *body,
		struct gh_answer *a)
{
	char url[2048], auth[400], curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL;
	struct buf b = {0};
	long code = 0;
	int rc = -1;
	memset(a, 0, sizeof *a);
	a->retry_after = a->remaining = a->reset = -1;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(a->error, sizeof a->error, "cannot start libcurl");
		return -1;
	}
	snprintf(url, sizeof url, "%s%s", base_url(), path);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	h = curl_slist_append(h, "Accept: application/vnd.github+json");
	h = curl_slist_append(h, "X-GitHub-Api-Version: 2022-11-28");
	h = curl_slist_append(h, "User-Agent: Cairn");
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms());
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms());
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	CURLcode res = curl_easy_perform(c);
	if (res != CURLE_OK) {
		snprintf(a->error, sizeof a->error, "%s", curl_err[0] ? curl_err : curl_easy_strerror(res));
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		a->status = (int)code;
		if (code >= 200 && code < 300)
			rc = 0;
		else
			snprintf(a->error, sizeof a->error, "GitHub answered %ld", code);
	}
	a->body = b.p;
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc;
}
