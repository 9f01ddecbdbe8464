/*
 * testdb.h — a fresh database for each store/service test, on the backend
 * the run asks for: a SQLite file by default, or, when CAIRN_TEST_DB holds
 * a postgres URL template with "{db}", a new PostgreSQL database created
 * (and dropped) through libpq.  Plus raw SQL access for the few tests
 * that must look under the store (hashes at rest, a future schema).
 */
#ifndef CAIRN_TEST_DB_H
#define CAIRN_TEST_DB_H

#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct testdb {
	char url[512];
	char name[64];  /* postgres database name, "" for sqlite */
	char admin[512]; /* postgres URL of the maintenance database */
};

/* Replace the first "{db}" of tpl with name. */
static inline void testdb_subst(const char *tpl, const char *name, char *out, size_t cap)
{
	const char *at = strstr(tpl, "{db}");
	cr_assert(at, "CAIRN_TEST_DB must contain {db}");
	snprintf(out, cap, "%.*s%s%s", (int)(at - tpl), tpl, name, at + 4);
}

static inline void testdb_pg_exec(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	cr_assert(PQstatus(c) == CONNECTION_OK, "connect %s: %s", url, PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
		  "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static inline void testdb_create(struct testdb *t)
{
	const char *tpl = getenv("CAIRN_TEST_DB");
	memset(t, 0, sizeof *t);
	if (tpl && *tpl) {
		char sql[128];
		snprintf(t->name, sizeof t->name, "cairn_unit_%d_%ld", getpid(), random() % 1000000);
		testdb_subst(tpl, "postgres", t->admin, sizeof t->admin);
		testdb_subst(tpl, t->name, t->url, sizeof t->url);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->name);
		testdb_pg_exec(t->admin, sql);
	} else {
		snprintf(t->url, sizeof t->url, "/tmp/cairn-unit-%d-%ld.db", getpid(), random());
	}
}

static inline void testdb_drop(struct testdb *t)
{
	if (t->name[0]) {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->name);
		testdb_pg_exec(t->admin, sql);
		return;
	}
	char p[600];
	unlink(t->url);
	snprintf(p, sizeof p, "%s-wal", t->url);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", t->url);
	unlink(p);
}

/* Run raw SQL under the store (test set-up only). */
static inline void testdb_exec(struct testdb *t, const char *sql)
{
	if (t->name[0]) {
		testdb_pg_exec(t->url, sql);
		return;
	}
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(t->url, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* Call fn with the first column of each row of sql. */
static inline void testdb_each(struct testdb *t, const char *sql, void (*fn)(const char *))
{
	if (t->name[0]) {
		PGconn *c = PQconnectdb(t->url);
		PGresult *r = PQexec(c, sql);
		cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
		for (int i = 0; i < PQntuples(r); i++)
			fn(PQgetvalue(r, i, 0));
		PQclear(r);
		PQfinish(c);
		return;
	}
	sqlite3 *db;
	sqlite3_stmt *s;
	cr_assert_eq(sqlite3_open(t->url, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

#endif
