/*
 * triage.c — boards, bug severities and the security SLA (see triage.h).
 */
#include "core/triage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/issue.h"

static const char *const boards[] = {
	"no_status", "under_review", "next", "short", "medium", "long", "icebox", "started", "closed",
};
#define NBOARDS ((int)(sizeof boards / sizeof boards[0]))

const char *board_name(enum board b)
{
	return (int)b >= 0 && (int)b < NBOARDS ? boards[b] : "";
}

int board_parse(const char *s, enum board *out)
{
	if (!s)
		return -1;
	for (int k = 0; k < NBOARDS; k++)
		if (strcasecmp(s, boards[k]) == 0) {
			*out = (enum board)k;
			return 0;
		}
	return -1;
}

int board_is_horizon(enum board b)
{
	return b >= BOARD_NEXT && b <= BOARD_LONG;
}

int issue_in_inbox(const struct issue *i)
{
	if (i->state != ISSUE_OPEN)
		return 0;
	if (i->board == BOARD_NO_STATUS)
		return 1;
	for (size_t k = 0; k < i->nlabels; k++)
		if (strcmp(i->labels[k], INBOX_LABEL) == 0)
			return 1;
	return 0;
}

int bug_severity_parse(const char *s, int *out)
{
	if (!s)
		return -1;
	if (!*s) {
		*out = 0;
		return 0;
	}
	if ((s[0] == 'S' || s[0] == 's') && s[1])
		s++;
	if (s[0] >= '1' && s[0] <= '4' && s[1] == '\0') {
		*out = s[0] - '0';
		return 0;
	}
	return -1;
}

const char *bug_severity_name(int sev)
{
	static const char *const names[] = {"", "S1", "S2", "S3", "S4"};
	return sev >= 1 && sev <= 4 ? names[sev] : "";
}

int sla_parse(const char *text, struct sla *sla, struct err *e)
{
	char buf[256];
	if (!text || strlen(text) >= sizeof buf)
		return err_set(e, CAIRN_EINVALID, "sla_days",
			       "sla_days looks like critical=7,high=30,medium=90,low=180");
	snprintf(buf, sizeof buf, "%s", text);
	struct sla next = *sla;
	char *save = NULL;
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '='), *end;
		enum severity s;
		while (*item == ' ')
			item++;
		if (!eq)
			return err_set(e, CAIRN_EINVALID, "sla_days", "'%s' is not severity=days", item);
		*eq = '\0';
		if (severity_parse(item, &s) || s == SEV_NONE)
			return err_set(e, CAIRN_EINVALID, "sla_days",
				       "'%s' is not one of critical,high,medium,low", item);
		errno = 0;
		long days = strtol(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end || days < 1 || days > 3650)
			return err_set(e, CAIRN_EINVALID, "sla_days",
				       "days for %s must be a number from 1 to 3650", item);
		next.days[s] = (int)days;
	}
	*sla = next;
	return 0;
}

void sla_format(const struct sla *sla, char *buf, unsigned long cap)
{
	snprintf(buf, cap, "critical=%d,high=%d,medium=%d,low=%d", sla->days[SEV_CRITICAL],
		 sla->days[SEV_HIGH], sla->days[SEV_MEDIUM], sla->days[SEV_LOW]);
}

int64_t day_start_ms(int64_t ms)
{
	const int64_t day = 86400000LL;
	return ms >= 0 ? ms / day * day : -((-ms + day - 1) / day) * day;
}

int64_t sla_days_left(int64_t fix_by_ms, int64_t now_ms)
{
	return (day_start_ms(fix_by_ms) - day_start_ms(now_ms)) / 86400000LL;
}

int64_t sla_fix_by(const struct sla *sla, enum severity s, int64_t reported_ms)
{
	if (s <= SEV_NONE || s > SEV_CRITICAL || sla->days[s] <= 0)
		return 0;
	return reported_ms + (int64_t)sla->days[s] * 86400000LL;
}
