/*
 * service_test.c — the store and the service layer on a real SQLite file:
 * migrations, validation that changes nothing, role checks, optimistic
 * concurrency, history, privacy of security issues, list filters.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builders.h"
#include "core/timeutil.h"
#include "service/service.h"
#include "store/store.h"
#include "testdb.h"

static struct testdb tdb;
static struct store *st;
static struct user admin, pm, em, eng, eng2, viewer;

static void add(const char *login, const char *role, struct user *out)
{
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_user_add(OP(st, NULL), login, login, role, "password123", out, &e), 0, "%s",
		     e.msg);
}

static void setup(void)
{
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_init(), 0);
	testdb_create(&tdb);
	cr_assert_eq(store_open(tdb.url, &st, &e), 0, "%s", e.msg);
	cr_assert_eq(svc_db_init(OP(st, NULL), &e), 0, "%s", e.msg);
	add("root", "admin", &admin);
	add("pia", "pm", &pm);
	add("emma", "em", &em);
	add("eli", "engineer", &eng);
	add("noor", "engineer", &eng2);
	add("vic", "viewer", &viewer);
}

static void teardown(void)
{
	store_close(st);
	testdb_drop(&tdb);
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
	cr_assert_eq(svc_issue_create(OP(st, who), &in, &i, &e), 0, "%s", e.msg);
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
	cr_assert_eq(svc_issue_list(OP(st, who), q, 1, 100, &l, &total, &e), 0, "%s", e.msg);
	issue_list_release(&l);
	return total;
}

Test(service, migrations_are_recorded_and_idempotent)
{
	struct err e;
	int v = 0;
	err_clear(&e);
	cr_assert_eq(svc_db_init(OP(st, NULL), &e), 0, "a second migrate is a no-op: %s", e.msg);
	cr_assert_eq(svc_health(OP(st, NULL), &v, &e), 0);
	cr_assert_eq(v, store_schema_latest());
}

Test(service, refuses_a_schema_newer_than_the_binary)
{
	struct err e;
	int v;
	char sql[200];
	err_clear(&e);
	snprintf(sql, sizeof sql,
		 "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'future', 0)",
		 store_schema_latest() + 1);
	testdb_exec(&tdb, sql);
	cr_assert_eq(svc_db_init(OP(st, NULL), &e), CAIRN_ESCHEMA);
	cr_assert(strstr(e.msg, "newer than this cairn"), "%s", e.msg);
	cr_assert_eq(svc_health(OP(st, NULL), &v, &e), CAIRN_ESCHEMA);
}

Test(service, numbers_are_sequential_and_sizes_parse)
{
	cr_assert_eq(create(&eng, "one", NULL, "M"), 1);
	cr_assert_eq(create(&eng, "two", "bug", "13"), 2);
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_get(OP(st, &eng), 2, &i, &e), 0);
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
	cr_assert_eq(svc_issue_create(OP(st, &eng), &in, &i, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "size");
	cr_assert_eq(count(&admin, NULL), 1);

	/* An update whose second field is invalid leaves the first unapplied. */
	struct issue_input up = {.set = IN_TITLE | IN_PRIORITY, .title = "renamed", .priority = "urgent"};
	err_clear(&e);
	cr_assert_eq(svc_issue_update(OP(st, &eng), 1, &up, -1, &i, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "priority");
	cr_assert_eq(svc_issue_get(OP(st, &eng), 1, &i, &e), 0);
	cr_assert_str_eq(i.title, "keep me");
	cr_assert_eq(i.version, 1);
	issue_release(&i);

	struct history_list h;
	cr_assert_eq(svc_issue_history(OP(st, &eng), 1, &h, &e), 0);
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
	cr_assert_eq(svc_issue_update(OP(st, &em), 1, &up, 1, &i, &e), 0, "%s", e.msg);
	cr_assert_eq(i.version, 2);
	cr_assert_eq(i.nlabels, 2, "labels are de-duplicated");
	cr_assert_str_eq(i.labels[0], "a");
	issue_release(&i);

	struct issue_input again = {.set = IN_TITLE, .title = "late"};
	cr_assert_eq(svc_issue_update(OP(st, &eng), 1, &again, 1, &i, &e), CAIRN_ESTALE);
	cr_assert_eq(svc_issue_get(OP(st, &eng), 1, &i, &e), 0);
	cr_assert_str_eq(i.title, "title");
	issue_release(&i);

	struct history_list h;
	cr_assert_eq(svc_issue_history(OP(st, &eng), 1, &h, &e), 0);
	cr_assert_eq(h.n, 3); /* created, size, labels */
	cr_assert_str_eq(h.items[1].field, "size");
	cr_assert_str_eq(h.items[1].actor, "emma");
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
	cr_assert_eq(svc_issue_update(OP(st, &eng), 1, &up, 1, &i, &e), 0);
	cr_assert_eq(i.version, 1);
	issue_release(&i);
}

Test(service, viewers_cannot_write)
{
	struct issue_input in = {.set = IN_TITLE, .title = "nope"};
	struct issue i;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_issue_create(OP(st, &viewer), &in, &i, &e), CAIRN_EFORBIDDEN);
	cr_assert_eq(count(&admin, NULL), 0);
	create(&eng, "exists", NULL, NULL);
	cr_assert_eq(svc_issue_update(OP(st, &viewer), 1, &in, -1, &i, &e), CAIRN_EFORBIDDEN);
	struct user u;
	cr_assert_eq(svc_user_add(OP(st, &eng), "mallory", NULL, "admin", "password123", &u, &e),
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
	cr_assert_eq(svc_issue_get(OP(st, &eng2), sec, &i, &e), CAIRN_ENOTFOUND);
	cr_assert_eq(svc_issue_history(OP(st, &viewer), sec, &h, &e), CAIRN_ENOTFOUND);
	/* Nor can it be used as a parent by someone who cannot see it. */
	struct issue_input in = {.set = IN_TITLE | IN_PARENT, .title = "child", .parent = "2"};
	cr_assert_eq(svc_issue_create(OP(st, &eng2), &in, &i, &e), CAIRN_EINVALID);
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
	cr_assert_eq(svc_issue_update(OP(st, &eng), 2, &p, -1, &i, &e), 0, "%s", e.msg);
	issue_release(&i);
	/* the hierarchy rules leave no way round: an epic takes no issue parent */
	struct issue_input cyc = {.set = IN_PARENT, .parent = "2"};
	cr_assert_eq(svc_issue_update(OP(st, &eng), 1, &cyc, -1, &i, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "parent");
	cr_assert(strstr(e.msg, "epic"), "%s", e.msg);
	struct issue_input missing = {.set = IN_PARENT, .parent = "99"};
	cr_assert_eq(svc_issue_update(OP(st, &eng), 1, &missing, -1, &i, &e), CAIRN_EINVALID);
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
	cr_assert_eq(svc_issue_list(OP(st, &eng), NULL, 2, 5, &l, &total, &e), 0);
	cr_assert_eq(total, 12);
	cr_assert_eq(l.n, 5);
	cr_assert_eq(l.items[0].number, 7, "newest first: page 2 starts at #7");
	issue_list_release(&l);
	cr_assert_eq(svc_issue_list(OP(st, &eng), NULL, 1, 101, &l, &total, &e), CAIRN_EINVALID);
	cr_assert_str_eq(e.field, "per_page");
}

static void no_token_prefix(const char *v)
{
	cr_assert(v && strstr(v, "cairn_") == NULL && strlen(v) == 64, "stored: %s", v);
}

static void is_argon2id(const char *v)
{
	cr_assert(v && strncmp(v, "$argon2id$", 10) == 0, "stored: %s", v);
}

Test(service, tokens_and_sessions_authenticate_and_are_hashed)
{
	char token[TOKEN_TEXT_LEN + 1], sid[65], csrf[65], c2[65];
	struct user u;
	struct err e;
	err_clear(&e);
	cr_assert_eq(svc_token_new(OP(st, NULL), "eli", "ci", token, sizeof token, &e), 0);
	cr_assert_eq(svc_auth_token(OP(st, NULL), token, &u, &e), 0);
	cr_assert_str_eq(u.login, "eli");
	token[10] ^= 1;
	cr_assert_eq(svc_auth_token(OP(st, NULL), token, &u, &e), CAIRN_EUNAUTH);
	cr_assert_eq(svc_token_new(OP(st, &eng), "noor", NULL, token, sizeof token, &e), CAIRN_EFORBIDDEN,
		     "an engineer cannot mint tokens for others");

	int64_t retry;
	cr_assert_eq(svc_session_login(OP(st, NULL), "pia", "wrong-password", "10.0.0.1", &u, sid, csrf, 65,
				       &retry, &e),
		     CAIRN_EUNAUTH);
	cr_assert_eq(svc_session_login(OP(st, NULL), "nobody", "password123", "10.0.0.1", &u, sid, csrf, 65,
				       &retry, &e),
		     CAIRN_EUNAUTH);
	cr_assert_eq(svc_session_login(OP(st, NULL), "pia", "password123", NULL, &u, sid, csrf, 65, &retry, &e),
		     0);
	cr_assert_eq(svc_session_auth(OP(st, NULL), sid, &u, c2, sizeof c2, &e), 0);
	cr_assert_str_eq(c2, csrf);
	cr_assert_eq(svc_session_logout(OP(st, NULL), sid, &e), 0);
	cr_assert_eq(svc_session_auth(OP(st, NULL), sid, &u, c2, sizeof c2, &e), CAIRN_EUNAUTH);

	/* Neither secret is stored in plain text. */
	testdb_each(&tdb, "SELECT token_hash FROM api_tokens", no_token_prefix);
	testdb_each(&tdb, "SELECT token_hash FROM sessions", no_token_prefix);
	testdb_each(&tdb, "SELECT password_hash FROM users", is_argon2id);
}

static int throttle_keys_seen;
static void count_key(const char *v)
{
	(void)v;
	throttle_keys_seen++;
}

/* Failed logins are forgotten 15 minutes after the last one: a spray of
 * made-up logins does not grow the table (issue #15). */
Test(service, login_throttle_forgets_stale_keys)
{
	char sid[65], csrf[65];
	struct user u;
	struct err e;
	int64_t retry, t0 = 1800000000000LL, was = clock_is_fixed() ? now_ms() : 0;
	err_clear(&e);
	clock_fix(t0);
	for (int k = 0; k < 3; k++) {
		char who[32];
		snprintf(who, sizeof who, "ghost-%d", k);
		cr_assert_eq(svc_session_login(OP(st, NULL), who, "password123", "10.9.9.9", &u, sid, csrf, 65,
					       &retry, &e),
			     CAIRN_EUNAUTH);
	}
	throttle_keys_seen = 0;
	testdb_each(&tdb, "SELECT key FROM login_throttle", count_key);
	cr_expect_eq(throttle_keys_seen, 4, "three logins and one address");
	clock_fix(t0 + 16 * 60 * 1000LL); /* the next failure clears what is stale */
	cr_assert_eq(svc_session_login(OP(st, NULL), "ghost-9", "password123", "10.8.8.8", &u, sid, csrf, 65,
				       &retry, &e),
		     CAIRN_EUNAUTH);
	clock_fix(was);
	throttle_keys_seen = 0;
	testdb_each(&tdb, "SELECT key FROM login_throttle", count_key);
	cr_expect_eq(throttle_keys_seen, 2, "only the new login and address remain");
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
	cr_assert_eq(svc_issue_import(OP(st, &admin), recs, 2, &e), CAIRN_EINVALID);
	cr_assert(strstr(e.msg, "record 2"), "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 0);
	cr_assert_eq(svc_issue_import(OP(st, &eng), recs, 1, &e), CAIRN_EFORBIDDEN);
	cr_assert_eq(svc_issue_import(OP(st, &pm), recs, 1, &e), 0);
	cr_assert_eq(count(&admin, NULL), 1);
}

/* svc_import_next over a list of batches, each given once. */
struct batches {
	struct issue_import *recs[3];
	size_t n[3], at;
};

static int give_batch(void *ctx, const struct issue_import **recs, size_t *n, struct err *e)
{
	struct batches *b = ctx;
	(void)e;
	*recs = b->at < 3 ? b->recs[b->at] : NULL;
	*n = b->at < 3 ? b->n[b->at] : 0;
	b->at++;
	return 0;
}

Test(service, bulk_import_is_all_or_nothing_and_searchable)
{
	struct issue_import good[2] = {0}, bad[1] = {0};
	struct err e;
	err_clear(&e);
	good[0].in.set = good[1].in.set = IN_TITLE;
	good[0].in.title = "Quokka census";
	good[1].in.title = "Quokka habitat";
	bad[0].in.set = IN_TITLE | IN_TYPE;
	bad[0].in.title = "bad";
	bad[0].in.type = "saga";
	/* the bad record in the second batch undoes the first */
	struct batches b = {{good, bad, NULL}, {2, 1, 0}, 0};
	cr_assert_eq(svc_issue_import_bulk(OP(st, &admin), give_batch, &b, &e), CAIRN_EINVALID);
	cr_assert(strstr(e.msg, "record 3"), "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 0);
	struct batches ok = {{good, NULL, NULL}, {2, 0, 0}, 0};
	cr_assert_eq(svc_issue_import_bulk(OP(st, &eng), give_batch, &ok, &e), CAIRN_EFORBIDDEN);
	ok.at = 0;
	cr_assert_eq(svc_issue_import_bulk(OP(st, &pm), give_batch, &ok, &e), 0, "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 2);
	cr_assert_eq(count(&admin, "quokka"), 2, "the search index holds the bulk-loaded issues");
	/* and keeps up with the next ordinary write (its trigger is back) */
	good[0].in.title = "Quokka diet";
	cr_assert_eq(svc_issue_import(OP(st, &pm), good, 1, &e), 0);
	cr_assert_eq(count(&admin, "quokka"), 3);
	cr_assert_eq(count(&admin, "diet"), 1);
}

static int mem_write(void *ctx, const char *line, size_t len)
{
	FILE *f = ctx;
	return fwrite(line, 1, len, f) == len && fputc('\n', f) != EOF ? 0 : -1;
}

struct mem_reader {
	char *text, *pos;
};

static int mem_read(void *ctx, char **line, size_t *len)
{
	struct mem_reader *r = ctx;
	if (!r->pos || !*r->pos) {
		*line = NULL;
		return 0;
	}
	char *nl = strchr(r->pos, '\n');
	*line = r->pos;
	*len = nl ? (size_t)(nl - r->pos) : strlen(r->pos);
	if (nl)
		*nl = '\0';
	r->pos = nl ? nl + 1 : r->pos + *len;
	return 0;
}

static char *dump(struct store *s)
{
	char *buf = NULL;
	size_t len = 0;
	struct err e;
	FILE *f = open_memstream(&buf, &len);
	err_clear(&e);
	cr_assert_eq(svc_backup(OP(s, NULL), mem_write, f, &e), 0, "%s", e.msg);
	fclose(f);
	return buf;
}

/* Restore text into a fresh database at url and dump it again. */
static char *restore_and_dump(const char *url, const char *text)
{
	struct store *s;
	struct err e;
	struct mem_reader r;
	err_clear(&e);
	r.text = r.pos = strdup(text);
	cr_assert_eq(store_open(url, &s, &e), 0, "%s", e.msg);
	cr_assert_eq(svc_restore(OP(s, NULL), mem_read, &r, &e), 0, "%s", e.msg);
	free(r.text);
	char *again = dump(s);
	store_close(s);
	return again;
}

Test(service, backup_restores_identically_into_either_backend)
{
	struct err e;
	struct issue i;
	err_clear(&e);
	create(&eng, "child first", "story", "M");
	create(&pm, "Überschrift, \"quoted\" \\ back", "epic", NULL);
	create(&eng, "private", "security", NULL);
	/* a parent that comes later in the dump than its child */
	struct issue_input up = {.set = IN_PARENT | IN_LABELS, .parent = "2",
				 .labels = (const char *[]){"b", "B", "a:z"}, .nlabels = 3};
	cr_assert_eq(svc_issue_update(OP(st, &pm), 1, &up, -1, &i, &e), 0, "%s", e.msg);
	issue_release(&i);
	char token[TOKEN_TEXT_LEN + 1];
	cr_assert_eq(svc_token_new(OP(st, NULL), "eli", "ci", token, sizeof token, &e), 0);
	/* customers, personas and insights travel too */
	struct customer c;
	struct persona pe;
	struct insight ins;
	struct customer_input ci = {.name = "Acme", .tier = "Enterprise", .arr = 5000, .strategic = 1};
	struct persona_input pi = {.name = "Ops", .buyer_level = "manager"};
	struct insight_input ii = {.source = "call", .customer = "Acme", .persona = "Ops",
				   .title = "wants SSO", .url = "https://example.com/t/1"};
	cr_assert_eq(svc_customer_add(OP(st, &pm), &ci, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(svc_persona_add(OP(st, &pm), &pi, &pe, &e), 0, "%s", e.msg);
	cr_assert_eq(svc_insight_add(OP(st, &eng), &ii, &ins, &e), 0, "%s", e.msg);
	cr_assert_eq(svc_insight_link(OP(st, &eng), ins.id, 2, "critical", &e), 0, "%s", e.msg);
	insight_release(&ins);

	char *first = dump(st);
	cr_assert(strstr(first, "\"table\":\"insight_links\""), "the dump has the links");
	cr_assert(strstr(first, "\"table\":\"history\""), "the dump has the history");

	/* same backend */
	struct testdb other;
	testdb_create(&other);
	char *second = restore_and_dump(other.url, first);
	cr_assert_str_eq(second, first);

	/* the restored database works: parents linked, ids continue, token valid */
	struct store *s2;
	struct user u;
	cr_assert_eq(store_open(other.url, &s2, &e), 0);
	cr_assert_eq(svc_issue_get(OP(s2, &admin), 1, &i, &e), 0);
	cr_assert_eq(i.parent, 2);
	issue_release(&i);
	cr_assert_eq(svc_auth_token(OP(s2, NULL), token, &u, &e), 0);
	cr_assert_str_eq(u.login, "eli");
	cr_assert_eq(svc_user_add(OP(s2, NULL), "later", NULL, "viewer", "password123", &u, &e), 0,
		     "%s", e.msg);
	cr_assert_gt(u.id, viewer.id);
	struct issue_input in = {.set = IN_TITLE, .title = "after restore"};
	cr_assert_eq(svc_issue_create(OP(s2, &pm), &in, &i, &e), 0, "%s", e.msg);
	cr_assert_eq(i.number, 4);
	issue_release(&i);

	/* a second restore into a non-empty database is refused, changing nothing */
	struct mem_reader r = {strdup(first), NULL};
	r.pos = r.text;
	cr_assert_eq(svc_restore(OP(s2, NULL), mem_read, &r, &e), CAIRN_ECONFLICT);
	free(r.text);
	store_close(s2);
	testdb_drop(&other);

	/* and across backends: whatever this run's backend, into SQLite */
	char path[128];
	snprintf(path, sizeof path, "/tmp/cairn-unit-x-%d-%ld.db", getpid(), random());
	char *third = restore_and_dump(path, first);
	cr_assert_str_eq(third, first);
	unlink(path);
	free(first);
	free(second);
	free(third);
}

Test(service, a_bad_dump_line_restores_nothing)
{
	struct testdb other;
	struct store *s;
	struct err e;
	int empty = 0;
	err_clear(&e);
	testdb_create(&other);
	cr_assert_eq(store_open(other.url, &s, &e), 0);
	const char *bad[] = {
		"{\"cairn_dump\":1,\"schema\":1}\n{\"table\":\"users\",\"row\":{\"id\":1}}\n",
		"{\"cairn_dump\":1,\"schema\":1}\n{\"table\":\"nope\",\"row\":{}}\n",
		"{\"cairn_dump\":1,\"schema\":99}\n",
		"not json\n",
		"",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct mem_reader r = {strdup(bad[k]), NULL};
		r.pos = r.text;
		cr_expect_neq(svc_restore(OP(s, NULL), mem_read, &r, &e), 0, "dump %zu", k);
		free(r.text);
		cr_assert_eq(store_is_empty(s, &empty, &e), 0);
		cr_expect(empty, "dump %zu left rows behind", k);
	}
	store_close(s);
	testdb_drop(&other);
}

/* A bulk load gives back every byte it was given, on either backend: on
 * PostgreSQL its rows go through COPY's text format, where a tab, a
 * newline, a carriage return and a backslash must be escaped and "\N" and
 * "\." mean something.  Parents may be issues of the same load, still
 * waiting to be sent; a parent that does not exist undoes the load. */
Test(service, bulk_import_keeps_every_byte)
{
	static const char *const titles[] = {
		"back\\slash \\N \\. \\t \\\\ 'single' \"double\" ; -- DROP TABLE issues",
		"\xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xa7 \\",
		"\\.",
		"\\N",
	};
	static const char *const labels[] = {"a\\b", "\\N", "q'uote", "\xc3\xbc"};
	static char longbody[BODY_MAX + 1];
	static const char piece[] = "\t\\\n\r\\N\\.\n\xe2\x82\xac'\"";
	for (size_t k = 0; k < BODY_MAX; k++)
		longbody[k] = piece[k % (sizeof piece - 1)];
	longbody[BODY_MAX] = '\0';
	/* a multi-byte character cut by the end would not be UTF-8 */
	for (size_t k = BODY_MAX; k-- > BODY_MAX - 4;)
		longbody[k] = 'x';
	const char *bodies[] = {"tab\there\nline\r\nCR \\N\n\\.\nend\x01\x1f\x7f", longbody, "\\", ""};
	struct issue_import recs[5] = {0};
	for (int k = 0; k < 4; k++) {
		recs[k].in.set = IN_TITLE | IN_BODY | IN_LABELS | IN_TYPE;
		recs[k].in.title = titles[k];
		recs[k].in.body = bodies[k];
		recs[k].in.labels = labels;
		recs[k].in.nlabels = 4;
		recs[k].in.type = k == 0 ? "epic" : "story";
		if (k) { /* under the epic of the same load */
			recs[k].in.set |= IN_PARENT;
			recs[k].in.parent = "1";
		}
	}
	recs[4] = recs[1];
	recs[4].in.parent = "99"; /* no such issue */
	struct err e;
	err_clear(&e);
	struct batches bad = {{recs, recs + 4, NULL}, {4, 1, 0}, 0};
	cr_assert_eq(svc_issue_import_bulk(OP(st, &admin), give_batch, &bad, &e), CAIRN_EINVALID);
	cr_assert(strstr(e.msg, "record 5") && strstr(e.msg, "parent #99 does not exist"), "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 0, "the failed load left nothing");

	struct batches ok = {{recs, recs + 2, NULL}, {2, 2, 0}, 0};
	cr_assert_eq(svc_issue_import_bulk(OP(st, &admin), give_batch, &ok, &e), 0, "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 4);
	for (int k = 0; k < 4; k++) {
		struct issue i;
		struct history_list h;
		cr_assert_eq(svc_issue_get(OP(st, &admin), k + 1, &i, &e), 0, "%s", e.msg);
		cr_expect_str_eq(i.title, titles[k]);
		cr_expect(strcmp(i.body, bodies[k]) == 0, "body of #%d comes back as it went in", k + 1);
		cr_expect_eq(i.parent, k ? 1 : 0);
		cr_assert_eq(i.nlabels, 4);
		for (size_t n = 0; n < 4; n++) {
			int found = 0;
			for (size_t m = 0; m < 4; m++)
				found |= strcmp(i.labels[n], labels[m]) == 0;
			cr_expect(found, "label '%s' of #%d is one given", i.labels[n], k + 1);
		}
		issue_release(&i);
		cr_assert_eq(svc_issue_history(OP(st, &admin), k + 1, &h, &e), 0, "%s", e.msg);
		cr_assert_eq(h.n, 1);
		cr_expect_str_eq(h.items[0].new_value, titles[k], "the created row holds the title");
		history_list_release(&h);
	}
	cr_expect_eq(count(&admin, "DROP"), 1, "the search rows hold the loaded text");
	/* the next issue continues after the load's ids and numbers */
	cr_assert_eq(create(&admin, "after the load", NULL, NULL), 5);
}

/* A row the database refuses in the middle of a bulk load (on PostgreSQL
 * found only when the waiting rows are sent) fails the load as a conflict,
 * leaves the data as it was, and the connection serves the next write. */
Test(service, bulk_import_refused_row_undoes_the_load)
{
	struct issue_import recs[3] = {0};
	struct err e;
	err_clear(&e);
	create(&admin, "first", NULL, NULL);
	/* the counter set back: the load's second issue gets number 1 again */
	testdb_exec(&tdb, "UPDATE counters SET value = -1 WHERE name = 'issue'");
	for (int k = 0; k < 3; k++) {
		recs[k].in.set = IN_TITLE;
		recs[k].in.title = "Wombat burrow";
	}
	struct batches b = {{recs, NULL, NULL}, {3, 0, 0}, 0};
	cr_assert_eq(svc_issue_import_bulk(OP(st, &admin), give_batch, &b, &e), CAIRN_ECONFLICT,
		     "%s", e.msg);
	cr_assert_eq(count(&admin, NULL), 1, "only the issue from before");
	cr_assert_eq(count(&admin, "wombat"), 0);
	testdb_exec(&tdb, "UPDATE counters SET value = 1 WHERE name = 'issue'");
	cr_assert_eq(create(&admin, "Wombat census", NULL, NULL), 2);
	cr_assert_eq(count(&admin, "wombat"), 1);
}
