/*
 * webhook_out.h — one signed POST of a JSON event to a receiver (libcurl).
 * The body is signed with HMAC-SHA256 under the hook's secret, sent in
 * X-Cairn-Signature-256 as "sha256=<hex>", as GitHub does for its hooks.
 */
#ifndef CAIRN_WEBHOOK_OUT_H
#define CAIRN_WEBHOOK_OUT_H

#include <stddef.h>
#include <stdint.h>

/* "sha256=<64 hex>" of body under secret into out (>= 72 bytes). */
void webhook_signature(const char *secret, const char *body, size_t len, char *out, size_t cap);

/* POST body to url; *status gets the HTTP status (0 when none came) and
 * error a reason on failure.  Returns 0 for a 2xx answer, -1 otherwise.
 * Gives up after 10 seconds; follows no redirects. */
int webhook_post(const char *url, const char *secret, const char *event, int64_t delivery,
		 const char *body, int *status, char *error, size_t cap);

#endif
