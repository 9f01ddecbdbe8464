/*
 * service_test.c — the store and the service layer on a real SQLite file:
 * migrations, validation that changes nothing, role checks, optimistic
 * concurrency, history, privacy of security issues, list filters.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builders.h"
#include "service/service.h"
#include "store/store.h"

static char path[256];
static struct store *st;
static struct user admin, pm, eng, eng2, viewer;

static void add(const char *login, const char *role, struct user *out)
{
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_user_add(st, NULL, login, login, role, "password123", out, &e), 0, "%s",
		     e.msg);
}

static void setup(void)
{
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_init(), 0);
	snprintf(path, sizeof path, "/tmp/cairn-unit-%d-%ld.db", getpid(), random());
	cr_assert_eq(store_open(path, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(svc_db_init(st, &e), 0, "%s", e.msg);
	add("root", "admin", &admin);
	add("pia", "pm", &pm);
	add("eli", "engineer", &eng);
	add("noor", "engineer", &eng2);
	add("vic", "viewer", &viewer);
}

static void teardown(void)
{
	char p[300];
	store_close(st);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	fail_on_leaks();
}

TestSuite(service, .init = setup, .fini = teardown);

static int64_t create(const struct user *who, const char *title, const char *type,
		      const char *size)
{
	struct issue_input in = {0};
	struct issue i;
	struct err e;
	err_clear(&e);
	in.set = IN_TITLE | (type ? IN_TYPE : 0) | (size ? IN_SIZE : 0);
	in.title = title;
	in.type = type;
	in.size = size;
	cr_assert_eq(svc_issue_create(st, who, &in, &i, &e), 0, "%s", e.msg);
	int64_t n = i.number;
	issue_release(&i);
	return n;
}

static int64_t count(const struct user *who, const char *q)
{
	struct issue_list l;
	int64_t total;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_list(st, who, q, 1, 100, &l, &total, &e), 0, "%s", e.msg);
	issue_list_release(&l);
	return total;
}

Test(service, migrations_are_recorded_and_idempotent)
{
	struct err e;
	int v = 0;
	err_clear(&e);
	cr_assert_eq(svc_db_init(st, &e), 0, "a second migrate is a no-op: %s", e.msg);
	cr_assert_eq(svc_health(st, &v, &e), 0);
	cr_assert_eq(v, store_schema_latest());
}

Test(service, refuses_a_schema_newer_than_the_binary)
{
	sqlite3 *db;
	struct err e;
	int v;
	char sql[200];
	err_clear(&e);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'future', 0)",
		 store_schema_latest() + 1);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(svc_db_init(st, &e), CAIRN_ESCHEMA);
	cr_assert(strstr(e.msg, "newer than this cairn"), "%s", e.msg);
	cr_assert_eq(svc_health(st, &v, &e), CAIRN_ESCHEMA);
}

Test(service, numbers_are_sequential_and_sizes_parse)
{
	cr_assert_eq(create(&eng, "one", NULL, "M"), 1);
	cr_assert_eq(create(&eng, "two", "bug", "13"), 2);
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_get(st, &eng, 2, &i, &e), 0);
	cr_assert_eq(i.size, 13);
	cr_assert_eq(i.type, ISSUE_BUG);
	cr_assert_str_eq(i.reporter, "eli");
	issue_release(&i);
}

Test(service, invalid_input_changes_nothing)
{
	create(&eng, "keep me", NULL, NULL);
	struct issue_input in = {.set = IN_TITLE | IN_SIZE, .title = "x", .size = "7"};
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_create(st, &eng, &in, &i, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "size");
	cr_assert_eq(count(&admin, NULL), 1);

	/* An update whose second field is invalid leaves the first unapplied. */
	struct issue_input up = {.set = IN_TITLE | IN_PRIORITY, .title = "renamed", .priority = "urgent"};
	err_clear(&e);
	cr_assert_eq(svc_issue_update(st, &eng, 1, &up, -1, &i, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "priority");
	cr_assert_eq(svc_issue_get(st, &eng, 1, &i, &e), 0);
	cr_assert_str_eq(i.title, "keep me");
	cr_assert_eq(i.version, 1);
	issue_release(&i);

	struct history_list h;
	cr_assert_eq(svc_issue_history(st, &eng, 1, &h, &e), 0);
	cr_assert_eq(h.n, 1, "only the creation is in the history");
	history_list_release(&h);
}

Test(service, stale_version_is_refused_and_history_records_changes)
{
	create(&eng, "title", NULL, "S");
	struct issue_input up = {.set = IN_SIZE | IN_LABELS, .size = "XL",
				 .labels = (const char *[]){"b", "a", "b"}, .nlabels = 3};
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_update(st, &pm, 1, &up, 1, &i, &e), 0, "%s", e.msg);
	cr_assert_eq(i.version, 2);
	cr_assert_eq(i.nlabels, 2, "labels are de-duplicated");
	cr_assert_str_eq(i.labels[0], "a");
	issue_release(&i);

	struct issue_input again = {.set = IN_TITLE, .title = "late"};
	cr_assert_eq(svc_issue_update(st, &eng, 1, &again, 1, &i, &e), CAIRN_ESTALE);
	cr_assert_eq(svc_issue_get(st, &eng, 1, &i, &e), 0);
	cr_assert_str_eq(i.title, "title");
	issue_release(&i);

	struct history_list h;
	cr_assert_eq(svc_issue_history(st, &eng, 1, &h, &e), 0);
	cr_assert_eq(h.n, 3); /* created, size, labels */
	cr_assert_str_eq(h.items[1].field, "size");
	cr_assert_str_eq(h.items[1].actor, "pia");
	cr_assert_str_eq(h.items[1].old_value, "S");
	cr_assert_str_eq(h.items[1].new_value, "XL");
	cr_assert_str_eq(h.items[2].new_value, "a, b");
	history_list_release(&h);
}

Test(service, an_unchanged_update_does_not_bump_the_version)
{
	create(&eng, "same", NULL, NULL);
	struct issue_input up = {.set = IN_TITLE, .title = "same"};
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_update(st, &eng, 1, &up, 1, &i, &e), 0);
	cr_assert_eq(i.version, 1);
	issue_release(&i);
}

Test(service, viewers_cannot_write)
{
	struct issue_input in = {.set = IN_TITLE, .title = "nope"};
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_create(st, &viewer, &in, &i, &e), CAIRN_EFORBIDDEN);
	cr_assert_eq(count(&admin, NULL), 0);
	create(&eng, "exists", NULL, NULL);
	cr_assert_eq(svc_issue_update(st, &viewer, 1, &in, -1, &i, &e), CAIRN_EFORBIDDEN);
	struct user u;
	cr_assert_eq(svc_user_add(st, &eng, "mallory", NULL, "admin", "password123", &u, &e),
		     CAIRN_EFORBIDDEN);
}

Test(service, security_issues_are_private)
{
	create(&eng, "public bug", "bug", NULL);
	int64_t sec = create(&eng, "XSS in login", "security", NULL);
	cr_assert_eq(count(&eng, NULL), 2, "the reporter sees it");
	cr_assert_eq(count(&pm, NULL), 2, "a PM sees it");
	cr_assert_eq(count(&admin, "type:security"), 1);
	cr_assert_eq(count(&eng2, NULL), 1, "another engineer does not");
	cr_assert_eq(count(&viewer, "XSS"), 0, "not even by searching");
	struct issue i;
	struct history_list h;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_get(st, &eng2, sec, &i, &e), CAIRN_ENOTFOUND);
	cr_assert_eq(svc_issue_history(st, &viewer, sec, &h, &e), CAIRN_ENOTFOUND);
	/* Nor can it be used as a parent by someone who cannot see it. */
	struct issue_input in = {.set = IN_TITLE | IN_PARENT, .title = "child", .parent = "2"};
	cr_assert_eq(svc_issue_create(st, &eng2, &in, &i, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "parent");
}

Test(service, parents_must_exist_and_not_cycle)
{
	create(&eng, "epic", "epic", NULL);
	create(&eng, "story", "story", NULL);
	struct issue i;
	struct err e;
	err_clear(&e);
	struct issue_input p = {.set = IN_PARENT, .parent = "1"};
	cr_assert_eq(svc_issue_update(st, &eng, 2, &p, -1, &i, &e), 0, "%s", e.msg);
	issue_release(&i);
	struct issue_input cyc = {.set = IN_PARENT, .parent = "2"};
	cr_assert_eq(svc_issue_update(st, &eng, 1, &cyc, -1, &i, &e), CAIRN_EINVALID);
	cr_assert(strstr(e.msg, "cycle"), "%s", e.msg);
	struct issue_input missing = {.set = IN_PARENT, .parent = "99"};
	cr_assert_eq(svc_issue_update(st, &eng, 1, &missing, -1, &i, &e), CAIRN_EINVALID);
}

Test(service, list_filters_and_pages)
{
	for (int k = 0; k < 12; k++) {
		char t[32];
		snprintf(t, sizeof t, "%s %d", k % 3 ? "Story" : "Crash bug", k);
		create(&eng, t, k % 3 ? "story" : "bug", NULL);
	}
	cr_assert_eq(count(&eng, "type:bug"), 4);
	cr_assert_eq(count(&eng, "crash"), 4, "free text is case-insensitive");
	cr_assert_eq(count(&eng, "100%"), 0, "LIKE wildcards are literal");
	cr_assert_eq(count(&eng, "is:closed"), 0);
	struct issue_list l;
	int64_t total;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_list(st, &eng, NULL, 2, 5, &l, &total, &e), 0);
	cr_assert_eq(total, 12);
	cr_assert_eq(l.n, 5);
	cr_assert_eq(l.items[0].number, 7, "newest first: page 2 starts at #7");
	issue_list_release(&l);
	cr_assert_eq(svc_issue_list(st, &eng, NULL, 1, 101, &l, &total, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "per_page");
}

Test(service, tokens_and_sessions_authenticate_and_are_hashed)
{
	char token[TOKEN_TEXT_LEN + 1], sid[65], csrf[65], c2[65];
	struct user u;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_token_new(st, NULL, "eli", "ci", token, sizeof token, &e), 0);
	cr_assert_eq(svc_auth_token(st, token, &u, &e), 0);
	cr_assert_str_eq(u.login, "eli");
	token[10] ^= 1;
	cr_assert_eq(svc_auth_token(st, token, &u, &e), CAIRN_EUNAUTH);
	cr_assert_eq(svc_token_new(st, &eng, "noor", NULL, token, sizeof token, &e), CAIRN_EFORBIDDEN,
		     "an engineer cannot mint tokens for others");

	cr_assert_eq(svc_session_login(st, "pia", "wrong-password", &u, sid, csrf, 65, &e),
		     CAIRN_EUNAUTH);
	cr_assert_eq(svc_session_login(st, "nobody", "password123", &u, sid, csrf, 65, &e),
		     CAIRN_EUNAUTH);
	cr_assert_eq(svc_session_login(st, "pia", "password123", &u, sid, csrf, 65, &e), 0);
	cr_assert_eq(svc_session_auth(st, sid, &u, c2, sizeof c2, &e), 0);
	cr_assert_str_eq(c2, csrf);
	cr_assert_eq(svc_session_logout(st, sid, &e), 0);
	cr_assert_eq(svc_session_auth(st, sid, &u, c2, sizeof c2, &e), CAIRN_EUNAUTH);

	/* Neither secret is stored in plain text. */
	sqlite3 *db;
	sqlite3_stmt *s;
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT token_hash FROM api_tokens", -1, &s, NULL),
		     SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		cr_assert(strstr((const char *)sqlite3_column_text(s, 0), "cairn_") == NULL);
	sqlite3_finalize(s);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT password_hash FROM users", -1, &s, NULL),
		     SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		cr_assert(strncmp((const char *)sqlite3_column_text(s, 0), "$argon2id$", 10) == 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

Test(service, import_is_all_or_nothing)
{
	struct issue_import recs[2] = {0};
	struct err e;
	err_clear(&e);
	recs[0].in.set = IN_TITLE;
	recs[0].in.title = "good";
	recs[1].in.set = IN_TITLE | IN_TYPE;
	recs[1].in.title = "bad";
	recs[1].in.type = "saga";
	cr_assert_eq(svc_issue_import(st, &admin, recs, 2, &e), CAIRN_EINVALID);
	cr_assert(strstr(e.msg, "record 2"), "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 0);
	cr_assert_eq(svc_issue_import(st, &eng, recs, 1, &e), CAIRN_EFORBIDDEN);
	cr_assert_eq(svc_issue_import(st, &pm, recs, 1, &e), 0);
	cr_assert_eq(count(&admin, NULL), 1);
}
