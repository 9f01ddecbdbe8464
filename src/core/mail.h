/*
 * mail.h — the rules of notification email (issue #14): the kinds of
 * notification a user may choose for and how (in the app only, an email at
 * once, the daily digest, or not at all), with the defaults; what a valid
 * address is; when a user's daily digest is due; and the text of a mail.
 * Pure: no I/O, no clock (the caller passes now).
 */
#ifndef CAIRN_MAIL_H
#define CAIRN_MAIL_H

#include <stddef.h>
#include <stdint.h>

/* How a user hears of one kind of notification.  Wire names in mail_mode_name. */
enum mail_mode {
	MAIL_INAPP = 0,  /* the inbox only */
	MAIL_EMAIL = 1,  /* the inbox and an email at once */
	MAIL_DIGEST = 2, /* the inbox and the next daily digest */
	MAIL_OFF = 3,    /* not at all: no inbox entry, no mail */
	MAIL__MODES
};

struct mail_kind {
	const char *kind;          /* as stored in notifications.kind */
	const char *label;         /* "Someone mentions you", for the settings page */
	const char *verb;          /* "mentioned you", for mails: "<actor> <verb>" */
	enum mail_mode fallback;   /* the default */
};

/* The kinds a user chooses for, in display order; *n gets how many.  A
 * kind missing from the table is told in the app only. */
const struct mail_kind *mail_kinds(size_t *n);
/* The row of kind, or NULL. */
const struct mail_kind *mail_kind_find(const char *kind);
/* "inapp", "email", "digest", "off"; NULL outside the enum. */
const char *mail_mode_name(enum mail_mode m);
/* The mode named s: 0, or -1 for an unknown name. */
int mail_mode_parse(const char *s, enum mail_mode *out);

#define MAIL_ADDRESS_MAX 254
/* 1 when s is a plain address: local@domain, printable ASCII without
 * spaces, quotes, angle brackets, commas, semicolons or backslashes, one @,
 * at most MAIL_ADDRESS_MAX bytes.  Nothing that could break a header or
 * an SMTP command passes. */
int mail_address_ok(const char *s);

/* The latest digest time at or before now: hour (0..23) UTC of now's day,
 * or of the day before when now is earlier in the day. */
int64_t mail_digest_slot(int64_t now, int hour);
/* A digest is due when the last one (0: never) is older than the slot. */
int mail_digest_due(int64_t now, int hour, int64_t last);

/* Copy s into out (cap bytes) with every control character (CR and LF
 * among them) turned into a space: safe inside a header line. */
void mail_header_text(const char *s, char *out, size_t cap);

#endif
