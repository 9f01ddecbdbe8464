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
#include "core/perm.h"
#include "core/timeutil.h"
#include "core/triage.h"
#include "store/model.h"

/* A number the caller was not given (the operation picks its default).
 * Numbers reach the service as given; their ranges are checked here. */
#define SVC_UNSET INT64_MIN

/* One operation's context: the connection it runs on, who asks (NULL: the
 * local operator, for the few operations that allow it) and the instant
 * every rule of the operation reads as "now" (unix ms; the fixed clock of
 * CAIRN_NOW in tests).  Built once per request by the server, per call by
 * the CLI (OP); borrowed by the operation. */
struct op {
	struct store *st;
	const struct user *actor;
	int64_t now;
	/* the committed data's state token (svc_data_state) when the caller
	 * took one before this operation, else NULL or "": lets the service
	 * reuse what it read under the same token (a token's user) */
	const char *state;
};
#define OP(st_, actor_) (&(struct op){.st = (st_), .actor = (actor_), .now = now_ms()})

/* ---- the database (svc_db.c) ------------------------------------------------ */

/* Open a connection to url (sqlite:PATH, a bare path, postgres://...);
 * close it.  The only way http/ and cmd/ reach a database. */
int svc_open(const char *url, struct store **out, struct err *e);
void svc_close(struct store *st);
/* Group commit (svc_group.c), for the server: concurrent issue creates and
 * updates on url's SQLite database share one transaction and one commit,
 * on one connection of their own, opened here (nothing for PostgreSQL).
 * Stop waits for a running group; later writes are their own transaction. */
int svc_group_start(const char *url, struct err *e);
void svc_group_stop(void);
/* Whether writes are grouped (started on an SQLite database). */
int svc_group_active(void);
/* Since start: the groups committed and the writes they held (for /metrics). */
void svc_group_stats(unsigned long long *groups, unsigned long long *writes);
/* The schema version this binary writes. */
int svc_schema_latest(void);
/* A fixed pool of connections shared by a server's threads: borrow one
 * for a request, give it back (rolled back if a transaction was open). */
struct store_pool;
struct store_pool *svc_pool_new(const char *url, int size);
void svc_pool_free(struct store_pool *p);
int svc_pool_get(struct store_pool *p, struct store **out, struct err *e);
void svc_pool_put(struct store_pool *p, struct store *st);
/* A token of the committed data's state (store_state in store.h): the
 * reply cache's key.  Outside a transaction; "" when none. */
void svc_data_state(struct store *st, char *buf, size_t cap);

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
	IN_DEV_STATUS = 1u << 16,
	IN_MILESTONE = 1u << 17,
	IN_AREA = 1u << 18,
	IN_EXPECTED = 1u << 19,
	IN_DOD = 1u << 20,
	IN_SLIP_REASON = 1u << 21, /* write-only: onto a milestone's scope row */
	IN_AFTER = 1u << 22,       /* write-only: place after this issue in its column */
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
	/* planning: dev_status name, milestone and area ids, expected_at
	 * YYYY-MM-DD, slip_reason text, after an issue number ("0" = top) */
	const char *dev_status, *milestone, *area, *expected, *slip_reason, *after;
	int dod_mask, dod_bits; /* IN_DOD: the checklist items given, and their values */
	int force;              /* past the Todo limit (PM, CTO, admin) */
};

/* Create an issue reported by actor; *out gets the stored issue. */
int svc_issue_create(const struct op *op, const struct issue_input *in,
		     struct issue *out, struct err *e);

/* One issue as actor may see it (invisible = CAIRN_ENOTFOUND). */
int svc_issue_get(const struct op *op, int64_t number, struct issue *out,
		  struct err *e);

/* Apply in to issue number.  if_match < 0 skips the version check (local
 * CLI); otherwise a different current version is CAIRN_ESTALE.  Every
 * changed field gets a history row.  *out gets the updated issue. */
int svc_issue_update(const struct op *op, int64_t number,
		     const struct issue_input *in, int64_t if_match, struct issue *out,
		     struct err *e);

/* A page (1-based) of issues matching the query text q. */
#define PER_PAGE_MAX 100
/* Lists count at most this many matches (or as far as the page asked
 * for): out->capped says there are more (issue #17). */
#define ISSUE_COUNT_CAP 10000
/* A search (free words) counts at most this many: each counted match is a
 * visit to its issue for the privacy rule and the filters ("1,000+"). */
#define SEARCH_COUNT_CAP 1000
#define PER_PAGE_DEFAULT 25
int svc_issue_list(const struct op *op, const char *q, int64_t page,
		   int64_t per_page, struct issue_list *out, int64_t *total, struct err *e);

int svc_issue_history(const struct op *op, int64_t number,
		      struct history_list *out, struct err *e);

/* One milestone membership of an imported issue (times in unix ms). */
struct scope_import {
	int64_t milestone_id, added_at, removed_at; /* removed_at 0 = still in */
	const char *slip_reason;
	int64_t done_at; /* done while in it (0 = not) */
	int points;      /* its points then */
};

/* One record of a bulk import (demo data, later GitHub/CSV import). */
struct issue_import {
	struct issue_input in;
	int64_t started_at, done_at; /* unix ms, 0 = none (planning history) */
	const struct scope_import *scope; /* milestone memberships, oldest first */
	size_t nscope;
	const char *reporter; /* login; NULL = the actor */
	int64_t created_at;   /* unix ms; 0 = now */
	int64_t closed_at;    /* unix ms when in.state is "closed"; 0 = created_at */
	int64_t triaged_at;   /* unix ms when in.board moved it out of the inbox */
};

/* Create n issues in one transaction, numbered in order, each validated
 * exactly like svc_issue_create and given a "created" history row at its
 * created_at.  Admins and PMs only.  All or nothing: the first invalid
 * record fails the batch and e names it ("record K: ..."). */
int svc_issue_import(const struct op *op,
		     const struct issue_import *recs, size_t n, struct err *e);

/* The next batch of records for a bulk import: *n = 0 at the end; nonzero
 * (with e set) to give up.  The records stay valid until the next call. */
typedef int (*svc_import_next)(void *ctx, const struct issue_import **recs, size_t *n,
			       struct err *e);
/* Like svc_issue_import over every batch next gives, in ONE transaction and
 * as a bulk load (store_bulk_begin): search rows and indexes are built once
 * at the end, roll-ups and the board tally rebuilt from all issues.  The
 * result is the same database as svc_issue_import batch by batch; a failure
 * anywhere leaves the database as it was before the call. */
int svc_issue_import_bulk(const struct op *op, svc_import_next next, void *ctx, struct err *e);

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
int svc_issue_triage(const struct op *op, int64_t number,
		     const struct triage_input *t, int64_t if_match, struct issue *out,
		     struct err *e);

/* The inbox, oldest first, and its numbers (both as actor may see them). */
int svc_triage_inbox(const struct op *op, int64_t page, int64_t per_page,
		     struct issue_list *out, int64_t *total, struct err *e);
int svc_triage_stats(const struct op *op, struct triage_stats *out,
		     struct err *e);

/* Open security issues past their fix-by date (overdue) and due within
 * days (soon), soonest first, as actor may see them. */
int svc_security_due(const struct op *op, int days,
		     struct issue_list *overdue, struct issue_list *soon, struct err *e);

/* Settings: the SLA days per severity.  Setting needs admin or pm;
 * text like "critical=5,high=20". */
int svc_sla_get(const struct op *op, struct sla *out, struct err *e);
int svc_sla_set(const struct op *op, const char *text, struct sla *out,
		struct err *e);
/* The settings in one transaction: sla_text NULL, todo_limit SVC_UNSET,
 * public_changelog < 0 and public_url NULL leave each as it is; *out gets
 * the SLA in force.  The public changelog's two are for admins only;
 * public_url is "" (from the request) or an http(s) URL. */
struct settings_input {
	const char *sla_text;         /* NULL: unchanged */
	int64_t todo_limit;           /* SVC_UNSET: unchanged */
	int public_changelog;         /* < 0: unchanged */
	const char *public_url;       /* NULL: unchanged */
	int public_roadmap;           /* < 0: unchanged */
	int64_t session_idle_minutes; /* SVC_UNSET: unchanged; admins only */
};
#define SETTINGS_UNCHANGED {NULL, SVC_UNSET, -1, NULL, -1, SVC_UNSET}
int svc_settings_set(const struct op *op, const struct settings_input *in,
		     struct sla *out, struct err *e);
/* Minutes of inactivity after which a session ends (default 720). */
#define SESSION_IDLE_DEFAULT_MIN 720
int svc_session_idle_minutes(const struct op *op, int64_t *out, struct err *e);

/* ---- customers, personas, insights, backlog (svc_insight.c) ------------------ */

#include "core/scores.h"

/* Raw input, validated by the service.  Strings borrowed.  Adding a
 * customer takes arr and seats as given (has_* are for updates). */
struct customer_input {
	const char *name, *tier; /* NULL = Starter (add) or unchanged (update) */
	int64_t arr;
	int seats;
	int has_arr, has_seats; /* 0: the field is absent (add: 0; update: unchanged) */
	int strategic;          /* -1 = absent */
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
int svc_customer_add(const struct op *op, const struct customer_input *in,
		     struct customer *out, struct err *e);
int svc_customer_list(const struct op *op, struct customer **out, size_t *n, struct err *e);
/* Change the fields present in in; a change of strategic writes a history
 * row on each issue whose derived "Customer Request" label came or went. */
int svc_customer_update(const struct op *op, int64_t id, const struct customer_input *in,
			struct customer *out, struct err *e);
int svc_persona_add(const struct op *op, const struct persona_input *in,
		    struct persona *out, struct err *e);
int svc_persona_list(const struct op *op, struct persona **out, size_t *n, struct err *e);
/* Change the fields present in in (NULL = unchanged). */
int svc_persona_update(const struct op *op, int64_t id, const struct persona_input *in,
		       struct persona *out, struct err *e);

/* Insights: anyone who writes issues records them. */
int svc_insight_add(const struct op *op, const struct insight_input *in,
		    struct insight *out, struct err *e);
int svc_insight_get(const struct op *op, int64_t id, struct insight *out, struct err *e);
/* state NULL/"" = any; customer name NULL = any. */
int svc_insight_list(const struct op *op, const char *state, const char *customer, int64_t page,
		     int64_t per_page, struct insight_list *out, int64_t *total, struct err *e);
/* Link to an issue the actor can see (importance nice/important/critical);
 * linking processes a new insight.  Unlink: CAIRN_ENOTFOUND if not linked. */
int svc_insight_link(const struct op *op, int64_t insight_id,
		     int64_t number, const char *importance, struct err *e);
int svc_insight_unlink(const struct op *op, int64_t insight_id,
		       int64_t number, struct err *e);
int svc_insight_issues(const struct op *op, int64_t insight_id,
		       struct insight_link **out, size_t *n, struct err *e);
int svc_issue_insights(const struct op *op, int64_t number,
		       struct insight_list *out, struct err *e);
/* Closing the loop: mark every insight behind an issue answered (admin, pm). */
int svc_issue_answer(const struct op *op, int64_t number, int64_t *n,
		     struct err *e);

/* An insight's state (new/processed/answered); writers. */
int svc_insight_set_state(const struct op *op, int64_t id,
			  const char *state, struct err *e);

/* A customer with their insights and the (visible) issues they wait for. */
int svc_customer_page(const struct op *op, int64_t id,
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
	/* columns no field takes, map entries that name no field or column */
	char (*ignored)[160]; /* owned */
	size_t nignored;
	/* customers added on the fly (create_customers), in order; owned */
	char (*created)[CUSTOMER_NAME_MAX + 1];
	size_t ncreated;
};
struct import_opts {
	const char *map;      /* "Header:field,..." (NULL = header names are field names) */
	int create_customers; /* add the customers a valid row names and nobody added yet;
				 needs customer.write besides insight.write */
	int dry_run;          /* check and count every row, write nothing */
};
int svc_insight_import(const struct op *op, const char *csv, size_t len,
		       const struct import_opts *opts, struct import_result *out, struct err *e);
void import_result_free(struct import_result *r);
/* Every insight as CSV (malloc'd text, caller frees). */
int svc_insight_export(const struct op *op, char **csv, size_t *len, struct err *e);

/* Demand now and as of since_ms, for the open issues that moved. */
struct mover {
	int64_t number;
	char title[TITLE_MAX + 1];
	double before, now;
};
int svc_backlog_movers(const struct op *op, int64_t since_ms,
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
int svc_backlog(const struct op *op, const char *rank, struct backlog *out,
		struct err *e);
void backlog_release(struct backlog *b);

/* ---- planning: boards, hierarchy, milestones (svc_plan.c) --------------------- */

#include "core/plan.h"

/* Settings: the Todo limit (points); set with svc_settings_set. */
int svc_todo_limit(const struct op *op, int *out, struct err *e);

/* A board: dev = 0 product, 1 development.  Columns in display order. */
struct board_column {
	int key; /* enum board or enum dev_status */
	int64_t count, points;
	struct issue_list items; /* the first page */
};
struct board_view {
	int dev, ncols, todo_limit;
	int todo_load; /* dev: the points in Todo the actor sees, unfiltered */
	struct board_column cols[9];
};
int svc_board(const struct op *op, int dev, int64_t milestone,
	      int64_t limit, struct board_view *out, struct err *e);
void board_release(struct board_view *b);
/* One page of one column (column by name); out->cols[0] only. */
int svc_board_column(const struct op *op, int dev, const char *column,
		     int64_t milestone, int64_t offset, int64_t limit, struct board_view *out,
		     struct err *e);
#define BOARD_LIMIT_DEFAULT 50
#define BOARD_LIMIT_MAX 200

/* Fill rollup and double_booked of these issues (one query). */
int svc_fill_rollups(const struct op *op, struct issue *items, size_t n,
		     struct err *e);

/* An issue's tree: its area and pillar (if its epic has one), ancestors
 * (root first), and descendants with roll-ups. */
struct issue_tree {
	struct issue root;
	struct issue_list ancestors;   /* root first */
	struct issue_list descendants; /* by number; parent links them */
	int has_area, has_pillar;
	struct area area;
	struct pillar pillar;
};
int svc_issue_tree(const struct op *op, int64_t number,
		   struct issue_tree *out, struct err *e);
void issue_tree_release(struct issue_tree *t);
int svc_plan_check(const struct op *op, struct double_booking **out,
		   size_t *n, size_t *total, struct err *e);

/* Roll-ups maintained on write (svc_rollup.c, issue #12). */
#define ROLLUP_CHECK_SHOWN 20
struct rollup_mismatch {
	int scope;          /* enum rollup_scope */
	int64_t number;     /* the issue, or 0 for an area */
	int64_t area;       /* the area, or 0 for an issue */
	const char *what;   /* "points", "done_points", "area epics", ... (static) */
	int stored, computed;
};
struct rollup_check {
	int stale;             /* the tables wait for a rebuild (reads compute on read) */
	size_t checked;        /* issue numbers compared (per scope, summed) */
	size_t areas_checked;
	size_t mismatches;
	struct rollup_mismatch shown[ROLLUP_CHECK_SHOWN]; /* the first nshown */
	size_t nshown;
};
/* Compare every stored roll-up (both scopes, every issue and area) with a
 * recomputation from scratch by the code that computes on read
 * (plan_rollup, strategy_progress).  Admin, pm, cto.  One read snapshot. */
int svc_rollups_check(const struct op *op, struct rollup_check *out,
		      struct err *e);
/* Recompute the tables from the issues in one write transaction (actor
 * NULL: the system; else admin only). */
int svc_rollups_rebuild(const struct op *op, struct err *e);
/* The same when migration 12 (or a crash before its rebuild) left them stale. */
int svc_rollups_rebuild_if_stale(const struct op *op, struct err *e);

/* Pillars and areas (admin, pm add; everyone reads). */
int svc_pillar_add(const struct op *op, const char *name,
		   const char *description, struct pillar *out, struct err *e);
int svc_area_add(const struct op *op, int64_t pillar_id, const char *name,
		 const char *description, struct area *out, struct err *e);
struct area_stats {
	struct area area;
	int epics, points, done_points;
};
int svc_pillars(const struct op *op, struct pillar **pillars, size_t *np,
		struct area_stats **areas, size_t *na, struct err *e);

/* Milestones (admin, pm write; everyone reads). */
struct milestone_input {
	const char *title, *start, *due, *capacity; /* NULL: not given */
};
struct milestone_view {
	struct milestone m;
	enum milestone_state state;
	int load, done_points, items; /* what is in it now */
	/* every stint counted (committed + added, removed ones too), and of
	 * those the shipped and slipped points; remaining: load - done while
	 * it runs or is planned, 0 once it is over */
	int scope_points, shipped_points, slipped_points, remaining;
};
int svc_milestone_create(const struct op *op,
			 const struct milestone_input *in, struct milestone *out, struct err *e);
int svc_milestone_update(const struct op *op, int64_t id,
			 const struct milestone_input *in, struct milestone *out, struct err *e);
int svc_milestone_delete(const struct op *op, int64_t id, struct err *e);
/* The cadence generator (see cadence_plan); every/weekday/from may be NULL
 * for the defaults (4w, thu, day after the last due or today), count
 * SVC_UNSET for 1, capacity SVC_UNSET for the velocity. */
int svc_milestone_plan(const struct op *op, const char *every,
		       const char *weekday, int64_t count, const char *from, int64_t capacity,
		       struct milestone **out, size_t *n, struct err *e);
/* All milestones with load and done points, and the velocity (-1: none). */
int svc_milestones(const struct op *op, struct milestone_view **out,
		   size_t *n, double *velocity, struct err *e);

/* One milestone with its scope (classified), velocity, burn-up, forecast
 * and ship/slip report. */
struct scope_entry {
	struct scope_item item;
	struct scope_class cls;
	int slips; /* how many milestones this issue slipped from, in total */
};
struct repeat_slipper {
	int64_t number;
	char title[TITLE_MAX + 1];
	int slips;
	int nmilestones;          /* the milestones it slipped from (first 8) */
	char milestones[8][65];
};
/* The ship/slip report's five totals, in this order. */
enum { SCOPE_COMMITTED, SCOPE_SHIPPED, SCOPE_SLIPPED, SCOPE_ADDED, SCOPE_REMOVED, SCOPE_TOTALS };
extern const char *const scope_total_names[SCOPE_TOTALS]; /* "committed", ... */
struct scope_total {
	int count, points;
};

struct milestone_detail {
	struct milestone_view v;
	double velocity;
	struct scope_total totals[SCOPE_TOTALS];
	struct scope_entry *scope; /* this milestone's rows, one per issue stint */
	size_t nscope;
	struct repeat_slipper *slippers;
	size_t nslippers;
	int64_t burn_start, burn_end; /* days */
	int *burn_scope, *burn_done;  /* burn_end - burn_start + 1 entries (0 if none) */
};
int svc_milestone_get(const struct op *op, int64_t id,
		      struct milestone_detail *out, struct err *e);
void milestone_detail_release(struct milestone_detail *d);
#define THROUGHPUT_DAYS 28
struct forecast_view {
	struct forecast f;
	int remaining; /* of this milestone (0 once it is over) */
	int ahead;     /* still open in earlier milestones, done first */
	int64_t today;
	int history_days;
};
int svc_milestone_forecast(const struct op *op, int64_t id, uint64_t seed,
			   int64_t trials, struct forecast_view *out, struct err *e);

/* ---- releases: changelog entries, release notes, hooks (svc_changelog.c) ------ */

#include "core/changelog.h"

enum cl_input_bit {
	CL_IN_TITLE = 1u << 0,
	CL_IN_DESCRIPTION = 1u << 1,
	CL_IN_BODY = 1u << 2,
	CL_IN_DATE = 1u << 3,
	CL_IN_SLUG = 1u << 4,
	CL_IN_MILESTONE = 1u << 5, /* NULL: none */
	CL_IN_AUTHORS = 1u << 6,
	CL_IN_TAGS = 1u << 7,
	CL_IN_ISSUES = 1u << 8,
};
/* Raw input (borrowed): issues are "#12", "12" or http(s) URLs; authors
 * logins; date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; milestone an id. */
struct cl_input {
	unsigned set;
	const char *title, *description, *body, *date, *slug, *milestone;
	const char *const *authors, *const *tags, *const *issues;
	size_t nauthors, ntags, nissues;
};
#define CL_TITLE_MAX 200
#define CL_DESCRIPTION_MAX 1000
#define CL_LIST_MAX 20  /* authors, tags */
#define CL_ISSUES_MAX 50
#define CL_REF_MAX 512
#define CL_COMMENT_MAX 16384

const char *cl_state_name(int state);
int cl_state_parse(const char *s, int *out);

/* Entries.  Viewers read; the other roles write (see docs/API.md for who
 * approves and publishes).  if_match < 0 skips the version check. */
int svc_cl_create(const struct op *op, const struct cl_input *in,
		  struct changelog_row *out, struct err *e);
int svc_cl_get(const struct op *op, int64_t id, struct changelog_row *out,
	       struct err *e);
int svc_cl_list(const struct op *op, const char *state, int64_t milestone,
		int64_t page, int64_t per_page, struct changelog_list *out, int64_t *total,
		struct err *e);
int svc_cl_update(const struct op *op, int64_t id, const struct cl_input *in,
		  int64_t if_match, struct changelog_row *out, struct err *e);
int svc_cl_delete(const struct op *op, int64_t id, struct err *e);
/* Move an entry to state `to` (draft, in_review, approved, published). */
int svc_cl_transition(const struct op *op, int64_t id, const char *to,
		      int64_t if_match, struct changelog_row *out, struct err *e);
int svc_cl_history(const struct op *op, int64_t id,
		   struct history_list *out, struct err *e);
int svc_cl_comments(const struct op *op, int64_t id,
		    struct cl_comment **out, size_t *n, struct err *e);
int svc_cl_comment_add(const struct op *op, int64_t id, const char *body,
		       int64_t parent, int64_t *comment_id, struct err *e);
int svc_cl_comment_resolve(const struct op *op, int64_t id, int64_t cid,
			   int resolved, struct err *e);
/* The entry in the handbook's front-matter format (*text malloc'd) and its
 * file name (>= 80 bytes). */
int svc_cl_export(const struct op *op, int64_t id, char **text,
		  char *filename, size_t cap, struct err *e);
/* Export every entry of a milestone (milestone 0: all), oldest first:
 * fn gets each file name and text. */
typedef int (*svc_cl_file_fn)(void *ctx, const char *filename, const char *text);
int svc_cl_export_all(const struct op *op, int64_t milestone,
		      svc_cl_file_fn fn, void *ctx, struct err *e);

/* Import front-matter files (PM, admin): each good file a published entry. */
struct cl_file {
	const char *name, *content; /* borrowed */
	size_t len;
	int64_t milestone; /* the entry's milestone (0: none; a file has no such key) */
};
struct cl_import_item {
	char file[256];
	char slug[CL_SLUG_MAX + 1];
	int64_t id;      /* imported; 0 when skipped or refused */
	int line;        /* refused: the line (0: none) */
	char message[300]; /* skipped or refused: why */
};
struct cl_import_result {
	struct cl_import_item *items; /* one per file, in order */
	size_t n;
};
void cl_import_result_free(struct cl_import_result *r);
int svc_cl_import(const struct op *op, const struct cl_file *files,
		  size_t n, struct cl_import_result *out, struct err *e);

/* Closing the loop: the customers and insights behind an entry's issues. */
struct cl_tell_customer {
	int64_t id, arr;
	int strategic, told; /* told: every one of their insights is answered */
	char name[CUSTOMER_NAME_MAX + 1], tier[TIER_MAX + 1];
	const struct cl_ask *asks; /* borrowed from the list */
	size_t nasks;
};
struct cl_tell_list {
	struct cl_tell_customer *customers;
	size_t n;
	struct cl_ask *asks; /* owned */
	size_t nasks;
};
void cl_tell_release(struct cl_tell_list *t);
int svc_cl_tell_list(const struct op *op, int64_t id,
		     struct cl_tell_list *out, struct err *e);
/* Mark the given customers (all when n == 0) told (PM, admin; published). */
int svc_cl_tell(const struct op *op, int64_t id, const int64_t *customers,
		size_t n, struct cl_tell_list *out, struct err *e);
/* Published entries that shipped what a customer asked for. */
int svc_customer_shipped(const struct op *op, int64_t customer_id,
			 struct cl_shipped **out, size_t *n, struct err *e);

/* Milestones: draft entries for its closed headline issues (idempotent),
 * and its checklist. */
int svc_cl_milestone_draft(const struct op *op, int64_t milestone,
			   struct changelog_list *created, int64_t *existing, struct err *e);
struct cl_checklist {
	struct issue_list headline_without_entry;
	struct changelog_list entries; /* every entry of the milestone */
};
void cl_checklist_release(struct cl_checklist *c);
int svc_cl_checklist(const struct op *op, int64_t milestone,
		     struct cl_checklist *out, struct err *e);

/* Release notes: every closed item of a milestone as the actor may see it
 * (a hidden security fix redacted). */
struct cl_notes {
	struct milestone m;
	struct issue_list items;
	int *redacted; /* parallel to items */
};
void cl_notes_release(struct cl_notes *n);
int svc_cl_notes(const struct op *op, int64_t milestone,
		 struct cl_notes *out, struct err *e);
/* The notes as Keep-a-Changelog markdown (malloc'd). */
char *cl_notes_markdown(const struct cl_notes *n);

/* The public changelog: settings, and what it shows.  actor NULL is an
 * anonymous reader: CAIRN_ENOTFOUND while the public changelog is off. */
struct cl_config {
	int public_on;
	int public_roadmap; /* the public roadmap page is on */
	char public_url[256];
	char install_id[33]; /* 32 hex digits */
};
int svc_cl_config(const struct op *op, struct cl_config *out, struct err *e);
int svc_cl_public(const struct op *op, int64_t page, int64_t per_page,
		  struct changelog_list *out, int64_t *total, struct cl_config *cfg,
		  int64_t *version, int64_t *last_modified, struct err *e);
/* One published entry by slug (CAIRN_ENOTFOUND otherwise), as the public
 * sees it; out->items has one row. */
int svc_cl_public_entry(const struct op *op, const char *slug,
			struct changelog_list *out, struct cl_config *cfg, struct err *e);
/* Only the version stamp (for conditional GETs). */
int svc_cl_public_stamp(const struct op *op, int64_t *version,
			int64_t *last_modified, struct err *e);

/* Notification hooks (admin). */
int svc_hook_add(const struct op *op, const char *url, const char *secret,
		 struct hook *out, struct err *e);
int svc_hook_list(const struct op *op, struct hook **out, size_t *n,
		  struct err *e);
int svc_hook_delete(const struct op *op, int64_t id, struct err *e);
int svc_hook_deliveries(const struct op *op, struct hook_delivery **out,
			size_t *n, struct err *e);
/* Send what is due (the server's background worker): at most `limit`
 * deliveries; *sent gets how many were attempted. */
int svc_hooks_run(const struct op *op, int limit, int *sent, struct err *e);
#define HOOK_ATTEMPTS 6

/* ---- strategy and roadmap (svc_strategy.c) ----------------------------------- */

#include "core/strategy.h"

#define STRATEGY_BODY_MAX (256 * 1024)

/* An initiative with what is computed from its work. */
struct initiative_view {
	struct initiative i;
	struct strat_progress progress;
	int epics;                 /* its epics the reader sees */
	int remaining;             /* points - done_points */
	struct forecast f;         /* days from today */
	int suggested;             /* enum health */
	const struct initiative_update *update; /* the latest, or NULL (borrowed) */
	const struct initiative_demand *demand; /* its customers, biggest first (borrowed) */
	size_t ndemand;
	int64_t demand_insights, demand_arr;
};

struct strategy_view {
	struct strategy_version doc; /* the latest version (has_doc) */
	int has_doc;
	size_t versions;
	int64_t last_reviewed, review_due; /* unix ms; 0 = never */
	int review_days;
	int64_t today; /* day number */
	int64_t now;   /* the operation's instant */
	struct objective *objectives;
	size_t nobjectives;
	struct strat_progress *objective_progress; /* parallel */
	struct key_result *krs;
	size_t nkrs;
	struct id_pair *objective_pillars; /* (objective, pillar) */
	size_t nobjective_pillars;
	struct pillar *pillars;
	size_t npillars;
	struct strat_progress *pillar_progress; /* parallel */
	struct initiative_view *inits;
	size_t ninits;
	struct id_pair *initiative_objectives; /* (initiative, objective) */
	size_t ninitiative_objectives;
	struct id_pair *epics; /* (initiative, epic number) */
	size_t nepics;
	int *epic_points, *epic_done; /* parallel to epics: their roll-ups */
	struct initiative_update *updates; /* owned */
	size_t nupdates;
	struct initiative_demand *demand; /* owned */
	size_t ndemand;
};
void strategy_view_release(struct strategy_view *v);
/* Everything the strategy page shows, computed as actor may see it. */
int svc_strategy(const struct op *op, struct strategy_view *out,
		 struct err *e);

/* The document (PM, admin): *created 0 when the body did not change. */
int svc_strategy_save(const struct op *op, const char *body,
		      const char *note, int64_t *version, int *created, struct err *e);
int svc_strategy_versions(const struct op *op, struct strategy_version **out, size_t *n,
			  struct err *e);
int svc_strategy_version(const struct op *op, int64_t id, struct strategy_version *out,
			 struct err *e);
/* from/to: version ids; *a and *b get the two versions (release them),
 * *lines the diff (pointing into their bodies; free it). */
int svc_strategy_diff(const struct op *op, int64_t from, int64_t to, struct strategy_version *a,
		      struct strategy_version *b, struct diff_line **lines, size_t *n,
		      struct err *e);
/* Mark reviewed now; review_days SVC_UNSET keeps the interval. */
int svc_strategy_review(const struct op *op, int64_t review_days,
			struct err *e);
int svc_strategy_history(const struct op *op,
			 struct strategy_change **out, size_t *n, struct err *e);

/* Objectives and key results (PM, admin).  Numbers are decimal text with
 * at most 3 decimals. */
struct objective_input {
	const char *title, *description, *period; /* NULL: not given */
	const int64_t *pillars;
	size_t npillars;
	int set_pillars;
};
int svc_objective_save(const struct op *op, int64_t id,
		       const struct objective_input *in, struct objective *out, struct err *e);
struct kr_input {
	const char *metric, *baseline, *target, *current, *measured_at; /* NULL: not given */
};
int svc_kr_save(const struct op *op, int64_t objective, int64_t id,
		const struct kr_input *in, struct key_result *out, struct err *e);
/* A pillar's name, description, intended share (text "" clears). */
int svc_pillar_update(const struct op *op, int64_t id, const char *name,
		      const char *description, const char *target_share, struct pillar *out,
		      struct err *e);

enum initiative_bit {
	INI_TITLE = 1u << 0, INI_DESCRIPTION = 1u << 1, INI_OWNER = 1u << 2, INI_PILLAR = 1u << 3,
	INI_HORIZON = 1u << 4, INI_START = 1u << 5, INI_TARGET = 1u << 6, INI_STATUS = 1u << 7,
	INI_PUBLIC = 1u << 8, INI_POSITION = 1u << 9, INI_OBJECTIVES = 1u << 10,
};
struct initiative_input {
	unsigned set;
	const char *title, *description, *owner, *pillar, *horizon, *start, *target, *status,
		*position; /* NULL with the bit set: clear */
	int is_public;
	const int64_t *objectives;
	size_t nobjectives;
};
const char *initiative_status_name(int s);
/* Create (id 0) or update an initiative (PM, admin); if_match < 0: no check. */
int svc_initiative_save(const struct op *op, int64_t id,
			const struct initiative_input *in, int64_t if_match, struct initiative *out,
			struct err *e);
/* Put an epic into an initiative (add) or take it out (PM, CTO, admin). */
int svc_initiative_epic(const struct op *op, int64_t id, int64_t number,
			int add, struct err *e);
/* A health update (the owner, PMs, admins): sets the stated health. */
int svc_initiative_post(const struct op *op, int64_t id,
			const char *health, const char *text, struct err *e);
int svc_initiative_updates(const struct op *op, int64_t id, struct initiative_update **out,
			   size_t *n, struct err *e);

/* Investment allocation of shipped points: by milestone (the last `last`
 * milestones that have started) or by quarter of the done date. */
struct allocation_view {
	struct alloc_share *shares; /* owned, by bucket */
	size_t nshares;
	int64_t *buckets; /* the buckets in order (milestone ids or quarters) */
	size_t nbuckets;
	struct milestone *milestones; /* owned (by milestone) */
	size_t nmilestones;
	struct pillar *pillars;
	size_t npillars;
	struct initiative *inits;
	size_t ninits;
};
void allocation_view_release(struct allocation_view *a);
int svc_allocation(const struct op *op, int by_quarter, int64_t last,
		   struct allocation_view *out, struct err *e);

/* The roadmap: the strategy's initiatives plus epics not in any, by lane. */
struct roadmap_view {
	struct strategy_view s;
	struct issue_list free_epics; /* open epics in no initiative, with a lane */
	struct milestone *milestones;
	size_t nmilestones;
	int public_on;
};
void roadmap_view_release(struct roadmap_view *r);
int svc_roadmap(const struct op *op, struct roadmap_view *out,
		struct err *e);

/* ---- the decision log (svc_decision.c) -------------------------------------- */

enum decision_bit {
	DEC_TITLE = 1u << 0, DEC_CONTEXT = 1u << 1, DEC_OPTIONS = 1u << 2, DEC_DECISION = 1u << 3,
	DEC_CONSEQUENCES = 1u << 4, DEC_REVIEW = 1u << 5, DEC_RACI = 1u << 6, DEC_ISSUES = 1u << 7,
	DEC_INITIATIVES = 1u << 8, DEC_INSIGHTS = 1u << 9, DEC_SUPERSEDES = 1u << 10,
};
#define DECISION_TEXT_MAX 20000
#define DECISION_LINKS_MAX 50
/* Raw input (borrowed).  options: the JSON text of the options array;
 * raci[role]: logins; issues: numbers. */
struct decision_input {
	unsigned set;
	const char *title, *context, *options, *decision, *consequences, *review_date;
	const char *const *raci[4];
	size_t nraci[4];
	const int64_t *issues, *initiatives, *insights;
	size_t nissues, ninitiatives, ninsights;
	int64_t supersedes; /* 0: none */
};
struct decision_view {
	struct decision d;
	struct decision_person *people;
	size_t npeople;
	struct decision_link *links; /* those the reader may see */
	size_t nlinks;
	char *snapshot; /* owned JSON array of the frozen evidence the reader may see, or NULL */
	char *today;    /* owned JSON array: the same numbers now */
	char *signals;  /* owned JSON array of strings */
	int64_t snapshot_at;
};
void decision_view_release(struct decision_view *v);
const char *decision_status_name(int s);
int svc_decision_save(const struct op *op, int64_t id,
		      const struct decision_input *in, int64_t if_match, struct decision_view *out,
		      struct err *e);
int svc_decision_get(const struct op *op, int64_t id,
		     struct decision_view *out, struct err *e);
/* status: accepted or rejected. */
int svc_decision_status(const struct op *op, int64_t id, const char *status,
			int64_t if_match, struct decision_view *out, struct err *e);
/* q: words; status, involving (a login): NULL for any; issue 0 any. */
int svc_decision_list(const struct op *op, const char *q, const char *status,
		      int64_t issue, const char *involving, struct decision_list *out,
		      int64_t *total, struct err *e);
int svc_decision_history(const struct op *op, int64_t id,
			 struct history_list *out, struct err *e);

/* ---- pricing tiers (svc_tiers.c) ------------------------------------------------ */

#include "core/tiers.h"

struct tier_list {
	char names[TIERS_MAX][TIER_NAME_MAX + 1];
	int n;
};
/* The tiers in order (default Starter, Premium, Enterprise). */
int svc_tiers(const struct op *op, struct tier_list *out, struct err *e);
/* Replace the list (admins and PMs); a tier that features use cannot go. */
int svc_tiers_set(const struct op *op, const char *const *names, size_t n,
		  struct tier_list *out, struct err *e);

/* A feature's tier beside the suggestion from its evidence. */
struct feature_tier_view {
	struct issue issue;
	struct tier_list tiers;
	int has_tier;
	struct feature_tier tier;
	struct tier_evidence evidence;
	int asks, customers;
	int suggested;       /* tier index, -1 none */
	char reason[200];
	int disagrees;       /* the decision and the suggestion differ */
};
void feature_tier_view_release(struct feature_tier_view *v);
int svc_feature_tier(const struct op *op, int64_t number,
		     struct feature_tier_view *out, struct err *e);
/* Set (tier non-NULL) or clear it (PMs and admins; epics, stories and
 * feature requests; the rationale is required when setting). */
int svc_feature_tier_set(const struct op *op, int64_t number,
			 const char *tier, const char *rationale, struct feature_tier_view *out,
			 struct err *e);

/* Every feature by tier (milestone 0: all), with its suggestion, and the
 * features that moved tier while the milestone ran. */
struct tier_matrix {
	struct tier_list tiers;
	struct feature_tier *features;
	size_t n;
	int *suggested;    /* parallel: tier index or -1 */
	struct tier_move *moves;
	size_t nmoves;
	struct milestone m; /* when filtered */
	int has_milestone;
};
void tier_matrix_release(struct tier_matrix *m);
int svc_tier_matrix(const struct op *op, int64_t milestone,
		    struct tier_matrix *out, struct err *e);
/* The matrix as a pricing page's comparison table. */
char *tier_matrix_markdown(const struct tier_matrix *m);
char *tier_matrix_csv(const struct tier_matrix *m);

/* Upsell (customers asking for features above their tier) and mismatch
 * (features mostly asked for by customers of a lower tier). */
struct upsell {
	int64_t customer_id, arr;
	char customer[CUSTOMER_NAME_MAX + 1];
	char tier[TIER_MAX + 1];
	int64_t numbers[16];
	char feature_tiers[16][33];
	int nfeatures;
};
struct mismatch {
	int64_t number;
	char title[TITLE_MAX + 1];
	char tier[33];
	int asks, below;
};
struct tier_signals {
	struct upsell *upsell;
	size_t nupsell;
	struct mismatch *mismatch;
	size_t nmismatch;
};
void tier_signals_release(struct tier_signals *s);
int svc_tier_signals(const struct op *op, struct tier_signals *out,
		     struct err *e);

/* ---- estimation calibration (svc_tiers.c) ------------------------------------ */

#include "core/calibration.h"

/* Cycle times per size of the items finished in the last `days` days
 * (1..730) that actor may see; *items counts them. */
int svc_calibration(const struct op *op, int64_t days,
		    struct cal_size out[6], size_t *items, struct err *e);

/* ---- users, tokens, sessions ----------------------------------------------- */

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
#define TOKEN_TEXT_LEN 70   /* "cairn_" + 64 hex */
#define SESSION_TEXT_LEN 64 /* hex */
#define CSRF_TEXT_LEN 64
#define SESSION_TTL_MS (14LL * 24 * 3600 * 1000)

/* Add a user.  actor NULL means the local bootstrap (cairn init / user add
 * on a local database, which needs file access and thus is trusted). */
int svc_user_add(const struct op *op, const char *login,
		 const char *name, const char *role, const char *password, struct user *out,
		 struct err *e);
int svc_user_list(const struct op *op, struct user **out, size_t *n,
		  struct err *e);
/* The user with this login, for the local CLI's --as. */
int svc_user_get(const struct op *op, const char *login, struct user *out, struct err *e);
/* The local CLI's default actor: the first admin. */
int svc_local_actor(const struct op *op, struct user *out, struct err *e);

/* Create an API token for login (admins for anyone, others for themselves;
 * actor NULL = local).  token gets "cairn_<64 hex>" (cap >= TOKEN_TEXT_LEN+1);
 * only its hash is stored. */
int svc_token_new(const struct op *op, const char *login,
		  const char *name, char *token, size_t cap, struct err *e);
/* Token scopes by name: "admin" (all the owner's rights), "read", "write". */
const char *scope_name(enum scope s);
int scope_parse(const char *s, enum scope *out);
/* A new token: login NULL = the actor's own; scope NULL = "admin";
 * expires_at NULL/"" = never (else a future YYYY-MM-DD[THH:MM:SSZ]). */
struct token_input {
	const char *login, *name, *scope, *expires_at;
};
int svc_token_create(const struct op *op, const struct token_input *in,
		     char *token, size_t cap, struct token_row *out, struct err *e);

/* May a request on this credential write (writes: the request changes
 * something)?  A read-scope token only reads: 403 otherwise. */
int svc_scope_allows(const struct user *u, int writes, struct err *e);

/* Authenticate a bearer token; CAIRN_EUNAUTH if unknown. */
int svc_auth_token(const struct op *op, const char *token, struct user *out, struct err *e);

/* Check a password and open a session: sid and csrf get hex strings
 * (cap >= 65).  CAIRN_EUNAUTH on a wrong login or password.  Failed
 * logins are counted per account and per client address (client: the
 * peer's address, NULL for none; core/throttle.h): while either is
 * throttled every login, the right password too, is CAIRN_ETOOMANY and
 * *retry_after_s says when to come back. */
int svc_session_login(const struct op *op, const char *login, const char *password,
		      const char *client, struct user *out, char *sid, char *csrf, size_t cap,
		      int64_t *retry_after_s, struct err *e);
int svc_session_auth(const struct op *op, const char *sid, struct user *out, char *csrf,
		     size_t cap, struct err *e);
int svc_session_logout(const struct op *op, const char *sid, struct err *e);
/* A credential as a long-lived reader keeps it (an event stream): its hash
 * (a token's or a session id's), never the secret. */
void svc_credential_hash(const char *secret, char out[65]);
/* 1 while the token (token set) or session of that hash still
 * authenticates at op->now (not revoked, logged out, expired or idle; its
 * user not disabled), 0 once it does not, -1 when that could not be read.
 * Reads only: no touch. */
int svc_credential_live(const struct op *op, int token, const char *hash);
/* Drop the cached idle timeout (after a settings change in this process). */
void svc_session_idle_forget(void);

/* ---- credentials and the audit log (svc_account.c) ---------------------------- */

/* ---- permissions (svc_perm.c, the table in core/perm.c) ------------------------ */

/* a holds p on the credential it came with (NULL: nobody does). */
int svc_may(const struct user *a, enum perm p);
/* 0, or 403 naming who may (and field, when the refusal is about one):
 * the first statement of every operation. */
int svc_allow(const struct user *a, enum perm p, struct err *e);
int svc_allow_field(const struct user *a, enum perm p, const char *field, struct err *e);
/* An admin on a credential of full scope: svc_may(a, P_ADMIN). */
int svc_may_administer(const struct user *a);
/* Tokens: login NULL = the actor's own; "*" = everyone's (administrators). */
int svc_tokens_list(const struct op *op, const char *login,
		    struct token_row **out, size_t *n, struct err *e);
/* Revoke: its owner or an administrator. */
int svc_token_revoke(const struct op *op, int64_t id, struct err *e);
/* An administrator changes a user: role (NULL: unchanged), disabled (< 0
 * unchanged; disabling ends every session).  The last active admin stays. */
int svc_user_change(const struct op *op, const char *login,
		    const char *role, int disabled, struct user *out, struct err *e);
/* Change one's own password (the old one required); the other sessions end
 * (keep_sid: the one in use, NULL for none). */
int svc_password_change(const struct op *op, const char *keep_sid,
			const char *old_password, const char *new_password, struct err *e);
/* An administrator sets a user's password; every session of theirs ends. */
int svc_password_reset(const struct op *op, const char *login,
		       const char *new_password, struct err *e);
/* End sessions: login NULL = the actor's own (all, "log out everywhere"),
 * else an administrator ends that user's.  *n gets how many. */
int svc_sessions_end(const struct op *op, const char *login, int64_t *n,
		     struct err *e);
/* The audit log, newest first (administrators). */
int svc_audit_list(const struct op *op, int64_t before, int limit,
		   struct audit_row **out, size_t *n, struct err *e);

/* ---- administration ---------------------------------------------------------- */

/* Create or migrate the schema (cairn init, and serve at start). */
int svc_db_init(const struct op *op, struct err *e);
/* The schema version, or CAIRN_ESCHEMA/CAIRN_ESTORE when not usable. */
int svc_health(const struct op *op, int *schema, struct err *e);
/* Why writes fail now (a read-only or full database, an I/O error), or 0. */
int svc_degraded(char *reason, size_t cap);
/* "sqlite" or "postgres", for health reports. */
const char *svc_backend(const struct store *st);

/* ---- backup and restore (local, trusted: whoever holds the database) -------- */

/* Write one line (without its newline); 0 or -1 with errno. */
typedef int (*svc_write_fn)(void *ctx, const char *line, size_t len);
/* Read the next line into *line (borrowed until the next call; NULL at the
 * end) without its newline; 0 or -1 on a read error. */
typedef int (*svc_read_fn)(void *ctx, char **line, size_t *len);

/* Stream a full dump (JSON Lines, see svc_backup.c) from one snapshot. */
int svc_backup(const struct op *op, svc_write_fn write, void *ctx, struct err *e);
/* Restore a dump into an empty database (schema created if needed), in one
 * transaction: any bad line leaves the database as it was. */
int svc_restore(const struct op *op, svc_read_fn read_line, void *ctx, struct err *e);

/* Initialize libsodium once per process (main calls it). */
int svc_init(void);

/* ---- estimation sessions: planning poker (svc_estimation.c) ----------------- */

#include "core/estimation.h"

#define EST_ITEMS_MAX 50
#define EST_PEOPLE_MAX 50
/* A vote the reader may not see yet (another voter's, before the reveal). */
#define VOTE_HIDDEN (-1)

enum est_input_bit { EST_IN_TITLE = 1, EST_IN_MODE = 2, EST_IN_STAGE = 4, EST_IN_CLOSES = 8 };
struct est_input {
	unsigned set; /* which of the texts were given (the service reads NULL as not) */
	const char *title, *mode, *stage, *closes_at; /* NULL: the default */
	const int64_t *issues;
	size_t nissues;
	const char *const *participants;
	size_t nparticipants;
};

/* A session as one reader may see it: only the items they may see, and
 * the value of a vote only once its round is revealed (or it is theirs). */
struct est_view {
	struct est_session s;
	struct est_person *people;
	size_t npeople;
	struct est_item *items;
	size_t nitems;
	struct est_vote *votes; /* of the items above; size VOTE_HIDDEN when not shown */
	size_t nvotes;
	int64_t reader_id;
	int can_facilitate, can_vote, voting_open, deadline_passed;
};
void est_view_release(struct est_view *v);
/* Round r of item it is revealed (by the facilitator, or the deadline). */
int est_round_revealed(const struct est_view *v, const struct est_item *it, int r);

enum est_action { EST_VOTE, EST_REVEAL, EST_REVOTE, EST_FINAL };

int svc_est_create(const struct op *op, const struct est_input *in,
		   struct est_view *out, struct err *e);
int svc_est_get(const struct op *op, int64_t id, struct est_view *out,
		struct err *e);
/* status NULL/"": any; at most 200, open first then newest first. */
int svc_est_list(const struct op *op, const char *status,
		 struct est_session **out, size_t *n, struct err *e);
/* The item a live session is on (number 0: none); if_match < 0: no check. */
int svc_est_current(const struct op *op, int64_t id, int64_t number,
		    int64_t if_match, struct est_view *out, struct err *e);
int svc_est_close(const struct op *op, int64_t id, struct est_view *out,
		  struct err *e);
/* A vote (size "XS".."XXL" or "?"), a reveal, a new round, or the final
 * size of issue number in session id. */
int svc_est_act(const struct op *op, int64_t id, int64_t number,
		enum est_action act, const char *size, struct est_view *out, struct err *e);
int svc_est_history(const struct op *op, int64_t id,
		    struct history_list *out, struct err *e);

/* ---- the event stream (svc_estimation.c) -------------------------------------- */

/* Called after a commit that added events (the HTTP layer wakes its
 * broker); NULL: nobody listens (the CLI). */
void svc_events_on_commit(void (*fn)(void));
/* May this user see this event (the private-issue rule). */
int svc_event_visible(const struct event_row *ev, int64_t user_id, enum role role);
int svc_events_since(const struct op *op, int64_t after, int limit, struct event_row **out,
		     size_t *n, struct err *e);
int svc_events_last(const struct op *op, int64_t *id, struct err *e);

/* ---- comments on issues (svc_comment.c) ---------------------------------- */

/* A comment's body: markdown, 1 to BODY_MAX bytes of UTF-8, not blank.
 * Mentions (@login of an active user) and references (#N of an existing
 * issue) are derived from it on every write (core/comment.h). */

/* The comments of issue number, oldest first (deleted ones as
 * placeholders).  Invisible issue: CAIRN_ENOTFOUND. */
int svc_comment_list(const struct op *op, int64_t number, struct comment_list *out,
		     struct err *e);
int svc_comment_get(const struct op *op, int64_t id, struct comment *out, struct err *e);
/* A new comment by actor on issue number; *out gets it as stored. */
int svc_comment_add(const struct op *op, int64_t number, const char *body, struct comment *out,
		    struct err *e);
/* Replace the body (the author only: CAIRN_EFORBIDDEN for others); the old
 * and new text go into the comment's history.  if_match < 0: no version
 * check.  A deleted comment is CAIRN_ECONFLICT. */
int svc_comment_edit(const struct op *op, int64_t id, const char *body, int64_t if_match,
		     struct comment *out, struct err *e);
/* Soft delete by the author or an admin: the placeholder stays, the text,
 * history, mentions and references go. */
int svc_comment_delete(const struct op *op, int64_t id, int64_t if_match, struct err *e);
/* The edits of a comment, oldest first (field "body", old and new text). */
int svc_comment_history(const struct op *op, int64_t id, struct history_list *out,
			struct err *e);
/* The comments on other issues that reference issue number (#N), on issues
 * actor may see, oldest first; *out malloc'd, caller frees. */
int svc_issue_back_refs(const struct op *op, int64_t number, struct back_ref **out, size_t *n,
			struct err *e);

/* ---- watchers and the notification inbox (svc_notify.c) ---------------------- */

#define NOTIFY_PAGE 50 /* notifications per page of the inbox */

/* Who watches an issue, as its reader sees it. */
struct watch_state {
	int watching;         /* the reader watches it */
	struct watcher *list; /* owned: the active watchers by login */
	size_t n;
};
void watch_state_release(struct watch_state *w);

/* The inbox of actor, newest first: page (1-based) of NOTIFY_PAGE, only the
 * unread ones if unread; *more says a further page exists, *unread_count
 * the unread ones in all.  Notifications about issues actor may no longer
 * see are left out.  *out malloc'd, caller frees. */
int svc_notify_list(const struct op *op, int unread, int64_t page, struct notification **out,
		    size_t *n, int *more, int64_t *unread_count, struct err *e);
int svc_notify_count(const struct op *op, int64_t *unread, struct err *e);
/* Mark actor's notifications ids[0..n) read (all: every one); a missing or
 * hidden id is CAIRN_ENOTFOUND and marks none.  *unread: what is left. */
int svc_notify_read(const struct op *op, const int64_t *ids, size_t n, int all, int64_t *unread,
		    struct err *e);
/* Actor watches (on) or stops watching issue number; *out gets the state
 * afterwards. */
int svc_watch(const struct op *op, int64_t number, int on, struct watch_state *out,
	      struct err *e);
int svc_watchers(const struct op *op, int64_t number, struct watch_state *out, struct err *e);

/* ---- the home page of a user (svc_home.c) ---------------------------------- */

#define HOME_LIST_MAX 20
#define HOME_DUE_SOON_DAYS 14
/* What waits for the actor, read in one transaction, every list as they
 * may see it.  A part whose permission they lack is left empty with its
 * may_* flag 0 (the page leaves that part out). */
struct home_view {
	struct issue_list assigned; /* open, assigned to them, newest activity first */
	int64_t assigned_total;
	struct back_ref *mentions; /* newest first */
	size_t nmentions;
	int may_publish, may_decide, may_strategy, may_vote, may_private;
	struct changelog_list in_review; /* may_publish */
	int64_t in_review_total;
	struct decision_list decisions_due; /* may_decide */
	int64_t decisions_due_total;
	int strategy_overdue; /* may_strategy: a document exists and its review is due */
	int64_t strategy_reviewed_at, strategy_review_due;
	struct est_session *estimations; /* open sessions waiting for their vote */
	size_t nestimations;
	struct issue_list overdue, due_soon; /* may_private: security issues */
	struct milestone_view milestone;     /* has_milestone: the one in progress */
	int has_milestone;
	struct forecast_view forecast; /* of that milestone */
	double velocity; /* of the team (-1: none yet) */
	int64_t now;
	struct notification *watching; /* changes to issues they watch, newest first */
	size_t nwatching;
};
void home_view_release(struct home_view *h);
int svc_home(const struct op *op, struct home_view *out, struct err *e);

/* ---- notification email (svc_mail.c) -------------------------------------- */
#include "core/mail.h"

#define MAIL_KINDS_MAX 32

/* A user's email choices: their address ("" none), each kind of the table
 * (core/mail.h) with the mode in force (chosen, or its default), and
 * whether an admin has set mail up (enabled). */
struct mail_prefs_view {
	char address[256];
	size_t n;
	struct {
		const struct mail_kind *kind;
		int mode;   /* enum mail_mode */
		int chosen; /* 0: the default */
	} kinds[MAIL_KINDS_MAX];
	int enabled;
};

/* A change of one's own choices: address when set_address (NULL or "":
 * forget it), and kinds[0..n) each to a mode by name. */
struct mail_prefs_input {
	int set_address;
	const char *address;
	size_t n;
	struct {
		const char *kind, *mode;
	} kinds[MAIL_KINDS_MAX];
};

int svc_mail_prefs(const struct op *op, struct mail_prefs_view *out, struct err *e);
/* Everything is checked before anything is written: a bad address, an
 * unknown kind or mode is CAIRN_EINVALID (field "email" or "kinds.<kind>")
 * and changes nothing.  *out: the choices after the change. */
int svc_mail_prefs_set(const struct op *op, const struct mail_prefs_input *in,
		       struct mail_prefs_view *out, struct err *e);

/* The SMTP settings as an admin sees them: never the password, only
 * whether one is set; and the queue's counts by state (pending, sent,
 * failed, dropped). */
struct mail_settings {
	char smtp_url[512], username[256], from[256], base_url[512];
	int password_set, digest_hour;
	int64_t queue[4];
};
/* NULL fields stay; "" clears; digest_hour -1 stays. */
struct mail_settings_input {
	const char *smtp_url, *username, *password, *from, *base_url;
	int digest_hour;
};
int svc_mail_settings(const struct op *op, struct mail_settings *out, struct err *e);
int svc_mail_settings_set(const struct op *op, const struct mail_settings_input *in,
			  struct mail_settings *out, struct err *e);

/* The sender: send up to limit due mails, each after reading its
 * notifications with the recipient's rights at that moment (a mail with
 * nothing left they may see is dropped, not sent); failures retry with
 * exponential backoff (CAIRN_MAIL_RETRY_MS, default 30 s; 8 attempts).
 * Nothing happens while SMTP is not set up.  *sent: mails attempted. */
int svc_mail_run(const struct op *op, int limit, int *sent, struct err *e);
/* Queue the daily digests due at op->now (core/mail.h: mail_digest_due):
 * per user, one mail with their unread notifications of the kinds they
 * get as a digest that no mail told of yet.  op->actor NULL (the server's
 * worker) or an admin.  *queued: digests queued. */
int svc_mail_digests(const struct op *op, int *queued, struct err *e);
/* ---- saved views of the issue list (svc_view.c) ------------------------------ */

/* A view's fields as given: NULL / -1 leave one as it is (on create: "",
 * all columns, personal).  columns are borrowed. */
struct view_input {
	const char *name, *query, *sort;
	char **columns;
	int ncolumns; /* -1: not given */
	int shared;   /* -1: not given */
};

/* The views the actor sees (their own, then the shared ones); with
 * counts, each view's capped issue count under the actor's visibility
 * (count_error when its query no longer runs).  Caller frees *out. */
int svc_views_list(const struct op *op, int counts, struct saved_view **out, size_t *n,
		   struct err *e);
/* Create (id 0) or change view id; *out gets it as stored.  The rules are
 * at the top of svc_view.c. */
int svc_view_save(const struct op *op, int64_t id, const struct view_input *in,
		  struct saved_view *out, struct err *e);
int svc_view_delete(const struct op *op, int64_t id, struct err *e);
/* The view the actor calls name: their own first, then a shared one;
 * CAIRN_ENOTFOUND (field "view") when none. */
int svc_view_find(const struct op *op, const char *name, struct saved_view *out, struct err *e);
/* The view's query and sort as one q text; -1 if it does not fit cap. */
int svc_view_query_text(const struct saved_view *v, char *buf, size_t cap);

/* ---- GitHub (svc_github.c; docs/github.md) ------------------------------------ */

/* A repository's settings; a bit in set says the field was given. */
enum { GH_IN_FULL_NAME = 1, GH_IN_SECRET = 2, GH_IN_TOKEN = 4, GH_IN_AREA = 8 };
struct gh_repo_input {
	unsigned set;
	const char *full_name, *secret, *token; /* borrowed; token "" or NULL clears it */
	int64_t area;                           /* 0: the whole product */
};
/* Admins: add, change, remove and list repositories (secrets and tokens
 * are kept, never shown), map GitHub logins onto users (login NULL or ""
 * removes the mapping), list the latest deliveries (limit 1..500). */
int svc_gh_repo_add(const struct op *op, const struct gh_repo_input *in, struct gh_repo *out,
		    struct err *e);
int svc_gh_repo_update(const struct op *op, int64_t id, const struct gh_repo_input *in,
		       struct gh_repo *out, struct err *e);
int svc_gh_repo_delete(const struct op *op, int64_t id, struct err *e);
int svc_gh_repo_list(const struct op *op, struct gh_repo **out, size_t *n, struct err *e);
int svc_gh_login_set(const struct op *op, const char *github, const char *login, struct err *e);
int svc_gh_login_list(const struct op *op, struct gh_login **out, size_t *n, struct err *e);
int svc_gh_deliveries(const struct op *op, int64_t limit, struct gh_delivery **out, size_t *n,
		      struct err *e);
/* The GitHub side of issue_id inside the caller's transaction (zeroed
 * when it has none). */
int svc_gh_issue_link(const struct op *op, int64_t issue_id, struct gh_link *out, struct err *e);

/* What a webhook delivery did: status 200 (applied, unchanged, ping,
 * duplicate) or 202 (ignored: an event or action Cairn does not map). */
struct gh_result {
	int status;
	char result[16]; /* applied unchanged ignored ping duplicate failed */
	int64_t delivery;
};
/* A delivery from GitHub (no actor needed: the signature authenticates
 * it).  CAIRN_EUNAUTH, nothing stored, when signature is not the
 * HMAC-SHA256 of body under the secret of the repository it names.  A
 * GUID seen before answers "duplicate" and changes nothing (unless it
 * failed then: it runs again).  A payload that cannot be applied is
 * recorded as failed and its error returned; nothing else is written. */
int svc_gh_receive(const struct op *op, const char *event, const char *guid,
		   const char *signature, const char *body, size_t len, struct gh_result *out,
		   struct err *e);
/* Admins: run a recorded delivery again. */
int svc_gh_reprocess(const struct op *op, int64_t id, struct gh_result *out, struct err *e);

/* Import: the JSON GitHub's REST API returns for a repository's issues. */
struct gh_import_error {
	int64_t number; /* GitHub's number, 0 when unreadable */
	size_t index;   /* 0-based position in the file */
	char message[300];
};
struct gh_import_result {
	char repo[GH_NAME_MAX + 1];
	size_t total, pulls, created, updated;
	int repo_created;
	struct gh_import_error *errors; /* owned */
	size_t nerrors, cap;
};
void gh_import_result_release(struct gh_import_result *r);
typedef void (*gh_progress_fn)(void *ctx, size_t done, size_t total);
/* Import every issue of text (an array, or arrays back to back as `gh api
 * --paginate` writes them) for repo_name (NULL: from the issues' URLs).
 * Pull requests are skipped; unreadable items are listed in out->errors and
 * skipped; the others are written in one transaction (all or none).  A
 * known issue is updated, never duplicated. */
int svc_gh_import(const struct op *op, const char *text, size_t len, const char *repo_name,
		  gh_progress_fn progress, void *pctx, struct gh_import_result *out,
		  struct err *e);

/* Sync out (svc_github_sync.c): make up to limit due calls to GitHub
 * (the server's worker; *sent: how many were tried). */
int svc_gh_sync_run(const struct op *op, int limit, int *sent, struct err *e);
/* Admins: the newest queued calls (limit 1..500), without bodies. */
int svc_gh_outbox(const struct op *op, int64_t limit, struct gh_call **out, size_t *n,
		  struct err *e);

/* The GitHub side of issue number as actor may see it: its link
 * (link.issue_id 0: none) and its queued calls by state (pending, done,
 * failed). */
struct gh_issue_view {
	struct gh_link link;
	int64_t calls[3];
};
int svc_gh_issue_github(const struct op *op, int64_t number, struct gh_issue_view *out,
			struct err *e);

#endif
