/*
 * store_int.h - what the files of the store module share (store.c opens,
 * migrates and stores responses; store_staff.c keeps staff accounts,
 * sessions, the audit log and marketplace tallies).  Not for other modules:
 * store.h is the store's whole public surface.
 */
#ifndef SV_STORE_INT_H
#define SV_STORE_INT_H

#include <pthread.h>

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3 *db;
	pthread_mutex_t lock;   /* one writer at a time; readers share it too */
	sqlite3_stmt *insert_response;
	sqlite3_stmt *bump_theme;
	sqlite3_stmt *bump_priority;
	sqlite3_stmt *bump_survey;
	sqlite3_stmt *use_token;
	char pruned_on[11];     /* the day used tokens were last pruned */
};

/* Logs what failed with SQLite's message (never shown to a user). */
void store_log(sqlite3 *db, const char *what);

/* Prepares a statement (the caller finalizes it); logs a failure. */
enum sv_err store_prepare(struct store *st, const char *sql, sqlite3_stmt **out);

/* Runs SQL without results (BEGIN, COMMIT ...). */
enum sv_err store_exec(sqlite3 *db, const char *sql);

/* Steps a prepared statement that returns no rows, then resets it. */
enum sv_err store_step_done(sqlite3 *db, sqlite3_stmt *s, const char *what);

/* Runs a read-only query with one optional text parameter, handing each row
 * to on_row, under the store's lock. */
enum sv_err store_query_each(struct store *st, const char *sql, const char *param,
			     void (*on_row)(sqlite3_stmt *row, void *ctx), void *ctx,
			     const char *what);

#endif
