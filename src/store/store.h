/*
 * store.h — the storage interface of Cairn.
 *
 * A `struct store` is one connection to one database.  The service layer
 * is its only caller: it opens a transaction with store_begin, calls the
 * domain operations below, and ends with store_commit or store_rollback.
 * The operations are written once, in portable SQL with `$N` parameters
 * (store_sql.c); each backend (db_sqlite.c, later db_pg.c) is a driver
 * behind the ops table in db.h that owns its dialect: connection set-up,
 * DDL types, statement caching, transactions.  The backend is chosen by
 * the URL scheme (`sqlite:PATH`, a bare path, or `postgres://...`).
 *
 * Conventions: every function returns an enum cairn_rc and fills the
 * optional struct err.  Strings passed in are borrowed.  Structs filled
 * out own their strings; release them with the matching *_release.
 * A connection is used by one thread at a time.
 */
#ifndef CAIRN_STORE_H
#define CAIRN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/issue.h"
#include "core/query.h"
#include "store/model.h"


/* --- connection and schema ------------------------------------------ */

/* Why the database cannot be written, when the last write failed so (a
 * read-only or full database, an I/O error); 0 when writes go through. */
int store_degraded(char *reason, size_t cap);

/* Open a connection for url.  *out is set on success; caller closes. */
int store_open(const char *url, struct store **out, struct err *e);
void store_close(struct store *s);
/* The backend name ("sqlite", "postgres"). */
const char *store_backend(const struct store *s);

/* Apply every migration newer than the database's; refuses with
 * CAIRN_ESCHEMA when the database is newer than this binary. */
int store_migrate(struct store *s, struct err *e);
/* Check the schema is exactly current (for serve): CAIRN_ESCHEMA when the
 * database is newer, CAIRN_ESTORE "run cairn init" when older/empty. */
int store_check_schema(struct store *s, int *version, struct err *e);
int store_schema_latest(void);

/* --- transactions ----------------------------------------------------- */

/* The state of the committed data, as a key for what was read from it:
 * outside a transaction, writes into buf (cap >= 24) a token that differs
 * from every earlier one once a commit (this process's, another
 * process's, another server's) may have changed the data, and is the same
 * while none did.  A reply computed after a call that gave token T may be
 * reused for any later call that gives T.  "" when no token is possible
 * (nothing may then be reused). */
void store_state(struct store *s, char *buf, size_t cap);

/* write != 0 takes the write lock up front (no upgrade deadlocks). */
int store_begin(struct store *s, int write, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);
/* Inside a write transaction: mark a point (one at a time), keep what was
 * done since, or undo it; the transaction goes on either way. */
int store_savepoint(struct store *s, struct err *e);
int store_release(struct store *s, struct err *e);
int store_rollback_to(struct store *s, struct err *e);
/* Whether writes from several connections may share one transaction on
 * one of them (SQLite files: one writer at a time anyway); whether two
 * connections reach the same database. */
int store_group_commit(const struct store *s);
int store_same_db(const struct store *a, const struct store *b);
/* Make s the writer of group commits (SQLite; a no-op elsewhere): a page
 * cache of cache_kib KiB, and every commit synced to disk (synchronous=FULL:
 * a commit survives a power cut, not only a crash; one fsync a group). */
int store_writer_tune(struct store *s, int cache_kib, struct err *e);

/* --- users, tokens, sessions ------------------------------------------ */

/* Insert u (login, name, role) with an argon2id hash; sets u->id.
 * CAIRN_ECONFLICT if the login exists. */
int store_user_insert(struct store *s, struct user *u, const char *pwhash, int64_t now,
		      struct err *e);
int store_user_by_login(struct store *s, const char *login, struct user *out, char *pwhash,
			size_t pwhash_cap, struct err *e);
/* All users ordered by login; *out is malloc'd, caller frees. */
int store_user_list(struct store *s, struct user **out, size_t *n, struct err *e);
/* First admin by id (the local CLI's default actor). */
int store_user_first_admin(struct store *s, struct user *out, struct err *e);

/* --- credentials (store_account.c) --- */

/* Insert; sets t->id. */
int store_token_insert(struct store *s, struct token_row *t, const char *hash, struct err *e);
/* The active user owning an unexpired token hash, with the token's scope
 * in out->scope; *token gets the row.  CAIRN_EUNAUTH if none. */
int store_token_user(struct store *s, const char *hash, int64_t now, struct user *out,
		     struct token_row *token, struct err *e);
/* Last used at now (callers do it at most once a minute). */
int store_token_touch(struct store *s, int64_t id, int64_t now, struct err *e);
/* Tokens of user_id (0: everyone's), newest first. */
int store_token_list(struct store *s, int64_t user_id, struct token_row **out, size_t *n,
		     struct err *e);
int store_token_get(struct store *s, int64_t id, struct token_row *out, struct err *e);
int store_token_delete(struct store *s, int64_t id, struct err *e);

int store_session_insert(struct store *s, int64_t user_id, const char *hash, const char *csrf,
			 int64_t now, int64_t expires, struct err *e);
/* The active user and csrf token of a live session, seen after
 * idle_after; *session_id and *last_seen get its row.  CAIRN_EUNAUTH if
 * none, expired or idle. */
int store_session_user(struct store *s, const char *hash, int64_t now, int64_t idle_after,
		       struct user *out, char *csrf, size_t csrf_cap, int64_t *session_id,
		       int64_t *last_seen, struct err *e);
int store_session_touch(struct store *s, int64_t id, int64_t now, struct err *e);
int store_session_delete(struct store *s, const char *hash, struct err *e);
/* End every session of user_id but the one with keep_hash (NULL: all);
 * *n gets how many. */
int store_sessions_end(struct store *s, int64_t user_id, const char *keep_hash, int64_t *n,
		       struct err *e);

int store_user_set_role(struct store *s, int64_t id, enum role role, struct err *e);
int store_user_set_disabled(struct store *s, int64_t id, int64_t at, struct err *e);
int store_user_set_password(struct store *s, int64_t id, const char *hash, struct err *e);
int store_user_get_id(struct store *s, int64_t id, struct user *out, char *pwhash,
		      size_t pwhash_cap, struct err *e);
/* Active admins. */
int store_admins_active(struct store *s, int64_t *n, struct err *e);

int store_audit_add(struct store *s, int64_t at, int64_t actor_id, const char *action,
		    int64_t target_id, const char *detail, struct err *e);
/* Newest first: at most limit rows with id < before (0: from the newest). */
int store_audit_list(struct store *s, int64_t before, int limit, struct audit_row **out,
		     size_t *n, struct err *e);

/* --- issues ----------------------------------------------------------- */

/* Reserve the next issue number (gap-free when the transaction commits). */
int store_issue_next_number(struct store *s, int64_t *number, struct err *e);
/* Insert i (number already set) with its labels; sets i->id. */
int store_issue_insert(struct store *s, struct issue *i, struct err *e);
/* An issue's type and its parent's number as stored, filtered by
 * visibility like store_issue_get (one small read: a parent chain walk). */
int store_issue_link(struct store *s, int64_t number, const struct visibility *v,
		     enum issue_type *type, int64_t *parent, struct err *e);
/* Fetch by number, filtered by visibility (invisible = CAIRN_ENOTFOUND). */
int store_issue_get(struct store *s, int64_t number, const struct visibility *v,
		    struct issue *out, struct err *e);
/* The type and the parent as stored (0 for none, never masked) of issue
 * number, if v sees it (else CAIRN_ENOTFOUND): what a parent check reads,
 * without the rest of the issue. */
int store_issue_link(struct store *s, int64_t number, const struct visibility *v,
		     enum issue_type *type, int64_t *parent, struct err *e);
/* Write every column of i and bump the version, if the stored version is
 * still expected_version; else CAIRN_ESTALE.  Sets i->version. */
int store_issue_update(struct store *s, struct issue *i, int64_t expected_version,
		       int labels_changed, struct err *e);
/* A page of issues matching q, newest first, and the total count. */
int store_issue_list(struct store *s, const struct issue_query *q, const struct visibility *v,
		     int64_t offset, int64_t limit, struct issue_list *out, int64_t *total,
		     struct err *e);

/* --- triage ------------------------------------------------------------ */

/* Breaches are fix-by times before overdue_before. */
int store_triage_stats(struct store *s, const struct visibility *v, int64_t overdue_before,
		       int64_t since, struct triage_stats *out, struct err *e);
/* Open security issues with a fix-by date before until, soonest first. */
int store_security_due(struct store *s, const struct visibility *v, int64_t until,
		       struct issue_list *out, struct err *e);
/* Open issues assigned to user_id that v sees, newest activity first (at
 * most limit), and how many there are. */
int store_issues_assigned(struct store *s, const struct visibility *v, int64_t user_id,
			  int64_t limit, struct issue_list *out, int64_t *total, struct err *e);

/* Settings: name -> text.  *found = 0 when unset. */
int store_setting_get(struct store *s, const char *name, char *buf, size_t cap, int *found,
		      struct err *e);
int store_setting_set(struct store *s, const char *name, const char *value, struct err *e);
/* Only when the setting does not exist yet (the first writer wins). */
int store_setting_insert_new(struct store *s, const char *name, const char *value, struct err *e);

/* --- history ---------------------------------------------------------- */

int store_history_add(struct store *s, int64_t issue_id, int64_t actor_id, int64_t at,
		      const char *field, const char *old_value, const char *new_value,
		      struct err *e);
int store_history_list(struct store *s, int64_t issue_id, struct history_list *out,
		       struct err *e);
/* hidden[k] = 1 for each numbers[k] that is a private issue v may not see
 * (all 0 for a viewer who sees every issue). */
int store_hidden_numbers(struct store *s, const struct visibility *v, const int64_t *numbers,
			 size_t n, int *hidden, struct err *e);

/* --- customers, personas, insights (store_insight.c) -------------------- */

/* Insert; sets id.  CAIRN_ECONFLICT (field "name") when the name is taken. */
int store_customer_insert(struct store *s, struct customer *c, struct err *e);
/* By id (name NULL) or by name (id 0); CAIRN_ENOTFOUND. */
int store_customer_get(struct store *s, int64_t id, const char *name, struct customer *out,
		       struct err *e);
/* All customers by name; *out malloc'd, caller frees. */
int store_customer_list(struct store *s, struct customer **out, size_t *n, struct err *e);
/* Rewrite name, tier, arr, seats and strategic of customer c->id. */
int store_customer_update(struct store *s, const struct customer *c, struct err *e);
/* The issues a customer's insights are linked to as critical (by id). */
int store_customer_critical_issues(struct store *s, int64_t customer_id, int64_t **ids, size_t *n,
				   struct err *e);
/* Rewrite name, description and buyer level of persona p->id. */
int store_persona_update(struct store *s, const struct persona *p, struct err *e);
int store_persona_insert(struct store *s, struct persona *p, struct err *e);
int store_persona_get(struct store *s, int64_t id, const char *name, struct persona *out,
		      struct err *e);
int store_persona_list(struct store *s, struct persona **out, size_t *n, struct err *e);

int store_insight_insert(struct store *s, struct insight *i, int64_t created_by, struct err *e);
int store_insight_get(struct store *s, int64_t id, struct insight *out, struct err *e);
int store_insight_set_state(struct store *s, int64_t id, int state, int64_t answered_at,
			    struct err *e);
/* Newest first; state < 0 = any, customer_id 0 = any. */
int store_insight_list(struct store *s, int state, int64_t customer_id, int64_t offset,
		       int64_t limit, struct insight_list *out, int64_t *total, struct err *e);

/* Link (or re-weigh) an insight and an issue; unlink: *removed gets 0/1. */
int store_link_set(struct store *s, int64_t insight_id, int64_t issue_id, int importance,
		   int64_t now, struct err *e);
int store_link_delete(struct store *s, int64_t insight_id, int64_t issue_id, int *removed,
		      struct err *e);
/* The insights linked to an issue (importance filled in), newest first. */
int store_issue_insights(struct store *s, int64_t issue_id, struct insight_list *out,
			 struct err *e);
int store_insight_issues(struct store *s, int64_t insight_id, const struct visibility *v,
			 struct insight_link **out, size_t *n, struct err *e);
/* The links of all of a customer's insights, ordered by insight. */
int store_customer_links(struct store *s, int64_t customer_id, const struct visibility *v,
			 struct insight_link **out, size_t *n, struct err *e);
int store_customer_issues(struct store *s, int64_t customer_id, const struct visibility *v,
			  struct customer_issue **out, size_t *n, struct err *e);
/* Which of these issue ids have a critical insight from a strategic
 * customer (the derived "Customer Request" label); flags[k] set to 0/1. */
int store_customer_request(struct store *s, const int64_t *ids, size_t n, int *flags,
			   struct err *e);

/* Mark every insight linked to an issue answered; *n gets how many changed. */
int store_issue_answer(struct store *s, int64_t issue_id, int64_t now, int64_t actor_id,
		       int64_t *n, struct err *e);

/* All asks on open issues, ordered by issue; *out malloc'd, caller frees. */
int store_backlog_asks(struct store *s, const struct visibility *v, struct backlog_ask **out,
		       size_t *n, struct err *e);

/* --- planning: boards, hierarchy, milestones (store_plan.c) --------------- */

/* counts[column] for every column (9 product, 8 dev with [0] unused), or
 * only for one column when only >= 0. */
int store_board_counts(struct store *s, const struct visibility *v, int dev, int64_t milestone,
		       int only, struct board_count *counts, int ncols, struct err *e);
/* The product board's tally (migration 21) after an issue is written:
 * was NULL for a new issue.  Rebuild recomputes it from the issues. */
int store_board_tally(struct store *s, const struct issue *was, const struct issue *is,
		      struct err *e);
int store_board_tally_rebuild(struct store *s, struct err *e);
/* out[column][secure] = {issues, points}: the tally, or (recount) a count
 * of the issues themselves. */
int store_board_tally_read(struct store *s, int recount, int64_t out[9][2][2], struct err *e);
/* The triage inbox's tally (migration 23), kept like the board's: after an
 * issue is written (was NULL for a new one), and rebuilt from the issues.
 * Read: its rows with n <> 0, or (recount) a count of the issues
 * themselves, ordered by (secure, reporter_id); caller frees *out. */
struct triage_tally_row {
	int secure;          /* 1: security issues */
	int64_t reporter_id; /* their reporter (0 for public issues) */
	int64_t n;
};
int store_triage_tally(struct store *s, const struct issue *was, const struct issue *is,
		       struct err *e);
int store_triage_tally_rebuild(struct store *s, struct err *e);
int store_triage_tally_read(struct store *s, int recount, struct triage_tally_row **out,
			    size_t *n, struct err *e);
/* A page of one column in board order (done/closed: most recent first). */
int store_board_page(struct store *s, const struct visibility *v, int dev, int column,
		     int64_t milestone, int64_t offset, int64_t limit, struct issue_list *out,
		     struct err *e);
/* Positions within a column: the nearest one above pos (dir > 0) or below
 * it (dir < 0), *found 0 when there is none (INT64_MIN / INT64_MAX give
 * the first and the last); and a shift of every position above `above` by
 * delta. */
int store_position_step(struct store *s, int dev, int column, int64_t pos, int dir,
			int64_t *out, int *found, struct err *e);
int store_position_shift(struct store *s, int dev, int column, int64_t above, int64_t delta,
			 struct err *e);
/* Points of the open items in Todo that count towards its limit (all but
 * security issues), leaving out exclude_id. */
int store_todo_load(struct store *s, int64_t exclude_id, int64_t *points, struct err *e);
/* Inside a write transaction: wait for and hold the board lock, so moves
 * check the Todo limit and take positions one after another (on every
 * server). */
int store_lock_board(struct store *s, struct err *e);

int store_lock_row(struct store *s, enum store_row what, int64_t key, struct err *e);
/* Move every insight link of from_issue to to_issue (those already linked
 * there stay as they are); *moved gets how many moved (store_insight.c). */
int store_links_move(struct store *s, int64_t from_issue, int64_t to_issue, int64_t *moved,
		     struct err *e);
/* The settings (several are read, merged and written back together). */
int store_lock_settings(struct store *s, struct err *e);

/* *out zeroed when the key has no row. */
int store_throttle_get(struct store *s, const char *key, struct throttle_row *out,
		       struct err *e);
int store_throttle_put(struct store *s, const char *key, const struct throttle_row *r,
		       struct err *e);
int store_throttle_clear(struct store *s, const char *key, struct err *e);
/* Forget the keys whose last failure was before `before` and that are not
 * locked at now (a spray of made-up logins must not grow the table). */
int store_throttle_prune(struct store *s, int64_t before, int64_t now, struct err *e);
/* Serializes the writers of login_throttle (PostgreSQL). */
int store_lock_throttle(struct store *s, struct err *e);

/* Hierarchy: the given issues (numbers NULL: every epic linked to an
 * area) and all their descendants v may see (a hidden item hides its
 * subtree; closed won't-do items do not count), as roll-up nodes; *out
 * malloc'd. */
int store_plan_nodes(struct store *s, const struct visibility *v, const int64_t *numbers,
		     size_t n, struct plan_node **out, size_t *nout, struct err *e);
/* The descendants of an issue v may see, ordered by number. */
int store_issue_subtree(struct store *s, const struct visibility *v, int64_t number,
			struct issue_list *out, struct err *e);
/* The types of an issue's direct children that v sees; *out malloc'd. */
int store_child_types(struct store *s, const struct visibility *v, int64_t number, int **out,
		      size_t *n, struct err *e);
int store_double_booked(struct store *s, const struct visibility *v, struct double_booking **out,
			size_t *n, size_t *total, struct err *e);

/* ---- maintained roll-ups (store_rollup.c; issue #12) -------------------------
 * Table rollups holds, per issue and scope (enum rollup_scope), the sums of
 * its children's numbers; a missing row is all zeros.  area_rollups holds,
 * per area and scope, its epics' count and roll-ups.  Both are derived from
 * the issues: service/svc_rollup.c keeps them in step inside every write
 * and rebuilds them from scratch (after migration 12 and a restore). */

/* Whether the tables wait for a rebuild (readers then compute on read). */
int store_rollup_stale(struct store *s, int *stale, struct err *e);
/* Empty both tables (a rebuild starts); clear the stale flag (it ended). */
int store_rollup_reset(struct store *s, struct err *e);
int store_rollup_fresh(struct store *s, struct err *e);
/* Every issue as a roll-up item, by number; *out malloc'd. */
int store_rollup_items(struct store *s, struct rollup_item **out, size_t *n, struct err *e);
/* One issue as a roll-up item; with lock, its row is locked against other
 * writers until the transaction ends (PostgreSQL; SQLite's writer holds
 * the database).  CAIRN_ENOTFOUND when there is no such issue. */
int store_rollup_item(struct store *s, int64_t number, int lock, struct rollup_item *out,
		      struct err *e);
/* 1 when row locks mean anything on this backend (writers run concurrently). */
int store_rollup_locks(const struct store *s);
/* The children's sums of number in scope (zeros when it has none). */
int store_rollup_kids(struct store *s, int64_t number, int scope, struct rollup_sums *out,
		      struct err *e);
/* Add d to number's sums in scope (creating the row) in one atomic
 * statement; *after (optional) gets the sums it made. */
int store_rollup_add(struct store *s, int64_t number, int scope, const struct rollup_sums *d,
		     struct rollup_sums *after, struct err *e);
int store_area_rollup_add(struct store *s, int64_t area, int scope, int epics, int points,
			  int done, struct err *e);
/* For numbers[0..n): the children's sums in scope into kids[k], and (items
 * not NULL) the issue itself into items[k] (number 0 when it does not
 * exist).  No privacy rule: callers pass numbers the reader sees. */
int store_rollup_read(struct store *s, int scope, const int64_t *numbers, size_t n,
		      struct rollup_item *items, struct rollup_sums *kids, struct err *e);
/* Every stored row of scope, by number; both arrays malloc'd. */
int store_rollup_rows(struct store *s, int scope, int64_t **numbers, struct rollup_sums **kids,
		      size_t *n, struct err *e);
int store_area_rollups(struct store *s, int scope, struct area_rollup **out, size_t *n,
		       struct err *e);
/* *yes = 1 when user_id reported an open-or-done (not won't-do) security
 * issue that sits in some tree: a reader who sees private work inside
 * trees that public numbers leave out. */
int store_rollup_sees_own_private(struct store *s, int64_t user_id, int *yes, struct err *e);

/* Insert; sets id.  CAIRN_ECONFLICT (field "name") when taken. */
int store_pillar_insert(struct store *s, struct pillar *p, struct err *e);
int store_pillar_get(struct store *s, int64_t id, struct pillar *out, struct err *e);
int store_pillar_list(struct store *s, struct pillar **out, size_t *n, struct err *e);
int store_area_insert(struct store *s, struct area *a, struct err *e);
int store_area_get(struct store *s, int64_t id, struct area *out, struct err *e);
int store_area_list(struct store *s, struct area **out, size_t *n, struct err *e);
/* The epics linked to areas, as v sees them: area_of[k] and numbers[k]. */
int store_area_epics(struct store *s, const struct visibility *v, int64_t **area_of,
		     int64_t **numbers, size_t *n, struct err *e);

/* CAIRN_ECONFLICT (field "title") when the title is taken. */
int store_milestone_insert(struct store *s, struct milestone *m, struct err *e);
int store_milestone_get(struct store *s, int64_t id, struct milestone *out, struct err *e);
/* All milestones by start day; *out malloc'd. */
int store_milestone_list(struct store *s, struct milestone **out, size_t *n, struct err *e);
int store_milestone_update(struct store *s, const struct milestone *m, struct err *e);
/* Refused (CAIRN_ECONFLICT) while issues are in it; drops its scope rows. */
int store_milestone_delete(struct store *s, int64_t id, struct err *e);

/* Scope rows: an issue joins a milestone at `at` (with its done time and
 * points then), leaves it at `at` (its row keeps the values of that
 * moment).  store_scope_sync keeps an issue's live rows (not left, in a
 * milestone not yet over at now) in step with its done time and points;
 * rows of finished milestones stay as they were. */
int store_scope_join(struct store *s, int64_t milestone_id, int64_t issue_id, int64_t at,
		     int64_t done_at, int points, struct err *e);
int store_scope_leave(struct store *s, int64_t milestone_id, int64_t issue_id, int64_t at,
		      const char *slip_reason, int64_t done_at, int points, struct err *e);
int store_scope_sync(struct store *s, int64_t issue_id, int64_t done_at, int points, int64_t now,
		     struct err *e);
/* Set the slip reason of the issue's latest row in that milestone. */
int store_scope_reason(struct store *s, int64_t milestone_id, int64_t issue_id,
		       const char *slip_reason, struct err *e);
/* A full row, for imports (removed_at, done_at 0 = none). */
int store_scope_insert(struct store *s, int64_t milestone_id, int64_t issue_id, int64_t added_at,
		       int64_t removed_at, const char *slip_reason, int64_t done_at, int points,
		       struct err *e);

/* Every scope row (milestone_id 0) or one milestone's, of issues v sees,
 * ordered by milestone start, then number; *out malloc'd. */
int store_scope_list(struct store *s, const struct visibility *v, int64_t milestone_id,
		     struct scope_item **out, size_t *n, struct err *e);
/* Done times and points of the items done since since_ms that v sees. */
int store_done_since(struct store *s, const struct visibility *v, int64_t since_ms,
		     int64_t **done_at, int **points, size_t *n, struct err *e);

/* --- changelog entries, comments, hooks (store_changelog.c) ------------- */

/* Insert r (slug, title ... version 1) with its authors and links; sets id.
 * CAIRN_ECONFLICT (field "slug") when the slug is taken. */
int store_changelog_insert(struct store *s, struct changelog_row *r, struct err *e);
/* Write every column of r (not its authors or links), if the stored
 * version is still expected; else CAIRN_ESTALE.  Bumps r->version. */
int store_changelog_update(struct store *s, struct changelog_row *r, int64_t expected,
			   struct err *e);
/* Replace the authors / the links of an entry. */
int store_changelog_set_authors(struct store *s, int64_t id, const struct cl_author *a, size_t n,
				struct err *e);
int store_changelog_set_links(struct store *s, int64_t id, const struct cl_link *l, size_t n,
			      struct err *e);
/* One entry with authors and the links v may see; CAIRN_ENOTFOUND. */
int store_changelog_get(struct store *s, int64_t id, const struct visibility *v,
			struct changelog_row *out, struct err *e);
/* Inside a write transaction: lock entry id for this transaction (read,
 * check, write without another writer in between, on every backend);
 * CAIRN_ENOTFOUND when there is none.  And the lock that makes picking a
 * free slug and taking it one step. */
int store_changelog_lock(struct store *s, int64_t id, struct err *e);
int store_changelog_lock_slugs(struct store *s, struct err *e);
/* By slug (id 0 when none). */
int store_changelog_by_slug(struct store *s, const char *slug, int64_t *id, struct err *e);
/* A page, newest first (date, then id): state < 0 any, milestone 0 any. */
int store_changelog_list(struct store *s, const struct visibility *v, int state,
			 int64_t milestone_id, int64_t offset, int64_t limit,
			 struct changelog_list *out, int64_t *total, struct err *e);
int store_changelog_delete(struct store *s, int64_t id, struct err *e);
/* The ids of entries linking issue_id (any state), ascending. */
int store_changelog_for_issue(struct store *s, int64_t issue_id, int64_t **ids, size_t *n,
			      struct err *e);
/* The public changelog's version (bumped by every change it shows), and
 * the newest updated_at of a published entry. */
int store_changelog_bump(struct store *s, int64_t now, struct err *e);
/* The version, the time of its last bump, and whether the public
 * changelog is on: one small read, for conditional GETs. */
int store_changelog_stamp(struct store *s, int64_t *version, int64_t *last_modified,
			  int *public_on, struct err *e);

/* History of an entry (history_entry rows). */
int store_changelog_history_add(struct store *s, int64_t entry_id, int64_t actor_id, int64_t at,
				const char *field, const char *old_value, const char *new_value,
				struct err *e);
int store_changelog_history(struct store *s, int64_t entry_id, struct history_list *out,
			    struct err *e);

int store_cl_comment_insert(struct store *s, int64_t entry_id, int64_t parent_id,
			    int64_t author_id, const char *body, int64_t at, int64_t *id,
			    struct err *e);
/* resolved_at 0 = open again. */
int store_cl_comment_resolve(struct store *s, int64_t entry_id, int64_t id, int64_t resolved_at,
			     int64_t by, struct err *e);
int store_cl_comments(struct store *s, int64_t entry_id, struct cl_comment **out, size_t *n,
		      struct err *e);

int store_cl_asks(struct store *s, const int64_t *issue_ids, size_t n, struct cl_ask **out,
		  size_t *nout, struct err *e);
/* Mark one customer's insights on those issues answered. */
int store_cl_tell(struct store *s, int64_t customer_id, const int64_t *issue_ids, size_t n,
		  int64_t now, int64_t actor_id, int64_t *changed, struct err *e);
int store_cl_shipped(struct store *s, int64_t customer_id, const struct visibility *v,
		     struct cl_shipped **out, size_t *n, struct err *e);

int store_hook_insert(struct store *s, struct hook *h, struct err *e);
int store_hook_list(struct store *s, struct hook **out, size_t *n, struct err *e);
int store_hook_delete(struct store *s, int64_t id, struct err *e);
/* One pending delivery per hook, due at next_at (wall clock). */
int store_hook_enqueue(struct store *s, const char *event, int64_t entry_id, const char *payload,
		       int64_t next_at, int64_t now, struct err *e);
/* Newest first, at most limit. */
int store_hook_deliveries(struct store *s, int64_t limit, struct hook_delivery **out, size_t *n,
			  struct err *e);
/* Pending deliveries due at wall (at most limit), and a claim on one:
 * *won = 1 when this caller holds it until `until`. */
int store_hook_due(struct store *s, int64_t wall, int64_t limit, struct hook_delivery **out,
		   size_t *n, struct err *e);
int store_hook_claim(struct store *s, int64_t id, int64_t wall, int64_t until, int *won,
		     struct err *e);
int store_hook_result(struct store *s, int64_t id, int state, int attempts, int status,
		      const char *error, int64_t next_at, int64_t now, struct err *e);

/* --- strategy: the document, objectives, initiatives (store_strategy.c) --- */

int store_strategy_insert(struct store *s, const char *body, int64_t author_id, const char *note,
			  int64_t at, int64_t *id, struct err *e);
/* id 0: the latest (*found 0 when there is none). */
int store_strategy_get(struct store *s, int64_t id, struct strategy_version *out, int *found,
		       struct err *e);
/* Newest first, without bodies. */
int store_strategy_list(struct store *s, struct strategy_version **out, size_t *n, struct err *e);

int store_objective_insert(struct store *s, struct objective *o, struct err *e);
int store_objective_update(struct store *s, const struct objective *o, struct err *e);
int store_objective_get(struct store *s, int64_t id, struct objective *out, struct err *e);
int store_objective_list(struct store *s, struct objective **out, size_t *n, struct err *e);
int store_kr_insert(struct store *s, struct key_result *k, struct err *e);
int store_kr_update(struct store *s, const struct key_result *k, struct err *e);
int store_kr_get(struct store *s, int64_t id, struct key_result *out, struct err *e);
int store_kr_list(struct store *s, struct key_result **out, size_t *n, struct err *e);
int store_objective_pillars(struct store *s, struct id_pair **out, size_t *n, struct err *e);
int store_objective_set_pillars(struct store *s, int64_t objective, const int64_t *pillars,
				size_t n, struct err *e);
int store_initiative_objectives(struct store *s, struct id_pair **out, size_t *n, struct err *e);
int store_initiative_set_objectives(struct store *s, int64_t initiative, const int64_t *objectives,
				    size_t n, struct err *e);
int store_pillar_update(struct store *s, const struct pillar *p, struct err *e);

int store_initiative_insert(struct store *s, struct initiative *i, struct err *e);
/* CAIRN_ESTALE when the stored version is not expected. */
int store_initiative_update(struct store *s, struct initiative *i, int64_t expected,
			    struct err *e);
/* Inside a write transaction: lock it (CAIRN_ENOTFOUND when none). */
int store_initiative_lock(struct store *s, int64_t id, struct err *e);
int store_initiative_get(struct store *s, int64_t id, struct initiative *out, struct err *e);
/* By position, then id. */
int store_initiative_list(struct store *s, struct initiative **out, size_t *n, struct err *e);
/* The epics of every initiative that v sees: (initiative, epic number). */
int store_initiative_epics(struct store *s, const struct visibility *v, struct id_pair **out,
			   size_t *n, struct err *e);
/* Put an epic in an initiative (initiative 0: out of any); *was gets the
 * initiative it was in (0 none). */
int store_initiative_epic_set(struct store *s, int64_t issue_id, int64_t initiative, int64_t *was,
			      struct err *e);
int store_initiative_update_insert(struct store *s, int64_t initiative, int64_t author, int64_t at,
				   int health, const char *text, struct err *e);
/* One initiative's updates newest first (initiative 0: the latest of each). */
int store_initiative_updates(struct store *s, int64_t initiative, struct initiative_update **out,
			     size_t *n, struct err *e);
int store_initiative_demand(struct store *s, const struct visibility *v,
			    struct initiative_demand **out, size_t *n, struct err *e);
int store_done_items(struct store *s, const struct visibility *v, int64_t since_ms,
		     struct done_item **out, size_t *n, struct err *e);
/* The same for the items of these milestones (at most 24), done any time. */
int store_done_in_milestones(struct store *s, const struct visibility *v, const int64_t *ids,
			     size_t n, struct done_item **out, size_t *nout, struct err *e);
/* Epics not in an initiative, on these product-board columns, as v sees
 * them (at most limit), by board position. */
int store_free_epics(struct store *s, const struct visibility *v, int64_t limit,
		     struct issue_list *out, struct err *e);

int store_strategy_history_add(struct store *s, const char *object, int64_t actor, int64_t at,
			       const char *field, const char *old_value, const char *new_value,
			       struct err *e);
int store_strategy_history(struct store *s, int64_t limit, struct strategy_change **out, size_t *n,
			   struct err *e);

/* --- the decision log (store_decision.c) -------------------------------- */

/* fold: the searchable words, case-folded. */
int store_decision_insert(struct store *s, struct decision *d, const char *fold, struct err *e);
/* Every column of d; CAIRN_ESTALE unless the version is expected. */
int store_decision_update(struct store *s, struct decision *d, const char *fold, int64_t expected,
			  struct err *e);
int store_decision_lock(struct store *s, int64_t id, struct err *e);
int store_decision_get(struct store *s, int64_t id, struct decision *out, struct err *e);
/* Newest first; words (all must occur), status < 0 any, issue_id / user_id
 * 0 any (a linked issue; a person in the RACI). */
int store_decision_list(struct store *s, const char *const *words, size_t nwords, int status,
			int64_t issue_id, int64_t user_id, int64_t limit, struct decision_list *out,
			int64_t *total, struct err *e);
/* Proposed or accepted decisions whose review day is today or before,
 * soonest first (at most limit), and how many there are. */
int store_decisions_due(struct store *s, int64_t today, int64_t limit, struct decision_list *out,
			int64_t *total, struct err *e);
int store_decision_people(struct store *s, int64_t id, struct decision_person **out, size_t *n,
			  struct err *e);
int store_decision_set_people(struct store *s, int64_t id, const struct decision_person *p,
			      size_t n, struct err *e);
/* The links v may see (a hidden issue is left out). */
int store_decision_links(struct store *s, int64_t id, const struct visibility *v,
			 struct decision_link **out, size_t *n, struct err *e);
/* Replace one kind of link. */
int store_decision_set_links(struct store *s, int64_t id, int kind, const int64_t *targets,
			     size_t n, struct err *e);
int store_decision_history_add(struct store *s, int64_t id, int64_t actor, int64_t at,
			       const char *field, const char *old_value, const char *new_value,
			       struct err *e);
int store_decision_history(struct store *s, int64_t id, struct history_list *out, struct err *e);

/* --- pricing tiers (store_tiers.c) ---------------------------------------- */

/* One feature's tier (*found 0 when it has none). */
int store_feature_tier(struct store *s, int64_t issue_id, struct feature_tier *out, int *found,
		       struct err *e);
/* Set (tier non-NULL) or clear a feature's tier. */
int store_feature_tier_set(struct store *s, int64_t issue_id, const char *tier,
			   const char *rationale, int64_t by, int64_t at, struct err *e);
/* Every feature with a tier that v sees (milestone 0: any), by number. */
int store_feature_tiers(struct store *s, const struct visibility *v, int64_t milestone,
			struct feature_tier **out, size_t *n, struct err *e);
/* How many features have this tier. */
int store_tier_used(struct store *s, const char *tier, int64_t *n, struct err *e);
/* The asks behind one issue (issue_id > 0), or behind every feature with a
 * tier (0), as v sees the issues. */
int store_tier_asks(struct store *s, const struct visibility *v, int64_t issue_id,
		    struct tier_ask **out, size_t *n, struct err *e);
int store_tier_moves(struct store *s, const struct visibility *v, int64_t from_ms, int64_t to_ms,
		     struct tier_move **out, size_t *n, struct err *e);

/* --- estimation calibration (store_tiers.c) -------------------------------- */

int store_cycle_items(struct store *s, const struct visibility *v, int64_t since_ms,
		      struct cal_item **out, size_t *n, struct err *e);

/* --- backup and restore ----------------------------------------------- */

/* The tables of a dump, in restore order (parents before children). */
const struct dump_table *store_dump_tables(int *n);
const struct dump_table *store_dump_table(const char *name);

int store_dump(struct store *s, store_dump_fn fn, void *ctx, struct err *e);

/* 1 when the database holds no users and no issues (a restore target). */
int store_is_empty(struct store *s, int *empty, struct err *e);
/* Insert one dumped row (values in t->cols order), inside the caller's
 * transaction.  Issue parents are linked by store_restore_finish, since a
 * parent may come later in the dump. */
int store_restore_row(struct store *s, const struct dump_table *t, const struct store_value *row,
		      struct err *e);
/* Link issue parents and let ids continue after the restored ones. */
int store_restore_finish(struct store *s, struct err *e);
/* Forget a failed restore's pending parents (before rolling back). */
void store_restore_discard(struct store *s);

/* --- estimation sessions: planning poker (store_estimation.c) ------------- */

/* Insert x (title, facilitator, mode, stage, closes_at, times); sets id. */
int store_est_insert(struct store *s, struct est_session *x, struct err *e);
/* Write x's status, current issue and updated_at; version + 1 (the row
 * must be at expected).  Sets x->version. */
int store_est_update(struct store *s, struct est_session *x, int64_t expected, struct err *e);
/* One session; lock: FOR UPDATE where the backend has it. */
int store_est_get(struct store *s, int64_t id, int lock, struct est_session *out, struct err *e);
/* Sessions newest first (status < 0: any), with the counts of the items
 * v sees; at most limit. */
int store_est_list(struct store *s, int status, const struct visibility *v, int limit,
		   struct est_session **out, size_t *n, struct err *e);
/* Open sessions with user_id among the participants (or none named:
 * everyone votes) and items (v sees)
 * waiting for their vote now; items gets how many. */
int store_est_waiting(struct store *s, int64_t user_id, const struct visibility *v, int64_t now,
		      int limit, struct est_session **out, size_t *n, struct err *e);
int store_est_participants(struct store *s, int64_t id, struct est_person **out, size_t *n,
			   struct err *e);
int store_est_add_participant(struct store *s, int64_t id, int64_t user_id, struct err *e);
int store_est_add_item(struct store *s, int64_t id, int64_t issue_id, int position,
		       struct err *e);
/* The items of a session that v sees, in order. */
int store_est_items(struct store *s, int64_t id, const struct visibility *v,
		    struct est_item **out, size_t *n, struct err *e);
/* Write an item's round, revealed round and final size fields. */
int store_est_item_update(struct store *s, int64_t id, const struct est_item *it, struct err *e);
/* Every vote of a session (issue, round, voter's login order). */
int store_est_votes(struct store *s, int64_t id, struct est_vote **out, size_t *n,
		    struct err *e);
/* Cast or replace one vote. */
int store_est_vote_put(struct store *s, int64_t id, int64_t issue_id, int round, int64_t user_id,
		       int size, int64_t at, struct err *e);
/* A history row of session id, about one of its items (issue_id, 0: the
 * session itself). */
int store_est_history_add(struct store *s, int64_t id, int64_t issue_id, int64_t actor,
			  int64_t at, const char *field, const char *old_value,
			  const char *new_value, struct err *e);
/* The rows v may see: none about an item whose issue v may not see. */
int store_est_history(struct store *s, int64_t id, const struct visibility *v,
		      struct history_list *out, struct err *e);

/* --- the event log behind GET /api/v1/events (store_estimation.c) --------- */

/* Append an event inside the caller's transaction; ids follow commit order
 * (a lock serializes the writers on PostgreSQL).  Old rows are pruned. */
int store_event_add(struct store *s, int64_t at, const char *topic, const char *kind, int priv,
		    int64_t owner_id, const char *data, struct err *e);
/* Events with id > after, oldest first, at most limit. */
int store_events_since(struct store *s, int64_t after, int limit, struct event_row **out,
		       size_t *n, struct err *e);
/* The newest event id (0 when none). */
int store_events_last(struct store *s, int64_t *id, struct err *e);

/* --- comments on issues (store_comment.c) ----------------------------- */

/* Insert c (issue_id, author_id, body, body_html, created_at); sets c->id
 * and c->version. */
int store_comment_insert(struct store *s, struct comment *c, struct err *e);
/* One comment by id, with its issue's number; CAIRN_ENOTFOUND when there
 * is none or its issue is private to v.  Mentions and references (those v
 * may see) filled in. */
int store_comment_get(struct store *s, int64_t id, const struct visibility *v,
		      struct comment *out, struct err *e);
/* The comments of an issue (by id) in order, with mentions and the
 * references v may see. */
int store_comment_list(struct store *s, int64_t issue_id, const struct visibility *v,
		       struct comment_list *out, struct err *e);
/* Write body, body_html, updated_at, edits, deleted_at, deleted_by of c
 * and bump the version if it is still expected; else CAIRN_ESTALE.  Sets
 * c->version. */
int store_comment_update(struct store *s, struct comment *c, int64_t expected_version,
			 struct err *e);
/* Replace the comment's mentions (user ids) and references (issue ids). */
int store_comment_links(struct store *s, int64_t comment_id, const int64_t *user_ids, size_t nu,
			const int64_t *issue_ids, size_t ni, struct err *e);
int store_comment_history_add(struct store *s, int64_t comment_id, int64_t actor_id, int64_t at,
			      const char *field, const char *old_value, const char *new_value,
			      struct err *e);
/* Wipe a comment's history (its deletion). */
int store_comment_history_clear(struct store *s, int64_t comment_id, struct err *e);
int store_comment_history(struct store *s, int64_t comment_id, struct history_list *out,
			  struct err *e);
/* Replace the issues the body of issue source_id references (written by
 * actor_id at at). */
int store_issue_refs_set(struct store *s, int64_t source_id, int64_t actor_id, int64_t at,
			 const int64_t *issue_ids, size_t n, struct err *e);
/* What references issue_id, on issues v may see, oldest first: the
 * comments (not deleted) on other issues, and other issues' bodies
 * (comment_id 0). */
int store_back_refs(struct store *s, int64_t issue_id, const struct visibility *v,
		    struct back_ref **out, size_t *n, struct err *e);
/* The newest comments (at most limit) that mention v's user, on issues v
 * sees: number, title, comment id, author, at. */
int store_mentions_of(struct store *s, const struct visibility *v, int64_t limit,
		      struct back_ref **out, size_t *n, struct err *e);

/* --- watchers and notifications (store_notify.c) --------------------- */

/* user_id watches issue_id from since.  explicit: they asked (a muted row
 * is watched again); otherwise a default rule, which leaves a row that is
 * there, muted or not, as it is. */
int store_watch(struct store *s, int64_t issue_id, int64_t user_id, int64_t since, int explicit,
		struct err *e);
/* user_id stops watching issue_id: the row stays, muted, so that default
 * rules do not watch it for them again. */
int store_unwatch(struct store *s, int64_t issue_id, int64_t user_id, int64_t since,
		  struct err *e);
/* The active users watching issue_id (not muted), by login. */
int store_watchers(struct store *s, int64_t issue_id, struct watcher **out, size_t *n,
		   struct err *e);
/* Add one unread notification; *id gets its id. */
int store_notify_add(struct store *s, int64_t user_id, int64_t issue_id, const char *kind,
		     int64_t actor_id, int64_t at, const char *detail, int64_t *id, struct err *e);
/* The notifications of user v->user_id about issues v may see, newest
 * first: `limit` of them from `offset`, only unread ones if unread. */
int store_notifications(struct store *s, const struct visibility *v, int unread, int64_t limit,
			int64_t offset, struct notification **out, size_t *n, struct err *e);
/* How many of them are unread. */
int store_notify_unread(struct store *s, const struct visibility *v, int64_t *count,
			struct err *e);
/* Mark notification id of v's user read at `at` (id 0: every one);
 * CAIRN_ENOTFOUND when id is not theirs or its issue is hidden from v. */
int store_notify_read(struct store *s, const struct visibility *v, int64_t id, int64_t at,
		      struct err *e);
/* The reader's notifications of changes to issues they watch (kinds state
 * and changed), newest first, at most limit. */
int store_watch_changes(struct store *s, const struct visibility *v, int64_t limit,
			struct notification **out, size_t *n, struct err *e);
/* user_ids[0..n) watch issue_id from since unless they already watch or
 * unwatched it; *added_out: how many began to. */
int store_watchers_add(struct store *s, int64_t issue_id, int64_t since, const int64_t *user_ids,
		       size_t n, int64_t *added_out, struct err *e);
/* What references from_issue (comments on other issues, other issues'
 * bodies) references to_issue too; *added: the new references. */
int store_refs_follow(struct store *s, int64_t from_issue, int64_t to_issue, int64_t *added,
		      struct err *e);

/* ---- notification email (store_mail.c) ---- */

/* user_id's address (*found 0: none). */
int store_mail_account(struct store *s, int64_t user_id, struct mail_account *out, int *found,
		       struct err *e);
/* Set user_id's address (a new row starts at since), or forget it (NULL). */
int store_mail_account_set(struct store *s, int64_t user_id, const char *address, int64_t since,
			   struct err *e);
/* user_id's choices (kinds without a row take their default). */
int store_mail_prefs(struct store *s, int64_t user_id, struct mail_pref **out, size_t *n,
		     struct err *e);
/* The mode user_id chose for kind into mode (cap bytes); "" when none. */
int store_mail_pref(struct store *s, int64_t user_id, const char *kind, char *mode, size_t cap,
		    struct err *e);
int store_mail_pref_set(struct store *s, int64_t user_id, const char *kind, const char *mode,
			struct err *e);
/* Queue one mail to user_id telling of notifications ids[0..n), first
 * sent at next_at (wall clock ms). */
int store_mail_enqueue(struct store *s, int64_t user_id, int digest, const int64_t *ids,
		       size_t n, int64_t next_at, int64_t now, struct err *e);
/* The active users with an address whose last digest is older than slot. */
int store_mail_digest_due(struct store *s, int64_t slot, int64_t limit, struct mail_account **out,
			  size_t *n, struct err *e);
/* Take the digest of user_id for the slot: *won 1 when this call moved
 * last_digest_at from before slot to now (another server did not). */
int store_mail_digest_claim(struct store *s, int64_t user_id, int64_t slot, int64_t now,
			    int *won, struct err *e);
/* The unread notifications of v's user about issues v may see, at or
 * after since, that no mail has told of yet, oldest first (at most 500). */
int store_mail_unsent(struct store *s, const struct visibility *v, int64_t since,
		      struct notification **out, size_t *n, struct err *e);
/* Pending mails due at wall, oldest first. */
int store_mail_due(struct store *s, int64_t wall, int64_t limit, struct mail_job **out, size_t *n,
		   struct err *e);
/* Hold mail id until `until` unless another sender holds it (*won). */
int store_mail_claim(struct store *s, int64_t id, int64_t wall, int64_t until, int *won,
		     struct err *e);
/* The notifications mail_id tells of that v may see now, oldest first. */
int store_mail_items(struct store *s, int64_t mail_id, const struct visibility *v,
		     struct notification **out, size_t *n, struct err *e);
/* Record an attempt: state (0 retry at next_at, 1 sent, 2 given up, 3
 * dropped), the attempts so far, the error (NULL: none). */
int store_mail_result(struct store *s, int64_t id, int state, int attempts, const char *error,
		      int64_t next_at, int64_t now, struct err *e);
/* How many mails are in each state (counts[0..4)). */
int store_mail_counts(struct store *s, int64_t counts[4], struct err *e);

/* --- saved views (store_view.c) --------------------------------------- */

/* The views user_id may see: their own and the shared ones; their
 * personal views first, then by name.  Caller frees *out. */
int store_views_visible(struct store *s, int64_t user_id, struct saved_view **out, size_t *n,
			struct err *e);
/* One view by id; CAIRN_ENOTFOUND when there is none. */
int store_view_get(struct store *s, int64_t id, struct saved_view *out, struct err *e);
/* Another view (not v->id) whose name v's would clash with: the same
 * owner's, or, when v is shared, another shared one; *clash 0 if none. */
int store_view_clash(struct store *s, const struct saved_view *v, int64_t *clash, struct err *e);
int store_view_count_owner(struct store *s, int64_t owner_id, int64_t *n, struct err *e);
/* Insert v (sets v->id); update v's fields but owner and created_at;
 * delete by id. */
int store_view_insert(struct store *s, struct saved_view *v, struct err *e);
int store_view_update(struct store *s, const struct saved_view *v, struct err *e);
int store_view_delete(struct store *s, int64_t id, struct err *e);

/* Fill the full-text search tables again from the issues and comments
 * (store_search.c): after a restore, which does not carry them. */
int store_search_rebuild(struct store *s, struct err *e);


/* --- GitHub (store_github.c) ------------------------------------------------ */
int store_gh_repo_insert(struct store *s, struct gh_repo *g, struct err *e);
int store_gh_repo_update(struct store *s, const struct gh_repo *g, struct err *e);
int store_gh_repo_delete(struct store *s, int64_t id, struct err *e);
int store_gh_repo_list(struct store *s, struct gh_repo **out, size_t *n, struct err *e);
int store_gh_repo_get(struct store *s, int64_t id, struct gh_repo *out, struct err *e);
/* The repositories with that GitHub id or that name (case-folded). */
int store_gh_repo_find(struct store *s, int64_t gh_id, const char *full_name,
		       struct gh_repo **out, size_t *n, struct err *e);
/* Map a GitHub login onto a user (user_id 0: remove the mapping). */
int store_gh_login_set(struct store *s, const char *login, int64_t user_id, struct err *e);
int store_gh_login_list(struct store *s, struct gh_login **out, size_t *n, struct err *e);
int store_gh_login_user(struct store *s, const char *login, struct user *out, struct err *e);
/* The Cairn number of GitHub issue gh_number of repo; CAIRN_ENOTFOUND: none. */
int store_gh_issue_find(struct store *s, int64_t repo_id, int64_t gh_number, int64_t *number,
			struct err *e);
/* Link (or relink) an issue to its GitHub issue. */
int store_gh_issue_link(struct store *s, const struct gh_link *l, struct err *e);
/* The GitHub side of an issue; CAIRN_ENOTFOUND (e untouched) when none. */
int store_gh_issue_get(struct store *s, int64_t issue_id, struct gh_link *out, struct err *e);
/* The repository moved: its issues' URLs starting old_prefix get new_prefix. */
int store_gh_repo_moved(struct store *s, int64_t repo_id, const char *old_prefix,
			const char *new_prefix, struct err *e);
/* Numbers of repo's linked issues carrying label; *out malloc'd. */
int store_gh_issues_labelled(struct store *s, int64_t repo_id, const char *label, int64_t **out,
			     size_t *n, struct err *e);
int store_gh_comment_find(struct store *s, int64_t gh_id, int64_t *comment_id, struct err *e);
int store_gh_comment_link(struct store *s, int64_t comment_id, int64_t gh_id, struct err *e);
/* When anyone but actor_id last changed field of the issue (history); 0: never. */
int store_gh_last_change(struct store *s, int64_t issue_id, const char *field, int64_t actor_id,
			 int64_t *at, struct err *e);
int store_gh_milestone_by_title(struct store *s, const char *title, int64_t *id, struct err *e);
/* Insert or (same guid) update a delivery; d->id set. */
int store_gh_delivery_save(struct store *s, struct gh_delivery *d, struct err *e);
/* Without its body; CAIRN_ENOTFOUND (e untouched) when none. */
int store_gh_delivery_by_guid(struct store *s, const char *guid, struct gh_delivery *out,
			      struct err *e);
/* With its body (owned by *out). */
int store_gh_delivery_get(struct store *s, int64_t id, struct gh_delivery *out, struct err *e);
/* The newest limit deliveries, without bodies; gh_deliveries_free. */
int store_gh_delivery_list(struct store *s, int64_t limit, struct gh_delivery **out, size_t *n,
			   struct err *e);

/* The outbox (migration 20).  Enqueue replaces a pending call of the same
 * issue and kind (the newest state is what GitHub should get). */
int store_gh_out_enqueue(struct store *s, const struct gh_call *c, struct err *e);
/* Pending calls due at wall (not claimed), oldest first, with repo and token. */
int store_gh_out_due(struct store *s, int64_t wall, int64_t limit, struct gh_call **out,
		     size_t *n, struct err *e);
int store_gh_out_claim(struct store *s, int64_t id, int64_t wall, int64_t until, int *won,
		       struct err *e);
int store_gh_out_result(struct store *s, const struct gh_call *c, struct err *e);
/* Hold every pending call of the repository until at least `until`. */
int store_gh_out_hold(struct store *s, int64_t repo_id, int64_t until, struct err *e);
/* The newest calls (issue_id 0: of every issue), without bodies. */
int store_gh_out_list(struct store *s, int64_t issue_id, int64_t limit, struct gh_call **out,
		      size_t *n, struct err *e);

/* The issue's calls by state: pending, done, failed. */
int store_gh_out_counts(struct store *s, int64_t issue_id, int64_t counts[3], struct err *e);

/* ---- bulk load (store_bulk.c; issue #17) -----------------------------------
 * Inside a write transaction: store_bulk_begin switches off what is derived
 * from each new issue (its search row; on SQLite the secondary indexes of
 * issues, labels, history and scope, and the search index's trigger) and
 * store_bulk_end derives it once for every issue loaded since.  The service
 * keeps no roll-ups or board tally per issue while store_bulk_on says so,
 * and rebuilds them before the commit.  A rollback ends a bulk load too. */
int store_bulk_begin(struct store *s, struct err *e);
int store_bulk_end(struct store *s, struct err *e);
int store_bulk_on(const struct store *s);
void store_bulk_reset(struct store *s);
/* Around the write transaction of a bulk load (outside it): settings of the
 * connection that suit one large write (on SQLite a rollback journal
 * instead of the WAL), and back. */
int store_bulk_open(struct store *s, struct err *e);
void store_bulk_close(struct store *s);

#endif
