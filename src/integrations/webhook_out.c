/*
 * webhook_out.c — signed outgoing webhooks over libcurl (webhook_out.h).
 */
#include "integrations/webhook_out.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void webhook_signature(const char *secret, const char *body, size_t len, char *out, size_t cap)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, cap, "sha256=%s", hex);
}

/* The receiver's answer is read and dropped. */
static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

int webhook_post(const char *url, const char *secret, const char *event, int64_t delivery,
		 const char *body, int *status, char *error, size_t cap)
{
	char sig[96], h_sig[128], h_event[128], h_delivery[64];
	char curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	long code = 0;
	int rc = -1;
	*status = 0;
	error[0] = '\0';
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(error, cap, "cannot start libcurl");
		return -1;
	}
	size_t len = strlen(body);
	webhook_signature(secret, body, len, sig, sizeof sig);
	snprintf(h_sig, sizeof h_sig, "X-Cairn-Signature-256: %s", sig);
	snprintf(h_event, sizeof h_event, "X-Cairn-Event: %s", event);
	snprintf(h_delivery, sizeof h_delivery, "X-Cairn-Delivery: %" PRId64, delivery);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, "User-Agent: Cairn-Hookshot");
	headers = curl_slist_append(headers, h_sig);
	headers = curl_slist_append(headers, h_event);
	headers = curl_slist_append(headers, h_delivery);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	CURLcode res = curl_easy_perform(c);
	if (res != CURLE_OK) {
		snprintf(error, cap, "%s", curl_err[0] ? curl_err : curl_easy_strerror(res));
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		*status = (int)code;
		if (code >= 200 && code < 300)
			rc = 0;
		else
			snprintf(error, cap, "the receiver answered %ld", code);
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return rc;
}
