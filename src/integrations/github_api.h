/*
 * github_api.h — one call of GitHub's REST API over libcurl, with what its
 * answer says about the rate limit.  The base URL is $CAIRN_GITHUB_API
 * (default https://api.github.com; tests point it at a local fake).
 */
#ifndef CAIRN_GITHUB_API_H
#define CAIRN_GITHUB_API_H

#include <stddef.h>
#include <stdint.h>

struct gh_answer {
	int status;            /* HTTP status, 0 when none came */
	int64_t retry_after;   /* seconds from Retry-After, -1: none */
	int64_t remaining;     /* x-ratelimit-remaining, -1: none */
	int64_t reset;         /* x-ratelimit-reset (unix seconds), -1: none */
	char *body;            /* the answer (malloc'd, at most 1 MiB), or NULL */
	char error[256];       /* why it failed, "" on a 2xx */
};

/* method path (e.g. "/repos/o/r/issues/1/labels") with a JSON body (NULL:
 * none) under token.  Returns 0 for a 2xx, -1 otherwise; *a is filled
 * either way (release with gh_answer_release).  Gives up after
 * $CAIRN_GITHUB_TIMEOUT_MS (default 10000). */
int gh_api_call(const char *token, const char *method, const char *path, const char *body,
		struct gh_answer *a);
void gh_answer_release(struct gh_answer *a);

#endif
