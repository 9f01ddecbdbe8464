/*
 * test_perm.c — the permission table: well-formed, and the rules the
 * documentation states (docs/API.md "Roles") hold row by row.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "builders.h"
#include "core/perm.h"

TestSuite(perm, .fini = fail_on_leaks);

#define yes(x) eq(int, !!(x), 1)

static const enum role roles[] = {ROLE_ADMIN, ROLE_PM, ROLE_CTO, ROLE_EM, ROLE_ENGINEER, ROLE_VIEWER};
#define NROLES (sizeof roles / sizeof roles[0])

Test(perm, every_row_is_named_once_and_says_what_it_allows)
{
	for (int p = 0; p < P__COUNT; p++) {
		const struct perm_def *d = perm_def((enum perm)p);
		cr_assert(yes(d && d->name && d->what), "row %d is empty", p);
		cr_expect(yes(strlen(d->what) > 3), "%s", d->name);
		cr_expect(yes(d->roles != 0), "%s: nobody holds it", d->name);
		cr_expect(yes((d->roles & ~ROLES_ALL) == 0), "%s: unknown role bits", d->name);
		for (int q = 0; q < p; q++)
			cr_expect(yes(strcmp(d->name, perm_def((enum perm)q)->name) != 0),
				  "%s twice", d->name);
	}
	cr_expect(yes(perm_def(P__COUNT) == NULL));
	cr_expect(yes(perm_def((enum perm)-1) == NULL));
}

/* Viewers read, and save their own views (their own state, like
 * watching): nothing of the team's. */
Test(perm, viewers_only_read_and_their_own_views)
{
	for (int p = 0; p < P__COUNT; p++)
		cr_expect(eq(int, perm_allows(ROLE_VIEWER, (enum perm)p), p == P_READ || p == P_VIEW_WRITE || p == P_NOTIFY_PREFS),
			  "%s", perm_def((enum perm)p)->name);
}

Test(perm, sharing_views_admin_pm_cto_em)
{
	for (size_t k = 0; k < NROLES; k++)
		cr_expect(eq(int, perm_allows(roles[k], P_VIEW_SHARE),
			     roles[k] != ROLE_ENGINEER && roles[k] != ROLE_VIEWER),
			  "%s", role_name(roles[k]));
}

Test(perm, everyone_reads_and_everyone_but_viewers_writes_issues)
{
	for (size_t k = 0; k < NROLES; k++) {
		cr_expect(yes(perm_allows(roles[k], P_READ)), "%s", role_name(roles[k]));
		cr_expect(eq(int, perm_allows(roles[k], P_ISSUE_WRITE), roles[k] != ROLE_VIEWER),
			  "%s", role_name(roles[k]));
	}
}

Test(perm, private_issues_admin_pm_cto)
{
	for (size_t k = 0; k < NROLES; k++) {
		enum role r = roles[k];
		int want = r == ROLE_ADMIN || r == ROLE_PM || r == ROLE_CTO;
		cr_expect(eq(int, perm_allows(r, P_PRIVATE_READ), want), "%s", role_name(r));
		cr_expect(eq(int, perm_allows(r, P_ISSUE_TRIAGE), want), "%s", role_name(r));
	}
}

Test(perm, sizes_follow_the_stage)
{
	cr_expect(yes(perm_allows(ROLE_PM, P_ISSUE_PM_SIZE) && !perm_allows(ROLE_PM, P_ISSUE_SIZE)));
	cr_expect(yes(perm_allows(ROLE_EM, P_ISSUE_SIZE) && !perm_allows(ROLE_EM, P_ISSUE_PM_SIZE)));
	cr_expect(yes(perm_allows(ROLE_CTO, P_ISSUE_SIZE) && perm_allows(ROLE_CTO, P_ISSUE_PM_SIZE)));
	cr_expect(yes(!perm_allows(ROLE_ENGINEER, P_ISSUE_SIZE)));
}

Test(perm, only_admins_administer_and_admins_hold_all_but_the_ctos_word)
{
	for (size_t k = 0; k < NROLES; k++)
		cr_expect(eq(int, perm_allows(roles[k], P_ADMIN), roles[k] == ROLE_ADMIN), "%s",
			  role_name(roles[k]));
	for (int p = 0; p < P__COUNT; p++)
		cr_expect(eq(int, perm_allows(ROLE_ADMIN, (enum perm)p), p != P_EST_OVERRIDE), "%s",
			  perm_def((enum perm)p)->name);
	cr_expect(yes(perm_allows(ROLE_CTO, P_EST_OVERRIDE)));
	cr_expect(eq(int, perm_def(P_ADMIN)->cred, CRED_ADMIN));
}

Test(perm, unknown_roles_may_do_nothing)
{
	const int unknown[] = {0, 7, -1, 100};
	for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++)
		for (int p = 0; p < P__COUNT; p++)
			cr_expect(yes(!perm_allows((enum role)unknown[k], (enum perm)p)), "role %d",
				  unknown[k]);
}

Test(perm, holders_read_as_english)
{
	char b[96];
	cr_expect(eq(str, (char *)perm_holders(P_ADMIN, b, sizeof b), "admins"));
	cr_expect(eq(str, (char *)perm_holders(P_PLAN, b, sizeof b), "admins and PMs"));
	cr_expect(eq(str, (char *)perm_holders(P_ISSUE_TRIAGE, b, sizeof b), "admins, PMs and CTOs"));
	cr_expect(eq(str, (char *)perm_holders(P_READ, b, sizeof b),
		     "admins, PMs, CTOs, EMs, engineers and viewers"));
	char tiny[8];
	perm_holders(P_READ, tiny, sizeof tiny);
	cr_expect(yes(strlen(tiny) < sizeof tiny), "cut, never overrun");
}
