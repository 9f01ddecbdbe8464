/*
 * service.h — the operations of Cairn: the one place for validation,
 * authorization, transactions and history.  The HTTP handlers and the CLI
 * both call these and nothing below them.
 *
 * Every operation: checks the actor's role first, validates its input
 * without touching data, runs in one store transaction, writes history
 * rows in that same transaction, and on any failure rolls back so that a
 * refused request changes nothing.  Returns an enum cairn_rc and fills e.
 * `actor` is the authenticated user (borrowed).  Out-structs are owned by
 * the caller and released with the matching *_release.
 */
#ifndef CAIRN_SERVICE_H
#define CAIRN_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/issue.h"
#include "core/triage.h"
#include "store/store.h"

/* ---- issues --------------------------------------------------------------- */

enum issue_field_bit {
	IN_TYPE = 1u << 0,
	IN_TITLE = 1u << 1,
	IN_BODY = 1u << 2,
	IN_STATE = 1u << 3,
	IN_PRIORITY = 1u << 4,
	IN_PM_SIZE = 1u << 5,
	IN_SIZE = 1u << 6,
	IN_LABELS = 1u << 7,
	IN_PARENT = 1u << 8,
	IN_ASSIGNEE = 1u << 9,
	IN_BOARD = 1u << 10,
	IN_BUG_SEVERITY = 1u << 11,
	IN_CVSS = 1u << 12,
	IN_RICE_REACH = 1u << 13,
	IN_RICE_IMPACT = 1u << 14,
	IN_RICE_CONFIDENCE = 1u << 15,
};

/* Raw, unvalidated input for create/update.  A bit in `set` says the field
 * was given; a NULL string with its bit set means "clear it".  Sizes accept
 * letters or numbers, parent is an issue number, assignee a login.
 * All pointers are borrowed. */
struct issue_input {
	unsigned set;
	const char *type, *title, *body, *state, *priority, *pm_size, *size, *parent, *assignee;
	const char *board, *bug_severity, *cvss;
	const char *rice_reach, *rice_impact, *rice_confidence; /* NULL: back to the default */
	const char *const *labels;
	size_t nlabels;
};

/* Create an issue reported by actor; *out gets the stored issue. */
int svc_issue_create(struct store *st, const struct user *actor, const struct issue_input *in,
		     struct issue *out, struct err *e);

/* One issue as actor may see it (invisible = CAIRN_ENOTFOUND). */
int svc_issue_get(struct store *st, const struct user *actor, int64_t number, struct issue *out,
		  struct err *e);

/* Apply in to issue number.  if_match < 0 skips the version check (local
 * CLI); otherwise a different current version is CAIRN_ESTALE.  Every
 * changed field gets a history row.  *out gets the updated issue. */
int svc_issue_update(struct store *st, const struct user *actor, int64_t number,
		     const struct issue_input *in, int64_t if_match, struct issue *out,
		     struct err *e);

/* A page (1-based) of issues matching the query text q. */
#define PER_PAGE_MAX 100
#define PER_PAGE_DEFAULT 25
int svc_issue_list(struct store *st, const struct user *actor, const char *q, int64_t page,
		   int64_t per_page, struct issue_list *out, int64_t *total, struct err *e);

int svc_issue_history(struct store *st, const struct user *actor, int64_t number,
		      struct history_list *out, struct err *e);

/* One record of a bulk import (demo data, later GitHub/CSV import). */
struct issue_import {
	struct issue_input in;
	const char *reporter; /* login; NULL = the actor */
	int64_t created_at;   /* unix ms; 0 = now */
	int64_t closed_at;    /* unix ms when in.state is "closed"; 0 = created_at */
	int64_t triaged_at;   /* unix ms when in.board moved it out of the inbox */
};

/* Create n issues in one transaction, numbered in order, each validated
 * exactly like svc_issue_create and given a "created" history row at its
 * created_at.  Admins and PMs only.  All or nothing: the first invalid
 * record fails the batch and e names it ("record K: ..."). */
int svc_issue_import(struct store *st, const struct user *actor,
		     const struct issue_import *recs, size_t n, struct err *e);

/* ---- triage ------------------------------------------------------------------ */

/* A triage decision (route NULL: in.set holds type/priority/pm_size/board/
 * bug_severity/cvss, board a horizon) or a route: "under_review", "icebox",
 * "wont_do" (reason kept), "duplicate" (duplicate_of required).  Borrowed. */
struct triage_input {
	struct issue_input in;
	const char *route;
	const char *duplicate_of;
	const char *reason;
};

/* Triage one issue (admin, pm, cto): applies the decision or route,
 * removes needs-triage, sets triaged_at, records history.  if_match < 0
 * skips the version check. */
int svc_issue_triage(struct store *st, const struct user *actor, int64_t number,
		     const struct triage_input *t, int64_t if_match, struct issue *out,
		     struct err *e);

/* The inbox, oldest first, and its numbers (both as actor may see them). */
int svc_triage_inbox(struct store *st, const struct user *actor, int64_t page, int64_t per_page,
		     struct issue_list *out, int64_t *total, struct err *e);
int svc_triage_stats(struct store *st, const struct user *actor, struct triage_stats *out,
		     struct err *e);

/* Open security issues past their fix-by date (overdue) and due within
 * days (soon), soonest first, as actor may see them. */
int svc_security_due(struct store *st, const struct user *actor, int days,
		     struct issue_list *overdue, struct issue_list *soon, struct err *e);

/* Settings: the SLA days per severity.  Setting needs admin or pm;
 * text like "critical=5,high=20". */
int svc_sla_get(struct store *st, struct sla *out, struct err *e);
int svc_sla_set(struct store *st, const struct user *actor, const char *text, struct sla *out,
		struct err *e);

/* ---- customers, personas, insights, backlog (svc_insight.c) ------------------ */

#include "core/scores.h"

/* Raw input, validated by the service.  Strings borrowed. */
struct customer_input {
	const char *name, *tier;
	int64_t arr;
	int seats, strategic;
};
struct persona_input {
	const char *name, *description, *buyer_level;
};
struct insight_input {
	const char *source, *category, *customer, *persona, *title, *body, *url;
	const char *captured_at; /* YYYY-MM-DD or ISO-8601; NULL = now */
	const char *state;       /* NULL = new */
};

/* Customers and personas: admins and PMs add them; everyone reads. */
int svc_customer_add(struct store *st, const struct user *actor, const struct customer_input *in,
		     struct customer *out, struct err *e);
int svc_customer_list(struct store *st, struct customer **out, size_t *n, struct err *e);
int svc_persona_add(struct store *st, const struct user *actor, const struct persona_input *in,
		    struct persona *out, struct err *e);
int svc_persona_list(struct store *st, struct persona **out, size_t *n, struct err *e);

/* Insights: anyone who writes issues records them. */
int svc_insight_add(struct store *st, const struct user *actor, const struct insight_input *in,
		    struct insight *out, struct err *e);
int svc_insight_get(struct store *st, int64_t id, struct insight *out, struct err *e);
/* state NULL/"" = any; customer name NULL = any. */
int svc_insight_list(struct store *st, const char *state, const char *customer, int64_t page,
		     int64_t per_page, struct insight_list *out, int64_t *total, struct err *e);
/* Link to an issue the actor can see (importance nice/important/critical);
 * linking processes a new insight.  Unlink: CAIRN_ENOTFOUND if not linked. */
int svc_insight_link(struct store *st, const struct user *actor, int64_t insight_id,
		     int64_t number, const char *importance, struct err *e);
int svc_insight_unlink(struct store *st, const struct user *actor, int64_t insight_id,
		       int64_t number, struct err *e);
int svc_insight_issues(struct store *st, const struct user *actor, int64_t insight_id,
		       struct insight_link **out, size_t *n, struct err *e);
int svc_issue_insights(struct store *st, const struct user *actor, int64_t number,
		       struct insight_list *out, struct err *e);
/* Closing the loop: mark every insight behind an issue answered (admin, pm). */
int svc_issue_answer(struct store *st, const struct user *actor, int64_t number, int64_t *n,
		     struct err *e);

/* An insight's state (new/processed/answered); writers. */
int svc_insight_set_state(struct store *st, const struct user *actor, int64_t id,
			  const char *state, struct err *e);

/* A customer with their insights and the (visible) issues they wait for. */
int svc_customer_page(struct store *st, const struct user *actor, int64_t id,
		      struct customer *c, struct insight_list *insights,
		      struct insight_link **links, size_t *nlinks,
		      struct customer_issue **issues, size_t *nissues, struct err *e);

/* CSV import (one transaction; bad rows skipped and reported by line). */
struct import_error {
	long line;
	char message[ERR_MSG_MAX];
};
struct import_result {
	long imported;
	struct import_error *errors; /* owned */
	size_t nerrors;
};
/* map: "Header:field,..." (NULL = header names are field names). */
int svc_insight_import(struct store *st, const struct user *actor, const char *csv, size_t len,
		       const char *map, struct import_result *out, struct err *e);
void import_result_free(struct import_result *r);
/* Every insight as CSV (malloc'd text, caller frees). */
int svc_insight_export(struct store *st, char **csv, size_t *len, struct err *e);

/* Demand now and as of since_ms, for the open issues that moved. */
struct mover {
	int64_t number;
	char title[TITLE_MAX + 1];
	double before, now;
};
int svc_backlog_movers(struct store *st, const struct user *actor, int64_t since_ms,
		       struct mover **out, size_t *n, struct err *e);

/* The ranked backlog: open issues with linked insights, by demand or RICE,
 * best first, each with its evidence (the asks, with their weights). */
struct backlog_item {
	int64_t number;
	int type, size;
	char title[TITLE_MAX + 1];
	double score;                /* demand, or RICE (-1: unsized, ranks last) */
	struct demand_result demand;
	struct rice rice;
	struct demand_ask *asks;     /* borrowed from the backlog */
	const struct backlog_ask *evidence; /* parallel to asks */
	size_t nasks;
};
struct backlog {
	struct backlog_item *items;
	size_t n;
	struct backlog_ask *rows;  /* owned */
	struct demand_ask *asks;   /* owned, one per row */
};
int svc_backlog(struct store *st, const struct user *actor, const char *rank, struct backlog *out,
		struct err *e);
void backlog_release(struct backlog *b);

/* ---- users, tokens, sessions ----------------------------------------------- */

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
#define TOKEN_TEXT_LEN 70   /* "cairn_" + 64 hex */
#define SESSION_TEXT_LEN 64 /* hex */
#define CSRF_TEXT_LEN 64
#define SESSION_TTL_MS (14LL * 24 * 3600 * 1000)

/* Add a user.  actor NULL means the local bootstrap (cairn init / user add
 * on a local database, which needs file access and thus is trusted). */
int svc_user_add(struct store *st, const struct user *actor, const char *login,
		 const char *name, const char *role, const char *password, struct user *out,
		 struct err *e);
int svc_user_list(struct store *st, const struct user *actor, struct user **out, size_t *n,
		  struct err *e);
/* The user with this login, for the local CLI's --as. */
int svc_user_get(struct store *st, const char *login, struct user *out, struct err *e);
/* The local CLI's default actor: the first admin. */
int svc_local_actor(struct store *st, struct user *out, struct err *e);

/* Create an API token for login (admins for anyone, others for themselves;
 * actor NULL = local).  token gets "cairn_<64 hex>" (cap >= TOKEN_TEXT_LEN+1);
 * only its hash is stored. */
int svc_token_new(struct store *st, const struct user *actor, const char *login,
		  const char *name, char *token, size_t cap, struct err *e);
/* Authenticate a bearer token; CAIRN_EUNAUTH if unknown. */
int svc_auth_token(struct store *st, const char *token, struct user *out, struct err *e);

/* Check a password and open a session: sid and csrf get hex strings
 * (cap >= 65).  CAIRN_EUNAUTH on a wrong login or password. */
int svc_session_login(struct store *st, const char *login, const char *password,
		      struct user *out, char *sid, char *csrf, size_t cap, struct err *e);
int svc_session_auth(struct store *st, const char *sid, struct user *out, char *csrf,
		     size_t cap, struct err *e);
int svc_session_logout(struct store *st, const char *sid, struct err *e);

/* ---- administration ---------------------------------------------------------- */

/* Create or migrate the schema (cairn init, and serve at start). */
int svc_db_init(struct store *st, struct err *e);
/* The schema version, or CAIRN_ESCHEMA/CAIRN_ESTORE when not usable. */
int svc_health(struct store *st, int *schema, struct err *e);
/* "sqlite" or "postgres", for health reports. */
const char *svc_backend(const struct store *st);

/* ---- backup and restore (local, trusted: whoever holds the database) -------- */

/* Write one line (without its newline); 0 or -1 with errno. */
typedef int (*svc_write_fn)(void *ctx, const char *line, size_t len);
/* Read the next line into *line (borrowed until the next call; NULL at the
 * end) without its newline; 0 or -1 on a read error. */
typedef int (*svc_read_fn)(void *ctx, char **line, size_t *len);

/* Stream a full dump (JSON Lines, see svc_backup.c) from one snapshot. */
int svc_backup(struct store *st, svc_write_fn write, void *ctx, struct err *e);
/* Restore a dump into an empty database (schema created if needed), in one
 * transaction: any bad line leaves the database as it was. */
int svc_restore(struct store *st, svc_read_fn read_line, void *ctx, struct err *e);

/* Initialize libsodium once per process (main calls it). */
int svc_init(void);

#endif
