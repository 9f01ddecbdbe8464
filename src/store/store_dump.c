/*
 * store_dump.c — backup and restore: every table streamed in key order
 * (paged, so a million issues need no more memory than ten thousand), and
 * rows inserted back with their ids.  The table descriptors below are the
 * one list of what a dump holds; a schema migration that adds a column adds
 * it here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/markdown.h"
#include "core/text.h"
#include "store/store_int.h"

#define PAGE 10000

#define I COL_INT
#define T COL_TEXT
static const char *const users_cols[] = {"id", "login", "name", "role", "password_hash", "created_at",
					 "disabled_at"};
static const enum store_col_type users_types[] = {I, T, T, I, T, I, I};
static const char *const tokens_cols[] = {"id", "user_id", "name", "token_hash", "created_at",
					  "scope", "expires_at", "last_used_at"};
static const enum store_col_type tokens_types[] = {I, I, T, T, I, I, I, I};
static const char *const sessions_cols[] = {"id", "user_id", "token_hash", "csrf", "created_at",
					    "expires_at", "last_seen_at"};
static const enum store_col_type sessions_types[] = {I, I, T, T, I, I, I};
static const char *const audit_cols[] = {"id", "at", "actor_id", "action", "target_id", "detail"};
static const enum store_col_type audit_types[] = {I, I, I, T, I, T};
static const char *const settings_cols[] = {"name", "value"};
static const enum store_col_type settings_types[] = {T, T};
static const char *const counters_cols[] = {"value", "name"};
static const enum store_col_type counters_types[] = {I, T};
static const char *const issues_cols[] = {
	"id",	   "number",   "type",	    "title",	   "body",	  "state",
	"priority", "pm_size",  "size",	    "parent_number", "assignee_id", "reporter_id",
	"created_at", "updated_at", "closed_at", "version", "board", "bug_severity", "cvss",
	"cvss_score", "severity", "fix_by", "triaged_at", "duplicate_of", "close_reason",
	"rice_reach", "rice_impact", "rice_confidence", "dev_status", "board_position",
	"dev_position", "milestone_id", "area_id", "started_at", "expected_day", "done_at", "dod"};
static const enum store_col_type issues_types[] = {I, I, I, T, T, I, I, I, I, I, I, I, I, I, I, I,
						   I, I, T, I, I, I, I, I, T, I, I, I,
						   I, I, I, I, I, I, I, I, I};
static const char *const pillars_cols[] = {"id", "name", "description", "created_at",
					   "target_share"};
static const enum store_col_type pillars_types[] = {I, T, T, I, I};
static const char *const areas_cols[] = {"id", "pillar_id", "name", "description", "created_at"};
static const enum store_col_type areas_types[] = {I, I, T, T, I};
static const char *const milestones_cols[] = {"id", "title", "start_day", "due_day", "capacity",
					      "created_at"};
static const enum store_col_type milestones_types[] = {I, T, I, I, I, I};
static const char *const scope_cols[] = {"id", "milestone_id", "issue_id", "added_at",
					 "removed_at", "slip_reason", "done_at", "points"};
static const enum store_col_type scope_types[] = {I, I, I, I, I, T, I, I};
static const char *const labels_cols[] = {"issue_id", "label"};
static const enum store_col_type labels_types[] = {I, T};
static const char *const customers_cols[] = {"id", "name", "tier", "arr", "seats", "strategic",
					     "created_at"};
static const enum store_col_type customers_types[] = {I, T, T, I, I, I, I};
static const char *const personas_cols[] = {"id", "name", "description", "buyer_level",
					    "created_at"};
static const enum store_col_type personas_types[] = {I, T, T, I, I};
static const char *const insights_cols[] = {"id",	  "source",	"category", "customer_id",
					    "persona_id", "title",	"body",	    "url",
					    "captured_at", "state",	"created_by", "created_at",
					    "answered_at", "answered_by"};
static const enum store_col_type insights_types[] = {I, I, I, I, I, T, T, T, I, I, I, I, I, I};
static const char *const links_cols[] = {"insight_id", "issue_id", "importance", "created_at"};
static const enum store_col_type links_types[] = {I, I, I, I};
static const char *const history_cols[] = {"id", "issue_id", "actor_id", "at", "field",
					   "old_value", "new_value"};
static const enum store_col_type history_types[] = {I, I, I, I, T, T, T};
static const char *const cl_entries_cols[] = {
	"id", "slug", "title", "description", "body", "date_at", "date_set", "tags", "milestone_id",
	"state", "created_by", "approved_by", "created_at", "updated_at", "published_at", "version"};
static const enum store_col_type cl_entries_types[] = {I, T, T, T, T, I, I, T,
						       I, I, I, I, I, I, I, I};
static const char *const cl_authors_cols[] = {"entry_id", "position", "handle", "user_id"};
static const enum store_col_type cl_authors_types[] = {I, I, T, I};
static const char *const cl_issues_cols[] = {"entry_id", "position", "ref", "issue_id"};
static const enum store_col_type cl_issues_types[] = {I, I, T, I};
static const char *const cl_comments_cols[] = {"id", "entry_id", "parent_id", "author_id", "body",
					       "created_at", "resolved_at", "resolved_by"};
static const enum store_col_type cl_comments_types[] = {I, I, I, I, T, I, I, I};
static const char *const cl_history_cols[] = {"id", "entry_id", "actor_id", "at", "field",
					      "old_value", "new_value"};
static const enum store_col_type cl_history_types[] = {I, I, I, I, T, T, T};
static const char *const hooks_cols[] = {"id", "url", "secret", "created_at"};
static const enum store_col_type hooks_types[] = {I, T, T, I};
static const char *const deliveries_cols[] = {"id", "hook_id", "event", "entry_id", "payload",
					      "state", "attempts", "status", "error", "next_at",
					      "claimed_until", "created_at", "updated_at"};
static const enum store_col_type deliveries_types[] = {I, I, T, I, T, I, I, I, T, I, I, I, I};
static const char *const sv_cols[] = {"id", "body", "bytes", "author_id", "note", "created_at"};
static const enum store_col_type sv_types[] = {I, T, I, I, T, I};
static const char *const obj_cols[] = {"id", "title", "description", "period", "created_at",
				       "updated_at"};
static const enum store_col_type obj_types[] = {I, T, T, T, I, I};
static const char *const kr_cols[] = {"id", "objective_id", "metric", "baseline", "target",
				      "current_value", "measured_at", "created_at"};
static const enum store_col_type kr_types[] = {I, I, T, I, I, I, I, I};
static const char *const op_cols[] = {"objective_id", "pillar_id"};
static const enum store_col_type op_types[] = {I, I};
static const char *const ini_cols[] = {"id", "title", "description", "owner_id", "pillar_id",
				       "horizon", "start_day", "target_day", "status", "health",
				       "public", "position", "created_at", "updated_at", "version"};
static const enum store_col_type ini_types[] = {I, T, T, I, I, I, I, I, I, I, I, I, I, I, I};
static const char *const io_cols[] = {"initiative_id", "objective_id"};
static const enum store_col_type io_types[] = {I, I};
static const char *const ie_cols[] = {"issue_id", "initiative_id"};
static const enum store_col_type ie_types[] = {I, I};
static const char *const iu_cols[] = {"id", "initiative_id", "author_id", "at", "health", "text"};
static const enum store_col_type iu_types[] = {I, I, I, I, I, T};
static const char *const sh_cols[] = {"id", "object", "actor_id", "at", "field", "old_value",
				      "new_value"};
static const enum store_col_type sh_types[] = {I, T, I, I, T, T, T};
static const char *const dec_cols[] = {"id", "title", "context", "options", "decision",
				       "consequences", "status", "decided_at", "review_day",
				       "supersedes_id", "snapshot", "search_fold", "created_by",
				       "created_at", "updated_at", "version"};
static const enum store_col_type dec_types[] = {I, T, T, T, T, T, I, I, I, I, T, T, I, I, I, I};
static const char *const dp_cols[] = {"decision_id", "role", "user_id"};
static const enum store_col_type dp_types[] = {I, I, I};
static const char *const dl_cols[] = {"decision_id", "kind", "target_id"};
static const enum store_col_type dl_types[] = {I, I, I};
static const char *const dh_cols[] = {"id", "decision_id", "actor_id", "at", "field", "old_value",
				      "new_value"};
static const enum store_col_type dh_types[] = {I, I, I, I, T, T, T};
static const char *const ft_cols[] = {"issue_id", "tier", "rationale", "set_by", "set_at"};
static const enum store_col_type ft_types[] = {I, T, T, I, I};
static const char *const es_cols[] = {"id", "title", "facilitator_id", "mode", "stage", "status",
				      "closes_at", "current_issue", "created_at", "updated_at",
				      "version"};
static const enum store_col_type es_types[] = {I, T, I, I, I, I, I, I, I, I, I};
static const char *const ep_cols[] = {"session_id", "user_id"};
static const enum store_col_type ep_types[] = {I, I};
static const char *const ei_cols[] = {"session_id", "issue_id", "position", "round",
				      "revealed_round", "final_size", "final_by", "final_at",
				      "final_cto"};
static const enum store_col_type ei_types[] = {I, I, I, I, I, I, I, I, I};
static const char *const ev_cols[] = {"session_id", "issue_id", "round", "user_id", "size",
				      "voted_at"};
static const enum store_col_type ev_types[] = {I, I, I, I, I, I};
static const char *const eh_cols[] = {"id", "session_id", "issue_id", "actor_id", "at", "field",
				      "old_value", "new_value"};
static const enum store_col_type eh_types[] = {I, I, I, I, I, T, T, T};
/* body_html is rendered again on restore, as for issues and entries */
static const char *const ic_cols[] = {"id", "issue_id", "author_id", "body", "created_at",
				      "updated_at", "edits", "deleted_at", "deleted_by", "version"};
static const enum store_col_type ic_types[] = {I, I, I, T, I, I, I, I, I, I};
static const char *const ch_cols[] = {"id", "comment_id", "actor_id", "at", "field", "old_value",
				      "new_value"};
static const enum store_col_type ch_types[] = {I, I, I, I, T, T, T};
static const char *const cm_cols[] = {"comment_id", "user_id"};
static const enum store_col_type cm_types[] = {I, I};
static const char *const cr_cols[] = {"comment_id", "target_id"};
static const enum store_col_type cr_types[] = {I, I};
static const char *const ir_cols[] = {"source_id", "target_id", "actor_id", "at"};
static const enum store_col_type ir_types[] = {I, I, I, I};
static const char *const iw_cols[] = {"issue_id", "user_id", "since", "muted"};
static const enum store_col_type iw_types[] = {I, I, I, I};
static const char *const nt_cols[] = {"id", "user_id", "issue_id", "kind", "actor_id", "at",
				      "read_at", "detail"};
static const enum store_col_type nt_types[] = {I, I, I, T, I, I, I, T};
static const char *const ma_cols[] = {"user_id", "address", "since", "last_digest_at"};
static const enum store_col_type ma_types[] = {I, T, I, I};
static const char *const mp_cols[] = {"user_id", "kind", "mode"};
static const enum store_col_type mp_types[] = {I, T, T};
static const char *const mq_cols[] = {"id", "user_id", "digest", "state", "attempts", "next_at",
				      "claimed_until", "error", "created_at", "updated_at"};
static const enum store_col_type mq_types[] = {I, I, I, I, I, I, I, T, I, I};
static const char *const mi_cols[] = {"mail_id", "notification_id"};
static const enum store_col_type mi_types[] = {I, I};
static const char *const ghr_cols[] = {"id", "full_name", "full_name_fold", "gh_id", "secret",
				       "token", "area_id", "created_at", "updated_at"};
static const enum store_col_type ghr_types[] = {I, T, T, I, T, T, I, I, I};
static const char *const ghl_cols[] = {"login_fold", "login", "user_id"};
static const enum store_col_type ghl_types[] = {T, T, I};
static const char *const ghi_cols[] = {"issue_id", "repo_id", "gh_number", "url", "assignees",
				       "deleted_at"};
static const enum store_col_type ghi_types[] = {I, I, I, T, T, I};
static const char *const ghc_cols[] = {"comment_id", "gh_id"};
static const enum store_col_type ghc_types[] = {I, I};
static const char *const ghd_cols[] = {"id", "guid", "repo_id", "repository", "event", "action",
				       "result", "message", "body", "received_at", "processed_at",
				       "attempts"};
static const enum store_col_type ghd_types[] = {I, T, I, T, T, T, T, T, T, I, I, I};
static const char *const gho_cols[] = {"id", "repo_id", "issue_id", "kind", "method", "path",
				       "body", "state", "attempts", "next_at", "claimed_until",
				       "status", "error", "created_at", "updated_at"};
static const enum store_col_type gho_types[] = {I, I, I, T, T, T, T, I, I, I, I, I, T, I, I};
#undef I
#undef T

#define TABLE(name, key, then, c, t) {name, key, then, c, t, (int)(sizeof c / sizeof c[0])}
static const struct dump_table tables[] = {
	TABLE("users", "id", NULL, users_cols, users_types),
	TABLE("api_tokens", "id", NULL, tokens_cols, tokens_types),
	TABLE("sessions", "id", NULL, sessions_cols, sessions_types),
	/* paged by the name's length, then name: values can be large (a time) */
	TABLE("counters", "LENGTH(name)", "name", counters_cols, counters_types),
	/* no integer key: paged by the name's length, then by name (a handful of rows) */
	TABLE("settings", "LENGTH(name)", "name", settings_cols, settings_types),
	TABLE("customers", "id", NULL, customers_cols, customers_types),
	TABLE("personas", "id", NULL, personas_cols, personas_types),
	TABLE("pillars", "id", NULL, pillars_cols, pillars_types),
	TABLE("areas", "id", NULL, areas_cols, areas_types),
	TABLE("milestones", "id", NULL, milestones_cols, milestones_types),
	TABLE("issues", "id", NULL, issues_cols, issues_types),
	TABLE("milestone_scope", "id", NULL, scope_cols, scope_types),
	TABLE("insights", "id", NULL, insights_cols, insights_types),
	TABLE("insight_links", "insight_id", "issue_id", links_cols, links_types),
	TABLE("issue_labels", "issue_id", "label", labels_cols, labels_types),
	TABLE("history", "id", NULL, history_cols, history_types),
	TABLE("changelog_entries", "id", NULL, cl_entries_cols, cl_entries_types),
	TABLE("changelog_authors", "entry_id", "position", cl_authors_cols, cl_authors_types),
	TABLE("changelog_issues", "entry_id", "position", cl_issues_cols, cl_issues_types),
	TABLE("changelog_comments", "id", NULL, cl_comments_cols, cl_comments_types),
	TABLE("changelog_history", "id", NULL, cl_history_cols, cl_history_types),
	TABLE("hooks", "id", NULL, hooks_cols, hooks_types),
	TABLE("hook_deliveries", "id", NULL, deliveries_cols, deliveries_types),
	TABLE("strategy_versions", "id", NULL, sv_cols, sv_types),
	TABLE("objectives", "id", NULL, obj_cols, obj_types),
	TABLE("key_results", "id", NULL, kr_cols, kr_types),
	TABLE("objective_pillars", "objective_id", "pillar_id", op_cols, op_types),
	TABLE("initiatives", "id", NULL, ini_cols, ini_types),
	TABLE("initiative_objectives", "initiative_id", "objective_id", io_cols, io_types),
	TABLE("initiative_epics", "issue_id", NULL, ie_cols, ie_types),
	TABLE("initiative_updates", "id", NULL, iu_cols, iu_types),
	TABLE("strategy_history", "id", NULL, sh_cols, sh_types),
	TABLE("decisions", "id", NULL, dec_cols, dec_types),
	/* then by role or kind, then the other id: one order on every backend */
	TABLE("decision_people", "decision_id", "role * 1000000000000 + user_id", dp_cols, dp_types),
	TABLE("decision_links", "decision_id", "kind * 1000000000000 + target_id", dl_cols, dl_types),
	TABLE("decision_history", "id", NULL, dh_cols, dh_types),
	TABLE("feature_tiers", "issue_id", NULL, ft_cols, ft_types),
	TABLE("estimation_sessions", "id", NULL, es_cols, es_types),
	TABLE("estimation_participants", "session_id", "user_id", ep_cols, ep_types),
	TABLE("estimation_items", "session_id", "issue_id", ei_cols, ei_types),
	/* then by issue, round and voter folded into one order */
	TABLE("estimation_votes", "session_id",
	      "issue_id * 1000000000 + round * 1000000 + user_id", ev_cols, ev_types),
	TABLE("estimation_history", "id", NULL, eh_cols, eh_types),
	TABLE("issue_comments", "id", NULL, ic_cols, ic_types),
	TABLE("comment_history", "id", NULL, ch_cols, ch_types),
	TABLE("comment_mentions", "comment_id", "user_id", cm_cols, cm_types),
	TABLE("comment_refs", "comment_id", "target_id", cr_cols, cr_types),
	TABLE("issue_refs", "source_id", "target_id", ir_cols, ir_types),
	TABLE("issue_watchers", "issue_id", "user_id", iw_cols, iw_types),
	TABLE("notifications", "id", NULL, nt_cols, nt_types),
	TABLE("audit_log", "id", NULL, audit_cols, audit_types),
	TABLE("mail_accounts", "user_id", NULL, ma_cols, ma_types),
	TABLE("mail_prefs", "user_id", "kind", mp_cols, mp_types),
	TABLE("mail_queue", "id", NULL, mq_cols, mq_types),
	TABLE("mail_items", "mail_id", "notification_id", mi_cols, mi_types),
	TABLE("gh_repos", "id", NULL, ghr_cols, ghr_types),
	TABLE("gh_logins", "LENGTH(login_fold)", "login_fold", ghl_cols, ghl_types),
	TABLE("gh_issues", "issue_id", NULL, ghi_cols, ghi_types),
	TABLE("gh_comments", "comment_id", NULL, ghc_cols, ghc_types),
	TABLE("gh_deliveries", "id", NULL, ghd_cols, ghd_types),
	TABLE("gh_outbox", "id", NULL, gho_cols, gho_types),
	/* the events behind GET /api/v1/events are not backed up: they are
	 * notifications of changes that the tables above already hold; nor
	 * is login_throttle (failed logins of the last minutes).  Neither are
	 * rollups and area_rollups (migration 12) nor board_tally (21): they
	 * are derived from the issues, and svc_restore recomputes them
	 * (rollup_rebuild) in the restore's own transaction */
};
#define NTABLES ((int)(sizeof tables / sizeof tables[0]))

const struct dump_table *store_dump_tables(int *n)
{
	*n = NTABLES;
	return tables;
}

const struct dump_table *store_dump_table(const char *name)
{
	for (int k = 0; k < NTABLES; k++)
		if (strcmp(tables[k].name, name) == 0)
			return &tables[k];
	return NULL;
}

/* "a, b, c" — column names from the descriptor (never from input). */
static void column_list(const struct dump_table *t, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int k = 0; k < t->ncols && n < cap; k++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? ", " : "", t->cols[k]);
}

/* Stream rows with lo < key <= hi, ordered; one page. */
static int dump_page(struct store *s, const struct dump_table *t, const char *sql, int64_t lo,
		     int64_t hi, store_dump_fn fn, void *ctx, struct err *e)
{
	struct db_param p[] = {P_INT(lo), P_INT(hi)};
	struct store_value row[DUMP_MAX_COLS];
	struct db_rows *r;
	int more, rc = s->drv->query(s->db, sql, p, 2, &r, e);
	if (rc)
		return rc;
	while (!(rc = s->drv->next(r, &more, e)) && more) {
		for (int k = 0; k < t->ncols; k++) {
			row[k].is_null = s->drv->is_null(r, k);
			row[k].i = t->types[k] == COL_INT ? s->drv->get_int(r, k) : 0;
			row[k].s = t->types[k] == COL_TEXT ? s->drv->get_text(r, k) : NULL;
		}
		if ((rc = fn(ctx, t, row)))
			break;
	}
	s->drv->finish(r);
	return rc;
}

/* Text columns are ordered in byte order (COLLATE), numbers as numbers. */
static int then_is_text(const struct dump_table *t)
{
	for (int k = 0; k < t->ncols; k++)
		if (!strcmp(t->cols[k], t->then_by))
			return t->types[k] == COL_TEXT;
	return 0;
}

int store_dump(struct store *s, store_dump_fn fn, void *ctx, struct err *e)
{
	char cols[512], sql[1024];
	int rc = 0;
	for (int k = 0; k < NTABLES && !rc; k++) {
		const struct dump_table *t = &tables[k];
		int64_t max = 0;
		column_list(t, cols, sizeof cols);
		snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(%s), 0) FROM %s", t->key, t->name);
		if ((rc = store_one_int(s, sql, NULL, 0, &max, e)))
			break;
		if (t->then_by && then_is_text(t))
			snprintf(sql, sizeof sql,
				 "SELECT %s FROM %s WHERE %s > $1 AND %s <= $2 ORDER BY %s, %s COLLATE %s",
				 cols, t->name, t->key, t->key, t->key, t->then_by,
				 s->drv->word(DB_W_BINARY));
		else if (t->then_by)
			snprintf(sql, sizeof sql,
				 "SELECT %s FROM %s WHERE %s > $1 AND %s <= $2 ORDER BY %s, %s", cols,
				 t->name, t->key, t->key, t->key, t->then_by);
		else
			snprintf(sql, sizeof sql,
				 "SELECT %s FROM %s WHERE %s > $1 AND %s <= $2 ORDER BY %s", cols,
				 t->name, t->key, t->key, t->key);
		/* keys start at 1 (ids, numbers, name lengths) */
		for (int64_t lo = -1; lo < max && !rc; lo += PAGE)
			rc = dump_page(s, t, sql, lo, lo + PAGE, fn, ctx, e);
	}
	return rc;
}

int store_is_empty(struct store *s, int *empty, struct err *e)
{
	int64_t n = 0;
	int rc = store_one_int(s, "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM issues)",
			       NULL, 0, &n, e);
	*empty = n == 0;
	return rc;
}

static int remember_parent(struct store *s, int64_t number, int64_t parent, struct err *e)
{
	if (s->nparents == s->cap_parents) {
		size_t cap = s->cap_parents ? 2 * s->cap_parents : 1024;
		struct restore_parent *np = realloc(s->parents, cap * sizeof *np);
		if (!np)
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		s->parents = np;
		s->cap_parents = cap;
	}
	s->parents[s->nparents++] = (struct restore_parent){number, parent};
	return 0;
}

int store_restore_row(struct store *s, const struct dump_table *t, const struct store_value *row,
		      struct err *e)
{
	struct db_param p[DUMP_MAX_COLS + 2];
	char cols[1024], sql[2400];
	size_t n;
	int is_issue = strcmp(t->name, "issues") == 0;
	int is_entry = strcmp(t->name, "changelog_entries") == 0;
	int is_comment = strcmp(t->name, "issue_comments") == 0;
	char *fold = NULL;
	int rc;

	if (t->ncols > DUMP_MAX_COLS)
		return err_set(e, CAIRN_EINTERNAL, NULL, "table has too many columns");
	for (int k = 0; k < t->ncols; k++) {
		if (row[k].is_null)
			p[k] = P_NULL;
		else if (t->types[k] == COL_INT)
			p[k] = P_INT(row[k].i);
		else
			p[k] = P_TEXT(row[k].s);
		if (is_issue && strcmp(t->cols[k], "parent_number") == 0 && !row[k].is_null) {
			if ((rc = remember_parent(s, row[1].i, row[k].i, e)))
				return rc;
			p[k] = P_NULL;
		}
	}
	int np = t->ncols;
	column_list(t, cols, sizeof cols);
	char *html = NULL;
	if (is_issue) {
		/* derived columns are recomputed rather than trusted from a dump:
		 * the folded title (search) and the rendered body (safe HTML) */
		const char *body = row[4].s ? row[4].s : "";
		fold = utf8_fold(row[3].s ? row[3].s : "");
		html = markdown_to_html(body, strlen(body));
		if (!fold || !html) {
			free(fold);
			free(html);
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		}
		p[np++] = P_TEXT(fold);
		p[np++] = P_TEXT(html);
		snprintf(cols + strlen(cols), sizeof cols - strlen(cols), ", title_fold, body_html");
	} else if (is_entry || is_comment) {
		/* the rendered body is recomputed here too */
		const char *body = row[is_entry ? 4 : 3].s ? row[is_entry ? 4 : 3].s : "";
		if (!(html = markdown_to_html(body, strlen(body))))
			return err_set(e, CAIRN_ENOMEM, NULL, "out of memory");
		p[np++] = P_TEXT(html);
		snprintf(cols + strlen(cols), sizeof cols - strlen(cols), ", body_html");
	}
	n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (", t->name, cols);
	for (int k = 0; k < np && n < sizeof sql; k++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, "%s$%d", k ? ", " : "", k + 1);
	if (strcmp(t->name, "counters") == 0)
		snprintf(sql + n, sizeof sql - n, ") ON CONFLICT (name) DO UPDATE SET value = excluded.value");
	else
		snprintf(sql + n, sizeof sql - n, ")");
	rc = store_run(s, sql, p, np, NULL, e);
	free(fold);
	free(html);
	return rc;
}

int store_restore_finish(struct store *s, struct err *e)
{
	int rc = 0;
	for (size_t k = 0; k < s->nparents && !rc; k++) {
		struct db_param p[] = {P_INT(s->parents[k].parent), P_INT(s->parents[k].number)};
		rc = store_run(s, "UPDATE issues SET parent_number = $1 WHERE number = $2", p, 2, NULL,
			       e);
	}
	free(s->parents);
	s->parents = NULL;
	s->nparents = s->cap_parents = 0;
	for (int k = 0; k < NTABLES && !rc; k++)
		if (strcmp(tables[k].key, "id") == 0)
			rc = s->drv->after_restore(s->db, tables[k].name, e);
	return rc;
}

void store_restore_discard(struct store *s)
{
	free(s->parents);
	s->parents = NULL;
	s->nparents = s->cap_parents = 0;
}
