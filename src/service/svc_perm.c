/*
 * svc_perm.c — the one authorization check: the role's row in the
 * permission table (core/perm.h) and the credential it came with.
 */
#include <stdio.h>

#include "core/perm.h"
#include "service/svc_int.h"

int svc_may(const struct user *a, enum perm p)
{
	const struct perm_def *d = perm_def(p);
	if (!a || !d || !perm_allows(a->role, p))
		return 0;
	if (d->cred == CRED_ADMIN)
		return a->scope == SCOPE_ALL;
	return d->cred == CRED_READ || a->scope != SCOPE_READ;
}

int svc_allow_field(const struct user *a, enum perm p, const char *field, struct err *e)
{
	const struct perm_def *d = perm_def(p);
	char who[96];
	if (svc_may(a, p))
		return 0;
	if (!a)
		return err_set(e, CAIRN_EFORBIDDEN, field, "only %s may %s",
			       perm_holders(p, who, sizeof who), d->what);
	if (!perm_allows(a->role, p))
		return err_set(e, CAIRN_EFORBIDDEN, field, "only %s may %s (you are %s)",
			       perm_holders(p, who, sizeof who), d->what, role_name(a->role));
	if (d->cred == CRED_ADMIN)
		return err_set(e, CAIRN_EFORBIDDEN, "Authorization",
			       "to %s needs a session or a token of scope admin (this one is %s)",
			       d->what, scope_name(a->scope));
	return svc_scope_allows(a, 1, e); /* a read token asked to write */
}

int svc_allow(const struct user *a, enum perm p, struct err *e)
{
	return svc_allow_field(a, p, NULL, e);
}
