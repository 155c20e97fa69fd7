/*
 * db.h - the statement layer under the store: one connection to SQLite (a
 * file in the data folder) or to PostgreSQL (libpq), prepared statements
 * with ?N parameters, rows, and transactions.  Only core/store*.c and
 * core/db*.c include it: nothing above the store knows which backend runs
 * (docs/postgresql.md).
 *
 * It is deliberately thin.  It does not translate SQL: a statement that is
 * written the same way for both engines (most are) is passed as it is, and
 * one that differs is written twice and chosen with db_dialect().  The only
 * rewriting is of parameter markers, ?N to $N for libpq, outside string
 * literals, quoted names and comments.  The schema's text is per backend
 * (migrations in store.c); the version lives in PRAGMA user_version on
 * SQLite and in the table youthvoice_schema on PostgreSQL.
 *
 * Values are bound like SQLite's SQLITE_STATIC: the layer keeps the
 * caller's pointer, so text and blobs must stay alive and unchanged until
 * the statement is stepped (or reset).  Column values are valid until the
 * next db_step, db_reset or db_finalize on their statement.
 *
 * A connection is not thread-safe: one thread uses it at a time (the store
 * holds a lock around each use, as it does for SQLite's connections).
 */
#ifndef SV_DB_H
#define SV_DB_H

#include <stddef.h>

#include "err.h"

struct db;       /* one connection */
struct db_stmt;  /* one prepared statement on one connection */

enum db_backend { DB_SQLITE, DB_POSTGRES };

/* What db_step (and db_commit) says. */
enum db_rc {
	DB_DONE = 0,        /* finished: no (more) rows */
	DB_ROW = 1,         /* a row is ready for the column getters */
	DB_ERROR = -1,      /* failed; the message went to the log */
	DB_UNIQUE = -2,     /* a PRIMARY KEY or UNIQUE constraint refused the row */
	DB_CONSTRAINT = -3, /* a CHECK, NOT NULL or FOREIGN KEY constraint did */
	DB_RETRY = -4       /* lost a race: SQLite busy past its timeout, or a
	                     * PostgreSQL serialization failure or deadlock; the
	                     * whole transaction must run again (db_transaction) */
};

/* Ways to open. */
#define DB_OPEN_READONLY 1   /* SQLite: read-only, never create; PostgreSQL:
                              * every transaction READ ONLY */
#define DB_OPEN_CREATE 2     /* SQLite: create the file if it is missing */

/* Upper bound on ?N in one statement. */
#define DB_MAX_PARAMS 64

/* How often db_transaction runs a body that lost a race, at most. */
#define DB_MAX_RETRIES 8

/* 1 if target names a PostgreSQL database (postgresql:// or postgres://),
 * 0 if it is a SQLite file. */
int db_is_postgres_url(const char *target);

/*
 * Opens target: a postgresql://user@host:port/db URL (any URI or key=value
 * form that libpq takes, passed to it unread), or else the path of a SQLite
 * file.  flags: DB_OPEN_*.  SV_ERR_NOTFOUND if a read-only SQLite file is
 * missing, SV_ERR_DB if the database cannot be reached (logged, without
 * the URL's password).  Close with db_close.
 */
enum sv_err db_open(const char *target, int flags, struct db **out /* OUT */);
void db_close(struct db *db);

enum db_backend db_dialect(const struct db *db);

/* The engine's last message, for the log only (never for a user). */
const char *db_errmsg(struct db *db);
/* Logs "store: WHAT: message". */
void db_log(struct db *db, const char *what);
/* Logs r as WHAT when it is a failure: not DB_DONE or DB_ROW, and not a
 * lost race (DB_RETRY) inside a transaction, which db_transaction runs
 * again.  Returns r. */
enum db_rc db_log_failure(struct db *db, enum db_rc r, const char *what);

/*
 * Prepares sql (one statement, parameters ?1 to ?DB_MAX_PARAMS).  On
 * PostgreSQL it is sent with its values at each step (PQexecParams): one
 * round trip, no server-side state.  Failures are logged.  Free with
 * db_finalize.
 */
enum sv_err db_prepare(struct db *db, const char *sql, struct db_stmt **out /* OUT */);
/* The same for a statement used on a hot path and kept: SQLite's
 * SQLITE_PREPARE_PERSISTENT; PostgreSQL prepares it once on the server
 * (PQprepare) and runs it by name. */
enum sv_err db_prepare_kept(struct db *db, const char *sql, struct db_stmt **out /* OUT */);
void db_finalize(struct db_stmt *s);   /* NULL does nothing */

/* Binds parameter i (1-based).  Text is NUL-ended; NULL binds SQL NULL.
 * Parameters never bound are NULL. */
void db_bind_text(struct db_stmt *s, int i, const char *text);
void db_bind_int64(struct db_stmt *s, int i, long long v);
void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n);
void db_bind_null(struct db_stmt *s, int i);

/* Runs the statement, or moves to its next row. */
enum db_rc db_step(struct db_stmt *s);
/* Makes the statement ready to run again; bindings stay. */
void db_reset(struct db_stmt *s);
/* Forgets every binding (they become NULL). */
void db_clear_bindings(struct db_stmt *s);
/* db_step, then db_reset and db_clear_bindings: for statements run for
 * their effect (rows ignored: DB_DONE).  Logs any failure as WHAT; where
 * a failure is expected (a replayed token's DB_UNIQUE), step and reset.
 * A lost race (DB_RETRY) inside a transaction is not logged:
 * db_transaction runs it again. */
enum db_rc db_run(struct db_stmt *s, const char *what);

/* The current row's column i (0-based).  Text: NULL for SQL NULL; numbers:
 * 0 for NULL; a boolean reads as 0 or 1.  A blob's bytes go in *n. */
const char *db_column_text(struct db_stmt *s, int i);
long long db_column_int64(struct db_stmt *s, int i);
int db_column_int(struct db_stmt *s, int i);
const void *db_column_blob(struct db_stmt *s, int i, size_t *n /* OUT */);
int db_column_is_null(struct db_stmt *s, int i);

/* Rows changed by the last INSERT, UPDATE or DELETE on db. */
long long db_changes(struct db *db);

/* Runs SQL without parameters or rows, several statements allowed. */
enum sv_err db_exec(struct db *db, const char *sql);

/*
 * Transactions.  DB_TX_WRITE takes the write lock at once on SQLite (BEGIN
 * IMMEDIATE: one writer at a time, so every read in the transaction stays
 * true until COMMIT) and is SERIALIZABLE on PostgreSQL, which gives the
 * same guarantee and reports a race as DB_RETRY instead of waiting.
 * DB_TX_READ is one snapshot for several reads: BEGIN on SQLite, REPEATABLE
 * READ READ ONLY on PostgreSQL.  DB_TX_COUNTERS is for the shared commit,
 * whose statements are single-row upserts, inserts against UNIQUE keys and
 * increments, correct under row locks alone: BEGIN IMMEDIATE on SQLite,
 * READ COMMITTED on PostgreSQL, where servers bumping the same counter wait
 * for each other's row lock instead of failing (docs/postgresql.md).
 * DB_TX_SCHEMA is for migrating: BEGIN IMMEDIATE on SQLite; on PostgreSQL a
 * transaction holding an advisory lock, so that of several servers
 * starting at once one migrates and the others then find it done.
 */
enum db_tx { DB_TX_WRITE, DB_TX_READ, DB_TX_COUNTERS, DB_TX_SCHEMA };
enum db_rc db_begin(struct db *db, enum db_tx kind);
enum db_rc db_commit(struct db *db);
void db_rollback(struct db *db);            /* nothing if none is open */
int db_in_transaction(struct db *db);

/* The schema version: PRAGMA user_version on SQLite; the one row of
 * youthvoice_schema on PostgreSQL (0 where it does not exist yet).
 * Setting it belongs inside the migration's transaction. */
enum sv_err db_schema_version(struct db *db, int *version /* OUT */);
enum sv_err db_set_schema_version(struct db *db, int version);

/*
 * Runs body in a transaction of the given kind, committing if it returns
 * DB_DONE and rolling back otherwise; a body or commit that gives
 * DB_RETRY is run again from the start (after a short random pause), up
 * to DB_MAX_RETRIES times.  The body must therefore do nothing outside
 * the database that it cannot do twice.  Returns SV_OK, SV_ERR_EXISTS for
 * DB_UNIQUE, SV_ERR_INVALID for DB_CONSTRAINT, else SV_ERR_DB.
 */
enum sv_err db_transaction(struct db *db, enum db_tx kind,
			   enum db_rc (*body)(struct db *db, void *ctx), void *ctx);

/* SQLite's own connection under db, for what only SQLite does (the store's
 * tidy: WAL checkpoints, VACUUM, journal modes); NULL on PostgreSQL.  Not
 * to be closed. */
struct sqlite3;
struct sqlite3 *db_sqlite_handle(struct db *db);

/* For tests of the layer: sql with ?N rewritten to $N into out (cap
 * bytes); *nparams the highest N; bit N - 1 of *used (may be NULL) set
 * for each N that appears.  SV_ERR_INVALID for a bare ?, ?0 or an N over
 * DB_MAX_PARAMS; SV_ERR_TOOBIG if out is too small. */
enum sv_err db_rewrite_params(const char *sql, char *out, size_t cap, int *nparams /* OUT */,
			      unsigned long long *used /* OUT */);

#endif
