/*
 * perm.h — who may do what: one table of permissions, one row each, with
 * the roles that hold it and the credential it needs (perm.c).  The
 * service asks perm_allows() as the first statement of every operation
 * (svc_allow); the API serves the table (GET /api/v1/permissions) so the
 * web UI hides what a role may not do, and a test walks every operation
 * of the route table against it for every role.
 */
#ifndef CAIRN_PERM_H
#define CAIRN_PERM_H

#include "core/issue.h"

enum perm {
	P_READ,               /* read everything but private security issues */
	P_PRIVATE_READ,       /* see every security issue */
	P_ISSUE_WRITE,        /* create and change issues */
	P_ISSUE_TRIAGE,       /* triage issues */
	P_ISSUE_IMPORT,       /* import issues */
	P_BOARD_PRODUCT,      /* move issues on the product board */
	P_ISSUE_RICE,         /* set RICE inputs */
	P_ISSUE_PM_SIZE,      /* set the PM's size */
	P_ISSUE_SIZE,         /* set the engineering size */
	P_ISSUE_MILESTONE,    /* put issues into milestones */
	P_ISSUE_AREA,         /* place epics in areas */
	P_ISSUE_EXPECTED,     /* set expected dates */
	P_ISSUE_FORCE,        /* move past the Todo limit */
	P_PLAN,               /* pillars, areas and milestones */
	P_CUSTOMER_WRITE,     /* add customers and personas */
	P_INSIGHT_WRITE,      /* record, link, change and import insights */
	P_LOOP_CLOSE,         /* tell customers what shipped */
	P_SETTINGS_WRITE,     /* change the team's settings */
	P_SETTINGS_ADMIN,     /* public pages, session timeouts */
	P_CHANGELOG_WRITE,    /* write, review and comment changelog entries */
	P_CHANGELOG_DRAFT,    /* draft a milestone's changelog entries */
	P_CHANGELOG_PUBLISH,  /* publish and import changelog entries */
	P_DECISION_WRITE,     /* record and decide decisions */
	P_EST_FACILITATE,     /* run estimation sessions */
	P_EST_VOTE,           /* vote in estimation sessions */
	P_EST_OVERRIDE,       /* set or override any session's final size */
	P_STRATEGY_WRITE,     /* the strategy, objectives, pillars, initiatives */
	P_INITIATIVE_EPICS,   /* place epics in initiatives */
	P_INITIATIVE_HEALTH,  /* post an initiative's health (its owner; PMs) */
	P_TIERS_WRITE,        /* pricing tiers */
	P_COMMENT_WRITE,      /* comments on issues (edit and delete their own) */
	P_ADMIN,              /* users, others' tokens and sessions, audit, hooks, roll-ups */
	P_NOTIFY_PREFS,       /* one's own notification and email choices */
	P_VIEW_WRITE,         /* save, change and delete their own views */
	P_VIEW_SHARE,         /* share views with the team */
	P__COUNT
};

/* The credential an operation needs, beyond the role (enum scope). */
enum perm_cred {
	CRED_READ = 0,  /* any session or token */
	CRED_WRITE = 1, /* a session or a token of scope write or admin */
	CRED_ADMIN = 2, /* a session or a token of scope admin */
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL                                                                         \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PM) | ROLE_BIT(ROLE_CTO) | ROLE_BIT(ROLE_EM) | \
	 ROLE_BIT(ROLE_ENGINEER) | ROLE_BIT(ROLE_VIEWER))

struct perm_def {
	const char *name; /* "issue.write" */
	unsigned roles;   /* ROLE_BIT()s */
	enum perm_cred cred;
	const char *what; /* "create and change issues": completes "may ..." */
};

/* The row of p (NULL outside the table). */
const struct perm_def *perm_def(enum perm p);
/* role holds p. */
int perm_allows(enum role r, enum perm p);
/* "admins and PMs": the roles holding p, for messages. */
const char *perm_holders(enum perm p, char *buf, size_t cap);
/* The name of a credential level ("read", "write", "admin"). */
const char *perm_cred_name(enum perm_cred c);

#endif
