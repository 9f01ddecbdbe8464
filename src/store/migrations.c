/*
 * migrations.c — the one ordered list of schema migrations, shared by all
 * backends.  SQL is portable; dialect words are written as {{WORD}} and
 * replaced by the driver's word() (see db.h).  Never edit a migration that
 * has shipped: add a new one.
 */
#include "store/migrations.h"

const struct migration migrations[] = {
	{1, "foundation",
	 "CREATE TABLE users ("
	 " id {{ID}}, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',"
	 " role INTEGER NOT NULL, password_hash TEXT NOT NULL, created_at BIGINT NOT NULL);"
	 "CREATE TABLE api_tokens ("
	 " id {{ID}}, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	 " name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);"
	 "CREATE TABLE sessions ("
	 " id {{ID}}, user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	 " token_hash TEXT NOT NULL UNIQUE, csrf TEXT NOT NULL, created_at BIGINT NOT NULL,"
	 " expires_at BIGINT NOT NULL);"
	 "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);"
	 "INSERT INTO counters (name, value) VALUES ('issue', 0);"
	 "CREATE TABLE issues ("
	 " id {{ID}}, number BIGINT NOT NULL UNIQUE, type INTEGER NOT NULL,"
	 " title TEXT NOT NULL, title_fold TEXT NOT NULL DEFAULT '',"
	 " body TEXT NOT NULL DEFAULT '', body_html TEXT NOT NULL DEFAULT '',"
	 " state INTEGER NOT NULL DEFAULT 0,"
	 " priority INTEGER NOT NULL DEFAULT 0, pm_size INTEGER NOT NULL DEFAULT 0,"
	 " size INTEGER NOT NULL DEFAULT 0,"
	 " parent_number BIGINT REFERENCES issues(number),"
	 " assignee_id BIGINT REFERENCES users(id), reporter_id BIGINT REFERENCES users(id),"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, closed_at BIGINT,"
	 " version BIGINT NOT NULL DEFAULT 1);"
	 /* every list filter the UI offers gets an index that also serves
	  * the newest-first order and the count */
	 "CREATE INDEX issues_state_number ON issues(state, number);"
	 "CREATE INDEX issues_type_number ON issues(type, number);"
	 "CREATE INDEX issues_state_type_number ON issues(state, type, number);"
	 "CREATE INDEX issues_priority_number ON issues(priority, number);"
	 "CREATE INDEX issues_parent ON issues(parent_number);"
	 "CREATE INDEX issues_assignee ON issues(assignee_id);"
	 "CREATE INDEX issues_reporter ON issues(reporter_id);"
	 "CREATE TABLE issue_labels ("
	 " issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " label TEXT NOT NULL, PRIMARY KEY (issue_id, label));"
	 "CREATE INDEX issue_labels_label ON issue_labels(label, issue_id);"
	 "CREATE TABLE history ("
	 " id {{ID}}, issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL, field TEXT NOT NULL,"
	 " old_value TEXT, new_value TEXT);"
	 "CREATE INDEX history_issue ON history(issue_id, id);"},
	{2, "triage",
	 /* the product board (0 = No Status, the triage inbox), bug severity,
	  * CVSS with its computed score (x10), severity and fix-by date */
	 "ALTER TABLE issues ADD COLUMN board INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE issues ADD COLUMN bug_severity INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE issues ADD COLUMN cvss TEXT;"
	 "ALTER TABLE issues ADD COLUMN cvss_score INTEGER;"
	 "ALTER TABLE issues ADD COLUMN severity INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE issues ADD COLUMN fix_by BIGINT;"
	 "ALTER TABLE issues ADD COLUMN triaged_at BIGINT;"
	 "ALTER TABLE issues ADD COLUMN duplicate_of BIGINT;"
	 "ALTER TABLE issues ADD COLUMN close_reason TEXT;"
	 "UPDATE issues SET board = 8 WHERE state = 1;"
	 "CREATE INDEX issues_board_number ON issues(board, number);"
	 "CREATE INDEX issues_type_fix_by ON issues(type, fix_by);"
	 "CREATE INDEX issues_triaged_at ON issues(triaged_at);"
	 "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);"},
	{3, "insights",
	 /* customers, personas, insights (product feedback) linked to issues */
	 "CREATE TABLE customers ("
	 " id {{ID}}, name TEXT NOT NULL UNIQUE, tier TEXT NOT NULL DEFAULT '',"
	 " arr BIGINT NOT NULL DEFAULT 0, seats INTEGER NOT NULL DEFAULT 0,"
	 " strategic INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL);"
	 "CREATE TABLE personas ("
	 " id {{ID}}, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '',"
	 " buyer_level INTEGER NOT NULL, created_at BIGINT NOT NULL);"
	 "CREATE TABLE insights ("
	 " id {{ID}}, source INTEGER NOT NULL, category INTEGER NOT NULL DEFAULT 0,"
	 " customer_id BIGINT REFERENCES customers(id), persona_id BIGINT REFERENCES personas(id),"
	 " title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', url TEXT,"
	 " captured_at BIGINT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
	 " created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL,"
	 " answered_at BIGINT);"
	 "CREATE INDEX insights_state_captured ON insights(state, captured_at, id);"
	 "CREATE INDEX insights_customer ON insights(customer_id);"
	 "CREATE TABLE insight_links ("
	 " insight_id BIGINT NOT NULL REFERENCES insights(id) ON DELETE CASCADE,"
	 " issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " importance INTEGER NOT NULL, created_at BIGINT NOT NULL,"
	 " PRIMARY KEY (insight_id, issue_id));"
	 "CREATE INDEX insight_links_issue ON insight_links(issue_id);"
	 /* RICE inputs a PM sets by hand (NULL: the defaults of core/scores.h) */
	 "ALTER TABLE issues ADD COLUMN rice_reach INTEGER;"
	 "ALTER TABLE issues ADD COLUMN rice_impact INTEGER;"
	 "ALTER TABLE issues ADD COLUMN rice_confidence INTEGER;"},
	{4, "planning",
	 /* pillars and areas (epics link to an area), milestones, and each
	  * issue's membership of milestones over time (scope rows: the frozen
	  * scope, added/removed, slips are derived from their times) */
	 "CREATE TABLE pillars ("
	 " id {{ID}}, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '',"
	 " created_at BIGINT NOT NULL);"
	 "CREATE TABLE areas ("
	 " id {{ID}}, pillar_id BIGINT NOT NULL REFERENCES pillars(id), name TEXT NOT NULL,"
	 " description TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,"
	 " UNIQUE (pillar_id, name));"
	 "CREATE TABLE milestones ("
	 " id {{ID}}, title TEXT NOT NULL UNIQUE, start_day BIGINT NOT NULL,"
	 " due_day BIGINT NOT NULL, capacity INTEGER NOT NULL DEFAULT 0,"
	 " created_at BIGINT NOT NULL);"
	 "CREATE INDEX milestones_start ON milestones(start_day, id);"
	 "CREATE TABLE milestone_scope ("
	 " id {{ID}}, milestone_id BIGINT NOT NULL REFERENCES milestones(id),"
	 " issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " added_at BIGINT NOT NULL, removed_at BIGINT, slip_reason TEXT,"
	 /* the item's done time and points as this milestone saw them: kept
	  * in step while the row is live (in it, milestone not over), then
	  * frozen, so a closed milestone's report never changes */
	 " done_at BIGINT, points INTEGER NOT NULL DEFAULT 0);"
	 "CREATE INDEX milestone_scope_milestone ON milestone_scope(milestone_id, issue_id);"
	 "CREATE INDEX milestone_scope_issue ON milestone_scope(issue_id, id);"
	 "ALTER TABLE issues ADD COLUMN dev_status INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE issues ADD COLUMN board_position BIGINT NOT NULL DEFAULT 0;"
	 "ALTER TABLE issues ADD COLUMN dev_position BIGINT NOT NULL DEFAULT 0;"
	 "ALTER TABLE issues ADD COLUMN milestone_id BIGINT REFERENCES milestones(id);"
	 "ALTER TABLE issues ADD COLUMN area_id BIGINT REFERENCES areas(id);"
	 "ALTER TABLE issues ADD COLUMN started_at BIGINT;"
	 "ALTER TABLE issues ADD COLUMN expected_day BIGINT;"
	 "ALTER TABLE issues ADD COLUMN done_at BIGINT;"
	 "ALTER TABLE issues ADD COLUMN dod INTEGER NOT NULL DEFAULT 0;"
	 /* board order: creation order until someone drags a card */
	 "UPDATE issues SET board_position = number * 1024;"
	 "UPDATE issues SET done_at = closed_at WHERE state = 1 AND close_reason IS NULL;"
	 /* the board columns page in board order (the closed and done columns
	  * read it backwards: an item entering a column goes to its end) */
	 "CREATE INDEX issues_board_position ON issues(board, board_position, number);"
	 /* column counts and points read from the index alone (also under
	  * the privacy rule, which needs type and reporter) */
	 "CREATE INDEX issues_board_counts ON issues(board, type, reporter_id, size, pm_size);"
	 /* partial: most issues are on no development board, in no milestone,
	  * in no area, not done; inserting them costs these indexes nothing */
	 "CREATE INDEX issues_dev_position ON issues(dev_status, dev_position, number)"
	 " WHERE dev_status > 0;"
	 "CREATE INDEX issues_milestone ON issues(milestone_id, dev_status)"
	 " WHERE milestone_id IS NOT NULL;"
	 "CREATE INDEX issues_done_at ON issues(done_at) WHERE done_at IS NOT NULL;"
	 "CREATE INDEX issues_area ON issues(area_id) WHERE area_id IS NOT NULL;"},
	{5, "changelog",
	 /* changelog entries (state 0 draft, 1 in review, 2 approved, 3
	  * published), their authors and linked issues (a Cairn issue, or an
	  * external reference kept as written), review comments, history */
	 "CREATE TABLE changelog_entries ("
	 " id {{ID}}, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
	 " description TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',"
	 " body_html TEXT NOT NULL DEFAULT '', date_at BIGINT NOT NULL,"
	 " date_set INTEGER NOT NULL DEFAULT 0, tags TEXT NOT NULL DEFAULT 'changelog',"
	 " milestone_id BIGINT REFERENCES milestones(id), state INTEGER NOT NULL DEFAULT 0,"
	 " created_by BIGINT REFERENCES users(id), approved_by BIGINT REFERENCES users(id),"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, published_at BIGINT,"
	 " version BIGINT NOT NULL DEFAULT 1);"
	 /* the public page and the feed: published, newest first */
	 "CREATE INDEX changelog_state_date ON changelog_entries(state, date_at, id);"
	 "CREATE INDEX changelog_milestone ON changelog_entries(milestone_id)"
	 " WHERE milestone_id IS NOT NULL;"
	 "CREATE TABLE changelog_authors ("
	 " entry_id BIGINT NOT NULL REFERENCES changelog_entries(id) ON DELETE CASCADE,"
	 " position INTEGER NOT NULL, handle TEXT NOT NULL,"
	 " user_id BIGINT REFERENCES users(id), PRIMARY KEY (entry_id, position));"
	 "CREATE TABLE changelog_issues ("
	 " entry_id BIGINT NOT NULL REFERENCES changelog_entries(id) ON DELETE CASCADE,"
	 " position INTEGER NOT NULL, ref TEXT NOT NULL,"
	 " issue_id BIGINT REFERENCES issues(id) ON DELETE SET NULL,"
	 " PRIMARY KEY (entry_id, position));"
	 "CREATE INDEX changelog_issues_issue ON changelog_issues(issue_id, entry_id)"
	 " WHERE issue_id IS NOT NULL;"
	 "CREATE TABLE changelog_comments ("
	 " id {{ID}}, entry_id BIGINT NOT NULL REFERENCES changelog_entries(id) ON DELETE CASCADE,"
	 " parent_id BIGINT REFERENCES changelog_comments(id) ON DELETE CASCADE,"
	 " author_id BIGINT REFERENCES users(id), body TEXT NOT NULL, created_at BIGINT NOT NULL,"
	 " resolved_at BIGINT, resolved_by BIGINT REFERENCES users(id));"
	 "CREATE INDEX changelog_comments_entry ON changelog_comments(entry_id, id);"
	 "CREATE TABLE changelog_history ("
	 " id {{ID}}, entry_id BIGINT NOT NULL REFERENCES changelog_entries(id) ON DELETE CASCADE,"
	 " actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL, field TEXT NOT NULL,"
	 " old_value TEXT, new_value TEXT);"
	 "CREATE INDEX changelog_history_entry ON changelog_history(entry_id, id);"
	 /* bumped by every change the public changelog shows: its ETag */
	 "INSERT INTO counters (name, value) VALUES ('changelog', 0);"
	 "INSERT INTO counters (name, value) VALUES ('changelog_at', 0);"
	 /* closing the loop: who told the customer */
	 "ALTER TABLE insights ADD COLUMN answered_by BIGINT REFERENCES users(id);"
	 /* outgoing notification hooks and their deliveries (state 0 pending,
	  * 1 delivered, 2 failed); next_at and claimed_until are wall-clock ms */
	 "CREATE TABLE hooks ("
	 " id {{ID}}, url TEXT NOT NULL, secret TEXT NOT NULL, created_at BIGINT NOT NULL);"
	 "CREATE TABLE hook_deliveries ("
	 " id {{ID}}, hook_id BIGINT NOT NULL REFERENCES hooks(id) ON DELETE CASCADE,"
	 " event TEXT NOT NULL, entry_id BIGINT, payload TEXT NOT NULL,"
	 " state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
	 " status INTEGER NOT NULL DEFAULT 0, error TEXT, next_at BIGINT NOT NULL,"
	 " claimed_until BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL,"
	 " updated_at BIGINT NOT NULL);"
	 "CREATE INDEX hook_deliveries_due ON hook_deliveries(state, next_at);"},
	{6, "strategy",
	 /* the strategy document's versions; objectives with key results (numbers
	  * in thousandths); pillars' intended share; initiatives between pillars
	  * and epics, their health updates; one history for all of it */
	 "CREATE TABLE strategy_versions ("
	 " id {{ID}}, body TEXT NOT NULL, bytes BIGINT NOT NULL DEFAULT 0,"
	 " author_id BIGINT REFERENCES users(id),"
	 " note TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL);"
	 "CREATE TABLE objectives ("
	 " id {{ID}}, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	 " period TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	 "CREATE TABLE key_results ("
	 " id {{ID}}, objective_id BIGINT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,"
	 " metric TEXT NOT NULL, baseline BIGINT NOT NULL, target BIGINT NOT NULL,"
	 " current_value BIGINT, measured_at BIGINT, created_at BIGINT NOT NULL);"
	 "CREATE INDEX key_results_objective ON key_results(objective_id, id);"
	 "CREATE TABLE objective_pillars ("
	 " objective_id BIGINT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,"
	 " pillar_id BIGINT NOT NULL REFERENCES pillars(id) ON DELETE CASCADE,"
	 " PRIMARY KEY (objective_id, pillar_id));"
	 "ALTER TABLE pillars ADD COLUMN target_share INTEGER;"
	 "CREATE TABLE initiatives ("
	 " id {{ID}}, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	 " owner_id BIGINT REFERENCES users(id), pillar_id BIGINT REFERENCES pillars(id),"
	 " horizon INTEGER NOT NULL DEFAULT 0, start_day BIGINT, target_day BIGINT,"
	 " status INTEGER NOT NULL DEFAULT 0, health INTEGER NOT NULL DEFAULT 0,"
	 " public INTEGER NOT NULL DEFAULT 0, position BIGINT NOT NULL DEFAULT 0,"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
	 "CREATE INDEX initiatives_pillar ON initiatives(pillar_id);"
	 "CREATE TABLE initiative_objectives ("
	 " initiative_id BIGINT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,"
	 " objective_id BIGINT NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,"
	 " PRIMARY KEY (initiative_id, objective_id));"
	 /* an epic belongs to at most one initiative */
	 "CREATE TABLE initiative_epics ("
	 " issue_id BIGINT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,"
	 " initiative_id BIGINT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE);"
	 "CREATE INDEX initiative_epics_initiative ON initiative_epics(initiative_id, issue_id);"
	 "CREATE TABLE initiative_updates ("
	 " id {{ID}}, initiative_id BIGINT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,"
	 " author_id BIGINT REFERENCES users(id), at BIGINT NOT NULL, health INTEGER NOT NULL,"
	 " text TEXT NOT NULL);"
	 "CREATE INDEX initiative_updates_initiative ON initiative_updates(initiative_id, id);"
	 "CREATE TABLE strategy_history ("
	 " id {{ID}}, object TEXT NOT NULL, actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL,"
	 " field TEXT NOT NULL, old_value TEXT, new_value TEXT);"},
	{7, "decisions",
	 /* the decision log: options as a JSON array, the evidence frozen at
	  * acceptance as JSON, the words folded for search; RACI people
	  * (role 0..3) and links (kind 0 issue, 1 initiative, 2 insight) */
	 "CREATE TABLE decisions ("
	 " id {{ID}}, title TEXT NOT NULL, context TEXT NOT NULL DEFAULT '',"
	 " options TEXT NOT NULL DEFAULT '[]', decision TEXT NOT NULL DEFAULT '',"
	 " consequences TEXT NOT NULL DEFAULT '', status INTEGER NOT NULL DEFAULT 0,"
	 " decided_at BIGINT, review_day BIGINT, supersedes_id BIGINT REFERENCES decisions(id),"
	 " snapshot TEXT, search_fold TEXT NOT NULL"
	 " DEFAULT '', created_by BIGINT REFERENCES users(id), created_at BIGINT NOT NULL,"
	 " updated_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
	 "CREATE TABLE decision_people ("
	 " decision_id BIGINT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,"
	 " role INTEGER NOT NULL, user_id BIGINT NOT NULL REFERENCES users(id),"
	 " PRIMARY KEY (decision_id, role, user_id));"
	 "CREATE INDEX decision_people_user ON decision_people(user_id, decision_id);"
	 "CREATE TABLE decision_links ("
	 " decision_id BIGINT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,"
	 " kind INTEGER NOT NULL, target_id BIGINT NOT NULL,"
	 " PRIMARY KEY (decision_id, kind, target_id));"
	 "CREATE INDEX decision_links_target ON decision_links(kind, target_id, decision_id);"
	 "CREATE TABLE decision_history ("
	 " id {{ID}}, decision_id BIGINT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,"
	 " actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL, field TEXT NOT NULL,"
	 " old_value TEXT, new_value TEXT);"
	 "CREATE INDEX decision_history_decision ON decision_history(decision_id, id);"
	 "CREATE INDEX decisions_supersedes ON decisions(supersedes_id) WHERE supersedes_id IS NOT NULL;"},
	{8, "tiers",
	 /* a feature's pricing tier (by name, from the tier list in settings)
	  * and the rationale; its changes are in the history */
	 "CREATE TABLE feature_tiers ("
	 " issue_id BIGINT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,"
	 " tier TEXT NOT NULL, rationale TEXT NOT NULL DEFAULT '',"
	 " set_by BIGINT REFERENCES users(id), set_at BIGINT NOT NULL);"
	 "CREATE INDEX feature_tiers_tier ON feature_tiers(tier, issue_id);"},
	{9, "estimation",
	 /* planning poker: sessions over issues, votes per round (size in
	  * points, 0 = "?"), the final size with who set it; the event log
	  * behind GET /api/v1/events (pruned to the newest rows) */
	 "CREATE TABLE estimation_sessions ("
	 " id {{ID}}, title TEXT NOT NULL, facilitator_id BIGINT NOT NULL REFERENCES users(id),"
	 " mode INTEGER NOT NULL DEFAULT 0, stage INTEGER NOT NULL DEFAULT 0,"
	 " status INTEGER NOT NULL DEFAULT 0, closes_at BIGINT, current_issue BIGINT,"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
	 "CREATE INDEX estimation_sessions_status ON estimation_sessions(status, id);"
	 "CREATE TABLE estimation_participants ("
	 " session_id BIGINT NOT NULL REFERENCES estimation_sessions(id) ON DELETE CASCADE,"
	 " user_id BIGINT NOT NULL REFERENCES users(id), PRIMARY KEY (session_id, user_id));"
	 "CREATE TABLE estimation_items ("
	 " session_id BIGINT NOT NULL REFERENCES estimation_sessions(id) ON DELETE CASCADE,"
	 " issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " position INTEGER NOT NULL, round INTEGER NOT NULL DEFAULT 1,"
	 " revealed_round INTEGER NOT NULL DEFAULT 0, final_size INTEGER NOT NULL DEFAULT 0,"
	 " final_by BIGINT REFERENCES users(id), final_at BIGINT, final_cto INTEGER NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (session_id, issue_id));"
	 "CREATE INDEX estimation_items_issue ON estimation_items(issue_id, session_id);"
	 "CREATE TABLE estimation_votes ("
	 " session_id BIGINT NOT NULL, issue_id BIGINT NOT NULL, round INTEGER NOT NULL,"
	 " user_id BIGINT NOT NULL REFERENCES users(id), size INTEGER NOT NULL, voted_at BIGINT NOT NULL,"
	 " PRIMARY KEY (session_id, issue_id, round, user_id),"
	 " FOREIGN KEY (session_id, issue_id) REFERENCES estimation_items(session_id, issue_id)"
	 " ON DELETE CASCADE);"
	 "CREATE TABLE estimation_history ("
	 " id {{ID}}, session_id BIGINT NOT NULL REFERENCES estimation_sessions(id) ON DELETE CASCADE,"
	 " issue_id BIGINT REFERENCES issues(id) ON DELETE CASCADE,"
	 " actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL, field TEXT NOT NULL,"
	 " old_value TEXT, new_value TEXT);"
	 "CREATE INDEX estimation_history_session ON estimation_history(session_id, id);"
	 "CREATE TABLE events ("
	 " id {{ID}}, at BIGINT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,"
	 " private INTEGER NOT NULL DEFAULT 0, owner_id BIGINT, data TEXT NOT NULL);"},
	{10, "login throttle",
	 /* failed logins per account ("u:login") and per client address
	  * ("ip:addr"): the count, when the last one was, and until when
	  * logins are refused */
	 "CREATE TABLE login_throttle ("
	 " key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at BIGINT NOT NULL,"
	 " locked_until BIGINT NOT NULL DEFAULT 0);"
	 "CREATE INDEX login_throttle_last ON login_throttle(last_at);"},
	{11, "credentials",
	 /* tokens get a scope (0 all the owner's rights, as before; 1 read;
	  * 2 write), an optional expiry and their last use; users can be
	  * disabled; sessions end when idle; the audit log of these changes */
	 "ALTER TABLE api_tokens ADD COLUMN scope INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;"
	 "ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;"
	 "CREATE INDEX api_tokens_user ON api_tokens(user_id, id);"
	 "ALTER TABLE users ADD COLUMN disabled_at BIGINT;"
	 "ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;"
	 "UPDATE sessions SET last_seen_at = created_at;"
	 "CREATE INDEX sessions_user ON sessions(user_id);"
	 "CREATE TABLE audit_log ("
	 " id {{ID}}, at BIGINT NOT NULL, actor_id BIGINT REFERENCES users(id),"
	 " action TEXT NOT NULL, target_id BIGINT REFERENCES users(id),"
	 " detail TEXT NOT NULL DEFAULT '');"},
	{12, "rollups",
	 /* roll-ups maintained on write (issue #12): per issue with children
	  * and scope (0 every issue, 1 public issues only), the sums of its
	  * children's numbers (core/plan.h struct rollup_sums); per area and
	  * scope, its epics' count and roll-ups.  Derived: not in backups,
	  * rebuilt from the issues after a restore and after this migration
	  * (the flag below; readers compute on read while it is set). */
	 "CREATE TABLE rollups ("
	 " number BIGINT NOT NULL, scope INTEGER NOT NULL,"
	 " points BIGINT NOT NULL DEFAULT 0, done BIGINT NOT NULL DEFAULT 0,"
	 " booked BIGINT NOT NULL DEFAULT 0, items BIGINT NOT NULL DEFAULT 0,"
	 " done_items BIGINT NOT NULL DEFAULT 0, unsized BIGINT NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (number, scope));"
	 "CREATE TABLE area_rollups ("
	 " area_id BIGINT NOT NULL, scope INTEGER NOT NULL,"
	 " epics BIGINT NOT NULL DEFAULT 0, points BIGINT NOT NULL DEFAULT 0,"
	 " done BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (area_id, scope));"
	 /* whether a reader reported a security issue inside some tree (they
	  * see it, so their numbers are computed on read) */
	 "CREATE INDEX issues_security_in_tree ON issues(reporter_id)"
	 " WHERE type = 6 AND parent_number IS NOT NULL;"
	 "INSERT INTO settings (name, value) VALUES ('rollups_rebuild', '1');"},
	{13, "comments",
	 /* comments on issues (issue #14): markdown with its HTML rendered on
	  * write, the version for If-Match, a soft delete (the row stays as a
	  * "comment deleted" placeholder, its text and history are wiped);
	  * every edit's old and new text in comment_history; the users a
	  * comment @mentions and the issues it references (#N), both derived
	  * from the text on every write; the issues an issue's body references
	  * (who wrote that body, when) */
	 "CREATE TABLE issue_comments ("
	 " id {{ID}}, issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " author_id BIGINT REFERENCES users(id), body TEXT NOT NULL,"
	 " body_html TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,"
	 " updated_at BIGINT NOT NULL, edits INTEGER NOT NULL DEFAULT 0,"
	 " deleted_at BIGINT, deleted_by BIGINT REFERENCES users(id),"
	 " version BIGINT NOT NULL DEFAULT 1);"
	 "CREATE INDEX issue_comments_issue ON issue_comments(issue_id, id);"
	 "CREATE TABLE comment_history ("
	 " id {{ID}}, comment_id BIGINT NOT NULL REFERENCES issue_comments(id) ON DELETE CASCADE,"
	 " actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL, field TEXT NOT NULL,"
	 " old_value TEXT, new_value TEXT);"
	 "CREATE INDEX comment_history_comment ON comment_history(comment_id, id);"
	 "CREATE TABLE comment_mentions ("
	 " comment_id BIGINT NOT NULL REFERENCES issue_comments(id) ON DELETE CASCADE,"
	 " user_id BIGINT NOT NULL REFERENCES users(id), PRIMARY KEY (comment_id, user_id));"
	 "CREATE INDEX comment_mentions_user ON comment_mentions(user_id, comment_id);"
	 "CREATE TABLE comment_refs ("
	 " comment_id BIGINT NOT NULL REFERENCES issue_comments(id) ON DELETE CASCADE,"
	 " target_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " PRIMARY KEY (comment_id, target_id));"
	 "CREATE INDEX comment_refs_target ON comment_refs(target_id, comment_id);"
	 "CREATE TABLE issue_refs ("
	 " source_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " target_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL,"
	 " PRIMARY KEY (source_id, target_id));"
	 "CREATE INDEX issue_refs_target ON issue_refs(target_id, source_id);"},
	{14, "notifications",
	 /* watchers and the in-app inbox (issue #14): who watches an issue
	  * (muted = 1: they unwatched it, and the default rules leave them
	  * be until they watch again); one row per notification of a user,
	  * read_at NULL while unread, detail the comment id or the new
	  * state; the inbox reads "my unread, newest first" */
	 "CREATE TABLE issue_watchers ("
	 " issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " user_id BIGINT NOT NULL REFERENCES users(id), since BIGINT NOT NULL,"
	 " muted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (issue_id, user_id));"
	 "CREATE INDEX issue_watchers_user ON issue_watchers(user_id, issue_id);"
	 "CREATE TABLE notifications ("
	 " id {{ID}}, user_id BIGINT NOT NULL REFERENCES users(id),"
	 " issue_id BIGINT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,"
	 " kind TEXT NOT NULL, actor_id BIGINT REFERENCES users(id), at BIGINT NOT NULL,"
	 " read_at BIGINT, detail TEXT NOT NULL DEFAULT '');"
	 "CREATE INDEX notifications_user ON notifications(user_id, id);"
	 "CREATE INDEX notifications_unread ON notifications(user_id, read_at, id);"},
	{15, "notification email",
	 /* email of notifications (issue #14): a user's address (since: when
	  * it was set, the digest starts there; last_digest_at: when their
	  * last daily digest was made); their choice per kind (mode: inapp,
	  * email, digest, off; no row: the kind's default, core/mail.c); the
	  * outgoing mails (digest 0: one notification at once, 1: a daily
	  * digest; state 0 pending, 1 sent, 2 given up, 3 dropped: nothing left
	  * the recipient may see) with their retries; and the notifications
	  * each mail tells of, read with the recipient's rights when it is sent.
	  * The SMTP settings are rows of settings (smtp_url, ...). */
	 "CREATE TABLE mail_accounts ("
	 " user_id BIGINT PRIMARY KEY REFERENCES users(id), address TEXT NOT NULL,"
	 " since BIGINT NOT NULL, last_digest_at BIGINT NOT NULL DEFAULT 0);"
	 "CREATE TABLE mail_prefs ("
	 " user_id BIGINT NOT NULL REFERENCES users(id), kind TEXT NOT NULL, mode TEXT NOT NULL,"
	 " PRIMARY KEY (user_id, kind));"
	 "CREATE TABLE mail_queue ("
	 " id {{ID}}, user_id BIGINT NOT NULL REFERENCES users(id),"
	 " digest INTEGER NOT NULL DEFAULT 0, state INTEGER NOT NULL DEFAULT 0,"
	 " attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL,"
	 " claimed_until BIGINT NOT NULL DEFAULT 0, error TEXT,"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	 "CREATE INDEX mail_queue_due ON mail_queue(state, next_at);"
	 "CREATE TABLE mail_items ("
	 " mail_id BIGINT NOT NULL REFERENCES mail_queue(id) ON DELETE CASCADE,"
	 " notification_id BIGINT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,"
	 " PRIMARY KEY (mail_id, notification_id));"
	 "CREATE INDEX mail_items_notification ON mail_items(notification_id);"},
	{17, "saved views",
	 /* saved views of the issue list (issue #17): a named query with its
	  * sort and columns, personal (shared 0) or shared with the team; a
	  * name is unique per owner (and among shared views, by the service) */
	 "CREATE TABLE saved_views ("
	 " id {{ID}}, owner_id BIGINT NOT NULL REFERENCES users(id), name TEXT NOT NULL,"
	 " query TEXT NOT NULL DEFAULT '', sort TEXT NOT NULL DEFAULT '',"
	 " columns TEXT NOT NULL DEFAULT '', shared INTEGER NOT NULL DEFAULT 0,"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (owner_id, name));"
	 "CREATE INDEX saved_views_shared ON saved_views(shared, name);"},
	{18, "search",
	 /* full-text search over titles, bodies and comments (issue #17):
	  * search_docs and its index, in each backend's own dialect, filled
	  * from the existing issues (store_search.c) */
	 "{{SEARCH_SCHEMA}}"},
	{19, "github",
	 /* the GitHub integration (issue #16): repositories an admin configured
	  * (secret and token write-only; gh_id learned from the first delivery,
	  * so a rename still finds it; area_id maps the repository onto an area,
	  * NULL for the whole product); GitHub logins mapped onto users; the
	  * link of an issue to its GitHub issue (GitHub's own number and URL,
	  * the assignees' logins as GitHub has them, unknown ones included);
	  * the link of a comment to its GitHub comment; every delivery with its
	  * raw body, so an admin can re-process it */
	 "CREATE TABLE gh_repos ("
	 " id {{ID}}, full_name TEXT NOT NULL, full_name_fold TEXT NOT NULL UNIQUE,"
	 " gh_id BIGINT, secret TEXT NOT NULL, token TEXT NOT NULL DEFAULT '',"
	 " area_id BIGINT REFERENCES areas(id), created_at BIGINT NOT NULL,"
	 " updated_at BIGINT NOT NULL);"
	 "CREATE TABLE gh_logins ("
	 " login_fold TEXT PRIMARY KEY, login TEXT NOT NULL,"
	 " user_id BIGINT NOT NULL REFERENCES users(id));"
	 "CREATE TABLE gh_issues ("
	 " issue_id BIGINT PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,"
	 " repo_id BIGINT NOT NULL REFERENCES gh_repos(id) ON DELETE CASCADE,"
	 " gh_number BIGINT NOT NULL, url TEXT NOT NULL, assignees TEXT NOT NULL DEFAULT '',"
	 " deleted_at BIGINT, UNIQUE (repo_id, gh_number));"
	 "CREATE TABLE gh_comments ("
	 " comment_id BIGINT PRIMARY KEY REFERENCES issue_comments(id) ON DELETE CASCADE,"
	 " gh_id BIGINT NOT NULL UNIQUE);"
	 "CREATE TABLE gh_deliveries ("
	 " id {{ID}}, guid TEXT NOT NULL UNIQUE, repo_id BIGINT REFERENCES gh_repos(id) ON DELETE SET NULL,"
	 " repository TEXT NOT NULL DEFAULT '', event TEXT NOT NULL, action TEXT NOT NULL DEFAULT '',"
	 " result TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"
	 " received_at BIGINT NOT NULL, processed_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1);"},
	{20, "github_outbox",
	 /* calls to GitHub's REST API waiting to be made (issue #16): queued in
	  * the transaction of the Cairn change they carry, sent by the server's
	  * worker (claimed_until: one server at a time), retried with backoff
	  * or held until GitHub's rate limit resets; state 0 pending, 1 done,
	  * 2 failed for good */
	 "CREATE TABLE gh_outbox ("
	 " id {{ID}}, repo_id BIGINT NOT NULL REFERENCES gh_repos(id) ON DELETE CASCADE,"
	 " issue_id BIGINT REFERENCES issues(id) ON DELETE CASCADE, kind TEXT NOT NULL,"
	 " method TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL,"
	 " state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
	 " next_at BIGINT NOT NULL, claimed_until BIGINT NOT NULL DEFAULT 0,"
	 " status INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',"
	 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	 "CREATE INDEX gh_outbox_due ON gh_outbox(state, next_at);"
	 "CREATE INDEX gh_outbox_issue ON gh_outbox(issue_id, kind, state);"},
	{21, "board tally",
	 /* the product board's column counts and points maintained on write
	  * (issue #17): per column and secure (1: security issues, which only
	  * some roles see), how many issues and their points (size, else the
	  * PM's size).  A reader who may not see security issues gets the
	  * public row plus the security issues they reported themselves (the
	  * partial index below).  Derived: not in backups, recomputed after a
	  * restore; `cairn check --rollups` compares it with a recount */
	 "CREATE TABLE board_tally ("
	 " board INTEGER NOT NULL, secure INTEGER NOT NULL, n BIGINT NOT NULL DEFAULT 0,"
	 " points BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (board, secure));"
	 "INSERT INTO board_tally (board, secure, n, points)"
	 " SELECT board, CASE WHEN type = 6 THEN 1 ELSE 0 END, COUNT(*),"
	 " SUM(CASE WHEN size > 0 THEN size ELSE pm_size END) FROM issues"
	 " GROUP BY board, CASE WHEN type = 6 THEN 1 ELSE 0 END;"
	 "CREATE INDEX issues_security_reporter ON issues(reporter_id, board) WHERE type = 6;"},
	{23, "triage tally",
	 /* the triage inbox's statistics without a walk of the inbox (issue
	  * #17): how many issues wait in it (open, on No Status or labelled
	  * needs-triage), public ones (secure 0, reporter 0) and security ones
	  * per reporter (who sees their own), kept on write like
	  * board_tally (derived: not in backups; `cairn check --rollups`
	  * compares it with a recount); the open security issues by fix-by
	  * date (the SLA breaches); and the triaged issues' index covering
	  * what the median time to triage reads */
	 "CREATE TABLE triage_tally ("
	 " secure INTEGER NOT NULL, reporter_id BIGINT NOT NULL, n BIGINT NOT NULL DEFAULT 0,"
	 " PRIMARY KEY (secure, reporter_id));"
	 "INSERT INTO triage_tally (secure, reporter_id, n)"
	 " SELECT CASE WHEN type = 6 THEN 1 ELSE 0 END,"
	 " CASE WHEN type = 6 THEN COALESCE(reporter_id, 0) ELSE 0 END, COUNT(*) FROM issues i"
	 " WHERE state = 0 AND (board = 0 OR EXISTS (SELECT 1 FROM issue_labels l"
	 " WHERE l.issue_id = i.id AND l.label = 'needs-triage'))"
	 " GROUP BY CASE WHEN type = 6 THEN 1 ELSE 0 END,"
	 " CASE WHEN type = 6 THEN COALESCE(reporter_id, 0) ELSE 0 END;"
	 "CREATE INDEX issues_security_fix_by ON issues(type, state, fix_by, reporter_id)"
	 " WHERE type = 6;"
	 "DROP INDEX issues_triaged_at;"
	 "CREATE INDEX issues_triaged_at ON issues(triaged_at, created_at, type, reporter_id);"},
	{24, "leaner issue indexes",
	 /* every create inserts into each full index of issues (issue #17's
	  * creates): four fewer here, no list read slower (EXPLAIN QUERY PLAN
	  * of every statement the API suites run, before and after, on the
	  * 1M demo).  issues_reporter served no search (reporter: filters
	  * compare COALESCE(reporter_id, 0)), only counts' scans, which any
	  * narrow index serves; the board tally (21) replaced what
	  * issues_board_counts was for, and its columns ride on
	  * issues_board_number (the tally's rebuild and the size: counts
	  * scan it alone); fix_by is set only on scored security issues and
	  * parent_number only on children, and every query reading them by
	  * index names a value, so those two index only the rows that have one
	  * (IF EXISTS: a database rewound past 18 by a test keeps 24's state) */
	 "DROP INDEX IF EXISTS issues_reporter;"
	 "DROP INDEX IF EXISTS issues_board_counts;"
	 "DROP INDEX IF EXISTS issues_board_number;"
	 "CREATE INDEX issues_board_number ON issues(board, number, type, reporter_id, size, pm_size);"
	 "DROP INDEX IF EXISTS issues_type_fix_by;"
	 "CREATE INDEX issues_type_fix_by ON issues(type, fix_by) WHERE fix_by IS NOT NULL;"
	 "DROP INDEX IF EXISTS issues_parent;"
	 "CREATE INDEX issues_parent ON issues(parent_number) WHERE parent_number IS NOT NULL;"},
};

const int migrations_count = sizeof migrations / sizeof migrations[0];
