/*
 * model.h — the data Cairn stores, as the service and its callers see it:
 * users, credentials, issues' lists and the rows of every other table.
 * Types only; the operations on a database are in store.h, which the
 * service alone includes (http/ and cmd/ see these through service.h).
 */
#ifndef CAIRN_MODEL_H
#define CAIRN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/issue.h"
#include "core/query.h"
#include "core/view.h"

struct store;

#define NAME_MAX_LEN 128

/* What a credential allows of its owner's rights: a session, the local
 * CLI and a token of scope "admin" everything (SCOPE_ALL, the zero value);
 * "read" only reads; "write" all but administration (users, tokens of
 * others, webhooks, the audit log). */
enum scope { SCOPE_ALL = 0, SCOPE_READ = 1, SCOPE_WRITE = 2 };

struct user {
	int64_t id;
	char login[LOGIN_MAX + 1];
	char name[NAME_MAX_LEN + 1];
	enum role role;
	int64_t created_at;
	int64_t disabled_at; /* 0: active */
	enum scope scope;    /* of the credential this request came with */
};

/* Who is looking: the store filters private (security) issues with it.
 * all_private = 1 sees every issue; otherwise only those the user reported.
 * Issues read for such a viewer also show a private parent they cannot see
 * as no parent, unless raw is set (reads that will be written back). */
struct visibility {
	int64_t user_id;
	int all_private;
	int raw;
};

struct history_entry {
	int64_t id;
	char *actor;     /* owned login */
	int64_t at;      /* unix ms */
	char *field;     /* owned */
	char *old_value; /* owned, NULL = none */
	char *new_value; /* owned, NULL = none */
};

struct history_list {
	struct history_entry *items;
	size_t n;
};
void history_list_release(struct history_list *l);

struct issue_list {
	struct issue *items;
	size_t n;
	int capped; /* store_issue_list: more match than the query's count_cap */
	int timed;  /* svc_issue_list: the query depends on the clock (uses_now) */
};
void issue_list_release(struct issue_list *l);

struct token_row {
	int64_t id, user_id, created_at, expires_at, last_used_at; /* 0: none */
	enum scope scope;
	char name[NAME_MAX_LEN + 1];
	char login[LOGIN_MAX + 1];
};

struct audit_row {
	int64_t id, at;
	char actor[LOGIN_MAX + 1], target[LOGIN_MAX + 1]; /* "" when none */
	char action[32];
	char detail[256];
};

struct triage_stats {
	int64_t inbox_size;   /* open issues in the inbox the viewer can see */
	int64_t median_ms;    /* median time to triage since `since`; -1 if none */
	int64_t sla_breaches; /* open security issues past their fix-by date */
};

/* What a close reason or history row says instead of a hidden number. */
#define PRIVATE_DUPLICATE "duplicate of a private issue"
#define PRIVATE_ISSUE "a private issue"

#include "core/insight.h"

struct insight_list {
	struct insight *items;
	size_t n;
};
void insight_list_release(struct insight_list *l);

/* The issues an insight is linked to, as v may see them. */
struct insight_link {
	int64_t insight_id;
	int64_t issue_number;
	int importance, type, state;
	char *title; /* owned */
};
void insight_links_free(struct insight_link *l, size_t n);
/* The issues a customer's insights are linked to, as v may see them, with
 * the strongest importance; *out malloc'd, caller frees. */
struct customer_issue {
	int64_t number;
	int type, state, board, importance;
	char title[TITLE_MAX + 1];
};

/* One linked ask of an open issue v may see, for ranking the backlog. */
struct backlog_ask {
	int64_t issue_id, issue_number;
	int issue_type, issue_size; /* effective size in points, 0 = unsized */
	char issue_title[TITLE_MAX + 1];
	int64_t insight_id;
	char insight_title[TITLE_MAX + 1];
	int importance;
	int64_t captured_at;
	int64_t customer_id; /* 0 = none */
	char customer[CUSTOMER_NAME_MAX + 1];
	char tier[TIER_MAX + 1];
	int64_t arr;
	int strategic;
	int64_t linked_at;
	int rice_reach, rice_impact, rice_confidence; /* the issue's hand-set inputs */
};

#include "core/plan.h"

#define DESCRIPTION_MAX 1024

/* Boards: dev = 0 the product board (column = enum board), 1 the
 * development board (column = enum dev_status).  milestone > 0 limits the
 * development board to one milestone.  Points are effective sizes. */
struct board_count {
	int64_t count, points;
};

/* Read-modify-write on PostgreSQL: READ COMMITTED lets two writers read
 * the same row and the later write undo the earlier, so a write
 * operation locks what it is about to read and write back, first thing
 * in its transaction.  No-ops on SQLite, whose writer holds the whole
 * database.  A missing row is not an error here (the read reports it). */
enum store_row {
	ROW_ISSUE,     /* by number */
	ROW_MILESTONE, /* by id, and so on */
	ROW_INSIGHT,
	ROW_OBJECTIVE,
	ROW_KEY_RESULT,
	ROW_PILLAR,
	ROW_CUSTOMER,
	ROW_PERSONA,
};

/* Failed logins per key (store_sql.c). */
struct throttle_row {
	int failures;
	int64_t last_at, locked_until;
};

/* Sized items with sized children (double booking), as v sees them. */
struct double_booking {
	int64_t number, epic; /* epic: the parent when it is an epic, else 0 */
	int type, points, children_points;
	char title[TITLE_MAX + 1];
	int64_t children[32];
	int nchildren;
};
/* At most DOUBLE_BOOKED_MAX are listed (by number); *total counts all. */
#define DOUBLE_BOOKED_MAX 500

struct area_rollup {
	int64_t area;
	int epics, points, done;
};

struct pillar {
	int64_t id;
	char name[NAME_MAX_LEN + 1];
	char description[DESCRIPTION_MAX + 1];
	int64_t created_at;
	int target_share; /* percent of shipped points the strategy intends; -1 none */
};
struct area {
	int64_t id, pillar_id;
	char name[NAME_MAX_LEN + 1];
	char description[DESCRIPTION_MAX + 1];
	int64_t created_at;
};

struct milestone {
	int64_t id;
	char title[TITLE_MAX + 1];
	int64_t start_day, due_day;
	int capacity;
	int64_t created_at;
};

struct scope_item {
	int64_t milestone_id, issue_id, number;
	char title[TITLE_MAX + 1];
	int type, state, dev_status;
	char assignee[LOGIN_MAX + 1];
	char slip_reason[256];
	struct scope_row row; /* times and the effective points */
};

enum cl_state { CL_DRAFT = 0, CL_IN_REVIEW = 1, CL_APPROVED = 2, CL_PUBLISHED = 3 };

struct cl_author {
	char *handle;    /* owned */
	int64_t user_id; /* 0 = not a user of this Cairn (an imported handle) */
};
struct cl_link {
	char *ref;        /* owned: "#12" or an external URL, as written */
	int64_t issue_id; /* 0 = not a Cairn issue */
	int64_t number;   /* the issue's number (0 = none) */
	char *title;      /* owned issue title or NULL */
	int type, state, severity;
};
struct changelog_row {
	int64_t id, milestone_id, created_by, approved_by;
	int64_t date_at, created_at, updated_at, published_at, version;
	int state, date_set;
	char *slug, *title, *description, *body, *body_html; /* owned */
	char *tags;                                         /* owned, one per line */
	char *milestone, *created_by_login, *approved_by_login; /* owned or NULL */
	struct cl_author *authors;
	size_t nauthors;
	struct cl_link *links; /* only those the reader may see */
	size_t nlinks;
	int64_t open_comments;
};
void changelog_row_release(struct changelog_row *r);
struct changelog_list {
	struct changelog_row *items;
	size_t n;
};
void changelog_list_release(struct changelog_list *l);

struct cl_comment {
	int64_t id, entry_id, parent_id, created_at, resolved_at;
	char *author, *resolved_by, *body; /* owned (logins may be NULL) */
};
void cl_comments_free(struct cl_comment *c, size_t n);

/* The customers and insights behind issues (ids), as v may see the
 * issues: one row per (customer, insight), by customer name then insight. */
struct cl_ask {
	int64_t customer_id, insight_id, answered_at, arr;
	int strategic, state;
	char *customer, *tier, *insight_title, *answered_by; /* owned */
};
void cl_asks_free(struct cl_ask *a, size_t n);
/* Published entries linked to a customer's insights' issues (v's view),
 * newest first: entry id, slug, title, published_at. */
struct cl_shipped {
	int64_t entry_id, published_at, date_at;
	char *slug, *title; /* owned */
};
void cl_shipped_free(struct cl_shipped *s, size_t n);

/* Outgoing hooks. */
struct hook {
	int64_t id, created_at;
	char url[1024];
	char secret[256];
};
struct hook_delivery {
	int64_t id, hook_id, entry_id, next_at, created_at, updated_at;
	int state, attempts, status;
	char *event, *payload, *error, *url, *secret; /* owned */
};
void hook_deliveries_free(struct hook_delivery *d, size_t n);

/* A GitHub repository Cairn listens to (its secret and token never leave
 * the service: replies say only whether they are set). */
#define GH_NAME_MAX 140 /* "owner/name" */
struct gh_repo {
	int64_t id, gh_id, area_id, created_at, updated_at; /* gh_id, area_id 0: none */
	char full_name[GH_NAME_MAX + 1];
	char secret[256];
	char token[256];
	char area[TITLE_MAX + 1]; /* the area's name when area_id */
};
/* A GitHub login mapped onto a Cairn user. */
struct gh_login {
	char login[LOGIN_MAX + 1];
	char user[LOGIN_MAX + 1];
	int64_t user_id;
};
/* The GitHub side of an issue. */
struct gh_link {
	int64_t issue_id, repo_id, gh_number, deleted_at;
	char repo[GH_NAME_MAX + 1];
	char url[512];
	char assignees[512]; /* GitHub logins, comma-separated, as GitHub has them */
};
/* One webhook delivery as received (body NULL in lists). */
struct gh_delivery {
	int64_t id, repo_id, received_at, processed_at;
	int attempts;
	char guid[80];
	char repository[GH_NAME_MAX + 1];
	char event[64], action[64], result[16];
	char message[512];
	char *body; /* owned */
};
void gh_deliveries_free(struct gh_delivery *d, size_t n);
/* One queued call to GitHub (with its repository's name and token when
 * read for sending). */
struct gh_call {
	int64_t id, repo_id, issue_id, next_at, created_at, updated_at;
	int state, attempts, status; /* state 0 pending, 1 done, 2 failed */
	char kind[16], method[8];
	char path[300];
	char error[256];
	char repo[GH_NAME_MAX + 1];
	char token[256];
	char *body; /* owned */
};
void gh_calls_free(struct gh_call *c, size_t n);

#define STRAT_NONE INT64_MIN /* an unset day or number */

struct strategy_version {
	int64_t id, created_at, bytes;
	char *body;   /* owned; NULL in lists */
	char *author; /* owned login or NULL */
	char *note;   /* owned */
};
void strategy_versions_free(struct strategy_version *v, size_t n);

struct objective {
	int64_t id, created_at, updated_at;
	char title[TITLE_MAX + 1];
	char description[DESCRIPTION_MAX + 1];
	char period[65];
};
struct key_result {
	int64_t id, objective_id, created_at;
	int64_t baseline, target, current, measured_at; /* thousandths; current STRAT_NONE = none */
	char metric[TITLE_MAX + 1];
};
/* Links: objective <-> pillar, initiative <-> objective, as (a, b) pairs. */
struct id_pair {
	int64_t a, b;
};

struct initiative {
	int64_t id, owner_id, pillar_id, position, created_at, updated_at, version;
	int64_t start_day, target_day; /* STRAT_NONE = unset */
	int horizon, status, health, is_public;
	char title[TITLE_MAX + 1];
	char description[DESCRIPTION_MAX + 1];
	char owner[LOGIN_MAX + 1];      /* "" = none */
	char pillar[NAME_MAX_LEN + 1];  /* "" = none */
};
struct initiative_update {
	int64_t id, initiative_id, at;
	int health;
	char *author, *text; /* owned */
};
void initiative_updates_free(struct initiative_update *u, size_t n);
/* The customers behind each initiative's issues (their trees, as v sees
 * them): one row per (initiative, customer), the biggest ARR first. */
struct initiative_demand {
	int64_t initiative_id, customer_id, arr, insights;
	int strategic;
	char name[CUSTOMER_NAME_MAX + 1];
	char tier[TIER_MAX + 1];
};
/* Done items since since_ms that v sees (not epics), with the points that
 * count (0 when a sized parent already counts them), for allocation. */
struct done_item {
	int64_t number, milestone_id, done_at;
	int type, points;
};

struct strategy_change {
	int64_t id, at;
	char *actor, *object, *field, *old_value, *new_value; /* owned (may be NULL) */
};
void strategy_changes_free(struct strategy_change *c, size_t n);

enum decision_status { DEC_PROPOSED = 0, DEC_ACCEPTED = 1, DEC_REJECTED = 2, DEC_SUPERSEDED = 3 };
enum decision_role { RACI_RESPONSIBLE = 0, RACI_ACCOUNTABLE = 1, RACI_CONSULTED = 2, RACI_INFORMED = 3 };
enum decision_link_kind { DLINK_ISSUE = 0, DLINK_INITIATIVE = 1, DLINK_INSIGHT = 2 };

struct decision {
	int64_t id, decided_at, review_day, supersedes, superseded_by, created_by;
	int64_t created_at, updated_at, version; /* review_day STRAT_NONE = none */
	int status;
	char *title, *context, *options, *decision, *consequences; /* owned; options JSON */
	char *snapshot;  /* owned JSON or NULL */
	char *creator;   /* owned login or NULL */
};
void decision_release(struct decision *d);
struct decision_list {
	struct decision *items;
	size_t n;
};
void decision_list_release(struct decision_list *l);
struct decision_person {
	int role;
	int64_t user_id;
	char login[LOGIN_MAX + 1];
};
struct decision_link {
	int kind;
	int64_t target_id;
	int64_t number; /* issues: the number */
	int state;      /* issues: the state */
	char title[TITLE_MAX + 1];
};

struct feature_tier {
	int64_t issue_id, number, set_at, milestone_id;
	int type, state;
	char tier[33];
	char title[TITLE_MAX + 1];
	char rationale[1001];
	char set_by[LOGIN_MAX + 1];
};
/* One ask behind a feature: its buyer level (0 none), the customer and
 * their tier ("" none). */
struct tier_ask {
	int64_t issue_id, number, customer_id, arr;
	int buyer_level;
	char customer[CUSTOMER_NAME_MAX + 1];
	char tier[TIER_MAX + 1];
};
/* The tier changes (issue history, field "tier") between from and to. */
struct tier_move {
	int64_t number, at;
	char from[33], to[33];
	char title[TITLE_MAX + 1];
};

/* Items v sees finished since since_ms after a start of work (not epics),
 * with their effective size: cycle_items[k] = {points, started_day, done_day}. */
struct cal_item;

enum store_col_type { COL_INT, COL_TEXT };
#define DUMP_MAX_COLS 48 /* columns of the widest dumped table, with room */

/* One value of a dumped row; s is borrowed. */
struct store_value {
	int is_null;
	int64_t i;
	const char *s;
};

/* A table as it appears in a dump: its columns in order, the integer key
 * the rows are ordered and paged by, and an optional second (text) order
 * column.  Derived columns (the folded title) are not dumped. */
struct dump_table {
	const char *name;
	const char *key;
	const char *then_by;
	const char *const *cols;
	const enum store_col_type *types;
	int ncols;
};

/* Stream every row of every dump table to fn, each table ordered by its
 * key (then then_by in byte order), in pages so memory stays flat.  Run it
 * inside a read transaction for a consistent snapshot. */
typedef int (*store_dump_fn)(void *ctx, const struct dump_table *t, const struct store_value *row);

struct est_session {
	int64_t id, facilitator_id, closes_at, current_issue, created_at, updated_at, version;
	int mode, stage, status;
	int items, estimated; /* lists: the items the reader sees, those with a final size */
	char title[TITLE_MAX + 1];
	char facilitator[LOGIN_MAX + 1];
};
struct est_item {
	int64_t issue_id, number, reporter_id, final_by_id, final_at;
	int type, state, position, round, revealed_round, final_size, final_cto, size, pm_size;
	char title[TITLE_MAX + 1];
	char final_by[LOGIN_MAX + 1];
};
struct est_vote {
	int64_t issue_id, user_id, voted_at;
	int round, size;
	char login[LOGIN_MAX + 1];
};
struct est_person {
	int64_t user_id;
	int role;
	char login[LOGIN_MAX + 1];
};

struct event_row {
	int64_t id, at, owner_id;
	int private_;
	char topic[64];
	char kind[48];
	char *data; /* owned JSON text */
};
void event_rows_release(struct event_row *rows, size_t n);

/* ---- comments on issues (store_comment.c) ---- */

/* An issue a comment references (#N), as its reader may see it. */
struct comment_ref {
	int64_t number;
	char title[TITLE_MAX + 1];
};
struct comment {
	int64_t id, issue_id, issue_number, author_id, deleted_by_id;
	char author[LOGIN_MAX + 1];     /* "" when the user is gone */
	char deleted_by[LOGIN_MAX + 1]; /* "" unless deleted */
	char *body, *body_html;         /* owned; "" once deleted */
	int64_t created_at, updated_at, deleted_at, version;
	int edits; /* how many times the text changed */
	char (*mentions)[LOGIN_MAX + 1]; /* owned: the mentioned logins, sorted */
	size_t nmentions;
	struct comment_ref *refs; /* owned: the referenced issues the reader may see */
	size_t nrefs;
};
struct comment_list {
	struct comment *items;
	size_t n;
};
void comment_release(struct comment *c);
void comment_list_release(struct comment_list *l);

/* A comment on another issue, or another issue's body, that mentions an
 * issue ("mentioned in #M"). */
struct back_ref {
	int64_t number, comment_id, at; /* the issue; its comment (0: its body); when written */
	char title[TITLE_MAX + 1];
	char author[LOGIN_MAX + 1];
};

/* ---- watchers and notifications (store_notify.c) ---- */

/* A user who watches an issue, since when. */
struct watcher {
	struct user user;
	int64_t since;
};

/* One notification of the inbox, with its issue as its reader sees it. */
struct notification {
	int64_t id, issue_number, at, read_at; /* read_at 0: unread */
	char kind[16];                         /* comment, mention, assigned, state, changed */
	char actor[LOGIN_MAX + 1];             /* "" when none or gone */
	char title[TITLE_MAX + 1];
	char detail[64]; /* the comment id (comment, mention), the new state (state),
			  * ";" and the fields that changed (state, changed) */
};

/* Notification email (store_mail.c). */
struct mail_account {
	int64_t user_id, since, last_digest_at; /* last_digest_at 0: never */
	char address[256];
};

struct mail_pref {
	char kind[16];
	char mode[16];
};

/* An outgoing mail of the queue. */
struct mail_job {
	int64_t id, user_id;
	int digest, attempts;
};

/* ---- saved views (store_view.c) ---- */

/* A named issue-list query with its sort and columns (core/view.h). */
struct saved_view {
	int64_t id, owner_id, created_at, updated_at;
	char owner[LOGIN_MAX + 1];
	char name[VIEW_NAME_MAX + 1];
	char query[QUERY_MAX_LEN + 1];
	char sort[VIEW_SORT_MAX + 1];       /* a sort: value, "" = the default */
	char columns[VIEW_COLUMNS_MAX + 1]; /* comma-separated column keys, "" = all */
	int shared;
	/* filled by the service for a listing with counts */
	int64_t count;
	int count_capped, count_error;
};

#endif
