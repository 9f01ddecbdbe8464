/*
 * svc_int.h — private to src/service/: helpers the operation files share.
 */
#ifndef CAIRN_SVC_INT_H
#define CAIRN_SVC_INT_H

#include "service/service.h"

/* What actor may see: every issue for admin, pm and cto; otherwise all but
 * the security issues they did not report (the store applies the rule). */
static inline struct visibility visibility_of(const struct user *actor)
{
	struct visibility v = {actor->id, role_sees_private(actor->role), 0};
	return v;
}

#endif
