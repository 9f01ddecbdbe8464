/*
 * smtp_out.c — email over libcurl (smtp_out.h).  libcurl speaks the
 * protocol (EHLO, AUTH, MAIL FROM, RCPT TO, DATA with dot-stuffing); this
 * file only writes the message and reads the outcome.
 */
#include "integrations/smtp_out.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void put(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void put_str(struct sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static int ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Subject: as is when ASCII, else encoded words of at most 45 bytes of
 * whole UTF-8 characters each, folded onto continuation lines. */
static void put_subject(struct sbuf *b, const char *s)
{
	put_str(b, "Subject: ");
	if (ascii(s)) {
		put_str(b, s);
		put_str(b, "\r\n");
		return;
	}
	size_t len = strlen(s), at = 0;
	while (at < len) {
		size_t n = len - at < 45 ? len - at : 45;
		while (n < len - at && n > 0 && ((unsigned char)s[at + n] & 0xc0) == 0x80)
			n--; /* never split a character */
		char enc[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(enc, sizeof enc, (const unsigned char *)s + at, n,
				  sodium_base64_VARIANT_ORIGINAL);
		put_str(b, at ? "\r\n =?UTF-8?B?" : "=?UTF-8?B?");
		put_str(b, enc);
		put_str(b, "?=");
		at += n;
	}
	put_str(b, "\r\n");
}

char *smtp_message(const char *from, const char *to, const char *subject, const char *body,
		   int64_t date_ms, const char *id)
{
	struct sbuf b = {0};
	char line[600], date[64];
	time_t t = (time_t)(date_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(line, sizeof line, "From: Cairn <%s>\r\nTo: <%s>\r\nDate: %s\r\n", from, to, date);
	put_str(&b, line);
	put_subject(&b, subject);
	snprintf(line, sizeof line,
		 "Message-ID: <%s@cairn>\r\nMIME-Version: 1.0\r\n"
		 "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
		 "Auto-Submitted: auto-generated\r\n\r\n",
		 id);
	put_str(&b, line);
	for (const char *p = body; *p; p++) {
		if (*p == '\n')
			put_str(&b, "\r\n");
		else if (*p != '\r')
			put(&b, p, 1);
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t feed(char *out, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(out, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

int smtp_send(const struct smtp_config *c, const char *rcpt, const char *message, int *code,
	      char *error, size_t cap)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	struct upload u = {message, strlen(message)};
	struct curl_slist *to = NULL;
	long reply = 0;
	int rc = -1;
	*code = 0;
	error[0] = '\0';
	CURL *h = curl_easy_init();
	if (!h || !(to = curl_slist_append(NULL, rcpt))) {
		snprintf(error, cap, "cannot start libcurl");
		if (h)
			curl_easy_cleanup(h);
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	if (c->user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
	}
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode res = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
	*code = (int)reply;
	if (res == CURLE_OK)
		rc = 0;
	else
		snprintf(error, cap, "%s", curl_err[0] ? curl_err : curl_easy_strerror(res));
	curl_slist_free_all(to);
	curl_easy_cleanup(h);
	return rc;
}
