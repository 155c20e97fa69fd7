/*
 * check_db.h - for the unit tests of the store: run SQL on a test's
 * database behind the store's back, to set up what the store itself would
 * never write (an old schema, a damaged row) and see how it copes.
 * Included by the tests that need it, after check.h; links with SQLite.
 */
#ifndef SV_CHECK_DB_H
#define SV_CHECK_DB_H

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "../../core/db.h"
#include "../../core/store.h"

/* Runs sql on the database in folder (STORE_FILE there), waiting up to 2 s
 * for a lock the store holds.  0 if every statement ran, -1 if not. */
static inline int check_db_exec(const char *folder, const char *sql)
{
	char path[512];
	sqlite3 *db = NULL;
	int rc;

	snprintf(path, sizeof path, "%s/%s", folder, STORE_FILE);
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 2000);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Opens the store a test runs on: SQLite in folder, or, when YV_TEST_DB
 * names a PostgreSQL database (tests/pg/pg.sh sets it), that database
 * emptied first, as a new database would be (docs/postgresql.md). */
static inline enum sv_err check_store_open(const char *folder, struct store **st)
{
	const char *url = getenv("YV_TEST_DB");
	struct db *db = NULL;

	if (!url || !*url)
		return store_open(folder, st);
	if (db_open(url, 0, &db))
		return SV_ERR_DB;
	enum sv_err rc = db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	db_close(db);
	return rc ? rc : store_open_url(folder, url, st);
}

/* 1 when the tests run on PostgreSQL. */
static inline int check_on_postgres(void)
{
	const char *url = getenv("YV_TEST_DB");
	return url && *url;
}

/* Opens another store on the database check_store_open opened, as a second
 * server (or a restart) would, without emptying it. */
static inline enum sv_err check_store_again(const char *folder, struct store **st)
{
	return check_on_postgres() ? store_open_url(folder, getenv("YV_TEST_DB"), st) :
		store_open(folder, st);
}

/* check_db_exec on the database the test runs on: SQLite in folder, or
 * YV_TEST_DB's PostgreSQL (through the statement layer).  0 if it ran. */
static inline int check_sql_exec(const char *folder, const char *sql)
{
	struct db *db = NULL;

	if (!check_on_postgres())
		return check_db_exec(folder, sql);
	enum sv_err rc = db_open(getenv("YV_TEST_DB"), 0, &db);
	if (!rc)
		rc = db_exec(db, sql);
	db_close(db);
	return rc ? -1 : 0;
}

/* The first column of the first row sql gives on that database, as a
 * number, read on a connection of its own; -1 if it failed or gave none. */
static inline long long check_sql_number(const char *folder, const char *sql)
{
	char path[512];
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	long long v = -1;

	snprintf(path, sizeof path, "%s/%s", folder, STORE_FILE);
	if (db_open(check_on_postgres() ? getenv("YV_TEST_DB") : path, DB_OPEN_READONLY, &db) == SV_OK &&
	    db_prepare(db, sql, &s) == SV_OK && db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	db_finalize(s);
	db_close(db);
	return v;
}

#endif
