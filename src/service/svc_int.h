/*
 * svc_int.h — private to src/service/: helpers the operation files share.
 */
#ifndef CAIRN_SVC_INT_H
#define CAIRN_SVC_INT_H

#include "service/service.h"
#include "store/store.h"

/* What actor may see: every issue for admin, pm and cto; otherwise all but
 * the security issues they did not report (the store applies the rule). */
static inline struct visibility visibility_of(const struct user *actor)
{
	struct visibility v = {actor->id, svc_may(actor, P_PRIVATE_READ), 0};
	return v;
}

/* The end of an operation's transaction: commit when rc is 0, roll back
 * when it or the commit failed; returns the outcome. */
static inline int svc_end(const struct op *op, int rc, struct err *e)
{
	if (!rc)
		rc = store_commit(op->st, e);
	if (rc)
		store_rollback(op->st);
	return rc;
}

/* One write operation (svc_group.c): fn runs in a write transaction and
 * returns 0 or an error it set in e (it releases what it filled when it
 * fails).  On SQLite the transaction is shared with the writes of other
 * threads that arrive meanwhile (group commit): each in its own savepoint,
 * so a failing write is undone alone; one commit for all, and no write
 * returns before it.  If fn succeeded but the commit did not, undo(ctx)
 * (may be NULL) releases what fn filled.  Returns the outcome. */
int svc_write(const struct op *op, int (*fn)(const struct op *op, void *ctx, struct err *e),
	      void (*undo)(void *ctx), void *ctx, struct err *e);

/* The planning part of an issue write (svc_plan.c): parse and check the
 * planning fields (apply_input), apply board moves and their rules once
 * board and state are in step, and after the row is written record the
 * milestone scope and a forced move. */
int plan_fields(const struct op *op, const struct issue *cur,
		const struct issue_input *in, struct issue *next, int creating, struct err *e);
int plan_apply(const struct op *op, const struct issue *cur,
	       struct issue *next, const struct issue_input *in, int64_t now, int closing_done,
	       int *forced, struct err *e);
int plan_record(const struct op *op, const struct issue *cur,
		const struct issue *next, const struct issue_input *in, int64_t now, int forced,
		struct err *e);

/* svc_issue_update without its transaction, version check and read-back:
 * for an operation that writes an issue as part of its own transaction
 * (an estimation session's final size).  Same rules and history. */
int svc_issue_update_in_tx(const struct op *op, int64_t number,
			   const struct issue_input *in, struct err *e);
/* Close issue number as won't do (its reason kept, as the triage route
 * does, but its labels and triage stamp left as they are) inside the
 * caller's transaction. */
int svc_issue_wont_do_in_tx(const struct op *op, int64_t number, const char *reason,
			    struct err *e);
/* One imported issue, reported by op->actor (r->reporter is not read),
 * inside the caller's transaction; *number gets its number. */
int svc_issue_create_in_tx(const struct op *op, const struct issue_import *r, int64_t *number,
			   struct err *e);
/* After an issue was written (changed: the IN_* bits that changed;
 * triaged: a PM's triage): queue the calls that carry it to its GitHub
 * issue, when it has one and its repository a token (svc_github_sync.c). */
int svc_gh_issue_changed(const struct op *op, const struct issue *cur, const struct issue *next,
			 unsigned changed, int triaged, struct err *e);
/* A changelog entry r was published: a comment on each linked GitHub issue
 * (of a repository with a token) says so (svc_github_sync.c). */
int svc_gh_entry_published(const struct op *op, const struct changelog_row *r, struct err *e);
/* The start of an admin's read of a GitHub log (deliveries, outbox): admins
 * only, limit 1..500, then a read transaction (svc_github.c). */
int svc_gh_admin_log_begin(const struct op *op, int64_t limit, struct err *e);
/* A comment by op->actor inside the caller's transaction (*id: its id). */
int svc_comment_add_in_tx(const struct op *op, int64_t number, const char *body, int64_t *id,
			  struct err *e);
/* Edit comment id to body, or delete it (body NULL), as op->actor, inside
 * the caller's transaction. */
int svc_comment_set_in_tx(const struct op *op, int64_t id, const char *body, struct err *e);

/* The milestone in progress (the first active one by start), the
 * velocity, and its forecast as svc_milestone_forecast makes it (seed 1,
 * the default trials), inside the caller's read transaction (svc_plan.c). */
int svc_milestone_active_in_tx(const struct op *op, struct milestone_view *out, int *found,
			       double *velocity, struct forecast_view *fc, struct err *e);

/* An epic that became another type leaves its initiative (initiatives hold
 * epics, and its work now counts through its new parent, if any), as it
 * leaves its area; in the issue write's transaction (svc_strategy.c). */
int svc_initiative_epic_gone(const struct op *op, const struct issue *is, struct err *e);
/* Whether there is a strategy document, when it was last reviewed (0:
 * never) and when the next review is due (0: now), in the caller's
 * transaction (svc_strategy.c). */
int svc_strategy_review_state(struct store *st, int *has_doc, int64_t *last, int64_t *due,
			      struct err *e);

/* Split all (open security issues, soonest fix-by first) at the start of
 * now's day into overdue (which takes all's array) and soon; on failure
 * all is released and both are empty (svc_triage.c). */
int svc_security_split(struct issue_list *all, int64_t now, struct issue_list *overdue,
		       struct issue_list *soon, struct err *e);

/* Record the issues i's body references (#N), inside an issue write's
 * transaction (svc_comment.c). */
int svc_body_refs(const struct op *op, const struct issue *i, struct err *e);

/* svc_auth.c: argon2id (at most two at once), random secrets and their
 * stored hashes, display names. */
int svc_hash_password(char *out, const char *pw, size_t len);
int svc_verify_password(const char *hash, const char *pw);
void svc_random_hex(char *out, size_t cap);
void svc_secret_hash(const char *secret, char out[65]);
int svc_name_check(const char *name, struct err *e);

/* The derived "Customer Request" label of an issue (*flag 0/1), and the
 * history row when it came (after) or went (before), naming its cause. */
int svc_customer_request(struct store *st, int64_t issue_id, int *flag, struct err *e);
int svc_customer_request_history(struct store *st, int64_t actor_id, int64_t at, int64_t issue_id,
				 int before, int after, const char *cause, struct err *e);

/* Roll-ups kept in step with issue writes (svc_rollup.c).  Inside the
 * write transaction: rollup_lock before the issue row is written (locks
 * the rows whose sums the write changes, PostgreSQL), rollup_write after
 * (cur NULL for a new issue; nothing when no roll-up field changed).
 * rollup_scope: which stored scope answers actor's reads (enum
 * rollup_scope), or -1 when they must be computed on read (the tables wait
 * for a rebuild, or actor sees private work inside trees).  rollup_rebuild
 * recomputes both tables from scratch in the caller's transaction. */
int rollup_lock(struct store *st, const struct issue *cur, const struct issue *next,
		struct err *e);
int rollup_write(struct store *st, const struct issue *cur, const struct issue *next,
		 struct err *e);
int rollup_scope(const struct op *op, int *scope, struct err *e);
int rollup_rebuild(struct store *st, struct err *e);

/* Watchers and notifications kept in step with writes (svc_notify.c),
 * inside the write's transaction.  notify_issue after an issue write (cur
 * NULL for a new issue): the reporter and the assignee watch, the new
 * assignee is told, the watchers hear of a meaningful change (svc_watch.c).
 * notify_comment after a new comment: its author and the users it
 * mentions (users[0..nu)) watch; the mentioned ones get `mention`, the
 * other watchers `comment`.  No one is told of their own act, nor of an
 * issue they may not see. */
int notify_issue(const struct op *op, const struct issue *cur, const struct issue *next,
		 struct err *e);
int notify_comment(const struct op *op, const struct issue *i, int64_t comment_id,
		   const struct user *users, size_t nu, struct err *e);
/* The users[0..nu) a comment now mentions watch i and get `mention`. */
int notify_mentions(const struct op *op, const struct issue *i, int64_t comment_id,
		    const struct user *users, size_t nu, struct err *e);
/* u may see issue i (the private-issue rule). */
int may_see(const struct user *u, const struct issue *i);
/* Tell every watcher of i (but skip[0..nskip)) of kind with detail. */
int tell_watchers(const struct op *op, const struct issue *i, const char *kind,
		  const char *detail, const struct user *skip, size_t nskip, struct err *e);

/* svc_watch.c: the watchers' side of issue writes (issue #14).
 * notify_watched_change: after an issue write, one notification to each
 * watcher (kind state when it closed or reopened, else changed) naming
 * the fields that changed among state, assignee, milestone, board and
 * priority; nothing when none did.
 * notify_push: an event on the stream (topic NOTIFY_TOPIC, for user u
 * alone) with u's unread count, in the write's transaction.
 * dup_merge_follow: closing `dup` as a duplicate of `kept`: dup's watchers
 * who may see kept watch it too, what referenced dup references kept too,
 * with a history row on each issue. */
#define NOTIFY_TOPIC "notifications"
int notify_watched_change(const struct op *op, const struct issue *cur, const struct issue *next,
			  struct err *e);
int notify_push(const struct op *op, const struct user *u, struct err *e);
int dup_merge_follow(const struct op *op, const struct issue *dup, const struct issue *kept,
		     struct err *e);

/* Record one notification of kind about issue_id for u, as u chose for
 * kind (svc_mail.c): nothing when off; the inbox; and for email a queued
 * mail when they have an address and mail is set up.  In the caller's
 * transaction. */
int notify_record(const struct op *op, const struct user *u, int64_t issue_id, const char *kind,
		  const char *detail, struct err *e);

/* Background senders (svc_hooks.c, svc_github_sync.c): for each of n items
 * (elem bytes each, its int64_t id at id_offset), claim it in a
 * transaction of its own until wall_ms() + hold_ms (another server that
 * claimed it first wins) and send it; *sent counts what was sent. */
typedef int (*claim_fn)(struct store *st, int64_t id, int64_t wall, int64_t until, int *won,
			struct err *e);
typedef int (*send_fn)(struct store *st, void *item, struct err *e);
int svc_send_claimed(struct store *st, void *items, size_t n, size_t elem, size_t id_offset,
		     int64_t wall, int64_t hold_ms, claim_fn claim, send_fn send, int *sent,
		     struct err *e);

#endif
