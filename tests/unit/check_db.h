/*
 * check_db.h - for the unit tests of the store: run SQL on a test's
 * database behind the store's back, to set up what the store itself would
 * never write (an old schema, a damaged row) and see how it copes.
 * Included by the tests that need it, after check.h; links with SQLite.
 */
#ifndef SV_CHECK_DB_H
#define SV_CHECK_DB_H

#include <stdio.h>

#include <sqlite3.h>

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

#endif
