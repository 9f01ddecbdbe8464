/*
 * smtp_out.h — one email over SMTP with libcurl (smtp:// with STARTTLS
 * when the server offers it, or smtps://), with optional authentication;
 * and the RFC 5322 text of a plain-text message.
 */
#ifndef CAIRN_SMTP_OUT_H
#define CAIRN_SMTP_OUT_H

#include <stddef.h>
#include <stdint.h>

struct smtp_config {
	char url[512];      /* smtp://host:port or smtps://host:port */
	char user[256];     /* "" : no authentication */
	char password[256];
	char from[256];     /* the envelope and From: address */
};

/* The whole message: From, To, Subject (RFC 2047 encoded when not ASCII;
 * the caller has removed control characters), Date (date_ms), Message-ID
 * <id@cairn>, MIME headers for UTF-8 plain text, a blank line, then body
 * with its line ends made CRLF.  NULL when out of memory; caller frees. */
char *smtp_message(const char *from, const char *to, const char *subject, const char *body,
		   int64_t date_ms, const char *id);

/* Send message to rcpt.  0 when the server accepted it; -1 otherwise, with
 * *code the server's last reply (0 when none came: refused, timed out)
 * and a reason in error.  Gives up after 20 seconds. */
int smtp_send(const struct smtp_config *c, const char *rcpt, const char *message, int *code,
	      char *error, size_t cap);

#endif
