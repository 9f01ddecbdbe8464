/*
 * perm.c — the permission table.  One screen: which role holds what, and
 * the credential it needs.  Field rules (who may set a size, a milestone…)
 * are rows too; the service asks them when the field changes.
 */
#include "core/perm.h"

#include <stdio.h>
#include <string.h>

#define R(adm, pm, cto, em, eng, viewer)                                        \
	((adm) * ROLE_BIT(ROLE_ADMIN) | (pm) * ROLE_BIT(ROLE_PM) |              \
	 (cto) * ROLE_BIT(ROLE_CTO) | (em) * ROLE_BIT(ROLE_EM) |                \
	 (eng) * ROLE_BIT(ROLE_ENGINEER) | (viewer) * ROLE_BIT(ROLE_VIEWER))

/* clang-format off */
static const struct perm_def table[P__COUNT] = {
/*                         name                     adm pm cto em eng viewer   credential   may ... */
[P_READ]              = {"read",                  R(1, 1, 1, 1, 1, 1), CRED_READ,  "read"},
[P_PRIVATE_READ]      = {"private.read",          R(1, 1, 1, 0, 0, 0), CRED_READ,  "see every security issue"},
[P_ISSUE_WRITE]       = {"issue.write",           R(1, 1, 1, 1, 1, 0), CRED_WRITE, "create and change issues"},
[P_ISSUE_TRIAGE]      = {"issue.triage",          R(1, 1, 1, 0, 0, 0), CRED_WRITE, "triage issues"},
[P_ISSUE_IMPORT]      = {"issue.import",          R(1, 1, 0, 0, 0, 0), CRED_WRITE, "import issues"},
[P_BOARD_PRODUCT]     = {"board.product",         R(1, 1, 1, 0, 0, 0), CRED_WRITE, "move issues on the product board"},
[P_ISSUE_RICE]        = {"issue.rice",            R(1, 1, 0, 0, 0, 0), CRED_WRITE, "set RICE inputs"},
[P_ISSUE_PM_SIZE]     = {"issue.pm_size",         R(1, 1, 1, 0, 0, 0), CRED_WRITE, "change pm_size"},
[P_ISSUE_SIZE]        = {"issue.size",            R(1, 0, 1, 1, 0, 0), CRED_WRITE, "change size"},
[P_ISSUE_MILESTONE]   = {"issue.milestone",       R(1, 1, 0, 0, 0, 0), CRED_WRITE, "put issues into milestones"},
[P_ISSUE_AREA]        = {"issue.area",            R(1, 1, 1, 0, 0, 0), CRED_WRITE, "place epics in areas"},
[P_ISSUE_EXPECTED]    = {"issue.expected",        R(1, 1, 1, 1, 0, 0), CRED_WRITE, "set expected dates"},
[P_ISSUE_FORCE]       = {"issue.force",           R(1, 1, 1, 0, 0, 0), CRED_WRITE, "force past the Todo limit"},
[P_PLAN]              = {"plan.write",            R(1, 1, 0, 0, 0, 0), CRED_WRITE, "add pillars and areas and plan milestones"},
[P_CUSTOMER_WRITE]    = {"customer.write",        R(1, 1, 0, 0, 0, 0), CRED_WRITE, "add customers and personas"},
[P_INSIGHT_WRITE]     = {"insight.write",         R(1, 1, 1, 1, 1, 0), CRED_WRITE, "record, link, change and import insights"},
[P_LOOP_CLOSE]        = {"loop.close",            R(1, 1, 0, 0, 0, 0), CRED_WRITE, "close the loop with customers"},
[P_SETTINGS_WRITE]    = {"settings.write",        R(1, 1, 0, 0, 0, 0), CRED_WRITE, "change settings"},
[P_SETTINGS_ADMIN]    = {"settings.admin",        R(1, 0, 0, 0, 0, 0), CRED_WRITE, "open public pages and set the session idle timeout"},
[P_CHANGELOG_WRITE]   = {"changelog.write",       R(1, 1, 1, 1, 1, 0), CRED_WRITE, "write, review and comment on changelog entries"},
[P_CHANGELOG_DRAFT]   = {"changelog.draft",       R(1, 1, 1, 1, 0, 0), CRED_WRITE, "draft a milestone's changelog entries"},
[P_CHANGELOG_PUBLISH] = {"changelog.publish",     R(1, 1, 0, 0, 0, 0), CRED_WRITE, "publish and import changelog entries"},
[P_DECISION_WRITE]    = {"decision.write",        R(1, 1, 0, 0, 0, 0), CRED_WRITE, "record decisions"},
[P_EST_FACILITATE]    = {"estimation.facilitate", R(1, 1, 1, 1, 0, 0), CRED_WRITE, "facilitate estimation sessions"},
[P_EST_VOTE]          = {"estimation.vote",       R(1, 1, 1, 1, 1, 0), CRED_WRITE, "vote in estimation sessions"},
[P_EST_OVERRIDE]      = {"estimation.override",   R(0, 0, 1, 0, 0, 0), CRED_WRITE, "override a session's final size"},
[P_STRATEGY_WRITE]    = {"strategy.write",        R(1, 1, 0, 0, 0, 0), CRED_WRITE, "edit the strategy, objectives, pillars and initiatives"},
[P_INITIATIVE_EPICS]  = {"initiative.epics",      R(1, 1, 1, 0, 0, 0), CRED_WRITE, "place epics in initiatives"},
[P_INITIATIVE_HEALTH] = {"initiative.health",     R(1, 1, 1, 1, 1, 0), CRED_WRITE, "post health updates (of initiatives they own)"},
[P_TIERS_WRITE]       = {"tiers.write",           R(1, 1, 0, 0, 0, 0), CRED_WRITE, "edit pricing tiers"},
[P_COMMENT_WRITE]     = {"comment.write",         R(1, 1, 1, 1, 1, 0), CRED_WRITE, "comment on issues and edit or delete their own comments"},
[P_ADMIN]             = {"admin",                 R(1, 0, 0, 0, 0, 0), CRED_ADMIN, "administer users, tokens, sessions, hooks and the audit log"},
[P_NOTIFY_PREFS]      = {"notify.prefs",          R(1, 1, 1, 1, 1, 1), CRED_WRITE, "choose how they are notified"},
[P_VIEW_WRITE]        = {"view.write",            R(1, 1, 1, 1, 1, 1), CRED_WRITE, "save, change and delete their own views"},
[P_VIEW_SHARE]        = {"view.share",            R(1, 1, 1, 1, 0, 0), CRED_WRITE, "share views with the team"},
};
/* clang-format on */

const struct perm_def *perm_def(enum perm p)
{
	return (unsigned)p < P__COUNT ? &table[p] : NULL;
}

int perm_allows(enum role r, enum perm p)
{
	const struct perm_def *d = perm_def(p);
	return d && r >= ROLE_ADMIN && r <= ROLE_VIEWER && (d->roles & ROLE_BIT(r));
}

const char *perm_holders(enum perm p, char *buf, size_t cap)
{
	static const char *const plural[] = {"", "admins", "PMs", "CTOs", "EMs", "engineers", "viewers"};
	const struct perm_def *d = perm_def(p);
	size_t n = 0, k = 0, len = 0;
	if (!cap)
		return buf;
	buf[0] = 0;
	for (int r = ROLE_ADMIN; d && r <= ROLE_VIEWER; r++)
		n += (d->roles & ROLE_BIT(r)) != 0;
	for (int r = ROLE_ADMIN; d && r <= ROLE_VIEWER; r++) {
		if (!(d->roles & ROLE_BIT(r)))
			continue;
		const char *sep = k == 0 ? "" : k + 1 == n ? " and " : ", ";
		int w = snprintf(buf + len, cap - len, "%s%s", sep, plural[r]);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
		k++;
	}
	return buf;
}

const char *perm_cred_name(enum perm_cred c)
{
	return c == CRED_ADMIN ? "admin" : c == CRED_WRITE ? "write" : "read";
}
