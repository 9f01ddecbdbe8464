/*
 * mail.c — the rules of notification email (mail.h).  The table of kinds
 * is the one list: a new kind of notification is a new row here, and the
 * preferences API, the CLI and the settings page follow it.
 */
#include "core/mail.h"

#include <stdio.h>
#include <string.h>

static const struct mail_kind kinds[] = {
	{"mention", "Someone mentions you in a comment", "mentioned you", MAIL_EMAIL},
	{"assigned", "An issue is assigned to you", "assigned you", MAIL_EMAIL},
	{"comment", "A comment on an issue you watch", "commented", MAIL_DIGEST},
	{"state", "An issue you watch is closed or reopened", "closed or reopened it", MAIL_DIGEST},
	{"changed", "An issue you watch changes (assignee, milestone, column, priority)",
	 "changed it", MAIL_DIGEST},
};

static const char *const modes[MAIL__MODES] = {"inapp", "email", "digest", "off"};

const struct mail_kind *mail_kinds(size_t *n)
{
	*n = sizeof kinds / sizeof kinds[0];
	return kinds;
}

const struct mail_kind *mail_kind_find(const char *kind)
{
	for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++)
		if (!strcmp(kinds[k].kind, kind))
			return &kinds[k];
	return NULL;
}

const char *mail_mode_name(enum mail_mode m)
{
	return (unsigned)m < MAIL__MODES ? modes[m] : NULL;
}

int mail_mode_parse(const char *s, enum mail_mode *out)
{
	for (int m = 0; s && m < MAIL__MODES; m++)
		if (!strcmp(modes[m], s)) {
			*out = (enum mail_mode)m;
			return 0;
		}
	return -1;
}

int mail_address_ok(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	const char *at = s ? strchr(s, '@') : NULL;
	if (len < 3 || len > MAIL_ADDRESS_MAX || !at || at == s || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("\"<>(),;:\\[]", c))
			return 0;
	}
	return at[1] != '.' && s[len - 1] != '.';
}

#define DAY_MS 86400000LL

int64_t mail_digest_slot(int64_t now, int hour)
{
	int64_t day = now >= 0 ? now / DAY_MS : (now - DAY_MS + 1) / DAY_MS;
	int64_t slot = day * DAY_MS + (int64_t)hour * 3600000LL;
	return slot <= now ? slot : slot - DAY_MS;
}

int mail_digest_due(int64_t now, int hour, int64_t last)
{
	return last < mail_digest_slot(now, hour);
}

void mail_header_text(const char *s, char *out, size_t cap)
{
	size_t k = 0;
	if (!cap)
		return;
	for (; s && *s && k + 1 < cap; s++)
		out[k++] = (unsigned char)*s < ' ' || *s == 0x7f ? ' ' : *s;
	out[k] = '\0';
}
